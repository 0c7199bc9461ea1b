//! What the bot says, once for every front door: the lines of an answer receipt, a hint, a reveal
//! (key points, explanation, top scores, gap report), a player's result, board rows and stats. A
//! renderer supplies only its [`Markup`] (bold, escaping, check marks, times) and lays the lines out
//! as an embed, Block Kit or plain text.

pub mod mock;
pub mod practice;

use chrono::{DateTime, Utc};

use super::command::{BoardScope, Platform};
use super::grade::KeyPointCheck;
use super::grammar::Grammar;
use super::reply::{
    Board, BoardEntry, Gap, OwnResult, QuestionCard, ReplyBody, Reveal, ScheduleInfo, Stats,
};
use super::round::Origin;
use super::schedule::Focus;

/// How a platform marks up text. `text` is for the bot's and the bank's words, `user` for words a
/// user wrote (display names, words of an answer), which must never ping or link.
pub trait Markup {
    fn bold(&self, text: &str) -> String;
    fn text(&self, text: &str) -> String;
    fn user(&self, text: &str) -> String;
    /// Inline code, for a command or a topic.
    fn code(&self, text: &str) -> String;
    /// The mark of a covered or missed key point.
    fn check(&self, covered: bool) -> &'static str {
        if covered {
            "✅"
        } else {
            "⬜"
        }
    }
    /// An instant, shown in the reader's (or the schedule's) local time where the platform can.
    fn instant(&self, at: DateTime<Utc>, info: &ScheduleInfo) -> String;
    /// What the platform calls a workspace: a server on Discord.
    fn workspace_noun(&self) -> &'static str {
        "workspace"
    }
}

/// Cuts `text` to at most `limit` characters, marking the cut: platforms refuse longer texts.
pub fn fit(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let kept: String = text.chars().take(limit.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// The lines of a reply that every platform shows as plain text (a receipt, a hint, a result, the
/// topics, the schedule, help, a notice or a problem); `None` for a question, a reveal, a board and
/// stats, which each platform lays out its own way. `platform` is the reader's, for the commands
/// the text names.
pub fn text_lines(m: &impl Markup, body: &ReplyBody, platform: Platform) -> Option<Vec<String>> {
    Some(match body {
        ReplyBody::AnswerRecorded {
            replacements,
            replacements_left,
        } => vec![answer_recorded(*replacements, *replacements_left)],
        ReplyBody::Hint {
            key_point,
            hints_used,
            penalty,
            ..
        } => hint(m, key_point, *hints_used, *penalty),
        ReplyBody::OwnResult(result) => own_result(m, result),
        ReplyBody::Topics(list) => vec![topics(m, list)],
        ReplyBody::ScheduleInfo(info) => schedule(m, info, platform),
        ReplyBody::Help(commands) => help(m, commands),
        ReplyBody::Mock(reply) => mock::lines(m, reply, platform),
        ReplyBody::Practice(reply) => practice::lines(m, reply, platform),
        // A notice or a problem may quote what the user typed (a topic, a word), so it is user text.
        ReplyBody::Notice(message) | ReplyBody::Problem(message) => vec![m.user(message)],
        ReplyBody::QuestionCard(_)
        | ReplyBody::Reveal(_)
        | ReplyBody::Board(_)
        | ReplyBody::Stats(_) => return None,
    })
}

/// The title of a question card.
pub fn question_title(card: &QuestionCard) -> &'static str {
    match card.origin {
        Origin::Daily => "Question of the day",
        Origin::AdHoc => "Question",
    }
}

/// A question's topic, or "general" when it has none.
pub fn topic(card: &QuestionCard) -> &str {
    card.topic.as_deref().unwrap_or("general")
}

/// The receipt of an answer: recorded (or replaced), its score, and that the key points stay sealed.
fn answer_recorded(replacements: u32, left: u32) -> String {
    let recorded = match replacements {
        0 => "Answer recorded.",
        _ => "Answer recorded: it replaced your earlier one.",
    };
    let more = match left {
        0 => "This one is final.".to_string(),
        1 => "You can replace it once more before the reveal.".to_string(),
        n => format!("You can replace it {n} more times before the reveal."),
    };
    format!("{recorded} Your score and the key points come with the reveal. {more}")
}

/// A hint and what hints have cost so far.
fn hint(m: &impl Markup, key_point: &str, hints_used: u32, penalty: u32) -> Vec<String> {
    vec![
        format!("Hint: {}", m.text(key_point)),
        format!("({hints_used} hint(s) taken: -{penalty} points on this question.)"),
    ]
}

/// The answer key of a reveal: one line per key point, then the explanation and the notes' link.
pub fn answer_key(m: &impl Markup, reveal: &Reveal) -> Vec<String> {
    let mut lines: Vec<String> = reveal
        .key_points
        .iter()
        .map(|k| format!("• {}", m.text(k)))
        .collect();
    if lines.is_empty() {
        lines.push("The key points of this question are no longer in the question bank.".into());
    }
    if let Some(explanation) = &reveal.explanation {
        lines.push(m.text(explanation));
    }
    if let Some(link) = &reveal.notes_link {
        lines.push(format!("Notes: {}", m.text(link)));
    }
    lines
}

/// How many answered a revealed question.
pub fn answered(reveal: &Reveal) -> String {
    match reveal.answered {
        0 => "Nobody answered this one.".to_string(),
        1 => "1 answered.".to_string(),
        n => format!("{n} answered."),
    }
}

/// The best answers of a reveal, one line each.
pub fn top_scores(m: &impl Markup, reveal: &Reveal) -> Vec<String> {
    reveal
        .top
        .iter()
        .enumerate()
        .map(|(i, (name, points))| format!("{}. {} — {points} points", i + 1, m.user(name)))
        .collect()
}

/// The gap report: for each key point, the share of answerers who missed it.
pub fn gap_report(m: &impl Markup, gaps: &[Gap]) -> Vec<String> {
    gaps.iter()
        .map(|g| format!("{}% missed: {}", g.missed_percent(), m.text(&g.key_point)))
        .collect()
}

/// A player's own result: the score line, then the checklist with the words that covered each point.
fn own_result(m: &impl Markup, result: &OwnResult) -> Vec<String> {
    let mut lines = vec![format!(
        "Your result: {}, {} hint(s), {} points.",
        m.bold(&format!("{}/100", result.score)),
        result.hints_used,
        result.points
    )];
    lines.extend(
        result
            .checklist
            .iter()
            .map(|check| checklist_line(m, check)),
    );
    lines
}

/// A key point's line of the checklist: whether it was covered, the words that matched (a related
/// word with the key point's word it stood for) and the words the answer denied.
pub(crate) fn checklist_line(m: &impl Markup, check: &KeyPointCheck) -> String {
    let said: Vec<String> = check
        .matched
        .iter()
        .map(
            |word| match check.related.iter().find(|r| &r.said == word) {
                Some(related) => format!("{word} ≈ {}", related.for_word),
                None => word.clone(),
            },
        )
        .collect();
    let mut notes = String::new();
    if !said.is_empty() {
        notes.push_str(&format!(" (you said: {})", m.user(&said.join(", "))));
    }
    if !check.denied.is_empty() {
        let denied = check.denied.join(", ");
        notes.push_str(&format!(" (you denied: {})", m.user(&denied)));
    }
    format!("{} {}{notes}", m.check(check.covered), m.text(&check.text))
}

/// The title of a leaderboard.
pub fn board_title(m: &impl Markup, board: &Board) -> String {
    let scope = match board.scope {
        BoardScope::Channel => "this channel".to_string(),
        BoardScope::Workspace => format!("this {}", m.workspace_noun()),
    };
    format!("Leaderboard — {}, {scope}", board.period)
}

/// A leaderboard's rows, or the line saying it is empty.
pub fn board_rows(m: &impl Markup, board: &Board) -> Vec<String> {
    if board.entries.is_empty() {
        return vec!["No revealed answers yet.".to_string()];
    }
    board.entries.iter().map(|e| board_row(m, e)).collect()
}

fn board_row(m: &impl Markup, entry: &BoardEntry) -> String {
    format!(
        "{} {} — {} points ({} round(s), average {:.0})",
        m.bold(&format!("{}.", entry.rank)),
        m.user(&entry.display_name),
        entry.points,
        entry.rounds,
        entry.average_score
    )
}

/// A player's stats in one line.
pub fn stats_summary(m: &impl Markup, stats: &Stats) -> String {
    let mocks = match stats.mock_questions {
        0 => String::new(),
        n => format!(
            " Mock interviews: {n} question(s), average {:.0}.",
            stats.mock_average
        ),
    };
    let practice = stats
        .practice
        .as_ref()
        .map(|p| format!(" {}", practice::summary_line(p)))
        .unwrap_or_default();
    format!(
        "{}: {} round(s) answered, average {:.0}, {} points; streak {} (best {}).{mocks}{practice}",
        m.bold(&m.user(&stats.display_name)),
        stats.rounds_answered,
        stats.average_score,
        stats.points,
        stats.current_streak,
        stats.best_streak
    )
}

/// Topics with their average score (`orm (80), python (45)`), or a dash when there are none.
pub fn topic_averages(m: &impl Markup, tags: &[(String, f64, u32)]) -> String {
    if tags.is_empty() {
        return "—".to_string();
    }
    tags.iter()
        .map(|(tag, average, _)| format!("{} ({average:.0})", m.text(tag)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The bank's topics with how many questions each has.
fn topics(m: &impl Markup, topics: &[(String, usize)]) -> String {
    let list: Vec<String> = topics
        .iter()
        .map(|(tag, n)| format!("{} ({n})", m.code(tag)))
        .collect();
    format!("Topics: {}", list.join(", "))
}

/// A channel's schedule and its next posts, or how to set one (as users of `platform` type it).
fn schedule(m: &impl Markup, info: &ScheduleInfo, platform: Platform) -> Vec<String> {
    let Some(summary) = &info.summary else {
        let example = Grammar::of(platform).command("schedule set 09:00 Europe/Berlin mon-fri");
        return vec![format!(
            "No question of the day here. An admin can set one with {}.",
            m.code(&example)
        )];
    };
    let state = if info.paused { " (paused)" } else { "" };
    let focus = match info.focus {
        Some(Focus::Weak) => {
            "Focus weak: what this channel is likeliest to have forgotten comes first, else the \
             question asked least here."
        }
        _ => "The question asked least here comes first.",
    };
    let mut lines = vec![
        format!("Question of the day: {}{state}.", m.text(summary)),
        focus.to_string(),
        "Next posts:".to_string(),
    ];
    lines.extend(
        info.next_posts
            .iter()
            .map(|at| format!("• {}", m.instant(*at, info))),
    );
    lines
}

/// The help lines: each command and what it does.
fn help(m: &impl Markup, commands: &[(String, String)]) -> Vec<String> {
    commands
        .iter()
        .map(|(usage, what)| format!("{} — {}", m.code(usage), m.text(what)))
        .collect()
}
