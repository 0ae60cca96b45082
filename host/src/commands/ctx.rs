//! What a command may read and change: the store, the config, the roster of who is
//! about, and the player it runs for. No link: a command's words reach the radio only
//! through the [`Outcome`](super::Outcome) it returns.

use std::sync::Arc;

use super::registry::Registry;
use crate::config::Config;
use crate::roster::Roster;
use crate::store::{Level, Player, Store};

pub struct Ctx {
    pub store: Store,
    pub registry: Arc<Registry>,
    pub cfg: Arc<Config>,
    pub roster: Roster,
    pub player: Player,
    pub node: u32,
    /// This command came as a PKI-encrypted direct message: the sender is proven.
    pub trusted: bool,
    /// The player gave their password in this session.
    pub elevated: bool,
    /// The config lists this node as an admin.
    pub is_admin_node: bool,
}

impl Ctx {
    /// The rights in force now: stored powers count only on a PKI DM or after the
    /// password; admin nodes from the config are wizards on a PKI DM.
    pub fn level(&self) -> Level {
        let proven = self.trusted || self.elevated;
        if !proven {
            return Level::Player;
        }
        if self.is_admin_node && self.trusted {
            return Level::Wizard;
        }
        self.player.level
    }
}
