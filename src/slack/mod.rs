//! The Slack front door: an axum app for the `/interview` slash command (`POST /slack/commands`) and
//! for buttons and modals (`POST /slack/interactions`), every request verified against the signing
//! secret; and slack-morphism's Web API client for posts, private messages and modals. It only
//! translates: Slack requests become engine commands, engine replies become Block Kit messages.

pub mod render;
pub mod verify;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use serde::Deserialize;
use slack_morphism::prelude::*;

use crate::config::{Secret, SlackConfig};
use crate::console::parse::{parse_line, Line};
use crate::core::command::{Action, Actor, AnswerText, ChannelRef, Command, Platform};
use crate::core::reply::{Audience, Reply, ReplyBody};
use crate::engine::Engine;
use render::{content, ANSWER_ACTION, RESULT_ACTION};
use verify::Verifier;

/// How long a slash command may work before Slack's 3-second deadline makes us answer "working on
/// it" and send the result to the command's `response_url` instead.
const INLINE_BUDGET: Duration = Duration::from_millis(2000);
/// The modal's callback id and its answer input.
const ANSWER_MODAL: &str = "answer";
const ANSWER_BLOCK: &str = "answer_block";
const ANSWER_INPUT: &str = "answer_input";

type Connector = SlackClientHyperConnector<HttpsConnector<HttpConnector>>;

/// Slack's Web API, with the bot token.
pub struct WebApi {
    client: SlackClient<Connector>,
    token: SlackApiToken,
}

impl WebApi {
    /// A client for `api_url` (Slack's own when `None`); a plain `http://` URL (a proxy or a test
    /// fake) works too.
    pub fn new(config: &SlackConfig) -> anyhow::Result<WebApi> {
        // Bundled root certificates, as serenity uses: the bot needs no CA bundle on the host (the
        // slim container image has none).
        let https_or_http = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        let mut connector = SlackClientHyperConnector::with_connector(https_or_http);
        if let Some(url) = &config.api_url {
            // slack-morphism joins the base and the method with a `/`.
            connector = connector.with_slack_api_url(url.trim_end_matches('/'));
        }
        Ok(WebApi {
            client: SlackClient::new(connector),
            token: SlackApiToken::new(SlackApiTokenValue::new(
                config.bot_token.expose().to_string(),
            )),
        })
    }

    async fn post(
        &self,
        channel: &str,
        message: SlackMessageContent,
        thread: Option<String>,
    ) -> anyhow::Result<String> {
        let mut request =
            SlackApiChatPostMessageRequest::new(SlackChannelId::new(channel.to_string()), message);
        if let Some(thread) = thread {
            request = request.with_thread_ts(SlackTs::new(thread));
        }
        let posted = self
            .client
            .open_session(&self.token)
            .chat_post_message(&request)
            .await?;
        Ok(posted.ts.to_string())
    }

    async fn post_private(
        &self,
        channel: &str,
        user: &str,
        message: SlackMessageContent,
    ) -> anyhow::Result<()> {
        let request = SlackApiChatPostEphemeralRequest::new(
            SlackChannelId::new(channel.to_string()),
            SlackUserId::new(user.to_string()),
            message,
        );
        self.client
            .open_session(&self.token)
            .chat_post_ephemeral(&request)
            .await?;
        Ok(())
    }

    async fn open_answer_modal(
        &self,
        trigger: &str,
        round: &str,
        channel: &str,
    ) -> anyhow::Result<()> {
        let input = SlackInputBlock::new(
            SlackBlockPlainTextOnly::from("Answer in your own words"),
            SlackInputBlockElement::PlainTextInput(
                SlackBlockPlainTextInputElement::new()
                    .with_action_id(SlackActionId::new(ANSWER_INPUT.to_string()))
                    .with_multiline(true)
                    .with_max_length(4000),
            ),
        )
        .with_block_id(SlackBlockId::new(ANSWER_BLOCK.to_string()));
        let view = SlackView::Modal(
            SlackModalView::new(
                SlackBlockPlainTextOnly::from("Your answer"),
                vec![SlackBlock::Input(input)],
            )
            .with_submit(SlackBlockPlainTextOnly::from("Send"))
            .with_callback_id(SlackCallbackId::new(ANSWER_MODAL.to_string()))
            .with_private_metadata(format!("{channel}:{round}")),
        );
        let request = SlackApiViewsOpenRequest::new(SlackTriggerId::new(trigger.to_string()), view);
        self.client
            .open_session(&self.token)
            .views_open(&request)
            .await?;
        Ok(())
    }

    /// What Slack says of a user: whether they administer the workspace, and the name to show.
    async fn user_info(&self, user: &str) -> Option<(bool, Option<String>)> {
        let request = SlackApiUsersInfoRequest::new(SlackUserId::new(user.to_string()));
        match self
            .client
            .open_session(&self.token)
            .users_info(&request)
            .await
        {
            Ok(info) => {
                let user = info.user;
                let is_admin =
                    user.flags.is_admin.unwrap_or(false) || user.flags.is_owner.unwrap_or(false);
                let name = user
                    .profile
                    .as_ref()
                    .and_then(|p| p.display_name.clone().filter(|n| !n.is_empty()))
                    .or(user.real_name)
                    .or(user.name);
                Some((is_admin, name))
            }
            Err(err) => {
                tracing::warn!(error = %err, "users.info failed");
                None
            }
        }
    }

    async fn is_workspace_admin(&self, user: &str) -> bool {
        // Unknown means not an admin: a failed look-up never grants rights.
        self.user_info(user)
            .await
            .is_some_and(|(is_admin, _)| is_admin)
    }

    /// Answers a slash command later, privately, through its response URL.
    async fn respond_privately(
        &self,
        response_url: &str,
        message: SlackMessageContent,
    ) -> anyhow::Result<()> {
        let url = SlackResponseUrl::new(response_url.parse().context("response_url is not a URL")?);
        self.client
            .respond_to_event(&url, &SlackApiPostWebhookMessageRequest::new(message))
            .await?;
        Ok(())
    }
}

/// Everything the handlers share.
pub struct SlackApp {
    pub engine: Arc<Engine>,
    verifier: Verifier,
    web: WebApi,
    admins: Vec<String>,
    inline_budget: Duration,
    /// Display names looked up for users whose events carry none (Socket Mode slash commands).
    names: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

impl SlackApp {
    pub fn new(config: &SlackConfig, engine: Arc<Engine>) -> anyhow::Result<SlackApp> {
        Ok(SlackApp {
            engine,
            verifier: Verifier::new(&config.signing_secret),
            web: WebApi::new(config)?,
            admins: config.admins.clone(),
            inline_budget: INLINE_BUDGET,
            names: std::sync::Mutex::new(std::collections::HashMap::new()),
        })
    }

    /// A user's display name from Slack, looked up once per user.
    async fn name_of(&self, user: &str) -> Option<String> {
        let cached = self
            .names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(user)
            .cloned();
        if cached.is_some() {
            return cached;
        }
        let name = self.web.user_info(user).await.and_then(|(_, name)| name)?;
        self.names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(user.to_string(), name.clone());
        Some(name)
    }

    /// How long a command may work before it is acknowledged and answered on its `response_url`.
    pub fn with_inline_budget(mut self, budget: Duration) -> SlackApp {
        self.inline_budget = budget;
        self
    }

    /// Admins are the users listed in `SLACK_ADMIN_USER_IDS` and the workspace's admins and owners.
    async fn is_admin(&self, user: &str) -> bool {
        self.admins.iter().any(|a| a == user) || self.web.is_workspace_admin(user).await
    }
}

/// The routes Slack calls.
pub fn router(app: Arc<SlackApp>) -> Router {
    Router::new()
        .route("/slack/commands", post(slash_command))
        .route("/slack/interactions", post(interaction))
        .with_state(app)
}

/// Serves the Slack routes on `listener` and runs the daily drip for Slack channels until `shutdown`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<SlackApp>,
    drip_every: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let drip = spawn_drip(Arc::clone(&app), drip_every);
    let served = axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await;
    drip.abort();
    served.context("the Slack listener stopped")
}

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
    let drip = spawn_drip(app, drip_every);
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
    run_interaction(&app, event).await;
    Ok(())
}

/// Runs the daily drip for Slack channels every `every`, posting what it opens and reveals.
fn spawn_drip(app: Arc<SlackApp>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = Utc::now();
            match app.engine.run_due_on(now, Some(Platform::Slack)).await {
                Ok(replies) => deliver(&app, replies).await,
                Err(err) => tracing::error!(error = ?err, "the daily drip failed"),
            }
            // A question of the day whose post failed last time is posted again.
            match app.engine.unposted_questions(Platform::Slack, now).await {
                Ok(replies) => deliver(&app, replies).await,
                Err(err) => tracing::error!(error = ?err, "re-posting questions failed"),
            }
        }
    })
}

/// Posts replies no request is waiting for: questions and reveals (in the question's thread), and
/// each answerer's private result.
pub async fn deliver(app: &SlackApp, replies: Vec<Reply>) {
    for reply in replies {
        if reply.channel.platform != Platform::Slack {
            continue;
        }
        if let Err(err) = post_reply(app, &reply).await {
            tracing::error!(error = ?err, channel = %reply.channel.channel, "posting to Slack failed");
        }
    }
}

async fn post_reply(app: &SlackApp, reply: &Reply) -> anyhow::Result<()> {
    let channel = reply.channel.channel.as_str();
    match &reply.audience {
        Audience::User(user) => app.web.post_private(channel, user, content(reply)).await,
        Audience::Channel => {
            let thread = match &reply.body {
                ReplyBody::Reveal(reveal) => app.engine.store().post_ref(reveal.round).await?,
                _ => None,
            };
            let ts = app.web.post(channel, content(reply), thread).await?;
            if let ReplyBody::QuestionCard(card) = &reply.body {
                app.engine.store().set_post_ref(card.round, &ts).await?;
            }
            Ok(())
        }
    }
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        "invalid or missing Slack signature",
    )
        .into_response()
}

/// The fields of a slash command request this bot uses.
#[derive(Debug, Deserialize)]
struct SlashCommand {
    team_id: String,
    channel_id: String,
    user_id: String,
    user_name: Option<String>,
    text: Option<String>,
    response_url: String,
}

async fn slash_command(
    State(app): State<Arc<SlackApp>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if app.verifier.verify(&headers, &body).is_err() {
        return unauthorized();
    }
    let Ok(request) = serde_urlencoded::from_bytes::<SlashCommand>(&body) else {
        return (StatusCode::BAD_REQUEST, "not a slash command").into_response();
    };
    match run_slash(&app, request).await {
        Some(response) => Json(response).into_response(),
        None => StatusCode::OK.into_response(),
    }
}

/// Runs an `/interview` command and returns what to answer it with at once (`None`: nothing, the
/// reply was posted through the Web API). Shared by HTTP mode and Socket Mode.
async fn run_slash(
    app: &Arc<SlackApp>,
    request: SlashCommand,
) -> Option<SlackCommandEventResponse> {
    let text = request.text.clone().unwrap_or_default();
    let action = match parse_line(&format!("/{}", text.trim())) {
        Ok(Line::Engine(action)) => action,
        Ok(Line::Nothing) => Action::Help,
        Ok(_) => {
            return Some(ephemeral(&format!(
                "`{}` is not an /interview command; try `/interview help`.",
                text.trim()
            )))
        }
        Err(problem) => return Some(ephemeral(&problem.replace("`/", "`/interview "))),
    };
    let channel = ChannelRef {
        platform: Platform::Slack,
        workspace: request.team_id.clone(),
        channel: request.channel_id.clone(),
    };
    let user = request.user_id.clone();
    let display_name = request
        .user_name
        .clone()
        .unwrap_or_else(|| request.user_id.clone());
    let work_app = Arc::clone(app);
    // Everything, the admin look-up included, counts against the time Slack allows.
    let mut work = tokio::spawn(async move {
        // Admins may also reveal the question of the day early.
        let wants_admin = action.needs_admin() || matches!(action, Action::Reveal);
        let is_admin = wants_admin && work_app.is_admin(&user).await;
        let command = Command {
            channel,
            actor: Actor {
                user,
                display_name,
                is_admin,
            },
            action,
        };
        let replies = work_app.engine.handle(&command, Utc::now()).await;
        (command, replies)
    });
    match tokio::time::timeout(app.inline_budget, &mut work).await {
        Ok(Ok((command, replies))) => answer_inline(app, &command, replies).await,
        Ok(Err(err)) => {
            tracing::error!(error = %err, "a slash command task failed");
            Some(ephemeral(
                "Sorry, something went wrong on my side; please try again.",
            ))
        }
        Err(_) => {
            // Slack needs an answer within 3 seconds; the result follows on the response URL.
            let response_url = request.response_url.clone();
            let app = Arc::clone(app);
            tokio::spawn(async move {
                if let Ok((command, replies)) = work.await {
                    for reply in replies {
                        // A public reply goes to the channel; the sender's private one answers the command.
                        let result = match &reply.audience {
                            Audience::User(user) if *user == command.actor.user => {
                                app.web
                                    .respond_privately(&response_url, content(&reply))
                                    .await
                            }
                            _ => post_reply(&app, &reply).await,
                        };
                        if let Err(err) = result {
                            tracing::error!(error = ?err, "a late Slack reply failed");
                        }
                    }
                }
            });
            Some(ephemeral("Working on it…"))
        }
    }
}

fn is_for(reply: &Reply, command: &Command) -> bool {
    match &reply.audience {
        Audience::Channel => true,
        Audience::User(user) => *user == command.actor.user,
    }
}

/// Answers a slash command at once with the first reply for the sender; replies for others (a
/// reveal's private results) go through the Web API.
async fn answer_inline(
    app: &Arc<SlackApp>,
    command: &Command,
    replies: Vec<Reply>,
) -> Option<SlackCommandEventResponse> {
    let mut inline = None;
    let mut later = Vec::new();
    for reply in replies {
        // A question and a reveal are posted through the Web API: the question so its reveal can
        // thread under it, the reveal into that thread.
        let posted = matches!(
            reply.body,
            ReplyBody::QuestionCard(_) | ReplyBody::Reveal(_)
        );
        if inline.is_none() && is_for(&reply, command) && !posted {
            inline = Some(reply);
        } else {
            later.push(reply);
        }
    }
    if !later.is_empty() {
        // Posting may take longer than Slack waits for the answer to the command.
        let app = Arc::clone(app);
        let user = command.actor.user.clone();
        tokio::spawn(async move {
            for reply in later {
                if let Err(err) = post_reply(&app, &reply).await {
                    tracing::error!(error = ?err, "posting to Slack failed");
                    let sorry = Reply {
                        channel: reply.channel.clone(),
                        audience: Audience::User(user.clone()),
                        body: ReplyBody::Problem(
                            "I could not post to this channel; is the bot invited to it?".into(),
                        ),
                    };
                    let _ = app
                        .web
                        .post_private(&reply.channel.channel, &user, content(&sorry))
                        .await;
                }
            }
        });
    }
    let reply = inline?;
    let response_type = match reply.audience {
        Audience::Channel => SlackMessageResponseType::InChannel,
        Audience::User(_) => SlackMessageResponseType::Ephemeral,
    };
    Some(SlackCommandEventResponse::new(content(&reply)).with_response_type(response_type))
}

fn ephemeral(text: &str) -> SlackCommandEventResponse {
    let message = SlackMessageContent::new().with_text(render::escape(text));
    SlackCommandEventResponse::new(message).with_response_type(SlackMessageResponseType::Ephemeral)
}

#[derive(Debug, Deserialize)]
struct InteractionForm {
    payload: String,
}

async fn interaction(
    State(app): State<Arc<SlackApp>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if app.verifier.verify(&headers, &body).is_err() {
        return unauthorized();
    }
    let payload = serde_urlencoded::from_bytes::<InteractionForm>(&body)
        .ok()
        .and_then(|form| serde_json::from_str::<SlackInteractionEvent>(&form.payload).ok());
    let Some(event) = payload else {
        return (StatusCode::BAD_REQUEST, "not an interaction").into_response();
    };
    // Slack closes the modal or the button's spinner on this 200; the work follows, and its outcome
    // reaches the user as an ephemeral message.
    tokio::spawn(async move { run_interaction(&app, event).await });
    StatusCode::OK.into_response()
}

/// Handles a button click or a modal submission. Shared by HTTP mode and Socket Mode.
async fn run_interaction(app: &Arc<SlackApp>, event: SlackInteractionEvent) {
    let outcome = match event {
        SlackInteractionEvent::BlockActions(click) => on_click(app, click).await,
        SlackInteractionEvent::ViewSubmission(submission) => on_submission(app, submission).await,
        _ => Ok(()),
    };
    if let Err(err) = outcome {
        tracing::error!(error = ?err, "a Slack interaction failed");
    }
}

async fn on_click(
    app: &Arc<SlackApp>,
    click: SlackInteractionBlockActionsEvent,
) -> anyhow::Result<()> {
    let Some(action) = click.actions.as_ref().and_then(|a| a.first()) else {
        return Ok(());
    };
    let round = action.value.clone().unwrap_or_default();
    let channel = click
        .channel
        .as_ref()
        .map(|c| c.id.to_string())
        .unwrap_or_default();
    match action.action_id.to_string().as_str() {
        ANSWER_ACTION => {
            app.web
                .open_answer_modal(click.trigger_id.as_ref(), &round, &channel)
                .await
        }
        RESULT_ACTION => {
            let Ok(round) = round.parse::<i64>() else {
                return Ok(());
            };
            let command = Command {
                channel: ChannelRef {
                    platform: Platform::Slack,
                    workspace: click.team.id.to_string(),
                    channel: channel.clone(),
                },
                actor: Actor {
                    user: click
                        .user
                        .as_ref()
                        .map(|u| u.id.to_string())
                        .unwrap_or_default(),
                    display_name: click
                        .user
                        .as_ref()
                        .and_then(|u| u.username.clone())
                        .unwrap_or_default(),
                    is_admin: false,
                },
                action: Action::MyResult { round },
            };
            for reply in app.engine.handle(&command, Utc::now()).await {
                post_reply(app, &reply).await?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

async fn on_submission(
    app: &Arc<SlackApp>,
    submission: SlackInteractionViewSubmissionEvent,
) -> anyhow::Result<()> {
    let SlackView::Modal(modal) = &submission.view.view else {
        return Ok(());
    };
    let metadata = modal.private_metadata.clone().unwrap_or_default();
    let Some((channel, round)) = metadata.split_once(':') else {
        return Ok(());
    };
    let round = round.parse::<i64>().ok();
    let Some(round) = round else {
        let reply = Reply {
            channel: ChannelRef {
                platform: Platform::Slack,
                workspace: submission.team.id.to_string(),
                channel: channel.to_string(),
            },
            audience: Audience::User(submission.user.id.to_string()),
            body: ReplyBody::Problem("This answer form is no longer valid; use the Answer button on the current question.".into()),
        };
        return post_reply(app, &reply).await;
    };
    let text = submission
        .view
        .state_params
        .state
        .as_ref()
        .and_then(|state| {
            state
                .values
                .get(&SlackBlockId::new(ANSWER_BLOCK.to_string()))
        })
        .and_then(|block| block.get(&SlackActionId::new(ANSWER_INPUT.to_string())))
        .and_then(|input| input.value.clone())
        .unwrap_or_default();
    let actor = Actor {
        user: submission.user.id.to_string(),
        display_name: submission
            .user
            .username
            .clone()
            .unwrap_or_else(|| submission.user.id.to_string()),
        is_admin: false,
    };
    let channel = ChannelRef {
        platform: Platform::Slack,
        workspace: submission.team.id.to_string(),
        channel: channel.to_string(),
    };
    let replies = match AnswerText::parse(&text) {
        Ok(text) => {
            let action = Action::AnswerRound { round, text };
            let command = Command {
                channel,
                actor,
                action,
            };
            app.engine.handle(&command, Utc::now()).await
        }
        Err(problem) => vec![Reply {
            channel,
            audience: Audience::User(actor.user),
            body: ReplyBody::Problem(problem),
        }],
    };
    for reply in replies {
        post_reply(app, &reply).await?;
    }
    Ok(())
}
