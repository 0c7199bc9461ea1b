//! Mock interviews end to end through the terminal console: the real binary, commands piped on
//! standard input, a small deck whose grading is known, a fresh database per test, and the simulated
//! clock driving deadlines.

#[path = "support/console.rs"]
mod test_console;

use std::path::Path;

use test_console::{assert_in_order, binary, piped};

const DECK: &str = "---\nid: mock\ntitle: Mock deck\nnotes: notes.md\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium | section: ORM\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\n\
## How does Django protect against CSRF?\n\n\
id: csrf | tags: orm | difficulty: medium | section: Security\n\n\
- a secret token in every form\n\
- the middleware checks the token on unsafe methods\n\n\
## What does `only()` do on a queryset?\n\n\
id: only | tags: orm | difficulty: medium | section: ORM\n\n\
- loads just the named fields\n\
- other fields load on access with a query each\n";

/// A folder with the deck, for every session of a test.
fn bank() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("content")).expect("bank dir");
    std::fs::write(dir.path().join("content/mock.md"), DECK).expect("deck");
    dir
}

/// Runs one console session as `user` from `clock` and returns what it printed.
fn session(dir: &Path, user: &str, clock: &str, input: &str) -> String {
    let mut command = binary();
    command
        .args(["console", "--user", user, "--clock", clock, "--bank"])
        .arg(dir.join("content"))
        .arg("--db")
        .arg(dir.join("mock.db"));
    let run = piped(command, input);
    assert!(run.ok, "{}", run.stderr);
    run.stdout
}

/// The report's line for question `n` and the two lines after it (covered, missed).
fn report_of(out: &str, n: usize) -> String {
    let report = out
        .split("— report")
        .nth(1)
        .unwrap_or_else(|| panic!("no report in:\n{out}"));
    let start = report
        .find(&format!("[mock #1] {n}. "))
        .unwrap_or_else(|| panic!("no question {n} in the report:\n{report}"));
    report[start..]
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn one_candidate_is_interviewed_with_ticks_first_and_the_written_answer_where_nothing_was_ticked() {
    let dir = bank();
    let out = session(
        dir.path(),
        "ann",
        "2026-11-24T09:00:00Z",
        "\
/mock start orm questions 2 minutes 5 with bob
/mock next
/user bob
/mock rubric
/mock tick 1
/mock answer select_related uses a SQL join
/user ann
/mock tick 2
/mock next
/user bob
/mock answer a secret token is in every form and the middleware checks the token on unsafe methods; \
only loads just the named fields, others load on access with a query each; select_related uses a SQL \
join and prefetch_related runs a second query
/user ann
/wait 6m
",
    );
    assert_in_order(
        &out,
        &[
            "[mock #1] ann interviews first; answering in turn: bob.",
            "[mock #1] Question 1 of 2 for bob (interviewer: ann), 5 minutes",
            "[private to ann] [mock #1] Rubric for question 1",
            "[private to bob] Sorry: Only the current interviewer sees the rubric.",
            "[private to bob] Sorry: Only the current interviewer sees the rubric.",
            "[private to bob] [mock #1] Your written answer to question 1 is in.",
            "[private to ann] [mock #1] [x] 2.",
            "[mock #1] Question 2 of 2 for bob (interviewer: ann)",
            "Time is up for question 2",
            "[mock #1] Mock interview #1 — report",
            "[mock #1] bob — ",
            "[private to bob] [mock #1] Your part of mock interview #1:",
        ],
    );
    // Question 1: ann ticked only the second key point, so the written answer (which covered the
    // first) does not count.
    let first = report_of(&out, 1);
    assert!(first.contains("50/100"), "{first}");
    assert!(
        !first.contains("covered: —") && !first.contains("missed: —"),
        "{first}"
    );
    // Question 2: nothing ticked, so the written answer's checklist decides: it covered everything.
    let second = report_of(&out, 2);
    assert!(second.contains("100/100"), "{second}");
    assert!(second.contains("missed: —"), "{second}");
    assert!(second.contains("5:00 used"), "the time ran out: {second}");
    assert!(out.contains("bob — 75/100 over 2 question(s)"), "{out}");
}

#[test]
fn three_candidates_take_turns_and_whoever_answered_interviews_next() {
    let dir = bank();
    let out = session(
        dir.path(),
        "ann",
        "2026-11-24T09:00:00Z",
        "\
/mock start orm questions 3 with bob,cat,dee
/user eve
/mock join
/user ann
/mock next
/mock next
/mock next
/user bob
/mock next
/user cat
/mock rubric
/user bob
/mock end
",
    );
    assert_in_order(
        &out,
        &[
            "answering in turn: bob, cat, dee.",
            "answering in turn: bob, cat, dee, eve.",
            "Question 1 of 3 for bob (interviewer: ann)",
            "Question 2 of 3 for cat (interviewer: bob)",
            "[private to bob] [mock #1] Rubric for question 2",
            "[private to ann] Sorry: Only the interviewer moves the mock interview on.",
            "Question 3 of 3 for dee (interviewer: cat)",
            "[private to cat] [mock #1] Rubric for question 3",
            "[private to bob] Sorry: Only the interviewer or whoever started the mock can end it.",
        ],
    );
    assert!(!out.contains("— report"), "bob may not end it: {out}");
    let ended = session(dir.path(), "cat", "2026-11-24T09:20:00Z", "/mock end\n");
    assert_in_order(
        &ended,
        &[
            "Mock interview #1 — report",
            "1. ",
            "— bob (interviewer ann): 0/100",
            "— cat (interviewer bob): 0/100",
            "— dee (interviewer cat): 0/100",
            "Scores",
        ],
    );
}

#[test]
fn a_restarted_console_carries_on_with_the_current_question_its_ticks_and_deadline() {
    let dir = bank();
    let first = session(
        dir.path(),
        "ann",
        "2026-11-24T09:00:00Z",
        "/mock start orm questions 2 minutes 10 with bob\n/mock next\n/mock tick 1 2\n",
    );
    assert!(first.contains("Question 1 of 2 for bob"), "{first}");
    // A new process, five minutes later: the question, its ticks and its deadline are still there.
    let second = session(
        dir.path(),
        "ann",
        "2026-11-24T09:05:00Z",
        "/mock rubric\n/wait 6m\n/mock end\n",
    );
    assert_in_order(
        &second,
        &[
            "[x] 1.",
            "[x] 2.",
            "Time is up for question 1",
            "Question 2 of 2 for bob",
            "Mock interview #1 — report",
        ],
    );
    let report = report_of(&second, 1);
    assert!(report.contains("100/100"), "{report}");
    assert!(report.contains("10:00 used"), "{report}");
}

#[test]
fn an_idle_mock_ends_by_itself_after_two_hours() {
    let dir = bank();
    let out = session(
        dir.path(),
        "ann",
        "2026-11-24T09:00:00Z",
        "/mock start orm questions 1 minutes 30 with bob\n/wait 1h\n/mock next\n/wait 2h\n/mock next\n",
    );
    assert_in_order(
        &out,
        &[
            "Question 1 of 1 for bob",
            "Time is up for question 1",
            "Mock interview #1 — report",
        ],
    );
    let idle = session(
        dir.path(),
        "ann",
        "2026-11-24T09:00:00Z",
        "/mock start orm with bob\n/wait 2h\n/mock next\n",
    );
    assert_in_order(
        &idle,
        &[
            "Mock interview #2",
            "Mock interview #2 — report",
            "Sorry: You are not in a running mock interview here.",
        ],
    );
}

#[test]
fn bad_mock_input_gets_a_private_message_and_starts_nothing() {
    let dir = bank();
    let out = session(
        dir.path(),
        "ann",
        "2026-11-24T09:00:00Z",
        "\
/mock start nosuchtopic with bob
/mock start questions 0 with bob
/mock start questions 50 with bob
/mock start with ann
/mock start orm
/mock next
/mock history
",
    );
    assert_in_order(
        &out,
        &[
            "Sorry: No question matches the topic `nosuchtopic`",
            "Sorry: A mock has 1 to 10 questions, not 0.",
            "Sorry: A mock has 1 to 10 questions, not 50.",
            "Sorry: You interview first, so you cannot also answer",
            "Sorry: Name who answers",
            "Sorry: You are not in a running mock interview here.",
            "ann has answered in no mock interview yet.",
        ],
    );
    assert!(!out.contains("Mock interview #"), "{out}");
}
