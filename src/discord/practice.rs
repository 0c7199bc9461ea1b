//! The `/practice` slash commands: a player's own spaced-repetition practice, always private.
//! Discord cannot run a command group itself with options, so each step is a subcommand (`next`,
//! `answer`, `rate`, `retention`, `status`, `remind`, `remind-off`) that parses its options into a
//! practice step for the engine. The card's Answer button and the result's rating buttons are
//! handled with every other button.

use poise::serenity_prelude as serenity;

use super::{run_action, send_privately, Context, Data, Error};
use crate::core::command::{Action, AnswerText, Platform, MAX_ANSWER_CHARS};
use crate::core::grammar::Grammar;
use crate::core::practice::{PracticeAction, Rating, ReminderChange, Retention};

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum RatingChoice {
    #[name = "again"]
    Again,
    #[name = "hard"]
    Hard,
    #[name = "good"]
    Good,
    #[name = "easy"]
    Easy,
}

impl RatingChoice {
    pub fn rating(self) -> Rating {
        match self {
            RatingChoice::Again => Rating::Again,
            RatingChoice::Hard => Rating::Hard,
            RatingChoice::Good => Rating::Good,
            RatingChoice::Easy => Rating::Easy,
        }
    }
}

/// The `/practice` group, as registered: an answer is limited to what the engine takes.
pub fn command() -> poise::Command<Data, Error> {
    let mut practice = practice();
    for answer in practice
        .subcommands
        .iter_mut()
        .filter(|sub| sub.name == "answer")
    {
        for text in &mut answer.parameters {
            text.type_setter = Some(|option| {
                option
                    .kind(serenity::CommandOptionType::String)
                    .max_length(MAX_ANSWER_CHARS as u16)
            });
        }
    }
    practice
}

/// Your own practice: questions come back when you are about to forget them. Only you see it.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "practice_next",
        "practice_answer",
        "practice_rate",
        "practice_retention",
        "practice_status",
        "practice_remind",
        "practice_remind_off"
    )
)]
pub async fn practice(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

async fn step(ctx: Context<'_>, action: PracticeAction) -> Result<(), Error> {
    run_action(ctx, Action::Practice(action)).await
}

/// Your most overdue question, or a new one from your weakest topic.
#[poise::command(slash_command, guild_only, rename = "next")]
pub async fn practice_next(
    ctx: Context<'_>,
    #[description = "Topic, e.g. drf or orm"]
    #[autocomplete = "super::commands::topics"]
    topic: Option<String>,
) -> Result<(), Error> {
    let topic = topic
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    step(ctx, PracticeAction::Next { topic }).await
}

/// Answer your practice question: your score, checklist and key points come at once.
#[poise::command(slash_command, guild_only, rename = "answer")]
pub async fn practice_answer(
    ctx: Context<'_>,
    #[description = "Your answer, in your own words"] text: String,
) -> Result<(), Error> {
    match AnswerText::parse(&text) {
        Ok(text) => step(ctx, PracticeAction::Answer { card: None, text }).await,
        Err(problem) => send_privately(ctx, problem).await,
    }
}

/// Rate your last practice answer yourself, instead of the rating its score earned.
#[poise::command(slash_command, guild_only, rename = "rate")]
pub async fn practice_rate(
    ctx: Context<'_>,
    #[description = "How well you knew it"] rating: RatingChoice,
) -> Result<(), Error> {
    let rating = rating.rating();
    step(ctx, PracticeAction::Rate { card: None, rating }).await
}

/// How likely you want to be to still remember a question when it comes back.
#[poise::command(slash_command, guild_only, rename = "retention")]
pub async fn practice_retention(
    ctx: Context<'_>,
    #[description = "Between 0.70 and 0.97, e.g. 0.85 or 85%"] value: String,
) -> Result<(), Error> {
    match Retention::parse(&value) {
        Ok(retention) => step(ctx, PracticeAction::Retention(retention)).await,
        Err(problem) => send_privately(ctx, problem).await,
    }
}

/// What is due, how much you remember, your weakest and strongest topics.
#[poise::command(slash_command, guild_only, rename = "status")]
pub async fn practice_status(ctx: Context<'_>) -> Result<(), Error> {
    step(ctx, PracticeAction::Status).await
}

/// A direct message at a local time on the days you choose, when something is due.
#[poise::command(slash_command, guild_only, rename = "remind")]
pub async fn practice_remind(
    ctx: Context<'_>,
    #[description = "Local time, 24-hour HH:MM, e.g. 08:30"] time: String,
    #[description = "Time zone, e.g. Europe/Berlin"] zone: String,
    #[description = "Days: mon-fri, daily, weekends, or mon,wed,fri (every day if empty)"]
    weekdays: Option<String>,
) -> Result<(), Error> {
    let grammar = Grammar::of(Platform::Discord);
    match grammar.reminder_at(&time, &zone, weekdays.as_deref().unwrap_or_default()) {
        Ok(change) => step(ctx, PracticeAction::Remind(change)).await,
        Err(problem) => send_privately(ctx, problem).await,
    }
}

/// Stop your practice reminders.
#[poise::command(slash_command, guild_only, rename = "remind-off")]
pub async fn practice_remind_off(ctx: Context<'_>) -> Result<(), Error> {
    step(ctx, PracticeAction::Remind(ReminderChange::Off)).await
}
