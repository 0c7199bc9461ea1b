//! HTTP mode: the axum routes Slack calls, `POST /slack/commands` for the `/interview` command and
//! `POST /slack/interactions` for buttons and modals. Every request is checked against the signing
//! secret before anything is read from it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use slack_morphism::prelude::*;

use super::commands::{run_interaction, run_slash, SlashCommand};
use super::SlackApp;
use crate::deliver;
use crate::serve::Limits;

/// The routes Slack calls.
pub fn router(app: Arc<SlackApp>) -> Router {
    Router::new()
        .route("/slack/commands", post(slash_command))
        .route("/slack/interactions", post(interaction))
        .route("/readyz", get(readyz))
        .with_state(app)
}

/// Serves the Slack routes on `listener` and runs the daily drip for Slack channels until `shutdown`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<SlackApp>,
    drip_every: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let drip = deliver::spawn_drip(Arc::clone(&app.engine), Arc::clone(&app), drip_every);
    crate::serve::serve(listener, router(app), Limits::default(), shutdown).await;
    drip.abort();
    Ok(())
}

/// 200 when the database answers, the bank is loaded and the drip keeps ticking; 503 otherwise.
/// Needs no signature (it says nothing about the bot's data).
async fn readyz(State(app): State<Arc<SlackApp>>) -> Response {
    let readiness = app.engine.readiness(chrono::Utc::now()).await;
    let status = match readiness.is_ready() {
        true => StatusCode::OK,
        false => StatusCode::SERVICE_UNAVAILABLE,
    };
    (status, Json(readiness)).into_response()
}

/// The form Slack posted, once its signature checks out; otherwise the response that refuses it.
fn signed_form<T: DeserializeOwned>(
    app: &SlackApp,
    headers: &HeaderMap,
    body: &Bytes,
    what: &'static str,
) -> Result<T, (StatusCode, &'static str)> {
    if app.verifier.verify(headers, body).is_err() {
        return Err((
            StatusCode::UNAUTHORIZED,
            "invalid or missing Slack signature",
        ));
    }
    serde_urlencoded::from_bytes::<T>(body).map_err(|_| (StatusCode::BAD_REQUEST, what))
}

async fn slash_command(
    State(app): State<Arc<SlackApp>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = match signed_form::<SlashCommand>(&app, &headers, &body, "not a slash command") {
        Ok(request) => request,
        Err(refused) => return refused.into_response(),
    };
    match run_slash(&app, request).await {
        Some(response) => Json(response).into_response(),
        None => StatusCode::OK.into_response(),
    }
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
    let form = match signed_form::<InteractionForm>(&app, &headers, &body, "not an interaction") {
        Ok(form) => form,
        Err(refused) => return refused.into_response(),
    };
    let Ok(event) = serde_json::from_str::<SlackInteractionEvent>(&form.payload) else {
        return (StatusCode::BAD_REQUEST, "not an interaction").into_response();
    };
    // Slack closes the modal or the button's spinner on this 200; the work follows, and its outcome
    // reaches the user as an ephemeral message.
    tokio::spawn(async move { run_interaction(&app, event).await });
    StatusCode::OK.into_response()
}
