//! Building (Level::Builder): `@dig`, `@open`, `@describe`, `@sdesc`, `@name`,
//! `@create`, `@destroy`, `@lock`, `@unlock`, `@link`, `@set`, `@stats`. Builders may
//! open exits out of any room, and change only what they own; wizards change anything.

use super::world::{check_name, controls, find_near, here, parse_id, refusal, user};
use super::{Registry, Reply};
use crate::seed::split_names;
use crate::session::Ctx;
use crate::store::{Level, Lock, Object, ObjectKind, Place};

/// Flags `@set` knows: `dark` hides from room listings, `fixed` cannot be picked up.
const FLAGS: &[&str] = &["dark", "fixed"];

pub fn register(r: &mut Registry) {
    entry!(
        r,
        Level::Builder,
        "@dig",
        &[],
        "@dig ROOM[=EXIT;ALIAS[,BACK;ALIAS]]",
        "make a room, and exits to and from it",
        dig
    );
    entry!(
        r,
        Level::Builder,
        "@open",
        &[],
        "@open EXIT;ALIAS=#ROOM",
        "open an exit from here",
        open
    );
    entry!(
        r,
        Level::Builder,
        "@describe",
        &["@desc"],
        "@describe THING=TEXT",
        "set the long description",
        describe
    );
    entry!(
        r,
        Level::Builder,
        "@sdesc",
        &[],
        "@sdesc THING=TEXT",
        "set the short description",
        sdesc
    );
    entry!(
        r,
        Level::Builder,
        "@name",
        &[],
        "@name THING=NAME;ALIAS",
        "rename something",
        rename
    );
    entry!(
        r,
        Level::Builder,
        "@create",
        &[],
        "@create THING;ALIAS",
        "make a thing (you carry it)",
        create
    );
    entry!(
        r,
        Level::Builder,
        "@destroy",
        &[],
        "@destroy THING",
        "destroy something you own",
        destroy
    );
    entry!(
        r,
        Level::Builder,
        "@lock",
        &[],
        "@lock THING=me|owner|PLAYER|KEYTHING",
        "lock an exit or thing",
        lock
    );
    entry!(
        r,
        Level::Builder,
        "@unlock",
        &[],
        "@unlock THING",
        "remove a lock",
        unlock
    );
    entry!(
        r,
        Level::Builder,
        "@link",
        &[],
        "@link EXIT=#ROOM | @link me=here",
        "point an exit, or set your home",
        link
    );
    entry!(
        r,
        Level::Builder,
        "@set",
        &[],
        "@set THING=[!]FLAG (dark fixed)",
        "set or clear a flag",
        set
    );
    entry!(
        r,
        Level::Builder,
        "@stats",
        &[],
        "@stats",
        "how big the world is",
        stats
    );
}

/// Splits `A=B`; both sides trimmed; `B` may be empty.
fn eq_split<'a>(args: &'a str, usage: &str) -> Result<(&'a str, &'a str), super::CommandError> {
    match args.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() => Ok((a.trim(), b.trim())),
        _ => Err(user(format!("Usage: {usage}"))),
    }
}

/// The object `word` names near the player, which they must control.
async fn mine(ctx: &Ctx, word: &str) -> Result<Object, super::CommandError> {
    let (_, room) = here(ctx).await?;
    let o = find_near(ctx, &room, word).await?;
    if !controls(ctx, &o) {
        return Err(user(format!("You do not own {}.", o.name)));
    }
    Ok(o)
}

async fn new_exit(
    ctx: &Ctx,
    spec: &str,
    from: u64,
    to: u64,
) -> Result<Object, super::CommandError> {
    let (name, aliases) = split_names(spec);
    check_name(&name)?;
    let mut exit = Object::new(ObjectKind::Exit, &name, ctx.node);
    exit.aliases = aliases;
    exit.location = Some(Place::Object(from));
    exit.destination = Some(to);
    Ok(ctx.store.create_object(exit).await?)
}

async fn dig(ctx: &mut Ctx, args: &str) -> Reply {
    let (name, exits) = match args.split_once('=') {
        Some((n, e)) => (n.trim(), e.trim()),
        None => (args.trim(), ""),
    };
    check_name(name)?;
    let (_, here_room) = here(ctx).await?;
    let room = ctx
        .store
        .create_object(Object::new(ObjectKind::Room, name, ctx.node))
        .await?;
    let mut out = format!("Dug {} #{}.", room.name, room.id);
    let (to, back) = match exits.split_once(',') {
        Some((t, b)) => (t.trim(), b.trim()),
        None => (exits, ""),
    };
    if !to.is_empty() {
        let e = new_exit(ctx, to, here_room.id, room.id).await?;
        out.push_str(&format!(" Opened {} #{}.", e.name, e.id));
    }
    if !back.is_empty() {
        let e = new_exit(ctx, back, room.id, here_room.id).await?;
        out.push_str(&format!(" Back: {} #{}.", e.name, e.id));
    }
    Ok(out)
}

async fn open(ctx: &mut Ctx, args: &str) -> Reply {
    let (spec, target) = eq_split(args, "@open EXIT;ALIAS=#ROOM")?;
    let to = parse_id(target).ok_or_else(|| user("Name the room as #N."))?;
    match ctx.store.object(to).await? {
        Some(o) if o.kind == ObjectKind::Room => {}
        _ => return Err(user(format!("#{to} is not a room."))),
    }
    let (_, room) = here(ctx).await?;
    let e = new_exit(ctx, spec, room.id, to).await?;
    Ok(format!("Opened {} #{} to #{to}.", e.name, e.id))
}

async fn describe(ctx: &mut Ctx, args: &str) -> Reply {
    let (what, text) = eq_split(args, "@describe THING=TEXT")?;
    let mut o = mine(ctx, what).await?;
    o.long_desc = text.to_string();
    ctx.store.update_object(o.clone()).await.map_err(refusal)?;
    Ok(format!("Described {}.", o.name))
}

async fn sdesc(ctx: &mut Ctx, args: &str) -> Reply {
    let (what, text) = eq_split(args, "@sdesc THING=TEXT")?;
    let mut o = mine(ctx, what).await?;
    o.short_desc = text.to_string();
    ctx.store.update_object(o.clone()).await.map_err(refusal)?;
    Ok(format!("Short description of {} set.", o.name))
}

async fn rename(ctx: &mut Ctx, args: &str) -> Reply {
    let (what, spec) = eq_split(args, "@name THING=NAME;ALIAS")?;
    let mut o = mine(ctx, what).await?;
    let (name, aliases) = split_names(spec);
    check_name(&name)?;
    let old = std::mem::replace(&mut o.name, name);
    if !aliases.is_empty() || o.kind != ObjectKind::Room {
        o.aliases = aliases;
    }
    ctx.store.update_object(o.clone()).await.map_err(refusal)?;
    Ok(format!("{old} is now {}.", o.name))
}

async fn create(ctx: &mut Ctx, args: &str) -> Reply {
    let (name, aliases) = split_names(args);
    check_name(&name)?;
    let mut o = Object::new(ObjectKind::Thing, &name, ctx.node);
    o.aliases = aliases;
    o.location = Some(Place::Player(ctx.node));
    let o = ctx.store.create_object(o).await?;
    Ok(format!("Created {} #{}. You carry it.", o.name, o.id))
}

async fn destroy(ctx: &mut Ctx, args: &str) -> Reply {
    if args.is_empty() {
        return Err(user("Usage: @destroy THING"));
    }
    let o = mine(ctx, args).await?;
    let (state, _) = here(ctx).await?;
    if o.id == state.location {
        return Err(user("Step out of the room first."));
    }
    ctx.store.destroy_object(o.id).await.map_err(refusal)?;
    Ok(format!("Destroyed {} #{}.", o.name, o.id))
}

async fn lock(ctx: &mut Ctx, args: &str) -> Reply {
    let (what, key) = eq_split(args, "@lock THING=me|owner|PLAYER|KEYTHING")?;
    let mut o = mine(ctx, what).await?;
    let (lock, said) = if key.is_empty() || key.eq_ignore_ascii_case("owner") {
        (Lock::Owner, "its owner".to_string())
    } else if key.eq_ignore_ascii_case("me") {
        (Lock::Player(ctx.node), "you".to_string())
    } else if let Some(p) = ctx.store.player_by_name(key).await? {
        (Lock::Player(p.node), p.name)
    } else {
        let (_, room) = here(ctx).await?;
        let k = find_near(ctx, &room, key).await?;
        if k.kind != ObjectKind::Thing {
            return Err(user("A key must be a thing."));
        }
        (Lock::Key(k.id), format!("whoever carries {}", k.name))
    };
    o.lock = Some(lock);
    ctx.store.update_object(o.clone()).await.map_err(refusal)?;
    Ok(format!("Locked {} to {said}.", o.name))
}

async fn unlock(ctx: &mut Ctx, args: &str) -> Reply {
    let mut o = mine(ctx, args).await?;
    o.lock = None;
    ctx.store.update_object(o.clone()).await.map_err(refusal)?;
    Ok(format!("Unlocked {}.", o.name))
}

async fn link(ctx: &mut Ctx, args: &str) -> Reply {
    let (what, target) = eq_split(args, "@link EXIT=#ROOM | @link me=here")?;
    let (mut state, room) = here(ctx).await?;
    let to = if target.eq_ignore_ascii_case("here") {
        room.id
    } else {
        parse_id(target).ok_or_else(|| user("Name the room as #N or here."))?
    };
    match ctx.store.object(to).await? {
        Some(o) if o.kind == ObjectKind::Room => {}
        _ => return Err(user(format!("#{to} is not a room."))),
    }
    if what.eq_ignore_ascii_case("me") {
        state.home = to;
        ctx.store.set_player_state(state).await?;
        return Ok(format!("Your home is now #{to}."));
    }
    let mut o = mine(ctx, what).await?;
    if o.kind != ObjectKind::Exit {
        return Err(user("Only exits link to rooms."));
    }
    o.destination = Some(to);
    ctx.store.update_object(o.clone()).await.map_err(refusal)?;
    Ok(format!("{} now leads to #{to}.", o.name))
}

async fn set(ctx: &mut Ctx, args: &str) -> Reply {
    let (what, flag) = eq_split(args, "@set THING=[!]FLAG")?;
    let (clear, flag) = match flag.strip_prefix('!') {
        Some(f) => (true, f.trim().to_lowercase()),
        None => (false, flag.to_lowercase()),
    };
    if !FLAGS.contains(&flag.as_str()) {
        return Err(user(format!("Flags: {}.", FLAGS.join(", "))));
    }
    let mut o = mine(ctx, what).await?;
    o.flags.retain(|f| !f.eq_ignore_ascii_case(&flag));
    if !clear {
        o.flags.push(flag.clone());
    }
    ctx.store.update_object(o.clone()).await.map_err(refusal)?;
    let how = if clear { "cleared" } else { "set" };
    Ok(format!("{} {flag} {how}.", o.name))
}

async fn stats(ctx: &mut Ctx, _args: &str) -> Reply {
    let objects = ctx.store.objects_count().await?;
    let players = ctx.store.players_count().await?;
    let about = ctx.presence.everyone().len();
    Ok(format!(
        "{objects} objects, {players} players, {about} about."
    ))
}
