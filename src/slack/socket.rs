//! Socket Mode: Slack sends commands and interactions over a WebSocket the bot opens with its app
//! token (`SLACK_APP_TOKEN`), for workspaces where the bot has no public URL. Events are handed to
//! the same handling as HTTP mode.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use slack_morphism::prelude::*;

use super::client::Connector;
use super::commands::{run_interaction, run_slash, SlashCommand};
use super::SlackApp;
use crate::config::Secret;
use crate::deliver;

/// Socket Mode: Slack sends commands and interactions over WebSockets the bot opens with its app token
/// (`SLACK_APP_TOKEN`), for workspaces where the bot has no public URL. Runs the daily drip for Slack
/// channels too, until `shutdown`.
pub async fn serve_socket_mode(
    app: Arc<SlackApp>,
    app_token: &Secret,
    drip_every: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let client = Arc::new(app.web.client.clone());
    let callbacks = SlackSocketModeListenerCallbacks::new()
        .with_command_events(socket_command)
        .with_interaction_events(socket_interaction);
    let environment = Arc::new(
        SlackClientEventsListenerEnvironment::new(client).with_user_state(Arc::clone(&app)),
    );
    let listener = SlackClientSocketModeListener::new(
        &SlackClientSocketModeConfig::new(),
        environment,
        callbacks,
    );
    let token = SlackApiToken::new(SlackApiTokenValue::new(app_token.expose().to_string()));
    listener
        .listen_for(&token)
        .await
        .context("cannot open Slack's Socket Mode connection (apps.connections.open)")?;
    listener.start().await;
    let drip = deliver::spawn_drip(Arc::clone(&app.engine), app, drip_every);
    shutdown.await;
    drip.abort();
    listener.shutdown().await;
    Ok(())
}

fn app_of(states: &SlackClientEventsUserStateStorage) -> UserCallbackResult<Arc<SlackApp>> {
    states
        .get_user_state::<Arc<SlackApp>>()
        .cloned()
        .ok_or_else(|| "the Socket Mode listener has no app state".into())
}

async fn socket_command(
    event: SlackCommandEvent,
    _client: Arc<SlackClient<Connector>>,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<SlackCommandEventResponse> {
    let app = app_of(&*states.read().await)?;
    // Socket Mode's command events carry no user name; Slack is asked once per user.
    let user_name = app.name_of(event.user_id.as_ref()).await;
    let request = SlashCommand {
        team_id: event.team_id.to_string(),
        channel_id: event.channel_id.to_string(),
        user_id: event.user_id.to_string(),
        user_name,
        text: event.text,
        response_url: event.response_url.value().to_string(),
    };
    Ok(run_slash(&app, request)
        .await
        .unwrap_or_else(|| SlackCommandEventResponse::new(SlackMessageContent::new())))
}

async fn socket_interaction(
    event: SlackInteractionEvent,
    _client: Arc<SlackClient<Connector>>,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    let app = app_of(&*states.read().await)?;
    // The envelope is acknowledged when this returns, as HTTP mode answers 200 before the work: a
    // slow click or form neither keeps Slack waiting nor holds up the submissions behind it.
    tokio::spawn(async move { run_interaction(&app, event).await });
    Ok(())
}
