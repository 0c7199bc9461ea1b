//! The HTTP listener under clients that misbehave: half a request then silence, a body that never
//! finishes, more connections than it serves at once, and a stop while a client stalls.

use std::time::{Duration, Instant};

use axum::routing::{get, post};
use axum::Router;
use interview_bot::serve::{serve, Limits};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const SHORT: Limits = Limits {
    header_read: Duration::from_millis(300),
    request: Duration::from_millis(300),
    max_connections: 4,
    drain: Duration::from_millis(500),
};

struct Served {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    stopped: tokio::task::JoinHandle<()>,
}

async fn start(limits: Limits) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    let router = Router::new()
        .route("/", get(|| async { "hello" }))
        .route("/echo", post(|body: String| async move { body }));
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let stopped = tokio::spawn(serve(listener, router, limits, async {
        let _ = stop_rx.await;
    }));
    Served {
        addr,
        stop: Some(stop),
        stopped,
    }
}

/// Reads until the server closes the connection (or 5 s pass); returns what it sent.
async fn read_to_close(stream: &mut TcpStream) -> Result<String, &'static str> {
    let mut received = Vec::new();
    match tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut received)).await {
        Ok(_) => Ok(String::from_utf8_lossy(&received).into_owned()),
        Err(_) => Err("the server kept the connection open"),
    }
}

#[tokio::test]
async fn a_client_that_sends_half_a_request_and_stalls_is_dropped() {
    let served = start(SHORT).await;
    let mut stream = TcpStream::connect(served.addr).await.expect("connects");
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nHost: bot\r\nContent-Le")
        .await
        .expect("writes");
    let started = Instant::now();
    read_to_close(&mut stream).await.expect("dropped");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_client_that_connects_and_says_nothing_is_dropped() {
    let served = start(SHORT).await;
    let mut stream = TcpStream::connect(served.addr).await.expect("connects");
    read_to_close(&mut stream).await.expect("dropped");
}

#[tokio::test]
async fn a_request_whose_body_never_finishes_gets_408() {
    let served = start(SHORT).await;
    let mut stream = TcpStream::connect(served.addr).await.expect("connects");
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nHost: bot\r\nContent-Length: 100\r\n\r\nonly ten b")
        .await
        .expect("writes");
    let answer = read_to_close(&mut stream).await.expect("answered");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_until_one_closes() {
    let limits = Limits {
        max_connections: 1,
        header_read: Duration::from_secs(5),
        ..SHORT
    };
    let served = start(limits).await;
    let first = TcpStream::connect(served.addr).await.expect("connects");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut second = TcpStream::connect(served.addr).await.expect("connects");
    second
        .write_all(b"GET / HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n")
        .await
        .expect("writes");
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(400), second.read(&mut byte)).await;
    assert!(early.is_err(), "served while the only slot was taken");
    drop(first);
    let answer = read_to_close(&mut second).await.expect("answered");
    assert!(answer.ends_with("hello"), "{answer:?}");
}

#[tokio::test]
async fn the_listener_stops_within_its_drain_time_while_a_client_stalls() {
    let limits = Limits {
        header_read: Duration::from_secs(60),
        request: Duration::from_secs(60),
        ..SHORT
    };
    let mut served = start(limits).await;
    let mut stalled = TcpStream::connect(served.addr).await.expect("connects");
    stalled
        .write_all(b"POST /echo HTTP/1.1\r\nHost: bot\r\nContent-Length: 100\r\n\r\nhalf")
        .await
        .expect("writes");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let _ = served.stop.take().map(|stop| stop.send(()));
    tokio::time::timeout(Duration::from_secs(3), &mut served.stopped)
        .await
        .expect("the listener stopped")
        .expect("cleanly");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
