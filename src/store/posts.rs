//! The platform posts that carried rounds: a question's post (so its reveal can answer it) and a
//! reveal's post. A question of the day and a reveal the drip made are recorded before they are
//! posted; until their post's reference is saved they are "unposted", and the drip posts them again
//! (after looking for a post the platform took but whose reference was lost).

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::rounds::{round_from_row, RevealedAnswer, ROUND_COLUMNS_OF_R};
use super::{to_millis, Store};
use crate::core::command::Platform;
use crate::core::round::Round;

impl Store {
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

    /// Rounds of a platform the drip revealed between `revealed_after` and `revealed_before` whose
    /// reveal post was never recorded, oldest first. A reveal older than that (its channel deleted,
    /// the bot removed from it) is no longer tried.
    pub async fn unposted_reveals(
        &self,
        platform: Platform,
        revealed_after: DateTime<Utc>,
        revealed_before: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Round>> {
        let rows = sqlx::query(&format!(
            "SELECT {ROUND_COLUMNS_OF_R} FROM rounds r
             JOIN channels c ON c.id = r.channel_id JOIN workspaces w ON w.id = c.workspace_id
             WHERE r.reveal_pending = 1 AND r.revealed_at <= ?1 AND r.revealed_at > ?3
               AND w.platform = ?2
             ORDER BY r.revealed_at"
        ))
        .bind(to_millis(revealed_before))
        .bind(platform.as_str())
        .bind(to_millis(revealed_after))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(round_from_row).collect()
    }

    /// The answers of a revealed round with the points its reveal gave, best first.
    pub async fn revealed_answers(&self, round: i64) -> anyhow::Result<Vec<RevealedAnswer>> {
        let rows = sqlx::query(
            "SELECT u.external_id, u.display_name, a.score, a.hints_used, a.points, a.checklist
             FROM answers a JOIN users u ON u.id = a.user_id
             WHERE a.round_id = ?1 AND a.points IS NOT NULL
             ORDER BY a.points DESC, a.score DESC",
        )
        .bind(round)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RevealedAnswer {
                    user_external_id: row.try_get("external_id")?,
                    display_name: row.try_get("display_name")?,
                    score: u8::try_from(row.try_get::<i64, _>("score")?).unwrap_or(0),
                    hints_used: u32::try_from(row.try_get::<i64, _>("hints_used")?).unwrap_or(0),
                    points: u32::try_from(row.try_get::<i64, _>("points")?).unwrap_or(0),
                    checklist: serde_json::from_str(&row.try_get::<String, _>("checklist")?)
                        .context("bad checklist JSON")?,
                })
            })
            .collect()
    }

    /// Remembers the platform message that posted a round.
    pub async fn set_post_ref(&self, round: i64, post: &str) -> anyhow::Result<()> {
        self.busy
            .retry(|| {
                sqlx::query("UPDATE rounds SET post_ref = ?2 WHERE id = ?1")
                    .bind(round)
                    .bind(post)
                    .execute(self.pool())
            })
            .await?;
        Ok(())
    }

    /// Remembers the platform message that posted a round's reveal: the reveal is no longer waiting.
    pub async fn set_reveal_post_ref(&self, round: i64, post: &str) -> anyhow::Result<()> {
        self.busy
            .retry(|| {
                sqlx::query(
                    "UPDATE rounds SET reveal_post_ref = ?2, reveal_pending = 0 WHERE id = ?1",
                )
                .bind(round)
                .bind(post)
                .execute(self.pool())
            })
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
}
