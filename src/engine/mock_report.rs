//! The report that ends a mock interview: per question who answered and who interviewed, the key
//! points covered and missed with the notes' link, the time used and the note; per candidate a score
//! on the 0–100 scale of rounds. Each candidate's own part goes to them privately.

use super::Engine;
use crate::core::mock::{self, QuestionResult, Report};
use crate::store::mocks::MockRow;

impl Engine {
    /// The whole report, and each candidate's own part (by platform id).
    pub(super) async fn report(
        &self,
        mock: &MockRow,
    ) -> anyhow::Result<(Report, Vec<(String, Report)>)> {
        let members = self.store.mock_members(mock.id).await?;
        let name = |user: i64| {
            members
                .iter()
                .find(|m| m.user_id == user)
                .map(|m| m.display_name.clone())
                .unwrap_or_default()
        };
        let bank = self.bank();
        let mut results: Vec<(i64, QuestionResult)> = Vec::new();
        for question in self.store.mock_questions(mock.id).await? {
            let asked = bank.question(&question.question_id);
            let key_points = asked.map(|q| q.key_points.as_slice()).unwrap_or_default();
            let written = question.written.as_ref().map(|w| w.checklist.as_slice());
            let verdict = mock::verdict(key_points, &question.ticks, written);
            let (covered, missed): (Vec<_>, Vec<_>) = key_points
                .iter()
                .zip(&verdict.covered)
                .partition(|(_, covered)| **covered);
            let finished = question.finished_at.unwrap_or(question.deadline_at);
            results.push((
                question.candidate_id,
                QuestionResult {
                    number: question.number + 1,
                    prompt: asked.map(|q| q.prompt.clone()).unwrap_or_default(),
                    candidate: name(question.candidate_id),
                    interviewer: name(question.interviewer_id),
                    covered: covered.into_iter().map(|(k, _)| k.text.clone()).collect(),
                    missed: missed.into_iter().map(|(k, _)| k.text.clone()).collect(),
                    notes_link: asked.and_then(|q| {
                        bank.deck(&q.deck)
                            .and_then(|d| d.notes_link(q.section.as_deref()))
                    }),
                    seconds_used: (finished - question.asked_at).num_seconds().max(0),
                    note: question.note.clone(),
                    score: question.score.unwrap_or(verdict.score),
                    source: verdict.source,
                },
            ));
        }
        let mut scores = Vec::new();
        let mut own = Vec::new();
        for member in members.iter().skip(1) {
            let theirs: Vec<QuestionResult> = results
                .iter()
                .filter(|(candidate, _)| *candidate == member.user_id)
                .map(|(_, result)| result.clone())
                .collect();
            if theirs.is_empty() {
                continue;
            }
            let sum: u32 = theirs.iter().map(|r| u32::from(r.score)).sum();
            let score = u8::try_from(sum / theirs.len() as u32).unwrap_or(100);
            scores.push((member.display_name.clone(), score, theirs.len()));
            own.push((
                member.external_id.clone(),
                Report {
                    session: mock.id,
                    scores: vec![(member.display_name.clone(), score, theirs.len())],
                    questions: theirs,
                },
            ));
        }
        let report = Report {
            session: mock.id,
            questions: results.into_iter().map(|(_, result)| result).collect(),
            scores,
        };
        Ok((report, own))
    }
}
