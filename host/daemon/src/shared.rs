//! The daemon's shared parts in one value, built once by `app.rs` and cloned (one
//! `Arc`) into the router, each session, the unasked messages, the admin console and
//! the status page, as mini-redis hands its `Db` to every connection: a part added
//! here reaches all of them without a new argument anywhere.
//!
//! Two layers. [`Common`] is what a command may read and change (the store, the
//! config, the roster, the content, the mesh as a view): a command's [`Ctx`] holds it,
//! and nothing in it sends, so a command's words still leave only in its `Outcome`.
//! [`Parts`] is that plus the daemon's own: the delivery path, the link, the
//! operator's hooks, the admin nodes and the stop token.
//!
//! The command registry is not here: it names `Ctx`, which holds this, and this
//! module stays a leaf (it imports nothing that imports it back). The registry
//! travels beside it.
//!
//! [`Ctx`]: crate::commands::Ctx

use std::sync::Arc;

use meshmush_firmware_bridge::LinkHandle;
use tokio_util::sync::CancellationToken;

use crate::delivery::Delivery;
use crate::ops::Ops;
pub use meshmush_core::common::Common;

/// The daemon's shared parts; cloning it is one `Arc` count.
pub type Shared = Arc<Parts>;

/// Everything the daemon's tasks share.
pub struct Parts {
    pub common: Arc<Common>,
    /// The one way out to the link.
    pub delivery: Delivery,
    /// For the names nodes give themselves, and the link's state and figures.
    pub link: LinkHandle,
    /// The operator's hooks: each command's family and time (off unless configured).
    pub ops: Ops,
    /// The config's admin nodes: wizards on a PKI DM.
    pub admin_nodes: Vec<u32>,
    /// Cancelled to stop the daemon (a wizard's `@shutdown`).
    pub stop: CancellationToken,
}

/// The shared parts by what they are (`shared.store()`), as a command's `Ctx` has them.
impl std::ops::Deref for Parts {
    type Target = Common;
    fn deref(&self) -> &Common {
        &self.common
    }
}
