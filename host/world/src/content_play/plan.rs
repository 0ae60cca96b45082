//! The plan a world command works on, and how it is finished: read the player's
//! content state and purse ([`plan`]), then store the changes in one transaction and
//! follow any move they ask for ([`finish`]). A module of its own so the commands
//! (`talk`, `buy`, `use`, ...) and `world::after` share it without importing
//! `world/mod.rs`, which registers them.

use super::engine::Plan;
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::CommandError;
use meshmush_core::content::Content;
use meshmush_store::Place;

/// How deep one trigger's effects may set off others (a move fires `enter`).
pub const MAX_DEPTH: u8 = 3;

/// The player's content state and purse, ready to change.
pub(super) async fn plan(ctx: &Ctx) -> Result<Plan, CommandError> {
    Ok(plan_at(ctx).await?.0)
}

/// [`plan`], and the room the player stands in (read with it, not again).
pub(super) async fn plan_at(ctx: &Ctx) -> Result<(Plan, u64), CommandError> {
    let progress = ctx.store().progress(ctx.node).await?;
    let held = ctx.store().contents(Place::Player(ctx.node)).await?;
    let state = ctx.store().player_state(ctx.node).await?;
    let name = &ctx.player.name;
    let plan = Plan::new(ctx.node, name, ctx.lang, progress, held, state.coins);
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
        ctx.store()
            .deal(deal)
            .await
            .map_err(|e| super::super::room::refusal(ctx.lang, e))?;
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
        let moved =
            super::super::room::arrive(ctx, room, to, super::super::room::Leaving::MovedAway)
                .await?;
        push_line(&mut out.reply, &moved.reply);
        out.notices.extend(moved.notices);
        let c = ctx.content().current();
        let mut next = self::plan(ctx).await?;
        super::triggers::fire_move(&c, &mut next, room, to);
        next.settle_quests(&c, c.room_key(to));
        note_visit(&c, &mut next, to);
        next.earn(&c, meshmush_core::commands::text::unix_now());
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

pub(super) fn note_visit(c: &Content, plan: &mut Plan, room: u64) {
    if c.room_key(room).is_some() && plan.progress.visited.insert(room) {
        plan.dirty = true;
    }
}
