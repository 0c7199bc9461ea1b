//! Buttons and forms, which poise leaves to the event handler: a click or a submitted answer form
//! becomes engine work, and its result answers the interaction. Discord drops an interaction not
//! acknowledged within 3 seconds, so work still running after [`ACK_WITHIN`] (a busy database, a
//! slow disk) is acknowledged with a deferred response first and its result then edits that response.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use poise::serenity_prelude as serenity;
use serenity::{
    ComponentInteraction, CreateInteractionResponse, CreateInteractionResponseMessage, FullEvent,
    Interaction, ModalInteraction,
};

use super::render::{self, render};
use super::{actor_of, channel_ref, Data, DiscordOutbox, Error};
use crate::core::reply::Button;
use crate::deliver::{self, Click};

/// How long the work of an interaction may run before the interaction is acknowledged with a
/// deferred response: well inside Discord's 3 seconds, with room for the acknowledgement's trip.
pub const ACK_WITHIN: Duration = Duration::from_millis(1500);

/// Runs `work`; if it is not done within [`ACK_WITHIN`], sends `defer` meanwhile (the work goes on
/// while the acknowledgement travels). Returns the work's output and whether the interaction was
/// deferred (its result must then edit the response). A defer Discord refused (the interaction was
/// already too old) is logged: the work is finished and kept all the same.
pub async fn within_ack_deadline<T, D>(
    work: impl Future<Output = T>,
    defer: impl FnOnce() -> D,
) -> (T, bool)
where
    D: Future<Output = Result<(), serenity::Error>>,
{
    let mut work = std::pin::pin!(work);
    tokio::select! {
        done = &mut work => (done, false),
        () = tokio::time::sleep(ACK_WITHIN) => {
            let (done, deferred) = tokio::join!(work, defer());
            if let Err(err) = &deferred {
                tracing::warn!(error = %redacted(err), "acknowledging a slow interaction failed");
            }
            (done, deferred.is_ok())
        }
    }
}

/// An error's text with every URL taken out: a failed request's text names its URL, and an
/// interaction's URL carries its token.
pub fn redacted(err: &dyn std::fmt::Display) -> String {
    format!("{err:#}")
        .split_whitespace()
        .map(|word| match word.find("http") {
            Some(at) => format!("{}<url>", &word[..at]),
            None => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Logs what went wrong answering an interaction, without the request's URL.
fn log_failure(what: &str, result: Result<(), serenity::Error>) {
    if let Err(err) = result {
        tracing::error!(error = %redacted(&err), "{what}");
    }
}

/// Buttons and forms. Errors are logged here, without URLs, rather than left to poise (whose report
/// would carry a failed request's URL, and with it the interaction's token).
pub(super) async fn on_event(
    ctx: &serenity::Context,
    event: &FullEvent,
    data: &Data,
) -> Result<(), Error> {
    let FullEvent::InteractionCreate { interaction } = event else {
        return Ok(());
    };
    let handled = match interaction {
        Interaction::Component(click) => on_click(ctx, click, data).await,
        Interaction::Modal(submit) => on_modal(ctx, submit, data).await,
        _ => Ok(()),
    };
    if let Err(err) = handled {
        tracing::error!(error = %redacted(&err), "an interaction failed");
    }
    Ok(())
}

/// A deferred response only the user sees ("thinking…"), later edited into the reply.
fn private_defer() -> CreateInteractionResponse {
    CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true))
}

async fn on_click(
    ctx: &serenity::Context,
    click: &ComponentInteraction,
    data: &Data,
) -> Result<(), Error> {
    let Some(button) = render::button_of(&click.data.custom_id) else {
        return Ok(());
    };
    let channel = channel_ref(click.guild_id, click.channel_id);
    let actor = actor_of(&click.user, click.member.as_ref());
    // A rubric's toggle updates the rubric it was pressed on; other clicks answer the clicker alone.
    let toggle = matches!(button, Button::MockTick { .. });
    let work = deliver::click(&data.engine, button, channel, actor, Utc::now());
    let (clicked, deferred) = within_ack_deadline(work, || async {
        let defer = match toggle {
            true => CreateInteractionResponse::Acknowledge,
            false => private_defer(),
        };
        click.create_response(&ctx.http, defer).await
    })
    .await;
    let (mine, others) = match clicked {
        Click::OpenAnswerForm(form) => {
            let form = CreateInteractionResponse::Modal(render::answer_form(form));
            click.create_response(&ctx.http, form).await?;
            return Ok(());
        }
        Click::Replies { mine, others } => (mine, others),
    };
    // The clicker is answered first (Discord waits for that); posts the click causes (the next
    // question, a report) follow, whether or not the answer to the clicker went through.
    let answered = match (mine.first(), deferred) {
        (Some(reply), true) => click
            .edit_response(&ctx.http, render(reply).into_edit())
            .await
            .map(drop),
        // Nothing for the clicker alone (the click ended a mock, say): a private "thinking…" is
        // taken away; an update acknowledged is done.
        (None, true) if !toggle => click.delete_response(&ctx.http).await,
        (None, true) => Ok(()),
        // Not deferred: the interaction is still acknowledged, or Discord tells the user it failed.
        (None, false) => {
            click
                .create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
                .await
        }
        (Some(reply), false) => {
            let message = render(reply).into_interaction_message();
            let response = match toggle {
                true => CreateInteractionResponse::UpdateMessage(message),
                false => CreateInteractionResponse::Message(message),
            };
            click.create_response(&ctx.http, response).await
        }
    };
    log_failure("answering a click failed", answered);
    for reply in mine.iter().skip(1) {
        let more = click
            .create_followup(&ctx.http, render(reply).into_followup())
            .await;
        log_failure("answering a click failed", more.map(drop));
    }
    let outbox = DiscordOutbox::new(Arc::clone(&ctx.http));
    deliver::deliver(&data.engine, &outbox, others).await;
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
            serenity::ActionRowComponent::InputText(input)
                if input.custom_id == render::ANSWER_INPUT =>
            {
                input.value.clone()
            }
            _ => None,
        })
        .unwrap_or_default();
    let actor = actor_of(&submit.user, submit.member.as_ref());
    let user = actor.user.clone();
    let channel = channel_ref(submit.guild_id, submit.channel_id);
    // An answer form carries the id of the Answer button that opened it.
    let form = render::button_of(&submit.data.custom_id);
    let work = deliver::submit_answer_form(&data.engine, channel, actor, form, &text, Utc::now());
    let (replies, deferred) = within_ack_deadline(work, || async {
        submit.create_response(&ctx.http, private_defer()).await
    })
    .await;
    let (mine, others): (Vec<_>, Vec<_>) =
        replies.into_iter().partition(|r| r.is_private_to(&user));
    let answered = match (mine.first(), deferred) {
        (Some(reply), true) => submit
            .edit_response(&ctx.http, render(reply).into_edit())
            .await
            .map(drop),
        (None, true) => submit.delete_response(&ctx.http).await,
        (Some(reply), false) => {
            let response =
                CreateInteractionResponse::Message(render(reply).into_interaction_message());
            submit.create_response(&ctx.http, response).await
        }
        (None, false) => {
            submit
                .create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
                .await
        }
    };
    log_failure("answering a form failed", answered);
    for reply in mine.iter().skip(1) {
        let more = submit
            .create_followup(&ctx.http, render(reply).into_followup())
            .await;
        log_failure("answering a form failed", more.map(drop));
    }
    let outbox = DiscordOutbox::new(Arc::clone(&ctx.http));
    deliver::deliver(&data.engine, &outbox, others).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn a_failed_requests_url_and_its_token_are_taken_out_of_the_logged_text() {
        let error = "error sending request for url \
            (https://discord.com/api/v10/interactions/1/secret-token/callback): timed out";
        let logged = redacted(&error);
        assert!(!logged.contains("secret-token"), "{logged}");
        assert_eq!(logged, "error sending request for url (<url> timed out");
    }
}
