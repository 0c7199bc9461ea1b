//! Personal practice's steps, always private to the player: the next card, an answer graded at once
//! (a review, never a leaderboard entry), a rating of their own, the desired retention, the status
//! and the reminder. A question that is a channel's open question of the day is never shown or
//! graded in practice while it is open.

use chrono::{DateTime, Utc};

use super::{private, refuse, Engine, Refusal};
use crate::core::command::{AnswerText, Command};
use crate::core::grade::grade;
use crate::core::grammar::Grammar;
use crate::core::practice::{
    retrievability, topic_strengths, Player, PracticeAction, PracticeQuestion, PracticeReply,
    PracticeResult, PracticeStatus, Rating, ReminderChange,
};
use crate::core::reply::{Reply, ReplyBody};
use crate::store::practice::{CardAnswer, Rerated, StoredCard};
use crate::store::ChannelIds;

/// Topics named on each side of a status.
const STATUS_TOPICS: usize = 3;

impl Engine {
    pub(super) async fn practice(
        &self,
        command: &Command,
        ids: ChannelIds,
        action: &PracticeAction,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let user = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        let grammar = Grammar::of(command.channel.platform);
        let reply = |body: PracticeReply| private(command, ReplyBody::Practice(body));
        let notice = |text: String| private(command, ReplyBody::Notice(text));
        let mut replies =
            match action {
                PracticeAction::Next { topic } => {
                    let topic = topic.as_deref().map(str::to_lowercase);
                    if let Some(topic) = &topic {
                        if !self
                            .bank()
                            .questions()
                            .iter()
                            .any(|q| q.tags.contains(topic))
                        {
                            return refuse(format!(
                                "No question has the topic `{topic}`; `{}` lists the topics.",
                                grammar.command("topics")
                            ));
                        }
                    }
                    vec![reply(
                        self.practice_next(command, ids, user, topic, now).await?,
                    )]
                }
                PracticeAction::Answer { card, text } => {
                    let card = self.card(user, *card, false).await?;
                    vec![reply(self.practice_answer(ids, &card, text, now).await?)]
                }
                PracticeAction::Rate { card, rating } => {
                    let card = self.card(user, *card, true).await?;
                    match self.store.rerate_card(&card, *rating).await? {
                        Rerated::Due(due_at) => vec![reply(PracticeReply::Rated {
                            card: card.id,
                            rating: *rating,
                            due_at,
                        })],
                        Rerated::NotAnswered => return refuse(NOT_ANSWERED),
                        Rerated::NotLatest => return refuse(
                            "You answered this question again since; only your latest answer to \
                             it can be rated.",
                        ),
                    }
                }
                PracticeAction::Retention(retention) => {
                    self.store.set_retention(user, *retention).await?;
                    vec![notice(format!(
                    "Your desired retention is now {:.0}%: questions come back when you are that \
                     likely to still remember them. It applies from your next answers on.",
                    retention.value() * 100.0
                ))]
                }
                PracticeAction::Status => {
                    vec![reply(PracticeReply::Status(
                        self.practice_status(user, now).await?,
                    ))]
                }
                PracticeAction::Remind(ReminderChange::On {
                    time,
                    zone,
                    weekdays,
                }) => {
                    self.store
                        .set_reminder(user, ids.channel, (*time, *zone, *weekdays), now)
                        .await?;
                    vec![notice(format!(
                    "Reminders on: {time} {zone} on {weekdays}, a private message on each of those \
                     days when something is due. `{}` turns them off.",
                    grammar.practice_remind_off()
                ))]
                }
                PracticeAction::Remind(ReminderChange::Off) => {
                    match self.store.delete_reminder(user).await? {
                        true => vec![notice("Reminders off.".to_string())],
                        false => return refuse("You have no practice reminder to turn off."),
                    }
                }
            };
        if self.store.take_reminder_refusal(user).await? {
            replies.push(reply(PracticeReply::RemindersStopped));
        }
        Ok(replies)
    }

    async fn practice_next(
        &self,
        command: &Command,
        ids: ChannelIds,
        user: i64,
        topic: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<PracticeReply, Refusal> {
        let Some(next) = self
            .next_practice_card(command, topic.as_deref(), now)
            .await?
        else {
            return Ok(PracticeReply::AllDone {
                topic,
                next_due: self.store.next_due(user).await?,
            });
        };
        let bank = self.bank();
        let Some(question) = bank.question(&next.question) else {
            return Err(anyhow::anyhow!("the picked question is not in the bank").into());
        };
        let card = self
            .store
            .offer_card(user, question.id.as_str(), ids.channel, now)
            .await?;
        Ok(PracticeReply::Card(PracticeQuestion {
            card,
            prompt: question.prompt.clone(),
            topic: question.topic().map(str::to_string),
            difficulty: question.difficulty,
            due_since: next.due_since,
        }))
    }

    /// The player's card: the one named (a form's or a button's), else their newest one answered
    /// or not as the step needs.
    async fn card(
        &self,
        user: i64,
        card: Option<i64>,
        answered: bool,
    ) -> Result<StoredCard, Refusal> {
        let found = match card {
            Some(card) => self.store.card_of(user, card).await?,
            None => self.store.latest_card(user, answered).await?,
        };
        match found {
            Some(card) => Ok(card),
            None if answered => refuse(NOT_ANSWERED),
            None => refuse(NO_CARD),
        }
    }

    async fn practice_answer(
        &self,
        ids: ChannelIds,
        card: &StoredCard,
        text: &AnswerText,
        now: DateTime<Utc>,
    ) -> Result<PracticeReply, Refusal> {
        if card.review.is_some() {
            return refuse(
                "You answered this practice question already; practice again for the next one.",
            );
        }
        let bank = self.bank();
        let Some(question) = bank.question(&card.question) else {
            return refuse(
                "This question is no longer in the question bank; practice again for another one.",
            );
        };
        let open_in_card_channel = self.store.open_round_in(card.channel).await?;
        let open_here = self
            .store
            .open_questions_in_workspace(ids.workspace)
            .await?;
        if open_here.contains(&card.question)
            || open_in_card_channel.is_some_and(|round| round.question == card.question)
        {
            return refuse(
                "This question is open in a channel right now, so its key points stay sealed \
                 until its reveal: answer it there instead. Practice again for another one.",
            );
        }
        let graded = grade(question, text.as_str());
        let review =
            match self.store.answer_card(card, graded.score, now).await? {
                CardAnswer::Reviewed(review) => review,
                CardAnswer::AlreadyAnswered => return refuse(
                    "You answered this practice question already; practice again for the next one.",
                ),
                CardAnswer::MetSince => {
                    return refuse(
                        "You answered this question elsewhere since it was offered, so it counts \
                     there; practice again for the next one.",
                    )
                }
            };
        Ok(PracticeReply::Result(PracticeResult {
            card: card.id,
            prompt: question.prompt.clone(),
            score: graded.score,
            rating: Rating::from_score(graded.score),
            checklist: graded.checklist,
            explanation: question.explanation.clone(),
            notes_link: bank
                .deck(&question.deck)
                .and_then(|d| d.notes_link(question.section.as_deref())),
            due_at: review.due_at,
        }))
    }

    /// Where a player's practice stands at `now`.
    pub(super) async fn practice_status(
        &self,
        user: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<PracticeStatus> {
        let counts = self.store.practice_counts(user, now).await?;
        let memories = self.store.memories_of(user).await?;
        let estimated_retention = (!memories.is_empty()).then(|| {
            memories
                .values()
                .map(|(memory, _)| retrievability(*memory, now))
                .sum::<f32>()
                / memories.len() as f32
        });
        let bank = self.bank();
        let player = Player {
            memories: &memories,
            withheld: &[],
        };
        let strengths = topic_strengths(&bank, &player, now);
        let weakest: Vec<_> = strengths.iter().take(STATUS_TOPICS).cloned().collect();
        let strongest: Vec<_> = strengths
            .iter()
            .rev()
            .take(STATUS_TOPICS)
            .filter(|t| !weakest.contains(t))
            .cloned()
            .collect();
        let reminder = self
            .store
            .reminder_of(user)
            .await?
            .map(|r| format!("{} {} on {}", r.time, r.zone, r.weekdays));
        Ok(PracticeStatus {
            due_now: counts.due_now,
            due_this_week: counts.due_this_week,
            questions: counts.questions,
            reviews: counts.reviews,
            estimated_retention,
            desired_retention: self.store.retention_of(user).await?.value(),
            weakest,
            strongest,
            reminder,
        })
    }
}

const NO_CARD: &str = "You have no practice question waiting; practice first to get one.";
const NOT_ANSWERED: &str =
    "Rate a practice question after answering it; you have none answered to rate.";
