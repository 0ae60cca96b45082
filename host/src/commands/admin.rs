//! Running the place (Level::Wizard): `@teleport`, `@boot`, `@ban`/`@unban`,
//! `@builder`, `@shutdown`. Changes to another player's record mark it stale in the
//! presence map, so their session reloads it before their next command.

use meshmush_protocol::packets::{node_id, parse_node_id};
use tracing::warn;

use super::world::{arrive, notify_always as notify, parse_id, refusal, user};
use super::{CommandError, Registry, Reply};
use crate::session::{Ctx, unix_now};
use crate::store::{Level, ObjectKind, Player};

pub fn register(r: &mut Registry) {
    entry!(
        r,
        Level::Wizard,
        "@teleport",
        &["@tel"],
        "@teleport [PLAYER=]#ROOM",
        "move yourself or a player",
        teleport
    );
    entry!(
        r,
        Level::Wizard,
        "@boot",
        &[],
        "@boot PLAYER",
        "send a player home and forget them until they speak",
        boot
    );
    entry!(
        r,
        Level::Wizard,
        "@ban",
        &[],
        "@ban PLAYER|!NODE",
        "ignore a node entirely",
        ban
    );
    entry!(
        r,
        Level::Wizard,
        "@unban",
        &[],
        "@unban PLAYER|!NODE",
        "lift a ban",
        unban
    );
    entry!(
        r,
        Level::Wizard,
        "@builder",
        &[],
        "@builder PLAYER",
        "give a player building rights",
        builder
    );
    entry!(
        r,
        Level::Wizard,
        "@shutdown",
        &[],
        "@shutdown",
        "ask the operator to stop the daemon",
        shutdown
    );
}

/// A player by name or `!node`; a node never heard from gets a player record so it can
/// be banned ahead of time.
async fn player_arg(ctx: &Ctx, word: &str) -> Result<Player, CommandError> {
    let word = word.trim();
    if let Some(node) = parse_node_id(word) {
        if let Some(p) = ctx.store.player(node).await? {
            return Ok(p);
        }
        return Ok(ctx.store.create_player(node, "", unix_now()).await?);
    }
    ctx.store
        .player_by_name(word)
        .await?
        .ok_or_else(|| user(format!("No player called {word:?}.")))
}

async fn teleport(ctx: &mut Ctx, args: &str) -> Reply {
    let (who, target) = match args.split_once('=') {
        Some((w, t)) => (Some(w.trim()), t.trim()),
        None => (None, args.trim()),
    };
    let to = parse_id(target).ok_or_else(|| user("Usage: @teleport [PLAYER=]#ROOM"))?;
    match ctx.store.object(to).await? {
        Some(o) if o.kind == ObjectKind::Room => {}
        _ => return Err(user(format!("#{to} is not a room."))),
    }
    let Some(who) = who.filter(|w| !w.eq_ignore_ascii_case("me")) else {
        let from = ctx.store.player_state(ctx.node).await?.location;
        return arrive(ctx, from, to, "vanishes").await;
    };
    let p = player_arg(ctx, who).await?;
    ctx.store.move_player(p.node, to).await.map_err(refusal)?;
    ctx.presence.set_room(p.node, to);
    notify(
        ctx,
        p.node,
        &format!("{} teleports you to #{to}. Try look.", ctx.player.name),
    )
    .await;
    Ok(format!("Teleported {} to #{to}.", p.name))
}

async fn boot(ctx: &mut Ctx, args: &str) -> Reply {
    let p = player_arg(ctx, args).await?;
    let state = ctx.store.player_state(p.node).await?;
    ctx.store
        .move_player(p.node, state.home)
        .await
        .map_err(refusal)?;
    notify(ctx, p.node, "You have been booted home by a wizard.").await;
    ctx.presence.leave(p.node);
    Ok(format!("Booted {}.", p.name))
}

async fn set_banned(ctx: &mut Ctx, args: &str, banned: bool) -> Reply {
    let mut p = player_arg(ctx, args).await?;
    if p.node == ctx.node {
        return Err(user("Not yourself."));
    }
    p.banned = banned;
    let name = p.name.clone();
    ctx.store.update_player(p.clone()).await?;
    ctx.presence.mark_stale(p.node);
    ctx.presence.set_banned(p.node, banned);
    if banned {
        warn!(node = %node_id(p.node), by = %node_id(ctx.node), "banned");
        Ok(format!("Banned {name} ({}).", node_id(p.node)))
    } else {
        Ok(format!("Unbanned {name}."))
    }
}

async fn ban(ctx: &mut Ctx, args: &str) -> Reply {
    set_banned(ctx, args, true).await
}

async fn unban(ctx: &mut Ctx, args: &str) -> Reply {
    set_banned(ctx, args, false).await
}

async fn builder(ctx: &mut Ctx, args: &str) -> Reply {
    let mut p = player_arg(ctx, args).await?;
    if p.level >= Level::Builder {
        return Ok(format!("{} can build already.", p.name));
    }
    p.level = Level::Builder;
    ctx.store.update_player(p.clone()).await?;
    ctx.presence.mark_stale(p.node);
    notify(ctx, p.node, "You may build now: help @dig.").await;
    Ok(format!("{} is a builder.", p.name))
}

async fn shutdown(ctx: &mut Ctx, _args: &str) -> Reply {
    warn!(by = %node_id(ctx.node), "shutdown asked for over the air; stop the service to shut down");
    Ok("Noted in the log; the operator stops the daemon (systemctl stop meshmush).".into())
}
