//! Channel schedules: one row per channel with its local time, IANA zone, weekdays and answer window,
//! whether it is paused, since when posts count as due (so setting or resuming a schedule never
//! posts for a time that had already passed), and the instant its next post is due (see
//! [`super::daily`], which reads it through an index and moves it on after each post).

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{from_millis, to_millis, Store};
use crate::core::schedule::{AnswerWindow, Focus, LocalTime, Schedule, TimeZone, Weekdays};

/// A row's `local_time`, `zone` and `weekdays` (a schedule's or a reminder's).
pub(super) fn times_from_row(
    row: &sqlx::sqlite::SqliteRow,
) -> anyhow::Result<(LocalTime, TimeZone, Weekdays)> {
    let time: String = row.try_get("local_time")?;
    let zone: String = row.try_get("zone")?;
    let weekdays: i64 = row.try_get("weekdays")?;
    Ok((
        LocalTime::parse(&time).map_err(|e| anyhow::anyhow!("stored time: {e}"))?,
        TimeZone::parse(&zone).map_err(|e| anyhow::anyhow!("stored zone: {e}"))?,
        u8::try_from(weekdays)
            .ok()
            .and_then(Weekdays::from_bits)
            .context("stored weekdays")?,
    ))
}

pub(super) fn schedule_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Schedule> {
    let (time, zone, weekdays) = times_from_row(row)?;
    let window: i64 = row.try_get("window_minutes")?;
    Ok(Schedule {
        time,
        zone,
        weekdays,
        window: AnswerWindow::from_minutes(window).context("stored schedule window")?,
        paused: row.try_get::<i64, _>("paused")? != 0,
        active_since: from_millis(row.try_get("active_since")?)?,
        focus: Focus::parse(&row.try_get::<String, _>("focus")?)
            .context("stored schedule focus")?,
    })
}

pub(super) const SCHEDULE_COLUMNS: &str =
    "channel_id, local_time, zone, weekdays, window_minutes, paused, active_since, focus";
/// [`SCHEDULE_COLUMNS`] of a query that names `schedules` as `s`.
pub(super) const SCHEDULE_COLUMNS_OF_S: &str =
    "s.channel_id, s.local_time, s.zone, s.weekdays, s.window_minutes, s.paused, s.active_since,
     s.focus";

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

    /// Sets a channel's schedule, replacing any other, with the instant its next post is due.
    pub async fn save_schedule(&self, channel: i64, schedule: &Schedule) -> anyhow::Result<()> {
        let next_post_at = schedule.next_post_at(schedule.active_since).map(to_millis);
        self.busy.retry(|| sqlx::query(
            "INSERT INTO schedules (channel_id, local_time, zone, weekdays, window_minutes, paused,
                 active_since, next_post_at, focus)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (channel_id) DO UPDATE SET local_time = excluded.local_time, zone = excluded.zone,
                 weekdays = excluded.weekdays, window_minutes = excluded.window_minutes,
                 paused = excluded.paused, active_since = excluded.active_since,
                 next_post_at = excluded.next_post_at, focus = excluded.focus",
        )
        .bind(channel)
        .bind(schedule.time.to_string())
        .bind(schedule.zone.name())
        .bind(i64::from(schedule.weekdays.bits()))
        .bind(schedule.window.minutes())
        .bind(i64::from(schedule.paused))
        .bind(to_millis(schedule.active_since))
        .bind(next_post_at)
        .bind(schedule.focus.as_str())
        .execute(self.pool())).await?;
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
            let changed = self
                .busy
                .retry(|| {
                    sqlx::query(
                "UPDATE schedules SET paused = 1, next_post_at = NULL WHERE channel_id = ?1",
            )
            .bind(channel)
            .execute(self.pool())
                })
                .await?;
            return Ok(changed.rows_affected() > 0);
        }
        let mut tx = self.begin_write().await?;
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
        let deleted = self
            .busy
            .retry(|| {
                sqlx::query("DELETE FROM schedules WHERE channel_id = ?1")
                    .bind(channel)
                    .execute(self.pool())
            })
            .await?;
        Ok(deleted.rows_affected() > 0)
    }
}
