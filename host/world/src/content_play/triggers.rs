//! Triggers: small declarative rules from `triggers.toml`. On entering or leaving a
//! room, saying a keyword, getting, dropping or using a thing, if the conditions
//! hold, the effects run on the player's [`Plan`]. Not a language: a trigger cannot
//! loop, and one trigger's move sets off others at most [`MAX_DEPTH`](super::plan::MAX_DEPTH)
//! deep. Text for the room goes as ambient notices, under the delivery's notice
//! limits like any `say`. The `use THING` command, whose only effect is its
//! triggers, is in [`using`](super::using).

use super::engine::Plan;
use meshmush_core::commands::text::unix_now;
use meshmush_core::content::Content;
use meshmush_core::content::schema::{Event as On, TriggerDef};
use meshmush_store::Object;

/// The hour of the day now (UTC), for `hours` conditions.
pub fn hour_now() -> u8 {
    ((unix_now() / 3600) % 24) as u8
}

fn run(c: &Content, plan: &mut Plan, t: &TriggerDef) {
    let once = format!("trigger:{}", t.key);
    if t.once && plan.progress.flags.contains(&once) {
        return;
    }
    if !plan.check(c, &t.cond, hour_now()) {
        return;
    }
    if plan.apply(c, &t.effects).is_err() {
        return;
    }
    if t.once {
        plan.progress.flags.insert(once);
        plan.dirty = true;
    }
}

fn in_room(c: &Content, t: &TriggerDef, room: u64) -> bool {
    match &t.room {
        None => true,
        Some(key) => c.room_id(key) == Some(room),
    }
}

/// The triggers of leaving `from` and entering `to`.
pub fn fire_move(c: &Content, plan: &mut Plan, from: u64, to: u64) {
    for (event, room) in [(On::Leave, from), (On::Enter, to)] {
        for t in c.triggers.iter().filter(|t| t.on == event) {
            if t.room.as_deref().and_then(|k| c.room_id(k)) == Some(room) {
                run(c, plan, t);
            }
        }
    }
}

/// The triggers of saying `said` in `room`.
pub fn fire_say(c: &Content, plan: &mut Plan, room: u64, said: &str) {
    let said = said.to_lowercase();
    for t in c.triggers.iter().filter(|t| t.on == On::Say) {
        let Some(word) = &t.keyword else { continue };
        if in_room(c, t, room) && said.contains(&word.to_lowercase()) {
            run(c, plan, t);
        }
    }
}

/// The triggers of `event` (get, drop, use) on `thing` in `room`.
pub fn fire_thing(c: &Content, plan: &mut Plan, event: On, room: u64, thing: &Object) {
    for t in c.triggers.iter().filter(|t| t.on == event) {
        let Some(want) = &t.thing else { continue };
        let matches = match c.item(want) {
            Some(_) => c.is_item(thing, want),
            None => thing.answers_to(want),
        };
        if matches && in_room(c, t, room) {
            run(c, plan, t);
        }
    }
}
