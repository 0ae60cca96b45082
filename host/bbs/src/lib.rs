//! The bulletin board's commands: boards and posts (`boards`, `read`, `post`,
//! `reply`), mail, drafts written line by line (`compose`), the urgent board and
//! `@wall` (`channel`), read receipts (`receipts`), board administration, `@peers`,
//! and `stats`/`search` (`survey`). Each file is a family that adds its commands to the core's
//! [`Registry`](meshmush_core::commands::Registry); [`register`] adds them all.
//! `reactions` is no command: an emoji tapped on a notice marks its letter or post
//! read.

pub mod board_admin;
pub mod boards;
pub mod channel;
pub mod compose;
pub mod mail;
pub mod peers;
pub mod reactions;
pub mod receipts;
pub mod survey;

use meshmush_core::commands::Registry;

pub use boards::default_boards;

/// The BBS's families, in the order `help` lists them; drafts become the
/// dispatcher's (an open draft takes the player's lines).
pub fn register(r: &mut Registry) {
    boards::register(r);
    compose::register(r);
    board_admin::register(r);
    mail::register(r);
    receipts::register(r);
    survey::register(r);
}

/// The BBS's operator families (`@wall`, `@peers`), listed after everyone's.
pub fn register_operator(r: &mut Registry) {
    channel::register(r);
    peers::register(r);
}
