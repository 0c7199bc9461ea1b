//! Rounds: asking for a question, answering it (sealed until the reveal), hints, the reveal with its
//! gap report and each answerer's own result.

use chrono::{DateTime, Duration, Utc};
use rand::seq::IndexedRandom;
use std::collections::HashMap;

use super::{private, public, question_card, refuse, Engine, Refusal};
use crate::core::bank::{Bank, Difficulty, Question};
use crate::core::command::{AnswerText, ChannelRef, Command, Permission, Platform};
use crate::core::grade::grade;
use crate::core::grammar::Grammar;
use crate::core::reply::{Audience, Gap, OwnResult, Reply, ReplyBody, Reveal};
use crate::core::round::{Origin, Round, MAX_REPLACEMENTS};
use crate::core::scoring::HINT_PENALTY;
use crate::store::answer_writer::{AnswerOutcome, NewAnswer};
use crate::store::rounds::{RevealPost, RevealedAnswer};
use crate::store::ChannelIds;

const ANSWERS_CLOSED: &str = "Answers are closed: this question was already revealed.";
const FORM_FOR_REVEALED_ROUND: &str =
    "That question has already been revealed, so this answer was not recorded; answer the current one instead.";
const WINDOW_CLOSED: &str =
    "The answer window for this question has closed; the reveal is on its way.";

/// How long an ad hoc question stays open before it is revealed on its own.
pub const AD_HOC_WINDOW_MINUTES: i64 = 60;
/// Names shown in a reveal's top scores.
const TOP_IN_REVEAL: usize = 3;

impl Engine {
    pub(super) async fn ask(
        &self,
        command: &Command,
        ids: ChannelIds,
        topic: Option<&str>,
        difficulty: Option<Difficulty>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        self.forget_open_round(ids.channel);
        if let Some(open) = self.open_round(ids.channel).await? {
            let prompt = self
                .bank()
                .question(&open.question)
                .map(|q| q.prompt.clone())
                .unwrap_or_default();
            let next_step = match open.origin {
                Origin::AdHoc => "Answer it, or reveal it to ask another.",
                Origin::Daily => "Answer it; it is revealed when its window closes.",
            };
            return refuse(if prompt.is_empty() {
                format!("There is already an open question here. {next_step}")
            } else {
                format!("There is already an open question here: {prompt} {next_step}")
            });
        }
        let bank = self.bank();
        let question = self
            .pick_question(
                &bank,
                command.channel.platform,
                ids.channel,
                topic,
                difficulty,
                &[],
            )
            .await?;
        let closes_at = now
            .checked_add_signed(Duration::minutes(AD_HOC_WINDOW_MINUTES))
            .ok_or_else(|| anyhow::anyhow!("a round opened at {now} closes beyond the calendar"))?;
        let opened = self
            .store
            .open_round(
                ids.channel,
                question.id.as_str(),
                Origin::AdHoc,
                None,
                now,
                closes_at,
            )
            .await?;
        let Some(round) = opened else {
            return refuse("Someone just asked for a question here; answer that one.");
        };
        self.cached_rounds().insert(ids.channel, round.clone());
        Ok(vec![public(command, question_card(&round, question))])
    }

    /// A question of the bank for a channel, by topic and difficulty: one asked least often there, so
    /// nothing repeats until every matching question has been asked.
    pub(super) async fn pick_question<'b>(
        &self,
        bank: &'b Bank,
        platform: Platform,
        channel: i64,
        topic: Option<&str>,
        difficulty: Option<Difficulty>,
        exclude: &[&str],
    ) -> Result<&'b Question, Refusal> {
        let topic = topic
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty());
        let candidates: Vec<&Question> = bank
            .questions()
            .iter()
            .filter(|q| {
                topic
                    .as_ref()
                    .is_none_or(|t| q.tags.iter().any(|tag| tag == t))
            })
            .filter(|q| difficulty.is_none_or(|d| q.difficulty == d))
            .collect();
        if candidates.is_empty() {
            return refuse(match topic {
                Some(topic) => {
                    format!(
                        "No question matches the topic `{topic}`; `{}` lists the topics.",
                        Grammar::of(platform).command("topics")
                    )
                }
                None => "No question matches that difficulty.".to_string(),
            });
        }
        let candidates: Vec<&Question> = candidates
            .into_iter()
            .filter(|q| !exclude.contains(&q.id.as_str()))
            .collect();
        if candidates.is_empty() {
            return refuse("Every question that matches has been asked already.");
        }
        let asked: HashMap<String, i64> =
            self.store.times_asked(channel).await?.into_iter().collect();
        least_asked(candidates, &asked)
            .ok_or_else(|| Refusal::Unexpected(anyhow::anyhow!("no candidate question left")))
    }

    async fn open_question(
        &self,
        command: &Command,
        ids: ChannelIds,
    ) -> Result<(Round, Question), Refusal> {
        let Some(round) = self.open_round(ids.channel).await? else {
            return refuse(format!(
                "There is no open question here. Ask for one with `{}`.",
                Grammar::of(command.channel.platform).command("question")
            ));
        };
        let Some(question) = self.bank().question(&round.question).cloned() else {
            return refuse(
                "The open question is no longer in the bank; reveal it to close it (only an admin can, for the question of the day).",
            );
        };
        Ok((round, question))
    }

    /// Grades and stores an answer to the open round (or to `for_round` only, when the answer was
    /// written for that round). The reply says "recorded" only after the answer is committed.
    pub(super) async fn answer(
        &self,
        command: &Command,
        ids: ChannelIds,
        text: &AnswerText,
        for_round: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let (mut round, mut question) = self.open_question(command, ids).await?;
        if for_round.is_some_and(|expected| expected != round.id) {
            // The cache may be behind another process; ask the database once before refusing.
            self.forget_open_round(ids.channel);
            (round, question) = self.open_question(command, ids).await?;
            if for_round != Some(round.id) {
                return refuse(FORM_FOR_REVEALED_ROUND);
            }
        }
        match self.record(command, &round, &question, text, now).await? {
            Some(replies) => Ok(replies),
            None => {
                // Revealed by another task or process meanwhile; the answer is not moved to another
                // question, because the user wrote it for this one.
                self.forget_open_round(ids.channel);
                refuse(ANSWERS_CLOSED)
            }
        }
    }

    /// Grades and stores an answer to `round`; `None` when the round turned out to be revealed.
    async fn record(
        &self,
        command: &Command,
        round: &Round,
        question: &Question,
        text: &AnswerText,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<Reply>>, Refusal> {
        if round.closes_at <= now {
            return refuse(WINDOW_CLOSED);
        }
        let result = grade(question, text.as_str());
        let user = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        let outcome = self
            .store
            .record_answer(NewAnswer {
                round: round.id,
                user,
                origin: round.origin,
                body: text.as_str().to_string(),
                score: result.score,
                checklist: result.checklist.clone(),
                submitted_at: now,
            })
            .await?;
        Ok(match outcome {
            AnswerOutcome::Recorded { replacements } => Some(vec![private(
                command,
                ReplyBody::AnswerRecorded {
                    replacements,
                    replacements_left: MAX_REPLACEMENTS.saturating_sub(replacements),
                },
            )]),
            AnswerOutcome::NoReplacementsLeft => {
                return refuse(format!(
                    "You have already replaced your answer {MAX_REPLACEMENTS} times; your last \
                     answer stands until the reveal."
                ))
            }
            AnswerOutcome::RoundRevealed => None,
        })
    }

    /// Shows the user one key point their answer does not cover yet, at a cost in points.
    pub(super) async fn hint(
        &self,
        command: &Command,
        ids: ChannelIds,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let (round, question) = self.open_question(command, ids).await?;
        if round.closes_at <= now {
            return refuse(WINDOW_CLOSED);
        }
        let user = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        let covered: Vec<bool> = match self.store.answer_of(round.id, user).await? {
            Some((_, checklist)) => checklist.iter().map(|c| c.covered).collect(),
            None => Vec::new(),
        };
        let hinted = self.store.hints_of(round.id, user).await?;
        let next = (0..question.key_points.len())
            .find(|i| !covered.get(*i).copied().unwrap_or(false) && !hinted.contains(i));
        let Some(index) = next else {
            return Ok(vec![private(
                command,
                ReplyBody::Notice(
                    "No more hints: you have covered or been shown every key point.".into(),
                ),
            )]);
        };
        let Some(hinted) = self.store.add_hint(round.id, user, index).await? else {
            self.forget_open_round(ids.channel);
            return refuse("This question was just revealed; no hints are needed any more.");
        };
        let hints_used = hinted.len() as u32;
        Ok(vec![private(
            command,
            ReplyBody::Hint {
                key_point: question.key_points[index].text.clone(),
                hints_used,
                penalty: HINT_PENALTY * hints_used,
            },
        )])
    }

    pub(super) async fn reveal(
        &self,
        command: &Command,
        ids: ChannelIds,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let Some(round) = self.store.open_round_in(ids.channel).await? else {
            return refuse("Nothing to reveal: there is no open question here.");
        };
        // The question of the day belongs to the whole channel: only an admin may end it early.
        let admin_only = command.action.permission() == Permission::AdminForQuestionOfTheDay
            && round.origin == Origin::Daily;
        if admin_only && !command.actor.is_admin {
            return refuse("The question of the day is revealed when its answer window closes; admins can reveal it early.");
        }
        let replies = self
            .reveal_round(&round, &command.channel, now, RevealPost::InReply)
            .await?;
        if replies.is_empty() {
            return refuse("This question was just revealed.");
        }
        Ok(replies)
    }

    /// Reveals a round (once, whoever asks first) and returns the public summary and each answerer's
    /// private checklist.
    pub(super) async fn reveal_round(
        &self,
        round: &Round,
        channel: &ChannelRef,
        now: DateTime<Utc>,
        post: RevealPost,
    ) -> anyhow::Result<Vec<Reply>> {
        self.forget_open_round(round.channel_id);
        // The console prints what the drip returns: nothing waits to be posted there.
        let post = match channel.platform {
            Platform::Console => RevealPost::InReply,
            _ => post,
        };
        let Some(answers) = self.store.reveal_round(round, now, post).await? else {
            return Ok(Vec::new());
        };
        let mut replies = vec![self.reveal_post(round, channel, &answers)];
        replies.extend(answers.into_iter().map(|a| Reply {
            channel: channel.clone(),
            audience: Audience::User(a.user_external_id),
            body: ReplyBody::OwnResult(OwnResult {
                score: a.score,
                hints_used: a.hints_used,
                points: a.points,
                checklist: a.checklist,
            }),
        }));
        Ok(replies)
    }

    /// The channel's reveal of a round with its answers (best first). A question no longer in the
    /// bank is still revealed: its prompt says so, with no key points.
    pub(super) fn reveal_post(
        &self,
        round: &Round,
        channel: &ChannelRef,
        answers: &[RevealedAnswer],
    ) -> Reply {
        let bank = self.bank();
        let question = bank.question(&round.question);
        let key_points: Vec<String> = question
            .map(|q| q.key_points.iter().map(|k| k.text.clone()).collect())
            .unwrap_or_default();
        let reveal = Reveal {
            round: round.id,
            prompt: question.map_or_else(
                || {
                    format!(
                        "This question ({}) is no longer in the question bank.",
                        round.question
                    )
                },
                |q| q.prompt.clone(),
            ),
            gaps: gap_report(&key_points, answers),
            key_points,
            explanation: question.and_then(|q| q.explanation.clone()),
            notes_link: question.and_then(|q| {
                bank.deck(&q.deck)
                    .and_then(|d| d.notes_link(q.section.as_deref()))
            }),
            answered: answers.len(),
            top: answers
                .iter()
                .take(TOP_IN_REVEAL)
                .map(|a| (a.display_name.clone(), a.points))
                .collect(),
        };
        Reply {
            channel: channel.clone(),
            audience: Audience::Channel,
            body: ReplyBody::Reveal(reveal),
        }
    }

    pub(super) async fn my_result(
        &self,
        command: &Command,
        round: i64,
    ) -> Result<Vec<Reply>, Refusal> {
        let user = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        match self.store.revealed_answer_of(round, user).await? {
            Some((score, hints_used, points, checklist)) => Ok(vec![private(
                command,
                ReplyBody::OwnResult(OwnResult {
                    score,
                    hints_used,
                    points,
                    checklist,
                }),
            )]),
            None => refuse("You have no revealed answer to this question."),
        }
    }
}

/// For each key point, how many answerers missed it.
fn gap_report(key_points: &[String], answers: &[RevealedAnswer]) -> Vec<Gap> {
    key_points
        .iter()
        .enumerate()
        .map(|(i, key_point)| Gap {
            key_point: key_point.clone(),
            missed: answers
                .iter()
                .filter(|a| !a.checklist.get(i).is_some_and(|c| c.covered))
                .count(),
            answered: answers.len(),
        })
        .collect()
}

/// A random question among `candidates` asked the fewest times in a channel (`asked`: times per
/// question id), so nothing repeats until every candidate has been asked; None without candidates.
pub(super) fn least_asked<'b>(
    candidates: Vec<&'b Question>,
    asked: &HashMap<String, i64>,
) -> Option<&'b Question> {
    let times = |q: &Question| asked.get(q.id.as_str()).copied().unwrap_or(0);
    let fewest = candidates.iter().map(|q| times(q)).min()?;
    let least_asked: Vec<&Question> = candidates
        .into_iter()
        .filter(|q| times(q) == fewest)
        .collect();
    least_asked.choose(&mut rand::rng()).copied()
}
