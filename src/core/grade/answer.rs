//! An answer prepared once for grading against every key point of a question: its words, stems and
//! reading (sentences, bags of words, negations), and the matching of a key point's terms to its
//! words.

use std::cell::Cell;
use std::ops::Range;

use super::terms::{Shape, Term, Terms};
use crate::core::text::{is_typo_with_masks, letter_mask, Part, Reading, Words};

/// How many letters an unstemmed answer word may have after a related stem and still be read as
/// that stem (`-ing`, `-ed`, `-es`, `-ly` …).
const MAX_SUFFIX: usize = 4;

/// How many answer parts a single word of a key point may be spelled across (`PgBouncer`).
const MAX_PARTS_IN_A_WORD: usize = 3;

pub(super) struct Answer<'a> {
    pub(super) words: &'a Words<'a>,
    pub(super) reading: Reading,
    /// Stemmed words of the answer and their part indices; few enough that a scan beats hashing.
    stems: Vec<(&'a str, usize)>,
    /// Indices of the answer's parts grouped by their first byte, in reading order within a group:
    /// a typo or an identifier can only match parts that start like it does.
    by_first_byte: Vec<u32>,
    group_starts: [u32; 257],
    /// Scratch space for the parts a key point has used, kept across key points.
    used: Cell<Vec<usize>>,
}

/// Where a key point's terms were found in an answer.
pub(super) struct Matched {
    /// Per term, in the key point's order: where it was found.
    pub(super) hits: Vec<Option<Hit>>,
}

/// One term found in an answer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    /// The answer's sentence.
    pub(super) sentence: usize,
    /// The answer's (first) token.
    pub(super) token: usize,
    /// One past the answer's last token (an identifier may be spelled across tokens).
    pub(super) end_token: usize,
    /// Found through a related word, not the term's own.
    pub(super) related: bool,
}

impl Matched {
    /// The answer's tokens that matched, sorted.
    pub(super) fn tokens(&self) -> Vec<usize> {
        let mut tokens: Vec<usize> = (self.hits.iter().flatten())
            .flat_map(|hit| hit.token..hit.end_token)
            .collect();
        tokens.sort_unstable();
        tokens.dedup();
        tokens
    }

    pub(super) fn found(&self) -> usize {
        self.hits.iter().flatten().count()
    }

    /// The sentence holding most of the found terms (the earliest of equals).
    pub(super) fn anchor(&self) -> Option<usize> {
        let sentences = || self.hits.iter().flatten().map(|h| h.sentence);
        let mut best: Option<(usize, usize)> = None;
        for s in sentences() {
            let count = sentences().filter(|o| *o == s).count();
            if best.is_none_or(|(b, c)| count > c || count == c && s < b) {
                best = Some((s, count));
            }
        }
        best.map(|(s, _)| s)
    }

    /// Whether every found term lies in one sentence.
    pub(super) fn in_one_sentence(&self) -> bool {
        let mut found = self.hits.iter().flatten();
        found
            .next()
            .is_none_or(|first| found.all(|other| other.sentence == first.sentence))
    }
}

impl<'a> Answer<'a> {
    pub(super) fn new(words: &'a Words<'a>) -> Self {
        let parts = words.parts();
        let stems = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_word())
            .filter_map(|(i, p)| Some((words.stem(p)?, i)))
            .collect();
        let first_byte =
            |p: &Part| words.lower(p).as_bytes().first().copied().unwrap_or(0) as usize;
        let mut group_starts = [0u32; 257];
        for part in parts {
            group_starts[first_byte(part) + 1] += 1;
        }
        for b in 1..257 {
            group_starts[b] += group_starts[b - 1];
        }
        let mut next = group_starts;
        let mut by_first_byte = vec![0u32; parts.len()];
        for (i, part) in parts.iter().enumerate() {
            let slot = &mut next[first_byte(part)];
            by_first_byte[*slot as usize] = i as u32;
            *slot += 1;
        }
        Answer {
            words,
            reading: Reading::of(words),
            stems,
            by_first_byte,
            group_starts,
            used: Cell::new(Vec::with_capacity(16)),
        }
    }

    fn negated(&self, part: usize) -> bool {
        self.reading.negated(self.words.parts()[part].token)
    }

    pub(super) fn sentence_of(&self, part: usize) -> usize {
        self.reading.sentence(self.words.parts()[part].token)
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
    /// A term is only found where the answer affirms what the key point affirms (or denies what it
    /// denies); with an `anchor`, in that sentence if it can be.
    /// Given the `first` match of the same terms, only the terms found there are looked for again
    /// (an anchor only narrows where a term may be).
    pub(super) fn match_terms(
        &self,
        terms: &Terms,
        anchor: Option<usize>,
        first: Option<&Matched>,
    ) -> Matched {
        let mut used = self.used.take();
        used.clear();
        let mut hits = vec![None; terms.0.len()];
        let compounds_first = terms
            .0
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.shape, Shape::Compound { .. }))
            .chain(
                terms
                    .0
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| matches!(t.shape, Shape::Word { .. })),
            );
        for (index, term) in compounds_first {
            if first.is_some_and(|f| f.hits[index].is_none()) {
                continue;
            }
            let agrees = |part: usize| self.negated(part) == term.negated;
            let found = anchor
                .and_then(|s| {
                    self.find_term(term, &used, |p| agrees(p) && self.sentence_of(p) == s)
                })
                .or_else(|| self.find_term(term, &used, agrees));
            if let Some((parts, related)) = found {
                let all = self.words.parts();
                hits[index] = Some(Hit {
                    sentence: self.sentence_of(parts.start),
                    token: all[parts.start].token,
                    end_token: all[parts.end - 1].token + 1,
                    related,
                });
                used.extend(parts);
            }
        }
        self.used.replace(used);
        Matched { hits }
    }

    /// The terms of `terms` not in `matched` that the answer says the opposite of (it negates them,
    /// or affirms a term the key point denies): their total weight and the answer's tokens.
    pub(super) fn denied(&self, terms: &Terms, matched: &Matched) -> (f64, Vec<usize>) {
        let missing = (terms.0.iter().zip(&matched.hits)).filter(|(_, hit)| hit.is_none());
        let (mut weight, mut denied) = (0.0, Vec::new());
        for (term, _) in missing {
            let disagrees = |part: usize| self.negated(part) != term.negated;
            if let Some((parts, _)) = self.find_term(term, &denied, disagrees) {
                weight += term.weight;
                denied.extend(parts);
            }
        }
        (weight, self.tokens_of(&denied))
    }

    fn tokens_of(&self, parts: &[usize]) -> Vec<usize> {
        let all = self.words.parts();
        let mut tokens: Vec<usize> = parts.iter().map(|i| all[*i].token).collect();
        tokens.sort_unstable();
        tokens.dedup();
        tokens
    }

    /// The parts that match `term`, and whether they are a related word rather than its own.
    fn find_term(
        &self,
        term: &Term,
        used: &[usize],
        allowed: impl Fn(usize) -> bool + Copy,
    ) -> Option<(Range<usize>, bool)> {
        match &term.shape {
            Shape::Compound { joined, parts } => self
                .find_run(joined, *parts, true, used, allowed)
                .map(|p| (p, false)),
            Shape::Word {
                stem,
                lower,
                mask,
                related,
            } => {
                let own = self.find_word(stem, lower, *mask, used, allowed);
                own.map(|p| (p, false)).or_else(|| {
                    let free = |part: usize| !used.contains(&part) && allowed(part);
                    (related.iter())
                        .find_map(|r| self.find_related(r, free))
                        .map(|p| (p..p + 1, true))
                })
            }
        }
    }

    /// The first free word part of the answer with the related stem `related`: by its stem when it
    /// was stemmed, else when it starts with the stem and is at most [`MAX_SUFFIX`] letters longer
    /// (`mistakes` for `mistak`). Answer words are only stemmed when they may share a stem with the
    /// key points' own words, so most candidates for a related stem are read this way.
    fn find_related(&self, related: &str, free: impl Fn(usize) -> bool) -> Option<usize> {
        let parts = self.words.parts();
        let first = *related.as_bytes().first()?;
        self.parts_starting_with(first).find(|i| {
            let part = &parts[*i];
            part.is_word()
                && free(*i)
                && match self.words.stem(part) {
                    Some(stem) => stem == related,
                    None => {
                        let lower = self.words.lower(part);
                        lower.starts_with(related) && lower.len() <= related.len() + MAX_SUFFIX
                    }
                }
        })
    }

    /// The part(s) of the answer that match one word: by stem, by a small typo, or spelled across
    /// parts (`PgBouncer` or `pg bouncer` for "pgbouncer").
    fn find_word(
        &self,
        stem: &str,
        lower: &str,
        mask: u32,
        used: &[usize],
        allowed: impl Fn(usize) -> bool + Copy,
    ) -> Option<Range<usize>> {
        let free = |part: usize| !used.contains(&part) && allowed(part);
        if let Some((_, part)) = self.stems.iter().find(|(s, p)| *s == stem && free(*p)) {
            return Some(*part..*part + 1);
        }
        let parts = self.words.parts();
        let first = *lower.as_bytes().first()?;
        if lower.len() >= crate::core::text::MIN_TYPO_LEN {
            let typo = self
                .parts_starting_with(first)
                .filter(|i| free(*i) && parts[*i].is_word())
                .find(|i| {
                    is_typo_with_masks(self.words.lower(&parts[*i]), parts[*i].mask, lower, mask)
                });
            if let Some(part) = typo {
                return Some(part..part + 1);
            }
        }
        // A word is not spelled by the pieces of a code name: `CONN_MAX_AGE` says nothing of "max".
        let not_code = |part: usize| allowed(part) && !parts[part].in_snake_case;
        self.find_run(lower, MAX_PARTS_IN_A_WORD, false, used, not_code)
    }

    /// The parts of the first run of answer parts (at most `parts + 1` of them) that spell `joined`;
    /// with `typos`, a run of exactly `parts` parts may also be a small typo of it.
    fn find_run(
        &self,
        joined: &str,
        parts: usize,
        typos: bool,
        used: &[usize],
        allowed: impl Fn(usize) -> bool + Copy,
    ) -> Option<Range<usize>> {
        let all = self.words.parts();
        let first = *joined.as_bytes().first()?;
        for start in self.parts_starting_with(first).filter(|p| allowed(*p)) {
            if let Some(end) = self.spelled_from(start, joined, parts + 1, used) {
                if (start..end).all(allowed) {
                    return Some(start..end);
                }
                continue;
            }
            if typos && start + parts <= all.len() && joined.len() >= 8 {
                let run = start..start + parts;
                if run.clone().any(|i| used.contains(&i) || !allowed(i)) {
                    continue;
                }
                // Cheap rejections before spelling the window out: its length and its letters.
                let length: usize = all[run.clone()]
                    .iter()
                    .map(|p| self.words.lower(p).len())
                    .sum();
                let letters = all[run.clone()].iter().fold(0, |m, p| m | p.mask);
                if length.abs_diff(joined.len()) > 2
                    || (letters ^ letter_mask(joined)).count_ones() > 4
                {
                    continue;
                }
                let window: String = all[run.clone()]
                    .iter()
                    .map(|p| self.words.lower(p))
                    .collect();
                if is_typo_with_masks(&window, letter_mask(&window), joined, letter_mask(joined)) {
                    return Some(run);
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
