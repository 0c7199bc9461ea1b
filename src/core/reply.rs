//! What the engine says back, independent of the platform: each [`Reply`] names its channel, whether
//! everyone there sees it or only one user, and a body a front door renders (an embed, Block Kit,
//! plain text). Fields that hold text a user wrote are marked, so renderers know what to escape.

use chrono::{DateTime, Utc};

use super::bank::Difficulty;
use super::command::{BoardScope, ChannelRef, Period};
use super::grade::KeyPointCheck;
use super::round::Origin;
use super::schedule::TimeZone;

#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub channel: ChannelRef,
    pub audience: Audience,
    pub body: ReplyBody,
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
    /// The sender's answer is committed; its checklist stays sealed until the reveal.
    AnswerRecorded {
        round: i64,
        score: u8,
        covered: usize,
        key_points: usize,
        /// Whether it replaced an earlier answer of the same user.
        replaced: bool,
    },
    Hint {
        round: i64,
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
    Help(Vec<(&'static str, &'static str)>),
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
    pub question: String,
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
    pub round: i64,
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
