//! The HTTP edge's own accept loop, bounded, because anyone who can reach the port can
//! hold connections open: `axum::serve` has no header timeout and no connection cap,
//! and 200 half-sent requests once held the process at its open-file limit (the admin
//! socket then failed with "Too many open files").
//!
//! - At most [`MAX_CONNECTIONS`] at once, and [`MAX_PER_PEER`] from one address, so
//!   one client holding connections open cannot keep the page from anyone else; past
//!   either, a new connection is closed at once.
//! - A request's headers must arrive within [`HEADER_TIMEOUT`] and fit in
//!   [`MAX_HEADER_BYTES`]; a connection lives at most [`CONNECTION_LIFETIME`].
//! - Accept errors (such as the open-file limit) back off, doubling to a second, and
//!   refusals and errors are logged as one summary line a minute, not one each.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, warn};

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 64;
/// Connections served at once to one address.
pub const MAX_PER_PEER: usize = 8;
/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest one connection is kept (the page refreshes itself every 30 s).
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);
/// Buffer for a request's headers (hyper's least is 8 KiB).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
const SUMMARY_EVERY: Duration = Duration::from_secs(60);

/// Refusals and errors since the last summary line.
struct Troubles {
    refused: u64,
    errors: u64,
    since: Instant,
}

impl Troubles {
    fn note(&mut self) {
        let now = Instant::now();
        if now.saturating_duration_since(self.since) < SUMMARY_EVERY {
            return;
        }
        if self.refused > 0 || self.errors > 0 {
            warn!(
                refused = self.refused,
                accept_errors = self.errors,
                cap = MAX_CONNECTIONS,
                "status page: connections refused at the cap, and accept errors, this minute"
            );
        }
        *self = Self {
            refused: 0,
            errors: 0,
            since: now,
        };
    }
}

/// Connections open per peer address (entries go when their count does).
#[derive(Clone, Default)]
struct PerPeer(Arc<Mutex<HashMap<IpAddr, usize>>>);

impl PerPeer {
    fn take(&self, ip: IpAddr) -> bool {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = m.entry(ip).or_default();
        if *n >= MAX_PER_PEER {
            return false;
        }
        *n += 1;
        true
    }

    fn give(&self, ip: IpAddr) {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = m.get_mut(&ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `stop`, within the bounds above.
pub async fn serve(listener: TcpListener, app: Router, stop: CancellationToken) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let per_peer = PerPeer::default();
    let conns = TaskTracker::new();
    let mut backoff = Duration::from_millis(50);
    let mut troubles = Troubles {
        refused: 0,
        errors: 0,
        since: Instant::now(),
    };
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.cancelled() => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => {
                backoff = Duration::from_millis(50);
                accepted
            }
            Err(e) => {
                troubles.errors += 1;
                debug!(error = %e, "status page: accept failed");
                troubles.note();
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = stop.cancelled() => break,
                }
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        let permit = permits.clone().try_acquire_owned();
        let Ok(permit) = permit
            .map_err(drop)
            .and_then(|p| per_peer.take(peer.ip()).then_some(p).ok_or(()))
        else {
            troubles.refused += 1;
            troubles.note();
            drop(stream);
            continue;
        };
        troubles.note();
        let service = TowerToHyperService::new(app.clone());
        let (stop, per_peer) = (stop.clone(), per_peer.clone());
        conns.spawn(async move {
            let _permit = permit;
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEADER_BYTES);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = tokio::time::sleep(CONNECTION_LIFETIME) => {}
                _ = stop.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(1), conn).await;
                }
            }
            per_peer.give(peer.ip());
        });
    }
    conns.close();
    let _ = tokio::time::timeout(Duration::from_secs(2), conns.wait()).await;
}
