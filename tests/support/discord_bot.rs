//! The bot's Discord front door under test: the real serenity + poise client connected to a fresh
//! fake Discord, over a fresh database and a deck of the test's own, with its commands registered;
//! and the small helpers every Discord test uses to act as a member and read what the bot answered.
//!
//! A test crate that includes this file declares the modules it builds on at its root:
//! `#[path = "support/fake_discord.rs"] mod fake_discord;` and
//! `#[path = "support/engine.rs"] mod test_engine;`.
#![allow(dead_code)] // Each test crate uses part of this file.

use std::sync::Arc;
use std::time::Duration;

use interview_bot::config::{DiscordConfig, Secret};
use interview_bot::discord::DiscordOutbox;
use interview_bot::engine::Engine;
use interview_bot::store::Store;
use serde_json::{json, Value};

use crate::fake_discord::{FakeDiscord, RecordedRequest, GUILD_ID};
use crate::test_engine::engine_with_deck;

pub const WAIT: Duration = Duration::from_secs(15);
pub const NO_PERMISSIONS: &str = "0";
pub const MANAGE_GUILD: &str = "32";
const EPHEMERAL: u64 = 64;

pub struct TestBot {
    pub fake: FakeDiscord,
    pub engine: Arc<Engine>,
    pub store: Arc<Store>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub _dir: tempfile::TempDir,
}

impl Drop for TestBot {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A bot over `deck` connected to a fresh fake Discord, with its commands registered.
pub async fn spawn_bot(deck: &str) -> TestBot {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), deck, "discord.db").await;
    let config = DiscordConfig {
        token: Secret::new("fake-token"),
        guild_id: Some(GUILD_ID),
        proxy_url: Some(fake.base_url()),
        drip_every: Duration::from_secs(1),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot_engine = Arc::clone(&engine);
    tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(err) = interview_bot::discord::run(config, bot_engine, shutdown).await {
            eprintln!("the bot stopped: {err:#}");
        }
    });
    fake.wait_for_ready(WAIT).await.expect("the bot identified");
    fake.wait_for_commands(WAIT)
        .await
        .expect("the bot registered its commands");
    TestBot {
        fake,
        engine,
        store,
        stop: Some(stop),
        _dir: dir,
    }
}

impl TestBot {
    /// Dispatches an interaction and waits for the bot's callback to it.
    pub async fn interact(&self, interaction: Value) -> RecordedRequest {
        let path = format!(
            "/api/v10/interactions/{}/{}/callback",
            interaction["id"].as_str().expect("id"),
            interaction["token"].as_str().expect("token")
        );
        self.fake.dispatch("INTERACTION_CREATE", interaction);
        self.fake
            .wait_for_request(|r| r.method == "POST" && r.path == path, WAIT)
            .await
            .expect("the bot answered the interaction")
    }

    pub async fn slash(
        &self,
        name: &str,
        options: Value,
        user: u64,
        user_name: &str,
        permissions: &str,
    ) -> RecordedRequest {
        let interaction = self
            .fake
            .slash_command(name, options, user, user_name, permissions);
        self.interact(interaction).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.store.pool())
            .await
            .expect("count")
    }

    /// A REST client for the fake, as the bot's own drip uses.
    pub fn rest_client(&self) -> poise::serenity_prelude::Http {
        poise::serenity_prelude::HttpBuilder::new("fake-token")
            .proxy(self.fake.base_url())
            .ratelimiter_disabled(true)
            .build()
    }

    /// An outbox on the fake, to run the drip at instants a test chooses.
    pub fn outbox(&self) -> DiscordOutbox {
        DiscordOutbox::new(Arc::new(self.rest_client()))
    }
}

pub fn text_option(name: &str, value: &str) -> Value {
    json!({"type": 3, "name": name, "value": value})
}

/// Whether an interaction callback is shown only to the user who acted.
pub fn is_ephemeral(callback: &RecordedRequest) -> bool {
    callback.body["data"]["flags"]
        .as_u64()
        .is_some_and(|flags| flags & EPHEMERAL == EPHEMERAL)
}
