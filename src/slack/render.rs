//! Engine replies as Slack Block Kit messages. Text from users is escaped (`&`, `<`, `>`), so it can
//! never form a mention (`<!channel>`, `<@U…>`) or a link.

use slack_morphism::prelude::*;

use crate::core::command::BoardScope;
use crate::core::reply::{Reply, ReplyBody};
use crate::core::round::Origin;

/// A section block's text limit.
const SECTION_LIMIT: usize = 3000;

/// The action id of a question's Answer button (its value is the round).
pub const ANSWER_ACTION: &str = "answer";
/// The action id of a reveal's My result button (its value is the round).
pub const RESULT_ACTION: &str = "result";

/// Escapes text for Slack's mrkdwn: a user's `<!channel>` shows as text and pings nobody.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn fit(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let kept: String = text.chars().take(limit.saturating_sub(1)).collect();
    format!("{kept}…")
}

fn section(text: &str) -> SlackBlock {
    SlackBlock::Section(SlackSectionBlock::new().with_text(SlackBlockText::MarkDown(
        SlackBlockMarkDownText::new(fit(text, SECTION_LIMIT)),
    )))
}

fn button(label: &str, action: &str, round: i64) -> SlackBlock {
    SlackBlock::Actions(SlackActionsBlock::new(vec![SlackBlockButtonElement::new(
        SlackBlockPlainTextOnly::from(label),
    )
    .with_action_id(SlackActionId::new(action.to_string()))
    .with_value(round.to_string())
    .into()]))
}

/// The message for a reply: a plain-text fallback (notifications) and blocks.
pub fn content(reply: &Reply) -> SlackMessageContent {
    let (text, blocks) = render(&reply.body);
    SlackMessageContent::new()
        .with_text(fit(&text, SECTION_LIMIT))
        .with_blocks(blocks)
}

fn render(body: &ReplyBody) -> (String, Vec<SlackBlock>) {
    let plain = |text: String| (text.clone(), vec![section(&text)]);
    match body {
        ReplyBody::QuestionCard(card) => {
            let title = match card.origin {
                Origin::Daily => "Question of the day",
                Origin::AdHoc => "Question",
            };
            let topic = card.topic.as_deref().unwrap_or("general");
            let text = format!(
                "*{title}*\n{}\n_{} · {} · closes <!date^{}^{{date_short_pretty}} {{time}}|soon>_",
                escape(&card.prompt),
                escape(topic),
                card.difficulty,
                card.closes_at.timestamp()
            );
            (
                format!("{title}: {}", escape(&card.prompt)),
                vec![section(&text), button("Answer", ANSWER_ACTION, card.round)],
            )
        }
        ReplyBody::AnswerRecorded { score, covered, key_points, replaced, .. } => {
            let verb = if *replaced { "Your answer replaced the earlier one" } else { "Answer recorded" };
            plain(format!(
                "{verb}: *{score}/100*, {covered} of {key_points} key points. The key points stay hidden until the reveal."
            ))
        }
        ReplyBody::Hint { key_point, hints_used, penalty, .. } => plain(format!(
            "Hint: {}\n({hints_used} hint(s) taken: -{penalty} points on this question.)",
            escape(key_point)
        )),
        ReplyBody::Reveal(reveal) => {
            let mut lines = vec![format!("*Answer key:* {}", escape(&reveal.prompt))];
            lines.extend(reveal.key_points.iter().map(|k| format!("• {}", escape(k))));
            if let Some(link) = &reveal.notes_link {
                lines.push(format!("Notes: {}", escape(link)));
            }
            let mut blocks = vec![section(&lines.join("\n"))];
            if reveal.answered == 0 {
                blocks.push(section("Nobody answered this one."));
            } else {
                let top: Vec<String> = reveal
                    .top
                    .iter()
                    .enumerate()
                    .map(|(i, (name, points))| format!("{}. {} — {points}", i + 1, escape(name)))
                    .collect();
                let gaps: Vec<String> = reveal
                    .gaps
                    .iter()
                    .map(|g| format!("{}% missed: {}", g.missed_percent(), escape(&g.key_point)))
                    .collect();
                blocks.push(section(&format!("*{} answered.* Top scores:\n{}", reveal.answered, top.join("\n"))));
                blocks.push(section(&format!("*Gap report*\n{}", gaps.join("\n"))));
            }
            blocks.push(button("My result", RESULT_ACTION, reveal.round));
            (format!("Answer key: {}", escape(&reveal.prompt)), blocks)
        }
        ReplyBody::OwnResult(result) => {
            let mut lines = vec![format!(
                "Your result: *{}/100*, {} hint(s), {} points.",
                result.score, result.hints_used, result.points
            )];
            for check in &result.checklist {
                let mark = if check.covered { "✅" } else { "⬜" };
                let said = if check.matched.is_empty() {
                    String::new()
                } else {
                    format!(" (you said: {})", escape(&check.matched.join(", ")))
                };
                lines.push(format!("{mark} {}{said}", escape(&check.text)));
            }
            plain(lines.join("\n"))
        }
        ReplyBody::Board(board) => {
            let scope = match board.scope {
                BoardScope::Channel => "this channel",
                BoardScope::Workspace => "this workspace",
            };
            let mut lines = vec![format!("*Leaderboard — {}, {scope}*", board.period)];
            if board.entries.is_empty() {
                lines.push("No revealed answers yet.".into());
            }
            lines.extend(board.entries.iter().map(|e| {
                format!(
                    "{}. {} — {} points ({} round(s), average {:.0})",
                    e.rank,
                    escape(&e.display_name),
                    e.points,
                    e.rounds,
                    e.average_score
                )
            }));
            plain(lines.join("\n"))
        }
        ReplyBody::Stats(stats) => {
            let tags = |tags: &[(String, f64, u32)]| {
                tags.iter().map(|(t, avg, _)| format!("{} ({avg:.0})", escape(t))).collect::<Vec<_>>().join(", ")
            };
            plain(format!(
                "*{}*: {} round(s) answered, average {:.0}, {} points; streak {} (best {}).\nStrongest: {}\nWeakest: {}",
                escape(&stats.display_name),
                stats.rounds_answered,
                stats.average_score,
                stats.points,
                stats.current_streak,
                stats.best_streak,
                tags(&stats.strongest),
                tags(&stats.weakest)
            ))
        }
        ReplyBody::Topics(topics) => {
            let list: Vec<String> = topics.iter().map(|(t, n)| format!("`{}` ({n})", escape(t))).collect();
            plain(format!("Topics: {}", list.join(", ")))
        }
        ReplyBody::ScheduleInfo(info) => match &info.summary {
            None => plain("No question of the day here. An admin can set one with `/interview schedule set 09:00 Europe/Berlin mon-fri`.".into()),
            Some(summary) => {
                let state = if info.paused { " (paused)" } else { "" };
                let next: Vec<String> = info
                    .next_posts
                    .iter()
                    .map(|p| format!("• <!date^{}^{{date_long_pretty}} {{time}}|{}>", p.timestamp(), p.format("%Y-%m-%d %H:%M UTC")))
                    .collect();
                plain(format!("Question of the day: {}{state}.\nNext posts:\n{}", escape(summary), next.join("\n")))
            }
        },
        ReplyBody::Help(commands) => {
            let lines: Vec<String> = commands
                .iter()
                .map(|(usage, what)| format!("`/interview {}` — {what}", usage.trim_start_matches('/')))
                .collect();
            plain(lines.join("\n"))
        }
        ReplyBody::Notice(message) => plain(escape(message)),
        ReplyBody::Problem(message) => plain(escape(message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::core::bank::Difficulty;
    use crate::core::command::{ChannelRef, Platform};
    use crate::core::reply::{Audience, QuestionCard, Reveal};

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
            question: "q".into(),
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
