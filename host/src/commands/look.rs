//! Seeing and moving: `look`, `examine`, `exits`, `go`, `home`, and walking by typing an
//! exit's name (`n`, `out`) as a command, which the session tries before "unknown".

use super::world::{arrive, find_near, here, passes, pick, room_view, user};
use super::{Entry, HandlerFuture, Registry, Reply};
use crate::session::Ctx;
use crate::store::{Level, Lock, Object, ObjectKind, Place};

/// Direction words: typed with no exit that way, they say so instead of running the
/// command they happen to prefix (`n` is not `name`).
const DIRECTIONS: &[&str] = &[
    "n",
    "s",
    "e",
    "w",
    "ne",
    "nw",
    "se",
    "sw",
    "u",
    "d",
    "up",
    "down",
    "out",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

pub fn register(r: &mut Registry) {
    r.add(Entry {
        name: "look",
        aliases: &["l"],
        usage: "look [thing]",
        help: "describe the room, or a thing or exit",
        level: Level::Player,
        handler: handler!(look),
    });
    r.add(Entry {
        name: "examine",
        aliases: &["ex"],
        usage: "examine [thing]",
        help: "look closely; owners see ids, flags and locks",
        level: Level::Player,
        handler: handler!(examine),
    });
    r.add(Entry {
        name: "exits",
        aliases: &[],
        usage: "exits",
        help: "where you can go from here",
        level: Level::Player,
        handler: handler!(exits),
    });
    r.add(Entry {
        name: "go",
        aliases: &["move", "walk"],
        usage: "go EXIT (or just the exit: n, out)",
        help: "leave by an exit",
        level: Level::Player,
        handler: go,
    });
    r.add(Entry {
        name: "home",
        aliases: &[],
        usage: "home",
        help: "go back to your home room",
        level: Level::Player,
        handler: handler!(home),
    });
}

async fn look(ctx: &mut Ctx, args: &str) -> Reply {
    let (_, room) = here(ctx).await?;
    if args.is_empty() || args.eq_ignore_ascii_case("here") {
        return room_view(ctx, &room, true).await;
    }
    if args.eq_ignore_ascii_case("me") {
        return Ok(format!("You are {}.", ctx.player.name));
    }
    let thing = match find_near(ctx, &room, args).await {
        Ok(thing) => thing,
        Err(e) => {
            let people = ctx.presence.in_room(room.id, ctx.notify_window);
            return match people.iter().find(|(_, n)| n.eq_ignore_ascii_case(args)) {
                Some((_, name)) => Ok(format!("{name} is here.")),
                None => Err(e),
            };
        }
    };
    Ok(describe(ctx, &thing).await)
}

async fn describe(ctx: &Ctx, o: &Object) -> String {
    match o.kind {
        ObjectKind::Exit => {
            let to = match o.destination {
                Some(d) => ctx.store.object(d).await.ok().flatten().map(|r| r.name),
                None => None,
            };
            match to {
                Some(to) => format!("{} leads to {to}.", o.name),
                None => format!("{} leads nowhere.", o.name),
            }
        }
        _ if !o.long_desc.is_empty() => o.long_desc.clone(),
        _ if !o.short_desc.is_empty() => o.short_desc.clone(),
        _ => format!("You see nothing special about {}.", o.name),
    }
}

async fn examine(ctx: &mut Ctx, args: &str) -> Reply {
    let (_, room) = here(ctx).await?;
    let target = if args.is_empty() { "here" } else { args };
    let o = find_near(ctx, &room, target).await?;
    let detail = ctx.level() >= Level::Builder || (o.owner != 0 && o.owner == ctx.node);
    if !detail {
        return Ok(format!("{}: {}", o.name, describe(ctx, &o).await));
    }
    let owner = match o.owner {
        0 => "system".to_string(),
        n => match ctx.store.player(n).await? {
            Some(p) => p.name,
            None => meshmush_protocol::packets::node_id(n),
        },
    };
    let mut out = format!("{} #{} {:?}, owner {owner}", o.name, o.id, o.kind).to_string();
    if !o.aliases.is_empty() {
        out.push_str(&format!(", aka {}", o.aliases.join(";")));
    }
    if let Some(d) = o.destination {
        out.push_str(&format!(", to #{d}"));
    }
    match o.location {
        Some(Place::Object(id)) => out.push_str(&format!(", in #{id}")),
        Some(Place::Player(n)) => out.push_str(&format!(
            ", held by {}",
            meshmush_protocol::packets::node_id(n)
        )),
        None => {}
    }
    if !o.flags.is_empty() {
        out.push_str(&format!(", flags {}", o.flags.join(" ")));
    }
    match o.lock {
        Some(Lock::Owner) => out.push_str(", locked to owner"),
        Some(Lock::Player(n)) => out.push_str(&format!(
            ", locked to {}",
            meshmush_protocol::packets::node_id(n)
        )),
        Some(Lock::Key(k)) => out.push_str(&format!(", key #{k}")),
        None => {}
    }
    out.push_str(". ");
    out.push_str(&describe(ctx, &o).await);
    Ok(out)
}

async fn exits(ctx: &mut Ctx, _args: &str) -> Reply {
    let (_, room) = here(ctx).await?;
    let exits = ctx.store.exits(room.id).await?;
    if exits.is_empty() {
        return Ok("No exits. Try home.".into());
    }
    let mut parts = Vec::new();
    for e in exits.iter().filter(|e| !e.has_flag("dark")) {
        let to = match e.destination {
            Some(d) => ctx.store.object(d).await?.map(|r| r.name),
            None => None,
        };
        let mut s = e.name.clone();
        if let Some(a) = e.aliases.first() {
            s.push_str(&format!(" ({a})"));
        }
        s.push_str(&format!(" to {}", to.as_deref().unwrap_or("nowhere")));
        parts.push(s);
    }
    Ok(format!("Exits: {}.", parts.join("; ")))
}

fn go<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        if args.is_empty() {
            return Err(user("Go where? Try exits."));
        }
        match walk_by_exit(ctx, args, "").await {
            Some(reply) => Ok(reply),
            None => Err(user(format!("No exit {args:?} here. Try exits."))),
        }
    })
}

/// Leaves by the exit called `word` if the room has one: `Some(reply)`. A direction
/// word with no exit that way gets a refusal; anything else is `None`, not an exit.
pub async fn walk_by_exit(ctx: &mut Ctx, word: &str, args: &str) -> Option<String> {
    if !args.is_empty() {
        return None;
    }
    let result = async {
        let (state, room) = here(ctx).await?;
        let exits = ctx.store.exits(room.id).await?;
        let Some(exit) = pick(&exits, word).cloned() else {
            if DIRECTIONS.contains(&word.to_lowercase().as_str()) {
                return Err(user("You can't go that way."));
            }
            return Ok(None);
        };
        if !passes(ctx, &exit).await? {
            return Err(user(format!("The way {} is locked.", exit.name)));
        }
        let Some(to) = exit.destination else {
            return Err(user(format!("{} leads nowhere.", exit.name)));
        };
        let leaving = format!("leaves {}", exit.name);
        arrive(ctx, state.location, to, &leaving).await.map(Some)
    }
    .await;
    match result {
        Ok(reply) => reply,
        Err(super::CommandError::User(msg)) => Some(msg),
        Err(e) => Some(e.to_string()),
    }
}

async fn home(ctx: &mut Ctx, _args: &str) -> Reply {
    let (state, _) = here(ctx).await?;
    if ctx.store.object(state.home).await?.is_none() {
        let start = ctx.store.start_room().await?.unwrap_or(state.home);
        let mut fixed = state.clone();
        fixed.home = start;
        ctx.store.set_player_state(fixed).await?;
        return arrive(ctx, state.location, start, "goes home").await;
    }
    if state.home == state.location {
        return Ok("You are home already.".into());
    }
    arrive(ctx, state.location, state.home, "goes home").await
}
