//! Figure 13b: mail that finds its reader. A hub BBS and four meshmush peer BBSes (a
//! star: each peer lists the hub) on one software mesh, LongFast. 100 mails are
//! written at the hub for 100 nodes with no player there, each heard by one peer
//! (25 each); each is read at the peer that heard its node, and its read event goes
//! back to the hub. Run twice: **routed** (each peer first sends the hub its heard
//! summary, through its own sync outbox over the mesh, so each mail goes to that peer
//! alone) and **to all** (no summaries: every mail to all four). The airtime is what
//! every link recorded for DMs between the BBSes: summaries, mail, read events and
//! acks. The mesh and the links run at airtime scale 0.01; airtime is radio time.

use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};

use super::figures::{BenchError, Row, row};
use meshmush::app::App;
use meshmush::federation::SyncItem;
use meshmush::store::Mail;
use meshmush::sync_item::HeardNode;
use meshmush_testkit::peers::{bbs_on_node, syncing_with};

const SCALE: f64 = 0.01;
const MAILS: u32 = 100;
const PEERS: usize = 4;
/// The first of the made-up recipients' node numbers.
const FIRST: u32 = 0x7a00_0000;
const SENDER: u32 = 0x4d4d_1009;

async fn bbs(node: &SimNode, peers: &[u32], dir: &std::path::Path) -> Result<App, BenchError> {
    let mut cfg = syncing_with(peers);
    cfg.federation.ack_timeout_secs = 2;
    // The bench writes the summaries itself (made-up nodes), and no mail falls back.
    cfg.federation.heard_every_mins = 0;
    cfg.federation.route_timeout_secs = 30 * 86_400;
    // Airtime is the figure, not the drain time: sync may take the BBS's whole share.
    cfg.federation.airtime_share = 1.0;
    cfg.replies.airtime_share = 1.0;
    Ok(bbs_on_node(node, cfg, dir, scaled).await?)
}

/// The bench's link: airtime counted at [`SCALE`].
fn scaled(
    mut link: meshmush_firmware_bridge::link::LinkConfig,
) -> meshmush_firmware_bridge::link::LinkConfig {
    link.airtime_scale = SCALE;
    link
}

/// The recipient of mail `i`, and the peer (0..PEERS) that heard it.
fn recipient(i: u32) -> (u32, usize) {
    (FIRST + i, i as usize % PEERS)
}

/// A mail of one packet's worth of text for a player.
fn mail(i: u32) -> Mail {
    Mail {
        id: 0,
        to: recipient(i).0,
        from: SENDER,
        from_name: "Alice".into(),
        time: meshmush::commands::unix_now(),
        subject: format!("Ford {i}"),
        text: format!("Meet at the ford at noon on Saturday; bring rope. ({i})"),
        read: false,
        announced: false,
    }
}

/// What one run measured.
struct Run {
    /// Radio airtime of every DM between the BBSes.
    airtime: Duration,
    /// Copies of the mails stored at the peers.
    copies: usize,
    /// Mails whose read event reached the hub (its copy marked read, the sender told).
    receipts: usize,
    /// Read events the hub took (a repeat is not counted).
    read_events: u64,
}

/// Waits up to `limit` (wall) for `done`, polling.
async fn wait_for<F, Fut>(what: &str, limit: Duration, done: F) -> Result<(), BenchError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<bool, BenchError>>,
{
    let started = Instant::now();
    while !done().await? {
        if started.elapsed() > limit {
            return Err(BenchError::Failed(format!("timed out: {what}")));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

async fn run(routed: bool) -> Result<Run, BenchError> {
    let mesh = Mesh::start(SimConfig {
        handsets: PEERS,
        time_scale: SCALE,
        preset: ModemPreset::LongFast,
        region: RegionCode::Us,
        ..SimConfig::default()
    })
    .await
    .map_err(|e| BenchError::Failed(e.to_string()))?;
    let hub_node = mesh.gateway().clone();
    let peer_nodes: Vec<SimNode> = mesh.handsets().to_vec();
    let peer_nums: Vec<u32> = peer_nodes.iter().map(|n| n.num).collect();
    let dirs: Vec<tempfile::TempDir> = (0..=PEERS)
        .map(|_| tempfile::tempdir().map_err(BenchError::io("temp dir")))
        .collect::<Result<_, _>>()?;
    let hub = bbs(&hub_node, &peer_nums, dirs[0].path()).await?;
    let mut peers = Vec::new();
    for (k, node) in peer_nodes.iter().enumerate() {
        peers.push(bbs(node, &[hub_node.num], dirs[k + 1].path()).await?);
    }
    let limit = Duration::from_secs(600);

    if routed {
        for (k, peer) in peers.iter().enumerate() {
            let nodes: Vec<HeardNode> = (0..MAILS)
                .filter(|i| recipient(*i).1 == k)
                .map(|i| HeardNode {
                    node: recipient(i).0,
                    mins_ago: 5 + i % 60,
                })
                .collect();
            peer.store()
                .queue_item(vec![hub_node.num], SyncItem::Heard { nodes })
                .await?;
        }
        wait_for("the heard summaries", limit, || async {
            for i in 0..PEERS as u32 {
                if hub.store().heard_by(recipient(i).0).await?.is_empty() {
                    return Ok(false);
                }
            }
            Ok(true)
        })
        .await?;
    }
    for i in 0..MAILS {
        hub.store().send_mail(mail(i)).await?;
    }
    // Each mail reaches the peer that heard its node; its reader reads it there.
    let mut read = vec![false; MAILS as usize];
    let started = Instant::now();
    while read.iter().any(|r| !r) {
        for i in 0..MAILS {
            let (to, k) = recipient(i);
            if read[i as usize] {
                continue;
            }
            if let Some(m) = peers[k].store().mailbox(to).await?.pop() {
                peers[k]
                    .store()
                    .read_mail(m, format!("Reader {i}"), format!("Peer {k}"), true)
                    .await?;
                read[i as usize] = true;
            }
        }
        if started.elapsed() > limit {
            return Err(BenchError::Failed("not every mail arrived".into()));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let receipts = || async {
        let mut n = 0;
        for i in 0..MAILS {
            let mb = hub.store().mailbox(recipient(i).0).await?;
            n += mb.iter().filter(|m| m.read).count();
        }
        Ok::<_, BenchError>(n)
    };
    wait_for("the receipts", limit, || async {
        Ok(receipts().await? >= MAILS as usize)
    })
    .await?;
    // Everything sent is acked: every outbox empty on both sides.
    wait_for("the outboxes to drain", limit, || async {
        for p in &peer_nums {
            if hub.store().peer_state(*p).await?.queued() > 0 {
                return Ok(false);
            }
        }
        for peer in &peers {
            if peer.store().peer_state(hub_node.num).await?.queued() > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    })
    .await?;
    // The last acks are on their way (a receiver acks a second after its last item).
    tokio::time::sleep(Duration::from_secs(3)).await;

    let mut bbs_nodes = peer_nums.clone();
    bbs_nodes.push(hub_node.num);
    let airtime: Duration = std::iter::once(&hub)
        .chain(peers.iter())
        .flat_map(|app| app.link().metrics().airtime_per_dest)
        .filter(|(dest, _)| bbs_nodes.contains(dest))
        .map(|(_, d)| d)
        .sum::<Duration>()
        .div_f64(SCALE);
    let mut copies = 0;
    for i in 0..MAILS {
        for peer in &peers {
            copies += peer.store().mailbox(recipient(i).0).await?.len();
        }
    }
    let mut read_events = 0;
    for p in &peer_nums {
        read_events += hub.store().peer_state(*p).await?.received;
    }
    if routed {
        // The four summaries were taken as items too.
        read_events = read_events.saturating_sub(PEERS as u64);
    }
    let receipts = receipts().await?;
    hub.shutdown().await?;
    for p in peers {
        p.shutdown().await?;
    }
    mesh.shutdown().await;
    Ok(Run {
        airtime,
        copies,
        receipts,
        read_events,
    })
}

pub(super) async fn routing_rows(rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let routed = run(true).await?;
    let all = run(false).await?;
    let fig = "13b. mail routing LongFast, 100 mails, 4 peers";
    rows.push(row(
        &format!("{fig}: airtime routed (summaries, mail, receipts, acks)"),
        "designed",
        routed.airtime.as_secs_f64(),
        "s",
    ));
    rows.push(row(
        &format!("{fig}: airtime sent to all peers"),
        "designed",
        all.airtime.as_secs_f64(),
        "s",
    ));
    rows.push(row(
        &format!("{fig}: routed / to all (target <= 40)"),
        "designed",
        100.0 * routed.airtime.as_secs_f64() / all.airtime.as_secs_f64().max(f64::MIN_POSITIVE),
        "%",
    ));
    for (name, r) in [("routed", &routed), ("to all", &all)] {
        rows.push(row(
            &format!("{fig}: copies stored at peers, {name}"),
            "designed",
            r.copies as f64,
            "mails",
        ));
        rows.push(row(
            &format!("{fig}: receipts back at the hub, {name}"),
            "designed",
            r.receipts as f64,
            "receipts",
        ));
        rows.push(row(
            &format!("{fig}: read events taken at the hub, {name}"),
            "designed",
            r.read_events as f64,
            "events",
        ));
    }
    if routed.copies != MAILS as usize || routed.receipts != MAILS as usize {
        return Err(BenchError::Failed(format!(
            "routed: {} copies and {} receipts for {MAILS} mails",
            routed.copies, routed.receipts
        )));
    }
    Ok(())
}
