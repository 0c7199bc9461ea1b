//! A round's life: a question posted in a channel (daily or ad hoc), open for answers until it closes,
//! then revealed. Answers are sealed while a round is open and each user has at most one, which they
//! may replace [`MAX_REPLACEMENTS`] times until the reveal. Nobody learns their score before the
//! reveal, so an answer cannot be tuned against the grader until it scores 100.

use chrono::{DateTime, NaiveDate, Utc};

/// How many times a user may replace their answer in one round.
pub const MAX_REPLACEMENTS: u32 = 3;

/// Why a round (and so each answer in it) exists. Personal practice and mock interviews will be
/// further origins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Posted by a channel's schedule; one per channel per local date.
    Daily,
    /// Asked for by a user with `/question`.
    AdHoc,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Daily => "daily",
            Origin::AdHoc => "adhoc",
        }
    }

    pub fn parse(raw: &str) -> Option<Origin> {
        match raw {
            "daily" => Some(Origin::Daily),
            "adhoc" => Some(Origin::AdHoc),
            _ => None,
        }
    }
}

/// A round that is still open: its question, and when answers close.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub id: i64,
    pub channel_id: i64,
    pub question: String,
    pub origin: Origin,
    /// The channel's local date of a daily round.
    pub local_date: Option<NaiveDate>,
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}
