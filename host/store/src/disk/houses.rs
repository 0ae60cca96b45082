//! Houses in the synchronous store (layout in [`store::houses`](crate::houses)).
//! Runs only on a blocking thread.

use sled::Transactional;

use super::world::{CONTENTS, take_id, tx_put};
use super::{DiskStore, META, abort, from_tx, get, tx_get};
use crate::error::StoreError;
use crate::houses::{Claim, House};
use crate::records::{decode, encode};
use crate::refusals::{ClaimRefusal, WorldRefusal};
use crate::world_records::{Object, Place, PlayerState, state_key};

impl DiskStore {
    pub(crate) fn houses(&self) -> Result<Vec<House>, StoreError> {
        let mut out = Vec::new();
        for entry in &self.tree_of::<House>()? {
            let (k, v) = entry?;
            out.push(decode::<House>(&k, &v)?);
        }
        Ok(out)
    }

    pub(crate) fn claim_house(&self, c: &Claim) -> Result<House, StoreError> {
        self.player_state(c.node)?;
        let owned = self.houses()?.iter().filter(|h| h.owner == c.node).count();
        if owned >= c.cap as usize {
            return Err(StoreError::House(ClaimRefusal::Cap));
        }
        let trees = (
            self.tree_of::<House>()?,
            self.tree_of::<PlayerState>()?,
            self.tree_of::<Object>()?,
            self.tree(CONTENTS)?,
            self.tree(META)?,
        );
        let house = (&trees.0, &trees.1, &trees.2, &trees.3, &trees.4)
            .transaction(|(houses, states, objects, contents, meta)| {
                let key = c.key.as_bytes();
                if houses.get(key)?.is_some() {
                    return Err(abort(StoreError::House(ClaimRefusal::Taken)));
                }
                let sk = state_key(c.node);
                let mut purse = tx_get::<PlayerState>(states, &sk)?
                    .ok_or_else(|| abort(StoreError::NoSuchPlayer(c.node)))?;
                if purse.coins < c.price {
                    return Err(abort(StoreError::House(ClaimRefusal::NotEnoughCoins)));
                }
                purse.coins -= c.price;
                states.insert(&sk[..], encode(&sk, &purse).map_err(abort)?)?;
                let mut room = c.room.clone();
                room.id = take_id(meta)?;
                room.location = None;
                tx_put(objects, contents, None, &room)?;
                let mut door = c.door.clone();
                door.id = take_id(meta)?;
                door.location = Some(Place::Object(c.street));
                door.destination = Some(room.id);
                tx_put(objects, contents, None, &door)?;
                let mut out = c.out.clone();
                out.id = take_id(meta)?;
                out.location = Some(Place::Object(room.id));
                out.destination = Some(c.street);
                tx_put(objects, contents, None, &out)?;
                let house = House {
                    key: c.key.clone(),
                    owner: c.node,
                    room: room.id,
                    door: door.id,
                    out: out.id,
                    claimed_at: c.now,
                };
                houses.insert(key, encode(key, &house).map_err(abort)?)?;
                Ok(house)
            })
            .map_err(from_tx)?;
        self.flush_if_configured()?;
        Ok(house)
    }

    pub(crate) fn release_house(&self, key: &str) -> Result<Option<House>, StoreError> {
        let Some(house) = get::<House>(&self.tree_of::<House>()?, key.as_bytes())? else {
            return Ok(None);
        };
        // Things left inside go back to the owner.
        let inside = self.contents(Place::Object(house.room))?;
        for o in inside.iter().filter(|o| o.id != house.out) {
            self.move_object(
                o.id,
                Some(Place::Object(house.room)),
                Place::Player(house.owner),
            )?;
        }
        for id in [house.door, house.out, house.room] {
            match self.destroy_object(id) {
                Ok(_) | Err(StoreError::World(WorldRefusal::NoSuchObject(_))) => {}
                Err(e) => return Err(e),
            }
        }
        self.tree_of::<House>()?.remove(key.as_bytes())?;
        self.flush_if_configured()?;
        Ok(Some(house))
    }
}
