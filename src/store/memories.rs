//! Players' memories of questions (personal practice): the review log and each player's FSRS state
//! per question. A review is recorded in the transaction that makes its answer's result final (a
//! round's reveal), so two processes never lose one another's update.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{from_millis, to_millis, Store};
use crate::core::practice::{self, Memory, Rating, Retention, Review};

/// One review to record: a player's graded answer to a question.
#[derive(Debug, Clone, Copy)]
pub struct NewReview<'a> {
    pub user: i64,
    pub question: &'a str,
    pub rating: Rating,
    pub score: u8,
    pub at: DateTime<Utc>,
    pub round: Option<i64>,
}

/// A player's memory of a question, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMemory {
    pub memory: Memory,
    pub due_at: DateTime<Utc>,
    pub reviews: i64,
    pub lapses: i64,
}

/// The player's desired retention, inside `tx` (the default until they choose one).
async fn retention_in(tx: &mut sqlx::SqliteConnection, user: i64) -> anyhow::Result<Retention> {
    let stored: Option<f64> =
        sqlx::query_scalar("SELECT retention FROM practice_settings WHERE user_id = ?1")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(retention_of(stored))
}

/// A stored retention, or the default where none is stored (or one out of range).
fn retention_of(stored: Option<f64>) -> Retention {
    stored
        .and_then(|r| Retention::parse(&r.to_string()).ok())
        .unwrap_or_default()
}

/// Logs a review (with the retention it is scheduled for) and moves the player's memory of the
/// question on, inside `tx`; returns the new memory and the review's row id. A review older than
/// the memory's last one (a round revealed after a later practice answer) is replayed into place
/// with the whole log, so the memory is always what a rebuild would make.
pub(super) async fn record_review(
    tx: &mut sqlx::SqliteConnection,
    review: NewReview<'_>,
) -> anyhow::Result<(Review, i64)> {
    let retention = retention_in(&mut *tx, review.user).await?;
    let before = memory_in(&mut *tx, review.user, review.question).await?;
    let review_id: i64 = sqlx::query_scalar(
        "INSERT INTO reviews (user_id, question_id, rating, score, reviewed_at, round_id, retention)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    )
    .bind(review.user)
    .bind(review.question)
    .bind(review.rating.as_str())
    .bind(i64::from(review.score))
    .bind(to_millis(review.at))
    .bind(review.round)
    .bind(f64::from(retention.value()))
    .fetch_one(&mut *tx)
    .await?;
    let next = match before {
        Some(before) if before.memory.reviewed_at > review.at => {
            replay_memory(&mut *tx, review.user, review.question)
                .await?
                .context("a replayed memory")?
        }
        before => {
            let next = replayed_step(before, review.rating, review.at, retention)?;
            store_memory(&mut *tx, review.user, review.question, &next).await?;
            next
        }
    };
    Ok((
        Review {
            memory: next.memory,
            due_at: next.due_at,
        },
        review_id,
    ))
}

/// Writes a player's memory of a question, replacing the one before.
async fn store_memory(
    tx: &mut sqlx::SqliteConnection,
    user: i64,
    question: &str,
    memory: &StoredMemory,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO memories (user_id, question_id, stability, difficulty, reviewed_at, due_at,
                               reviews, lapses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (user_id, question_id) DO UPDATE SET stability = excluded.stability,
             difficulty = excluded.difficulty, reviewed_at = excluded.reviewed_at,
             due_at = excluded.due_at, reviews = excluded.reviews, lapses = excluded.lapses",
    )
    .bind(user)
    .bind(question)
    .bind(f64::from(memory.memory.stability))
    .bind(f64::from(memory.memory.difficulty))
    .bind(to_millis(memory.memory.reviewed_at))
    .bind(to_millis(memory.due_at))
    .bind(memory.reviews)
    .bind(memory.lapses)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Recomputes a player's memory of one question from their reviews of it (each at the retention
/// it was scheduled for), inside `tx`, and stores it; `None` when there is no review.
pub(super) async fn replay_memory(
    tx: &mut sqlx::SqliteConnection,
    user: i64,
    question: &str,
) -> anyhow::Result<Option<StoredMemory>> {
    let rows = sqlx::query(
        "SELECT r.rating, r.reviewed_at, COALESCE(r.retention, s.retention) AS retention
         FROM reviews r LEFT JOIN practice_settings s ON s.user_id = r.user_id
         WHERE r.user_id = ?1 AND r.question_id = ?2 ORDER BY r.reviewed_at, r.id",
    )
    .bind(user)
    .bind(question)
    .fetch_all(&mut *tx)
    .await?;
    let mut replayed: Option<StoredMemory> = None;
    for row in rows {
        let (rating, at, retention) = logged_review(&row)?;
        replayed = Some(replayed_step(replayed, rating, at, retention)?);
    }
    if let Some(memory) = &replayed {
        store_memory(&mut *tx, user, question, memory).await?;
    }
    Ok(replayed)
}

/// A logged review's rating, instant and retention.
fn logged_review(
    row: &sqlx::sqlite::SqliteRow,
) -> anyhow::Result<(Rating, DateTime<Utc>, Retention)> {
    let rating: String = row.try_get("rating")?;
    let rating = Rating::parse(&rating)
        .ok_or_else(|| anyhow::anyhow!("unknown rating `{rating}` in the review log"))?;
    let at = from_millis(row.try_get("reviewed_at")?)?;
    Ok((rating, at, retention_of(row.try_get("retention")?)))
}

/// One review replayed onto the memory before it.
fn replayed_step(
    before: Option<StoredMemory>,
    rating: Rating,
    at: DateTime<Utc>,
    retention: Retention,
) -> anyhow::Result<StoredMemory> {
    let next = practice::review(before.as_ref().map(|m| m.memory), rating, at, retention)
        .map_err(anyhow::Error::msg)?;
    let lapse = i64::from(rating == Rating::Again);
    Ok(StoredMemory {
        memory: next.memory,
        due_at: next.due_at,
        reviews: before.as_ref().map_or(1, |m| m.reviews + 1),
        lapses: before.as_ref().map_or(lapse, |m| m.lapses + lapse),
    })
}

async fn memory_in(
    tx: &mut sqlx::SqliteConnection,
    user: i64,
    question: &str,
) -> anyhow::Result<Option<StoredMemory>> {
    let row = sqlx::query(
        "SELECT stability, difficulty, reviewed_at, due_at, reviews, lapses FROM memories
         WHERE user_id = ?1 AND question_id = ?2",
    )
    .bind(user)
    .bind(question)
    .fetch_optional(&mut *tx)
    .await?;
    row.map(|row| {
        Ok(StoredMemory {
            memory: Memory {
                stability: row.try_get::<f64, _>("stability")? as f32,
                difficulty: row.try_get::<f64, _>("difficulty")? as f32,
                reviewed_at: from_millis(row.try_get("reviewed_at")?)?,
            },
            due_at: from_millis(row.try_get("due_at")?)?,
            reviews: row.try_get("reviews")?,
            lapses: row.try_get("lapses")?,
        })
    })
    .transpose()
}

impl Store {
    /// Every memory of a player, by question id, with when each is due.
    pub async fn memories_of(
        &self,
        user: i64,
    ) -> anyhow::Result<std::collections::HashMap<String, (Memory, DateTime<Utc>)>> {
        let rows = sqlx::query(
            "SELECT question_id, stability, difficulty, reviewed_at, due_at FROM memories
             WHERE user_id = ?1",
        )
        .bind(user)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let memory = Memory {
                    stability: row.try_get::<f64, _>("stability")? as f32,
                    difficulty: row.try_get::<f64, _>("difficulty")? as f32,
                    reviewed_at: from_millis(row.try_get("reviewed_at")?)?,
                };
                Ok((
                    row.try_get("question_id")?,
                    (memory, from_millis(row.try_get("due_at")?)?),
                ))
            })
            .collect()
    }

    /// A player's memory of a question, if they ever answered it with a final result.
    pub async fn memory_of(
        &self,
        user: i64,
        question: &str,
    ) -> anyhow::Result<Option<StoredMemory>> {
        let mut connection = self.pool().acquire().await?;
        memory_in(&mut connection, user, question).await
    }
}

impl Store {
    /// Recomputes every memory from the review log, in the order the reviews were made (one
    /// transaction); returns how many memories were rebuilt.
    pub async fn rebuild_memories(&self) -> anyhow::Result<usize> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT r.user_id, r.question_id, r.rating, r.reviewed_at,
                    COALESCE(r.retention, s.retention) AS retention
             FROM reviews r LEFT JOIN practice_settings s ON s.user_id = r.user_id
             ORDER BY r.user_id, r.question_id, r.reviewed_at, r.id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut rebuilt: Vec<((i64, String), StoredMemory)> = Vec::new();
        for row in rows {
            let key: (i64, String) = (row.try_get("user_id")?, row.try_get("question_id")?);
            let (rating, at, retention) = logged_review(&row)?;
            let before = rebuilt
                .last()
                .filter(|(last, _)| *last == key)
                .map(|(_, stored)| stored.clone());
            let stored = replayed_step(before, rating, at, retention)?;
            match rebuilt.last_mut() {
                Some((last, memory)) if *last == key => *memory = stored,
                _ => rebuilt.push((key, stored)),
            }
        }
        sqlx::query("DELETE FROM memories")
            .execute(&mut *tx)
            .await?;
        for ((user, question), stored) in &rebuilt {
            store_memory(&mut tx, *user, question, stored).await?;
        }
        tx.commit().await?;
        Ok(rebuilt.len())
    }
}
