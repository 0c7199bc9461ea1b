//! The Discord front door: serenity's gateway and REST client with poise slash commands. It only
//! translates: interactions become engine commands, engine replies become messages. The daily drip
//! runs in the same process and posts through the same HTTP client.

pub mod commands;
mod interactions;
pub mod mock;
pub mod practice;
pub mod render;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, HttpBuilder, MessageId, MessageReference, Nonce};

use crate::config::DiscordConfig;
use crate::core::command::{Action, Actor, ChannelRef, Command, Platform};
use crate::core::reply::{Audience, Reply, ReplyBody, SORRY};
use crate::deliver::{self, DirectError, Outbox};
use crate::engine::Engine;
use render::{render, Rendered};

pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// What every command can reach.
pub struct Data {
    pub engine: Arc<Engine>,
}

/// Connects to Discord and serves until `shutdown` completes or the connection fails for good.
pub async fn run(
    config: DiscordConfig,
    engine: Arc<Engine>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // Every REST call (posts, interaction responses) is given up after PLATFORM_CALL_TIMEOUT.
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(deliver::PLATFORM_CALL_TIMEOUT)
        .connect_timeout(deliver::PLATFORM_CALL_TIMEOUT)
        .build()
        .context("cannot build the Discord REST client")?;
    let mut http = HttpBuilder::new(config.token.expose()).client(client);
    if let Some(proxy) = &config.proxy_url {
        // serenity sends REST calls to a proxy only when its own ratelimiter is off, which is right:
        // the proxy does the rate limiting.
        http = http
            .proxy(proxy.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let http = http.build();
    match http.get_gateway().await {
        Ok(gateway) => tracing::info!(url = %gateway.url, "Discord gateway"),
        Err(err) => {
            tracing::warn!(error = %err, "could not ask for the gateway URL; serenity falls back to Discord's")
        }
    }
    let guild_id = config.guild_id.map(serenity::GuildId::new);
    let drip_every = config.drip_every.max(Duration::from_millis(1));
    let framework_engine = Arc::clone(&engine);
    // The drip starts once Discord says the bot is ready, and stops on shutdown.
    let drip: Arc<std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>> = Arc::default();
    let setup_drip = Arc::clone(&drip);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(on_error(error)),
            event_handler: |framework, event| {
                Box::pin(interactions::on_event(
                    framework.serenity_context,
                    event,
                    framework.user_data,
                ))
            },
            allowed_mentions: Some(render::no_mentions()),
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                let commands = &framework.options().commands;
                match guild_id {
                    Some(guild) => poise::builtins::register_in_guild(ctx, commands, guild).await?,
                    None => poise::builtins::register_globally(ctx, commands).await?,
                }
                tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                let outbox = Arc::new(DiscordOutbox::new(Arc::clone(&ctx.http)));
                let drip = deliver::spawn_drip(Arc::clone(&framework_engine), outbox, drip_every);
                *lock(&setup_drip) = Some(drip);
                Ok(Data { engine: framework_engine })
            })
        })
        .build();
    let intents = serenity::GatewayIntents::GUILDS;
    let mut client = serenity::ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .context("cannot build the Discord client")?;
    let shard_manager = Arc::clone(&client.shard_manager);
    tokio::spawn(async move {
        shutdown.await;
        // The drip stops first: nothing new is posted while the gateway closes.
        if let Some(drip) = lock(&drip).take() {
            drip.abort();
        }
        shard_manager.shutdown_all().await;
    });
    client.start().await.context("the Discord connection ended")
}

/// The Discord channel a reply goes to.
fn channel_of(reply: &Reply) -> anyhow::Result<ChannelId> {
    reply
        .channel
        .channel
        .parse::<u64>()
        .map(ChannelId::new)
        .context("not a Discord channel id")
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Discord's side of the drip: posts through the REST client.
pub struct DiscordOutbox {
    http: Arc<serenity::Http>,
}

impl DiscordOutbox {
    pub fn new(http: Arc<serenity::Http>) -> DiscordOutbox {
        DiscordOutbox { http }
    }
}

impl Outbox for DiscordOutbox {
    const PLATFORM: Platform = Platform::Discord;

    async fn post(&self, reply: &Reply, reply_to: Option<String>) -> anyhow::Result<String> {
        let channel = channel_of(reply)?;
        let mut message = render(reply).into_message();
        let reply_to = reply_to.and_then(|p| p.parse::<u64>().ok());
        if let ReplyBody::Mock(mock) = &reply.body {
            // A mock lives in a public thread: its first post opens it, the others go into it.
            return match (reply_to, mock.session()) {
                (Some(thread), _) => {
                    let thread = ChannelId::new(thread);
                    thread.send_message(&self.http, message).await?;
                    Ok(thread.get().to_string())
                }
                (None, Some(session)) => {
                    let sent = channel.send_message(&self.http, message).await?;
                    Ok(open_thread(&self.http, channel, sent.id, session).await)
                }
                (None, None) => {
                    let sent = channel.send_message(&self.http, message).await?;
                    Ok(sent.id.get().to_string())
                }
            };
        }
        if let Some(post) = reply_to {
            // A deleted question post must not stop its reveal: it then goes out as a plain post.
            message = message.reference_message(
                MessageReference::from((channel, MessageId::new(post))).fail_if_not_exists(false),
            );
        }
        if let Some(key) = reply.post_key() {
            // Posted again after a lost reference, the same nonce makes Discord return the first
            // message instead of a second one.
            message = message.nonce(Nonce::String(key)).enforce_nonce(true);
        }
        let sent = channel.send_message(&self.http, message).await?;
        Ok(sent.id.get().to_string())
    }

    /// Looks through the channel's latest 100 messages for the bot's post carrying the reply's first
    /// button (which names its round): beyond the few minutes Discord remembers a nonce, this is
    /// what keeps a post whose reference was lost from going out twice. Needs Read Message History.
    async fn find_post(
        &self,
        reply: &Reply,
        _reply_to: Option<&str>,
    ) -> anyhow::Result<Option<String>> {
        let Some(wanted) = reply.body.buttons().first().map(|b| render::button_id(*b)) else {
            return Ok(None);
        };
        let channel = channel_of(reply)?;
        let latest = channel
            .messages(&self.http, serenity::GetMessages::new().limit(100))
            .await?;
        let carries = |message: &serenity::Message| {
            message.author.bot
                && message.components.iter().any(|row| {
                    row.components.iter().any(|component| {
                        matches!(component, serenity::ActionRowComponent::Button(button)
                            if matches!(&button.data, serenity::ButtonKind::NonLink { custom_id, .. }
                                if *custom_id == wanted))
                    })
                })
        };
        Ok(latest
            .iter()
            .find(|m| carries(m))
            .map(|m| m.id.get().to_string()))
    }

    /// Discord has no message for one user outside an interaction, short of a DM nobody asked for:
    /// each answerer gets their own result from the reveal's My result button instead.
    async fn send_private(&self, _reply: &Reply, _user: &str) -> anyhow::Result<()> {
        Ok(())
    }

    /// Opens (or finds) the DM channel with the user and posts there. Discord answers 403 (code
    /// 50007) when the user does not take DMs from the bot, and 404 for a user it does not know.
    async fn send_direct(&self, reply: &Reply, user: &str) -> Result<(), DirectError> {
        let user = user
            .parse::<u64>()
            .ok()
            .filter(|id| *id != 0)
            .map(serenity::UserId::new)
            .ok_or(DirectError::Refused)?;
        let sent = async {
            let dm = user.create_dm_channel(&self.http).await?;
            dm.id
                .send_message(&self.http, render(reply).into_message())
                .await
        };
        match sent.await {
            Ok(_) => Ok(()),
            Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)))
                if matches!(response.status_code.as_u16(), 403 | 404)
                    || response.error.code == CANNOT_MESSAGE_USER =>
            {
                Err(DirectError::Refused)
            }
            Err(err) => Err(DirectError::Failed(anyhow::anyhow!(
                "{}",
                interactions::redacted(&err)
            ))),
        }
    }
}

/// Discord's error code for a user who does not take direct messages from the bot.
const CANNOT_MESSAGE_USER: isize = 50007;

/// Opens a mock's public thread on its first message; returns the thread's id. Where no thread can
/// be opened (the mock started inside a thread, or the bot lacks Create Public Threads), the mock
/// goes on in the channel itself, whose id is returned instead.
pub(super) async fn open_thread(
    http: &serenity::Http,
    channel: ChannelId,
    message: MessageId,
    session: i64,
) -> String {
    let name = format!("Mock interview #{session}");
    match channel
        .create_thread_from_message(http, message, serenity::CreateThread::new(name))
        .await
    {
        Ok(thread) => thread.id.get().to_string(),
        Err(err) => {
            tracing::warn!(error = %err, %channel, "no thread for a mock; it goes on in the channel");
            channel.get().to_string()
        }
    }
}

/// The engine's view of who is acting, and whether Discord says they may manage the server.
pub fn actor_of(user: &serenity::User, member: Option<&serenity::Member>) -> Actor {
    let display_name = member
        .and_then(|m| m.nick.clone())
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone());
    Actor {
        user: user.id.get().to_string(),
        display_name,
        is_admin: commands::is_admin(member),
    }
}

pub(super) fn channel_ref(guild: Option<serenity::GuildId>, channel: ChannelId) -> ChannelRef {
    ChannelRef {
        platform: Platform::Discord,
        workspace: guild.map_or_else(|| "dm".to_string(), |g| g.get().to_string()),
        channel: channel.get().to_string(),
    }
}

/// Runs an action for the user of a slash command and answers the interaction: the reply meant for
/// them (public or ephemeral) first; other users' private replies wait for their "My result" click.
pub async fn run_action(ctx: Context<'_>, action: Action) -> Result<(), Error> {
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    let interaction = app.interaction;
    let command = Command {
        channel: channel_ref(interaction.guild_id, interaction.channel_id),
        actor: actor_of(&interaction.user, interaction.member.as_deref()),
        action,
    };
    let engine = &ctx.data().engine;
    // An answer, a hint or a practice step is answered privately whatever happens, so a slow one can
    // be acknowledged with a private "thinking…" in time; other commands may answer in public.
    let private = matches!(
        command.action,
        Action::Answer(_) | Action::Hint | Action::Practice(_)
    );
    let work = engine.handle(&command, Utc::now());
    let replies = match private {
        true => {
            interactions::within_ack_deadline(work, || ctx.defer_ephemeral())
                .await
                .0
        }
        false => work.await,
    };
    let mut answered = false;
    for reply in replies.iter().filter(|r| r.is_for(&command.actor.user)) {
        let mock = match &reply.body {
            ReplyBody::Mock(mock) if reply.audience == Audience::Channel => mock.session(),
            _ => None,
        };
        if let Some(session) = mock {
            if engine.mock_thread(session).await?.is_some() {
                // The mock goes on in its thread, wherever the command was typed.
                let outbox = DiscordOutbox::new(Arc::clone(&ctx.serenity_context().http));
                deliver::send(engine, &outbox, reply).await?;
                continue;
            }
        }
        let sent = ctx.send(render(reply).into_reply()).await?;
        answered = true;
        if matches!(reply.body, ReplyBody::QuestionCard(_)) {
            let message = sent.message().await?;
            deliver::record_post(engine, reply, &message.id.get().to_string()).await?;
        }
        if let Some(session) = mock {
            // A mock's first message opens its public thread.
            let message = sent.message().await?;
            let http = &ctx.serenity_context().http;
            let thread = open_thread(http, interaction.channel_id, message.id, session).await;
            engine.record_mock_thread(session, &thread).await?;
        }
    }
    if !answered {
        send_privately(
            ctx,
            "Done: the mock interview goes on in its thread.".into(),
        )
        .await?;
    }
    Ok(())
}

/// Tells the user something privately (what was wrong with their input, or where things went on);
/// the text may quote what they typed, so it is made inert.
pub async fn send_privately(ctx: Context<'_>, problem: String) -> Result<(), Error> {
    let rendered = Rendered {
        content: Some(render::fit(
            &render::user_text(&problem),
            render::CONTENT_LIMIT,
        )),
        ephemeral: true,
        ..Rendered::default()
    };
    ctx.send(rendered.into_reply()).await?;
    Ok(())
}

async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            // Without URLs: a failed request's text names its URL, and an interaction's URL carries
            // its token.
            let error = interactions::redacted(&error);
            tracing::error!(error = %error, command = %ctx.command().qualified_name, "command failed");
            let _ = send_privately(ctx, SORRY.into()).await;
        }
        other => {
            if let Err(err) = poise::builtins::on_error(other).await {
                tracing::error!(error = %err, "could not report an error to Discord");
            }
        }
    }
}
