//! What a key point asks of an answer, compiled once when the bank loads: its terms (words and
//! identifiers, each with whether the key point denies it) and the stemming guide that tells the
//! grader which answer words are worth stemming.

use std::borrow::Cow;

use crate::core::bank::KeyPoint;
use crate::core::text::{pack, prefix, related_stems, Reading, Stemming, Words};

/// What a key point's text (or one of its alternatives) must find in an answer, compiled once when the
/// bank loads so grading does no parsing of the bank's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms(pub(super) Vec<Term>);

/// One term and whether its key point denies it (`UDP sends datagrams *without* a guarantee`): an
/// answer's word covers it only when the answer's reading agrees.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Term {
    pub(super) shape: Shape,
    /// The word it is, for telling terms apart quickly: its stem or identifier packed (hashed when
    /// longer than 16 bytes), and whether it is an identifier.
    pub(super) word: (u128, bool),
    pub(super) negated: bool,
    /// What the term counts for: [`PROMPT_WORD`] when the question's prompt says it too (any
    /// answer repeats those), else 1.
    pub(super) weight: f64,
}

/// What a key point's word counts for when the question's prompt also says it.
pub const PROMPT_WORD: f64 = 0.25;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// A single word, compared by stem, by spelling within the typo allowance, or failing those by
    /// the stems of its related words (synonyms and derived forms).
    Word {
        stem: String,
        lower: String,
        mask: u32,
        related: &'static [&'static str],
    },
    /// An identifier such as `select_related`: matched by its joined parts, however the answer spaces
    /// or punctuates them (`select related`, `selectrelated`, `select_related()`).
    Compound { joined: String, parts: usize },
}

/// A term's [`Term::word`].
fn word_key(shape: &Shape) -> (u128, bool) {
    let (text, compound) = match shape {
        Shape::Word { stem, .. } => (stem.as_str(), false),
        Shape::Compound { joined, .. } => (joined.as_str(), true),
    };
    let key = pack(text).unwrap_or_else(|| {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut hasher);
        // Packed text of more than 16 bytes does not exist, so a hash cannot equal one.
        u128::from(hasher.finish()) | 1 << 127
    });
    (key, compound)
}

impl Terms {
    pub fn of(text: &str) -> Terms {
        let text = join_hyphenated(text);
        let words = Words::of(&text);
        let reading = Reading::of(&words);
        let mut terms: Vec<Term> = Vec::new();
        let parts = words.parts();
        let mut start = 0;
        while start < parts.len() {
            let token = parts[start].token;
            let end = start
                + parts[start..]
                    .iter()
                    .take_while(|p| p.token == token)
                    .count();
            let of_token = &parts[start..end];
            start = end;
            let shape = match of_token {
                [only] => match words.stem(only) {
                    Some(stem) => Shape::Word {
                        related: related_stems(stem),
                        stem: stem.to_string(),
                        lower: words.lower(only).to_string(),
                        mask: only.mask,
                    },
                    None => continue,
                },
                many if many.iter().all(|p| p.is_stop_word()) => continue,
                many => Shape::Compound {
                    joined: many.iter().map(|p| words.lower(p)).collect(),
                    parts: many.len(),
                },
            };
            let term = Term {
                word: word_key(&shape),
                shape,
                negated: reading.negated(token),
                weight: 1.0,
            };
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        Terms(terms)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The same terms matched only by their own words, never by related ones: an `also:`
    /// alternative is the author's own wording and is taken as written.
    pub fn exactly(mut self) -> Terms {
        for term in &mut self.0 {
            if let Shape::Word { related, .. } = &mut term.shape {
                *related = &[];
            }
        }
        self
    }

    /// Whether some term is not a word the prompt says.
    pub(super) fn has_own_word(&self) -> bool {
        self.0.iter().any(|t| t.weight >= 1.0)
    }

    /// The sum of the terms' weights.
    pub(super) fn weight(&self) -> f64 {
        self.0.iter().map(|t| t.weight).sum()
    }

    /// The `index`th term as the key point writes it, when it is a single word.
    pub(super) fn word(&self, index: usize) -> Option<&str> {
        match &self.0.get(index)?.shape {
            Shape::Word { lower, .. } => Some(lower),
            Shape::Compound { .. } => None,
        }
    }

    /// Weighs down the terms the question's prompt also says, by stem or, for an identifier, by
    /// its parts in a row.
    fn weigh_against(&mut self, prompt: &Words<'_>) {
        let parts = prompt.parts();
        for term in &mut self.0 {
            let in_prompt = match &term.shape {
                Shape::Word { stem, .. } => parts
                    .iter()
                    .any(|p| p.is_word() && prompt.stem(p) == Some(stem)),
                Shape::Compound { joined, .. } => {
                    (0..parts.len()).any(|start| spells_from(prompt, start, joined))
                }
            };
            if in_prompt {
                term.weight = PROMPT_WORD;
            }
        }
    }

    /// Whether the key point denies any of its words.
    pub(super) fn any_negated(&self) -> bool {
        self.0.iter().any(|t| t.negated)
    }
}

/// Whether the text's parts from `start` on spell `joined` exactly.
fn spells_from(words: &Words<'_>, start: usize, joined: &str) -> bool {
    let mut rest = joined;
    for part in &words.parts()[start..] {
        let lower = words.lower(part);
        match rest.strip_prefix(lower) {
            Some(after) if !lower.is_empty() => rest = after,
            _ => return false,
        }
        if rest.is_empty() {
            return true;
        }
    }
    false
}

/// Weighs down, in each key point, the words the question's `prompt` also says (stemming only the
/// prompt's words the `guide` says can matter).
pub fn weigh_against_prompt(key_points: &mut [KeyPoint], prompt: &str, guide: &StemGuide) {
    let prompt = Words::stemming_only(prompt, |w| guide.stemming(w));
    for key_point in key_points {
        key_point.terms.weigh_against(&prompt);
        for alternative in &mut key_point.alternatives {
            alternative.terms.weigh_against(&prompt);
        }
    }
}

/// Writes `one-to-one` as `one_to_one`, so a hyphenated word is one identifier-like term that an
/// answer matches as `one-to-one`, `OneToOne` or `one to one`, instead of its loose parts (which,
/// with the repeated word counted once, would be just "one").
fn join_hyphenated(text: &str) -> Cow<'_, str> {
    if !text.contains('-') {
        return Cow::Borrowed(text);
    }
    let mut joined = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let inside_word = prev.is_some_and(char::is_alphanumeric)
            && chars.peek().is_some_and(|n| n.is_alphanumeric());
        joined.push(if c == '-' && inside_word { '_' } else { c });
        prev = Some(c);
    }
    Cow::Owned(joined)
}

/// What a question's key points need stemmed in an answer. Stemming strips suffixes and rewrites at
/// most the last letter of what remains (`happy` → `happi`, `hoping` → `hope`), so an answer word
/// that does not start with some stem minus its last letter cannot share a stem with any key point,
/// and the grader need not stem it (related words are matched without it, see `find_related`). (Snowball's few irregular
/// words, such as `dying` → `die`, are the exception this accepts.) Words spelled exactly as in the
/// key points reuse their known stem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StemGuide {
    /// Stems minus their last letter (at most [`CORE_BYTES`] bytes of it), packed (see [`pack`])
    /// with their length, sorted, none starting with another.
    cores: Vec<(u128, u8)>,
    /// Key-point words (packed) and their stems, sorted by word.
    known: Vec<(u128, String)>,
    /// The first two letters of every core and known word, as bits (see [`pair_bit`]): most
    /// answer words start otherwise, and are skipped without a search.
    pairs: [u64; 8],
    /// The first letters of one-letter cores and known words, which any word starting so passes.
    singles: [u64; 4],
}

/// The bit of [`StemGuide::pairs`] for a word starting with `first` and `second`.
fn pair_bit(first: u8, second: u8) -> usize {
    (usize::from(first) * 37 + usize::from(second)) & 511
}

/// A core longer than this is cut to it: a shorter prefix only makes more words worth stemming.
const CORE_BYTES: usize = 16;

impl StemGuide {
    pub fn of(key_points: &[KeyPoint]) -> StemGuide {
        let all_terms = key_points
            .iter()
            .flat_map(|k| std::iter::once(&k.terms).chain(k.alternatives.iter().map(|a| &a.terms)));
        let mut guide = StemGuide::default();
        for term in all_terms.flat_map(|t| t.0.iter()) {
            if let Shape::Word { stem, lower, .. } = &term.shape {
                let keep = stem.chars().count().saturating_sub(1).max(1);
                let core = prefix(stem, keep);
                let core = &core[..floor_char_boundary(core, CORE_BYTES)];
                if let Some(packed) = pack(core) {
                    guide.cores.push((packed, core.len() as u8));
                }
                if let Some(packed) = pack(lower) {
                    guide.known.push((packed, stem.clone()));
                }
            }
        }
        guide.cores.sort_unstable();
        // A core that starts with an earlier core adds nothing: a word starting with it also starts
        // with the shorter one.
        let mut kept: Vec<(u128, u8)> = Vec::with_capacity(guide.cores.len());
        for (core, len) in guide.cores.drain(..) {
            if kept
                .last()
                .is_none_or(|(k, l)| core & prefix_mask(*l) != *k)
            {
                kept.push((core, len));
            }
        }
        guide.cores = kept;
        guide.known.sort_unstable();
        guide.known.dedup_by_key(|(word, _)| *word);
        let starts = (guide.cores.iter().map(|(core, _)| *core))
            .chain(guide.known.iter().map(|(word, _)| *word));
        for packed in starts {
            let [first, second, ..] = packed.to_be_bytes();
            if second == 0 {
                guide.singles[usize::from(first) / 64] |= 1 << (first % 64);
            } else {
                let bit = pair_bit(first, second);
                guide.pairs[bit / 64] |= 1 << (bit % 64);
            }
        }
        guide
    }

    pub(super) fn stemming(&self, lower: &str) -> Stemming<'_> {
        let (first, second) = match lower.as_bytes() {
            [] => return Stemming::Skip,
            [first] => (*first, 0),
            [first, second, ..] => (*first, *second),
        };
        let single = self.singles[usize::from(first) / 64] & 1 << (first % 64) != 0;
        let bit = pair_bit(first, second);
        if !single && (second == 0 || self.pairs[bit / 64] & 1 << (bit % 64) == 0) {
            return Stemming::Skip;
        }
        let head = &lower[..floor_char_boundary(lower, CORE_BYTES)];
        let Some(word) = pack(head) else {
            return Stemming::Compute;
        };
        if head.len() == lower.len() {
            if let Ok(i) = self.known.binary_search_by_key(&word, |(known, _)| *known) {
                return Stemming::Known(&self.known[i].1);
            }
        }
        // No core starts with another, so only the greatest core not above the word can be a
        // prefix of it: any core between that prefix and the word would start with the prefix.
        let below = self.cores.partition_point(|(core, _)| *core <= word);
        let worth = below.checked_sub(1).is_some_and(|i| {
            let (core, len) = self.cores[i];
            usize::from(len) <= head.len() && word & prefix_mask(len) == core
        });
        if worth {
            Stemming::Compute
        } else {
            Stemming::Skip
        }
    }
}

/// The mask that keeps the first `len` bytes of a packed word.
fn prefix_mask(len: u8) -> u128 {
    match len {
        0 => 0,
        16.. => u128::MAX,
        len => !(u128::MAX >> (8 * u32::from(len))),
    }
}

/// The largest index at most `at` that falls on a character boundary of `text`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0)
}
