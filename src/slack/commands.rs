//! The `/interview` command, button clicks and answer modals, as both HTTP mode and Socket Mode
//! deliver them: the command's text goes through the shared grammar, clicks and forms through the
//! shared delivery helpers, and replies go back inline, on the `response_url`, or through the Web API.

use std::sync::Arc;

use chrono::Utc;
use serde::Deserialize;
use slack_morphism::prelude::*;

use super::answer_form::AnswerForm;
use super::client::{ANSWER_BLOCK, ANSWER_INPUT};
use super::render::{self, content};
use super::SlackApp;
use crate::core::command::{Action, Actor, ChannelRef, Command, MockAction, Platform};
use crate::core::grammar::Grammar;
use crate::core::reply::{Audience, Button, Reply, ReplyBody, SORRY};
use crate::deliver::{self, Click, DeliveryError};

const CANNOT_POST: &str = "I could not post to this channel; is the bot invited to it?";

/// The fields of a slash command request this bot uses.
#[derive(Debug, Deserialize)]
pub(super) struct SlashCommand {
    pub team_id: String,
    pub channel_id: String,
    pub user_id: String,
    pub user_name: Option<String>,
    pub text: Option<String>,
    pub response_url: String,
}

/// Runs an `/interview` command and returns what to answer it with at once (`None`: nothing, the
/// reply was posted through the Web API).
pub(super) async fn run_slash(
    app: &Arc<SlackApp>,
    request: SlashCommand,
) -> Option<SlackCommandEventResponse> {
    let text = request.text.clone().unwrap_or_default();
    let action = match Grammar::of(Platform::Slack).parse(&text) {
        Ok(Some(action)) => action,
        Ok(None) => Action::Help,
        Err(problem) => return Some(ephemeral(&problem)),
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
        let mut action = action;
        // Slack says who each named candidate is: a bot cannot answer, and a bare mention is shown
        // by the name Slack gives the user.
        if let Action::Mock {
            action: MockAction::Start(start),
            ..
        } = &mut action
        {
            for candidate in &mut start.candidates {
                if let Some(facts) = work_app.web.user_info(&candidate.user).await {
                    candidate.is_bot = facts.is_bot;
                    if candidate.display_name.is_none() {
                        candidate.display_name = facts.name;
                    }
                }
            }
        }
        // Slack is asked about the user only when the engine's rules could care.
        let is_admin = action.may_need_admin() && work_app.is_admin(&user).await;
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
    // A zero budget answers every command late, even one whose work is already done.
    let finished = match app.inline_budget.is_zero() {
        true => None,
        false => tokio::time::timeout(app.inline_budget, &mut work)
            .await
            .ok(),
    };
    match finished {
        Some(Ok((command, replies))) => {
            answer_inline(app, &command, replies, &request.response_url)
        }
        Some(Err(err)) => {
            tracing::error!(error = %err, "a slash command task failed");
            Some(ephemeral(SORRY))
        }
        None => {
            // Slack needs an answer within 3 seconds; the result follows on the response URL.
            let response_url = request.response_url.clone();
            let app = Arc::clone(app);
            tokio::spawn(async move {
                let Ok((command, replies)) = work.await else {
                    return;
                };
                let sender = &command.actor.user;
                for reply in replies {
                    // The sender's private replies answer the command; the rest are posted.
                    if reply.is_private_to(sender) {
                        answer_sender(&app, &reply, Some(&response_url)).await;
                    } else {
                        send_or_apologise(&app, sender, reply).await;
                    }
                }
            });
            Some(ephemeral("Working on it…"))
        }
    }
}

/// Answers a slash command at once with the first reply for the sender; the sender's other private
/// replies follow on the command's `response_url`, and the rest (a question or reveal to post, a
/// reveal's private results for others) go through the Web API.
fn answer_inline(
    app: &Arc<SlackApp>,
    command: &Command,
    replies: Vec<Reply>,
    response_url: &str,
) -> Option<SlackCommandEventResponse> {
    let mut inline = None;
    let mut later = Vec::new();
    for reply in replies {
        // Questions, reveals and a mock's public posts go through the Web API: a question so its
        // reveal can thread under it, a mock's first post so its other posts can.
        let posted = match reply.body {
            ReplyBody::QuestionCard(_) | ReplyBody::Reveal(_) => true,
            ReplyBody::Mock(_) => reply.audience == Audience::Channel,
            _ => false,
        };
        if inline.is_none() && reply.is_for(&command.actor.user) && !posted {
            inline = Some(reply);
        } else {
            later.push(reply);
        }
    }
    if !later.is_empty() {
        // Posting may take longer than Slack waits for the answer to the command.
        let app = Arc::clone(app);
        let user = command.actor.user.clone();
        let response_url = response_url.to_string();
        tokio::spawn(async move {
            for reply in later {
                if reply.is_private_to(&user) {
                    answer_sender(&app, &reply, Some(&response_url)).await;
                } else {
                    send_or_apologise(&app, &user, reply).await;
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

/// Sends a reply to a user's command; when Slack does not take it, tells that user privately.
async fn send_or_apologise(app: &SlackApp, user: &str, reply: Reply) {
    let Err(err) = deliver::send(&app.engine, app, &reply).await else {
        return;
    };
    tracing::error!(error = %err, "posting to Slack failed");
    if let DeliveryError::NotSent(_) = err {
        let sorry = Reply {
            audience: Audience::User(user.to_string()),
            body: ReplyBody::Problem(CANNOT_POST.into()),
            ..reply
        };
        if let Err(err) = deliver::send(&app.engine, app, &sorry).await {
            tracing::error!(error = %err, "telling the user a post failed failed too");
        }
    }
}

/// Shows a reply to the user whose command, click or form it answers: on the interaction's
/// `response_url` when Slack gave one, which reaches them wherever they are, even in a
/// conversation the bot is not in; otherwise, or when that fails (the URL expires after 30
/// minutes), as an ephemeral message in the reply's channel.
async fn answer_privately(
    app: &SlackApp,
    reply: &Reply,
    response_url: Option<&str>,
) -> Result<(), DeliveryError> {
    if let Some(url) = response_url {
        match app.web.respond_privately(url, content(reply)).await {
            Ok(()) => return Ok(()),
            // Display only: the error may name the response URL, which is a credential.
            Err(err) => tracing::warn!(
                error = %err,
                "a private answer on the response URL failed; it goes out as an ephemeral message"
            ),
        }
    }
    deliver::send(&app.engine, app, reply).await
}

/// [`answer_privately`] for a command's sender, with a failure logged.
async fn answer_sender(app: &SlackApp, reply: &Reply, response_url: Option<&str>) {
    if let Err(err) = answer_privately(app, reply, response_url).await {
        tracing::error!(error = %err, "a private Slack reply failed");
    }
}

fn ephemeral(text: &str) -> SlackCommandEventResponse {
    let message = SlackMessageContent::new().with_text(render::escape(text));
    SlackCommandEventResponse::new(message).with_response_type(SlackMessageResponseType::Ephemeral)
}

/// Handles a button click or a modal submission.
pub(super) async fn run_interaction(app: &Arc<SlackApp>, event: SlackInteractionEvent) {
    let outcome = match event {
        SlackInteractionEvent::BlockActions(click) => on_click(app, click).await,
        SlackInteractionEvent::ViewSubmission(submission) => on_submission(app, submission).await,
        _ => Ok(()),
    };
    if let Err(err) = outcome {
        tracing::error!(error = %format_args!("{err:#}"), "a Slack interaction failed");
    }
}

/// The engine's view of a user who clicked or submitted (admin rights are never needed there).
fn actor(user: &SlackBasicUserInfo) -> Actor {
    Actor {
        user: user.id.to_string(),
        display_name: user.username.clone().unwrap_or_else(|| user.id.to_string()),
        is_admin: false,
    }
}

fn channel_ref(team: &SlackTeamId, channel: &str) -> ChannelRef {
    ChannelRef {
        platform: Platform::Slack,
        workspace: team.to_string(),
        channel: channel.to_string(),
    }
}

async fn on_click(
    app: &Arc<SlackApp>,
    click: SlackInteractionBlockActionsEvent,
) -> anyhow::Result<()> {
    let Some(action) = click.actions.as_ref().and_then(|a| a.first()) else {
        return Ok(());
    };
    let value = action.value.clone().unwrap_or_default();
    // Action ids are the button's kind, with a suffix where a message repeats a kind (`mtick:2`).
    let action_id = action.action_id.to_string();
    let kind = action_id.split(':').next().unwrap_or_default();
    let Some(button) = Button::from_parts(kind, &value) else {
        return Ok(());
    };
    let (Some(user), Some(channel)) = (&click.user, &click.channel) else {
        return Ok(());
    };
    let channel = channel_ref(&click.team.id, channel.id.as_ref());
    let response_url = click
        .response_url
        .as_ref()
        .map(|url| url.value().to_string());
    match deliver::click(
        &app.engine,
        button,
        channel.clone(),
        actor(user),
        Utc::now(),
    )
    .await
    {
        Click::OpenAnswerForm(button) => {
            // The form carries the click's response URL, so its result reaches the user as the
            // click's would.
            let form = AnswerForm {
                channel: channel.channel,
                button: Some(button),
                response_url,
            };
            app.web
                .open_answer_modal(click.trigger_id.as_ref(), &form)
                .await
        }
        Click::Replies { mine, others } => {
            for reply in mine {
                answer_privately(app, &reply, response_url.as_deref()).await?;
            }
            for reply in others {
                deliver::send(&app.engine, &**app, &reply).await?;
            }
            Ok(())
        }
    }
}

async fn on_submission(
    app: &Arc<SlackApp>,
    submission: SlackInteractionViewSubmissionEvent,
) -> anyhow::Result<()> {
    let SlackView::Modal(modal) = &submission.view.view else {
        return Ok(());
    };
    let Some(form) = modal
        .private_metadata
        .as_deref()
        .and_then(AnswerForm::from_metadata)
    else {
        return Ok(());
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
    let channel = channel_ref(&submission.team.id, &form.channel);
    let actor = actor(&submission.user);
    let submitter = actor.user.clone();
    let replies =
        deliver::submit_answer_form(&app.engine, channel, actor, form.button, &text, Utc::now())
            .await;
    for reply in replies {
        if reply.is_private_to(&submitter) {
            answer_privately(app, &reply, form.response_url.as_deref()).await?;
        } else {
            deliver::send(&app.engine, &**app, &reply).await?;
        }
    }
    Ok(())
}
