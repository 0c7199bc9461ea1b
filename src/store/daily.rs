//! The daily drip's reads and writes, a batch of channels at a time: the schedules whose next post
//! instant has come (through the index on `next_post_at`), the open rounds and question counts of
//! the channels about to post, and one transaction that opens their rounds and moves their next
//! post instants on. A burst of channels due at the same minute thus costs a few statements per
//! batch, not several per channel, and takes the write lock once per batch.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::rounds::{round_from_row, ROUND_COLUMNS};
use super::schedules::{schedule_from_row, SCHEDULE_COLUMNS_OF_S};
use super::{from_millis, to_millis, Store};
use crate::core::command::{ChannelRef, Platform};
use crate::core::round::{Origin, Round};
use crate::core::schedule::Schedule;

/// Rows per multi-row statement: 5 values each stays far below SQLite's limit of bound values.
const ROWS_PER_STATEMENT: usize = 1_000;

/// A schedule whose next post instant has come, as a run of the drip read it.
#[derive(Debug, Clone, PartialEq)]
pub struct DueSchedule {
    pub channel_id: i64,
    pub channel: ChannelRef,
    pub schedule: Schedule,
    /// The stored instant that made it due; the new one is stored only if this one is unchanged.
    pub next_post_at: DateTime<Utc>,
}

/// A question of the day to open.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDailyRound<'a> {
    pub question: &'a str,
    pub local_date: NaiveDate,
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// What a run of the drip decided for one due schedule: the round to open, if any, and the instant
/// to look at the schedule again.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyDecision<'a> {
    pub due: &'a DueSchedule,
    pub round: Option<NewDailyRound<'a>>,
    pub next_post_at: Option<DateTime<Utc>>,
}

fn due_schedule_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<DueSchedule> {
    let platform: String = row.try_get("platform")?;
    Ok(DueSchedule {
        channel_id: row.try_get("channel_id")?,
        channel: ChannelRef {
            platform: Platform::parse(&platform)
                .with_context(|| format!("unknown platform `{platform}` in the database"))?,
            workspace: row.try_get("workspace_external_id")?,
            channel: row.try_get("channel_external_id")?,
        },
        schedule: schedule_from_row(row)?,
        next_post_at: from_millis(row.try_get("next_post_at")?)?,
    })
}

/// `(?, ?, …)` binding each of `channels`.
fn push_channel_list(query: &mut QueryBuilder<'_, Sqlite>, channels: &[i64]) {
    query.push("(");
    let mut list = query.separated(", ");
    for channel in channels {
        list.push_bind(*channel);
    }
    list.push_unseparated(")");
}

impl Store {
    /// The schedules whose next post instant has come by `now`, with their channels, on `platform`
    /// (all when `None`), earliest first. The index on `next_post_at` makes this cost what is due,
    /// not how many schedules exist. A row that cannot be read is logged and left for the next run,
    /// so it holds up no other channel.
    pub async fn due_schedules(
        &self,
        now: DateTime<Utc>,
        platform: Option<Platform>,
    ) -> anyhow::Result<Vec<DueSchedule>> {
        let rows = sqlx::query(&format!(
            "SELECT {SCHEDULE_COLUMNS_OF_S}, s.next_post_at, w.platform,
                    w.external_id AS workspace_external_id, c.external_id AS channel_external_id
             FROM schedules s
             JOIN channels c ON c.id = s.channel_id JOIN workspaces w ON w.id = c.workspace_id
             WHERE s.next_post_at <= ?1 AND s.paused = 0 AND (?2 IS NULL OR w.platform = ?2)
             ORDER BY s.next_post_at"
        ))
        .bind(to_millis(now))
        .bind(platform.map(Platform::as_str))
        .fetch_all(self.pool())
        .await?;
        let mut due = Vec::with_capacity(rows.len());
        for row in &rows {
            match due_schedule_from_row(row) {
                Ok(schedule) => due.push(schedule),
                Err(err) => tracing::error!(error = ?err, "a stored schedule cannot be read"),
            }
        }
        Ok(due)
    }

    /// The open round of each of `channels` that has one (the newest, as
    /// [`Store::open_round_in`]). A round that cannot be read is an error for its channel only.
    pub async fn open_rounds_of(
        &self,
        channels: &[i64],
    ) -> anyhow::Result<HashMap<i64, anyhow::Result<Round>>> {
        let mut open = HashMap::new();
        for batch in channels.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::new(format!(
                "SELECT {ROUND_COLUMNS} FROM rounds WHERE revealed_at IS NULL AND channel_id IN "
            ));
            push_channel_list(&mut query, batch);
            query.push(" ORDER BY opened_at, id");
            // Later rows are newer and replace earlier ones of the same channel.
            for row in query.build().fetch_all(self.pool()).await? {
                let channel: i64 = row.try_get("channel_id")?;
                open.insert(channel, round_from_row(&row));
            }
        }
        Ok(open)
    }

    /// How often each question was asked in each of `channels`, as [`Store::times_asked`].
    pub async fn times_asked_in(
        &self,
        channels: &[i64],
    ) -> anyhow::Result<HashMap<i64, HashMap<String, i64>>> {
        let mut asked: HashMap<i64, HashMap<String, i64>> = HashMap::new();
        for batch in channels.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::new(
                "SELECT channel_id, question_id, COUNT(*) FROM rounds WHERE channel_id IN ",
            );
            push_channel_list(&mut query, batch);
            query.push(" GROUP BY channel_id, question_id");
            let rows: Vec<(i64, String, i64)> =
                query.build_query_as().fetch_all(self.pool()).await?;
            for (channel, question, times) in rows {
                asked.entry(channel).or_default().insert(question, times);
            }
        }
        Ok(asked)
    }

    /// Writes what a run of the drip decided for due schedules, in one transaction: opens each
    /// round (or not, when the channel already has that local date's round: the unique key decides,
    /// so two processes or a restart cannot double-post) and stores each next post instant. A
    /// schedule set, paused or resumed since it was read keeps the instant that change stored.
    /// Returns the opened rounds in the order of `decisions`.
    pub async fn settle_daily_posts(
        &self,
        decisions: &[DailyDecision<'_>],
    ) -> anyhow::Result<Vec<Option<Round>>> {
        if decisions.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let new_rounds: Vec<(i64, &NewDailyRound)> = decisions
            .iter()
            .filter_map(|d| d.round.as_ref().map(|round| (d.due.channel_id, round)))
            .collect();
        let mut opened: HashMap<i64, i64> = HashMap::with_capacity(new_rounds.len());
        for batch in new_rounds.chunks(ROWS_PER_STATEMENT) {
            let mut insert = QueryBuilder::new(
                "INSERT INTO rounds (channel_id, question_id, origin, local_date, opened_at, closes_at) ",
            );
            insert.push_values(batch, |mut row, (channel, round)| {
                row.push_bind(*channel)
                    .push_bind(round.question)
                    .push_bind(Origin::Daily.as_str())
                    .push_bind(round.local_date.format("%Y-%m-%d").to_string())
                    .push_bind(to_millis(round.opened_at))
                    .push_bind(to_millis(round.closes_at));
            });
            insert.push(" ON CONFLICT DO NOTHING RETURNING channel_id, id");
            let ids: Vec<(i64, i64)> = insert.build_query_as().fetch_all(&mut *tx).await?;
            opened.extend(ids);
        }
        for batch in decisions.chunks(ROWS_PER_STATEMENT) {
            let mut moved =
                QueryBuilder::new("UPDATE schedules SET next_post_at = moved.column2 FROM (");
            moved.push_values(batch, |mut row, decision| {
                row.push_bind(decision.due.channel_id)
                    .push_bind(decision.next_post_at.map(to_millis))
                    .push_bind(to_millis(decision.due.next_post_at))
                    .push_bind(to_millis(decision.due.schedule.active_since));
            });
            moved.push(
                ") AS moved WHERE schedules.channel_id = moved.column1
                 AND schedules.next_post_at = moved.column3 AND schedules.active_since = moved.column4",
            );
            moved.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(decisions
            .iter()
            .map(|decision| {
                let round = decision.round.as_ref()?;
                let channel_id = decision.due.channel_id;
                Some(Round {
                    id: *opened.get(&channel_id)?,
                    channel_id,
                    question: round.question.to_string(),
                    origin: Origin::Daily,
                    local_date: Some(round.local_date),
                    opened_at: round.opened_at,
                    closes_at: round.closes_at,
                })
            })
            .collect())
    }
}
