//! What the engine says back, independent of the platform: each [`Reply`] names its channel, whether
//! everyone there sees it or only one user, and a body a front door renders (an embed, Block Kit,
//! plain text). Fields that hold text a user wrote are marked, so renderers know what to escape.

use chrono::{DateTime, Utc};

use super::bank::Difficulty;
use super::command::{BoardScope, ChannelRef, Period};
use super::grade::KeyPointCheck;
use super::mock::MockReply;
use super::practice::{PracticeReply, PracticeStatus};
use super::round::Origin;
use super::schedule::{Focus, TimeZone};

mod button;
pub use button::Button;

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
    /// A step of personal practice.
    Practice(PracticeReply),
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
    /// The player's personal practice, in their own stats only.
    pub practice: Option<PracticeStatus>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleInfo {
    /// `None` when the channel has no schedule.
    pub summary: Option<String>,
    pub paused: bool,
    pub next_posts: Vec<DateTime<Utc>>,
    /// The schedule's zone, to show the next posts in local time.
    pub zone: Option<TimeZone>,
    /// Which question the day's post prefers, when there is a schedule.
    pub focus: Option<Focus>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::command::Platform;
    use crate::core::practice::Rating;

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
            Button::PracticeAnswer { card: 9 },
            Button::PracticeRate {
                card: 9,
                rating: Rating::Hard,
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
        assert_eq!(Button::from_parts("prate", "9.4"), None, "no fifth rating");
    }
}
