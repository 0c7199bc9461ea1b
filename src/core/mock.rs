//! The rules of a group mock interview, pure: its settings and their limits, whose turn it is to
//! interview and to answer, and the verdict on one question (ticks first, the written answer's
//! checklist where nothing was ticked).

use super::bank::KeyPoint;
use super::grade::KeyPointCheck;

/// Questions in a mock: at least one, at most ten, three unless asked otherwise.
pub const QUESTIONS: std::ops::RangeInclusive<u8> = 1..=10;
pub const DEFAULT_QUESTIONS: u8 = 3;
/// Minutes per question: two to thirty, eight unless asked otherwise.
pub const MINUTES: std::ops::RangeInclusive<u8> = 2..=30;
pub const DEFAULT_MINUTES: u8 = 8;
/// A mock nobody has touched for this long ends by itself.
pub const IDLE_MINUTES: i64 = 120;
/// The longest interviewer's note, in characters.
pub const MAX_NOTE_CHARS: usize = 300;

/// Checks a number of questions, or says politely what is allowed.
pub fn questions(n: i64) -> Result<u8, String> {
    u8::try_from(n)
        .ok()
        .filter(|n| QUESTIONS.contains(n))
        .ok_or_else(|| {
            format!(
                "A mock has {} to {} questions, not {n}.",
                QUESTIONS.start(),
                QUESTIONS.end()
            )
        })
}

/// Checks the minutes per question, or says politely what is allowed.
pub fn minutes(n: i64) -> Result<u8, String> {
    u8::try_from(n)
        .ok()
        .filter(|n| MINUTES.contains(n))
        .ok_or_else(|| {
            format!(
                "Each question takes {} to {} minutes, not {n}.",
                MINUTES.start(),
                MINUTES.end()
            )
        })
}

/// Who interviews and who answers question `number` (0-based). Candidates answer in turn; whoever
/// answered the question before interviews the next one, and the starter interviews the first and
/// every question where that would make the candidate their own interviewer (one candidate).
pub fn turn<'p>(
    number: usize,
    starter: &'p str,
    candidates: &'p [String],
) -> Option<(&'p str, &'p str)> {
    if candidates.is_empty() {
        return None;
    }
    let candidate = candidates[number % candidates.len()].as_str();
    let previous = number
        .checked_sub(1)
        .map(|p| candidates[p % candidates.len()].as_str());
    let interviewer = match previous {
        Some(previous) if previous != candidate => previous,
        _ => starter,
    };
    Some((interviewer, candidate))
}

/// Where a question's verdict came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictSource {
    /// The interviewer ticked key points.
    Ticked,
    /// Nothing was ticked; the grader's checklist of the written answer counts.
    Written,
    /// Nothing was ticked and nothing written.
    Nothing,
}

/// The verdict on one question: which key points count as covered, and the score on the 0–100
/// scale of rounds (the share of the key points' weight covered).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub covered: Vec<bool>,
    pub score: u8,
    pub source: VerdictSource,
}

/// Decides a question: ticks count when there are any, else the written answer's checklist.
pub fn verdict(
    key_points: &[KeyPoint],
    ticks: &[usize],
    written: Option<&[KeyPointCheck]>,
) -> Verdict {
    let (covered, source): (Vec<bool>, VerdictSource) = if !ticks.is_empty() {
        let covered = (0..key_points.len()).map(|i| ticks.contains(&i)).collect();
        (covered, VerdictSource::Ticked)
    } else if let Some(checklist) = written {
        let covered = (0..key_points.len())
            .map(|i| checklist.get(i).is_some_and(|c| c.covered))
            .collect();
        (covered, VerdictSource::Written)
    } else {
        (vec![false; key_points.len()], VerdictSource::Nothing)
    };
    let total: f64 = key_points.iter().map(|k| k.weight).sum();
    let earned: f64 = key_points
        .iter()
        .zip(&covered)
        .filter(|(_, covered)| **covered)
        .map(|(k, _)| k.weight)
        .sum();
    let score = if total > 0.0 {
        (100.0 * earned / total).round().clamp(0.0, 100.0) as u8
    } else {
        0
    };
    Verdict {
        covered,
        score,
        source,
    }
}

/// What a mock says: its lineup, each question, the interviewer's rubric, the report.
#[derive(Debug, Clone, PartialEq)]
pub enum MockReply {
    /// Who interviews and who answers, before the first question.
    Lineup(Lineup),
    Question(MockCard),
    /// The interviewer's private view of the current question.
    Rubric(Rubric),
    /// The candidate's written answer is in (graded, shown in the report).
    AnswerTaken {
        session: i64,
        number: usize,
    },
    /// A question's time ran out.
    TimeUp {
        session: i64,
        number: usize,
    },
    Report(Report),
    /// One candidate's own part of the report, privately.
    OwnDetail(Report),
    History(History),
}

impl MockReply {
    /// The mock the reply belongs to (`None` for a history, which spans mocks).
    pub fn session(&self) -> Option<i64> {
        match self {
            MockReply::Lineup(l) => Some(l.session),
            MockReply::Question(q) => Some(q.session),
            MockReply::Rubric(r) => Some(r.session),
            MockReply::AnswerTaken { session, .. } | MockReply::TimeUp { session, .. } => {
                Some(*session)
            }
            MockReply::Report(r) | MockReply::OwnDetail(r) => Some(r.session),
            MockReply::History(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lineup {
    pub session: i64,
    /// User text.
    pub starter: String,
    /// User text, in answering order.
    pub candidates: Vec<String>,
    pub questions: u8,
    pub minutes: u8,
    pub topic: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MockCard {
    pub session: i64,
    /// 1-based.
    pub number: usize,
    pub total: u8,
    pub prompt: String,
    /// User text.
    pub interviewer: String,
    /// User text.
    pub candidate: String,
    pub deadline: chrono::DateTime<chrono::Utc>,
    pub minutes: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    pub session: i64,
    /// 1-based.
    pub number: usize,
    pub prompt: String,
    /// Each key point and whether the interviewer ticked it.
    pub key_points: Vec<(String, bool)>,
    pub hint: Option<String>,
    pub explanation: Option<String>,
    /// The candidate's written answer, graded, if they wrote one.
    pub written: Option<(u8, Vec<KeyPointCheck>)>,
    /// User text.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub session: i64,
    pub questions: Vec<QuestionResult>,
    /// Each candidate's score over their questions: (name — user text, score, questions).
    pub scores: Vec<(String, u8, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    /// 1-based.
    pub number: usize,
    pub prompt: String,
    /// User text.
    pub candidate: String,
    /// User text.
    pub interviewer: String,
    pub covered: Vec<String>,
    pub missed: Vec<String>,
    pub notes_link: Option<String>,
    pub seconds_used: i64,
    /// User text.
    pub note: Option<String>,
    pub score: u8,
    pub source: VerdictSource,
}

#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// User text.
    pub display_name: String,
    /// Per mock, newest first: (mock, when it started, questions answered, average score).
    pub mocks: Vec<(i64, chrono::DateTime<chrono::Utc>, usize, u8)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn one_candidate_is_always_interviewed_by_the_starter() {
        let candidates = people(&["bob"]);
        for number in 0..3 {
            assert_eq!(turn(number, "ann", &candidates), Some(("ann", "bob")));
        }
    }

    #[test]
    fn in_a_group_whoever_just_answered_interviews_the_next_candidate() {
        let candidates = people(&["bob", "cat", "dee"]);
        let turns: Vec<_> = (0..4)
            .map(|n| turn(n, "ann", &candidates).expect("a turn"))
            .collect();
        assert_eq!(
            turns,
            [
                ("ann", "bob"),
                ("bob", "cat"),
                ("cat", "dee"),
                ("dee", "bob")
            ]
        );
    }

    #[test]
    fn settings_outside_their_limits_are_refused_politely() {
        assert_eq!(questions(3), Ok(3));
        assert!(questions(0).is_err_and(|m| m.contains("1 to 10")));
        assert!(questions(50).is_err());
        assert_eq!(minutes(2), Ok(2));
        assert!(minutes(31).is_err_and(|m| m.contains("2 to 30")));
    }
}
