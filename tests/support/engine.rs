//! A fresh engine for a front-door test: a temporary folder with one deck and an empty database.
#![allow(dead_code)] // Each test crate uses part of this file.

use std::sync::Arc;

use interview_bot::core::bank::Bank;
use interview_bot::engine::Engine;
use interview_bot::store::{Store, StoreOptions};

/// An engine over `deck` (written to `dir/content/test.md`) and a new database `dir/{db}`, with the
/// database itself for a test to count what was stored.
pub async fn engine_with_deck(
    dir: &std::path::Path,
    deck: &str,
    db: &str,
) -> (Arc<Engine>, Arc<Store>) {
    engine_with_deck_and_options(dir, deck, db, StoreOptions::default()).await
}

/// [`engine_with_deck`] over a database opened with `options`.
pub async fn engine_with_deck_and_options(
    dir: &std::path::Path,
    deck: &str,
    db: &str,
    options: StoreOptions,
) -> (Arc<Engine>, Arc<Store>) {
    let bank_dir = dir.join("content");
    std::fs::create_dir_all(&bank_dir).expect("bank dir");
    std::fs::write(bank_dir.join("test.md"), deck).expect("deck");
    let db = dir.join(db);
    let store = Arc::new(
        Store::open_with(db.to_str().expect("utf-8 path"), options)
            .await
            .expect("database"),
    );
    let bank = Bank::load(&bank_dir).expect("valid deck");
    let engine = Engine::new(Arc::clone(&store), bank, bank_dir);
    (Arc::new(engine), store)
}

/// Another connection holding the database's write lock, as another process would.
pub struct WriteLockHolder {
    released: Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl WriteLockHolder {
    /// Whether the lock was let go.
    pub fn is_released(&self) -> bool {
        self.released.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until the lock was let go.
    pub async fn finish(self) {
        self.task.await.expect("the holder finished");
    }
}

/// Takes the write lock of the database at `db` (returning once it holds it) and lets it go after
/// `hold`.
pub async fn hold_write_lock(db: &std::path::Path, hold: std::time::Duration) -> WriteLockHolder {
    use sqlx::Connection as _;
    let url = format!("sqlite://{}", db.display());
    let mut holder = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("connects");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut holder)
        .await
        .expect("takes the write lock");
    let released = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = Arc::clone(&released);
    let task = tokio::spawn(async move {
        tokio::time::sleep(hold).await;
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        sqlx::query("COMMIT")
            .execute(&mut holder)
            .await
            .expect("lets the lock go");
    });
    WriteLockHolder { released, task }
}
