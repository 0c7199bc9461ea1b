//! The daily drip: a channel's schedule (set, show, pause, resume, off) and `run_due(now)`, one unit
//! of background work that reveals every round whose window closed and posts each due question of the
//! day, plus the questions whose post never went out.

use chrono::{DateTime, Duration, Utc};

use super::{public, question_card, refuse, Engine, Refusal};
use crate::core::command::{Command, Platform, ScheduleAction};
use crate::core::grammar::Grammar;
use crate::core::reply::{Audience, Reply, ReplyBody, ScheduleInfo};
use crate::core::round::Origin;
use crate::core::schedule::Schedule;
use crate::store::rounds::RevealPost;
use crate::store::ChannelIds;

impl Engine {
    pub(super) async fn schedule(
        &self,
        command: &Command,
        ids: ChannelIds,
        action: &ScheduleAction,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let notice = |text: &str| Ok(vec![public(command, ReplyBody::Notice(text.to_string()))]);
        match action {
            ScheduleAction::Set {
                time,
                zone,
                weekdays,
                window,
            } => {
                let schedule = Schedule {
                    time: *time,
                    zone: *zone,
                    weekdays: *weekdays,
                    window: *window,
                    paused: false,
                    active_since: now,
                };
                self.store.save_schedule(ids.channel, &schedule).await?;
                Ok(vec![public(
                    command,
                    ReplyBody::ScheduleInfo(schedule_info(Some(&schedule), now)),
                )])
            }
            ScheduleAction::Show => {
                let schedule = self.store.schedule_of(ids.channel).await?;
                Ok(vec![public(
                    command,
                    ReplyBody::ScheduleInfo(schedule_info(schedule.as_ref(), now)),
                )])
            }
            ScheduleAction::Pause => match self
                .store
                .set_schedule_paused(ids.channel, true, now)
                .await?
            {
                true => notice(&format!(
                    "The daily question is paused. `{}` starts it again.",
                    Grammar::of(command.channel.platform).command("schedule resume")
                )),
                false => refuse("This channel has no schedule to pause."),
            },
            ScheduleAction::Resume => match self
                .store
                .set_schedule_paused(ids.channel, false, now)
                .await?
            {
                true => {
                    notice("The daily question is back on; the next post follows the schedule.")
                }
                false => refuse("This channel has no schedule to resume."),
            },
            ScheduleAction::Off => match self.store.delete_schedule(ids.channel).await? {
                true => notice("The daily question is off for this channel."),
                false => refuse("This channel has no schedule."),
            },
        }
    }

    /// One unit of the daily drip at `now`: reveals every round whose window has closed, and opens the
    /// day's round for every schedule that is due. Running it again at the same or a later instant
    /// of the same local day posts nothing more: the database allows one daily round per channel and
    /// local date, and a round is revealed once.
    pub async fn run_due(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<Reply>> {
        self.run_due_on(now, None).await
    }

    /// [`Engine::run_due`] for the channels of one platform only: each front door runs the drip for
    /// its own channels, so no platform's posts end up with another's front door.
    pub async fn run_due_on(
        &self,
        now: DateTime<Utc>,
        platform: Option<Platform>,
    ) -> anyhow::Result<Vec<Reply>> {
        let mut replies = Vec::new();
        // One broken round or schedule must not hold up every other channel: each is done on its own,
        // and a failure is logged and retried on the next run.
        for round in self.store.rounds_due_for_reveal(now, platform).await? {
            let revealed = async {
                let channel = self.store.channel_ref(round.channel_id).await?;
                self.reveal_round(&round, &channel, now, RevealPost::ByDrip)
                    .await
            };
            match revealed.await {
                Ok(more) => replies.extend(more),
                Err(err) => {
                    tracing::error!(error = ?err, round = round.id, "revealing a round failed")
                }
            }
        }
        replies.extend(self.run_due_mocks(now, platform).await?);
        for (channel_id, schedule) in self.store.active_schedules(platform).await? {
            match self.post_daily(channel_id, &schedule, now).await {
                Ok(more) => replies.extend(more),
                Err(err) => tracing::error!(error = ?err, channel_id, "the daily post failed"),
            }
        }
        Ok(replies)
    }

    /// The day's question for one channel, if its schedule is due and it was not posted yet.
    async fn post_daily(
        &self,
        channel_id: i64,
        schedule: &Schedule,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reply>> {
        let Some((local_date, _)) = schedule.due_at(now) else {
            return Ok(Vec::new());
        };
        self.forget_open_round(channel_id);
        let previous = self.store.open_round_in(channel_id).await?;
        if previous
            .as_ref()
            .is_some_and(|r| r.local_date == Some(local_date))
        {
            return Ok(Vec::new());
        }
        let bank = self.bank();
        let channel = self.store.channel_ref(channel_id).await?;
        let picked = self
            .pick_question(&bank, channel.platform, channel_id, None, None, &[])
            .await;
        let Ok(question) = picked else {
            tracing::warn!(channel_id, "no question to post");
            return Ok(Vec::new());
        };
        let closes_at = now + schedule.window.duration();
        let opened = self
            .store
            .open_round(
                channel_id,
                question.id.as_str(),
                Origin::Daily,
                Some(local_date),
                now,
                closes_at,
            )
            .await?;
        let Some(round) = opened else {
            return Ok(Vec::new());
        };
        let mut replies = Vec::new();
        // The day's question takes over the channel: whatever was still open is revealed first.
        if let Some(previous) = previous {
            replies.extend(
                self.reveal_round(&previous, &channel, now, RevealPost::ByDrip)
                    .await?,
            );
        }
        replies.push(Reply {
            channel,
            audience: Audience::Channel,
            body: question_card(&round, question),
        });
        Ok(replies)
    }

    /// Questions of the day that are open but whose post never went out (the platform refused it,
    /// or the process stopped in between), for a front door that records its posts to post again.
    pub async fn unposted_questions(
        &self,
        platform: Platform,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reply>> {
        let bank = self.bank();
        let mut replies = Vec::new();
        for round in self
            .store
            .unposted_daily_rounds(platform, now - Duration::minutes(1))
            .await?
        {
            let Some(question) = bank.question(&round.question) else {
                continue;
            };
            replies.push(Reply {
                channel: self.store.channel_ref(round.channel_id).await?,
                audience: Audience::Channel,
                body: question_card(&round, question),
            });
        }
        Ok(replies)
    }

    /// Reveals the drip made whose post never went out (the platform refused it, or the process
    /// stopped in between), to post again.
    pub async fn unposted_reveals(
        &self,
        platform: Platform,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reply>> {
        let mut replies = Vec::new();
        for round in self
            .store
            .unposted_reveals(platform, now - Duration::minutes(1))
            .await?
        {
            let channel = self.store.channel_ref(round.channel_id).await?;
            let answers = self.store.revealed_answers(round.id).await?;
            replies.push(self.reveal_post(&round, &channel, &answers));
        }
        Ok(replies)
    }
}

fn schedule_info(schedule: Option<&Schedule>, now: DateTime<Utc>) -> ScheduleInfo {
    match schedule {
        None => ScheduleInfo {
            summary: None,
            paused: false,
            next_posts: Vec::new(),
            zone: None,
        },
        Some(s) => ScheduleInfo {
            summary: Some(format!(
                "{} {} on {}, answers open for {}",
                s.time, s.zone, s.weekdays, s.window
            )),
            paused: s.paused,
            next_posts: s.next_posts(now, 5),
            zone: Some(s.zone),
        },
    }
}
