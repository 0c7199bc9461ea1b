//! What personal practice says, for every renderer: a card, the graded result with when the question
//! comes back, a changed rating, the status (also as one line of `/stats`), and the reminder.

use chrono::{DateTime, Utc};

use super::{checklist_line, Markup};
use crate::core::command::Platform;
use crate::core::grammar::Grammar;
use crate::core::practice::{PracticeReply, PracticeResult, PracticeStatus};

/// The lines of a practice reply, naming commands as users of `platform` type them.
pub fn lines(m: &impl Markup, reply: &PracticeReply, platform: Platform) -> Vec<String> {
    let grammar = Grammar::of(platform);
    match reply {
        PracticeReply::Card(card) => {
            let topic = card.topic.as_deref().unwrap_or("general");
            let since = match card.due_since {
                Some(due) => format!("due since {}", day(due)),
                None => "new".to_string(),
            };
            vec![
                m.bold(&format!(
                    "Practice — {}, {}, {since}",
                    m.text(topic),
                    card.difficulty
                )),
                m.text(&card.prompt),
                format!(
                    "Answer with the button or {}; only you see this.",
                    m.code(&grammar.command("practice answer TEXT"))
                ),
            ]
        }
        PracticeReply::Result(result) => result_lines(m, result, &grammar),
        PracticeReply::Rated { rating, due_at, .. } => vec![format!(
            "Rated {}: it comes back on {}.",
            m.bold(rating.as_str()),
            day(*due_at)
        )],
        PracticeReply::Status(status) => status_lines(m, status, &grammar),
        PracticeReply::AllDone { topic, next_due } => {
            let scope = topic
                .as_deref()
                .map(|t| format!(" in {}", m.text(t)))
                .unwrap_or_default();
            let next = next_due
                .map(|at| format!(" The next question comes back on {}.", day(at)))
                .unwrap_or_default();
            vec![format!(
                "Nothing is due{scope} and you have met every question.{next}"
            )]
        }
        PracticeReply::Reminder { due, .. } => vec![format!(
            "{} waiting for practice. {} picks the most overdue one.",
            match due {
                1 => "One question is".to_string(),
                n => format!("{n} questions are"),
            },
            m.code(&grammar.practice_next())
        )],
        PracticeReply::RemindersStopped => vec![format!(
            "Your practice reminders are off: I could not send you a direct message. Allow direct \
             messages from this {}'s members or apps, then turn them on again with {}.",
            m.workspace_noun(),
            m.code(&grammar.command("practice remind HH:MM Area/City"))
        )],
    }
}

fn result_lines(m: &impl Markup, result: &PracticeResult, grammar: &Grammar) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Your practice answer: {} (rated {}).",
            m.bold(&format!("{}/100", result.score)),
            result.rating.as_str()
        ),
        m.text(&result.prompt),
    ];
    lines.extend(
        result
            .checklist
            .iter()
            .map(|check| checklist_line(m, check)),
    );
    if let Some(explanation) = &result.explanation {
        lines.push(m.text(explanation));
    }
    if let Some(link) = &result.notes_link {
        lines.push(format!("Notes: {}", m.text(link)));
    }
    lines.push(format!(
        "It comes back on {}. Rate it yourself with the buttons or {}.",
        day(result.due_at),
        m.code(&grammar.command("practice rate again|hard|good|easy"))
    ));
    lines
}

fn status_lines(m: &impl Markup, status: &PracticeStatus, grammar: &Grammar) -> Vec<String> {
    let topics = |list: &[(String, f32)]| {
        if list.is_empty() {
            return "—".to_string();
        }
        list.iter()
            .map(|(topic, r)| format!("{} ({:.0}%)", m.text(topic), r * 100.0))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        m.bold("Your practice"),
        summary_line(status),
        format!("Weakest: {}", topics(&status.weakest)),
        format!("Strongest: {}", topics(&status.strongest)),
        match &status.reminder {
            Some(reminder) => format!("Reminder: {}.", m.text(reminder)),
            None => format!(
                "No reminder; {} sends one when something is due.",
                m.code(&grammar.command("practice remind 08:30 Europe/Berlin"))
            ),
        },
    ]
}

/// A player's practice in one line, as `/stats` shows it.
pub fn summary_line(status: &PracticeStatus) -> String {
    let retention = status
        .estimated_retention
        .map(|r| format!("{:.0}%", r * 100.0))
        .unwrap_or_else(|| "—".to_string());
    format!(
        "Practice: {} due now, {} this week; {} question(s) met in {} review(s); estimated \
         retention {retention} (goal {:.0}%).",
        status.due_now,
        status.due_this_week,
        status.questions,
        status.reviews,
        status.desired_retention * 100.0
    )
}

/// An instant as every platform shows it without the reader's zone: `Mon 2026-12-07 09:00 UTC`.
fn day(at: DateTime<Utc>) -> String {
    at.format("%a %Y-%m-%d %H:%M UTC").to_string()
}
