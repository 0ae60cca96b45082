//! The airtime ledger: what each of the BBS's nodes put on air in about the last hour,
//! so a restart does not forget it and spend the duty cycle's share a second time.
//!
//! One small record per node: its spends summed per minute and traffic class (at most
//! 60 minutes of 5 classes), each bucket dated by the latest spend in it, so a restored
//! bucket leaves the hour no earlier than its last packet would have. The daemon's
//! ledger keeper (`host/daemon/src/ledger.rs`) decides what goes in and rewrites the
//! record every few seconds while the node transmits; the store only keeps it.
//!
//! Ledger writes are not flushed one by one: a crash may lose the last half second
//! (sled's background flush) on top of what the keeper had not written yet. Not in
//! `meshmush export`: it is an hour's bookkeeping, not the BBS's data.
//!
//! | tree      | key              | value                                   |
//! |-----------|------------------|-----------------------------------------|
//! | `airtime` | node (`u32` BE)  | postcard `AirtimeLedgerRecord::V1`      |

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::handle::Store;
use super::records::{node_key, node_label, versioned};

/// Airtime a node spent in one minute in one traffic class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AirtimeMinute {
    /// Unix seconds of the latest spend it holds.
    pub at: u64,
    /// The traffic class, as the link numbers them (0 = highest priority).
    pub class: u8,
    /// Airtime, in microseconds.
    pub micros: u64,
}

/// One node's recent airtime.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AirtimeLedger {
    pub node: u32,
    /// Oldest first.
    pub minutes: Vec<AirtimeMinute>,
}

/// The envelope an [`AirtimeLedger`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum AirtimeLedgerRecord {
    V1(AirtimeLedger),
}

versioned!(
    AirtimeLedger,
    AirtimeLedgerRecord,
    "airtime",
    key_label = node_label
);

impl Store {
    /// Every node's airtime ledger, in node order.
    pub async fn airtime_ledgers(&self) -> Result<Vec<AirtimeLedger>, StoreError> {
        self.blocking(|db| db.all::<AirtimeLedger>()).await
    }

    /// Replaces `ledger.node`'s ledger (not flushed on its own: see the module).
    pub async fn set_airtime_ledger(&self, ledger: AirtimeLedger) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let key = node_key(ledger.node);
            let bytes = super::records::encode(&key, &ledger)?;
            db.tree_of::<AirtimeLedger>()?.insert(key, bytes)?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    #[tokio::test]
    async fn a_ledger_survives_reopening_and_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        let minute = |at, micros| AirtimeMinute {
            at,
            class: 0,
            micros,
        };
        let first = AirtimeLedger {
            node: 7,
            minutes: vec![minute(100, 5), minute(170, 6)],
        };
        store.set_airtime_ledger(first).await.unwrap();
        let second = AirtimeLedger {
            node: 7,
            minutes: vec![minute(170, 6)],
        };
        store.set_airtime_ledger(second.clone()).await.unwrap();
        let other = AirtimeLedger {
            node: 3,
            minutes: vec![minute(1, 1)],
        };
        store.set_airtime_ledger(other.clone()).await.unwrap();
        store.close().await.unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        assert_eq!(store.airtime_ledgers().await.unwrap(), vec![other, second]);
    }
}
