//! How far each node is, and the hop limit of what the BBS sends it.
//!
//! No Meshtastic BBS sizes its replies to the sender's distance: TC2 sends at the
//! node's default of 3. The firmware does for its own replies (RoutingModule.cpp:62-78,
//! see `meshmush_protocol::hops`), but at the default limit of 3 that rule trims only
//! replies to direct neighbours. The learned rule goes further:
//! - a node first heard h hops away gets its DMs at h + 1 (the way back may differ);
//! - a DM at that limit that is not delivered (the node's retries spent, or no ack in
//!   time) goes again at once at the configured limit (the link does that), and the
//!   node's limit goes up by one;
//! - after [`LOWER_AFTER`] deliveries in a row at its limit, it comes down by one, but
//!   never below the latest request's hops + 1;
//! - a request from farther than the limit allows back raises it to hops + 1 at once.
//!
//! Most of the saving is on packets that flood: first contact, the fallback after
//! failures, and notices. Once the node has a next hop for a destination, its
//! next-hop routing already keeps relays down.
//!
//! What the BBS learns is kept per node in the store (so a restart keeps it). The live
//! copy is here, bounded by [`NODES_KEPT`]; one writer task writes the nodes that
//! changed every [`WRITE_EVERY`] while they change, each once, in one batch, not
//! synced on its own. A hint relearned from the next packet is not worth a write
//! (let alone a disk sync) per packet heard and acked: that cost the 1,000-player
//! `look` figure much of its throughput. The daemon runs the writer among its tasks,
//! so the store closes (and flushes) only after its last write. Nothing here awaits
//! storage, so the router may call it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use meshmush_protocol::hops::{ReplyHops, firmware_reply_hops};
use meshmush_protocol::packets::{BROADCAST, MAX_HOP_LIMIT, TextMessage};
use meshmush_protocol::proto::routing;
use meshmush_store::{NodeReach, Store};
use tokio::sync::mpsc;
use tracing::{debug, warn};

use crate::config::HopRule;

/// Deliveries in a row at a node's limit before it is tried one lower.
pub const LOWER_AFTER: u8 = 4;
/// Nodes whose reach is kept; past it the one heard longest ago is forgotten.
pub const NODES_KEPT: usize = 4096;
/// How long the writer gathers changes before it writes them: a node heard and
/// answered many times in that while is written once.
pub const WRITE_EVERY: Duration = Duration::from_secs(2);

/// The live copy, and which nodes changed since the writer last wrote.
#[derive(Debug, Default)]
struct Known {
    nodes: HashMap<u32, NodeReach>,
    /// Nodes changed or forgotten since the last write (kept only when saved).
    dirty: HashSet<u32>,
}

/// The reach of every node heard; cheap to clone.
#[derive(Clone, Debug)]
pub struct Reach {
    known: Arc<Mutex<Known>>,
    /// Wakes the writer (`None`: nothing is kept on disk). Full means it is awake.
    wake: Option<mpsc::Sender<()>>,
    rule: HopRule,
    cfg: u32,
}

impl Reach {
    /// Reach by `rule` at configured hop limit `cfg`, kept in `store` (what it holds
    /// already is read first), and the writer that keeps it there: the caller runs it
    /// among its tasks. It ends (letting go of the store) once every clone of the
    /// reach is dropped.
    pub async fn load(
        store: Store,
        rule: HopRule,
        cfg: u32,
    ) -> (Self, impl std::future::Future<Output = ()> + Send + 'static) {
        let known = match store.reach_all().await {
            Ok(all) => all,
            Err(e) => {
                warn!(error = %e, "cannot read what the BBS knew of nodes' distances; starting afresh");
                Vec::new()
            }
        };
        let reach = Self::unsaved(rule, cfg);
        if let Ok(mut k) = reach.known.lock() {
            k.nodes
                .extend(known.into_iter().take(NODES_KEPT).map(|r| (r.node, r)));
        }
        let (tx, rx) = mpsc::channel(1);
        let writer = write_loop(store, reach.known.clone(), rx);
        let reach = Self {
            wake: Some(tx),
            ..reach
        };
        (reach, writer)
    }

    /// Reach that keeps nothing on disk (tests of commands, the bench's seams).
    pub fn unsaved(rule: HopRule, cfg: u32) -> Self {
        Self {
            known: Arc::default(),
            wake: None,
            rule,
            cfg: cfg.min(MAX_HOP_LIMIT),
        }
    }

    /// The rule in force.
    pub fn rule(&self) -> HopRule {
        self.rule
    }

    /// What the BBS knows of `node`.
    pub fn get(&self, node: u32) -> Option<NodeReach> {
        self.known.lock().ok()?.nodes.get(&node).cloned()
    }

    /// The hop limit (and want_ack) of a DM to `node` now.
    pub fn hops_for(&self, node: u32) -> ReplyHops {
        let known = self.get(node);
        match self.rule {
            HopRule::Fixed(n) => ReplyHops::at(n),
            HopRule::Firmware => known.map_or(ReplyHops::at(self.cfg), |r| {
                firmware_reply_hops(r.hops.map(u32::from), r.hop_start.into(), self.cfg)
            }),
            HopRule::Learned => match known {
                Some(r) if r.limit > 0 => ReplyHops::at(r.limit.into()),
                _ => ReplyHops::at(self.cfg),
            },
        }
    }

    /// A text from `t.from` reached the BBS.
    pub fn heard(&self, t: &TextMessage) {
        let learned = self.rule == HopRule::Learned;
        self.change(t.from, true, |r| {
            r.last_heard = now_secs();
            r.snr = t.rx_snr;
            r.hop_start = t.hop_start.min(u32::from(u8::MAX)) as u8;
            r.hops = t.hops.map(|h| h.min(u32::from(u8::MAX)) as u8);
            if learned && let Some(h) = r.hops {
                heard_at(r, h);
            }
        });
    }

    /// What became of a packet to `dest` sent at `hop_limit`.
    pub fn outcome(&self, dest: u32, hop_limit: u32, result: Result<(), routing::Error>) {
        if dest == BROADCAST {
            return;
        }
        let learned = self.rule == HopRule::Learned;
        let cfg = self.cfg;
        self.change(dest, false, |r| match result {
            Ok(()) => {
                r.delivered += 1;
                if hop_limit > 0 {
                    r.last_acked = now_secs();
                }
                if learned {
                    delivered_at(r, hop_limit);
                }
            }
            Err(routing::Error::MaxRetransmit | routing::Error::Timeout) => {
                r.missed += 1;
                if learned {
                    missed_at(r, hop_limit, cfg);
                }
            }
            Err(_) => {}
        });
    }

    /// Applies `f` to `node`'s record (made if `create`) and has it written.
    fn change(&self, node: u32, create: bool, f: impl FnOnce(&mut NodeReach)) {
        let Ok(mut guard) = self.known.lock() else {
            return;
        };
        let k = &mut *guard;
        // The writer is woken by the first change since its last write only: it
        // gathers the rest while it waits. A wake per packet heard and acked was a
        // task switch each for nothing.
        let first_change = k.dirty.is_empty();
        if !k.nodes.contains_key(&node) {
            if !create {
                return;
            }
            if k.nodes.len() >= NODES_KEPT
                && let Some(oldest) = k
                    .nodes
                    .values()
                    .min_by_key(|r| r.last_heard)
                    .map(|r| r.node)
            {
                k.nodes.remove(&oldest);
                if self.wake.is_some() {
                    k.dirty.insert(oldest);
                }
            }
        }
        let r = k.nodes.entry(node).or_insert_with(|| NodeReach {
            node,
            ..NodeReach::default()
        });
        f(r);
        if let Some(wake) = &self.wake {
            k.dirty.insert(node);
            drop(guard);
            if first_change {
                // Full: the writer is already awake and will take this change too.
                let _ = wake.try_send(());
            }
        }
    }
}

/// A request came `h` hops: start at h + 1, or rise to it when that is higher.
fn heard_at(r: &mut NodeReach, h: u8) {
    let start = h.saturating_add(1).min(MAX_HOP_LIMIT as u8);
    if r.limit == 0 || start > r.limit {
        r.limit = start;
        r.streak = 0;
    }
}

/// Delivered at `hop_limit`: at the node's own limit, one more in a row; enough in a
/// row, and the limit comes down by one (not below the latest hops + 1).
fn delivered_at(r: &mut NodeReach, hop_limit: u32) {
    if r.limit == 0 || hop_limit != u32::from(r.limit) {
        return;
    }
    r.streak = r.streak.saturating_add(1);
    let floor = r.hops.map_or(1, |h| h.saturating_add(1)).max(1);
    if r.streak >= LOWER_AFTER && r.limit > floor {
        r.limit -= 1;
        r.streak = 0;
    }
}

/// Not delivered at `hop_limit`, below the configured `cfg`: the limit was too low.
fn missed_at(r: &mut NodeReach, hop_limit: u32, cfg: u32) {
    if hop_limit >= cfg || r.limit == 0 || hop_limit < u32::from(r.limit) {
        return;
    }
    r.limit = (hop_limit + 1).min(cfg) as u8;
    r.streak = 0;
}

/// Writes what changed, [`WRITE_EVERY`] after the first change since the last
/// write: each changed node's record as it is then (or its removal), in one batch.
/// Ends, after writing what is left, once every clone of the reach is gone.
async fn write_loop(store: Store, known: Arc<Mutex<Known>>, mut wake: mpsc::Receiver<()>) {
    loop {
        let mut more = wake.recv().await.is_some();
        if more {
            // Gathers changes for a while, but a daemon that stops meanwhile gets its
            // last changes written at once.
            let gathered = tokio::time::sleep(WRITE_EVERY);
            tokio::pin!(gathered);
            loop {
                tokio::select! {
                    () = &mut gathered => break,
                    woken = wake.recv() => if woken.is_none() {
                        more = false;
                        break;
                    },
                }
            }
        }
        let changes: Vec<(u32, Option<NodeReach>)> = match known.lock() {
            Ok(mut k) => {
                let dirty = std::mem::take(&mut k.dirty);
                dirty
                    .into_iter()
                    .map(|n| (n, k.nodes.get(&n).cloned()))
                    .collect()
            }
            Err(_) => Vec::new(),
        };
        if !changes.is_empty() {
            debug!(nodes = changes.len(), "keeping nodes' reach");
            if let Err(e) = store.keep_reach(changes).await {
                warn!(error = %e, "cannot keep nodes' reach");
            }
        }
        if !more {
            return;
        }
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(from: u32, hops: Option<u32>) -> TextMessage {
        TextMessage {
            from,
            to: 1,
            channel: 0,
            id: 1,
            text: "look".into(),
            rx_time: 0,
            rx_snr: Some(-7.5),
            rx_rssi: None,
            hops,
            hop_start: 3,
            pki_encrypted: true,
            public_key: None,
            signature: None,
            want_ack: true,
            reply_id: None,
            emoji: false,
        }
    }

    const N: u32 = 0x1234_0001;

    #[tokio::test]
    async fn what_is_learned_reaches_the_store_while_running_and_the_rest_at_the_end() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path(), meshmush_store::StoreOptions::default())
            .await
            .expect("store opens");
        let (r, writer) = Reach::load(store.clone(), HopRule::Learned, 3).await;
        let writer = tokio::spawn(writer);
        for _ in 0..100 {
            r.heard(&text(N, Some(1)));
            r.outcome(N, 2, Ok(()));
        }
        // Written while the daemon runs, as it was after the last of those changes.
        let mut kept = Vec::new();
        for _ in 0..100 {
            kept = store.reach_all().await.expect("reads");
            if !kept.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(
            (kept[0].delivered, kept[0].limit, kept[0].hops),
            (100, 2, Some(1))
        );
        // A change just before the daemon stops is written as the last clone goes.
        r.heard(&text(N + 1, Some(0)));
        drop(r);
        writer.await.expect("the writer ends");
        let kept = store.reach_all().await.expect("reads");
        assert_eq!(kept.iter().map(|k| k.node).collect::<Vec<_>>(), [N, N + 1]);
    }

    #[test]
    fn the_learned_rule_starts_at_hops_plus_one_rises_on_a_miss_and_comes_down_after_deliveries() {
        let r = Reach::unsaved(HopRule::Learned, 3);
        assert_eq!(
            r.hops_for(N).hop_limit,
            3,
            "never heard: the configured limit"
        );
        r.heard(&text(N, Some(0)));
        assert_eq!(r.hops_for(N).hop_limit, 1);
        // Not delivered at 1: the link sends again at 3; the next goes at 2.
        r.outcome(N, 1, Err(routing::Error::MaxRetransmit));
        r.outcome(N, 3, Ok(()));
        assert_eq!(r.hops_for(N).hop_limit, 2);
        // Delivered at 2, LOWER_AFTER times: tried at 1 again.
        for _ in 0..LOWER_AFTER {
            r.outcome(N, 2, Ok(()));
        }
        assert_eq!(r.hops_for(N).hop_limit, 1);
        // Deliveries at the floor keep it there.
        for _ in 0..10 {
            r.outcome(N, 1, Ok(()));
        }
        assert_eq!(r.hops_for(N).hop_limit, 1);
        // A request from farther away raises it at once.
        r.heard(&text(N, Some(2)));
        assert_eq!(r.hops_for(N).hop_limit, 3);
        // A queue refusal says nothing about hops.
        r.outcome(N, 3, Err(routing::Error::NoInterface));
        let kept = r.get(N).expect("kept");
        assert_eq!(
            (kept.delivered, kept.missed, kept.snr, kept.hops),
            (15, 1, Some(-7.5), Some(2))
        );
    }

    #[test]
    fn the_other_rules_follow_their_definitions() {
        let fixed = Reach::unsaved(HopRule::Fixed(3), 3);
        fixed.heard(&text(N, Some(0)));
        assert_eq!(fixed.hops_for(N), ReplyHops::at(3));
        let fw = Reach::unsaved(HopRule::Firmware, 7);
        assert_eq!(fw.hops_for(N).hop_limit, 7);
        fw.heard(&text(N, Some(1)));
        assert_eq!(fw.hops_for(N).hop_limit, 3, "h + 2 below cfg 7");
        fw.outcome(N, 3, Err(routing::Error::MaxRetransmit));
        assert_eq!(
            fw.hops_for(N).hop_limit,
            3,
            "the firmware's rule learns nothing"
        );
    }

    #[test]
    fn unknown_hops_send_at_the_configured_limit() {
        let r = Reach::unsaved(HopRule::Learned, 4);
        r.heard(&text(N, None));
        assert_eq!(r.hops_for(N).hop_limit, 4);
    }
}
