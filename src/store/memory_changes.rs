//! A player's memories read by change number: every write of a memory row takes the next number of
//! one shared counter (`migrations/0010_memory_changes.sql`), so a reader that holds a player's
//! memories up to a number can read only the rows written after it, and tell from how many the
//! player has in all whether any were removed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{from_millis, Store};
use crate::core::practice::Memory;

/// A player's memories by question id, with when each is due.
pub type Memories = HashMap<String, (Memory, DateTime<Utc>)>;

/// The memories of a player written after a change number, read at one instant of the database.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryChanges {
    /// The rows written after the number: (question id, memory, when it is due).
    pub written: Vec<(String, Memory, DateTime<Utc>)>,
    /// The highest change number among them, or the number asked about when there are none.
    pub last_change: i64,
    /// How many memories the player has in all.
    pub total: usize,
}

const MEMORY_COLUMNS: &str = "question_id, stability, difficulty, reviewed_at, due_at, change_no";

/// A memory row of [`MEMORY_COLUMNS`]: its question, the memory, when it is due, its change number.
fn memory_from_row(row: &SqliteRow) -> anyhow::Result<(String, Memory, DateTime<Utc>, i64)> {
    let memory = Memory {
        stability: row.try_get::<f64, _>("stability")? as f32,
        difficulty: row.try_get::<f64, _>("difficulty")? as f32,
        reviewed_at: from_millis(row.try_get("reviewed_at")?)?,
    };
    Ok((
        row.try_get("question_id")?,
        memory,
        from_millis(row.try_get("due_at")?)?,
        row.try_get("change_no")?,
    ))
}

impl Store {
    /// Every memory of a player, with the highest change number among them (0 when none).
    pub async fn memories_with_last_change(&self, user: i64) -> anyhow::Result<(Memories, i64)> {
        let rows = sqlx::query(&format!(
            "SELECT {MEMORY_COLUMNS} FROM memories WHERE user_id = ?1"
        ))
        .bind(user)
        .fetch_all(self.pool())
        .await?;
        let mut memories = Memories::with_capacity(rows.len());
        let mut last_change = 0;
        for row in &rows {
            let (question, memory, due_at, change) = memory_from_row(row)?;
            memories.insert(question, (memory, due_at));
            last_change = last_change.max(change);
        }
        Ok((memories, last_change))
    }

    /// A player's memories written after change `after`, and how many they have in all.
    pub async fn memories_changed_after(
        &self,
        user: i64,
        after: i64,
    ) -> anyhow::Result<MemoryChanges> {
        // One read transaction, so the count and the rows come from the same instant: a row written
        // between two separate reads could otherwise hide one removed meanwhile.
        let mut tx = self.pool().begin().await?;
        let rows = sqlx::query(&format!(
            "SELECT {MEMORY_COLUMNS} FROM memories WHERE user_id = ?1 AND change_no > ?2"
        ))
        .bind(user)
        .bind(after)
        .fetch_all(&mut *tx)
        .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memories WHERE user_id = ?1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut written = Vec::with_capacity(rows.len());
        let mut last_change = after;
        for row in &rows {
            let (question, memory, due_at, change) = memory_from_row(row)?;
            written.push((question, memory, due_at));
            last_change = last_change.max(change);
        }
        Ok(MemoryChanges {
            written,
            last_change,
            total: usize::try_from(total)?,
        })
    }
}
