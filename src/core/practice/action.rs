//! What a player asks of personal practice: the next card, an answer to it, a rating of their own,
//! their desired retention, their status, and a daily reminder.

use crate::core::command::AnswerText;
use crate::core::schedule::{LocalTime, TimeZone, Weekdays};

use super::{Rating, Retention};

#[derive(Debug, Clone, PartialEq)]
pub enum PracticeAction {
    /// The next card: the most overdue question, else a new one from the weakest topic.
    Next {
        topic: Option<String>,
    },
    /// An answer to a card: the card a form was opened for, else the player's latest unanswered one.
    Answer {
        card: Option<i64>,
        text: AnswerText,
    },
    /// The player's own rating of an answered card, instead of the one the grade earned: the card a
    /// button was shown with, else the player's latest answered one.
    Rate {
        card: Option<i64>,
        rating: Rating,
    },
    Retention(Retention),
    Status,
    Remind(ReminderChange),
}

impl PracticeAction {
    /// The step's name, for logs: never what a user wrote in it.
    pub fn name(&self) -> &'static str {
        match self {
            PracticeAction::Next { .. } => "practice",
            PracticeAction::Answer { .. } => "practice answer",
            PracticeAction::Rate { .. } => "practice rate",
            PracticeAction::Retention(_) => "practice retention",
            PracticeAction::Status => "practice status",
            PracticeAction::Remind(_) => "practice remind",
        }
    }
}

/// Turning the daily practice reminder on (at a local time, on some weekdays) or off.
#[derive(Debug, Clone, PartialEq)]
pub enum ReminderChange {
    On {
        time: LocalTime,
        zone: TimeZone,
        weekdays: Weekdays,
    },
    Off,
}
