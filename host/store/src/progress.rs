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

use super::cache::{Scope, WriteGuard};
use super::error::StoreError;
use super::handle::Store;
use super::progress_records::{Deal, Progress, ShopState, ShopTerms};
use super::records::node_key;
use super::world_records::Object;

impl Store {
    /// A player's progress (empty for a player content has not met yet).
    pub async fn progress(&self, node: u32) -> Result<Progress, StoreError> {
        if let Some(p) = self.inner.progress.get(node) {
            return Ok(p);
        }
        let p = self
            .blocking(move |db| {
                let tree = db.tree_of::<Progress>()?;
                super::disk::get::<Progress>(&tree, &node_key(node))
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
            .blocking_write(move |db| {
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
            let mut s = super::disk::get::<ShopState>(&tree, terms.key.as_bytes())?
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
        let r = self.blocking_write(move |db| db.deal(&deal)).await;
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
