//! Building (Level::Builder): `@dig`, `@open`, `@describe`, `@sdesc`, `@name`,
//! `@create`, `@destroy`, `@lock`, `@unlock`, `@link`, `@set`, `@stats`. Builders may
//! open exits out of any room, and change only what they own; wizards change anything.

use super::room::{check_name, controls, find_near, here, parse_id, refusal};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{
    Command, CommandError, Registry, Reply, Spec, Usage, user,
};
use meshmush_lang::{Arg, t};
use meshmush_store::seed::split_names;
use meshmush_store::{Level, Lock, Object, ObjectKind, Place};

/// Flags `@set` knows: `dark` hides from room listings, `fixed` cannot be picked up.
const FLAGS: &[&str] = &["dark", "fixed"];

pub fn register(r: &mut Registry) {
    r.add::<Dig>();
    r.add::<Open>();
    r.add::<Describe>();
    r.add::<Sdesc>();
    r.add::<Rename>();
    r.add::<Create>();
    r.add::<Destroy>();
    r.add::<LockCmd>();
    r.add::<Unlock>();
    r.add::<Link>();
    r.add::<Set>();
    r.add::<Stats>();
}

const fn builder(name: &'static str, usage: &'static str, help: &'static str) -> Spec {
    Spec {
        name,
        aliases: &[],
        usage,
        help,
        level: Level::Builder,
    }
}

/// Splits `A=B`; both sides trimmed; `B` may be empty, `A` may not.
fn eq_split(args: &str) -> Result<(String, String), Usage> {
    match args.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() => Ok((a.trim().into(), b.trim().into())),
        _ => Err(Usage::show()),
    }
}

/// The words after the command, which must not be empty.
fn required(args: &str) -> Result<String, Usage> {
    if args.is_empty() {
        return Err(Usage::show());
    }
    Ok(args.to_string())
}

/// A room id, `#N`.
fn room_id(word: &str) -> Result<u64, Usage> {
    parse_id(word).ok_or_else(|| Usage::key("build-room-id", vec![]))
}

/// The object `word` names near the player, which they must control.
async fn mine(ctx: &Ctx, word: &str) -> Result<Object, CommandError> {
    let (_, room) = here(ctx).await?;
    let o = find_near(ctx, &room, word).await?;
    if !controls(ctx, &o) {
        return Err(user(t!(ctx.lang, "build-not-yours", thing = &o.name)));
    }
    Ok(o)
}

/// Checks that `id` is a room.
async fn is_room(ctx: &Ctx, id: u64) -> Result<(), CommandError> {
    match ctx.store().object(id).await? {
        Some(o) if o.kind == ObjectKind::Room => Ok(()),
        _ => Err(user(t!(ctx.lang, "refused-not-a-room", n = id))),
    }
}

/// Saves a changed object; the reply says what changed.
async fn save(ctx: &Ctx, o: &Object, said: String) -> Reply {
    ctx.store()
        .update_object(o.clone())
        .await
        .map_err(|e| refusal(ctx.lang, e))?;
    Ok(said.into())
}

async fn new_exit(ctx: &Ctx, spec: &str, from: u64, to: u64) -> Result<Object, CommandError> {
    let (name, aliases) = split_names(spec);
    check_name(ctx.lang, &name)?;
    let mut exit = Object::new(ObjectKind::Exit, &name, ctx.node);
    exit.aliases = aliases;
    exit.location = Some(Place::Object(from));
    exit.destination = Some(to);
    Ok(ctx.store().create_object(exit).await?)
}

/// `@dig ROOM[=EXIT;ALIAS[,BACK;ALIAS]]`.
#[derive(Debug, PartialEq)]
pub struct Dig {
    pub room: String,
    pub to: String,
    pub back: String,
}

impl Command for Dig {
    const SPEC: Spec = builder(
        "@dig",
        "@dig ROOM[=EXIT;ALIAS[,BACK;ALIAS]]",
        "make a room, and exits to and from it",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        let (room, exits) = args.split_once('=').unwrap_or((args, ""));
        let (to, back) = exits.split_once(',').unwrap_or((exits, ""));
        Ok(Self {
            room: room.trim().into(),
            to: to.trim().into(),
            back: back.trim().into(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        check_name(ctx.lang, &self.room)?;
        let (_, here_room) = here(ctx).await?;
        let room = Object::new(ObjectKind::Room, &self.room, ctx.node);
        let room = ctx.store().create_object(room).await?;
        let lang = ctx.lang;
        let mut out = t!(lang, "build-dug", room = &room.name, n = room.id);
        if !self.to.is_empty() {
            let e = new_exit(ctx, &self.to, here_room.id, room.id).await?;
            let opened = t!(lang, "build-dug-to", exit = &e.name, n = e.id);
            out.push_str(&format!(" {opened}"));
        }
        if !self.back.is_empty() {
            let e = new_exit(ctx, &self.back, room.id, here_room.id).await?;
            let back = t!(lang, "build-dug-back", exit = &e.name, n = e.id);
            out.push_str(&format!(" {back}"));
        }
        Ok(out.into())
    }
}

/// `@open EXIT;ALIAS=#ROOM`.
#[derive(Debug, PartialEq)]
pub struct Open {
    pub exit: String,
    pub to: u64,
}

impl Command for Open {
    const SPEC: Spec = builder("@open", "@open EXIT;ALIAS=#ROOM", "open an exit from here");

    fn parse(args: &str) -> Result<Self, Usage> {
        let (exit, target) = eq_split(args)?;
        Ok(Self {
            exit,
            to: room_id(&target)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        is_room(ctx, self.to).await?;
        let (_, room) = here(ctx).await?;
        let e = new_exit(ctx, &self.exit, room.id, self.to).await?;
        let opened = t!(
            ctx.lang,
            "build-opened",
            exit = &e.name,
            n = e.id,
            num = self.to
        );
        Ok(opened.into())
    }
}

/// `@describe THING=TEXT`.
#[derive(Debug, PartialEq)]
pub struct Describe {
    pub what: String,
    pub text: String,
}

impl Command for Describe {
    const SPEC: Spec = Spec {
        aliases: &["@desc"],
        ..builder(
            "@describe",
            "@describe THING=TEXT",
            "set the long description",
        )
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (what, text) = eq_split(args)?;
        Ok(Self { what, text })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut o = mine(ctx, &self.what).await?;
        o.long_desc = self.text;
        let said = t!(ctx.lang, "build-described", thing = &o.name);
        save(ctx, &o, said).await
    }
}

/// `@sdesc THING=TEXT`.
#[derive(Debug, PartialEq)]
pub struct Sdesc {
    pub what: String,
    pub text: String,
}

impl Command for Sdesc {
    const SPEC: Spec = builder("@sdesc", "@sdesc THING=TEXT", "set the short description");

    fn parse(args: &str) -> Result<Self, Usage> {
        let (what, text) = eq_split(args)?;
        Ok(Self { what, text })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut o = mine(ctx, &self.what).await?;
        o.short_desc = self.text;
        let said = t!(ctx.lang, "build-short", thing = &o.name);
        save(ctx, &o, said).await
    }
}

/// `@name THING=NAME;ALIAS`.
#[derive(Debug, PartialEq)]
pub struct Rename {
    pub what: String,
    pub names: String,
}

impl Command for Rename {
    const SPEC: Spec = builder("@name", "@name THING=NAME;ALIAS", "rename something");

    fn parse(args: &str) -> Result<Self, Usage> {
        let (what, names) = eq_split(args)?;
        Ok(Self { what, names })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut o = mine(ctx, &self.what).await?;
        let (name, aliases) = split_names(&self.names);
        check_name(ctx.lang, &name)?;
        let old = std::mem::replace(&mut o.name, name);
        if !aliases.is_empty() || o.kind != ObjectKind::Room {
            o.aliases = aliases;
        }
        let said = t!(ctx.lang, "build-renamed", word = old, thing = &o.name);
        save(ctx, &o, said).await
    }
}

/// `@create THING;ALIAS`.
#[derive(Debug, PartialEq)]
pub struct Create {
    pub names: String,
}

impl Command for Create {
    const SPEC: Spec = builder(
        "@create",
        "@create THING;ALIAS",
        "make a thing (you carry it)",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            names: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (name, aliases) = split_names(&self.names);
        check_name(ctx.lang, &name)?;
        let mut o = Object::new(ObjectKind::Thing, &name, ctx.node);
        o.aliases = aliases;
        o.location = Some(Place::Player(ctx.node));
        let o = ctx.store().create_object(o).await?;
        Ok(t!(ctx.lang, "build-created", thing = &o.name, n = o.id).into())
    }
}

/// `@destroy THING`.
#[derive(Debug, PartialEq)]
pub struct Destroy {
    pub what: String,
}

impl Command for Destroy {
    const SPEC: Spec = builder("@destroy", "@destroy THING", "destroy something you own");

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            what: required(args)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let o = mine(ctx, &self.what).await?;
        let (state, _) = here(ctx).await?;
        if o.id == state.location {
            return Err(user(t!(ctx.lang, "build-step-out")));
        }
        ctx.store()
            .destroy_object(o.id)
            .await
            .map_err(|e| refusal(ctx.lang, e))?;
        Ok(t!(ctx.lang, "build-destroyed", thing = &o.name, n = o.id).into())
    }
}

/// `@lock THING=me|owner|PLAYER|KEYTHING`.
#[derive(Debug, PartialEq)]
pub struct LockCmd {
    pub what: String,
    pub key: String,
}

impl Command for LockCmd {
    const SPEC: Spec = builder(
        "@lock",
        "@lock THING=me|owner|PLAYER|KEYTHING",
        "lock an exit or thing",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        let (what, key) = eq_split(args)?;
        Ok(Self { what, key })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut o = mine(ctx, &self.what).await?;
        let key = self.key.as_str();
        let (lang, thing) = (ctx.lang, o.name.clone());
        let (lock, said) = if key.is_empty() || key.eq_ignore_ascii_case("owner") {
            (Lock::Owner, t!(lang, "build-locked-owner", thing = thing))
        } else if key.eq_ignore_ascii_case("me") {
            (
                Lock::Player(ctx.node),
                t!(lang, "build-locked-you", thing = thing),
            )
        } else if let Some(p) = ctx.store().player_by_name(key).await? {
            let said = t!(lang, "build-locked-player", thing = thing, name = &p.name);
            (Lock::Player(p.node), said)
        } else {
            let (_, room) = here(ctx).await?;
            let k = find_near(ctx, &room, key).await?;
            if k.kind != ObjectKind::Thing {
                return Err(user(t!(lang, "build-key-thing")));
            }
            let said = t!(lang, "build-locked-key", thing = thing, word = &k.name);
            (Lock::Key(k.id), said)
        };
        o.lock = Some(lock);
        save(ctx, &o, said).await
    }
}

/// `@unlock THING`.
#[derive(Debug, PartialEq)]
pub struct Unlock {
    pub what: String,
}

impl Command for Unlock {
    const SPEC: Spec = builder("@unlock", "@unlock THING", "remove a lock");

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            what: required(args)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut o = mine(ctx, &self.what).await?;
        o.lock = None;
        let said = t!(ctx.lang, "build-unlocked", thing = &o.name);
        save(ctx, &o, said).await
    }
}

/// Where `@link` points.
#[derive(Debug, PartialEq)]
pub enum Target {
    Here,
    Room(u64),
}

/// `@link EXIT=#ROOM | @link me=here`.
#[derive(Debug, PartialEq)]
pub struct Link {
    pub what: String,
    pub to: Target,
}

impl Command for Link {
    const SPEC: Spec = builder(
        "@link",
        "@link EXIT=#ROOM | @link me=here",
        "point an exit, or set your home",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        let (what, target) = eq_split(args)?;
        let to = if target.eq_ignore_ascii_case("here") {
            Target::Here
        } else {
            Target::Room(parse_id(&target).ok_or_else(|| Usage::key("build-room-id-here", vec![]))?)
        };
        Ok(Self { what, to })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (mut state, room) = here(ctx).await?;
        let to = match self.to {
            Target::Here => room.id,
            Target::Room(id) => id,
        };
        is_room(ctx, to).await?;
        if self.what.eq_ignore_ascii_case("me") {
            state.home = to;
            ctx.store().set_player_state(state).await?;
            return Ok(t!(ctx.lang, "build-home", n = to).into());
        }
        let mut o = mine(ctx, &self.what).await?;
        if o.kind != ObjectKind::Exit {
            return Err(user(t!(ctx.lang, "build-exits-only")));
        }
        o.destination = Some(to);
        let said = t!(ctx.lang, "build-linked", thing = &o.name, n = to);
        save(ctx, &o, said).await
    }
}

/// `@set THING=[!]FLAG`.
#[derive(Debug, PartialEq)]
pub struct Set {
    pub what: String,
    pub flag: String,
    pub clear: bool,
}

impl Command for Set {
    const SPEC: Spec = builder(
        "@set",
        "@set THING=[!]FLAG (dark fixed)",
        "set or clear a flag",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        let (what, flag) = eq_split(args)?;
        let (clear, flag) = match flag.strip_prefix('!') {
            Some(f) => (true, f.trim().to_lowercase()),
            None => (false, flag.to_lowercase()),
        };
        if !FLAGS.contains(&flag.as_str()) {
            let flags = Arg::from(FLAGS.join(", "));
            return Err(Usage::key("build-flags", vec![("list", flags)]));
        }
        Ok(Self { what, flag, clear })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut o = mine(ctx, &self.what).await?;
        let flag = self.flag;
        o.flags.retain(|f| !f.eq_ignore_ascii_case(&flag));
        if !self.clear {
            o.flags.push(flag.clone());
        }
        let how = if self.clear {
            "build-flag-cleared"
        } else {
            "build-flag-set"
        };
        let said = t!(ctx.lang, how, thing = &o.name, word = flag);
        save(ctx, &o, said).await
    }
}

/// `@stats`.
#[derive(Debug, PartialEq)]
pub struct Stats;

impl Command for Stats {
    const SPEC: Spec = builder("@stats", "@stats", "how big the world is");

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let objects = ctx.store().objects_count().await?;
        let players = ctx.store().players_count().await?;
        let about = ctx.roster().everyone().len();
        let lang = ctx.lang;
        Ok(t!(
            lang,
            "build-stats",
            n = objects,
            count = players,
            total = about
        )
        .into())
    }
}
