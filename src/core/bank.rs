//! The question bank: decks of questions, each with key points, read from Markdown files.
//! Parsing and validation are one step: a bank is built whole from valid decks or not at all, and
//! every problem found is reported as `path:line: message` so an author can jump to it.
//! The format is documented in the README's *Deck format* section.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::grade::{grade, StemGuide, Terms};

/// The highest weight a key point may carry.
pub const MAX_WEIGHT: f64 = 10.0;
/// A good example answer must score at least this much.
pub const GOOD_EXAMPLE_MIN: u8 = 60;
/// A wrong example answer must score at most this much.
pub const WRONG_EXAMPLE_MAX: u8 = 30;

/// A question's stable identifier, a lower-case slug unique across the bank.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct QuestionId(String);

impl QuestionId {
    /// Accepts a slug of lower-case letters, digits and inner dashes.
    pub fn parse(raw: &str) -> Result<QuestionId, String> {
        if is_slug(raw) {
            Ok(QuestionId(raw.to_string()))
        } else {
            Err(format!(
                "`{raw}` is not a valid id: use lower-case letters, digits and dashes"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_slug(raw: &str) -> bool {
    !raw.is_empty()
        && !raw.starts_with('-')
        && !raw.ends_with('-')
        && raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub fn parse(raw: &str) -> Option<Difficulty> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "easy" => Some(Difficulty::Easy),
            "medium" => Some(Difficulty::Medium),
            "hard" => Some(Difficulty::Hard),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fact a good answer mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPoint {
    pub text: String,
    pub weight: f64,
    pub alternatives: Vec<Alternative>,
    pub(crate) terms: Terms,
}

/// Other words or a phrase that also cover a key point.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub text: String,
    pub(crate) terms: Terms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleLabel {
    Wrong,
    Partial,
    Good,
}

impl ExampleLabel {
    fn as_str(self) -> &'static str {
        match self {
            ExampleLabel::Wrong => "wrong",
            ExampleLabel::Partial => "partial",
            ExampleLabel::Good => "good",
        }
    }
}

/// An example answer an author labelled, used to check that grading agrees with the label.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub label: ExampleLabel,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: QuestionId,
    /// Id of the deck the question is in.
    pub deck: String,
    pub prompt: String,
    /// Tags in the author's order; the first is the question's topic.
    pub tags: Vec<String>,
    pub difficulty: Difficulty,
    /// The heading path of the notes the question comes from (`Parent > Child`).
    pub section: Option<String>,
    pub key_points: Vec<KeyPoint>,
    pub hint: Option<String>,
    pub explanation: Option<String>,
    pub examples: Vec<Example>,
    pub path: PathBuf,
    pub line: usize,
    pub(crate) stem_guide: StemGuide,
}

impl Question {
    pub fn topic(&self) -> Option<&str> {
        self.tags.first().map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub id: String,
    pub title: String,
    /// The notes the deck was written from: a path or a URL.
    pub notes: Option<String>,
    pub path: PathBuf,
}

impl Deck {
    /// Where a reader finds the notes' section a question comes from.
    pub fn notes_link(&self, section: Option<&str>) -> Option<String> {
        let notes = self.notes.as_deref()?;
        match section.and_then(|s| s.rsplit(" > ").next()) {
            Some(heading) => Some(format!("{notes}#{}", anchor(heading))),
            None => Some(notes.to_string()),
        }
    }
}

/// The anchor a Markdown renderer gives a heading: lower case, spaces as dashes, punctuation dropped.
pub fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Something wrong in a deck file, at a line an author can jump to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based; 0 when the problem is with the file as a whole.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
        }
    }
}

/// Every problem that kept a bank from loading.
#[derive(Debug, Clone, PartialEq)]
pub struct BankError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(Problem::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for BankError {}

/// Counts for `bank check`'s summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub decks: usize,
    pub questions: usize,
    pub key_points: usize,
    pub examples: usize,
    /// Questions per tag.
    pub tags: BTreeMap<String, usize>,
}

/// All decks of a bank, validated.
#[derive(Debug, Clone)]
pub struct Bank {
    decks: Vec<Deck>,
    questions: Vec<Question>,
    index: HashMap<QuestionId, usize>,
}

impl Bank {
    /// Loads every `*.md` file below `dir` (or the one deck file `dir` names). Either the whole bank
    /// is valid or nothing is returned.
    pub fn load(dir: &Path) -> Result<Bank, BankError> {
        let mut files = Vec::new();
        if dir.is_file() {
            files.push(dir.to_path_buf());
        } else if let Err(err) = collect_markdown_files(dir, &mut files) {
            return Err(single_problem(dir, format!("cannot read the bank: {err}")));
        }
        if files.is_empty() {
            return Err(single_problem(
                dir,
                "no decks found (no `*.md` files)".into(),
            ));
        }
        files.sort();
        let mut sources = Vec::with_capacity(files.len());
        let mut problems = Vec::new();
        for path in files {
            match std::fs::read(&path) {
                Ok(bytes) => sources.push((path, bytes)),
                Err(err) => problems.push(Problem {
                    path,
                    line: 0,
                    message: format!("cannot read the file: {err}"),
                }),
            }
        }
        if !problems.is_empty() {
            return Err(BankError { problems });
        }
        Bank::from_sources(sources)
    }

    /// Builds a bank from deck files already read: `(path, contents)` pairs.
    pub fn from_sources(sources: Vec<(PathBuf, Vec<u8>)>) -> Result<Bank, BankError> {
        let mut problems = Vec::new();
        let mut decks = Vec::new();
        let mut questions: Vec<Question> = Vec::new();
        for parsed in parse_in_parallel(sources) {
            problems.extend(parsed.problems);
            if let Some((deck, deck_questions)) = parsed.deck {
                decks.push(deck);
                questions.extend(deck_questions);
            }
        }

        let mut deck_ids: HashMap<&str, &Deck> = HashMap::new();
        for deck in &decks {
            if let Some(first) = deck_ids.insert(deck.id.as_str(), deck) {
                problems.push(Problem {
                    path: deck.path.clone(),
                    line: 1,
                    message: format!(
                        "duplicate deck id `{}` (also used by {})",
                        deck.id,
                        first.path.display()
                    ),
                });
            }
        }

        let mut index = HashMap::with_capacity(questions.len());
        for (i, question) in questions.iter().enumerate() {
            if let Some(first) = index.insert(question.id.clone(), i) {
                let first = &questions[first];
                problems.push(Problem {
                    path: question.path.clone(),
                    line: question.line,
                    message: format!(
                        "duplicate question id `{}` (first used at {}:{})",
                        question.id,
                        first.path.display(),
                        first.line
                    ),
                });
            }
        }

        if problems.is_empty() {
            Ok(Bank {
                decks,
                questions,
                index,
            })
        } else {
            problems.sort();
            Err(BankError { problems })
        }
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        let id = QuestionId::parse(id).ok()?;
        self.index.get(&id).map(|i| &self.questions[*i])
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn decks(&self) -> &[Deck] {
        &self.decks
    }

    pub fn deck(&self, id: &str) -> Option<&Deck> {
        self.decks.iter().find(|d| d.id == id)
    }

    pub fn summary(&self) -> Summary {
        let mut tags = BTreeMap::new();
        for question in &self.questions {
            for tag in &question.tags {
                *tags.entry(tag.clone()).or_insert(0) += 1;
            }
        }
        Summary {
            decks: self.decks.len(),
            questions: self.questions.len(),
            key_points: self.questions.iter().map(|q| q.key_points.len()).sum(),
            examples: self.questions.iter().map(|q| q.examples.len()).sum(),
            tags,
        }
    }
}

/// One deck file, parsed and checked on its own.
struct ParsedFile {
    deck: Option<(Deck, Vec<Question>)>,
    problems: Vec<Problem>,
}

fn parse_file(path: PathBuf, bytes: Vec<u8>) -> ParsedFile {
    let mut problems = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            problems.push(Problem {
                path,
                line,
                message: "the file is not UTF-8 text (save it as UTF-8)".into(),
            });
            return ParsedFile {
                deck: None,
                problems,
            };
        }
    };
    let deck = parse_deck(&path, &text, &mut problems);
    if let Some((_, questions)) = &deck {
        for question in questions {
            check_examples(question, &mut problems);
        }
    }
    ParsedFile { deck, problems }
}

/// Parses deck files on every core: files are independent until ids are compared across them.
/// Results come back in the order of `sources`.
fn parse_in_parallel(sources: Vec<(PathBuf, Vec<u8>)>) -> Vec<ParsedFile> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || sources.len() < 2 {
        return sources.into_iter().map(|(p, b)| parse_file(p, b)).collect();
    }
    let per_thread = sources.len().div_ceil(threads);
    let mut chunks: Vec<Vec<(PathBuf, Vec<u8>)>> = Vec::new();
    let mut sources = sources.into_iter().peekable();
    while sources.peek().is_some() {
        chunks.push(sources.by_ref().take(per_thread).collect());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(p, b)| parse_file(p, b))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn single_problem(path: &Path, message: String) -> BankError {
    BankError {
        problems: vec![Problem {
            path: path.to_path_buf(),
            line: 0,
            message,
        }],
    }
}

fn collect_markdown_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_markdown_files(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    Ok(())
}

/// Reports example answers whose grade disagrees with their label.
fn check_examples(question: &Question, problems: &mut Vec<Problem>) {
    let graded: Vec<(&Example, u8)> = question
        .examples
        .iter()
        .map(|e| (e, grade(question, &e.text).score))
        .collect();
    let mut report = |example: &Example, message: String| {
        problems.push(Problem {
            path: question.path.clone(),
            line: example.line,
            message: format!("question `{}`: {message}", question.id),
        })
    };
    for &(example, score) in &graded {
        match example.label {
            ExampleLabel::Good if score < GOOD_EXAMPLE_MIN => report(
                example,
                format!(
                    "good example answer scores {score}, below {GOOD_EXAMPLE_MIN}; \
                     add `also:` alternatives for the words it uses"
                ),
            ),
            ExampleLabel::Wrong if score > WRONG_EXAMPLE_MAX => report(
                example,
                format!("wrong example answer scores {score}, above {WRONG_EXAMPLE_MAX}"),
            ),
            _ => {}
        }
        let better = graded
            .iter()
            .filter(|(other, other_score)| other.label > example.label && *other_score <= score)
            .min_by_key(|(_, s)| *s);
        if let Some((other, other_score)) = better {
            report(
                example,
                format!(
                    "{} example answer scores {score}, not below the {} example at line {} ({other_score})",
                    example.label.as_str(),
                    other.label.as_str(),
                    other.line
                ),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown into blocks

#[derive(Debug)]
enum Block {
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
struct Item {
    text: String,
    line: usize,
    children: Vec<Item>,
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

fn blocks(text: &str) -> Vec<Block> {
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

// ---------------------------------------------------------------------------------------------
// Blocks into a deck

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

fn parse_deck(
    path: &Path,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<(Deck, Vec<Question>)> {
    let before = problems.len();
    let mut parser = DeckParser { path, problems };
    let mut front: HashMap<String, String> = HashMap::new();
    let mut title_heading: Option<String> = None;
    let mut drafts: Vec<Draft> = Vec::new();

    for block in blocks(text) {
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
                let terms = Terms::of(text);
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
    let key_points = draft.key_points.unwrap_or_default();
    if key_points.is_empty() {
        parser.problem(
            draft.line,
            "question has no key points: list them as bullets under the metadata line",
        );
    }
    Some(Question {
        id,
        stem_guide: StemGuide::of(&key_points),
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
