//! Carrying and trading: `inventory`, `get`, `drop`, `give` (a thing or coins) and
//! `money`. Every move is one store transaction, so a thing is never in two places
//! and coins are never made or lost.

use super::world::{here, notify_always as notify, passes, pick, refusal, user};
use super::{Entry, Registry, Reply};
use crate::session::Ctx;
use crate::store::{Level, ObjectKind, Place};

pub fn register(r: &mut Registry) {
    r.add(Entry {
        name: "inventory",
        aliases: &["i", "inv"],
        usage: "inventory",
        help: "what you carry, and your coins",
        level: Level::Player,
        handler: handler!(inventory),
    });
    r.add(Entry {
        name: "get",
        aliases: &["take"],
        usage: "get THING",
        help: "pick something up",
        level: Level::Player,
        handler: handler!(get),
    });
    r.add(Entry {
        name: "drop",
        aliases: &[],
        usage: "drop THING",
        help: "put something down here",
        level: Level::Player,
        handler: handler!(drop_thing),
    });
    r.add(Entry {
        name: "give",
        aliases: &[],
        usage: "give PLAYER THING | give PLAYER N coins",
        help: "hand a thing or coins to someone in the room",
        level: Level::Player,
        handler: handler!(give),
    });
    r.add(Entry {
        name: "money",
        aliases: &["coins"],
        usage: "money",
        help: "how many coins you have",
        level: Level::Player,
        handler: handler!(money),
    });
}

async fn inventory(ctx: &mut Ctx, _args: &str) -> Reply {
    let held = ctx.store.contents(Place::Player(ctx.node)).await?;
    let state = ctx.store.player_state(ctx.node).await?;
    let names: Vec<&str> = held.iter().map(|o| o.name.as_str()).collect();
    let what = if names.is_empty() {
        "nothing".to_string()
    } else {
        names.join(", ")
    };
    Ok(format!("You carry {what}. Coins: {}.", state.coins))
}

async fn money(ctx: &mut Ctx, _args: &str) -> Reply {
    let state = ctx.store.player_state(ctx.node).await?;
    Ok(format!("You have {} coins.", state.coins))
}

async fn get(ctx: &mut Ctx, args: &str) -> Reply {
    if args.is_empty() {
        return Err(user("Get what?"));
    }
    let (_, room) = here(ctx).await?;
    let contents = ctx.store.contents(Place::Object(room.id)).await?;
    let Some(thing) = pick(&contents, args) else {
        return Err(user(format!("You see no {args:?} here.")));
    };
    if thing.kind != ObjectKind::Thing {
        return Err(user(format!("You cannot pick up {}.", thing.name)));
    }
    if !passes(ctx, thing).await? || thing.has_flag("fixed") {
        return Err(user(format!("{} will not budge.", thing.name)));
    }
    let from = Some(Place::Object(room.id));
    ctx.store
        .move_object(thing.id, from, Place::Player(ctx.node))
        .await
        .map_err(refusal)?;
    Ok(format!("You take {}.", thing.name))
}

async fn drop_thing(ctx: &mut Ctx, args: &str) -> Reply {
    if args.is_empty() {
        return Err(user("Drop what?"));
    }
    let (_, room) = here(ctx).await?;
    let held = ctx.store.contents(Place::Player(ctx.node)).await?;
    let Some(thing) = pick(&held, args) else {
        return Err(user(format!("You carry no {args:?}.")));
    };
    let from = Some(Place::Player(ctx.node));
    ctx.store
        .move_object(thing.id, from, Place::Object(room.id))
        .await
        .map_err(refusal)?;
    Ok(format!("You drop {}.", thing.name))
}

/// `give PLAYER THING`, `give PLAYER N coins`, or `give PLAYER=THING`.
async fn give(ctx: &mut Ctx, args: &str) -> Reply {
    let (who, what) = match args.split_once('=') {
        Some((w, t)) => (w.trim(), t.trim()),
        None => super::split_command(args),
    };
    if who.is_empty() || what.is_empty() {
        return Err(user("Usage: give PLAYER THING, or give PLAYER N coins"));
    }
    let (state, _) = here(ctx).await?;
    let Some(target) = ctx.store.player_by_name(who).await? else {
        return Err(user(format!("No player called {who:?}.")));
    };
    if target.node == ctx.node {
        return Err(user("You already have it."));
    }
    let theirs = ctx.store.player_state(target.node).await?;
    if theirs.location != state.location {
        return Err(user(format!("{} is not here.", target.name)));
    }
    let me = ctx.player.name.clone();
    let words: Vec<&str> = what.split_whitespace().collect();
    if let [n, coin] = words.as_slice()
        && coin.to_lowercase().starts_with("coin")
    {
        let n: u64 = n
            .parse()
            .map_err(|_| user(format!("{n:?} is not a number of coins.")))?;
        if n == 0 {
            return Err(user("Give at least one coin."));
        }
        ctx.store
            .give_coins(ctx.node, target.node, n)
            .await
            .map_err(refusal)?;
        notify(ctx, target.node, &format!("{me} gives you {n} coins.")).await;
        return Ok(format!("You give {} {n} coins.", target.name));
    }
    let held = ctx.store.contents(Place::Player(ctx.node)).await?;
    let Some(thing) = pick(&held, what) else {
        return Err(user(format!("You carry no {what:?}.")));
    };
    ctx.store
        .move_object(
            thing.id,
            Some(Place::Player(ctx.node)),
            Place::Player(target.node),
        )
        .await
        .map_err(refusal)?;
    notify(ctx, target.node, &format!("{me} gives you {}.", thing.name)).await;
    Ok(format!("You give {} {}.", target.name, thing.name))
}
