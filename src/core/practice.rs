//! Personal practice's rules, pure: the rating a graded answer earns (its score, or the player's
//! override), the desired retention a player may choose, and one review step of a player's memory of
//! a question with FSRS (the `fsrs` crate's default parameters): the memory after the review and
//! when the question is due again; which question a player practises next ([`next_card`]), also
//! from memories laid out along the bank ([`PracticeIndex`]); and practice's commands
//! ([`PracticeAction`]) and replies ([`PracticeReply`]).

mod action;
mod index;
mod pick;
mod reply;
mod weak;

pub use action::{PracticeAction, ReminderChange};
pub use index::PracticeIndex;
pub use pick::{next_card, topic_strengths, weakest_topic, NextCard, Player};
pub use reply::{PracticeQuestion, PracticeReply, PracticeResult, PracticeStatus};
pub use weak::weakest_question;

use chrono::{DateTime, Duration, Utc};

/// Desired retention when a player has not chosen one.
pub const DEFAULT_RETENTION: f32 = 0.9;
/// The retention a player may choose, inclusive.
pub const RETENTION_RANGE: (f32, f32) = (0.70, 0.97);

/// How well a question was remembered, as FSRS rates a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    /// The rating an answer's score earns: below 40 Again, 40–69 Hard, 70–89 Good, 90 and up Easy.
    pub fn from_score(score: u8) -> Rating {
        match score {
            0..=39 => Rating::Again,
            40..=69 => Rating::Hard,
            70..=89 => Rating::Good,
            _ => Rating::Easy,
        }
    }

    /// The rating a player typed (`again`, `hard`, `good`, `easy`, any case).
    pub fn parse(raw: &str) -> Option<Rating> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "again" => Some(Rating::Again),
            "hard" => Some(Rating::Hard),
            "good" => Some(Rating::Good),
            "easy" => Some(Rating::Easy),
            _ => None,
        }
    }

    /// Every rating, worst first.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The rating's place in [`Rating::ALL`], as a button carries it.
    pub fn index(self) -> usize {
        match self {
            Rating::Again => 0,
            Rating::Hard => 1,
            Rating::Good => 2,
            Rating::Easy => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
            Rating::Easy => "easy",
        }
    }
}

/// A desired retention, within [`RETENTION_RANGE`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retention(f32);

impl Retention {
    /// Parses `0.85` or `85%`; a value outside the range is explained, not clamped.
    pub fn parse(raw: &str) -> Result<Retention, String> {
        let raw = raw.trim();
        let value = match raw.strip_suffix('%') {
            Some(percent) => percent.trim().parse::<f32>().map(|p| p / 100.0),
            None => raw.parse::<f32>(),
        };
        let (low, high) = RETENTION_RANGE;
        match value {
            Ok(value) if (low..=high).contains(&value) => Ok(Retention(value)),
            _ => Err(format!(
                "The desired retention is a share between {low:.2} and {high:.2} (for example \
                 0.85), not `{raw}`."
            )),
        }
    }

    pub fn value(self) -> f32 {
        self.0
    }
}

impl Default for Retention {
    fn default() -> Self {
        Retention(DEFAULT_RETENTION)
    }
}

/// A player's memory of a question: FSRS's stability (days) and difficulty, and when it was last
/// reviewed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    pub stability: f32,
    pub difficulty: f32,
    pub reviewed_at: DateTime<Utc>,
}

/// What one review leaves: the new memory and when the question is due again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Review {
    pub memory: Memory,
    pub due_at: DateTime<Utc>,
}

/// One review at `at` rated `rating`, from the memory before it (none for a first review).
pub fn review(
    before: Option<Memory>,
    rating: Rating,
    at: DateTime<Utc>,
    retention: Retention,
) -> Result<Review, String> {
    let fsrs = fsrs::FSRS::default();
    let elapsed_days = before.map_or(0, |m| {
        u32::try_from(at.signed_duration_since(m.reviewed_at).num_days()).unwrap_or(0)
    });
    let current = before.map(|m| fsrs::MemoryState {
        stability: m.stability,
        difficulty: m.difficulty,
    });
    let next = fsrs
        .next_states(current, retention.value(), elapsed_days)
        .map_err(|err| format!("FSRS could not schedule the review: {err}"))?;
    let chosen = match rating {
        Rating::Again => next.again,
        Rating::Hard => next.hard,
        Rating::Good => next.good,
        Rating::Easy => next.easy,
    };
    // Whole days, at least one: a question answered today comes back tomorrow at the earliest.
    let days = chosen.interval.round().clamp(1.0, 36_500.0) as i64;
    let due_at = at
        .checked_add_signed(Duration::days(days))
        .ok_or("the next review falls past the calendar")?;
    Ok(Review {
        memory: Memory {
            stability: chosen.memory.stability,
            difficulty: chosen.memory.difficulty,
            reviewed_at: at,
        },
        due_at,
    })
}

/// How likely the player still remembers the question at `now` (0–1).
pub fn retrievability(memory: Memory, now: DateTime<Utc>) -> f32 {
    let days = now
        .signed_duration_since(memory.reviewed_at)
        .num_seconds()
        .max(0) as f32
        / 86_400.0;
    fsrs::current_retrievability(
        fsrs::MemoryState {
            stability: memory.stability,
            difficulty: memory.difficulty,
        },
        days,
        fsrs::FSRS6_DEFAULT_DECAY,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn day(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .expect("valid instant")
            + Duration::days(n)
    }

    #[test]
    fn scores_map_to_ratings_at_40_70_and_90() {
        let ratings: Vec<Rating> = [0, 39, 40, 69, 70, 89, 90, 100]
            .into_iter()
            .map(Rating::from_score)
            .collect();
        use Rating::*;
        assert_eq!(ratings, [Again, Again, Hard, Hard, Good, Good, Easy, Easy]);
    }

    #[test]
    fn a_retention_outside_070_to_097_is_explained_not_clamped() {
        assert_eq!(Retention::parse("0.85").map(Retention::value), Ok(0.85));
        assert_eq!(Retention::parse("90%").map(Retention::value), Ok(0.9));
        for bad in ["0.5", "0.99", "x", "", "NaN"] {
            assert!(Retention::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_missed_question_comes_back_within_a_day_and_a_known_one_days_later() {
        let missed = review(None, Rating::Again, day(0), Retention::default()).expect("review");
        assert_eq!(missed.due_at, day(1));
        let known = review(None, Rating::Easy, day(0), Retention::default()).expect("review");
        assert!(known.due_at >= day(3), "{:?}", known.due_at);
    }

    #[test]
    fn intervals_grow_with_repeated_success() {
        let mut memory = None;
        let mut at = day(0);
        let mut intervals = Vec::new();
        for _ in 0..4 {
            let next = review(memory, Rating::Good, at, Retention::default()).expect("review");
            intervals.push((next.due_at - at).num_days());
            memory = Some(next.memory);
            at = next.due_at;
        }
        assert!(intervals.windows(2).all(|w| w[1] > w[0]), "{intervals:?}");
    }

    #[test]
    fn a_higher_retention_brings_a_question_back_sooner() {
        let first = review(None, Rating::Good, day(0), Retention::default()).expect("review");
        let strict = Retention::parse("0.97").expect("valid");
        let loose = Retention::parse("0.70").expect("valid");
        let at = first.due_at;
        let soon = review(Some(first.memory), Rating::Good, at, strict).expect("review");
        let late = review(Some(first.memory), Rating::Good, at, loose).expect("review");
        assert!(soon.due_at < late.due_at);
    }

    #[test]
    fn retrievability_falls_as_time_passes() {
        let first = review(None, Rating::Good, day(0), Retention::default()).expect("review");
        let fresh = retrievability(first.memory, day(0));
        let later = retrievability(first.memory, day(30));
        assert!(fresh > 0.99 && later < fresh, "{fresh} {later}");
    }
}
