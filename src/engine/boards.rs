//! Boards: the leaderboard of a channel or workspace, a player's stats, and the bank's topics.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{public, refuse, Engine, Refusal, BOARD_SIZE};
use crate::core::command::{BoardScope, Command, Period};
use crate::core::reply::{Board, BoardEntry, Reply, ReplyBody, Stats};
use crate::core::scoring;
use crate::store::keys::BoardKey;
use crate::store::ChannelIds;

impl Engine {
    pub(super) async fn leaderboard(
        &self,
        command: &Command,
        ids: ChannelIds,
        period: Period,
        scope: BoardScope,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let rows = self
            .store
            .leaderboard(BoardKey::of(scope, ids), period, now, BOARD_SIZE)
            .await?;
        let points: Vec<i64> = rows.iter().map(|r| r.points).collect();
        let entries = rows
            .into_iter()
            .zip(scoring::ranks(&points))
            .map(|(row, rank)| BoardEntry {
                rank,
                display_name: row.display_name,
                points: u32::try_from(row.points).unwrap_or(0),
                rounds: u32::try_from(row.rounds).unwrap_or(0),
                average_score: average(row.score_sum, row.rounds),
            })
            .collect();
        Ok(vec![public(
            command,
            ReplyBody::Board(Board {
                period,
                scope,
                entries,
            }),
        )])
    }

    pub(super) async fn stats(
        &self,
        command: &Command,
        ids: ChannelIds,
        user: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        // A player's practice is theirs: it shows in their own stats only.
        let own = user.is_none_or(|u| u == command.actor.user);
        let (user_id, display_name) = match user {
            None => (
                self.store
                    .user_id(command.channel.platform, &command.actor)
                    .await?,
                command.actor.display_name.clone(),
            ),
            Some(external) => match self
                .store
                .find_user(command.channel.platform, external)
                .await?
            {
                Some(found) => found,
                None => return refuse("That user has not answered any question yet."),
            },
        };
        let totals = self.store.user_totals(ids.channel, user_id).await?;
        let (current_streak, best_streak) =
            scoring::streaks(&self.store.daily_rounds_for(ids.channel, user_id).await?);
        let bank = self.bank();
        let mut by_tag: HashMap<&str, (i64, u32)> = HashMap::new();
        for (question, score) in self.store.revealed_scores(ids.channel, user_id).await? {
            for tag in bank
                .question(&question)
                .map(|q| q.tags.as_slice())
                .unwrap_or_default()
            {
                let entry = by_tag.entry(tag.as_str()).or_default();
                entry.0 += score;
                entry.1 += 1;
            }
        }
        let mut tags: Vec<(String, f64, u32)> = by_tag
            .into_iter()
            .map(|(tag, (sum, n))| (tag.to_string(), average(sum, i64::from(n)), n))
            .collect();
        tags.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let strongest: Vec<_> = tags.iter().take(3).cloned().collect();
        let weakest: Vec<_> = tags
            .iter()
            .rev()
            .take(3)
            .filter(|t| !strongest.contains(t))
            .cloned()
            .collect();
        let mock_scores: Vec<i64> = self
            .store
            .mock_history(user_id)
            .await?
            .into_iter()
            .map(|(_, _, score)| i64::from(score))
            .collect();
        let mock_questions = mock_scores.len() as i64;
        Ok(vec![public(
            command,
            ReplyBody::Stats(Stats {
                mock_questions: u32::try_from(mock_questions).unwrap_or(0),
                mock_average: average(mock_scores.iter().sum(), mock_questions),
                display_name,
                rounds_answered: u32::try_from(totals.rounds).unwrap_or(0),
                average_score: average(totals.score_sum, totals.rounds),
                points: u32::try_from(totals.points).unwrap_or(0),
                current_streak,
                best_streak,
                strongest,
                weakest,
                practice: match own {
                    true => Some(self.practice_status(user_id, now).await?),
                    false => None,
                },
            }),
        )])
    }

    pub(super) fn topics(&self) -> Vec<(String, usize)> {
        self.bank().summary().tags.into_iter().collect()
    }
}

fn average(sum: i64, n: i64) -> f64 {
    if n == 0 {
        0.0
    } else {
        sum as f64 / n as f64
    }
}
