//! The text grammar every typed front door shares: `question orm hard`, `leaderboard all server`,
//! `schedule set 09:00 Europe/Berlin mon - fri 2 hours`. The console and Slack's `/interview` text
//! both parse here, and every usage or error message names the command the way the caller types it
//! (`/question` in the console, `/interview question` on Slack).

use super::bank::Difficulty;
use super::command::{Action, AnswerText, BoardScope, Period, Platform, ScheduleAction};
use super::schedule::{AnswerWindow, LocalTime, ScheduleError, TimeZone, Weekdays};

/// The grammar, with the prefix its messages put before a command's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grammar {
    prefix: &'static str,
}

impl Grammar {
    /// The grammar as users of `platform` type it.
    pub fn of(platform: Platform) -> Grammar {
        Grammar {
            prefix: platform.command_prefix(),
        }
    }

    /// A command as the user types it: `question` becomes `/question` or `/interview question`.
    pub fn command(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Parses a command line without its prefix (`question orm hard`); `Ok(None)` for an empty line.
    pub fn parse(&self, text: &str) -> Result<Option<Action>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let (name, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let rest = rest.trim();
        let words: Vec<&str> = rest.split_whitespace().collect();
        let action = match name.to_ascii_lowercase().as_str() {
            "question" | "q" | "ask" => self.ask(&words)?,
            "answer" | "a" => Action::Answer(AnswerText::parse(rest)?),
            "hint" => Action::Hint,
            "reveal" => Action::Reveal,
            "leaderboard" | "board" | "top" => self.leaderboard(&words)?,
            "stats" => Action::Stats {
                user: words.first().map(|u| u.to_string()),
            },
            "topics" => Action::Topics,
            "help" => Action::Help,
            "schedule" => Action::Schedule(self.schedule(&words)?),
            "bank" if words == ["reload"] => Action::ReloadBank,
            "bank" => {
                return Err(format!(
                    "Use `{}` to load the decks again.",
                    self.command("bank reload")
                ))
            }
            "reload" => Action::ReloadBank,
            other => {
                return Err(format!(
                    "There is no `{}` command; `{}` lists them.",
                    self.command(other),
                    self.command("help")
                ))
            }
        };
        Ok(Some(action))
    }

    fn ask(&self, words: &[&str]) -> Result<Action, String> {
        let mut topic = None;
        let mut difficulty = None;
        for word in words {
            match Difficulty::parse(word) {
                Some(d) if difficulty.is_none() => difficulty = Some(d),
                _ if topic.is_none() => topic = Some(word.to_lowercase()),
                _ => {
                    return Err(format!(
                        "Use `{}`.",
                        self.command("question [topic] [easy|medium|hard]")
                    ))
                }
            }
        }
        Ok(Action::Ask { topic, difficulty })
    }

    fn leaderboard(&self, words: &[&str]) -> Result<Action, String> {
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

    /// Parses `set 09:00 Europe/Berlin mon-fri [8h]`, `show`, `pause`, `resume` or `off`. The days and
    /// the window may take several words each (`every day`, `mon - fri`, `2 hours`).
    pub fn schedule(&self, words: &[&str]) -> Result<ScheduleAction, String> {
        match words {
            ["show"] | [] => Ok(ScheduleAction::Show),
            ["pause"] => Ok(ScheduleAction::Pause),
            ["resume"] => Ok(ScheduleAction::Resume),
            ["off"] => Ok(ScheduleAction::Off),
            ["set", time, zone, rest @ ..] if !rest.is_empty() => {
                let (time, zone) = time_and_zone(time, zone)?;
                let (weekdays, window) = days_and_window(rest).map_err(|e| e.to_string())?;
                Ok(ScheduleAction::Set {
                    time,
                    zone,
                    weekdays,
                    window,
                })
            }
            _ => Err(self.schedule_usage()),
        }
    }

    /// `schedule set` from separate fields (a form's or a slash command's options), so the days and
    /// the window are never read into each other.
    pub fn schedule_set(
        &self,
        time: &str,
        zone: &str,
        days: &str,
        window: Option<&str>,
    ) -> Result<ScheduleAction, String> {
        let (time, zone) = time_and_zone(time, zone)?;
        let weekdays = Weekdays::parse(days).map_err(|e| e.to_string())?;
        let window = match window.map(str::trim).filter(|w| !w.is_empty()) {
            Some(window) => AnswerWindow::parse(window).map_err(|e| e.to_string())?,
            None => AnswerWindow::default(),
        };
        Ok(ScheduleAction::Set {
            time,
            zone,
            weekdays,
            window,
        })
    }

    /// How to use `schedule`, for this caller.
    pub fn schedule_usage(&self) -> String {
        let schedule = self.command("schedule");
        format!(
            "Use `{schedule} set HH:MM Area/City WEEKDAYS [WINDOW]` (for example `{schedule} set 09:00 \
             Europe/Berlin mon-fri 8h`), `{schedule} show`, `{schedule} pause`, `{schedule} resume` or \
             `{schedule} off`."
        )
    }
}

fn time_and_zone(time: &str, zone: &str) -> Result<(LocalTime, TimeZone), String> {
    let time = LocalTime::parse(time).map_err(|e| e.to_string())?;
    let zone = TimeZone::parse(zone).map_err(|e| e.to_string())?;
    Ok((time, zone))
}

/// Splits the words after the zone into the days and the optional window: the longest run of words
/// that reads as days, with the rest as the window (`mon - fri 2 hours`).
fn days_and_window(words: &[&str]) -> Result<(Weekdays, AnswerWindow), ScheduleError> {
    for split in (1..=words.len()).rev() {
        let Ok(days) = Weekdays::parse(&words[..split].join(" ")) else {
            continue;
        };
        let window = &words[split..];
        if window.is_empty() {
            return Ok((days, AnswerWindow::default()));
        }
        // The days read; what follows them can only be the window.
        return AnswerWindow::parse(&window.join(" ")).map(|window| (days, window));
    }
    // No run of words reads as days: the first word is named as the days that are wrong.
    let first = words.first().copied().unwrap_or_default();
    Err(Weekdays::parse(first)
        .err()
        .unwrap_or_else(|| ScheduleError::NoWeekdays(first.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console() -> Grammar {
        Grammar::of(Platform::Console)
    }

    fn slack() -> Grammar {
        Grammar::of(Platform::Slack)
    }

    #[test]
    fn questions_take_a_topic_and_a_difficulty_in_any_order() {
        assert_eq!(
            console().parse("question drf hard"),
            Ok(Some(Action::Ask {
                topic: Some("drf".into()),
                difficulty: Some(Difficulty::Hard)
            }))
        );
        assert_eq!(
            console().parse("q easy"),
            Ok(Some(Action::Ask {
                topic: None,
                difficulty: Some(Difficulty::Easy)
            }))
        );
    }

    #[test]
    fn an_answer_keeps_its_whole_text() {
        let Ok(Some(Action::Answer(text))) = console().parse("answer  It uses a JOIN; one query. ")
        else {
            panic!("an answer");
        };
        assert_eq!(text.as_str(), "It uses a JOIN; one query.");
        assert!(console().parse("answer").is_err());
    }

    #[test]
    fn leaderboards_take_a_period_and_a_scope() {
        assert_eq!(
            console().parse("leaderboard all server"),
            Ok(Some(Action::Leaderboard {
                period: Period::AllTime,
                scope: BoardScope::Workspace
            }))
        );
        assert!(console().parse("leaderboard forever").is_err());
    }

    #[test]
    fn an_empty_line_asks_for_nothing() {
        assert_eq!(console().parse("   "), Ok(None));
    }

    #[test]
    fn messages_name_commands_the_way_the_caller_types_them() {
        let unknown = console().parse("dance").expect_err("no such command");
        assert!(
            unknown.contains("`/dance`") && unknown.contains("`/help`"),
            "{unknown}"
        );
        let unknown = slack().parse("dance").expect_err("no such command");
        assert!(
            unknown.contains("`/interview dance`") && unknown.contains("`/interview help`"),
            "{unknown}"
        );
        let usage = slack().parse("schedule later").expect_err("usage");
        assert!(usage.contains("`/interview schedule set HH:MM"), "{usage}");
        assert!(!usage.contains("`schedule"), "{usage}");
        let usage = console().parse("bank").expect_err("usage");
        assert!(usage.contains("`/bank reload`"), "{usage}");
    }

    #[test]
    fn schedules_read_multi_word_days_and_windows() {
        let set = |text: &str| match console().parse(text) {
            Ok(Some(Action::Schedule(ScheduleAction::Set {
                weekdays, window, ..
            }))) => (weekdays.to_string(), window.minutes()),
            other => panic!("`{text}` gave {other:?}"),
        };
        assert_eq!(
            set("schedule set 09:00 Europe/Berlin every day"),
            ("every day".to_string(), 480)
        );
        assert_eq!(
            set("schedule set 09:00 Europe/Berlin mon - fri 2 hours"),
            set("schedule set 09:00 Europe/Berlin mon-fri 2h")
        );
        assert_eq!(
            set("schedule set 09:00 Europe/Berlin mon-fri 2 hours").1,
            120
        );
        assert_eq!(set("schedule set 09:00 Europe/Berlin every day 90m").1, 90);
    }

    #[test]
    fn separate_fields_keep_the_days_and_the_window_apart() {
        let grammar = Grammar::of(Platform::Discord);
        let set = grammar
            .schedule_set("09:00", "Europe/Berlin", "mon - fri", Some("2 hours"))
            .expect("valid");
        assert!(matches!(set, ScheduleAction::Set { window, .. } if window.minutes() == 120));
        let problem = grammar
            .schedule_set("09:00", "Europe/Berlin", "mon", Some("fri"))
            .expect_err("`fri` is no window");
        assert!(problem.contains("fri"), "{problem}");
    }

    #[test]
    fn a_bad_schedule_names_the_part_that_is_wrong() {
        let problem = |text: &str| console().parse(text).expect_err("refused");
        assert!(problem("schedule set 25:00 Europe/Berlin mon-fri").contains("25:00"));
        assert!(problem("schedule set 09:00 Mars/Base mon-fri").contains("Mars/Base"));
        assert!(problem("schedule set 09:00 Europe/Berlin someday").contains("someday"));
        assert!(problem("schedule set 09:00 Europe/Berlin mon-fri forever").contains("forever"));
        assert!(problem("schedule set 09:00").contains("schedule set HH:MM"));
    }
}
