//! What the Discord and Slack front doors share: the drip runner (ticking, re-posting questions whose
//! post never went out, recording post references, reveals answering their question's post, errors
//! logged per reply), what a button click does, and how a submitted answer form becomes an engine
//! command. Each front door supplies only an [`Outbox`]: how to post, and how to send privately.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt as _;

use crate::core::command::{Action, Actor, AnswerText, ChannelRef, Command, MockAction, Platform};
use crate::core::practice::PracticeAction;
use crate::core::reply::{Audience, Button, Reply, ReplyBody};
use crate::engine::Engine;

/// How long a call to Discord or Slack may take before it is given up.
pub const PLATFORM_CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// How many channels the drip sends to at once; a channel's own replies go out in order.
pub const DRIP_CHANNELS_AT_ONCE: usize = 16;

/// The answer form's title and its one field's label.
pub const ANSWER_FORM_TITLE: &str = "Your answer";
pub const ANSWER_FORM_LABEL: &str = "Answer in your own words";
const FORM_WITHOUT_ROUND: &str =
    "This answer form is no longer valid; use the Answer button on the current question.";

/// How a platform sends what no interaction is waiting for.
pub trait Outbox: Send + Sync + 'static {
    /// The platform whose channels this outbox serves.
    const PLATFORM: Platform;

    /// How long one call to the platform may take before it counts as failed (and is retried on a
    /// later tick where it matters): a hung call delays its own channel, never the drip.
    const CALL_TIMEOUT: Duration = PLATFORM_CALL_TIMEOUT;

    /// Posts `reply` in its channel, in reply to (or in the thread of) the post `reply_to` when
    /// given, and returns the new post's reference. A mock's first post opens the mock's thread:
    /// what it returns is the thread's reference, which later mock posts get as `reply_to`.
    fn post(
        &self,
        reply: &Reply,
        reply_to: Option<String>,
    ) -> impl Future<Output = anyhow::Result<String>> + Send;

    /// Looks in the channel for a post of `reply` the platform took but whose reference was never
    /// recorded (the process stopped, or the platform's answer was lost, between the post and its
    /// record), by the reply's [`Reply::post_key`]; `reply_to` is the post it would answer. The
    /// default finds nothing: for a platform that keeps one message per key itself (Discord's
    /// enforced nonce), posting again is safe.
    fn find_post(
        &self,
        reply: &Reply,
        reply_to: Option<&str>,
    ) -> impl Future<Output = anyhow::Result<Option<String>>> + Send {
        let _ = (reply, reply_to);
        async { Ok(None) }
    }

    /// Shows `reply` to `user` alone.
    fn send_private(
        &self,
        reply: &Reply,
        user: &str,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// Sends `reply` to `user` as a direct message, outside any interaction (a practice reminder).
    fn send_direct(
        &self,
        reply: &Reply,
        user: &str,
    ) -> impl Future<Output = Result<(), DirectError>> + Send;
}

/// Why a direct message did not go out.
#[derive(Debug, thiserror::Error)]
pub enum DirectError {
    /// The platform will not deliver it (the user closed direct messages, left, or blocked the
    /// bot): trying again would not help.
    #[error("the platform refused the direct message")]
    Refused,
    /// Anything else (an outage, a timeout): worth trying again later.
    #[error("the direct message failed: {0:#}")]
    Failed(anyhow::Error),
}

/// Why a reply did not go out as it should.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The platform did not take the message (an outage, a channel the bot is not in).
    #[error("the platform did not take the message: {0:#}")]
    NotSent(anyhow::Error),
    /// The database failed around the post: looking up the post to reply to, or saving the new
    /// post's reference (the message may have gone out).
    #[error("a post reference could not be read or saved: {0:#}")]
    Store(anyhow::Error),
}

/// Sends one reply: privately to its user, or as a post in its channel. A reveal answers its
/// question's post; a question's post is recorded so its reveal can. A mock's first post opens its
/// thread (the outbox returns the thread's reference), and its later posts go into that thread.
pub async fn send<O: Outbox>(
    engine: &Engine,
    outbox: &O,
    reply: &Reply,
) -> Result<(), DeliveryError> {
    send_once(engine, outbox, reply, Attempt::First).await
}

/// Whether a reply is posted for the first time, or again because its post was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    First,
    Again,
}

async fn send_once<O: Outbox>(
    engine: &Engine,
    outbox: &O,
    reply: &Reply,
    attempt: Attempt,
) -> Result<(), DeliveryError> {
    match &reply.audience {
        Audience::User(user) => within::<O, _>(outbox.send_private(reply, user))
            .await
            .map_err(DeliveryError::NotSent),
        Audience::Channel => {
            let reply_to = match &reply.body {
                ReplyBody::Reveal(reveal) => engine.post_of(reveal.round).await,
                ReplyBody::Mock(mock) => match mock.session() {
                    Some(session) => engine.mock_thread(session).await,
                    None => Ok(None),
                },
                _ => Ok(None),
            }
            .map_err(DeliveryError::Store)?;
            let found = match attempt {
                Attempt::First => None,
                // A look-up that fails (a missing permission or scope, an outage) does not stop the
                // post: Discord's nonce still guards a recent one.
                Attempt::Again => within::<O, _>(outbox.find_post(reply, reply_to.as_deref()))
                    .await
                    .unwrap_or_else(|err| {
                        tracing::warn!(error = %err, "looking for an earlier post failed");
                        None
                    }),
            };
            let post = match found {
                Some(post) => post,
                None => within::<O, _>(outbox.post(reply, reply_to))
                    .await
                    .map_err(DeliveryError::NotSent)?,
            };
            record_post(engine, reply, &post)
                .await
                .map_err(DeliveryError::Store)
        }
    }
}

/// A call to the platform, given up after the outbox's [`Outbox::CALL_TIMEOUT`].
async fn within<O: Outbox, T>(call: impl Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::time::timeout(O::CALL_TIMEOUT, call)
        .await
        .map_err(|_| anyhow::anyhow!("the platform did not answer within {:?}", O::CALL_TIMEOUT))?
}

/// Records the post that carried a question or a reveal, or the thread a mock's first post opened
/// (a no-op for any other reply).
pub async fn record_post(engine: &Engine, reply: &Reply, post: &str) -> anyhow::Result<()> {
    match &reply.body {
        ReplyBody::QuestionCard(card) => engine.record_post(card.round, post).await,
        ReplyBody::Reveal(reveal) if reply.audience == Audience::Channel => {
            engine.record_reveal_post(reveal.round, post).await
        }
        // The first post of a mock that reaches its channel opens the thread (kept once recorded).
        ReplyBody::Mock(mock) if reply.audience == Audience::Channel => match mock.session() {
            Some(session) => engine.record_mock_thread(session, post).await,
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Sends the replies of this outbox's platform; a failure is logged and the rest still go out.
pub async fn deliver<O: Outbox>(engine: &Engine, outbox: &O, replies: Vec<Reply>) {
    deliver_each(engine, outbox, replies, Attempt::First).await
}

/// Sends each channel's replies in order, [`DRIP_CHANNELS_AT_ONCE`] channels at a time, so a slow
/// or failing channel holds up only itself.
async fn deliver_each<O: Outbox>(
    engine: &Engine,
    outbox: &O,
    replies: Vec<Reply>,
    attempt: Attempt,
) {
    let mut by_channel: Vec<Vec<Reply>> = Vec::new();
    let mut place: HashMap<ChannelRef, usize> = HashMap::new();
    for reply in replies {
        if reply.channel.platform != O::PLATFORM {
            continue;
        }
        match place.get(&reply.channel) {
            Some(&at) => by_channel[at].push(reply),
            None => {
                place.insert(reply.channel.clone(), by_channel.len());
                by_channel.push(vec![reply]);
            }
        }
    }
    futures_util::stream::iter(by_channel)
        .for_each_concurrent(DRIP_CHANNELS_AT_ONCE, |replies| async move {
            for reply in replies {
                if let Err(err) = send_once(engine, outbox, &reply, attempt).await {
                    // Display only (with its causes): a platform error's debug form can carry a
                    // request URL.
                    tracing::error!(error = %err, channel = %reply.channel.channel, "a post failed");
                }
            }
        })
        .await;
}

/// One unit of the drip for the outbox's platform at `now`: what `run_due` reveals and opens, then
/// any question of the day or reveal whose post was not recorded before. Those are looked for in
/// their channel first, so a post the platform took is adopted rather than made twice.
pub async fn drip_once<O: Outbox>(engine: &Engine, outbox: &O, now: DateTime<Utc>) {
    match engine.run_due_on(now, Some(O::PLATFORM)).await {
        Ok(replies) => deliver(engine, outbox, replies).await,
        Err(err) => tracing::error!(error = ?err, "the daily drip failed"),
    }
    match engine.unposted_questions(O::PLATFORM, now).await {
        Ok(replies) => deliver_each(engine, outbox, replies, Attempt::Again).await,
        Err(err) => tracing::error!(error = ?err, "re-posting questions failed"),
    }
    match engine.unposted_reveals(O::PLATFORM, now).await {
        Ok(replies) => deliver_each(engine, outbox, replies, Attempt::Again).await,
        Err(err) => tracing::error!(error = ?err, "re-posting reveals failed"),
    }
    match engine.reminders_to_send(now, O::PLATFORM).await {
        Ok(reminders) => send_reminders(engine, outbox, reminders, now).await,
        Err(err) => tracing::error!(error = ?err, "practice reminders failed"),
    }
}

/// Sends practice reminders as direct messages, [`DRIP_CHANNELS_AT_ONCE`] at a time, and records
/// each outcome: sent, refused (the player's reminders stop), or failed (tried again later).
async fn send_reminders<O: Outbox>(
    engine: &Engine,
    outbox: &O,
    reminders: Vec<Reply>,
    now: DateTime<Utc>,
) {
    futures_util::stream::iter(reminders)
        .for_each_concurrent(DRIP_CHANNELS_AT_ONCE, |reminder| async move {
            let Audience::User(user) = &reminder.audience else {
                return;
            };
            let sent =
                match tokio::time::timeout(O::CALL_TIMEOUT, outbox.send_direct(&reminder, user))
                    .await
                {
                    Ok(sent) => sent,
                    Err(_) => Err(DirectError::Failed(anyhow::anyhow!(
                        "the platform did not answer within {:?}",
                        O::CALL_TIMEOUT
                    ))),
                };
            let recorded = match sent {
                Ok(()) => engine.reminder_sent(&reminder, now).await,
                Err(DirectError::Refused) => engine.reminder_refused(&reminder, now).await,
                Err(err) => {
                    tracing::warn!(error = %err, "a practice reminder failed; it is tried again");
                    Ok(())
                }
            };
            if let Err(err) = recorded {
                tracing::error!(error = ?err, "a practice reminder's outcome was not recorded");
            }
        })
        .await;
}

/// Runs the drip every `every` until the task is aborted, noting each finished tick for the
/// readiness check.
pub fn spawn_drip<O: Outbox>(
    engine: Arc<Engine>,
    outbox: Arc<O>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        engine.note_drip_tick(O::PLATFORM, Utc::now(), every);
        let drip = async {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                drip_once(&engine, &*outbox, Utc::now()).await;
                engine.note_drip_tick(O::PLATFORM, Utc::now(), every);
            }
        };
        // Beside the drip, in the same task: says so when a tick has not finished for two intervals.
        let watchdog = async {
            let mut checks = tokio::time::interval(every);
            loop {
                checks.tick().await;
                if let Some(stalled) = engine.drip_stalled_for(Utc::now()) {
                    tracing::error!(seconds = stalled.num_seconds(), "the drip has stalled");
                }
            }
        };
        tokio::join!(drip, watchdog);
    })
}

/// What a click on one of the bot's buttons asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Click {
    /// Open the answer form of the button (an Answer button of a round or of a mock); the form
    /// carries the button back when it is submitted.
    OpenAnswerForm(Button),
    /// Show the clicker these replies; `others` go to the channel and to other users.
    Replies {
        mine: Vec<Reply>,
        others: Vec<Reply>,
    },
}

/// Carries out a click on `button` by `actor` in `channel`.
pub async fn click(
    engine: &Engine,
    button: Button,
    channel: ChannelRef,
    actor: Actor,
    now: DateTime<Utc>,
) -> Click {
    let mock = |session, at, action| Action::Mock {
        session: Some(session),
        at,
        action,
    };
    let action = match button {
        Button::Answer { .. } | Button::MockAnswer { .. } | Button::PracticeAnswer { .. } => {
            return Click::OpenAnswerForm(button)
        }
        Button::PracticeRate { card, rating } => Action::Practice(PracticeAction::Rate {
            card: Some(card),
            rating,
        }),
        Button::MyResult { round } => Action::MyResult { round },
        Button::MockJoin { session } => mock(session, None, MockAction::Join),
        Button::MockNext { session, at } => mock(session, Some(at), MockAction::Next),
        Button::MockRubric { session, at } => mock(session, Some(at), MockAction::Rubric),
        Button::MockMyPart { session } => mock(session, None, MockAction::MyPart),
        Button::MockTick {
            session,
            at,
            key_point,
            ..
        } => mock(
            session,
            Some(at),
            MockAction::Toggle {
                key_point: key_point.saturating_add(1),
            },
        ),
    };
    let command = Command {
        channel,
        actor,
        action,
    };
    let (mine, others) = engine
        .handle(&command, now)
        .await
        .into_iter()
        .partition(|reply| reply.is_private_to(&command.actor.user));
    Click::Replies { mine, others }
}

/// Grades a submitted answer form: the answer counts only for what the form was opened for (the
/// Answer button it came from; `None` when the form did not say). Returns every reply; a bad answer
/// changes nothing and gets a private explanation.
pub async fn submit_answer_form(
    engine: &Engine,
    channel: ChannelRef,
    actor: Actor,
    form: Option<Button>,
    text: &str,
    now: DateTime<Utc>,
) -> Vec<Reply> {
    let answer = match form {
        Some(Button::Answer { round }) => {
            AnswerText::parse(text).map(|text| Action::AnswerRound { round, text })
        }
        Some(Button::PracticeAnswer { card }) => AnswerText::parse(text).map(|text| {
            Action::Practice(PracticeAction::Answer {
                card: Some(card),
                text,
            })
        }),
        Some(Button::MockAnswer { session, at }) => {
            AnswerText::parse(text).map(|text| Action::Mock {
                session: Some(session),
                at: Some(at),
                action: MockAction::Answer(text),
            })
        }
        _ => Err(FORM_WITHOUT_ROUND.to_string()),
    };
    match answer {
        Ok(action) => {
            let command = Command {
                channel,
                actor,
                action,
            };
            engine.handle(&command, now).await
        }
        Err(problem) => vec![Reply {
            channel,
            audience: Audience::User(actor.user),
            body: ReplyBody::Problem(problem),
        }],
    }
}
