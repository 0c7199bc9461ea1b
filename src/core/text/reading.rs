//! Reading a text the way a person does before matching its words: where its sentences end, which
//! sentences are a bag of words rather than prose, and which words a negation (`not`, `never`, `no`,
//! `n't`, `without`, `instead of` …) denies. Both key points and answers are read this way, so a
//! key point that itself says "without" is matched by an answer that also denies.

use std::sync::OnceLock;

use super::Words;

/// A negation reaches at most this many tokens after it, and never past the end of its clause.
const NEGATION_REACH: usize = 6;
/// A sentence of at least this many tokens (a whole text: [`LOOSE_MIN_TEXT_TOKENS`]) is a bag of
/// words when fewer than [`PROSE_FUNCTION_SHARE`] of them are function words such as `a`, `in`,
/// `is`, `and`, `not` and nothing but spaces, hyphens and commas separates them: prose has many
/// function words, terse notes have some or use colons, brackets, arrows and symbols, a list of
/// key words has neither.
const LOOSE_MIN_TOKENS: usize = 6;
const LOOSE_MIN_TEXT_TOKENS: usize = 8;
const PROSE_FUNCTION_SHARE: f64 = 0.1;

/// Where a text's sentences are, which of them read as prose, and which tokens are negated.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Per token: the sentence it is in.
    sentence: Vec<u32>,
    /// Per token: whether a negation earlier in its clause reaches it.
    negated: Vec<bool>,
    /// Per sentence: whether it is a bag of words with no sentence around them.
    loose: Vec<bool>,
    any_negated: bool,
}

impl Reading {
    pub fn of(words: &Words<'_>) -> Reading {
        let count = words.token_count();
        let mut reading = Reading {
            sentence: Vec::with_capacity(count),
            negated: Vec::with_capacity(count),
            loose: Vec::new(),
            any_negated: false,
        };
        let mut sentence: u32 = 0;
        let (mut in_sentence, mut function_in_sentence) = (0usize, 0usize);
        let mut function_words = 0usize;
        // Whether the sentence (and the whole text) is separated by nothing but spaces, hyphens,
        // commas and line breaks: notes use colons, brackets, arrows and symbols, a bag of words
        // does not.
        let (mut plain_sentence, mut plain_text) = (true, true);
        let mut reach = 0usize;
        // Tokens after the first that belong to the negation itself (the `of` of `instead of`).
        let mut cue_rest = 0usize;
        let kinds: Vec<Kind> = (0..count).map(|t| Kind::of(words.token(t))).collect();
        for token in 0..count {
            let gap = words.gap_before(token);
            if token > 0 && ends_sentence(gap) {
                reading
                    .loose
                    .push(plain_sentence && is_bag(in_sentence, function_in_sentence));
                sentence = sentence.saturating_add(1);
                (in_sentence, function_in_sentence, reach) = (0, 0, 0);
                plain_sentence = true;
                // Full stops between key words do not make sentences of them.
                plain_text &= is_plain(&gap.replace(['.', '!', '?', ';', ':'], ""));
            } else {
                if token > 0 && !is_plain(gap) {
                    (plain_sentence, plain_text) = (false, false);
                }
                if kinds[token] == Kind::Contrast || ends_clause(gap) {
                    reach = 0;
                }
            }
            let cue = if cue_rest > 0 {
                0
            } else {
                negation_cue(words, &kinds, token)
            };
            let negated = reach > 0 && cue == 0 && cue_rest == 0;
            cue_rest = cue.saturating_sub(1).max(cue_rest.saturating_sub(1));
            reading.any_negated |= negated;
            reading.sentence.push(sentence);
            reading.negated.push(negated);
            reach = if cue > 0 {
                NEGATION_REACH + cue - 1
            } else {
                reach.saturating_sub(1)
            };
            in_sentence += 1;
            // The `to` of `many-to-many` is part of a name, not of a sentence.
            if (kinds[token].is_function() || cue > 0) && gap != "-" {
                function_in_sentence += 1;
                function_words += 1;
            }
        }
        reading
            .loose
            .push(plain_sentence && is_bag(in_sentence, function_in_sentence));
        if plain_text && count >= LOOSE_MIN_TEXT_TOKENS && is_bag(count, function_words) {
            reading.loose.iter_mut().for_each(|loose| *loose = true);
        }
        reading
    }

    pub fn sentence(&self, token: usize) -> usize {
        self.sentence.get(token).map_or(0, |s| *s as usize)
    }

    pub fn negated(&self, token: usize) -> bool {
        self.negated.get(token).copied().unwrap_or(false)
    }

    /// Whether a sentence is a bag of words: long enough to be a sentence, with hardly a function word.
    pub fn is_loose(&self, sentence: usize) -> bool {
        self.loose.get(sentence).copied().unwrap_or(false)
    }

    pub fn has_negation(&self) -> bool {
        self.any_negated
    }
}

/// Spaces, hyphens, commas and line breaks only.
fn is_plain(gap: &str) -> bool {
    gap.bytes()
        .all(|b| matches!(b, b' ' | b'-' | b',' | b'\n' | b'\r' | b'\t'))
}

fn is_bag(tokens: usize, function_words: usize) -> bool {
    tokens >= LOOSE_MIN_TOKENS && (function_words as f64) < PROSE_FUNCTION_SHARE * tokens as f64
}

/// `.` or `:` followed by a space (not `django.db`), `!`, `?`, `;` or a line break.
fn ends_sentence(gap: &str) -> bool {
    if gap == " " {
        return false;
    }
    let mut chars = gap.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '!' | '?' | ';' | '\n' => return true,
            '.' | ':' if chars.peek().is_some_and(|n| n.is_whitespace()) => return true,
            _ => {}
        }
    }
    false
}

fn ends_clause(gap: &str) -> bool {
    gap != " " && gap.contains([',', '—', '–', '(', ')'])
}

/// What a token is to the reading of its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A word that carries meaning.
    Other,
    /// A function word such as `a`, `in`, `is`, `and`.
    Function,
    /// A word that turns the sentence (`but`, `whereas`, `although` …) and ends a negation's reach.
    Contrast,
    /// A word that denies what follows it (`no`, `never`, `without`, `cannot` …; not `none`, which
    /// in an answer about code is more often Python's `None`).
    Negation,
    Not,
    /// `only` and `just`, which make `not only` no denial.
    OnlyOrJust,
    Instead,
    Of,
    Rather,
    Than,
    /// The `t` of `doesn't`.
    T,
}

impl Kind {
    fn of(token: &str) -> Kind {
        if token.len() > 8 {
            return Kind::Other;
        }
        let mut lower = [0u8; 8];
        for (slot, b) in lower.iter_mut().zip(token.bytes()) {
            *slot = b.to_ascii_lowercase();
        }
        let key = u64::from_be_bytes(lower);
        let table = kinds_table();
        match table.binary_search_by_key(&key, |(word, _)| *word) {
            Ok(i) => table[i].1,
            Err(_) => Kind::Other,
        }
    }

    /// Function words, negations and contrasts: what a sentence has and a list of key words lacks.
    fn is_function(self) -> bool {
        self != Kind::Other
    }
}

/// The words [`Kind::of`] knows, as 8-byte keys (lower case, zero-padded), sorted.
fn kinds_table() -> &'static [(u64, Kind)] {
    static TABLE: OnceLock<Vec<(u64, Kind)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let groups: [(&[&str], Kind); 10] = [
            (&["not"], Kind::Not),
            (&["only", "just"], Kind::OnlyOrJust),
            (&["instead"], Kind::Instead),
            (&["of"], Kind::Of),
            (&["rather"], Kind::Rather),
            (&["than"], Kind::Than),
            (&["t"], Kind::T),
            (
                &[
                    "but", "however", "whereas", "while", "although", "though", "unlike",
                ],
                Kind::Contrast,
            ),
            (NEGATIONS, Kind::Negation),
            (FUNCTION_WORDS, Kind::Function),
        ];
        let mut table: Vec<(u64, Kind)> = Vec::new();
        for (words, kind) in groups {
            for word in words {
                let mut key = [0u8; 8];
                key[..word.len()].copy_from_slice(word.as_bytes());
                table.push((u64::from_be_bytes(key), kind));
            }
        }
        table.sort_unstable_by_key(|(key, _)| *key);
        table
    })
}

/// Words that deny what follows them, besides `not`, `n't`, `instead of` and `rather than`.
const NEGATIONS: &[&str] = &[
    "no", "never", "without", "cannot", "neither", "nor", "nothing", "dont", "doesnt", "didnt",
    "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "wont", "wouldnt", "shouldnt", "hasnt",
    "havent", "hadnt", "mustnt", "neednt", "lacks", "lack",
];

/// The commonest English function words: a sentence has some, a list of key words has none.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "in", "on", "at", "to", "for",
    "with", "by", "from", "as", "and", "or", "it", "its", "this", "that", "which", "who", "what",
    "when", "where", "how", "they", "them", "their", "you", "we", "do", "does", "did", "has",
    "have", "had", "can", "will", "so", "if", "into", "then", "each", "one", "all", "there",
    "same", "per", "via",
];

/// Whether the token starts a negation: 0 if not, else 1 plus how many following tokens belong to
/// the cue itself (`instead of`).
fn negation_cue(words: &Words<'_>, kinds: &[Kind], token: usize) -> usize {
    let next = kinds.get(token + 1).copied();
    match kinds[token] {
        Kind::Not => usize::from(next != Some(Kind::OnlyOrJust)),
        Kind::Instead if next == Some(Kind::Of) => 2,
        Kind::Rather if next == Some(Kind::Than) => 2,
        Kind::Negation => 1,
        // `doesn't` is read as `doesn` and `t`; the `t` starts the negation.
        Kind::T if token > 0 && words.gap_before(token).contains(['\'', '’']) => {
            usize::from(words.token(token - 1).ends_with(['n', 'N']))
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
