//! Console output: an engine [`Reply`] as plain text lines, in the shared [`wording`]. Private
//! replies are marked with the one user who would see them on a chat platform.

use chrono::{DateTime, Utc};

use crate::core::command::Platform;
use crate::core::reply::{Audience, Reply, ReplyBody, ScheduleInfo};
use crate::core::wording::{self, Markup};

/// Plain text: the terminal shows what it is given, so nothing needs escaping.
struct Plain;

impl Markup for Plain {
    fn bold(&self, text: &str) -> String {
        text.to_string()
    }

    fn text(&self, text: &str) -> String {
        text.to_string()
    }

    fn user(&self, text: &str) -> String {
        text.to_string()
    }

    fn code(&self, text: &str) -> String {
        text.to_string()
    }

    fn check(&self, covered: bool) -> &'static str {
        if covered {
            "[x]"
        } else {
            "[ ]"
        }
    }

    fn instant(&self, at: DateTime<Utc>, info: &ScheduleInfo) -> String {
        match info.zone {
            Some(zone) => at
                .with_timezone(&zone.tz())
                .format("%a %Y-%m-%d %H:%M %Z")
                .to_string(),
            None => at.format("%a %Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

/// Console-only commands, listed after the engine's in `/help`.
const CONSOLE_HELP: &[(&str, &str)] = &[
    ("/user NAME", "act as another player at this terminal"),
    (
        "/wait 30m|2h|1d",
        "move the simulated clock (runs the daily drip)",
    ),
    ("/clock", "show the simulated clock"),
    ("/quit", "leave"),
];

/// The reply as the console prints it.
pub fn render(reply: &Reply) -> String {
    let body = render_body(&reply.body).join("\n");
    match &reply.audience {
        Audience::Channel => body,
        Audience::User(user) => body
            .lines()
            .map(|line| format!("  [private to {user}] {line}"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn render_body(body: &ReplyBody) -> Vec<String> {
    let m = &Plain;
    let indent = |lines: Vec<String>| lines.into_iter().map(|l| format!("  {l}"));
    match body {
        ReplyBody::QuestionCard(card) => vec![
            format!(
                "{} (#{}, {}, {}):",
                wording::question_title(card),
                card.round,
                wording::topic(card),
                card.difficulty
            ),
            format!("  {}", card.prompt),
            format!(
                "  Answer with /answer <text> before {} (UTC).",
                card.closes_at.format("%a %H:%M")
            ),
        ],
        ReplyBody::Reveal(reveal) => {
            let mut lines = vec![
                format!("Reveal (#{}): {}", reveal.round, reveal.prompt),
                "Answer key:".to_string(),
            ];
            lines.extend(indent(wording::answer_key(m, reveal)));
            lines.push(wording::answered(reveal));
            if reveal.answered > 0 {
                lines.push("Top scores:".to_string());
                lines.extend(indent(wording::top_scores(m, reveal)));
                lines.push("Gap report:".to_string());
                lines.extend(indent(wording::gap_report(m, &reveal.gaps)));
            }
            lines
        }
        ReplyBody::Board(board) => {
            let mut lines = vec![format!("{}:", wording::board_title(m, board))];
            lines.extend(indent(wording::board_rows(m, board)));
            lines
        }
        ReplyBody::Stats(stats) => vec![
            wording::stats_summary(m, stats),
            format!(
                "  Strongest: {}",
                wording::topic_averages(m, &stats.strongest)
            ),
            format!("  Weakest: {}", wording::topic_averages(m, &stats.weakest)),
        ],
        ReplyBody::Help(commands) => {
            let mut lines = vec!["Commands:".to_string()];
            let console = CONSOLE_HELP
                .iter()
                .map(|(usage, what)| (usage.to_string(), what.to_string()));
            for (usage, what) in commands.iter().cloned().chain(console) {
                lines.push(format!("  {usage:<52} {what}"));
            }
            lines
        }
        ReplyBody::Problem(text) => vec![format!("Sorry: {text}")],
        // Every line of a mock says which mock it belongs to, as a thread would.
        ReplyBody::Mock(reply) => {
            let lines = wording::mock::lines(m, reply, Platform::Console);
            match reply.session() {
                Some(session) => lines
                    .into_iter()
                    .map(|line| format!("[mock #{session}] {line}"))
                    .collect(),
                None => lines,
            }
        }
        _ => wording::text_lines(m, body, Platform::Console).unwrap_or_default(),
    }
}
