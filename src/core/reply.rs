//! What the engine says back, independent of the platform: each [`Reply`] names its channel, whether
//! everyone there sees it or only one user, and a body a front door renders (an embed, Block Kit,
//! plain text). Fields that hold text a user wrote are marked, so renderers know what to escape.

use chrono::{DateTime, Utc};

use super::bank::Difficulty;
use super::command::{BoardScope, ChannelRef, Period};
use super::grade::KeyPointCheck;
use super::mock::MockReply;
use super::round::Origin;
use super::schedule::TimeZone;

/// What a user is told when something failed on the bot's side; the cause goes to the log only.
pub const SORRY: &str = "Sorry, something went wrong on my side; please try again.";

#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub channel: ChannelRef,
    pub audience: Audience,
    pub body: ReplyBody,
}

impl Reply {
    /// Whether `user` sees this reply: everyone sees a channel reply, one user a private one. A front
    /// door answering a user's interaction answers with the replies for that user.
    pub fn is_for(&self, user: &str) -> bool {
        match &self.audience {
            Audience::Channel => true,
            Audience::User(to) => to == user,
        }
    }

    /// Whether only `user` sees this reply.
    pub fn is_private_to(&self, user: &str) -> bool {
        matches!(&self.audience, Audience::User(to) if to == user)
    }

    /// What names this post among the bot's posts in its channel, for replies the drip posts and
    /// posts again when their reference was not recorded: a question (`ib-q<round>`) or a reveal
    /// (`ib-r<round>`). A platform given the same key twice keeps one message (Discord's nonce), or
    /// the bot finds the message that carries it before posting again (Slack's message metadata).
    pub fn post_key(&self) -> Option<String> {
        match (&self.audience, &self.body) {
            (Audience::Channel, ReplyBody::QuestionCard(card)) => {
                Some(format!("ib-q{}", card.round))
            }
            (Audience::Channel, ReplyBody::Reveal(reveal)) => Some(format!("ib-r{}", reveal.round)),
            _ => None,
        }
    }
}

/// A button under a message. Each acts on one round, so a click on an old message never acts on a
/// newer question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// Opens the answer form for the question's round.
    Answer { round: i64 },
    /// Shows the clicker their own checklist for a revealed round.
    MyResult { round: i64 },
    /// Joins a mock before its first question.
    MockJoin { session: i64 },
    /// Asks a mock's first question, or moves on (the interviewer). `at` is the question it was
    /// shown with (1-based; 0 on the lineup), so an old button cannot skip a newer question.
    MockNext { session: i64, at: usize },
    /// Shows the interviewer the rubric of question `at`.
    MockRubric { session: i64, at: usize },
    /// Opens the candidate's answer form for question `at`.
    MockAnswer { session: i64, at: usize },
    /// Shows the clicker their own part of an ended mock's report.
    MockMyPart { session: i64 },
    /// Ticks or unticks one key point (0-based) of question `at`.
    MockTick {
        session: i64,
        at: usize,
        key_point: usize,
        ticked: bool,
    },
}

impl Button {
    /// What kind of button this is, as platforms carry it (an id beside its value).
    pub fn kind(&self) -> &'static str {
        match self {
            Button::Answer { .. } => "answer",
            Button::MyResult { .. } => "result",
            Button::MockJoin { .. } => "mjoin",
            Button::MockNext { .. } => "mnext",
            Button::MockRubric { .. } => "mrubric",
            Button::MockAnswer { .. } => "manswer",
            Button::MockTick { .. } => "mtick",
            Button::MockMyPart { .. } => "mpart",
        }
    }

    /// What the button acts on: a round, a mock, or a mock and a key point (`12.3`).
    pub fn value(&self) -> String {
        match self {
            Button::Answer { round } | Button::MyResult { round } => round.to_string(),
            Button::MockJoin { session } | Button::MockMyPart { session } => session.to_string(),
            Button::MockNext { session, at }
            | Button::MockAnswer { session, at }
            | Button::MockRubric { session, at } => format!("{session}.{at}"),
            Button::MockTick {
                session,
                at,
                key_point,
                ..
            } => format!("{session}.{at}.{key_point}"),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Button::Answer { .. } | Button::MockAnswer { .. } => "Answer".into(),
            Button::MyResult { .. } | Button::MockMyPart { .. } => "My result".into(),
            Button::MockJoin { .. } => "Join".into(),
            Button::MockNext { .. } => "Next".into(),
            Button::MockRubric { .. } => "Rubric".into(),
            Button::MockTick {
                key_point, ticked, ..
            } => format!("{} {}", if *ticked { "☑" } else { "☐" }, key_point + 1),
        }
    }

    /// The button a message leads with (drawn as the primary one).
    pub fn is_primary(&self) -> bool {
        matches!(
            self,
            Button::Answer { .. } | Button::MockJoin { .. } | Button::MockTick { ticked: true, .. }
        )
    }

    /// The button of a kind and value as a platform sent them back; `None` for anything else.
    pub fn from_parts(kind: &str, value: &str) -> Option<Button> {
        let mut parts = value.split('.');
        let id = parts.next()?.parse::<i64>().ok()?;
        let mut number = || parts.next().and_then(|p| p.parse::<usize>().ok());
        let button = match kind {
            "answer" => Button::Answer { round: id },
            "result" => Button::MyResult { round: id },
            "mjoin" => Button::MockJoin { session: id },
            "mrubric" => Button::MockRubric {
                session: id,
                at: number()?,
            },
            "mpart" => Button::MockMyPart { session: id },
            "mnext" => Button::MockNext {
                session: id,
                at: number()?,
            },
            "manswer" => Button::MockAnswer {
                session: id,
                at: number()?,
            },
            "mtick" => Button::MockTick {
                session: id,
                at: number()?,
                key_point: number()?,
                ticked: false,
            },
            _ => return None,
        };
        // Nothing may follow what the button carries.
        number().is_none().then_some(button)
    }
}

impl ReplyBody {
    /// The buttons shown under the reply.
    pub fn buttons(&self) -> Vec<Button> {
        match self {
            ReplyBody::QuestionCard(card) => vec![Button::Answer { round: card.round }],
            ReplyBody::Reveal(reveal) => vec![Button::MyResult {
                round: reveal.round,
            }],
            ReplyBody::Mock(MockReply::Lineup(lineup)) => vec![
                Button::MockJoin {
                    session: lineup.session,
                },
                Button::MockNext {
                    session: lineup.session,
                    at: 0,
                },
            ],
            ReplyBody::Mock(MockReply::Report(report)) => vec![Button::MockMyPart {
                session: report.session,
            }],
            ReplyBody::Mock(MockReply::Question(card)) => vec![
                Button::MockAnswer {
                    session: card.session,
                    at: card.number,
                },
                Button::MockRubric {
                    session: card.session,
                    at: card.number,
                },
                Button::MockNext {
                    session: card.session,
                    at: card.number,
                },
            ],
            ReplyBody::Mock(MockReply::Rubric(rubric)) => rubric
                .key_points
                .iter()
                .enumerate()
                .map(|(key_point, (_, ticked))| Button::MockTick {
                    session: rubric.session,
                    at: rubric.number,
                    key_point,
                    ticked: *ticked,
                })
                .chain([Button::MockNext {
                    session: rubric.session,
                    at: rubric.number,
                }])
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Who sees a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Everyone in the channel.
    Channel,
    /// Only this user (platform id): an ephemeral message, a DM, a console line marked private.
    User(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReplyBody {
    QuestionCard(QuestionCard),
    /// The sender's answer is committed; its score and checklist stay sealed until the reveal.
    AnswerRecorded {
        /// How many times the user's answer in this round was replaced, this one included (0 for a
        /// first answer).
        replacements: u32,
        /// How many more times it may be replaced before the reveal.
        replacements_left: u32,
    },
    Hint {
        key_point: String,
        hints_used: u32,
        penalty: u32,
    },
    Reveal(Reveal),
    /// One answerer's own checklist, after the reveal.
    OwnResult(OwnResult),
    Board(Board),
    Stats(Stats),
    /// Tags with how many questions carry each.
    Topics(Vec<(String, usize)>),
    ScheduleInfo(ScheduleInfo),
    /// Each command as the user types it, and what it does.
    Help(Vec<(String, String)>),
    /// A step of a mock interview.
    Mock(MockReply),
    /// A confirmation or neutral message.
    Notice(String),
    /// Something the user asked could not be done; nothing changed.
    Problem(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionCard {
    pub round: i64,
    pub question: String,
    pub prompt: String,
    pub topic: Option<String>,
    pub difficulty: Difficulty,
    pub origin: Origin,
    pub closes_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reveal {
    pub round: i64,
    pub prompt: String,
    pub key_points: Vec<String>,
    pub explanation: Option<String>,
    /// Where the notes' section is, when the deck names its notes.
    pub notes_link: Option<String>,
    pub answered: usize,
    /// Best answers first: (display name — user text, points).
    pub top: Vec<(String, u32)>,
    /// For each key point (in order), the share of answerers who missed it.
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub key_point: String,
    pub missed: usize,
    pub answered: usize,
}

impl Gap {
    /// The share of answerers who missed the key point, 0–100.
    pub fn missed_percent(&self) -> u32 {
        if self.answered == 0 {
            0
        } else {
            ((self.missed * 100) as f64 / self.answered as f64).round() as u32
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OwnResult {
    pub score: u8,
    pub hints_used: u32,
    pub points: u32,
    pub checklist: Vec<KeyPointCheck>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub period: Period,
    pub scope: BoardScope,
    pub entries: Vec<BoardEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BoardEntry {
    /// Equal points share a rank (1, 2, 2, 4).
    pub rank: usize,
    /// User text.
    pub display_name: String,
    pub points: u32,
    pub rounds: u32,
    pub average_score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// User text.
    pub display_name: String,
    pub rounds_answered: u32,
    pub average_score: f64,
    pub points: u32,
    pub current_streak: u32,
    pub best_streak: u32,
    /// Mock interview questions answered, and their average score.
    pub mock_questions: u32,
    pub mock_average: f64,
    /// Tags by average score, best first: (tag, average, answers).
    pub strongest: Vec<(String, f64, u32)>,
    pub weakest: Vec<(String, f64, u32)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleInfo {
    /// `None` when the channel has no schedule.
    pub summary: Option<String>,
    pub paused: bool,
    pub next_posts: Vec<DateTime<Utc>>,
    /// The schedule's zone, to show the next posts in local time.
    pub zone: Option<TimeZone>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::command::Platform;

    fn reply(audience: Audience) -> Reply {
        Reply {
            channel: ChannelRef {
                platform: Platform::Console,
                workspace: "local".into(),
                channel: "practice".into(),
            },
            audience,
            body: ReplyBody::Notice("hello".into()),
        }
    }

    #[test]
    fn a_channel_reply_is_for_everyone_and_a_private_one_for_its_user_alone() {
        assert!(reply(Audience::Channel).is_for("ann"));
        assert!(reply(Audience::User("ann".into())).is_for("ann"));
        assert!(!reply(Audience::User("ann".into())).is_for("bob"));
        assert!(reply(Audience::User("ann".into())).is_private_to("ann"));
        assert!(!reply(Audience::Channel).is_private_to("ann"));
    }

    #[test]
    fn buttons_come_back_from_their_kind_and_value() {
        for button in [
            Button::Answer { round: 7 },
            Button::MyResult { round: 7 },
            Button::MockJoin { session: 7 },
            Button::MockNext { session: 7, at: 0 },
            Button::MockRubric { session: 7, at: 2 },
            Button::MockMyPart { session: 7 },
            Button::MockAnswer { session: 7, at: 2 },
            Button::MockTick {
                session: 7,
                at: 2,
                key_point: 1,
                ticked: false,
            },
        ] {
            assert_eq!(
                Button::from_parts(button.kind(), &button.value()),
                Some(button)
            );
        }
        assert_eq!(Button::from_parts("answer", "seven"), None);
        assert_eq!(Button::from_parts("mtick", "7.2"), None, "no key point");
        assert_eq!(
            Button::from_parts("answer", "7.2"),
            None,
            "nothing after a round"
        );
        assert_eq!(Button::from_parts("dance", "7"), None);
    }
}
