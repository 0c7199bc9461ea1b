#![allow(dead_code)] // Each test crate uses part of this file.
//! A fresh engine for a front-door test: a temporary folder with one deck and an empty database.

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
