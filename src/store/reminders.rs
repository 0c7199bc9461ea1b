//! Players' practice reminders: when each is due next (read through an index, like the daily
//! drip's schedules), one claim per player and local date taken before the message is sent (so a
//! second tick or process never sends it again), the claims not yet sent, and a reminder stopping
//! when its message was refused, with the player told once.

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::schedules::times_from_row;
use super::{from_millis, to_millis, Store};
use crate::core::command::{ChannelRef, Platform};
use crate::core::schedule::{AnswerWindow, Focus, LocalTime, Schedule, TimeZone, Weekdays};

/// A reminder claimed for a player's local day, to send.
#[derive(Debug, Clone, PartialEq)]
pub struct DueReminder {
    pub user: i64,
    /// The player's platform id, to message.
    pub to: String,
    /// Where the reminder was set: its platform and workspace.
    pub channel: ChannelRef,
    pub local_date: NaiveDate,
    /// Questions due when it was claimed.
    pub due: usize,
}

/// A reminder's times as a schedule, so it is due exactly as a daily post would be.
fn reminder_schedule(
    time: LocalTime,
    zone: TimeZone,
    weekdays: Weekdays,
    active_since: DateTime<Utc>,
) -> Schedule {
    Schedule {
        time,
        zone,
        weekdays,
        window: AnswerWindow::default(),
        paused: false,
        active_since,
        focus: Focus::default(),
    }
}

fn schedule_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Schedule> {
    let (time, zone, weekdays) = times_from_row(row)?;
    Ok(reminder_schedule(
        time,
        zone,
        weekdays,
        from_millis(row.try_get("active_since")?)?,
    ))
}

fn due_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<DueReminder> {
    let platform: String = row.try_get("platform")?;
    let date: String = row.try_get("local_date")?;
    Ok(DueReminder {
        user: row.try_get("user_id")?,
        to: row.try_get("user_external_id")?,
        channel: ChannelRef {
            platform: Platform::parse(&platform).context("stored platform")?,
            workspace: row.try_get("workspace_external_id")?,
            channel: row.try_get("channel_external_id")?,
        },
        local_date: date.parse().context("stored reminder date")?,
        due: usize::try_from(row.try_get::<i64, _>("due")?).unwrap_or(0),
    })
}

const DUE_COLUMNS: &str = "r.user_id, u.external_id AS user_external_id, w.platform,
     w.external_id AS workspace_external_id, c.external_id AS channel_external_id";
const DUE_JOINS: &str = "JOIN users u ON u.id = r.user_id JOIN channels c ON c.id = r.channel_id
     JOIN workspaces w ON w.id = c.workspace_id";

impl Store {
    /// Turns a player's reminder on (replacing any other), set from `channel`.
    pub async fn set_reminder(
        &self,
        user: i64,
        channel: i64,
        (time, zone, weekdays): (LocalTime, TimeZone, Weekdays),
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let schedule = reminder_schedule(time, zone, weekdays, now);
        let next_at = schedule.next_post_at(now).map(to_millis);
        self.busy
            .retry(|| {
                sqlx::query(
                    "INSERT INTO practice_reminders (user_id, channel_id, local_time, zone,
                         weekdays, active_since, next_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id,
                         local_time = excluded.local_time, zone = excluded.zone,
                         weekdays = excluded.weekdays, active_since = excluded.active_since,
                         next_at = excluded.next_at, refused_at = NULL, refusal_told = 0",
                )
                .bind(user)
                .bind(channel)
                .bind(time.to_string())
                .bind(zone.name())
                .bind(i64::from(weekdays.bits()))
                .bind(to_millis(now))
                .bind(next_at)
                .execute(self.pool())
            })
            .await?;
        Ok(())
    }

    /// Turns a player's reminder off; returns whether one was on.
    pub async fn delete_reminder(&self, user: i64) -> anyhow::Result<bool> {
        let deleted = self
            .busy
            .retry(|| {
                sqlx::query("DELETE FROM practice_reminders WHERE user_id = ?1")
                    .bind(user)
                    .execute(self.pool())
            })
            .await?;
        Ok(deleted.rows_affected() > 0)
    }

    /// A player's reminder while it is on.
    pub async fn reminder_of(&self, user: i64) -> anyhow::Result<Option<Schedule>> {
        let row = sqlx::query(
            "SELECT local_time, zone, weekdays, active_since FROM practice_reminders
             WHERE user_id = ?1 AND refused_at IS NULL",
        )
        .bind(user)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(schedule_from_row).transpose()
    }

    /// Whether the player's reminder stopped because its message was refused and they have not
    /// been told yet; telling them is recorded, so it happens once.
    pub async fn take_reminder_refusal(&self, user: i64) -> anyhow::Result<bool> {
        // Read first: nearly every practice step has nothing to tell, and needs no write for it.
        let pending: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM practice_reminders
             WHERE user_id = ?1 AND refused_at IS NOT NULL AND refusal_told = 0",
        )
        .bind(user)
        .fetch_optional(self.pool())
        .await?;
        if pending.is_none() {
            return Ok(false);
        }
        let told = self
            .busy
            .retry(|| {
                sqlx::query(
                    "UPDATE practice_reminders SET refusal_told = 1
                     WHERE user_id = ?1 AND refused_at IS NOT NULL AND refusal_told = 0",
                )
                .bind(user)
                .execute(self.pool())
            })
            .await?;
        Ok(told.rows_affected() > 0)
    }

    /// Claims the reminders due at `now` on `platform` whose player has something due, one per
    /// player and local date, and moves every due reminder on to its next instant (one
    /// transaction). Returns the claims made now.
    pub async fn claim_due_reminders(
        &self,
        now: DateTime<Utc>,
        platform: Platform,
    ) -> anyhow::Result<Vec<DueReminder>> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(&format!(
            "SELECT {DUE_COLUMNS}, r.local_time, r.zone, r.weekdays, r.active_since
             FROM practice_reminders r {DUE_JOINS}
             WHERE r.next_at <= ?1 AND r.refused_at IS NULL AND w.platform = ?2"
        ))
        .bind(to_millis(now))
        .bind(platform.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let mut claimed = Vec::new();
        for row in &rows {
            let user: i64 = row.try_get("user_id")?;
            let schedule = match schedule_from_row(row) {
                Ok(schedule) => schedule,
                Err(err) => {
                    // One unreadable reminder must not hold up everyone else's: it stops.
                    tracing::error!(error = ?err, user, "a stored practice reminder cannot be read");
                    sqlx::query("UPDATE practice_reminders SET next_at = NULL WHERE user_id = ?1")
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                    continue;
                }
            };
            let next_at = match schedule.due_at(now) {
                Some((local_date, post)) => {
                    let due: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM memories WHERE user_id = ?1 AND due_at <= ?2",
                    )
                    .bind(user)
                    .bind(to_millis(now))
                    .fetch_one(&mut *tx)
                    .await?;
                    let taken = due > 0
                        && sqlx::query(
                            "INSERT INTO reminder_sends (user_id, local_date, due, claimed_at)
                             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                        )
                        .bind(user)
                        .bind(local_date.to_string())
                        .bind(due)
                        .bind(to_millis(now))
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                            > 0;
                    if taken {
                        claimed.push(DueReminder {
                            user,
                            to: row.try_get("user_external_id")?,
                            channel: ChannelRef {
                                platform,
                                workspace: row.try_get("workspace_external_id")?,
                                channel: row.try_get("channel_external_id")?,
                            },
                            local_date,
                            due: usize::try_from(due).unwrap_or(0),
                        });
                    }
                    schedule.post_after(post)
                }
                None => schedule.next_post_at(now),
            };
            sqlx::query("UPDATE practice_reminders SET next_at = ?2 WHERE user_id = ?1")
                .bind(user)
                .bind(next_at.map(to_millis))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// Reminders on `platform` claimed between `since` and `before` whose message did not go out,
    /// of players whose reminder is still on.
    pub async fn unsent_reminders(
        &self,
        platform: Platform,
        since: DateTime<Utc>,
        before: DateTime<Utc>,
    ) -> anyhow::Result<Vec<DueReminder>> {
        let rows = sqlx::query(&format!(
            "SELECT {DUE_COLUMNS}, s.local_date, s.due
             FROM reminder_sends s JOIN practice_reminders r ON r.user_id = s.user_id {DUE_JOINS}
             WHERE s.sent_at IS NULL AND s.claimed_at >= ?1 AND s.claimed_at < ?2
               AND r.refused_at IS NULL AND w.platform = ?3"
        ))
        .bind(to_millis(since))
        .bind(to_millis(before))
        .bind(platform.as_str())
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                due_from_row(row)
                    .inspect_err(
                        |err| tracing::error!(error = ?err, "a claimed reminder cannot be read"),
                    )
                    .ok()
            })
            .collect())
    }

    /// Records that a claimed reminder went out.
    pub async fn reminder_sent(
        &self,
        user: i64,
        local_date: NaiveDate,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.busy
            .retry(|| {
                sqlx::query(
                    "UPDATE reminder_sends SET sent_at = ?3 WHERE user_id = ?1 AND local_date = ?2",
                )
                .bind(user)
                .bind(local_date.to_string())
                .bind(to_millis(now))
                .execute(self.pool())
            })
            .await?;
        Ok(())
    }

    /// Stops a player's reminder because the platform refused its message.
    pub async fn reminder_refused(&self, user: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
        self.busy
            .retry(|| {
                sqlx::query(
                    "UPDATE practice_reminders SET refused_at = ?2, next_at = NULL
                     WHERE user_id = ?1",
                )
                .bind(user)
                .bind(to_millis(now))
                .execute(self.pool())
            })
            .await?;
        Ok(())
    }
}
