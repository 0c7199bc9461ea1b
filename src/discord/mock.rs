//! The `/mock` slash commands: each parses its options into a mock step for the engine. The mock's
//! posts go into a public thread on its first message; the rubric's toggles and the answer form are
//! buttons, handled with every other button.

use poise::serenity_prelude as serenity;

use super::commands::DifficultyChoice;
use super::{run_action, send_privately, Context, Error};
use crate::core::command::{Action, AnswerText, Candidate, MockAction, MockStart};
use crate::core::mock;

/// Mock interviews: one interviews with the notes' key points, the others answer in turn.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "mock_start",
        "mock_join",
        "mock_next",
        "mock_rubric",
        "mock_answer",
        "mock_note",
        "mock_end",
        "mock_history"
    )
)]
pub async fn mock(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

async fn step(ctx: Context<'_>, action: MockAction) -> Result<(), Error> {
    run_action(
        ctx,
        Action::Mock {
            session: None,
            at: None,
            action,
        },
    )
    .await
}

fn candidate(user: serenity::User) -> Candidate {
    Candidate {
        user: user.id.get().to_string(),
        display_name: Some(
            user.global_name
                .clone()
                .unwrap_or_else(|| user.name.clone()),
        ),
        is_bot: user.bot,
    }
}

/// Start a mock interview: you interview first, the people you name answer in turn.
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only, rename = "start")]
pub async fn mock_start(
    ctx: Context<'_>,
    #[description = "Who answers first"] candidate_1: serenity::User,
    #[description = "Who answers next"] candidate_2: Option<serenity::User>,
    #[description = "Who answers next"] candidate_3: Option<serenity::User>,
    #[description = "Who answers next"] candidate_4: Option<serenity::User>,
    #[description = "Topic, e.g. drf or orm"]
    #[autocomplete = "super::commands::topics"]
    topic: Option<String>,
    #[description = "How hard"] difficulty: Option<DifficultyChoice>,
    #[description = "How many questions (1–10, default 3)"] questions: Option<i64>,
    #[description = "Minutes per question (2–30, default 8)"] minutes: Option<i64>,
) -> Result<(), Error> {
    let settings = questions
        .map_or(Ok(mock::DEFAULT_QUESTIONS), mock::questions)
        .and_then(|q| Ok((q, minutes.map_or(Ok(mock::DEFAULT_MINUTES), mock::minutes)?)));
    let (questions, minutes) = match settings {
        Ok(settings) => settings,
        Err(problem) => return send_privately(ctx, problem).await,
    };
    let candidates = [Some(candidate_1), candidate_2, candidate_3, candidate_4]
        .into_iter()
        .flatten()
        .map(candidate)
        .collect();
    let start = MockStart {
        topic,
        difficulty: difficulty.map(DifficultyChoice::difficulty),
        questions,
        minutes,
        candidates,
    };
    step(ctx, MockAction::Start(start)).await
}

/// Join the mock interview that has not begun yet.
#[poise::command(slash_command, guild_only, rename = "join")]
pub async fn mock_join(ctx: Context<'_>) -> Result<(), Error> {
    step(ctx, MockAction::Join).await
}

/// Ask the first question, or move on to the next one (the interviewer).
#[poise::command(slash_command, guild_only, rename = "next")]
pub async fn mock_next(ctx: Context<'_>) -> Result<(), Error> {
    step(ctx, MockAction::Next).await
}

/// See the current question's key points, hint and explanation (the interviewer, privately).
#[poise::command(slash_command, guild_only, rename = "rubric")]
pub async fn mock_rubric(ctx: Context<'_>) -> Result<(), Error> {
    step(ctx, MockAction::Rubric).await
}

/// Answer the current question in writing (the candidate).
#[poise::command(slash_command, guild_only, rename = "answer")]
pub async fn mock_answer(
    ctx: Context<'_>,
    #[description = "Your answer, in your own words"] text: String,
) -> Result<(), Error> {
    match AnswerText::parse(&text) {
        Ok(text) => step(ctx, MockAction::Answer(text)).await,
        Err(problem) => send_privately(ctx, problem).await,
    }
}

/// Add a one-line note on the current question (the interviewer).
#[poise::command(slash_command, guild_only, rename = "note")]
pub async fn mock_note(
    ctx: Context<'_>,
    #[description = "One line for the report"] text: String,
) -> Result<(), Error> {
    let grammar = crate::core::grammar::Grammar::of(crate::core::command::Platform::Discord);
    match grammar.mock(&format!("note {text}")) {
        Ok(note) => step(ctx, note).await,
        Err(problem) => send_privately(ctx, problem).await,
    }
}

/// End the mock interview now and post the report (the interviewer or whoever started it).
#[poise::command(slash_command, guild_only, rename = "end")]
pub async fn mock_end(ctx: Context<'_>) -> Result<(), Error> {
    step(ctx, MockAction::End).await
}

/// Past mock interviews, yours or someone else's.
#[poise::command(slash_command, guild_only, rename = "history")]
pub async fn mock_history(
    ctx: Context<'_>,
    #[description = "Whose (you if empty)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    let user = user.map(|u| u.id.get().to_string());
    step(ctx, MockAction::History { user }).await
}
