//! Every kind of deck problem is reported as `path:line: message`, at the line an author must fix, and
//! a bank with any problem does not load at all.

use interview_bot::core::bank::{Bank, Problem};

const HEADER: &str = "---\nid: sample\ntitle: Sample\nnotes: notes.md\n---\n";

/// A valid question, to surround the broken parts with.
const GOOD_QUESTION: &str = "\n## What is a view?\n\n\
id: what-is-a-view | tags: django | difficulty: easy\n\n\
- a view takes a request and returns a response\n";

fn problems_of(decks: &[(&str, &str)]) -> Vec<Problem> {
    let sources = decks
        .iter()
        .map(|(path, text)| (path.into(), text.as_bytes().to_vec()))
        .collect();
    match Bank::from_sources(sources) {
        Ok(_) => panic!("the bank should not load"),
        Err(err) => err.problems,
    }
}

/// Asserts there is exactly one problem, at `line`, whose message contains `words`.
fn assert_one_problem(problems: &[Problem], line: usize, words: &str) {
    assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
    assert_eq!(problems[0].line, line, "wrong line in {}", problems[0]);
    assert!(
        problems[0].message.contains(words),
        "`{}` should mention `{words}`",
        problems[0]
    );
}

#[test]
fn a_valid_deck_loads() {
    let deck = format!("{HEADER}{GOOD_QUESTION}");
    let bank = Bank::from_sources(vec![("a.md".into(), deck.into_bytes())]).expect("valid deck");
    assert_eq!(bank.questions().len(), 1);
    assert_eq!(bank.decks()[0].title, "Sample");
}

#[test]
fn a_question_id_used_twice_across_decks_is_reported_at_the_second() {
    let other = "---\nid: other\ntitle: Other\n---\n\n## Again?\n\n\
                 id: what-is-a-view | tags: django\n\n- a view returns a response\n";
    let problems = problems_of(&[
        ("a.md", &format!("{HEADER}{GOOD_QUESTION}")),
        ("b.md", other),
    ]);
    assert_one_problem(&problems, 6, "duplicate question id `what-is-a-view`");
    assert_eq!(problems[0].path.to_str(), Some("b.md"));
    assert!(problems[0].message.contains("a.md:7"));
}

#[test]
fn a_question_without_key_points_is_reported_at_its_heading() {
    let deck = format!("{HEADER}\n## Empty?\n\nid: empty | tags: django\n\nJust prose.\n");
    assert_one_problem(&problems_of(&[("a.md", &deck)]), 7, "no key points");
}

#[test]
fn an_empty_key_point_is_reported_at_its_bullet() {
    let deck = format!(
        "{HEADER}\n## Q?\n\nid: q | tags: django\n\n- a view returns a response\n-\n- another point\n"
    );
    assert_one_problem(&problems_of(&[("a.md", &deck)]), 12, "empty key point");
}

#[test]
fn a_key_point_of_only_stop_words_is_reported() {
    let deck = format!("{HEADER}\n## Q?\n\nid: q | tags: django\n\n- it is what it is\n");
    assert_one_problem(&problems_of(&[("a.md", &deck)]), 11, "no words to grade");
}

#[test]
fn an_unknown_difficulty_is_reported_at_the_metadata_line() {
    let deck = format!(
        "{HEADER}{GOOD_QUESTION}\n## Q?\n\nid: q | tags: django | difficulty: brutal\n\n- a point\n"
    );
    assert_one_problem(
        &problems_of(&[("a.md", &deck)]),
        15,
        "unknown difficulty `brutal`",
    );
}

#[test]
fn a_bad_weight_is_reported_at_its_option() {
    for weight in ["0", "-1", "eleven", "11", "NaN"] {
        let deck = format!(
            "{HEADER}\n## Q?\n\nid: q | tags: django\n\n- a view returns a response\n  - weight: {weight}\n"
        );
        assert_one_problem(&problems_of(&[("a.md", &deck)]), 12, "bad weight");
    }
}

#[test]
fn an_alternative_with_no_words_is_reported_at_its_option() {
    for also in ["also:", "also: ,", "also: the, a"] {
        let deck = format!(
            "{HEADER}\n## Q?\n\nid: q | tags: django\n\n- a view returns a response\n  - weight: 2\n  - {also}\n"
        );
        let problems = problems_of(&[("a.md", &deck)]);
        assert!(!problems.is_empty(), "`{also}` should be reported");
        assert!(problems.iter().all(|p| p.line == 13), "{problems:#?}");
        assert!(problems[0].message.contains("has no words to match"));
    }
}

#[test]
fn an_unknown_key_point_option_is_reported() {
    let deck = format!(
        "{HEADER}\n## Q?\n\nid: q | tags: django\n\n- a view returns a response\n  - alias: x\n"
    );
    assert_one_problem(
        &problems_of(&[("a.md", &deck)]),
        12,
        "unknown key point option",
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_the_first_bad_byte() {
    let mut bytes = format!("{HEADER}{GOOD_QUESTION}").into_bytes();
    bytes.extend_from_slice(b"\n- caf\xe9 au lait\n");
    let problems = match Bank::from_sources(vec![("latin1.md".into(), bytes)]) {
        Ok(_) => panic!("the bank should not load"),
        Err(err) => err.problems,
    };
    assert_one_problem(&problems, 13, "not UTF-8");
}

#[test]
fn a_heading_deeper_than_a_question_is_reported() {
    let deck = format!("{HEADER}{GOOD_QUESTION}\n### Details\n\nMore text.\n");
    assert_one_problem(
        &problems_of(&[("a.md", &deck)]),
        13,
        "level-3 heading cannot be read",
    );
}

#[test]
fn a_second_title_after_questions_is_reported() {
    let deck = format!("{HEADER}{GOOD_QUESTION}\n# Another deck\n");
    assert_one_problem(&problems_of(&[("a.md", &deck)]), 13, "`#` heading");
}

#[test]
fn a_question_without_a_metadata_line_is_reported_at_its_heading() {
    let deck = format!("{HEADER}\n## Q?\n\n- a view returns a response\n");
    assert_one_problem(&problems_of(&[("a.md", &deck)]), 7, "no metadata line");
}

#[test]
fn an_invalid_question_id_is_reported() {
    let deck = format!("{HEADER}\n## Q?\n\nid: Not A Slug | tags: django\n\n- a point\n");
    assert_one_problem(&problems_of(&[("a.md", &deck)]), 9, "not a valid id");
}

#[test]
fn an_unknown_metadata_field_is_reported() {
    let deck = format!("{HEADER}\n## Q?\n\nid: q | level: 3\n\n- a point\n");
    assert_one_problem(
        &problems_of(&[("a.md", &deck)]),
        9,
        "unknown metadata field `level`",
    );
}

#[test]
fn a_deck_without_front_matter_is_reported() {
    let problems = problems_of(&[("a.md", GOOD_QUESTION)]);
    assert_one_problem(&problems, 1, "no id");
}

#[test]
fn an_unknown_deck_field_is_reported_at_its_line() {
    let deck = format!("---\nid: sample\ntitle: Sample\nauthor: me\n---\n{GOOD_QUESTION}");
    assert_one_problem(
        &problems_of(&[("a.md", &deck)]),
        4,
        "unknown deck field `author`",
    );
}

#[test]
fn a_deck_id_used_twice_is_reported() {
    let first = format!("{HEADER}{GOOD_QUESTION}");
    let second =
        format!("{HEADER}\n## Other?\n\nid: other | tags: x\n\n- another point entirely\n");
    let problems = problems_of(&[("a.md", &first), ("b.md", &second)]);
    assert_one_problem(&problems, 1, "duplicate deck id `sample`");
}

#[test]
fn example_answers_that_grade_against_their_label_are_reported() {
    let deck = format!(
        "{HEADER}\n## What does a view do?\n\nid: view | tags: django\n\n\
         - a view takes an HTTP request\n- a view returns an HTTP response\n\n\
         Good answer: it renders templates.\n\n\
         Partial answer: a view takes the HTTP request.\n\n\
         Wrong answer: a view takes an HTTP request and returns an HTTP response.\n"
    );
    let problems = problems_of(&[("a.md", &deck)]);
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert!(lines.contains(&14), "the weak good example: {problems:#?}");
    assert!(
        lines.contains(&18),
        "the high-scoring wrong example: {problems:#?}"
    );
    let good = problems
        .iter()
        .find(|p| p.line == 14)
        .map(|p| p.message.clone());
    assert!(good.is_some_and(|m| m.contains("good example answer scores 0, below 60")));
}

#[test]
fn every_problem_is_reported_at_once() {
    let deck = format!(
        "{HEADER}\n## A?\n\nid: a | difficulty: brutal\n\n- point one\n  - weight: 0\n\n### Nested\n"
    );
    let problems = problems_of(&[("a.md", &deck)]);
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [9, 12, 14]);
    assert_eq!(
        problems[0].to_string(),
        "a.md:9: unknown difficulty `brutal` (use easy, medium or hard)"
    );
}

#[test]
fn loading_a_folder_reads_every_deck_below_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("more");
    std::fs::create_dir(&nested).expect("nested dir");
    std::fs::write(dir.path().join("a.md"), format!("{HEADER}{GOOD_QUESTION}")).expect("write");
    std::fs::write(
        nested.join("b.md"),
        "---\nid: b\ntitle: B\n---\n\n## B?\n\nid: b-question | tags: x\n\n- bee stings hurt\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("README.txt"), "not a deck").expect("write");
    let bank = Bank::load(dir.path()).expect("valid bank");
    assert_eq!(bank.decks().len(), 2);
    assert!(bank.question("b-question").is_some());
}

#[test]
fn an_empty_folder_is_not_a_bank() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = Bank::load(dir.path()).expect_err("no decks");
    assert!(err.problems[0].message.contains("no decks"));
}

#[test]
fn example_answers_on_consecutive_lines_are_separate_examples() {
    let deck = format!(
        "{HEADER}\n## What does a view do?\n\nid: view | tags: django\n\n\
         - a view takes an HTTP request\n- a view returns an HTTP response\n\n\
         Hint: think about the request cycle.\n\
         Good answer: it takes the HTTP request and returns an HTTP response\n\
         Partial answer: it takes a request\n\
         and does something with it.\n\
         Wrong answer: it stores rows in the database.\n"
    );
    let bank = Bank::from_sources(vec![("a.md".into(), deck.into_bytes())]).expect("valid deck");
    let question = bank.question("view").expect("question exists");
    assert_eq!(
        question.hint.as_deref(),
        Some("think about the request cycle.")
    );
    let examples: Vec<(usize, &str)> = question
        .examples
        .iter()
        .map(|e| (e.line, e.text.as_str()))
        .collect();
    assert_eq!(
        examples,
        [
            (15, "it takes the HTTP request and returns an HTTP response"),
            (16, "it takes a request and does something with it."),
            (18, "it stores rows in the database."),
        ]
    );
}
