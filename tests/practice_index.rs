//! The practice pick from memories laid out along the bank (`PracticeIndex`), built at once or moved
//! on memory by memory, offers exactly what `next_card` offers from the same memories, whatever they
//! are: ties in due dates and in topics' average recall, questions withheld, topics asked for in any
//! case, questions without a topic, and memories of questions the bank no longer holds.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use interview_bot::core::bank::Bank;
use interview_bot::core::practice::{next_card, Memory, Player, PracticeIndex};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

const TOPICS: [&str; 4] = ["orm", "security", "caching", "testing"];
const QUESTIONS: usize = 24;

/// 24 questions in 4 topics, some with a second tag, and one without any tag.
fn bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(|| {
        let mut deck = String::from("---\nid: test\ntitle: Test deck\n---\n");
        for n in 0..QUESTIONS {
            let tags = match n {
                0 => String::new(),
                n if n % 5 == 0 => format!("{}, {}", TOPICS[n % 4], TOPICS[(n + 1) % 4]),
                n => TOPICS[n % 4].to_string(),
            };
            deck.push_str(&format!(
                "\n## Question {n}?\n\nid: q-{n} | tags: {tags} | difficulty: easy\n\n- point {n}\n"
            ));
        }
        Bank::from_sources(vec![("test.md".into(), deck.into_bytes())]).expect("valid deck")
    })
}

fn day_zero() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("valid instant")
}

/// A memory of question `q-{n}` (or of a question the bank does not hold, past `QUESTIONS`): few
/// distinct values, so due dates and averages tie often.
fn memory() -> impl Strategy<Value = (String, (Memory, DateTime<Utc>))> {
    (
        0..QUESTIONS + 4,
        select(&[0.5_f32, 2.0, 2.0, 9.0, 40.0][..]),
        0_i64..6,
        1_i64..6,
    )
        .prop_map(|(n, stability, reviewed_day, interval)| {
            let reviewed_at = day_zero() + Duration::days(reviewed_day);
            let memory = Memory {
                stability,
                difficulty: 5.0,
                reviewed_at,
            };
            (
                format!("q-{n}"),
                (memory, reviewed_at + Duration::days(interval)),
            )
        })
}

/// Questions open in the workspace, as the pick may be told.
const WITHHELD: &[&[&str]] = &[&[], &["q-0"], &["q-3", "q-7"], &["q-10"]];

proptest! {
    #![proptest_config(Config::with_cases(512))]

    #[test]
    fn the_index_offers_what_next_card_offers(
        memories in prop::collection::vec(memory(), 0..QUESTIONS + 4),
        reviews in prop::collection::vec(memory(), 0..8),
        hours in 0_i64..(14 * 24),
        topic in select(&[None, Some("orm"), Some("SECURITY"), Some("caching"), Some("none")][..]),
        withheld in select(WITHHELD),
    ) {
        let withheld: Vec<String> = withheld.iter().map(|w| w.to_string()).collect();
        let withheld = withheld.as_slice();
        let mut memories: HashMap<String, (Memory, DateTime<Utc>)> =
            memories.into_iter().collect();
        let now = day_zero() + Duration::hours(hours);
        let bank = bank();
        let mut moved_on = PracticeIndex::new(bank, &memories);
        for (question, (memory, due_at)) in reviews {
            moved_on.update(bank, &question, memory, due_at);
            memories.insert(question, (memory, due_at));
        }
        let player = Player { memories: &memories, withheld };
        let expected = next_card(bank, &player, topic, now);
        prop_assert_eq!(
            PracticeIndex::new(bank, &memories).next_card(bank, withheld, topic, now),
            expected
        );
        prop_assert_eq!(moved_on.next_card(bank, withheld, topic, now), expected);
    }
}
