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

use crate::config::SlackConfig;
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
        let https_or_http = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()
            .context("cannot load the system's root certificates")?
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

    async fn is_workspace_admin(&self, user: &str) -> bool {
        let request = SlackApiUsersInfoRequest::new(SlackUserId::new(user.to_string()));
        match self
            .client
            .open_session(&self.token)
            .users_info(&request)
            .await
        {
            Ok(info) => {
                info.user.flags.is_admin.unwrap_or(false)
                    || info.user.flags.is_owner.unwrap_or(false)
            }
            Err(err) => {
                tracing::warn!(error = %err, "users.info failed; treating the user as not an admin");
                false
            }
        }
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
}

impl SlackApp {
    pub fn new(config: &SlackConfig, engine: Arc<Engine>) -> anyhow::Result<SlackApp> {
        Ok(SlackApp {
            engine,
            verifier: Verifier::new(&config.signing_secret),
            web: WebApi::new(config)?,
            admins: config.admins.clone(),
        })
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
    let drip = Arc::clone(&app);
    let drip_task = tokio::spawn(async move {
        let mut ticks = tokio::time::interval(drip_every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = Utc::now();
            match drip.engine.run_due_on(now, Some(Platform::Slack)).await {
                Ok(replies) => deliver(&drip, replies).await,
                Err(err) => tracing::error!(error = ?err, "the daily drip failed"),
            }
            // A question of the day whose post failed last time is posted again.
            match drip.engine.unposted_questions(Platform::Slack, now).await {
                Ok(replies) => deliver(&drip, replies).await,
                Err(err) => tracing::error!(error = ?err, "re-posting questions failed"),
            }
        }
    });
    let served = axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await;
    drip_task.abort();
    served.context("the Slack listener stopped")
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
    let text = request.text.clone().unwrap_or_default();
    let action = match parse_line(&format!("/{}", text.trim())) {
        Ok(Line::Engine(action)) => action,
        Ok(Line::Nothing) => Action::Help,
        Ok(_) => {
            return ephemeral(&format!(
                "`{}` is not an /interview command; try `/interview help`.",
                text.trim()
            ))
        }
        Err(problem) => return ephemeral(&problem.replace("`/", "`/interview ")),
    };
    let is_admin = action.needs_admin() && app.is_admin(&request.user_id).await;
    let command = Command {
        channel: ChannelRef {
            platform: Platform::Slack,
            workspace: request.team_id.clone(),
            channel: request.channel_id.clone(),
        },
        actor: Actor {
            user: request.user_id.clone(),
            display_name: request
                .user_name
                .clone()
                .unwrap_or_else(|| request.user_id.clone()),
            is_admin,
        },
        action,
    };
    let work_app = Arc::clone(&app);
    let work = tokio::spawn(async move {
        let replies = work_app.engine.handle(&command, Utc::now()).await;
        (command, replies)
    });
    let mut work = work;
    match tokio::time::timeout(INLINE_BUDGET, &mut work).await {
        Ok(Ok((command, replies))) => answer_inline(&app, &command, replies).await,
        Ok(Err(err)) => {
            tracing::error!(error = %err, "a slash command task failed");
            ephemeral("Sorry, something went wrong on my side; please try again.")
        }
        Err(_) => {
            // Slack needs an answer within 3 seconds; the result follows on the response URL.
            let response_url = request.response_url.clone();
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
            ephemeral("Working on it…")
        }
    }
}

fn is_for(reply: &Reply, command: &Command) -> bool {
    match &reply.audience {
        Audience::Channel => true,
        Audience::User(user) => *user == command.actor.user,
    }
}

/// Answers a slash command in its HTTP response (the first reply for the sender); replies for
/// others (a reveal's private results) go through the Web API.
async fn answer_inline(app: &Arc<SlackApp>, command: &Command, replies: Vec<Reply>) -> Response {
    let mut inline = None;
    for reply in replies {
        if inline.is_none() && is_for(&reply, command) {
            inline = Some(reply);
        } else if let Err(err) = post_reply(app, &reply).await {
            tracing::error!(error = ?err, "posting to Slack failed");
        }
    }
    let Some(reply) = inline else {
        return StatusCode::OK.into_response();
    };
    if let ReplyBody::QuestionCard(card) = &reply.body {
        // Posted through the Web API, so the post has a timestamp its reveal can thread under.
        return match app
            .web
            .post(&reply.channel.channel, content(&reply), None)
            .await
        {
            Ok(ts) => {
                if let Err(err) = app.engine.store().set_post_ref(card.round, &ts).await {
                    tracing::error!(error = ?err, "could not remember the question's post");
                }
                StatusCode::OK.into_response()
            }
            Err(err) => {
                tracing::error!(error = ?err, "posting the question failed");
                ephemeral("Sorry, I could not post the question; is the bot in this channel?")
            }
        };
    }
    let response_type = match reply.audience {
        Audience::Channel => SlackMessageResponseType::InChannel,
        Audience::User(_) => SlackMessageResponseType::Ephemeral,
    };
    Json(SlackCommandEventResponse::new(content(&reply)).with_response_type(response_type))
        .into_response()
}

fn ephemeral(text: &str) -> Response {
    let message = SlackMessageContent::new().with_text(render::escape(text));
    Json(
        SlackCommandEventResponse::new(message)
            .with_response_type(SlackMessageResponseType::Ephemeral),
    )
    .into_response()
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
    let outcome = match event {
        SlackInteractionEvent::BlockActions(click) => on_click(&app, click).await,
        SlackInteractionEvent::ViewSubmission(submission) => on_submission(&app, submission).await,
        _ => Ok(()),
    };
    if let Err(err) = outcome {
        tracing::error!(error = ?err, "a Slack interaction failed");
    }
    StatusCode::OK.into_response()
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
            let action = match round {
                Some(round) => Action::AnswerRound { round, text },
                None => Action::Answer(text),
            };
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
