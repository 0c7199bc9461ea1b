//! Console output: an engine [`Reply`] as plain text lines. Private replies are marked with the one
//! user who would see them on a chat platform.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::core::command::BoardScope;
use crate::core::reply::{Audience, Reply, ReplyBody};
use crate::core::round::Origin;
use crate::core::schedule::TimeZone;

/// The reply as the console prints it.
pub fn render(reply: &Reply) -> String {
    let body = render_body(&reply.body);
    match &reply.audience {
        Audience::Channel => body,
        Audience::User(user) => body
            .lines()
            .map(|line| format!("  [private to {user}] {line}"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn render_body(body: &ReplyBody) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let mut line = |text: String| {
        let _ = writeln!(out, "{text}");
    };
    match body {
        ReplyBody::QuestionCard(card) => {
            let kind = match card.origin {
                Origin::Daily => "Question of the day",
                Origin::AdHoc => "Question",
            };
            let topic = card.topic.as_deref().unwrap_or("general");
            line(format!("{kind} (#{}, {topic}, {}):", card.round, card.difficulty));
            line(format!("  {}", card.prompt));
            line(format!(
                "  Answer with /answer <text> before {} (UTC).",
                card.closes_at.format("%a %H:%M")
            ));
        }
        ReplyBody::AnswerRecorded {
            score,
            covered,
            key_points,
            replaced,
            ..
        } => {
            let verb = if *replaced { "replaced your earlier answer" } else { "recorded" };
            line(format!(
                "Answer {verb}: {score}/100, {covered} of {key_points} key points. The key points stay hidden until the reveal."
            ));
        }
        ReplyBody::Hint {
            key_point,
            hints_used,
            penalty,
            ..
        } => {
            line(format!("Hint: {key_point}"));
            line(format!("({hints_used} hint(s) taken: -{penalty} points on this question.)"));
        }
        ReplyBody::Reveal(reveal) => {
            line(format!("Reveal (#{}): {}", reveal.round, reveal.prompt));
            line("Key points:".into());
            for key_point in &reveal.key_points {
                line(format!("  - {key_point}"));
            }
            if let Some(explanation) = &reveal.explanation {
                line(format!("  {explanation}"));
            }
            if let Some(link) = &reveal.notes_link {
                line(format!("Notes: {link}"));
            }
            if reveal.answered == 0 {
                line("Nobody answered this one.".into());
            } else {
                line(format!("{} answered. Top scores:", reveal.answered));
                for (i, (name, points)) in reveal.top.iter().enumerate() {
                    line(format!("  {}. {name} — {points} points", i + 1));
                }
                line("Missed by:".into());
                for gap in &reveal.gaps {
                    line(format!("  {:>3}%  {}", gap.missed_percent(), gap.key_point));
                }
            }
        }
        ReplyBody::OwnResult(result) => {
            line(format!(
                "Your result for #{}: {}/100, {} hint(s), {} points.",
                result.round, result.score, result.hints_used, result.points
            ));
            for check in &result.checklist {
                let mark = if check.covered { "[x]" } else { "[ ]" };
                if check.matched.is_empty() {
                    line(format!("{mark} {}", check.text));
                } else {
                    line(format!("{mark} {}  (you said: {})", check.text, check.matched.join(", ")));
                }
            }
        }
        ReplyBody::Board(board) => {
            let scope = match board.scope {
                BoardScope::Channel => "this channel",
                BoardScope::Workspace => "the whole workspace",
            };
            line(format!("Leaderboard, {}, {scope}:", board.period));
            if board.entries.is_empty() {
                line("  No revealed answers yet.".into());
            }
            for entry in &board.entries {
                line(format!(
                    "  {:>2}. {} — {} points, {} round(s), average {:.0}",
                    entry.rank, entry.display_name, entry.points, entry.rounds, entry.average_score
                ));
            }
        }
        ReplyBody::Stats(stats) => {
            line(format!(
                "{}: {} round(s) answered, average {:.0}, {} points; streak {} (best {}).",
                stats.display_name,
                stats.rounds_answered,
                stats.average_score,
                stats.points,
                stats.current_streak,
                stats.best_streak
            ));
            let tags = |tags: &[(String, f64, u32)]| {
                tags.iter()
                    .map(|(tag, avg, _)| format!("{tag} ({avg:.0})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !stats.strongest.is_empty() {
                line(format!("  Strongest: {}", tags(&stats.strongest)));
            }
            if !stats.weakest.is_empty() {
                line(format!("  Weakest: {}", tags(&stats.weakest)));
            }
        }
        ReplyBody::Topics(topics) => {
            let list: Vec<String> = topics.iter().map(|(t, n)| format!("{t} ({n})")).collect();
            line(format!("Topics: {}", list.join(", ")));
        }
        ReplyBody::ScheduleInfo(info) => match &info.summary {
            None => line("No daily question here. An admin can set one with /schedule set 09:00 Europe/Berlin mon-fri.".into()),
            Some(summary) => {
                let state = if info.paused { " (paused)" } else { "" };
                line(format!("Daily question: {summary}{state}."));
                line("Next posts:".into());
                for post in &info.next_posts {
                    line(format!("  {}", local(*post, info.zone)));
                }
            }
        },
        ReplyBody::Help(commands) => {
            line("Commands:".into());
            for (usage, what) in commands {
                line(format!("  {usage:<52} {what}"));
            }
            line(format!("  {:<52} act as another player at this terminal", "/user NAME"));
            line(format!("  {:<52} move the simulated clock (runs the daily drip)", "/wait 30m|2h|1d"));
            line(format!("  {:<52} show the simulated clock", "/clock"));
            line(format!("  {:<52} leave", "/quit"));
        }
        ReplyBody::Notice(text) => line(text.clone()),
        ReplyBody::Problem(text) => line(format!("Sorry: {text}")),
    }
    out.trim_end().to_string()
}

fn local(instant: DateTime<Utc>, zone: Option<TimeZone>) -> String {
    match zone {
        Some(zone) => instant
            .with_timezone(&zone.tz())
            .format("%a %Y-%m-%d %H:%M %Z")
            .to_string(),
        None => instant.format("%a %Y-%m-%d %H:%M UTC").to_string(),
    }
}
