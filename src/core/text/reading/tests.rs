//! Unit tests for reading a text: sentences, bags of words and the reach of a negation.

use super::*;

fn negated_words(text: &str) -> Vec<String> {
    let words = Words::of(text);
    let reading = Reading::of(&words);
    (0..words.token_count())
        .filter(|t| reading.negated(*t))
        .map(|t| words.token(t).to_string())
        .collect()
}

fn loose_sentences(text: &str) -> Vec<bool> {
    let words = Words::of(text);
    let reading = Reading::of(&words);
    let last = (0..words.token_count())
        .map(|t| reading.sentence(t))
        .max()
        .unwrap_or(0);
    (0..=last).map(|s| reading.is_loose(s)).collect()
}

#[test]
fn a_negation_reaches_the_words_after_it_in_its_clause() {
    assert_eq!(
        negated_words("select_related does NOT use a join, and prefetch runs a query"),
        ["use", "a", "join"]
    );
    assert_eq!(negated_words("UDP has no handshake"), ["handshake"]);
    assert_eq!(
        negated_words("It doesn't need a base case. It stops."),
        ["need", "a", "base", "case"]
    );
    assert_eq!(negated_words("it doesnt need one"), ["need", "one"]);
    assert_eq!(
        negated_words("prefetch runs a second query instead of a join"),
        ["a", "join"]
    );
    assert_eq!(
        negated_words("sent without any guarantee"),
        ["any", "guarantee"]
    );
}

#[test]
fn a_negation_stops_at_a_contrast_or_after_a_few_words() {
    assert_eq!(
        negated_words("UDP is not reliable but it is fast"),
        ["reliable"]
    );
    assert_eq!(
        negated_words("never a b c d e f g h"),
        ["a", "b", "c", "d", "e", "f"]
    );
}

#[test]
fn not_only_and_just_are_not_negations() {
    assert!(negated_words("it not only joins but also caches").is_empty());
    assert!(negated_words("Not just one query").is_empty());
}

#[test]
fn a_text_without_negation_says_so() {
    let words = Words::of("select_related uses a join in one query");
    assert!(!Reading::of(&words).has_negation());
}

#[test]
fn sentences_end_at_stops_semicolons_and_line_breaks_but_not_inside_names() {
    let words = Words::of("JOIN in one query; prefetch runs. django.db.models\nnext: one");
    let reading = Reading::of(&words);
    let sentences: Vec<usize> = (0..words.token_count())
        .map(|t| reading.sentence(t))
        .collect();
    assert_eq!(sentences, [0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 4]);
}

#[test]
fn a_run_of_key_words_is_a_bag_but_a_terse_sentence_is_prose() {
    assert_eq!(
        loose_sentences("join single query second query python many-to-many foreign keys"),
        [true]
    );
    assert_eq!(
        loose_sentences("JOIN in one query; prefetch runs a second query and joins in Python"),
        [false, false]
    );
    assert_eq!(loose_sentences("tcp reliable, udp not"), [false]);
}

#[test]
fn a_whole_answer_of_short_keyword_lines_is_a_bag() {
    assert_eq!(
        loose_sentences(
            "select_related join single query\nprefetch second query python\nforeign keys"
        ),
        [true, true, true]
    );
}

#[test]
fn brackets_dashes_and_a_quoted_but_end_a_negation_too() {
    assert_eq!(
        negated_words("node does not block (it uses an event loop)"),
        ["block"]
    );
    assert_eq!(
        negated_words("node does not \"block\" but uses an event loop"),
        ["block"]
    );
    assert_eq!(negated_words("it is not fast — it scales"), ["fast"]);
}

#[test]
fn full_stops_between_key_words_do_not_make_sentences_of_them() {
    assert_eq!(
        loose_sentences("join. single query. second query. python. many-to-many. foreign keys."),
        [true, true, true, true, true, true]
    );
    assert_eq!(
        loose_sentences("Resolves names. Uses UDP port 53."),
        [false, false]
    );
}
