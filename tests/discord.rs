//! The Discord front door end to end: the real serenity + poise client, pointed at a fake Discord on
//! 127.0.0.1 (REST and gateway), with a fresh database and a small deck per test.

#[path = "support/fake_discord.rs"]
mod fake_discord;

#[path = "support/engine.rs"]
mod test_engine;

#[path = "support/discord_bot.rs"]
mod discord_bot;

use std::time::Duration;

use chrono::{Timelike, Utc};
use discord_bot::{
    is_ephemeral, spawn_bot, text_option, TestBot, MANAGE_GUILD, NO_PERMISSIONS, WAIT,
};
use fake_discord::{RecordedRequest, CHANNEL_ID, GUILD_ID};
use serde_json::{json, Value};
use test_engine::hold_write_lock;

const DECK: &str = "---\nid: test\ntitle: Test deck\nnotes: notes.md\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium | section: ORM\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\
- `prefetch_related()` handles many-to-many relations\n";

impl TestBot {
    /// Ann asks for a question; returns the interaction's response and its Answer button's id.
    async fn ask_with_answer_button(&self) -> (RecordedRequest, String) {
        let question = self
            .slash("question", json!([]), 11, "ann", NO_PERMISSIONS)
            .await;
        let custom_id = question.body["data"]["components"][0]["components"][0]["custom_id"]
            .as_str()
            .expect("an Answer button")
            .to_string();
        (question, custom_id)
    }

    /// The message id the bot saved for the daily post, once it has saved it (the fake records the
    /// post before the bot reads the response and stores the id).
    async fn daily_post_ref(&self) -> String {
        let started = std::time::Instant::now();
        loop {
            let saved: Option<String> = sqlx::query_scalar(
                "SELECT post_ref FROM rounds WHERE origin = 'daily' AND post_ref IS NOT NULL",
            )
            .fetch_optional(self.store.pool())
            .await
            .expect("query");
            if let Some(saved) = saved {
                return saved;
            }
            assert!(
                started.elapsed() < WAIT,
                "the daily post's id was never saved"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Sets a daily schedule (UTC) due this very minute, as an admin of the fake guild's channel.
async fn schedule_due_now(bot: &TestBot) -> chrono::DateTime<Utc> {
    use interview_bot::core::command::{Action, Actor, ChannelRef, Command, Platform};
    use interview_bot::core::grammar::Grammar;
    let minute = Utc::now()
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .expect("valid instant");
    let time = format!("{:02}:{:02}", minute.hour(), minute.minute());
    let action = Grammar::of(Platform::Discord)
        .schedule(&["set", &time, "UTC", "daily"])
        .expect("valid schedule");
    let command = Command {
        channel: ChannelRef {
            platform: Platform::Discord,
            workspace: GUILD_ID.to_string(),
            channel: CHANNEL_ID.to_string(),
        },
        actor: Actor {
            user: "1".into(),
            display_name: "admin".into(),
            is_admin: true,
        },
        action: Action::Schedule(action),
    };
    bot.engine.handle(&command, minute).await;
    minute
}

#[tokio::test]
async fn commands_are_registered_at_start_up_with_the_bank_for_managers_only() {
    let bot = spawn_bot(DECK).await;
    let commands = bot.fake.wait_for_commands(WAIT).await.expect("registered");
    let names: Vec<&str> = commands
        .as_array()
        .expect("an array of commands")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    for name in [
        "question",
        "answer",
        "hint",
        "reveal",
        "leaderboard",
        "stats",
        "topics",
        "help",
        "schedule",
        "bank",
    ] {
        assert!(names.contains(&name), "/{name} missing from {names:?}");
    }
    let permissions = |name: &str| {
        commands
            .as_array()
            .and_then(|all| all.iter().find(|c| c["name"] == name))
            .map(|c| c["default_member_permissions"].clone())
    };
    // Members see /schedule (they may show it); the engine refuses their changes.
    assert_eq!(permissions("schedule"), Some(Value::Null));
    assert_eq!(permissions("bank"), Some(json!("32")));
    assert_eq!(permissions("answer"), Some(Value::Null));
    let command = |name: &str| {
        commands
            .as_array()
            .and_then(|all| all.iter().find(|c| c["name"] == name))
            .cloned()
            .unwrap_or_default()
    };
    let answer_text = &command("answer")["options"][0];
    assert_eq!(answer_text["type"], 3, "a string option");
    assert_eq!(
        answer_text["max_length"],
        json!(interview_bot::core::command::MAX_ANSWER_CHARS)
    );
    let hint = command("hint")["description"].to_string();
    let penalty = interview_bot::core::scoring::HINT_PENALTY;
    assert!(hint.contains(&format!("costs {penalty} points")), "{hint}");
}

#[tokio::test]
async fn a_member_sees_the_schedule_but_cannot_change_it() {
    let bot = spawn_bot(DECK).await;
    let subcommand = |name: &str| json!([{"type": 1, "name": name, "options": []}]);
    let shown = bot
        .slash("schedule", subcommand("show"), 11, "ann", NO_PERMISSIONS)
        .await;
    let content = shown.body["data"]["content"].as_str().unwrap_or_default();
    assert!(content.contains("No question of the day here"), "{content}");
    let paused = bot
        .slash("schedule", subcommand("pause"), 11, "ann", NO_PERMISSIONS)
        .await;
    assert!(paused.body["data"]["content"]
        .as_str()
        .is_some_and(|c| c.contains("Only admins")));
    assert!(is_ephemeral(&paused), "a refusal is private");
    let by_manager = bot
        .slash("schedule", subcommand("pause"), 12, "bob", MANAGE_GUILD)
        .await;
    assert!(by_manager.body["data"]["content"]
        .as_str()
        .is_some_and(|c| c.contains("no schedule to pause")));
}

#[tokio::test]
async fn an_answer_is_confirmed_ephemerally_and_stored() {
    let bot = spawn_bot(DECK).await;
    let question = bot
        .slash(
            "question",
            json!([text_option("topic", "orm")]),
            11,
            "ann",
            NO_PERMISSIONS,
        )
        .await;
    assert_eq!(question.body["type"], 4);
    assert_eq!(
        question.body["data"]["embeds"][0]["description"],
        "What is the difference between `select_related()` and `prefetch_related()`?"
    );
    let answer = bot
        .slash(
            "answer",
            json!([text_option("text", "select_related does a SQL join")]),
            12,
            "bob",
            NO_PERMISSIONS,
        )
        .await;
    assert_eq!(answer.body["type"], 4);
    assert!(is_ephemeral(&answer), "{:?}", answer.body);
    let content = answer.body["data"]["content"].as_str().expect("content");
    assert!(content.starts_with("Answer recorded."), "{content}");
    assert!(
        !content.contains("/100"),
        "the score waits for the reveal: {content}"
    );
    assert!(!content.contains("SQL join"), "the key points stay sealed");
    assert_eq!(bot.count("SELECT COUNT(*) FROM answers").await, 1);
}

#[tokio::test]
async fn the_daily_drip_posts_an_embed_with_an_answer_button_and_no_mentions() {
    let bot = spawn_bot(DECK).await;
    schedule_due_now(&bot).await;
    let path = format!("/api/v10/channels/{CHANNEL_ID}/messages");
    let post = bot
        .fake
        .wait_for_request(|r| r.method == "POST" && r.path == path, WAIT)
        .await
        .expect("the drip posted");
    assert_eq!(post.body["embeds"][0]["title"], "Question of the day");
    let button = &post.body["components"][0]["components"][0];
    assert_eq!(button["label"], "Answer");
    assert!(button["custom_id"]
        .as_str()
        .is_some_and(|id| id.starts_with("answer:")));
    assert_eq!(post.body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(
        bot.count("SELECT COUNT(*) FROM rounds WHERE origin = 'daily'")
            .await,
        1
    );
    let saved = bot.daily_post_ref().await;
    let posted_id = bot.fake.messages().last().map(|m| m["id"].clone());
    assert_eq!(
        posted_id,
        Some(json!(saved)),
        "the post's id is remembered for the reveal"
    );
}

#[tokio::test]
async fn the_answer_button_opens_a_form_whose_submission_is_recorded() {
    let bot = spawn_bot(DECK).await;
    let (question, custom_id) = bot.ask_with_answer_button().await;
    let message = json!({
        "id": "1400000000000000001",
        "channel_id": CHANNEL_ID.to_string(),
        "content": "",
        "embeds": question.body["data"]["embeds"].clone(),
        "components": question.body["data"]["components"].clone(),
    });
    let click = bot
        .fake
        .button_click(&custom_id, message, 12, "bob", NO_PERMISSIONS);
    let form = bot.interact(click).await;
    assert_eq!(form.body["type"], 9, "a modal");
    assert_eq!(
        form.body["data"]["components"][0]["components"][0]["style"], 2,
        "a paragraph field"
    );
    let submit = bot.fake.modal_submit(
        &custom_id,
        &[(
            "answer",
            "select_related does a SQL join, prefetch_related runs a second query",
        )],
        12,
        "bob",
        NO_PERMISSIONS,
    );
    let recorded = bot.interact(submit).await;
    assert!(is_ephemeral(&recorded), "{:?}", recorded.body);
    assert!(recorded.body["data"]["content"]
        .as_str()
        .is_some_and(|c| c.contains("Answer recorded")));
    assert_eq!(bot.count("SELECT COUNT(*) FROM answers").await, 1);
}

#[tokio::test]
async fn a_member_without_manage_server_cannot_set_the_schedule() {
    let bot = spawn_bot(DECK).await;
    let options = json!([{
        "type": 1,
        "name": "set",
        "options": [text_option("time", "09:00"), text_option("zone", "Europe/Berlin"), text_option("weekdays", "mon-fri")]
    }]);
    let refused = bot
        .slash("schedule", options.clone(), 13, "cat", NO_PERMISSIONS)
        .await;
    assert!(is_ephemeral(&refused), "{:?}", refused.body);
    assert!(refused.body["data"]["content"]
        .as_str()
        .is_some_and(|c| c.contains("Only admins")));
    assert_eq!(bot.count("SELECT COUNT(*) FROM schedules").await, 0);
    bot.slash("schedule", options, 14, "dee", MANAGE_GUILD)
        .await;
    assert_eq!(bot.count("SELECT COUNT(*) FROM schedules").await, 1);
}

#[tokio::test]
async fn a_name_with_everyone_in_it_is_shown_without_pinging() {
    let bot = spawn_bot(DECK).await;
    bot.slash("question", json!([]), 11, "ann", NO_PERMISSIONS)
        .await;
    bot.slash(
        "answer",
        json!([text_option(
            "text",
            "select_related does a SQL join @everyone"
        )]),
        15,
        "@everyone",
        NO_PERMISSIONS,
    )
    .await;
    let reveal = bot
        .slash("reveal", json!([]), 11, "ann", NO_PERMISSIONS)
        .await;
    assert_eq!(reveal.body["type"], 4, "the reveal is the public reply");
    let followup = &reveal.body["data"];
    let shown = followup.to_string();
    assert!(
        shown.contains("@\\u200beveryone") || shown.contains("@\u{200b}everyone"),
        "{shown}"
    );
    assert!(
        !shown.contains("@everyone"),
        "no raw @everyone anywhere: {shown}"
    );
    assert_eq!(followup["allowed_mentions"]["parse"], json!([]));
}

#[tokio::test]
async fn the_reveal_replies_to_the_daily_post_and_my_result_shows_my_checklist_privately() {
    let bot = spawn_bot(DECK).await;
    let minute = schedule_due_now(&bot).await;
    let posts = format!("/api/v10/channels/{CHANNEL_ID}/messages");
    bot.fake
        .wait_for_request(|r| r.method == "POST" && r.path == posts, WAIT)
        .await
        .expect("the drip posted");
    let post_id = bot.daily_post_ref().await;
    bot.slash(
        "answer",
        json!([text_option("text", "select_related does a SQL join")]),
        12,
        "bob",
        NO_PERMISSIONS,
    )
    .await;

    // The answer window (8 hours) has passed: the drip reveals, replying to the question's post.
    let replies = bot
        .engine
        .run_due(minute + chrono::Duration::hours(9))
        .await
        .expect("the drip runs");
    let before = bot.fake.requests().len();
    let outbox = bot.outbox();
    interview_bot::deliver::deliver(&bot.engine, &outbox, replies).await;
    let reveal = bot
        .fake
        .requests()
        .into_iter()
        .skip(before)
        .find(|r| {
            r.path == posts
                && r.body["embeds"][0]["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Answer key"))
        })
        .expect("the reveal was posted");
    assert_eq!(
        reveal.body["message_reference"]["message_id"],
        json!(post_id)
    );
    assert_eq!(reveal.body["allowed_mentions"]["parse"], json!([]));
    let button = &reveal.body["components"][0]["components"][0];
    assert_eq!(button["label"], "My result");

    let custom_id = button["custom_id"]
        .as_str()
        .expect("a custom id")
        .to_string();
    let click = bot
        .fake
        .button_click(&custom_id, reveal.body.clone(), 12, "bob", NO_PERMISSIONS);
    let result = bot.interact(click).await;
    assert!(is_ephemeral(&result), "{:?}", result.body);
    let content = result.body["data"]["content"].as_str().expect("content");
    assert!(content.contains("Your result: **61/100**"), "{content}");
    assert!(
        content.contains("✅ `select_related()` uses a SQL join"),
        "{content}"
    );

    let stranger = bot
        .fake
        .button_click(&custom_id, reveal.body, 13, "cat", NO_PERMISSIONS);
    let refused = bot.interact(stranger).await;
    assert!(refused.body["data"]["content"]
        .as_str()
        .is_some_and(|c| c.contains("no revealed answer")));
}

#[tokio::test]
async fn a_reveal_that_is_refused_is_told_only_to_the_asker() {
    let bot = spawn_bot(DECK).await;
    let refused = bot
        .slash("reveal", json!([]), 11, "ann", NO_PERMISSIONS)
        .await;
    assert_eq!(refused.body["type"], 4);
    assert!(is_ephemeral(&refused), "{:?}", refused.body);
    assert!(refused.body["data"]["content"]
        .as_str()
        .is_some_and(|c| c.contains("Nothing to reveal")));
}

/// `/mock start` naming `bob` (user 12) to answer one question, with the user resolved as Discord
/// sends it.
fn mock_start_by_ann(bot: &TestBot) -> Value {
    let options = json!([{
        "type": 1,
        "name": "start",
        "options": [
            {"type": 6, "name": "candidate_1", "value": "12"},
            {"type": 4, "name": "questions", "value": 1},
        ],
    }]);
    let mut interaction = bot
        .fake
        .slash_command("mock", options, 11, "ann", NO_PERMISSIONS);
    interaction["data"]["resolved"] = json!({"users": {"12": {
        "id": "12", "username": "bob", "discriminator": "0", "global_name": "bob",
        "avatar": null, "bot": false,
    }}});
    interaction
}

fn subcommand(name: &str) -> Value {
    json!([{"type": 1, "name": name, "options": []}])
}

#[tokio::test]
async fn a_mock_opens_a_thread_keeps_the_rubric_private_and_toggles_it_in_place() {
    let bot = spawn_bot(DECK).await;
    let lineup = bot.interact(mock_start_by_ann(&bot)).await;
    let content = lineup.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("ann interviews first; answering in turn: bob."),
        "{content}"
    );
    let thread = bot
        .fake
        .wait_for_request(|r| r.method == "POST" && r.path.ends_with("/threads"), WAIT)
        .await
        .expect("the mock's thread was opened");
    assert_eq!(thread.body["name"], "Mock interview #1");
    let saved: String = loop {
        let saved: Option<String> = sqlx::query_scalar("SELECT thread_ref FROM mocks")
            .fetch_one(bot.store.pool())
            .await
            .expect("query");
        if let Some(saved) = saved {
            break saved;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    // The interviewer begins: the question goes into the thread, the rubric to her alone.
    let rubric = bot
        .slash("mock", subcommand("next"), 11, "ann", NO_PERMISSIONS)
        .await;
    assert!(is_ephemeral(&rubric), "{:?}", rubric.body);
    let rubric_text = rubric.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        rubric_text.contains("Rubric for question 1"),
        "{rubric_text}"
    );
    let question = bot
        .fake
        .wait_for_request(
            |r| r.method == "POST" && r.path == format!("/api/v10/channels/{saved}/messages"),
            WAIT,
        )
        .await
        .expect("the question was posted in the thread");
    assert!(question.body["content"]
        .as_str()
        .is_some_and(|c| c.contains("Question 1 of 1 for bob")));

    // bob may not see the rubric; ann's toggle updates her rubric in place.
    let refused = bot
        .interact(bot.fake.button_click(
            "mrubric:1.1",
            question.body.clone(),
            12,
            "bob",
            NO_PERMISSIONS,
        ))
        .await;
    assert!(is_ephemeral(&refused));
    assert!(refused.body["data"]["content"]
        .as_str()
        .is_some_and(|c| c.contains("Only the current interviewer")));
    let toggled = bot
        .interact(bot.fake.button_click(
            "mtick:1.1.0",
            rubric.body["data"].clone(),
            11,
            "ann",
            NO_PERMISSIONS,
        ))
        .await;
    assert_eq!(toggled.body["type"], 7, "the rubric is updated in place");
    assert!(
        toggled.body["data"].to_string().contains("☑ 1"),
        "{:?}",
        toggled.body
    );

    // bob answers in writing through the form.
    let form = bot
        .interact(bot.fake.button_click(
            "manswer:1.1",
            question.body.clone(),
            12,
            "bob",
            NO_PERMISSIONS,
        ))
        .await;
    assert_eq!(form.body["type"], 9, "a modal");
    let submitted = bot
        .interact(bot.fake.modal_submit(
            "manswer:1.1",
            &[("answer", "select_related uses a SQL join")],
            12,
            "bob",
            NO_PERMISSIONS,
        ))
        .await;
    assert!(submitted.body["data"]["content"]
        .as_str()
        .is_some_and(|c| c.contains("Your written answer to question 1 is in")));

    // The last question's Next ends the mock: the click is acknowledged, the report goes into the
    // thread.
    let ended = bot
        .interact(bot.fake.button_click(
            "mnext:1.1",
            question.body.clone(),
            11,
            "ann",
            NO_PERMISSIONS,
        ))
        .await;
    assert_eq!(ended.body["type"], 6, "acknowledged: {:?}", ended.body);
    let report = bot
        .fake
        .wait_for_request(
            |r| {
                r.method == "POST"
                    && r.path == format!("/api/v10/channels/{saved}/messages")
                    && r.body["content"]
                        .as_str()
                        .is_some_and(|c| c.contains("report"))
            },
            WAIT,
        )
        .await
        .expect("the report was posted in the thread");
    assert!(report.body["content"]
        .as_str()
        .is_some_and(|c| c.contains("bob — 33/100 over 1 question(s)")));
}

/// The fake channel's messages with an Answer button (question posts).
fn question_posts(bot: &TestBot) -> Vec<Value> {
    bot.fake
        .messages()
        .into_iter()
        .filter(|m| {
            m["components"][0]["components"][0]["custom_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("answer:"))
        })
        .collect()
}

#[tokio::test]
async fn a_daily_post_sent_again_after_its_reference_was_lost_stays_one_message() {
    let bot = spawn_bot(DECK).await;
    let minute = schedule_due_now(&bot).await;
    let first = bot.daily_post_ref().await;
    // The process stopped after Discord took the post but before its id was saved.
    sqlx::query("UPDATE rounds SET post_ref = NULL")
        .execute(bot.store.pool())
        .await
        .expect("forgets the post");
    let outbox = bot.outbox();
    let later = |minutes| minute + chrono::Duration::minutes(minutes);
    interview_bot::deliver::drip_once(&bot.engine, &outbox, later(2)).await;
    assert_eq!(
        bot.daily_post_ref().await,
        first,
        "the first message is adopted"
    );
    assert_eq!(question_posts(&bot).len(), 1);
    let path = format!("/api/v10/channels/{CHANNEL_ID}/messages");
    let posts = |bot: &TestBot| -> Vec<RecordedRequest> {
        bot.fake
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .collect()
    };
    assert_eq!(
        posts(&bot).len(),
        1,
        "found in the channel, not posted again"
    );
    let post = &posts(&bot)[0];
    assert!(post.body["nonce"]
        .as_str()
        .is_some_and(|n| n.starts_with("ib-q")));
    assert_eq!(post.body["enforce_nonce"], json!(true));

    // Without the history (no Read Message History, say), the nonce keeps one message.
    sqlx::query("UPDATE rounds SET post_ref = NULL")
        .execute(bot.store.pool())
        .await
        .expect("forgets the post");
    bot.fake.refuse_history(true);
    interview_bot::deliver::drip_once(&bot.engine, &outbox, later(4)).await;
    assert_eq!(posts(&bot).len(), 2, "posted again");
    assert_eq!(question_posts(&bot).len(), 1, "Discord kept one message");
    assert_eq!(bot.daily_post_ref().await, first);
}

#[tokio::test]
async fn a_reveal_goes_out_when_its_question_post_was_deleted_and_its_question_left_the_bank() {
    let bot = spawn_bot(DECK).await;
    let minute = schedule_due_now(&bot).await;
    let post: u64 = bot.daily_post_ref().await.parse().expect("a message id");
    bot.slash(
        "answer",
        json!([text_option("text", "select_related does a SQL join")]),
        12,
        "bob",
        NO_PERMISSIONS,
    )
    .await;
    bot.rest_client()
        .delete_message(CHANNEL_ID.into(), post.into(), None)
        .await
        .expect("the question's post is deleted");
    let other_deck = "---\nid: test\ntitle: Test deck\n---\n\n## What is CSRF?\n\n\
        id: csrf | tags: security | difficulty: easy\n\n- a secret token in every form\n";
    std::fs::write(bot._dir.path().join("content").join("test.md"), other_deck).expect("deck");
    bot.slash(
        "bank",
        json!([{"type": 1, "name": "reload", "options": []}]),
        1,
        "admin",
        MANAGE_GUILD,
    )
    .await;

    let outbox = bot.outbox();
    interview_bot::deliver::drip_once(&bot.engine, &outbox, minute + chrono::Duration::hours(9))
        .await;
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rounds WHERE reveal_pending = 1 OR reveal_post_ref IS NULL",
    )
    .fetch_one(bot.store.pool())
    .await
    .expect("counts");
    assert_eq!(pending, 0, "the reveal was taken and recorded");
    let reveal = bot
        .fake
        .messages()
        .into_iter()
        .find(|m| {
            m["embeds"][0]["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Answer key"))
        })
        .expect("the reveal is in the channel");
    assert!(reveal["embeds"][0]["title"]
        .as_str()
        .is_some_and(|t| t.contains("no longer in the question bank")));
}

#[tokio::test]
async fn a_slow_answer_form_is_acknowledged_within_three_seconds_then_confirmed() {
    let bot = spawn_bot(DECK).await;
    let (_, custom_id) = bot.ask_with_answer_button().await;
    // Another process holds the database for 2.5 s: the answer waits for it.
    let holder = hold_write_lock(
        &bot._dir.path().join("discord.db"),
        Duration::from_millis(2500),
    )
    .await;
    let submit = bot.fake.modal_submit(
        &custom_id,
        &[("answer", "select_related does a SQL join")],
        12,
        "bob",
        NO_PERMISSIONS,
    );
    let token = submit["token"].as_str().expect("a token").to_string();
    let sent = std::time::Instant::now();
    let acknowledged = bot.interact(submit).await;
    assert!(
        acknowledged.at.duration_since(sent) < Duration::from_secs(3),
        "acknowledged after {:?}",
        acknowledged.at.duration_since(sent)
    );
    assert_eq!(acknowledged.body["type"], 5, "a deferred response");
    assert!(is_ephemeral(&acknowledged), "{:?}", acknowledged.body);
    let edit = bot
        .fake
        .wait_for_request(
            |r| {
                r.method == "PATCH"
                    && r.path.contains(&token)
                    && r.path.ends_with("/messages/@original")
            },
            WAIT,
        )
        .await
        .expect("the confirmation edits the deferred response");
    assert!(edit.body["content"]
        .as_str()
        .is_some_and(|c| c.contains("Answer recorded")));
    holder.finish().await;
    assert_eq!(bot.count("SELECT COUNT(*) FROM answers").await, 1);
}
