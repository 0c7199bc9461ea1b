//! A player's memories laid out along one bank, so a pick follows [`next_card`](super::next_card)'s
//! rules without going through the whole bank: the questions met in bank order (with their topic's
//! place), and the same by when they are due. Built once, then moved on memory by memory as reviews
//! come; [`PracticeIndex::next_card`] offers exactly what `next_card` offers for the same memories.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{retrievability, Memory, NextCard};
use crate::core::bank::{Bank, Question};

/// A player's memories of the questions of one bank.
#[derive(Debug, Clone)]
pub struct PracticeIndex {
    /// The questions met, in bank order.
    met: Vec<Met>,
    /// When each question met is due, with its place in the bank, by due date then question id.
    by_due: Vec<(DateTime<Utc>, usize)>,
    /// The topics of the questions met.
    topics: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Met {
    /// The question's place in the bank.
    question: usize,
    /// Its topic's place in `topics`, when it has one.
    topic: Option<usize>,
    memory: Memory,
    due_at: DateTime<Utc>,
}

/// The order of `by_due`: due date, then question id (as `next_card` breaks ties).
fn due_order(
    questions: &[Question],
    a: &(DateTime<Utc>, usize),
    b: &(DateTime<Utc>, usize),
) -> Ordering {
    a.0.cmp(&b.0)
        .then_with(|| questions[a.1].id.as_str().cmp(questions[b.1].id.as_str()))
}

impl PracticeIndex {
    /// Lays `memories` (by question id, with when each is due) along `bank`; memories of questions
    /// the bank does not hold are left out, as the pick never offers them.
    pub fn new(bank: &Bank, memories: &HashMap<String, (Memory, DateTime<Utc>)>) -> PracticeIndex {
        let questions = bank.questions();
        let mut topics: Vec<String> = Vec::new();
        let mut topic_places: HashMap<&str, usize> = HashMap::new();
        let mut met = Vec::with_capacity(memories.len().min(questions.len()));
        for (place, question) in questions.iter().enumerate() {
            let Some((memory, due_at)) = memories.get(question.id.as_str()) else {
                continue;
            };
            let topic = question.topic().map(|topic| {
                *topic_places.entry(topic).or_insert_with(|| {
                    topics.push(topic.to_string());
                    topics.len() - 1
                })
            });
            met.push(Met {
                question: place,
                topic,
                memory: *memory,
                due_at: *due_at,
            });
        }
        let mut by_due: Vec<(DateTime<Utc>, usize)> =
            met.iter().map(|m| (m.due_at, m.question)).collect();
        by_due.sort_unstable_by(|a, b| due_order(questions, a, b));
        PracticeIndex {
            met,
            by_due,
            topics,
        }
    }

    /// Moves the memory of `question` on (or adds it), as a review left it. `bank` is the one the
    /// index was built for; a question it does not hold is left out.
    pub fn update(&mut self, bank: &Bank, question: &str, memory: Memory, due_at: DateTime<Utc>) {
        let Some(place) = bank.position(question) else {
            return;
        };
        let questions = bank.questions();
        match self.met.binary_search_by_key(&place, |m| m.question) {
            Ok(i) => {
                let before = (self.met[i].due_at, place);
                if let Ok(d) = self
                    .by_due
                    .binary_search_by(|e| due_order(questions, e, &before))
                {
                    self.by_due.remove(d);
                }
                self.met[i].memory = memory;
                self.met[i].due_at = due_at;
            }
            Err(i) => {
                let topic = questions[place].topic().map(|t| self.topic_place(t));
                self.met.insert(
                    i,
                    Met {
                        question: place,
                        topic,
                        memory,
                        due_at,
                    },
                );
            }
        }
        let entry = (due_at, place);
        let d = self
            .by_due
            .binary_search_by(|e| due_order(questions, e, &entry))
            .unwrap_or_else(|d| d);
        self.by_due.insert(d, entry);
    }

    fn topic_place(&mut self, topic: &str) -> usize {
        match self.topics.iter().position(|t| t == topic) {
            Some(place) => place,
            None => {
                self.topics.push(topic.to_string());
                self.topics.len() - 1
            }
        }
    }

    /// The next card at `now`, in `topic` when given, never `withheld`: what
    /// [`next_card`](super::next_card) offers for the same memories. `bank` is the one the index
    /// was built for.
    pub fn next_card<'b>(
        &self,
        bank: &'b Bank,
        withheld: &[String],
        topic: Option<&str>,
        now: DateTime<Utc>,
    ) -> NextCard<'b> {
        let questions = bank.questions();
        let offered = |q: &Question| {
            !withheld.iter().any(|w| *w == q.id.as_str())
                && topic.is_none_or(|t| q.tags.iter().any(|tag| tag.eq_ignore_ascii_case(t)))
        };
        for &(due_at, place) in &self.by_due {
            if due_at > now {
                break;
            }
            let Some(question) = questions.get(place) else {
                continue;
            };
            if offered(question) {
                return NextCard::Due { question, due_at };
            }
        }
        let weakest = self.weakest_topic(now);
        let fresh = |in_topic: Option<&str>| {
            // `met` is in bank order, so walking both together tells which questions are new.
            let mut met = self.met.iter().map(|m| m.question).peekable();
            questions.iter().enumerate().find_map(|(place, q)| {
                if met.next_if_eq(&place).is_some() {
                    return None;
                }
                (offered(q) && in_topic.is_none_or(|t| q.topic() == Some(t))).then_some(q)
            })
        };
        match weakest.and_then(|t| fresh(Some(t))).or_else(|| fresh(None)) {
            Some(question) => NextCard::New(question),
            None => NextCard::Nothing,
        }
    }

    /// The topic remembered least on average at `now`, as
    /// [`weakest_topic`](super::weakest_topic) finds it: the sums run in bank order, so they are
    /// the same to the last bit.
    fn weakest_topic(&self, now: DateTime<Utc>) -> Option<&str> {
        let mut by_topic = vec![(0.0_f32, 0_u32); self.topics.len()];
        for met in &self.met {
            if let Some(topic) = met.topic {
                by_topic[topic].0 += retrievability(met.memory, now);
                by_topic[topic].1 += 1;
            }
        }
        self.topics
            .iter()
            .zip(by_topic)
            .map(|(topic, (sum, n))| (topic.as_str(), sum / n as f32))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)))
            .map(|(topic, _)| topic)
    }
}
