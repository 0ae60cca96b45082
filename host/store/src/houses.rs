//! Claimed houses: which player owns which house template, and the room and door the
//! claim made. Claiming pays the price, makes the room, its door from the street and
//! its way out, and records the owner, in one transaction; releasing (an abandoned
//! house) gives the things in it back to the owner and removes room and doors.
//!
//! | tree     | key                    | value                      |
//! |----------|------------------------|----------------------------|
//! | `houses` | template key (UTF-8)   | postcard `HouseRecord::V1` |

use serde::{Deserialize, Serialize};

use super::cache::{Scope, WriteGuard};
use super::error::StoreError;
use super::handle::Store;
use super::records::versioned;
use super::world_records::Object;

/// One claimed house.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct House {
    /// The template's key in `houses.toml`.
    pub key: String,
    pub owner: u32,
    pub room: u64,
    /// The exit from the street into the house.
    pub door: u64,
    /// The exit from the house back to the street.
    pub out: u64,
    pub claimed_at: u64,
}

#[derive(Serialize, Deserialize)]
pub(super) enum HouseRecord {
    V1(House),
}

versioned!(House, HouseRecord, "houses");

/// What a claim makes.
#[derive(Clone, Debug)]
pub struct Claim {
    pub key: String,
    pub node: u32,
    pub price: u64,
    /// Houses a player may own at once.
    pub cap: u32,
    /// The street the door opens from.
    pub street: u64,
    pub room: Object,
    pub door: Object,
    pub out: Object,
    pub now: u64,
}

impl Store {
    /// Every claimed house.
    pub async fn houses(&self) -> Result<Vec<House>, StoreError> {
        self.blocking(|db| db.houses()).await
    }

    /// Claims a house: pays, builds room and doors, records the owner; all or nothing.
    pub async fn claim_house(&self, claim: Claim) -> Result<House, StoreError> {
        let _w = WriteGuard::new(&self.inner.cache, Scope::World);
        let _p = WriteGuard::new(&self.inner.cache, Scope::Player(claim.node));
        self.blocking_write(move |db| db.claim_house(&claim)).await
    }

    /// Releases a house: its things go to the owner, its room and doors go away.
    pub async fn release_house(&self, key: &str) -> Result<Option<House>, StoreError> {
        let _w = WriteGuard::new(&self.inner.cache, Scope::World);
        let key = key.to_owned();
        self.blocking_write(move |db| db.release_house(&key)).await
    }
}
