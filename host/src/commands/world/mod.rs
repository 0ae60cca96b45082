//! The world's content at play: NPCs and dialogue (`talk`, a number to answer),
//! quests (`quests`), shops (`list`, `buy`, `sell`), achievements, `use`, houses
//! (`@house`) and the wizard's `@reload`, all driven by the content files (see
//! [`crate::content`]). After every command [`after`] gives the content its say:
//! triggers on what the command's [`Event`]s say happened (entering, leaving,
//! saying, getting, dropping), achievement counts by event kind, quest steps done by
//! standing somewhere or carrying something, and achievements, all stored in one
//! transaction and told at the end of the same reply.

mod engine;
mod housing;
mod npcs;
mod quests;
mod reload;
mod shops;
mod triggers;

use tracing::warn;

use super::ctx::Ctx;
use super::outcome::Outcome;
use super::registry::{CommandError, Registry, Reply};
use crate::content::Content;
use crate::content::schema::Event as On;
use crate::events::Event;
use crate::store::Place;
pub(super) use engine::Plan;
pub(super) use npcs::{npc_look, npcs_line};

/// How deep one trigger's effects may set off others (a move fires `enter`).
pub const MAX_DEPTH: u8 = 3;

pub fn register(r: &mut Registry) {
    npcs::register(r);
    quests::register(r);
    shops::register(r);
    triggers::register(r);
    housing::register(r);
    reload::register(r);
}

/// The player's content state and purse, ready to change.
pub(super) async fn plan(ctx: &Ctx) -> Result<Plan, CommandError> {
    Ok(plan_at(ctx).await?.0)
}

/// [`plan`], and the room the player stands in (read with it, not again).
async fn plan_at(ctx: &Ctx) -> Result<(Plan, u64), CommandError> {
    let progress = ctx.store.progress(ctx.node).await?;
    let held = ctx.store.contents(Place::Player(ctx.node)).await?;
    let state = ctx.store.player_state(ctx.node).await?;
    let plan = Plan::new(ctx.node, &ctx.player.name, progress, held, state.coins);
    Ok((plan, state.location))
}

/// Stores `plan` in one transaction and tells its lines; then makes any move it asks
/// for, firing what that move sets off, at most [`MAX_DEPTH`] deep. Such a move is
/// followed here, so its [`Event::Moved`] is not added to `out` (where [`after`]
/// would fire it again).
pub(super) async fn finish(
    ctx: &Ctx,
    plan: Plan,
    room: u64,
    out: &mut Outcome,
    depth: u8,
) -> Result<(), CommandError> {
    if !plan.changes() && plan.lines.is_empty() && plan.room_lines.is_empty() {
        return Ok(());
    }
    let (deal, lines, room_lines, move_to) = plan.into_deal();
    if deal.progress.is_some()
        || deal.coins_in > 0
        || deal.coins_out > 0
        || !deal.give.is_empty()
        || !deal.take.is_empty()
    {
        ctx.store.deal(deal).await.map_err(|e| match e {
            crate::store::StoreError::Deal(r) => {
                let mut s = r.to_string();
                if let Some(first) = s.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                CommandError::User(format!("{s}."))
            }
            other => super::room::refusal(other),
        })?;
    }
    for line in lines {
        push_line(&mut out.reply, &line);
    }
    for line in room_lines {
        *out = std::mem::take(out).to_room(room, ctx.node, line);
    }
    if let Some(to) = move_to
        && to != room
        && depth < MAX_DEPTH
    {
        let moved = super::room::arrive(ctx, room, to, "is moved away").await?;
        push_line(&mut out.reply, &moved.reply);
        out.notices.extend(moved.notices);
        let c = ctx.content.current();
        let mut next = self::plan(ctx).await?;
        triggers::fire_move(&c, &mut next, room, to);
        next.settle_quests(&c, c.room_key(to));
        note_visit(&c, &mut next, to);
        next.earn(&c, super::text::unix_now());
        Box::pin(finish(ctx, next, to, out, depth + 1)).await?;
    }
    Ok(())
}

/// Adds a line to a reply.
pub(super) fn push_line(reply: &mut String, line: &str) {
    if !reply.is_empty() {
        reply.push('\n');
    }
    reply.push_str(line);
}

fn note_visit(c: &Content, plan: &mut Plan, room: u64) {
    if c.room_key(room).is_some() && plan.progress.visited.insert(room) {
        plan.dirty = true;
    }
}

/// A number alone answers the open conversation; `None` if `word` is no number.
pub async fn answer(ctx: &mut Ctx, word: &str) -> Option<Reply> {
    let n: usize = word.parse().ok()?;
    Some(npcs::choose(ctx, n).await)
}

/// Gives content its say after a command, from what the command says it did (its
/// [`Event`]s): triggers, achievement counts, quest steps, achievements. Trouble
/// here is logged; the command's own reply still goes.
pub async fn after(ctx: &Ctx, out: &mut Outcome) {
    if let Err(e) = after_inner(ctx, out).await {
        match e {
            CommandError::User(msg) => push_line(&mut out.reply, &msg),
            CommandError::Store(e) => warn!(error = %e, "content could not follow the command"),
        }
    }
}

async fn after_inner(ctx: &Ctx, out: &mut Outcome) -> Result<(), CommandError> {
    let c = ctx.content.current();
    let (mut plan, room) = plan_at(ctx).await?;
    for event in &out.events {
        match event {
            Event::Moved { from, to } => triggers::fire_move(&c, &mut plan, *from, *to),
            Event::Said { room, text } => triggers::fire_say(&c, &mut plan, *room, text),
            Event::Got { thing } => fire_thing(ctx, &c, &mut plan, On::Get, room, *thing).await?,
            Event::Dropped { thing } => {
                fire_thing(ctx, &c, &mut plan, On::Drop, room, *thing).await?;
            }
            // `use` fires its own triggers; the rest have none.
            _ => {}
        }
        count(&c, &mut plan, event.kind());
    }
    note_visit(&c, &mut plan, room);
    plan.settle_quests(&c, c.room_key(room));
    plan.earn(&c, super::text::unix_now());
    finish(ctx, plan, room, out, 0).await
}

/// The get or drop triggers of `thing` (as it is now) in `room`.
async fn fire_thing(
    ctx: &Ctx,
    c: &Content,
    plan: &mut Plan,
    on: On,
    room: u64,
    thing: u64,
) -> Result<(), CommandError> {
    if let Some(o) = ctx.store.object(thing).await? {
        triggers::fire_thing(c, plan, on, room, &o);
    }
    Ok(())
}

/// Counts an event of `kind` toward the achievements that count it and are not yet had.
fn count(c: &Content, plan: &mut Plan, kind: &'static str) {
    let wanted = c.achievements.iter().any(|a| {
        a.command.as_deref() == Some(kind) && !plan.progress.achievements.contains_key(&a.key)
    });
    if wanted {
        *plan.progress.counts.entry(kind.to_string()).or_insert(0) += 1;
        plan.dirty = true;
    }
}
