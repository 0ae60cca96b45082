//! Forged NodeInfos over MQTT: a real broker (Debian's mosquitto, the test kit's
//! helper), a daemon in a process of its own whose only link is the MQTT virtual node,
//! and a forger that is a plain MQTT client (rumqttc, none of the link's code)
//! publishing NodeInfo envelopes from thousands of made-up node ids on the primary
//! channel, half of them asking for an answer (`want_response`), as a gateway uplinks
//! what it hears. A second plain client, subscribed to the whole topic root, counts
//! what the BBS publishes meanwhile.
//!
//! The forger goes as fast as the daemon takes the NodeInfos in (batches of
//! [`BATCH`], each once the daemon's link has read nearly all before it), not faster:
//! the virtual node drops what its reader cannot keep up with, and a dropped forgery
//! costs the daemon nothing, so pacing is the attacker's best case.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rumqttc::{AsyncClient, Event, EventLoop, MqttOptions, Packet, QoS};
use tokio::sync::oneshot;

use super::child::{Daemon, Memory};
use crate::figures::BenchError;
use meshmush::store::{Store, StoreOptions};
use meshmush_protocol::Message;
use meshmush_protocol::crypto::ChannelKey;
use meshmush_protocol::mqtt::{
    Channel, OK_TO_MQTT, PKI_CHANNEL, envelope, open_channel, open_envelope, parse_topic,
    seal_channel, topic,
};
use meshmush_protocol::packets::{BROADCAST, node_id};
use meshmush_protocol::proto::{Data, MeshPacket, PortNum, User, mesh_packet};
use meshmush_testkit::mosquitto::Mosquitto;

const ROOT: &str = "msh/US";
/// The BBS's virtual node.
pub(super) const BBS: u32 = 0xbb5b_0001;
/// The first forged node id; the rest follow it.
const FORGED: u32 = 0x2100_0000;
/// NodeInfos published before the forger looks at how far the daemon got.
const BATCH: u32 = 500;
/// How far behind the daemon's link the forger lets itself run.
const AHEAD: u64 = 1_000;

/// What the flood did.
#[derive(Debug, Clone, Default)]
pub(super) struct Flood {
    pub forged: u32,
    /// Acknowledged by the broker (QoS 1).
    pub published: u64,
    /// NodeInfos the daemon's link read from its virtual node.
    pub taken_in: u64,
    /// Nodes in the link's node database afterwards.
    pub nodes: u64,
    pub secs: f64,
    /// The daemon's memory, idle before the flood and after it.
    pub before: Memory,
    pub after: Memory,
    /// The daemon's data directory, bytes, before (running) and after (stopped).
    pub disk_before: u64,
    pub disk_after: u64,
    /// Keys the daemon pinned for the forged ids.
    pub pinned: u64,
    /// What the BBS published on the broker from the flood's start to its end and a
    /// few seconds after: NodeInfos, channel texts, DMs (PKI), routing, other.
    pub replies: Replies,
    /// Envelopes the listener heard in all (the flood's included).
    pub heard: u64,
}

/// The BBS's publications, by kind.
#[derive(Debug, Default)]
pub(super) struct Counts {
    pub nodeinfo: AtomicU64,
    pub text: AtomicU64,
    pub pki: AtomicU64,
    pub routing: AtomicU64,
    pub other: AtomicU64,
    pub heard: AtomicU64,
}

/// [`Counts`], read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Replies {
    pub nodeinfo: u64,
    pub text: u64,
    pub pki: u64,
    pub routing: u64,
    pub other: u64,
}

impl Replies {
    pub fn total(&self) -> u64 {
        self.nodeinfo + self.text + self.pki + self.routing + self.other
    }
}

fn longfast() -> Channel {
    Channel::new(
        "LongFast",
        ChannelKey::from_base64("AQ==").unwrap_or(ChannelKey::None),
    )
}

/// The forgery for node `FORGED + i`: its topic and envelope, as its own gateway
/// would uplink it.
fn forged(i: u32, channel: &Channel) -> (String, Vec<u8>) {
    let num = FORGED + i;
    let id = node_id(num);
    let user = User {
        id: id.clone(),
        long_name: format!("Forged {i}"),
        short_name: format!("{:04x}", i & 0xffff),
        public_key: rand::random::<[u8; 32]>().to_vec(),
        ..Default::default()
    };
    let packet = MeshPacket {
        from: num,
        to: BROADCAST,
        id: rand::random::<u32>() | 1,
        hop_limit: 3,
        hop_start: 3,
        payload_variant: Some(mesh_packet::PayloadVariant::Decoded(Data {
            portnum: PortNum::NodeinfoApp as i32,
            payload: user.encode_to_vec(),
            want_response: i % 2 == 0,
            bitfield: Some(OK_TO_MQTT),
            ..Default::default()
        })),
        ..Default::default()
    };
    let sealed = seal_channel(packet, channel);
    (
        topic(ROOT, &channel.name, &id),
        envelope(sealed, &channel.name, &id),
    )
}

/// A plain MQTT client on `port`: the handle, and its event loop to be polled.
fn client(id: &str, port: u16) -> (AsyncClient, EventLoop) {
    let mut opts = MqttOptions::new(id, "127.0.0.1", port);
    opts.set_keep_alive(Duration::from_secs(30));
    opts.set_max_packet_size(64 * 1024, 64 * 1024);
    AsyncClient::new(opts, 1_000)
}

/// Polls the forger's event loop, counting the broker's acknowledgements, until the
/// connection ends or the client is dropped.
fn run_forger(mut events: EventLoop, acked: Arc<AtomicU64>, up: oneshot::Sender<()>) {
    tokio::spawn(async move {
        let mut up = Some(up);
        loop {
            match events.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    if let Some(up) = up.take() {
                        let _ = up.send(());
                    }
                }
                Ok(Event::Incoming(Packet::PubAck(_))) => {
                    acked.fetch_add(1, Ordering::Relaxed);
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
}

/// Polls the listener's event loop: every envelope counted, the BBS's by kind (while
/// `counting`), until the connection ends.
fn run_listener(
    mut events: EventLoop,
    counts: Arc<Counts>,
    counting: Arc<AtomicBool>,
    up: oneshot::Sender<()>,
) {
    let channels = [longfast()];
    tokio::spawn(async move {
        let mut up = Some(up);
        loop {
            let p = match events.poll().await {
                Ok(Event::Incoming(Packet::SubAck(_))) => {
                    if let Some(up) = up.take() {
                        let _ = up.send(());
                    }
                    continue;
                }
                Ok(Event::Incoming(Packet::Publish(p))) => p,
                Ok(_) => continue,
                Err(_) => break,
            };
            counts.heard.fetch_add(1, Ordering::Relaxed);
            if !counting.load(Ordering::Relaxed) {
                continue;
            }
            let Ok(env) = open_envelope(&p.payload) else {
                continue;
            };
            let Some(packet) = env.packet.filter(|p| p.from == BBS) else {
                continue;
            };
            let pki = parse_topic(ROOT, &p.topic).is_some_and(|(c, _)| c == PKI_CHANNEL);
            let port =
                open_channel(&packet, &channels).and_then(|(_, open)| match open.payload_variant {
                    Some(mesh_packet::PayloadVariant::Decoded(d)) => Some(d.portnum),
                    _ => None,
                });
            let kind = match port {
                _ if pki => &counts.pki,
                Some(p) if p == PortNum::NodeinfoApp as i32 => &counts.nodeinfo,
                Some(p) if p == PortNum::TextMessageApp as i32 => &counts.text,
                Some(p) if p == PortNum::RoutingApp as i32 => &counts.routing,
                _ => &counts.other,
            };
            kind.fetch_add(1, Ordering::Relaxed);
        }
    });
}

/// Waits for a client's first answer (connected, subscribed).
async fn answered(up: oneshot::Receiver<()>, what: &str) -> Result<(), BenchError> {
    match tokio::time::timeout(Duration::from_secs(10), up).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(BenchError::Failed(format!(
            "{what}: the broker did not answer"
        ))),
    }
}

/// Sum of the sizes of the files under `dir`.
pub(super) async fn dir_bytes(dir: &Path) -> u64 {
    fn walk(dir: &Path) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|e| match e.metadata() {
                Ok(m) if m.is_dir() => walk(&e.path()),
                Ok(m) => m.len(),
                Err(_) => 0,
            })
            .sum()
    }
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || walk(&dir))
        .await
        .unwrap_or(0)
}

/// The daemon's config: one MQTT `[link]`, welcomes on (the most an operator can let
/// a forged NodeInfo draw out of the BBS), everything else the defaults.
fn config(broker: &Mosquitto, data: &Path) -> String {
    format!(
        "data_dir = {data:?}\n\n[link]\nmqtt = \"{addr}\"\nroot = \"{ROOT}\"\nnode = \"{bbs}\"\n\n\
         [bbs]\nwelcome_new_nodes = true\n",
        data = data.display().to_string(),
        addr = broker.addr(),
        bbs = node_id(BBS),
    )
}

/// Floods a fresh daemon on `broker` with `forged_ids` NodeInfos; `None` when no
/// daemon process can be started (not the `meshmush-bench` binary).
pub(super) async fn flood(
    broker: &Mosquitto,
    forged_ids: u32,
    linger: Duration,
) -> Result<Option<Flood>, BenchError> {
    let work = tempfile::tempdir().map_err(BenchError::io("a temporary directory"))?;
    let data = work.path().join("data");
    let config_path = work.path().join("meshmush.toml");
    tokio::fs::write(&config_path, config(broker, &data))
        .await
        .map_err(BenchError::io("writing the daemon's config"))?;
    let Some(mut daemon) = Daemon::start(&config_path, &work.path().join("daemon.log")).await?
    else {
        return Ok(None);
    };

    // The listener, on the whole topic root.
    let counts = Arc::new(Counts::default());
    let counting = Arc::new(AtomicBool::new(false));
    let (listener, events) = client("bench-listener", broker.port);
    let (up_tx, up) = oneshot::channel();
    run_listener(events, counts.clone(), counting.clone(), up_tx);
    listener
        .subscribe(format!("{ROOT}/#"), QoS::AtLeastOnce)
        .await
        .map_err(|e| BenchError::Failed(format!("subscribing the listener: {e}")))?;
    answered(up, "the listener").await?;

    // The forger.
    let acked = Arc::new(AtomicU64::new(0));
    let (forger, events) = client("bench-forger", broker.port);
    let (up_tx, up) = oneshot::channel();
    run_forger(events, acked.clone(), up_tx);
    answered(up, "the forger").await?;

    // The daemon idle, before.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = daemon.memory().await?;
    let disk_before = dir_bytes(&data).await;
    let base = daemon.stats().await?;

    counting.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let channel = longfast();
    let mut sent = 0u32;
    while sent < forged_ids {
        let end = (sent + BATCH).min(forged_ids);
        for i in sent..end {
            let (t, payload) = forged(i, &channel);
            forger
                .publish(t, QoS::AtLeastOnce, false, payload)
                .await
                .map_err(|e| BenchError::Failed(format!("publishing a forgery: {e}")))?;
        }
        sent = end;
        // Let the daemon take in all but the last AHEAD before the next batch.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let s = daemon.stats().await?;
            if s.frames_in.saturating_sub(base.frames_in) + AHEAD >= u64::from(sent) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    // Until the broker has every forgery and the daemon's link reads nothing new.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = daemon.stats().await?;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = daemon.stats().await?;
        if acked.load(Ordering::Relaxed) >= u64::from(forged_ids) && now.frames_in == last.frames_in
        {
            break;
        }
        last = now;
    }
    let secs = started.elapsed().as_secs_f64();
    // What the flood set off (pins written, answers published) has time to finish.
    tokio::time::sleep(linger).await;
    let after = daemon.memory().await?;
    let stats = daemon.stats().await?;
    counting.store(false, Ordering::Relaxed);
    let replies = Replies {
        nodeinfo: counts.nodeinfo.load(Ordering::Relaxed),
        text: counts.text.load(Ordering::Relaxed),
        pki: counts.pki.load(Ordering::Relaxed),
        routing: counts.routing.load(Ordering::Relaxed),
        other: counts.other.load(Ordering::Relaxed),
    };
    let _ = forger.disconnect().await;
    let _ = listener.disconnect().await;
    daemon.stop().await?;
    let disk_after = dir_bytes(&data).await;

    // The keys it pinned, read from its store now that it is closed.
    let store = Store::open(&data, StoreOptions::default()).await?;
    let mut pinned = 0;
    for i in 0..forged_ids {
        if store.pin(FORGED + i).await?.is_some() {
            pinned += 1;
        }
    }
    store.close().await?;

    Ok(Some(Flood {
        forged: forged_ids,
        published: acked.load(Ordering::Relaxed),
        taken_in: stats.frames_in.saturating_sub(base.frames_in),
        nodes: stats.nodes,
        secs,
        before,
        after,
        disk_before,
        disk_after,
        pinned,
        replies,
        heard: counts.heard.load(Ordering::Relaxed),
    }))
}
