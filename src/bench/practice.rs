//! The practice phase of `bench`, on a database and a bank of its own: 10,000 generated questions in
//! 10 topics, and two players with 10,000 reviews each over 7,000 of those questions. It times 1,000
//! picks of each player's next practice card (`Engine::next_practice_card`) in a channel whose
//! question is open: for one player many questions are due (the most overdue one is offered); the
//! other reviewed every question less than a day ago, so nothing is due and a new question from their
//! weakest topic is offered. The first of these picks, the first the engine makes for anyone, is
//! reported on its own. Then 200 more picks for the second player, each right after a review of
//! theirs (a question asked, answered and revealed in another channel), so that each pick follows a
//! change to their memories.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone as _, Utc};
use serde::Serialize;

use super::{millis, percentile};
use crate::core::bank::Bank;
use crate::core::command::{Action, Actor, AnswerText, ChannelRef, Command, Platform};
use crate::core::practice::Rating;
use crate::core::reply::ReplyBody;
use crate::engine::Engine;
use crate::store::Store;

const QUESTIONS: usize = 10_000;
const DECKS: usize = 20;
const TOPICS: [&str; 10] = [
    "django",
    "python",
    "drf",
    "orm",
    "security",
    "testing",
    "deployment",
    "caching",
    "celery",
    "migrations",
];
const REVIEWS: usize = 10_000;
/// Questions each player has met; the rest of the bank is new to them. Every other one of the first
/// `2 * (REVIEWS - MET)` was reviewed twice.
const MET: usize = 7_000;
const PICKS: usize = 1_000;
const PICKS_AFTER_REVIEW: usize = 200;
/// Reviews inserted per statement while seeding (5 values each, under SQLite's 32,766 limit).
const SEED_BATCH: usize = 5_000;
/// The last reviews of the player with questions due lie within this many days before the picks.
const DUE_PLAYER_SPREAD_DAYS: i64 = 20;

/// What the practice phase measured.
#[derive(Debug, Serialize)]
pub struct PracticeFigures {
    /// The first pick, for the player with questions due.
    pub practice_first_pick_ms: f64,
    /// Picks for the player with questions due: the most overdue one is offered.
    pub practice_due_pick_p50_ms: f64,
    pub practice_due_pick_p99_ms: f64,
    /// Picks for the player with nothing due: a new question from their weakest topic.
    pub practice_new_pick_p50_ms: f64,
    pub practice_new_pick_p99_ms: f64,
    /// The same player's picks, each right after a review of theirs.
    pub practice_pick_after_review_p50_ms: f64,
    pub practice_pick_after_review_p99_ms: f64,
    pub practice_bank_questions: usize,
    pub practice_reviews_per_player: usize,
    pub practice_memories_per_player: usize,
    /// How many of the first player's questions are due when the picks are timed.
    pub practice_due_questions: usize,
}

/// Fills `dir/practice.db` and times the picks.
pub async fn run(dir: &Path) -> anyhow::Result<PracticeFigures> {
    let bank = generated_bank()?;
    let db = dir.join("practice.db");
    let store = Arc::new(Store::open(db.to_str().context("temporary path is not UTF-8")?).await?);
    let engine = Engine::new(Arc::clone(&store), bank, PathBuf::from("generated"));
    let now = Utc
        .with_ymd_and_hms(2026, 6, 15, 9, 0, 0)
        .single()
        .context("practice instant")?;

    let with_due = practice_command("with-due");
    let nothing_due = practice_command("nothing-due");
    seed_reviews(&store, &with_due.actor, now, LastReview::OverPastDays).await?;
    seed_reviews(&store, &nothing_due.actor, now, LastReview::WithinADay).await?;
    let rebuilt = store.rebuild_memories().await?;
    open_channel_question(&engine, now - Duration::minutes(10)).await?;
    let due_questions = due_count(&store, &with_due.actor, now).await?;
    if due_questions == 0 || due_questions == MET {
        anyhow::bail!("{due_questions} of {MET} questions are due: the bench wants some, not all");
    }

    let mut due = picks(&engine, &with_due, now, true).await?;
    let first_pick = due.first().copied().unwrap_or_default();
    due.sort_unstable();
    let mut new = picks(&engine, &nothing_due, now, false).await?;
    new.sort_unstable();
    // After the timed picks, and before the first seeded question falls due again (3 hours on).
    let mut after_review =
        picks_after_reviews(&engine, &nothing_due, now + Duration::minutes(20)).await?;
    after_review.sort_unstable();
    let reviews = review_count(&store, &nothing_due.actor).await?;
    if reviews != REVIEWS + PICKS_AFTER_REVIEW {
        anyhow::bail!("{reviews} reviews, not {}", REVIEWS + PICKS_AFTER_REVIEW);
    }
    Ok(PracticeFigures {
        practice_first_pick_ms: millis(first_pick),
        practice_due_pick_p50_ms: millis(percentile(&due, 0.50)),
        practice_due_pick_p99_ms: millis(percentile(&due, 0.99)),
        practice_new_pick_p50_ms: millis(percentile(&new, 0.50)),
        practice_new_pick_p99_ms: millis(percentile(&new, 0.99)),
        practice_pick_after_review_p50_ms: millis(percentile(&after_review, 0.50)),
        practice_pick_after_review_p99_ms: millis(percentile(&after_review, 0.99)),
        practice_bank_questions: QUESTIONS,
        practice_reviews_per_player: REVIEWS,
        practice_memories_per_player: rebuilt / 2,
        practice_due_questions: due_questions,
    })
}

/// 20 decks of 500 questions, each question tagged with one of 10 topics (in turn) and a second tag.
fn generated_bank() -> anyhow::Result<Bank> {
    let per_deck = QUESTIONS / DECKS;
    let sources = (0..DECKS)
        .map(|d| {
            let mut deck = format!("---\nid: practice-{d}\ntitle: Practice deck {d}\n---\n");
            for n in d * per_deck..(d + 1) * per_deck {
                let topic = TOPICS[n % TOPICS.len()];
                let level = ["easy", "medium", "hard"][n % 3];
                deck.push_str(&format!(
                    "\n## What does part {n} of {topic} do?\n\n\
                     id: q-{n} | tags: {topic}, practice | difficulty: {level}\n\n\
                     - part {n} keeps the {topic} state consistent\n\
                     - part {n} is checked before it is used\n"
                ));
            }
            (PathBuf::from(format!("practice-{d}.md")), deck.into_bytes())
        })
        .collect();
    Bank::from_sources(sources).map_err(|err| anyhow::anyhow!("the generated bank: {err}"))
}

fn practice_command(user: &str) -> Command {
    Command {
        channel: practice_channel("practice"),
        actor: Actor {
            user: user.into(),
            display_name: user.into(),
            is_admin: false,
        },
        action: Action::Help,
    }
}

fn practice_channel(channel: &str) -> ChannelRef {
    ChannelRef {
        platform: Platform::Console,
        workspace: "practice".into(),
        channel: channel.into(),
    }
}

/// When a player's last review of each question they met took place.
#[derive(Debug, Clone, Copy)]
enum LastReview {
    /// Over the last `DUE_PLAYER_SPREAD_DAYS` days: some questions are due, many are not.
    OverPastDays,
    /// Between one and 21 hours ago: none is due, since a review brings a question back a day
    /// later at the earliest.
    WithinADay,
}

/// The bank question of a player's `m`th met question: a stride through the whole bank, so the met
/// questions cover every topic and deck.
fn met_question(m: usize) -> usize {
    m * 7_919 % QUESTIONS
}

/// A player's 10,000 reviews written to the review log in bulk; the memories are then rebuilt from
/// the log, which gives the rows recording each review in turn would have left.
async fn seed_reviews(
    store: &Store,
    actor: &Actor,
    now: DateTime<Utc>,
    last: LastReview,
) -> anyhow::Result<()> {
    let user = store.user_id(Platform::Console, actor).await?;
    let reviews: Vec<(usize, Rating, u8, DateTime<Utc>)> = (0..REVIEWS)
        .map(|k| {
            // Reviews past MET are the second ones of every other question met.
            let (m, twice) = if k < MET {
                (k, k < 2 * (REVIEWS - MET) && k % 2 == 0)
            } else {
                (2 * (k - MET), true)
            };
            let question = met_question(m);
            let minutes_ago = match last {
                LastReview::OverPastDays => {
                    60 + (m * 7_001) as i64 % (DUE_PLAYER_SPREAD_DAYS * 24 * 60)
                }
                LastReview::WithinADay => 60 + (m * 7_001) as i64 % (20 * 60),
            };
            let at = if k < MET && twice {
                // The first of two reviews, 30 to 119 days before the second.
                now - Duration::minutes(minutes_ago) - Duration::days(30 + (m % 90) as i64)
            } else {
                now - Duration::minutes(minutes_ago)
            };
            // Each topic has its own level: the first topics are remembered worst.
            let topic = question % TOPICS.len();
            let score = (30 + 6 * topic + (k * 37) % 50).min(100) as u8;
            (question, Rating::from_score(score), score, at)
        })
        .collect();
    let mut tx = store.pool().begin().await?;
    for batch in reviews.chunks(SEED_BATCH) {
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO reviews (user_id, question_id, rating, score, reviewed_at) ",
        );
        insert.push_values(batch, |mut row, (question, rating, score, at)| {
            row.push_bind(user)
                .push_bind(format!("q-{question}"))
                .push_bind(rating.as_str())
                .push_bind(i64::from(*score))
                .push_bind(at.timestamp_millis());
        });
        insert.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A question of the channel open, which practice must not offer.
async fn open_channel_question(engine: &Engine, now: DateTime<Utc>) -> anyhow::Result<()> {
    let ask = Command {
        action: Action::Ask {
            topic: None,
            difficulty: None,
        },
        ..practice_command("host")
    };
    let replies = engine.handle(&ask, now).await;
    if !matches!(
        replies.first().map(|r| &r.body),
        Some(ReplyBody::QuestionCard(_))
    ) {
        anyhow::bail!("no question opened in the practice channel: {replies:?}");
    }
    Ok(())
}

async fn review_count(store: &Store, actor: &Actor) -> anyhow::Result<usize> {
    let user = store.user_id(Platform::Console, actor).await?;
    let reviews: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE user_id = ?1")
        .bind(user)
        .fetch_one(store.pool())
        .await?;
    Ok(usize::try_from(reviews)?)
}

async fn due_count(store: &Store, actor: &Actor, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let user = store.user_id(Platform::Console, actor).await?;
    let due: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM memories WHERE user_id = ?1 AND due_at <= ?2")
            .bind(user)
            .bind(now.timestamp_millis())
            .fetch_one(store.pool())
            .await?;
    Ok(usize::try_from(due)?)
}

/// 1,000 picks for `command`'s player, a second of simulated time apart from `from` on; each must
/// offer a due question when `due` is set, a new one otherwise.
async fn picks(
    engine: &Engine,
    command: &Command,
    from: DateTime<Utc>,
    due: bool,
) -> anyhow::Result<Vec<StdDuration>> {
    let mut latencies = Vec::with_capacity(PICKS);
    for k in 0..PICKS {
        let now = from + Duration::seconds(k as i64);
        let started = Instant::now();
        let card = engine.next_practice_card(command, None, now).await?;
        latencies.push(started.elapsed());
        match card {
            Some(card) if card.due_since.is_some() == due => {}
            other => anyhow::bail!(
                "the pick for {} at {now} offered {other:?}",
                command.actor.user
            ),
        }
    }
    Ok(latencies)
}

/// 200 picks for `command`'s player, 30 seconds of simulated time apart from `from` on, each right
/// after the player answered a question in another channel and it was revealed; each must offer a
/// new question.
async fn picks_after_reviews(
    engine: &Engine,
    command: &Command,
    from: DateTime<Utc>,
) -> anyhow::Result<Vec<StdDuration>> {
    let answer = AnswerText::parse("part of it keeps the state consistent and is checked first")
        .map_err(anyhow::Error::msg)?;
    let mut latencies = Vec::with_capacity(PICKS_AFTER_REVIEW);
    for k in 0..PICKS_AFTER_REVIEW {
        let now = from + Duration::seconds(30 * k as i64);
        let ask = Action::Ask {
            topic: None,
            difficulty: None,
        };
        for action in [ask, Action::Answer(answer.clone()), Action::Reveal] {
            let step = Command {
                channel: practice_channel("reviews"),
                actor: command.actor.clone(),
                action,
            };
            engine.handle(&step, now).await;
        }
        let started = Instant::now();
        let card = engine.next_practice_card(command, None, now).await?;
        latencies.push(started.elapsed());
        if card.is_none_or(|card| card.due_since.is_some()) {
            anyhow::bail!("the pick after review {k} did not offer a new question");
        }
    }
    Ok(latencies)
}
