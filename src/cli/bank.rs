//! The bank tools of the command line: `bank check`, `bank list`, `bank overlap`, `grade` and
//! `import`, each reading the decks from a folder and printing a report (text or JSON).

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use super::{GradeArgs, ImportArgs};
use crate::core::bank::{Bank, ExampleLabel, Question};
use crate::core::grade::{grade, Grade};
use crate::import::{import_notes, DeckInfo};

pub(super) fn load_or_report(dir: &Path) -> Option<Bank> {
    match Bank::load(dir) {
        Ok(bank) => Some(bank),
        Err(err) => {
            for problem in &err.problems {
                eprintln!("{problem}");
            }
            eprintln!(
                "{} in {}",
                count(err.problems.len(), "problem"),
                dir.display()
            );
            None
        }
    }
}

pub(super) fn check_bank(dir: &Path) -> ExitCode {
    let Some(bank) = load_or_report(dir) else {
        return ExitCode::FAILURE;
    };
    let summary = bank.summary();
    println!(
        "{}: {}, {}, {}, {} — all valid",
        dir.display(),
        count(summary.decks, "deck"),
        count(summary.questions, "question"),
        count(summary.key_points, "key point"),
        count(summary.examples, "example answer"),
    );
    let tags: Vec<String> = summary
        .tags
        .iter()
        .map(|(t, n)| format!("{t} ({n})"))
        .collect();
    println!("tags: {}", tags.join(", "));
    ExitCode::SUCCESS
}

/// A question as `bank list --json` prints it.
#[derive(Debug, Serialize)]
pub struct QuestionListing<'a> {
    pub id: &'a str,
    pub deck: &'a str,
    pub prompt: &'a str,
    pub tags: &'a [String],
    pub difficulty: &'a str,
    pub key_points: Vec<&'a str>,
}

impl<'a> From<&'a Question> for QuestionListing<'a> {
    fn from(q: &'a Question) -> Self {
        QuestionListing {
            id: q.id.as_str(),
            deck: &q.deck,
            prompt: &q.prompt,
            tags: &q.tags,
            difficulty: q.difficulty.as_str(),
            key_points: q.key_points.iter().map(|k| k.text.as_str()).collect(),
        }
    }
}

pub(super) fn list_bank(dir: &Path, json: bool) -> ExitCode {
    let Some(bank) = load_or_report(dir) else {
        return ExitCode::FAILURE;
    };
    if json {
        let listing: Vec<QuestionListing> = bank.questions().iter().map(Into::into).collect();
        return print_json(&listing);
    }
    for q in bank.questions() {
        println!(
            "{:<40} {:<6} {:<24} {}",
            q.id,
            q.difficulty,
            q.tags.join(","),
            q.prompt
        );
    }
    ExitCode::SUCCESS
}

pub(super) fn overlap(dir: &Path, min: u8) -> ExitCode {
    let Some(bank) = load_or_report(dir) else {
        return ExitCode::FAILURE;
    };
    let mut scores = Vec::new();
    let mut high = Vec::new();
    for question in bank.questions() {
        let good = question
            .examples
            .iter()
            .filter(|e| e.label == ExampleLabel::Good);
        for example in good {
            for other in bank.questions().iter().filter(|o| o.id != question.id) {
                let result = grade(other, &example.text);
                scores.push(result.score);
                if result.score >= min {
                    let covered: Vec<String> = result
                        .checklist
                        .iter()
                        .filter(|c| c.covered)
                        .map(|c| format!("\"{}\" by {}", c.text, c.matched.join(", ")))
                        .collect();
                    high.push((result.score, &question.id, &other.id, covered.join("; ")));
                }
            }
        }
    }
    if scores.is_empty() {
        println!("No question has a good example answer to compare.");
        return ExitCode::SUCCESS;
    }
    scores.sort_unstable();
    let at = |share: f64| scores[((scores.len() - 1) as f64 * share) as usize];
    println!(
        "{} pairs: median {}, 90th percentile {}, 99th percentile {}",
        scores.len(),
        at(0.5),
        at(0.9),
        at(0.99)
    );
    high.sort_by_key(|pair| std::cmp::Reverse(pair.0));
    println!("{} scoring {min} or more:", count(high.len(), "pair"));
    for (score, from, on, covered) in high {
        println!("{score:>3}  good answer of {from} on {on}: {covered}");
    }
    ExitCode::SUCCESS
}

/// A grade as `grade --json` prints it.
#[derive(Debug, Serialize)]
pub struct GradeReport<'a> {
    pub question: &'a str,
    pub score: u8,
    pub key_points: &'a [crate::core::grade::KeyPointCheck],
}

pub(super) fn grade_answer(args: &GradeArgs) -> ExitCode {
    let Some(bank) = load_or_report(&args.bank) else {
        return ExitCode::FAILURE;
    };
    let Some(question) = bank.question(&args.question) else {
        eprintln!(
            "There is no question `{}` in {}; `interview-bot bank list` shows their ids.",
            args.question,
            args.bank.display()
        );
        return ExitCode::FAILURE;
    };
    let result: Grade = grade(question, &args.answer);
    if args.json {
        return print_json(&GradeReport {
            question: question.id.as_str(),
            score: result.score,
            key_points: &result.checklist,
        });
    }
    println!("{}\nScore: {}/100", question.prompt, result.score);
    for check in &result.checklist {
        let mark = if check.covered { "[x]" } else { "[ ]" };
        let mut notes = String::new();
        if !check.matched.is_empty() {
            notes.push_str(&format!("  (matched: {})", check.matched.join(", ")));
        }
        for related in &check.related {
            notes.push_str(&format!("  ({} ≈ {})", related.said, related.for_word));
        }
        if !check.denied.is_empty() {
            notes.push_str(&format!("  (denied: {})", check.denied.join(", ")));
        }
        println!("{mark} {}{notes}", check.text);
    }
    ExitCode::SUCCESS
}

pub(super) fn print_json<T: Serialize>(value: &T) -> ExitCode {
    match serde_json::to_string(value) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("Could not write JSON: {err}");
            ExitCode::FAILURE
        }
    }
}

pub(super) fn import(args: &ImportArgs) -> ExitCode {
    let bytes = match std::fs::read(&args.notes) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("Cannot read {}: {err}", args.notes.display());
            return ExitCode::FAILURE;
        }
    };
    let notes = String::from_utf8_lossy(&bytes);
    let stem = args
        .notes
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "notes".into());
    let id = args.id.clone().unwrap_or_else(|| slug(&stem));
    let info = DeckInfo {
        id: if id.is_empty() { "notes".into() } else { id },
        title: args.title.clone().unwrap_or_else(|| stem.clone()),
        notes: args.notes.display().to_string(),
    };
    let draft = import_notes(&notes, &info);
    for skipped in &draft.skipped {
        eprintln!("{}: {skipped}", args.notes.display());
    }
    if let Err(err) = Bank::from_sources(vec![(
        args.out.clone(),
        draft.markdown.clone().into_bytes(),
    )]) {
        eprintln!("The draft would not pass `bank check`; nothing was written:\n{err}");
        return ExitCode::FAILURE;
    }
    if let Err(err) = std::fs::write(&args.out, &draft.markdown) {
        eprintln!("Cannot write {}: {err}", args.out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "Wrote {} questions to {}.",
        draft.questions,
        args.out.display()
    );
    ExitCode::SUCCESS
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn slug(text: &str) -> String {
    let lowered: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    lowered
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
