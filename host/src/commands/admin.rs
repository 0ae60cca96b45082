//! Running the place (Level::Wizard): `@teleport`, `@boot`, `@ban`/`@unban`,
//! `@builder`, `@shutdown`. Changes to another player's record mark it stale in the
//! roster, so their session reloads it before their next command.

use meshmush_protocol::packets::{node_id, parse_node_id};
use tracing::warn;

use super::ctx::Ctx;
use super::outcome::{End, NoticeKind, Outcome};
use super::registry::{Command, CommandError, Registry, Reply, Spec, Usage, user};
use super::room::{arrive, parse_id, refusal};
use super::text::unix_now;
use meshmush_store::{Level, ObjectKind, Player};

pub fn register(r: &mut Registry) {
    r.add::<Teleport>();
    r.add::<Boot>();
    r.add::<Ban>();
    r.add::<Unban>();
    r.add::<Builder>();
    r.add::<Repin>();
    r.add::<Shutdown>();
}

const fn wizard(name: &'static str, usage: &'static str, help: &'static str) -> Spec {
    Spec {
        name,
        aliases: &[],
        usage,
        help,
        level: Level::Wizard,
    }
}

/// A player named by name or `!node`.
fn player_word(args: &str) -> Result<String, Usage> {
    let word = args.trim();
    if word.is_empty() {
        return Err(Usage::show());
    }
    Ok(word.to_string())
}

/// A player by name or `!node`; a node never heard from gets a player record so it can
/// be banned ahead of time.
async fn player_arg(ctx: &Ctx, word: &str) -> Result<Player, CommandError> {
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

/// `@teleport [PLAYER=]#ROOM`.
#[derive(Debug, PartialEq)]
pub struct Teleport {
    /// `None`: the wizard themself.
    pub who: Option<String>,
    pub to: u64,
}

impl Command for Teleport {
    const SPEC: Spec = Spec {
        aliases: &["@tel"],
        ..wizard(
            "@teleport",
            "@teleport [PLAYER=]#ROOM",
            "move yourself or a player",
        )
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (who, target) = match args.split_once('=') {
            Some((w, t)) => (Some(w.trim()), t.trim()),
            None => (None, args.trim()),
        };
        Ok(Self {
            who: who
                .filter(|w| !w.eq_ignore_ascii_case("me"))
                .map(String::from),
            to: parse_id(target).ok_or_else(Usage::show)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let to = self.to;
        match ctx.store().object(to).await? {
            Some(o) if o.kind == ObjectKind::Room => {}
            _ => return Err(user(format!("#{to} is not a room."))),
        }
        let Some(who) = self.who else {
            let from = ctx.store().player_state(ctx.node).await?.location;
            return arrive(ctx, from, to, "vanishes").await;
        };
        let p = player_arg(ctx, &who).await?;
        ctx.store().move_player(p.node, to).await.map_err(refusal)?;
        ctx.roster().set_room(p.node, to);
        Ok(
            Outcome::reply(format!("Teleported {} to #{to}.", p.name)).to_player(
                p.node,
                NoticeKind::Direct,
                format!("{} teleports you to #{to}. Try look.", ctx.player.name),
            ),
        )
    }
}

/// `@boot PLAYER`.
#[derive(Debug, PartialEq)]
pub struct Boot {
    pub who: String,
}

impl Command for Boot {
    const SPEC: Spec = wizard(
        "@boot",
        "@boot PLAYER",
        "send a player home and forget them until they speak",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            who: player_word(args)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let p = player_arg(ctx, &self.who).await?;
        let state = ctx.store().player_state(p.node).await?;
        ctx.store()
            .move_player(p.node, state.home)
            .await
            .map_err(refusal)?;
        ctx.roster().leave(p.node);
        Ok(Outcome::reply(format!("Booted {}.", p.name)).to_player(
            p.node,
            NoticeKind::Direct,
            "You have been booted home by a wizard.",
        ))
    }
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
