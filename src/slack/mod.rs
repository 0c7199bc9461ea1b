//! The Slack front door. It only translates: Slack requests become engine commands, engine replies
//! become Block Kit messages. [`client`] is the Web API (posts, private messages, modals, user
//! look-ups); [`routes`] serves the signed HTTP endpoints and [`socket`] Socket Mode, both handing
//! their events to [`commands`]; [`render`] draws replies, `answer_form` is what an answer modal
//! carries, and [`verify`] checks signatures.

mod answer_form;
pub mod client;
pub mod commands;
pub mod render;
pub mod routes;
pub mod socket;
pub mod verify;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::config::SlackConfig;
use crate::core::command::Platform;
use crate::core::reply::Reply;
use crate::deliver::{DirectError, Outbox};
use crate::engine::Engine;
use client::WebApi;
use render::content;
use verify::Verifier;

pub use routes::{router, serve};
pub use socket::serve_socket_mode;

/// How long a slash command may work before Slack's 3-second deadline makes us answer "working on
/// it" and send the result to the command's `response_url` instead.
const INLINE_BUDGET: Duration = Duration::from_millis(2000);

/// Everything the handlers share.
pub struct SlackApp {
    pub engine: Arc<Engine>,
    verifier: Verifier,
    web: WebApi,
    admins: Vec<String>,
    inline_budget: Duration,
    /// Display names looked up for users whose events carry none (Socket Mode slash commands).
    names: Mutex<HashMap<String, String>>,
}

impl SlackApp {
    pub fn new(config: &SlackConfig, engine: Arc<Engine>) -> anyhow::Result<SlackApp> {
        Ok(SlackApp {
            engine,
            verifier: Verifier::new(&config.signing_secret),
            web: WebApi::new(config)?,
            admins: config.admins.clone(),
            inline_budget: INLINE_BUDGET,
            names: Mutex::new(HashMap::new()),
        })
    }

    /// How long a command may work before it is acknowledged and answered on its `response_url`.
    pub fn with_inline_budget(mut self, budget: Duration) -> SlackApp {
        self.inline_budget = budget;
        self
    }

    /// A user's display name from Slack, looked up once per user.
    async fn name_of(&self, user: &str) -> Option<String> {
        let cached = self
            .names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(user)
            .cloned();
        if cached.is_some() {
            return cached;
        }
        let name = self
            .web
            .user_info(user)
            .await
            .and_then(|facts| facts.name)?;
        self.names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(user.to_string(), name.clone());
        Some(name)
    }

    /// Admins are the users listed in `SLACK_ADMIN_USER_IDS` and the workspace's admins and owners.
    async fn is_admin(&self, user: &str) -> bool {
        self.admins.iter().any(|a| a == user) || self.web.is_workspace_admin(user).await
    }
}

impl Outbox for SlackApp {
    const PLATFORM: Platform = Platform::Slack;

    /// Posts in the channel, in the thread of `reply_to` when given; the post's `ts` is its reference.
    async fn post(&self, reply: &Reply, reply_to: Option<String>) -> anyhow::Result<String> {
        self.web
            .post(&reply.channel.channel, content(reply), reply_to)
            .await
    }

    /// Looks through the channel's latest messages (or the replies in the thread of `reply_to`) for
    /// the bot's post of the reply (its metadata's post key, or its button).
    async fn find_post(
        &self,
        reply: &Reply,
        reply_to: Option<&str>,
    ) -> anyhow::Result<Option<String>> {
        self.web.find_post(reply, reply_to).await
    }

    async fn send_private(&self, reply: &Reply, user: &str) -> anyhow::Result<()> {
        self.web
            .post_private(&reply.channel.channel, user, content(reply))
            .await
    }

    async fn send_direct(&self, reply: &Reply, user: &str) -> Result<(), DirectError> {
        self.web.post_direct(user, content(reply)).await
    }
}
