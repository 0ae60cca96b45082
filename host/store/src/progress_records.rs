//! The record types of content progress (each player's quests, flags and
//! achievements, each shop's till and stock) and the [`Deal`] that changes them. A
//! leaf: the progress cache and the synchronous store name these types without
//! importing the async calls in `progress.rs`, which extend the
//! [`Store`](super::handle::Store) handle that holds that cache.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::records::{node_label, versioned};
use super::world_records::Object;

/// One quest as a player has it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestProgress {
    /// The step to do next (0-based); equal to the number of steps when done.
    pub step: u32,
    pub done: bool,
}

/// A player's progress through the content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub node: u32,
    pub quests: BTreeMap<String, QuestProgress>,
    pub flags: BTreeSet<String>,
    /// Achievement key -> when earned (Unix seconds).
    pub achievements: BTreeMap<String, u64>,
    pub titles: Vec<String>,
    /// Rooms (ids) stood in.
    pub visited: BTreeSet<u64>,
    /// NPCs (keys) talked to.
    pub met: BTreeSet<String>,
    /// Command name -> times it succeeded (for achievements).
    pub counts: BTreeMap<String, u32>,
    /// The dialogue screen open, if any (`talk` alone or a number answers it).
    pub talking: Option<String>,
    /// Achievement names earned and not yet told.
    pub unannounced: Vec<String>,
}

/// The envelope a [`Progress`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum ProgressRecord {
    V1(Progress),
}

versioned!(Progress, ProgressRecord, "progress", key_label = node_label);

/// A shop's till and stock.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopState {
    pub key: String,
    pub till: u64,
    pub stock: BTreeMap<String, u32>,
    /// When stock last came back (Unix seconds).
    pub restocked_at: u64,
}

#[derive(Serialize, Deserialize)]
pub(super) enum ShopStateRecord {
    V1(ShopState),
}

versioned!(ShopState, ShopStateRecord, "shops");

/// How a shop starts and restocks (from its content entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopTerms {
    pub key: String,
    pub till: u64,
    /// (item, max)
    pub stock: Vec<(String, u32)>,
    pub restock_secs: u64,
}

impl ShopTerms {
    /// A shop as it opens.
    pub fn fresh(&self, now: u64) -> ShopState {
        ShopState {
            key: self.key.clone(),
            till: self.till,
            stock: self.stock.iter().cloned().collect(),
            restocked_at: now,
        }
    }

    /// Brings one of each item back per `restock_secs` since the last restock.
    pub fn restock(&self, state: &mut ShopState, now: u64) {
        let periods = now.saturating_sub(state.restocked_at) / self.restock_secs.max(1);
        if periods == 0 {
            return;
        }
        for (item, max) in &self.stock {
            let have = state.stock.entry(item.clone()).or_insert(0);
            if *have < *max {
                *have = (*have).saturating_add(u32::try_from(periods).unwrap_or(u32::MAX));
                *have = (*have).min(*max);
            }
        }
        state.restocked_at += periods * self.restock_secs.max(1);
    }
}

/// A shop's side of a deal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopSide {
    pub terms: ShopTerms,
    pub item: String,
    /// True: the shop sells one (stock -1, coins into the till). False: it buys one
    /// (stock +1, coins out of the till).
    pub sells: bool,
    pub now: u64,
}

/// Everything one player action changes, applied all or nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deal {
    pub node: u32,
    /// The player's new progress, if it changes.
    pub progress: Option<Progress>,
    /// Coins into the purse (a reward, a sale, the shop's payment).
    pub coins_in: u64,
    /// Coins out of the purse; refused if the purse is short.
    pub coins_out: u64,
    /// New things for the player's inventory.
    pub give: Vec<Object>,
    /// Things the player holds that go away (must still be held).
    pub take: Vec<u64>,
    pub shop: Option<ShopSide>,
}
