//! Thousands of players without thousands of sockets: the software mesh's virtual
//! handsets (`SimConfig::virtual_handsets`), whose texts are injected straight into
//! the gateway and whose replies come back on one channel. This routes each reply's
//! first packet (what a player waits for) to whoever listens for that node, with the
//! time it arrived, so the bench can time a command from send to answer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::Mesh;
use meshmush_protocol::chunking::parse_marker;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The first packet of a reply: when it arrived, and its text.
pub type Heard = (Instant, String);

type Waiters = Arc<Mutex<HashMap<u32, mpsc::UnboundedSender<Heard>>>>;

/// The reply router for a mesh's virtual handsets.
pub struct VirtualHandsets {
    waiters: Waiters,
    next_id: AtomicU32,
    router: JoinHandle<()>,
}

impl VirtualHandsets {
    /// Takes `mesh`'s virtual replies and starts routing them; `None` if the mesh
    /// has none (not started with virtual handsets, or already taken).
    pub(super) fn start(mesh: &Mesh) -> Option<Self> {
        let mut replies = mesh.take_virtual_replies()?;
        let waiters = Waiters::default();
        let router = {
            let waiters = waiters.clone();
            tokio::spawn(async move {
                // In batches, one lock each: the bench's own bookkeeping should cost
                // as little of the machine as it can.
                let mut batch = Vec::with_capacity(256);
                while replies.recv_many(&mut batch, 256).await > 0 {
                    let waiters = waiters.lock().unwrap_or_else(|e| e.into_inner());
                    for r in batch.drain(..) {
                        // A player waits for the first packet of a reply.
                        if parse_marker(&r.text).is_some_and(|(part, _, _)| part > 1) {
                            continue;
                        }
                        if let Some(tx) = waiters.get(&r.to) {
                            let _ = tx.send((r.at.into_std(), r.text));
                        }
                    }
                }
            })
        };
        Some(Self {
            waiters,
            next_id: AtomicU32::new(1),
            router,
        })
    }

    /// From now on, the first packet of every reply to `node` comes here (replacing
    /// whoever listened for it before).
    pub fn listen(&self, node: u32) -> mpsc::UnboundedReceiver<Heard> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.waiters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(node, tx);
        rx
    }

    /// Sends `text` from virtual handset `node` and waits up to `timeout` for the
    /// first packet of a reply on `replies` (from [`VirtualHandsets::listen`]): how
    /// long it took, and the packet.
    pub async fn ask(
        &self,
        mesh: &Mesh,
        node: u32,
        text: &str,
        replies: &mut mpsc::UnboundedReceiver<Heard>,
        timeout: Duration,
    ) -> Option<(Duration, String)> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let sent = Instant::now();
        mesh.inject_text(node, id, text);
        let (at, reply) = tokio::time::timeout(timeout, replies.recv()).await.ok()??;
        Some((at.saturating_duration_since(sent), reply))
    }

    /// [`VirtualHandsets::ask`] with a fresh listener, so a late reply to an earlier
    /// command of `node` is never taken for this one's.
    pub async fn ask_once(
        &self,
        mesh: &Mesh,
        node: u32,
        text: &str,
        timeout: Duration,
    ) -> Option<(Duration, String)> {
        let mut replies = self.listen(node);
        self.ask(mesh, node, text, &mut replies, timeout).await
    }
}

impl Drop for VirtualHandsets {
    fn drop(&mut self) {
        self.router.abort();
    }
}
