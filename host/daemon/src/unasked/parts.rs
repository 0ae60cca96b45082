//! What the unasked messages share: the state the [`Unasked`] handle
//! keeps (beside the daemon's [`Shared`] parts), and the shared hourly allowance check. A leaf of its
//! own so each kind of message (`mail_waiting`, `welcome`, `beacon`, and `discovery`'s
//! `impl Unasked`) can use them without importing `unasked/mod.rs`, which starts them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::time::Instant;
use tokio_util::task::TaskTracker;

use meshmush_core::commands::ctx::Ctx;
use meshmush_lang::Lang;

use crate::ratelimit::{TokenBucket, Verdict};
use crate::shared::Shared;

pub struct Unasked {
    pub(super) shared: Shared,
    pub(super) tasks: TaskTracker,
    /// When each node last had a discovery answer.
    pub(super) answered: HashMap<u32, Instant>,
    pub(super) discovery: TokenBucket,
    /// Welcomes to all nodes together (shared by the tasks that send them).
    pub(super) welcomes: Arc<Mutex<TokenBucket>>,
}

/// The language of an unasked message to `node`: the one its player picked, else the
/// BBS's (`[bbs] language`), also when the store cannot say.
pub(super) async fn lang_of(shared: &Shared, node: u32) -> Lang {
    match shared.store().habits(node).await {
        Ok(habits) => Ctx::language_of(&shared.common, &habits),
        Err(_) => shared.cfg().bbs.language(),
    }
}

/// Takes one from a shared allowance; false when it is spent.
pub(super) fn allow(bucket: &Mutex<TokenBucket>) -> bool {
    let mut bucket = bucket.lock().unwrap_or_else(|e| e.into_inner());
    bucket.check(Instant::now()) == Verdict::Allow
}
