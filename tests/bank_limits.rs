//! Decks too deep or too large to read are bank problems like any other, reported as
//! `path:line: message`, by `bank check` and by `/bank reload` alike; they never crash the loader,
//! and a refused reload leaves the serving bank as it was.

#[path = "support/engine.rs"]
mod test_engine;

use std::process::Command as Process;

use chrono::{TimeZone as _, Utc};
use interview_bot::core::bank::{Bank, Problem, MAX_DECK_BYTES, MAX_NESTING};
use interview_bot::core::command::{Action, ChannelRef, Command, Platform};
use interview_bot::core::reply::ReplyBody;
use interview_bot::engine::console_actor;

const HEADER: &str = "---\nid: sample\ntitle: Sample\nnotes: notes.md\n---\n";

const GOOD_QUESTION: &str = "\n## What is a view?\n\n\
id: what-is-a-view | tags: django | difficulty: easy\n\n\
- a view takes a request and returns a response\n";

/// A valid deck whose question explains itself `depth` levels of `marker` deep, on line 15.
fn deck_nested(marker: &str, depth: usize) -> String {
    format!(
        "{HEADER}{GOOD_QUESTION}\nMore:\n\n{}x\n",
        marker.repeat(depth)
    )
}

fn problems_of(decks: Vec<(&str, Vec<u8>)>) -> Vec<Problem> {
    let sources = decks
        .into_iter()
        .map(|(path, bytes)| (path.into(), bytes))
        .collect();
    match Bank::from_sources(sources) {
        Ok(_) => panic!("the bank should not load"),
        Err(err) => err.problems,
    }
}

#[test]
fn a_deck_nested_100000_levels_deep_is_a_problem_not_a_crash() {
    let problems = problems_of(vec![("deep.md", deck_nested("- ", 100_000).into_bytes())]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(
        problems[0].to_string(),
        format!(
            "deep.md:15: nested too deeply: lists and block quotes go at most {MAX_NESTING} \
             levels deep"
        )
    );
}

#[test]
fn block_quotes_nested_100000_levels_deep_are_a_problem_not_a_crash() {
    for marker in ["> ", ">", "> - "] {
        let problems = problems_of(vec![(
            "quotes.md",
            deck_nested(marker, 100_000).into_bytes(),
        )]);
        assert_eq!(problems.len(), 1, "{marker}: {problems:#?}");
        assert_eq!(problems[0].line, 15, "{}", problems[0]);
        assert!(problems[0].message.contains("nested too deeply"));
    }
}

#[test]
fn nesting_up_to_the_limit_is_read_as_usual() {
    let deck = deck_nested("- ", MAX_NESTING);
    let bank = Bank::from_sources(vec![("a.md".into(), deck.into_bytes())]).expect("valid deck");
    assert_eq!(bank.questions().len(), 1);
    let problems = problems_of(vec![(
        "a.md",
        deck_nested("- ", MAX_NESTING + 1).into_bytes(),
    )]);
    assert!(problems[0].message.contains("nested too deeply"));
}

#[test]
fn a_deck_file_over_the_size_limit_is_named_and_the_other_decks_are_still_checked() {
    let mut huge = format!("{HEADER}{GOOD_QUESTION}\n").into_bytes();
    huge.resize(MAX_DECK_BYTES + 1, b'x');
    let other =
        "---\nid: other\ntitle: Other\n---\n\n## Q?\n\nid: q | difficulty: brutal\n\n- a point\n";
    let problems = problems_of(vec![
        ("huge.md", huge),
        ("other.md", other.as_bytes().to_vec()),
    ]);
    let shown: Vec<String> = problems.iter().map(Problem::to_string).collect();
    assert_eq!(
        shown,
        [
            "huge.md: the deck file is larger than 1 MiB: split it into smaller decks",
            "other.md:8: unknown difficulty `brutal` (use easy, medium or hard)",
        ]
    );
    let mut at_the_limit = format!("{HEADER}{GOOD_QUESTION}\n").into_bytes();
    at_the_limit.resize(MAX_DECK_BYTES, b'x');
    assert!(Bank::from_sources(vec![("full.md".into(), at_the_limit)]).is_ok());
}

#[test]
fn bank_check_reports_a_deep_deck_and_a_huge_deck_at_their_paths_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("deep.md"), deck_nested("- ", 100_000)).expect("write");
    std::fs::write(dir.path().join("quotes.md"), deck_nested("> ", 100_000)).expect("write");
    let mut huge = format!("{HEADER}{GOOD_QUESTION}\n").into_bytes();
    huge.resize(3 * MAX_DECK_BYTES, b'x');
    std::fs::write(dir.path().join("huge.md"), huge).expect("write");
    let output = Process::new(env!("CARGO_BIN_EXE_interview-bot"))
        .args(["bank", "check"])
        .arg(dir.path())
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let deep = dir.path().join("deep.md");
    let huge = dir.path().join("huge.md");
    let quotes = dir.path().join("quotes.md");
    for expected in [
        format!("{}:15: nested too deeply", deep.display()),
        format!("{}: the deck file is larger than 1 MiB", huge.display()),
        format!("{}:15: nested too deeply", quotes.display()),
        "3 problems in".to_string(),
    ] {
        assert!(err.contains(&expected), "`{expected}` missing from:\n{err}");
    }
}

#[tokio::test]
async fn a_reload_refuses_a_deep_or_huge_deck_and_the_old_bank_keeps_serving() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deck = format!("{HEADER}{GOOD_QUESTION}");
    let (engine, _store) = test_engine::engine_with_deck(dir.path(), &deck, "reload.db").await;
    let reload = Command {
        channel: ChannelRef {
            platform: Platform::Console,
            workspace: "local".into(),
            channel: "practice".into(),
        },
        actor: console_actor("admin"),
        action: Action::ReloadBank,
    };
    let now = Utc
        .with_ymd_and_hms(2026, 11, 24, 10, 0, 0)
        .single()
        .expect("a valid instant");
    let deck_file = dir.path().join("content").join("test.md");

    let mut huge = deck.clone().into_bytes();
    huge.resize(MAX_DECK_BYTES + 1, b'x');
    for (broken, problem) in [
        (
            deck_nested("- ", 100_000).into_bytes(),
            "test.md:15: nested too deeply",
        ),
        (
            deck_nested("> ", 100_000).into_bytes(),
            "test.md:15: nested too deeply",
        ),
        (huge, "test.md: the deck file is larger than 1 MiB"),
    ] {
        std::fs::write(&deck_file, broken).expect("write");
        let replies = engine.handle(&reload, now).await;
        match replies.first().map(|r| &r.body) {
            Some(ReplyBody::Problem(text)) => {
                assert!(text.contains("current bank keeps serving"), "{text}");
                assert!(text.contains(problem), "`{problem}` missing from {text}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(engine.bank().question("what-is-a-view").is_some());
    }
}
