//! From a typed line to an outcome. The first word is looked up in the command sources
//! in order, as Evennia merges command sets: a command's exact name or alias; then the
//! exits of the player's room (`n`, `out`: typed alone, an exit is a command); then a
//! command's unambiguous prefix; then close names for "did you mean". The room's exits
//! are read only when no command is called exactly that. A number alone answers the
//! open conversation (see `world`). After the command, the world's content has its
//! say on what the command's events say it did (`world::after`: triggers, quest
//! steps, achievements); which command ran is known here only for the log.

use tracing::warn;

use super::ctx::Ctx;
use super::outcome::Outcome;
use super::registry::{CommandError, Fed, Lookup, Reply};
use super::text::{echo, level_word};
use meshmush_lang::{Lang, t};
use meshmush_store::{Level, StoreError};

/// What a line a player sent comes to.
#[derive(Debug)]
pub enum Handled {
    /// The pager's `more`: the delivery sends the next page.
    More,
    /// Everything else: a command's outcome, or a draft's.
    Done(Outcome),
}

/// Handles one line as the session does: a line for the player's open draft (see
/// `compose`), the pager's `more`, or a command.
pub async fn handle(ctx: &mut Ctx, line: &str) -> Handled {
    let mut expired = None;
    ctx.ran = None;
    let hook = ctx.registry.draft_feed();
    if let Some((draft, hook)) = ctx.draft.take().zip(hook) {
        match (hook.feed)(ctx, draft, line).await {
            Fed::Taken(mut outcome) => {
                ctx.ran = Some((hook.family, hook.name));
                // A finished draft is a post or a mail sent: the content follows it.
                if !outcome.events.is_empty() {
                    follow(ctx, &mut outcome).await;
                }
                return Handled::Done(outcome);
            }
            Fed::Expired(note) => expired = Some(note),
        }
    }
    // `more` exists only while a page waits; any other command's reply replaces what
    // waited (the delivery drops it, or pages the new reply).
    if expired.is_none() && line.trim().eq_ignore_ascii_case("more") {
        ctx.ran = Some(("pager", "more"));
        return Handled::More;
    }
    let mut outcome = execute(ctx, line).await;
    if let Some(note) = expired {
        outcome.reply = format!("{note} {}", outcome.reply);
    }
    Handled::Done(outcome)
}

/// Parses and runs one command line, then lets the world's content follow what it did.
pub async fn execute(ctx: &mut Ctx, line: &str) -> Outcome {
    let mut out = run_line(ctx, line).await;
    follow(ctx, &mut out).await;
    out
}

/// Runs the registry's after-hooks on `out` (the world's content follows the events).
async fn follow(ctx: &Ctx, out: &mut Outcome) {
    let registry = ctx.registry.clone();
    for after in registry.after_hooks() {
        after(ctx, out).await;
    }
}

/// Parses and runs one command line, without the content's turn: for a command that
/// runs another (`pw`), whose own dispatch follows the events once.
pub async fn run_line(ctx: &mut Ctx, line: &str) -> Outcome {
    ctx.ran = None;
    let (word, args) = split_command(line);
    if word.is_empty() {
        return t!(ctx.lang, "say-something").into();
    }
    let reply = resolve_and_run(ctx, word, args).await;
    settle(reply, ctx.lang)
}

/// Runs the command `word` finds.
async fn resolve_and_run(ctx: &mut Ctx, word: &str, args: &str) -> Reply {
    let registry = ctx.registry.clone();
    let level = ctx.level();
    let lang = ctx.lang;
    if let Some(entry) = registry.exact(word, level) {
        tracing::debug!(command = entry.spec.name, "run");
        ctx.ran = Some((entry.family, entry.spec.name));
        return entry.run(ctx, args).await;
    }
    if args.is_empty() {
        for source in registry.word_sources() {
            if let Some(ran) = (source.run)(ctx, word).await {
                tracing::debug!(command = source.name, "run");
                ctx.ran = Some((source.family, source.name));
                return ran;
            }
        }
    }
    let entry = match registry.lookup(word, level) {
        Lookup::Found(e) => e,
        Lookup::Ambiguous(names) => {
            return Ok(t!(
                lang,
                "ambiguous",
                word = echo(word),
                names = names.join(", ")
            )
            .into());
        }
        Lookup::Unknown(_) if let Some(e) = registry.exact_or_prefix_at(word, Level::Wizard) => {
            let key = if ctx.proven() {
                "needs-rights"
            } else {
                "needs-rights-proof"
            };
            let level = level_word(lang, e.spec.level);
            return Ok(t!(lang, key, command = e.spec.name, level = level).into());
        }
        Lookup::Unknown(close) if close.is_empty() => {
            return Ok(t!(lang, "unknown-command", word = echo(word)).into());
        }
        Lookup::Unknown(close) => {
            let close = close.join(", ");
            return Ok(t!(
                lang,
                "unknown-command-close",
                word = echo(word),
                close = close
            )
            .into());
        }
    };
    tracing::debug!(command = entry.spec.name, "run");
    ctx.ran = Some((entry.family, entry.spec.name));
    entry.run(ctx, args).await
}

/// A failed command's error as the player reads it, in `lang`.
fn settle(reply: Reply, lang: Lang) -> Outcome {
    let mut refused: Outcome = match reply {
        Ok(outcome) => return outcome,
        // Counted and logged by the store, once per doubling, not once per command.
        Err(e @ CommandError::Store(StoreError::Full)) => e.text(lang).into(),
        Err(e @ CommandError::Store(_)) => {
            warn!(error = %e, "command failed");
            e.text(lang).into()
        }
        Err(e) => e.text(lang).into(),
    };
    refused.refused = true;
    refused
}

pub use super::text::split_command;
