//! What content remembers about each player (quests, flags, achievements, rooms seen,
//! the open conversation) and about each shop (till and stock), and the one way both
//! change together with purses and things: a [`Deal`], applied in one sled
//! transaction, so a quest reward, a purchase or a dialogue's gift is all there after
//! a crash or not there at all, and coins are never made or lost on the way.
//!
//! | tree       | key                 | value                                 |
//! |------------|---------------------|---------------------------------------|
//! | `progress` | node (`u32` BE)     | postcard `ProgressRecord::V1`         |
//! | `shops`    | shop key (UTF-8)    | postcard `ShopStateRecord::V1`        |
//!
//! Progress is cached in memory (reads on every command would otherwise each cost a
//! trip to the blocking pool); the cache entry is dropped around every write.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::cache::{Scope, WriteGuard};
use super::records::{node_key, node_label, versioned};
use super::world::Object;
use super::{Store, StoreError};

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

/// Why a deal was refused; the command words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DealRefusal {
    #[error("not enough coins")]
    NotEnoughCoins,
    #[error("that is not yours to give any more")]
    NotHeld,
    #[error("sold out")]
    SoldOut,
    #[error("the till is empty")]
    TillEmpty,
}

#[derive(Default)]
pub(super) struct ProgressCache {
    map: Mutex<HashMap<u32, Progress>>,
}

const CACHED: usize = 8192;

impl ProgressCache {
    fn get(&self, node: u32) -> Option<Progress> {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&node)
            .cloned()
    }
    fn put(&self, p: &Progress) {
        let mut m = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if m.len() >= CACHED
            && !m.contains_key(&p.node)
            && let Some(k) = m.keys().next().copied()
        {
            m.remove(&k);
        }
        m.insert(p.node, p.clone());
    }
    fn drop_node(&self, node: u32) {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&node);
    }
}

impl Store {
    /// A player's progress (empty for a player content has not met yet).
    pub async fn progress(&self, node: u32) -> Result<Progress, StoreError> {
        if let Some(p) = self.inner.progress.get(node) {
            return Ok(p);
        }
        let p = self
            .blocking(move |db| {
                let tree = db.tree_of::<Progress>()?;
                super::sync::get::<Progress>(&tree, &node_key(node))
            })
            .await?
            .unwrap_or(Progress {
                node,
                ..Progress::default()
            });
        self.inner.progress.put(&p);
        Ok(p)
    }

    /// Replaces a player's progress (nothing else changes).
    pub async fn set_progress(&self, p: Progress) -> Result<(), StoreError> {
        let node = p.node;
        self.inner.progress.drop_node(node);
        let r = self
            .blocking(move |db| {
                let key = node_key(p.node);
                let tree = db.tree_of::<Progress>()?;
                tree.insert(key, super::records::encode(&key, &p)?)?;
                db.flush_if_configured()
            })
            .await;
        self.inner.progress.drop_node(node);
        r
    }

    /// A shop's till and stock now (restocked to `now`; fresh if never traded).
    pub async fn shop_state(&self, terms: ShopTerms, now: u64) -> Result<ShopState, StoreError> {
        self.blocking(move |db| {
            let tree = db.tree_of::<ShopState>()?;
            let mut s = super::sync::get::<ShopState>(&tree, terms.key.as_bytes())?
                .unwrap_or_else(|| terms.fresh(now));
            terms.restock(&mut s, now);
            Ok(s)
        })
        .await
    }

    /// Applies a deal in one transaction; returns the things given, with their ids.
    pub async fn deal(&self, deal: Deal) -> Result<Vec<Object>, StoreError> {
        let node = deal.node;
        let world = (!deal.give.is_empty() || !deal.take.is_empty()).then_some(Scope::World);
        self.inner.progress.drop_node(node);
        let _player = WriteGuard::new(&self.inner.cache, Scope::Player(node));
        let _world = world.map(|s| WriteGuard::new(&self.inner.cache, s));
        let r = self.blocking(move |db| db.deal(&deal)).await;
        self.inner.progress.drop_node(node);
        r
    }

    /// Every shop's till (for checks that coins are kept).
    pub async fn tills(&self) -> Result<u64, StoreError> {
        self.blocking(|db| {
            let mut sum = 0u64;
            for entry in &db.tree_of::<ShopState>()? {
                let (k, v) = entry?;
                let s: ShopState = super::records::decode(&k, &v)?;
                sum = sum.saturating_add(s.till);
            }
            Ok(sum)
        })
        .await
    }
}
