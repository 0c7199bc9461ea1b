//! Unit tests for words: splitting identifiers, normalising, stemming, stop-words and typos.

use super::*;

fn lowers(text: &str) -> Vec<String> {
    let words = Words::of(text);
    words
        .parts()
        .iter()
        .map(|p| words.lower(p).to_string())
        .collect()
}

#[test]
fn identifiers_split_into_their_words() {
    assert_eq!(lowers("select_related()"), ["select", "related"]);
    assert_eq!(lowers("ForeignKey"), ["foreign", "key"]);
    assert_eq!(lowers("GenericAPIView"), ["generic", "api", "view"]);
    assert_eq!(lowers("__init__.py"), ["init", "py"]);
    assert_eq!(lowers("pep8"), ["pep8"]);
    assert_eq!(lowers("APIs and URLs"), ["apis", "and", "urls"]);
    assert_eq!(lowers("gRPC iOS"), ["grpc", "ios"]);
    assert_eq!(
        lowers("PgBouncer APITestCase"),
        ["pg", "bouncer", "api", "test", "case"]
    );
}

#[test]
fn compatibility_characters_are_normalised() {
    assert_eq!(lowers("ﬁlter ＡＰＩ"), ["filter", "api"]);
}

#[test]
fn stop_words_have_no_stem_and_others_are_stemmed() {
    let words = Words::of("The caching of queries");
    let stems: Vec<Option<&str>> = words.parts().iter().map(|p| words.stem(p)).collect();
    assert_eq!(stems, [None, Some("cach"), None, Some("queri")]);
}

#[test]
fn tokens_keep_their_spelling() {
    let words = Words::of("Use select_related(), then ﬁlter");
    let tokens: Vec<&str> = (0..words.token_count()).map(|t| words.token(t)).collect();
    assert_eq!(tokens, ["Use", "select_related", "then", "filter"]);
}

#[test]
fn only_words_worth_stemming_get_a_stem() {
    let words = Words::stemming_only("caching queries", |w| {
        if w.starts_with("que") {
            Stemming::Compute
        } else {
            Stemming::Skip
        }
    });
    let stems: Vec<Option<&str>> = words.parts().iter().map(|p| words.stem(p)).collect();
    assert_eq!(stems, [None, Some("queri")]);
}

#[test]
fn the_stop_word_list_is_sorted_for_binary_search() {
    assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    assert!(STOP_WORDS.iter().all(|w| w.len() <= LONGEST_STOP_WORD));
}

#[test]
fn small_typos_are_forgiven_on_long_words_only() {
    assert!(is_typo_of("serializr", "serializer"));
    assert!(is_typo_of("midleware", "middleware"));
    assert!(is_typo_of("modle", "model"));
    assert!(!is_typo_of("air", "chair"));
    assert!(!is_typo_of("chair", "air"));
    assert!(!is_typo_of("view", "vied"));
    assert!(!is_typo_of("serializer", "deserializer"));
}
