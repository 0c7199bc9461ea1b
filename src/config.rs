//! Typed settings from the environment. Tokens and secrets are wrapped in [`Secret`], whose `Debug`
//! and `Display` print a placeholder, so they never reach a log line or an error message.

use std::fmt;
use std::time::Duration;

/// How often the daily drip runs when nothing says otherwise.
pub const DRIP_EVERY: Duration = Duration::from_secs(30);

/// A value that must never be printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How to reach Discord.
#[derive(Debug, Clone)]
pub struct DiscordConfig {
    /// `DISCORD_TOKEN`.
    pub token: Secret,
    /// `DISCORD_GUILD_ID`: register commands in this server only (instant updates) instead of globally.
    pub guild_id: Option<u64>,
    /// `DISCORD_PROXY_URL`: base URL of Discord's REST API (an HTTP proxy such as twilight-http-proxy,
    /// or a test fake); the gateway URL is then discovered through it.
    pub proxy_url: Option<String>,
    /// How often the daily drip runs.
    pub drip_every: Duration,
}

impl DiscordConfig {
    /// Reads the Discord settings; `Ok(None)` when no token is set.
    pub fn from_env() -> Result<Option<DiscordConfig>, String> {
        let Some(token) = non_empty("DISCORD_TOKEN") else {
            return Ok(None);
        };
        let guild_id = match non_empty("DISCORD_GUILD_ID") {
            Some(raw) => Some(
                raw.parse::<std::num::NonZeroU64>()
                    .map_err(|_| {
                        format!("DISCORD_GUILD_ID must be a server id (digits), not `{raw}`")
                    })?
                    .get(),
            ),
            None => None,
        };
        Ok(Some(DiscordConfig {
            token: Secret::new(token),
            guild_id,
            proxy_url: non_empty("DISCORD_PROXY_URL"),
            drip_every: DRIP_EVERY,
        }))
    }
}

/// How to reach Slack and who administers the bot there.
#[derive(Debug, Clone)]
pub struct SlackConfig {
    /// `SLACK_SIGNING_SECRET`: checks that requests come from Slack.
    pub signing_secret: Secret,
    /// `SLACK_BOT_TOKEN` (`xoxb-…`): posts questions and private messages.
    pub bot_token: Secret,
    /// `SLACK_API_URL`: base URL of Slack's Web API (default `https://slack.com/api/`).
    pub api_url: Option<String>,
    /// `SLACK_ADMIN_USER_IDS`: comma-separated user ids allowed to change schedules and reload the
    /// bank, besides the workspace's admins and owners.
    pub admins: Vec<String>,
    /// `SLACK_APP_TOKEN` (`xapp-…`): Socket Mode, for workspaces with no public URL for the bot.
    pub app_token: Option<Secret>,
}

impl SlackConfig {
    /// Reads the Slack settings; `Ok(None)` when no bot token is set.
    pub fn from_env() -> Result<Option<SlackConfig>, String> {
        let Some(bot_token) = non_empty("SLACK_BOT_TOKEN") else {
            return Ok(None);
        };
        let app_token = non_empty("SLACK_APP_TOKEN").map(Secret::new);
        // Socket Mode requests arrive over the app's own connection, so they need no signing secret.
        let signing_secret =
            match (non_empty("SLACK_SIGNING_SECRET"), &app_token) {
                (Some(secret), _) => secret,
                (None, Some(_)) => String::new(),
                (None, None) => return Err(
                    "SLACK_SIGNING_SECRET must be set with SLACK_BOT_TOKEN (Basic Information → \
                            App Credentials), or SLACK_APP_TOKEN for Socket Mode"
                        .into(),
                ),
            };

        Ok(Some(SlackConfig {
            signing_secret: Secret::new(signing_secret),
            bot_token: Secret::new(bot_token),
            api_url: non_empty("SLACK_API_URL"),
            app_token,
            admins: non_empty("SLACK_ADMIN_USER_IDS")
                .map(|ids| {
                    ids.split(',')
                        .map(|id| id.trim().to_string())
                        .filter(|id| !id.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }))
    }
}

fn non_empty(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_its_value() {
        let secret = Secret::new("very-secret-token");
        assert_eq!(format!("{secret}"), "***");
        assert!(!format!("{secret:?}").contains("very-secret"));
        let config = DiscordConfig {
            token: secret,
            guild_id: None,
            proxy_url: None,
            drip_every: DRIP_EVERY,
        };
        assert!(!format!("{config:?}").contains("very-secret"));
        let slack = SlackConfig {
            signing_secret: Secret::new("very-secret-signing"),
            bot_token: Secret::new("xoxb-very-secret"),
            api_url: None,
            admins: vec![],
            app_token: Some(Secret::new("xapp-very-secret")),
        };
        assert!(!format!("{slack:?}").contains("very-secret"));
    }
}
