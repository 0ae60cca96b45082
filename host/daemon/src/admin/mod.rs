//! The admin console: `meshmush admin COMMAND` on the host talks to the running daemon
//! over a Unix socket in its data directory (`admin.sock`, mode 0600, and the daemon
//! answers only a peer with the socket owner's uid; there is no network listener).
//!
//! The console's commands act through the radio commands' own path: the line becomes
//! a command of the registry run for the *sysop*, a wizard player on a reserved node
//! number no radio can use ([`SYSOP_NODE`]), with the same limits and logs, and its
//! notices to players go out through the delivery path. Only its reply comes back
//! over the socket instead of the radio. (`wall` is `@wall`: one channel packet.)
//!
//! The wire: the client writes one line (the command), the daemon answers with one
//! JSON line ([`Answer`]) and closes.
//!
//! - [`server`]: the socket in the daemon;
//! - [`console`]: what each console command does;
//! - [`client`]: the `meshmush admin` side, and the read-only answers it gives from
//!   the store itself when no daemon runs;
//! - [`backup`]: `backup DIR` and `export` in the console, and `meshmush backup`,
//!   `restore` and `export`, which use the console when a daemon runs;
//! - [`tokens`]: `token create|list|revoke`, the HTTP API's tokens.

pub mod backup;
pub mod client;
pub mod console;
pub mod server;
pub mod tokens;

use serde::{Deserialize, Serialize};

/// The socket's file name in the data directory.
pub const SOCKET: &str = "admin.sock";

/// The node number the sysop acts from. Meshtastic never gives a node a number below
/// 4 (firmware `src/mesh/NodeDB.cpp`, `NUM_RESERVED`; the Apple app's `Constants.swift`
/// cites it as the smallest node number), so no radio packet can come from it: the
/// router drops any that claims to.
pub const SYSOP_NODE: u32 = 1;

/// The first node number a real node may have.
pub const FIRST_REAL_NODE: u32 = 4;

/// The longest console line accepted, in bytes.
pub const MAX_LINE: usize = 4096;

/// The daemon's answer to one console line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// False when the console refused the line (unknown, malformed, not allowed);
    /// a command's own refusal ("No such board") is an answer like any reply.
    pub ok: bool,
    pub text: String,
    /// Answered from the store because no daemon runs (`status`, `players`).
    #[serde(default)]
    pub offline: bool,
}

impl Answer {
    pub fn ok(text: impl Into<String>) -> Self {
        Self {
            ok: true,
            text: text.into(),
            offline: false,
        }
    }

    pub fn refused(text: impl Into<String>) -> Self {
        Self {
            ok: false,
            text: text.into(),
            offline: false,
        }
    }

    /// Read from the store with no daemon running.
    pub fn offline(text: impl Into<String>) -> Self {
        Self {
            ok: true,
            text: text.into(),
            offline: true,
        }
    }
}

/// The console's commands, for `help` and refusals.
pub const USAGE: &str = "\
status                 the daemon, its link, queue and airtime
players                the players on record
post BOARD TEXT        a bulletin, as the sysop
delete BOARD N         remove a post
mail PLAYER TEXT       mail a player, as the sysop
wall TEXT              one packet on the primary channel (as @wall)
ban PLAYER|!NODE       @ban;  unban PLAYER|!NODE: @unban
repin !NODE            forget a node's pinned key (@repin)
reload                 read the world content files again (as @reload)
backup DIR             the store at one instant into DIR (absolute, new or empty)
export [secrets]       every record as a JSON line (password hashes only with secrets)
token create NAME --scopes read,post,mail,wall
                       an HTTP API token, printed once (only its hash is kept)
token list             the API tokens;  token revoke NAME: refuse it from now on";
