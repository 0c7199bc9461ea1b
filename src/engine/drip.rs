//! The daily drip: a channel's schedule (set, show, pause, resume, off) and `run_due(now)`, one unit
//! of background work that reveals every round whose window closed and posts each due question of the
//! day (reading only the schedules whose stored next post instant has come; a `focus weak` schedule
//! posts what its channel knows least), plus the questions whose post never went out.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::rounds::least_asked;
use super::{public, question_card, refuse, Engine, Refusal};
use crate::core::bank::Question;
use crate::core::command::{Command, Platform, ScheduleAction};
use crate::core::grammar::Grammar;
use crate::core::practice::weakest_question;
use crate::core::reply::{Audience, Reply, ReplyBody, ScheduleInfo};
use crate::core::round::Round;
use crate::core::schedule::{Focus, Schedule};
use crate::store::daily::{DailyDecision, DueSchedule, NewDailyRound};
use crate::store::rounds::RevealPost;
use crate::store::ChannelIds;

/// How long a reveal whose post did not go out is tried again.
const REVEAL_RETRIED_FOR_HOURS: i64 = 24;

/// Days a question rests after it was asked in a channel before `focus weak` may post it again, so
/// a question nobody answers does not come back every day.
const WEAK_QUESTION_REST_DAYS: i64 = 7;

/// Due schedules settled per write transaction. One commit for many channels keeps a burst of
/// posts from taking the database's write lock once per channel, and a transaction of this size
/// stays short enough for the answers waiting on that lock (measured with `bench`).
const DAILY_POSTS_PER_COMMIT: usize = 200;

/// The question a due schedule posts, and the channel's open round it takes over, if any.
type Takeover<'a> = (&'a Question, Option<Round>);

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
                focus,
            } => {
                let schedule = Schedule {
                    time: *time,
                    zone: *zone,
                    weekdays: *weekdays,
                    window: *window,
                    paused: false,
                    active_since: now,
                    focus: *focus,
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
        // Only the schedules whose next post instant has come are read; a run with nothing due
        // costs one index lookup, however many channels have a schedule.
        let due = self.store.due_schedules(now, platform).await?;
        for batch in due.chunks(DAILY_POSTS_PER_COMMIT) {
            match self.post_daily(batch, now).await {
                Ok(more) => replies.extend(more),
                Err(err) => {
                    let channels: Vec<i64> = batch.iter().map(|due| due.channel_id).collect();
                    tracing::error!(error = ?err, ?channels, "the daily posts failed")
                }
            }
        }
        Ok(replies)
    }

    /// The day's questions for a batch of due schedules. Each gets its local day's post if the day
    /// has none yet, and the instant to be looked at again: the next day's post once today's is
    /// made or found made, or the first post to come when it was not due after all (an unscheduled
    /// weekday, a post from before the schedule became active). A schedule whose post could not be
    /// prepared keeps its instant and is tried again on the next run.
    async fn post_daily(
        &self,
        due: &[DueSchedule],
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reply>> {
        let bank = self.bank();
        let todays: Vec<_> = due.iter().map(|d| (d, d.schedule.due_at(now))).collect();
        let posting: Vec<i64> = todays
            .iter()
            .filter(|(_, today)| today.is_some())
            .map(|(d, _)| d.channel_id)
            .collect();
        for channel in &posting {
            self.forget_open_round(*channel);
        }
        let mut open = self.store.open_rounds_of(&posting).await?;
        let asked = self.store.times_asked_in(&posting).await?;
        let mut weakest = HashMap::new();
        for (schedule, today) in &todays {
            if today.is_some() && schedule.schedule.focus == Focus::Weak {
                let channel = schedule.channel_id;
                let memories = self.store.channel_memories(channel).await?;
                let missed = self.store.missed_key_points(channel).await?;
                let recent = self
                    .store
                    .asked_since(channel, now - Duration::days(WEAK_QUESTION_REST_DAYS))
                    .await?;
                let candidates: Vec<&Question> = bank
                    .questions()
                    .iter()
                    .filter(|q| !recent.contains(q.id.as_str()))
                    .collect();
                if let Some(question) = weakest_question(&candidates, &memories, &missed, now) {
                    weakest.insert(channel, question);
                }
            }
        }
        let never_asked = HashMap::new();
        let mut decisions = Vec::with_capacity(due.len());
        let mut takeovers: Vec<Option<Takeover>> = Vec::with_capacity(due.len());
        for (schedule, today) in todays {
            let decide = |round, next_post_at| DailyDecision {
                due: schedule,
                round,
                next_post_at,
            };
            let Some((local_date, post)) = today else {
                decisions.push(decide(None, schedule.schedule.next_post_at(now)));
                takeovers.push(None);
                continue;
            };
            let next_post_at = schedule.schedule.post_after(post);
            let previous = match open.remove(&schedule.channel_id).transpose() {
                Ok(previous) => previous,
                Err(err) => {
                    let channel_id = schedule.channel_id;
                    tracing::error!(error = ?err, channel_id, "the daily post failed");
                    continue;
                }
            };
            if previous
                .as_ref()
                .is_some_and(|r| r.local_date == Some(local_date))
            {
                decisions.push(decide(None, next_post_at));
                takeovers.push(None);
                continue;
            }
            let asked_here = asked.get(&schedule.channel_id).unwrap_or(&never_asked);
            let weak = weakest.get(&schedule.channel_id).copied();
            let Some(question) =
                weak.or_else(|| least_asked(bank.questions().iter().collect(), asked_here))
            else {
                tracing::warn!(channel_id = schedule.channel_id, "no question to post");
                continue;
            };
            let Some(closes_at) = now.checked_add_signed(schedule.schedule.window.duration())
            else {
                tracing::warn!(
                    channel_id = schedule.channel_id,
                    "the answer window ends past the calendar"
                );
                continue;
            };
            let round = NewDailyRound {
                question: question.id.as_str(),
                local_date,
                opened_at: now,
                closes_at,
            };
            decisions.push(decide(Some(round), next_post_at));
            takeovers.push(Some((question, previous)));
        }
        let opened = self.store.settle_daily_posts(&decisions).await?;
        let mut replies = Vec::new();
        for ((decision, takeover), round) in decisions.iter().zip(takeovers).zip(opened) {
            let (Some(round), Some((question, previous))) = (round, takeover) else {
                continue;
            };
            self.forget_open_round(round.channel_id);
            let channel = &decision.due.channel;
            // The day's question takes over the channel: whatever was still open is revealed first.
            if let Some(previous) = previous {
                match self
                    .reveal_round(&previous, channel, now, RevealPost::ByDrip)
                    .await
                {
                    Ok(more) => replies.extend(more),
                    Err(err) => {
                        tracing::error!(error = ?err, round = previous.id, "revealing a round failed")
                    }
                }
            }
            replies.push(Reply {
                channel: channel.clone(),
                audience: Audience::Channel,
                body: question_card(&round, question),
            });
        }
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
            .unposted_reveals(
                platform,
                now - Duration::hours(REVEAL_RETRIED_FOR_HOURS),
                now - Duration::minutes(1),
            )
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
            focus: None,
        },
        Some(s) => ScheduleInfo {
            summary: Some(format!(
                "{} {} on {}, answers open for {}",
                s.time, s.zone, s.weekdays, s.window
            )),
            focus: Some(s.focus),
            paused: s.paused,
            next_posts: s.next_posts(now, 5),
            zone: Some(s.zone),
        },
    }
}
