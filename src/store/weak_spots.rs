//! What a channel knows least, for a question of the day that teaches (`focus weak`): the memories
//! of the players who answer there, and the share of key points the channel's answers missed per
//! question.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use sqlx::Row;

use super::{from_millis, to_millis, Store};
use crate::core::practice::Memory;

impl Store {
    /// The questions opened in `channel` since `since`.
    pub async fn asked_since(
        &self,
        channel: i64,
        since: DateTime<Utc>,
    ) -> anyhow::Result<HashSet<String>> {
        let asked: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT question_id FROM rounds WHERE channel_id = ?1 AND opened_at >= ?2",
        )
        .bind(channel)
        .bind(to_millis(since))
        .fetch_all(self.pool())
        .await?;
        Ok(asked.into_iter().collect())
    }

    /// Every memory, of every question, of the players who answered in `channel`: (question id,
    /// memory).
    pub async fn channel_memories(&self, channel: i64) -> anyhow::Result<Vec<(String, Memory)>> {
        let rows = sqlx::query(
            "SELECT m.question_id, m.stability, m.difficulty, m.reviewed_at FROM memories m
             WHERE m.user_id IN (SELECT DISTINCT a.user_id FROM answers a
                                 JOIN rounds r ON r.id = a.round_id WHERE r.channel_id = ?1)",
        )
        .bind(channel)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("question_id")?,
                    Memory {
                        stability: row.try_get::<f64, _>("stability")? as f32,
                        difficulty: row.try_get::<f64, _>("difficulty")? as f32,
                        reviewed_at: from_millis(row.try_get("reviewed_at")?)?,
                    },
                ))
            })
            .collect()
    }

    /// For each question answered in `channel`, the average share (0–1) of its key points the
    /// answers there missed.
    pub async fn missed_key_points(&self, channel: i64) -> anyhow::Result<HashMap<String, f64>> {
        let rows = sqlx::query(
            "SELECT r.question_id,
                    AVG(1.0 - (SELECT COUNT(*) FROM json_each(a.checklist)
                               WHERE json_extract(json_each.value, '$.covered') = 1)
                              * 1.0 / MAX(json_array_length(a.checklist), 1)) AS missed
             FROM answers a JOIN rounds r ON r.id = a.round_id
             WHERE r.channel_id = ?1 AND json_valid(a.checklist)
             GROUP BY r.question_id",
        )
        .bind(channel)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("question_id")?, row.try_get("missed")?)))
            .collect()
    }
}
