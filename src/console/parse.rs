//! Console input: a slash command line becomes an engine [`Action`] or a console-only instruction
//! (switch user, move the simulated clock, quit). Bad input becomes a message; nothing else happens.

use chrono::Duration;

use crate::core::bank::Difficulty;
use crate::core::command::{Action, AnswerText, BoardScope, Period, ScheduleAction};
use crate::core::schedule::AnswerWindow;

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
    let words: Vec<&str> = rest.split_whitespace().collect();
    let action = match name.to_ascii_lowercase().as_str() {
        "question" | "q" | "ask" => ask(&words)?,
        "answer" | "a" => Action::Answer(AnswerText::parse(rest)?),
        "hint" => Action::Hint,
        "reveal" => Action::Reveal,
        "leaderboard" | "board" | "top" => leaderboard(&words)?,
        "stats" => Action::Stats {
            user: words.first().map(|u| u.to_string()),
        },
        "topics" => Action::Topics,
        "help" => Action::Help,
        "schedule" => Action::Schedule(ScheduleAction::parse(&words)?),
        "bank" if words == ["reload"] => Action::ReloadBank,
        "bank" => return Err("Use `/bank reload` to load the decks again.".into()),
        "reload" => Action::ReloadBank,
        "user" => {
            return match words.as_slice() {
                [name] => Ok(Line::SwitchUser(name.to_string())),
                _ => Err("Use `/user NAME` (one word) to act as another player.".into()),
            }
        }
        "clock" | "time" if words.is_empty() => return Ok(Line::ShowClock),
        "wait" | "clock" | "time" => return wait(rest),
        "quit" | "exit" => return Ok(Line::Quit),
        other => {
            return Err(format!(
                "There is no `/{other}` command; `/help` lists them."
            ))
        }
    };
    Ok(Line::Engine(action))
}

fn ask(words: &[&str]) -> Result<Action, String> {
    let mut topic = None;
    let mut difficulty = None;
    for word in words {
        match Difficulty::parse(word) {
            Some(d) if difficulty.is_none() => difficulty = Some(d),
            _ if topic.is_none() => topic = Some(word.to_lowercase()),
            _ => return Err("Use `/question [topic] [easy|medium|hard]`.".into()),
        }
    }
    Ok(Action::Ask { topic, difficulty })
}

fn leaderboard(words: &[&str]) -> Result<Action, String> {
    let mut period = Period::Week;
    let mut scope = BoardScope::Channel;
    for word in words {
        if let Some(p) = Period::parse(word) {
            period = p;
        } else if let Some(s) = BoardScope::parse(word) {
            scope = s;
        } else {
            return Err(format!(
                "`{word}` is not a period or scope: use week, month, all or 30d, and channel or server."
            ));
        }
    }
    Ok(Action::Leaderboard { period, scope })
}

/// `/wait 2h`, `/clock +30m`, `/wait 1d`.
fn wait(raw: &str) -> Result<Line, String> {
    let raw = raw.trim().trim_start_matches('+');
    let days = raw
        .strip_suffix('d')
        .and_then(|n| n.trim().parse::<i64>().ok())
        .filter(|n| (1..=366).contains(n));
    if let Some(days) = days {
        return Ok(Line::Wait(Duration::days(days)));
    }
    AnswerWindow::parse(raw)
        .map(|w| Line::Wait(w.duration()))
        .map_err(|_| {
            format!(
                "`{raw}` is not a time to wait: use minutes, hours or days, such as 30m, 2h or 1d."
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_take_a_topic_and_a_difficulty_in_any_order() {
        assert_eq!(
            parse_line("/question drf hard"),
            Ok(Line::Engine(Action::Ask {
                topic: Some("drf".into()),
                difficulty: Some(Difficulty::Hard)
            }))
        );
        assert_eq!(
            parse_line("/question easy"),
            Ok(Line::Engine(Action::Ask {
                topic: None,
                difficulty: Some(Difficulty::Easy)
            }))
        );
    }

    #[test]
    fn an_answer_keeps_its_whole_text() {
        let Ok(Line::Engine(Action::Answer(text))) =
            parse_line("/answer  It uses a JOIN; one query. ")
        else {
            panic!("an answer");
        };
        assert_eq!(text.as_str(), "It uses a JOIN; one query.");
        assert!(parse_line("/answer").is_err());
    }

    #[test]
    fn leaderboards_take_a_period_and_a_scope() {
        assert_eq!(
            parse_line("/leaderboard all server"),
            Ok(Line::Engine(Action::Leaderboard {
                period: Period::AllTime,
                scope: BoardScope::Workspace
            }))
        );
        assert!(parse_line("/leaderboard forever").is_err());
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
        assert!(parse_line("/dance").is_err_and(|m| m.contains("/help")));
        assert!(parse_line("hello").is_err_and(|m| m.contains("/answer")));
        assert_eq!(parse_line("   "), Ok(Line::Nothing));
    }
}
