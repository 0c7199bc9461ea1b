//! Markdown into blocks: front matter, headings, paragraphs and lists, each with its line, for the
//! deck parser. The inline-text helpers are shared with the notes importer.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

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

type Events<'a> =
    std::iter::Peekable<pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>>;

pub(super) fn blocks(text: &str) -> Vec<Block> {
    let lines = Lines::of(text);
    let mut events: Events<'_> = Parser::new_ext(text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS)
        .into_offset_iter()
        .peekable();
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
    blocks
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
