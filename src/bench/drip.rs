//! The drip phase of `bench`, on a database of its own: 100,000 channels with a schedule across 24
//! time zones, one in ten of them (10,000) due at the same minute and the rest spread over the day
//! away from it. It times the run of the drip at that minute (engine time to open the 10,000 rounds)
//! while 200 users answer in 50 other channels, each every 100 ms (2,000 answers/s offered, timed
//! from sending to the reply, counting answers sent while the run lasted); then 1,000 runs with
//! nothing due; then reads the process's resident memory.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone as _, Timelike, Utc};

use super::{bench_actor, millis, percentile, resident_mb, ANSWER};
use crate::core::bank::Bank;
use crate::core::command::{Action, AnswerText, ChannelRef, Command, Platform};
use crate::core::reply::ReplyBody;
use crate::core::schedule::{AnswerWindow, Focus, LocalTime, Schedule, TimeZone, Weekdays};
use crate::engine::Engine;
use crate::store::Store;

const SCHEDULED_CHANNELS: usize = 100_000;
/// Every `BURST_EVERY`th channel is due at the burst minute: 10,000 of them.
const BURST_EVERY: usize = 10;
const IDLE_RUNS: usize = 1_000;
const ANSWER_CHANNELS: usize = 50;
const ANSWERERS: usize = 200;
const ANSWER_PACE: StdDuration = StdDuration::from_millis(100);
/// Channels inserted per statement while filling (8 values each, under SQLite's 32,766 limit).
const FILL_BATCH: usize = 4_000;
/// Row ids of the scheduled channels start above those the engine creates for answering.
const FIRST_CHANNEL_ID: i64 = 1_000_000;

/// 24 zones, from UTC-11 to UTC+12, a few with daylight saving.
const ZONES: [&str; 24] = [
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Halifax",
    "America/Sao_Paulo",
    "Atlantic/South_Georgia",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Noumea",
    "Pacific/Auckland",
];

const SPREAD_WEEKDAYS: [&str; 4] = ["daily", "mon-fri", "weekends", "mon,wed,fri"];

/// What the drip phase measured.
pub struct DripFigures {
    pub idle_tick_p99_ms: f64,
    pub idle_tick_p50_ms: f64,
    pub burst_s: f64,
    pub burst_posts: usize,
    pub answer_p99_during_burst_ms: f64,
    pub answers_during_burst: usize,
    pub scheduled_channels: usize,
    pub rss_mb: f64,
}

/// Fills `dir/drip.db` and runs the drip phase.
pub async fn run(dir: &Path, bank: Bank, bank_dir: &Path) -> anyhow::Result<DripFigures> {
    let db = dir.join("drip.db");
    let store = Arc::new(Store::open(db.to_str().context("temporary path is not UTF-8")?).await?);
    let engine = Arc::new(Engine::new(
        Arc::clone(&store),
        bank,
        bank_dir.to_path_buf(),
    ));
    // A Monday at 07:00 UTC, away from any clock change of the 24 zones.
    let burst_at = Utc
        .with_ymd_and_hms(2026, 6, 15, 7, 0, 0)
        .single()
        .context("burst instant")?;
    fill_schedules(&store, burst_at).await?;
    open_answer_rounds(&engine, burst_at - Duration::minutes(1)).await?;

    let (burst, burst_posts, mut during) = burst_with_answers(&engine, burst_at).await?;
    during.sort_unstable();
    let mut idle = idle_runs(&engine, burst_at + Duration::minutes(1)).await?;
    idle.sort_unstable();
    Ok(DripFigures {
        idle_tick_p99_ms: millis(percentile(&idle, 0.99)),
        idle_tick_p50_ms: millis(percentile(&idle, 0.50)),
        burst_s: (burst.as_secs_f64() * 1000.0).round() / 1000.0,
        burst_posts,
        answer_p99_during_burst_ms: millis(percentile(&during, 0.99)),
        answers_during_burst: during.len(),
        scheduled_channels: SCHEDULED_CHANNELS,
        rss_mb: resident_mb(),
    })
}

/// The schedule of scheduled channel `i`, set at `set_at`: due at `burst_at` for every
/// `BURST_EVERY`th channel, otherwise at a time of day at least three hours away from it.
fn bench_schedule(
    i: usize,
    burst_at: DateTime<Utc>,
    set_at: DateTime<Utc>,
) -> anyhow::Result<Schedule> {
    let zone = TimeZone::parse(ZONES[i % ZONES.len()]).map_err(anyhow::Error::msg)?;
    let (post_utc, weekdays) = if i % BURST_EVERY == 0 {
        (burst_at, "daily")
    } else {
        let away = 180 + (i * 7_919) % (24 * 60 - 360);
        let weekdays = SPREAD_WEEKDAYS[i % SPREAD_WEEKDAYS.len()];
        (burst_at + Duration::minutes(away as i64), weekdays)
    };
    let local = post_utc.with_timezone(&zone.tz());
    let time = LocalTime::new(local.hour(), local.minute()).context("local time")?;
    Ok(Schedule {
        time,
        zone,
        weekdays: Weekdays::parse(weekdays).map_err(anyhow::Error::msg)?,
        window: AnswerWindow::default(),
        paused: false,
        active_since: set_at,
        focus: Focus::default(),
    })
}

/// 100,000 channels and their schedules, set two hours before the burst, written in bulk the way
/// `/schedule set` stores them (with the next post instant the engine would store).
async fn fill_schedules(store: &Store, burst_at: DateTime<Utc>) -> anyhow::Result<()> {
    let set_at = burst_at - Duration::hours(2);
    let pool = store.pool();
    let mut tx = pool.begin().await?;
    let workspace: i64 = sqlx::query_scalar(
        "INSERT INTO workspaces (platform, external_id) VALUES ('console', 'drip') RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await?;
    let channels: Vec<usize> = (0..SCHEDULED_CHANNELS).collect();
    for batch in channels.chunks(FILL_BATCH) {
        let mut insert =
            sqlx::QueryBuilder::new("INSERT INTO channels (id, workspace_id, external_id) ");
        insert.push_values(batch, |mut row, &i| {
            row.push_bind(FIRST_CHANNEL_ID + i as i64)
                .push_bind(workspace)
                .push_bind(format!("scheduled-{i}"));
        });
        insert.build().execute(&mut *tx).await?;
        let schedules = batch
            .iter()
            .map(|&i| bench_schedule(i, burst_at, set_at).map(|s| (i, s)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO schedules (channel_id, local_time, zone, weekdays, window_minutes, paused,
                 active_since, next_post_at) ",
        );
        insert.push_values(&schedules, |mut row, (i, s)| {
            row.push_bind(FIRST_CHANNEL_ID + *i as i64)
                .push_bind(s.time.to_string())
                .push_bind(s.zone.name())
                .push_bind(i64::from(s.weekdays.bits()))
                .push_bind(s.window.minutes())
                .push_bind(0_i64)
                .push_bind(set_at.timestamp_millis())
                .push_bind(s.next_post_at(set_at).map(|p| p.timestamp_millis()));
        });
        insert.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn answer_channel(c: usize) -> ChannelRef {
    ChannelRef {
        platform: Platform::Console,
        workspace: "drip".into(),
        channel: format!("answers-{c}"),
    }
}

/// A question open in each of the answering channels, asked just before the burst.
async fn open_answer_rounds(engine: &Engine, now: DateTime<Utc>) -> anyhow::Result<()> {
    for c in 0..ANSWER_CHANNELS {
        let ask = Command {
            channel: answer_channel(c),
            actor: bench_actor(0),
            action: Action::Ask {
                topic: None,
                difficulty: None,
            },
        };
        let replies = engine.handle(&ask, now).await;
        if !matches!(
            replies.first().map(|r| &r.body),
            Some(ReplyBody::QuestionCard(_))
        ) {
            anyhow::bail!("no question opened for the answers: {replies:?}");
        }
    }
    Ok(())
}

/// The run of the drip at `burst_at`, timed, while the answerers answer: (its duration, how many
/// questions it posted, the latencies of the answers sent while it ran).
async fn burst_with_answers(
    engine: &Arc<Engine>,
    burst_at: DateTime<Utc>,
) -> anyhow::Result<(StdDuration, usize, Vec<StdDuration>)> {
    let text = AnswerText::parse(ANSWER).map_err(anyhow::Error::msg)?;
    let running = Arc::new(AtomicBool::new(true));
    let started = tokio::time::Instant::now();
    let mut answerers = Vec::with_capacity(ANSWERERS);
    for u in 0..ANSWERERS {
        let engine = Arc::clone(engine);
        let running = Arc::clone(&running);
        let text = text.clone();
        let offset = ANSWER_PACE.mul_f64(u as f64 / ANSWERERS as f64);
        answerers.push(tokio::spawn(async move {
            let mut sent = Vec::new();
            let mut n: u32 = 0;
            while running.load(Ordering::Relaxed) {
                tokio::time::sleep_until(started + offset + ANSWER_PACE * n).await;
                // Each answer goes to the next channel's question: a round takes an answer and at
                // most 3 replacements from each user.
                let command = Command {
                    channel: answer_channel((u + n as usize) % ANSWER_CHANNELS),
                    actor: bench_actor(u),
                    action: Action::Answer(text.clone()),
                };
                n += 1;
                let at = Instant::now();
                let replies = engine.handle(&command, burst_at).await;
                sent.push((at, at.elapsed()));
                if !matches!(
                    replies.first().map(|r| &r.body),
                    Some(ReplyBody::AnswerRecorded { .. })
                ) {
                    anyhow::bail!("an answer was not recorded during the burst: {replies:?}");
                }
            }
            Ok(sent)
        }));
    }
    // The answerers settle into their pace before the drip starts.
    tokio::time::sleep(ANSWER_PACE * 3).await;
    let burst_started = Instant::now();
    let replies = engine.run_due(burst_at).await?;
    let burst = burst_started.elapsed();
    running.store(false, Ordering::Relaxed);
    let posts = replies
        .iter()
        .filter(|r| matches!(r.body, ReplyBody::QuestionCard(_)))
        .count();
    if posts != SCHEDULED_CHANNELS / BURST_EVERY {
        anyhow::bail!(
            "the burst posted {posts} questions, not {}",
            SCHEDULED_CHANNELS / BURST_EVERY
        );
    }
    let burst_ended = burst_started + burst;
    let mut during = Vec::new();
    for answerer in answerers {
        during.extend(
            answerer
                .await??
                .into_iter()
                .filter(|(at, _)| (burst_started..burst_ended).contains(at))
                .map(|(_, latency)| latency),
        );
    }
    Ok((burst, posts, during))
}

/// Runs of the drip with nothing due, three seconds of simulated time apart from `from` on.
async fn idle_runs(engine: &Engine, from: DateTime<Utc>) -> anyhow::Result<Vec<StdDuration>> {
    let mut latencies = Vec::with_capacity(IDLE_RUNS);
    for k in 0..IDLE_RUNS {
        let now = from + Duration::seconds(3 * k as i64);
        let started = Instant::now();
        let replies = engine.run_due(now).await?;
        latencies.push(started.elapsed());
        if !replies.is_empty() {
            anyhow::bail!("a run meant to be idle at {now} did something: {replies:?}");
        }
    }
    Ok(latencies)
}
