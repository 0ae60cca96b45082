//! Who a player is: `whoami`, `name`, `password`, `pw` and `repin`. A password
//! (argon2) is the proof a packet that is not a PKI DM can carry: `pw PASS COMMAND`
//! runs one command with the player's stored powers and leave to change their account.
//! It lasts for that packet only; a spoofed packet after it gains nothing.
//!
//! Wrong passwords are braked (see `roster/pwlock.rs`): after a few, the node and the
//! account are locked for a wait that doubles with each further failure, and a
//! password is refused unchecked until it is over.
//!
//! `pw PASS repin` is how a handset that really changed its key (a reflash) moves its
//! node's pin to the new key: its PKI DMs are impostors to the old pin, and this line is
//! the only one the session lets such a packet run (see [`asks_repin`]).

use std::time::Duration;

use super::ctx::Ctx;
use super::registry::{Command, CommandError, Guard, Registry, Reply, Spec, Usage, user};
use super::text::{level_word, split_command, unix_now};
use crate::identity::Sender;
use meshmush_lang::{Arg, Lang, t};
use meshmush_store::{Level, Pin, PinSource, StoreError};

/// Longest player name, in characters.
pub const MAX_NAME: usize = 24;

/// Shortest password, in bytes.
pub const MIN_PASSWORD: usize = 6;

pub fn register(r: &mut Registry) {
    r.add::<Whoami>();
    r.add::<Name>();
    r.add::<Password>();
    r.add::<Pw>();
    r.add::<Repin>();
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
        let sender = match ctx.sender {
            Sender::Proven => "proven",
            Sender::Unproven => "unproven",
            Sender::Impostor => "impostor",
        };
        Ok(t!(
            ctx.lang,
            "whoami",
            name = &ctx.player.name,
            id = meshmush_protocol::packets::node_id(ctx.node),
            level = level_word(ctx.lang, ctx.level()),
            sender = sender
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
            return Err(Usage::key("name-rules", vec![("max", Arg::from(MAX_NAME))]));
        }
        Ok(Self { wanted })
    }

    fn guard(&self) -> Guard {
        Guard::Account
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let wanted = self.wanted;
        if meshmush_store::is_reserved_name(&wanted) || ctx.registry.is_command_name(&wanted) {
            return Err(user(t!(ctx.lang, "name-reserved", name = &wanted)));
        }
        let mut player = ctx.player.clone();
        player.name = wanted.clone();
        match ctx.store().update_player(player.clone()).await {
            Ok(()) => {
                ctx.player = player;
                Ok(t!(ctx.lang, "name-set", name = &wanted).into())
            }
            Err(StoreError::NameTaken(_)) => Err(user(t!(ctx.lang, "name-taken", name = &wanted))),
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
        if ctx.sender == Sender::Impostor {
            return Err(user(super::registry::needs_proof(ctx, Self::SPEC.name)));
        }
        let current = ctx.player.password_hash.clone();
        match (current, self) {
            // A first password, from anyone but an impostor: a node that later shows
            // its key on a PKI DM may set a new one without the old.
            (None, Self::One(new)) => {
                set_password(ctx, &new).await?;
                Ok(t!(ctx.lang, "password-set").into())
            }
            (Some(_), Self::One(new)) if ctx.sender == Sender::Proven => {
                set_password(ctx, &new).await?;
                Ok(t!(ctx.lang, "password-changed").into())
            }
            (Some(_), Self::One(_)) => Err(user(t!(ctx.lang, "password-one-command"))),
            (Some(hash), Self::Two { old, new }) => {
                check_password(ctx, &old, &hash, Self::SPEC.name).await?;
                set_password(ctx, &new).await?;
                Ok(t!(ctx.lang, "password-changed").into())
            }
            (None, Self::Two { .. }) => Err(user(Usage::show().text(&Self::SPEC, ctx.lang))),
        }
    }
}

/// `pw PASS COMMAND`: one command, proven by the password on the same packet.
#[derive(Debug, PartialEq)]
pub struct Pw {
    pub pass: String,
    pub line: String,
}

impl Command for Pw {
    const SPEC: Spec = Spec {
        name: "pw",
        aliases: &[],
        usage: "pw PASS COMMAND",
        help: "run one command with your password as proof (for DMs that are not PKI)",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (pass, line) = split_command(args);
        if pass.is_empty() || line.is_empty() {
            return Err(Usage::show());
        }
        Ok(Self {
            pass: pass.to_string(),
            line: line.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let repin = is_repin(&self.line);
        if repin && ctx.packet_key.is_none() {
            // Nothing to pin: refused before the password is looked at.
            return Err(user(t!(ctx.lang, "repin-no-key")));
        }
        // An impostor's packet runs nothing, except a repin from a handset with a new
        // key: the password proves the account, the packet brings the key.
        if ctx.sender == Sender::Impostor && !repin {
            return Err(user(super::registry::needs_proof(ctx, Self::SPEC.name)));
        }
        let Some(hash) = ctx.player.password_hash.clone() else {
            return Err(user(t!(ctx.lang, "pw-none")));
        };
        check_password(ctx, &self.pass, &hash, Self::SPEC.name).await?;
        ctx.password_given = true;
        let outcome = Box::pin(super::dispatch::run_line(ctx, &self.line)).await;
        ctx.password_given = false;
        Ok(outcome)
    }
}

/// What a player reads while their node or account is locked after wrong passwords.
pub fn locked_out(lang: Lang, wait: Duration) -> String {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    t!(lang, "pw-locked", n = secs.max(1))
}

/// Checks `pass` against the player's stored `hash`, behind the backoff: refused
/// without a check while the node or the account is locked; a wrong one is counted
/// against both, a right one clears both.
async fn check_password(
    ctx: &Ctx,
    pass: &str,
    hash: &str,
    command: &'static str,
) -> Result<(), CommandError> {
    let (node, account) = (ctx.node, ctx.player.node);
    if let Some(wait) = ctx.roster().pw_wait(node, account) {
        tracing::debug!(
            command,
            "password not checked: locked after wrong passwords"
        );
        return Err(user(locked_out(ctx.lang, wait)));
    }
    if crate::passwords::verify(pass, hash).await {
        ctx.roster().pw_succeeded(node, account);
        return Ok(());
    }
    match ctx.roster().pw_failed(node, account) {
        Some(wait) => {
            tracing::warn!(
                command,
                wait_secs = wait.as_secs(),
                "wrong password: node and account locked"
            );
            let wrong = t!(ctx.lang, "pw-wrong");
            Err(user(format!("{wrong} {}", locked_out(ctx.lang, wait))))
        }
        None => {
            tracing::warn!(command, "proof refused: it did not match the stored hash");
            Err(user(t!(ctx.lang, "pw-wrong")))
        }
    }
}

/// Why `repin` cannot run on a packet without a key, in English: the catalogue's
/// `repin-no-key`, which players read in their language (the tests hold them equal).
pub const NO_KEY_TO_PIN: &str = "repin pins the key a PKI DM carries, and this message \
carries none: send pw PASS repin as a DM from the new handset.";

/// Whether `line` (what follows `pw PASS`) is the `repin` command.
fn is_repin(line: &str) -> bool {
    let (word, rest) = split_command(line);
    word.eq_ignore_ascii_case(Repin::SPEC.name) && rest.is_empty()
}

/// Whether a whole line asks to repin: `repin`, or `pw PASS repin`. The session runs
/// this, and nothing else, from a packet judged an impostor: a handset that really
/// changed its key looks like one until it is repinned.
pub fn asks_repin(line: &str) -> bool {
    let (word, rest) = split_command(line);
    if word.eq_ignore_ascii_case(Pw::SPEC.name) {
        is_repin(split_command(rest).1)
    } else {
        is_repin(line)
    }
}

/// `repin` (as `pw PASS repin`): pins the key this PKI DM carries for the player's
/// node, for a handset that really changed its key. Proven by the password, never by
/// the packet, whose key is the one in question.
#[derive(Debug, PartialEq)]
pub struct Repin;

impl Command for Repin {
    const SPEC: Spec = Spec {
        name: "repin",
        aliases: &[],
        usage: "pw PASS repin",
        help: "from a handset with a new key (a reflash): make it the one this node is known by",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.trim().is_empty() {
            Ok(Self)
        } else {
            Err(Usage::show())
        }
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let Some(key) = ctx.packet_key.clone() else {
            return Err(user(t!(ctx.lang, "repin-no-key")));
        };
        if ctx.sender == Sender::Proven {
            return Ok(t!(ctx.lang, "repin-already").into());
        }
        if !ctx.password_given {
            return Err(user(t!(ctx.lang, "repin-needs-password")));
        }
        let pin = Pin {
            node: ctx.node,
            key,
            source: PinSource::Packet,
            pinned_at: unix_now(),
            seen_pki: true,
        };
        ctx.store().set_pin(pin).await?;
        // The session reloads the pin before the next packet is judged.
        ctx.roster().mark_stale(ctx.node);
        tracing::warn!(node = %meshmush_protocol::packets::node_id(ctx.node), "key repinned, proven by the account's password");
        Ok(t!(ctx.lang, "repin-done").into())
    }
}

async fn set_password(ctx: &mut Ctx, new: &str) -> Result<(), CommandError> {
    if new.len() < MIN_PASSWORD {
        return Err(user(t!(ctx.lang, "password-short", n = MIN_PASSWORD)));
    }
    let hash = crate::passwords::hash(new)
        .await
        .map_err(|e| user(t!(ctx.lang, "password-failed", error = e.to_string())))?;
    let mut player = ctx.player.clone();
    player.password_hash = Some(hash);
    ctx.store().update_player(player.clone()).await?;
    ctx.player = player;
    Ok(())
}
