//! `use THING`, whose only effect is the thing's triggers (see [`triggers`](super::triggers)):
//! it fires them itself and its reply says whether anything happened, so
//! `world::after` only counts its [`Event::Used`]. Apart from the trigger rules
//! because it finishes a [`Plan`](super::engine::Plan) (`plan.rs`), which follows moves by firing them.

use super::super::room::{here, pick};
use super::plan::{finish, plan};
use super::triggers::fire_thing;
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::echo;
use meshmush_core::content::schema::Event as On;
use meshmush_core::events::Event;
use meshmush_lang::t;
use meshmush_store::{Level, Place};

pub fn register(r: &mut Registry) {
    r.add::<Use>();
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
            return Err(Usage::key("use-what", vec![]));
        }
        Ok(Self {
            thing: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (_, room) = here(ctx).await?;
        let mut near = ctx.store().contents(Place::Player(ctx.node)).await?;
        near.extend(ctx.store().contents(Place::Object(room.id)).await?);
        let Some(thing) = pick(&near, &self.thing).cloned() else {
            return Err(user(t!(ctx.lang, "see-no", word = echo(&self.thing))));
        };
        let c = ctx.content().current();
        let mut plan = plan(ctx).await?;
        fire_thing(&c, &mut plan, On::Use, room.id, &thing);
        let used = Event::Used { thing: thing.id };
        if plan.lines.is_empty() && plan.room_lines.is_empty() && !plan.changes() {
            let nothing = t!(ctx.lang, "use-nothing", thing = &thing.name);
            return Ok(Outcome::reply(nothing).with_event(used));
        }
        let mut out = Outcome::default().with_event(used);
        finish(ctx, plan, room.id, &mut out, 0).await?;
        Ok(out)
    }
}
