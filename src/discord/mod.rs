//! The Discord front door: serenity's gateway and REST client with poise slash commands. It only
//! translates: interactions become engine commands, engine replies become messages. The daily drip
//! runs in the same process and posts through the same HTTP client.

pub mod commands;
pub mod render;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use poise::serenity_prelude as serenity;
use serenity::builder::Builder as _;
use serenity::{
    ChannelId, ComponentInteraction, CreateInputText, CreateInteractionResponse, CreateModal,
    FullEvent, HttpBuilder, InputTextStyle, Interaction, MessageId, ModalInteraction,
};

use crate::config::DiscordConfig;
use crate::core::command::{Action, Actor, AnswerText, ChannelRef, Command, Platform};
use crate::core::reply::{Audience, Reply, ReplyBody};
use crate::engine::Engine;
use render::{render, Rendered};

pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// What every command can reach.
pub struct Data {
    pub engine: Arc<Engine>,
}

/// The modal's answer field.
const ANSWER_INPUT: &str = "answer";

/// Connects to Discord and serves until `shutdown` completes or the connection fails for good.
pub async fn run(
    config: DiscordConfig,
    engine: Arc<Engine>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let mut http = HttpBuilder::new(config.token.expose());
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
    let drip_every = Duration::from_secs(config.drip_every_secs.max(1));
    let framework_engine = Arc::clone(&engine);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(on_error(error)),
            event_handler: |framework, event| {
                Box::pin(on_event(framework.serenity_context, event, framework.user_data))
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
                spawn_drip(Arc::clone(&ctx.http), Arc::clone(&framework_engine), drip_every);
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
        shard_manager.shutdown_all().await;
    });
    client.start().await.context("the Discord connection ended")
}

/// Runs the daily drip every `every`, posting what it opens and reveals.
fn spawn_drip(http: Arc<serenity::Http>, engine: Arc<Engine>, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = Utc::now();
            match engine.run_due_on(now, Some(Platform::Discord)).await {
                Ok(replies) => deliver(&http, &engine, replies).await,
                Err(err) => tracing::error!(error = ?err, "the daily drip failed"),
            }
            // A question of the day whose post failed last time is posted again.
            match engine.unposted_questions(Platform::Discord, now).await {
                Ok(replies) => deliver(&http, &engine, replies).await,
                Err(err) => tracing::error!(error = ?err, "re-posting questions failed"),
            }
        }
    });
}

/// Posts replies that no interaction is waiting for (the drip's questions and reveals). Private
/// replies have no place outside an interaction: each answerer gets theirs from the reveal's
/// "My result" button.
pub async fn deliver(http: &serenity::Http, engine: &Engine, replies: Vec<Reply>) {
    for reply in replies {
        if reply.channel.platform != Platform::Discord || reply.audience != Audience::Channel {
            continue;
        }
        let Ok(channel) = reply.channel.channel.parse::<u64>().map(ChannelId::new) else {
            tracing::error!(channel = %reply.channel.channel, "not a Discord channel id");
            continue;
        };
        if let Err(err) = post(http, engine, channel, &reply).await {
            tracing::error!(error = %err, %channel, "posting to Discord failed");
        }
    }
}

async fn post(
    http: &serenity::Http,
    engine: &Engine,
    channel: ChannelId,
    reply: &Reply,
) -> anyhow::Result<()> {
    let mut message = render(reply).into_message();
    if let ReplyBody::Reveal(reveal) = &reply.body {
        // The reveal answers the question's post, so the two read together.
        let post = engine.store().post_ref(reveal.round).await?;
        if let Some(post) = post.and_then(|p| p.parse::<u64>().ok()) {
            message = message.reference_message((channel, MessageId::new(post)));
        }
    }
    let sent = channel.send_message(http, message).await?;
    if let ReplyBody::QuestionCard(card) = &reply.body {
        engine
            .store()
            .set_post_ref(card.round, &sent.id.get().to_string())
            .await?;
    }
    Ok(())
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

fn channel_ref(guild: Option<serenity::GuildId>, channel: ChannelId) -> ChannelRef {
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
    let replies = ctx.data().engine.handle(&command, Utc::now()).await;
    let mine = replies.iter().filter(|r| match &r.audience {
        Audience::Channel => true,
        Audience::User(user) => *user == command.actor.user,
    });
    for reply in mine {
        let sent = ctx.send(render(reply).into_reply()).await?;
        if let ReplyBody::QuestionCard(card) = &reply.body {
            let message = sent.message().await?;
            ctx.data()
                .engine
                .store()
                .set_post_ref(card.round, &message.id.get().to_string())
                .await?;
        }
    }
    Ok(())
}

/// Tells the user what was wrong with their input; nothing else happens.
pub async fn send_problem(ctx: Context<'_>, problem: String) -> Result<(), Error> {
    let rendered = Rendered {
        content: Some(render::fit(&problem, render::CONTENT_LIMIT)),
        ephemeral: true,
        ..Rendered::default()
    };
    ctx.send(rendered.into_reply()).await?;
    Ok(())
}

async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            // Display, not Debug: a failed request's Debug includes its URL, and an interaction's URL
            // carries its token.
            tracing::error!(error = %error, command = %ctx.command().qualified_name, "command failed");
            let _ = send_problem(
                ctx,
                "Sorry, something went wrong on my side; please try again.".into(),
            )
            .await;
        }
        other => {
            if let Err(err) = poise::builtins::on_error(other).await {
                tracing::error!(error = %err, "could not report an error to Discord");
            }
        }
    }
}

/// Buttons and modals, which poise leaves to the event handler.
async fn on_event(ctx: &serenity::Context, event: &FullEvent, data: &Data) -> Result<(), Error> {
    let FullEvent::InteractionCreate { interaction } = event else {
        return Ok(());
    };
    match interaction {
        Interaction::Component(click) => on_click(ctx, click, data).await,
        Interaction::Modal(submit) => on_modal(ctx, submit, data).await,
        _ => Ok(()),
    }
}

async fn on_click(
    ctx: &serenity::Context,
    click: &ComponentInteraction,
    data: &Data,
) -> Result<(), Error> {
    let custom_id = click.data.custom_id.as_str();
    if let Some(round) = custom_id.strip_prefix("answer:") {
        let modal = CreateModal::new(format!("answer:{round}"), "Your answer").components(vec![
            serenity::CreateActionRow::InputText(
                CreateInputText::new(
                    InputTextStyle::Paragraph,
                    "Answer in your own words",
                    ANSWER_INPUT,
                )
                .max_length(4000)
                .required(true),
            ),
        ]);
        click
            .create_response(&ctx.http, CreateInteractionResponse::Modal(modal))
            .await?;
        return Ok(());
    }
    if let Some(round) = custom_id
        .strip_prefix("result:")
        .and_then(|r| r.parse::<i64>().ok())
    {
        let command = Command {
            channel: channel_ref(click.guild_id, click.channel_id),
            actor: actor_of(&click.user, click.member.as_ref()),
            action: Action::MyResult { round },
        };
        return respond(ctx, &click.id, &click.token, data, &command).await;
    }
    Ok(())
}

async fn on_modal(
    ctx: &serenity::Context,
    submit: &ModalInteraction,
    data: &Data,
) -> Result<(), Error> {
    let text = submit
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|component| match component {
            serenity::ActionRowComponent::InputText(input) if input.custom_id == ANSWER_INPUT => {
                input.value.clone()
            }
            _ => None,
        })
        .unwrap_or_default();
    let actor = actor_of(&submit.user, submit.member.as_ref());
    let channel = channel_ref(submit.guild_id, submit.channel_id);
    let text = match AnswerText::parse(&text) {
        Ok(text) => text,
        Err(problem) => {
            let reply = Reply {
                channel,
                audience: Audience::User(actor.user),
                body: ReplyBody::Problem(problem),
            };
            let message = render(&reply).into_interaction_message();
            submit
                .create_response(&ctx.http, CreateInteractionResponse::Message(message))
                .await?;
            return Ok(());
        }
    };
    let action = match submit
        .data
        .custom_id
        .strip_prefix("answer:")
        .and_then(|r| r.parse::<i64>().ok())
    {
        Some(round) => Action::AnswerRound { round, text },
        None => Action::Answer(text),
    };
    let command = Command {
        channel,
        actor,
        action,
    };
    respond(ctx, &submit.id, &submit.token, data, &command).await
}

/// Runs a command from a button or modal and answers the interaction with the actor's reply.
async fn respond(
    ctx: &serenity::Context,
    id: &serenity::InteractionId,
    token: &str,
    data: &Data,
    command: &Command,
) -> Result<(), Error> {
    let replies = data.engine.handle(command, Utc::now()).await;
    let reply = replies.into_iter().find(|r| match &r.audience {
        Audience::Channel => true,
        Audience::User(user) => *user == command.actor.user,
    });
    if let Some(reply) = reply {
        let response =
            CreateInteractionResponse::Message(render(&reply).into_interaction_message());
        response.execute(&ctx.http, (*id, token)).await?;
    }
    Ok(())
}
