//! Interaction → callback latency through the loopback fake Discord: the real client receives
//! `/answer` interactions over the gateway at 200 per second and answers each through the REST API;
//! then mock interviews, one click at a time: ticking a key point on the rubric (the rubric updated
//! in place) and advancing to the next question (the next rubric, the question posted in the
//! thread). Goal: p99 ≤ 20 ms for each. Run with `cargo bench --bench discord_latency`.

#[path = "../tests/support/fake_discord.rs"]
mod fake_discord;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, GUILD_ID};
use interview_bot::config::{DiscordConfig, Secret};
use interview_bot::core::bank::Bank;
use interview_bot::engine::Engine;
use interview_bot::store::Store;
use serde_json::json;

const RATE_PER_S: u64 = 200;
const SECONDS: u64 = 10;
const WAIT: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("discord-bench.db");
    let store = Arc::new(Store::open(db.to_str().unwrap_or("discord-bench.db")).await?);
    let bank_dir = std::path::PathBuf::from("content");
    let bank = Bank::load(&bank_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let engine = Arc::new(Engine::new(store, bank, bank_dir));
    let config = DiscordConfig {
        token: Secret::new("fake-token"),
        guild_id: Some(GUILD_ID),
        proxy_url: Some(fake.base_url()),
        drip_every: Duration::from_secs(3600),
    };
    tokio::spawn(interview_bot::discord::run(
        config,
        engine,
        std::future::pending(),
    ));
    fake.wait_for_ready(WAIT)
        .await
        .map_err(anyhow::Error::msg)?;
    fake.wait_for_commands(WAIT)
        .await
        .map_err(anyhow::Error::msg)?;

    let ask = fake.slash_command("question", json!([]), 1, "host", "0");
    let ask_path = callback_path(&ask);
    fake.dispatch("INTERACTION_CREATE", ask);
    fake.wait_for_request(|r| r.path == ask_path, WAIT)
        .await
        .map_err(anyhow::Error::msg)?;

    let total = RATE_PER_S * SECONDS;
    let pace = Duration::from_secs(1) / RATE_PER_S as u32;
    let mut sent: HashMap<String, Instant> = HashMap::new();
    let started = tokio::time::Instant::now();
    for i in 0..total {
        tokio::time::sleep_until(started + pace * i as u32).await;
        let user = 1_000 + i % 500;
        let answer = json!([{"type": 3, "name": "text", "value": "select_related uses a SQL join in one query, prefetch_related runs a second query and joins in Python"}]);
        let interaction = fake.slash_command("answer", answer, user, &format!("player{user}"), "0");
        sent.insert(callback_path(&interaction), Instant::now());
        fake.dispatch("INTERACTION_CREATE", interaction);
    }
    let last = callback_path_of_last(&sent);
    fake.wait_for_request(|r| Some(&r.path) == last.as_ref(), WAIT)
        .await
        .map_err(anyhow::Error::msg)?;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut latencies: Vec<Duration> = fake
        .requests()
        .iter()
        .filter_map(|r| {
            sent.get(&r.path)
                .map(|at| r.at.saturating_duration_since(*at))
        })
        .collect();
    latencies.sort_unstable();
    let at = |share: f64| latencies[((latencies.len() - 1) as f64 * share).round() as usize];
    println!(
        "interaction → callback through the fake Discord at {RATE_PER_S}/s: {} of {total} answered, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        at(1.0).as_secs_f64() * 1000.0,
    );
    mock_clicks(&fake).await
}

const MOCKS: usize = 20;
const MOCK_QUESTIONS: usize = 10;
const TICKS_PER_QUESTION: usize = 5;

/// Runs mocks of one host and one candidate, clicking toggles and Next, and prints each click's
/// latency from dispatch to the interaction's callback.
async fn mock_clicks(fake: &FakeDiscord) -> anyhow::Result<()> {
    let (mut ticks, mut advances) = (Vec::new(), Vec::new());
    for m in 0..MOCKS {
        let session = m + 1;
        let options = json!([{"type": 1, "name": "start", "options": [
            {"type": 6, "name": "candidate_1", "value": "2"},
            {"type": 4, "name": "questions", "value": MOCK_QUESTIONS},
            {"type": 4, "name": "minutes", "value": 30},
        ]}]);
        let mut start = fake.slash_command("mock", options, 1, "host", "0");
        start["data"]["resolved"] = json!({"users": {"2": {
            "id": "2", "username": "guest", "discriminator": "0", "global_name": "guest",
            "avatar": null, "bot": false,
        }}});
        click(fake, start).await?;
        for question in 0..MOCK_QUESTIONS {
            let next = format!("mnext:{session}.{question}");
            advances.push(click(fake, fake.button_click(&next, json!({}), 1, "host", "0")).await?);
            for kp in 0..TICKS_PER_QUESTION {
                let tick = format!("mtick:{session}.{}.{}", question + 1, kp % 2);
                ticks.push(click(fake, fake.button_click(&tick, json!({}), 1, "host", "0")).await?);
            }
        }
        let last = format!("mnext:{session}.{MOCK_QUESTIONS}");
        advances.push(click(fake, fake.button_click(&last, json!({}), 1, "host", "0")).await?);
    }
    for (what, mut latencies) in [
        ("tick a key point", ticks),
        ("advance a question", advances),
    ] {
        latencies.sort_unstable();
        let at = |share: f64| latencies[((latencies.len() - 1) as f64 * share).round() as usize];
        println!(
            "mock, {what}: {} clicks, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            latencies.len(),
            at(0.5).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0,
            at(1.0).as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}

/// Dispatches one interaction and waits for its callback; returns how long the callback took.
async fn click(fake: &FakeDiscord, interaction: serde_json::Value) -> anyhow::Result<Duration> {
    let path = callback_path(&interaction);
    let sent = Instant::now();
    fake.dispatch("INTERACTION_CREATE", interaction);
    let answered = fake
        .wait_for_request(|r| r.path == path, WAIT)
        .await
        .map_err(anyhow::Error::msg)?;
    Ok(answered.at.saturating_duration_since(sent))
}

fn callback_path(interaction: &serde_json::Value) -> String {
    format!(
        "/api/v10/interactions/{}/{}/callback",
        interaction["id"].as_str().unwrap_or_default(),
        interaction["token"].as_str().unwrap_or_default()
    )
}

fn callback_path_of_last(sent: &HashMap<String, Instant>) -> Option<String> {
    sent.iter()
        .max_by_key(|(_, at)| **at)
        .map(|(path, _)| path.clone())
}
