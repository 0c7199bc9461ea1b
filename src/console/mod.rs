//! The terminal front door: a channel in your terminal. It reads slash commands from standard input
//! (typed or piped), runs them through the engine, and prints the replies as plain text, marking the
//! private ones. A simulated clock lets anyone try the daily drip in a minute: `/wait 1d`.

pub mod clock;
pub mod input;
pub mod parse;
pub mod render;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tokio::io::{AsyncBufRead, AsyncWrite, AsyncWriteExt};

use crate::core::command::{ChannelRef, Command, Platform};
use crate::engine::{console_actor, Engine};
use input::read_line;
use parse::{parse_line, Line};
use render::render;

/// The workspace every console channel belongs to.
pub const CONSOLE_WORKSPACE: &str = "local";

/// How far the simulated clock moves between two runs of the daily drip while waiting.
const WAIT_STEP_MINUTES: i64 = 5;

pub struct Console {
    engine: Arc<Engine>,
    channel: ChannelRef,
    user: String,
    now: DateTime<Utc>,
    /// Show a prompt (when a person types, not when input is piped).
    interactive: bool,
}

impl Console {
    pub fn new(
        engine: Arc<Engine>,
        channel: &str,
        user: &str,
        now: DateTime<Utc>,
        interactive: bool,
    ) -> Console {
        Console {
            engine,
            channel: ChannelRef {
                platform: Platform::Console,
                workspace: CONSOLE_WORKSPACE.to_string(),
                channel: channel.to_string(),
            },
            user: user.to_string(),
            now,
            interactive,
        }
    }

    /// Reads commands until the input ends or `/quit`.
    pub async fn run(
        mut self,
        mut input: impl AsyncBufRead + Unpin,
        mut output: impl AsyncWrite + Unpin,
    ) -> anyhow::Result<()> {
        write(
            &mut output,
            &format!(
                "interview-bot console: you are {} in #{}. Type /help for commands, /question to start.",
                self.user, self.channel.channel
            ),
        )
        .await?;
        loop {
            if self.interactive {
                output
                    .write_all(format!("{}> ", self.user).as_bytes())
                    .await?;
                output.flush().await?;
            }
            let line = match read_line(&mut input).await? {
                None => break,
                Some(Ok(line)) => line,
                Some(Err(skipped)) => {
                    write(&mut output, &format!("Sorry: {skipped}")).await?;
                    continue;
                }
            };
            if self.interactive {
                // A typed line is already on screen; a piped one is echoed so a transcript reads well.
            } else if !line.trim().is_empty() {
                write(&mut output, &format!("{}> {}", self.user, line.trim())).await?;
            }
            match parse_line(&line) {
                Err(message) => write(&mut output, &format!("Sorry: {message}")).await?,
                Ok(Line::Quit) => break,
                Ok(Line::Nothing) => {}
                Ok(Line::SwitchUser(user)) => {
                    self.user = user;
                    write(&mut output, &format!("You are now {}.", self.user)).await?;
                }
                Ok(Line::ShowClock) => write(&mut output, &self.clock()).await?,
                Ok(Line::Wait(duration)) => self.wait(duration, &mut output).await?,
                Ok(Line::Engine(action)) => {
                    let command = Command {
                        channel: self.channel.clone(),
                        actor: console_actor(&self.user),
                        action,
                    };
                    for reply in self.engine.handle(&command, self.now).await {
                        write(&mut output, &render(&reply)).await?;
                    }
                    self.run_due(&mut output).await?;
                }
            }
        }
        Ok(())
    }

    fn clock(&self) -> String {
        format!(
            "Simulated clock: {}",
            self.now.format("%a %Y-%m-%d %H:%M UTC")
        )
    }

    async fn wait(
        &mut self,
        duration: Duration,
        output: &mut (impl AsyncWrite + Unpin),
    ) -> anyhow::Result<()> {
        let (end, stopped) = clock::wait_until(self.now, duration);
        while self.now < end {
            self.now = self
                .now
                .checked_add_signed(Duration::minutes(WAIT_STEP_MINUTES))
                .map_or(end, |next| next.min(end));
            self.run_due(output).await?;
        }
        if stopped {
            write(
                output,
                &format!(
                    "Sorry: the simulated clock stops at {}.",
                    clock::latest().format("%Y-%m-%d %H:%M UTC")
                ),
            )
            .await?;
        }
        write(output, &self.clock()).await
    }

    async fn run_due(&self, output: &mut (impl AsyncWrite + Unpin)) -> anyhow::Result<()> {
        for reply in self
            .engine
            .run_due_on(self.now, Some(Platform::Console))
            .await?
        {
            // Every console channel shares one screen; show only this channel's posts.
            if reply.channel == self.channel {
                write(output, &render(&reply)).await?;
            }
        }
        // A reminder is a private line, shown whichever channel the player set it in.
        for reminder in self
            .engine
            .reminders_to_send(self.now, Platform::Console)
            .await?
        {
            write(output, &render(&reminder)).await?;
            self.engine.reminder_sent(&reminder, self.now).await?;
        }
        Ok(())
    }
}

async fn write(output: &mut (impl AsyncWrite + Unpin), text: &str) -> anyhow::Result<()> {
    output.write_all(text.as_bytes()).await?;
    output.write_all(b"\n").await?;
    output.flush().await?;
    Ok(())
}
