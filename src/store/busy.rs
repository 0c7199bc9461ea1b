//! Writes that SQLite refuses because another connection or process holds the database: SQLITE_BUSY
//! and its variants (BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT) and SQLITE_LOCKED. The connection's
//! busy timeout already waits for the lock; past it (a long checkpoint, a backup, a second process
//! with a long transaction) a write is tried again with growing pauses before it is given up, and
//! every retry is counted for the operator.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::{Sqlite, SqlitePool, Transaction};

use super::WRITE;

/// How many times a write is tried in all before its error is returned.
const MAX_TRIES: u32 = 8;
/// The pause before the second try; it doubles for each try after (20 ms … 2.6 s in all).
const FIRST_PAUSE: Duration = Duration::from_millis(20);

/// How many writes were tried again because the database was busy, since the store opened.
#[derive(Debug, Clone, Default)]
pub struct BusyRetries(Arc<AtomicU64>);

impl BusyRetries {
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    fn add_one(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Runs `write` until it succeeds, fails for another reason than a busy database, or has been
    /// tried [`MAX_TRIES`] times. `write` must be safe to run again after a busy failure: one
    /// statement, or a transaction (a busy failure rolls it back whole).
    pub async fn retry<T, E, F, Fut>(&self, mut write: F) -> Result<T, E>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: BusyError,
    {
        let mut pause = FIRST_PAUSE;
        let mut tries = 1;
        loop {
            match write().await {
                Err(err) if tries < MAX_TRIES && err.is_busy() => {
                    self.add_one();
                    tracing::warn!(tries, "the database is busy; trying the write again");
                    tokio::time::sleep(pause).await;
                    pause = pause.saturating_mul(2);
                    tries += 1;
                }
                done => return done,
            }
        }
    }

    /// Begins a write transaction (taking the write lock at once), waiting out a busy database.
    /// Once the lock is held, the transaction's statements are not refused as busy.
    pub async fn begin_write<'c>(
        &self,
        pool: &'c SqlitePool,
    ) -> Result<Transaction<'c, Sqlite>, sqlx::Error> {
        self.retry(|| pool.begin_with(WRITE)).await
    }
}

/// An error that may say the database was busy.
pub trait BusyError {
    fn is_busy(&self) -> bool;
}

impl BusyError for sqlx::Error {
    fn is_busy(&self) -> bool {
        let sqlx::Error::Database(db) = self else {
            return false;
        };
        // Extended result codes keep the primary code in their low byte: 5 BUSY (261 BUSY_RECOVERY,
        // 517 BUSY_SNAPSHOT, 773 BUSY_TIMEOUT), 6 LOCKED (262 LOCKED_SHAREDCACHE).
        db.code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 5 | 6))
    }
}

impl BusyError for anyhow::Error {
    fn is_busy(&self) -> bool {
        self.chain().any(|cause| {
            cause
                .downcast_ref::<sqlx::Error>()
                .is_some_and(|e| e.is_busy())
        })
    }
}
