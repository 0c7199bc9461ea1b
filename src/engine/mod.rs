//! The use cases every front door calls. The engine takes platform-neutral [`Command`]s and returns
//! [`Reply`]s; it knows the bank, the grader and the store, never a platform. One file per use case:
//! `rounds` (ask, answer, hint, reveal, my result), `boards` (leaderboard, stats, topics),
//! `drip` (schedules and `run_due(now)`), `bank` (reload), `mock`, `mock_rubric`, `mock_turns`
//! and `mock_report` (mock interviews), `practice` and `practice_steps` (personal practice) and
//! `reminders` (practice reminders). The clock is always passed in, so tests choose the instant and never sleep.
//! Who may do what is decided here, and only here.

mod bank;
mod boards;
mod drip;
mod health;
mod mock;
mod mock_report;
mod mock_rubric;
mod mock_turns;
mod practice;
mod practice_memories;
mod practice_steps;
mod reminders;
mod rounds;

pub use health::Readiness;
pub use practice::PracticeCard;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};

use crate::core::bank::{Bank, Question};
use crate::core::command::{Action, Actor, Command, Permission, Platform};
use crate::core::grammar::Grammar;
use crate::core::reply::{Audience, QuestionCard, Reply, ReplyBody, SORRY};
use crate::core::round::Round;
use crate::core::scoring::HINT_PENALTY;
use crate::store::Store;

pub use rounds::AD_HOC_WINDOW_MINUTES;

/// Lines on a leaderboard.
pub const BOARD_SIZE: i64 = 10;

const ADMINS_ONLY: &str = "Only admins can change the schedule or reload the bank.";

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
    store: Arc<Store>,
    bank: RwLock<Arc<Bank>>,
    bank_dir: PathBuf,
    /// The open round of each channel as last seen, so an answer need not read it from the database.
    /// The database stays the judge: an answer to a round revealed elsewhere is refused by the store,
    /// and the entry is then read again.
    open_rounds: Mutex<HashMap<i64, Round>>,
    /// How many commands are being handled right now, so a stopping process can let them finish.
    in_flight: tokio::sync::watch::Sender<usize>,
    /// When each platform's drip last finished a tick, and how often it ticks, once it runs.
    drip_watch: Mutex<HashMap<Platform, health::DripWatch>>,
    /// Players' memories as last read, for the practice pick; refreshed from the database on each.
    practice_memories: Mutex<practice_memories::MemoryCache>,
}

/// Counts one command in flight until dropped.
struct InFlight<'a>(&'a tokio::sync::watch::Sender<usize>);

impl<'a> InFlight<'a> {
    fn start(count: &'a tokio::sync::watch::Sender<usize>) -> InFlight<'a> {
        count.send_modify(|n| *n += 1);
        InFlight(count)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }
}

impl Engine {
    pub fn new(store: Arc<Store>, bank: Bank, bank_dir: PathBuf) -> Engine {
        Engine {
            store,
            bank: RwLock::new(Arc::new(bank)),
            bank_dir,
            open_rounds: Mutex::new(HashMap::new()),
            in_flight: tokio::sync::watch::Sender::new(0),
            drip_watch: Mutex::new(HashMap::new()),
            practice_memories: Mutex::default(),
        }
    }

    /// Recomputes every player's memory of every question from the review log; returns how many.
    pub async fn rebuild_memories(&self) -> anyhow::Result<usize> {
        self.store.rebuild_memories().await
    }

    /// Closes the database once the commands in flight are done with it.
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// Waits until no command is being handled (answers in flight are committed and their users
    /// told), for a process that has stopped taking new work.
    pub async fn until_idle(&self) {
        let mut count = self.in_flight.subscribe();
        let _ = count.wait_for(|n| *n == 0).await;
    }

    /// The bank now serving.
    pub fn bank(&self) -> Arc<Bank> {
        match self.bank.read() {
            Ok(bank) => Arc::clone(&bank),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Remembers the platform message that carried a round's question, so its reveal can answer it.
    pub async fn record_post(&self, round: i64, post: &str) -> anyhow::Result<()> {
        self.store.set_post_ref(round, post).await
    }

    /// Remembers the platform message that carried a round's reveal.
    pub async fn record_reveal_post(&self, round: i64, post: &str) -> anyhow::Result<()> {
        self.store.set_reveal_post_ref(round, post).await
    }

    /// The platform message that carried a round's question, if it was recorded.
    pub async fn post_of(&self, round: i64) -> anyhow::Result<Option<String>> {
        self.store.post_ref(round).await
    }

    /// Remembers the thread a mock's posts go to (the first post's thread); a later call keeps the
    /// first.
    pub async fn record_mock_thread(&self, session: i64, thread: &str) -> anyhow::Result<()> {
        self.store.set_mock_thread(session, thread).await?;
        Ok(())
    }

    /// The thread a mock's posts go to, once its first post opened one.
    pub async fn mock_thread(&self, session: i64) -> anyhow::Result<Option<String>> {
        self.store.mock_thread(session).await
    }

    /// Carries out a command; every outcome, including a refusal, is a reply.
    pub async fn handle(&self, command: &Command, now: DateTime<Utc>) -> Vec<Reply> {
        let _counted = InFlight::start(&self.in_flight);
        match self.try_handle(command, now).await {
            Ok(replies) => replies,
            Err(Refusal::User(message)) => vec![private(command, ReplyBody::Problem(message))],
            Err(Refusal::Unexpected(err)) => {
                tracing::error!(error = ?err, action = command.action.name(), "command failed");
                vec![private(command, ReplyBody::Problem(SORRY.into()))]
            }
        }
    }

    async fn try_handle(
        &self,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        if command.action.permission() == Permission::Admin && !command.actor.is_admin {
            return refuse(ADMINS_ONLY);
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
            Action::Stats { user } => self.stats(command, ids, user.as_deref(), now).await,
            Action::Topics => Ok(vec![public(command, ReplyBody::Topics(self.topics()))]),
            Action::Help => Ok(vec![private(
                command,
                ReplyBody::Help(help(command.channel.platform)),
            )]),
            Action::Schedule(action) => self.schedule(command, ids, action, now).await,
            Action::ReloadBank => self.reload_bank(command),
            Action::Mock {
                session,
                at,
                action,
            } => self.mock(command, ids, (*session, *at), action, now).await,
            Action::Practice(action) => self.practice(command, ids, action, now).await,
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

/// The commands, as users of `platform` type them, for `help`.
pub fn help(platform: Platform) -> Vec<(String, String)> {
    let grammar = Grammar::of(platform);
    // Discord runs no command group by its name alone, and its command names have no spaces.
    let (practice_next, practice_settings) = match platform {
        Platform::Discord => (
            "practice next [topic]",
            "practice status|retention 0.85|remind HH:MM Area/City [WEEKDAYS]|remind-off",
        ),
        _ => (
            "practice [topic]",
            "practice status|retention 0.85|remind HH:MM Area/City [WEEKDAYS]|remind off",
        ),
    };
    [
        (
            "question [topic] [easy|medium|hard]",
            "ask for a question now".to_string(),
        ),
        (
            "answer <text>",
            "answer the open question (privately; you can replace it until the reveal)".into(),
        ),
        (
            "hint",
            format!("see one key point you have not covered yet (costs {HINT_PENALTY} points)"),
        ),
        (
            "reveal",
            "show the key points and everyone's results".into(),
        ),
        (
            "leaderboard [week|month|all|30d] [channel|server]",
            "the top scores".into(),
        ),
        (
            "stats [user]",
            "rounds answered, average, streaks, strongest and weakest topics".into(),
        ),
        ("topics", "the topics you can ask for".into()),
        (
            "schedule set HH:MM Area/City WEEKDAYS [WINDOW]",
            "post a question of the day (admins)".into(),
        ),
        (
            "schedule show|pause|resume|off",
            "see or change the daily schedule (admins change it)".into(),
        ),
        ("bank reload", "load the decks again (admins)".into()),
        (
            "mock start [topic] [difficulty] [questions N] [minutes M] with NAME",
            "a mock interview: you interview, the people named answer in turn".into(),
        ),
        (
            "mock join|next|rubric|tick N|answer TEXT|note TEXT|end|history",
            "the steps of a mock interview".into(),
        ),
        (
            practice_next,
            "your own practice, privately: the question you are about to forget, or a new one"
                .into(),
        ),
        (
            "practice answer TEXT|rate again|hard|good|easy",
            "answer your practice question (graded at once), or rate it yourself".into(),
        ),
        (
            practice_settings,
            "what is due, how much you want to remember, a daily reminder".into(),
        ),
    ]
    .into_iter()
    .map(|(usage, what)| (grammar.command(usage), what))
    .collect()
}
