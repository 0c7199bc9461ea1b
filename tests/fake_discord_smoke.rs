//! Smoke tests for the fake Discord in `tests/support/fake_discord.rs`: a real serenity 0.12.5
//! client with a poise 0.7.1 framework connects to it, gets READY and the guild, registers a
//! `/ping` command and answers a slash command, a button click and a modal submit; and every REST
//! answer and interaction payload the fake builds deserializes into serenity's models.
//!
//! This file owns only these proofs; the bot's own Discord tests live elsewhere.

#[path = "support/fake_discord.rs"]
mod fake_discord;

use std::sync::Arc;
use std::time::Duration;

use fake_discord::{
    FakeDiscord, RecordedRequest, APPLICATION_ID, BOT_USER_ID, CHANNEL_ID, GUILD_ID, GUILD_NAME,
};
use poise::serenity_prelude as serenity;
use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(10);
const USER_ID: u64 = 1_500_000_000_000_000_042;

type Error = Box<dyn std::error::Error + Send + Sync>;
type Context<'a> = poise::Context<'a, (), Error>;

// The guild's name comes from serenity's cache, so the answer proves GUILD_CREATE was understood.
/// Answers "pong from <guild name>"
#[poise::command(slash_command)]
async fn ping(ctx: Context<'_>) -> Result<(), Error> {
    let guild = ctx.guild().map(|guild| guild.name.clone());
    let guild = guild.unwrap_or_else(|| "a guild missing from the cache".to_owned());
    ctx.say(format!("pong from {guild}")).await?;
    Ok(())
}

/// Answers button clicks and modal submits with a message naming what arrived.
fn on_event<'a>(
    framework: poise::FrameworkContext<'a, (), Error>,
    event: &'a serenity::FullEvent,
) -> poise::BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        let serenity::FullEvent::InteractionCreate { interaction } = event else {
            return Ok(());
        };
        let ctx = framework.serenity_context;
        match interaction {
            serenity::Interaction::Component(click) => {
                let text = format!("clicked {}", click.data.custom_id);
                click.create_response(ctx, message_response(text)).await?;
            }
            serenity::Interaction::Modal(submit) => {
                let text = format!(
                    "submitted {} {}",
                    submit.data.custom_id,
                    input_values(submit)
                );
                submit.create_response(ctx, message_response(text)).await?;
            }
            _ => {}
        }
        Ok(())
    })
}

fn message_response(content: String) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new().content(content),
    )
}

/// "id=value" for each text input of a modal, comma-separated.
fn input_values(submit: &serenity::ModalInteraction) -> String {
    let inputs = submit
        .data
        .components
        .iter()
        .flat_map(|row| &row.components);
    let values: Vec<String> = inputs
        .filter_map(|component| match component {
            serenity::ActionRowComponent::InputText(input) => Some(format!(
                "{}={}",
                input.custom_id,
                input.value.as_deref().unwrap_or_default()
            )),
            _ => None,
        })
        .collect();
    values.join(",")
}

/// Shows serenity's own logs when run with e.g. `RUST_LOG=serenity=debug`: it drops gateway events
/// it cannot deserialize, and says so only there.
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::from_default_env();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

fn fake_http(fake: &FakeDiscord) -> serenity::HttpBuilder {
    serenity::HttpBuilder::new("fake-token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
}

/// A serenity client with a poise framework that registers `/ping` in the fake guild on ready.
async fn poise_client(fake: &FakeDiscord) -> serenity::Client {
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![ping()],
            event_handler: on_event,
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                let commands = &framework.options().commands;
                let guild = serenity::GuildId::new(GUILD_ID);
                poise::builtins::register_in_guild(ctx, commands, guild).await?;
                Ok(())
            })
        })
        .build();
    let intents = serenity::GatewayIntents::non_privileged();
    serenity::ClientBuilder::new_with_http(fake_http(fake).build(), intents)
        .framework(framework)
        .await
        .expect("build the serenity client")
}

/// Sends `interaction` over the gateway and waits for the bot's callback to it.
async fn dispatch_and_wait_for_callback(fake: &FakeDiscord, interaction: Value) -> RecordedRequest {
    let id = interaction["id"]
        .as_str()
        .expect("interaction id")
        .to_owned();
    let token = interaction["token"]
        .as_str()
        .expect("interaction token")
        .to_owned();
    fake.dispatch("INTERACTION_CREATE", interaction);
    let path = format!("/api/v10/interactions/{id}/{token}/callback");
    fake.wait_for_request(|r| r.method == "POST" && r.path == path, TIMEOUT)
        .await
        .expect("the bot answers the interaction")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_poise_bot_registers_and_answers_interactions_over_the_fake_gateway() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let mut client = poise_client(&fake).await;
    let http = Arc::clone(&client.http);
    let bot = tokio::spawn(async move { client.start().await });

    fake.wait_for_ready(TIMEOUT).await.expect("READY");
    let identify = fake.identify_payload().expect("IDENTIFY payload");
    assert_eq!(identify["token"], "Bot fake-token");

    let commands = fake
        .wait_for_commands(TIMEOUT)
        .await
        .expect("/ping registered");
    assert_eq!(commands[0]["name"], "ping");
    let registration = format!("/api/v10/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands");
    assert!(fake
        .requests()
        .iter()
        .any(|r| r.method == "PUT" && r.path == registration));

    let slash = fake.slash_command("ping", json!([]), USER_ID, "Alice", "0");
    let callback = dispatch_and_wait_for_callback(&fake, slash).await;
    assert_eq!(callback.body["type"], 4);
    assert_eq!(
        callback.body["data"]["content"],
        format!("pong from {GUILD_NAME}")
    );

    let buttons = vec![serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new("answer").label("Answer"),
    ])];
    let question = serenity::CreateMessage::new()
        .content("Question 1")
        .components(buttons);
    let posted = serenity::ChannelId::new(CHANNEL_ID)
        .send_message(&http, question)
        .await
        .expect("post a message with a button");
    assert_eq!(posted.author.id.get(), BOT_USER_ID);
    let recorded_post = fake
        .wait_for_request(
            |r| r.method == "POST" && r.path.ends_with("/messages"),
            TIMEOUT,
        )
        .await
        .expect("the post was recorded");

    let click = fake.button_click("answer", recorded_post.body, USER_ID, "Alice", "0");
    assert_eq!(click["message"]["content"], "Question 1");
    let callback = dispatch_and_wait_for_callback(&fake, click).await;
    assert_eq!(callback.body["type"], 4);
    assert_eq!(callback.body["data"]["content"], "clicked answer");

    let inputs = [("answer", "forty-two"), ("confidence", "high")];
    let submit = fake.modal_submit("answer-modal", &inputs, USER_ID, "Alice", "0");
    let callback = dispatch_and_wait_for_callback(&fake, submit).await;
    assert_eq!(callback.body["type"], 4);
    assert_eq!(
        callback.body["data"]["content"],
        "submitted answer-modal answer=forty-two,confidence=high"
    );

    assert!(!bot.is_finished(), "the client is still connected");
    bot.abort();
}

#[tokio::test]
async fn rest_answers_and_interaction_payloads_parse_as_serenity_models() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let http = fake_http(&fake)
        .application_id(serenity::ApplicationId::new(APPLICATION_ID))
        .build();
    let channel = serenity::ChannelId::new(CHANNEL_ID);

    let gateway = http.get_gateway().await.expect("GET gateway");
    assert_eq!(gateway.url, fake.gateway_url());
    let me = http.get_current_user().await.expect("GET users/@me");
    assert_eq!(me.id.get(), BOT_USER_ID);
    assert!(me.bot);

    let ping = serenity::CreateCommand::new("ping")
        .description("Ping")
        .default_member_permissions(serenity::Permissions::MANAGE_GUILD);
    let registered = serenity::GuildId::new(GUILD_ID)
        .set_commands(&http, vec![ping])
        .await
        .expect("PUT guild commands");
    assert_eq!(registered[0].name, "ping");
    assert_eq!(
        registered[0].guild_id,
        Some(serenity::GuildId::new(GUILD_ID))
    );

    // A slash command carries the registered id and the member's permissions.
    let payload = fake.slash_command("ping", json!([]), USER_ID, "Alice", "32");
    let serenity::Interaction::Command(command) = parse_interaction(payload) else {
        panic!("a slash command is a Command interaction");
    };
    assert_eq!(command.data.id, registered[0].id);
    assert_eq!(command.user.name, "Alice");
    let member = command.member.as_ref().expect("guild member");
    assert_eq!(
        member.permissions,
        Some(serenity::Permissions::MANAGE_GUILD)
    );

    // Initial response, then fetch, edit and follow up; a second initial response is refused.
    let first = serenity::CreateInteractionResponseMessage::new()
        .content("first")
        .ephemeral(true);
    command
        .create_response(&http, serenity::CreateInteractionResponse::Message(first))
        .await
        .expect("POST callback");
    let original = command.get_response(&http).await.expect("GET @original");
    assert_eq!(original.content, "first");
    assert_eq!(original.flags, Some(serenity::MessageFlags::EPHEMERAL));
    let edit = serenity::EditInteractionResponse::new().content("edited");
    let edited = command
        .edit_response(&http, edit)
        .await
        .expect("PATCH @original");
    assert_eq!(
        (edited.id, edited.content.as_str()),
        (original.id, "edited")
    );
    let more = serenity::CreateInteractionResponseFollowup::new().content("more");
    let followup = command
        .create_followup(&http, more)
        .await
        .expect("POST follow-up");
    assert_eq!(followup.content, "more");
    let twice = command
        .create_response(&http, serenity::CreateInteractionResponse::Acknowledge)
        .await;
    assert!(twice.is_err(), "an interaction can be answered only once");

    // After a deferral, the first follow-up fills in the "thinking…" message, ephemeral or not.
    let payload = fake.slash_command("ping", json!([]), USER_ID, "Alice", "0");
    let serenity::Interaction::Command(deferred) = parse_interaction(payload) else {
        panic!("a slash command is a Command interaction");
    };
    deferred
        .defer_ephemeral(&http)
        .await
        .expect("POST deferral");
    let thinking = deferred.get_response(&http).await.expect("GET @original");
    let done = serenity::CreateInteractionResponseFollowup::new().content("done");
    let done = deferred
        .create_followup(&http, done)
        .await
        .expect("POST follow-up");
    assert_eq!((done.id, done.content.as_str()), (thinking.id, "done"));
    assert_eq!(done.flags, Some(serenity::MessageFlags::EPHEMERAL));

    // A direct message: the DM channel opens (the same one each time) and takes a message; once
    // the user refuses DMs, Discord answers 403 with code 50007.
    let alice = serenity::UserId::new(USER_ID);
    let dm = alice
        .create_dm_channel(&http)
        .await
        .expect("POST users/@me/channels");
    assert_eq!(dm.kind, serenity::ChannelType::Private);
    assert_eq!(dm.recipient.name, "Alice");
    let again = alice
        .create_dm_channel(&http)
        .await
        .expect("POST users/@me/channels");
    assert_eq!(again.id, dm.id);
    let hello = serenity::CreateMessage::new().content("hello");
    let hello = dm.id.send_message(&http, hello).await.expect("POST DM");
    assert_eq!((hello.channel_id, hello.content.as_str()), (dm.id, "hello"));
    fake.close_dms(USER_ID);
    let refused = serenity::CreateMessage::new().content("hello again");
    match dm.id.send_message(&http, refused).await {
        Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response))) => {
            assert_eq!(response.status_code.as_u16(), 403);
            assert_eq!(response.error.code, 50007);
            assert_eq!(response.error.message, "Cannot send messages to this user");
        }
        other => panic!("a refused DM is Discord's 403: {other:?}"),
    }
    assert_eq!(fake.direct_messages(USER_ID).len(), 1, "only the first");

    // Channel messages: embed and button, a reply, a thread, an upload.
    let question = serenity::CreateMessage::new()
        .content("Question 1")
        .embed(
            serenity::CreateEmbed::new()
                .title("Q1")
                .field("Topic", "Rust", false),
        )
        .components(vec![serenity::CreateActionRow::Buttons(vec![
            serenity::CreateButton::new("answer").label("Answer"),
        ])]);
    let question = channel
        .send_message(&http, question)
        .await
        .expect("POST message");
    assert_eq!(question.author.id.get(), BOT_USER_ID);
    assert_eq!(question.embeds[0].title.as_deref(), Some("Q1"));
    assert_eq!(question.components[0].components.len(), 1);
    let reveal = serenity::CreateMessage::new()
        .content("The answer")
        .reference_message((channel, question.id));
    let reveal = channel
        .send_message(&http, reveal)
        .await
        .expect("POST reply");
    let reference = reveal.message_reference.expect("reply reference");
    assert_eq!(reference.message_id, Some(question.id));
    let thread = serenity::CreateThread::new("Discussion");
    let thread = channel
        .create_thread_from_message(&http, question.id, thread)
        .await
        .expect("POST thread");
    assert_eq!(thread.id.get(), question.id.get());
    assert_eq!(thread.parent_id, Some(channel));
    let upload = serenity::CreateMessage::new()
        .content("notes attached")
        .add_file(serenity::CreateAttachment::bytes(
            b"hello".to_vec(),
            "notes.txt",
        ));
    let upload = channel
        .send_message(&http, upload)
        .await
        .expect("POST upload");
    assert_eq!(upload.attachments[0].filename, "notes.txt");
    assert_eq!(upload.attachments[0].size, 5);
    let recorded_upload = fake.requests().pop().expect("the upload was recorded");
    assert_eq!(recorded_upload.body["content"], "notes attached");

    // A click on a message the fake knows, and UPDATE_MESSAGE edits that message.
    let known = fake
        .messages()
        .into_iter()
        .find(|m| m["id"] == question.id.to_string())
        .expect("the fake keeps the question");
    let payload = fake.button_click("answer", known, USER_ID, "Bob", "0");
    let serenity::Interaction::Component(click) = parse_interaction(payload) else {
        panic!("a button click is a Component interaction");
    };
    assert_eq!(click.data.custom_id, "answer");
    assert_eq!(click.message.id, question.id);
    let update = serenity::CreateInteractionResponseMessage::new().content("Question 1 (closed)");
    click
        .create_response(
            &http,
            serenity::CreateInteractionResponse::UpdateMessage(update),
        )
        .await
        .expect("POST update callback");
    let updated = http
        .get_message(channel, question.id)
        .await
        .expect("GET message");
    assert_eq!(updated.content, "Question 1 (closed)");

    // A click on a bare message body (as the bot posted it) is completed into a full message.
    let bare = json!({ "content": "Question 2", "components": [] });
    let payload = fake.button_click("answer", bare, USER_ID, "Bob", "0");
    let serenity::Interaction::Component(click) = parse_interaction(payload) else {
        panic!("a button click is a Component interaction");
    };
    assert_eq!(click.message.content, "Question 2");

    let payload = fake.modal_submit("answer-modal", &[("answer", "42")], USER_ID, "Bob", "0");
    let serenity::Interaction::Modal(submit) = parse_interaction(payload) else {
        panic!("a modal submit is a Modal interaction");
    };
    assert_eq!(input_values(&submit), "answer=42");

    // Anything else is a recorded 404.
    let unknown = http.get_guild(serenity::GuildId::new(GUILD_ID)).await;
    assert!(unknown.is_err());
    let last = fake
        .requests()
        .pop()
        .expect("the unknown call was recorded");
    assert_eq!(
        (last.method.as_str(), last.path.as_str()),
        ("GET", "/api/v10/guilds/1200000000000000001")
    );
}

fn parse_interaction(payload: Value) -> serenity::Interaction {
    serde_json::from_value(payload).expect("the payload deserializes as a serenity Interaction")
}
