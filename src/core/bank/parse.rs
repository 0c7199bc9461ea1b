//! Reading a deck file's blocks into a deck and its questions: front matter, `##` questions, their
//! metadata line, key points, hints, example answers and explanation. Every problem is reported at
//! its line and the deck is kept only when there is none.

use std::collections::HashMap;
use std::path::Path;

use super::markdown::{blocks, Block, Item, TooDeep};
use super::{
    is_slug, Alternative, Deck, Difficulty, Example, ExampleLabel, KeyPoint, Problem, Question,
    QuestionId, MAX_NESTING, MAX_WEIGHT,
};
use crate::core::grade::{weigh_against_prompt, StemGuide, Terms};

struct DeckParser<'a> {
    path: &'a Path,
    problems: &'a mut Vec<Problem>,
}

impl DeckParser<'_> {
    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            path: self.path.to_path_buf(),
            line,
            message: message.into(),
        });
    }
}

/// A question being read, before it is known to be complete.
struct Draft {
    prompt: String,
    line: usize,
    blocks_seen: usize,
    id: Option<QuestionId>,
    tags: Vec<String>,
    difficulty: Difficulty,
    section: Option<String>,
    key_points: Option<Vec<KeyPoint>>,
    hint: Option<String>,
    explanation: Vec<String>,
    examples: Vec<Example>,
}

pub(super) fn parse_deck(
    path: &Path,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<(Deck, Vec<Question>)> {
    let before = problems.len();
    let mut parser = DeckParser { path, problems };
    let mut front: HashMap<String, String> = HashMap::new();
    let mut title_heading: Option<String> = None;
    let mut drafts: Vec<Draft> = Vec::new();

    let blocks = match blocks(text) {
        Ok(blocks) => blocks,
        Err(TooDeep { line }) => {
            parser.problem(
                line,
                format!(
                    "nested too deeply: lists and block quotes go at most {MAX_NESTING} levels deep"
                ),
            );
            return None;
        }
    };
    for block in blocks {
        match block {
            Block::FrontMatter { text, line } => {
                for (offset, raw) in text.lines().enumerate() {
                    let raw = raw.trim();
                    if raw.is_empty() || raw.starts_with('#') {
                        continue;
                    }
                    let line = line + 1 + offset;
                    match raw.split_once(':') {
                        Some((key, value)) if ["id", "title", "notes"].contains(&key.trim()) => {
                            front.insert(key.trim().to_string(), value.trim().to_string());
                        }
                        Some((key, _)) => parser.problem(
                            line,
                            format!("unknown deck field `{}` (known: id, title, notes)", key.trim()),
                        ),
                        None => parser.problem(line, format!("`{raw}` is not a `key: value` line")),
                    }
                }
            }
            Block::Heading { level: 1, text, line } => {
                if drafts.is_empty() && title_heading.is_none() {
                    title_heading = Some(text);
                } else {
                    parser.problem(
                        line,
                        "a `#` heading is only read as the deck's title, before the first `##` question",
                    );
                }
            }
            Block::Heading { level: 2, text, line } => {
                if text.is_empty() {
                    parser.problem(line, "question heading has no text");
                }
                drafts.push(Draft {
                    prompt: text,
                    line,
                    blocks_seen: 0,
                    id: None,
                    tags: Vec::new(),
                    difficulty: Difficulty::Medium,
                    section: None,
                    key_points: None,
                    hint: None,
                    explanation: Vec::new(),
                    examples: Vec::new(),
                });
            }
            Block::Heading { level, line, .. } => parser.problem(
                line,
                format!(
                    "a level-{level} heading cannot be read: a deck has a `#` title and `##` questions; \
                     make this a `##` question or plain text"
                ),
            ),
            block => {
                if let Some(draft) = drafts.last_mut() {
                    read_question_block(&mut parser, draft, block);
                }
            }
        }
    }

    let Some(deck_id) = front.get("id").cloned() else {
        parser.problem(
            1,
            "the deck has no id: start the file with front matter (`---`, `id: …`, `---`)",
        );
        return None;
    };
    if !is_slug(&deck_id) {
        parser.problem(
            1,
            format!("deck id `{deck_id}` is not valid: use lower-case letters, digits and dashes"),
        );
    }
    let title = front
        .get("title")
        .cloned()
        .or(title_heading)
        .unwrap_or_default();
    if title.is_empty() {
        parser.problem(
            1,
            "the deck has no title: add `title:` to the front matter or a `#` heading",
        );
    }
    if drafts.is_empty() {
        parser.problem(1, "the deck has no questions (`##` headings)");
    }

    let mut questions = Vec::with_capacity(drafts.len());
    for draft in drafts {
        if let Some(question) = finish_question(&mut parser, draft, &deck_id, path) {
            questions.push(question);
        }
    }
    let deck = Deck {
        id: deck_id,
        title,
        notes: front.get("notes").cloned().filter(|n| !n.is_empty()),
        path: path.to_path_buf(),
    };
    (problems.len() == before).then_some((deck, questions))
}

fn read_question_block(parser: &mut DeckParser<'_>, draft: &mut Draft, block: Block) {
    draft.blocks_seen += 1;
    let first = draft.blocks_seen == 1;
    match block {
        Block::Paragraph { text, line } if first && has_field(&text, "id") => {
            read_metadata(parser, draft, &text.replace('\n', " "), line)
        }
        _ if first => parser.problem(
            draft.line,
            "question has no metadata line: under the heading write `id: … | tags: … | difficulty: …`",
        ),
        Block::List { items } if draft.key_points.is_none() => {
            draft.key_points = Some(read_key_points(parser, items));
        }
        Block::List { items } => draft
            .explanation
            .push(items.iter().map(|i| format!("- {}", i.text)).collect::<Vec<_>>().join("\n")),
        Block::Paragraph { text, line } => read_labelled_paragraph(parser, draft, text, line),
        Block::Other { text } if !text.is_empty() => draft.explanation.push(text),
        _ => {}
    }
}

fn has_field(text: &str, key: &str) -> bool {
    text.split_once(':')
        .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(key))
}

fn read_metadata(parser: &mut DeckParser<'_>, draft: &mut Draft, text: &str, line: usize) {
    for field in text.split('|').map(str::trim).filter(|f| !f.is_empty()) {
        let Some((key, value)) = field.split_once(':') else {
            parser.problem(
                line,
                format!("metadata field `{field}` is not `key: value`"),
            );
            continue;
        };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "id" => match QuestionId::parse(value) {
                Ok(id) => draft.id = Some(id),
                Err(message) => parser.problem(line, message),
            },
            "tags" => {
                for tag in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    let tag = tag.to_lowercase();
                    if is_slug(&tag) {
                        draft.tags.push(tag);
                    } else {
                        parser.problem(
                            line,
                            format!("tag `{tag}` is not valid: use lower-case letters, digits and dashes"),
                        );
                    }
                }
            }
            "difficulty" => match Difficulty::parse(value) {
                Some(difficulty) => draft.difficulty = difficulty,
                None => parser.problem(
                    line,
                    format!("unknown difficulty `{value}` (use easy, medium or hard)"),
                ),
            },
            "section" => draft.section = Some(value.to_string()).filter(|s| !s.is_empty()),
            other => parser.problem(
                line,
                format!("unknown metadata field `{other}` (known: id, tags, difficulty, section)"),
            ),
        }
    }
}

fn read_key_points(parser: &mut DeckParser<'_>, items: Vec<Item>) -> Vec<KeyPoint> {
    let mut key_points = Vec::with_capacity(items.len());
    for item in items {
        if item.text.is_empty() {
            parser.problem(item.line, "empty key point");
            continue;
        }
        let terms = Terms::of(&item.text);
        if terms.is_empty() {
            parser.problem(
                item.line,
                format!(
                    "key point `{}` has no words to grade (only stop-words)",
                    item.text
                ),
            );
        }
        let mut key_point = KeyPoint {
            text: item.text,
            weight: 1.0,
            alternatives: Vec::new(),
            terms,
        };
        for option in item.children {
            read_key_point_option(parser, &mut key_point, option);
        }
        key_points.push(key_point);
    }
    key_points
}

fn read_key_point_option(parser: &mut DeckParser<'_>, key_point: &mut KeyPoint, option: Item) {
    let (name, value) = option
        .text
        .split_once(':')
        .unwrap_or((option.text.as_str(), ""));
    let value = value.trim();
    match name.trim().to_ascii_lowercase().as_str() {
        "also" => {
            let alternatives: Vec<&str> = value.split(',').map(str::trim).collect();
            for text in alternatives {
                let terms = Terms::of(text).exactly();
                if terms.is_empty() {
                    let shown = if text.is_empty() { "(empty)" } else { text };
                    parser.problem(
                        option.line,
                        format!("alternative `{shown}` has no words to match"),
                    );
                    continue;
                }
                key_point.alternatives.push(Alternative {
                    text: text.to_string(),
                    terms,
                });
            }
        }
        "weight" => match value.parse::<f64>() {
            Ok(weight) if weight.is_finite() && weight > 0.0 && weight <= MAX_WEIGHT => {
                key_point.weight = weight
            }
            _ => parser.problem(
                option.line,
                format!("bad weight `{value}`: use a number above 0 and at most {MAX_WEIGHT}"),
            ),
        },
        _ => parser.problem(
            option.line,
            format!(
                "unknown key point option `{}` (use `also: …` or `weight: N`)",
                option.text
            ),
        ),
    }
}

/// What a line of a paragraph under a question starts with.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    Hint,
    Example(ExampleLabel),
}

impl Label {
    /// The label a line starts with, and the rest of the line.
    fn of(line: &str) -> Option<(Label, &str)> {
        let (label, rest) = line.split_once(':')?;
        let label = match label.trim().to_ascii_lowercase().as_str() {
            "hint" => Label::Hint,
            "good answer" => Label::Example(ExampleLabel::Good),
            "partial answer" => Label::Example(ExampleLabel::Partial),
            "wrong answer" => Label::Example(ExampleLabel::Wrong),
            _ => return None,
        };
        Some((label, rest.trim()))
    }
}

/// A paragraph after the key points: a hint, example answers or explanation. A line that starts with
/// a label (`Hint:`, `Good answer:` …) starts a new entry, so examples may sit on consecutive lines.
fn read_labelled_paragraph(
    parser: &mut DeckParser<'_>,
    draft: &mut Draft,
    text: String,
    line: usize,
) {
    let mut entries: Vec<(Option<Label>, String, usize)> = Vec::new();
    for (offset, text_line) in text.lines().enumerate() {
        match (Label::of(text_line), entries.last_mut()) {
            (Some((label, rest)), _) => {
                entries.push((Some(label), rest.to_string(), line + offset))
            }
            (None, Some((_, entry, _))) => {
                entry.push(' ');
                entry.push_str(text_line.trim());
            }
            (None, None) => entries.push((None, text_line.trim().to_string(), line + offset)),
        }
    }
    for (label, text, line) in entries {
        match label {
            Some(Label::Hint) if text.is_empty() => parser.problem(line, "empty hint"),
            Some(Label::Hint) => draft.hint = Some(text),
            Some(Label::Example(label)) if text.is_empty() => {
                parser.problem(line, format!("empty {} answer", label.as_str()))
            }
            Some(Label::Example(label)) => draft.examples.push(Example { label, text, line }),
            None => draft.explanation.push(text),
        }
    }
}

fn finish_question(
    parser: &mut DeckParser<'_>,
    draft: Draft,
    deck: &str,
    path: &Path,
) -> Option<Question> {
    if draft.blocks_seen == 0 {
        parser.problem(
            draft.line,
            "question has no metadata line: under the heading write `id: … | tags: … | difficulty: …`",
        );
        return None;
    }
    // Without an id the metadata line was missing or wrong, which is already reported.
    let id = draft.id?;
    let mut key_points = draft.key_points.unwrap_or_default();
    let stem_guide = StemGuide::of(&key_points);
    weigh_against_prompt(&mut key_points, &draft.prompt, &stem_guide);
    if key_points.is_empty() {
        parser.problem(
            draft.line,
            "question has no key points: list them as bullets under the metadata line",
        );
    }
    Some(Question {
        id,
        stem_guide,
        deck: deck.to_string(),
        prompt: draft.prompt,
        tags: draft.tags,
        difficulty: draft.difficulty,
        section: draft.section,
        key_points,
        hint: draft.hint,
        explanation: Some(draft.explanation.join("\n\n")).filter(|e| !e.is_empty()),
        examples: draft.examples,
        path: path.to_path_buf(),
        line: draft.line,
    })
}
