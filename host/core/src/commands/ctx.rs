//! What a command may read and change: the store, the config, the roster of who is
//! about, and the player it runs for, with what this packet proves about its sender.
//! No link: a command's words reach the radio only through the
//! [`Outcome`](super::outcome::Outcome) it returns.

use std::sync::Arc;

use super::registry::{Ran, Registry};
use super::text::unix_now;
use crate::common::Common;
use crate::identity::Sender;
use crate::roster::Newcomer;
use meshmush_lang::Lang;
use meshmush_store::{Draft, Level, Player};

pub struct Ctx {
    /// The store, config, roster, content and mesh every session shares.
    pub common: Arc<Common>,
    pub registry: Arc<Registry>,
    pub player: Player,
    pub node: u32,
    /// The language the player reads: theirs (`lang CODE`), else the BBS's.
    pub lang: Lang,
    /// What the packet being handled proves about who sent it.
    pub sender: Sender,
    /// The public key the packet carried: only on a PKI DM, and then the key the node
    /// decrypted it with (what `repin` pins). `None` on plain text.
    pub packet_key: Option<Vec<u8>>,
    /// The player's password came on this packet (`pw PASS COMMAND`).
    pub password_given: bool,
    /// The config lists this node as an admin.
    pub is_admin_node: bool,
    /// The post or mail the player is writing line by line, if any: while it is
    /// set, every line goes to it (see `compose`).
    pub draft: Option<Draft>,
    /// The command the last line ran, set by the dispatcher for the operator's counts
    /// (`None`: no command took it, counted as [`UNKNOWN`]).
    ///
    /// [`UNKNOWN`]: super::registry::UNKNOWN
    pub ran: Option<Ran>,
}

/// A command reads the shared parts through its context: `ctx.store()`, `ctx.cfg()`.
impl std::ops::Deref for Ctx {
    type Target = Common;
    fn deref(&self) -> &Common {
        &self.common
    }
}

impl Ctx {
    /// The language `habits` picked, else the BBS's (`[bbs] language`): what a
    /// session sets [`Ctx::lang`] to when it opens.
    pub fn language_of(common: &Common, habits: &meshmush_store::Habits) -> Lang {
        habits
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| common.cfg().bbs.language())
    }

    /// Whether this packet proves it comes from the player: a PKI DM with their key,
    /// or their password on it. Nothing lasts beyond the packet.
    pub fn proven(&self) -> bool {
        self.sender == Sender::Proven || (self.password_given && self.sender != Sender::Impostor)
    }

    /// The rights in force for this packet: stored powers count only when it is
    /// proven; admin nodes from the config are wizards on a PKI DM.
    pub fn level(&self) -> Level {
        if !self.proven() {
            return Level::Player;
        }
        if self.is_admin_node && self.sender == Sender::Proven {
            return Level::Wizard;
        }
        self.player.level
    }
}

/// Whether `ctx`'s player is new (their record is younger than the config's
/// `newcomer_hours`); if so, whether the allowance new players share has room for
/// `what`. Old players always have room.
pub fn newcomer_allowed(ctx: &Ctx, what: Newcomer) -> bool {
    let age = unix_now().saturating_sub(ctx.player.created);
    age >= ctx.cfg().bbs.newcomer_hours.saturating_mul(3600) || ctx.roster().allow_newcomer(what)
}
