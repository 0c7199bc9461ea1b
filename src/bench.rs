//! `interview-bot bench`: the engine's figures on a file database in a temporary folder.
//! - the full answer path (grade + commit + reply) with 500 concurrent simulated users: first flat out
//!   (each user answers again as soon as the last answer is recorded) for the throughput the engine
//!   sustains, then at an offered load of 10,000 answers/s (each user every 50 ms) for the latency a
//!   user sees at that load (from sending to the reply; the achieved rate shows whether the engine
//!   kept up — a backlog would pull it below the offered rate);
//! - plain single-row INSERTs of the same rows into the same database, in the same run, as a yardstick
//!   that survives a noisy machine (`ratio_to_raw_insert`);
//! - leaderboard reads (top 10 for this week, this month, all time) over 1,000,000 answers from
//!   10,000 users;
//! - the process's resident memory afterwards;
//! - the daily drip (`drip`): 100,000 scheduled channels, runs with nothing due, and 10,000
//!   channels due at the same minute while answers keep coming;
//! - personal practice (`practice`): the next card's pick for players with 10,000 reviews in a bank
//!   of 10,000 questions, with questions due and with nothing due.

mod drip;
pub mod practice;

pub use practice::PracticeFigures;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::core::bank::Bank;
use crate::core::command::{
    Action, Actor, AnswerText, BoardScope, ChannelRef, Command, Period, Platform,
};
use crate::core::reply::ReplyBody;
use crate::engine::Engine;
use crate::store::keys::{BoardKey, PeriodKey};
use crate::store::Store;

const USERS: usize = 500;
const ANSWERS_PER_USER: usize = 40;
const CHANNELS: usize = 50;
/// The offered load of the latency phase.
const OFFERED_PER_S: f64 = 10_000.0;
const BOARD_ANSWERS: usize = 1_000_000;
const BOARD_USERS: usize = 10_000;
const BOARD_READS: usize = 1_000;

/// An answer of about 80 words, the length of a considered chat answer.
const ANSWER: &str = "I configure CACHES with Redis as the backend so every process shares the cache. \
Whole views can be cached with the cache_page decorator, which DRF views accept through \
method_decorator, and template fragments with the cache tag. For finer control I use the low-level \
API, cache.get and cache.set with a timeout, and I delete the affected keys when the data changes so \
nobody reads stale results. Memcached works the same way if the team already runs it.";

#[derive(Debug, Serialize)]
pub struct Figures {
    /// Throughput flat out.
    pub answers_per_s: f64,
    /// Latency at the offered load.
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub offered_per_s: f64,
    pub achieved_at_offered_per_s: f64,
    /// Latency flat out, where 500 answers always wait on each other.
    pub saturated_p99_ms: f64,
    pub raw_insert_per_s: f64,
    pub ratio_to_raw_insert: f64,
    pub leaderboard_p99_ms: f64,
    pub leaderboard_p50_ms: f64,
    pub rss_mb: f64,
    pub answers: usize,
    pub concurrent_users: usize,
    pub board_answers: usize,
    /// A run of the drip with nothing due, among 100,000 scheduled channels.
    pub drip_idle_tick_p99_ms: f64,
    pub drip_idle_tick_p50_ms: f64,
    /// Engine time of the run that opens the rounds of the channels due at the same minute.
    pub drip_burst_s: f64,
    pub drip_burst_posts: usize,
    /// Latency of the answers sent while that run lasted.
    pub answer_p99_during_burst_ms: f64,
    pub answers_during_burst: usize,
    pub drip_scheduled_channels: usize,
    pub drip_rss_mb: f64,
    #[serde(flatten)]
    pub practice: PracticeFigures,
}

/// Runs every benchmark in a fresh database under `dir`.
pub async fn run(dir: &Path, bank: Bank, bank_dir: &Path) -> anyhow::Result<Figures> {
    let db = dir.join("bench.db");
    let store = Arc::new(Store::open(db.to_str().context("temporary path is not UTF-8")?).await?);
    let engine = Arc::new(Engine::new(
        Arc::clone(&store),
        bank.clone(),
        bank_dir.to_path_buf(),
    ));
    let now = Utc::now();

    open_questions(&engine, now).await;
    let (answers_per_s, mut saturated) = answer_path(&engine, now, None).await?;
    saturated.sort_unstable();
    let pace = StdDuration::from_secs_f64(USERS as f64 / OFFERED_PER_S);
    let (offered_answers_per_s, mut latencies) = answer_path(&engine, now, Some(pace)).await?;
    latencies.sort_unstable();
    let raw_insert_per_s = raw_inserts(&store).await?;

    let board = leaderboard_reads(&engine, &store, now).await?;
    let rss_mb = resident_mb();

    let drip = drip::run(dir, bank, bank_dir).await?;
    let practice = practice::run(dir).await?;

    Ok(Figures {
        answers_per_s,
        p50_ms: millis(percentile(&latencies, 0.50)),
        p99_ms: millis(percentile(&latencies, 0.99)),
        offered_per_s: OFFERED_PER_S,
        achieved_at_offered_per_s: offered_answers_per_s,
        saturated_p99_ms: millis(percentile(&saturated, 0.99)),
        raw_insert_per_s,
        ratio_to_raw_insert: answers_per_s / raw_insert_per_s,
        leaderboard_p50_ms: millis(percentile(&board, 0.50)),
        leaderboard_p99_ms: millis(percentile(&board, 0.99)),
        rss_mb,
        answers: USERS * ANSWERS_PER_USER,
        concurrent_users: USERS,
        board_answers: BOARD_ANSWERS,
        drip_idle_tick_p99_ms: drip.idle_tick_p99_ms,
        drip_idle_tick_p50_ms: drip.idle_tick_p50_ms,
        drip_burst_s: drip.burst_s,
        drip_burst_posts: drip.burst_posts,
        answer_p99_during_burst_ms: drip.answer_p99_during_burst_ms,
        answers_during_burst: drip.answers_during_burst,
        drip_scheduled_channels: drip.scheduled_channels,
        drip_rss_mb: drip.rss_mb,
        practice,
    })
}

fn bench_channel(i: usize) -> ChannelRef {
    ChannelRef {
        platform: Platform::Console,
        workspace: "bench".into(),
        channel: format!("channel-{i}"),
    }
}

fn bench_actor(i: usize) -> Actor {
    Actor {
        user: format!("user-{i}"),
        display_name: format!("User {i}"),
        is_admin: false,
    }
}

async fn open_questions(engine: &Arc<Engine>, now: DateTime<Utc>) {
    for c in 0..CHANNELS {
        let ask = Command {
            channel: bench_channel(c),
            actor: bench_actor(0),
            action: Action::Ask {
                topic: None,
                difficulty: None,
            },
        };
        engine.handle(&ask, now).await;
    }
}

/// 500 users, each answering the open questions of 40 of the 50 channels in turn: flat out, or one
/// answer per `pace` each (staggered).
async fn answer_path(
    engine: &Arc<Engine>,
    now: DateTime<Utc>,
    pace: Option<StdDuration>,
) -> anyhow::Result<(f64, Vec<StdDuration>)> {
    let text = AnswerText::parse(ANSWER).map_err(anyhow::Error::msg)?;
    let started = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(USERS);
    for u in 0..USERS {
        let engine = Arc::clone(engine);
        let text = text.clone();
        let offset = pace.map(|p| p.mul_f64(u as f64 / USERS as f64));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(ANSWERS_PER_USER);
            for n in 0..ANSWERS_PER_USER {
                if let (Some(pace), Some(offset)) = (pace, offset) {
                    tokio::time::sleep_until(started + offset + pace * n as u32).await;
                }
                // Each answer goes to the next channel's question: a round takes an answer and at
                // most 3 replacements from each user.
                let command = Command {
                    channel: bench_channel((u + n) % CHANNELS),
                    actor: bench_actor(u),
                    action: Action::Answer(text.clone()),
                };
                let sent = tokio::time::Instant::now();
                let replies = engine.handle(&command, now).await;
                latencies.push(sent.elapsed());
                if !matches!(
                    replies.first().map(|r| &r.body),
                    Some(ReplyBody::AnswerRecorded { .. })
                ) {
                    anyhow::bail!("an answer was not recorded: {replies:?}");
                }
            }
            Ok(latencies)
        }));
    }
    let mut latencies = Vec::with_capacity(USERS * ANSWERS_PER_USER);
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok((latencies.len() as f64 / elapsed, latencies))
}

/// The same rows as plain single-row INSERTs (each its own transaction), from as many tasks.
async fn raw_inserts(store: &Store) -> anyhow::Result<f64> {
    let pool = store.pool().clone();
    sqlx::query("CREATE TABLE raw_answers AS SELECT * FROM answers WHERE 0")
        .execute(&pool)
        .await?;
    let rows: Vec<(i64, i64, String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT round_id, user_id, origin, body, score, checklist, submitted_at FROM answers",
    )
    .fetch_all(&pool)
    .await?;
    let rows = Arc::new(rows);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(USERS);
    for u in 0..USERS {
        let pool = pool.clone();
        let rows = Arc::clone(&rows);
        tasks.push(tokio::spawn(async move {
            let (round, user, origin, body, score, checklist, at) = &rows[u % rows.len()];
            for _ in 0..ANSWERS_PER_USER {
                sqlx::query(
                    "INSERT INTO raw_answers (round_id, user_id, origin, body, score, checklist, submitted_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .bind(round)
                .bind(user)
                .bind(origin)
                .bind(body)
                .bind(score)
                .bind(checklist)
                .bind(at)
                .execute(&pool)
                .await?;
            }
            Ok::<(), sqlx::Error>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok((USERS * ANSWERS_PER_USER) as f64 / started.elapsed().as_secs_f64())
}

/// Fills a workspace with a million revealed answers over the last 120 days, builds their totals the
/// way reveals do (per scope and period), then times top-10 reads.
async fn leaderboard_reads(
    engine: &Arc<Engine>,
    store: &Store,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<StdDuration>> {
    let pool = store.pool();
    let channel = bench_channel(10_000);
    let ids = store.channel_ids(&channel).await?;
    let mut tx = pool.begin().await?;
    for u in 0..BOARD_USERS {
        sqlx::query(
            "INSERT INTO users (platform, external_id, display_name) VALUES ('console', ?1, ?2)",
        )
        .bind(format!("board-{u}"))
        .bind(format!("Player {u}"))
        .execute(&mut *tx)
        .await?;
    }
    let first_user: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM users WHERE external_id LIKE 'board-%'")
            .fetch_one(&mut *tx)
            .await?;
    let rounds = BOARD_ANSWERS / BOARD_USERS * 10;
    let per_round = BOARD_ANSWERS / rounds;
    sqlx::query(
        "CREATE TEMP TABLE bench_round_periods (round_id INTEGER NOT NULL, period TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    for r in 0..rounds {
        let opened = now - Duration::hours((r * 2) as i64);
        let round: i64 = sqlx::query_scalar(
            "INSERT INTO rounds (channel_id, question_id, origin, opened_at, closes_at, revealed_at)
             VALUES (?1, 'bench', 'adhoc', ?2, ?2, ?2) RETURNING id",
        )
        .bind(ids.channel)
        .bind(opened.timestamp_millis())
        .fetch_one(&mut *tx)
        .await?;
        // Each round's answers come from distinct users: 13 is coprime with the number of users.
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO answers (round_id, user_id, origin, body, score, checklist, points, submitted_at) ",
        );
        insert.push_values(0..per_round, |mut row, a| {
            let user = first_user + ((r * 7919 + a * 13) % BOARD_USERS) as i64;
            let score = ((r * 31 + a * 17) % 101) as i64;
            row.push_bind(round)
                .push_bind(user)
                .push("'adhoc', ''")
                .push_bind(score)
                .push("'[]'")
                .push_bind(score)
                .push_bind(opened.timestamp_millis());
        });
        insert.build().execute(&mut *tx).await?;
        for period in PeriodKey::all_of(opened) {
            sqlx::query("INSERT INTO bench_round_periods (round_id, period) VALUES (?1, ?2)")
                .bind(round)
                .bind(period.to_string())
                .execute(&mut *tx)
                .await?;
        }
    }
    // The totals reveals would have added up, answer by answer, built in one pass per scope.
    for board in BoardKey::both(ids) {
        sqlx::query(
            "INSERT INTO score_totals (scope, period, user_id, points, rounds, score_sum)
             SELECT ?1, p.period, a.user_id, SUM(a.points), COUNT(*), SUM(a.score)
             FROM answers a JOIN bench_round_periods p ON p.round_id = a.round_id
             GROUP BY p.period, a.user_id",
        )
        .bind(board.to_string())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;

    let mut latencies = Vec::with_capacity(BOARD_READS * 3);
    for i in 0..BOARD_READS * 3 {
        let period = [Period::Week, Period::Month, Period::AllTime][i % 3];
        let command = Command {
            channel: channel.clone(),
            actor: bench_actor(0),
            action: Action::Leaderboard {
                period,
                scope: if i % 2 == 0 {
                    BoardScope::Channel
                } else {
                    BoardScope::Workspace
                },
            },
        };
        let started = Instant::now();
        let replies = engine.handle(&command, now).await;
        latencies.push(started.elapsed());
        if !matches!(replies.first().map(|r| &r.body), Some(ReplyBody::Board(board)) if board.entries.len() == 10)
        {
            anyhow::bail!("the leaderboard did not come back full: {replies:?}");
        }
    }
    latencies.sort_unstable();
    Ok(latencies)
}

fn percentile(sorted: &[StdDuration], share: f64) -> StdDuration {
    if sorted.is_empty() {
        return StdDuration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * share).round() as usize]
}

fn millis(duration: StdDuration) -> f64 {
    (duration.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}

/// Resident memory from `/proc/self/status` (0 where that file does not exist).
fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| (kb / 1024.0 * 10.0).round() / 10.0)
}
