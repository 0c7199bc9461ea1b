//! The real binary killed with `kill -9` in the middle of an answer storm through the fake Discord:
//! every answer the bot confirmed to its user is in the database afterwards.

#[path = "support/bot_process.rs"]
mod bot_process;
#[path = "support/fake_discord.rs"]
mod fake_discord;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bot_process::{signal, start_bot, wait_for_exit};
use fake_discord::{FakeDiscord, GUILD_ID};
use serde_json::{json, Value};
use sqlx::Connection as _;

const WAIT: Duration = Duration::from_secs(60);
const STORM: u64 = 400;
/// The bot is killed once this many answers were confirmed.
const KILL_AFTER: usize = 60;

/// The user each answer was confirmed to: from an interaction's direct response, or from the edit
/// of its deferred response.
fn confirmed_users(fake: &FakeDiscord, users_by_token: &HashMap<String, String>) -> Vec<String> {
    let mut confirmed = Vec::new();
    for request in fake.requests() {
        let content = match request.body["data"]["content"].as_str() {
            Some(content) => content,
            None => request.body["content"].as_str().unwrap_or_default(),
        };
        if !content.starts_with("Answer recorded") {
            continue;
        }
        let user = users_by_token
            .iter()
            .find(|(token, _)| request.path.contains(token.as_str()))
            .map(|(_, user)| user.clone());
        confirmed.extend(user);
    }
    confirmed
}

#[tokio::test]
async fn every_answer_confirmed_before_a_kill_9_is_stored() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("storm.db");
    let mut bot = start_bot(
        &db,
        &[
            ("DISCORD_TOKEN", "fake-token".into()),
            ("DISCORD_GUILD_ID", GUILD_ID.to_string()),
            ("DISCORD_PROXY_URL", fake.base_url()),
        ],
    );
    fake.wait_for_ready(WAIT).await.expect("the bot identified");
    fake.wait_for_commands(WAIT)
        .await
        .expect("the bot registered its commands");
    let question = fake.slash_command("question", json!([]), 11, "ann", "0");
    let token = question["token"].as_str().expect("a token").to_string();
    fake.dispatch("INTERACTION_CREATE", question);
    fake.wait_for_request(
        |r| r.method == "POST" && r.path.contains(&token) && r.body["type"] == 4,
        WAIT,
    )
    .await
    .expect("the question was asked");

    let mut users_by_token = HashMap::new();
    for n in 0..STORM {
        let user = 2_000_000_000_000_000_000 + n;
        let answer = fake.slash_command(
            "answer",
            json!([{"type": 3, "name": "text", "value": format!("a SQL join, from user {n}")}]),
            user,
            &format!("user{n}"),
            "0",
        );
        let token: Value = answer["token"].clone();
        users_by_token.insert(
            token.as_str().unwrap_or_default().to_string(),
            user.to_string(),
        );
        fake.dispatch("INTERACTION_CREATE", answer);
    }
    let started = Instant::now();
    while confirmed_users(&fake, &users_by_token).len() < KILL_AFTER {
        assert!(started.elapsed() < WAIT, "too few answers were confirmed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    signal(&bot, "KILL");
    wait_for_exit(&mut bot, Duration::from_secs(10)).expect("killed");
    let confirmed = confirmed_users(&fake, &users_by_token);

    let url = format!("sqlite://{}", db.display());
    let mut connection = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("the database opens after the kill");
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT u.external_id FROM answers a JOIN users u ON u.id = a.user_id")
            .fetch_all(&mut connection)
            .await
            .expect("answers read");
    eprintln!(
        "{} answers confirmed and {} stored of {STORM} sent when the bot was killed",
        confirmed.len(),
        stored.len()
    );
    let missing: Vec<&String> = confirmed.iter().filter(|u| !stored.contains(u)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} confirmed answers are missing",
        missing.len(),
        confirmed.len()
    );
    assert!(confirmed.len() >= KILL_AFTER);
    assert!(
        confirmed.len() < STORM as usize,
        "every answer was confirmed before the kill: it did not land mid-storm"
    );
}
