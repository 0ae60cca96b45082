//! The task's part in mail that finds its reader: heard summaries queued for the
//! meshmush peers, routed mail confirmed by a peer's ack, and routed mail its peer did
//! not ack in time sent to every peer (see `crate::route`).

use std::time::Duration;

use meshmush_core::commands::unix_now;
use meshmush_core::config::federation::Dialect;
use meshmush_store::sync_item::SyncItem;
use tokio::time::Instant;
use tracing::{debug, info, warn};

use super::Task;
use crate::route;

/// The first heard summary goes this long after start (or after `heard_every_mins`
/// if that is sooner).
pub(super) const FIRST_SUMMARY: Duration = Duration::from_secs(10);
/// A summary whose nodes did not change is sent again after this many periods, so
/// its ages stay true.
const SUMMARY_REPEAT: u32 = 6;

impl Task {
    /// `node` acked up to `upto`: the mails routed to it among those are confirmed.
    pub(super) async fn confirm_routes(&mut self, node: u32, upto: u64) {
        if !self.routes.confirms(node, upto) {
            return;
        }
        match self.store.confirm_routes(node, upto).await {
            Ok(uids) => {
                debug!(mails = uids.len(), "routed mail confirmed");
                self.routes.confirmed(&uids);
            }
            Err(e) => warn!(error = %e, "cannot record routed mail as confirmed"),
        }
    }

    /// Mails routed to one peer that it did not ack in time go to every peer.
    pub(super) async fn reroute(&mut self, now: Instant) {
        if self.routes_stale {
            self.routes_stale = false;
            match self.store.routes().await {
                Ok(routes) => self.routes.track(&routes, now),
                Err(e) => warn!(error = %e, "cannot read routed mail"),
            }
        }
        for uid in self.routes.due(now) {
            match self.store.route_to_all(uid).await {
                Ok(true) => info!("routed mail not confirmed in time; sent to every peer"),
                Ok(false) => {}
                Err(e) => {
                    warn!(error = %e, "cannot send routed mail to every peer");
                    self.routes_stale = true;
                }
            }
        }
    }

    /// Queues a summary of the nodes heard lately for every meshmush peer, if it
    /// changed since the last one (or that one is getting old).
    pub(super) async fn send_summary(&mut self, now: Instant) {
        let peers: Vec<u32> = self
            .peers
            .iter()
            .filter(|p| p.peer.dialect == Dialect::Meshmush)
            .map(|p| p.peer.node)
            .collect();
        let Some(every) = self.heard_every.filter(|_| !peers.is_empty()) else {
            return;
        };
        let mut skip = peers.clone();
        skip.extend(self.link.node_config().map(|c| c.my_node_num));
        let nodes = route::summary(&self.link.nodes(), unix_now(), &skip);
        let ids: Vec<u32> = nodes.iter().map(|n| n.node).collect();
        let fresh = self
            .heard_last
            .as_ref()
            .is_some_and(|(last, at)| *last == ids && now < *at + every * SUMMARY_REPEAT);
        if nodes.is_empty() || fresh {
            return;
        }
        debug!(nodes = nodes.len(), "heard summary queued");
        match self
            .store
            .queue_item(peers, SyncItem::Heard { nodes })
            .await
        {
            Ok(()) => self.heard_last = Some((ids, now)),
            Err(e) => warn!(error = %e, "cannot queue a heard summary"),
        }
    }
}
