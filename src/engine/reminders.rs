//! Practice reminders through the drip: the reminders due now are claimed (one per player and
//! local day, as a daily post is), each becomes a private message for its front door to send, and
//! the front door reports back whether it went out. A message the platform refuses (direct
//! messages closed) stops the player's reminders, and the next practice step tells them once; one
//! that failed otherwise is tried again on later ticks for [`REMINDER_RETRIED_FOR_HOURS`].

use chrono::{DateTime, Duration, Utc};

use super::Engine;
use crate::core::command::Platform;
use crate::core::practice::PracticeReply;
use crate::core::reply::{Audience, Reply, ReplyBody};
use crate::store::reminders::DueReminder;

/// How long a reminder whose message failed is tried again.
pub const REMINDER_RETRIED_FOR_HOURS: i64 = 12;

impl Engine {
    /// The reminders to send on `platform` at `now`: those due now (claimed here), then those
    /// claimed earlier whose message has not gone out.
    pub async fn reminders_to_send(
        &self,
        now: DateTime<Utc>,
        platform: Platform,
    ) -> anyhow::Result<Vec<Reply>> {
        let mut due = self.store.claim_due_reminders(now, platform).await?;
        // A claim younger than a minute may still be on its way from another process's tick.
        due.extend(
            self.store
                .unsent_reminders(
                    platform,
                    now - Duration::hours(REMINDER_RETRIED_FOR_HOURS),
                    now - Duration::minutes(1),
                )
                .await?,
        );
        Ok(due.into_iter().map(reminder_message).collect())
    }

    /// Records that a reminder's message went out.
    pub async fn reminder_sent(&self, reply: &Reply, now: DateTime<Utc>) -> anyhow::Result<()> {
        if let Some((user, date)) = self.reminder_of(reply).await? {
            self.store.reminder_sent(user, date, now).await?;
        }
        Ok(())
    }

    /// Stops the reminders of the player a refused reminder was for.
    pub async fn reminder_refused(&self, reply: &Reply, now: DateTime<Utc>) -> anyhow::Result<()> {
        if let Some((user, _)) = self.reminder_of(reply).await? {
            tracing::warn!(
                user,
                "a practice reminder was refused; the player's reminders stop"
            );
            self.store.reminder_refused(user, now).await?;
        }
        Ok(())
    }

    async fn reminder_of(&self, reply: &Reply) -> anyhow::Result<Option<(i64, chrono::NaiveDate)>> {
        let (Audience::User(to), ReplyBody::Practice(PracticeReply::Reminder { date, .. })) =
            (&reply.audience, &reply.body)
        else {
            return Ok(None);
        };
        Ok(self
            .store
            .find_user(reply.channel.platform, to)
            .await?
            .map(|(user, _)| (user, *date)))
    }
}

fn reminder_message(due: DueReminder) -> Reply {
    Reply {
        channel: due.channel,
        audience: Audience::User(due.to),
        body: ReplyBody::Practice(PracticeReply::Reminder {
            due: due.due,
            date: due.local_date,
        }),
    }
}
