//! One DM to a node the BBS hears for the first time that has never used it
//! (`bbs.welcome_new_nodes`, off by default): what the BBS is and how to start. Once
//! per node, recorded durably before it is sent; at most [`PER_HOUR`] to all nodes
//! together, since a NodeInfo can carry any `from`.

use meshmush_firmware_bridge::link::Class;
use std::sync::{Arc, Mutex};

use meshmush_protocol::packets::node_id;
use tracing::{debug, info, warn};

use super::parts::allow;
use crate::commands::unix_now;
use crate::ratelimit::TokenBucket;
use crate::shared::Shared;
use meshmush_lang::{Lang, t};

/// Welcomes per hour, to all nodes together.
pub(super) const PER_HOUR: u32 = 20;

/// What a newly heard node is told.
pub fn text(lang: Lang, bbs_name: &str) -> String {
    t!(lang, "welcome-node", bbs = bbs_name)
}

/// Greets `node` if it has no player and was never greeted.
pub(super) async fn greet(shared: Shared, allowance: Arc<Mutex<TokenBucket>>, node: u32) {
    let store = shared.store();
    let known = match (store.player(node).await, store.greeted(node).await) {
        (Ok(player), Ok(greeted)) => player.is_some() || greeted,
        (Err(e), _) | (_, Err(e)) => {
            warn!(error = %e, "cannot tell whether a node was greeted");
            return;
        }
    };
    if known {
        return;
    }
    if !allow(&allowance) {
        debug!(node = %node_id(node), "welcomes spent for this hour; not greeted");
        return;
    }
    match store.greet_once(node, unix_now()).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            warn!(error = %e, "cannot record a greeting");
            return;
        }
    }
    if shared
        .delivery
        .say(
            node,
            Class::Unasked,
            &text(shared.cfg().bbs.language(), &shared.bbs_name()),
        )
        .await
        .is_ok()
    {
        info!(node = %node_id(node), "greeted a newly heard node");
    }
}
