//! Half-open connections to the status page: [`ATTACKERS`] TCP connections each send
//! half a request line and then nothing, while an ordinary client fetches `/` once a
//! second; after [`HOLD`] the bench counts the attackers' connections the daemon still
//! holds open (a read on our end that has seen no end of stream).
//!
//! The server caps connections per peer address as well as in all (see `meshmush-ops`'
//! `serve.rs`), so the attack is played twice: from one address (127.0.0.1), and from
//! one address per connection (127.1.x.y: the whole of 127/8 is the loopback on Linux),
//! as many machines would. The ordinary client is always at an address of its own,
//! 127.0.0.2, as the operator's browser is not the attacker.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinSet;

use crate::figures::BenchError;
use meshmush::config::Config;
use meshmush_firmware_bridge::sim::SimConfig;
use meshmush_testkit::Kit;

/// Half-open connections.
pub(super) const ATTACKERS: u32 = 200;
/// How long after opening them the bench counts those still open.
pub(super) const HOLD: Duration = Duration::from_secs(35);
/// Between two ordinary fetches.
const FETCH_EVERY: Duration = Duration::from_secs(1);
/// How long an ordinary fetch may take before it counts as unanswered.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Where the ordinary client connects from.
const CLIENT: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// Where the attack comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sources {
    /// Every connection from 127.0.0.1.
    One,
    /// Each connection from an address of its own.
    Many,
}

/// What one attack measured.
#[derive(Debug, Clone, Default)]
pub(super) struct HalfOpen {
    /// Attackers' connections open after [`HOLD`].
    pub still_open: u32,
    /// Closed by the server within a second of connecting (refused at a cap, or
    /// closed to make room), or never connected.
    pub closed_at_once: u32,
    /// The longest the server held one of them, among those it closed.
    pub longest_held: Duration,
    pub fetches: u32,
    pub answered: u32,
    /// The slowest answered fetch.
    pub worst: Duration,
    /// When, after the attack began, each unanswered fetch was started.
    pub unanswered_at: Vec<Duration>,
}

/// A socket bound to `from`, connected to `to`.
async fn connect_from(from: Ipv4Addr, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((from, 0)))?;
    socket.connect(to).await
}

/// The `n`th attacker's address.
fn attacker(sources: Sources, n: u32) -> Ipv4Addr {
    match sources {
        Sources::One => Ipv4Addr::LOCALHOST,
        Sources::Many => Ipv4Addr::new(127, 1, (n / 250) as u8, (n % 250 + 1) as u8),
    }
}

/// One ordinary fetch of `/` from [`CLIENT`]: whether it answered 200, and how long
/// it took.
async fn fetch(addr: SocketAddr) -> (bool, Duration) {
    let started = Instant::now();
    let answer = tokio::time::timeout(FETCH_TIMEOUT, async {
        let mut s = connect_from(CLIENT, addr).await.ok()?;
        let req = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes()).await.ok()?;
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw).await;
        Some(raw.starts_with(b"HTTP/1.1 200"))
    })
    .await;
    (matches!(answer, Ok(Some(true))), started.elapsed())
}

/// Plays the attack from `sources` against a fresh daemon with the status page on.
pub(super) async fn half_open(sources: Sources) -> Result<HalfOpen, BenchError> {
    let mut cfg = Config::default();
    cfg.http.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    let kit = Kit::builder(cfg)
        .sim(SimConfig {
            handsets: 0,
            ..SimConfig::default()
        })
        .start()
        .await?;
    let Some(addr) = kit.app.http_addr() else {
        let _ = kit.stop().await;
        return Err(BenchError::Failed("the status page is not served".into()));
    };
    // The page answers before the attack.
    if !fetch(addr).await.0 {
        let _ = kit.stop().await;
        return Err(BenchError::Failed(format!(
            "{addr} does not serve / to {CLIENT}"
        )));
    }
    let started = Instant::now();
    // Each attacker: connect, half a request line, then only read until the server
    // ends the connection. `Some(held)` once it has; `None` if the connect failed.
    let mut attackers = JoinSet::new();
    for n in 0..ATTACKERS {
        let from = attacker(sources, n);
        attackers.spawn(async move {
            let Ok(mut s) = connect_from(from, addr).await else {
                return None;
            };
            let opened = Instant::now();
            let _ = s.write_all(b"GET / HTT").await;
            let mut buf = [0u8; 1024];
            loop {
                match s.read(&mut buf).await {
                    Ok(0) | Err(_) => return Some(opened.elapsed()),
                    Ok(_) => {}
                }
            }
        });
    }
    // Meanwhile, the ordinary client.
    let mut out = HalfOpen::default();
    let mut tick = tokio::time::interval(FETCH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut fetches = JoinSet::new();
    while started.elapsed() < HOLD {
        tick.tick().await;
        let at = started.elapsed();
        fetches.spawn(async move { (at, fetch(addr).await) });
    }
    while let Some(done) = fetches.join_next().await {
        let (at, (ok, took)) = done?;
        out.fetches += 1;
        if ok {
            out.answered += 1;
            out.worst = out.worst.max(took);
        } else {
            out.unanswered_at.push(at);
        }
    }
    out.unanswered_at.sort_unstable();
    // The attackers' connections: closed (and when), or still open.
    let wait_until = started + HOLD;
    if let Some(left) = wait_until.checked_duration_since(Instant::now()) {
        tokio::time::sleep(left).await;
    }
    let mut closed = 0;
    while let Ok(Some(done)) =
        tokio::time::timeout(Duration::from_millis(200), attackers.join_next()).await
    {
        closed += 1;
        match done? {
            None => out.closed_at_once += 1,
            Some(held) if held < Duration::from_secs(1) => out.closed_at_once += 1,
            Some(held) => out.longest_held = out.longest_held.max(held),
        }
    }
    out.still_open = ATTACKERS - closed;
    attackers.abort_all();
    kit.stop().await?;
    Ok(out)
}
