//! Engine replies as Discord messages: embeds, buttons, ephemeral flags. Texts are trimmed to
//! Discord's limits, and every message goes out with empty allowed mentions, so text a user wrote
//! (a display name, a word of an answer) can never ping anyone.

use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateMessage,
};

use crate::core::command::BoardScope;
use crate::core::reply::{Audience, Reply, ReplyBody};
use crate::core::round::Origin;

pub const CONTENT_LIMIT: usize = 2000;
pub const TITLE_LIMIT: usize = 256;
pub const DESCRIPTION_LIMIT: usize = 4096;
/// A reveal's description leaves room in the embed's 6,000-character total for its fields.
pub const REVEAL_DESCRIPTION_LIMIT: usize = 3000;
pub const FIELD_LIMIT: usize = 1024;
// Every embed here has at most 6 fields, well within Discord's 25.

/// The custom id of a question's Answer button.
pub fn answer_button_id(round: i64) -> String {
    format!("answer:{round}")
}

/// The custom id of a reveal's My result button.
pub fn result_button_id(round: i64) -> String {
    format!("result:{round}")
}

/// A reply, ready to send as a message or an interaction response.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub content: Option<String>,
    pub embeds: Vec<CreateEmbed>,
    pub components: Vec<CreateActionRow>,
    pub ephemeral: bool,
}

impl Rendered {
    pub fn into_reply(self) -> poise::CreateReply {
        let mut reply = poise::CreateReply::default()
            .ephemeral(self.ephemeral)
            .allowed_mentions(no_mentions())
            .components(self.components);
        if let Some(content) = self.content {
            reply = reply.content(content);
        }
        for embed in self.embeds {
            reply = reply.embed(embed);
        }
        reply
    }

    pub fn into_message(self) -> CreateMessage {
        let mut message = CreateMessage::new()
            .allowed_mentions(no_mentions())
            .embeds(self.embeds)
            .components(self.components);
        if let Some(content) = self.content {
            message = message.content(content);
        }
        message
    }

    pub fn into_interaction_message(self) -> serenity::CreateInteractionResponseMessage {
        let mut message = serenity::CreateInteractionResponseMessage::new()
            .ephemeral(self.ephemeral)
            .allowed_mentions(no_mentions())
            .embeds(self.embeds)
            .components(self.components);
        if let Some(content) = self.content {
            message = message.content(content);
        }
        message
    }
}

/// An action row with one button.
fn one_button(custom_id: String, label: &str, style: ButtonStyle) -> Vec<CreateActionRow> {
    vec![CreateActionRow::Buttons(vec![CreateButton::new(custom_id)
        .label(label)
        .style(style)])]
}

/// Mentions nobody: not @everyone, not roles, not users, not the replied-to author.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .replied_user(false)
}

/// Cuts `text` to at most `limit` characters, marking the cut.
pub fn fit(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let kept: String = text.chars().take(limit.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Text a user wrote, made inert: `@everyone` stays readable but is no longer a mention.
pub fn user_text(text: &str) -> String {
    text.replace('@', "@\u{200b}")
}

pub fn render(reply: &Reply) -> Rendered {
    let ephemeral = matches!(reply.audience, Audience::User(_));
    let text = |content: String| Rendered {
        content: Some(fit(&content, CONTENT_LIMIT)),
        ephemeral,
        ..Rendered::default()
    };
    match &reply.body {
        ReplyBody::QuestionCard(card) => {
            let title = match card.origin {
                Origin::Daily => "Question of the day",
                Origin::AdHoc => "Question",
            };
            let embed = CreateEmbed::new()
                .title(title)
                .description(fit(&card.prompt, DESCRIPTION_LIMIT))
                .field(
                    "Topic",
                    fit(card.topic.as_deref().unwrap_or("general"), FIELD_LIMIT),
                    true,
                )
                .field("Difficulty", card.difficulty.as_str(), true)
                .field(
                    "Closes",
                    format!("<t:{}:R>", card.closes_at.timestamp()),
                    true,
                )
                .footer(CreateEmbedFooter::new(
                    "Answer with the button or /answer; answers stay private until the reveal.",
                ));
            Rendered {
                embeds: vec![embed],
                components: one_button(
                    answer_button_id(card.round),
                    "Answer",
                    ButtonStyle::Primary,
                ),
                ephemeral,
                ..Rendered::default()
            }
        }
        ReplyBody::AnswerRecorded {
            score,
            covered,
            key_points,
            replaced,
            ..
        } => {
            let verb = if *replaced {
                "Your answer replaced the earlier one"
            } else {
                "Answer recorded"
            };
            text(format!(
                "{verb}: **{score}/100**, {covered} of {key_points} key points. The key points stay hidden until the reveal."
            ))
        }
        ReplyBody::Hint {
            key_point,
            hints_used,
            penalty,
            ..
        } => text(format!(
            "Hint: {key_point}\n({hints_used} hint(s) taken: -{penalty} points on this question.)"
        )),
        ReplyBody::Reveal(reveal) => {
            let mut key_points: Vec<String> =
                reveal.key_points.iter().map(|k| format!("• {k}")).collect();
            if let Some(explanation) = &reveal.explanation {
                key_points.push(String::new());
                key_points.push(explanation.clone());
            }
            if let Some(link) = &reveal.notes_link {
                key_points.push(format!("Notes: {link}"));
            }
            // An embed's texts may total 6,000 characters: title + description + two fields stay under.
            let mut embed = CreateEmbed::new()
                .title(fit(&format!("Answer key: {}", reveal.prompt), TITLE_LIMIT))
                .description(fit(&key_points.join("\n"), REVEAL_DESCRIPTION_LIMIT))
                .field("Answered", reveal.answered.to_string(), true);
            if reveal.answered > 0 {
                let top: Vec<String> = reveal
                    .top
                    .iter()
                    .enumerate()
                    .map(|(i, (name, points))| format!("{}. {} — {points}", i + 1, user_text(name)))
                    .collect();
                let gaps: Vec<String> = reveal
                    .gaps
                    .iter()
                    .map(|g| format!("{}% missed: {}", g.missed_percent(), g.key_point))
                    .collect();
                embed = embed
                    .field("Top scores", fit(&top.join("\n"), FIELD_LIMIT), true)
                    .field("Gap report", fit(&gaps.join("\n"), FIELD_LIMIT), false);
            }
            Rendered {
                embeds: vec![embed],
                components: one_button(
                    result_button_id(reveal.round),
                    "My result",
                    ButtonStyle::Secondary,
                ),
                ephemeral,
                ..Rendered::default()
            }
        }
        ReplyBody::OwnResult(result) => {
            let mut lines = vec![format!(
                "Your result: **{}/100**, {} hint(s), {} points.",
                result.score, result.hints_used, result.points
            )];
            for check in &result.checklist {
                let mark = if check.covered { "✅" } else { "⬜" };
                let said = if check.matched.is_empty() {
                    String::new()
                } else {
                    format!(" (you said: {})", user_text(&check.matched.join(", ")))
                };
                lines.push(format!("{mark} {}{said}", check.text));
            }
            text(lines.join("\n"))
        }
        ReplyBody::Board(board) => {
            let scope = match board.scope {
                BoardScope::Channel => "this channel",
                BoardScope::Workspace => "this server",
            };
            let lines: Vec<String> = if board.entries.is_empty() {
                vec!["No revealed answers yet.".to_string()]
            } else {
                board
                    .entries
                    .iter()
                    .map(|e| {
                        format!(
                            "**{}.** {} — {} points ({} round(s), average {:.0})",
                            e.rank,
                            user_text(&e.display_name),
                            e.points,
                            e.rounds,
                            e.average_score
                        )
                    })
                    .collect()
            };
            Rendered {
                embeds: vec![CreateEmbed::new()
                    .title(format!("Leaderboard — {}, {scope}", board.period))
                    .description(fit(&lines.join("\n"), DESCRIPTION_LIMIT))],
                ephemeral,
                ..Rendered::default()
            }
        }
        ReplyBody::Stats(stats) => {
            let tags = |tags: &[(String, f64, u32)]| {
                let list: Vec<String> = tags
                    .iter()
                    .map(|(t, avg, _)| format!("{t} ({avg:.0})"))
                    .collect();
                if list.is_empty() {
                    "—".to_string()
                } else {
                    fit(&list.join(", "), FIELD_LIMIT)
                }
            };
            Rendered {
                embeds: vec![CreateEmbed::new()
                    .title(fit(
                        &format!("Stats for {}", user_text(&stats.display_name)),
                        TITLE_LIMIT,
                    ))
                    .field("Rounds answered", stats.rounds_answered.to_string(), true)
                    .field("Average", format!("{:.0}", stats.average_score), true)
                    .field("Points", stats.points.to_string(), true)
                    .field(
                        "Streak",
                        format!("{} (best {})", stats.current_streak, stats.best_streak),
                        true,
                    )
                    .field("Strongest", tags(&stats.strongest), false)
                    .field("Weakest", tags(&stats.weakest), false)],
                ephemeral,
                ..Rendered::default()
            }
        }
        ReplyBody::Topics(topics) => {
            let list: Vec<String> = topics.iter().map(|(t, n)| format!("`{t}` ({n})")).collect();
            text(format!("Topics: {}", list.join(", ")))
        }
        ReplyBody::ScheduleInfo(info) => match &info.summary {
            None => text(
                "No question of the day here. An admin can set one with `/schedule set`.".into(),
            ),
            Some(summary) => {
                let state = if info.paused { " (paused)" } else { "" };
                let next: Vec<String> = info
                    .next_posts
                    .iter()
                    .map(|p| format!("• <t:{}:F>", p.timestamp()))
                    .collect();
                text(format!(
                    "Question of the day: {summary}{state}.\nNext posts:\n{}",
                    next.join("\n")
                ))
            }
        },
        ReplyBody::Help(commands) => {
            let lines: Vec<String> = commands
                .iter()
                .map(|(usage, what)| format!("`{usage}` — {what}"))
                .collect();
            text(lines.join("\n"))
        }
        ReplyBody::Notice(message) => text(message.clone()),
        ReplyBody::Problem(message) => text(message.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_at_the_limit() {
        let long = "é".repeat(5000);
        assert_eq!(fit(&long, CONTENT_LIMIT).chars().count(), CONTENT_LIMIT);
        assert!(fit(&long, CONTENT_LIMIT).ends_with('…'));
        assert_eq!(fit("short", CONTENT_LIMIT), "short");
    }

    #[test]
    fn user_text_cannot_form_a_mention() {
        assert_eq!(user_text("@everyone"), "@\u{200b}everyone");
        assert!(!user_text("hi @here").contains("@here"));
    }
}
