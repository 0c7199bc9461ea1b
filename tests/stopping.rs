//! Stopping the real binary as Docker, systemd and a terminal do: SIGTERM and SIGINT stop the bot,
//! even with a client stalled halfway through a request, and it exits 0 within 10 seconds.

#[path = "support/bot_process.rs"]
mod bot_process;

use std::time::{Duration, Instant};

use bot_process::{free_port, signal, start_bot, stderr_of, wait_for_exit, wait_for_listener};
use tokio::io::AsyncWriteExt as _;

/// A Slack bot in HTTP mode (its Web API unreachable: nothing is due, so nothing is posted), with a
/// client that sent headers and half a body and then went silent; then `sig`.
async fn stop_with(sig: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("an address");
    let mut bot = start_bot(
        &dir.path().join("bot.db"),
        &[
            ("SLACK_BOT_TOKEN", "xoxb-test".into()),
            ("SLACK_SIGNING_SECRET", "secret".into()),
            ("SLACK_API_URL", "http://127.0.0.1:9/api/".into()),
            ("LISTEN_ADDR", addr.to_string()),
        ],
    );
    wait_for_listener(addr).await;
    let mut stalled = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    stalled
        .write_all(
            b"POST /slack/commands HTTP/1.1\r\nHost: bot\r\nContent-Length: 500\r\n\r\nteam_id=T",
        )
        .await
        .expect("writes");
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    signal(&bot, sig);
    let status = wait_for_exit(&mut bot, Duration::from_secs(10));
    let stderr = stderr_of(&mut bot);
    let Some(status) = status else {
        let _ = bot.kill();
        panic!("still running 10 s after SIG{sig}: {stderr}");
    };
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.contains("Stopped."), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn sigterm_stops_the_bot_with_a_stalled_client_and_it_exits_0_within_10_seconds() {
    stop_with("TERM").await;
}

#[tokio::test]
async fn sigint_stops_the_bot_as_ctrl_c_does() {
    stop_with("INT").await;
}
