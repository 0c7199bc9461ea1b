//! Rounds, answers and hints. Answers go through one writer task that commits whatever answers are
//! waiting in a single transaction (group commit): SQLite has one writer at a time, and a commit per
//! answer would make 500 people answering at once wait on each other's fsyncs. Each caller is told
//! its answer was recorded only after the transaction holding it has committed.

use anyhow::Context;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::{Row, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::{from_millis, to_millis, ChannelIds, Store};
use crate::core::command::Platform;
use crate::core::grade::KeyPointCheck;
use crate::core::round::{Origin, Round};
use crate::core::scoring;

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
    /// Committed; `replaced` when it took the place of the user's earlier answer.
    Recorded { replaced: bool },
    /// The round was revealed before the answer arrived; nothing was stored.
    RoundRevealed,
}

/// One answerer of a revealed round, with the points the reveal gave them.
#[derive(Debug, Clone, PartialEq)]
pub struct RevealedAnswer {
    pub user_external_id: String,
    pub display_name: String,
    pub score: u8,
    pub hints_used: u32,
    pub points: u32,
    pub checklist: Vec<KeyPointCheck>,
}

/// Transactions that write take the write lock when they begin: in WAL mode a transaction that reads
/// first and writes later fails at once (instead of waiting) if another connection wrote meanwhile.
pub(crate) const WRITE: &str = "BEGIN IMMEDIATE";

type Pending = (NewAnswer, oneshot::Sender<Result<AnswerOutcome, String>>);

/// Handle to the task that commits answers in groups.
pub struct AnswerWriter {
    queue: mpsc::Sender<Pending>,
}

/// How many waiting answers one transaction takes at most.
const MAX_GROUP: usize = 512;

impl AnswerWriter {
    pub fn start(pool: SqlitePool) -> AnswerWriter {
        let (queue, mut waiting) = mpsc::channel::<Pending>(4 * MAX_GROUP);
        tokio::spawn(async move {
            let mut group = Vec::with_capacity(MAX_GROUP);
            while waiting.recv_many(&mut group, MAX_GROUP).await > 0 {
                let answers: Vec<&NewAnswer> = group.iter().map(|(a, _)| a).collect();
                let mut committed = commit_group(&pool, &answers).await;
                if committed.as_ref().is_err_and(is_busy) {
                    // Another process held the database past the busy timeout; one more try before
                    // every answer in the group is reported as not stored.
                    committed = commit_group(&pool, &answers).await;
                }
                match committed {
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

/// Whether SQLite said the database was busy or locked (worth one more try).
fn is_busy(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("5" | "6" | "517")))
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
             RETURNING revision",
        )
        .bind(answer.round)
        .bind(answer.user)
        .bind(answer.origin.as_str())
        .bind(&answer.body)
        .bind(i64::from(answer.score))
        .bind(checklist)
        .bind(to_millis(answer.submitted_at))
        .fetch_optional(&mut *tx)
        .await?;
        outcomes.push(match revision {
            None => AnswerOutcome::RoundRevealed,
            Some(revision) => AnswerOutcome::Recorded {
                replaced: revision > 1,
            },
        });
    }
    tx.commit().await?;
    Ok(outcomes)
}

fn round_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Round> {
    let origin: String = row.try_get("origin")?;
    let local_date: Option<String> = row.try_get("local_date")?;
    let revealed_at: Option<i64> = row.try_get("revealed_at")?;
    Ok(Round {
        id: row.try_get("id")?,
        channel_id: row.try_get("channel_id")?,
        question: row.try_get("question_id")?,
        origin: Origin::parse(&origin)
            .with_context(|| format!("unknown round origin `{origin}`"))?,
        local_date: local_date
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
            .transpose()
            .context("bad local date in rounds")?,
        opened_at: from_millis(row.try_get("opened_at")?)?,
        closes_at: from_millis(row.try_get("closes_at")?)?,
        revealed_at: revealed_at.map(from_millis).transpose()?,
    })
}

const ROUND_COLUMNS: &str =
    "id, channel_id, question_id, origin, local_date, opened_at, closes_at, revealed_at";
/// [`ROUND_COLUMNS`] of a query that names `rounds` as `r`.
const ROUND_COLUMNS_OF_R: &str =
    "r.id, r.channel_id, r.question_id, r.origin, r.local_date, r.opened_at, r.closes_at, r.revealed_at";

impl Store {
    /// Opens a round, or returns `None` when the database refuses it: a daily round for a local date
    /// the channel already has (the unique key decides, so two processes or a restart cannot
    /// double-post), or an ad hoc round in a channel that has an open round.
    pub async fn open_round(
        &self,
        channel: i64,
        question: &str,
        origin: Origin,
        local_date: Option<NaiveDate>,
        opened_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    ) -> anyhow::Result<Option<Round>> {
        // A daily round is one per channel and local date (the unique index); an ad hoc round only
        // opens in a channel with nothing open, checked in the same statement so two askers cannot
        // both open one.
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rounds (channel_id, question_id, origin, local_date, opened_at, closes_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6
             WHERE ?3 = 'daily'
                OR NOT EXISTS (SELECT 1 FROM rounds WHERE channel_id = ?1 AND revealed_at IS NULL)
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(channel)
        .bind(question)
        .bind(origin.as_str())
        .bind(local_date.map(|d| d.format("%Y-%m-%d").to_string()))
        .bind(to_millis(opened_at))
        .bind(to_millis(closes_at))
        .fetch_optional(self.pool())
        .await?;
        Ok(id.map(|id| Round {
            id,
            channel_id: channel,
            question: question.to_string(),
            origin,
            local_date,
            opened_at,
            closes_at,
            revealed_at: None,
        }))
    }

    /// The channel's round that is still open, if any (the newest).
    pub async fn open_round_in(&self, channel: i64) -> anyhow::Result<Option<Round>> {
        let row = sqlx::query(&format!(
            "SELECT {ROUND_COLUMNS} FROM rounds WHERE channel_id = ?1 AND revealed_at IS NULL
             ORDER BY opened_at DESC, id DESC LIMIT 1"
        ))
        .bind(channel)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(round_from_row).transpose()
    }

    /// The channel's most recent round, open or revealed.
    pub async fn latest_round_in(&self, channel: i64) -> anyhow::Result<Option<Round>> {
        let row = sqlx::query(&format!(
            "SELECT {ROUND_COLUMNS} FROM rounds WHERE channel_id = ?1 ORDER BY opened_at DESC, id DESC LIMIT 1"
        ))
        .bind(channel)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(round_from_row).transpose()
    }

    /// Open rounds whose answer window has passed, in every channel of `platform` (all when `None`).
    pub async fn rounds_due_for_reveal(
        &self,
        now: DateTime<Utc>,
        platform: Option<Platform>,
    ) -> anyhow::Result<Vec<Round>> {
        let rows = sqlx::query(&format!(
            "SELECT {ROUND_COLUMNS_OF_R} FROM rounds r
             JOIN channels c ON c.id = r.channel_id JOIN workspaces w ON w.id = c.workspace_id
             WHERE r.revealed_at IS NULL AND r.closes_at <= ?1 AND (?2 IS NULL OR w.platform = ?2)
             ORDER BY r.closes_at"
        ))
        .bind(to_millis(now))
        .bind(platform.map(Platform::as_str))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(round_from_row).collect()
    }

    /// Open daily rounds of a platform opened before `opened_before` whose post was never recorded.
    pub async fn unposted_daily_rounds(
        &self,
        platform: Platform,
        opened_before: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Round>> {
        let rows = sqlx::query(&format!(
            "SELECT {ROUND_COLUMNS_OF_R} FROM rounds r
             JOIN channels c ON c.id = r.channel_id JOIN workspaces w ON w.id = c.workspace_id
             WHERE r.revealed_at IS NULL AND r.origin = 'daily' AND r.post_ref IS NULL
               AND r.opened_at <= ?1 AND w.platform = ?2"
        ))
        .bind(to_millis(opened_before))
        .bind(platform.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(round_from_row).collect()
    }

    /// How often each question was asked in a channel.
    pub async fn times_asked(&self, channel: i64) -> anyhow::Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT question_id, COUNT(*) FROM rounds WHERE channel_id = ?1 GROUP BY question_id",
        )
        .bind(channel)
        .fetch_all(self.pool())
        .await?)
    }

    /// Stores an answer (replacing the user's earlier one in the round) once it is committed.
    pub async fn record_answer(&self, answer: NewAnswer) -> anyhow::Result<AnswerOutcome> {
        self.writer.record(answer).await
    }

    /// A user's answer in a round: (score, checklist).
    pub async fn answer_of(
        &self,
        round: i64,
        user: i64,
    ) -> anyhow::Result<Option<(u8, Vec<KeyPointCheck>)>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT score, checklist FROM answers WHERE round_id = ?1 AND user_id = ?2",
        )
        .bind(round)
        .bind(user)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(score, checklist)| {
            Ok((
                u8::try_from(score).unwrap_or(0),
                serde_json::from_str(&checklist).context("bad checklist JSON")?,
            ))
        })
        .transpose()
    }

    /// Key points (indices) already given to a user as hints in a round.
    pub async fn hints_of(&self, round: i64, user: i64) -> anyhow::Result<Vec<usize>> {
        let hinted: Option<String> =
            sqlx::query_scalar("SELECT key_points FROM hints WHERE round_id = ?1 AND user_id = ?2")
                .bind(round)
                .bind(user)
                .fetch_optional(self.pool())
                .await?;
        match hinted {
            Some(json) => serde_json::from_str(&json).context("bad hints JSON"),
            None => Ok(Vec::new()),
        }
    }

    /// Records that a user was shown key point `index` as a hint, while the round is open. Returns the
    /// user's hints in the round, or `None` when the round was revealed meanwhile.
    pub async fn add_hint(
        &self,
        round: i64,
        user: i64,
        index: usize,
    ) -> anyhow::Result<Option<Vec<usize>>> {
        let mut tx = self.pool().begin_with(WRITE).await?;
        let open: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM rounds WHERE id = ?1 AND revealed_at IS NULL")
                .bind(round)
                .fetch_optional(&mut *tx)
                .await?;
        if open.is_none() {
            return Ok(None);
        }
        let existing: Option<String> =
            sqlx::query_scalar("SELECT key_points FROM hints WHERE round_id = ?1 AND user_id = ?2")
                .bind(round)
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
        let mut hinted: Vec<usize> = match existing {
            Some(json) => serde_json::from_str(&json).context("bad hints JSON")?,
            None => Vec::new(),
        };
        if !hinted.contains(&index) {
            hinted.push(index);
        }
        sqlx::query(
            "INSERT INTO hints (round_id, user_id, key_points) VALUES (?1, ?2, ?3)
             ON CONFLICT (round_id, user_id) DO UPDATE SET key_points = excluded.key_points",
        )
        .bind(round)
        .bind(user)
        .bind(serde_json::to_string(&hinted)?)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(hinted))
    }

    /// Reveals a round once: sets each answer's points and adds them to the channel's and workspace's
    /// totals, all in one transaction. Returns `None` when the round was already revealed (by another
    /// task or process), so a reveal is never counted twice.
    pub async fn reveal_round(
        &self,
        round: &Round,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Vec<RevealedAnswer>>> {
        let mut tx = self.pool().begin_with(WRITE).await?;
        let marked =
            sqlx::query("UPDATE rounds SET revealed_at = ?1 WHERE id = ?2 AND revealed_at IS NULL")
                .bind(to_millis(now))
                .bind(round.id)
                .execute(&mut *tx)
                .await?;
        if marked.rows_affected() == 0 {
            return Ok(None);
        }
        let workspace: i64 = sqlx::query_scalar("SELECT workspace_id FROM channels WHERE id = ?1")
            .bind(round.channel_id)
            .fetch_one(&mut *tx)
            .await?;
        let rows = sqlx::query(
            "SELECT a.user_id, u.external_id, u.display_name, a.score, a.checklist, h.key_points
             FROM answers a JOIN users u ON u.id = a.user_id
             LEFT JOIN hints h ON h.round_id = a.round_id AND h.user_id = a.user_id
             WHERE a.round_id = ?1",
        )
        .bind(round.id)
        .fetch_all(&mut *tx)
        .await?;
        let periods = period_keys(round.opened_at);
        let scopes = [format!("c{}", round.channel_id), format!("w{workspace}")];
        let mut revealed = Vec::with_capacity(rows.len());
        for row in rows {
            let user: i64 = row.try_get("user_id")?;
            let score = u8::try_from(row.try_get::<i64, _>("score")?).unwrap_or(0);
            let hints: Option<String> = row.try_get("key_points")?;
            let hints_used = match hints {
                Some(json) => {
                    serde_json::from_str::<Vec<usize>>(&json).map_or(0, |h| h.len() as u32)
                }
                None => 0,
            };
            let points = scoring::points(score, hints_used);
            sqlx::query("UPDATE answers SET points = ?1, hints_used = ?2 WHERE round_id = ?3 AND user_id = ?4")
                .bind(i64::from(points))
                .bind(i64::from(hints_used))
                .bind(round.id)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            for scope in &scopes {
                for period in &periods {
                    add_to_totals(&mut tx, scope, period, user, points, score).await?;
                }
            }
            revealed.push(RevealedAnswer {
                user_external_id: row.try_get("external_id")?,
                display_name: row.try_get("display_name")?,
                score,
                hints_used,
                points,
                checklist: serde_json::from_str(&row.try_get::<String, _>("checklist")?)
                    .context("bad checklist JSON")?,
            });
        }
        tx.commit().await?;
        revealed.sort_by(|a, b| b.points.cmp(&a.points).then(b.score.cmp(&a.score)));
        Ok(Some(revealed))
    }

    /// A user's answer in a revealed round: (score, hints used, points, checklist).
    pub async fn revealed_answer_of(
        &self,
        round: i64,
        user: i64,
    ) -> anyhow::Result<Option<(u8, u32, u32, Vec<KeyPointCheck>)>> {
        let row: Option<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT a.score, a.hints_used, a.points, a.checklist FROM answers a
             JOIN rounds r ON r.id = a.round_id
             WHERE a.round_id = ?1 AND a.user_id = ?2 AND r.revealed_at IS NOT NULL AND a.points IS NOT NULL",
        )
        .bind(round)
        .bind(user)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(score, hints, points, checklist)| {
            Ok((
                u8::try_from(score).unwrap_or(0),
                u32::try_from(hints).unwrap_or(0),
                u32::try_from(points).unwrap_or(0),
                serde_json::from_str(&checklist).context("bad checklist JSON")?,
            ))
        })
        .transpose()
    }

    /// Remembers the platform message that posted a round.
    pub async fn set_post_ref(&self, round: i64, post: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE rounds SET post_ref = ?2 WHERE id = ?1")
            .bind(round)
            .bind(post)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The platform message that posted a round, if it was recorded.
    pub async fn post_ref(&self, round: i64) -> anyhow::Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT post_ref FROM rounds WHERE id = ?1")
                .bind(round)
                .fetch_optional(self.pool())
                .await?
                .flatten(),
        )
    }

    /// The channel rows of a channel already known by id.
    pub async fn ids_of_channel(&self, channel: i64) -> anyhow::Result<ChannelIds> {
        let workspace: i64 = sqlx::query_scalar("SELECT workspace_id FROM channels WHERE id = ?1")
            .bind(channel)
            .fetch_one(self.pool())
            .await?;
        Ok(ChannelIds { workspace, channel })
    }
}

async fn add_to_totals(
    tx: &mut sqlx::SqliteConnection,
    scope: &str,
    period: &str,
    user: i64,
    points: u32,
    score: u8,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO score_totals (scope, period, user_id, points, rounds, score_sum)
         VALUES (?1, ?2, ?3, ?4, 1, ?5)
         ON CONFLICT (scope, period, user_id) DO UPDATE SET
             points = points + excluded.points, rounds = rounds + 1,
             score_sum = score_sum + excluded.score_sum",
    )
    .bind(scope)
    .bind(period)
    .bind(user)
    .bind(i64::from(points))
    .bind(i64::from(score))
    .execute(tx)
    .await?;
    Ok(())
}

/// The leaderboard periods a round counts in, by the UTC date it opened.
pub fn period_keys(opened_at: DateTime<Utc>) -> [String; 4] {
    let date = opened_at.date_naive();
    [
        "all".to_string(),
        week_key(date),
        format!("m{}", date.format("%Y-%m")),
        day_key(date),
    ]
}

pub fn week_key(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("w{}-{:02}", week.year(), week.week())
}

pub fn day_key(date: NaiveDate) -> String {
    format!("d{}", date.format("%Y-%m-%d"))
}
