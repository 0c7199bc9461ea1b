//! The grader reads answers to the notes' decks, not just their words: a statement that denies a
//! key point does not cover it, a bag of the key points' words earns little, and a terse but real
//! answer keeps its score.

use std::path::Path;

use interview_bot::core::bank::Bank;
use interview_bot::core::grade::{grade, Grade};

fn graded(question: &str, answer: &str) -> Grade {
    let bank = Bank::load(Path::new("content")).expect("content/ loads");
    let question = bank
        .question(question)
        .expect("the question is in content/");
    grade(question, answer)
}

#[test]
fn an_answer_that_denies_the_key_points_scores_little_on_the_notes_deck() {
    let answer =
        "select_related does NOT use a join, and prefetch_related does not run a second query";
    let grade = graded("select-vs-prefetch-related", answer);
    assert!(grade.score < 20, "scored {}", grade.score);
    assert!(grade.checklist[0].denied.iter().any(|w| w == "join"));
}

#[test]
fn a_bag_of_the_key_points_words_scores_below_40_on_the_notes_deck() {
    let answer = "join single query second query python many-to-many foreign keys";
    let grade = graded("select-vs-prefetch-related", answer);
    assert!(grade.score < 40, "scored {}", grade.score);
}

#[test]
fn a_terse_but_real_answer_keeps_its_score_on_the_notes_deck() {
    // 59 before the grader read sentences and negations.
    let answer = "JOIN in one query; prefetch runs a second query and joins in Python";
    let grade = graded("select-vs-prefetch-related", answer);
    assert!(grade.score >= 59, "scored {}", grade.score);
    assert!(grade.checklist[0].covered && grade.checklist[2].covered);
}

#[test]
fn a_paraphrase_earns_credit_through_related_words_and_says_so() {
    let grade = graded(
        "django-middleware",
        "Middleware changes the outgoing response on its way back.",
    );
    let related: Vec<(&str, &str)> = grade
        .checklist
        .iter()
        .flat_map(|c| &c.related)
        .map(|r| (r.said.as_str(), r.for_word.as_str()))
        .collect();
    assert!(related.contains(&("changes", "alters")), "{related:?}");
    assert!(grade.checklist[2].covered);
}
