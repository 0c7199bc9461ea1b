//! The slash commands. Each one only translates: it parses its options into an engine [`Action`],
//! runs it, and sends the replies. The `///` comment of each command is its description in Discord.

use poise::serenity_prelude as serenity;

use super::{run_action, Context, Error};
use crate::core::bank::Difficulty;
use crate::core::command::{
    Action, AnswerText, BoardScope, Period, Permission, Platform, ScheduleAction, MAX_ANSWER_CHARS,
};
use crate::core::grammar::Grammar;
use crate::core::schedule::Focus;
use crate::core::scoring::HINT_PENALTY;

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DifficultyChoice {
    #[name = "easy"]
    Easy,
    #[name = "medium"]
    Medium,
    #[name = "hard"]
    Hard,
}

impl DifficultyChoice {
    pub fn difficulty(self) -> Difficulty {
        match self {
            DifficultyChoice::Easy => Difficulty::Easy,
            DifficultyChoice::Medium => Difficulty::Medium,
            DifficultyChoice::Hard => Difficulty::Hard,
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum PeriodChoice {
    #[name = "this week"]
    Week,
    #[name = "this month"]
    Month,
    #[name = "all time"]
    All,
    #[name = "last 30 days"]
    Last30Days,
}

/// What a channel's question of the day prefers.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum FocusChoice {
    #[name = "least-asked (default)"]
    LeastAsked,
    #[name = "weak: what the channel knows least"]
    Weak,
}

impl FocusChoice {
    /// The focus as the grammar reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            FocusChoice::LeastAsked => Focus::LeastAsked.as_str(),
            FocusChoice::Weak => Focus::Weak.as_str(),
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ScopeChoice {
    #[name = "this channel"]
    Channel,
    #[name = "whole server"]
    Server,
}

pub(super) async fn topics(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let choices = ctx
        .data()
        .engine
        .bank()
        .summary()
        .tags
        .into_keys()
        .filter(|tag| tag.contains(&partial))
        .take(25)
        .map(|tag| serenity::AutocompleteChoice::new(tag.clone(), tag))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Ask for a question now, optionally by topic and difficulty.
#[poise::command(slash_command, guild_only)]
pub async fn question(
    ctx: Context<'_>,
    #[description = "Topic, e.g. drf or orm"]
    #[autocomplete = "topics"]
    topic: Option<String>,
    #[description = "How hard"] difficulty: Option<DifficultyChoice>,
) -> Result<(), Error> {
    let difficulty = difficulty.map(DifficultyChoice::difficulty);
    run_action(ctx, Action::Ask { topic, difficulty }).await
}

/// Answer the open question (only you see your answer until the reveal).
#[poise::command(slash_command, guild_only)]
pub async fn answer(
    ctx: Context<'_>,
    #[description = "Your answer, in your own words"] text: String,
) -> Result<(), Error> {
    match AnswerText::parse(&text) {
        Ok(text) => run_action(ctx, Action::Answer(text)).await,
        Err(problem) => super::send_privately(ctx, problem).await,
    }
}

/// See one key point you have not covered yet (at a cost in points).
#[poise::command(slash_command, guild_only)]
pub async fn hint(ctx: Context<'_>) -> Result<(), Error> {
    run_action(ctx, Action::Hint).await
}

/// Reveal the key points and everyone's results.
#[poise::command(slash_command, guild_only)]
pub async fn reveal(ctx: Context<'_>) -> Result<(), Error> {
    // No defer: a deferred reply is as public as the defer, and a refusal must stay private. A reveal
    // is one transaction, well within Discord's 3 seconds.
    run_action(ctx, Action::Reveal).await
}

/// The top scores.
#[poise::command(slash_command, guild_only)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "Which answers count"] period: Option<PeriodChoice>,
    #[description = "This channel or the whole server"] scope: Option<ScopeChoice>,
) -> Result<(), Error> {
    let period = match period.unwrap_or(PeriodChoice::Week) {
        PeriodChoice::Week => Period::Week,
        PeriodChoice::Month => Period::Month,
        PeriodChoice::All => Period::AllTime,
        PeriodChoice::Last30Days => Period::Last30Days,
    };
    let scope = match scope.unwrap_or(ScopeChoice::Channel) {
        ScopeChoice::Channel => BoardScope::Channel,
        ScopeChoice::Server => BoardScope::Workspace,
    };
    run_action(ctx, Action::Leaderboard { period, scope }).await
}

/// Rounds answered, average, streaks, strongest and weakest topics.
#[poise::command(slash_command, guild_only)]
pub async fn stats(
    ctx: Context<'_>,
    #[description = "Whose stats (you if empty)"] user: Option<serenity::User>,
) -> Result<(), Error> {
    run_action(
        ctx,
        Action::Stats {
            user: user.map(|u| u.id.get().to_string()),
        },
    )
    .await
}

/// The topics you can ask for.
#[poise::command(slash_command, guild_only)]
pub async fn topics_command(ctx: Context<'_>) -> Result<(), Error> {
    run_action(ctx, Action::Topics).await
}

/// How to play.
#[poise::command(slash_command, guild_only)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    run_action(ctx, Action::Help).await
}

/// The question of the day (everyone can see it; server managers change it).
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "schedule_set",
        "schedule_show",
        "schedule_pause",
        "schedule_resume",
        "schedule_off"
    )
)]
pub async fn schedule(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Post a question every scheduled day at a local time.
#[poise::command(slash_command, guild_only, rename = "set")]
pub async fn schedule_set(
    ctx: Context<'_>,
    #[description = "Local time, 24-hour HH:MM, e.g. 09:00"] time: String,
    #[description = "Time zone, e.g. Europe/Berlin"] zone: String,
    #[description = "Days: mon-fri, daily, weekends, or mon,wed,fri"] weekdays: String,
    #[description = "How long answers stay open, e.g. 8h (default) or 90m"] window: Option<String>,
    #[description = "Which question comes first: the one asked least (default), or the weakest"]
    focus: Option<FocusChoice>,
) -> Result<(), Error> {
    let grammar = Grammar::of(Platform::Discord);
    let focus = focus.map(FocusChoice::as_str);
    match grammar.schedule_set(&time, &zone, &weekdays, window.as_deref(), focus) {
        Ok(action) => run_action(ctx, Action::Schedule(action)).await,
        Err(problem) => super::send_privately(ctx, problem).await,
    }
}

/// Show the schedule and its next posts.
#[poise::command(slash_command, guild_only, rename = "show")]
pub async fn schedule_show(ctx: Context<'_>) -> Result<(), Error> {
    run_action(ctx, Action::Schedule(ScheduleAction::Show)).await
}

/// Pause the question of the day.
#[poise::command(slash_command, guild_only, rename = "pause")]
pub async fn schedule_pause(ctx: Context<'_>) -> Result<(), Error> {
    run_action(ctx, Action::Schedule(ScheduleAction::Pause)).await
}

/// Resume the question of the day.
#[poise::command(slash_command, guild_only, rename = "resume")]
pub async fn schedule_resume(ctx: Context<'_>) -> Result<(), Error> {
    run_action(ctx, Action::Schedule(ScheduleAction::Resume)).await
}

/// Turn the question of the day off.
#[poise::command(slash_command, guild_only, rename = "off")]
pub async fn schedule_off(ctx: Context<'_>) -> Result<(), Error> {
    run_action(ctx, Action::Schedule(ScheduleAction::Off)).await
}

/// The question bank (server managers only).
#[poise::command(slash_command, guild_only, subcommands("bank_reload"))]
pub async fn bank(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Load the decks again; a bank with problems is refused and the current one keeps serving.
#[poise::command(slash_command, guild_only, rename = "reload")]
pub async fn bank_reload(ctx: Context<'_>) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    run_action(ctx, Action::ReloadBank).await
}

/// Every command, for registration.
pub fn all() -> Vec<poise::Command<super::Data, Error>> {
    let mut topics = topics_command();
    topics.name = "topics".into();
    let mut answer = answer();
    for text in &mut answer.parameters {
        text.type_setter = Some(|option| {
            option
                .kind(serenity::CommandOptionType::String)
                .max_length(MAX_ANSWER_CHARS as u16)
        });
    }
    let mut hint = hint();
    hint.description = Some(
        format!("See one key point you have not covered yet (costs {HINT_PENALTY} points).").into(),
    );
    let mut bank = bank();
    bank.default_member_permissions = visible_to(&[Action::ReloadBank]);
    let mut schedule = schedule();
    schedule.default_member_permissions = visible_to(&[
        Action::Schedule(ScheduleAction::Show),
        Action::Schedule(ScheduleAction::Pause),
        Action::Schedule(ScheduleAction::Resume),
        Action::Schedule(ScheduleAction::Off),
    ]);
    vec![
        question(),
        answer,
        hint,
        reveal(),
        leaderboard(),
        stats(),
        topics,
        help(),
        schedule,
        bank,
        super::mock::mock(),
        super::practice::command(),
    ]
}

/// Who Discord lists a command for, from the engine's rules for the actions it offers: hidden from
/// members only when every one of them needs an admin (members can still see the schedule). The
/// engine checks each action again; this only keeps menus honest.
fn visible_to(actions: &[Action]) -> serenity::Permissions {
    if actions.iter().all(|a| a.permission() == Permission::Admin) {
        serenity::Permissions::MANAGE_GUILD
    } else {
        serenity::Permissions::empty()
    }
}

/// Whether the member may manage the server, from the permissions Discord computed for this
/// interaction (checked here too: a client's command list can be stale or crafted).
pub fn is_admin(member: Option<&serenity::Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild() || p.administrator())
}
