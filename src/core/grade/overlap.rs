//! How much of a question's words an answer has, all key points together: the answer's overlap
//! with the model answer. It rewards an answer for each right word even where no single key point
//! is covered, and is blended with the key points' credit into the score.

use super::answer::{Hit, Matched};
use super::terms::Terms;

/// The overlap is full when the answer has this share of the question's words (by weight).
const FULL_SHARE: f64 = 0.3;

/// How a key point stands in the answer, beyond the words it found.
pub(super) struct Standing {
    /// The answer says the opposite of the key point: its words earn nothing.
    pub(super) contradicted: bool,
    /// An `also:` alternative covers it: all its words count.
    pub(super) by_alternative: bool,
    /// Its words were found in a bag of words.
    pub(super) loose: bool,
}

/// The question's distinct words seen so far, with their weight and what the answer earned on each.
#[derive(Default)]
pub(super) struct Overlap {
    words: Vec<((u128, bool), f64, f64)>,
    /// Key points with words found, and those of them found in bags of words.
    touched: usize,
    loose: usize,
}

impl Overlap {
    /// Adds one key point's words, each with what it `earned` (see the grader's word weights):
    /// nothing when the answer contradicts the key point, everything when one of its alternatives
    /// covers it.
    pub(super) fn add(
        &mut self,
        terms: &Terms,
        weight: f64,
        matched: &Matched,
        earned: impl Fn(&Hit) -> f64,
        standing: Standing,
    ) {
        if matched.found() > 0 || standing.by_alternative {
            self.touched += 1;
            self.loose += usize::from(standing.loose);
        }
        for (term, hit) in terms.0.iter().zip(&matched.hits) {
            let earned = match hit {
                _ if standing.by_alternative => 1.0,
                _ if standing.contradicted => 0.0,
                Some(hit) => earned(hit),
                None => 0.0,
            };
            let term_weight = term.weight * weight;
            match (self.words.iter_mut()).find(|(word, _, _)| *word == term.word) {
                Some((_, w, e)) => {
                    *w = w.max(term_weight);
                    *e = e.max(earned * term_weight);
                }
                None => self
                    .words
                    .push((term.word, term_weight, earned * term_weight)),
            }
        }
    }

    /// The share of the question's words the answer has, out of [`FULL_SHARE`], at most 1; at most
    /// `loose_cap` when most key points it touches were found in bags of words.
    pub(super) fn share(&self, loose_cap: f64) -> f64 {
        let total: f64 = self.words.iter().map(|(_, w, _)| w).sum();
        let earned: f64 = self.words.iter().map(|(_, _, e)| e).sum();
        if total <= 0.0 {
            return 0.0;
        }
        let share = (earned / (FULL_SHARE * total)).min(1.0);
        if self.loose > 0 && self.loose * 2 >= self.touched {
            share.min(loose_cap)
        } else {
            share
        }
    }
}
