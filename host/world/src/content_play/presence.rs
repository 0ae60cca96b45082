//! Which NPCs stand in a room, as the room's view and `look` show them. A leaf of its
//! own (content and the command context only) so `room.rs` and `look.rs` can name
//! NPCs without importing the `talk` command, which itself needs `room.rs`.

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::matching::{Match, find};
use meshmush_core::content::Content;
use meshmush_core::content::schema::NpcDef;
use meshmush_lang::t;

/// The NPC in room `room` that `word` names.
pub fn npc_here<'c>(c: &'c Content, room: u64, word: &str) -> Option<&'c NpcDef> {
    let here: Vec<&NpcDef> = c.npcs_in(room).collect();
    let answers = |n: &&NpcDef, w: &str| {
        n.name.eq_ignore_ascii_case(w) || n.aliases.iter().any(|a| a.eq_ignore_ascii_case(w))
    };
    match find(here.iter(), word, |n, w| answers(n, w), |n| &n.name) {
        Match::One(n) => Some(n),
        _ => None,
    }
}

/// NPCs a room's view names before it counts the rest (one packet).
const NPC_NAMES: usize = 6;

/// `\nNPCs: Mara.` for a room's view, or nothing.
pub(crate) fn npcs_line(ctx: &Ctx, room: u64) -> String {
    let c = ctx.content().current();
    let mut here = c.npcs_in(room);
    let names: Vec<&str> = here
        .by_ref()
        .take(NPC_NAMES)
        .map(|n| n.name.as_str())
        .collect();
    if names.is_empty() {
        return String::new();
    }
    let list = names.join(", ");
    match here.count() {
        0 => format!("\n{}", t!(ctx.lang, "room-npcs", list = list)),
        more => format!(
            "\n{}",
            t!(ctx.lang, "room-npcs-more", list = list, more = more)
        ),
    }
}

/// What `look NPC` says, if `word` names an NPC in `room`.
pub(crate) fn npc_look(ctx: &Ctx, room: u64, word: &str) -> Option<String> {
    let c = ctx.content().current();
    npc_here(&c, room, word).map(|n| n.desc.clone())
}
