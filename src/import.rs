//! Turning notes-shaped Markdown into a draft deck: every heading with text of its own becomes a
//! question, its bullets (or table rows, or sentences) become key points, numbering and bold markers
//! are dropped and cp1252 mojibake is repaired. What cannot become a question is reported, not guessed.

use std::collections::HashSet;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::core::bank::{inline_text, push_inline};
use crate::core::grade::Terms;

/// A draft deck and what the import left out.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The deck, in the format `bank check` reads.
    pub markdown: String,
    pub questions: usize,
    /// One line per part of the notes that did not become a question, with its line number.
    pub skipped: Vec<String>,
}

/// Where the notes came from and what to call the deck.
#[derive(Debug, Clone)]
pub struct DeckInfo {
    pub id: String,
    pub title: String,
    pub notes: String,
}

/// Repairs text that was UTF-8, decoded as cp1252 and saved again (`Djangoâ€™s` → `Django’s`).
/// Only sequences that decode to valid UTF-8 are changed, so text that was never garbled stays as it is.
pub fn repair_mojibake(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let bytes: Vec<Option<u8>> = chars.iter().map(|c| cp1252_byte(*c)).collect();
    let mut repaired = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(len) = bytes[i].and_then(utf8_sequence_len) {
            let sequence: Option<Vec<u8>> = bytes
                .get(i..i + len)
                .map(|s| s.iter().flatten().copied().collect());
            if let Some(decoded) = sequence
                .filter(|s| s.len() == len)
                .and_then(|s| String::from_utf8(s).ok())
            {
                repaired.push_str(&decoded);
                i += len;
                continue;
            }
        }
        repaired.push(chars[i]);
        i += 1;
    }
    repaired
}

/// The cp1252 byte a non-ASCII character stands for, if it has one.
fn cp1252_byte(c: char) -> Option<u8> {
    if c.is_ascii() {
        return None;
    }
    let mut buffer = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
    match (unmappable, bytes.as_ref()) {
        (false, [byte]) => Some(*byte),
        _ => None,
    }
}

/// How long a UTF-8 sequence starting with this lead byte is (lead bytes of 2 to 4 byte sequences).
fn utf8_sequence_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// One heading of the notes and what stands under it before the next heading.
struct Section {
    path: Vec<String>,
    line: usize,
    key_points: Vec<String>,
    sentences: Vec<String>,
    code_blocks: usize,
}

/// Builds a draft deck from notes.
pub fn import_notes(notes: &str, info: &DeckInfo) -> Draft {
    let text = repair_mojibake(notes);
    let (sections, mut skipped) = sections(&text);
    let mut used_ids = HashSet::new();
    let mut markdown = format!(
        "---\nid: {}\ntitle: {}\nnotes: {}\n---\n\n# {}\n",
        info.id, info.title, info.notes, info.title
    );
    let mut questions = 0;
    for section in sections {
        let heading = section.path.last().cloned().unwrap_or_default();
        let mut key_points = if section.key_points.is_empty() {
            section.sentences.clone()
        } else {
            section.key_points.clone()
        };
        key_points.retain(|k| !Terms::of(k).is_empty());
        if key_points.is_empty() {
            let why = if section.code_blocks > 0 {
                "has only code under it"
            } else {
                "has no text of its own"
            };
            skipped.push(format!(
                "line {}: heading `{heading}` {why}: no question made",
                section.line
            ));
            continue;
        }
        let id = unique_id(&heading, &mut used_ids);
        let tag = section
            .path
            .first()
            .filter(|_| section.path.len() > 1)
            .map(|parent| short_slug(parent, 3))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| info.id.clone());
        let prompt = if heading.ends_with('?') {
            heading.clone()
        } else {
            format!("What do you know about {heading}?")
        };
        let section_path = section.path.join(" > ").replace('|', "/");
        markdown.push_str(&format!(
            "\n## {prompt}\n\nid: {id} | tags: {tag} | difficulty: medium | section: {section_path}\n\n"
        ));
        for key_point in key_points {
            markdown.push_str(&format!("- {}\n", escape_line_start(&key_point)));
        }
        questions += 1;
    }
    Draft {
        markdown,
        questions,
        skipped,
    }
}

fn sections(text: &str) -> (Vec<Section>, Vec<String>) {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|s| *s <= offset);
    let mut sections: Vec<Section> = Vec::new();
    let mut skipped = Vec::new();
    let mut heading_stack: Vec<(usize, String)> = Vec::new();
    let mut events = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
    while let Some((event, range)) = events.next() {
        let line = line_of(range.start);
        let Event::Start(tag) = event else { continue };
        match tag {
            Tag::Heading { level, .. } => {
                let level = level as usize;
                // A setext heading takes every line of the paragraph above its underline; only the
                // last line is the heading, the rest is prose that belongs to no question.
                let text = collect_text(&mut events);
                let (before, last) = text.rsplit_once('\n').unwrap_or(("", &text));
                if !before.trim().is_empty() {
                    skipped.push(format!(
                        "line {line}: text before the heading `{}`: not part of a question",
                        last.trim()
                    ));
                }
                let heading = clean_heading(last);
                heading_stack.retain(|(l, _)| *l < level);
                heading_stack.push((level, heading));
                sections.push(Section {
                    path: heading_stack
                        .iter()
                        .filter(|(l, _)| *l > 1)
                        .map(|(_, h)| h.clone())
                        .collect(),
                    line,
                    key_points: Vec::new(),
                    sentences: Vec::new(),
                    code_blocks: 0,
                });
            }
            tag => {
                let Some(section) = sections.last_mut() else {
                    skip_block(&mut events);
                    skipped.push(format!(
                        "line {line}: text before the first heading: not part of a question"
                    ));
                    continue;
                };
                match tag {
                    Tag::List(_) => section.key_points.extend(list_key_points(&mut events)),
                    Tag::Table(_) => section.key_points.extend(table_key_points(&mut events)),
                    Tag::Paragraph => {
                        section
                            .sentences
                            .extend(sentences(&collect_text(&mut events).replace('\n', " ")));
                    }
                    Tag::CodeBlock(_) => {
                        skip_block(&mut events);
                        section.code_blocks += 1;
                    }
                    _ => skip_block(&mut events),
                }
            }
        }
    }
    sections.retain(|s| !s.path.is_empty() || !s.key_points.is_empty() || !s.sentences.is_empty());
    (sections, skipped)
}

type OffsetEvents<'a> = pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>;

fn skip_block(events: &mut OffsetEvents<'_>) {
    collect_text(events);
}

/// The text up to the end of the element just started, one line per line of the notes, spaces folded.
fn collect_text(events: &mut OffsetEvents<'_>) -> String {
    inline_text(events, "\n")
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn push_text(text: &mut String, event: Event<'_>) {
    push_inline(text, event, "\n");
}

/// Top-level items of a list, each with its nested items folded in: `Batteries included: ORM, Admin`.
fn list_key_points(events: &mut OffsetEvents<'_>) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 1;
    let mut current = String::new();
    let mut nested: Vec<String> = Vec::new();
    let mut nested_current = String::new();
    for (event, _) in events.by_ref() {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::End(TagEnd::Item) if depth == 1 => {
                items.push(fold_item(&current, &nested));
                current.clear();
                nested.clear();
            }
            Event::End(TagEnd::Item) => {
                let text = nested_current
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !text.is_empty() {
                    nested.push(text);
                }
                nested_current.clear();
            }
            Event::End(TagEnd::Paragraph) if depth == 1 => current.push(' '),
            Event::End(TagEnd::Paragraph) => nested_current.push(' '),
            event if depth == 1 => push_text(&mut current, event),
            event => push_text(&mut nested_current, event),
        }
    }
    items.retain(|i| !i.is_empty());
    items
}

fn fold_item(text: &str, nested: &[String]) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if nested.is_empty() {
        return text;
    }
    let lead = text.trim_end_matches(':').trim();
    if lead.is_empty() {
        nested.join(", ")
    } else {
        format!("{lead}: {}", nested.join(", "))
    }
}

/// Body rows of a table as `first cell: other cells`.
fn table_key_points(events: &mut OffsetEvents<'_>) -> Vec<String> {
    let mut rows = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut in_head = false;
    for (event, _) in events.by_ref() {
        match event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                cells.clear();
            }
            Event::End(TagEnd::TableCell) => {
                cells.push(cell.split_whitespace().collect::<Vec<_>>().join(" "));
                cell.clear();
            }
            Event::End(TagEnd::TableRow) if !in_head => {
                if let Some((first, rest)) = cells.split_first() {
                    let rest: Vec<&str> = rest
                        .iter()
                        .map(String::as_str)
                        .filter(|c| !c.is_empty())
                        .collect();
                    rows.push(if rest.is_empty() {
                        first.clone()
                    } else {
                        format!("{first}: {}", rest.join(" / "))
                    });
                }
                cells.clear();
            }
            Event::End(TagEnd::Table) => break,
            event => push_text(&mut cell, event),
        }
    }
    rows
}

fn sentences(paragraph: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut current = String::new();
    let mut chars = paragraph.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '.' | '?' | '!') && chars.peek().is_none_or(|n| n.is_whitespace()) {
            sentences.push(current.trim().to_string());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        sentences.push(current.trim().to_string());
    }
    sentences
}

/// Drops numbering (`14.`), emoji and other symbols in front, and a trailing colon.
fn clean_heading(heading: &str) -> String {
    let trimmed = heading.trim_start_matches(|c: char| !(c.is_alphanumeric() || c == '`'));
    let without_number = match trimmed.split_once(". ") {
        Some((number, rest))
            if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => trimmed,
    };
    without_number
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_string()
}

/// A slug of at most `words` words of `text`.
fn short_slug(text: &str, words: usize) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(words)
        .map(|w| w.to_lowercase())
        .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect::<Vec<_>>()
        .join("-")
}

fn unique_id(heading: &str, used: &mut HashSet<String>) -> String {
    let mut base = short_slug(heading, 8);
    if base.is_empty() {
        base = "question".into();
    }
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Keeps a key point from being read as a nested list, heading or quote when written after `- `.
fn escape_line_start(text: &str) -> String {
    let numbered = text
        .split_once(['.', ')'])
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if numbered || text.starts_with(['#', '>', '-', '*', '+']) {
        let mut chars = text.char_indices();
        let at = if numbered {
            chars
                .find(|(_, c)| *c == '.' || *c == ')')
                .map_or(0, |(i, _)| i)
        } else {
            0
        };
        format!("{}\\{}", &text[..at], &text[at..])
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests;
