//! Unit tests for the notes importer: mojibake repair, heading cleanup and escaped key points.

use super::*;

#[test]
fn mojibake_is_repaired() {
    assert_eq!(repair_mojibake("Djangoâ€™s"), "Django’s");
    assert_eq!(repair_mojibake("Donâ€™t Repeat"), "Don’t Repeat");
    assert_eq!(repair_mojibake("ðŸ”§ Intermediate"), "🔧 Intermediate");
    assert_eq!(
        repair_mojibake("structureâ€”requires"),
        "structure—requires"
    );
}

#[test]
fn text_that_was_never_garbled_is_left_alone() {
    for text in [
        "Django’s ORM",
        "café à la carte",
        "naïve — “quoted”",
        "plain ascii",
    ] {
        assert_eq!(repair_mojibake(text), text);
    }
}

#[test]
fn headings_lose_numbering_symbols_and_trailing_colons() {
    assert_eq!(clean_heading("14. What’s new?"), "What’s new?");
    assert_eq!(
        clean_heading("🔧 Intermediate Questions"),
        "Intermediate Questions"
    );
    assert_eq!(clean_heading("Good Unit Tests Are:"), "Good Unit Tests Are");
    assert_eq!(
        clean_heading("`setUp()` and `tearDown()`"),
        "`setUp()` and `tearDown()`"
    );
}

#[test]
fn key_points_that_look_like_markdown_are_escaped() {
    assert_eq!(escape_line_start("1. first"), "1\\. first");
    assert_eq!(escape_line_start("# not a heading"), "\\# not a heading");
    assert_eq!(escape_line_start("plain"), "plain");
}
