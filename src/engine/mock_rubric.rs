//! The interviewer's side of a mock question: the private rubric (key points with their ticks,
//! hint, explanation, the candidate's graded written answer, the note), ticks and toggles, and the
//! one-line note.

use chrono::{DateTime, Utc};

use super::{private, refuse, Engine, Refusal};
use crate::core::command::{Command, MockAction};
use crate::core::mock::{MockReply, Rubric};
use crate::core::reply::{Reply, ReplyBody};
use crate::store::mock_questions::MockQuestionRow;
use crate::store::mocks::MockRow;

impl Engine {
    /// A step only the current interviewer may take: see the rubric, tick, toggle, note.
    pub(super) async fn interviewer_step(
        &self,
        command: &Command,
        mock: &MockRow,
        mut question: MockQuestionRow,
        action: &MockAction,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let key_points = self
            .bank()
            .question(&question.question_id)
            .map_or(0, |q| q.key_points.len());
        let toggled;
        let (named, ticked): (&[usize], Option<bool>) = match action {
            MockAction::Tick { key_points, ticked } => (key_points, Some(*ticked)),
            MockAction::Toggle { key_point } => {
                toggled = [*key_point];
                (&toggled, None)
            }
            _ => (&[], None),
        };
        match action {
            MockAction::Tick { .. } | MockAction::Toggle { .. } => {
                if named.iter().any(|n| *n == 0 || *n > key_points) {
                    return refuse(format!("This question has key points 1 to {key_points}."));
                }
                for n in named {
                    let index = n - 1;
                    let was = question.ticks.contains(&index);
                    question.ticks.retain(|t| *t != index);
                    if ticked.unwrap_or(!was) {
                        question.ticks.push(index);
                    }
                }
                question.ticks.sort_unstable();
                if !self
                    .store
                    .set_mock_ticks(&question, &question.ticks, now)
                    .await?
                {
                    return refuse("That question has moved on.");
                }
            }
            MockAction::Note(note) => {
                if !self.store.set_mock_note(&question, note, now).await? {
                    return refuse("That question has moved on.");
                }
                question.note = Some(note.clone());
            }
            _ => {}
        }
        let rubric = self.rubric(mock.id, &question)?;
        Ok(vec![private(
            command,
            ReplyBody::Mock(MockReply::Rubric(rubric)),
        )])
    }

    pub(super) fn rubric(
        &self,
        session: i64,
        question: &MockQuestionRow,
    ) -> anyhow::Result<Rubric> {
        let bank = self.bank();
        let asked = bank.question(&question.question_id).ok_or_else(|| {
            anyhow::anyhow!("mock question {} left the bank", question.question_id)
        })?;
        Ok(Rubric {
            session,
            number: question.number + 1,
            prompt: asked.prompt.clone(),
            key_points: asked
                .key_points
                .iter()
                .enumerate()
                .map(|(i, k)| (k.text.clone(), question.ticks.contains(&i)))
                .collect(),
            hint: asked.hint.clone(),
            explanation: asked.explanation.clone(),
            written: question
                .written
                .as_ref()
                .map(|w| (w.score, w.checklist.clone())),
            note: question.note.clone(),
        })
    }
}
