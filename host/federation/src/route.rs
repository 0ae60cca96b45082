//! Mail that finds its reader, the task's half (the store's half, which picks the
//! peer and keeps the routes, is `meshmush_store`'s `routing.rs`):
//!
//! - [`summary`]: the nodes this BBS heard in the last 24 h, most recent first, as
//!   sent to every meshmush peer (a `SyncItem::Heard`);
//! - [`Pending`]: the mails sent to one peer alone, each with the instant it goes to
//!   every peer unless that peer acks it first.

use std::collections::HashMap;
use std::time::Duration;

use meshmush_firmware_bridge::link::NodeEntry;
use meshmush_store::sync_item::HeardNode;
use meshmush_store::{HEARD_MAX, HEARD_WITHIN_SECS, Route};
use tokio::time::Instant;

/// The nodes of `nodes` heard within [`HEARD_WITHIN_SECS`] of `now` (Unix seconds),
/// most recent first, at most [`HEARD_MAX`], leaving out `skip` (this BBS and its
/// peers). `last_heard` is the radio's own record: "the last time we received a
/// packet from this node" (meshtastic/protobufs, `meshtastic/mesh.proto`, message
/// `NodeInfo`, field 5 `last_heard`).
pub fn summary(nodes: &[NodeEntry], now: u64, skip: &[u32]) -> Vec<HeardNode> {
    let mut heard: Vec<(u64, u32)> = nodes
        .iter()
        .map(|n| (u64::from(n.last_heard), n.num))
        .filter(|(at, num)| {
            *at != 0 && now.saturating_sub(*at) <= HEARD_WITHIN_SECS && !skip.contains(num)
        })
        .collect();
    heard.sort_unstable_by(|a, b| b.cmp(a));
    heard
        .into_iter()
        .take(HEARD_MAX)
        .map(|(at, node)| HeardNode {
            node,
            mins_ago: u32::try_from(now.saturating_sub(at) / 60).unwrap_or(u32::MAX),
        })
        .collect()
}

/// Mails routed to one peer, waiting for its ack.
#[derive(Debug)]
pub struct Pending {
    timeout: Duration,
    /// By mail unique id: the peer, the mail's sequence number there, and when it
    /// goes to every peer.
    waiting: HashMap<String, (u32, u64, Instant)>,
}

impl Pending {
    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            waiting: HashMap::new(),
        }
    }

    /// Starts the clock, at `now`, for each of `routes` (the store's) not yet
    /// tracked, and forgets any tracked one the store no longer holds.
    pub fn track(&mut self, routes: &[Route], now: Instant) {
        self.waiting
            .retain(|uid, _| routes.iter().any(|r| &r.uid == uid));
        for r in routes {
            self.waiting
                .entry(r.uid.clone())
                .or_insert((r.peer, r.seq, now + self.timeout));
        }
    }

    /// Whether some mail routed to `peer` is at or below `upto` (its ack confirms it).
    pub fn confirms(&self, peer: u32, upto: u64) -> bool {
        self.waiting
            .values()
            .any(|(p, seq, _)| *p == peer && *seq <= upto)
    }

    /// Forgets the mails `uids` names (confirmed).
    pub fn confirmed(&mut self, uids: &[String]) {
        for u in uids {
            self.waiting.remove(u);
        }
    }

    /// The mails whose time ran out by `now`, forgotten here.
    pub fn due(&mut self, now: Instant) -> Vec<String> {
        let due: Vec<String> = self
            .waiting
            .iter()
            .filter(|(_, w)| w.2 <= now)
            .map(|(u, _)| u.clone())
            .collect();
        self.confirmed(&due);
        due
    }

    /// When the next mail's time runs out.
    pub fn next(&self) -> Option<Instant> {
        self.waiting.values().map(|w| w.2).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(num: u32, last_heard: u32) -> NodeEntry {
        NodeEntry {
            num,
            long_name: String::new(),
            short_name: String::new(),
            has_public_key: false,
            public_key: None,
            last_heard,
        }
    }

    #[test]
    fn a_summary_names_recent_nodes_newest_first_within_its_bound() {
        let now = 1_000_000;
        let mut nodes = vec![
            node(1, 999_400),   // 10 min ago
            node(2, 999_940),   // 1 min ago
            node(3, 0),         // never
            node(4, 900_000),   // over a day ago
            node(5, 1_000_000), // a peer
        ];
        let s = summary(&nodes, now, &[5]);
        assert_eq!(
            s,
            vec![
                HeardNode {
                    node: 2,
                    mins_ago: 1
                },
                HeardNode {
                    node: 1,
                    mins_ago: 10
                }
            ]
        );
        nodes.extend((100..200).map(|n| node(n, 999_000)));
        assert_eq!(summary(&nodes, now, &[]).len(), HEARD_MAX);
    }
}
