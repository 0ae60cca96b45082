//! The commands. Each family lives in one file (`look.rs`, `talk.rs`, `things.rs`,
//! `build.rs`, `admin.rs`, `boards.rs`, `mail.rs`, `account.rs`, `basic.rs`, and the
//! content-driven `world/`: NPCs, quests, shops, houses, achievements) and adds
//! its commands to the [`Registry`]; adding a command touches one file.
//!
//! A command is a struct of typed arguments implementing [`Command`]: `parse` reads the
//! words, `apply` does the work against a [`Ctx`] and returns an [`Outcome`] (the reply,
//! notices to others, and the typed [`Event`]s of what it did). [`dispatch::execute`]
//! finds the command for a typed line (exits of the room are a command source too),
//! turns errors into replies, and lets the world's content follow the events. The
//! session hands the outcome to the delivery path; no command talks to the radio.

mod board_admin;
mod boards;
mod build;
pub mod channel;
pub mod compose;
mod look;
pub mod mail;
mod peers;
mod room;
mod standard;
pub use standard::standard;
mod survey;
mod talk;
mod things;
mod wizard_moves;
pub(crate) mod world;

// The command core, where the families in this crate (and the daemon) knew it.
pub use meshmush_core::commands::*;
pub use meshmush_core::commands::{
    account, admin, basic, ctx, dispatch, matching, outcome, registry, text,
};

pub use boards::default_boards;

#[cfg(test)]
mod tests;
