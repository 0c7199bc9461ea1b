//! Grading a free-text answer against a question's key points: a pure function from a question and an
//! answer to a score (0–100) and a checklist saying, for each key point, whether it was covered and
//! which words of the answer covered it. The README's *How answers are graded* section documents
//! the rules.

use std::borrow::Cow;
use std::cell::Cell;

use serde::{Deserialize, Serialize};

use super::bank::{KeyPoint, Question};
use super::text::{
    is_typo_with_masks, letter_mask, pack, prefix, Part, Stemming, Words, MIN_TYPO_LEN,
};

/// A key point is covered when at least this share of its words (rounded up) is in the answer.
const COVERED_SHARE: f64 = 0.5;
/// An uncovered key point still earns this share of the words it did find.
const PARTIAL_CREDIT: f64 = 0.5;

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    /// 0 to 100.
    pub score: u8,
    /// One entry per key point, in the question's order.
    pub checklist: Vec<KeyPointCheck>,
}

/// Whether one key point was covered, and by which words of the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyPointCheck {
    pub text: String,
    pub covered: bool,
    /// Words of the answer, as written, that matched this key point.
    pub matched: Vec<String>,
}

impl Grade {
    pub fn covered_count(&self) -> usize {
        self.checklist.iter().filter(|c| c.covered).count()
    }
}

/// What a key point's text (or one of its alternatives) must find in an answer, compiled once when the
/// bank loads so grading does no parsing of the bank's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms(Vec<Term>);

#[derive(Debug, Clone, PartialEq)]
enum Term {
    /// A single word, compared by stem, or by spelling within the typo allowance.
    Word {
        stem: String,
        lower: String,
        mask: u32,
    },
    /// An identifier such as `select_related`: matched by its joined parts, however the answer spaces
    /// or punctuates them (`select related`, `selectrelated`, `select_related()`).
    Compound { joined: String, parts: usize },
}

impl Terms {
    pub fn of(text: &str) -> Terms {
        let text = join_hyphenated(text);
        let words = Words::of(&text);
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
            let term = match of_token {
                [only] => match words.stem(only) {
                    Some(stem) => Term::Word {
                        stem: stem.to_string(),
                        lower: words.lower(only).to_string(),
                        mask: only.mask,
                    },
                    None => continue,
                },
                many if many.iter().all(|p| p.is_stop_word()) => continue,
                many => Term::Compound {
                    joined: many.iter().map(|p| words.lower(p)).collect(),
                    parts: many.len(),
                },
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
/// and the grader need not stem it. (Snowball's few irregular words, such as `dying` → `die`, are
/// the exception this accepts.) Words spelled exactly as in the key points reuse their known stem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StemGuide {
    /// Stems minus their last letter, sorted.
    cores: Vec<String>,
    /// Key-point words (packed, see [`pack`]) and their stems, sorted by word.
    known: Vec<(u128, String)>,
}

impl StemGuide {
    pub fn of(key_points: &[KeyPoint]) -> StemGuide {
        let all_terms = key_points
            .iter()
            .flat_map(|k| std::iter::once(&k.terms).chain(k.alternatives.iter().map(|a| &a.terms)));
        let mut guide = StemGuide::default();
        for term in all_terms.flat_map(|t| t.0.iter()) {
            if let Term::Word { stem, lower, .. } = term {
                let keep = stem.chars().count().saturating_sub(1).max(1);
                guide.cores.push(prefix(stem, keep).to_string());
                if let Some(packed) = pack(lower) {
                    guide.known.push((packed, stem.clone()));
                }
            }
        }
        guide.cores.sort_unstable();
        guide.cores.dedup();
        guide.known.sort_unstable();
        guide.known.dedup_by_key(|(word, _)| *word);
        guide
    }

    fn stemming(&self, lower: &str) -> Stemming<'_> {
        let Some(first) = lower.as_bytes().first() else {
            return Stemming::Skip;
        };
        if let Some(packed) = pack(lower) {
            if let Ok(i) = self.known.binary_search_by_key(&packed, |(word, _)| *word) {
                return Stemming::Known(&self.known[i].1);
            }
        }
        let worth = self
            .cores
            .iter()
            .skip_while(|core| core.as_bytes()[0] < *first)
            .take_while(|core| core.as_bytes()[0] == *first)
            .any(|core| lower.starts_with(core.as_str()));
        if worth {
            Stemming::Compute
        } else {
            Stemming::Skip
        }
    }
}

/// An answer prepared once for matching against every key point of a question.
struct Answer<'a> {
    words: &'a Words<'a>,
    /// Stemmed words of the answer and their part indices; few enough that a scan beats hashing.
    stems: Vec<(&'a str, usize)>,
    /// Indices of the answer's parts grouped by their first byte, in reading order within a group:
    /// a typo or an identifier can only match parts that start like it does.
    by_first_byte: Vec<u32>,
    group_starts: Box<[u32; 257]>,
    /// Scratch space for the parts a key point has used, kept across key points.
    used: Cell<Vec<usize>>,
}

impl<'a> Answer<'a> {
    fn new(words: &'a Words<'a>) -> Self {
        let parts = words.parts();
        let stems = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_word())
            .filter_map(|(i, p)| Some((words.stem(p)?, i)))
            .collect();
        let first_byte =
            |p: &Part| words.lower(p).as_bytes().first().copied().unwrap_or(0) as usize;
        let mut group_starts = Box::new([0u32; 257]);
        for part in parts {
            group_starts[first_byte(part) + 1] += 1;
        }
        for b in 1..257 {
            group_starts[b] += group_starts[b - 1];
        }
        let mut next = group_starts.clone();
        let mut by_first_byte = vec![0u32; parts.len()];
        for (i, part) in parts.iter().enumerate() {
            let slot = &mut next[first_byte(part)];
            by_first_byte[*slot as usize] = i as u32;
            *slot += 1;
        }
        Answer {
            words,
            stems,
            by_first_byte,
            group_starts,
            used: Cell::new(Vec::with_capacity(16)),
        }
    }

    /// The answer's parts whose lower-case text starts with `first`, in reading order.
    fn parts_starting_with(&self, first: u8) -> impl Iterator<Item = usize> + '_ {
        let from = self.group_starts[first as usize] as usize;
        let to = self.group_starts[first as usize + 1] as usize;
        self.by_first_byte[from..to].iter().map(|i| *i as usize)
    }

    /// Matches `terms` against the answer, identifiers first. Each word part of the answer counts for
    /// at most one term, so `prefetch_related` cannot also pass for the word "relation" in the same
    /// key point, while the three parts of `APITestCase` can each cover one word of "API test case".
    /// Returns how many terms were found and the tokens that matched them.
    fn match_terms(&self, terms: &Terms) -> (usize, Vec<usize>) {
        let mut used = self.used.take();
        used.clear();
        let mut found = 0;
        for term in &terms.0 {
            if let Term::Compound { joined, parts } = term {
                if let Some(window) = self.find_run(joined, *parts, true, &used) {
                    found += 1;
                    used.extend(window);
                }
            }
        }
        for term in &terms.0 {
            if let Term::Word { stem, lower, mask } = term {
                if let Some(matched) = self.find_word(stem, lower, *mask, &used) {
                    found += 1;
                    used.extend(matched);
                }
            }
        }
        let parts = self.words.parts();
        let mut tokens: Vec<usize> = used.iter().map(|i| parts[*i].token).collect();
        tokens.sort_unstable();
        tokens.dedup();
        self.used.replace(used);
        (found, tokens)
    }

    /// The part(s) of the answer that match one word: by stem, by a small typo, or spelled across
    /// parts (`PgBouncer` or `pg bouncer` for "pgbouncer").
    fn find_word(&self, stem: &str, lower: &str, mask: u32, used: &[usize]) -> Option<Vec<usize>> {
        let free = |part: &usize| !used.contains(part);
        if let Some((_, part)) = self.stems.iter().find(|(s, p)| *s == stem && free(p)) {
            return Some(vec![*part]);
        }
        let parts = self.words.parts();
        let first = *lower.as_bytes().first()?;
        if lower.len() >= MIN_TYPO_LEN {
            let typo = self
                .parts_starting_with(first)
                .filter(|i| free(i) && parts[*i].is_word())
                .find(|i| {
                    is_typo_with_masks(self.words.lower(&parts[*i]), parts[*i].mask, lower, mask)
                });
            if let Some(part) = typo {
                return Some(vec![part]);
            }
        }
        self.find_run(lower, MAX_PARTS_IN_A_WORD, false, used)
    }

    /// The parts of the first run of answer parts (at most `parts + 1` of them) that spell `joined`;
    /// with `typos`, a run of exactly `parts` parts may also be a small typo of it.
    fn find_run(
        &self,
        joined: &str,
        parts: usize,
        typos: bool,
        used: &[usize],
    ) -> Option<Vec<usize>> {
        let all = self.words.parts();
        let first = *joined.as_bytes().first()?;
        for start in self.parts_starting_with(first) {
            if let Some(end) = self.spelled_from(start, joined, parts + 1, used) {
                return Some((start..end).collect());
            }
            if typos && start + parts <= all.len() && joined.len() >= 8 {
                let run = start..start + parts;
                if run.clone().any(|i| used.contains(&i)) {
                    continue;
                }
                let window: String = all[run.clone()]
                    .iter()
                    .map(|p| self.words.lower(p))
                    .collect();
                if is_typo_with_masks(&window, letter_mask(&window), joined, letter_mask(joined)) {
                    return Some(run.collect());
                }
            }
        }
        None
    }

    /// Where a run of free parts starting at `start` that spells `joined` exactly ends, if it does.
    fn spelled_from(
        &self,
        start: usize,
        joined: &str,
        max_parts: usize,
        used: &[usize],
    ) -> Option<usize> {
        let mut rest = joined;
        for (i, part) in self
            .words
            .parts()
            .iter()
            .enumerate()
            .skip(start)
            .take(max_parts)
        {
            let lower = self.words.lower(part);
            if used.contains(&i) || !rest.starts_with(lower) || lower.is_empty() {
                return None;
            }
            rest = &rest[lower.len()..];
            if rest.is_empty() {
                return Some(i + 1);
            }
        }
        None
    }
}

/// How many answer parts a single word of a key point may be spelled across (`PgBouncer`).
const MAX_PARTS_IN_A_WORD: usize = 3;

/// Grades `answer` against the key points of `question`.
pub fn grade(question: &Question, answer: &str) -> Grade {
    let words = Words::stemming_only(answer, |w| question.stem_guide.stemming(w));
    let answer = Answer::new(&words);
    let mut earned = 0.0;
    let mut possible = 0.0;
    let checklist = question
        .key_points
        .iter()
        .map(|key_point| {
            let (check, credit) = check_key_point(key_point, &answer);
            earned += key_point.weight * credit;
            possible += key_point.weight;
            check
        })
        .collect();
    let score = if possible > 0.0 {
        (100.0 * earned / possible).round().clamp(0.0, 100.0) as u8
    } else {
        0
    };
    Grade { score, checklist }
}

/// How many of a key point's `n` words cover it: half, rounded up, and never a single shared word
/// when the key point has more than one.
fn words_needed(n: usize) -> usize {
    ((n as f64 * COVERED_SHARE).ceil() as usize).max(n.min(2))
}

fn check_key_point(key_point: &KeyPoint, answer: &Answer<'_>) -> (KeyPointCheck, f64) {
    let (found, mut tokens) = answer.match_terms(&key_point.terms);
    let needed = words_needed(key_point.terms.len());
    let alternative = key_point.alternatives.iter().find_map(|alt| {
        let (hits, tokens) = answer.match_terms(&alt.terms);
        (hits == alt.terms.len()).then_some(tokens)
    });
    let covered = found >= needed || alternative.is_some();
    let credit = if covered {
        1.0
    } else {
        PARTIAL_CREDIT * found as f64 / key_point.terms.len().max(1) as f64
    };
    tokens.extend(alternative.unwrap_or_default());
    tokens.sort_unstable();
    tokens.dedup();
    let mut matched: Vec<String> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let word = answer.words.token(token);
        if !matched.iter().any(|m| m == word) {
            matched.push(word.to_string());
        }
    }
    (
        KeyPointCheck {
            text: key_point.text.clone(),
            covered,
            matched,
        },
        credit,
    )
}

#[cfg(test)]
mod tests;
