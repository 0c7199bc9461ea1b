//! A fake Slack for tests, on 127.0.0.1: the Web API as the bot calls it (posts, direct messages,
//! ephemeral messages, modals, history, `users.info`, response URLs), answering with the bodies
//! Slack sends, and a harness that runs the real Slack app against it with signed requests.
//!
//! It owns:
//! - the Web API under `/api/{method}`, which records every call (method and body) and answers as
//!   Slack does: a post's `ts`, a direct message opened on the user's `D…` channel or refused with
//!   Slack's error (`messages_tab_disabled`, `cannot_dm_bot`), history with or without metadata;
//! - response URLs: `/api/response` takes a private answer (recorded as the method `response`),
//!   `/api/expired` answers as an expired one does;
//! - [`TestSlack`]: a fresh engine and database, the app on a port of its own, and helpers to send
//!   signed slash commands and interactions and to wait for what the bot sent;
//! - builders for complete interaction payloads: a button click ([`click`]) and an answer modal's
//!   submission ([`answer_submission`]).
#![allow(dead_code)] // Each test crate includes this file and uses only part of it.

#[path = "engine.rs"]
pub mod test_engine;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use hmac::{Hmac, KeyInit, Mac};
use interview_bot::config::{Secret, SlackConfig};
use interview_bot::engine::Engine;
use interview_bot::slack::SlackApp;
use interview_bot::store::Store;
use serde_json::{json, Value};
use test_engine::engine_with_deck;

pub const SECRET: &str = "test-signing-secret";
pub const ADMIN: &str = "UADMIN";
/// A user the fake `users.info` reports as a workspace admin.
pub const WORKSPACE_ADMIN: &str = "UWSADMIN";
pub const TEAM: &str = "T0001";
pub const CHANNEL: &str = "C0001";
/// A user the fake `users.info` reports as a bot.
pub const BOT_USER: &str = "UROBOT";
/// A channel the fake Web API says the bot is not in.
pub const NOT_IN: &str = "C0NOTIN";

pub const DECK: &str = "---\nid: test\ntitle: Test deck\nnotes: notes.md\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium | section: ORM\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\
- `prefetch_related()` handles many-to-many relations\n\n\
Both avoid the N+1 problem; pick by the relation's direction.\n";

/// A Web API call the bot made: the method (`chat.postMessage`) and its JSON body.
#[derive(Debug, Clone)]
pub struct WebCall {
    pub method: String,
    pub body: Value,
}

pub type Calls = Arc<Mutex<Vec<WebCall>>>;

/// What the fake knows: the calls made so far, and the users whose direct messages it refuses,
/// with the error Slack gives.
#[derive(Clone, Default)]
pub struct FakeState {
    pub calls: Calls,
    pub dm_refusals: Arc<Mutex<HashMap<String, &'static str>>>,
}

impl FakeState {
    /// Why `chat.postMessage` with this body is refused, as Slack says it; `None` when it is taken.
    fn refusal(&self, body: &Value) -> Option<&'static str> {
        let channel = body["channel"].as_str().unwrap_or_default();
        if channel == NOT_IN {
            return Some("not_in_channel");
        }
        self.dm_refusals
            .lock()
            .expect("refusals")
            .get(channel)
            .copied()
    }
}

/// Whether a post goes to a user's id, which Slack delivers as a direct message from the app.
fn is_direct(channel: &Value) -> bool {
    channel
        .as_str()
        .is_some_and(|c| c.starts_with('U') || c.starts_with('W'))
}

async fn fake_web_api(
    Path(method): Path<String>,
    State(fake): State<FakeState>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    // Writes come as JSON bodies, reads (users.info) as query parameters.
    let body = serde_json::from_slice(&body).unwrap_or_else(|_| {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    });
    let posted: Vec<Value> = {
        let mut calls = fake.calls.lock().expect("calls");
        calls.push(WebCall {
            method: method.clone(),
            body: body.clone(),
        });
        calls
            .iter()
            .filter(|c| c.method == "chat.postMessage" && fake.refusal(&c.body).is_none())
            .enumerate()
            .map(|(n, c)| history_message(n, &c.body))
            .collect()
    };
    // An expired response URL: Slack answers 404.
    if method == "expired" {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"ok": false, "error": "expired_url"})),
        );
    }
    let answer = match method.as_str() {
        "chat.postMessage" => match fake.refusal(&body) {
            Some(error) => json!({"ok": false, "error": error}),
            None => {
                let ts = posted.last().map_or(json!(null), |m| m["ts"].clone());
                // A post to a user's id lands in the app's direct messages with them.
                let channel = match body["channel"].as_str() {
                    Some(user) if is_direct(&body["channel"]) => json!(format!("D{}", &user[1..])),
                    _ => body["channel"].clone(),
                };
                json!({
                    "ok": true, "channel": channel, "ts": ts,
                    "message": {"ts": ts, "text": body["text"], "user": "UBOT", "type": "message"}
                })
            }
        },
        // Top-level messages, newest first; metadata only when asked for, as Slack does.
        "conversations.history" => {
            let with_metadata = body["include_all_metadata"] == "true";
            let limit = body["limit"]
                .as_str()
                .and_then(|v| v.parse().ok())
                .unwrap_or(100);
            let messages: Vec<Value> = posted
                .iter()
                .rev()
                .filter(|m| m["channel"] == body["channel"] && m["thread_ts"].is_null())
                .take(limit)
                .map(|m| {
                    let mut m = m.clone();
                    if !with_metadata {
                        m.as_object_mut().map(|o| o.remove("metadata"));
                    }
                    m
                })
                .collect();
            json!({"ok": true, "messages": messages, "has_more": false})
        }
        // A thread: its parent, then its replies, oldest first, `limit` per page (the cursor is
        // the offset of the next page); no metadata.
        "conversations.replies" => {
            let thread: Vec<Value> = posted
                .iter()
                .filter(|m| {
                    m["channel"] == body["channel"]
                        && (m["ts"] == body["ts"] || m["thread_ts"] == body["ts"])
                })
                .map(|m| {
                    let mut m = m.clone();
                    m.as_object_mut().map(|o| o.remove("metadata"));
                    m
                })
                .collect();
            let number = |field: &str, default: usize| {
                body[field]
                    .as_str()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(default)
            };
            let (from, limit) = (number("cursor", 0), number("limit", 1000));
            let page: Vec<Value> = thread.iter().skip(from).take(limit).cloned().collect();
            let next = from + page.len();
            let more = next < thread.len();
            json!({
                "ok": true, "messages": page, "has_more": more,
                "response_metadata": {"next_cursor": if more { next.to_string() } else { String::new() }}
            })
        }
        "chat.postEphemeral" => json!({"ok": true, "message_ts": "1700000000.000200"}),
        "response" => json!({}),
        "users.info" => {
            let is_admin = body["user"] == WORKSPACE_ADMIN;
            let is_bot = body["user"] == BOT_USER;
            json!({"ok": true, "user": {"id": body["user"], "team_id": TEAM, "name": "someone", "is_admin": is_admin, "is_owner": false, "is_bot": is_bot}})
        }
        _ => json!({"ok": true}),
    };
    (StatusCode::OK, Json(answer))
}

/// The `n`th message the bot posted, as the conversations methods return it (the channel kept to
/// filter by). Its `ts` counts up from `1700000000.000100`.
fn history_message(n: usize, posted: &Value) -> Value {
    let mut message = json!({
        "type": "message", "ts": format!("1700000000.{:06}", 100 + n), "user": "UBOT",
        "bot_id": "B0BOT", "text": posted["text"], "channel": posted["channel"],
    });
    for field in ["blocks", "metadata", "thread_ts"] {
        if !posted[field].is_null() {
            message[field] = posted[field].clone();
        }
    }
    message
}

/// The Slack app on a port of its own, over a fresh engine and database, calling the fake Web API.
pub struct TestSlack {
    /// The app's base URL.
    pub url: String,
    pub fake: FakeState,
    pub calls: Calls,
    pub engine: Arc<Engine>,
    pub store: Arc<Store>,
    pub http: reqwest::Client,
    pub app: Arc<SlackApp>,
    /// The fake Web API's base URL.
    pub api_url: String,
    pub dir: tempfile::TempDir,
}

/// Sends a form post to the app and returns its status and body.
pub async fn post_form(
    http: &reqwest::Client,
    url: &str,
    headers: &[(&str, String)],
    body: String,
) -> (u16, String) {
    let mut request = http
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.expect("the app answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

pub async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

pub async fn spawn_slack() -> TestSlack {
    let fake = FakeState::default();
    let calls = Arc::clone(&fake.calls);
    let api = serve(
        Router::new()
            .route("/api/{method}", get(fake_web_api).post(fake_web_api))
            .with_state(fake.clone()),
    )
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "slack.db").await;
    let config = SlackConfig {
        signing_secret: Secret::new(SECRET),
        bot_token: Secret::new("xoxb-test-token"),
        api_url: Some(format!("http://{api}/api/")),
        admins: vec![ADMIN.to_string()],
        app_token: None,
    };
    let app = Arc::new(SlackApp::new(&config, Arc::clone(&engine)).expect("the Slack app"));
    let addr = serve(interview_bot::slack::router(Arc::clone(&app))).await;
    TestSlack {
        url: format!("http://{addr}"),
        fake,
        calls,
        engine,
        store,
        http: reqwest::Client::new(),
        app,
        api_url: format!("http://{api}/api"),
        dir,
    }
}

pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("v0={hex}")
}

/// The next midnight, UTC: when a `00:00 UTC daily` schedule posts.
pub fn next_utc_midnight() -> chrono::DateTime<chrono::Utc> {
    (chrono::Utc::now() + chrono::Duration::days(1))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map_or_else(chrono::Utc::now, |t| t.and_utc())
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A response URL nobody listens on, for commands whose late answers a test does not read.
pub const NOWHERE: &str = "http://127.0.0.1:9/commands/response";

/// The form Slack posts for `/interview text` typed by `user` in [`CHANNEL`].
pub fn command_body(user: &str, user_name: &str, text: &str) -> String {
    command_body_answered_at(user, user_name, text, NOWHERE)
}

/// [`command_body`] with the command's `response_url`.
pub fn command_body_answered_at(
    user: &str,
    user_name: &str,
    text: &str,
    response_url: &str,
) -> String {
    serde_urlencoded::to_string([
        ("token", "unused"),
        ("team_id", TEAM),
        ("team_domain", "study"),
        ("channel_id", CHANNEL),
        ("channel_name", "study"),
        ("user_id", user),
        ("user_name", user_name),
        ("command", "/interview"),
        ("text", text),
        ("api_app_id", "A0001"),
        ("response_url", response_url),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
    ])
    .expect("a form")
}

impl TestSlack {
    pub async fn signed(
        &self,
        path: &str,
        body: String,
        timestamp: i64,
        secret: &str,
    ) -> (u16, String) {
        let headers = [
            ("x-slack-request-timestamp", timestamp.to_string()),
            ("x-slack-signature", signature(secret, timestamp, &body)),
        ];
        post_form(&self.http, &format!("{}{path}", self.url), &headers, body).await
    }

    pub async fn command(&self, user: &str, user_name: &str, text: &str) -> Value {
        let (status, body) = self
            .signed(
                "/slack/commands",
                command_body_answered_at(user, user_name, text, &self.response_url()),
                now(),
                SECRET,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&body).expect("a JSON reply")
        }
    }

    /// Schedules the question of the day at 00:00 UTC with an answer window of `window`, and posts
    /// it at the next midnight, which it returns.
    pub async fn question_of_the_day(&self, window: &str) -> chrono::DateTime<chrono::Utc> {
        use interview_bot::core::command::Platform;
        self.command(
            ADMIN,
            "admin",
            &format!("schedule set 00:00 UTC daily {window}"),
        )
        .await;
        let midnight = next_utc_midnight();
        let posts = self
            .engine
            .run_due_on(midnight, Some(Platform::Slack))
            .await
            .expect("the drip runs");
        interview_bot::deliver::deliver(&self.engine, &*self.app, posts).await;
        midnight
    }

    pub async fn interaction(&self, payload: Value) -> u16 {
        let body = serde_urlencoded::to_string([("payload", payload.to_string())]).expect("a form");
        self.signed("/slack/interactions", body, now(), SECRET)
            .await
            .0
    }

    /// Waits until the bot has called `method` at least `n` times (posts run in the background).
    pub async fn wait_for_calls(&self, method: &str, n: usize) -> Vec<Value> {
        let started = std::time::Instant::now();
        loop {
            let calls = self.calls(method);
            if calls.len() >= n {
                return calls;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{method} was called {} times",
                calls.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// Waits until `sql` counts `n`.
    pub async fn wait_for_count(&self, sql: &str, n: i64) {
        let started = std::time::Instant::now();
        while self.count(sql).await != n {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "`{sql}` never reached {n}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    pub fn calls(&self, method: &str) -> Vec<Value> {
        self.calls
            .lock()
            .expect("calls")
            .iter()
            .filter(|c| c.method == method)
            .map(|c| c.body.clone())
            .collect()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.store.pool())
            .await
            .expect("count")
    }
}

impl TestSlack {
    /// A response URL the fake takes answers on (recorded as the method `response`).
    pub fn response_url(&self) -> String {
        format!("{}/response", self.api_url)
    }

    /// A response URL that has expired.
    pub fn expired_response_url(&self) -> String {
        format!("{}/expired", self.api_url)
    }

    /// From now on the fake refuses direct messages to `user` with Slack's `error`.
    pub fn refuse_direct_messages(&self, user: &str, error: &'static str) {
        self.fake
            .dm_refusals
            .lock()
            .expect("refusals")
            .insert(user.to_string(), error);
    }

    /// Every `chat.postMessage` the bot sent to `user`'s id (a direct message), taken or refused.
    pub fn direct_messages_to(&self, user: &str) -> Vec<Value> {
        self.calls("chat.postMessage")
            .into_iter()
            .filter(|c| c["channel"] == user)
            .collect()
    }

    /// The `chat.postMessage` calls to [`CHANNEL`]: what everyone there sees.
    pub fn channel_posts(&self) -> Vec<Value> {
        self.calls("chat.postMessage")
            .into_iter()
            .filter(|c| c["channel"] == CHANNEL)
            .collect()
    }
}

/// A click by `user` on a button of an ephemeral message, as Slack sends it without the
/// `response_url` (`bob` for any name).
pub fn click(user: &str, action_id: &str, value: &str) -> Value {
    json!({
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "study"},
        "user": {"id": user, "username": "bob", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "unused",
        "trigger_id": "1234.5678.abcdef",
        "channel": {"id": CHANNEL, "name": "study"},
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": CHANNEL, "is_ephemeral": true},
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value, "text": {"type": "plain_text", "text": "x"}, "action_ts": "1700000001.000000"}]
    })
}

/// A click by `user` on the button `action_id` with `value` of an ephemeral message in
/// [`CHANNEL`], complete as Slack sends it, with the click's `response_url`.
pub fn click_answered_at(user: &str, action_id: &str, value: &str, response_url: &str) -> Value {
    json!({
        "type": "block_actions",
        "user": {"id": user, "username": "bob", "name": "bob", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "unused",
        "container": {
            "type": "message", "message_ts": "1700000000.000200", "channel_id": CHANNEL,
            "is_ephemeral": true
        },
        "trigger_id": "1234.5678.abcdef",
        "team": {"id": TEAM, "domain": "study"},
        "enterprise": null,
        "is_enterprise_install": false,
        "channel": {"id": CHANNEL, "name": "study"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [{
            "type": "button", "action_id": action_id, "block_id": "b1", "value": value,
            "text": {"type": "plain_text", "text": "x", "emoji": true},
            "action_ts": "1700000001.000000"
        }]
    })
}

/// `bob` submitting the answer modal `view` (as opened through `views.open`) with `text`.
pub fn answer_submission(view: &Value, metadata: &str, text: &str) -> Value {
    json!({
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "study"},
        "user": {"id": "U0002", "username": "bob", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "unused",
        "trigger_id": "1234.5678.abcdef",
        "view": {
            "id": "V0001", "team_id": TEAM, "type": "modal", "blocks": view["blocks"],
            "private_metadata": metadata, "callback_id": "answer", "hash": "h1",
            "title": {"type": "plain_text", "text": "Your answer"},
            "state": {"values": {"answer_block": {"answer_input": {"type": "plain_text_input", "value": text}}}},
            "app_id": "A0001", "bot_id": "B0001"
        }
    })
}
