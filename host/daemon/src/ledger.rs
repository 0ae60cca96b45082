//! The airtime ledger's keeper: what each of the BBS's nodes spent in the last hour,
//! kept in the store so a restart mid-hour does not start the duty cycle's hour afresh.
//!
//! At start, [`attach`] reads every node's ledger and gives each link the last hour of
//! it (the link counts a node's spends when it connects to that node) and a channel to
//! report what it sends. The keeper, a task of its own, sums the reports per minute and
//! traffic class and rewrites a node's record at most every [`WRITE_EVERY`] while it
//! transmits, and once more when the links have stopped. The links never wait for it
//! (see the firmware-bridge's ledger seam); the store's calls run on its blocking pool.
//!
//! What a crash may lose: the spends of the last [`WRITE_EVERY`], and the store's
//! unflushed half second. A bucket is dated by its latest spend, so a restored minute
//! counts no shorter than its last packet would have.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use meshmush_firmware_bridge::link::{self, Class, LinkConfig, PastSpend, Spend};
use meshmush_store::{AirtimeLedger, AirtimeMinute, Store, StoreError};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tracing::{info, warn};

/// The duty cycle's window: spends older than this are forgotten.
pub const WINDOW: Duration = Duration::from_secs(3600);
/// How often the keeper writes a node's ledger while it changes.
pub const WRITE_EVERY: Duration = Duration::from_secs(5);
/// Spends the links may report ahead of the keeper (a few minutes of a busy node's
/// packets); past it they are dropped and counted by the link, never waited for.
const BACKLOG: usize = 1024;

/// The ledger in memory: per node, airtime per minute and class, dated by the latest
/// spend in each bucket (Unix seconds).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Ledger {
    nodes: BTreeMap<u32, BTreeMap<(u64, u8), AirtimeMinute>>,
    dirty: BTreeSet<u32>,
}

impl Ledger {
    /// The ledger the store holds.
    pub fn from_records(records: Vec<AirtimeLedger>) -> Self {
        let mut ledger = Self::default();
        for record in records {
            let node = ledger.nodes.entry(record.node).or_default();
            for m in record.minutes {
                node.insert((m.at / 60, m.class), m);
            }
        }
        ledger
    }

    /// Adds `cost` of `class` spent by `node` at `at` (Unix seconds).
    pub fn add(&mut self, node: u32, at: u64, class: Class, cost: Duration) {
        let class = class.index() as u8;
        let micros = u64::try_from(cost.as_micros()).unwrap_or(u64::MAX);
        let bucket = self
            .nodes
            .entry(node)
            .or_default()
            .entry((at / 60, class))
            .or_insert(AirtimeMinute {
                at,
                class,
                micros: 0,
            });
        bucket.at = bucket.at.max(at);
        bucket.micros = bucket.micros.saturating_add(micros);
        self.dirty.insert(node);
    }

    /// Forgets what left the window by `now`; a node that lost buckets must be
    /// written again.
    fn prune(&mut self, now: u64) {
        for (node, minutes) in &mut self.nodes {
            let before = minutes.len();
            minutes.retain(|_, m| now.saturating_sub(m.at) < WINDOW.as_secs());
            if minutes.len() != before {
                self.dirty.insert(*node);
            }
        }
    }

    /// Each node's spends within the window before `now`, as the links take them.
    pub fn past(&self, now: u64) -> HashMap<u32, Vec<PastSpend>> {
        self.nodes
            .iter()
            .map(|(&node, minutes)| {
                let spends: Vec<PastSpend> = minutes
                    .values()
                    .filter_map(|m| {
                        let ago = now.saturating_sub(m.at);
                        (ago < WINDOW.as_secs()).then_some(PastSpend {
                            ago: Duration::from_secs(ago),
                            cost: Duration::from_micros(m.micros),
                            class: *Class::ALL.get(usize::from(m.class))?,
                        })
                    })
                    .collect();
                (node, spends)
            })
            .filter(|(_, spends)| !spends.is_empty())
            .collect()
    }

    /// The records of the nodes that changed since the last call, pruned at `now`.
    pub fn take_dirty(&mut self, now: u64) -> Vec<AirtimeLedger> {
        self.prune(now);
        let dirty = std::mem::take(&mut self.dirty);
        dirty
            .into_iter()
            .map(|node| AirtimeLedger {
                node,
                minutes: self
                    .nodes
                    .get(&node)
                    .map(|m| m.values().copied().collect())
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Marks `node` for writing again (its last write failed).
    fn mark_dirty(&mut self, node: u32) {
        self.dirty.insert(node);
    }
}

/// The running keeper; [`Keeper::finish`] waits for its last write.
#[derive(Debug)]
pub struct Keeper {
    task: JoinHandle<()>,
}

impl Keeper {
    /// Waits (at most `wait`) for the keeper's last write, which it makes once every
    /// link that reports to it has stopped.
    pub async fn finish(self, wait: Duration) {
        if tokio::time::timeout(wait, self.task).await.is_err() {
            warn!("the airtime ledger's last write did not finish in time");
        }
    }
}

/// Gives every link in `links` the last hour of the ledger and a channel for its
/// spends, and starts the keeper that writes them to `store`.
pub async fn attach(store: &Store, links: &mut [LinkConfig]) -> Result<Keeper, StoreError> {
    let now = unix_now();
    let ledger = Ledger::from_records(store.airtime_ledgers().await?);
    let past = ledger.past(now);
    for (node, spends) in &past {
        let total: Duration = spends.iter().map(|s| s.cost).sum();
        info!(
            node = %meshmush_protocol::packets::node_id(*node),
            airtime_hour = ?total,
            "airtime spent in the last hour, from the ledger"
        );
    }
    let past = Arc::new(past);
    let (tx, rx) = mpsc::channel(BACKLOG);
    for l in links.iter_mut() {
        l.airtime_ledger = link::AirtimeLedger {
            past: past.clone(),
            spends: Some(tx.clone()),
        };
    }
    drop(tx);
    let task = tokio::spawn(keep(ledger, rx, store.clone()));
    Ok(Keeper { task })
}

/// Takes spends until every link has stopped, writing what changed every
/// [`WRITE_EVERY`], and once more at the end.
async fn keep(mut ledger: Ledger, mut spends: mpsc::Receiver<Spend>, store: Store) {
    let mut tick = tokio::time::interval(WRITE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            spend = spends.recv() => match spend {
                Some(s) => ledger.add(s.node, unix_at(s.at), s.class, s.cost),
                None => break,
            },
            _ = tick.tick() => write(&mut ledger, &store).await,
        }
    }
    write(&mut ledger, &store).await;
}

async fn write(ledger: &mut Ledger, store: &Store) {
    for record in ledger.take_dirty(unix_now()) {
        let node = record.node;
        if let Err(e) = store.set_airtime_ledger(record).await {
            warn!(error = %e, "the airtime ledger could not be written; trying again");
            ledger.mark_dirty(node);
        }
    }
}

fn unix_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn unix_now() -> u64 {
    unix_now_ms() / 1000
}

/// The Unix second of a moment on the link's clock (rounded up: a spend is never
/// dated earlier than it was).
fn unix_at(at: tokio::time::Instant) -> u64 {
    let ago = tokio::time::Instant::now().saturating_duration_since(at);
    let ms = unix_now_ms().saturating_sub(u64::try_from(ago.as_millis()).unwrap_or(u64::MAX));
    ms.div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_700_000_000;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn spends_sum_per_minute_and_class_dated_by_the_latest() {
        let mut l = Ledger::default();
        l.add(1, T, Class::Known, Duration::from_millis(400));
        l.add(1, T + 20, Class::Known, Duration::from_millis(600));
        l.add(1, T + 20, Class::Unasked, Duration::from_millis(100));
        l.add(1, T + 200, Class::Known, secs(2));
        let records = l.take_dirty(T + 200);
        assert_eq!(records.len(), 1);
        let minutes = &records[0].minutes;
        assert_eq!(minutes.len(), 3, "{minutes:?}");
        let known_first = minutes
            .iter()
            .find(|m| m.class == 0 && m.at / 60 == T / 60)
            .unwrap();
        assert_eq!((known_first.at, known_first.micros), (T + 20, 1_000_000));
        assert!(l.take_dirty(T + 200).is_empty(), "nothing changed since");
    }

    #[test]
    fn what_left_the_hour_is_neither_given_to_the_links_nor_kept() {
        let mut l = Ledger::default();
        l.add(1, T, Class::Known, secs(90));
        l.add(1, T + 3000, Class::Sync, secs(30));
        l.add(2, T + 10, Class::Known, secs(5));
        let now = T + 3700;
        let past = l.past(now);
        assert_eq!(
            past.get(&1),
            Some(&vec![PastSpend {
                ago: secs(700),
                cost: secs(30),
                class: Class::Sync
            }])
        );
        assert!(!past.contains_key(&2), "node 2 spent nothing this hour");
        let records = l.take_dirty(now);
        let kept: Vec<_> = records.iter().map(|r| (r.node, r.minutes.len())).collect();
        assert_eq!(kept, vec![(1, 1), (2, 0)]);
        // As the store gives it back at the next start.
        let again = Ledger::from_records(records);
        assert_eq!(again.past(now), past);
    }

    #[tokio::test(start_paused = true)]
    async fn a_moment_on_the_links_clock_is_dated_no_earlier_than_it_was() {
        let at = tokio::time::Instant::now();
        tokio::time::advance(secs(90)).await;
        let dated = unix_at(at);
        let now = unix_now();
        assert!((now - 91..=now - 89).contains(&dated), "{dated} vs {now}");
    }
}
