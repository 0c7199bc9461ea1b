//! Practice reminders through the drip, with instants chosen by each test: one private message per
//! local day when something is due (across daylight-saving changes too), tried again after a
//! failure, and stopped — with the player told once — when the platform refuses it.

#[path = "support/engine.rs"]
mod test_engine;

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, TimeZone as _, Utc};
use interview_bot::core::command::{Actor, ChannelRef, Command, Platform};
use interview_bot::core::grammar::Grammar;
use interview_bot::core::practice::PracticeReply;
use interview_bot::core::reply::{Reply, ReplyBody};
use interview_bot::deliver::{self, DirectError, Outbox};
use interview_bot::engine::Engine;
use test_engine::engine_with_deck;

const DECK: &str = "---\nid: test\ntitle: Test deck\n---\n\n\
## How does Django protect against CSRF?\n\n\
id: csrf | tags: security | difficulty: medium\n\n\
- a secret token in every form\n\
- the middleware checks the token on unsafe methods\n";

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid instant")
}

fn command(platform: Platform, user: &str, text: &str) -> Command {
    Command {
        channel: ChannelRef {
            platform,
            workspace: "team".into(),
            channel: "study".into(),
        },
        actor: Actor {
            user: user.into(),
            display_name: user.into(),
            is_admin: false,
        },
        action: Grammar::of(platform)
            .parse(text)
            .expect("parses")
            .expect("an action"),
    }
}

async fn say(
    engine: &Engine,
    platform: Platform,
    user: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Vec<Reply> {
    engine.handle(&command(platform, user, text), now).await
}

/// `user` misses a practice question at `now`, so it is due from the next day on.
async fn miss_a_question(engine: &Engine, platform: Platform, user: &str, now: DateTime<Utc>) {
    say(engine, platform, user, "practice", now).await;
    let replies = say(engine, platform, user, "practice answer no idea", now).await;
    assert!(
        matches!(
            &replies[0].body,
            ReplyBody::Practice(PracticeReply::Result(_))
        ),
        "{replies:?}"
    );
}

/// The console's reminders from `from` to `to` in five-minute ticks, each marked sent: the instant
/// of each, by the local date it was for.
async fn reminders_between(
    engine: &Engine,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> BTreeMap<NaiveDate, Vec<DateTime<Utc>>> {
    let mut sent: BTreeMap<NaiveDate, Vec<DateTime<Utc>>> = BTreeMap::new();
    let mut now = from;
    while now <= to {
        for reminder in engine
            .reminders_to_send(now, Platform::Console)
            .await
            .expect("reminders")
        {
            let ReplyBody::Practice(PracticeReply::Reminder { date, due }) = reminder.body else {
                panic!("{reminder:?}");
            };
            assert!(due >= 1);
            sent.entry(date).or_default().push(now);
            engine
                .reminder_sent(&reminder, now)
                .await
                .expect("recorded");
        }
        now += Duration::minutes(5);
    }
    sent
}

#[tokio::test]
async fn a_reminder_at_a_time_skipped_in_spring_comes_once_a_day_and_right_after_the_gap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "reminders.db").await;
    miss_a_question(&engine, Platform::Console, "ann", utc(2027, 3, 25, 12, 0)).await;
    say(
        &engine,
        Platform::Console,
        "ann",
        "practice remind 02:30 Europe/Berlin",
        utc(2027, 3, 25, 12, 0),
    )
    .await;
    let sent = reminders_between(&engine, utc(2027, 3, 25, 12, 0), utc(2027, 3, 30, 12, 0)).await;
    let days: Vec<String> = sent.keys().map(|d| d.to_string()).collect();
    // Nothing is due until the 26th at noon, after that day's reminder time.
    assert_eq!(
        days,
        ["2027-03-27", "2027-03-28", "2027-03-29", "2027-03-30"]
    );
    assert!(sent.values().all(|at| at.len() == 1), "{sent:?}");
    let date = |s: &str| s.parse::<NaiveDate>().expect("date");
    assert_eq!(
        sent[&date("2027-03-27")],
        [utc(2027, 3, 27, 1, 30)],
        "02:30 CET"
    );
    assert_eq!(
        sent[&date("2027-03-28")],
        [utc(2027, 3, 28, 1, 0)],
        "03:00 CEST, after the gap"
    );
    assert_eq!(
        sent[&date("2027-03-29")],
        [utc(2027, 3, 29, 0, 30)],
        "02:30 CEST"
    );
}

#[tokio::test]
async fn a_reminder_at_a_time_that_comes_twice_in_autumn_is_sent_once_at_the_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "reminders.db").await;
    miss_a_question(&engine, Platform::Console, "ann", utc(2026, 10, 22, 12, 0)).await;
    say(
        &engine,
        Platform::Console,
        "ann",
        "practice remind 02:30 Europe/Berlin",
        utc(2026, 10, 22, 12, 0),
    )
    .await;
    let sent = reminders_between(&engine, utc(2026, 10, 24, 12, 0), utc(2026, 10, 26, 12, 0)).await;
    let date = |s: &str| s.parse::<NaiveDate>().expect("date");
    assert_eq!(
        sent[&date("2026-10-25")],
        [utc(2026, 10, 25, 0, 30)],
        "the first 02:30 (CEST)"
    );
    assert_eq!(
        sent[&date("2026-10-26")],
        [utc(2026, 10, 26, 1, 30)],
        "02:30 CET"
    );
    assert!(sent.values().all(|at| at.len() == 1), "{sent:?}");
}

#[tokio::test]
async fn no_reminder_comes_on_days_off_or_when_nothing_is_due() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "reminders.db").await;
    // Bob has nothing due: he never practised.
    say(
        &engine,
        Platform::Console,
        "bob",
        "practice remind 08:00 UTC",
        utc(2026, 12, 1, 12, 0),
    )
    .await;
    miss_a_question(&engine, Platform::Console, "ann", utc(2026, 12, 1, 12, 0)).await;
    // Tuesday 2026-12-01; Ann is reminded on weekends only.
    say(
        &engine,
        Platform::Console,
        "ann",
        "practice remind 08:00 UTC sat,sun",
        utc(2026, 12, 1, 12, 0),
    )
    .await;
    let sent = reminders_between(&engine, utc(2026, 12, 1, 12, 0), utc(2026, 12, 7, 12, 0)).await;
    let days: Vec<String> = sent.keys().map(|d| d.to_string()).collect();
    assert_eq!(days, ["2026-12-05", "2026-12-06"]);
    let off = say(
        &engine,
        Platform::Console,
        "ann",
        "practice remind off",
        utc(2026, 12, 7, 12, 0),
    )
    .await;
    assert!(matches!(&off[0].body, ReplyBody::Notice(_)), "{off:?}");
    assert!(
        reminders_between(&engine, utc(2026, 12, 7, 12, 0), utc(2026, 12, 14, 12, 0))
            .await
            .is_empty()
    );
    let again = say(
        &engine,
        Platform::Console,
        "ann",
        "practice remind off",
        utc(2026, 12, 14, 12, 0),
    )
    .await;
    assert!(matches!(&again[0].body, ReplyBody::Problem(_)), "{again:?}");
}

/// An outbox that only sends direct messages: to the users it was told refuse them, a refusal; while
/// `down`, a failure.
#[derive(Default)]
struct DirectOutbox {
    sent: Mutex<Vec<(String, DateTime<Utc>)>>,
    closed: Mutex<Vec<String>>,
    down: Mutex<bool>,
    attempts: Mutex<usize>,
}

impl Outbox for DirectOutbox {
    const PLATFORM: Platform = Platform::Slack;

    async fn post(&self, _reply: &Reply, _reply_to: Option<String>) -> anyhow::Result<String> {
        anyhow::bail!("nothing is posted in these tests")
    }

    async fn send_private(&self, _reply: &Reply, _user: &str) -> anyhow::Result<()> {
        Ok(())
    }

    async fn send_direct(&self, reply: &Reply, user: &str) -> Result<(), DirectError> {
        *self.attempts.lock().expect("attempts") += 1;
        if self
            .closed
            .lock()
            .expect("closed")
            .iter()
            .any(|u| u == user)
        {
            return Err(DirectError::Refused);
        }
        if *self.down.lock().expect("down") {
            return Err(DirectError::Failed(anyhow::anyhow!("the platform is down")));
        }
        let ReplyBody::Practice(PracticeReply::Reminder { date, .. }) = &reply.body else {
            panic!("only reminders go direct: {reply:?}");
        };
        let noon = date.and_hms_opt(12, 0, 0).expect("noon").and_utc();
        self.sent
            .lock()
            .expect("sent")
            .push((user.to_string(), noon));
        Ok(())
    }
}

#[tokio::test]
async fn a_failed_reminder_is_tried_again_and_a_refused_one_stops_reminders_and_is_told_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "reminders.db").await;
    let outbox = DirectOutbox::default();
    for user in ["U1", "U2"] {
        miss_a_question(&engine, Platform::Slack, user, utc(2026, 12, 1, 12, 0)).await;
        say(
            &engine,
            Platform::Slack,
            user,
            "practice remind 13:00 UTC",
            utc(2026, 12, 1, 12, 0),
        )
        .await;
    }
    outbox.closed.lock().expect("closed").push("U2".into());
    *outbox.down.lock().expect("down") = true;
    deliver::drip_once(&engine, &outbox, utc(2026, 12, 2, 13, 0)).await;
    assert!(outbox.sent.lock().expect("sent").is_empty());
    *outbox.down.lock().expect("down") = false;
    deliver::drip_once(&engine, &outbox, utc(2026, 12, 2, 13, 5)).await;
    deliver::drip_once(&engine, &outbox, utc(2026, 12, 2, 13, 10)).await;
    let sent: Vec<String> = outbox
        .sent
        .lock()
        .expect("sent")
        .iter()
        .map(|(u, _)| u.clone())
        .collect();
    assert_eq!(sent, ["U1"], "sent once after the outage; U2 refused");

    let attempts = *outbox.attempts.lock().expect("attempts");
    for day in 3..6 {
        deliver::drip_once(&engine, &outbox, utc(2026, 12, day, 13, 0)).await;
    }
    let later = *outbox.attempts.lock().expect("attempts") - attempts;
    assert_eq!(later, 3, "U1 once a day; U2 never again");

    let told = say(
        &engine,
        Platform::Slack,
        "U2",
        "practice status",
        utc(2026, 12, 5, 14, 0),
    )
    .await;
    assert!(
        told.iter()
            .any(|r| matches!(r.body, ReplyBody::Practice(PracticeReply::RemindersStopped))),
        "{told:?}"
    );
    let again = say(
        &engine,
        Platform::Slack,
        "U2",
        "practice status",
        utc(2026, 12, 5, 14, 5),
    )
    .await;
    assert!(
        !again
            .iter()
            .any(|r| matches!(r.body, ReplyBody::Practice(PracticeReply::RemindersStopped))),
        "told once"
    );
    let PracticeReply::Status(status) = (match &again[0].body {
        ReplyBody::Practice(reply) => reply.clone(),
        other => panic!("{other:?}"),
    }) else {
        panic!("a status");
    };
    assert_eq!(status.reminder, None, "U2's reminder is off");
}
