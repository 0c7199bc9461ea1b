//! What a mock interview says, for every renderer: the lineup, each question, the interviewer's
//! rubric, the time running out, the report and each candidate's own part, and a player's history.

use super::Markup;
use crate::core::command::Platform;
use crate::core::grammar::Grammar;
use crate::core::mock::{History, Lineup, MockCard, MockReply, QuestionResult, Rubric};

/// The lines of a mock reply, naming commands as users of `platform` type them.
pub fn lines(m: &impl Markup, reply: &MockReply, platform: Platform) -> Vec<String> {
    let grammar = Grammar::of(platform);
    match reply {
        MockReply::Lineup(lineup) => lineup_lines(m, lineup, &grammar),
        MockReply::Question(card) => question_lines(m, card, &grammar),
        MockReply::Rubric(rubric) => rubric_lines(m, rubric, &grammar),
        MockReply::AnswerTaken { number, .. } => vec![format!(
            "Your written answer to question {number} is in. It counts where the interviewer ticks \
             nothing, and the report shows it at the end."
        )],
        MockReply::TimeUp { number, .. } => {
            vec![format!("Time is up for question {number}; moving on.")]
        }
        MockReply::Report(report) => {
            let mut lines = vec![m.bold(&format!("Mock interview #{} — report", report.session))];
            lines.extend(report.questions.iter().flat_map(|q| result_lines(m, q)));
            lines.push(m.bold("Scores"));
            lines.extend(report.scores.iter().map(|(name, score, n)| {
                format!("{} — {score}/100 over {n} question(s)", m.user(name))
            }));
            lines
        }
        MockReply::OwnDetail(report) => {
            let (score, n) = report
                .scores
                .first()
                .map_or((0, 0), |(_, score, n)| (*score, *n));
            let mut lines = vec![format!(
                "Your part of mock interview #{}: {} over {n} question(s).",
                report.session,
                m.bold(&format!("{score}/100"))
            )];
            lines.extend(report.questions.iter().flat_map(|q| result_lines(m, q)));
            lines
        }
        MockReply::History(history) => history_lines(m, history),
    }
}

fn lineup_lines(m: &impl Markup, lineup: &Lineup, grammar: &Grammar) -> Vec<String> {
    let candidates: Vec<String> = lineup.candidates.iter().map(|c| m.user(c)).collect();
    let topic = lineup
        .topic
        .as_deref()
        .map(|t| format!(" on {}", m.text(t)))
        .unwrap_or_default();
    vec![
        m.bold(&format!("Mock interview #{}", lineup.session)),
        format!(
            "{} interviews first; answering in turn: {}.",
            m.user(&lineup.starter),
            candidates.join(", ")
        ),
        format!(
            "{} question(s){topic}, {} minutes each. Whoever answers a question interviews the next.",
            lineup.questions, lineup.minutes
        ),
        format!(
            "Join before the first question with {}; the interviewer begins with {}.",
            m.code(&grammar.command("mock join")),
            m.code(&grammar.command("mock next"))
        ),
    ]
}

fn question_lines(m: &impl Markup, card: &MockCard, grammar: &Grammar) -> Vec<String> {
    vec![
        m.bold(&format!(
            "Question {} of {} for {} (interviewer: {}), {} minutes",
            card.number,
            card.total,
            m.user(&card.candidate),
            m.user(&card.interviewer),
            card.minutes
        )),
        m.text(&card.prompt),
        format!(
            "Answer out loud, or in writing with {}. The interviewer sees the rubric with {} and \
             moves on with {}.",
            m.code(&grammar.command("mock answer TEXT")),
            m.code(&grammar.command("mock rubric")),
            m.code(&grammar.command("mock next"))
        ),
    ]
}

fn rubric_lines(m: &impl Markup, rubric: &Rubric, grammar: &Grammar) -> Vec<String> {
    let mut lines = vec![
        m.bold(&format!("Rubric for question {}", rubric.number)),
        m.text(&rubric.prompt),
        format!(
            "Key points (tick what the candidate covered with {}):",
            m.code(&grammar.command("mock tick N"))
        ),
    ];
    lines.extend(
        rubric
            .key_points
            .iter()
            .enumerate()
            .map(|(i, (text, ticked))| format!("{} {}. {}", m.check(*ticked), i + 1, m.text(text))),
    );
    if let Some(hint) = &rubric.hint {
        lines.push(format!("Hint to give: {}", m.text(hint)));
    }
    if let Some(explanation) = &rubric.explanation {
        lines.push(m.text(explanation));
    }
    match &rubric.written {
        Some((score, checklist)) => {
            lines.push(format!(
                "Written answer: {}",
                m.bold(&format!("{score}/100"))
            ));
            lines.extend(checklist.iter().map(|c| super::checklist_line(m, c)));
        }
        None => lines.push("No written answer yet.".into()),
    }
    if let Some(note) = &rubric.note {
        lines.push(format!("Your note: {}", m.user(note)));
    }
    lines
}

fn result_lines(m: &impl Markup, result: &QuestionResult) -> Vec<String> {
    let mut lines = vec![format!(
        "{}. {} — {} (interviewer {}): {}, {}:{:02} used",
        result.number,
        m.text(&result.prompt),
        m.user(&result.candidate),
        m.user(&result.interviewer),
        m.bold(&format!("{}/100", result.score)),
        result.seconds_used / 60,
        result.seconds_used % 60
    )];
    let list = |items: &[String]| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items
                .iter()
                .map(|i| m.text(i))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    lines.push(format!("   covered: {}", list(&result.covered)));
    lines.push(format!("   missed: {}", list(&result.missed)));
    if let Some(link) = &result.notes_link {
        lines.push(format!("   notes: {}", m.text(link)));
    }
    if let Some(note) = &result.note {
        lines.push(format!("   interviewer's note: {}", m.user(note)));
    }
    lines
}

fn history_lines(m: &impl Markup, history: &History) -> Vec<String> {
    if history.mocks.is_empty() {
        return vec![format!(
            "{} has answered in no mock interview yet.",
            m.user(&history.display_name)
        )];
    }
    let mut lines = vec![format!(
        "Mock interviews of {}:",
        m.user(&history.display_name)
    )];
    lines.extend(history.mocks.iter().map(|(session, started, n, average)| {
        format!(
            "#{session} on {}: {n} question(s), average {average}/100",
            started.format("%Y-%m-%d")
        )
    }));
    lines
}
