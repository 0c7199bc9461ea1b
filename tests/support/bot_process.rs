//! The real `interview-bot` binary as a child process, for tests that signal or kill it: started with
//! a chosen environment and database in a temporary folder, serving the repository's decks.
#![allow(dead_code)] // Each test crate uses part of this file.

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

/// Starts `interview-bot run` with `env` (and no platform settings from the caller's environment),
/// its database at `db`.
pub fn start_bot(db: &Path, env: &[(&str, String)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_interview-bot"));
    command
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for name in [
        "DISCORD_TOKEN",
        "DISCORD_GUILD_ID",
        "DISCORD_PROXY_URL",
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_API_URL",
        "LISTEN_ADDR",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.spawn().expect("the bot starts")
}

/// Sends `signal` (`TERM`, `INT`, `KILL`) to the child.
pub fn signal(child: &Child, signal: &str) {
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -{signal} failed");
}

/// Waits up to `limit` for the child to exit.
pub fn wait_for_exit(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().expect("the child can be waited on") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// Waits until something accepts connections on `addr` (up to 60 s: a debug build starts slowly on
/// a busy machine).
pub async fn wait_for_listener(addr: std::net::SocketAddr) {
    let started = Instant::now();
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "nothing listens on {addr}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Everything the child wrote on stderr (after it exited).
pub fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
    }
    text
}
