//! The engine under faults injected by the test: a database another connection holds past the busy
//! timeout, a question removed from the bank while its round was open, and a drip that stops
//! ticking; and the database's durability setting.

#[path = "support/engine.rs"]
mod test_engine;

use std::time::Duration;

use chrono::{DateTime, TimeZone as _, Utc};
use interview_bot::core::command::{Actor, ChannelRef, Command, Platform};
use interview_bot::core::grammar::Grammar;
use interview_bot::core::reply::{Reply, ReplyBody};
use interview_bot::engine::Engine;
use interview_bot::store::{Durability, StoreOptions};
use test_engine::{engine_with_deck, engine_with_deck_and_options, hold_write_lock};

const DECK: &str = "---\nid: test\ntitle: Test deck\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n";

const OTHER_DECK: &str = "---\nid: test\ntitle: Test deck\n---\n\n\
## How does Django protect against CSRF?\n\n\
id: csrf | tags: security | difficulty: medium\n\n\
- a secret token in every form\n";

fn at(h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, min, 0)
        .single()
        .expect("valid instant")
}

fn command(text: &str, admin: bool) -> Command {
    Command {
        channel: ChannelRef {
            platform: Platform::Console,
            workspace: "local".into(),
            channel: "practice".into(),
        },
        actor: Actor {
            user: "ann".into(),
            display_name: "Ann".into(),
            is_admin: admin,
        },
        action: Grammar::of(Platform::Console)
            .parse(text)
            .expect("parses")
            .expect("an action"),
    }
}

async fn run(engine: &Engine, text: &str, now: DateTime<Utc>) -> Vec<Reply> {
    engine.handle(&command(text, true), now).await
}

#[tokio::test]
async fn writes_wait_out_a_database_another_connection_holds_past_the_busy_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = StoreOptions {
        busy_timeout: Duration::from_millis(20),
        ..StoreOptions::default()
    };
    let (engine, store) = engine_with_deck_and_options(dir.path(), DECK, "busy.db", options).await;
    let holder = hold_write_lock(&dir.path().join("busy.db"), Duration::from_millis(400)).await;

    let asked = run(&engine, "question", at(9, 0)).await;
    assert!(
        matches!(
            asked.as_slice(),
            [Reply {
                body: ReplyBody::QuestionCard(_),
                ..
            }]
        ),
        "the question opens once the lock is free: {asked:?}"
    );
    holder.finish().await;
    assert!(store.busy_retries() > 0, "the writes were tried again");
    let hinted = run(&engine, "hint", at(9, 1)).await;
    assert!(
        !hinted
            .iter()
            .any(|r| matches!(r.body, ReplyBody::Problem(_))),
        "{hinted:?}"
    );
}

#[tokio::test]
async fn a_reveal_of_a_question_removed_from_the_bank_still_says_what_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "removed.db").await;
    run(&engine, "question", at(9, 0)).await;
    std::fs::write(dir.path().join("content").join("test.md"), OTHER_DECK).expect("deck");
    let reloaded = run(&engine, "bank reload", at(9, 1)).await;
    assert!(
        !reloaded
            .iter()
            .any(|r| matches!(r.body, ReplyBody::Problem(_))),
        "{reloaded:?}"
    );
    let revealed = run(&engine, "reveal", at(9, 2)).await;
    let reveal = revealed
        .iter()
        .find_map(|r| match &r.body {
            ReplyBody::Reveal(reveal) => Some(reveal),
            _ => None,
        })
        .expect("the round is revealed");
    assert!(
        reveal.prompt.contains("select-vs-prefetch") && reveal.prompt.contains("no longer"),
        "{}",
        reveal.prompt
    );
    assert!(reveal.key_points.is_empty());
}

#[tokio::test]
async fn the_readiness_check_notices_a_drip_that_has_not_ticked_for_two_intervals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "ready.db").await;
    let every = Duration::from_secs(300);
    assert!(
        engine.readiness(at(9, 0)).await.is_ready(),
        "ready before the drip runs"
    );
    engine.note_drip_tick(Platform::Discord, at(9, 0), every);
    assert!(
        engine.readiness(at(9, 10)).await.is_ready(),
        "two intervals"
    );
    let stalled = engine.readiness(at(9, 11)).await;
    assert!(!stalled.is_ready());
    assert_eq!(stalled.drip_stalled_for_s, Some(660));
    engine.note_drip_tick(Platform::Slack, at(9, 11), every);
    assert!(
        !engine.readiness(at(9, 12)).await.is_ready(),
        "Slack's drip ticking does not hide Discord's"
    );
    engine.note_drip_tick(Platform::Discord, at(9, 11), every);
    assert!(
        engine.readiness(at(9, 12)).await.is_ready(),
        "ticking again"
    );
}

#[tokio::test]
async fn the_full_durability_setting_makes_sqlite_sync_every_commit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = StoreOptions {
        durability: Durability::Full,
        ..StoreOptions::default()
    };
    let (_engine, store) = engine_with_deck_and_options(dir.path(), DECK, "full.db", options).await;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(store.pool())
        .await
        .expect("reads the setting");
    assert_eq!(synchronous, 2, "FULL");
}

#[tokio::test]
async fn answers_stored_before_the_answers_table_was_rebuilt_keep_every_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("old.db");
    let old_migrations = dir.path().join("old-migrations");
    std::fs::create_dir(&old_migrations).expect("folder");
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&migrations).expect("migrations") {
        let path = entry.expect("a migration").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name < "0006" {
            std::fs::copy(&path, old_migrations.join(name)).expect("copy");
        }
    }
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("old database");
    sqlx::migrate::Migrator::new(old_migrations.as_path())
        .await
        .expect("old migrations")
        .run(&pool)
        .await
        .expect("old schema");
    sqlx::query(
        "INSERT INTO workspaces (id, platform, external_id) VALUES (1, 'console', 'local');
         INSERT INTO channels (id, workspace_id, external_id) VALUES (1, 1, 'practice');
         INSERT INTO users (id, platform, external_id, display_name) VALUES (1, 'console', 'ann', 'Ann');
         INSERT INTO rounds (id, channel_id, question_id, origin, opened_at, closes_at, revealed_at)
         VALUES (1, 1, 'select-vs-prefetch', 'adhoc', 1, 2, 3);
         INSERT INTO answers (round_id, user_id, origin, body, score, checklist, hints_used, points,
                              submitted_at, revision)
         VALUES (1, 1, 'adhoc', 'a SQL join', 33, '[]', 1, 23, 1, 2);",
    )
    .execute(&pool)
    .await
    .expect("an answer of the old schema");
    pool.close().await;

    let (_engine, store) = engine_with_deck(dir.path(), DECK, "old.db").await;
    let kept: (i64, i64, String, String, i64, String, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT round_id, user_id, origin, body, score, checklist, hints_used, points, submitted_at,
                revision FROM answers",
    )
    .fetch_one(store.pool())
    .await
    .expect("the answer is still there");
    assert_eq!(
        kept,
        (
            1,
            1,
            "adhoc".into(),
            "a SQL join".into(),
            33,
            "[]".into(),
            1,
            23,
            1,
            2
        )
    );
}
