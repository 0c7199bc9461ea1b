//! Whatever a deck file holds never crashes the bank loader, and whatever a player answers never
//! crashes the grader; each is done in bounded time. Decks are arbitrary bytes, Markdown-ish text
//! built from the format's own pieces, lists and block quotes nested far deeper than allowed, and
//! long lines; answers are graded against the shipped questions and against generated key points.

#[path = "support/properties.rs"]
mod properties;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use interview_bot::core::bank::{Bank, MAX_NESTING};
use interview_bot::core::grade::grade;
use proptest::prelude::*;
use proptest::sample::select;

use properties::{config, phrase, text, within_time_limit};

const HEADER: &str = "---\nid: generated\ntitle: Generated\nnotes: notes.md\n---\n";

/// Pieces of the deck format, valid and broken, for Markdown-ish decks.
const DECK_PIECES: &[&str] = &[
    "---\n",
    "id: deck\n",
    "title: Deck\n",
    "notes: n.md\n",
    "unknown: x\n",
    "# Title\n",
    "## A question?\n",
    "### Deeper\n",
    "\n",
    "\n\n",
    "id: q",
    " | tags: orm, views",
    " | difficulty: hard",
    " | difficulty: brutal",
    " | section: A > B",
    "- ",
    "  - ",
    "    - ",
    "* ",
    "1. ",
    "> ",
    ">",
    "also: ",
    "weight: 2",
    "weight: NaN",
    "Hint: ",
    "Good answer: ",
    "Partial answer: ",
    "Wrong answer: ",
    "`",
    "``",
    "```\n",
    "*",
    "**",
    "_",
    "[",
    "](",
    ")",
    "|",
    "<div>",
    "</div>",
    "\\",
    "&amp;",
    "select_related()",
    "ManyToMany",
    "many-to-many",
    "Redis",
    "cache",
    "the",
    "a view returns a response",
    "é",
    "\u{200b}",
    "\r\n",
    "\t",
];

/// Markers that nest one level each time they repeat.
const NESTING_MARKERS: &[&str] = &["- ", "> ", ">", "* ", "> - ", "1. ", "- > "];

/// Words answers are made of, besides arbitrary text.
const ANSWER_WORDS: &[&str] = &[
    "cache",
    "caching",
    "Redis",
    "memcached",
    "cache_page",
    "select_related",
    "prefetch_related",
    "ORM",
    "SQL",
    "join",
    "query",
    "N+1",
    "the",
    "and",
    "it",
    "GIL",
    "asyncio",
    "thread",
    "view",
    "serializer",
    "PgBouncer",
    "pg",
    "bouncer",
    "many-to-many",
    "ManyToMany",
    "APIs",
    "gRPC",
    "séléct",
    "ﬁle",
    "Ｒｅｄｉｓ",
    "",
];

fn deck_path() -> PathBuf {
    PathBuf::from("generated.md")
}

/// Loads `bytes` as a one-deck bank, within the time limit, and returns its problems as text.
fn load(bytes: Vec<u8>) -> Result<Bank, Vec<String>> {
    within_time_limit("loading a deck", || {
        Bank::from_sources(vec![(deck_path(), bytes)])
            .map_err(|err| err.problems.iter().map(ToString::to_string).collect())
    })
}

fn shipped_bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(|| Bank::load(Path::new("content")).expect("the shipped decks are valid"))
}

/// A deck with one question whose key points are `key_points`, and its bank if it is valid.
fn deck_with_key_points(key_points: &[String]) -> String {
    let bullets: String = key_points.iter().map(|k| format!("- {k}\n")).collect();
    format!("{HEADER}\n## Generated?\n\nid: generated-question | tags: generated\n\n{bullets}")
}

fn key_point() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => phrase(ANSWER_WORDS, 6).prop_map(|p| p.replace('\n', " ")),
        1 => "[a-zA-Z_][a-zA-Z0-9_()-]{0,15}( [a-zA-Z0-9_-]{1,12}){0,4}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_a_bank_or_its_problems(bytes in prop::collection::vec(any::<u8>(), 0..4000)) {
        let _ = load(bytes);
    }

    #[test]
    fn any_text_is_a_bank_or_its_problems(deck in text(4000)) {
        let _ = load(deck.into_bytes());
    }

    #[test]
    fn markdown_made_of_the_formats_own_pieces_is_a_bank_or_its_problems(
        body in phrase(DECK_PIECES, 300),
    ) {
        for deck in [body.clone(), format!("{HEADER}{body}")] {
            if let Err(problems) = load(deck.into_bytes()) {
                prop_assert!(!problems.is_empty());
                prop_assert!(
                    problems.iter().all(|p| p.starts_with("generated.md")),
                    "{problems:?}"
                );
            }
        }
    }

    #[test]
    fn long_lines_are_read_like_short_ones(
        word in select(DECK_PIECES),
        times in 1..5000usize,
        before_key_points in any::<bool>(),
    ) {
        let line = word.trim_end_matches('\n').repeat(times);
        let deck = if before_key_points {
            format!("{HEADER}\n## Q?\n\nid: q | tags: t\n\n{line}\n\n- a view returns a response\n")
        } else {
            format!("{HEADER}\n## Q?\n\nid: q | tags: t\n\n- a view returns a response\n\n{line}\n")
        };
        let _ = load(deck.into_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..config() })]

    #[test]
    fn nesting_of_any_depth_is_read_or_reported_at_its_line(
        marker in select(NESTING_MARKERS),
        depth in 0..30_000usize,
        end in "[a-z ]{0,20}",
    ) {
        let deck = format!(
            "{HEADER}\n## Q?\n\nid: q | tags: t\n\n- a view returns a response\n\nMore:\n\n{}x{end}\n",
            marker.repeat(depth)
        );
        let levels = depth * marker.matches(['-', '>', '*', '.']).count();
        match load(deck.into_bytes()) {
            Ok(bank) => prop_assert!(levels <= MAX_NESTING, "{levels} levels loaded: {bank:?}"),
            Err(problems) => {
                prop_assert!(levels > MAX_NESTING, "{problems:?}");
                prop_assert!(
                    problems[0].starts_with("generated.md:15: nested too deeply"),
                    "{problems:?}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_answer_to_a_shipped_question_gets_a_score_from_0_to_100(
        index in any::<prop::sample::Index>(),
        answer in prop_oneof![text(4000), phrase(ANSWER_WORDS, 700)],
    ) {
        let question = index.get(shipped_bank().questions());
        let graded = within_time_limit("grading an answer", || grade(question, &answer));
        prop_assert!(graded.score <= 100);
        prop_assert_eq!(graded.checklist.len(), question.key_points.len());
        let again = grade(question, &answer);
        prop_assert_eq!(graded.score, again.score, "grading is deterministic");
    }

    #[test]
    fn any_answer_to_generated_key_points_gets_a_score_from_0_to_100(
        key_points in prop::collection::vec(key_point(), 1..8),
        answer in prop_oneof![text(2000), phrase(ANSWER_WORDS, 400)],
    ) {
        let Ok(bank) = load(deck_with_key_points(&key_points).into_bytes()) else {
            // Key points of only stop-words are a deck problem; those decks never reach a grader.
            return Ok(());
        };
        let question = &bank.questions()[0];
        let graded = within_time_limit("grading an answer", || grade(question, &answer));
        prop_assert!(graded.score <= 100);
        let with_key_points = format!("{} {answer}", key_points.join(" "));
        let graded = within_time_limit("grading an answer", || grade(question, &with_key_points));
        prop_assert!(graded.score <= 100);
    }
}
