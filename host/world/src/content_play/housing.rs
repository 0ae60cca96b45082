//! Houses from `houses.toml`: `@house` lists the houses of this street; `@house claim
//! [NAME]` buys one (a room of your own, a door from the street), up to
//! `[world] houses_per_player`; inside it the owner may `@house describe TEXT`,
//! `@house lock`/`unlock` the door, and `@house invite`/`revoke PLAYER` guests who may
//! pass it while locked. A house whose owner has not been seen for
//! `[world] house_reclaim_days` is reclaimed the next time anyone asks about houses;
//! the things in it go back to the owner.

use super::super::room::{here, refusal};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{Command, Guard, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::{first_words, unix_now};
use meshmush_core::content::schema::HouseDef;
use meshmush_lang::t;
use meshmush_store::seed::split_names;
use meshmush_store::{Claim, House, Level, Lock, Object, ObjectKind};

pub fn register(r: &mut Registry) {
    r.add::<HouseCmd>();
}

/// `@house [claim [NAME] | describe TEXT | lock | unlock | invite PLAYER | revoke PLAYER]`.
#[derive(Debug, PartialEq)]
pub enum HouseCmd {
    List,
    Claim(String),
    Describe(String),
    Lock(bool),
    Invite(String),
    Revoke(String),
}

impl Command for HouseCmd {
    const SPEC: Spec = Spec {
        name: "@house",
        aliases: &[],
        usage: "@house [claim [NAME]|describe TEXT|lock|unlock|invite P|revoke P]",
        help: "claim a house on this street and keep it",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (verb, rest) = args.split_once(' ').unwrap_or((args, ""));
        let rest = rest.trim().to_string();
        Ok(match verb.to_lowercase().as_str() {
            "" | "list" => Self::List,
            "claim" => Self::Claim(rest),
            "describe" | "desc" if !rest.is_empty() => Self::Describe(rest),
            "lock" => Self::Lock(true),
            "unlock" => Self::Lock(false),
            "invite" if !rest.is_empty() => Self::Invite(rest),
            "revoke" if !rest.is_empty() => Self::Revoke(rest),
            _ => return Err(Usage::show()),
        })
    }

    fn guard(&self) -> Guard {
        match self {
            Self::List => Guard::Open,
            _ => Guard::Account,
        }
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        reclaim(ctx).await?;
        match self {
            Self::List => list(ctx).await,
            Self::Claim(name) => claim(ctx, &name).await,
            Self::Describe(text) => {
                let (_, mut room) = own_house_here(ctx).await?;
                room.short_desc = first_words(&text, 100);
                room.long_desc = text;
                ctx.store()
                    .update_object(room)
                    .await
                    .map_err(|e| refusal(ctx.lang, e))?;
                Ok(t!(ctx.lang, "house-described").into())
            }
            Self::Lock(on) => {
                let (house, _) = own_house_here(ctx).await?;
                let mut door = door(ctx, &house).await?;
                door.lock = on.then_some(Lock::Owner);
                ctx.store()
                    .update_object(door)
                    .await
                    .map_err(|e| refusal(ctx.lang, e))?;
                let said = if on { "house-locked" } else { "house-unlocked" };
                Ok(t!(ctx.lang, said).into())
            }
            Self::Invite(who) | Self::Revoke(who) if who.is_empty() => {
                Err(user(t!(ctx.lang, "house-who")))
            }
            Self::Invite(who) => guests(ctx, &who, true).await,
            Self::Revoke(who) => guests(ctx, &who, false).await,
        }
    }
}

fn templates_on(ctx: &Ctx, street: u64) -> Vec<HouseDef> {
    let c = ctx.content().current();
    c.houses
        .iter()
        .filter(|h| c.room_id(&h.street) == Some(street))
        .cloned()
        .collect()
}

async fn list(ctx: &Ctx) -> Reply {
    let (_, room) = here(ctx).await?;
    let here = templates_on(ctx, room.id);
    if here.is_empty() {
        return Err(user(t!(ctx.lang, "house-none")));
    }
    let claimed = ctx.store().houses().await?;
    let mut parts = Vec::new();
    for h in &here {
        let state = match claimed.iter().find(|c| c.key == h.key) {
            Some(c) if c.owner == ctx.node => t!(ctx.lang, "house-yours"),
            Some(_) => t!(ctx.lang, "house-taken"),
            None => format!("{}c", h.price),
        };
        parts.push(format!("{} ({state})", h.name));
    }
    Ok(t!(ctx.lang, "house-list", list = parts.join(", ")).into())
}

async fn claim(ctx: &Ctx, name: &str) -> Reply {
    let (_, street) = here(ctx).await?;
    let here = templates_on(ctx, street.id);
    let pick = if name.is_empty() && here.len() == 1 {
        here.first()
    } else {
        let name = name.to_lowercase();
        here.iter()
            .find(|h| !name.is_empty() && h.name.to_lowercase().starts_with(&name))
    };
    let Some(t) = pick else {
        return Err(user(t!(ctx.lang, "house-which")));
    };
    let mut room = Object::new(ObjectKind::Room, &t.name, ctx.node);
    room.short_desc = t.desc.clone();
    let (door_name, aliases) = split_names(&t.door);
    let mut door = Object::new(ObjectKind::Exit, &door_name, ctx.node);
    door.aliases = aliases;
    let mut out = Object::new(ObjectKind::Exit, "out", ctx.node);
    out.aliases = vec!["o".into()];
    let claim = Claim {
        key: t.key.clone(),
        node: ctx.node,
        price: t.price,
        cap: ctx.cfg().world.houses_per_player,
        street: street.id,
        room,
        door,
        out,
        now: unix_now(),
    };
    match ctx.store().claim_house(claim).await {
        Ok(_) => Ok(t!(
            ctx.lang,
            "house-claimed",
            room = &t.name,
            price = t.price,
            exit = door_name
        )
        .into()),
        Err(e) => Err(refusal(ctx.lang, e)),
    }
}

/// The player's house they stand in, and its room.
async fn own_house_here(
    ctx: &Ctx,
) -> Result<(House, Object), meshmush_core::commands::registry::CommandError> {
    let (_, room) = here(ctx).await?;
    let houses = ctx.store().houses().await?;
    match houses.into_iter().find(|h| h.room == room.id) {
        Some(h) if h.owner == ctx.node => Ok((h, room)),
        Some(_) => Err(user(t!(ctx.lang, "house-not-yours"))),
        None => Err(user(t!(ctx.lang, "house-stand-in"))),
    }
}

async fn door(
    ctx: &Ctx,
    house: &House,
) -> Result<Object, meshmush_core::commands::registry::CommandError> {
    ctx.store()
        .object(house.door)
        .await?
        .ok_or_else(|| user(t!(ctx.lang, "house-no-door")))
}

async fn guests(ctx: &Ctx, who: &str, add: bool) -> Reply {
    let (house, _) = own_house_here(ctx).await?;
    let Some(p) = ctx.store().player_by_name(who).await? else {
        return Err(super::super::room::no_player(ctx, who));
    };
    let mut door = door(ctx, &house).await?;
    let flag = format!("guest:{}", p.node);
    door.flags.retain(|f| f != &flag);
    if add {
        door.flags.push(flag);
    }
    ctx.store()
        .update_object(door)
        .await
        .map_err(|e| refusal(ctx.lang, e))?;
    let said = if add {
        "house-guest"
    } else {
        "house-not-guest"
    };
    Ok(t!(ctx.lang, said, name = &p.name).into())
}

/// Releases houses whose owners have been away longer than the config allows.
async fn reclaim(ctx: &Ctx) -> Result<(), meshmush_core::commands::registry::CommandError> {
    let max_age = ctx.cfg().world.house_reclaim_days.saturating_mul(86_400);
    let now = unix_now();
    for h in ctx.store().houses().await? {
        let seen = ctx
            .store()
            .player(h.owner)
            .await?
            .map_or(0, |p| p.last_seen);
        if now.saturating_sub(seen) > max_age {
            tracing::info!(house = %h.key, "reclaiming an abandoned house");
            ctx.store().release_house(&h.key).await?;
        }
    }
    Ok(())
}
