//! What a user asked for, independent of the platform it came from: every front door (console,
//! Discord, Slack) parses its input into a [`Command`] and the engine answers with replies. Raw text
//! is parsed into types here, at the edge, so the engine never re-checks a string.

use std::fmt;

use super::bank::Difficulty;
use super::practice::PracticeAction;
use super::schedule::{AnswerWindow, Focus, LocalTime, TimeZone, Weekdays};

/// Where a command or a post comes from and goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Console,
    Discord,
    Slack,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Discord => "discord",
            Platform::Slack => "slack",
        }
    }

    pub fn parse(raw: &str) -> Option<Platform> {
        match raw {
            "console" => Some(Platform::Console),
            "discord" => Some(Platform::Discord),
            "slack" => Some(Platform::Slack),
            _ => None,
        }
    }

    /// What a user types before a command's name here: `/question` in the console and on Discord,
    /// `/interview question` on Slack, where the app has one slash command.
    pub fn command_prefix(self) -> &'static str {
        match self {
            Platform::Console | Platform::Discord => "/",
            Platform::Slack => "/interview ",
        }
    }
}

/// A channel as its platform names it: a Discord guild's channel, a Slack team's channel, or a
/// console session's channel.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChannelRef {
    pub platform: Platform,
    /// The guild, team or console workspace.
    pub workspace: String,
    pub channel: String,
}

/// Who sent a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id on the platform.
    pub user: String,
    /// How to show the user; echoed into channels only through a front door's escaping.
    pub display_name: String,
    /// Whether the platform says the user may manage the channel's schedule and bank.
    pub is_admin: bool,
}

/// One request from a user in a channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub channel: ChannelRef,
    pub actor: Actor,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A question now, optionally by topic (tag) and difficulty.
    Ask {
        topic: Option<String>,
        difficulty: Option<Difficulty>,
    },
    Answer(AnswerText),
    /// An answer written for one particular round (from a post's Answer button): refused if that
    /// round is no longer the open one, so it is never graded against another question.
    AnswerRound {
        round: i64,
        text: AnswerText,
    },
    Hint,
    Reveal,
    /// The actor's own checklist for a revealed round (the reveal's \"My result\").
    MyResult {
        round: i64,
    },
    Leaderboard {
        period: Period,
        scope: BoardScope,
    },
    /// Stats for the actor, or for another user of the channel (by platform id).
    Stats {
        user: Option<String>,
    },
    Topics,
    Help,
    Schedule(ScheduleAction),
    ReloadBank,
    /// A step of a mock interview: of the session a button names, or else of the actor's running
    /// mock in the channel.
    Mock {
        session: Option<i64>,
        /// The question (1-based; 0 before the first) the button was shown with: a button left on
        /// an older message is refused instead of acting on a newer question.
        at: Option<usize>,
        action: MockAction,
    },
    /// A step of the actor's personal practice (always private).
    Practice(PracticeAction),
}

/// What a user does in a mock interview.
#[derive(Debug, Clone, PartialEq)]
pub enum MockAction {
    Start(MockStart),
    /// Join a mock that has not asked its first question yet.
    Join,
    /// Ask the first question, or move on to the next one (the interviewer).
    Next,
    /// The current question's key points, hint and explanation (the interviewer, privately).
    Rubric,
    /// Tick or untick key points (1-based, as the rubric numbers them).
    Tick {
        key_points: Vec<usize>,
        ticked: bool,
    },
    /// Tick a key point (1-based) if it is not ticked, untick it if it is (a rubric's button).
    Toggle {
        key_point: usize,
    },
    /// The candidate's written answer to the current question.
    Answer(AnswerText),
    /// The interviewer's one-line note on the current question.
    Note(String),
    End,
    /// The actor's own part of an ended mock's report (a report's button).
    MyPart,
    /// Past mocks of the actor, or of another user (by platform id).
    History {
        user: Option<String>,
    },
}

/// How a mock should run, checked: settings within their limits, at least one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct MockStart {
    pub topic: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub questions: u8,
    pub minutes: u8,
    pub candidates: Vec<Candidate>,
}

/// Someone asked to answer in a mock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The platform id.
    pub user: String,
    /// How to show them, when the platform said (otherwise the engine looks them up).
    pub display_name: Option<String>,
    /// Whether the platform says this is a bot (bots cannot answer).
    pub is_bot: bool,
}

/// Who may do an action. The engine enforces it; a front door only asks it whether finding out if
/// the user is an admin is worth a call to the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Anyone,
    /// Admins only: changing the schedule, reloading the bank.
    Admin,
    /// Anyone for an ad hoc question; admins only for the question of the day before it closes.
    AdminForQuestionOfTheDay,
}

impl Action {
    pub fn permission(&self) -> Permission {
        match self {
            Action::ReloadBank => Permission::Admin,
            Action::Schedule(ScheduleAction::Show) => Permission::Anyone,
            Action::Schedule(_) => Permission::Admin,
            Action::Reveal => Permission::AdminForQuestionOfTheDay,
            _ => Permission::Anyone,
        }
    }

    /// The action's name, for logs: never what a user wrote in it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Ask { .. } => "ask",
            Action::Answer(_) | Action::AnswerRound { .. } => "answer",
            Action::Hint => "hint",
            Action::Reveal => "reveal",
            Action::MyResult { .. } => "my result",
            Action::Leaderboard { .. } => "leaderboard",
            Action::Stats { .. } => "stats",
            Action::Topics => "topics",
            Action::Help => "help",
            Action::Schedule(_) => "schedule",
            Action::ReloadBank => "bank reload",
            Action::Mock { .. } => "mock",
            Action::Practice(practice) => practice.name(),
        }
    }

    /// Whether the outcome can depend on the user being an admin.
    pub fn may_need_admin(&self) -> bool {
        self.permission() != Permission::Anyone
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScheduleAction {
    Set {
        time: LocalTime,
        zone: TimeZone,
        weekdays: Weekdays,
        window: AnswerWindow,
        focus: Focus,
    },
    Show,
    Pause,
    Resume,
    Off,
}

/// Which answers a leaderboard counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
    AllTime,
    Last30Days,
}

impl Period {
    pub fn parse(raw: &str) -> Option<Period> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "week" | "weekly" | "this-week" => Some(Period::Week),
            "month" | "monthly" | "this-month" => Some(Period::Month),
            "all" | "all-time" | "alltime" | "ever" => Some(Period::AllTime),
            "30d" | "30-days" | "last-30-days" | "recent" => Some(Period::Last30Days),
            _ => None,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Period::Week => "this week",
            Period::Month => "this month",
            Period::AllTime => "all time",
            Period::Last30Days => "the last 30 days",
        })
    }
}

/// Whether a leaderboard covers one channel or the whole workspace (server, team).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardScope {
    Channel,
    Workspace,
}

impl BoardScope {
    pub fn parse(raw: &str) -> Option<BoardScope> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "channel" | "here" => Some(BoardScope::Channel),
            "server" | "workspace" | "team" | "everyone" => Some(BoardScope::Workspace),
            _ => None,
        }
    }
}

/// The longest answer accepted, in characters.
pub const MAX_ANSWER_CHARS: usize = 4000;

/// An answer's text, checked: not empty, at most [`MAX_ANSWER_CHARS`] characters, no control
/// characters other than line breaks and tabs.
#[derive(Clone, PartialEq, Eq)]
pub struct AnswerText(String);

/// Only the length: an answer's text never reaches a log line through a command's debug form.
impl fmt::Debug for AnswerText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AnswerText({} chars)", self.0.chars().count())
    }
}

impl AnswerText {
    pub fn parse(raw: &str) -> Result<AnswerText, String> {
        let text = raw.trim();
        if text.is_empty() {
            return Err("Your answer is empty: write it after the command.".into());
        }
        let chars = text.chars().count();
        if chars > MAX_ANSWER_CHARS {
            return Err(format!(
                "Your answer is {chars} characters long; the limit is {MAX_ANSWER_CHARS}. Please shorten it."
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        {
            return Err("Your answer contains control characters; please send plain text.".into());
        }
        Ok(AnswerText(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_trimmed_and_checked() {
        assert_eq!(
            AnswerText::parse("  a join  ").map(|a| a.as_str().to_string()),
            Ok("a join".to_string())
        );
        assert!(AnswerText::parse("   ").is_err());
        assert!(AnswerText::parse(&"x".repeat(MAX_ANSWER_CHARS + 1)).is_err());
        assert!(AnswerText::parse(&"é".repeat(MAX_ANSWER_CHARS)).is_ok());
        assert!(AnswerText::parse("bell \u{7}").is_err());
        assert!(AnswerText::parse("two\nlines\tand a tab").is_ok());
    }

    #[test]
    fn only_schedule_changes_reloads_and_early_daily_reveals_need_an_admin() {
        assert_eq!(Action::ReloadBank.permission(), Permission::Admin);
        assert_eq!(
            Action::Schedule(ScheduleAction::Pause).permission(),
            Permission::Admin
        );
        assert_eq!(
            Action::Schedule(ScheduleAction::Show).permission(),
            Permission::Anyone
        );
        assert_eq!(
            Action::Reveal.permission(),
            Permission::AdminForQuestionOfTheDay
        );
        assert!(Action::Reveal.may_need_admin());
        assert!(!Action::Hint.may_need_admin());
    }

    #[test]
    fn an_answer_never_shows_its_text_in_debug_output() {
        let answer = AnswerText::parse("my secret answer").expect("valid");
        let shown = format!("{:?}", Action::Answer(answer));
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("16 chars"), "{shown}");
    }

    #[test]
    fn leaderboard_words_parse() {
        assert_eq!(Period::parse("all"), Some(Period::AllTime));
        assert_eq!(Period::parse(""), Some(Period::Week));
        assert_eq!(Period::parse("fortnight"), None);
        assert_eq!(BoardScope::parse("server"), Some(BoardScope::Workspace));
    }
}
