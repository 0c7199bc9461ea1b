//! Rounds, answers and hints: opening a round, reading the open one, hints, the reveal that turns
//! answers into points on both boards. Answers are written by the [`super::answer_writer`], post
//! references by [`super::posts`].

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::keys::{BoardKey, PeriodKey};
use super::memories::{record_review, NewReview};
use super::{from_millis, to_millis, ChannelIds, Store};
use crate::core::command::Platform;
use crate::core::grade::KeyPointCheck;
use crate::core::practice::Rating;
use crate::core::round::{Origin, Round};
use crate::core::scoring;

/// Who posts a reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealPost {
    /// The drip posts it through a front door's outbox, and posts it again until its post is
    /// recorded.
    ByDrip,
    /// It answers a user's command (an admin's early reveal): the reply to the command carries it.
    InReply,
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

pub(super) fn round_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Round> {
    let origin: String = row.try_get("origin")?;
    let local_date: Option<String> = row.try_get("local_date")?;
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
    })
}

pub(super) const ROUND_COLUMNS: &str =
    "id, channel_id, question_id, origin, local_date, opened_at, closes_at";
/// [`ROUND_COLUMNS`] of a query that names `rounds` as `r`.
pub(super) const ROUND_COLUMNS_OF_R: &str =
    "r.id, r.channel_id, r.question_id, r.origin, r.local_date, r.opened_at, r.closes_at";

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
        let id: Option<i64> = self
            .busy
            .retry(|| {
                sqlx::query_scalar(
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
            })
            .await?;
        Ok(id.map(|id| Round {
            id,
            channel_id: channel,
            question: question.to_string(),
            origin,
            local_date,
            opened_at,
            closes_at,
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

    /// How often each question was asked in a channel.
    pub async fn times_asked(&self, channel: i64) -> anyhow::Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT question_id, COUNT(*) FROM rounds WHERE channel_id = ?1 GROUP BY question_id",
        )
        .bind(channel)
        .fetch_all(self.pool())
        .await?)
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
        let mut tx = self.begin_write().await?;
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

    /// Reveals a round once: sets each answer's points, adds them to the channel's and workspace's
    /// totals, and records each answer as a review of the question by its player, all in one
    /// transaction. A reveal the drip will post is recorded as waiting for its post
    /// in the same transaction. Returns `None` when the round was already revealed (by another
    /// task or process), so a reveal is never counted twice.
    pub async fn reveal_round(
        &self,
        round: &Round,
        now: DateTime<Utc>,
        post: RevealPost,
    ) -> anyhow::Result<Option<Vec<RevealedAnswer>>> {
        let mut tx = self.begin_write().await?;
        let marked = sqlx::query(
            "UPDATE rounds SET revealed_at = ?1, reveal_pending = ?3
             WHERE id = ?2 AND revealed_at IS NULL",
        )
        .bind(to_millis(now))
        .bind(round.id)
        .bind(i64::from(post == RevealPost::ByDrip))
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
            "SELECT a.user_id, u.external_id, u.display_name, a.score, a.checklist, a.submitted_at,
                    h.key_points
             FROM answers a JOIN users u ON u.id = a.user_id
             LEFT JOIN hints h ON h.round_id = a.round_id AND h.user_id = a.user_id
             WHERE a.round_id = ?1",
        )
        .bind(round.id)
        .fetch_all(&mut *tx)
        .await?;
        let periods = PeriodKey::all_of(round.opened_at);
        let boards = BoardKey::both(ChannelIds {
            workspace,
            channel: round.channel_id,
        });
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
            for board in boards {
                for period in periods {
                    add_to_totals(&mut tx, board, period, user, points, score).await?;
                }
            }
            // The answer's result is final: it is a review of the question by its player, at the
            // time it was given.
            let review = NewReview {
                user,
                question: &round.question,
                rating: Rating::from_score(score),
                score,
                at: from_millis(row.try_get("submitted_at")?)?,
                round: Some(round.id),
            };
            record_review(&mut tx, review).await?;
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
}

async fn add_to_totals(
    tx: &mut sqlx::SqliteConnection,
    board: BoardKey,
    period: PeriodKey,
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
    .bind(board.to_string())
    .bind(period.to_string())
    .bind(user)
    .bind(i64::from(points))
    .bind(i64::from(score))
    .execute(tx)
    .await?;
    Ok(())
}
