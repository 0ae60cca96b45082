//! `[retention]`: how long the BBS keeps what strangers can make it keep, and how much
//! mail may wait for nodes that never used it. Every bound here is one an attacker in
//! radio range would otherwise hold open: a node id costs nothing to make up.

use serde::{Deserialize, Serialize};

use meshmush_store::Cutoffs;

const DAY: u64 = 24 * 3600;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSection {
    /// Days a deletion is remembered (a peer's, or ours), so a late copy of the item
    /// is not taken again. Longer than any peer's outage.
    pub tombstone_days: u64,
    /// Days a key pinned for a node that has no player here is kept (pinned on first
    /// sight, e.g. from a NodeInfo). A player's pin never expires.
    pub stranger_pin_days: u64,
    /// The most pins held before keys announced in NodeInfos are no longer pinned
    /// (a node is then pinned by its first PKI DM): a flood of made-up nodes costs at
    /// most this many pins of memory and disk.
    pub announced_pins_max: usize,
    /// Days a greeting is remembered; a node heard again after it is greeted again.
    pub greeted_days: u64,
    /// Days mail waits for a node that never used the BBS.
    pub unheard_mail_days: u64,
    /// Mail one player may leave in a day for nodes that never used the BBS.
    pub unheard_mail_per_sender_day: usize,
    /// Mail that may wait in all for nodes that never used the BBS.
    pub unheard_mail_total: usize,
    /// Minutes between sweeps.
    pub sweep_mins: u64,
}

impl Default for RetentionSection {
    fn default() -> Self {
        Self {
            tombstone_days: 90,
            stranger_pin_days: 30,
            announced_pins_max: 10_000,
            greeted_days: 365,
            unheard_mail_days: 30,
            unheard_mail_per_sender_day: 10,
            unheard_mail_total: 500,
            sweep_mins: 60,
        }
    }
}

impl RetentionSection {
    /// What a sweep at `now` (Unix seconds) removes: every record older than its days.
    pub fn cutoffs(&self, now: u64) -> Cutoffs {
        let before = |days: u64| now.saturating_sub(days.saturating_mul(DAY));
        Cutoffs {
            tombstones: before(self.tombstone_days),
            stranger_pins: before(self.stranger_pin_days),
            greeted: before(self.greeted_days),
            unheard_mail: before(self.unheard_mail_days),
        }
    }

    /// Every key that is out of range, with why.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (key, days) in [
            ("retention.tombstone_days", self.tombstone_days),
            ("retention.stranger_pin_days", self.stranger_pin_days),
            ("retention.greeted_days", self.greeted_days),
            ("retention.unheard_mail_days", self.unheard_mail_days),
        ] {
            if days == 0 {
                out.push((key, "must be at least 1 day".into()));
            }
        }
        if self.announced_pins_max == 0 {
            out.push(("retention.announced_pins_max", "must be at least 1".into()));
        }
        if self.unheard_mail_per_sender_day == 0 || self.unheard_mail_total == 0 {
            out.push((
                "retention",
                "unheard_mail_per_sender_day and unheard_mail_total must be at least 1".into(),
            ));
        }
        if self.sweep_mins == 0 {
            out.push(("retention.sweep_mins", "must be at least 1".into()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_are_now_less_each_kind_of_days() {
        let r = RetentionSection::default();
        let now = 1_000 * DAY;
        let c = r.cutoffs(now);
        assert_eq!(c.tombstones, now - 90 * DAY);
        assert_eq!(c.stranger_pins, now - 30 * DAY);
        assert_eq!(c.greeted, now - 365 * DAY);
        assert_eq!(c.unheard_mail, now - 30 * DAY);
        // Early clocks never wrap.
        assert_eq!(r.cutoffs(5).greeted, 0);
    }
}
