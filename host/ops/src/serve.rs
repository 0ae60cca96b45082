//! The HTTP edge's own accept loop, bounded, because anyone who can reach the port can
//! hold connections open: `axum::serve` has no header timeout and no connection cap,
//! and 200 half-sent requests once held the process at its open-file limit (the admin
//! socket then failed with "Too many open files").
//!
//! - At most [`MAX_CONNECTIONS`] at once, and [`MAX_PER_PEER`] from one address, so
//!   one client holding connections open cannot keep the page from anyone else; past
//!   the address's cap, a new connection is closed at once.
//! - Past the whole cap, the connection that has waited longest without sending a
//!   whole request head is closed to make room: 200 half-sent requests from 200
//!   addresses otherwise held all 64 slots until the header timeout, and the operator's
//!   browser was turned away for those 10 s (bench figure 14). A connection that has
//!   sent its request is never closed for a newcomer.
//! - A request's headers must arrive within [`HEADER_TIMEOUT`] and fit in
//!   [`MAX_HEADER_BYTES`]; a connection lives at most [`CONNECTION_LIFETIME`].
//! - Only GET and HEAD without a body are served (and, when the API is on, POST with a
//!   small announced body under `/api/v1/`): anything else is answered from its head
//!   and the connection closed, its body never read (see `gate.rs`).
//! - Accept errors (such as the open-file limit) back off, doubling to a second, and
//!   refusals, evictions and errors are logged as one summary line a minute, not one
//!   each.

use std::collections::{BTreeMap, HashMap};
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
/// How long a newcomer waits for the slot of the connection closed for it.
const EVICTION_WAIT: Duration = Duration::from_millis(500);

/// Refusals and errors since the last summary line.
struct Troubles {
    refused: u64,
    evicted: u64,
    errors: u64,
    since: Instant,
}

impl Troubles {
    fn note(&mut self) {
        let now = Instant::now();
        if now.saturating_duration_since(self.since) < SUMMARY_EVERY {
            return;
        }
        if self.refused > 0 || self.evicted > 0 || self.errors > 0 {
            warn!(
                refused = self.refused,
                evicted = self.evicted,
                accept_errors = self.errors,
                cap = MAX_CONNECTIONS,
                "status page: connections refused at a cap, closed before their request \
                 to make room, and accept errors, this minute"
            );
        }
        *self = Self {
            refused: 0,
            evicted: 0,
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

/// Connections that have not yet sent a whole request head, by arrival (the key is a
/// count of connections accepted, so the first is the one waiting longest), each with
/// the token that closes it.
#[derive(Clone, Default)]
struct Unheaded(Arc<Mutex<BTreeMap<u64, CancellationToken>>>);

impl Unheaded {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, CancellationToken>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Connection `seq` has arrived; the token closes it.
    fn arrived(&self, seq: u64) -> CancellationToken {
        let token = CancellationToken::new();
        self.lock().insert(seq, token.clone());
        token
    }

    /// Connection `seq` has sent a request head, or ended.
    fn done(&self, seq: u64) {
        self.lock().remove(&seq);
    }

    /// Closes the connection waiting longest for its request head; false if none is.
    fn evict_oldest(&self) -> bool {
        let oldest = self.lock().pop_first();
        oldest.map(|(_, token)| token.cancel()).is_some()
    }
}

/// Serves `app` on `listener` until `stop`, within the bounds above; `api`: the API's
/// routes take POST bodies (see `gate.rs`).
pub async fn serve(listener: TcpListener, app: Router, api: bool, stop: CancellationToken) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let per_peer = PerPeer::default();
    let unheaded = Unheaded::default();
    let mut accepted_count = 0u64;
    let conns = TaskTracker::new();
    let mut backoff = Duration::from_millis(50);
    let mut troubles = Troubles {
        refused: 0,
        evicted: 0,
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
        if !per_peer.take(peer.ip()) {
            troubles.refused += 1;
            troubles.note();
            drop(stream);
            continue;
        }
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => Some(permit),
            Err(_) if unheaded.evict_oldest() => {
                troubles.evicted += 1;
                tokio::time::timeout(EVICTION_WAIT, permits.clone().acquire_owned())
                    .await
                    .ok()
                    .and_then(Result::ok)
            }
            Err(_) => None,
        };
        let Some(permit) = permit else {
            per_peer.give(peer.ip());
            troubles.refused += 1;
            troubles.note();
            drop(stream);
            continue;
        };
        troubles.note();
        accepted_count += 1;
        let seq = accepted_count;
        let evicted = unheaded.arrived(seq);
        let inner = TowerToHyperService::new(app.clone());
        let headed = unheaded.clone();
        // hyper calls the service once a request's head is in: from then on this
        // connection is never closed to make room. A request the read-only page
        // does not take (a body, a method that writes) is answered from its head
        // alone, and the connection closed after (see `gate.rs`).
        let service = hyper::service::service_fn(move |req: hyper::Request<_>| {
            headed.done(seq);
            let call =
                match super::gate::refusal(req.method(), req.headers(), req.uri().path(), api) {
                    Some(refused) => {
                        debug!(method = %req.method(), "status page: request refused");
                        Err(refused)
                    }
                    None => Ok(hyper::service::Service::call(&inner, req)),
                };
            async move {
                match call {
                    Ok(served) => served.await,
                    Err(refused) => Ok(refused),
                }
            }
        });
        let (stop, per_peer, unheaded) = (stop.clone(), per_peer.clone(), unheaded.clone());
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
                _ = evicted.cancelled() => {}
                _ = stop.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(1), conn).await;
                }
            }
            unheaded.done(seq);
            per_peer.give(peer.ip());
        });
    }
    conns.close();
    let _ = tokio::time::timeout(Duration::from_secs(2), conns.wait()).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use std::net::{Ipv4Addr, SocketAddr};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpSocket, TcpStream};

    async fn connect_from(ip: Ipv4Addr, to: SocketAddr) -> TcpStream {
        let socket = TcpSocket::new_v4().expect("socket");
        socket.bind(SocketAddr::from((ip, 0))).expect("bind");
        socket.connect(to).await.expect("connect")
    }

    /// Whether the server has closed `s`: end of stream or an error within `wait`.
    async fn closed(s: &mut TcpStream, wait: Duration) -> bool {
        let mut buf = [0u8; 64];
        matches!(
            tokio::time::timeout(wait, s.read(&mut buf)).await,
            Ok(Ok(0) | Err(_))
        )
    }

    /// Many addresses each holding one half-sent request fill every slot; a client
    /// from yet another address is still served at once (the half-sent request
    /// waiting longest makes room), and a connection that has sent its request is not
    /// closed for anyone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn half_sent_requests_from_many_addresses_make_room_for_a_whole_one() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = Router::new().route("/", get(|| async { "ok" })).route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(2)).await;
                "slow"
            }),
        );
        let stop = CancellationToken::new();
        let server = tokio::spawn(serve(listener, app, false, stop.clone()));

        // A whole request whose answer takes a while: it holds a slot meanwhile.
        let mut slow = connect_from(Ipv4Addr::new(127, 3, 0, 1), addr).await;
        slow.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .expect("write");
        tokio::time::sleep(Duration::from_millis(100)).await;
        // Half-sent requests from 100 addresses, one each: more than the slots.
        let mut attackers = Vec::new();
        for n in 0..100u8 {
            let mut s = connect_from(Ipv4Addr::new(127, 2, 0, n + 1), addr).await;
            s.write_all(b"GET / HTT").await.expect("write");
            attackers.push(s);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        // Past the cap each newcomer closed the one waiting longest: the newest hold
        // every slot but the slow request's.
        let first_held = 100 - (MAX_CONNECTIONS - 1);
        for (n, s) in attackers.iter_mut().enumerate() {
            let open = !closed(s, Duration::from_millis(20)).await;
            assert_eq!(open, n >= first_held, "attacker {n}");
        }

        let started = Instant::now();
        let mut client = connect_from(Ipv4Addr::new(127, 0, 0, 2), addr).await;
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .expect("write");
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(2), client.read_to_end(&mut answer))
            .await
            .expect("answered within 2 s, not after the header timeout")
            .expect("read");
        assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");
        assert!(started.elapsed() < Duration::from_secs(1));
        // The oldest half-sent request made room for it; the slow request, whose
        // head was in, was never closed for anyone.
        assert!(closed(&mut attackers[first_held], Duration::from_millis(200)).await);
        assert!(!closed(&mut attackers[first_held + 1], Duration::from_millis(20)).await);
        let mut slow_answer = Vec::new();
        let _ = slow.read_to_end(&mut slow_answer).await;
        assert!(
            slow_answer.starts_with(b"HTTP/1.1 200"),
            "the slow request was answered: {slow_answer:?}"
        );
        stop.cancel();
        let _ = server.await;
    }

    /// The bounded server with one page, on a free port.
    async fn page_server() -> (SocketAddr, CancellationToken) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = Router::new().route("/", get(|| async { "the page" }));
        let stop = CancellationToken::new();
        tokio::spawn(serve(listener, app, false, stop.clone()));
        (addr, stop)
    }

    /// Writes `request` as raw bytes and reads until the server closes (within 2 s:
    /// a server waiting for the announced body would not).
    async fn exchange(addr: SocketAddr, request: &[u8]) -> String {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(request).await.expect("write");
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(2), s.read_to_end(&mut answer))
            .await
            .expect("answered and closed without waiting for the body")
            .expect("read");
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_body_or_a_method_that_writes_is_refused_and_the_connection_closed() {
        let (addr, stop) = page_server().await;
        // A huge body announced (and the first bytes of it sent): refused from the
        // head alone, on a connection that asked to be kept alive.
        let mut huge = b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n".to_vec();
        huge.extend_from_slice(&[b'a'; 512]);
        let answer = exchange(addr, &huge).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(
            answer.to_lowercase().contains("connection: close"),
            "{answer}"
        );

        let chunked =
            b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
        let answer = exchange(addr, chunked).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let req = format!("{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            let answer = exchange(addr, req.as_bytes()).await;
            assert!(answer.starts_with("HTTP/1.1 405"), "{method}: {answer}");
            assert!(
                answer.to_lowercase().contains("allow: get, head"),
                "{answer}"
            );
        }

        // The page itself is still served, as GET and HEAD, a small body tolerated.
        let answer = exchange(
            addr,
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("the page"), "{answer}");
        let answer = exchange(
            addr,
            b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let small =
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
        let answer = exchange(addr, small).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        stop.cancel();
    }
}
