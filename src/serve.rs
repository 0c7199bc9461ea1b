//! The HTTP listener every served route goes through: HTTP/1.1 with a header-read timeout (which
//! also drops a connection idle between requests), a timeout on each request (its body included),
//! a limit on open connections, and a graceful stop that lets requests in flight finish for a
//! moment and then closes what is left. A client that sends half a request and stalls is dropped;
//! it can neither hold a task forever nor keep the process from stopping.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::timeout::TimeoutLayer;

/// How long the listener waits for what a client owes it.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From the start of a request (or of idling between requests) to its last header.
    pub header_read: Duration,
    /// From a request's headers to its response, reading its body included (then 408).
    pub request: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// How long requests in flight may finish once the listener stops.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        // Slack's requests are small and must be answered within 3 seconds.
        Limits {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(15),
            max_connections: 512,
            drain: Duration::from_secs(5),
        }
    }
}

/// Serves `router` on `listener` until `shutdown`, then drains for at most `limits.drain`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let router = router.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request,
    ));
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(err) => {
                // Out of file descriptors, say: wait a moment rather than spin.
                tracing::warn!(error = %err, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read)
            .serve_connection(
                TokioIo::new(stream),
                TowerToHyperService::new(router.clone()),
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "an HTTP connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open when the listener stopped were closed");
    }
}
