//! What the unasked messages share: the daemon parts they need ([`Parts`]), the state
//! the [`Unasked`] handle keeps, and the shared hourly allowance check. A leaf of its
//! own so each kind of message (`mail_waiting`, `welcome`, `beacon`, and `discovery`'s
//! `impl Unasked`) can use them without importing `unasked/mod.rs`, which starts them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::time::Instant;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::delivery::Delivery;
use crate::meshview::MeshView;
use crate::ratelimit::{TokenBucket, Verdict};
use crate::roster::Roster;
use crate::store::Store;

/// What the unasked messages need of the daemon; cheap to clone.
#[derive(Clone)]
pub(super) struct Parts {
    pub(super) cfg: Arc<Config>,
    pub(super) store: Store,
    pub(super) delivery: Delivery,
    pub(super) roster: Roster,
    pub(super) mesh: Arc<dyn MeshView>,
}

impl Parts {
    /// The BBS's name as its node calls itself.
    pub(super) fn bbs_name(&self) -> String {
        self.mesh
            .me()
            .map_or_else(|| "this BBS".to_string(), |n| n.long_name)
    }
}

pub struct Unasked {
    pub(super) parts: Parts,
    pub(super) tasks: TaskTracker,
    /// When each node last had a discovery answer.
    pub(super) answered: HashMap<u32, Instant>,
    pub(super) discovery: TokenBucket,
    /// Welcomes to all nodes together (shared by the tasks that send them).
    pub(super) welcomes: Arc<Mutex<TokenBucket>>,
}

/// Takes one from a shared allowance; false when it is spent.
pub(super) fn allow(bucket: &Mutex<TokenBucket>) -> bool {
    let mut bucket = bucket.lock().unwrap_or_else(|e| e.into_inner());
    bucket.check(Instant::now()) == Verdict::Allow
}
