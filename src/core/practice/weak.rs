//! The question a channel knows least, for a question of the day that teaches: among the questions
//! its players have met, the one they are least likely to still remember on average, when that is
//! below the desired retention; ties go to the question whose key points the channel's answers
//! missed most. When the channel remembers everything it met well enough, `None`: new material.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{retrievability, Memory, DEFAULT_RETENTION};
use crate::core::bank::Question;

/// The weakest of `candidates` at `now` by the players' `memories` (question id, memory), ties
/// broken by `missed` (question id → share of key points missed).
pub fn weakest_question<'b>(
    candidates: &[&'b Question],
    memories: &[(String, Memory)],
    missed: &HashMap<String, f64>,
    now: DateTime<Utc>,
) -> Option<&'b Question> {
    let mut recall: HashMap<&str, (f32, u32)> = HashMap::new();
    for (question, memory) in memories {
        let entry = recall.entry(question.as_str()).or_insert((0.0, 0));
        entry.0 += retrievability(*memory, now);
        entry.1 += 1;
    }
    candidates
        .iter()
        .filter_map(|q| {
            let (sum, n) = recall.get(q.id.as_str())?;
            let average = sum / *n as f32;
            (average < DEFAULT_RETENTION).then_some((*q, average))
        })
        .min_by(|(a, ra), (b, rb)| {
            let missed_of = |q: &Question| missed.get(q.id.as_str()).copied().unwrap_or(0.0);
            ra.total_cmp(rb)
                .then_with(|| missed_of(b).total_cmp(&missed_of(a)))
                .then_with(|| a.id.as_str().cmp(b.id.as_str()))
        })
        .map(|(q, _)| q)
}
