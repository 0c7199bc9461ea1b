//! Engine replies as Discord messages: embeds, buttons, ephemeral flags. Texts are trimmed to
//! Discord's limits, and every message goes out with empty allowed mentions, so text a user wrote
//! (a display name, a word of an answer) can never ping anyone.

use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInputText, CreateMessage, CreateModal, InputTextStyle,
};

use crate::core::command::{Platform, MAX_ANSWER_CHARS};
use crate::core::practice::PracticeReply;
use crate::core::reply::{Audience, Button, Reply, ReplyBody, ScheduleInfo};
pub use crate::core::wording::fit;
use crate::core::wording::{self, Markup};
use crate::deliver::{ANSWER_FORM_LABEL, ANSWER_FORM_TITLE};

pub const CONTENT_LIMIT: usize = 2000;
pub const TITLE_LIMIT: usize = 256;
pub const DESCRIPTION_LIMIT: usize = 4096;
/// A reveal's description leaves room in the embed's 6,000-character total for its fields.
pub const REVEAL_DESCRIPTION_LIMIT: usize = 3000;
pub const FIELD_LIMIT: usize = 1024;
/// The answer form's text field.
pub const ANSWER_INPUT: &str = "answer";
// Every embed here has at most 7 fields, well within Discord's 25.

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
        let message = CreateMessage::new().allowed_mentions(no_mentions());
        let message = message.embeds(self.embeds).components(self.components);
        self.content
            .into_iter()
            .fold(message, CreateMessage::content)
    }

    /// The reply as an edit of an interaction's response (after a deferred acknowledgement).
    pub fn into_edit(self) -> serenity::EditInteractionResponse {
        let edit = serenity::EditInteractionResponse::new()
            .allowed_mentions(no_mentions())
            .embeds(self.embeds)
            .components(self.components);
        self.content
            .into_iter()
            .fold(edit, |e, content| e.content(content))
    }

    /// The reply as a further message after an interaction's response (only its user sees it).
    pub fn into_followup(self) -> serenity::CreateInteractionResponseFollowup {
        let followup = serenity::CreateInteractionResponseFollowup::new()
            .ephemeral(self.ephemeral)
            .allowed_mentions(no_mentions())
            .embeds(self.embeds)
            .components(self.components);
        self.content
            .into_iter()
            .fold(followup, |f, content| f.content(content))
    }

    pub fn into_interaction_message(self) -> serenity::CreateInteractionResponseMessage {
        let message = serenity::CreateInteractionResponseMessage::new()
            .ephemeral(self.ephemeral)
            .allowed_mentions(no_mentions());
        let message = message.embeds(self.embeds).components(self.components);
        self.content
            .into_iter()
            .fold(message, |m, content| m.content(content))
    }
}

/// Mentions nobody: not @everyone, not roles, not users, not the replied-to author.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .replied_user(false)
}

/// Text a user wrote, made inert: `@everyone` stays readable but is no longer a mention.
pub fn user_text(text: &str) -> String {
    text.replace('@', "@\u{200b}")
}

/// Discord's Markdown. Texts from the bank go out as written (every message mentions nobody); texts
/// users wrote are made inert as well, so a copied message cannot ping either.
struct DiscordMarkup;

impl Markup for DiscordMarkup {
    fn bold(&self, text: &str) -> String {
        format!("**{text}**")
    }

    fn text(&self, text: &str) -> String {
        text.to_string()
    }

    fn user(&self, text: &str) -> String {
        user_text(text)
    }

    fn code(&self, text: &str) -> String {
        format!("`{text}`")
    }

    fn instant(&self, at: DateTime<Utc>, _info: &ScheduleInfo) -> String {
        // Discord shows a timestamp in each reader's own time zone.
        format!("<t:{}:F>", at.timestamp())
    }

    fn workspace_noun(&self) -> &'static str {
        "server"
    }
}

/// Lines joined and cut to `limit` in the middle, so the last line stays whole (when it is short
/// enough to leave room for the rest).
fn fit_keeping_last(lines: &[String], limit: usize) -> String {
    let joined = lines.join("\n");
    match lines.split_last() {
        Some((last, rest))
            if joined.chars().count() > limit && last.chars().count() < limit / 2 =>
        {
            let room = limit - last.chars().count() - 1;
            format!("{}\n{last}", fit(&rest.join("\n"), room))
        }
        _ => fit(&joined, limit),
    }
}

/// The custom id of a button: its kind and round (`answer:12`).
pub fn button_id(button: Button) -> String {
    format!("{}:{}", button.kind(), button.value())
}

/// The button a custom id names (also the answer form's id, which is its Answer button's).
pub fn button_of(custom_id: &str) -> Option<Button> {
    let (kind, round) = custom_id.split_once(':')?;
    Button::from_parts(kind, round)
}

/// The answer form an Answer button opens; its id is the button's, so the answer counts for what the
/// button was for.
pub fn answer_form(button: Button) -> CreateModal {
    let input = CreateInputText::new(InputTextStyle::Paragraph, ANSWER_FORM_LABEL, ANSWER_INPUT)
        .max_length(MAX_ANSWER_CHARS as u16)
        .required(true);
    CreateModal::new(button_id(button), ANSWER_FORM_TITLE)
        .components(vec![CreateActionRow::InputText(input)])
}

/// The buttons of a reply, five to a row as Discord allows.
fn buttons(body: &ReplyBody) -> Vec<CreateActionRow> {
    let buttons: Vec<CreateButton> = body
        .buttons()
        .into_iter()
        .map(|button| {
            let style = if button.is_primary() {
                ButtonStyle::Primary
            } else {
                ButtonStyle::Secondary
            };
            CreateButton::new(button_id(button))
                .label(button.label())
                .style(style)
        })
        .collect();
    buttons
        .chunks(5)
        .take(5)
        .map(|row| CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

pub fn render(reply: &Reply) -> Rendered {
    let m = &DiscordMarkup;
    let ephemeral = matches!(reply.audience, Audience::User(_));
    let components = buttons(&reply.body);
    let text = |lines: Vec<String>| Rendered {
        content: Some(match &reply.body {
            // Cut in the middle if need be: its last line says when the question comes back.
            ReplyBody::Practice(PracticeReply::Result(_)) => {
                fit_keeping_last(&lines, CONTENT_LIMIT)
            }
            _ => fit(&lines.join("\n"), CONTENT_LIMIT),
        }),
        components: components.clone(),
        ephemeral,
        ..Rendered::default()
    };
    let embed = |embed: CreateEmbed| Rendered {
        embeds: vec![embed],
        components: components.clone(),
        ephemeral,
        ..Rendered::default()
    };
    if let Some(lines) = wording::text_lines(m, &reply.body, Platform::Discord) {
        return text(lines);
    }
    match &reply.body {
        ReplyBody::QuestionCard(card) => embed(
            CreateEmbed::new()
                .title(wording::question_title(card))
                .description(fit(&card.prompt, DESCRIPTION_LIMIT))
                .field("Topic", fit(wording::topic(card), FIELD_LIMIT), true)
                .field("Difficulty", card.difficulty.as_str(), true)
                .field(
                    "Closes",
                    format!("<t:{}:R>", card.closes_at.timestamp()),
                    true,
                )
                .footer(CreateEmbedFooter::new(
                    "Answer with the button or /answer; answers stay private until the reveal.",
                )),
        ),
        ReplyBody::Reveal(reveal) => {
            // An embed's texts may total 6,000 characters: title + description + fields stay under.
            let mut reveal_embed = CreateEmbed::new()
                .title(fit(&format!("Answer key: {}", reveal.prompt), TITLE_LIMIT))
                .description(fit(
                    &wording::answer_key(m, reveal).join("\n"),
                    REVEAL_DESCRIPTION_LIMIT,
                ))
                .field("Answered", reveal.answered.to_string(), true);
            if reveal.answered > 0 {
                let top = wording::top_scores(m, reveal).join("\n");
                let gaps = wording::gap_report(m, &reveal.gaps).join("\n");
                reveal_embed = reveal_embed.field("Top scores", fit(&top, FIELD_LIMIT), true);
                // An embed field may not be empty (a question gone from the bank has no gaps).
                if !gaps.trim().is_empty() {
                    reveal_embed = reveal_embed.field("Gap report", fit(&gaps, FIELD_LIMIT), false);
                }
            }
            embed(reveal_embed)
        }
        ReplyBody::Board(board) => embed(
            CreateEmbed::new()
                .title(fit(&wording::board_title(m, board), TITLE_LIMIT))
                .description(fit(
                    &wording::board_rows(m, board).join("\n"),
                    DESCRIPTION_LIMIT,
                )),
        ),
        ReplyBody::Stats(stats) => {
            let mut stats_embed = CreateEmbed::new()
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
                .field(
                    "Strongest",
                    fit(&wording::topic_averages(m, &stats.strongest), FIELD_LIMIT),
                    false,
                )
                .field(
                    "Weakest",
                    fit(&wording::topic_averages(m, &stats.weakest), FIELD_LIMIT),
                    false,
                );
            if let Some(practice) = &stats.practice {
                let line = wording::practice::summary_line(practice);
                let line = line.strip_prefix("Practice: ").unwrap_or(&line);
                stats_embed = stats_embed.field("Practice", fit(line, FIELD_LIMIT), false);
            }
            embed(stats_embed)
        }
        // Every other reply is plain text, handled above.
        _ => Rendered::default(),
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
    fn a_long_text_cut_in_the_middle_keeps_its_last_line() {
        let lines = vec!["x".repeat(3000), "It comes back tomorrow.".to_string()];
        let cut = fit_keeping_last(&lines, CONTENT_LIMIT);
        assert_eq!(cut.chars().count(), CONTENT_LIMIT);
        assert!(cut.ends_with("…\nIt comes back tomorrow."), "{cut}");
        let short = vec!["a".to_string(), "b".to_string()];
        assert_eq!(fit_keeping_last(&short, CONTENT_LIMIT), "a\nb");
    }

    #[test]
    fn user_text_cannot_form_a_mention() {
        assert_eq!(user_text("@everyone"), "@\u{200b}everyone");
        assert!(!user_text("hi @here").contains("@here"));
    }

    #[test]
    fn a_checklist_line_names_related_words_and_denied_words() {
        use crate::core::grade::{KeyPointCheck, RelatedWord};
        let check = KeyPointCheck {
            text: "alters the outgoing response".into(),
            covered: true,
            matched: vec!["changes".into(), "response".into()],
            denied: vec!["outgoing".into()],
            related: vec![RelatedWord {
                said: "changes".into(),
                for_word: "alters".into(),
            }],
        };
        let line = wording::checklist_line(&DiscordMarkup, &check);
        assert!(
            line.contains("(you said: changes ≈ alters, response)"),
            "{line}"
        );
        assert!(line.ends_with("(you denied: outgoing)"), "{line}");
    }
}
