//! What the BBS sends without being asked, and when it may: a DM telling a node that
//! never used the BBS it has mail waiting (when the node is next heard, at most once a
//! day), and the answer to the discovery keyword on the channel (`bbs?`, once an hour
//! per node). Both leave through the delivery path, so the link's airtime budget
//! counts them like any reply; both are off with a config switch.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use meshmush_protocol::packets::{TextMessage, node_id};
use tokio::time::Instant;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use crate::commands::unix_now;
use crate::config::Config;
use crate::delivery::Delivery;
use crate::meshview::MeshView;
use crate::ratelimit::{TokenBucket, Verdict};
use crate::store::Store;

/// A node is told of its waiting mail at most this often.
const MAIL_TOLD_EVERY: u64 = 86_400;
/// A node gets at most one discovery answer this often.
const DISCOVERY_EVERY: Duration = Duration::from_secs(3600);
/// Discovery answers remembered at most (the oldest are forgotten).
const DISCOVERY_KEPT: usize = 1024;
/// Discovery answers per hour, to all nodes together: a channel message can carry any
/// `from`, so one sender could otherwise make the BBS DM every id it cares to invent.
const DISCOVERY_PER_HOUR: u32 = 20;

pub struct Unasked {
    cfg: Arc<Config>,
    store: Store,
    delivery: Delivery,
    mesh: Arc<dyn MeshView>,
    tasks: TaskTracker,
    answered: HashMap<u32, Instant>,
    discovery: TokenBucket,
}

impl Unasked {
    pub fn new(
        cfg: Arc<Config>,
        store: Store,
        delivery: Delivery,
        mesh: Arc<dyn MeshView>,
        tasks: TaskTracker,
    ) -> Self {
        Self {
            cfg,
            store,
            delivery,
            mesh,
            tasks,
            answered: HashMap::new(),
            discovery: TokenBucket::per_hour(DISCOVERY_PER_HOUR, Instant::now()),
        }
    }

    /// The BBS's name as its node calls itself.
    fn bbs_name(&self) -> String {
        self.mesh
            .me()
            .map_or_else(|| "this BBS".to_string(), |n| n.long_name)
    }

    /// `node` was heard (its NodeInfo, a channel message): if mail waits for it and it
    /// has not been told today, one DM says so. On a task: the router never waits.
    pub fn heard(&self, node: u32) {
        if !self.cfg.bbs.mail_waiting_notice {
            return;
        }
        let (store, delivery, name) = (self.store.clone(), self.delivery.clone(), self.bbs_name());
        self.tasks.spawn(async move {
            let now = unix_now();
            let told = match store.mail_waiting(node).await {
                Ok(Some(told)) => told,
                Ok(None) => return,
                Err(e) => {
                    warn!(error = %e, "cannot read waiting mail");
                    return;
                }
            };
            if told != 0 && now.saturating_sub(told) < MAIL_TOLD_EVERY {
                return;
            }
            let waiting = match store.mailbox(node).await {
                Ok(mail) => mail.iter().filter(|m| !m.read).count(),
                Err(e) => {
                    warn!(error = %e, "cannot read waiting mail");
                    return;
                }
            };
            if waiting == 0 {
                let _ = store.clear_mail_waiting(node).await;
                return;
            }
            let text = format!("You have {waiting} mail at {name}. Send mail to read it.");
            if delivery.say(node, &text).await.is_err() {
                return;
            }
            info!(node = %node_id(node), waiting, "told a node of its waiting mail");
            // Told is announced: its first command is not preceded by the same news.
            let recorded = match store.mail_told(node, now).await {
                Ok(()) => store.mark_mail_announced(node).await,
                Err(e) => Err(e),
            };
            if let Err(e) = recorded {
                warn!(error = %e, "cannot record that a node was told of its mail");
            }
        });
    }

    /// A channel message: if it is the discovery keyword, answers its sender with one
    /// DM (once an hour per node). True if it was the keyword.
    pub fn channel(&mut self, t: &TextMessage) -> bool {
        let keyword = self.cfg.bbs.discovery_keyword.trim();
        if keyword.is_empty() || !t.text.trim().eq_ignore_ascii_case(keyword) {
            return false;
        }
        let now = Instant::now();
        if self
            .answered
            .get(&t.from)
            .is_some_and(|at| now.duration_since(*at) < DISCOVERY_EVERY)
        {
            debug!(node = %node_id(t.from), "discovery asked again; answered within the hour");
            return true;
        }
        if self.answered.len() >= DISCOVERY_KEPT {
            self.answered
                .retain(|_, at| now.duration_since(*at) < DISCOVERY_EVERY);
        }
        if self.answered.len() >= DISCOVERY_KEPT || self.discovery.check(now) != Verdict::Allow {
            debug!("discovery answers spent for this hour");
            return true;
        }
        self.answered.insert(t.from, now);
        let text = format!(
            "{} is a BBS and text world. DM me help to start, or look to look around.",
            self.bbs_name()
        );
        let (delivery, node) = (self.delivery.clone(), t.from);
        self.tasks.spawn(async move {
            if delivery.say(node, &text).await.is_ok() {
                info!(node = %node_id(node), "answered discovery");
            }
        });
        true
    }
}
