//! Mock interviews: the session, its members in seat order, and each question with its ticks,
//! written answer, note and verdict. Every step is written as it happens, and every step that must
//! happen once (asking a question, finishing it, ending the mock) is guarded in its statement, so a
//! second process or a restart carries on instead of repeating it.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{from_millis, to_millis, Store, WRITE};
use crate::core::grade::KeyPointCheck;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockState {
    /// Taking candidates; no question asked yet.
    Gathering,
    Running,
    Ended,
}

impl MockState {
    fn parse(raw: &str) -> anyhow::Result<MockState> {
        match raw {
            "gathering" => Ok(MockState::Gathering),
            "running" => Ok(MockState::Running),
            "ended" => Ok(MockState::Ended),
            other => anyhow::bail!("unknown mock state `{other}`"),
        }
    }
}

/// A mock as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct MockRow {
    pub id: i64,
    pub channel_id: i64,
    pub starter_id: i64,
    pub topic: Option<String>,
    pub difficulty: Option<String>,
    pub questions: u8,
    pub minutes: u8,
    pub state: MockState,
}

/// A member of a mock: seat 0 is the starter, then the candidates in answering order.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub user_id: i64,
    pub external_id: String,
    pub display_name: String,
    pub seat: i64,
}

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

/// Why a mock could not be created or joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seating {
    Done(i64),
    /// This user (row id) is already in a live mock in the channel.
    AlreadyInOne(i64),
}

const MOCK_COLUMNS: &str =
    "id, channel_id, starter_id, topic, difficulty, questions, minutes, state";
const QUESTION_COLUMNS: &str = "id, mock_id, number, question_id, interviewer_id, candidate_id, \
     ticks, answer_body, answer_checklist, answer_score, note, score, asked_at, deadline_at, finished_at";

fn mock_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<MockRow> {
    Ok(MockRow {
        id: row.try_get("id")?,
        channel_id: row.try_get("channel_id")?,
        starter_id: row.try_get("starter_id")?,
        topic: row.try_get("topic")?,
        difficulty: row.try_get("difficulty")?,
        questions: u8::try_from(row.try_get::<i64, _>("questions")?).unwrap_or(1),
        minutes: u8::try_from(row.try_get::<i64, _>("minutes")?).unwrap_or(1),
        state: MockState::parse(&row.try_get::<String, _>("state")?)?,
    })
}

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

/// What a new mock asks for.
pub struct NewMock<'a> {
    pub channel: i64,
    pub starter: i64,
    pub topic: Option<&'a str>,
    pub difficulty: Option<&'a str>,
    pub questions: u8,
    pub minutes: u8,
    pub candidates: &'a [i64],
}

impl Store {
    /// Creates a mock with its members, unless one of them is already in a live mock in the
    /// channel (checked in the same transaction, so two starts cannot both seat someone).
    pub async fn create_mock(
        &self,
        mock: NewMock<'_>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Seating> {
        let mut tx = self.pool().begin_with(WRITE).await?;
        let members: Vec<i64> = std::iter::once(mock.starter)
            .chain(mock.candidates.iter().copied())
            .collect();
        for user in &members {
            if in_live_mock(&mut tx, mock.channel, *user).await? {
                return Ok(Seating::AlreadyInOne(*user));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO mocks (channel_id, starter_id, topic, difficulty, questions, minutes, state,
                                started_at, last_activity_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'gathering', ?7, ?7) RETURNING id",
        )
        .bind(mock.channel)
        .bind(mock.starter)
        .bind(mock.topic)
        .bind(mock.difficulty)
        .bind(i64::from(mock.questions))
        .bind(i64::from(mock.minutes))
        .bind(to_millis(now))
        .fetch_one(&mut *tx)
        .await?;
        for (seat, user) in members.iter().enumerate() {
            sqlx::query("INSERT INTO mock_members (mock_id, user_id, seat) VALUES (?1, ?2, ?3)")
                .bind(id)
                .bind(user)
                .bind(seat as i64)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Seating::Done(id))
    }

    /// Seats a user at the end of a gathering mock. `Ok(None)` when the mock no longer gathers.
    pub async fn join_mock(
        &self,
        mock: &MockRow,
        user: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Seating>> {
        let mut tx = self.pool().begin_with(WRITE).await?;
        if in_live_mock(&mut tx, mock.channel_id, user).await? {
            return Ok(Some(Seating::AlreadyInOne(user)));
        }
        let seated = sqlx::query(
            "INSERT INTO mock_members (mock_id, user_id, seat)
             SELECT ?1, ?2, (SELECT COALESCE(MAX(seat), 0) + 1 FROM mock_members WHERE mock_id = ?1)
             WHERE EXISTS (SELECT 1 FROM mocks WHERE id = ?1 AND state = 'gathering')",
        )
        .bind(mock.id)
        .bind(user)
        .execute(&mut *tx)
        .await?;
        if seated.rows_affected() == 0 {
            return Ok(None);
        }
        touch(&mut tx, mock.id, now).await?;
        tx.commit().await?;
        Ok(Some(Seating::Done(mock.id)))
    }

    pub async fn mock(&self, id: i64) -> anyhow::Result<Option<MockRow>> {
        let row = sqlx::query(&format!("SELECT {MOCK_COLUMNS} FROM mocks WHERE id = ?1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(mock_from_row).transpose()
    }

    /// Records the thread a mock's posts go to, unless it has one already; returns whether it was
    /// recorded.
    pub async fn set_mock_thread(&self, mock: i64, thread: &str) -> anyhow::Result<bool> {
        let set =
            sqlx::query("UPDATE mocks SET thread_ref = ?2 WHERE id = ?1 AND thread_ref IS NULL")
                .bind(mock)
                .bind(thread)
                .execute(self.pool())
                .await?;
        Ok(set.rows_affected() > 0)
    }

    /// The thread a mock's posts go to, once its first post recorded one.
    pub async fn mock_thread(&self, mock: i64) -> anyhow::Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT thread_ref FROM mocks WHERE id = ?1")
                .bind(mock)
                .fetch_optional(self.pool())
                .await?
                .flatten(),
        )
    }

    /// The live mock that `user` is in, of the channel or of the thread a command came from (on
    /// Discord a mock's thread is a channel of its own).
    pub async fn live_mock_of(
        &self,
        channel: i64,
        thread: &str,
        user: i64,
    ) -> anyhow::Result<Option<MockRow>> {
        let row = sqlx::query(&format!(
            "SELECT {MOCK_COLUMNS} FROM mocks m
             WHERE (m.channel_id = ?1 OR m.thread_ref = ?3) AND m.state <> 'ended'
               AND EXISTS (SELECT 1 FROM mock_members WHERE mock_id = m.id AND user_id = ?2)
             ORDER BY m.id DESC LIMIT 1"
        ))
        .bind(channel)
        .bind(user)
        .bind(thread)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(mock_from_row).transpose()
    }

    /// The newest mock of the channel still taking candidates.
    pub async fn gathering_mock_in(&self, channel: i64) -> anyhow::Result<Option<MockRow>> {
        let row = sqlx::query(&format!(
            "SELECT {MOCK_COLUMNS} FROM mocks WHERE channel_id = ?1 AND state = 'gathering'
             ORDER BY id DESC LIMIT 1"
        ))
        .bind(channel)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(mock_from_row).transpose()
    }

    /// The members of a mock in seat order.
    pub async fn mock_members(&self, mock: i64) -> anyhow::Result<Vec<Member>> {
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT u.id, u.external_id, u.display_name, m.seat
             FROM mock_members m JOIN users u ON u.id = m.user_id
             WHERE m.mock_id = ?1 ORDER BY m.seat",
        )
        .bind(mock)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(user_id, external_id, display_name, seat)| Member {
                user_id,
                external_id,
                display_name,
                seat,
            })
            .collect())
    }

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
        let mut tx = self.pool().begin_with(WRITE).await?;
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
        let mut tx = self.pool().begin_with(WRITE).await?;
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
        touch(&mut tx, question.mock_id, now).await?;
        tx.commit().await?;
        Ok(saved.rows_affected() > 0)
    }

    /// Sets one column (`assignment` binds the value as `?2`) of an open question.
    async fn update_open_question(
        &self,
        question: &MockQuestionRow,
        assignment: &str,
        value: String,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool().begin_with(WRITE).await?;
        let saved = sqlx::query(&format!(
            "UPDATE mock_questions SET {assignment} WHERE id = ?1 AND finished_at IS NULL"
        ))
        .bind(question.id)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        touch(&mut tx, question.mock_id, now).await?;
        tx.commit().await?;
        Ok(saved.rows_affected() > 0)
    }

    /// Finishes a question with its verdict, once; returns whether this call finished it.
    pub async fn finish_mock_question(
        &self,
        question: i64,
        score: u8,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let finished = sqlx::query(
            "UPDATE mock_questions SET score = ?2, finished_at = ?3 WHERE id = ?1 AND finished_at IS NULL",
        )
        .bind(question)
        .bind(i64::from(score))
        .bind(to_millis(now))
        .execute(self.pool())
        .await?;
        Ok(finished.rows_affected() > 0)
    }

    /// Ends a mock, once; returns whether this call ended it.
    pub async fn end_mock(&self, mock: i64, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let ended = sqlx::query(
            "UPDATE mocks SET state = 'ended', ended_at = ?2 WHERE id = ?1 AND state <> 'ended'",
        )
        .bind(mock)
        .bind(to_millis(now))
        .execute(self.pool())
        .await?;
        Ok(ended.rows_affected() > 0)
    }

    /// Live mocks whose current question is past its deadline, or that nobody touched since
    /// `idle_since`: (mock, whether it is idle).
    pub async fn mocks_due(
        &self,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> anyhow::Result<Vec<(i64, bool)>> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.last_activity_at <= ?2 FROM mocks m
             WHERE m.state <> 'ended' AND (m.last_activity_at <= ?2 OR EXISTS (
                 SELECT 1 FROM mock_questions q
                 WHERE q.mock_id = m.id AND q.finished_at IS NULL AND q.deadline_at <= ?1))
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

    /// How often each question was asked in a channel's mocks.
    pub async fn times_asked_in_mocks(&self, channel: i64) -> anyhow::Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT q.question_id, COUNT(*) FROM mock_questions q JOIN mocks m ON m.id = q.mock_id
             WHERE m.channel_id = ?1 GROUP BY q.question_id",
        )
        .bind(channel)
        .fetch_all(self.pool())
        .await?)
    }
}

async fn in_live_mock(
    tx: &mut sqlx::SqliteConnection,
    channel: i64,
    user: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM mock_members mm JOIN mocks m ON m.id = mm.mock_id
         WHERE m.channel_id = ?1 AND m.state <> 'ended' AND mm.user_id = ?2 LIMIT 1",
    )
    .bind(channel)
    .bind(user)
    .fetch_optional(tx)
    .await?;
    Ok(found.is_some())
}

async fn touch(
    tx: &mut sqlx::SqliteConnection,
    mock: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mocks SET last_activity_at = ?2 WHERE id = ?1")
        .bind(mock)
        .bind(to_millis(now))
        .execute(tx)
        .await?;
    Ok(())
}
