//! Who a player is: `whoami`, `name` and `password`. A password (argon2) protects
//! name changes and unlocks stored powers on messages whose sender cannot be proven.

use super::{CommandError, Entry, HandlerFuture, Registry};
use crate::session::Ctx;
use crate::store::{Level, StoreError};

/// Longest player name, in characters.
pub const MAX_NAME: usize = 24;

pub fn register(r: &mut Registry) {
    r.add(Entry {
        name: "whoami",
        aliases: &[],
        usage: "whoami",
        help: "your name, node and rights",
        level: Level::Player,
        handler: whoami,
    });
    r.add(Entry {
        name: "name",
        aliases: &[],
        usage: "name NEWNAME",
        help: "change your name (give your password first if you set one)",
        level: Level::Player,
        handler: name,
    });
    r.add(Entry {
        name: "password",
        aliases: &[],
        usage: "password NEW | password OLD NEW | password PASS",
        help: "set or change your password, or unlock your powers",
        level: Level::Player,
        handler: password,
    });
}

fn whoami<'a>(ctx: &'a mut Ctx, _args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let rights = super::level_name(ctx.level());
        let how = if ctx.trusted {
            "PKI DM"
        } else {
            "unverified sender"
        };
        Ok(format!(
            "{} ({}), {rights}, {how}",
            ctx.player.name,
            meshmush_protocol::packets::node_id(ctx.node)
        ))
    })
}

fn name<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let wanted = args.split_whitespace().collect::<Vec<_>>().join(" ");
        if wanted.is_empty() {
            return Err(CommandError::User("Usage: name NEWNAME".into()));
        }
        if wanted.chars().count() > MAX_NAME || wanted.chars().any(|c| c.is_control()) {
            return Err(CommandError::User(format!(
                "Names are up to {MAX_NAME} plain characters."
            )));
        }
        if crate::store::is_reserved_name(&wanted) || ctx.registry.is_command_name(&wanted) {
            return Err(CommandError::User(format!(
                "{wanted:?} is reserved; pick another name."
            )));
        }
        if ctx.player.password_hash.is_some() && !ctx.elevated {
            return Err(CommandError::User(
                "Give your password first: password PASS".into(),
            ));
        }
        let mut player = ctx.player.clone();
        player.name = wanted.clone();
        match ctx.store.update_player(player.clone()).await {
            Ok(()) => {
                ctx.player = player;
                Ok(format!("You are now {wanted}."))
            }
            Err(StoreError::NameTaken(_)) => Err(CommandError::User(format!("{wanted} is taken."))),
            Err(e) => Err(e.into()),
        }
    })
}

fn password<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let words: Vec<&str> = args.split_whitespace().collect();
        let current = ctx.player.password_hash.clone();
        match (current, words.as_slice()) {
            (None, [new]) => {
                set_password(ctx, new).await?;
                Ok("Password set. Send `password PASS` to unlock your powers.".into())
            }
            (Some(hash), [pass]) => {
                if crate::passwords::verify(pass, &hash).await {
                    ctx.elevated = true;
                    Ok("Password accepted for this session.".into())
                } else {
                    Err(CommandError::User("Wrong password.".into()))
                }
            }
            (Some(hash), [old, new]) => {
                if !crate::passwords::verify(old, &hash).await {
                    return Err(CommandError::User("Wrong password.".into()));
                }
                set_password(ctx, new).await?;
                Ok("Password changed.".into())
            }
            _ => Err(CommandError::User(
                "Usage: password NEW, password OLD NEW, or password PASS".into(),
            )),
        }
    })
}

async fn set_password(ctx: &mut Ctx, new: &str) -> Result<(), CommandError> {
    if new.len() < 6 {
        return Err(CommandError::User("Use at least 6 characters.".into()));
    }
    let hash = crate::passwords::hash(new)
        .await
        .map_err(|e| CommandError::User(format!("Could not set the password: {e}")))?;
    let mut player = ctx.player.clone();
    player.password_hash = Some(hash);
    ctx.store.update_player(player.clone()).await?;
    ctx.player = player;
    Ok(())
}
