//! Typed settings from the environment. Tokens and secrets are wrapped in [`Secret`], whose `Debug`
//! and `Display` print a placeholder, so they never reach a log line or an error message.

use std::fmt;

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
    /// How often the daily drip runs, in seconds.
    pub drip_every_secs: u64,
}

impl DiscordConfig {
    /// Reads the Discord settings; `Ok(None)` when no token is set.
    pub fn from_env() -> Result<Option<DiscordConfig>, String> {
        let Some(token) = non_empty("DISCORD_TOKEN") else {
            return Ok(None);
        };
        let guild_id = match non_empty("DISCORD_GUILD_ID") {
            Some(raw) => Some(raw.parse::<u64>().map_err(|_| {
                format!("DISCORD_GUILD_ID must be a server id (digits), not `{raw}`")
            })?),
            None => None,
        };
        Ok(Some(DiscordConfig {
            token: Secret::new(token),
            guild_id,
            proxy_url: non_empty("DISCORD_PROXY_URL"),
            drip_every_secs: 30,
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
            drip_every_secs: 30,
        };
        assert!(!format!("{config:?}").contains("very-secret"));
    }
}
