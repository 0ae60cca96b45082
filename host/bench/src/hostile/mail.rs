//! Mail to made-up node ids: [`SENDERS`] players, each a node id of its own (the
//! software mesh's virtual handsets: a DM from any id arrives at the gateway as if
//! heard on the air, PKI like a 2.5 handset's; an id and a key pair cost nothing to
//! make up), send `mail !xxxxxxxx TEXT` to random node ids that never used the BBS,
//! [`PER_SENDER`] each, all at once, through the whole command path (node, link,
//! router, session, the mail command, the store). Every rate limit is lifted
//! (`meshmush_testkit::lift_limits`, as for every load in this bench: per node, for
//! strangers and newcomers, the newcomers' mail per hour); the `[retention]` caps on
//! mail for nodes that never used the BBS stay at their defaults, and they are what is
//! measured.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use super::nodeinfo::dir_bytes;
use crate::figures::BenchError;
use crate::rig::virtual_kit;
use meshmush::config::Config;
use meshmush::store::StoreOptions;
use meshmush_protocol::packets::node_id;
use meshmush_testkit::VirtualHandsets;

/// The first sender's node id.
const SENDER: u32 = 0x5200_0000;
/// Mails each sender tries: the per-sender day's allowance, so only the total bounds.
pub(super) const PER_SENDER: u32 = 10;
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// What the mail attack measured.
#[derive(Debug, Clone, Default)]
pub(super) struct Forged {
    pub senders: u32,
    pub tried: u32,
    /// Replies saying the mail waits for the node.
    pub accepted: u32,
    /// Replies refusing it: the total, the sender's day, anything else, none.
    pub refused_total: u32,
    pub refused_sender: u32,
    pub other: u32,
    pub unanswered: u32,
    /// Mail the store holds for nodes that never used the BBS, and in the random ids'
    /// mailboxes.
    pub stored: u64,
    pub in_mailboxes: u64,
    /// The cap it is held to (`[retention] unheard_mail_total`).
    pub cap: usize,
    /// The data directory, bytes, before and after the attack (flushed).
    pub disk_before: u64,
    pub disk_after: u64,
    pub secs: f64,
}

/// `senders` players each send [`PER_SENDER`] mails to random ids, all at once.
pub(super) async fn forged_mail(senders: u32) -> Result<Forged, BenchError> {
    let cfg = Config::default();
    let cap = cfg.retention.unheard_mail_total;
    let work = tempfile::tempdir().map_err(BenchError::io("a temporary directory"))?;
    let data = work.path().join("data");
    let (kit, players, _) = virtual_kit(cfg, Some(&data), StoreOptions::default(), |link| {
        link.ack_timeout = REPLY_TIMEOUT;
    })
    .await?;
    let kit = Arc::new(kit);
    let players = Arc::new(players);
    let mut targets: HashSet<u32> = HashSet::new();
    let wanted = (senders * PER_SENDER) as usize;
    while targets.len() < wanted {
        // Clear of the senders' ids, the mesh's own and the reserved ones.
        let id = rand::random_range(0x0100_0000..0x4d00_0000u32);
        targets.insert(id);
    }
    let targets: Vec<u32> = targets.into_iter().collect();

    // Every sender is a player first, so the disk's growth below is the mail's.
    let mut tasks = JoinSet::new();
    for s in 0..senders {
        let (kit, players) = (kit.clone(), players.clone());
        tasks.spawn(async move { ask(&kit, &players, SENDER + s, "ping").await });
    }
    while tasks.join_next().await.is_some() {}
    kit.app.store().flush().await?;
    let disk_before = dir_bytes(&data).await;

    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for (s, to) in targets.chunks(PER_SENDER as usize).enumerate() {
        let (kit, players, to) = (kit.clone(), players.clone(), to.to_vec());
        let me = SENDER + s as u32;
        tasks.spawn(async move {
            let mut replies = Vec::new();
            for t in to {
                let line = format!("mail {} Meet me at the market at noon.", node_id(t));
                replies.push(ask(&kit, &players, me, &line).await);
            }
            replies
        });
    }
    let mut out = Forged {
        senders,
        cap,
        disk_before,
        ..Forged::default()
    };
    while let Some(done) = tasks.join_next().await {
        for reply in done? {
            out.tried += 1;
            match reply {
                None => out.unanswered += 1,
                Some(r) if r.contains("waits until that node is next heard") => out.accepted += 1,
                Some(r) if r.contains("Too much mail already waits") => out.refused_total += 1,
                Some(r) if r.contains("the day's limit") => out.refused_sender += 1,
                Some(_) => out.other += 1,
            }
        }
    }
    out.secs = started.elapsed().as_secs_f64();
    let store = kit.app.store().clone();
    out.stored = store.unheard_mail(0, 0).await?.total as u64;
    for &t in &targets {
        out.in_mailboxes += store.mailbox(t).await?.len() as u64;
    }
    drop(players);
    match Arc::try_unwrap(kit) {
        Ok(kit) => kit.stop().await?,
        Err(_) => return Err(BenchError::Failed("the kit is still in use".into())),
    }
    out.disk_after = dir_bytes(&data).await;
    Ok(out)
}

/// `line` from `node`; the first packet of the reply.
async fn ask(
    kit: &meshmush_testkit::Kit,
    players: &VirtualHandsets,
    node: u32,
    line: &str,
) -> Option<String> {
    let mesh = kit.mesh()?;
    players
        .ask_once(mesh, node, line, REPLY_TIMEOUT)
        .await
        .map(|(_, text)| text)
}
