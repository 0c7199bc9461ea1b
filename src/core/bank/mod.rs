//! The question bank: decks of questions, each with key points, read from Markdown files. This
//! module holds the model; `load` reads and validates deck files, `parse` and `markdown` read one.
//! The format is documented in the README's *Deck format* section.

mod load;
mod markdown;
mod parse;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::grade::{StemGuide, Terms};

pub(crate) use markdown::{inline_text, push_inline};

/// The highest weight a key point may carry.
pub const MAX_WEIGHT: f64 = 10.0;
/// A good example answer must score at least this much.
pub const GOOD_EXAMPLE_MIN: u8 = 60;
/// A wrong example answer must score at most this much.
pub const WRONG_EXAMPLE_MAX: u8 = 30;
/// The most levels lists and block quotes may nest inside one another in a deck; key points and
/// their options need two.
pub const MAX_NESTING: usize = 16;
/// The largest deck file read, in bytes (1 MiB): the shipped decks are 20 to 45 KiB each, and a
/// bigger bank is split into more decks.
pub const MAX_DECK_BYTES: usize = 1024 * 1024;

/// A question's stable identifier, a lower-case slug unique across the bank.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct QuestionId(String);

impl QuestionId {
    /// Accepts a slug of lower-case letters, digits and inner dashes.
    pub fn parse(raw: &str) -> Result<QuestionId, String> {
        if is_slug(raw) {
            Ok(QuestionId(raw.to_string()))
        } else {
            Err(format!(
                "`{raw}` is not a valid id: use lower-case letters, digits and dashes"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_slug(raw: &str) -> bool {
    !raw.is_empty()
        && !raw.starts_with('-')
        && !raw.ends_with('-')
        && raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub fn parse(raw: &str) -> Option<Difficulty> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "easy" => Some(Difficulty::Easy),
            "medium" => Some(Difficulty::Medium),
            "hard" => Some(Difficulty::Hard),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fact a good answer mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPoint {
    pub text: String,
    pub weight: f64,
    pub alternatives: Vec<Alternative>,
    pub(crate) terms: Terms,
}

/// Other words or a phrase that also cover a key point.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub text: String,
    pub(crate) terms: Terms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleLabel {
    Wrong,
    Partial,
    Good,
}

impl ExampleLabel {
    fn as_str(self) -> &'static str {
        match self {
            ExampleLabel::Wrong => "wrong",
            ExampleLabel::Partial => "partial",
            ExampleLabel::Good => "good",
        }
    }
}

/// An example answer an author labelled, used to check that grading agrees with the label.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub label: ExampleLabel,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: QuestionId,
    /// Id of the deck the question is in.
    pub deck: String,
    pub prompt: String,
    /// Tags in the author's order; the first is the question's topic.
    pub tags: Vec<String>,
    pub difficulty: Difficulty,
    /// The heading path of the notes the question comes from (`Parent > Child`).
    pub section: Option<String>,
    pub key_points: Vec<KeyPoint>,
    pub hint: Option<String>,
    pub explanation: Option<String>,
    pub examples: Vec<Example>,
    pub path: PathBuf,
    pub line: usize,
    pub(crate) stem_guide: StemGuide,
}

impl Question {
    pub fn topic(&self) -> Option<&str> {
        self.tags.first().map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub id: String,
    pub title: String,
    /// The notes the deck was written from: a path or a URL.
    pub notes: Option<String>,
    pub path: PathBuf,
}

impl Deck {
    /// Where a reader finds the notes' section a question comes from.
    pub fn notes_link(&self, section: Option<&str>) -> Option<String> {
        let notes = self.notes.as_deref()?;
        match section.and_then(|s| s.rsplit(" > ").next()) {
            Some(heading) => Some(format!("{notes}#{}", anchor(heading))),
            None => Some(notes.to_string()),
        }
    }
}

/// The anchor a Markdown renderer gives a heading: lower case, spaces as dashes, punctuation dropped.
pub fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Something wrong in a deck file, at a line an author can jump to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based; 0 when the problem is with the file as a whole.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
        }
    }
}

/// Every problem that kept a bank from loading.
#[derive(Debug, Clone, PartialEq)]
pub struct BankError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(Problem::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for BankError {}

/// Counts for `bank check`'s summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub decks: usize,
    pub questions: usize,
    pub key_points: usize,
    pub examples: usize,
    /// Questions per tag.
    pub tags: BTreeMap<String, usize>,
}

/// All decks of a bank, validated.
#[derive(Debug, Clone)]
pub struct Bank {
    decks: Vec<Deck>,
    questions: Vec<Question>,
    index: HashMap<QuestionId, usize>,
}

impl Bank {
    pub fn question(&self, id: &str) -> Option<&Question> {
        let id = QuestionId::parse(id).ok()?;
        self.index.get(&id).map(|i| &self.questions[*i])
    }

    /// The place of a question in [`Bank::questions`].
    pub fn position(&self, id: &str) -> Option<usize> {
        let id = QuestionId::parse(id).ok()?;
        self.index.get(&id).copied()
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn decks(&self) -> &[Deck] {
        &self.decks
    }

    pub fn deck(&self, id: &str) -> Option<&Deck> {
        self.decks.iter().find(|d| d.id == id)
    }

    pub fn summary(&self) -> Summary {
        let mut tags = BTreeMap::new();
        for question in &self.questions {
            for tag in &question.tags {
                *tags.entry(tag.clone()).or_insert(0) += 1;
            }
        }
        Summary {
            decks: self.decks.len(),
            questions: self.questions.len(),
            key_points: self.questions.iter().map(|q| q.key_points.len()).sum(),
            examples: self.questions.iter().map(|q| q.examples.len()).sum(),
            tags,
        }
    }
}
