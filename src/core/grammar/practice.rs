//! The words after `practice`: `[topic]`, `answer TEXT`, `rate again|hard|good|easy`,
//! `retention 0.85`, `status`, `remind HH:MM Area/City [WEEKDAYS]` and `remind off`.

use super::{time_and_zone, Grammar};
use crate::core::command::{AnswerText, Platform};
use crate::core::practice::{PracticeAction, Rating, ReminderChange, Retention};
use crate::core::schedule::Weekdays;

impl Grammar {
    /// How the caller asks for the next practice card: Discord cannot run a command group's name
    /// alone, so there it is `/practice next`.
    pub fn practice_next(&self) -> String {
        match self.platform {
            Platform::Discord => self.command("practice next"),
            _ => self.command("practice"),
        }
    }

    /// How the caller turns reminders off (`/practice remind-off` on Discord, whose command names
    /// have no spaces).
    pub fn practice_remind_off(&self) -> String {
        match self.platform {
            Platform::Discord => self.command("practice remind-off"),
            _ => self.command("practice remind off"),
        }
    }

    /// Parses the words after `practice`; a single other word is a topic.
    pub fn practice(&self, text: &str) -> Result<PracticeAction, String> {
        let text = text.trim();
        let (verb, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let rest = rest.trim();
        let words: Vec<&str> = rest.split_whitespace().collect();
        Ok(
            match (verb.to_ascii_lowercase().as_str(), words.as_slice()) {
                ("", []) => PracticeAction::Next { topic: None },
                ("answer", _) => PracticeAction::Answer {
                    card: None,
                    text: AnswerText::parse(rest)?,
                },
                ("rate", [rating]) => PracticeAction::Rate {
                    card: None,
                    rating: Rating::parse(rating).ok_or_else(|| self.rate_usage())?,
                },
                ("rate", _) => return Err(self.rate_usage()),
                ("retention", [value]) => PracticeAction::Retention(Retention::parse(value)?),
                ("retention", _) => {
                    return Err(format!(
                        "Use `{}` (between 0.70 and 0.97).",
                        self.command("practice retention 0.85")
                    ))
                }
                ("status", []) => PracticeAction::Status,
                ("remind", words) => PracticeAction::Remind(self.reminder(words)?),
                (topic, []) => PracticeAction::Next {
                    topic: Some(topic.to_string()),
                },
                _ => return Err(self.practice_usage()),
            },
        )
    }

    /// `remind off`, or `remind HH:MM Area/City [WEEKDAYS]` (every day when no days are named).
    pub fn reminder(&self, words: &[&str]) -> Result<ReminderChange, String> {
        match words {
            [off] if off.eq_ignore_ascii_case("off") => Ok(ReminderChange::Off),
            [time, zone, days @ ..] => self.reminder_at(time, zone, &days.join(" ")),
            _ => Err(format!(
                "Use `{}` (weekdays optional) or `{}`.",
                self.command("practice remind 08:30 Europe/Berlin mon-fri"),
                self.practice_remind_off()
            )),
        }
    }

    /// A reminder from separate fields (a slash command's options); empty days mean every day.
    pub fn reminder_at(
        &self,
        time: &str,
        zone: &str,
        days: &str,
    ) -> Result<ReminderChange, String> {
        let (time, zone) = time_and_zone(time, zone)?;
        let days = days.trim();
        let weekdays = Weekdays::parse(if days.is_empty() { "daily" } else { days })
            .map_err(|e| e.to_string())?;
        Ok(ReminderChange::On {
            time,
            zone,
            weekdays,
        })
    }

    fn rate_usage(&self) -> String {
        format!(
            "Use `{}`, `hard`, `good` or `easy` after answering a practice question.",
            self.command("practice rate again")
        )
    }

    /// How to use `practice`, for this caller.
    pub fn practice_usage(&self) -> String {
        let practice = self.command("practice");
        format!(
            "Use `{practice} [topic]`, `{practice} answer TEXT`, `{practice} rate again|hard|good|easy`, \
             `{practice} retention 0.85`, `{practice} status`, `{practice} remind HH:MM Area/City \
             [WEEKDAYS]` or `{practice} remind off`."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice(text: &str) -> Result<PracticeAction, String> {
        Grammar::of(Platform::Console).practice(text)
    }

    #[test]
    fn a_bare_practice_asks_for_the_next_card_and_one_word_names_a_topic() {
        assert_eq!(practice(""), Ok(PracticeAction::Next { topic: None }));
        assert_eq!(
            practice("ORM"),
            Ok(PracticeAction::Next {
                topic: Some("orm".into())
            })
        );
        assert!(practice("orm drf").is_err());
    }

    #[test]
    fn ratings_retention_and_status_parse() {
        assert_eq!(
            practice("rate Good"),
            Ok(PracticeAction::Rate {
                card: None,
                rating: Rating::Good
            })
        );
        assert!(practice("rate great").is_err());
        assert!(practice("retention 0.85").is_ok());
        assert!(practice("retention 0.99").is_err());
        assert_eq!(practice("status"), Ok(PracticeAction::Status));
        assert!(practice("answer").is_err(), "an empty answer");
    }

    #[test]
    fn a_reminder_takes_a_time_a_zone_and_optional_days_or_off() {
        let every_day = practice("remind 08:30 Europe/Berlin");
        assert!(
            matches!(every_day, Ok(PracticeAction::Remind(ReminderChange::On { weekdays, .. })) if weekdays.bits() == 0b111_1111)
        );
        let workdays = practice("remind 08:30 Europe/Berlin mon - fri");
        assert!(
            matches!(workdays, Ok(PracticeAction::Remind(ReminderChange::On { weekdays, .. })) if weekdays.bits() == 0b001_1111)
        );
        assert_eq!(
            practice("remind OFF"),
            Ok(PracticeAction::Remind(ReminderChange::Off))
        );
        assert!(practice("remind 25:00 Europe/Berlin").is_err());
        assert!(practice("remind 08:30 Mars/Olympus").is_err());
        assert!(practice("remind").is_err());
    }
}
