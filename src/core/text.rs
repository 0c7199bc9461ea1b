//! Turning free text into the words the grader compares: Unicode NFKC, lower case, punctuation dropped,
//! `snake_case` and `CamelCase` split into parts, English stop-words skipped and the rest stemmed.
//! Both sides of a comparison (key points when a bank loads, answers when they are graded) go through
//! the same functions here, so they always agree on what a word is.

mod reading;
mod related;
mod stop_words;

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

pub use reading::Reading;
pub use related::related_stems;
use stop_words::{LONGEST_STOP_WORD, STOP_WORDS};

/// One word part of a text, in reading order. Its strings live in the [`Words`] it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    lower: (u32, u32),
    /// `None` for a stop-word or a word that was not worth stemming.
    stem: Option<(u32, u32)>,
    /// A stop-word; only looked up for words that are stemmed or long enough for typo matching.
    stop: bool,
    /// [`letter_mask`] of the lower-case word.
    pub mask: u32,
    /// Index of the source token the part came from.
    pub token: usize,
    /// Part of a `snake_case` identifier: a code name, not prose, so `select_related` says nothing
    /// about "relations" (a `CamelCase` part such as the `Key` of `ForeignKey` still reads as a word).
    pub in_snake_case: bool,
}

impl Part {
    pub fn is_stop_word(&self) -> bool {
        self.stop
    }

    /// Whether the part can stand for a word on its own, not only as a piece of an identifier.
    pub fn is_word(&self) -> bool {
        !self.stop && !self.in_snake_case
    }
}

/// A text split into tokens (what the writer typed between spaces and punctuation) and word parts
/// (`select_related` is one token of two parts). All strings share a few buffers, because an answer
/// is split on every grade and a small allocation per word would dominate the grader's time.
#[derive(Debug, Clone, Default)]
pub struct Words<'t> {
    source: Cow<'t, str>,
    tokens: Vec<(u32, u32)>,
    buffer: String,
    parts: Vec<Part>,
    /// Each word stemmed so far (lower-case range, stem range): a word repeated in an answer is
    /// stemmed once.
    stemmed: Vec<((u32, u32), (u32, u32))>,
}

impl<'t> Words<'t> {
    /// Splits `text` and stems every word that is not a stop-word.
    pub fn of(text: &'t str) -> Words<'t> {
        Words::stemming_only(text, |_| Stemming::Compute)
    }

    /// Splits `text`, asking `stemming` (given each lower-case word) whether to stem it, or what its
    /// stem already is; words it skips keep no stem.
    pub fn stemming_only<'k>(text: &'t str, stemming: impl Fn(&str) -> Stemming<'k>) -> Words<'t> {
        let source = nfkc(text);
        let mut words = Words {
            buffer: String::with_capacity(source.len() * 2),
            tokens: Vec::with_capacity(source.len() / 5 + 1),
            parts: Vec::with_capacity(source.len() / 5 + 1),
            source: Cow::Borrowed(""),
            stemmed: Vec::new(),
        };
        for (start, raw) in token_runs(&source) {
            // Tokens are runs of letters, digits and `_`; a run of underscores alone is not a word.
            if raw.bytes().all(|b| b == b'_') {
                continue;
            }
            let token = words.tokens.len();
            words
                .tokens
                .push((start as u32, (start + raw.len()) as u32));
            let first_part = words.parts.len();
            for_each_identifier_part(raw, |piece| words.push_part(piece, token, &stemming));
            if raw.contains('_') && words.parts.len() - first_part > 1 {
                for part in &mut words.parts[first_part..] {
                    part.in_snake_case = true;
                }
            }
        }
        words.source = source;
        words
    }

    fn push_part<'k>(
        &mut self,
        piece: &str,
        token: usize,
        stemming: &impl Fn(&str) -> Stemming<'k>,
    ) {
        let start = self.buffer.len();
        if piece.is_ascii() {
            self.buffer.push_str(piece);
            self.buffer[start..].make_ascii_lowercase();
        } else {
            self.buffer
                .extend(piece.chars().flat_map(char::to_lowercase));
        }
        let lower = (start as u32, self.buffer.len() as u32);
        let lower_text = &self.buffer[start..];
        let mask = letter_mask(lower_text);
        let stemming = stemming(lower_text);
        // Only stemmed words and words long enough for typo matching need to know; for the rest
        // (short words not worth stemming) the look-up would change nothing.
        let stop = match stemming {
            Stemming::Known(_) => false,
            Stemming::Compute => is_stop_word(lower_text),
            Stemming::Skip => lower_text.len() >= MIN_TYPO_LEN && is_stop_word(lower_text),
        };
        let known_stem = |buffer: &mut String, stem: &str| {
            let at = buffer.len();
            buffer.push_str(stem);
            (at as u32, buffer.len() as u32)
        };
        let stem = match stemming {
            _ if stop => None,
            Stemming::Skip => None,
            Stemming::Known(stem) => Some(known_stem(&mut self.buffer, stem)),
            Stemming::Compute => {
                let seen = self
                    .stemmed
                    .iter()
                    .find(|(l, _)| &self.buffer[l.0 as usize..l.1 as usize] == lower_text);
                match seen {
                    Some(&(_, stem)) => Some(stem),
                    None => {
                        let stemmed = stemmer().stem(lower_text).into_owned();
                        let stem = known_stem(&mut self.buffer, &stemmed);
                        self.stemmed.push((lower, stem));
                        Some(stem)
                    }
                }
            }
        };
        self.parts.push(Part {
            lower,
            stem,
            stop,
            mask,
            token,
            in_snake_case: false,
        });
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// A token as written, after NFKC: `select_related`, `ForeignKey`, `caching`.
    pub fn token(&self, index: usize) -> &str {
        let (start, end) = self.tokens[index];
        &self.source[start as usize..end as usize]
    }

    /// What stands between a token and the one before it (or the text's start): spaces and
    /// punctuation, after NFKC.
    pub fn gap_before(&self, index: usize) -> &str {
        let end = index
            .checked_sub(1)
            .map_or(0, |previous| self.tokens[previous].1 as usize);
        &self.source[end..self.tokens[index].0 as usize]
    }

    pub fn lower(&self, part: &Part) -> &str {
        &self.buffer[part.lower.0 as usize..part.lower.1 as usize]
    }

    pub fn stem(&self, part: &Part) -> Option<&str> {
        part.stem
            .map(|(start, end)| &self.buffer[start as usize..end as usize])
    }
}

/// The ASCII bytes a token is made of: letters, digits and `_`.
const TOKEN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// The runs of letters, digits and `_` in `text`, with their byte offsets; bytes on the usual
/// all-ASCII path, characters otherwise.
fn token_runs(text: &str) -> Vec<(usize, &str)> {
    if text.is_ascii() {
        let bytes = text.bytes().enumerate();
        runs_of(text, bytes.map(|(at, b)| (at, TOKEN_BYTES[usize::from(b)])))
    } else {
        let chars = text.char_indices();
        runs_of(
            text,
            chars.map(|(at, c)| (at, c.is_alphanumeric() || c == '_')),
        )
    }
}

/// The runs of `text` whose positions (byte offsets, in order) are marked as in a token.
fn runs_of(text: &str, marks: impl Iterator<Item = (usize, bool)>) -> Vec<(usize, &str)> {
    let mut runs = Vec::with_capacity(text.len() / 5 + 1);
    let mut start = None;
    for (at, in_token) in marks {
        match (in_token, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                runs.push((from, &text[from..at]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        runs.push((from, &text[from..]));
    }
    runs
}

/// What [`Words::stemming_only`] does with one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stemming<'k> {
    /// Keep no stem: the word cannot matter.
    Skip,
    /// The stem is already known.
    Known(&'k str),
    /// Run the stemmer.
    Compute,
}

/// The first `n` characters of a word, or the whole word if it is shorter.
pub fn prefix(word: &str, n: usize) -> &str {
    word.char_indices()
        .nth(n)
        .map_or(word, |(at, _)| &word[..at])
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
    for_each_identifier_part(token, |piece| pieces.push(piece));
    pieces
}

/// [`split_identifier`] without collecting, for the grader's hot path.
pub fn for_each_identifier_part<'t>(token: &'t str, mut f: impl FnMut(&'t str)) {
    for chunk in token.split('_').filter(|c| !c.is_empty()) {
        if chunk.is_ascii() {
            split_ascii_chunk(chunk, &mut f);
            continue;
        }
        let chars: Vec<(usize, char)> = chunk.char_indices().collect();
        let letters: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
        let mut start = 0;
        for at in 1..chars.len() {
            if is_part_boundary(&letters, at) {
                f(&chunk[start..chars[at].0]);
                start = chars[at].0;
            }
        }
        f(&chunk[start..]);
    }
}

/// Whether a new word part starts at `at`: `fooBar` → `foo`|`Bar`, `APIView` → `API`|`View`; but
/// not in a plural acronym (`APIs`, `URLs`) nor after one leading lower-case letter (`gRPC`, `iOS`).
fn is_part_boundary<L: Letter>(chars: &[L], at: usize) -> bool {
    let (prev, c) = (chars[at - 1], chars[at]);
    if !c.upper() {
        return false;
    }
    if prev.lower() {
        return at > 1;
    }
    if !prev.upper() {
        return false;
    }
    // An upper-case run followed by lower case: the last capital starts the next word, unless
    // what follows is only a plural `s`.
    let lower_run = chars[at + 1..].iter().take_while(|n| n.lower()).count();
    lower_run > 0 && !(lower_run == 1 && chars[at + 1].is_s())
}

/// The same rule as [`for_each_identifier_part`] on bytes, for the usual all-ASCII word.
fn split_ascii_chunk<'t>(chunk: &'t str, f: &mut impl FnMut(&'t str)) {
    let bytes = chunk.as_bytes();
    let mut start = 0;
    for at in 1..bytes.len() {
        if is_part_boundary(bytes, at) {
            f(&chunk[start..at]);
            start = at;
        }
    }
    f(&chunk[start..]);
}

/// Letter case questions, asked of bytes on the all-ASCII path and of chars otherwise.
trait Letter: Copy {
    fn upper(self) -> bool;
    fn lower(self) -> bool;
    fn is_s(self) -> bool;
}

impl Letter for u8 {
    fn upper(self) -> bool {
        self.is_ascii_uppercase()
    }
    fn lower(self) -> bool {
        self.is_ascii_lowercase()
    }
    fn is_s(self) -> bool {
        self == b's'
    }
}

impl Letter for char {
    fn upper(self) -> bool {
        self.is_uppercase()
    }
    fn lower(self) -> bool {
        self.is_lowercase()
    }
    fn is_s(self) -> bool {
        self == 's'
    }
}

/// The set of letters `a`–`z` in a word, as bits. Each edit changes at most two of them, so two
/// words whose sets differ by more than twice the edit allowance cannot be a typo of each other.
pub fn letter_mask(word: &str) -> u32 {
    word.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0, |mask, b| mask | 1 << (b - b'a'))
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

pub fn is_stop_word(lower: &str) -> bool {
    if lower.len() > LONGEST_STOP_WORD {
        return false;
    }
    static PACKED: OnceLock<Vec<u128>> = OnceLock::new();
    let packed = PACKED.get_or_init(|| {
        let mut packed: Vec<u128> = STOP_WORDS.iter().filter_map(|w| pack(w)).collect();
        packed.sort_unstable();
        packed
    });
    pack(lower).is_some_and(|word| packed.binary_search(&word).is_ok())
}

/// A word of at most 16 bytes as one integer, so that sets of short words compare in one step
/// instead of a `memcmp` call per comparison (the grader looks up every word of every answer).
pub fn pack(word: &str) -> Option<u128> {
    if word.len() > 16 {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes[..word.len()].copy_from_slice(word.as_bytes());
    Some(u128::from_be_bytes(bytes))
}

/// How many edits a word of this length may be off by and still count as the same word.
/// Short words must match exactly, so `chair` never passes for `air`.
pub fn typo_allowance(len: usize) -> usize {
    match len {
        0..MIN_TYPO_LEN => 0,
        5..=7 => 1,
        _ => 2,
    }
}

pub const MIN_TYPO_LEN: usize = 5;
const MAX_TYPO_EDITS: usize = 2;

/// Whether `typed` is a small typo of `expected` (both lower case): same first letter, within the
/// edit allowance of the shorter word's length.
pub fn is_typo_of(typed: &str, expected: &str) -> bool {
    is_typo_with_masks(typed, letter_mask(typed), expected, letter_mask(expected))
}

/// [`is_typo_of`] with the words' [`letter_mask`]s already known.
pub fn is_typo_with_masks(
    typed: &str,
    typed_mask: u32,
    expected: &str,
    expected_mask: u32,
) -> bool {
    // Cheap rejections first: the grader asks this of many word pairs.
    let letters_apart = (typed_mask ^ expected_mask).count_ones() as usize;
    if typed.as_bytes().first() != expected.as_bytes().first()
        || typed.len().abs_diff(expected.len()) > MAX_TYPO_EDITS * 4
        || expected.len() < MIN_TYPO_LEN
        || letters_apart > 2 * MAX_TYPO_EDITS
    {
        return false;
    }
    let (a, b) = (typed.chars().count(), expected.chars().count());
    let allowance = typo_allowance(a.min(b));
    if allowance == 0 || a.abs_diff(b) > allowance || letters_apart > 2 * allowance {
        return false;
    }
    strsim::osa_distance(typed, expected) <= allowance
}

#[cfg(test)]
mod tests;
