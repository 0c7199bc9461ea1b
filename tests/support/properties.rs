//! What the property tests share: how many cases they run, the time limit each case must keep, and
//! strategies for text a user or a deck author might write.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

/// How long one case may take: generous for a debug build on a busy two-core machine, where a case
/// takes milliseconds; an input read in time that grows faster than its length fails it.
pub const CASE_TIME_LIMIT: Duration = Duration::from_secs(2);

/// 256 cases per property, so the suite stays fast.
pub fn config() -> Config {
    Config::with_cases(256)
}

/// Runs `work`, failing the case if it takes longer than [`CASE_TIME_LIMIT`].
pub fn within_time_limit<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = work();
    let took = started.elapsed();
    assert!(
        took < CASE_TIME_LIMIT,
        "{what} took {took:?}, more than {CASE_TIME_LIMIT:?}"
    );
    result
}

/// Any text of up to `max_chars` characters, control and combining characters included.
pub fn text(max_chars: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..=max_chars).prop_map(String::from_iter)
}

/// Up to `max_words` of `words` and bits of arbitrary text, joined by assorted white space.
pub fn phrase(words: &'static [&'static str], max_words: usize) -> impl Strategy<Value = String> {
    let word = prop_oneof![4 => select(words).prop_map(str::to_string), 1 => text(12)];
    let gap = select(&[" ", " ", " ", "  ", "\t", "\n", ""][..]);
    prop::collection::vec((word, gap), 0..=max_words).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(word, gap)| format!("{word}{gap}"))
            .collect()
    })
}
