//! NPCs and their dialogue: `talk NPC` opens a screen (a line and numbered options,
//! one packet), the player answers with the number alone (or `talk N`), and `talk`
//! alone shows the open screen again. Talking to an NPC also does the quest steps
//! that ask for it (talk to, deliver to, pay). The open screen is kept with the
//! player's progress, so a conversation survives a restart.

use super::super::room::here;
use super::engine::Plan;
use super::plan::{finish, plan};
use super::presence::npc_here;
use super::triggers::hour_now;
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::echo;
use meshmush_core::content::Content;
use meshmush_core::content::schema::{OptionDef, ScreenDef};
use meshmush_core::events::Event;
use meshmush_lang::{Lang, t};
use meshmush_store::Level;

pub fn register(r: &mut Registry) {
    r.add::<Talk>();
}

/// `talk [NPC|N]`.
#[derive(Debug, PartialEq)]
pub enum Talk {
    /// Show the open screen again.
    Again,
    Answer(usize),
    To(String),
}

impl Command for Talk {
    const SPEC: Spec = Spec {
        name: "talk",
        aliases: &["ask"],
        usage: "talk NPC, then the number of an answer (talk alone: the open one)",
        help: "talk to someone of the town; answer with a number",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Ok(Self::Again);
        }
        if let Ok(n) = args.parse() {
            return Ok(Self::Answer(n));
        }
        Ok(Self::To(args.to_string()))
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        match self {
            Self::Again => again(ctx).await,
            Self::Answer(n) => choose(ctx, n).await,
            Self::To(who) => talk_to(ctx, &who).await,
        }
    }
}

fn visible<'s>(c: &Content, plan: &Plan, s: &'s ScreenDef) -> Vec<&'s OptionDef> {
    s.options
        .iter()
        .filter(|o| plan.check(c, &o.cond, hour_now()))
        .collect()
}

/// A screen as the player reads it: its line, then its options numbered.
fn render(c: &Content, plan: &Plan, s: &ScreenDef) -> String {
    let mut out = s.text.clone();
    for (n, o) in visible(c, plan, s).iter().enumerate() {
        out.push_str(&format!("\n{} {}", n + 1, o.text));
    }
    out
}

/// Opens `s`: kept open only if it has options to answer.
fn open(c: &Content, plan: &mut Plan, s: &ScreenDef) {
    let talking = (!visible(c, plan, s).is_empty()).then(|| s.key.clone());
    if plan.progress.talking != talking {
        plan.progress.talking = talking;
        plan.dirty = true;
    }
    let text = render(c, plan, s);
    plan.lines.push(text);
}

async fn talk_to(ctx: &Ctx, who: &str) -> Reply {
    let (_, room) = here(ctx).await?;
    let c = ctx.content().current();
    let Some(npc) = npc_here(&c, room.id, who) else {
        return Err(user(t!(ctx.lang, "talk-none", word = echo(who))));
    };
    let mut plan = plan(ctx).await?;
    if plan.progress.met.insert(npc.key.clone()) {
        plan.dirty = true;
    }
    plan.talk_steps(&c, &npc.key);
    let greet = npc
        .greet
        .iter()
        .filter_map(|k| c.screen(k))
        .find(|s| plan.check(&c, &s.cond, hour_now()));
    match greet {
        Some(s) => open(&c, &mut plan, s),
        None => {
            let line = t!(plan.lang, "talk-nothing", name = &npc.name);
            plan.lines.push(line);
        }
    }
    let mut out = Outcome::default().with_event(Event::TalkedTo {
        npc: npc.key.clone(),
    });
    finish(ctx, plan, room.id, &mut out, 0).await?;
    Ok(out)
}

/// An NPC's name, or a word for someone the content no longer has.
fn npc_name(c: &Content, lang: Lang, key: &str) -> String {
    c.npc(key)
        .map_or_else(|| t!(lang, "talk-someone"), |n| n.name.clone())
}

/// The open screen and its NPC, if the player still stands with them.
fn open_screen<'c>(c: &'c Content, plan: &Plan, room: u64) -> Result<&'c ScreenDef, String> {
    let lang = plan.lang;
    let Some(key) = &plan.progress.talking else {
        return Err(t!(lang, "talk-no-one"));
    };
    let Some(s) = c.screen(key) else {
        return Err(t!(lang, "talk-over"));
    };
    if !c.npcs_in(room).any(|n| n.key == s.npc) {
        return Err(t!(lang, "talk-gone", name = npc_name(c, lang, &s.npc)));
    }
    Ok(s)
}

async fn again(ctx: &Ctx) -> Reply {
    let (_, room) = here(ctx).await?;
    let c = ctx.content().current();
    let plan = plan(ctx).await?;
    match open_screen(&c, &plan, room.id) {
        Ok(s) => Ok(render(&c, &plan, s).into()),
        Err(why) => {
            let names: Vec<&str> = c.npcs_in(room.id).map(|n| n.name.as_str()).collect();
            if plan.progress.talking.is_none() && !names.is_empty() {
                return Ok(t!(ctx.lang, "talk-whom", list = names.join(", ")).into());
            }
            Err(user(why))
        }
    }
}

/// Answers the open screen with option `n` (1-based).
pub async fn choose(ctx: &Ctx, n: usize) -> Reply {
    let (_, room) = here(ctx).await?;
    let c = ctx.content().current();
    let mut plan = plan(ctx).await?;
    let s = open_screen(&c, &plan, room.id).map_err(user)?;
    let options = visible(&c, &plan, s);
    let Some(option) = n.checked_sub(1).and_then(|i| options.get(i)).copied() else {
        return Err(user(t!(ctx.lang, "talk-answer", n = options.len())));
    };
    if let Err(why) = plan.apply(&c, &option.effects) {
        return Err(user(why));
    }
    match c.screen(&option.to) {
        Some(next) => open(&c, &mut plan, next),
        None => {
            plan.progress.talking = None;
            plan.dirty = true;
            let name = npc_name(&c, plan.lang, &s.npc);
            let line = t!(plan.lang, "talk-goodbye", name = name);
            plan.lines.push(line);
        }
    }
    let mut out = Outcome::default().with_event(Event::TalkedTo { npc: s.npc.clone() });
    finish(ctx, plan, room.id, &mut out, 0).await?;
    Ok(out)
}
