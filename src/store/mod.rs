//! Storage on SQLite through sqlx: opening the database (WAL, `synchronous=NORMAL`, foreign keys, a busy
//! timeout), applying `migrations/`, and mapping platform ids to rows. One file per table group:
//! [`rounds`] (rounds, hints, reveals), [`posts`] (the posts that carried questions and reveals),
//! [`answer_writer`] (answers, committed in groups), [`busy`] (writes that wait out a busy database),
//! [`scores`] (leaderboards, stats) with their typed [`keys`], [`schedules`] and the daily drip's
//! batches over them ([`daily`]), [`mocks`] and [`mock_questions`] (mock interviews), and
//! [`memories`] (players' memories of questions) with [`memory_changes`] (reading them by change
//! number) and [`practice`] (practice cards, settings, reminders), for personal practice.

pub mod answer_writer;
pub mod busy;
pub mod daily;
pub mod keys;
pub mod memories;
pub mod memory_changes;
pub mod mock_questions;
pub mod mocks;
pub mod posts;
pub mod practice;
pub mod reminders;
pub mod rounds;
pub mod schedules;
pub mod scores;
pub mod weak_spots;

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, TimeZone as _, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::core::command::{Actor, ChannelRef, Platform};
use answer_writer::AnswerWriter;
use busy::BusyRetries;

/// Transactions that write take the write lock when they begin: in WAL mode a transaction that reads
/// first and writes later fails at once (instead of waiting) if another connection wrote meanwhile.
pub(crate) const WRITE: &str = "BEGIN IMMEDIATE";

/// The database file used when none is given.
pub const DEFAULT_DATABASE: &str = "interview-bot.db";

/// Row ids of a channel and its workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelIds {
    pub workspace: i64,
    pub channel: i64,
}

/// The database, shared by every front door and task of a process.
pub struct Store {
    pool: SqlitePool,
    writer: AnswerWriter,
    busy: BusyRetries,
    // Ids never change once created, so caching them is safe across processes sharing the database.
    channels: Mutex<HashMap<ChannelRef, ChannelIds>>,
    users: Mutex<HashMap<(Platform, String), (i64, String)>>,
}

/// How the database connections wait for each other, and how durable a commit is.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// How long one statement waits for another connection's lock before it is refused as busy (and
    /// then tried again, see [`busy`]).
    pub busy_timeout: Duration,
    pub durability: Durability,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            busy_timeout: Duration::from_secs(5),
            durability: Durability::Normal,
        }
    }
}

/// SQLite's `synchronous` setting in WAL mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// A commit survives the process crashing (kill -9, a panic, an OOM kill); the last commits
    /// before a power loss or an OS crash may be lost. One fsync per checkpoint, not per commit.
    Normal,
    /// A commit also survives a power loss: one fsync per commit.
    Full,
}

impl Store {
    /// Opens (creating it if needed) the database at `location`: a file path or a `sqlite:` URL.
    pub async fn open(location: &str) -> anyhow::Result<Store> {
        Store::open_with(location, StoreOptions::default()).await
    }

    /// [`Store::open`] with chosen options.
    pub async fn open_with(location: &str, settings: StoreOptions) -> anyhow::Result<Store> {
        let url = if location.starts_with("sqlite:") {
            location.to_string()
        } else {
            format!("sqlite://{location}")
        };
        let options = SqliteConnectOptions::from_str(&url)
            .with_context(|| format!("`{location}` is not a database path or sqlite: URL"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match settings.durability {
                Durability::Normal => SqliteSynchronous::Normal,
                Durability::Full => SqliteSynchronous::Full,
            })
            .foreign_keys(true)
            .busy_timeout(settings.busy_timeout)
            // A checkpoint runs inside the commit that fills the WAL, and that commit's answers wait
            // for it: small, frequent checkpoints keep the wait short (measured with `bench`: the
            // default 1,000 pages put p99 above 5 ms at 10,000 answers/s, 250 keeps it near 4 ms).
            .pragma("wal_autocheckpoint", "250");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database {location}"))?;
        sqlx::migrate!()
            .run(&pool)
            .await
            .context("cannot apply the database migrations")?;
        let busy = BusyRetries::default();
        Ok(Store {
            writer: AnswerWriter::start(pool.clone(), busy.clone()),
            busy,
            pool,
            channels: Mutex::new(HashMap::new()),
            users: Mutex::new(HashMap::new()),
        })
    }

    /// The connection pool, for tools that read or fill the database directly (`bench`, tests).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes every connection once the ones in use are returned (the last commits are then
    /// checkpointed by SQLite); for a process that is stopping.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// How many writes were tried again because the database was busy.
    pub fn busy_retries(&self) -> u64 {
        self.busy.count()
    }

    /// Begins a write transaction, waiting out a busy database.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'_, sqlx::Sqlite>, sqlx::Error> {
        self.busy.begin_write(&self.pool).await
    }

    /// Whether the database answers a query: the health check.
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The rows of a channel and its workspace, created on first use.
    pub async fn channel_ids(&self, channel: &ChannelRef) -> anyhow::Result<ChannelIds> {
        if let Some(ids) = lock(&self.channels).get(channel) {
            return Ok(*ids);
        }
        let workspace: i64 = self
            .busy
            .retry(|| {
                sqlx::query_scalar(
                    "INSERT INTO workspaces (platform, external_id) VALUES (?1, ?2)
             ON CONFLICT (platform, external_id) DO UPDATE SET external_id = excluded.external_id
             RETURNING id",
                )
                .bind(channel.platform.as_str())
                .bind(&channel.workspace)
                .fetch_one(&self.pool)
            })
            .await?;
        let channel_id: i64 = self.busy.retry(|| sqlx::query_scalar(
            "INSERT INTO channels (workspace_id, external_id) VALUES (?1, ?2)
             ON CONFLICT (workspace_id, external_id) DO UPDATE SET external_id = excluded.external_id
             RETURNING id",
        )
        .bind(workspace)
        .bind(&channel.channel)
        .fetch_one(&self.pool)).await?;
        let ids = ChannelIds {
            workspace,
            channel: channel_id,
        };
        lock(&self.channels).insert(channel.clone(), ids);
        Ok(ids)
    }

    /// The platform's name of a channel row.
    pub async fn channel_ref(&self, channel_id: i64) -> anyhow::Result<ChannelRef> {
        let (platform, workspace, channel): (String, String, String) = sqlx::query_as(
            "SELECT w.platform, w.external_id, c.external_id
             FROM channels c JOIN workspaces w ON w.id = c.workspace_id WHERE c.id = ?1",
        )
        .bind(channel_id)
        .fetch_one(&self.pool)
        .await?;
        let platform = Platform::parse(&platform)
            .with_context(|| format!("unknown platform `{platform}` in the database"))?;
        Ok(ChannelRef {
            platform,
            workspace,
            channel,
        })
    }

    /// The row of a user, created on first use; the display name follows the platform's.
    pub async fn user_id(&self, platform: Platform, actor: &Actor) -> anyhow::Result<i64> {
        let key = (platform, actor.user.clone());
        if let Some((id, name)) = lock(&self.users).get(&key) {
            if *name == actor.display_name {
                return Ok(*id);
            }
        }
        let id: i64 = self
            .busy
            .retry(|| {
                sqlx::query_scalar(
                    "INSERT INTO users (platform, external_id, display_name) VALUES (?1, ?2, ?3)
             ON CONFLICT (platform, external_id) DO UPDATE SET display_name =
                 CASE WHEN excluded.display_name IN ('', users.external_id)
                      THEN users.display_name ELSE excluded.display_name END
             RETURNING id",
                )
                .bind(platform.as_str())
                .bind(&actor.user)
                .bind(&actor.display_name)
                .fetch_one(&self.pool)
            })
            .await?;
        lock(&self.users).insert(key, (id, actor.display_name.clone()));
        Ok(id)
    }

    /// A user of a platform by their platform id, if they ever used the bot: (row id, display name).
    pub async fn find_user(
        &self,
        platform: Platform,
        external_id: &str,
    ) -> anyhow::Result<Option<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, display_name FROM users WHERE platform = ?1 AND external_id = ?2",
        )
        .bind(platform.as_str())
        .bind(external_id)
        .fetch_optional(&self.pool)
        .await?)
    }
}

/// A poisoned cache lock only means another task panicked mid-insert; the map is still usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn to_millis(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_millis()
}

pub(crate) fn from_millis(millis: i64) -> anyhow::Result<DateTime<Utc>> {
    Utc.timestamp_millis_opt(millis)
        .single()
        .with_context(|| format!("timestamp {millis} is out of range"))
}
