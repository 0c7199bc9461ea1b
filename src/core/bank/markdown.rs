//! Markdown into blocks: front matter, headings, paragraphs and lists, each with its line, for the
//! deck parser. Lists and block quotes nest at most [`MAX_NESTING`] deep. The inline-text helpers
//! are shared with the notes importer.

use std::ops::Range;

use pulldown_cmark::{DefaultBrokenLinkCallback, Event, OffsetIter, Options, Parser, Tag, TagEnd};

use super::MAX_NESTING;

#[derive(Debug)]
pub(super) enum Block {
    FrontMatter {
        text: String,
        line: usize,
    },
    Heading {
        level: usize,
        text: String,
        line: usize,
    },
    Paragraph {
        text: String,
        line: usize,
    },
    List {
        items: Vec<Item>,
    },
    Other {
        text: String,
    },
}

#[derive(Debug)]
pub(super) struct Item {
    pub(super) text: String,
    pub(super) line: usize,
    pub(super) children: Vec<Item>,
}

struct Lines(Vec<usize>);

impl Lines {
    fn of(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|start| *start <= offset)
    }
}

/// Where a deck's lists or block quotes go deeper than [`MAX_NESTING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooDeep {
    pub(super) line: usize,
}

/// A deck's Markdown events, ending at the first list or block quote nested deeper than
/// [`MAX_NESTING`]: reading list items recurses once per level, so an unbounded depth would
/// overflow the stack, while no deck needs more than a few levels.
struct Events<'a> {
    events: OffsetIter<'a, DefaultBrokenLinkCallback>,
    depth: usize,
    too_deep_at: Option<usize>,
}

impl<'a> Iterator for Events<'a> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.too_deep_at.is_some() {
            return None;
        }
        let (event, range) = self.events.next()?;
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    self.too_deep_at = Some(range.start);
                    return None;
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {}
        }
        Some((event, range))
    }
}

/// The blocks of a deck, or where its nesting goes too deep to read.
pub(super) fn blocks(text: &str) -> Result<Vec<Block>, TooDeep> {
    let lines = Lines::of(text);
    let mut events = Events {
        events: Parser::new_ext(text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS)
            .into_offset_iter(),
        depth: 0,
        too_deep_at: None,
    };
    let mut blocks = Vec::new();
    while let Some((event, range)) = events.next() {
        let line = lines.line(range.start);
        let Event::Start(tag) = event else { continue };
        let block = match tag {
            Tag::MetadataBlock(_) => Block::FrontMatter {
                text: inline_text(&mut events, "\n"),
                line,
            },
            Tag::Heading { level, .. } => Block::Heading {
                level: level as usize,
                text: inline_text(&mut events, " "),
                line,
            },
            Tag::Paragraph => Block::Paragraph {
                text: inline_text(&mut events, "\n"),
                line,
            },
            Tag::List(_) => Block::List {
                items: list_items(&mut events, &lines),
            },
            _ => Block::Other {
                text: inline_text(&mut events, "\n"),
            },
        };
        blocks.push(block);
    }
    match events.too_deep_at {
        Some(offset) => Err(TooDeep {
            line: lines.line(offset),
        }),
        None => Ok(blocks),
    }
}

/// The text of the element just started, up to its end; inline code keeps its backticks and line
/// breaks become `line_break`. Shared with the notes importer, which reads Markdown the same way.
pub(crate) fn inline_text<'a, R>(
    events: &mut impl Iterator<Item = (Event<'a>, R)>,
    line_break: &str,
) -> String {
    let mut text = String::new();
    let mut depth = 1;
    for (event, _) in events.by_ref() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            other => push_inline(&mut text, other, line_break),
        }
    }
    text.trim().to_string()
}

/// Appends an inline event's text (see [`inline_text`]).
pub(crate) fn push_inline(text: &mut String, event: Event<'_>, line_break: &str) {
    match event {
        Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => text.push_str(&t),
        Event::Code(c) => {
            text.push('`');
            text.push_str(&c);
            text.push('`');
        }
        Event::SoftBreak | Event::HardBreak => text.push_str(line_break),
        _ => {}
    }
}

fn list_items(events: &mut Events<'_>, lines: &Lines) -> Vec<Item> {
    let mut items = Vec::new();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::Item) => items.push(list_item(events, lines, range)),
            Event::End(TagEnd::List(_)) => break,
            _ => {}
        }
    }
    items
}

fn list_item(events: &mut Events<'_>, lines: &Lines, range: Range<usize>) -> Item {
    let mut item = Item {
        text: String::new(),
        line: lines.line(range.start),
        children: Vec::new(),
    };
    while let Some((event, _)) = events.next() {
        match event {
            Event::Start(Tag::List(_)) => item.children.extend(list_items(events, lines)),
            Event::End(TagEnd::Item) => break,
            Event::End(TagEnd::Paragraph) => item.text.push(' '),
            other => push_inline(&mut item.text, other, " "),
        }
    }
    item.text = item.text.trim().to_string();
    item
}
