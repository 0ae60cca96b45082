//! The retention sweep: every `[retention] sweep_mins`, the store forgets what
//! strangers left that has outlived its days (see the store's `retention` module):
//! tombstones, strangers' pins, greetings, mail for nodes that never used the BBS.
//! The first sweep runs a minute after start, so a daemon that restarts often still
//! sweeps. What went is logged as counts, never content.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use meshmush_core::commands::text::unix_now;
use meshmush_core::config::RetentionSection;
use meshmush_store::Store;

/// The first sweep goes this long after start.
const FIRST_AFTER: Duration = Duration::from_secs(60);

/// Starts the sweep on `tasks` until `stop`.
pub fn start(store: Store, rules: RetentionSection, tasks: &TaskTracker, stop: CancellationToken) {
    tasks.spawn(run(store, rules, stop));
}

async fn run(store: Store, rules: RetentionSection, stop: CancellationToken) {
    let every = Duration::from_secs(rules.sweep_mins.saturating_mul(60));
    let mut next = tokio::time::Instant::now() + FIRST_AFTER;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(next) => {}
            _ = stop.cancelled() => return,
        }
        next += every;
        match store.sweep(rules.cutoffs(unix_now())).await {
            Ok(swept) if swept.is_empty() => debug!("retention sweep: nothing old enough"),
            Ok(swept) => info!(
                tombstones = swept.tombstones,
                pins = swept.pins,
                greeted = swept.greeted,
                mail = swept.mail,
                "retention sweep: forgot what outlived its days"
            ),
            Err(e) => warn!(error = %e, "retention sweep failed; trying again next time"),
        }
    }
}
