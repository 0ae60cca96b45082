//! Triggers: small declarative rules from `triggers.toml`. On entering or leaving a
//! room, saying a keyword, getting, dropping or using a thing, if the conditions
//! hold, the effects run on the player's [`Plan`]. Not a language: a trigger cannot
//! loop, and one trigger's move sets off others at most [`MAX_DEPTH`](super::MAX_DEPTH)
//! deep. Text for the room goes as ambient notices, under the delivery's notice
//! limits like any `say`. Also the `use THING` command, whose only effect is its
//! triggers: it fires them itself (its reply says whether anything happened), so
//! `world::after` only counts its [`Event::Used`].

use super::super::ctx::Ctx;
use super::super::outcome::Outcome;
use super::super::registry::{Command, Registry, Reply, Spec, Usage, user};
use super::super::room::{here, pick};
use super::super::text::unix_now;
use super::engine::Plan;
use crate::content::Content;
use crate::content::schema::{Event as On, TriggerDef};
use crate::events::Event;
use crate::store::{Level, Object, Place};

pub fn register(r: &mut Registry) {
    r.add::<Use>();
}

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

/// `use THING`.
#[derive(Debug, PartialEq)]
pub struct Use {
    pub thing: String,
}

impl Command for Use {
    const SPEC: Spec = Spec {
        name: "use",
        aliases: &[],
        usage: "use THING",
        help: "use something you carry or see",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::say("Use what?"));
        }
        Ok(Self {
            thing: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (_, room) = here(ctx).await?;
        let mut near = ctx.store.contents(Place::Player(ctx.node)).await?;
        near.extend(ctx.store.contents(Place::Object(room.id)).await?);
        let Some(thing) = pick(&near, &self.thing).cloned() else {
            return Err(user(format!("You see no {:?} here.", self.thing)));
        };
        let c = ctx.content.current();
        let mut plan = super::plan(ctx).await?;
        fire_thing(&c, &mut plan, On::Use, room.id, &thing);
        let used = Event::Used { thing: thing.id };
        if plan.lines.is_empty() && plan.room_lines.is_empty() && !plan.changes() {
            let nothing = format!("Nothing happens when you use {}.", thing.name);
            return Ok(Outcome::reply(nothing).with_event(used));
        }
        let mut out = Outcome::default().with_event(used);
        super::finish(ctx, plan, room.id, &mut out, 0).await?;
        Ok(out)
    }
}
