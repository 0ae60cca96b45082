//! The answer to the discovery keyword on the channel (`bbs.discovery_keyword`,
//! default `bbs?`): one DM saying what the BBS is and how to start, once an hour per
//! node, and at most [`PER_HOUR`] to all nodes together.

use meshmush_firmware_bridge::link::Class;
use std::time::Duration;

use meshmush_protocol::packets::{TextMessage, node_id};
use tokio::time::Instant;
use tracing::{debug, info};

use super::parts::{Unasked, lang_of};
use crate::ratelimit::Verdict;
use meshmush_lang::{Lang, t};

/// A node gets at most one discovery answer this often.
const EVERY: Duration = Duration::from_secs(3600);
/// Discovery answers remembered at most (the oldest are forgotten).
const KEPT: usize = 1024;
/// Discovery answers per hour, to all nodes together.
pub(super) const PER_HOUR: u32 = 20;

/// What a node that asked is told.
pub fn answer(lang: Lang, bbs_name: &str) -> String {
    t!(lang, "discovery-answer", bbs = bbs_name)
}

impl Unasked {
    /// A channel message: if it is the discovery keyword, answers its sender with one
    /// DM (once an hour per node). True if it was the keyword.
    pub fn channel(&mut self, t: &TextMessage) -> bool {
        let keyword = self.shared.cfg().bbs.discovery_keyword.trim();
        if keyword.is_empty() || !t.text.trim().eq_ignore_ascii_case(keyword) {
            return false;
        }
        let now = Instant::now();
        if self
            .answered
            .get(&t.from)
            .is_some_and(|at| now.duration_since(*at) < EVERY)
        {
            debug!(node = %node_id(t.from), "discovery asked again; answered within the hour");
            return true;
        }
        if self.answered.len() >= KEPT {
            self.answered
                .retain(|_, at| now.duration_since(*at) < EVERY);
        }
        if self.answered.len() >= KEPT || self.discovery.check(now) != Verdict::Allow {
            debug!("discovery answers spent for this hour");
            return true;
        }
        self.answered.insert(t.from, now);
        let (shared, node) = (self.shared.clone(), t.from);
        self.tasks.spawn(async move {
            let text = answer(lang_of(&shared, node).await, &shared.bbs_name());
            if shared
                .delivery
                .say(node, Class::Unasked, &text)
                .await
                .is_ok()
            {
                info!(node = %node_id(node), "answered discovery");
            }
        });
        true
    }
}
