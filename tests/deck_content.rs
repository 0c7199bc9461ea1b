//! The decks shipped in `content/`: valid, written from every section of the notes, and graded the
//! way their authors labelled their example answers.

use std::collections::BTreeSet;
use std::path::Path;

use interview_bot::core::bank::{Bank, ExampleLabel, Question};
use interview_bot::core::grade::grade;
use interview_bot::import::repair_mojibake;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

const NOTES: &str = "notes/django-drf-python.md";

fn bank() -> Bank {
    match Bank::load(Path::new("content")) {
        Ok(bank) => bank,
        Err(err) => panic!("content/ does not pass bank check:\n{err}"),
    }
}

/// Letters and digits only, lower case: how headings are compared, whatever their punctuation,
/// numbering, emoji or apostrophes.
fn comparable(heading: &str) -> String {
    let without_number = heading
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches('.');
    without_number
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The `##` and `###` headings of the notes, with the level of each.
fn notes_headings() -> Vec<(HeadingLevel, String)> {
    let bytes = std::fs::read(NOTES).expect("the notes are in the repository");
    let notes = repair_mojibake(&String::from_utf8_lossy(&bytes));
    let mut headings = Vec::new();
    let mut current: Option<(HeadingLevel, String)> = None;
    for event in Parser::new(&notes) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new())),
            // A setext heading's text starts after the paragraph lines above its underline.
            Event::SoftBreak => {
                if let Some((_, text)) = current.as_mut() {
                    text.clear();
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
            _ => {}
        }
    }
    headings
        .into_iter()
        .filter(|(level, _)| matches!(level, HeadingLevel::H2 | HeadingLevel::H3))
        .collect()
}

fn section_parts(question: &Question) -> Vec<String> {
    question
        .section
        .as_deref()
        .unwrap_or_default()
        .split(" > ")
        .map(comparable)
        .collect()
}

#[test]
fn the_notes_have_the_sections_this_test_expects() {
    let headings = notes_headings();
    let intermediate = headings
        .iter()
        .skip_while(|(_, h)| !h.contains("Intermediate Django Interview Questions"))
        .filter(|(level, _)| *level == HeadingLevel::H3)
        .count();
    assert_eq!(intermediate, 25, "the 25 intermediate questions");
    assert!(headings.iter().any(|(_, h)| h == "WHAT IS AN ARCHITECTURE"));
    assert!(headings.len() >= 60, "{} headings", headings.len());
}

#[test]
fn every_section_of_the_notes_has_a_question() {
    let bank = bank();
    let covered: BTreeSet<String> = bank.questions().iter().flat_map(section_parts).collect();
    let missing: Vec<String> = notes_headings()
        .into_iter()
        .filter(|(_, heading)| !covered.contains(&comparable(heading)))
        .map(|(_, heading)| heading)
        .collect();
    assert!(
        missing.is_empty(),
        "sections without a question: {missing:#?}"
    );
}

#[test]
fn every_question_names_a_section_that_is_in_the_notes() {
    let headings: BTreeSet<String> = notes_headings()
        .iter()
        .map(|(_, h)| comparable(h))
        .collect();
    for question in bank().questions() {
        assert!(question.section.is_some(), "{} has no section", question.id);
        for part in section_parts(question) {
            assert!(
                headings.contains(&part),
                "{}: section part `{part}` is not a heading of the notes",
                question.id
            );
        }
    }
}

#[test]
fn the_decks_have_enough_questions_key_points_and_examples() {
    let bank = bank();
    assert!(
        bank.questions().len() >= 60,
        "{} questions",
        bank.questions().len()
    );
    for question in bank.questions() {
        let n = question.key_points.len();
        assert!((3..=6).contains(&n), "{} has {n} key points", question.id);
        assert!(
            question.hint.is_some() || question.explanation.is_some(),
            "{} has neither hint nor explanation",
            question.id
        );
    }
    let with_examples = bank
        .questions()
        .iter()
        .filter(|q| !q.examples.is_empty())
        .count();
    assert!(
        with_examples >= 20,
        "{with_examples} questions with examples"
    );
    for deck in bank.decks() {
        assert_eq!(
            deck.notes.as_deref(),
            Some(NOTES),
            "deck {} names its notes",
            deck.id
        );
    }
}

#[test]
fn the_decks_are_clean_text() {
    for entry in std::fs::read_dir("content").expect("content/ exists") {
        let path = entry.expect("readable entry").path();
        let text = std::fs::read_to_string(&path).expect("decks are UTF-8");
        for garbled in ["â€", "ðŸ", "Ã", "Â", "\u{fffd}"] {
            assert!(
                !text.contains(garbled),
                "{} contains `{garbled}`",
                path.display()
            );
        }
    }
}

#[test]
fn good_examples_outscore_partial_ones_which_outscore_wrong_ones() {
    let bank = bank();
    let mut compared = 0;
    for question in bank.questions() {
        let scores = |label: ExampleLabel| -> Vec<u8> {
            question
                .examples
                .iter()
                .filter(|e| e.label == label)
                .map(|e| grade(question, &e.text).score)
                .collect()
        };
        let (good, partial, wrong) = (
            scores(ExampleLabel::Good),
            scores(ExampleLabel::Partial),
            scores(ExampleLabel::Wrong),
        );
        if let (Some(g), Some(p), Some(w)) =
            (good.iter().min(), partial.iter().max(), wrong.iter().max())
        {
            assert!(
                g > p && p > w,
                "{}: good {good:?}, partial {partial:?}, wrong {wrong:?}",
                question.id
            );
            compared += 1;
        }
    }
    assert!(
        compared >= 20,
        "only {compared} questions have all three labels"
    );
}

#[test]
fn a_good_answer_to_one_question_scores_low_on_the_others() {
    // Questions of one deck share their vocabulary, and the grader credits partial answers (related
    // words, half a key point's words, the overlap with all the question's words), so a good answer
    // earns something on its neighbours (the select_related answer partly answers the N+1 question);
    // most score little there, and it scores higher on its own question.
    let bank = bank();
    let (mut scores, mut pairs, mut above_own) = (Vec::new(), 0, 0);
    for question in bank.questions() {
        for example in question
            .examples
            .iter()
            .filter(|e| e.label == ExampleLabel::Good)
        {
            let own = grade(question, &example.text).score;
            for other in bank.questions().iter().filter(|o| o.id != question.id) {
                let score = grade(other, &example.text).score;
                pairs += 1;
                if score >= own {
                    above_own += 1;
                }
                scores.push(score);
            }
        }
    }
    scores.sort_unstable();
    let at = |share: f64| scores[((scores.len() - 1) as f64 * share) as usize];
    assert!(scores.len() > 1000);
    assert!(at(0.5) <= 5, "median {}", at(0.5));
    assert!(at(0.9) <= 45, "90th percentile {}", at(0.9));
    assert!(at(0.99) <= 80, "99th percentile {}", at(0.99));
    assert!(
        above_own * 1000 <= pairs,
        "{above_own} of {pairs} good answers score at least as well on another question"
    );
}

#[test]
fn typos_in_a_good_answer_cost_little() {
    let bank = bank();
    let question = bank
        .question("select-vs-prefetch-related")
        .expect("the select_related question");
    let clean = "select_related follows ForeignKey and OneToOne relations with a SQL JOIN in a single \
                 query, while prefetch_related runs a separate query for each relation and joins the \
                 results in Python, which also works for ManyToMany and reverse foreign keys";
    let typos = "selct_related follows ForiegnKey and OneToOne relatoins with a SQL JOIN in a singel \
                 qeury, while prefetch_realted runs a seperate query for each relation and joins the \
                 resluts in Pyhton, which also works for ManyToMany and reverse foriegn keys";
    let (clean, typos) = (grade(question, clean).score, grade(question, typos).score);
    assert!(clean >= 80, "clean answer scored {clean}");
    assert!(
        typos + 15 >= clean,
        "typos cost too much: {clean} -> {typos}"
    );
}

#[test]
fn an_empty_or_unrelated_answer_scores_nothing_on_any_question() {
    for question in bank().questions() {
        assert_eq!(grade(question, "").score, 0, "{}", question.id);
        let unrelated = grade(
            question,
            "I had pancakes with blueberries for breakfast this morning.",
        );
        assert!(
            unrelated.score <= 10,
            "{} gave {} to a breakfast story",
            question.id,
            unrelated.score
        );
    }
}
