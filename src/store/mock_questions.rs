//! The questions of a mock interview: asking one (once, whatever process tries), the interviewer's
//! ticks and note and the candidate's written answer while it is open, its verdict when it
//! finishes, what is due on the ticker, and a candidate's history.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::memories::{record_review, NewReview};
use super::mocks::touch;
use super::{from_millis, to_millis, Store};
use crate::core::grade::KeyPointCheck;
use crate::core::practice::Rating;

/// A candidate's written answer, graded.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenAnswer {
    pub score: u8,
    pub checklist: Vec<KeyPointCheck>,
}

/// One question of a mock.
#[derive(Debug, Clone, PartialEq)]
pub struct MockQuestionRow {
    pub id: i64,
    pub mock_id: i64,
    /// 0-based.
    pub number: usize,
    pub question_id: String,
    pub interviewer_id: i64,
    pub candidate_id: i64,
    pub ticks: Vec<usize>,
    pub written: Option<WrittenAnswer>,
    pub note: Option<String>,
    /// The verdict, once the question finished.
    pub score: Option<u8>,
    pub asked_at: DateTime<Utc>,
    pub deadline_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const QUESTION_COLUMNS: &str = "id, mock_id, number, question_id, interviewer_id, candidate_id, \
     ticks, answer_body, answer_checklist, answer_score, note, score, asked_at, deadline_at, finished_at";

fn question_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<MockQuestionRow> {
    let ticks: String = row.try_get("ticks")?;
    let checklist: Option<String> = row.try_get("answer_checklist")?;
    let answer_score: Option<i64> = row.try_get("answer_score")?;
    let written = match (checklist, answer_score) {
        (Some(checklist), Some(score)) => Some(WrittenAnswer {
            score: u8::try_from(score).unwrap_or(0),
            checklist: serde_json::from_str(&checklist).context("bad mock checklist JSON")?,
        }),
        _ => None,
    };
    let score: Option<i64> = row.try_get("score")?;
    let finished_at: Option<i64> = row.try_get("finished_at")?;
    Ok(MockQuestionRow {
        id: row.try_get("id")?,
        mock_id: row.try_get("mock_id")?,
        number: usize::try_from(row.try_get::<i64, _>("number")?).unwrap_or(0),
        question_id: row.try_get("question_id")?,
        interviewer_id: row.try_get("interviewer_id")?,
        candidate_id: row.try_get("candidate_id")?,
        ticks: serde_json::from_str(&ticks).context("bad mock ticks JSON")?,
        written,
        note: row.try_get("note")?,
        score: score.map(|s| u8::try_from(s).unwrap_or(0)),
        asked_at: from_millis(row.try_get("asked_at")?)?,
        deadline_at: from_millis(row.try_get("deadline_at")?)?,
        finished_at: finished_at.map(from_millis).transpose()?,
    })
}

impl Store {
    /// Asks question `number` of a mock; `None` when another task asked it first or the mock ended.
    #[allow(clippy::too_many_arguments)]
    pub async fn ask_mock_question(
        &self,
        mock: i64,
        number: usize,
        question: &str,
        interviewer: i64,
        candidate: i64,
        now: DateTime<Utc>,
        deadline: DateTime<Utc>,
    ) -> anyhow::Result<Option<MockQuestionRow>> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO mock_questions (mock_id, number, question_id, interviewer_id, candidate_id,
                                         asked_at, deadline_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
             WHERE EXISTS (SELECT 1 FROM mocks WHERE id = ?1 AND state <> 'ended')
               AND NOT EXISTS (SELECT 1 FROM mock_questions WHERE mock_id = ?1 AND finished_at IS NULL)
             ON CONFLICT DO NOTHING RETURNING {QUESTION_COLUMNS}"
        ))
        .bind(mock)
        .bind(number as i64)
        .bind(question)
        .bind(interviewer)
        .bind(candidate)
        .bind(to_millis(now))
        .bind(to_millis(deadline))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let asked = question_from_row(&row)?;
        sqlx::query("UPDATE mocks SET state = 'running', last_activity_at = ?2 WHERE id = ?1")
            .bind(mock)
            .bind(to_millis(now))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(asked))
    }

    /// The question of a mock still being answered, if any.
    pub async fn current_mock_question(
        &self,
        mock: i64,
    ) -> anyhow::Result<Option<MockQuestionRow>> {
        let row = sqlx::query(&format!(
            "SELECT {QUESTION_COLUMNS} FROM mock_questions WHERE mock_id = ?1 AND finished_at IS NULL"
        ))
        .bind(mock)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(question_from_row).transpose()
    }

    /// Every question of a mock, in order.
    pub async fn mock_questions(&self, mock: i64) -> anyhow::Result<Vec<MockQuestionRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {QUESTION_COLUMNS} FROM mock_questions WHERE mock_id = ?1 ORDER BY number"
        ))
        .bind(mock)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(question_from_row).collect()
    }

    /// Saves the interviewer's ticks while the question is open; returns whether it was.
    pub async fn set_mock_ticks(
        &self,
        question: &MockQuestionRow,
        ticks: &[usize],
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        self.update_open_question(question, "ticks = ?2", serde_json::to_string(ticks)?, now)
            .await
    }

    /// Saves the interviewer's note while the question is open; returns whether it was.
    pub async fn set_mock_note(
        &self,
        question: &MockQuestionRow,
        note: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        self.update_open_question(question, "note = ?2", note.to_string(), now)
            .await
    }

    /// Saves the candidate's written answer and its grade while the question is open (a later
    /// answer replaces it); returns whether the question was open.
    pub async fn set_mock_answer(
        &self,
        question: &MockQuestionRow,
        body: &str,
        written: &WrittenAnswer,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.begin_write().await?;
        let saved = sqlx::query(
            "UPDATE mock_questions SET answer_body = ?2, answer_checklist = ?3, answer_score = ?4
             WHERE id = ?1 AND finished_at IS NULL",
        )
        .bind(question.id)
        .bind(body)
        .bind(serde_json::to_string(&written.checklist)?)
        .bind(i64::from(written.score))
        .execute(&mut *tx)
        .await?;
        commit_if_changed(tx, saved.rows_affected(), question.mock_id, now).await
    }

    /// Sets one column (`assignment` binds the value as `?2`) of an open question.
    async fn update_open_question(
        &self,
        question: &MockQuestionRow,
        assignment: &str,
        value: String,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.begin_write().await?;
        let saved = sqlx::query(&format!(
            "UPDATE mock_questions SET {assignment} WHERE id = ?1 AND finished_at IS NULL"
        ))
        .bind(question.id)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        commit_if_changed(tx, saved.rows_affected(), question.mock_id, now).await
    }

    /// Finishes a question with its verdict, once, and records the verdict as the candidate's review
    /// of the question, in one transaction; returns whether this call finished it.
    pub async fn finish_mock_question(
        &self,
        question: i64,
        score: u8,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.begin_write().await?;
        let finished: Option<(i64, String)> = sqlx::query_as(
            "UPDATE mock_questions SET score = ?2, finished_at = ?3 WHERE id = ?1 AND finished_at IS NULL
             RETURNING candidate_id, question_id",
        )
        .bind(question)
        .bind(i64::from(score))
        .bind(to_millis(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((candidate, question_id)) = finished else {
            return Ok(false);
        };
        let review = NewReview {
            user: candidate,
            question: &question_id,
            rating: Rating::from_score(score),
            score,
            at: now,
            round: None,
        };
        record_review(&mut tx, review).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Live mocks the ticker must move on: (mock, whether nobody touched it since `idle_since`).
    /// Those whose current question is past its deadline, those idle, and running mocks with no open
    /// question (a process stopped between finishing one question and asking the next).
    pub async fn mocks_due(
        &self,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> anyhow::Result<Vec<(i64, bool)>> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.last_activity_at <= ?2 FROM mocks m
             WHERE m.state <> 'ended' AND (m.last_activity_at <= ?2
                OR EXISTS (SELECT 1 FROM mock_questions q
                           WHERE q.mock_id = m.id AND q.finished_at IS NULL AND q.deadline_at <= ?1)
                OR (m.state = 'running' AND NOT EXISTS (SELECT 1 FROM mock_questions q
                           WHERE q.mock_id = m.id AND q.finished_at IS NULL)))
             ORDER BY m.id",
        )
        .bind(to_millis(now))
        .bind(to_millis(idle_since))
        .fetch_all(self.pool())
        .await?)
    }

    /// A user's finished mock questions, newest mock first: (mock, when it started, score).
    pub async fn mock_history(&self, user: i64) -> anyhow::Result<Vec<(i64, DateTime<Utc>, u8)>> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT q.mock_id, m.started_at, q.score FROM mock_questions q
             JOIN mocks m ON m.id = q.mock_id
             WHERE q.candidate_id = ?1 AND q.score IS NOT NULL
             ORDER BY m.started_at DESC, q.number",
        )
        .bind(user)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(mock, started, score)| {
                Ok((
                    mock,
                    from_millis(started)?,
                    u8::try_from(score).unwrap_or(0),
                ))
            })
            .collect()
    }
}

/// Commits a write to an open question as the mock's activity, or drops it (rolls back) when it
/// changed nothing because the question finished meanwhile; returns whether it changed something.
async fn commit_if_changed(
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    changed: u64,
    mock: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    if changed == 0 {
        return Ok(false);
    }
    touch(&mut tx, mock, now).await?;
    tx.commit().await?;
    Ok(true)
}
