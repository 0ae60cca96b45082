//! Talking to people: `say`/`"`, `pose`/`:`/`emote` to the room, `page` to anyone,
//! and `who`/`where` to find them.

use std::collections::HashMap;

use super::world::{here, notify_always as notify, notify_room, user};
use super::{Entry, Registry, Reply};
use crate::session::Ctx;
use crate::store::Level;

pub fn register(r: &mut Registry) {
    r.add(Entry {
        name: "say",
        aliases: &["\""],
        usage: "say TEXT (or \"TEXT)",
        help: "speak to everyone in the room",
        level: Level::Player,
        handler: handler!(say),
    });
    r.add(Entry {
        name: "pose",
        aliases: &[":", "emote"],
        usage: "pose ACTION (or :ACTION)",
        help: "act: `:waves` shows `Alice waves`",
        level: Level::Player,
        handler: handler!(pose),
    });
    r.add(Entry {
        name: "page",
        aliases: &["p"],
        usage: "page PLAYER TEXT",
        help: "send a private message to a player anywhere",
        level: Level::Player,
        handler: handler!(page),
    });
    r.add(Entry {
        name: "who",
        aliases: &[],
        usage: "who",
        help: "who is about, and how long idle",
        level: Level::Player,
        handler: handler!(who),
    });
    r.add(Entry {
        name: "where",
        aliases: &[],
        usage: "where",
        help: "which room everyone about is in",
        level: Level::Player,
        handler: handler!(where_),
    });
}

async fn say(ctx: &mut Ctx, args: &str) -> Reply {
    if args.is_empty() {
        return Err(user("Say what?"));
    }
    let (state, _) = here(ctx).await?;
    let name = ctx.player.name.clone();
    notify_room(ctx, state.location, &format!("{name} says, \"{args}\"")).await;
    Ok(format!("You say, \"{args}\""))
}

async fn pose(ctx: &mut Ctx, args: &str) -> Reply {
    if args.is_empty() {
        return Err(user("Pose what? :waves"));
    }
    let (state, _) = here(ctx).await?;
    let sep = if args.starts_with(['\'', ',']) {
        ""
    } else {
        " "
    };
    let text = format!("{}{sep}{args}", ctx.player.name);
    notify_room(ctx, state.location, &text).await;
    Ok(text)
}

async fn page(ctx: &mut Ctx, args: &str) -> Reply {
    let (who, text) = match args.split_once('=') {
        Some((w, t)) => (w.trim(), t.trim()),
        None => super::split_command(args),
    };
    if who.is_empty() || text.is_empty() {
        return Err(user("Usage: page PLAYER TEXT"));
    }
    let (node, name) = match ctx.presence.find(who) {
        Some(found) => found,
        None => match ctx.store.player_by_name(who).await? {
            Some(p) if !p.banned => (p.node, p.name),
            _ => return Err(user(format!("No player called {who:?}."))),
        },
    };
    notify(ctx, node, &format!("{} pages: {text}", ctx.player.name)).await;
    Ok(format!("You page {name}: {text}"))
}

fn idle(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        _ => format!("{}h", secs / 3600),
    }
}

async fn who(ctx: &mut Ctx, _args: &str) -> Reply {
    let now = tokio::time::Instant::now();
    let list: Vec<String> = ctx
        .presence
        .everyone()
        .into_iter()
        .map(|(_, s)| {
            format!(
                "{} {}",
                s.name,
                idle(now.duration_since(s.last_active).as_secs())
            )
        })
        .collect();
    Ok(format!("{} about: {}.", list.len(), list.join(", ")))
}

async fn where_(ctx: &mut Ctx, _args: &str) -> Reply {
    let mut rooms: HashMap<u64, String> = HashMap::new();
    let mut list = Vec::new();
    for (_, s) in ctx.presence.everyone() {
        let room = match rooms.get(&s.room) {
            Some(name) => name.clone(),
            None => {
                let name = match ctx.store.object(s.room).await? {
                    Some(r) if !r.has_flag("dark") => r.name,
                    _ => "somewhere".to_string(),
                };
                rooms.insert(s.room, name.clone());
                name
            }
        };
        list.push(format!("{} in {room}", s.name));
    }
    Ok(format!("{}.", list.join("; ")))
}
