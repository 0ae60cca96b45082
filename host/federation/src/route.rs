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

/// The fallback with paused time, against a real store: a mail routed to the peer
/// that heard its recipient last goes to every other peer only once the timeout has
/// passed without that peer's ack; an acked one never does.
#[cfg(test)]
mod fallback {
    use super::*;
    use meshmush_store::{Mail, Store, StoreOptions};

    const P1: u32 = 0x4d4d_0001;
    const P2: u32 = 0x4d4d_0002;
    const TC2: u32 = 0x4d4d_0003;
    const X: u32 = 0x4d4d_1004;
    const Y: u32 = 0x4d4d_1005;
    const NOW: u64 = 1_800_000_000;
    const TIMEOUT: Duration = Duration::from_secs(1800);

    fn mail(to: u32, text: &str) -> Mail {
        Mail {
            id: 0,
            to,
            from: 0x4d4d_1009,
            from_name: "Alice".into(),
            time: NOW,
            subject: text.into(),
            text: text.into(),
            read: false,
            announced: false,
        }
    }

    /// The mail texts in `peer`'s outbox.
    async fn outbox(store: &Store, peer: u32) -> Vec<String> {
        let st = store.peer_state(peer).await.unwrap();
        store
            .queued_items(peer, st.acked_upto, 100)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|(_, item)| match item {
                meshmush_store::sync_item::SyncItem::Mail { content, .. } => Some(content),
                _ => None,
            })
            .collect()
    }

    fn heard(node: u32, mins_ago: u32) -> Vec<HeardNode> {
        vec![HeardNode { node, mins_ago }]
    }

    #[tokio::test(start_paused = true)]
    async fn routed_mail_goes_to_all_only_when_its_peer_does_not_ack_in_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        store.set_sync_peers(vec![P1, P2, TC2], vec![P1, P2], 100);
        // Both meshmush peers heard X; P2 more recently. Nobody heard Y.
        store.put_heard(P1, heard(X, 30), NOW).await.unwrap();
        store.put_heard(P2, heard(X, 5), NOW).await.unwrap();
        let mut pending = Pending::new(TIMEOUT);

        store.send_mail(mail(X, "first")).await.unwrap();
        store.send_mail(mail(Y, "to nobody heard")).await.unwrap();
        assert_eq!(outbox(&store, P2).await, ["first", "to nobody heard"]);
        assert_eq!(outbox(&store, P1).await, ["to nobody heard"]);
        assert_eq!(
            outbox(&store, TC2).await,
            ["first", "to nobody heard"],
            "TC2 peers keep TC2's way: every mail"
        );
        let routes = store.routes().await.unwrap();
        assert_eq!(routes.len(), 1);
        assert_eq!((routes[0].peer, routes[0].seq), (P2, 1));
        pending.track(&routes, Instant::now());

        // Not yet: one second short of the timeout.
        tokio::time::advance(TIMEOUT - Duration::from_secs(1)).await;
        assert!(pending.due(Instant::now()).is_empty());
        tokio::time::advance(Duration::from_secs(2)).await;
        let due = pending.due(Instant::now());
        assert_eq!(due.len(), 1);
        assert!(store.route_to_all(due[0].clone()).await.unwrap());
        assert_eq!(outbox(&store, P1).await, ["to nobody heard", "first"]);
        assert_eq!(outbox(&store, P2).await, ["first", "to nobody heard"]);
        assert_eq!(outbox(&store, TC2).await.len(), 2, "TC2 had it already");
        assert!(store.routes().await.unwrap().is_empty());
        assert!(!store.route_to_all(due[0].clone()).await.unwrap(), "once");

        // A second mail, acked by P2 in time: it never goes to P1.
        store.send_mail(mail(X, "second")).await.unwrap();
        let routes = store.routes().await.unwrap();
        pending.track(&routes, Instant::now());
        let seq = routes[0].seq;
        assert!(pending.confirms(P2, seq));
        assert!(!pending.confirms(P1, seq) && !pending.confirms(P2, seq - 1));
        let done = store.confirm_routes(P2, seq).await.unwrap();
        pending.confirmed(&done);
        tokio::time::advance(TIMEOUT * 2).await;
        assert!(pending.due(Instant::now()).is_empty());
        assert!(pending.next().is_none());
        assert_eq!(outbox(&store, P1).await, ["to nobody heard", "first"]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_peer_cannot_make_us_keep_more_than_one_bounded_summary() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        store.set_sync_peers(vec![P1, P2], vec![P1, P2], 100);
        let many: Vec<HeardNode> = (0..500)
            .map(|i| HeardNode {
                node: 0x1000 + i,
                mins_ago: 1,
            })
            .collect();
        assert_eq!(store.put_heard(P1, many, NOW).await.unwrap(), HEARD_MAX);
        assert_eq!(store.heard_by(0x1000).await.unwrap(), [(P1, NOW - 60)]);
        // The next summary replaces the last; an entry older than a day is not kept.
        let next = vec![
            HeardNode {
                node: X,
                mins_ago: 2,
            },
            HeardNode {
                node: Y,
                mins_ago: 25 * 60,
            },
        ];
        assert_eq!(store.put_heard(P1, next, NOW).await.unwrap(), 1);
        assert!(store.heard_by(0x1000).await.unwrap().is_empty());
        assert!(store.heard_by(Y).await.unwrap().is_empty());
        // A day later X's entry no longer routes: the mail goes to all.
        let mut late = mail(X, "late");
        late.time = NOW + 2 * 86_400;
        store.send_mail(late).await.unwrap();
        assert!(store.routes().await.unwrap().is_empty());
        assert_eq!(outbox(&store, P2).await, ["late"]);
        assert_eq!(outbox(&store, P1).await, ["late"]);
    }
}
