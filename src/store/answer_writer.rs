//! The answer writer: one task commits whatever answers are waiting in a single transaction (group
//! commit). SQLite has one writer at a time, and a commit per answer would make 500 people answering
//! at once wait on each other's fsyncs. Each caller is told its answer was recorded only after the
//! transaction holding it has committed.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use super::busy::BusyRetries;
use super::{to_millis, Store, WRITE};
use crate::core::grade::KeyPointCheck;
use crate::core::round::{Origin, MAX_REPLACEMENTS};

/// An answer to store.
#[derive(Debug, Clone)]
pub struct NewAnswer {
    pub round: i64,
    pub user: i64,
    pub origin: Origin,
    pub body: String,
    pub score: u8,
    pub checklist: Vec<KeyPointCheck>,
    pub submitted_at: DateTime<Utc>,
}

/// What happened to an answer sent to the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerOutcome {
    /// Committed; `replacements` is how many times the user's answer in the round was replaced,
    /// this one included (0 for a first answer).
    Recorded { replacements: u32 },
    /// The round was revealed before the answer arrived; nothing was stored.
    RoundRevealed,
    /// The user already replaced their answer [`MAX_REPLACEMENTS`] times; the last one stays.
    NoReplacementsLeft,
}

type Pending = (NewAnswer, oneshot::Sender<Result<AnswerOutcome, String>>);

/// Handle to the task that commits answers in groups.
pub struct AnswerWriter {
    queue: mpsc::Sender<Pending>,
}

/// How many waiting answers one transaction takes at most.
const MAX_GROUP: usize = 512;

impl AnswerWriter {
    pub fn start(pool: SqlitePool, busy: BusyRetries) -> AnswerWriter {
        let (queue, mut waiting) = mpsc::channel::<Pending>(4 * MAX_GROUP);
        tokio::spawn(async move {
            let mut group = Vec::with_capacity(MAX_GROUP);
            while waiting.recv_many(&mut group, MAX_GROUP).await > 0 {
                let answers: Vec<&NewAnswer> = group.iter().map(|(a, _)| a).collect();
                // Another process may hold the database past the busy timeout: the group is tried
                // again (it is one transaction) before every answer in it is reported as not stored.
                match busy.retry(|| commit_group(&pool, &answers)).await {
                    Ok(outcomes) => {
                        for ((_, done), outcome) in group.drain(..).zip(outcomes) {
                            // The caller may have given up waiting; its answer is stored all the same.
                            let _ = done.send(Ok(outcome));
                        }
                    }
                    Err(err) => {
                        tracing::error!(error = %err, answers = group.len(), "committing answers failed");
                        for (_, done) in group.drain(..) {
                            let _ = done.send(Err(err.to_string()));
                        }
                    }
                }
            }
        });
        AnswerWriter { queue }
    }

    async fn record(&self, answer: NewAnswer) -> anyhow::Result<AnswerOutcome> {
        let (done, outcome) = oneshot::channel();
        self.queue
            .send((answer, done))
            .await
            .map_err(|_| anyhow::anyhow!("the answer writer has stopped"))?;
        outcome
            .await
            .context("the answer writer dropped an answer")?
            .map_err(|err| anyhow::anyhow!("the answer was not stored: {err}"))
    }
}

async fn commit_group(
    pool: &SqlitePool,
    answers: &[&NewAnswer],
) -> Result<Vec<AnswerOutcome>, sqlx::Error> {
    let mut tx = pool.begin_with(WRITE).await?;
    let mut outcomes = Vec::with_capacity(answers.len());
    for answer in answers {
        let checklist = serde_json::to_string(&answer.checklist)
            .map_err(|e| sqlx::Error::Protocol(format!("checklist as JSON: {e}")))?;
        // The guard makes the check and the write one step: an answer racing the reveal is either in
        // before it or refused, never half-counted. The revision tells a replacement from a first answer.
        let revision: Option<i64> = sqlx::query_scalar(
            "INSERT INTO answers (round_id, user_id, origin, body, score, checklist, submitted_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
             WHERE EXISTS (SELECT 1 FROM rounds WHERE id = ?1 AND revealed_at IS NULL)
             ON CONFLICT (round_id, user_id) DO UPDATE SET
                 body = excluded.body, score = excluded.score, checklist = excluded.checklist,
                 submitted_at = excluded.submitted_at, revision = answers.revision + 1
             WHERE answers.revision <= ?8
             RETURNING revision",
        )
        .bind(answer.round)
        .bind(answer.user)
        .bind(answer.origin.as_str())
        .bind(&answer.body)
        .bind(i64::from(answer.score))
        .bind(checklist)
        .bind(to_millis(answer.submitted_at))
        .bind(i64::from(MAX_REPLACEMENTS))
        .fetch_optional(&mut *tx)
        .await?;
        outcomes.push(match revision {
            Some(revision) => AnswerOutcome::Recorded {
                replacements: u32::try_from(revision - 1).unwrap_or(0),
            },
            None if round_is_open(&mut tx, answer.round).await? => {
                AnswerOutcome::NoReplacementsLeft
            }
            None => AnswerOutcome::RoundRevealed,
        });
    }
    tx.commit().await?;
    Ok(outcomes)
}

async fn round_is_open(tx: &mut sqlx::SqliteConnection, round: i64) -> Result<bool, sqlx::Error> {
    let open: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM rounds WHERE id = ?1 AND revealed_at IS NULL")
            .bind(round)
            .fetch_optional(tx)
            .await?;
    Ok(open.is_some())
}

impl Store {
    /// Stores an answer (replacing the user's earlier one in the round) once it is committed.
    pub async fn record_answer(&self, answer: NewAnswer) -> anyhow::Result<AnswerOutcome> {
        self.writer.record(answer).await
    }
}
