//! Personal practice on Discord end to end, against the fake Discord: `/practice` and its buttons
//! and form stay private from the card to the rating, reminders arrive as direct messages from
//! the drip (at instants each test chooses), a player who refuses direct messages has reminders
//! stopped and is told once, and `/schedule set` takes a focus.

#[path = "support/fake_discord.rs"]
mod fake_discord;

#[path = "support/engine.rs"]
mod test_engine;

#[path = "support/discord_bot.rs"]
mod discord_bot;

use std::time::Duration;

use chrono::{DateTime, Days, TimeZone as _, Utc};
use discord_bot::{
    is_ephemeral, spawn_bot, text_option, TestBot, MANAGE_GUILD, NO_PERMISSIONS, WAIT,
};
use fake_discord::{RecordedRequest, APPLICATION_ID, CHANNEL_ID};
use interview_bot::deliver::drip_once;
use serde_json::{json, Value};

const DECK: &str = "---\nid: test\ntitle: Test deck\nnotes: notes.md\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium | section: ORM\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\
- `prefetch_related()` handles many-to-many relations\n\n\
Both avoid the N+1 query problem.\n\n\
## How does Django protect against CSRF?\n\n\
id: csrf | tags: security | difficulty: easy\n\n\
- a secret token in every form\n";

const ANN: u64 = 11;
const BOB: u64 = 12;

/// A `/practice` subcommand's options.
fn practice(step: &str, options: Value) -> Value {
    json!([{"type": 1, "name": step, "options": options}])
}

fn content(callback: &RecordedRequest) -> &str {
    callback.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
}

/// The buttons of an interaction's response: (label, custom id).
fn buttons(callback: &RecordedRequest) -> Vec<(String, String)> {
    callback.body["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|b| {
            let text = |key: &str| b[key].as_str().unwrap_or_default().to_string();
            (text("label"), text("custom_id"))
        })
        .collect()
}

/// When the player's memory of the question says it comes back, as practice replies write it.
async fn due_as_written(bot: &TestBot, question: &str) -> String {
    let due: i64 = sqlx::query_scalar("SELECT due_at FROM memories WHERE question_id = ?1")
        .bind(question)
        .fetch_one(bot.store.pool())
        .await
        .expect("a memory of the question");
    DateTime::from_timestamp_millis(due)
        .expect("a due instant")
        .format("on %a %Y-%m-%d %H:%M UTC")
        .to_string()
}

/// The channel's messages that everyone sees (not ephemeral).
fn public_messages(bot: &TestBot) -> Vec<Value> {
    bot.fake
        .messages()
        .into_iter()
        .filter(|m| m["channel_id"].as_str() == Some(CHANNEL_ID.to_string().as_str()))
        .filter(|m| m["flags"].as_u64().unwrap_or(0) & 64 == 0)
        .collect()
}

#[tokio::test]
async fn practice_from_card_to_rating_is_private_and_stays_off_the_leaderboard() {
    let bot = spawn_bot(DECK).await;
    let card = bot
        .slash(
            "practice",
            practice("next", json!([text_option("topic", "orm")])),
            ANN,
            "ann",
            NO_PERMISSIONS,
        )
        .await;
    assert!(is_ephemeral(&card), "{:?}", card.body);
    assert!(content(&card).contains("Practice — orm, medium, new"));
    assert!(content(&card).contains("select_related()"));
    let card_buttons = buttons(&card);
    assert_eq!(card_buttons.len(), 1, "{card_buttons:?}");
    let (label, answer_id) = &card_buttons[0];
    assert_eq!(label, "Answer");

    let click = bot.fake.button_click(
        answer_id,
        card.body["data"].clone(),
        ANN,
        "ann",
        NO_PERMISSIONS,
    );
    let form = bot.interact(click).await;
    assert_eq!(form.body["type"], 9, "a modal");
    assert_eq!(form.body["data"]["custom_id"], json!(answer_id));

    let submit = bot.fake.modal_submit(
        answer_id,
        &[("answer", "select_related uses a SQL join")],
        ANN,
        "ann",
        NO_PERMISSIONS,
    );
    let result = bot.interact(submit).await;
    assert!(is_ephemeral(&result), "{:?}", result.body);
    let text = content(&result);
    assert!(
        text.contains("Your practice answer: **61/100** (rated hard)."),
        "{text}"
    );
    assert!(
        text.contains("✅ `select_related()` uses a SQL join"),
        "{text}"
    );
    assert!(text.contains("⬜ `prefetch_related()` runs a second query"));
    assert!(text.contains("Both avoid the N+1 query problem."));
    let first_due = due_as_written(&bot, "select-vs-prefetch").await;
    assert!(
        text.contains(&format!("It comes back {first_due}.")),
        "{text}"
    );
    let ratings: Vec<String> = buttons(&result).into_iter().map(|(l, _)| l).collect();
    assert_eq!(ratings, ["Again", "Hard", "Good", "Easy"]);

    let good = &buttons(&result)[2].1;
    let click = bot.fake.button_click(
        good,
        result.body["data"].clone(),
        ANN,
        "ann",
        NO_PERMISSIONS,
    );
    let rated = bot.interact(click).await;
    assert!(is_ephemeral(&rated), "{:?}", rated.body);
    let later_due = due_as_written(&bot, "select-vs-prefetch").await;
    assert_ne!(later_due, first_due, "rated good, it comes back later");
    assert_eq!(
        content(&rated),
        format!("Rated **good**: it comes back {later_due}.")
    );

    let channel_posts = format!("/api/v10/channels/{CHANNEL_ID}/messages");
    assert!(
        !bot.fake
            .requests()
            .iter()
            .any(|r| r.method == "POST" && r.path == channel_posts),
        "nothing was posted in the channel"
    );
    assert_eq!(public_messages(&bot), Vec::<Value>::new());
    let board = bot
        .slash("leaderboard", json!([]), BOB, "bob", NO_PERMISSIONS)
        .await;
    assert_eq!(
        board.body["data"]["embeds"][0]["description"],
        "No revealed answers yet."
    );
}

#[tokio::test]
async fn practice_is_registered_as_seven_steps_described_within_discords_limits() {
    let bot = spawn_bot(DECK).await;
    let commands = bot.fake.wait_for_commands(WAIT).await.expect("registered");
    let registered = commands
        .as_array()
        .and_then(|all| all.iter().find(|c| c["name"] == "practice"))
        .cloned()
        .expect("/practice is registered");
    let steps: Vec<&str> = registered["options"]
        .as_array()
        .expect("subcommands")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "next",
            "answer",
            "rate",
            "retention",
            "status",
            "remind",
            "remind-off"
        ]
    );
    assert_eq!(
        registered["options"][1]["options"][0]["max_length"],
        json!(4000)
    );
    let mut described = vec![&registered];
    while let Some(command) = described.pop() {
        let description = command["description"].as_str().unwrap_or_default();
        assert!(
            (1..=100).contains(&description.chars().count()),
            "Discord takes 1 to 100 characters: {description}"
        );
        described.extend(command["options"].as_array().into_iter().flatten());
    }
}

#[tokio::test]
async fn typed_practice_steps_answer_privately_and_bad_input_changes_nothing() {
    let bot = spawn_bot(DECK).await;
    let step = |name: &str, options: Value| {
        bot.slash(
            "practice",
            practice(name, options),
            ANN,
            "ann",
            NO_PERMISSIONS,
        )
    };
    let card = step("next", json!([])).await;
    assert!(is_ephemeral(&card));
    let answer = json!([text_option(
        "text",
        "select_related does a SQL join, prefetch_related runs a second query"
    )]);
    let result = step("answer", answer).await;
    assert!(is_ephemeral(&result));
    assert!(
        content(&result).starts_with("Your practice answer: **86/100** (rated good)."),
        "{}",
        content(&result)
    );
    let rated = step("rate", json!([{"type": 4, "name": "rating", "value": 3}])).await;
    assert!(is_ephemeral(&rated));
    assert!(
        content(&rated).starts_with("Rated **easy**"),
        "{}",
        content(&rated)
    );

    // Input Discord cannot check is explained privately, and nothing is stored.
    let too_low = step("retention", json!([text_option("value", "0.5")])).await;
    assert!(is_ephemeral(&too_low));
    assert!(content(&too_low).contains("between 0.70 and 0.97"));
    let nowhere = json!([
        text_option("time", "25:00"),
        text_option("zone", "Europe/Berlin")
    ]);
    let bad_time = step("remind", nowhere).await;
    assert!(is_ephemeral(&bad_time));
    assert_eq!(bot.count("SELECT COUNT(*) FROM practice_settings").await, 0);
    assert_eq!(
        bot.count("SELECT COUNT(*) FROM practice_reminders").await,
        0
    );
    let none_to_stop = step("remind-off", json!([])).await;
    assert!(is_ephemeral(&none_to_stop));
    assert!(content(&none_to_stop).contains("no practice reminder to turn off"));

    let chosen = step("retention", json!([text_option("value", "85%")])).await;
    assert!(is_ephemeral(&chosen));
    assert!(content(&chosen).contains("Your desired retention is now 85%"));
    let status = step("status", json!([])).await;
    assert!(is_ephemeral(&status));
    assert!(
        content(&status).contains("1 question(s) met in 1 review(s)"),
        "{}",
        content(&status)
    );
    assert!(content(&status).contains("(goal 85%)"));
    assert_eq!(public_messages(&bot), Vec::<Value>::new());
}

#[tokio::test]
async fn a_players_own_stats_show_their_practice_as_a_field() {
    let bot = spawn_bot(DECK).await;
    practise_and_miss(&bot, ANN, "ann").await;
    let stats = bot
        .slash("stats", json!([]), ANN, "ann", NO_PERMISSIONS)
        .await;
    let fields = stats.body["data"]["embeds"][0]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let practice_field = fields
        .iter()
        .find(|f| f["name"] == "Practice")
        .expect("a Practice field");
    assert!(
        practice_field["value"].as_str().is_some_and(
            |v| v.starts_with("0 due now, 1 this week; 1 question(s) met in 1 review(s)")
        )
    );
}

/// The player practises and answers badly: the question is due again the next day. Returns the
/// result's callback (with its rating buttons).
async fn practise_and_miss(bot: &TestBot, user: u64, name: &str) -> RecordedRequest {
    bot.slash(
        "practice",
        practice("next", json!([])),
        user,
        name,
        NO_PERMISSIONS,
    )
    .await;
    let miss = json!([text_option("text", "no idea")]);
    let result = bot
        .slash(
            "practice",
            practice("answer", miss),
            user,
            name,
            NO_PERMISSIONS,
        )
        .await;
    assert!(
        content(&result).contains("(rated again)"),
        "{}",
        content(&result)
    );
    result
}

async fn remind_at_0830_in_berlin(bot: &TestBot, user: u64, name: &str) {
    let options = json!([
        text_option("time", "08:30"),
        text_option("zone", "Europe/Berlin")
    ]);
    let set = bot
        .slash(
            "practice",
            practice("remind", options),
            user,
            name,
            NO_PERMISSIONS,
        )
        .await;
    assert!(is_ephemeral(&set));
    assert!(
        content(&set).contains("Reminders on: 08:30 Europe/Berlin"),
        "{}",
        content(&set)
    );
}

/// 08:30 in Berlin, `days` days after today there.
fn berlin_0830_in(days: u64) -> DateTime<Utc> {
    let berlin = chrono_tz::Europe::Berlin;
    let today = Utc::now().with_timezone(&berlin).date_naive();
    let day = today.checked_add_days(Days::new(days)).expect("a date");
    berlin
        .from_local_datetime(&day.and_hms_opt(8, 30, 0).expect("a time"))
        .earliest()
        .expect("08:30 exists in Berlin")
        .with_timezone(&Utc)
}

/// How often the bot asked to open a DM channel with `user`.
fn dm_openings(bot: &TestBot, user: u64) -> usize {
    bot.fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v10/users/@me/channels")
        .filter(|r| r.body["recipient_id"].as_str() == Some(user.to_string().as_str()))
        .count()
}

#[tokio::test]
async fn a_player_with_something_due_gets_one_reminder_dm_at_their_local_time() {
    let bot = spawn_bot(DECK).await;
    practise_and_miss(&bot, ANN, "ann").await;
    remind_at_0830_in_berlin(&bot, ANN, "ann").await;
    let outbox = bot.outbox();
    let at = berlin_0830_in(2);

    drip_once(&bot.engine, &outbox, at - chrono::Duration::minutes(1)).await;
    assert_eq!(bot.fake.direct_messages(ANN).len(), 0, "not before 08:30");
    drip_once(&bot.engine, &outbox, at).await;
    drip_once(&bot.engine, &outbox, at + chrono::Duration::minutes(5)).await;
    let dms = bot.fake.direct_messages(ANN);
    assert_eq!(dms.len(), 1, "{dms:?}");
    assert!(dms[0]["content"]
        .as_str()
        .is_some_and(|c| c.starts_with("One question is waiting for practice.")));
    let dm_path = format!(
        "/api/v10/channels/{}/messages",
        dms[0]["channel_id"].as_str().expect("the DM's channel")
    );
    let sent = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == dm_path)
        .expect("the DM's request");
    assert_eq!(sent.body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(public_messages(&bot), Vec::<Value>::new());
}

/// Asserts that the interaction of `token` got an ephemeral follow-up saying reminders stopped.
async fn assert_told_reminders_are_off(bot: &TestBot, token: &str) {
    let followup_path = format!("/api/v10/webhooks/{APPLICATION_ID}/{token}");
    let told = bot
        .fake
        .wait_for_request(|r| r.method == "POST" && r.path == followup_path, WAIT)
        .await
        .expect("a follow-up");
    assert_eq!(told.body["flags"], json!(64), "ephemeral");
    assert!(told.body["content"]
        .as_str()
        .is_some_and(|c| c.starts_with("Your practice reminders are off")));
}

#[tokio::test]
async fn a_player_who_refuses_dms_has_reminders_stopped_and_is_told_once() {
    let bot = spawn_bot(DECK).await;
    practise_and_miss(&bot, BOB, "bob").await;
    remind_at_0830_in_berlin(&bot, BOB, "bob").await;
    bot.fake.close_dms(BOB);
    let outbox = bot.outbox();
    let at = berlin_0830_in(2);

    drip_once(&bot.engine, &outbox, at).await;
    assert_eq!(dm_openings(&bot, BOB), 1, "one attempt");
    for later in 1..=2 {
        drip_once(&bot.engine, &outbox, at + chrono::Duration::days(later)).await;
    }
    assert_eq!(dm_openings(&bot, BOB), 1, "no attempts on later days");
    assert_eq!(bot.fake.direct_messages(BOB).len(), 0);

    // The next practice step answers as usual, then says why reminders stopped.
    let status = bot.fake.slash_command(
        "practice",
        practice("status", json!([])),
        BOB,
        "bob",
        NO_PERMISSIONS,
    );
    let token = status["token"].as_str().expect("a token").to_string();
    let answered = bot.interact(status).await;
    assert!(is_ephemeral(&answered));
    assert!(content(&answered).contains("Your practice"));
    assert_told_reminders_are_off(&bot, &token).await;
    assert!(
        content(&answered).contains("No reminder;"),
        "the status no longer shows the reminder"
    );

    // Once only.
    let again = bot.fake.slash_command(
        "practice",
        practice("status", json!([])),
        BOB,
        "bob",
        NO_PERMISSIONS,
    );
    let token = again["token"].as_str().expect("a token").to_string();
    bot.interact(again).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !bot.fake
            .requests()
            .iter()
            .any(|r| r.path.contains(&token) && r.path.starts_with("/api/v10/webhooks/")),
        "told once"
    );
}

#[tokio::test]
async fn a_schedule_set_with_focus_weak_is_stored_and_shown() {
    let bot = spawn_bot(DECK).await;
    let set = json!([{"type": 1, "name": "set", "options": [
        text_option("time", "09:00"),
        text_option("zone", "Europe/Berlin"),
        text_option("weekdays", "mon-fri"),
        {"type": 4, "name": "focus", "value": 1},
    ]}]);
    bot.slash("schedule", set, 1, "admin", MANAGE_GUILD).await;
    let focus: String = sqlx::query_scalar("SELECT focus FROM schedules")
        .fetch_one(bot.store.pool())
        .await
        .expect("a schedule");
    assert_eq!(focus, "weak");
    let show = json!([{"type": 1, "name": "show", "options": []}]);
    let shown = bot
        .slash("schedule", show, BOB, "bob", NO_PERMISSIONS)
        .await;
    assert!(
        content(&shown).contains("Focus weak: what this channel is likeliest to have forgotten"),
        "{}",
        content(&shown)
    );
}

#[tokio::test]
async fn a_player_whose_dms_are_closed_is_told_after_a_rating_button_too() {
    let bot = spawn_bot(DECK).await;
    let result = practise_and_miss(&bot, BOB, "bob").await;
    remind_at_0830_in_berlin(&bot, BOB, "bob").await;
    bot.fake.close_dms(BOB);
    drip_once(&bot.engine, &bot.outbox(), berlin_0830_in(2)).await;
    assert_eq!(dm_openings(&bot, BOB), 1, "one attempt");

    let hard = &buttons(&result)[1].1;
    let click = bot.fake.button_click(
        hard,
        result.body["data"].clone(),
        BOB,
        "bob",
        NO_PERMISSIONS,
    );
    let token = click["token"].as_str().expect("a token").to_string();
    let rated = bot.interact(click).await;
    assert!(
        content(&rated).starts_with("Rated **hard**"),
        "{}",
        content(&rated)
    );
    assert_told_reminders_are_off(&bot, &token).await;
}
