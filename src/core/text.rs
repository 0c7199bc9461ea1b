//! Turning free text into the words the grader compares: Unicode NFKC, lower case, punctuation dropped,
//! `snake_case` and `CamelCase` split into parts, English stop-words skipped and the rest stemmed.
//! Both sides of a comparison (key points when a bank loads, answers when they are graded) go through
//! the same functions here, so they always agree on what a word is.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// One word part of a text, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part in lower case (`select_related` gives `select` and `related`).
    pub lower: String,
    /// The English stem of `lower`; empty for a stop-word.
    pub stem: String,
    /// Index of the source token the part came from (in [`Words::tokens`]).
    pub token: usize,
}

impl Part {
    pub fn is_stop_word(&self) -> bool {
        self.stem.is_empty()
    }
}

/// A text split into tokens (what the writer typed between spaces and punctuation) and word parts.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// Source tokens as written, after NFKC: `select_related`, `ForeignKey`, `caching`.
    pub tokens: Vec<String>,
    /// Every word part in order, stop-words included (compounds are matched across them).
    pub parts: Vec<Part>,
}

impl Words {
    pub fn of(text: &str) -> Words {
        let text = nfkc(text);
        let mut words = Words::default();
        for token in text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|t| t.chars().any(char::is_alphanumeric))
        {
            let index = words.tokens.len();
            words.tokens.push(token.to_string());
            for piece in split_identifier(token) {
                let lower = piece.to_lowercase();
                let stem = stem_of(&lower);
                words.parts.push(Part {
                    lower,
                    stem,
                    token: index,
                });
            }
        }
        words
    }

    /// The parts that carry meaning (stop-words left out).
    pub fn content_parts(&self) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(|p| !p.is_stop_word())
    }

    /// Parts grouped by the token they came from.
    pub fn parts_of_token(&self, token: usize) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(move |p| p.token == token)
    }
}

fn nfkc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkc().collect())
    }
}

/// Splits `select_related`, `ForeignKey` and `APIView` into their word parts
/// (`select`/`related`, `Foreign`/`Key`, `API`/`View`); digits stay with the letters before them.
pub fn split_identifier(token: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    for chunk in token.split('_').filter(|c| !c.is_empty()) {
        let chars: Vec<(usize, char)> = chunk.char_indices().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (at, c) = chars[i];
            let prev = chars[i - 1].1;
            let next_is_lower = chars.get(i + 1).is_some_and(|(_, n)| n.is_lowercase());
            let boundary =
                c.is_uppercase() && (prev.is_lowercase() || (prev.is_uppercase() && next_is_lower));
            if boundary {
                pieces.push(&chunk[start..at]);
                start = at;
            }
        }
        pieces.push(&chunk[start..]);
    }
    pieces
}

/// The stem of a lower-case word, or an empty string for a stop-word.
pub fn stem_of(lower: &str) -> String {
    if is_stop_word(lower) {
        return String::new();
    }
    stemmer().stem(lower).into_owned()
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

pub fn is_stop_word(lower: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(lower)
}

/// How many edits a word of this length may be off by and still count as the same word.
/// Short words must match exactly, so `chair` never passes for `air`.
pub fn typo_allowance(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// Whether `typed` is a small typo of `expected` (both lower case): same first letter, within the
/// edit allowance of the shorter word's length.
pub fn is_typo_of(typed: &str, expected: &str) -> bool {
    let (a, b) = (typed.chars().count(), expected.chars().count());
    let allowance = typo_allowance(a.min(b));
    if allowance == 0
        || a.abs_diff(b) > allowance
        || typed.chars().next() != expected.chars().next()
    {
        return false;
    }
    strsim::osa_distance(typed, expected) <= allowance
}

/// English stop-words: they carry no meaning for grading, so they are neither required nor counted.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "d",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "down",
    "during",
    "e",
    "each",
    "eg",
    "etc",
    "few",
    "for",
    "from",
    "further",
    "g",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "ie",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "ll",
    "m",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "use",
    "used",
    "uses",
    "using",
    "ve",
    "very",
    "via",
    "was",
    "wasn",
    "we",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "would",
    "y",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn lowers(text: &str) -> Vec<String> {
        Words::of(text).parts.into_iter().map(|p| p.lower).collect()
    }

    #[test]
    fn identifiers_split_into_their_words() {
        assert_eq!(lowers("select_related()"), ["select", "related"]);
        assert_eq!(lowers("ForeignKey"), ["foreign", "key"]);
        assert_eq!(lowers("GenericAPIView"), ["generic", "api", "view"]);
        assert_eq!(lowers("__init__.py"), ["init", "py"]);
        assert_eq!(lowers("pep8"), ["pep8"]);
    }

    #[test]
    fn compatibility_characters_are_normalised() {
        assert_eq!(lowers("ﬁlter ＡＰＩ"), ["filter", "api"]);
    }

    #[test]
    fn stop_words_have_no_stem_and_others_are_stemmed() {
        let words = Words::of("The caching of queries");
        let stems: Vec<&str> = words.parts.iter().map(|p| p.stem.as_str()).collect();
        assert_eq!(stems, ["", "cach", "", "queri"]);
    }

    #[test]
    fn small_typos_are_forgiven_on_long_words_only() {
        assert!(is_typo_of("serializr", "serializer"));
        assert!(is_typo_of("midleware", "middleware"));
        assert!(is_typo_of("modle", "model"));
        assert!(!is_typo_of("air", "chair"));
        assert!(!is_typo_of("chair", "air"));
        assert!(!is_typo_of("view", "vied"));
        assert!(!is_typo_of("serializer", "deserializer"));
    }
}
