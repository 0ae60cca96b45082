//! Running the place (Level::Wizard): `@ban`/`@unban`, `@builder`, `@repin`,
//! `@shutdown` (moving players, `@teleport` and `@boot`, is the world's:
//! `wizard_moves.rs`). Changes to another player's record mark it stale in the
//! roster, so their session reloads it before their next command.

use meshmush_protocol::packets::{node_id, parse_node_id};
use tracing::warn;

use super::ctx::Ctx;
use super::outcome::{End, NoticeKind, Outcome};
use super::registry::{Command, CommandError, Registry, Reply, Spec, Usage, user};
use super::text::unix_now;
use meshmush_store::{Level, Player};

pub fn register(r: &mut Registry) {
    r.add::<Ban>();
    r.add::<Unban>();
    r.add::<Builder>();
    r.add::<Repin>();
    r.add::<Shutdown>();
}

/// A wizard command's spec.
pub const fn wizard(name: &'static str, usage: &'static str, help: &'static str) -> Spec {
    Spec {
        name,
        aliases: &[],
        usage,
        help,
        level: Level::Wizard,
    }
}

/// A player named by name or `!node`.
pub fn player_word(args: &str) -> Result<String, Usage> {
    let word = args.trim();
    if word.is_empty() {
        return Err(Usage::show());
    }
    Ok(word.to_string())
}

/// A player by name or `!node`; a node never heard from gets a player record so it can
/// be banned ahead of time.
pub async fn player_arg(ctx: &Ctx, word: &str) -> Result<Player, CommandError> {
    if let Some(node) = parse_node_id(word) {
        if let Some(p) = ctx.store().player(node).await? {
            return Ok(p);
        }
        return Ok(ctx.store().create_player(node, "", unix_now()).await?);
    }
    ctx.store()
        .player_by_name(word)
        .await?
        .ok_or_else(|| user(format!("No player called {word:?}.")))
}

async fn set_banned(ctx: &mut Ctx, who: &str, banned: bool) -> Reply {
    let mut p = player_arg(ctx, who).await?;
    if p.node == ctx.node {
        return Err(user("Not yourself."));
    }
    p.banned = banned;
    let name = p.name.clone();
    ctx.store().update_player(p.clone()).await?;
    ctx.roster().mark_stale(p.node);
    ctx.roster().set_banned(p.node, banned);
    if banned {
        warn!(node = %node_id(p.node), by = %node_id(ctx.node), "banned");
        Ok(format!("Banned {name} ({}).", node_id(p.node)).into())
    } else {
        Ok(format!("Unbanned {name}.").into())
    }
}

/// `@ban PLAYER|!NODE`.
#[derive(Debug, PartialEq)]
pub struct Ban {
    pub who: String,
}

impl Command for Ban {
    const SPEC: Spec = wizard("@ban", "@ban PLAYER|!NODE", "ignore a node entirely");

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            who: player_word(args)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        set_banned(ctx, &self.who, true).await
    }
}

/// `@unban PLAYER|!NODE`.
#[derive(Debug, PartialEq)]
pub struct Unban {
    pub who: String,
}

impl Command for Unban {
    const SPEC: Spec = wizard("@unban", "@unban PLAYER|!NODE", "lift a ban");

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            who: player_word(args)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        set_banned(ctx, &self.who, false).await
    }
}

/// `@builder PLAYER`.
#[derive(Debug, PartialEq)]
pub struct Builder {
    pub who: String,
}

impl Command for Builder {
    const SPEC: Spec = wizard(
        "@builder",
        "@builder PLAYER",
        "give a player building rights",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            who: player_word(args)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut p = player_arg(ctx, &self.who).await?;
        if p.level >= Level::Builder {
            return Ok(format!("{} can build already.", p.name).into());
        }
        p.level = Level::Builder;
        ctx.store().update_player(p.clone()).await?;
        ctx.roster().mark_stale(p.node);
        Ok(
            Outcome::reply(format!("{} is a builder.", p.name)).to_player(
                p.node,
                NoticeKind::Direct,
                "You may build now: help @dig.",
            ),
        )
    }
}

/// `@repin PLAYER|!NODE`: forgets the node's pinned key, for a handset that really
/// changed; the next key the node is seen with is pinned.
#[derive(Debug, PartialEq)]
pub struct Repin {
    pub who: String,
}

impl Command for Repin {
    const SPEC: Spec = wizard(
        "@repin",
        "@repin PLAYER|!NODE",
        "forget a node's key; the next one it uses is pinned",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            who: player_word(args)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let p = player_arg(ctx, &self.who).await?;
        if !ctx.store().unpin(p.node).await? {
            return Ok(format!("{} has no pinned key.", p.name).into());
        }
        ctx.roster().mark_stale(p.node);
        warn!(node = %node_id(p.node), by = %node_id(ctx.node), "key unpinned");
        Ok(format!("Unpinned {}: the next key it uses is pinned.", p.name).into())
    }
}

/// `@shutdown`: stops the daemon cleanly after the reply. The systemd unit in deploy/
/// restarts it only on failure, so it stays down until the operator starts it.
#[derive(Debug, PartialEq)]
pub struct Shutdown;

impl Command for Shutdown {
    const SPEC: Spec = wizard(
        "@shutdown",
        "@shutdown",
        "stop the daemon cleanly (everything is saved)",
    );

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        warn!(by = %node_id(ctx.node), "shutdown asked for over the air");
        Ok(Outcome::reply("Shutting down; everything is saved.").ending(End::Shutdown))
    }
}
