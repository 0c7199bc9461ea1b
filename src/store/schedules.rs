//! Channel schedules: one row per channel with its local time, IANA zone, weekdays and answer window,
//! whether it is paused, and since when posts count as due (so setting or resuming a schedule never
//! posts for a time that had already passed).

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{from_millis, to_millis, Store};
use crate::core::command::Platform;
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

    /// Every schedule that is not paused, with its channel, on `platform` (all when `None`).
    pub async fn active_schedules(
        &self,
        platform: Option<Platform>,
    ) -> anyhow::Result<Vec<(i64, Schedule)>> {
        let columns = SCHEDULE_COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM schedules s
             JOIN channels c ON c.id = s.channel_id JOIN workspaces w ON w.id = c.workspace_id
             WHERE s.paused = 0 AND (?1 IS NULL OR w.platform = ?1)"
        ))
        .bind(platform.map(Platform::as_str))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("channel_id")?, schedule_from_row(row)?)))
            .collect()
    }

    pub async fn save_schedule(&self, channel: i64, schedule: &Schedule) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO schedules (channel_id, local_time, zone, weekdays, window_minutes, paused, active_since)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (channel_id) DO UPDATE SET local_time = excluded.local_time, zone = excluded.zone,
                 weekdays = excluded.weekdays, window_minutes = excluded.window_minutes,
                 paused = excluded.paused, active_since = excluded.active_since",
        )
        .bind(channel)
        .bind(schedule.time.to_string())
        .bind(schedule.zone.name())
        .bind(i64::from(schedule.weekdays.bits()))
        .bind(schedule.window.minutes())
        .bind(i64::from(schedule.paused))
        .bind(to_millis(schedule.active_since))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Pauses or resumes a schedule; resuming starts counting due posts from `now`. Returns whether
    /// the channel had a schedule.
    pub async fn set_schedule_paused(
        &self,
        channel: i64,
        paused: bool,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let changed = if paused {
            sqlx::query("UPDATE schedules SET paused = 1 WHERE channel_id = ?1")
                .bind(channel)
                .execute(self.pool())
                .await?
        } else {
            sqlx::query("UPDATE schedules SET paused = 0, active_since = ?2 WHERE channel_id = ?1")
                .bind(channel)
                .bind(to_millis(now))
                .execute(self.pool())
                .await?
        };
        Ok(changed.rows_affected() > 0)
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
