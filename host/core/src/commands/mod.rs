//! The command core: how a command is written ([`Command`]: typed arguments, `parse`,
//! then `apply` against a [`Ctx`], returning an [`Outcome`] with the reply, notices to
//! others and the typed [`Event`]s of what it did), the [`Registry`] of commands and
//! the hooks families add to it, and the dispatcher ([`dispatch::execute`]) that runs
//! a typed line. The families every BBS has live here too (`basic`: help, ping, seen, quit;
//! `account`: whoami, name, password, pw; `admin`: bans, builders, repin, shutdown);
//! the BBS's and the world's families are crates of their own, above this one. No
//! command talks to the radio: the session hands the outcome to the delivery path.

pub mod account;
pub mod admin;
pub mod basic;
pub mod ctx;
pub mod dispatch;
pub mod matching;
pub mod outcome;
pub mod registry;
pub mod seen;
pub mod text;

pub use crate::events::Event;
pub use ctx::{Ctx, newcomer_allowed};
pub use dispatch::{Handled, execute, handle, split_command};
pub use outcome::{Audience, End, Notice, NoticeKind, Outcome, Shown};
pub use registry::{
    After, Command, CommandError, DraftFeed, Entry, Fed, Guard, HookFuture, Lookup, Registry,
    Reply, Spec, Usage, WordRun, WordSource, needs_proof, user,
};
pub use text::{DIRECTIONS, age, ago, fill_packet, first_words, level_name, unix_now};
