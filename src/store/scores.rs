//! Leaderboards and stats. Leaderboards read `score_totals`, which reveals keep up to date, so the top
//! of a board is one range scan of an index whatever the number of answers behind it.

use chrono::{DateTime, Utc};

use super::keys::{BoardKey, PeriodKey, PeriodSpan};
use super::Store;
use crate::core::command::Period;
use crate::core::scoring::DailyRound;

/// One line of a leaderboard, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    pub display_name: String,
    pub points: i64,
    pub rounds: i64,
    pub score_sum: i64,
}

/// A user's all-time totals in a channel.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UserTotals {
    pub points: i64,
    pub rounds: i64,
    pub score_sum: i64,
}

impl Store {
    /// The top `limit` users of a board for a period around `now`.
    pub async fn leaderboard(
        &self,
        board: BoardKey,
        period: Period,
        now: DateTime<Utc>,
        limit: i64,
    ) -> anyhow::Result<Vec<BoardRow>> {
        let rows: Vec<(String, i64, i64, i64)> = match PeriodSpan::of(period, now.date_naive()) {
            PeriodSpan::Days(from, to) => sqlx::query_as(
                "SELECT u.display_name, SUM(t.points) AS points, SUM(t.rounds), SUM(t.score_sum)
                     FROM score_totals t JOIN users u ON u.id = t.user_id
                     WHERE t.scope = ?1 AND t.period BETWEEN ?2 AND ?3
                     GROUP BY t.user_id ORDER BY points DESC, u.display_name LIMIT ?4",
            )
            .bind(board.to_string())
            .bind(from.to_string())
            .bind(to.to_string())
            .bind(limit)
            .fetch_all(self.pool())
            .await?,
            PeriodSpan::One(key) => {
                sqlx::query_as(
                    "SELECT u.display_name, t.points, t.rounds, t.score_sum
                     FROM score_totals t JOIN users u ON u.id = t.user_id
                     WHERE t.scope = ?1 AND t.period = ?2
                     ORDER BY t.points DESC, u.display_name LIMIT ?3",
                )
                .bind(board.to_string())
                .bind(key.to_string())
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(display_name, points, rounds, score_sum)| BoardRow {
                display_name,
                points,
                rounds,
                score_sum,
            })
            .collect())
    }

    /// A user's all-time totals in a channel (revealed rounds only).
    pub async fn user_totals(&self, channel: i64, user: i64) -> anyhow::Result<UserTotals> {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT points, rounds, score_sum FROM score_totals
             WHERE scope = ?1 AND period = ?2 AND user_id = ?3",
        )
        .bind(BoardKey::Channel(channel).to_string())
        .bind(PeriodKey::AllTime.to_string())
        .bind(user)
        .fetch_optional(self.pool())
        .await?;
        Ok(
            row.map_or_else(UserTotals::default, |(points, rounds, score_sum)| {
                UserTotals {
                    points,
                    rounds,
                    score_sum,
                }
            }),
        )
    }

    /// The channel's daily rounds in date order, as answered or not by a user.
    pub async fn daily_rounds_for(
        &self,
        channel: i64,
        user: i64,
    ) -> anyhow::Result<Vec<DailyRound>> {
        let rows: Vec<(bool, bool)> = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM answers a WHERE a.round_id = r.id AND a.user_id = ?2),
                    r.revealed_at IS NULL
             FROM rounds r WHERE r.channel_id = ?1 AND r.origin = 'daily' ORDER BY r.local_date",
        )
        .bind(channel)
        .bind(user)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(answered, open)| DailyRound { answered, open })
            .collect())
    }

    /// A user's scores in a channel's revealed rounds, by question id.
    pub async fn revealed_scores(
        &self,
        channel: i64,
        user: i64,
    ) -> anyhow::Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT r.question_id, a.score FROM answers a JOIN rounds r ON r.id = a.round_id
             WHERE r.channel_id = ?1 AND a.user_id = ?2 AND r.revealed_at IS NOT NULL",
        )
        .bind(channel)
        .bind(user)
        .fetch_all(self.pool())
        .await?)
    }
}
