//! The Slack front door end to end: signed HTTP requests to the real axum app on 127.0.0.1, and a
//! loopback fake of Slack's Web API (tests/support/fake_slack.rs) that records what the bot posts.

#[path = "support/fake_slack.rs"]
mod fake_slack;

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use fake_slack::test_engine::{engine_with_deck, hold_write_lock};
use fake_slack::*;
use interview_bot::config::{Secret, SlackConfig};
use interview_bot::engine::Engine;
use interview_bot::slack::SlackApp;
use serde_json::{json, Value};

#[test]
fn slacks_documented_example_is_signed_as_slack_signs_it() {
    // From "Verifying requests from Slack".
    let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    assert_eq!(
        signature("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body),
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    );
}

#[tokio::test]
async fn a_correctly_signed_request_from_long_ago_is_refused_as_a_replay() {
    let slack = spawn_slack().await;
    let body = command_body("U0001", "ann", "question");
    // Slack's documented example's timestamp, signed with this app's secret: valid, but years old.
    let (status, _) = slack
        .signed("/slack/commands", body, 1531420618, SECRET)
        .await;
    assert_eq!(status, 401);
    assert_eq!(slack.count("SELECT COUNT(*) FROM rounds").await, 0);
}

#[tokio::test]
async fn a_signed_slash_command_round_trips() {
    let slack = spawn_slack().await;
    let reply = slack.command("U0001", "ann", "help").await;
    assert_eq!(reply["response_type"], "ephemeral");
    assert!(
        reply["text"]
            .as_str()
            .is_some_and(|t| t.contains("/interview question")),
        "{reply}"
    );
}

#[tokio::test]
async fn forged_replayed_tampered_and_unsigned_requests_get_401_and_change_nothing() {
    let slack = spawn_slack().await;
    let command = command_body("U0001", "ann", "question");
    let click =
        serde_urlencoded::to_string([("payload", json!({"type": "block_actions"}).to_string())])
            .expect("a form");
    for (path, body) in [("/slack/commands", command), ("/slack/interactions", click)] {
        let forged = slack
            .signed(path, body.clone(), now(), "not-the-secret")
            .await;
        let replayed = slack
            .signed(path, body.clone(), now() - 6 * 60, SECRET)
            .await;
        let unsigned = post_form(
            &slack.http,
            &format!("{}{path}", slack.url),
            &[],
            body.clone(),
        )
        .await;
        let t = now();
        let headers = [
            ("x-slack-request-timestamp", t.to_string()),
            ("x-slack-signature", signature(SECRET, t, &body)),
        ];
        let tampered = post_form(
            &slack.http,
            &format!("{}{path}", slack.url),
            &headers,
            format!("{body}&x=1"),
        )
        .await;
        for (name, (status, _)) in [
            ("forged", forged),
            ("replayed", replayed),
            ("unsigned", unsigned),
            ("tampered", tampered),
        ] {
            assert_eq!(status, 401, "{name} {path}");
        }
    }
    assert_eq!(slack.count("SELECT COUNT(*) FROM rounds").await, 0);
    assert!(slack.calls.lock().expect("calls").is_empty());
}

#[tokio::test]
async fn a_question_is_posted_with_an_answer_button_and_an_answer_is_confirmed_privately() {
    let slack = spawn_slack().await;
    slack.command("U0001", "ann", "question orm").await;
    let posts = slack.wait_for_calls("chat.postMessage", 1).await;
    assert_eq!(posts[0]["channel"], CHANNEL);
    let button = &posts[0]["blocks"][1]["elements"][0];
    assert_eq!(button["action_id"], "answer");
    assert_eq!(button["text"]["text"], "Answer");
    let reply = slack
        .command("U0002", "bob", "answer select_related does a SQL join")
        .await;
    assert_eq!(reply["response_type"], "ephemeral");
    assert!(
        reply["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Answer recorded.") && !t.contains("/100")),
        "{reply}"
    );
    assert_eq!(slack.count("SELECT COUNT(*) FROM answers").await, 1);
}

#[tokio::test]
async fn the_answer_button_opens_a_modal_whose_submission_is_recorded() {
    let slack = spawn_slack().await;
    slack.command("U0001", "ann", "question").await;
    let round = slack.wait_for_calls("chat.postMessage", 1).await[0]["blocks"][1]["elements"][0]
        ["value"]
        .as_str()
        .expect("the round")
        .to_string();
    let click = json!({
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "study"},
        "user": {"id": "U0002", "username": "bob", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "unused",
        "trigger_id": "1234.5678.abcdef",
        "channel": {"id": CHANNEL, "name": "study"},
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": CHANNEL, "is_ephemeral": false},
        "actions": [{"type": "button", "action_id": "answer", "block_id": "b1", "value": round, "text": {"type": "plain_text", "text": "Answer"}, "action_ts": "1700000001.000000"}]
    });
    assert_eq!(slack.interaction(click).await, 200);
    let opened = slack.wait_for_calls("views.open", 1).await;
    assert_eq!(opened[0]["trigger_id"], "1234.5678.abcdef");
    assert_eq!(opened[0]["view"]["type"], "modal");
    assert_eq!(opened[0]["view"]["callback_id"], "answer");
    let metadata = opened[0]["view"]["private_metadata"]
        .as_str()
        .expect("metadata")
        .to_string();

    let submission = answer_submission(
        &opened[0]["view"],
        &metadata,
        "select_related does a SQL join",
    );
    assert_eq!(slack.interaction(submission).await, 200);
    slack
        .wait_for_count("SELECT COUNT(*) FROM answers", 1)
        .await;
    let private = slack.wait_for_calls("chat.postEphemeral", 1).await;
    assert_eq!(private[0]["user"], "U0002");
    assert!(private[0]["text"]
        .as_str()
        .is_some_and(|t| t.contains("Answer recorded")));
}

#[tokio::test]
async fn a_name_with_a_channel_mention_is_escaped_in_the_reveal_posted_in_the_thread() {
    let slack = spawn_slack().await;
    slack.command("U0001", "ann", "question").await;
    slack.wait_for_calls("chat.postMessage", 1).await;
    slack
        .command(
            "U0003",
            "<!channel> <@U0001>",
            "answer select_related does a SQL join",
        )
        .await;
    slack.command("U0001", "ann", "reveal").await;
    let posts = slack.wait_for_calls("chat.postMessage", 2).await;
    let reveal = &posts[1];
    assert_eq!(
        reveal["thread_ts"], "1700000000.000100",
        "the reveal is in the question's thread"
    );
    let shown = reveal.to_string();
    assert!(shown.contains("&lt;!channel&gt; &lt;@U0001&gt;"), "{shown}");
    assert!(
        !shown.contains("<!channel>") && !shown.contains("<@U0001>"),
        "{shown}"
    );
    let private = slack.wait_for_calls("chat.postEphemeral", 1).await;
    assert!(private.iter().any(|p| p["user"] == "U0003"), "{private:?}");
}

#[tokio::test]
async fn only_admins_change_the_schedule() {
    let slack = spawn_slack().await;
    let refused = slack
        .command("U0004", "dee", "schedule set 09:00 Europe/Berlin mon-fri")
        .await;
    assert!(
        refused["text"]
            .as_str()
            .is_some_and(|t| t.contains("Only admins")),
        "{refused}"
    );
    assert_eq!(slack.count("SELECT COUNT(*) FROM schedules").await, 0);
    let asked = slack.calls("users.info");
    assert!(
        asked.iter().any(|c| c["user"] == "U0004"),
        "the workspace's admins are asked about: {asked:?}"
    );
    let listed = slack
        .command(ADMIN, "admin", "schedule set 09:00 Europe/Berlin mon-fri")
        .await;
    assert_eq!(listed["response_type"], "in_channel", "{listed}");
    slack.command(ADMIN, "admin", "schedule off").await;
    let workspace_admin = slack
        .command(
            WORKSPACE_ADMIN,
            "wanda",
            "schedule set 09:00 Europe/Berlin mon-fri",
        )
        .await;
    assert_eq!(
        workspace_admin["response_type"], "in_channel",
        "{workspace_admin}"
    );
    assert_eq!(slack.count("SELECT COUNT(*) FROM schedules").await, 1);
}

#[tokio::test]
async fn an_admin_reveals_the_question_of_the_day_early_and_others_cannot() {
    let slack = spawn_slack().await;
    slack.question_of_the_day("8h").await;
    let refused = slack.command("U0004", "dee", "reveal").await;
    assert!(
        refused["text"]
            .as_str()
            .is_some_and(|t| t.contains("admins can reveal it early")),
        "{refused}"
    );
    slack.command(ADMIN, "admin", "reveal").await;
    let posts = slack.wait_for_calls("chat.postMessage", 2).await;
    assert!(posts[1]["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("Answer key")));
}

#[tokio::test]
async fn the_drip_posts_to_slack_and_reveals_in_the_questions_thread() {
    use interview_bot::core::command::Platform;
    let slack = spawn_slack().await;
    let tomorrow = slack.question_of_the_day("1h").await;
    let question = slack.calls("chat.postMessage");
    assert_eq!(question.len(), 1);
    assert!(question[0]["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("Question of the day")));
    assert_eq!(
        question[0]["blocks"][1]["elements"][0]["action_id"],
        "answer"
    );

    slack
        .command("U0002", "bob", "answer select_related does a SQL join")
        .await;
    let reveal = slack
        .engine
        .run_due_on(tomorrow + chrono::Duration::hours(1), Some(Platform::Slack))
        .await
        .expect("the drip runs");
    interview_bot::deliver::deliver(&slack.engine, &*slack.app, reveal).await;
    let posts = slack.calls("chat.postMessage");
    assert_eq!(posts.len(), 2);
    assert_eq!(
        posts[1]["thread_ts"], "1700000000.000100",
        "the reveal is in the question's thread"
    );
    assert!(posts[1]["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("Answer key")));
    assert!(slack
        .calls("chat.postEphemeral")
        .iter()
        .any(|p| p["user"] == "U0002"));
}

#[tokio::test]
async fn posts_whose_reference_was_lost_are_found_in_the_channel_and_not_posted_twice() {
    let slack = spawn_slack().await;
    let tomorrow = slack.question_of_the_day("1h").await;
    assert_eq!(slack.calls("chat.postMessage").len(), 1);
    // The process stopped after Slack took the post but before its ts was saved.
    sqlx::query("UPDATE rounds SET post_ref = NULL")
        .execute(slack.store.pool())
        .await
        .expect("forgets the post");
    let minutes = |m| tomorrow + chrono::Duration::minutes(m);
    interview_bot::deliver::drip_once(&slack.engine, &*slack.app, minutes(2)).await;
    assert_eq!(slack.calls("chat.postMessage").len(), 1, "not posted again");
    assert_eq!(
        slack
            .count("SELECT COUNT(*) FROM rounds WHERE post_ref = '1700000000.000100'")
            .await,
        1,
        "the message found in the channel is the question's post"
    );

    slack
        .command("U0002", "bob", "answer select_related does a SQL join")
        .await;
    interview_bot::deliver::drip_once(&slack.engine, &*slack.app, minutes(61)).await;
    assert_eq!(slack.calls("chat.postMessage").len(), 2, "the reveal");
    sqlx::query("UPDATE rounds SET reveal_pending = 1, reveal_post_ref = NULL")
        .execute(slack.store.pool())
        .await
        .expect("forgets the reveal's post");
    interview_bot::deliver::drip_once(&slack.engine, &*slack.app, minutes(63)).await;
    assert_eq!(
        slack.calls("chat.postMessage").len(),
        2,
        "the reveal is not posted again"
    );
    assert_eq!(
        slack
            .count("SELECT COUNT(*) FROM rounds WHERE reveal_post_ref = '1700000000.000101'")
            .await,
        1,
        "the reveal found in the thread is recorded"
    );
}

#[tokio::test]
async fn readyz_says_ready_until_the_drip_stalls() {
    let slack = spawn_slack().await;
    let ready = slack
        .http
        .get(format!("{}/readyz", slack.url))
        .send()
        .await
        .expect("answers");
    assert_eq!(ready.status().as_u16(), 200);
    let long_ago = chrono::Utc::now() - chrono::Duration::minutes(11);
    slack.engine.note_drip_tick(
        interview_bot::core::command::Platform::Slack,
        long_ago,
        std::time::Duration::from_secs(300),
    );
    let stalled = slack
        .http
        .get(format!("{}/readyz", slack.url))
        .send()
        .await
        .expect("answers");
    assert_eq!(stalled.status().as_u16(), 503);
    let body: Value = serde_json::from_str(&stalled.text().await.expect("a body")).expect("JSON");
    assert!(
        body["drip_stalled_for_s"]
            .as_i64()
            .is_some_and(|s| s >= 660),
        "{body}"
    );
}

/// A fake of Slack's Socket Mode: `apps.connections.open` hands out a `ws://` URL on 127.0.0.1 whose
/// socket says hello, sends one slash command envelope, and passes the bot's acknowledgements on.
async fn fake_socket_mode(acks: tokio::sync::mpsc::UnboundedSender<Value>) -> String {
    fake_socket_mode_sending(acks, vec![stats_command_envelope()]).await
}

/// The slash command envelope `envelope-1`: ann asks for `stats`.
fn stats_command_envelope() -> Value {
    json!({
        "envelope_id": "envelope-1", "type": "slash_commands", "accepts_response_payload": true,
        "payload": {
            "token": "unused", "team_id": TEAM, "team_domain": "study", "channel_id": CHANNEL,
            "channel_name": "study", "user_id": "U0001", "user_name": "ann", "command": "/interview",
            "text": "stats", "api_app_id": "A0001", "is_enterprise_install": "false",
            "response_url": "https://hooks.slack.com/commands/T0001/1/abc", "trigger_id": "1.2.3"
        }
    })
}

/// A fake of Slack's Socket Mode that sends `envelopes` after its hello.
async fn fake_socket_mode_sending(
    acks: tokio::sync::mpsc::UnboundedSender<Value>,
    envelopes: Vec<Value>,
) -> String {
    use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
    async fn socket(
        mut ws: WebSocket,
        acks: tokio::sync::mpsc::UnboundedSender<Value>,
        envelopes: Vec<Value>,
    ) {
        let hello = json!({
            "type": "hello", "num_connections": 1,
            "debug_info": {"host": "applink-test", "approximate_connection_time": 18060},
            "connection_info": {"app_id": "A0001"}
        });
        for message in std::iter::once(hello).chain(envelopes) {
            if ws
                .send(Message::Text(message.to_string().into()))
                .await
                .is_err()
            {
                return;
            }
        }
        while let Some(Ok(message)) = ws.recv().await {
            if let Message::Text(text) = message {
                if let Ok(ack) = serde_json::from_str::<Value>(&text) {
                    let _ = acks.send(ack);
                }
            }
        }
    }
    let socket_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let socket_addr = socket_listener.local_addr().expect("an address");
    let router = Router::new().route(
        "/link",
        get(move |upgrade: WebSocketUpgrade| {
            let acks = acks.clone();
            let envelopes = envelopes.clone();
            async move { upgrade.on_upgrade(move |ws| socket(ws, acks, envelopes)) }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(socket_listener, router).await;
    });
    let user = json!({"ok": true, "user": {
        "id": "U0001", "name": "ann", "real_name": "Ann Example",
        "profile": {"display_name": "Ann Example"}
    }});
    let open = Router::new()
        .route(
            "/api/apps.connections.open",
            get(move || async move {
                Json(json!({"ok": true, "url": format!("ws://{socket_addr}/link")}))
            })
            .post(move || async move {
                Json(json!({"ok": true, "url": format!("ws://{socket_addr}/link")}))
            }),
        )
        .route("/api/users.info", get(move || async move { Json(user) }));
    format!("http://{}/api", serve(open).await)
}

/// Runs the bot in Socket Mode against the fake at `api_url` until the returned sender is used or
/// dropped.
fn start_socket_mode(engine: Arc<Engine>, api_url: String) -> tokio::sync::oneshot::Sender<()> {
    let config = SlackConfig {
        signing_secret: Secret::new(""),
        bot_token: Secret::new("xoxb-test-token"),
        api_url: Some(api_url),
        admins: vec![],
        app_token: Some(Secret::new("xapp-test-token")),
    };
    let app = Arc::new(SlackApp::new(&config, engine).expect("the Slack app"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        let token = Secret::new("xapp-test-token");
        let hour = std::time::Duration::from_secs(3600);
        let served = interview_bot::slack::serve_socket_mode(app, &token, hour, shutdown).await;
        if let Err(err) = served {
            eprintln!("socket mode stopped: {err:#}");
        }
    });
    stop
}

#[tokio::test]
async fn socket_mode_answers_a_slash_command_over_the_socket() {
    let (acks, mut received) = tokio::sync::mpsc::unbounded_channel();
    let api_url = fake_socket_mode(acks).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "socket.db").await;
    let stop = start_socket_mode(engine, api_url);
    let ack = tokio::time::timeout(std::time::Duration::from_secs(15), async {
        loop {
            match received.recv().await {
                Some(ack) if ack["envelope_id"] == "envelope-1" => return ack,
                Some(_) => continue,
                None => panic!("the socket closed without an acknowledgement"),
            }
        }
    })
    .await
    .expect("the bot acknowledged the command");
    // `stats` answers in the channel, under the name Slack gave for the user.
    assert_eq!(ack["payload"]["response_type"], "in_channel", "{ack}");
    assert!(
        ack["payload"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("*Ann Example*: 0 round(s) answered")),
        "{ack}"
    );
    let _ = stop.send(());
}

#[tokio::test]
async fn socket_mode_acknowledges_answer_forms_at_once_and_works_on_them_side_by_side() {
    use interview_bot::core::command::{Actor, ChannelRef, Command, Platform};
    use interview_bot::core::grammar::Grammar;
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "socket.db").await;
    let asked = engine
        .handle(
            &Command {
                channel: ChannelRef {
                    platform: Platform::Slack,
                    workspace: TEAM.into(),
                    channel: CHANNEL.into(),
                },
                actor: Actor {
                    user: "U0001".into(),
                    display_name: "ann".into(),
                    is_admin: false,
                },
                action: Grammar::of(Platform::Slack)
                    .parse("question")
                    .expect("parses")
                    .expect("an action"),
            },
            chrono::Utc::now(),
        )
        .await;
    let round = match &asked[0].body {
        interview_bot::core::reply::ReplyBody::QuestionCard(card) => card.round,
        other => panic!("expected a question, got {other:?}"),
    };
    let envelopes: Vec<Value> = ["U0002", "U0003"]
        .iter()
        .enumerate()
        .map(|(n, user)| {
            let mut submission = answer_submission(
                &json!({"blocks": []}),
                &format!("{CHANNEL}:answer:{round}"),
                "select_related does a SQL join",
            );
            submission["user"]["id"] = json!(user);
            json!({
                "envelope_id": format!("submission-{n}"), "type": "interactive",
                "accepts_response_payload": true, "payload": submission
            })
        })
        .collect();
    // Another process holds the database for 3 s: both answers wait for it.
    let holder = hold_write_lock(
        &dir.path().join("socket.db"),
        std::time::Duration::from_secs(3),
    )
    .await;

    let (acks, mut received) = tokio::sync::mpsc::unbounded_channel();
    let api_url = fake_socket_mode_sending(acks, envelopes).await;
    let stop = start_socket_mode(engine, api_url);
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 2 {
        let ack = tokio::time::timeout(std::time::Duration::from_secs(15), received.recv())
            .await
            .expect("an acknowledgement")
            .expect("the socket is open");
        assert!(!holder.is_released(), "{ack} came only after the slow work");
        acknowledged.push(ack["envelope_id"].clone());
    }
    acknowledged.sort_by_key(|id| id.to_string());
    assert_eq!(acknowledged, [json!("submission-0"), json!("submission-1")]);
    holder.finish().await;
    let started = std::time::Instant::now();
    loop {
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers")
            .fetch_one(store.pool())
            .await
            .expect("counts");
        if stored == 2 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "{stored} stored"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let _ = stop.send(());
}

#[tokio::test]
async fn a_slow_command_is_acknowledged_at_once_and_answered_on_its_response_url() {
    let slack = spawn_slack().await;
    let (status, ack) = slack
        .slow_command(command_body("U0001", "ann", "help"))
        .await;
    assert_eq!(status, 200);
    assert!(ack.contains("Working on it"), "{ack}");
    let answered = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            if let Some(reply) = slack.calls("response").first().cloned() {
                return reply;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the result followed on the response URL");
    assert!(
        answered["text"]
            .as_str()
            .is_some_and(|t| t.contains("/interview question")),
        "{answered}"
    );
}

impl TestSlack {
    /// Sends a command to a second app over the same engine and fake Web API, one that answers
    /// every command late (on its `response_url`, which points at the fake), as a slow one would be.
    async fn slow_command(&self, body: String) -> (u16, String) {
        let api = self.api_url.clone();
        let app = SlackApp::new(
            &SlackConfig {
                signing_secret: Secret::new(SECRET),
                bot_token: Secret::new("xoxb-test-token"),
                api_url: Some(api.clone()),
                admins: vec![],
                app_token: None,
            },
            Arc::clone(&self.engine),
        )
        .expect("the Slack app")
        .with_inline_budget(std::time::Duration::ZERO);
        let addr = serve(interview_bot::slack::router(Arc::new(app))).await;
        let body = body.replace(
            "http%3A%2F%2F127.0.0.1%3A9%2Fcommands%2Fresponse",
            &serde_urlencoded::to_string([("u", format!("{api}/response"))]).expect("encoded")[2..],
        );
        let t = now();
        let headers = [
            ("x-slack-request-timestamp", t.to_string()),
            ("x-slack-signature", signature(SECRET, t, &body)),
        ];
        post_form(
            &self.http,
            &format!("http://{addr}/slack/commands"),
            &headers,
            body,
        )
        .await
    }
}

/// A command from a channel the bot was never invited to.
fn command_body_not_in(user: &str, user_name: &str, text: &str) -> String {
    command_body(user, user_name, text).replace(
        &format!("channel_id={CHANNEL}"),
        &format!("channel_id={NOT_IN}"),
    )
}

/// Waits for the private apology for a post Slack refused.
async fn assert_apology_to(slack: &TestSlack, user: &str) {
    let private = slack.wait_for_calls("chat.postEphemeral", 1).await;
    let apology = &private[0];
    assert_eq!(apology["user"], user, "{apology}");
    assert_eq!(apology["channel"], NOT_IN, "{apology}");
    assert!(
        apology["text"]
            .as_str()
            .is_some_and(|t| t.contains("could not post to this channel")),
        "{apology}"
    );
}

#[tokio::test]
async fn a_question_asked_where_the_bot_is_not_invited_gets_a_private_apology() {
    let slack = spawn_slack().await;
    let (status, body) = slack
        .signed(
            "/slack/commands",
            command_body_not_in("U0001", "ann", "question"),
            now(),
            SECRET,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_apology_to(&slack, "U0001").await;
}

#[tokio::test]
async fn a_late_answer_that_cannot_be_posted_gets_a_private_apology_too() {
    let slack = spawn_slack().await;
    let (status, ack) = slack
        .slow_command(command_body_not_in("U0002", "bob", "question"))
        .await;
    assert_eq!(status, 200);
    assert!(ack.contains("Working on it"), "{ack}");
    assert_apology_to(&slack, "U0002").await;
}

#[tokio::test]
async fn the_reveal_shows_the_explanation_as_the_other_front_doors_do() {
    let slack = spawn_slack().await;
    slack.command("U0001", "ann", "question").await;
    slack.wait_for_calls("chat.postMessage", 1).await;
    slack.command("U0001", "ann", "reveal").await;
    let posts = slack.wait_for_calls("chat.postMessage", 2).await;
    let shown = posts[1]["blocks"].to_string();
    assert!(
        shown.contains("Both avoid the N+1 problem"),
        "the reveal's blocks: {shown}"
    );
}

#[tokio::test]
async fn schedules_typed_with_multi_word_days_and_windows_are_understood() {
    let slack = spawn_slack().await;
    let set = slack
        .command(
            ADMIN,
            "admin",
            "schedule set 09:00 Europe/Berlin mon - fri 2 hours",
        )
        .await;
    let text = set["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("09:00 Europe/Berlin on Mon–Fri, answers open for 2h"),
        "{set}"
    );
    assert_eq!(slack.count("SELECT COUNT(*) FROM schedules").await, 1);
}

#[tokio::test]
async fn usage_and_errors_name_commands_as_slack_users_type_them() {
    let slack = spawn_slack().await;
    for (text, expected) in [
        (
            "dance",
            "There is no `/interview dance` command; `/interview help`",
        ),
        ("schedule later", "Use `/interview schedule set HH:MM"),
        ("bank", "Use `/interview bank reload`"),
        ("hint", "Ask for one with `/interview question`"),
    ] {
        let reply = slack.command("U0001", "ann", text).await;
        let shown = reply["text"].as_str().unwrap_or_default();
        assert!(shown.contains(expected), "`{text}` gave {reply}");
        assert!(
            !shown.contains("`/schedule") && !shown.contains("`/question"),
            "{reply}"
        );
    }
    let help = slack.command("U0001", "ann", "help").await.to_string();
    assert!(help.contains("`/interview hint`"), "{help}");
    assert!(!help.contains("`/hint`"), "{help}");
}

#[tokio::test]
async fn a_mock_runs_in_the_thread_of_its_first_post_with_the_rubric_for_the_interviewer_only() {
    let slack = spawn_slack().await;
    let started = slack
        .command(
            "U0001",
            "ann",
            "mock start orm questions 1 with <@U0002|bob>",
        )
        .await;
    assert_eq!(
        started,
        Value::Null,
        "the lineup is posted, not answered inline"
    );
    let lineup = slack.wait_for_calls("chat.postMessage", 1).await;
    let shown = lineup[0].to_string();
    assert!(
        shown.contains("ann interviews first; answering in turn: bob."),
        "{shown}"
    );
    assert!(
        lineup[0].get("thread_ts").is_none(),
        "the lineup starts the thread"
    );

    // The interviewer's command is answered with the rubric, privately.
    let rubric = slack.command("U0001", "ann", "mock next").await;
    assert_eq!(rubric["response_type"], "ephemeral", "{rubric}");
    let toggles = rubric["blocks"].to_string();
    assert!(toggles.contains("\"action_id\":\"mtick\""), "{toggles}");
    let posts = slack.wait_for_calls("chat.postMessage", 2).await;
    assert_eq!(
        posts[1]["thread_ts"], "1700000000.000100",
        "the question goes into the lineup's thread"
    );
    assert!(posts[1].to_string().contains("Question 1 of 1 for bob"));
    assert!(
        !posts[1].to_string().contains("mtick"),
        "no rubric in public"
    );

    // The candidate pressing a toggle is refused privately and ticks nothing.
    assert_eq!(
        slack.interaction(click("U0002", "mtick", "1.1.0")).await,
        200
    );
    let refused = slack.wait_for_calls("chat.postEphemeral", 1).await;
    assert_eq!(refused[0]["user"], "U0002");
    assert!(refused[0]["text"]
        .as_str()
        .is_some_and(|t| t.contains("Only the current interviewer")));
    assert_eq!(
        slack.interaction(click("U0001", "mtick", "1.1.0")).await,
        200
    );
    let ticked = slack.wait_for_calls("chat.postEphemeral", 2).await;
    assert_eq!(ticked[1]["user"], "U0001");
    assert!(ticked[1].to_string().contains("☑ 1"), "{}", ticked[1]);
    slack
        .wait_for_count("SELECT COUNT(*) FROM mock_questions WHERE ticks = '[0]'", 1)
        .await;

    slack.command("U0001", "ann", "mock next").await;
    let report = slack.wait_for_calls("chat.postMessage", 3).await;
    assert_eq!(report[2]["thread_ts"], "1700000000.000100");
    assert!(report[2].to_string().contains("report"), "{}", report[2]);
}

#[tokio::test]
async fn a_bot_named_as_a_mock_candidate_is_refused_and_nothing_starts() {
    let slack = spawn_slack().await;
    let refused = slack
        .command("U0001", "ann", &format!("mock start with <@{BOT_USER}>"))
        .await;
    assert!(
        refused["text"]
            .as_str()
            .is_some_and(|t| t.contains("Bots cannot answer")),
        "{refused}"
    );
    assert_eq!(refused["response_type"], "ephemeral");
    assert_eq!(slack.count("SELECT COUNT(*) FROM mocks").await, 0);
}

#[tokio::test]
async fn a_mock_candidate_answers_in_writing_through_the_modal() {
    let slack = spawn_slack().await;
    slack
        .command(
            "U0001",
            "ann",
            "mock start orm questions 1 with <@U0002|bob>",
        )
        .await;
    slack.command("U0001", "ann", "mock next").await;
    slack.wait_for_calls("chat.postMessage", 2).await;
    assert_eq!(
        slack.interaction(click("U0002", "manswer", "1.1")).await,
        200
    );
    let opened = slack.wait_for_calls("views.open", 1).await;
    let metadata = opened[0]["view"]["private_metadata"]
        .as_str()
        .expect("metadata")
        .to_string();
    assert_eq!(metadata, format!("{CHANNEL}:manswer:1.1"));
    let submission = answer_submission(
        &opened[0]["view"],
        &metadata,
        "select_related does a SQL join",
    );
    assert_eq!(slack.interaction(submission).await, 200);
    slack
        .wait_for_count(
            "SELECT COUNT(*) FROM mock_questions WHERE answer_body IS NOT NULL",
            1,
        )
        .await;
    let taken = slack.wait_for_calls("chat.postEphemeral", 1).await;
    assert_eq!(taken[0]["user"], "U0002");
    assert!(taken[0]["text"]
        .as_str()
        .is_some_and(|t| t.contains("Your written answer to question 1 is in")));
}
