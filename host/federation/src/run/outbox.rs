//! What leaves: each peer's outbox handed to the link in its dialect (TC2 lines one
//! at a time, each waiting for the radio's report; meshmush frames a window at a
//! time, acked by the peer), only when sync's class may go on air now.

use meshmush_core::config::federation::Dialect;
use meshmush_firmware_bridge::link::{Class, SendError};
use meshmush_protocol::packets::node_id;
use meshmush_store::StoreError;
use meshmush_store::sync_item::SyncItem;
use tokio::time::Instant;
use tracing::{debug, warn};

use super::{LINK_FULL_PAUSE, REPORT_WAIT, Task, WINDOW};
use crate::{native, tc2};

impl Task {
    /// Sends what each peer's outbox holds, as far as its dialect and the airtime
    /// share allow.
    pub(super) async fn pump(&mut self) {
        if let Some(t) = self.pause_until {
            if t > Instant::now() {
                return;
            }
            self.pause_until = None;
        }
        for i in 0..self.peers.len() {
            let ok = match self.peers[i].peer.dialect {
                Dialect::Tc2 => self.pump_tc2(i).await,
                Dialect::Meshmush => self.pump_native(i).await,
            };
            if let Err(e) = ok {
                warn!(error = %e, "cannot read the sync outbox");
            }
        }
    }

    async fn pump_tc2(&mut self, i: usize) -> Result<(), StoreError> {
        loop {
            let run = &self.peers[i];
            if run.waiting.is_some() {
                return Ok(());
            }
            let node = run.peer.node;
            let Some((seq, item)) = self.store.queued_items(node, run.sent_upto, 1).await?.pop()
            else {
                return Ok(());
            };
            let line = self.tc2_item(&item).and_then(|item| {
                tc2::fit(&item, self.link.max_packet_bytes()).map_err(|e| e.to_string())
            });
            let line = match line {
                Ok(line) => line,
                Err(why) => {
                    warn!(peer = %node_id(node), kind = item.kind(), %why, "not sent to this TC2 peer");
                    self.peers[i].handed_over(seq);
                    self.count(node, move |s| s.acked_upto = s.acked_upto.max(seq))
                        .await;
                    continue;
                }
            };
            if self.sync_must_wait() {
                return Ok(());
            }
            let Some(ids) = self.send(node, vec![line]).await else {
                return Ok(());
            };
            let run = &mut self.peers[i];
            run.handed_over(seq);
            if let Some(&id) = ids.first() {
                run.in_flight.insert(id, (seq, item));
                run.waiting = Some((id, Instant::now() + REPORT_WAIT));
            }
            self.count(node, move |s| {
                s.acked_upto = s.acked_upto.max(seq);
                s.sent += 1;
            })
            .await;
        }
    }

    /// The item with its board named as TC2 names it.
    fn tc2_item(&self, item: &SyncItem) -> Result<SyncItem, String> {
        if matches!(item, SyncItem::Heard { .. } | SyncItem::Read { .. }) {
            return Err("TC2 has no such line".into());
        }
        let mut item = item.clone();
        if let SyncItem::Bulletin { board, .. } = &mut item {
            *board = self
                .map
                .outgoing_tc2(board)
                .ok_or_else(|| format!("board {board} maps to no TC2 board"))?;
        }
        Ok(item)
    }

    async fn pump_native(&mut self, i: usize) -> Result<(), StoreError> {
        let run = &self.peers[i];
        if run.resume_at.is_some() || run.sent_upto >= run.acked_upto + WINDOW {
            return Ok(());
        }
        let node = run.peer.node;
        let room = (run.acked_upto + WINDOW - run.sent_upto) as usize;
        let items = self.store.queued_items(node, run.sent_upto, room).await?;
        if let Some(&(first, _)) = items.first()
            && first > self.peers[i].sent_upto + 1
        {
            // The items between were dropped from a full outbox: the peer must not
            // wait for them.
            if self.sync_must_wait() {
                return Ok(());
            }
            let upto = first - 1;
            warn!(peer = %node_id(node), upto, "telling the peer to skip dropped items");
            if self.send(node, vec![native::skip(upto)]).await.is_none() {
                return Ok(());
            }
            let timeout = self.ack_timeout;
            let run = &mut self.peers[i];
            run.handed_over(upto);
            run.ack_deadline.get_or_insert(Instant::now() + timeout);
        }
        for (seq, item) in items {
            let packets = native::data_packets(
                seq,
                &native::encode_item(&item),
                self.link.max_packet_bytes(),
            );
            let Some(packets) = packets else {
                // Never made by this BBS (posts are bounded well below); skip it.
                warn!(
                    kind = item.kind(),
                    "sync item too long for the meshmush dialect; skipped"
                );
                self.peers[i].handed_over(seq);
                continue;
            };
            if self.sync_must_wait() {
                break;
            }
            if self.send(node, packets).await.is_none() {
                break;
            }
            let timeout = self.ack_timeout;
            let run = &mut self.peers[i];
            run.handed_over(seq);
            run.ack_deadline.get_or_insert(Instant::now() + timeout);
        }
        Ok(())
    }

    /// Whether sync must wait before handing the link more items: the scheduler says a
    /// sync packet queued now would wait (for its share, or behind what is queued).
    /// Items are handed over only when they can go, so their ack timers start when
    /// they are on their way, not while they sit in the queue.
    fn sync_must_wait(&mut self) -> bool {
        let wait = self.delivery.class_wait(Class::Sync);
        if wait.is_zero() {
            return false;
        }
        debug!(
            wait_ms = wait.as_millis() as u64,
            "sync waits for its turn on air"
        );
        self.pause_until = Some(Instant::now() + wait);
        true
    }

    /// Hands packets to the link; their ids, or `None` if it has no room now.
    pub(super) async fn send(&mut self, node: u32, packets: Vec<String>) -> Option<Vec<u32>> {
        match self.delivery.sync(node, packets).await {
            Ok(ids) => Some(ids),
            Err(SendError::Closed) => None,
            Err(e) => {
                debug!(error = %e, to = %node_id(node), "the link has no room for sync now");
                self.pause_until = Some(Instant::now() + LINK_FULL_PAUSE);
                None
            }
        }
    }
}
