//! Personal practice: which question a player practises next (most overdue first, else a new one
//! from their weakest topic), never a question open in a channel of the workspace.

use chrono::{DateTime, Utc};

use super::Engine;
use crate::core::command::Command;
use crate::core::practice::NextCard;

/// The question practice offers a player.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeCard {
    pub question: String,
    /// When it fell due, for a question the player met before; `None` for a new one.
    pub due_since: Option<DateTime<Utc>>,
}

impl Engine {
    /// The next question for the command's actor, in `topic` when given; `None` when nothing is due
    /// and nothing new is left.
    pub async fn next_practice_card(
        &self,
        command: &Command,
        topic: Option<&str>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<PracticeCard>> {
        let user = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        let (bank, memories) = self.practice_index(user).await?;
        let ids = self.store.channel_ids(&command.channel).await?;
        // No question open in any channel of the workspace has its key points shown early.
        let withheld = self
            .store
            .open_questions_in_workspace(ids.workspace)
            .await?;
        Ok(match memories.next_card(&bank, &withheld, topic, now) {
            NextCard::Due { question, due_at } => Some(PracticeCard {
                question: question.id.to_string(),
                due_since: Some(due_at),
            }),
            NextCard::New(question) => Some(PracticeCard {
                question: question.id.to_string(),
                due_since: None,
            }),
            NextCard::Nothing => None,
        })
    }
}
