//! The TinyMUSH world's commands: looking and walking (`look`, exits), rooms and
//! what players see of them (`room`), things (`get`, `drop`, `give`), talk (`say`,
//! `pose`, `page`, `whisper`), habits (`dnd`, `nospoof`, `@doing`, `finger`), building (`@dig`, `@describe`, ...), wizards moving players
//! (`@teleport`, `@boot`), and the content at play (`content_play`: NPCs, quests,
//! shops, houses, achievements, triggers), which follows every command's events.

pub mod build;
pub mod content_play;
pub mod habits;
pub mod look;
pub mod room;
pub mod talk;
pub mod things;
pub mod wizard_moves;

use meshmush_core::commands::Registry;

/// The world's player and builder families, in the order `help` lists them.
pub fn register(r: &mut Registry) {
    look::register(r);
    talk::register(r);
    habits::register(r);
    things::register(r);
    build::register(r);
}

/// The wizards' moving of players, listed with the other wizard commands.
pub fn register_wizard(r: &mut Registry) {
    wizard_moves::register(r);
}

/// The content at play: its commands (talk to NPCs, quests, shops, use, houses,
/// `@reload`), the words a player types alone (answers, exits), and its turn after
/// every command.
pub fn register_content(r: &mut Registry) {
    content_play::register(r);
}
