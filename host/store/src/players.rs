//! Players on the async side: the [`Store`] calls for a node's player record and the
//! name index (the sled half is `sync/players.rs`). One of the per-kind modules that
//! extend the handle (`handle.rs`) with `impl Store` blocks.

use super::error::StoreError;
use super::handle::Store;
use super::records::Player;

impl Store {
    /// The player who talks from `node`, if any.
    pub async fn player(&self, node: u32) -> Result<Option<Player>, StoreError> {
        self.blocking(move |db| db.player(node)).await
    }

    /// The player for `node`, created if there is none yet.
    ///
    /// An existing player is returned unchanged. A new one gets `wanted`, sanitised
    /// (see [`sanitise_name`](super::names::sanitise_name)); if that is empty or
    /// reserved, the node's [`fallback_name`](super::names::fallback_name); if that is
    /// taken (ignoring case), the first free `-2`, `-3`, ... suffix. `now` is Unix
    /// seconds.
    pub async fn create_player(
        &self,
        node: u32,
        wanted: &str,
        now: u64,
    ) -> Result<Player, StoreError> {
        let wanted = wanted.to_owned();
        self.blocking_write(move |db| db.create_player(node, &wanted, now))
            .await
    }

    /// Gives `node`'s player the name their node announces (`heard`, cleaned up as
    /// [`Store::create_player`] does) if they still carry the stand-in a player gets
    /// who spoke before the BBS heard their NodeInfo. The renamed player, or `None`
    /// when nothing changed.
    pub async fn adopt_heard_name(
        &self,
        node: u32,
        heard: &str,
    ) -> Result<Option<Player>, StoreError> {
        // Most NodeInfos are of nodes with no player or a name of their own: a read
        // answers those, with no write (nor a refusal on a full disk) per NodeInfo.
        let stand_in = self
            .blocking(move |db| {
                Ok(db
                    .player(node)?
                    .is_some_and(|p| super::names::is_stand_in(&p.name, node)))
            })
            .await?;
        if !stand_in {
            return Ok(None);
        }
        let heard = heard.to_owned();
        self.blocking_write(move |db| db.adopt_heard_name(node, &heard))
            .await
    }

    /// The player called `name`, compared case-insensitively.
    pub async fn player_by_name(&self, name: &str) -> Result<Option<Player>, StoreError> {
        let name = name.to_owned();
        self.blocking(move |db| db.player_by_name(&name)).await
    }

    /// Replaces a player's record.
    ///
    /// A new name must be in sanitised form and not reserved
    /// ([`StoreError::InvalidName`]), and free ([`StoreError::NameTaken`]); the name
    /// index changes in the same transaction. [`StoreError::NoSuchPlayer`] if the node
    /// has no player: players are made by [`Store::create_player`].
    pub async fn update_player(&self, player: Player) -> Result<(), StoreError> {
        self.blocking_write(move |db| db.update_player(&player))
            .await
    }

    /// Records that `node`'s player was heard now (their `last_seen`); when they had
    /// been heard before that, or `None` if there is no such player.
    pub async fn player_seen(&self, node: u32, now: u64) -> Result<Option<u64>, StoreError> {
        self.blocking_write(move |db| db.player_seen(node, now))
            .await
    }

    /// How many players there are.
    pub async fn players_count(&self) -> Result<usize, StoreError> {
        self.blocking(|db| Ok(db.players_count())).await
    }
}
