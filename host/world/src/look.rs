//! Seeing and moving: `look`, `examine`, `exits`, `go`, `home`, and walking by typing an
//! exit's name (`n`, `out`) alone, which the dispatcher offers as a command source.

use super::room::{Leaving, arrive, find_near, here, passes, pick, room_view};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::{DIRECTIONS, echo};
use meshmush_lang::t;
use meshmush_protocol::packets::node_id;
use meshmush_store::{Level, Lock, Object, ObjectKind, Place};

pub fn register(r: &mut Registry) {
    r.add::<Look>();
    r.add::<Examine>();
    r.add::<Exits>();
    r.add::<Go>();
    r.add::<Home>();
}

/// The words after a command, if any.
fn optional(args: &str) -> Option<String> {
    (!args.is_empty()).then(|| args.to_string())
}

/// `look [thing]`.
#[derive(Debug, PartialEq)]
pub struct Look {
    pub target: Option<String>,
}

impl Command for Look {
    // English as `en.ftl` has it (`usage-look`, `help-look`).
    const SPEC: Spec = Spec {
        name: "look",
        aliases: &["l"],
        usage: "look [thing]",
        help: "describe the room, or a thing or exit",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            target: optional(args),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        look(ctx, self.target.as_deref().unwrap_or("")).await
    }
}

/// `examine [thing]`.
#[derive(Debug, PartialEq)]
pub struct Examine {
    pub target: Option<String>,
}

impl Command for Examine {
    const SPEC: Spec = Spec {
        name: "examine",
        aliases: &["ex"],
        usage: "examine [thing]",
        help: "look closely; owners see ids, flags and locks",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            target: optional(args),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        examine(ctx, self.target.as_deref().unwrap_or("here")).await
    }
}

/// `exits`.
#[derive(Debug, PartialEq)]
pub struct Exits;

impl Command for Exits {
    const SPEC: Spec = Spec {
        name: "exits",
        aliases: &[],
        usage: "exits",
        help: "where you can go from here",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        exits(ctx).await
    }
}

/// `go EXIT`.
#[derive(Debug, PartialEq)]
pub struct Go {
    pub exit: String,
}

impl Command for Go {
    const SPEC: Spec = Spec {
        name: "go",
        aliases: &["move", "walk"],
        usage: "go EXIT (or just the exit: n, out)",
        help: "leave by an exit",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::key("go-where", vec![]));
        }
        Ok(Self {
            exit: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        match exit_command(ctx, &self.exit).await {
            Some(walked) => walked,
            None => Err(user(t!(ctx.lang, "no-exit", word = echo(&self.exit)))),
        }
    }
}

/// `home`.
#[derive(Debug, PartialEq)]
pub struct Home;

impl Command for Home {
    const SPEC: Spec = Spec {
        name: "home",
        aliases: &[],
        usage: "home",
        help: "go back to your home room",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        home(ctx).await
    }
}

async fn look(ctx: &Ctx, args: &str) -> Reply {
    let (_, room) = here(ctx).await?;
    if args.is_empty() || args.eq_ignore_ascii_case("here") {
        return Ok(room_view(ctx, &room, true).await?.into());
    }
    if args.eq_ignore_ascii_case("me") {
        return Ok(t!(ctx.lang, "look-me", name = &ctx.player.name).into());
    }
    let thing = match find_near(ctx, &room, args).await {
        Ok(thing) => thing,
        Err(_) if let Some(npc) = crate::content_play::presence::npc_look(ctx, room.id, args) => {
            return Ok(npc.into());
        }
        Err(e) => {
            let people = ctx.roster().in_room(room.id);
            return match people.iter().find(|(_, n)| n.eq_ignore_ascii_case(args)) {
                Some((_, name)) => Ok(t!(ctx.lang, "look-person", name = name).into()),
                None => Err(e),
            };
        }
    };
    Ok(describe(ctx, &thing).await.into())
}

async fn describe(ctx: &Ctx, o: &Object) -> String {
    match o.kind {
        ObjectKind::Exit => {
            let to = match o.destination {
                Some(d) => ctx.store().object(d).await.ok().flatten().map(|r| r.name),
                None => None,
            };
            match to {
                Some(to) => t!(ctx.lang, "exit-leads-to", exit = &o.name, room = to),
                None => t!(ctx.lang, "exit-leads-nowhere", exit = &o.name),
            }
        }
        _ if !o.long_desc.is_empty() => o.long_desc.clone(),
        _ if !o.short_desc.is_empty() => o.short_desc.clone(),
        _ => t!(ctx.lang, "look-nothing-special", thing = &o.name),
    }
}

async fn examine(ctx: &Ctx, target: &str) -> Reply {
    let (_, room) = here(ctx).await?;
    let o = find_near(ctx, &room, target).await?;
    let detail = ctx.level() >= Level::Builder || (o.owner != 0 && o.owner == ctx.node);
    if !detail {
        return Ok(format!("{}: {}", o.name, describe(ctx, &o).await).into());
    }
    let lang = ctx.lang;
    let owner = match o.owner {
        0 => t!(lang, "examine-system"),
        n => match ctx.store().player(n).await? {
            Some(p) => p.name,
            None => node_id(n),
        },
    };
    let sort = match o.kind {
        ObjectKind::Room => t!(lang, "examine-room"),
        ObjectKind::Exit => t!(lang, "examine-exit"),
        ObjectKind::Thing => t!(lang, "examine-thing"),
    };
    let mut parts = vec![t!(
        lang,
        "examine-head",
        thing = &o.name,
        n = o.id,
        sort = sort,
        name = owner
    )];
    if !o.aliases.is_empty() {
        parts.push(t!(lang, "examine-aka", list = o.aliases.join(";")));
    }
    if let Some(d) = o.destination {
        parts.push(t!(lang, "examine-to", n = d));
    }
    match o.location {
        Some(Place::Object(id)) => parts.push(t!(lang, "examine-in", n = id)),
        Some(Place::Player(n)) => parts.push(t!(lang, "examine-held", id = node_id(n))),
        None => {}
    }
    if !o.flags.is_empty() {
        parts.push(t!(lang, "examine-flags", list = o.flags.join(" ")));
    }
    match o.lock {
        Some(Lock::Owner) => parts.push(t!(lang, "examine-locked-owner")),
        Some(Lock::Player(n)) => parts.push(t!(lang, "examine-locked-to", id = node_id(n))),
        Some(Lock::Key(k)) => parts.push(t!(lang, "examine-key", n = k)),
        None => {}
    }
    let mut out = parts.join(", ");
    out.push_str(". ");
    out.push_str(&describe(ctx, &o).await);
    Ok(out.into())
}

async fn exits(ctx: &Ctx) -> Reply {
    let (_, room) = here(ctx).await?;
    let exits = ctx.store().exits(room.id).await?;
    if exits.is_empty() {
        return Ok(t!(ctx.lang, "exits-none").into());
    }
    let mut parts = Vec::new();
    for e in exits.iter().filter(|e| !e.has_flag("dark")) {
        let to = match e.destination {
            Some(d) => ctx.store().object(d).await?.map(|r| r.name),
            None => None,
        };
        let mut exit = e.name.clone();
        if let Some(a) = e.aliases.first() {
            exit.push_str(&format!(" ({a})"));
        }
        parts.push(match to {
            Some(room) => t!(ctx.lang, "exits-to", exit = exit, room = room),
            None => t!(ctx.lang, "exits-to-nowhere", exit = exit),
        });
    }
    Ok(t!(ctx.lang, "room-exits", list = parts.join("; ")).into())
}

/// Leaves by the exit called `word` if the room has one. A direction word with no exit
/// that way is refused; any other word that names no exit is `None`: not an exit.
pub(super) async fn exit_command(ctx: &Ctx, word: &str) -> Option<Reply> {
    let walked = async {
        let (state, room) = here(ctx).await?;
        let exits = ctx.store().exits(room.id).await?;
        let Some(exit) = pick(&exits, word).cloned() else {
            if DIRECTIONS.contains(&word.to_lowercase().as_str()) {
                return Err(user(t!(ctx.lang, "cant-go")));
            }
            return Ok(None);
        };
        if !passes(ctx, &exit).await? {
            return Err(user(t!(ctx.lang, "exit-locked", exit = &exit.name)));
        }
        let Some(to) = exit.destination else {
            return Err(user(t!(ctx.lang, "exit-leads-nowhere", exit = &exit.name)));
        };
        let leaving = Leaving::By(&exit.name);
        arrive(ctx, state.location, to, leaving).await.map(Some)
    }
    .await;
    walked.transpose()
}

async fn home(ctx: &Ctx) -> Reply {
    let (state, _) = here(ctx).await?;
    if ctx.store().object(state.home).await?.is_none() {
        let start = ctx.store().start_room().await?.unwrap_or(state.home);
        let mut fixed = state.clone();
        fixed.home = start;
        ctx.store().set_player_state(fixed).await?;
        return arrive(ctx, state.location, start, Leaving::Home).await;
    }
    if state.home == state.location {
        return Ok(Outcome::reply(t!(ctx.lang, "home-already")));
    }
    arrive(ctx, state.location, state.home, Leaving::Home).await
}
