//! The text grammar every typed front door shares: `question orm hard`, `leaderboard all server`,
//! `schedule set 09:00 Europe/Berlin mon - fri 2 hours`. The console and Slack's `/interview` text
//! both parse here, and every usage or error message names the command the way the caller types it
//! (`/question` in the console, `/interview question` on Slack).

use super::bank::Difficulty;
use super::command::{
    Action, AnswerText, BoardScope, Candidate, MockAction, MockStart, Period, Platform,
    ScheduleAction,
};
use super::mock;
use super::schedule::{AnswerWindow, Focus, LocalTime, ScheduleError, TimeZone, Weekdays};

mod practice;

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
            "mock" => Action::Mock {
                session: None,
                at: None,
                action: self.mock(rest)?,
            },
            "practice" | "practise" | "p" => Action::Practice(self.practice(rest)?),
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

    /// Parses the words after `mock`: `start [topic] [difficulty] [questions N] [minutes M] with
    /// NAME[,NAME…]`, `join`, `next`, `rubric`, `tick 1 3`, `untick 3`, `answer TEXT`, `note TEXT`,
    /// `end` or `history [user]`.
    pub fn mock(&self, text: &str) -> Result<MockAction, String> {
        let (verb, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let rest = rest.trim();
        let words: Vec<&str> = rest.split_whitespace().collect();
        Ok(match verb.to_ascii_lowercase().as_str() {
            "start" => MockAction::Start(self.mock_start(&words)?),
            "join" => MockAction::Join,
            "next" | "begin" => MockAction::Next,
            "rubric" => MockAction::Rubric,
            "tick" | "untick" => MockAction::Tick {
                key_points: self.key_point_numbers(&words)?,
                ticked: verb.eq_ignore_ascii_case("tick"),
            },
            "answer" => MockAction::Answer(AnswerText::parse(rest)?),
            "note" => MockAction::Note(mock_note(rest)?),
            "end" | "stop" => MockAction::End,
            "history" => MockAction::History {
                user: words.first().map(|w| mention(w).0.to_string()),
            },
            _ => return Err(self.mock_usage()),
        })
    }

    fn mock_start(&self, words: &[&str]) -> Result<MockStart, String> {
        let Some(with) = words.iter().position(|w| w.eq_ignore_ascii_case("with")) else {
            return Err(format!(
                "Name who answers: `{}`.",
                self.command("mock start [topic] [difficulty] [questions N] [minutes M] with NAME")
            ));
        };
        let (settings, names) = (&words[..with], &words[with + 1..]);
        let mut start = MockStart {
            topic: None,
            difficulty: None,
            questions: mock::DEFAULT_QUESTIONS,
            minutes: mock::DEFAULT_MINUTES,
            candidates: names
                .iter()
                .flat_map(|w| w.split(','))
                .map(|word| mention(word.trim()))
                .filter(|(user, _)| !user.is_empty())
                .map(|(user, name)| Candidate {
                    user: user.to_string(),
                    display_name: name.map(str::to_string),
                    is_bot: false,
                })
                .collect(),
        };
        if start.candidates.is_empty() {
            return Err("Name at least one person to answer after `with`.".into());
        }
        let mut settings = settings.iter();
        while let Some(word) = settings.next() {
            let lower = word.to_ascii_lowercase();
            let mut number = || {
                settings
                    .next()
                    .and_then(|n| n.parse::<i64>().ok())
                    .ok_or_else(|| format!("`{word}` needs a number after it."))
            };
            match lower.as_str() {
                "questions" => start.questions = mock::questions(number()?)?,
                "minutes" => start.minutes = mock::minutes(number()?)?,
                _ => match Difficulty::parse(word) {
                    Some(d) if start.difficulty.is_none() => start.difficulty = Some(d),
                    _ if start.topic.is_none() => start.topic = Some(lower),
                    _ => return Err(self.mock_usage()),
                },
            }
        }
        Ok(start)
    }

    fn key_point_numbers(&self, words: &[&str]) -> Result<Vec<usize>, String> {
        let numbers: Option<Vec<usize>> = words
            .iter()
            .flat_map(|w| w.split(','))
            .filter(|w| !w.is_empty())
            .map(|w| w.parse::<usize>().ok().filter(|n| (1..=100).contains(n)))
            .collect();
        match numbers {
            Some(numbers) if !numbers.is_empty() => Ok(numbers),
            _ => Err(format!(
                "Name the key points by their numbers in the rubric: `{}`.",
                self.command("mock tick 1 3")
            )),
        }
    }

    /// How to use `mock`, for this caller.
    pub fn mock_usage(&self) -> String {
        let mock = self.command("mock");
        format!(
            "Use `{mock} start [topic] [easy|medium|hard] [questions N] [minutes M] with NAME[,NAME…]`, \
             `{mock} join`, `{mock} next`, `{mock} rubric`, `{mock} tick 1 3`, `{mock} untick 3`, \
             `{mock} answer TEXT`, `{mock} note TEXT`, `{mock} end` or `{mock} history [user]`."
        )
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

    /// Parses `set 09:00 Europe/Berlin mon-fri [8h] [focus weak]`, `show`, `pause`, `resume` or
    /// `off`. The days and the window may take several words each (`every day`, `mon - fri`,
    /// `2 hours`).
    pub fn schedule(&self, words: &[&str]) -> Result<ScheduleAction, String> {
        let (words, focus) = match words {
            [rest @ .., focus_word, focus] if focus_word.eq_ignore_ascii_case("focus") => {
                (rest, Some(focus_of(focus)?))
            }
            _ => (words, None),
        };
        if focus.is_some() && words.first().is_none_or(|w| !w.eq_ignore_ascii_case("set")) {
            return Err(format!(
                "Only `{}` takes a focus.",
                self.command("schedule set … focus weak")
            ));
        }
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
                    focus: focus.unwrap_or_default(),
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
        focus: Option<&str>,
    ) -> Result<ScheduleAction, String> {
        let (time, zone) = time_and_zone(time, zone)?;
        let weekdays = Weekdays::parse(days).map_err(|e| e.to_string())?;
        let window = match window.map(str::trim).filter(|w| !w.is_empty()) {
            Some(window) => AnswerWindow::parse(window).map_err(|e| e.to_string())?,
            None => AnswerWindow::default(),
        };
        let focus = match focus.map(str::trim).filter(|f| !f.is_empty()) {
            Some(focus) => focus_of(focus)?,
            None => Focus::default(),
        };
        Ok(ScheduleAction::Set {
            time,
            zone,
            weekdays,
            window,
            focus,
        })
    }

    /// How to use `schedule`, for this caller.
    pub fn schedule_usage(&self) -> String {
        let schedule = self.command("schedule");
        format!(
            "Use `{schedule} set HH:MM Area/City WEEKDAYS [WINDOW]` (for example `{schedule} set 09:00 \
             Europe/Berlin mon-fri 8h`; add `focus weak` to post what the channel knows least), \
             `{schedule} show`, `{schedule} pause`, `{schedule} resume` or `{schedule} off`."
        )
    }
}

/// A schedule's focus as typed, or what to type instead.
fn focus_of(word: &str) -> Result<Focus, String> {
    Focus::parse(word).ok_or_else(|| {
        format!("`{word}` is not a focus: use `focus weak` (what the channel knows least) or `focus least-asked`.")
    })
}

fn time_and_zone(time: &str, zone: &str) -> Result<(LocalTime, TimeZone), String> {
    let time = LocalTime::parse(time).map_err(|e| e.to_string())?;
    let zone = TimeZone::parse(zone).map_err(|e| e.to_string())?;
    Ok((time, zone))
}

/// A user named as a Slack mention (`<@U123>`, or `<@U123|ann>` with the name) or a Discord one
/// (`<@123>`): their id and the name the mention carries; any other word is an id as it is.
fn mention(word: &str) -> (&str, Option<&str>) {
    let Some(inner) = word
        .strip_prefix("<@")
        .and_then(|w| w.strip_suffix('>'))
        .map(|w| w.trim_start_matches('!'))
    else {
        return (word, None);
    };
    match inner.split_once('|') {
        Some((id, name)) if !name.is_empty() => (id, Some(name)),
        Some((id, _)) => (id, None),
        None => (inner, None),
    }
}

/// An interviewer's note: one line, not empty, not too long.
fn mock_note(text: &str) -> Result<String, String> {
    let note = text.trim();
    if note.is_empty() {
        return Err("Your note is empty: write it after the command.".into());
    }
    if note.contains(['\n', '\r']) || note.chars().any(char::is_control) {
        return Err("A note is one line of plain text.".into());
    }
    if note.chars().count() > mock::MAX_NOTE_CHARS {
        return Err(format!(
            "A note is at most {} characters.",
            mock::MAX_NOTE_CHARS
        ));
    }
    Ok(note.to_string())
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
mod tests;
