//! What the BBS sends without being asked, and when it may:
//! - [`mail_waiting`]: a DM telling a node that never used the BBS it has mail waiting
//!   (when the node is next heard, at most once a day);
//! - [`welcome`]: one DM to a node first heard that never used the BBS (off by
//!   default, once per node);
//! - [`discovery`]: the answer to the discovery keyword on the channel (`bbs?`, once
//!   an hour per node);
//! - [`beacon`]: one line on the channel every `bbs.beacon_mins` (off by default),
//!   within the channel gap and only while the BBS has airtime to spare.
//!
//! All leave through the delivery path, so the link's airtime budget counts them like
//! any reply; each is off with a config switch. A NodeInfo or channel message can
//! carry any `from`, so the DMs to many nodes also share hourly allowances: one
//! sender cannot make the BBS DM every id it cares to invent.

mod beacon;
mod discovery;
mod mail_waiting;
mod parts;
mod welcome;

pub use beacon::text as beacon_text_in;
pub use discovery::answer as discovery_answer_in;
pub use parts::Unasked;
pub use welcome::text as welcome_text_in;

/// The beacon in English (the bench's figure; the daemon sends it in `[bbs] language`).
pub fn beacon_text(bbs_name: &str, keyword: &str) -> String {
    beacon_text_in(meshmush_lang::Lang::EN, bbs_name, keyword)
}

/// The discovery answer in English (the bench's figure).
pub fn discovery_answer(bbs_name: &str) -> String {
    discovery_answer_in(meshmush_lang::Lang::EN, bbs_name)
}

/// The greeting of a newly heard node in English (the bench's figure).
pub fn welcome_text(bbs_name: &str) -> String {
    welcome_text_in(meshmush_lang::Lang::EN, bbs_name)
}

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::ratelimit::TokenBucket;
use crate::shared::Shared;

impl Unasked {
    pub fn new(shared: Shared, tasks: TaskTracker) -> Self {
        let now = Instant::now();
        Self {
            shared,
            tasks,
            answered: HashMap::new(),
            discovery: TokenBucket::per_hour(discovery::PER_HOUR, now),
            welcomes: Arc::new(Mutex::new(TokenBucket::per_hour(welcome::PER_HOUR, now))),
        }
    }

    /// `node` was heard (its NodeInfo, a channel message): it may be told of its
    /// waiting mail, or welcomed. On tasks: the router never waits.
    pub fn heard(&self, node: u32) {
        if self.shared.cfg().bbs.mail_waiting_notice {
            self.tasks
                .spawn(mail_waiting::tell(self.shared.clone(), node));
        }
        if self.shared.cfg().bbs.welcome_new_nodes {
            self.tasks.spawn(welcome::greet(
                self.shared.clone(),
                self.welcomes.clone(),
                node,
            ));
        }
    }

    /// Starts the beacon, if the config asks for one; it stops with `stop`.
    pub fn start_beacon(&self, stop: CancellationToken) {
        if self.shared.cfg().bbs.beacon_mins > 0 {
            self.tasks.spawn(beacon::run(self.shared.clone(), stop));
        }
    }
}
