//! Reading a text the way a person does before matching its words: where its sentences end, which
//! sentences are a bag of words rather than prose, and which words a negation (`not`, `never`, `no`,
//! `n't`, `without`, `instead of` …) denies. Both key points and answers are read this way, so a
//! key point that itself says "without" is matched by an answer that also denies.

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
        let mut next_kind = (count > 0).then(|| Kind::of(words.token(0)));
        for token in 0..count {
            let kind = next_kind.unwrap_or(Kind::Other);
            next_kind = (token + 1 < count).then(|| Kind::of(words.token(token + 1)));
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
                if kind == Kind::Contrast || ends_clause(gap) {
                    reach = 0;
                }
            }
            let cue = if cue_rest > 0 {
                0
            } else {
                negation_cue(words, kind, next_kind, token)
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
            if (kind.is_function() || cue > 0) && gap != "-" {
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
        match &lower[..token.len()] {
            b"not" => Kind::Not,
            b"only" | b"just" => Kind::OnlyOrJust,
            b"instead" => Kind::Instead,
            b"of" => Kind::Of,
            b"rather" => Kind::Rather,
            b"than" => Kind::Than,
            b"t" => Kind::T,
            b"but" | b"however" | b"whereas" | b"while" | b"although" | b"though" | b"unlike" => {
                Kind::Contrast
            }
            b"no" | b"never" | b"without" | b"cannot" | b"neither" | b"nor" | b"nothing"
            | b"dont" | b"doesnt" | b"didnt" | b"isnt" | b"arent" | b"wasnt" | b"werent"
            | b"cant" | b"couldnt" | b"wont" | b"wouldnt" | b"shouldnt" | b"hasnt" | b"havent"
            | b"hadnt" | b"mustnt" | b"neednt" | b"lacks" | b"lack" => Kind::Negation,
            b"a" | b"an" | b"the" | b"is" | b"are" | b"was" | b"were" | b"be" | b"been" | b"in"
            | b"on" | b"at" | b"to" | b"for" | b"with" | b"by" | b"from" | b"as" | b"and"
            | b"or" | b"it" | b"its" | b"this" | b"that" | b"which" | b"who" | b"what"
            | b"when" | b"where" | b"how" | b"they" | b"them" | b"their" | b"you" | b"we"
            | b"do" | b"does" | b"did" | b"has" | b"have" | b"had" | b"can" | b"will" | b"so"
            | b"if" | b"into" | b"then" | b"each" | b"one" | b"all" | b"there" | b"same"
            | b"per" | b"via" => Kind::Function,
            _ => Kind::Other,
        }
    }

    /// Function words, negations and contrasts: what a sentence has and a list of key words lacks.
    fn is_function(self) -> bool {
        self != Kind::Other
    }
}

/// Whether the token (of `kind`, followed by a token of `next`) starts a negation: 0 if not, else 1
/// plus how many following tokens belong to the cue itself (`instead of`).
fn negation_cue(words: &Words<'_>, kind: Kind, next: Option<Kind>, token: usize) -> usize {
    match kind {
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
