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
pub mod events;
mod look;
pub mod mail;
pub mod matching;
mod outcome;
mod peers;
mod registry;
mod room;
mod survey;
mod talk;
mod things;
pub(crate) mod world;

pub use boards::default_boards;
pub use ctx::Ctx;
pub use dispatch::{Handled, execute, handle, split_command};
pub use events::Event;
pub use outcome::{Audience, End, Notice, NoticeKind, Outcome};
pub use registry::{
    Command, CommandError, Entry, Guard, Lookup, Registry, Reply, Spec, Usage, needs_proof, user,
};

use crate::store::Level;

/// A level as players read it.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Player => "player",
        Level::Builder => "builder",
        Level::Wizard => "wizard",
    }
}

/// How long ago `then` was, tersely: `now` (under a minute), `5m`, `3h`, `2d`.
pub fn age(now: u64, then: u64) -> String {
    let s = now.saturating_sub(then);
    match s {
        0..60 => "now".to_string(),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// `just now` or `5m ago`, for a sentence.
pub fn ago(now: u64, then: u64) -> String {
    match age(now, then).as_str() {
        "now" => "just now".to_string(),
        a => format!("{a} ago"),
    }
}

/// The start of `text` on one line, at most `max` bytes, cut at a word with "…".
pub fn first_words(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.len() <= max {
        return line;
    }
    let mut cut = max;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &line[..cut];
    let head = head.rsplit_once(' ').map_or(head, |(h, _)| h);
    format!("{head}…")
}

/// `first`, then as many of `lines` as fit with it in one packet of `budget` bytes;
/// `None` when `first` alone does not fit. A list that leads with its newest item in
/// full answers "what is new" in one command and one packet.
pub fn fill_packet(first: String, lines: &[String], budget: usize) -> Option<String> {
    if first.len() > budget {
        return None;
    }
    let mut out = first;
    for line in lines {
        if out.len() + 1 + line.len() > budget {
            break;
        }
        out.push('\n');
        out.push_str(line);
    }
    Some(out)
}

/// Whether `ctx`'s player is new (their record is younger than the config's
/// `newcomer_hours`); if so, whether the allowance new players share has room for
/// `what`. Old players always have room.
pub fn newcomer_allowed(ctx: &Ctx, what: crate::roster::Newcomer) -> bool {
    let age = unix_now().saturating_sub(ctx.player.created);
    age >= ctx.cfg.bbs.newcomer_hours.saturating_mul(3600) || ctx.roster.allow_newcomer(what)
}

/// Unix seconds now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
