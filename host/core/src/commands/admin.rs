//! Running the place (Level::Wizard): `@ban`/`@unban`, `@builder`, `@repin`,
//! `@pwlocks`, `@shutdown` (moving players, `@teleport` and `@boot`, is the world's:
//! `wizard_moves.rs`). Changes to another player's record mark it stale in the
//! roster, so their session reloads it before their next command.

use meshmush_protocol::packets::{node_id, parse_node_id};
use tracing::warn;

use super::ctx::Ctx;
use super::outcome::{End, NoticeKind, Outcome};
use super::registry::{Command, CommandError, Registry, Reply, Spec, Usage, user};
use super::text::{echo, unix_now};
use crate::roster::{PwLock, PwSubject};
use meshmush_lang::t;
use meshmush_store::{Level, Player};

pub fn register(r: &mut Registry) {
    r.add::<Ban>();
    r.add::<Unban>();
    r.add::<Builder>();
    r.add::<Repin>();
    r.add::<PwLocks>();
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
        .ok_or_else(|| user(t!(ctx.lang, "admin-no-player", word = echo(word))))
}

async fn set_banned(ctx: &mut Ctx, who: &str, banned: bool) -> Reply {
    let mut p = player_arg(ctx, who).await?;
    if p.node == ctx.node {
        return Err(user(t!(ctx.lang, "admin-not-yourself")));
    }
    p.banned = banned;
    let name = p.name.clone();
    ctx.store().update_player(p.clone()).await?;
    ctx.roster().mark_stale(p.node);
    ctx.roster().set_banned(p.node, banned);
    if banned {
        warn!(node = %node_id(p.node), by = %node_id(ctx.node), "banned");
        Ok(t!(ctx.lang, "banned", name = name, id = node_id(p.node)).into())
    } else {
        Ok(t!(ctx.lang, "unbanned", name = name).into())
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
            return Ok(t!(ctx.lang, "builder-already", name = &p.name).into());
        }
        p.level = Level::Builder;
        ctx.store().update_player(p.clone()).await?;
        ctx.roster().mark_stale(p.node);
        // The new builder is told in their own language.
        let theirs = Ctx::language_of(&ctx.common, &ctx.store().habits(p.node).await?);
        Ok(
            Outcome::reply(t!(ctx.lang, "builder-made", name = &p.name)).to_player(
                p.node,
                NoticeKind::Direct,
                t!(theirs, "builder-notice"),
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
            return Ok(t!(ctx.lang, "unpin-none", name = &p.name).into());
        }
        ctx.roster().mark_stale(p.node);
        warn!(node = %node_id(p.node), by = %node_id(ctx.node), "key unpinned");
        Ok(t!(ctx.lang, "unpinned", name = &p.name).into())
    }
}

/// Entries `@pwlocks` lists at most.
const PWLOCKS_SHOWN: usize = 20;

/// `@pwlocks [clear PLAYER|!NODE]`: the nodes and accounts with wrong passwords
/// counted (locked ones first, with the time left), or lifts one's lock and count (a
/// real owner locked out by someone guessing).
#[derive(Debug, PartialEq)]
pub enum PwLocks {
    List,
    Clear(String),
}

impl Command for PwLocks {
    const SPEC: Spec = wizard(
        "@pwlocks",
        "@pwlocks [clear PLAYER|!NODE]",
        "nodes and accounts locked after wrong passwords; clear lifts one",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        let (word, rest) = super::text::split_command(args);
        match word.to_lowercase().as_str() {
            "" => Ok(Self::List),
            "clear" => Ok(Self::Clear(player_word(rest)?)),
            _ => Err(Usage::show()),
        }
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        match self {
            Self::Clear(who) => {
                let p = player_arg(ctx, &who).await?;
                if !ctx.roster().pw_clear(p.node) {
                    return Ok(t!(ctx.lang, "pwlocks-none-for", name = &p.name).into());
                }
                warn!(node = %node_id(p.node), by = %node_id(ctx.node), "password lock lifted");
                Ok(t!(ctx.lang, "pwlocks-cleared", name = &p.name).into())
            }
            Self::List => {
                let locks = ctx.roster().pw_locks();
                if locks.is_empty() {
                    return Ok(t!(ctx.lang, "pwlocks-none").into());
                }
                let mut lines = vec![t!(ctx.lang, "pwlocks-head", n = locks.len())];
                for l in locks.iter().take(PWLOCKS_SHOWN) {
                    lines.push(pw_lock_line(ctx, l).await?);
                }
                if locks.len() > PWLOCKS_SHOWN {
                    let more = locks.len() - PWLOCKS_SHOWN;
                    lines.push(t!(ctx.lang, "pwlocks-more", n = more));
                }
                Ok(lines.join("\n").into())
            }
        }
    }
}

/// One `@pwlocks` line: `node !0a000001 Ann: 4 wrong, locked 58 s`.
async fn pw_lock_line(ctx: &Ctx, l: &PwLock) -> Result<String, CommandError> {
    let (kind, number) = match l.subject {
        PwSubject::Node(n) => ("node", n),
        PwSubject::Account(n) => ("account", n),
    };
    let name = match ctx.store().player(number).await? {
        Some(p) if !p.name.is_empty() => format!(" {}", p.name),
        _ => String::new(),
    };
    let state = match l.wait {
        Some(w) => {
            let secs = w.as_secs() + u64::from(w.subsec_nanos() > 0);
            t!(ctx.lang, "pwlocks-locked", n = secs)
        }
        None => t!(ctx.lang, "pwlocks-unlocked"),
    };
    Ok(t!(
        ctx.lang,
        "pwlocks-line",
        kind = kind,
        id = node_id(number),
        name = name,
        n = l.failures,
        state = state
    ))
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
        Ok(Outcome::reply(t!(ctx.lang, "shutdown")).ending(End::Shutdown))
    }
}
