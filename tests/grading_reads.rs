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

#[test]
fn repeating_the_question_earns_little_on_the_notes_decks() {
    let bank = Bank::load(Path::new("content")).expect("content/ loads");
    // A key point made only of the prompt's words ("managed by the Python memory manager" for "How
    // does Python manage memory?") is covered by repeating the question; no other is.
    let mut scores = Vec::new();
    for question in bank.questions() {
        let echo = grade(question, &question.prompt);
        assert!(echo.covered_count() <= 1, "{}", question.prompt);
        scores.push(echo.score);
    }
    scores.sort_unstable();
    let at = |share: f64| scores[((scores.len() - 1) as f64 * share) as usize];
    assert!(at(0.5) <= 10, "median {}", at(0.5));
    assert!(at(0.9) <= 30, "90th percentile {}", at(0.9));
    assert!(at(1.0) <= 40, "highest {}", at(1.0));
}

#[test]
fn full_stops_between_the_key_points_words_do_not_make_them_an_answer() {
    let answer = "join. single query. second query. python. many-to-many. foreign keys.";
    let grade = graded("select-vs-prefetch-related", answer);
    assert!(grade.score < 40, "scored {}", grade.score);
}
