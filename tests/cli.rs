//! The `interview-bot` command line as a user runs it: `bank check`, `bank list --json`,
//! `grade --json` and `import`, through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use interview_bot::core::bank::Bank;
use serde_json::Value;

const DECK: &str = "---\nid: orm\ntitle: ORM\nnotes: notes.md\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm, performance | difficulty: hard | section: ORM\n\n\
- `select_related()` follows foreign keys with a SQL join\n  - also: single query\n\
- `prefetch_related()` runs a separate query per relation\n";

fn interview_bot(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interview-bot"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn bank_with(deck: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("orm.md"), deck).expect("write deck");
    dir
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn grade_json_has_the_documented_shape() {
    let bank = bank_with(DECK);
    let output = interview_bot(&[
        "grade",
        "--question",
        "select-vs-prefetch",
        "--answer",
        "select_related makes a single query with a join",
        "--bank",
        path_str(bank.path()),
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    assert_eq!(keys(&json), ["key_points", "question", "score"]);
    assert_eq!(json["question"], "select-vs-prefetch");
    // The first key point is covered (its `single query` alternative). The second has 6 words,
    // `prefetch_related` weighing a quarter because the prompt says it; "query" is 1 of the 2.625
    // (half of 5.25) that would cover it, so it earns 0.381 ("related" inside `select_related` is
    // a code name, not the word "relation"): 0.69 for the key points. The answer has more than 30 %
    // of the question's words (all of the covered key point's and "query"), a full overlap. The
    // score is the mean of the two: 85.
    assert_eq!(json["score"], 85);
    let first = &json["key_points"][0];
    assert_eq!(keys(first), ["covered", "matched", "text"]);
    assert_eq!(
        first["text"],
        "`select_related()` follows foreign keys with a SQL join"
    );
    assert_eq!(first["covered"], true);
    assert_eq!(
        first["matched"],
        serde_json::json!(["select_related", "single", "query", "join"])
    );
    assert_eq!(json["key_points"][1]["covered"], false);
}

#[test]
fn grade_without_json_prints_a_checklist() {
    let bank = bank_with(DECK);
    let output = interview_bot(&[
        "grade",
        "--question",
        "select-vs-prefetch",
        "--answer",
        "it does a join on the foreign key",
        "--bank",
        path_str(bank.path()),
    ]);
    let text = stdout(&output);
    assert!(text.contains("Score: 73/100"), "{text}");
    assert!(text.contains("[x] `select_related()`"), "{text}");
    assert!(text.contains("[ ] `prefetch_related()`"), "{text}");
}

#[test]
fn grading_an_unknown_question_says_so_politely() {
    let bank = bank_with(DECK);
    let output = interview_bot(&[
        "grade",
        "--question",
        "no-such-question",
        "--answer",
        "x",
        "--bank",
        path_str(bank.path()),
    ]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("There is no question `no-such-question`"));
}

#[test]
fn bank_list_json_has_the_documented_shape() {
    let bank = bank_with(DECK);
    let output = interview_bot(&["bank", "list", path_str(bank.path()), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    let questions = json.as_array().expect("an array of questions");
    assert_eq!(questions.len(), 1);
    let question = &questions[0];
    assert_eq!(
        keys(question),
        ["deck", "difficulty", "id", "key_points", "prompt", "tags"]
    );
    assert_eq!(question["id"], "select-vs-prefetch");
    assert_eq!(question["deck"], "orm");
    assert_eq!(
        question["prompt"],
        "What is the difference between `select_related()` and `prefetch_related()`?"
    );
    assert_eq!(question["tags"], serde_json::json!(["orm", "performance"]));
    assert_eq!(question["difficulty"], "hard");
    assert_eq!(
        question["key_points"],
        serde_json::json!([
            "`select_related()` follows foreign keys with a SQL join",
            "`prefetch_related()` runs a separate query per relation"
        ])
    );
}

#[test]
fn bank_check_prints_a_summary_and_succeeds_on_a_valid_bank() {
    let bank = bank_with(DECK);
    let output = interview_bot(&["bank", "check", path_str(bank.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("1 deck, 1 question, 2 key points"), "{text}");
    assert!(text.contains("tags: orm (1), performance (1)"), "{text}");
}

#[test]
fn bank_check_lists_each_problem_with_its_line_and_fails() {
    let broken = DECK.replace("difficulty: hard", "difficulty: extreme") + "\n### Nested\n";
    let bank = bank_with(&broken);
    let output = interview_bot(&["bank", "check", path_str(bank.path())]);
    assert!(!output.status.success());
    let deck = bank.path().join("orm.md");
    let errors = stderr(&output);
    assert!(
        errors.contains(&format!(
            "{}:9: unknown difficulty `extreme`",
            deck.display()
        )),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("{}:15: a level-3 heading", deck.display())),
        "{errors}"
    );
    assert!(errors.contains("2 problems"), "{errors}");
}

#[test]
fn importing_the_seed_notes_makes_a_draft_that_passes_check() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out: PathBuf = out_dir.path().join("draft.md");
    let output = interview_bot(&[
        "import",
        "notes/django-drf-python.md",
        "--out",
        path_str(&out),
        "--id",
        "notes-draft",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let draft = std::fs::read_to_string(&out).expect("the draft was written");
    for garbled in ["â€", "ðŸ", "Ã"] {
        assert!(!draft.contains(garbled), "`{garbled}` left in the draft");
    }
    assert!(draft.contains("Django’s"), "apostrophes are repaired");
    let bank = Bank::load(out_dir.path()).expect("the draft passes bank check");
    assert!(
        bank.questions().len() >= 50,
        "{} questions",
        bank.questions().len()
    );
    let prompts: Vec<&str> = bank.questions().iter().map(|q| q.prompt.as_str()).collect();
    assert!(prompts
        .contains(&"What’s the difference between `select_related()` and `prefetch_related()`?"));
    let report = stderr(&output);
    assert!(
        report.contains("heading `List Comprehension` has only code under it"),
        "{report}"
    );
    assert!(report.contains("Wrote 5"), "{report}");

    let check = interview_bot(&["bank", "check", path_str(out_dir.path())]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn an_imported_question_keeps_its_bullets_as_key_points() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("draft.md");
    let output = interview_bot(&[
        "import",
        "notes/django-drf-python.md",
        "--out",
        path_str(&out),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bank = Bank::load(&out).expect("the draft passes bank check");
    let memory = bank
        .questions()
        .iter()
        .find(|q| q.section.as_deref() == Some("Python Concepts > Memory Management"))
        .expect("the Memory Management section became a question");
    let key_points: Vec<&str> = memory.key_points.iter().map(|k| k.text.as_str()).collect();
    assert_eq!(
        key_points,
        [
            "Python uses a private heap.",
            "Managed by the Python Memory Manager.",
            "Includes sharing, segmentation, preallocation, and caching."
        ]
    );
    let json_utils = bank
        .questions()
        .iter()
        .find(|q| q.section.as_deref() == Some("JSON Utilities"))
        .expect("the table became a question");
    assert_eq!(
        json_utils.key_points[0].text,
        "`json.dumps()`: Converts Python object to JSON string"
    );
}

#[test]
fn importing_a_missing_file_fails_with_a_message() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("draft.md");
    let output = interview_bot(&["import", "no/such/notes.md", "--out", path_str(&out)]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("Cannot read no/such/notes.md"));
    assert!(!out.exists());
}

#[test]
fn bank_overlap_reports_answers_that_score_on_other_questions() {
    let deck = format!(
        "{DECK}\nGood answer: select_related follows the foreign key with a join in a single query, prefetch_related runs a separate query per relation.\n\n\
         ## What does a SQL join do?\n\nid: sql-join | tags: sql\n\n- combines rows of two tables\n- matches rows on a foreign key\n\n\
         Good answer: it combines rows of two tables, matching rows on a foreign key.\n"
    );
    let bank = bank_with(&deck);
    let output = interview_bot(&["bank", "overlap", path_str(bank.path()), "--min", "60"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("2 pairs: median"), "{text}");
    assert!(text.contains("1 pair scoring 60 or more:"), "{text}");
    assert!(
        text.contains("good answer of select-vs-prefetch on sql-join: \"matches rows on a foreign key\" by foreign, key"),
        "{text}"
    );
}

#[test]
fn run_help_names_every_front_door() {
    let output = interview_bot(&["run", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for token in ["DISCORD_TOKEN", "SLACK_BOT_TOKEN", "console"] {
        assert!(help.contains(token), "`{token}` missing from:\n{help}");
    }
}

#[test]
fn practice_rebuild_recomputes_memories_from_the_review_log() {
    let bank = bank_with(DECK);
    let db = bank.path().join("practice.db");
    let output = interview_bot(&[
        "practice",
        "rebuild",
        "--bank",
        path_str(bank.path()),
        "--db",
        path_str(&db),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim(),
        "Rebuilt 0 memories from the review log."
    );
}
