//! The daily drip at scale: each schedule stores the instant of its next post, a run reads only the
//! schedules whose instant has come, and that instant moves on with posts, schedule changes,
//! weekdays, clock changes and restarts, without ever posting twice for a local date.

#[path = "support/engine.rs"]
mod engine_support;

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use interview_bot::core::command::{Action, Actor, ChannelRef, Command, Platform, ScheduleAction};
use interview_bot::core::grammar::Grammar;
use interview_bot::core::reply::{Reply, ReplyBody};
use interview_bot::engine::Engine;
use interview_bot::store::Store;

use engine_support::engine_with_deck;

const DECK: &str = "---\nid: test\ntitle: Test deck\nnotes: notes.md\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium | section: ORM\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\n\
## How does Python manage memory?\n\n\
id: python-memory | tags: python | difficulty: easy | section: Memory\n\n\
- objects live on a private heap\n\
- reference counting frees objects\n";

const DB: &str = "drip.db";

struct Drip {
    engine: Arc<Engine>,
    store: Arc<Store>,
    dir: tempfile::TempDir,
}

async fn spawn_drip() -> Drip {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, DB).await;
    Drip { engine, store, dir }
}

fn channel(name: &str) -> ChannelRef {
    channel_on(Platform::Discord, name)
}

fn channel_on(platform: Platform, name: &str) -> ChannelRef {
    ChannelRef {
        platform,
        workspace: "team-1".into(),
        channel: name.into(),
    }
}

fn admin() -> Actor {
    Actor {
        user: "id-admin".into(),
        display_name: "admin".into(),
        is_admin: true,
    }
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid instant")
}

fn cards(replies: &[Reply]) -> usize {
    replies
        .iter()
        .filter(|r| matches!(r.body, ReplyBody::QuestionCard(_)))
        .count()
}

impl Drip {
    async fn send_in(
        &self,
        channel: &ChannelRef,
        action: Action,
        now: DateTime<Utc>,
    ) -> Vec<Reply> {
        let command = Command {
            channel: channel.clone(),
            actor: admin(),
            action,
        };
        self.engine.handle(&command, now).await
    }

    async fn schedule_in(&self, channel: &ChannelRef, words: &str, now: DateTime<Utc>) {
        let words: Vec<&str> = words.split_whitespace().collect();
        let action = Grammar::of(channel.platform)
            .schedule(&words)
            .expect("valid schedule");
        self.send_in(channel, Action::Schedule(action), now).await;
    }

    async fn set_schedule(&self, words: &str, now: DateTime<Utc>) {
        self.schedule_in(&channel("study"), &format!("set {words}"), now)
            .await;
    }

    async fn posts_at(&self, now: DateTime<Utc>) -> usize {
        cards(&self.engine.run_due(now).await.expect("the drip runs"))
    }

    /// How many schedules a run at `now` reads.
    async fn due_at(&self, now: DateTime<Utc>) -> usize {
        self.store
            .due_schedules(now, None)
            .await
            .expect("due schedules")
            .len()
    }

    /// The stored instant of the study channel's next post.
    async fn next_post(&self) -> Option<DateTime<Utc>> {
        let millis: Option<i64> = sqlx::query_scalar("SELECT next_post_at FROM schedules")
            .fetch_one(self.store.pool())
            .await
            .expect("one schedule");
        millis.map(|ms| Utc.timestamp_millis_opt(ms).single().expect("instant"))
    }

    /// Runs the drip every five minutes from `from` until `to`, as the ticker does, and returns
    /// the instants at which it posted.
    async fn posts_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let mut posted = Vec::new();
        let mut now = from;
        while now < to {
            for _ in 0..self.posts_at(now).await {
                posted.push(now);
            }
            now += Duration::minutes(5);
        }
        posted
    }

    async fn daily_rounds(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM rounds WHERE origin = 'daily'")
            .fetch_one(self.store.pool())
            .await
            .expect("count")
    }
}

// --- what a run reads ---------------------------------------------------------------------------

#[tokio::test]
async fn a_run_between_two_posts_reads_no_schedule() {
    let drip = spawn_drip().await;
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    assert_eq!(drip.due_at(at(2026, 11, 24, 8, 59)).await, 0);
    assert_eq!(drip.due_at(at(2026, 11, 24, 9, 0)).await, 1);
    assert_eq!(drip.posts_at(at(2026, 11, 24, 9, 0)).await, 1);
    assert_eq!(drip.due_at(at(2026, 11, 24, 9, 5)).await, 0);
    assert_eq!(drip.due_at(at(2026, 11, 25, 8, 59)).await, 0);
    assert_eq!(drip.next_post().await, Some(at(2026, 11, 25, 9, 0)));
}

#[tokio::test]
async fn a_question_of_the_day_revealed_early_leaves_its_channel_unread_until_the_next_day() {
    let drip = spawn_drip().await;
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    assert_eq!(drip.posts_at(at(2026, 11, 24, 9, 0)).await, 1);
    drip.send_in(&channel("study"), Action::Reveal, at(2026, 11, 24, 9, 30))
        .await;
    assert_eq!(drip.due_at(at(2026, 11, 24, 12, 0)).await, 0);
    assert_eq!(drip.posts_at(at(2026, 11, 24, 12, 0)).await, 0);
    assert_eq!(drip.posts_at(at(2026, 11, 25, 9, 0)).await, 1);
}

#[tokio::test]
async fn each_front_door_reads_only_the_due_schedules_of_its_platform() {
    let drip = spawn_drip().await;
    let set = at(2026, 11, 23, 12, 0);
    drip.schedule_in(&channel("study"), "set 09:00 UTC daily", set)
        .await;
    let now = at(2026, 11, 24, 9, 0);
    let on = |platform| drip.store.due_schedules(now, Some(platform));
    assert_eq!(on(Platform::Slack).await.expect("due").len(), 0);
    let discord = on(Platform::Discord).await.expect("due");
    assert_eq!(discord.len(), 1);
    assert_eq!(discord[0].channel, channel("study"));
    let slack_run = drip.engine.run_due_on(now, Some(Platform::Slack)).await;
    assert_eq!(cards(&slack_run.expect("runs")), 0);
    let discord_run = drip.engine.run_due_on(now, Some(Platform::Discord)).await;
    assert_eq!(cards(&discord_run.expect("runs")), 1);
}

// --- schedule changes ---------------------------------------------------------------------------

#[tokio::test]
async fn changing_the_schedule_moves_its_next_post() {
    let drip = spawn_drip().await;
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    assert_eq!(drip.next_post().await, Some(at(2026, 11, 24, 9, 0)));
    drip.set_schedule("10:30 Europe/Berlin daily", at(2026, 11, 23, 13, 0))
        .await;
    assert_eq!(drip.next_post().await, Some(at(2026, 11, 24, 9, 30)));
    assert_eq!(drip.posts_at(at(2026, 11, 24, 9, 0)).await, 0);
    assert_eq!(drip.posts_at(at(2026, 11, 24, 9, 30)).await, 1);
}

#[tokio::test]
async fn moving_the_time_after_todays_post_posts_nothing_more_that_day() {
    let drip = spawn_drip().await;
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    assert_eq!(drip.posts_at(at(2026, 11, 24, 9, 0)).await, 1);
    drip.set_schedule("11:00 UTC daily", at(2026, 11, 24, 10, 0))
        .await;
    assert_eq!(drip.posts_at(at(2026, 11, 24, 11, 0)).await, 0);
    assert_eq!(drip.next_post().await, Some(at(2026, 11, 25, 11, 0)));
    assert_eq!(drip.posts_at(at(2026, 11, 25, 11, 0)).await, 1);
    assert_eq!(drip.daily_rounds().await, 2);
}

#[tokio::test]
async fn a_paused_schedule_is_not_read_and_a_resumed_one_counts_from_the_resume() {
    let drip = spawn_drip().await;
    let study = channel("study");
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    let pause = Action::Schedule(ScheduleAction::Pause);
    drip.send_in(&study, pause, at(2026, 11, 23, 13, 0)).await;
    assert_eq!(drip.next_post().await, None);
    assert_eq!(drip.due_at(at(2026, 11, 24, 9, 0)).await, 0);
    let resume = Action::Schedule(ScheduleAction::Resume);
    drip.send_in(&study, resume, at(2026, 11, 24, 12, 0)).await;
    assert_eq!(drip.next_post().await, Some(at(2026, 11, 25, 9, 0)));
    assert_eq!(drip.posts_at(at(2026, 11, 24, 13, 0)).await, 0);
    assert_eq!(drip.posts_at(at(2026, 11, 25, 9, 0)).await, 1);
}

#[tokio::test]
async fn after_fridays_post_a_weekday_schedule_is_next_read_on_monday() {
    let drip = spawn_drip().await;
    // Friday 27 November 2026, 09:00 in Berlin is 08:00 UTC.
    drip.set_schedule("09:00 Europe/Berlin mon-fri", at(2026, 11, 26, 12, 0))
        .await;
    assert_eq!(drip.posts_at(at(2026, 11, 27, 8, 0)).await, 1);
    assert_eq!(drip.next_post().await, Some(at(2026, 11, 30, 8, 0)));
    assert_eq!(drip.due_at(at(2026, 11, 29, 12, 0)).await, 0);
}

// --- clock changes --------------------------------------------------------------------------------

#[tokio::test]
async fn a_new_york_schedule_posts_at_nine_local_once_a_day_across_spring_forward() {
    let drip = spawn_drip().await;
    // Set at midnight in New York on Friday 6 March; 09:00 EST is 14:00 UTC until Sunday 8 March,
    // then 09:00 EDT is 13:00 UTC.
    let set = at(2026, 3, 6, 5, 0);
    drip.set_schedule("09:00 America/New_York daily", set).await;
    let posts = drip.posts_between(set, at(2026, 3, 10, 0, 0)).await;
    assert_eq!(
        posts,
        [
            at(2026, 3, 6, 14, 0),
            at(2026, 3, 7, 14, 0),
            at(2026, 3, 8, 13, 0),
            at(2026, 3, 9, 13, 0)
        ]
    );
    assert_eq!(drip.next_post().await, Some(at(2026, 3, 10, 13, 0)));
}

#[tokio::test]
async fn a_new_york_schedule_posts_at_nine_local_once_a_day_across_fall_back() {
    let drip = spawn_drip().await;
    // Set at midnight in New York on Saturday 31 October; clocks fall back on Sunday.
    let set = at(2026, 10, 31, 4, 0);
    drip.set_schedule("09:00 America/New_York daily", set).await;
    let posts = drip.posts_between(set, at(2026, 11, 3, 0, 0)).await;
    assert_eq!(
        posts,
        [
            at(2026, 10, 31, 13, 0),
            at(2026, 11, 1, 14, 0),
            at(2026, 11, 2, 14, 0)
        ]
    );
}

#[tokio::test]
async fn a_berlin_time_that_happens_twice_at_fall_back_posts_once_at_the_first() {
    let drip = spawn_drip().await;
    drip.set_schedule("02:30 Europe/Berlin daily", at(2026, 10, 24, 12, 0))
        .await;
    // 02:30 is 00:30 UTC (summer time) and again 01:30 UTC (winter time) on 25 October.
    let posts = drip
        .posts_between(at(2026, 10, 24, 12, 0), at(2026, 10, 26, 12, 0))
        .await;
    assert_eq!(posts, [at(2026, 10, 25, 0, 30), at(2026, 10, 26, 1, 30)]);
}

#[tokio::test]
async fn a_berlin_time_skipped_at_spring_forward_posts_when_the_gap_ends() {
    let drip = spawn_drip().await;
    drip.set_schedule("02:30 Europe/Berlin daily", at(2026, 3, 28, 12, 0))
        .await;
    assert_eq!(drip.next_post().await, Some(at(2026, 3, 29, 1, 0)));
    let posts = drip
        .posts_between(at(2026, 3, 28, 12, 0), at(2026, 3, 30, 12, 0))
        .await;
    assert_eq!(posts, [at(2026, 3, 29, 1, 0), at(2026, 3, 30, 0, 30)]);
}

// --- restarts and migration -----------------------------------------------------------------------

#[tokio::test]
async fn a_restarted_engine_posts_nothing_more_that_day_and_posts_the_next() {
    let drip = spawn_drip().await;
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    assert_eq!(drip.posts_at(at(2026, 11, 24, 9, 0)).await, 1);
    let (restarted, _) = engine_with_deck(drip.dir.path(), DECK, DB).await;
    let again = restarted.run_due(at(2026, 11, 24, 9, 5)).await;
    assert_eq!(cards(&again.expect("runs")), 0);
    let tomorrow = restarted.run_due(at(2026, 11, 25, 9, 0)).await;
    assert_eq!(cards(&tomorrow.expect("runs")), 1);
    assert_eq!(drip.daily_rounds().await, 2);
}

#[tokio::test]
async fn a_next_post_instant_left_behind_is_read_once_and_posts_nothing_twice() {
    let drip = spawn_drip().await;
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    assert_eq!(drip.posts_at(at(2026, 11, 24, 9, 0)).await, 1);
    // As a process stopped between opening the round and storing the next instant leaves it.
    sqlx::query("UPDATE schedules SET next_post_at = active_since")
        .execute(drip.store.pool())
        .await
        .expect("move the instant back");
    let (restarted, _) = engine_with_deck(drip.dir.path(), DECK, DB).await;
    let again = restarted.run_due(at(2026, 11, 24, 9, 5)).await;
    assert_eq!(cards(&again.expect("runs")), 0);
    assert_eq!(drip.next_post().await, Some(at(2026, 11, 25, 9, 0)));
    assert_eq!(drip.daily_rounds().await, 1);
}

#[tokio::test]
async fn schedules_stored_before_next_post_instants_keep_posting_as_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join(DB);
    let old_migrations = dir.path().join("old-migrations");
    std::fs::create_dir(&old_migrations).expect("folder");
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for name in [
        "0001_rounds_answers_scores.sql",
        "0002_round_posts.sql",
        "0003_mocks.sql",
    ] {
        std::fs::copy(migrations.join(name), old_migrations.join(name)).expect("copy");
    }
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("old database");
    let migrator = sqlx::migrate::Migrator::new(old_migrations.as_path())
        .await
        .expect("old migrations");
    migrator.run(&pool).await.expect("old schema");
    let set = at(2026, 11, 23, 12, 0).timestamp_millis();
    sqlx::query(
        "INSERT INTO workspaces (id, platform, external_id) VALUES (1, 'discord', 'team-1');
         INSERT INTO channels (id, workspace_id, external_id) VALUES (1, 1, 'study'), (2, 1, 'quiet');
         INSERT INTO schedules (channel_id, local_time, zone, weekdays, window_minutes, paused,
             active_since)
         VALUES (1, '09:00', 'Europe/Berlin', 127, 480, 0, ?1), (2, '09:00', 'UTC', 127, 480, 1, ?1);",
    )
    .bind(set)
    .execute(&pool)
    .await
    .expect("schedules of the old schema");
    pool.close().await;

    let (engine, store) = engine_with_deck(dir.path(), DECK, DB).await;
    let stored: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT channel_id, next_post_at FROM schedules ORDER BY channel_id")
            .fetch_all(store.pool())
            .await
            .expect("next posts");
    assert_eq!(stored, [(1, Some(set)), (2, None)]);
    let before_nine = engine.run_due(at(2026, 11, 24, 7, 0)).await;
    assert_eq!(cards(&before_nine.expect("runs")), 0);
    let due = store.due_schedules(at(2026, 11, 24, 7, 55), None).await;
    assert!(
        due.expect("due").is_empty(),
        "the first run stored the instant"
    );
    let nine_berlin = engine.run_due(at(2026, 11, 24, 8, 0)).await;
    assert_eq!(cards(&nine_berlin.expect("runs")), 1);
}

// --- many channels --------------------------------------------------------------------------------

#[tokio::test]
async fn hundreds_of_channels_due_at_the_same_minute_each_get_one_question() {
    let drip = spawn_drip().await;
    let set = at(2026, 11, 23, 12, 0);
    for i in 0..450 {
        let zone = ["UTC", "Europe/London", "Africa/Abidjan"][i % 3];
        drip.schedule_in(
            &channel(&format!("c{i}")),
            &format!("set 09:00 {zone} daily"),
            set,
        )
        .await;
    }
    let replies = drip
        .engine
        .run_due(at(2026, 11, 24, 9, 0))
        .await
        .expect("runs");
    let mut channels: Vec<&ChannelRef> = replies
        .iter()
        .filter(|r| matches!(r.body, ReplyBody::QuestionCard(_)))
        .map(|r| &r.channel)
        .collect();
    channels.sort_by(|a, b| a.channel.cmp(&b.channel));
    channels.dedup();
    assert_eq!(channels.len(), 450);
    assert_eq!(drip.daily_rounds().await, 450);
    assert_eq!(drip.due_at(at(2026, 11, 24, 9, 5)).await, 0);
    assert_eq!(drip.posts_at(at(2026, 11, 24, 9, 5)).await, 0);
}

#[tokio::test]
async fn the_question_of_the_day_reveals_the_question_still_open_before_it_posts() {
    let drip = spawn_drip().await;
    let study = channel("study");
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    let ask = Action::Ask {
        topic: None,
        difficulty: None,
    };
    drip.send_in(&study, ask, at(2026, 11, 24, 8, 50)).await;
    let replies = drip
        .engine
        .run_due(at(2026, 11, 24, 9, 0))
        .await
        .expect("runs");
    let kinds: Vec<&str> = replies
        .iter()
        .filter_map(|r| match r.body {
            ReplyBody::Reveal(_) => Some("reveal"),
            ReplyBody::QuestionCard(_) => Some("question"),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, ["reveal", "question"]);
}

#[tokio::test]
async fn the_question_of_the_day_is_not_repeated_until_the_bank_is_exhausted() {
    let drip = spawn_drip().await;
    drip.set_schedule("09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    let mut asked = Vec::new();
    for day in [24, 25] {
        let replies = drip
            .engine
            .run_due(at(2026, 11, day, 9, 0))
            .await
            .expect("runs");
        asked.extend(replies.into_iter().filter_map(|r| match r.body {
            ReplyBody::QuestionCard(card) => Some(card.question),
            _ => None,
        }));
    }
    asked.sort();
    assert_eq!(asked, ["python-memory", "select-vs-prefetch"]);
}

#[tokio::test]
async fn a_channel_with_an_unreadable_round_waits_while_the_others_post() {
    let drip = spawn_drip().await;
    let set = at(2026, 11, 23, 12, 0);
    for name in ["broken", "healthy"] {
        drip.schedule_in(&channel(name), "set 09:00 UTC daily", set)
            .await;
    }
    let ask = Action::Ask {
        topic: None,
        difficulty: None,
    };
    drip.send_in(&channel("broken"), ask, at(2026, 11, 24, 8, 50))
        .await;
    sqlx::query("UPDATE rounds SET local_date = 'not a date'")
        .execute(drip.store.pool())
        .await
        .expect("corrupt the open round");
    let replies = drip
        .engine
        .run_due(at(2026, 11, 24, 9, 0))
        .await
        .expect("runs");
    let posted: Vec<&str> = replies
        .iter()
        .filter(|r| matches!(r.body, ReplyBody::QuestionCard(_)))
        .map(|r| r.channel.channel.as_str())
        .collect();
    assert_eq!(posted, ["healthy"]);
    let waiting = drip.store.due_schedules(at(2026, 11, 24, 9, 5), None).await;
    let waiting: Vec<ChannelRef> = waiting
        .expect("due")
        .into_iter()
        .map(|due| due.channel)
        .collect();
    assert_eq!(waiting, [channel("broken")], "tried again on the next run");
}
