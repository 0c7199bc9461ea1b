//! Engine replies as Slack Block Kit messages. Text from users is escaped (`&`, `<`, `>`), so it can
//! never form a mention (`<!channel>`, `<@U…>`) or a link.

use chrono::{DateTime, Utc};
use slack_morphism::prelude::*;

use crate::core::command::Platform;
use crate::core::reply::{Reply, ReplyBody, ScheduleInfo};
use crate::core::wording::{self, fit, Markup};

/// A section block's text limit.
const SECTION_LIMIT: usize = 3000;

/// Escapes text for Slack's mrkdwn: a user's `<!channel>` shows as text and pings nobody.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn section(text: &str) -> SlackBlock {
    SlackBlock::Section(SlackSectionBlock::new().with_text(SlackBlockText::MarkDown(
        SlackBlockMarkDownText::new(fit(text, SECTION_LIMIT)),
    )))
}

/// Slack's mrkdwn: every text is escaped, the bank's included, since `<…>` is markup there.
struct SlackMarkup;

impl Markup for SlackMarkup {
    fn bold(&self, text: &str) -> String {
        format!("*{text}*")
    }

    fn text(&self, text: &str) -> String {
        escape(text)
    }

    fn user(&self, text: &str) -> String {
        escape(text)
    }

    fn code(&self, text: &str) -> String {
        format!("`{}`", escape(text))
    }

    fn instant(&self, at: DateTime<Utc>, _info: &ScheduleInfo) -> String {
        // Slack shows a date token in each reader's own time zone; the fallback is UTC.
        format!(
            "<!date^{}^{{date_long_pretty}} {{time}}|{}>",
            at.timestamp(),
            at.format("%Y-%m-%d %H:%M UTC")
        )
    }
}

/// The reply's buttons in one actions block: the action id is the button's kind (with its place
/// after it where a kind repeats, as Slack wants action ids unique in a block), its value what it
/// acts on.
fn buttons(body: &ReplyBody) -> Option<SlackBlock> {
    let mut seen: Vec<&str> = Vec::new();
    let elements: Vec<SlackActionBlockElement> = body
        .buttons()
        .into_iter()
        .enumerate()
        .map(|(place, button)| {
            let action_id = if seen.contains(&button.kind()) {
                format!("{}:{place}", button.kind())
            } else {
                seen.push(button.kind());
                button.kind().to_string()
            };
            SlackBlockButtonElement::new(SlackBlockPlainTextOnly::from(button.label().as_str()))
                .with_action_id(SlackActionId::new(action_id))
                .with_value(button.value())
                .into()
        })
        .collect();
    (!elements.is_empty()).then(|| SlackBlock::Actions(SlackActionsBlock::new(elements)))
}

/// The message metadata's event type of the bot's posts that carry a [`Reply::post_key`].
pub const POST_EVENT: &str = "interview_bot_post";

/// The message for a reply: a plain-text fallback (notifications) and blocks, and the post's key
/// in its metadata when it has one, so it can be found again.
pub fn content(reply: &Reply) -> SlackMessageContent {
    let (text, mut blocks) = render(&reply.body);
    blocks.extend(buttons(&reply.body));
    let message = SlackMessageContent::new()
        .with_text(fit(&text, SECTION_LIMIT))
        .with_blocks(blocks);
    match reply.post_key() {
        Some(key) => message.with_metadata(SlackMessageMetadata {
            event_type: POST_EVENT.to_string(),
            event_payload: Some([("key".to_string(), key)].into_iter().collect()),
        }),
        None => message,
    }
}

/// Whether `message` is a post of `reply`: its metadata carries the reply's post key, or (where
/// Slack returns no metadata, as in a thread's replies) it has the reply's first button, which
/// names the same round.
pub fn is_post_of(message: &SlackMessageContent, reply: &Reply) -> bool {
    let Some(key) = reply.post_key() else {
        return false;
    };
    let by_metadata = message.metadata.as_ref().is_some_and(|m| {
        m.event_type == POST_EVENT
            && m.event_payload
                .as_ref()
                .and_then(|p| p.get("key"))
                .is_some_and(|k| *k == key)
    });
    let by_button = reply.body.buttons().first().is_some_and(|wanted| {
        message.blocks.iter().flatten().any(|block| match block {
            SlackBlock::Actions(actions) => actions.elements.iter().any(|element| {
                matches!(element, SlackActionBlockElement::Button(button)
                    if button.action_id.as_ref().is_some_and(|id| id.0 == wanted.kind())
                        && button.value.as_deref() == Some(wanted.value().as_str()))
            }),
            _ => false,
        })
    });
    by_metadata || by_button
}

fn render(body: &ReplyBody) -> (String, Vec<SlackBlock>) {
    let m = &SlackMarkup;
    let plain = |lines: Vec<String>| {
        let text = lines.join("\n");
        (text.clone(), vec![section(&text)])
    };
    if let Some(lines) = wording::text_lines(m, body, Platform::Slack) {
        return plain(lines);
    }
    match body {
        ReplyBody::QuestionCard(card) => {
            let title = wording::question_title(card);
            let text = format!(
                "*{title}*\n{}\n_{} · {} · closes <!date^{}^{{date_short_pretty}} {{time}}|soon>_",
                escape(&card.prompt),
                escape(wording::topic(card)),
                card.difficulty,
                card.closes_at.timestamp()
            );
            (
                format!("{title}: {}", escape(&card.prompt)),
                vec![section(&text)],
            )
        }
        ReplyBody::Reveal(reveal) => {
            let mut key = vec![format!("*Answer key:* {}", escape(&reveal.prompt))];
            key.extend(wording::answer_key(m, reveal));
            let mut blocks = vec![section(&key.join("\n"))];
            if reveal.answered == 0 {
                blocks.push(section(&wording::answered(reveal)));
            } else {
                let top = wording::top_scores(m, reveal).join("\n");
                let gaps = wording::gap_report(m, &reveal.gaps).join("\n");
                blocks.push(section(&format!(
                    "*{}* Top scores:\n{top}",
                    wording::answered(reveal)
                )));
                blocks.push(section(&format!("*Gap report*\n{gaps}")));
            }
            (format!("Answer key: {}", escape(&reveal.prompt)), blocks)
        }
        ReplyBody::Board(board) => {
            let mut lines = vec![m.bold(&wording::board_title(m, board))];
            lines.extend(wording::board_rows(m, board));
            plain(lines)
        }
        ReplyBody::Stats(stats) => plain(vec![
            wording::stats_summary(m, stats),
            format!(
                "Strongest: {}",
                wording::topic_averages(m, &stats.strongest)
            ),
            format!("Weakest: {}", wording::topic_averages(m, &stats.weakest)),
        ]),
        // Every other reply is plain text, handled above.
        _ => (String::new(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::core::bank::Difficulty;
    use crate::core::command::{ChannelRef, Platform};
    use crate::core::reply::{Audience, QuestionCard, Reveal};
    use crate::core::round::Origin;

    fn reply(body: ReplyBody) -> Reply {
        Reply {
            channel: ChannelRef {
                platform: Platform::Slack,
                workspace: "T1".into(),
                channel: "C1".into(),
            },
            audience: Audience::Channel,
            body,
        }
    }

    #[test]
    fn a_prompt_that_looks_like_a_mention_is_shown_not_sent() {
        let prompt = "Why does <!here> break `Box<dyn Error>`?";
        let card = reply(ReplyBody::QuestionCard(QuestionCard {
            round: 1,
            question: "q".into(),
            prompt: prompt.into(),
            topic: Some("<@U1>".into()),
            difficulty: Difficulty::Easy,
            origin: Origin::Daily,
            closes_at: chrono::DateTime::UNIX_EPOCH,
        }));
        let reveal = reply(ReplyBody::Reveal(Reveal {
            round: 1,
            prompt: prompt.into(),
            key_points: vec!["<!channel>".into()],
            explanation: None,
            notes_link: None,
            answered: 1,
            top: vec![("<@U2>".into(), 10)],
            gaps: vec![],
        }));
        for message in [content(&card), content(&reveal)] {
            let json = serde_json::to_string(&message).expect("serializable");
            for raw in ["<!here>", "<!channel>", "<@U1>", "<@U2>", "Box<dyn"] {
                assert!(!json.contains(raw), "`{raw}` went out unescaped in {json}");
            }
        }
    }

    #[test]
    fn user_text_cannot_ping_or_link() {
        assert_eq!(
            escape("<!channel> & <@U123|bob>"),
            "&lt;!channel&gt; &amp; &lt;@U123|bob&gt;"
        );
    }
}
