//! Which question a player practises next: the most overdue one they have met, or, when nothing is
//! due, a new one from the topic they are weakest in (lowest average retrievability among the
//! topics they have met), never the channel's open question of the day.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{retrievability, Memory};
use crate::core::bank::{Bank, Question};

/// What a player's practice offers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NextCard<'b> {
    /// A question they met, due since `due_at`.
    Due {
        question: &'b Question,
        due_at: DateTime<Utc>,
    },
    /// A question they never answered.
    New(&'b Question),
    /// Nothing due and nothing new (in the topic asked for).
    Nothing,
}

/// What the pick needs to know about the player.
pub struct Player<'a> {
    /// Their memories, by question id, with when each is due.
    pub memories: &'a HashMap<String, (Memory, DateTime<Utc>)>,
    /// The open question of the channel, which practice must not reveal early.
    pub withheld: &'a [String],
}

/// The next card at `now`, in `topic` when given.
pub fn next_card<'b>(
    bank: &'b Bank,
    player: &Player<'_>,
    topic: Option<&str>,
    now: DateTime<Utc>,
) -> NextCard<'b> {
    let offered = |q: &&Question| {
        !player.withheld.iter().any(|w| *w == q.id.as_str())
            && topic.is_none_or(|t| q.tags.iter().any(|tag| tag.eq_ignore_ascii_case(t)))
    };
    let overdue = bank
        .questions()
        .iter()
        .filter(offered)
        .filter_map(|q| {
            let (_, due_at) = player.memories.get(q.id.as_str())?;
            (*due_at <= now).then_some((q, *due_at))
        })
        .min_by_key(|(q, due_at)| (*due_at, q.id.as_str()));
    if let Some((question, due_at)) = overdue {
        return NextCard::Due { question, due_at };
    }
    let weakest = weakest_topic(bank, player, now);
    let fresh = |in_topic: Option<&str>| {
        bank.questions().iter().filter(offered).find(|q| {
            !player.memories.contains_key(q.id.as_str())
                && in_topic.is_none_or(|t| q.topic() == Some(t))
        })
    };
    match weakest
        .as_deref()
        .and_then(|t| fresh(Some(t)))
        .or_else(|| fresh(None))
    {
        Some(question) => NextCard::New(question),
        None => NextCard::Nothing,
    }
}

/// The topic whose questions the player remembers least on average, among those they have met.
pub fn weakest_topic(bank: &Bank, player: &Player<'_>, now: DateTime<Utc>) -> Option<String> {
    topic_strengths(bank, player, now)
        .into_iter()
        .next()
        .map(|(topic, _)| topic)
}

/// Each topic the player has met with the average chance they still remember its questions at
/// `now`, weakest first.
pub fn topic_strengths(bank: &Bank, player: &Player<'_>, now: DateTime<Utc>) -> Vec<(String, f32)> {
    let mut by_topic: HashMap<&str, (f32, u32)> = HashMap::new();
    for question in bank.questions() {
        let (Some(topic), Some((memory, _))) =
            (question.topic(), player.memories.get(question.id.as_str()))
        else {
            continue;
        };
        let entry = by_topic.entry(topic).or_insert((0.0, 0));
        entry.0 += retrievability(*memory, now);
        entry.1 += 1;
    }
    let mut strengths: Vec<(String, f32)> = by_topic
        .into_iter()
        .map(|(topic, (sum, n))| (topic.to_string(), sum / n as f32))
        .collect();
    strengths.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    strengths
}
