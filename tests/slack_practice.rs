//! Personal practice on Slack, end to end through the fake Slack (tests/support/fake_slack.rs):
//! `/interview practice` and its steps answered privately, the answer modal and the rating buttons,
//! reminders sent as direct messages by the drip (driven with chosen instants), and a schedule's
//! focus.

#[path = "support/fake_slack.rs"]
mod fake_slack;

use chrono::{DateTime, Duration, Utc};
use fake_slack::*;
use serde_json::Value;

/// An answer that covers the first of the question's three key points.
const PARTIAL_ANSWER: &str = "select_related uses a SQL join";

/// The text a message shows (its notification text holds every line).
fn text_of(message: &Value) -> String {
    message["text"].as_str().unwrap_or_default().to_string()
}

/// The buttons under a message: (action id, label, value).
fn buttons_of(message: &Value) -> Vec<(String, String, String)> {
    let field = |v: &Value| v.as_str().unwrap_or_default().to_string();
    message["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|block| block["type"] == "actions")
        .flat_map(|block| block["elements"].as_array().cloned().unwrap_or_default())
        .map(|b| {
            (
                field(&b["action_id"]),
                field(&b["text"]["text"]),
                field(&b["value"]),
            )
        })
        .collect()
}

/// The value of the button `action_id` under a message.
fn value_of(message: &Value, action_id: &str) -> String {
    buttons_of(message)
        .into_iter()
        .find(|(id, _, _)| id == action_id)
        .map(|(_, _, value)| value)
        .unwrap_or_else(|| panic!("no `{action_id}` button under {message}"))
}

/// When a practice reply says the question comes back (`on Tue 2026-12-08 at 10:00 UTC`).
fn comes_back(text: &str) -> String {
    let (_, after) = text
        .split_once("comes back ")
        .unwrap_or_else(|| panic!("no due date in {text}"));
    after.split(" UTC").next().unwrap_or_default().to_string()
}

/// `user` takes a practice question and misses it, so it is due again tomorrow.
async fn miss_a_practice_question(slack: &TestSlack, user: &str) {
    let card = slack.command(user, "bob", "practice").await;
    assert_eq!(card["response_type"], "ephemeral", "{card}");
    let result = slack.command(user, "bob", "practice answer no idea").await;
    assert!(text_of(&result).contains("*0/100*"), "{result}");
}

/// 09:00 in Tokyo (00:00 UTC) the day after tomorrow, when a question missed today is due.
fn nine_in_tokyo_the_day_after_tomorrow() -> DateTime<Utc> {
    (Utc::now() + Duration::days(2))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
}

async fn drip_at(slack: &TestSlack, at: DateTime<Utc>) {
    interview_bot::deliver::drip_once(&slack.engine, &*slack.app, at).await;
}

#[tokio::test]
async fn practice_is_a_private_card_answered_in_the_modal_and_rated_with_a_button() {
    let slack = spawn_slack().await;
    let card = slack.command("U0002", "bob", "practice").await;
    assert_eq!(card["response_type"], "ephemeral", "{card}");
    assert!(
        text_of(&card).contains("What is the difference between `select_related()`"),
        "{card}"
    );
    let answer = value_of(&card, "panswer");
    assert_eq!(
        buttons_of(&card),
        [("panswer".to_string(), "Answer".to_string(), answer.clone())]
    );

    let click = click_answered_at("U0002", "panswer", &answer, &slack.response_url());
    assert_eq!(slack.interaction(click).await, 200);
    let opened = slack.wait_for_calls("views.open", 1).await;
    let view = &opened[0]["view"];
    assert_eq!(opened[0]["trigger_id"], "1234.5678.abcdef");
    assert_eq!(view["callback_id"], "answer");
    let metadata = view["private_metadata"].as_str().expect("metadata");
    assert!(
        metadata.starts_with(&format!("{CHANNEL}:panswer:{answer}:")),
        "{metadata}"
    );

    let submission = answer_submission(view, metadata, PARTIAL_ANSWER);
    assert_eq!(slack.interaction(submission).await, 200);
    let result = slack.wait_for_calls("response", 1).await[0].clone();
    assert_eq!(result["replace_original"], false, "a new private message");
    let shown = text_of(&result);
    assert!(shown.contains("Your practice answer: *"), "{shown}");
    assert!(
        shown.contains("✅ `select_related()` uses a SQL join"),
        "{shown}"
    );
    assert!(
        shown.contains("⬜ `prefetch_related()` runs a second query"),
        "{shown}"
    );
    assert!(shown.contains("Both avoid the N+1 problem"), "{shown}");
    let labels: Vec<String> = buttons_of(&result).into_iter().map(|(_, l, _)| l).collect();
    assert_eq!(labels, ["Again", "Hard", "Good", "Easy"]);
    let earned = comes_back(&shown);

    let good = value_of(&result, "prate:2");
    let click = click_answered_at("U0002", "prate:2", &good, &slack.response_url());
    assert_eq!(slack.interaction(click).await, 200);
    let rated = slack.wait_for_calls("response", 2).await[1].clone();
    let shown = text_of(&rated);
    assert!(shown.contains("Rated *good*"), "{shown}");
    assert_ne!(comes_back(&shown), earned, "the rating moved the due date");

    assert!(slack.channel_posts().is_empty(), "nothing public");
    let board = slack.command("U0002", "bob", "leaderboard all").await;
    assert!(
        text_of(&board).contains("No revealed answers yet."),
        "{board}"
    );
}

#[tokio::test]
async fn typed_practice_steps_are_answered_privately_and_stats_show_the_practice_line() {
    let slack = spawn_slack().await;
    for (text, expected) in [
        ("practice orm", "Practice — orm, medium, new"),
        (
            &format!("practice answer {PARTIAL_ANSWER}"),
            "Your practice answer: *",
        ),
        ("practice rate easy", "Rated *easy*"),
        (
            "practice retention 0.85",
            "Your desired retention is now 85%",
        ),
        ("practice status", "1 question(s) met in 1 review(s)"),
    ] {
        let reply = slack.command("U0002", "bob", text).await;
        assert_eq!(reply["response_type"], "ephemeral", "`{text}`: {reply}");
        assert!(text_of(&reply).contains(expected), "`{text}`: {reply}");
    }
    let stats = slack.command("U0002", "bob", "stats").await;
    let shown = text_of(&stats);
    assert!(
        shown.contains("Practice: 0 due now, 0 this week; 1 question(s) met in 1 review(s)"),
        "{shown}"
    );
    assert!(shown.contains("(goal 85%)"), "{shown}");
    assert!(slack.channel_posts().is_empty(), "nothing posted");
}

#[tokio::test]
async fn a_reminder_is_one_direct_message_per_local_day_however_often_the_drip_runs() {
    let slack = spawn_slack().await;
    miss_a_practice_question(&slack, "U0002").await;
    let set = slack
        .command("U0002", "bob", "practice remind 09:00 Asia/Tokyo")
        .await;
    assert_eq!(set["response_type"], "ephemeral", "{set}");
    assert!(
        text_of(&set).contains("Reminders on: 09:00 Asia/Tokyo"),
        "{set}"
    );

    let nine = nine_in_tokyo_the_day_after_tomorrow();
    drip_at(&slack, nine + Duration::minutes(5)).await;
    drip_at(&slack, nine + Duration::hours(14)).await; // 23:00 in Tokyo, the same day
    let sent = slack.direct_messages_to("U0002");
    assert_eq!(sent.len(), 1, "{sent:?}");
    let shown = text_of(&sent[0]);
    assert!(
        shown.contains("One question is waiting for practice. `/interview practice`"),
        "{shown}"
    );
    drip_at(&slack, nine + Duration::minutes(15 * 60 + 30)).await; // 00:30 the next day
    assert_eq!(
        slack.direct_messages_to("U0002").len(),
        1,
        "not before 09:00"
    );
    drip_at(&slack, nine + Duration::days(1) + Duration::minutes(5)).await;
    assert_eq!(slack.direct_messages_to("U0002").len(), 2, "the next day's");
    assert!(
        slack.channel_posts().is_empty(),
        "reminders are never public"
    );
}

#[tokio::test]
async fn a_user_slack_will_not_message_loses_reminders_is_not_tried_again_and_is_told_once() {
    let slack = spawn_slack().await;
    let refusing = [
        ("U0003", "messages_tab_disabled"),
        ("U0004", "cannot_dm_bot"),
    ];
    for (user, error) in refusing {
        slack.refuse_direct_messages(user, error);
        miss_a_practice_question(&slack, user).await;
        slack
            .command(user, "bob", "practice remind 09:00 Asia/Tokyo")
            .await;
    }
    let nine = nine_in_tokyo_the_day_after_tomorrow();
    drip_at(&slack, nine + Duration::minutes(5)).await;
    for (user, _) in refusing {
        assert_eq!(slack.direct_messages_to(user).len(), 1, "{user} was tried");
    }
    assert_eq!(
        slack
            .count("SELECT COUNT(*) FROM practice_reminders WHERE refused_at IS NOT NULL")
            .await,
        2,
        "both reminders are off"
    );
    drip_at(&slack, nine + Duration::days(1) + Duration::minutes(5)).await;
    drip_at(&slack, nine + Duration::days(2) + Duration::minutes(5)).await;
    for (user, _) in refusing {
        assert_eq!(slack.direct_messages_to(user).len(), 1, "{user} not again");
    }

    let told = |slack: &TestSlack| {
        slack
            .calls("response")
            .into_iter()
            .filter(|r| text_of(r).contains("Your practice reminders are off"))
            .collect::<Vec<_>>()
    };
    for (n, (user, _)) in refusing.into_iter().enumerate() {
        let status = slack.command(user, "bob", "practice status").await;
        assert_eq!(status["response_type"], "ephemeral", "{status}");
        assert!(text_of(&status).contains("No reminder;"), "{status}");
        let started = std::time::Instant::now();
        while told(&slack).len() <= n {
            assert!(started.elapsed() < std::time::Duration::from_secs(10));
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    let notice = text_of(&told(&slack)[0]);
    assert!(
        notice.contains("Allow direct messages from this workspace's members or apps"),
        "{notice}"
    );
    assert!(
        notice.contains("`/interview practice remind HH:MM Area/City`"),
        "{notice}"
    );
    for (user, _) in refusing {
        slack.command(user, "bob", "practice status").await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(told(&slack).len(), 2, "each is told once");
}

#[tokio::test]
async fn a_form_whose_response_url_expired_still_shows_its_result_privately() {
    let slack = spawn_slack().await;
    let card = slack.command("U0002", "bob", "practice").await;
    let answer = value_of(&card, "panswer");
    let click = click_answered_at("U0002", "panswer", &answer, &slack.expired_response_url());
    assert_eq!(slack.interaction(click).await, 200);
    let opened = slack.wait_for_calls("views.open", 1).await;
    let view = &opened[0]["view"];
    let metadata = view["private_metadata"].as_str().expect("metadata");
    let submission = answer_submission(view, metadata, PARTIAL_ANSWER);
    assert_eq!(slack.interaction(submission).await, 200);

    let private = slack.wait_for_calls("chat.postEphemeral", 1).await;
    assert_eq!(private[0]["user"], "U0002");
    assert_eq!(private[0]["channel"], CHANNEL);
    assert!(
        text_of(&private[0]).contains("Your practice answer: *"),
        "{}",
        private[0]
    );
    assert_eq!(slack.calls("expired").len(), 1, "the expired URL was tried");
    assert!(slack.channel_posts().is_empty());
}

#[tokio::test]
async fn a_schedule_set_to_focus_on_weak_spots_says_so_when_shown() {
    let slack = spawn_slack().await;
    slack
        .command(
            ADMIN,
            "admin",
            "schedule set 09:00 Europe/Berlin mon-fri focus weak",
        )
        .await;
    let shown = slack.command("U0002", "bob", "schedule show").await;
    let text = text_of(&shown);
    assert!(
        text.contains("Question of the day: 09:00 Europe/Berlin on Mon–Fri"),
        "{text}"
    );
    assert!(
        text.contains("Focus weak: what this channel is likeliest to have forgotten"),
        "{text}"
    );
}
