//! What personal practice says back, privately: a card to answer, the graded result with when the
//! question comes back, a changed rating, the player's status, and the daily reminder.

use chrono::{DateTime, NaiveDate, Utc};

use super::Rating;
use crate::core::bank::Difficulty;
use crate::core::grade::KeyPointCheck;

#[derive(Debug, Clone, PartialEq)]
pub enum PracticeReply {
    /// A question to answer.
    Card(PracticeQuestion),
    /// An answered card: score, checklist, key points, and when it is due again.
    Result(PracticeResult),
    /// The player's own rating replaced the earned one.
    Rated {
        card: i64,
        rating: Rating,
        due_at: DateTime<Utc>,
    },
    Status(PracticeStatus),
    /// Nothing due and nothing new (in the topic asked for).
    AllDone {
        topic: Option<String>,
        next_due: Option<DateTime<Utc>>,
    },
    /// The daily reminder's private message, for the player's local `date`.
    Reminder {
        due: usize,
        date: NaiveDate,
    },
    /// Reminders stopped because a reminder could not be sent (told once).
    RemindersStopped,
}

impl PracticeReply {
    /// The card the reply is about, for its buttons.
    pub fn card(&self) -> Option<i64> {
        match self {
            PracticeReply::Card(question) => Some(question.card),
            PracticeReply::Result(result) => Some(result.card),
            PracticeReply::Rated { card, .. } => Some(*card),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PracticeQuestion {
    pub card: i64,
    pub prompt: String,
    pub topic: Option<String>,
    pub difficulty: Difficulty,
    /// When it fell due, for a question met before; `None` for a new one.
    pub due_since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PracticeResult {
    pub card: i64,
    pub prompt: String,
    pub score: u8,
    /// The rating the score earned.
    pub rating: Rating,
    pub checklist: Vec<KeyPointCheck>,
    pub explanation: Option<String>,
    pub notes_link: Option<String>,
    pub due_at: DateTime<Utc>,
}

/// Where a player's practice stands.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeStatus {
    pub due_now: usize,
    /// Due within the next seven days, those due now included.
    pub due_this_week: usize,
    /// Questions met at least once.
    pub questions: usize,
    /// Reviews made (graded answers with a final result).
    pub reviews: usize,
    /// The average chance of still remembering the questions met, now; `None` before any.
    pub estimated_retention: Option<f32>,
    pub desired_retention: f32,
    /// Topics by average retrievability: weakest first, and strongest first.
    pub weakest: Vec<(String, f32)>,
    pub strongest: Vec<(String, f32)>,
    /// The reminder, as set (`08:30 Europe/Berlin on Mon–Fri`), if on.
    pub reminder: Option<String>,
}
