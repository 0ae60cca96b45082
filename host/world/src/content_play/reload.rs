//! `@reload`: a wizard reads the content files again. All of it is checked first; if
//! anything is wrong the running world is left exactly as it was and the reply names
//! the file, the entry and the problem.

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_lang::t;
use meshmush_store::Level;

pub fn register(r: &mut Registry) {
    r.add::<Reload>();
}

/// `@reload`.
#[derive(Debug, PartialEq)]
pub struct Reload;

impl Command for Reload {
    const SPEC: Spec = Spec {
        name: "@reload",
        aliases: &[],
        usage: "@reload",
        help: "read the content files again (nothing changes if they are wrong)",
        level: Level::Wizard,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        match ctx.content().reload(ctx.store()).await {
            Ok(c) => {
                tracing::info!(
                    npcs = c.npcs.len(),
                    quests = c.quests.len(),
                    "content reloaded"
                );
                Ok(t!(
                    ctx.lang,
                    "reloaded",
                    n = c.npcs.len(),
                    count = c.quests.len(),
                    num = c.shops.len(),
                    total = c.triggers.len()
                )
                .into())
            }
            Err(e) => {
                tracing::warn!(problems = e.problems.len(), "content reload refused");
                let first = e
                    .problems
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let lang = ctx.lang;
                Err(user(match e.problems.len() {
                    0 | 1 => t!(lang, "reload-refused", error = first),
                    n => t!(lang, "reload-refused-more", error = first, more = n - 1),
                }))
            }
        }
    }
}
