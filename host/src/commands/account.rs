//! Who a player is: `whoami`, `name` and `password`. A password (argon2) protects
//! name changes and unlocks stored powers on messages whose sender cannot be proven.

use super::registry::{Command, CommandError, Registry, Reply, Spec, Usage, user};
use super::{Ctx, level_name};
use crate::store::{Level, StoreError};

/// Longest player name, in characters.
pub const MAX_NAME: usize = 24;

/// Shortest password, in bytes.
pub const MIN_PASSWORD: usize = 6;

pub fn register(r: &mut Registry) {
    r.add::<Whoami>();
    r.add::<Name>();
    r.add::<Password>();
}

/// `whoami`.
#[derive(Debug, PartialEq)]
pub struct Whoami;

impl Command for Whoami {
    const SPEC: Spec = Spec {
        name: "whoami",
        aliases: &[],
        usage: "whoami",
        help: "your name, node and rights",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let rights = level_name(ctx.level());
        let how = if ctx.trusted {
            "PKI DM"
        } else {
            "unverified sender"
        };
        Ok(format!(
            "{} ({}), {rights}, {how}",
            ctx.player.name,
            meshmush_protocol::packets::node_id(ctx.node)
        )
        .into())
    }
}

/// `name NEWNAME`.
#[derive(Debug, PartialEq)]
pub struct Name {
    pub wanted: String,
}

impl Command for Name {
    const SPEC: Spec = Spec {
        name: "name",
        aliases: &[],
        usage: "name NEWNAME",
        help: "change your name (give your password first if you set one)",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let wanted = args.split_whitespace().collect::<Vec<_>>().join(" ");
        if wanted.is_empty() {
            return Err(Usage::show());
        }
        if wanted.chars().count() > MAX_NAME || wanted.chars().any(|c| c.is_control()) {
            return Err(Usage::say(format!(
                "Names are up to {MAX_NAME} plain characters."
            )));
        }
        Ok(Self { wanted })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let wanted = self.wanted;
        if crate::store::is_reserved_name(&wanted) || ctx.registry.is_command_name(&wanted) {
            return Err(user(format!("{wanted:?} is reserved; pick another name.")));
        }
        if ctx.player.password_hash.is_some() && !ctx.elevated {
            return Err(user("Give your password first: password PASS"));
        }
        let mut player = ctx.player.clone();
        player.name = wanted.clone();
        match ctx.store.update_player(player.clone()).await {
            Ok(()) => {
                ctx.player = player;
                Ok(format!("You are now {wanted}.").into())
            }
            Err(StoreError::NameTaken(_)) => Err(user(format!("{wanted} is taken."))),
            Err(e) => Err(e.into()),
        }
    }
}

/// `password NEW`, `password OLD NEW` or `password PASS`: which one depends on
/// whether the player has a password, so the words are sorted out when applied.
#[derive(Debug, PartialEq)]
pub enum Password {
    One(String),
    Two { old: String, new: String },
}

impl Command for Password {
    const SPEC: Spec = Spec {
        name: "password",
        aliases: &[],
        usage: "password NEW | password OLD NEW | password PASS",
        help: "set or change your password, or unlock your powers",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        match args.split_whitespace().collect::<Vec<_>>().as_slice() {
            [one] => Ok(Self::One(one.to_string())),
            [old, new] => Ok(Self::Two {
                old: old.to_string(),
                new: new.to_string(),
            }),
            _ => Err(Usage::show()),
        }
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let current = ctx.player.password_hash.clone();
        match (current, self) {
            (None, Self::One(new)) => {
                set_password(ctx, &new).await?;
                Ok("Password set. Send `password PASS` to unlock your powers.".into())
            }
            (Some(hash), Self::One(pass)) => {
                if crate::passwords::verify(&pass, &hash).await {
                    ctx.elevated = true;
                    Ok("Password accepted for this session.".into())
                } else {
                    Err(user("Wrong password."))
                }
            }
            (Some(hash), Self::Two { old, new }) => {
                if !crate::passwords::verify(&old, &hash).await {
                    return Err(user("Wrong password."));
                }
                set_password(ctx, &new).await?;
                Ok("Password changed.".into())
            }
            (None, Self::Two { .. }) => Err(user(Usage::show().text(&Self::SPEC))),
        }
    }
}

async fn set_password(ctx: &mut Ctx, new: &str) -> Result<(), CommandError> {
    if new.len() < MIN_PASSWORD {
        return Err(user(format!("Use at least {MIN_PASSWORD} characters.")));
    }
    let hash = crate::passwords::hash(new)
        .await
        .map_err(|e| user(format!("Could not set the password: {e}")))?;
    let mut player = ctx.player.clone();
    player.password_hash = Some(hash);
    ctx.store.update_player(player.clone()).await?;
    ctx.player = player;
    Ok(())
}
