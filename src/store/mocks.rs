//! Mock interviews: the session and its members in seat order (each question is in
//! [`super::mock_questions`]). Every step is written as it happens, and every step that must happen
//! once (seating someone, ending the mock) is guarded in its statement, so a second process or a
//! restart carries on instead of repeating it.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{to_millis, Store};

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

/// Why a mock could not be created or joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seating {
    Done(i64),
    /// This user (row id) is already in a live mock in the channel.
    AlreadyInOne(i64),
}

const MOCK_COLUMNS: &str =
    "id, channel_id, starter_id, topic, difficulty, questions, minutes, state";
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
        let mut tx = self.begin_write().await?;
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
        let mut tx = self.begin_write().await?;
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
        let set = self
            .busy
            .retry(|| {
                sqlx::query("UPDATE mocks SET thread_ref = ?2 WHERE id = ?1 AND thread_ref IS NULL")
                    .bind(mock)
                    .bind(thread)
                    .execute(self.pool())
            })
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

    /// The newest mock still taking candidates, of the channel or of the thread a command came from.
    pub async fn gathering_mock_in(
        &self,
        channel: i64,
        thread: &str,
    ) -> anyhow::Result<Option<MockRow>> {
        let row = sqlx::query(&format!(
            "SELECT {MOCK_COLUMNS} FROM mocks
             WHERE (channel_id = ?1 OR thread_ref = ?2) AND state = 'gathering'
             ORDER BY id DESC LIMIT 1"
        ))
        .bind(channel)
        .bind(thread)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(mock_from_row).transpose()
    }

    /// Ends a mock, once; returns whether this call ended it.
    pub async fn end_mock(&self, mock: i64, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let ended = self
            .busy
            .retry(|| {
                sqlx::query(
            "UPDATE mocks SET state = 'ended', ended_at = ?2 WHERE id = ?1 AND state <> 'ended'",
        )
        .bind(mock)
        .bind(to_millis(now))
        .execute(self.pool())
            })
            .await?;
        Ok(ended.rows_affected() > 0)
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

pub(super) async fn touch(
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
