//! Loading a bank: parsing and validation are one step, so a bank is built whole from valid decks
//! or not at all, and every problem found is reported as `path:line: message` so an author can
//! jump to it. A deck file is read only up to [`MAX_DECK_BYTES`].

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::parse::parse_deck;
use super::{
    Bank, BankError, Deck, Example, ExampleLabel, Problem, Question, GOOD_EXAMPLE_MIN,
    MAX_DECK_BYTES, WRONG_EXAMPLE_MAX,
};
use crate::core::grade::grade;

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
            match read_deck_file(&path) {
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
}

/// A deck file's bytes, at most one past [`MAX_DECK_BYTES`]: enough to tell it is too large without
/// holding all of a huge file in memory.
fn read_deck_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_DECK_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// One deck file, parsed and checked on its own.
struct ParsedFile {
    deck: Option<(Deck, Vec<Question>)>,
    problems: Vec<Problem>,
}

fn parse_file(path: PathBuf, bytes: Vec<u8>) -> ParsedFile {
    let mut problems = Vec::new();
    if bytes.len() > MAX_DECK_BYTES {
        problems.push(Problem {
            path,
            line: 0,
            message: format!(
                "the deck file is larger than {}: split it into smaller decks",
                size_in_words(MAX_DECK_BYTES)
            ),
        });
        return ParsedFile {
            deck: None,
            problems,
        };
    }
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

/// `1 MiB`, `512 KiB`.
fn size_in_words(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / 1024)
    }
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
