//! A [`Deal`] in the synchronous store: the player's purse, progress and things and a
//! shop's till and stock, changed in one sled transaction (see
//! [`store::progress`](crate::progress)). Runs only on a blocking thread.

use sled::Transactional;

use super::world::{CONTENTS, take_id, tx_put};
use super::{DiskStore, META, abort, from_tx, tx_get};
use crate::error::StoreError;
use crate::progress_records::{Deal, Progress, ShopState};
use crate::records::{encode, node_key};
use crate::refusals::DealRefusal;
use crate::world_records::{Object, Place, PlayerState, state_key};

fn refuse(r: DealRefusal) -> StoreError {
    StoreError::Deal(r)
}

impl DiskStore {
    pub(crate) fn deal(&self, deal: &Deal) -> Result<Vec<Object>, StoreError> {
        // The purse exists before the transaction (creating one is its own write).
        self.player_state(deal.node)?;
        let trees = (
            self.tree_of::<PlayerState>()?,
            self.tree_of::<Progress>()?,
            self.tree_of::<Object>()?,
            self.tree(CONTENTS)?,
            self.tree(META)?,
            self.tree_of::<ShopState>()?,
        );
        let purse_key = state_key(deal.node);
        let given = (&trees.0, &trees.1, &trees.2, &trees.3, &trees.4, &trees.5)
            .transaction(|(states, progress, objects, contents, meta, shops)| {
                let mut purse = tx_get::<PlayerState>(states, &purse_key)?
                    .ok_or_else(|| abort(StoreError::NoSuchPlayer(deal.node)))?;
                let (coins_in, coins_out) = (deal.coins_in, deal.coins_out);
                if let Some(side) = &deal.shop {
                    let key = side.terms.key.as_bytes();
                    let mut shop = tx_get::<ShopState>(shops, key)?
                        .unwrap_or_else(|| side.terms.fresh(side.now));
                    side.terms.restock(&mut shop, side.now);
                    let have = shop.stock.entry(side.item.clone()).or_insert(0);
                    if side.sells {
                        if *have == 0 {
                            return Err(abort(refuse(DealRefusal::SoldOut)));
                        }
                        *have -= 1;
                        // What the player pays goes into the till, not nowhere.
                        shop.till = shop.till.saturating_add(coins_out);
                    } else {
                        if shop.till < coins_in {
                            return Err(abort(refuse(DealRefusal::TillEmpty)));
                        }
                        *have = have.saturating_add(1);
                        shop.till -= coins_in;
                    }
                    shops.insert(key, encode(key, &shop).map_err(abort)?)?;
                }
                if purse.coins.saturating_add(coins_in) < coins_out {
                    return Err(abort(refuse(DealRefusal::NotEnoughCoins)));
                }
                purse.coins = purse.coins.saturating_add(coins_in) - coins_out;
                states.insert(&purse_key[..], encode(&purse_key, &purse).map_err(abort)?)?;
                if let Some(p) = &deal.progress {
                    let k = node_key(deal.node);
                    progress.insert(&k[..], encode(&k, p).map_err(abort)?)?;
                }
                let held = Place::Player(deal.node);
                for id in &deal.take {
                    let k = id.to_be_bytes();
                    match tx_get::<Object>(objects, &k)? {
                        Some(o) if o.location == Some(held) => {
                            contents.remove(&held.index_key(*id)[..])?;
                            objects.remove(&k[..])?;
                        }
                        _ => return Err(abort(refuse(DealRefusal::NotHeld))),
                    }
                }
                let mut given = Vec::with_capacity(deal.give.len());
                for o in &deal.give {
                    let mut new = o.clone();
                    new.id = take_id(meta)?;
                    new.location = Some(held);
                    tx_put(objects, contents, None, &new)?;
                    given.push(new);
                }
                Ok(given)
            })
            .map_err(from_tx)?;
        self.flush_if_configured()?;
        Ok(given)
    }
}
