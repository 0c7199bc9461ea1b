//! Channel schedules: one row per channel with its local time, IANA zone, weekdays and answer window,
//! whether it is paused, since when posts count as due (so setting or resuming a schedule never
//! posts for a time that had already passed), and the instant its next post is due, which the drip
//! reads through an index and moves on after each post.

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{from_millis, to_millis, Store, WRITE};
use crate::core::command::{ChannelRef, Platform};
use crate::core::round::{Origin, Round};
use crate::core::schedule::{AnswerWindow, LocalTime, Schedule, TimeZone, Weekdays};

fn schedule_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Schedule> {
    let time: String = row.try_get("local_time")?;
    let zone: String = row.try_get("zone")?;
    let weekdays: i64 = row.try_get("weekdays")?;
    let window: i64 = row.try_get("window_minutes")?;
    Ok(Schedule {
        time: LocalTime::parse(&time).map_err(|e| anyhow::anyhow!("stored schedule time: {e}"))?,
        zone: TimeZone::parse(&zone).map_err(|e| anyhow::anyhow!("stored schedule zone: {e}"))?,
        weekdays: u8::try_from(weekdays)
            .ok()
            .and_then(Weekdays::from_bits)
            .context("stored schedule weekdays")?,
        window: AnswerWindow::from_minutes(window).context("stored schedule window")?,
        paused: row.try_get::<i64, _>("paused")? != 0,
        active_since: from_millis(row.try_get("active_since")?)?,
    })
}

const SCHEDULE_COLUMNS: &str =
    "channel_id, local_time, zone, weekdays, window_minutes, paused, active_since";
/// [`SCHEDULE_COLUMNS`] of a query that names `schedules` as `s`.
const SCHEDULE_COLUMNS_OF_S: &str =
    "s.channel_id, s.local_time, s.zone, s.weekdays, s.window_minutes, s.paused, s.active_since";

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

impl Store {
    pub async fn schedule_of(&self, channel: i64) -> anyhow::Result<Option<Schedule>> {
        let row = sqlx::query(&format!(
            "SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE channel_id = ?1"
        ))
        .bind(channel)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(schedule_from_row).transpose()
    }

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

    /// Writes what a run of the drip decided for due schedules, in one transaction: opens each
    /// round (or not, when the channel already has that local date's round: the unique key decides,
    /// so two processes or a restart cannot double-post) and stores each next post instant. A
    /// schedule set, paused or resumed since it was read keeps the instant that change stored.
    /// Returns the opened rounds in the order of `decisions`.
    pub async fn settle_daily_posts(
        &self,
        decisions: &[DailyDecision<'_>],
    ) -> anyhow::Result<Vec<Option<Round>>> {
        let mut tx = self.pool().begin_with(WRITE).await?;
        let mut opened = Vec::with_capacity(decisions.len());
        for decision in decisions {
            let channel = decision.due.channel_id;
            let round = match &decision.round {
                Some(new) => sqlx::query_scalar::<_, i64>(
                    "INSERT INTO rounds (channel_id, question_id, origin, local_date, opened_at, closes_at)
                     VALUES (?1, ?2, 'daily', ?3, ?4, ?5) ON CONFLICT DO NOTHING RETURNING id",
                )
                .bind(channel)
                .bind(new.question)
                .bind(new.local_date.format("%Y-%m-%d").to_string())
                .bind(to_millis(new.opened_at))
                .bind(to_millis(new.closes_at))
                .fetch_optional(&mut *tx)
                .await?
                .map(|id| Round {
                    id,
                    channel_id: channel,
                    question: new.question.to_string(),
                    origin: Origin::Daily,
                    local_date: Some(new.local_date),
                    opened_at: new.opened_at,
                    closes_at: new.closes_at,
                }),
                None => None,
            };
            sqlx::query(
                "UPDATE schedules SET next_post_at = ?2
                 WHERE channel_id = ?1 AND next_post_at = ?3 AND active_since = ?4",
            )
            .bind(channel)
            .bind(decision.next_post_at.map(to_millis))
            .bind(to_millis(decision.due.next_post_at))
            .bind(to_millis(decision.due.schedule.active_since))
            .execute(&mut *tx)
            .await?;
            opened.push(round);
        }
        tx.commit().await?;
        Ok(opened)
    }

    /// Sets a channel's schedule, replacing any other, with the instant its next post is due.
    pub async fn save_schedule(&self, channel: i64, schedule: &Schedule) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO schedules (channel_id, local_time, zone, weekdays, window_minutes, paused,
                 active_since, next_post_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (channel_id) DO UPDATE SET local_time = excluded.local_time, zone = excluded.zone,
                 weekdays = excluded.weekdays, window_minutes = excluded.window_minutes,
                 paused = excluded.paused, active_since = excluded.active_since,
                 next_post_at = excluded.next_post_at",
        )
        .bind(channel)
        .bind(schedule.time.to_string())
        .bind(schedule.zone.name())
        .bind(i64::from(schedule.weekdays.bits()))
        .bind(schedule.window.minutes())
        .bind(i64::from(schedule.paused))
        .bind(to_millis(schedule.active_since))
        .bind(schedule.next_post_at(schedule.active_since).map(to_millis))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Pauses or resumes a schedule. A paused schedule has no next post; resuming starts counting
    /// due posts from `now` and stores the next one. Returns whether the channel had a schedule.
    pub async fn set_schedule_paused(
        &self,
        channel: i64,
        paused: bool,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        if paused {
            let changed = sqlx::query(
                "UPDATE schedules SET paused = 1, next_post_at = NULL WHERE channel_id = ?1",
            )
            .bind(channel)
            .execute(self.pool())
            .await?;
            return Ok(changed.rows_affected() > 0);
        }
        let mut tx = self.pool().begin_with(WRITE).await?;
        let row = sqlx::query(&format!(
            "SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE channel_id = ?1"
        ))
        .bind(channel)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let resumed = Schedule {
            paused: false,
            active_since: now,
            ..schedule_from_row(&row)?
        };
        sqlx::query(
            "UPDATE schedules SET paused = 0, active_since = ?2, next_post_at = ?3
             WHERE channel_id = ?1",
        )
        .bind(channel)
        .bind(to_millis(now))
        .bind(resumed.next_post_at(now).map(to_millis))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes a channel's schedule; returns whether there was one.
    pub async fn delete_schedule(&self, channel: i64) -> anyhow::Result<bool> {
        let deleted = sqlx::query("DELETE FROM schedules WHERE channel_id = ?1")
            .bind(channel)
            .execute(self.pool())
            .await?;
        Ok(deleted.rows_affected() > 0)
    }
}
