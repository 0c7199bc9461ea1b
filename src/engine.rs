//! The use cases every front door calls: ask, answer, hint, reveal, leaderboard, stats, topics,
//! schedule, bank reload, and `run_due(now)` for the daily drip. The engine takes platform-neutral
//! [`Command`]s and returns [`Reply`]s; it knows the bank, the grader and the store, never a platform.
//! The clock is always passed in, so tests choose the instant and never sleep.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Duration, Utc};
use rand::seq::IndexedRandom;

use crate::core::bank::{Bank, Difficulty, Question};
use crate::core::command::{
    Action, Actor, AnswerText, BoardScope, ChannelRef, Command, Period, Platform, ScheduleAction,
};
use crate::core::grade::grade;
use crate::core::reply::{
    Audience, Board, BoardEntry, Gap, OwnResult, QuestionCard, Reply, ReplyBody, Reveal,
    ScheduleInfo, Stats,
};
use crate::core::round::{Origin, Round};
use crate::core::schedule::Schedule;
use crate::core::scoring::{self, HINT_PENALTY};
use crate::store::rounds::{AnswerOutcome, NewAnswer, RevealedAnswer};
use crate::store::{ChannelIds, Store};

const ANSWERS_CLOSED: &str = "Answers are closed: this question was already revealed.";
const STALE_FORM: &str =
    "That question has already been revealed, so this answer was not recorded; answer the current one instead.";

/// How long an ad hoc question stays open before it is revealed on its own.
pub const AD_HOC_WINDOW_MINUTES: i64 = 60;
/// Lines on a leaderboard.
pub const BOARD_SIZE: i64 = 10;
/// Names shown in a reveal's top scores.
const TOP_IN_REVEAL: usize = 3;

/// Why a command could not be done.
#[derive(Debug)]
enum Refusal {
    /// Shown to the user as it is; nothing changed.
    User(String),
    /// Logged with its causes; the user sees a short apology.
    Unexpected(anyhow::Error),
}

impl From<anyhow::Error> for Refusal {
    fn from(err: anyhow::Error) -> Self {
        Refusal::Unexpected(err)
    }
}

fn refuse<T>(message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::User(message.into()))
}

pub struct Engine {
    store: Store,
    bank: RwLock<Arc<Bank>>,
    bank_dir: PathBuf,
    /// The open round of each channel as last seen, so an answer need not read it from the database.
    /// The database stays the judge: an answer to a round revealed elsewhere is refused by the store,
    /// and the entry is then read again.
    open_rounds: Mutex<HashMap<i64, Round>>,
}

impl Engine {
    pub fn new(store: Store, bank: Bank, bank_dir: PathBuf) -> Engine {
        Engine {
            store,
            bank: RwLock::new(Arc::new(bank)),
            bank_dir,
            open_rounds: Mutex::new(HashMap::new()),
        }
    }

    /// The channel's open round, from the cache or the database.
    async fn open_round(&self, channel: i64) -> anyhow::Result<Option<Round>> {
        if let Some(round) = self.cached_rounds().get(&channel) {
            return Ok(Some(round.clone()));
        }
        let round = self.store.open_round_in(channel).await?;
        if let Some(round) = &round {
            self.cached_rounds().insert(channel, round.clone());
        }
        Ok(round)
    }

    fn cached_rounds(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Round>> {
        self.open_rounds
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn forget_open_round(&self, channel: i64) {
        self.cached_rounds().remove(&channel);
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The bank now serving.
    pub fn bank(&self) -> Arc<Bank> {
        match self.bank.read() {
            Ok(bank) => Arc::clone(&bank),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Carries out a command; every outcome, including a refusal, is a reply.
    pub async fn handle(&self, command: &Command, now: DateTime<Utc>) -> Vec<Reply> {
        match self.try_handle(command, now).await {
            Ok(replies) => replies,
            Err(Refusal::User(message)) => vec![private(command, ReplyBody::Problem(message))],
            Err(Refusal::Unexpected(err)) => {
                tracing::error!(error = ?err, action = ?command.action, "command failed");
                vec![private(
                    command,
                    ReplyBody::Problem(
                        "Sorry, something went wrong on my side; please try again.".into(),
                    ),
                )]
            }
        }
    }

    async fn try_handle(
        &self,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        if command.action.needs_admin() && !command.actor.is_admin {
            return refuse("Only admins can change the schedule or reload the bank.");
        }
        let ids = self.store.channel_ids(&command.channel).await?;
        match &command.action {
            Action::Ask { topic, difficulty } => {
                self.ask(command, ids, topic.as_deref(), *difficulty, now)
                    .await
            }
            Action::Answer(text) => self.answer(command, ids, text, None, now).await,
            Action::AnswerRound { round, text } => {
                self.answer(command, ids, text, Some(*round), now).await
            }
            Action::Hint => self.hint(command, ids, now).await,
            Action::Reveal => self.reveal(command, ids, now).await,
            Action::MyResult { round } => self.my_result(command, *round).await,
            Action::Leaderboard { period, scope } => {
                self.leaderboard(command, ids, *period, *scope, now).await
            }
            Action::Stats { user } => self.stats(command, ids, user.as_deref()).await,
            Action::Topics => Ok(vec![public(command, ReplyBody::Topics(self.topics()))]),
            Action::Help => Ok(vec![private(command, ReplyBody::Help(HELP.to_vec()))]),
            Action::Schedule(action) => self.schedule(command, ids, action, now).await,
            Action::ReloadBank => self.reload_bank(command),
        }
    }

    async fn ask(
        &self,
        command: &Command,
        ids: ChannelIds,
        topic: Option<&str>,
        difficulty: Option<Difficulty>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        self.forget_open_round(ids.channel);
        if let Some(open) = self.open_round(ids.channel).await? {
            let prompt = self
                .bank()
                .question(&open.question)
                .map(|q| q.prompt.clone())
                .unwrap_or_default();
            let next_step = match open.origin {
                Origin::AdHoc => "Answer it, or reveal it to ask another.",
                Origin::Daily => "Answer it; it is revealed when its window closes.",
            };
            return refuse(if prompt.is_empty() {
                format!("There is already an open question here. {next_step}")
            } else {
                format!("There is already an open question here: {prompt} {next_step}")
            });
        }
        let bank = self.bank();
        let question = self
            .pick_question(&bank, ids.channel, topic, difficulty)
            .await?;
        let closes_at = now + Duration::minutes(AD_HOC_WINDOW_MINUTES);
        let opened = self
            .store
            .open_round(
                ids.channel,
                question.id.as_str(),
                Origin::AdHoc,
                None,
                now,
                closes_at,
            )
            .await?;
        let Some(round) = opened else {
            return refuse("Someone just asked for a question here; answer that one.");
        };
        self.cached_rounds().insert(ids.channel, round.clone());
        Ok(vec![public(command, question_card(&round, question))])
    }

    /// A question of the bank for a channel, by topic and difficulty: one asked least often there, so
    /// nothing repeats until every matching question has been asked.
    async fn pick_question<'b>(
        &self,
        bank: &'b Bank,
        channel: i64,
        topic: Option<&str>,
        difficulty: Option<Difficulty>,
    ) -> Result<&'b Question, Refusal> {
        let topic = topic
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty());
        let candidates: Vec<&Question> = bank
            .questions()
            .iter()
            .filter(|q| {
                topic
                    .as_ref()
                    .is_none_or(|t| q.tags.iter().any(|tag| tag == t))
            })
            .filter(|q| difficulty.is_none_or(|d| q.difficulty == d))
            .collect();
        if candidates.is_empty() {
            return refuse(match topic {
                Some(topic) => {
                    format!("No question matches the topic `{topic}`; /topics lists the topics.")
                }
                None => "No question matches that difficulty.".to_string(),
            });
        }
        let asked: HashMap<String, i64> =
            self.store.times_asked(channel).await?.into_iter().collect();
        let times = |q: &Question| asked.get(q.id.as_str()).copied().unwrap_or(0);
        let fewest = candidates.iter().map(|q| times(q)).min().unwrap_or(0);
        let least_asked: Vec<&Question> = candidates
            .into_iter()
            .filter(|q| times(q) == fewest)
            .collect();
        least_asked
            .choose(&mut rand::rng())
            .copied()
            .ok_or_else(|| Refusal::Unexpected(anyhow::anyhow!("no candidate question left")))
    }

    async fn open_question(&self, ids: ChannelIds) -> Result<(Round, Question), Refusal> {
        let Some(round) = self.open_round(ids.channel).await? else {
            return refuse("There is no open question here. Ask for one with /question.");
        };
        let Some(question) = self.bank().question(&round.question).cloned() else {
            return refuse(
                "The open question is no longer in the bank; reveal it to close it (only an admin can, for the question of the day).",
            );
        };
        Ok((round, question))
    }

    /// Grades and stores an answer to the open round (or to `for_round` only, when the answer was
    /// written for that round). The reply says "recorded" only after the answer is committed.
    async fn answer(
        &self,
        command: &Command,
        ids: ChannelIds,
        text: &AnswerText,
        for_round: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let (mut round, mut question) = self.open_question(ids).await?;
        if for_round.is_some_and(|expected| expected != round.id) {
            // The cache may be behind another process; ask the database once before refusing.
            self.forget_open_round(ids.channel);
            (round, question) = self.open_question(ids).await?;
            if for_round != Some(round.id) {
                return refuse(STALE_FORM);
            }
        }
        match self.record(command, &round, &question, text, now).await? {
            Some(replies) => Ok(replies),
            None => {
                // Revealed by another task or process meanwhile; the answer is not moved to another
                // question, because the user wrote it for this one.
                self.forget_open_round(ids.channel);
                refuse(ANSWERS_CLOSED)
            }
        }
    }

    /// Grades and stores an answer to `round`; `None` when the round turned out to be revealed.
    async fn record(
        &self,
        command: &Command,
        round: &Round,
        question: &Question,
        text: &AnswerText,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<Reply>>, Refusal> {
        if round.closes_at <= now {
            return refuse(
                "The answer window for this question has closed; the reveal is on its way.",
            );
        }
        let result = grade(question, text.as_str());
        let user = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        let outcome = self
            .store
            .record_answer(NewAnswer {
                round: round.id,
                user,
                origin: round.origin,
                body: text.as_str().to_string(),
                score: result.score,
                checklist: result.checklist.clone(),
                submitted_at: now,
            })
            .await?;
        Ok(match outcome {
            AnswerOutcome::Recorded { replaced } => Some(vec![private(
                command,
                ReplyBody::AnswerRecorded {
                    round: round.id,
                    score: result.score,
                    covered: result.covered_count(),
                    key_points: result.checklist.len(),
                    replaced,
                },
            )]),
            AnswerOutcome::RoundRevealed => None,
        })
    }

    /// Shows the user one key point their answer does not cover yet, at a cost in points.
    async fn hint(
        &self,
        command: &Command,
        ids: ChannelIds,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let (round, question) = self.open_question(ids).await?;
        if round.closes_at <= now {
            return refuse(
                "The answer window for this question has closed; the reveal is on its way.",
            );
        }
        let user = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        let covered: Vec<bool> = match self.store.answer_of(round.id, user).await? {
            Some((_, checklist)) => checklist.iter().map(|c| c.covered).collect(),
            None => Vec::new(),
        };
        let hinted = self.store.hints_of(round.id, user).await?;
        let next = (0..question.key_points.len())
            .find(|i| !covered.get(*i).copied().unwrap_or(false) && !hinted.contains(i));
        let Some(index) = next else {
            return Ok(vec![private(
                command,
                ReplyBody::Notice(
                    "No more hints: you have covered or been shown every key point.".into(),
                ),
            )]);
        };
        let Some(hinted) = self.store.add_hint(round.id, user, index).await? else {
            self.forget_open_round(ids.channel);
            return refuse("This question was just revealed; no hints are needed any more.");
        };
        let hints_used = hinted.len() as u32;
        Ok(vec![private(
            command,
            ReplyBody::Hint {
                round: round.id,
                key_point: question.key_points[index].text.clone(),
                hints_used,
                penalty: HINT_PENALTY * hints_used,
            },
        )])
    }

    async fn reveal(
        &self,
        command: &Command,
        ids: ChannelIds,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let Some(round) = self.store.open_round_in(ids.channel).await? else {
            return refuse("Nothing to reveal: there is no open question here.");
        };
        if round.origin == Origin::Daily && !command.actor.is_admin {
            return refuse("The question of the day is revealed when its answer window closes; admins can reveal it early.");
        }
        let replies = self.reveal_round(&round, &command.channel, now).await?;
        if replies.is_empty() {
            return refuse("This question was just revealed.");
        }
        Ok(replies)
    }

    /// Reveals a round (once, whoever asks first) and returns the public summary and each answerer's
    /// private checklist.
    async fn reveal_round(
        &self,
        round: &Round,
        channel: &ChannelRef,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reply>> {
        self.forget_open_round(round.channel_id);
        let Some(answers) = self.store.reveal_round(round, now).await? else {
            return Ok(Vec::new());
        };
        let bank = self.bank();
        let question = bank.question(&round.question);
        let key_points: Vec<String> = question
            .map(|q| q.key_points.iter().map(|k| k.text.clone()).collect())
            .unwrap_or_default();
        let reveal = Reveal {
            round: round.id,
            question: round.question.clone(),
            prompt: question.map(|q| q.prompt.clone()).unwrap_or_default(),
            gaps: gap_report(&key_points, &answers),
            key_points,
            explanation: question.and_then(|q| q.explanation.clone()),
            notes_link: question.and_then(|q| {
                bank.deck(&q.deck)
                    .and_then(|d| d.notes_link(q.section.as_deref()))
            }),
            answered: answers.len(),
            top: answers
                .iter()
                .take(TOP_IN_REVEAL)
                .map(|a| (a.display_name.clone(), a.points))
                .collect(),
        };
        let mut replies = vec![Reply {
            channel: channel.clone(),
            audience: Audience::Channel,
            body: ReplyBody::Reveal(reveal),
        }];
        replies.extend(answers.into_iter().map(|a| Reply {
            channel: channel.clone(),
            audience: Audience::User(a.user_external_id),
            body: ReplyBody::OwnResult(OwnResult {
                round: round.id,
                score: a.score,
                hints_used: a.hints_used,
                points: a.points,
                checklist: a.checklist,
            }),
        }));
        Ok(replies)
    }

    async fn my_result(&self, command: &Command, round: i64) -> Result<Vec<Reply>, Refusal> {
        let user = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        match self.store.revealed_answer_of(round, user).await? {
            Some((score, hints_used, points, checklist)) => Ok(vec![private(
                command,
                ReplyBody::OwnResult(OwnResult {
                    round,
                    score,
                    hints_used,
                    points,
                    checklist,
                }),
            )]),
            None => refuse("You have no revealed answer to this question."),
        }
    }

    async fn leaderboard(
        &self,
        command: &Command,
        ids: ChannelIds,
        period: Period,
        scope: BoardScope,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let scope_key = match scope {
            BoardScope::Channel => format!("c{}", ids.channel),
            BoardScope::Workspace => format!("w{}", ids.workspace),
        };
        let rows = self
            .store
            .leaderboard(&scope_key, period, now, BOARD_SIZE)
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

    async fn stats(
        &self,
        command: &Command,
        ids: ChannelIds,
        user: Option<&str>,
    ) -> Result<Vec<Reply>, Refusal> {
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
        Ok(vec![public(
            command,
            ReplyBody::Stats(Stats {
                display_name,
                rounds_answered: u32::try_from(totals.rounds).unwrap_or(0),
                average_score: average(totals.score_sum, totals.rounds),
                points: u32::try_from(totals.points).unwrap_or(0),
                current_streak,
                best_streak,
                strongest,
                weakest,
            }),
        )])
    }

    fn topics(&self) -> Vec<(String, usize)> {
        self.bank().summary().tags.into_iter().collect()
    }

    async fn schedule(
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
                true => notice("The daily question is paused. /schedule resume starts it again."),
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

    /// Loads the bank again; a bank with problems is refused and the old one keeps serving.
    fn reload_bank(&self, command: &Command) -> Result<Vec<Reply>, Refusal> {
        match Bank::load(&self.bank_dir) {
            Ok(bank) => {
                let summary = bank.summary();
                match self.bank.write() {
                    Ok(mut serving) => *serving = Arc::new(bank),
                    Err(poisoned) => *poisoned.into_inner() = Arc::new(bank),
                }
                Ok(vec![private(
                    command,
                    ReplyBody::Notice(format!(
                        "Bank reloaded: {} questions in {} decks.",
                        summary.questions, summary.decks
                    )),
                )])
            }
            Err(err) => {
                let shown: Vec<String> =
                    err.problems.iter().take(5).map(|p| p.to_string()).collect();
                refuse(format!(
                    "The bank has {} problem(s), so the current bank keeps serving:\n{}",
                    err.problems.len(),
                    shown.join("\n")
                ))
            }
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
                self.reveal_round(&round, &channel, now).await
            };
            match revealed.await {
                Ok(more) => replies.extend(more),
                Err(err) => {
                    tracing::error!(error = ?err, round = round.id, "revealing a round failed")
                }
            }
        }
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
        let Ok(question) = self.pick_question(&bank, channel_id, None, None).await else {
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
        let channel = self.store.channel_ref(channel_id).await?;
        let mut replies = Vec::new();
        // The day's question takes over the channel: whatever was still open is revealed first.
        if let Some(previous) = previous {
            replies.extend(self.reveal_round(&previous, &channel, now).await?);
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
}

fn question_card(round: &Round, question: &Question) -> ReplyBody {
    ReplyBody::QuestionCard(QuestionCard {
        round: round.id,
        question: question.id.to_string(),
        prompt: question.prompt.clone(),
        topic: question.topic().map(str::to_string),
        difficulty: question.difficulty,
        origin: round.origin,
        closes_at: round.closes_at,
    })
}

/// For each key point, how many answerers missed it.
fn gap_report(key_points: &[String], answers: &[RevealedAnswer]) -> Vec<Gap> {
    key_points
        .iter()
        .enumerate()
        .map(|(i, key_point)| Gap {
            key_point: key_point.clone(),
            missed: answers
                .iter()
                .filter(|a| !a.checklist.get(i).is_some_and(|c| c.covered))
                .count(),
            answered: answers.len(),
        })
        .collect()
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

fn average(sum: i64, n: i64) -> f64 {
    if n == 0 {
        0.0
    } else {
        sum as f64 / n as f64
    }
}

fn public(command: &Command, body: ReplyBody) -> Reply {
    Reply {
        channel: command.channel.clone(),
        audience: Audience::Channel,
        body,
    }
}

fn private(command: &Command, body: ReplyBody) -> Reply {
    Reply {
        channel: command.channel.clone(),
        audience: Audience::User(command.actor.user.clone()),
        body,
    }
}

/// A user of the local console (always an admin of their own terminal).
pub fn console_actor(name: &str) -> Actor {
    Actor {
        user: name.to_string(),
        display_name: name.to_string(),
        is_admin: true,
    }
}

/// The commands, for `/help`.
pub const HELP: &[(&str, &str)] = &[
    (
        "/question [topic] [easy|medium|hard]",
        "ask for a question now",
    ),
    (
        "/answer <text>",
        "answer the open question (privately; you can replace it until the reveal)",
    ),
    (
        "/hint",
        "see one key point you have not covered yet (costs 10 points)",
    ),
    ("/reveal", "show the key points and everyone's results"),
    (
        "/leaderboard [week|month|all|30d] [channel|server]",
        "the top scores",
    ),
    (
        "/stats [user]",
        "rounds answered, average, streaks, strongest and weakest topics",
    ),
    ("/topics", "the topics you can ask for"),
    (
        "/schedule set HH:MM Area/City WEEKDAYS [WINDOW]",
        "post a question of the day (admins)",
    ),
    (
        "/schedule show|pause|resume|off",
        "see or change the daily schedule (admins change it)",
    ),
    ("/bank reload", "load the decks again (admins)"),
];
