//! Every command, gathered: the core's command machinery and common families
//! (`meshmush-core`), the bulletin board's (`meshmush-bbs`) and the world's
//! (`meshmush-world`), each a crate of its own; [`standard`] registers them all in
//! `help`'s order. Adding a command touches one file, in its domain's crate.
//!
//! A command is a struct of typed arguments implementing [`Command`]: `parse` reads the
//! words, `apply` does the work against a [`Ctx`] and returns an [`Outcome`] (the reply,
//! notices to others, and the typed [`Event`]s of what it did). [`dispatch::execute`]
//! finds the command for a typed line (the world adds the room's exits as a command
//! source), turns errors into replies, and lets the world's content follow the events.
//! The session hands the outcome to the delivery path; no command talks to the radio.

mod standard;

pub use standard::{commands, standard};

// The command core and the domains' families, where the daemon's users knew them.
pub use meshmush_bbs::{
    board_admin, boards, channel, compose, default_boards, mail, peers, survey,
};
pub use meshmush_core::commands::*;
pub use meshmush_core::commands::{
    account, admin, basic, ctx, dispatch, matching, outcome, registry, text,
};
pub use meshmush_world::{build, content_play, habits, look, room, talk, things, wizard_moves};

#[cfg(test)]
mod tests;
