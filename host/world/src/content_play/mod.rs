//! The world's content at play: NPCs and dialogue (`talk`, a number to answer),
//! quests (`quests`), shops (`list`, `buy`, `sell`), achievements, `use`, houses
//! (`@house`) and the wizard's `@reload`, all driven by the content files (see
//! [`meshmush_core::content`]). After every command [`after`] gives the content its say:
//! triggers on what the command's [`Event`]s say happened (entering, leaving,
//! saying, getting, dropping), achievement counts by event kind, quest steps done by
//! standing somewhere or carrying something, and achievements, all stored in one
//! transaction and told at the end of the same reply.

mod engine;
mod housing;
mod npcs;
mod plan;
pub(super) mod presence;
mod quests;
mod reload;
mod shops;
mod triggers;
mod using;

use tracing::{debug, warn};

use engine::Plan;
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::{CommandError, Registry, Reply, WordSource};
use meshmush_core::content::Content;
use meshmush_core::content::schema::Event as On;
use meshmush_core::events::Event;
use meshmush_store::StoreError;
pub use plan::MAX_DEPTH;
use plan::{finish, note_visit, plan_at, push_line};

pub fn register(r: &mut Registry) {
    r.add_after(|ctx, out| Box::pin(after(ctx, out)));
    // A word typed alone: a number answers the open conversation; else an exit of
    // the room (the last source, which a bare word is counted as).
    r.add_word_source(WordSource {
        family: "talk",
        name: "answer",
        run: |ctx, word| Box::pin(answer(ctx, word)),
    });
    r.add_word_source(WordSource {
        family: "look",
        name: "exit",
        run: |ctx, word| Box::pin(super::look::exit_command(ctx, word)),
    });
    npcs::register(r);
    quests::register(r);
    shops::register(r);
    using::register(r);
    housing::register(r);
    reload::register(r);
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
            // The store counts and logs a full disk itself, once per doubling.
            CommandError::Store(StoreError::Full) => {
                debug!("content could not follow the command: the disk is full");
            }
            CommandError::Store(e) => warn!(error = %e, "content could not follow the command"),
        }
    }
}

async fn after_inner(ctx: &Ctx, out: &mut Outcome) -> Result<(), CommandError> {
    // Content follows what a command did. One that did nothing it follows (`ping`,
    // `look`, `who`) costs no store call here: it reads nothing of the player's
    // progress, so it stays quick when the disk is slow (figure 3).
    if out.events.is_empty() {
        return Ok(());
    }
    let c = ctx.content().current();
    let (mut plan, room) = plan_at(ctx).await?;
    for event in &out.events {
        match event {
            Event::Moved { from, to } => {
                // The room left counts as visited too: where a player started, or
                // was put by a wizard, with no move of theirs to note it on arrival.
                note_visit(&c, &mut plan, *from);
                triggers::fire_move(&c, &mut plan, *from, *to);
            }
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
    plan.earn(&c, meshmush_core::commands::text::unix_now());
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
    if let Some(o) = ctx.store().object(thing).await? {
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
