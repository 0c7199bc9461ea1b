//! What the practice tests share: a deck of two topics, chosen instants, and console commands by a
//! player in one channel.
#![allow(dead_code)] // Each test crate uses part of this file.

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use interview_bot::core::command::{Action, Actor, ChannelRef, Command, Platform};
use interview_bot::core::grammar::Grammar;
use interview_bot::engine::Engine;

pub const TWO_TOPICS: &str = "---\nid: test\ntitle: Test deck\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\n\
## What is the N+1 problem?\n\n\
id: n-plus-one | tags: orm | difficulty: easy\n\n\
- one query per row of a list\n\n\
## How does Django protect against CSRF?\n\n\
id: csrf | tags: security | difficulty: medium\n\n\
- a secret token in every form\n\n\
## How are passwords stored?\n\n\
id: passwords | tags: security | difficulty: easy\n\n\
- salted hashes\n";

/// Day `day` after 2026-11-24, at `h`:00 UTC.
pub fn at(day: i64, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0)
        .single()
        .expect("valid instant")
        + Duration::days(day)
}

/// A console command by `user` (an admin at the console); its action is for the caller to set.
pub fn command_of(user: &str) -> Command {
    Command {
        channel: ChannelRef {
            platform: Platform::Console,
            workspace: "local".into(),
            channel: "practice".into(),
        },
        actor: Actor {
            user: user.into(),
            display_name: user.into(),
            is_admin: true,
        },
        action: Action::Help,
    }
}

/// `user` types `text` (a console command line without its slash) at `now`.
pub async fn say(engine: &Engine, user: &str, text: &str, now: DateTime<Utc>) {
    let command = Command {
        action: Grammar::of(Platform::Console)
            .parse(text)
            .expect("parses")
            .expect("an action"),
        ..command_of(user)
    };
    engine.handle(&command, now).await;
}
