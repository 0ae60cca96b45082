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

mod account;
mod admin;
pub(crate) mod basic;
mod board_admin;
mod boards;
mod build;
pub mod channel;
pub mod compose;
mod ctx;
pub mod dispatch;
mod look;
pub mod mail;
pub mod matching;
pub(crate) mod outcome;
mod peers;
mod registry;
mod room;
mod standard;
mod survey;
mod talk;
pub(crate) mod text;
mod things;
mod wizard_moves;
pub(crate) mod world;

pub use crate::events::Event;
pub use boards::default_boards;
pub use ctx::{Ctx, newcomer_allowed};
pub use dispatch::{Handled, execute, handle, split_command};
pub use outcome::{Audience, End, Notice, NoticeKind, Outcome};
pub use registry::{
    After, Command, CommandError, DraftFeed, Entry, Fed, Guard, HookFuture, Lookup, Registry,
    Reply, Spec, Usage, WordRun, WordSource, needs_proof, user,
};
pub use text::{age, ago, fill_packet, first_words, level_name, unix_now};

#[cfg(test)]
mod tests;
