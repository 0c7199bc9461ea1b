//! Console input: a slash command line becomes an engine [`Action`] through the shared
//! [`Grammar`], or a console-only instruction (switch user, move the simulated clock, quit). Bad input
//! becomes a message; nothing else happens.

use chrono::Duration;

use crate::core::command::{Action, Platform};
use crate::core::grammar::Grammar;
use crate::core::schedule::AnswerWindow;

/// The longest `/wait` in days: a year, run in five-minute steps of the daily drip.
pub const MAX_WAIT_DAYS: i64 = 366;

/// What one console line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Engine(Action),
    /// Act as another user from now on.
    SwitchUser(String),
    /// Show the simulated clock.
    ShowClock,
    /// Move the simulated clock forward, running the daily drip on the way.
    Wait(Duration),
    Quit,
    Nothing,
}

/// Parses one line, or says politely what is wrong with it.
pub fn parse_line(line: &str) -> Result<Line, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(Line::Nothing);
    }
    let Some(command) = line.strip_prefix('/') else {
        return Err("Commands start with `/`. To answer, write `/answer` and your answer; `/help` lists everything.".into());
    };
    let (name, rest) = command
        .split_once(char::is_whitespace)
        .unwrap_or((command, ""));
    let rest = rest.trim();
    match name.to_ascii_lowercase().as_str() {
        "user" => match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
            [name] => Ok(Line::SwitchUser(name.to_string())),
            _ => Err("Use `/user NAME` (one word) to act as another player.".into()),
        },
        "clock" | "time" if rest.is_empty() => Ok(Line::ShowClock),
        "wait" | "clock" | "time" => wait(rest),
        "quit" | "exit" => Ok(Line::Quit),
        _ => Ok(match Grammar::of(Platform::Console).parse(command)? {
            Some(action) => Line::Engine(action),
            None => Line::Nothing,
        }),
    }
}

/// `/wait 2h`, `/clock +30m`, `/wait 1d`.
fn wait(raw: &str) -> Result<Line, String> {
    let raw = raw.trim().trim_start_matches('+');
    let days = raw
        .strip_suffix('d')
        .and_then(|n| n.trim().parse::<i64>().ok())
        .filter(|n| (1..=MAX_WAIT_DAYS).contains(n));
    if let Some(days) = days {
        return Ok(Line::Wait(Duration::days(days)));
    }
    AnswerWindow::parse(raw)
        .map(|w| Line::Wait(w.duration()))
        .map_err(|_| {
            format!(
                "`{raw}` is not a time to wait: use 5m to 23h, or 1d to {MAX_WAIT_DAYS}d, such as \
                 30m, 2h or 1d."
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::bank::Difficulty;

    #[test]
    fn engine_commands_go_through_the_shared_grammar() {
        assert_eq!(
            parse_line("/question drf hard"),
            Ok(Line::Engine(Action::Ask {
                topic: Some("drf".into()),
                difficulty: Some(Difficulty::Hard)
            }))
        );
        assert!(parse_line("/answer").is_err());
    }

    #[test]
    fn console_lines_switch_user_and_move_the_clock() {
        assert_eq!(parse_line("/user bob"), Ok(Line::SwitchUser("bob".into())));
        assert_eq!(parse_line("/wait 2h"), Ok(Line::Wait(Duration::hours(2))));
        assert_eq!(parse_line("/clock +1d"), Ok(Line::Wait(Duration::days(1))));
        assert_eq!(parse_line("/clock"), Ok(Line::ShowClock));
        assert!(parse_line("/wait soon").is_err());
    }

    #[test]
    fn unknown_commands_and_plain_text_get_a_message() {
        assert!(parse_line("/dance").is_err_and(|m| m.contains("`/help`")));
        assert!(parse_line("hello").is_err_and(|m| m.contains("/answer")));
        assert_eq!(parse_line("   "), Ok(Line::Nothing));
    }
}
