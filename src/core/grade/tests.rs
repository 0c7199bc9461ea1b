//! Unit tests for grading: scores, the checklist, weights, alternatives and typos; negation, bags of
//! words, scattered words, related words and the prompt's words.

use super::*;
use crate::core::bank::Bank;
use crate::core::text::related_stems;

const DECK: &str = "---\nid: orm\ntitle: ORM\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium\n\n\
- `select_related()` follows foreign keys with a SQL join\n  - also: single query\n  - weight: 2\n\
- `prefetch_related()` runs a separate query per relation\n  - also: second query, extra query\n\
- `prefetch_related()` works for many-to-many relations\n\n\
## How does Python manage memory?\n\n\
id: python-memory | tags: python | difficulty: easy\n\n\
- objects live on a private heap\n\
- the Python memory manager owns the heap\n\
- reference counting frees objects\n  - also: refcount\n\n\
## How do you keep a server room cool?\n\n\
id: server-room | tags: ops\n\n\
- fresh air\n- cold aisles\n- humidity sensors\n\n\
## Why do teams write unit tests?\n\n\
id: unit-tests | tags: testing\n\n\
- tests catch errors early\n  - also: regressions, alters\n\
- UDP sends datagrams without delivery guarantees\n";

fn bank() -> Bank {
    Bank::from_sources(vec![("orm.md".into(), DECK.as_bytes().to_vec())])
        .expect("the test deck is valid")
}

fn score(id: &str, answer: &str) -> u8 {
    let bank = bank();
    let question = bank.question(id).expect("question exists");
    grade(question, answer).score
}

#[test]
fn an_empty_answer_scores_zero() {
    assert_eq!(score("select-vs-prefetch", ""), 0);
    assert_eq!(score("select-vs-prefetch", "   \n\t "), 0);
}

#[test]
fn a_complete_answer_in_other_words_scores_full_marks() {
    let answer = "selectrelated joins the foreign key table so it's a single query; \
                      prefetch related does a second query for each relation and it works for \
                      many to many fields";
    assert_eq!(score("select-vs-prefetch", answer), 100);
}

#[test]
fn identifiers_match_however_they_are_spaced() {
    let bank = bank();
    let question = bank
        .question("select-vs-prefetch")
        .expect("question exists");
    for spelling in [
        "select_related()",
        "select related",
        "selectrelated",
        "SelectRelated",
    ] {
        let grade = grade(
            question,
            &format!("{spelling} follows the foreign key with a join"),
        );
        assert!(
            grade.checklist[0].covered,
            "{spelling} should cover the join point"
        );
    }
}

#[test]
fn the_checklist_names_the_words_that_matched() {
    let bank = bank();
    let question = bank
        .question("select-vs-prefetch")
        .expect("question exists");
    let grade = grade(
        question,
        "select_related follows the foreign key with a JOIN",
    );
    assert!(grade.checklist[0].covered);
    assert_eq!(
        grade.checklist[0].matched,
        ["select_related", "follows", "foreign", "key", "JOIN"]
    );
    assert!(!grade.checklist[1].covered);
}

#[test]
fn weights_make_a_key_point_count_more() {
    // The first key point weighs 2 of 4, the second 1 of 4; both answers have about as many of the
    // question's words, so the weight makes the difference.
    let weighted = score(
        "select-vs-prefetch",
        "it follows foreign keys with a SQL join",
    );
    let unweighted = score(
        "select-vs-prefetch",
        "prefetch_related runs a separate query",
    );
    assert!(weighted > unweighted + 20, "{weighted} vs {unweighted}");
}

#[test]
fn an_alternative_covers_a_key_point_on_its_own() {
    let grade = check("python-memory", "it keeps a refcount");
    assert!(grade.checklist[2].covered);
    assert_eq!(grade.checklist[2].matched, ["refcount"]);
    assert!(grade.score > 50, "scored {}", grade.score);
}

#[test]
fn small_typos_still_count() {
    assert!(
        score(
            "python-memory",
            "a privte heap managed by the pyhton memroy manager"
        ) >= 66
    );
}

#[test]
fn a_hyphenated_word_is_one_term_however_it_is_written() {
    assert_eq!(Terms::of("many-to-many relations").len(), 2);
    let bank = bank();
    let question = bank
        .question("select-vs-prefetch")
        .expect("question exists");
    for spelling in ["many-to-many", "ManyToMany", "many to many"] {
        let grade = grade(question, &format!("prefetch_related works for {spelling}"));
        assert!(grade.checklist[2].covered, "{spelling}");
    }
    let grade = grade(question, "prefetch_related is one of many ways");
    assert!(
        !grade.checklist[2].covered,
        "`many` alone is not many-to-many"
    );
}

#[test]
fn a_short_word_is_not_matched_inside_a_longer_one() {
    let bank = bank();
    let question = bank.question("server-room").expect("question exists");
    let with_chair = grade(question, "a fresh chair");
    assert!(
        !with_chair.checklist[0].covered,
        "`chair` must not pass for `air`"
    );
    let with_air = grade(question, "fresh air");
    assert!(with_air.checklist[0].covered);
}

#[test]
fn a_good_answer_to_another_question_scores_low() {
    let answer = "Python keeps objects on a private heap managed by its memory manager, and \
                      frees them with reference counting.";
    assert_eq!(score("python-memory", answer), 100);
    assert!(score("select-vs-prefetch", answer) <= 10);
}

fn check(id: &str, answer: &str) -> Grade {
    let bank = bank();
    let question = bank.question(id).expect("question exists");
    grade(question, answer)
}

#[test]
fn a_negated_statement_does_not_cover_the_key_point_it_denies() {
    let said = check(
        "select-vs-prefetch",
        "select_related follows foreign keys with a join",
    );
    let denied = check(
        "select-vs-prefetch",
        "select_related does not follow foreign keys with a join",
    );
    assert!(said.checklist[0].covered);
    assert!(!denied.checklist[0].covered);
    assert!(denied.score < said.score / 3, "scored {}", denied.score);
    assert_eq!(
        denied.checklist[0].denied,
        ["follow", "foreign", "keys", "join"]
    );
}

#[test]
fn a_correct_answer_that_says_not_elsewhere_keeps_its_credit() {
    let plain = score(
        "select-vs-prefetch",
        "select_related follows foreign keys with a SQL join",
    );
    let with_not = score(
        "select-vs-prefetch",
        "select_related follows foreign keys with a SQL join, so it does not need another trip",
    );
    assert_eq!(with_not, plain);
}

#[test]
fn a_key_point_that_denies_is_covered_by_an_answer_that_denies_too() {
    let denies = check(
        "unit-tests",
        "UDP sends its datagrams with no delivery guarantee",
    );
    assert!(denies.checklist[1].covered);
    let affirms = check("unit-tests", "UDP guarantees delivery");
    assert!(!affirms.checklist[1].covered);
    assert!(affirms.checklist[1]
        .denied
        .contains(&"guarantees".to_string()));
}

#[test]
fn a_bag_of_the_key_points_words_scores_below_40_but_a_terse_sentence_does_not() {
    let bag = score(
        "select-vs-prefetch",
        "select_related foreign keys sql join prefetch_related separate query relation many-to-many",
    );
    assert!(bag < 40, "a bag of words scored {bag}");
    let terse = score(
        "select-vs-prefetch",
        "select_related: SQL join on foreign keys. prefetch_related: a separate query, also for many-to-many.",
    );
    assert!(terse >= 80, "a terse answer scored {terse}");
}

#[test]
fn words_of_a_key_point_count_less_when_they_are_scattered() {
    let together = check("select-vs-prefetch", "it follows foreign keys");
    let scattered = check(
        "select-vs-prefetch",
        "It follows. It is foreign. Keys matter.",
    );
    assert!(together.checklist[0].covered);
    assert!(!scattered.checklist[0].covered);
    assert!(
        scattered.score < together.score,
        "{} is not below {}",
        scattered.score,
        together.score
    );
}

#[test]
fn a_related_word_covers_a_key_point_word_and_the_checklist_says_which() {
    let grade = check("unit-tests", "they catch mistakes early");
    assert!(grade.checklist[0].covered);
    assert_eq!(
        grade.checklist[0].related,
        [RelatedWord {
            said: "mistakes".into(),
            for_word: "errors".into()
        }]
    );
    assert!(grade.checklist[0].matched.contains(&"mistakes".to_string()));
}

#[test]
fn related_words_alone_do_not_make_a_key_point() {
    let grade = check("unit-tests", "mistakes happen");
    assert!(grade.checklist[0].related.is_empty());
    assert!(grade.checklist[0].matched.is_empty());
    assert_eq!(grade.score, 0);
}

#[test]
fn an_alternative_is_matched_by_its_own_words_only() {
    // `alters` is the author's alternative; its related word `changes` does not stand in for it.
    assert!(!related_stems("alter").is_empty());
    assert!(check("unit-tests", "they prevent regressions").checklist[0].covered);
    assert!(check("unit-tests", "it alters").checklist[0].covered);
    assert!(!check("unit-tests", "it changes").checklist[0].covered);
}

#[test]
fn words_the_prompt_already_says_count_for_less() {
    // "tests" is in the prompt: saying only it earns less than saying only "early".
    let prompt_word = score("unit-tests", "tests");
    let own_word = score("unit-tests", "early");
    assert!(
        prompt_word < own_word,
        "{prompt_word} is not below {own_word}"
    );
}

#[test]
fn repeating_the_prompt_covers_no_key_point() {
    let bank = bank();
    for question in bank.questions() {
        let echo = grade(question, &question.prompt);
        assert_eq!(echo.covered_count(), 0, "{}", question.prompt);
    }
}

#[test]
fn an_answer_that_says_the_opposite_of_part_of_a_key_point_does_not_cover_it() {
    let grade = check("unit-tests", "UDP sends datagrams with delivery guarantees");
    assert!(!grade.checklist[1].covered);
    assert!(grade.checklist[1].denied.contains(&"delivery".to_string()));
}
