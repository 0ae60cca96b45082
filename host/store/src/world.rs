//! The TinyMUSH world as stored: objects (rooms, exits, things) with ids `#N`, the
//! contents index that makes "what is in room X" a prefix scan, and each player's
//! place in the world and purse, kept beside (not inside) the `Player` record.
//!
//! | tree           | key                                  | value                               |
//! |----------------|--------------------------------------|-------------------------------------|
//! | `objects`      | id (`u64` BE)                        | postcard `ObjectRecord::V1(Object)` |
//! | `contents`     | place tag (1) ++ place (8) ++ id (8) | empty                               |
//! | `player_state` | node (`u32` BE)                      | postcard `PlayerStateRecord::V1`    |
//! | `meta`         | `next_object`, `world_start`         | `u64` BE                            |
//!
//! Exits live in the contents of their source room. Every change that touches an
//! object and the index (or two players' purses) is one sled transaction.

use super::cache::{Scope, WorldCache, WriteGuard};
use super::disk::DiskStore;
use super::error::StoreError;
use super::handle::Store;
use super::world_records::{Object, ObjectKind, Place, PlayerState};
use crate::seed::WorldSeed;

impl Store {
    fn cache(&self) -> &WorldCache {
        &self.inner.cache
    }

    /// Runs a write that may change `scope`, keeping the cache coherent.
    async fn write<T, F>(&self, scope: Scope, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&DiskStore) -> Result<T, StoreError> + Send + 'static,
    {
        let _guard = WriteGuard::new(self.cache(), scope);
        self.blocking_write(work).await
    }

    /// Object `#id`, if it exists.
    pub async fn object(&self, id: u64) -> Result<Option<Object>, StoreError> {
        if let Some(hit) = self.cache().object(id) {
            return Ok(hit);
        }
        let ticket = self.cache().ticket();
        let found = self.blocking(move |db| db.object(id)).await?;
        self.cache().fill_object(ticket, id, &found);
        Ok(found)
    }

    /// Everything in `place` (a room's things and exits, a player's inventory), by id.
    pub async fn contents(&self, place: Place) -> Result<Vec<Object>, StoreError> {
        if let Some(hit) = self.cache().contents(place) {
            return Ok(hit.to_vec());
        }
        let ticket = self.cache().ticket();
        let found = self.blocking(move |db| db.contents(place)).await?;
        self.cache()
            .fill_contents(ticket, place, found.as_slice().into());
        Ok(found)
    }

    /// The exits leading out of `room`.
    pub async fn exits(&self, room: u64) -> Result<Vec<Object>, StoreError> {
        let all = self.contents(Place::Object(room)).await?;
        Ok(all
            .into_iter()
            .filter(|o| o.kind == ObjectKind::Exit)
            .collect())
    }

    /// How many objects there are.
    pub async fn objects_count(&self) -> Result<usize, StoreError> {
        self.blocking(|db| db.objects_count()).await
    }

    /// The room new players start in (and their first home).
    pub async fn start_room(&self) -> Result<Option<u64>, StoreError> {
        self.blocking(|db| db.start_room()).await
    }

    /// The player's place and purse; a player seen for the first time is put in the
    /// start room with [`NEW_PLAYER_COINS`].
    pub async fn player_state(&self, node: u32) -> Result<PlayerState, StoreError> {
        if let Some(hit) = self.cache().state(node) {
            return Ok(hit);
        }
        let ticket = self.cache().ticket();
        let state = self.blocking(move |db| db.player_state(node)).await?;
        self.cache().fill_state(ticket, &state);
        Ok(state)
    }

    /// Replaces a player's state (for `@link me` homes and the like).
    pub async fn set_player_state(&self, state: PlayerState) -> Result<(), StoreError> {
        self.write(Scope::Player(state.node), move |db| {
            db.set_player_state(&state)
        })
        .await
    }

    /// Moves a player into room `to`; refused unless `to` is a room.
    pub async fn move_player(&self, node: u32, to: u64) -> Result<PlayerState, StoreError> {
        self.write(Scope::Player(node), move |db| db.move_player(node, to))
            .await
    }

    /// Moves object `id` to `to`, if it is still in `from` (when given): the object and
    /// the index change together.
    pub async fn move_object(
        &self,
        id: u64,
        from: Option<Place>,
        to: Place,
    ) -> Result<Object, StoreError> {
        self.write(Scope::World, move |db| db.move_object(id, from, to))
            .await
    }

    /// Stores a new object, giving it the next id; returns it with its id.
    pub async fn create_object(&self, object: Object) -> Result<Object, StoreError> {
        self.write(Scope::World, move |db| db.create_object(object))
            .await
    }

    /// Replaces an existing object (its index entry follows a changed location).
    pub async fn update_object(&self, object: Object) -> Result<(), StoreError> {
        self.write(Scope::World, move |db| db.update_object(&object))
            .await
    }

    /// Removes an object. A room must be empty (no things, no exits out of it) and not
    /// the start room; a destroyed thing's contents are left to dangle nowhere.
    pub async fn destroy_object(&self, id: u64) -> Result<Object, StoreError> {
        self.write(Scope::World, move |db| db.destroy_object(id))
            .await
    }

    /// Moves `n` coins from one purse to another, all or nothing.
    pub async fn give_coins(&self, from: u32, to: u32, n: u64) -> Result<(), StoreError> {
        self.write(Scope::Players(from, to), move |db| {
            db.give_coins(from, to, n)
        })
        .await
    }

    /// Builds the seed world if there are no objects yet; true if it did.
    pub async fn seed_world_if_empty(&self, seed: WorldSeed) -> Result<bool, StoreError> {
        self.write(Scope::World, move |db| db.seed_world_if_empty(&seed))
            .await
    }
}
