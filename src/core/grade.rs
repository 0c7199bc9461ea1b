//! Grading a free-text answer against a question's key points: a pure function from a question and an
//! answer to a score (0–100) and a checklist saying, for each key point, whether it was covered and
//! which words of the answer covered it. The README's *How answers are graded* section documents
//! the rules.

mod answer;
mod overlap;
mod terms;

use serde::{Deserialize, Serialize};

use super::bank::{KeyPoint, Question};
use super::text::Words;
use answer::{Answer, Hit, Matched};
use overlap::Overlap;
pub use terms::{weigh_against_prompt, StemGuide, Terms};

/// A key point is covered when the answer has this share of its words (by weight); short of that,
/// it earns the share it has of this much.
const COVERED_SHARE: f64 = 0.5;
/// What a word of a key point counts for when it stands in another sentence than most of the key
/// point's other words.
const SCATTERED_WORD: f64 = 0.75;
/// What a related word (a synonym or derived form) counts for, against the key point's own word.
const RELATED_WORD: f64 = 0.8;
/// The most a key point of several words earns from a single one of them: one shared word never
/// covers it.
const SINGLE_WORD_CREDIT: f64 = 0.6;
/// The most a key point earns when the answer denies some of its words (or affirms what it denies).
const CONTRADICTED_CREDIT: f64 = 0.5;
/// The most a key point earns when the answer denies some of its words, but fewer than it agrees on.
const PARTLY_DENIED_CREDIT: f64 = 0.75;
/// The most a key point earns when its words were found in a bag of words with no sentence.
const LOOSE_CREDIT: f64 = 0.3;
/// The score blends the key points' credit (this share) with the answer's overlap with all the
/// question's words (the rest): people grade a partial answer by how much of the right content it
/// has, not only by which points it completes.
const KEY_POINTS_SHARE: f64 = 0.5;

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
    /// Words of the key point the answer negates (or affirms where the key point denies), as the
    /// answer wrote them: they earn nothing, and the key point is not covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub denied: Vec<String>,
    /// Words of the answer that matched as related words (synonyms, derived forms) of the key
    /// point's words, and which.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedWord>,
}

/// An answer's word that stood in for a key point's word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelatedWord {
    /// As the answer wrote it.
    pub said: String,
    /// The key point's word, lower case.
    pub for_word: String,
}

impl Grade {
    pub fn covered_count(&self) -> usize {
        self.checklist.iter().filter(|c| c.covered).count()
    }
}

/// Grades `answer` against the key points of `question`.
pub fn grade(question: &Question, answer: &str) -> Grade {
    let words = Words::stemming_only(answer, |w| question.stem_guide.stemming(w));
    let answer = Answer::new(&words);
    let mut earned = 0.0;
    let mut possible = 0.0;
    let mut overlap = Overlap::default();
    let checklist = question
        .key_points
        .iter()
        .map(|key_point| {
            let (check, credit) = check_key_point(key_point, &answer, &mut overlap);
            earned += key_point.weight * credit;
            possible += key_point.weight;
            check
        })
        .collect();
    let score = if possible > 0.0 {
        let key_points = earned / possible;
        let blended =
            KEY_POINTS_SHARE * key_points + (1.0 - KEY_POINTS_SHARE) * overlap.share(LOOSE_CREDIT);
        (100.0 * blended).round().clamp(0.0, 100.0) as u8
    } else {
        0
    };
    Grade { score, checklist }
}

/// How many sentences are tried as the one a key point's words are drawn to.
const ANCHORS_TRIED: usize = 2;

/// Matches `terms` with their words drawn to one sentence when they were found in several: the
/// sentences that hold most of them (at most [`ANCHORS_TRIED`]) are tried, and the one that gathers
/// most wins. Unless `in_one_sentence` is needed, not tried when the words found cover the key point
/// even counted as scattered.
fn match_together(terms: &Terms, answer: &Answer<'_>, in_one_sentence: bool) -> Matched {
    let first = answer.match_terms(terms, None, None);
    if first.in_one_sentence() {
        return first;
    }
    let scattered: f64 = (terms.0.iter().zip(&first.hits))
        .filter_map(|(term, hit)| Some(term.weight * hit_weight(hit.as_ref()?, None)))
        .sum();
    if !in_one_sentence && scattered >= COVERED_SHARE * terms.weight() {
        return first;
    }
    let sentences = || first.hits.iter().flatten().map(|hit| hit.sentence);
    let count = |sentence: usize| sentences().filter(|s| *s == sentence).count();
    let most = sentences().map(count).max().unwrap_or(0);
    let mut anchors = [None; ANCHORS_TRIED];
    let mut chosen = 0;
    for sentence in sentences() {
        if chosen < ANCHORS_TRIED && count(sentence) == most && !anchors.contains(&Some(sentence)) {
            anchors[chosen] = Some(sentence);
            chosen += 1;
        }
    }
    let mut best = (words_found(terms, &first), None);
    for anchor in anchors.into_iter().flatten() {
        let matched = answer.match_terms(terms, Some(anchor), Some(&first));
        let found = words_found(terms, &matched);
        if found > best.0 {
            best = (found, Some(matched));
        }
    }
    best.1.unwrap_or(first)
}

/// What the found words of a match count for, by weight: fully in the sentence holding most of
/// them, less in other sentences, and a related word less than the key point's own.
fn words_found(terms: &Terms, matched: &Matched) -> f64 {
    let anchor = matched.anchor();
    terms
        .0
        .iter()
        .zip(&matched.hits)
        .filter_map(|(term, hit)| Some(term.weight * hit_weight(hit.as_ref()?, anchor)))
        .sum()
}

fn hit_weight(hit: &Hit, anchor: Option<usize>) -> f64 {
    let place = if Some(hit.sentence) == anchor {
        1.0
    } else {
        SCATTERED_WORD
    };
    if hit.related {
        place * RELATED_WORD
    } else {
        place
    }
}

/// Forgets the related words of a match that has none of the key point's own words beyond those
/// the prompt says: a synonym supports a key point the answer already makes in its words, it does
/// not make one alone (`name` is a synonym of `call`, but not in "calls your code").
fn drop_unsupported_related(terms: &Terms, matched: &mut Matched) {
    let own = (terms.0.iter().zip(&matched.hits))
        .any(|(term, hit)| hit.is_some_and(|h| !h.related) && term.weight >= 1.0);
    if own {
        return;
    }
    for hit in &mut matched.hits {
        hit.take_if(|h| h.related);
    }
}

/// Whether most of a match's words stand in bags of words.
fn mostly_loose(matched: &Matched, answer: &Answer<'_>) -> bool {
    let loose = (matched.hits.iter().flatten())
        .filter(|hit| answer.reading.is_loose(hit.sentence))
        .count();
    loose > 0 && loose * 2 >= matched.found()
}

fn check_key_point(
    key_point: &KeyPoint,
    answer: &Answer<'_>,
    overlap: &mut Overlap,
) -> (KeyPointCheck, f64) {
    let terms = &key_point.terms;
    let mut matched = match_together(terms, answer, false);
    drop_unsupported_related(terms, &mut matched);
    let share = words_found(terms, &matched) / (COVERED_SHARE * terms.weight()).max(f64::EPSILON);
    let loose = mostly_loose(&matched, answer);
    let found = matched.found();
    let (denied_weight, denied) =
        if found < terms.len() && (answer.reading.has_negation() || terms.any_negated()) {
            answer.denied(terms, &matched)
        } else {
            (0.0, Vec::new())
        };
    let agreed: f64 = (terms.0.iter().zip(&matched.hits))
        .filter(|(_, hit)| hit.is_some())
        .map(|(term, _)| term.weight)
        .sum();
    let denial = match () {
        _ if denied.is_empty() => Denial::None,
        _ if denied_weight >= agreed => Denial::Contradicted,
        _ if denied_weight >= 1.0 => Denial::Partly,
        _ => Denial::None,
    };
    let single = found < terms.len().min(2);
    // Words the prompt says never cover a key point alone: every answer repeats them.
    let prompt_only = terms.has_own_word()
        && !(terms.0.iter().zip(&matched.hits)).any(|(t, hit)| hit.is_some() && t.weight >= 1.0);
    let by_own_words = share >= 1.0 && !loose && !single && !prompt_only;
    // An alternative only matters to a key point its own words do not cover.
    let alternative = if by_own_words {
        None
    } else {
        key_point.alternatives.iter().find_map(|alt| {
            let alt_matched = match_together(&alt.terms, answer, true);
            let whole = alt_matched.found() == alt.terms.len()
                && alt_matched.in_one_sentence()
                && !mostly_loose(&alt_matched, answer)
                && alt.terms.has_own_word();
            whole.then(|| alt_matched.tokens())
        })
    };
    // An author's alternative found whole covers the key point even beside a denial: "they never
    // depend on external systems, everything is mocked" is covered by `also: mocked`.
    let covered = by_own_words && denial == Denial::None || alternative.is_some();
    let credit = if covered {
        1.0
    } else if loose {
        share.min(LOOSE_CREDIT)
    } else {
        match denial {
            Denial::Contradicted => share.min(CONTRADICTED_CREDIT),
            Denial::Partly => share.min(PARTLY_DENIED_CREDIT),
            Denial::None if single => share.min(SINGLE_WORD_CREDIT),
            Denial::None => share.min(1.0),
        }
    };
    let contradicted = denial == Denial::Contradicted && !covered;
    let denied = if denial == Denial::None || covered {
        Vec::new()
    } else {
        denied
    };
    let anchor = matched.anchor();
    overlap.add(
        terms,
        key_point.weight,
        &matched,
        |hit| hit_weight(hit, anchor),
        overlap::Standing {
            contradicted,
            by_alternative: alternative.is_some(),
            loose,
        },
    );
    let related = (matched.hits.iter().enumerate())
        .filter_map(|(i, hit)| {
            let hit = hit.as_ref().filter(|h| h.related)?;
            Some(RelatedWord {
                said: answer.words.token(hit.token).to_string(),
                for_word: terms.word(i)?.to_string(),
            })
        })
        .collect();
    let mut tokens = matched.tokens();
    tokens.extend(alternative.unwrap_or_default());
    tokens.sort_unstable();
    tokens.dedup();
    (
        KeyPointCheck {
            text: key_point.text.clone(),
            covered,
            matched: answer_words(answer, tokens),
            denied: answer_words(answer, denied),
            related,
        },
        credit,
    )
}

/// Whether the answer says the opposite of some of a key point's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Denial {
    None,
    /// Some words with full weight, but fewer than those it agrees on.
    Partly,
    /// At least as many (by weight) as it agrees on.
    Contradicted,
}

/// The answer's tokens as written, each spelling once.
fn answer_words(answer: &Answer<'_>, tokens: Vec<usize>) -> Vec<String> {
    let mut words: Vec<String> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let word = answer.words.token(token);
        if !words.iter().any(|m| m == word) {
            words.push(word.to_string());
        }
    }
    words
}

#[cfg(test)]
mod tests;
