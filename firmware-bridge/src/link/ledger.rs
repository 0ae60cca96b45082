//! The link's side of the airtime ledger: what a radio spent before this run, and a
//! report of every transmission, so a restart does not forget the hour's airtime.
//!
//! The duty cycle is the radio's, over a rolling hour. A daemon restarted mid-hour with
//! an empty budget could spend its whole share again on top of what it already sent.
//! So whoever starts the link (the daemon) keeps a ledger on disk and hands the link
//! what each node spent recently ([`AirtimeLedger::past`]); the link counts it against
//! its budget when it connects to that node, and reports each packet it puts on air
//! ([`Spend`]) for the ledger to keep.
//!
//! The link never waits for the ledger: spends are handed over with `try_send` on a
//! bounded channel, and when the keeper falls behind they are dropped and counted
//! ([`MetricsSnapshot::airtime_unrecorded`](super::MetricsSnapshot::airtime_unrecorded)).
//! Nothing here touches a disk.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::outbound::Class;

/// One packet put on air, as the link reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spend {
    /// The node that sent it (our node on this link).
    pub node: u32,
    /// When it was written to the node, on the link's clock.
    pub at: Instant,
    /// Its airtime as the budget counts it (modelled airtime times
    /// [`LinkConfig::airtime_scale`](super::LinkConfig::airtime_scale)).
    pub cost: Duration,
    pub class: Class,
}

/// Airtime a node spent before this link started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastSpend {
    /// How long before the link started.
    pub ago: Duration,
    pub cost: Duration,
    pub class: Class,
}

/// The ledger's two ends, as a link's config carries them. `Default` is no ledger:
/// nothing before, nothing reported.
#[derive(Debug, Clone, Default)]
pub struct AirtimeLedger {
    /// Per node number, what it spent before, in any order. The link counts a node's
    /// entries once, when it first connects to that node.
    pub past: Arc<HashMap<u32, Vec<PastSpend>>>,
    /// Where each transmission is reported (never waited on).
    pub spends: Option<mpsc::Sender<Spend>>,
}

/// What a link does with its ledger: the past, pinned to the link's clock, and the
/// report channel.
#[derive(Debug, Default)]
pub(crate) struct LedgerPort {
    past: HashMap<u32, Vec<(Instant, Duration, Class)>>,
    spends: Option<mpsc::Sender<Spend>>,
}

impl LedgerPort {
    /// Pins `ledger`'s past to instants before `now` (the link's start). An entry
    /// older than the clock can go back is counted as of its earliest instant.
    pub(crate) fn new(ledger: &AirtimeLedger, now: Instant) -> Self {
        let past = ledger
            .past
            .iter()
            .map(|(&node, spends)| {
                let mut pinned: Vec<_> = spends
                    .iter()
                    .map(|s| (now.checked_sub(s.ago).unwrap_or(now), s.cost, s.class))
                    .collect();
                pinned.sort_by_key(|&(at, _, _)| at);
                (node, pinned)
            })
            .collect();
        Self {
            past,
            spends: ledger.spends.clone(),
        }
    }

    /// What `node` spent before this run, oldest first; empty after the first call for
    /// that node, so a reconnect does not count it twice.
    pub(crate) fn take_past(&mut self, node: u32) -> Vec<(Instant, Duration, Class)> {
        self.past.remove(&node).unwrap_or_default()
    }

    /// Reports one transmission; false if the keeper is behind and it was dropped.
    pub(crate) fn report(&self, spend: Spend) -> bool {
        let Some(tx) = &self.spends else {
            return true;
        };
        match tx.try_send(spend) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => false,
            // The keeper is gone (the daemon is stopping): nothing to keep it for.
            Err(mpsc::error::TrySendError::Closed(_)) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_past_is_pinned_before_the_start_and_given_once() {
        let now = Instant::now();
        let ledger = AirtimeLedger {
            past: Arc::new(HashMap::from([(
                7,
                vec![
                    PastSpend {
                        ago: Duration::from_secs(60),
                        cost: Duration::from_secs(2),
                        class: Class::Known,
                    },
                    PastSpend {
                        ago: Duration::from_secs(600),
                        cost: Duration::from_secs(1),
                        class: Class::Sync,
                    },
                ],
            )])),
            spends: None,
        };
        let mut port = LedgerPort::new(&ledger, now);
        let past = port.take_past(7);
        assert_eq!(
            past,
            vec![
                (
                    now - Duration::from_secs(600),
                    Duration::from_secs(1),
                    Class::Sync
                ),
                (
                    now - Duration::from_secs(60),
                    Duration::from_secs(2),
                    Class::Known
                ),
            ]
        );
        assert!(port.take_past(7).is_empty(), "counted once");
        assert!(port.take_past(8).is_empty());
    }

    #[tokio::test]
    async fn a_keeper_that_falls_behind_loses_spends_but_never_holds_the_link() {
        let (tx, mut rx) = mpsc::channel(1);
        let port = LedgerPort::new(
            &AirtimeLedger {
                past: Arc::default(),
                spends: Some(tx),
            },
            Instant::now(),
        );
        let spend = Spend {
            node: 1,
            at: Instant::now(),
            cost: Duration::from_millis(500),
            class: Class::Known,
        };
        assert!(port.report(spend));
        assert!(!port.report(spend), "full: dropped, not waited for");
        assert_eq!(rx.recv().await, Some(spend));
        drop(rx);
        assert!(
            port.report(spend),
            "no keeper: nothing lost that anyone keeps"
        );
    }
}
