//! Carrying and trading: `inventory`, `get`, `drop`, `give` (a thing or coins) and
//! `money`. Every move is one store transaction, so a thing is never in two places
//! and coins are never made or lost.

use super::room::{here, passes, pick, refusal};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::{NoticeKind, Outcome};
use meshmush_core::commands::registry::{Command, Guard, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::{echo, split_command};
use meshmush_core::events::Event;
use meshmush_lang::{Arg, t, words};
use meshmush_store::{Level, ObjectKind, Place};

pub fn register(r: &mut Registry) {
    r.add::<Inventory>();
    r.add::<Get>();
    r.add::<DropThing>();
    r.add::<Give>();
    r.add::<Money>();
}

/// `inventory`.
#[derive(Debug, PartialEq)]
pub struct Inventory;

impl Command for Inventory {
    const SPEC: Spec = Spec {
        name: "inventory",
        aliases: &["i", "inv"],
        usage: "inventory",
        help: "what you carry, and your coins",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let held = ctx.store().contents(Place::Player(ctx.node)).await?;
        let state = ctx.store().player_state(ctx.node).await?;
        let names: Vec<&str> = held.iter().map(|o| o.name.as_str()).collect();
        let coins = state.coins;
        Ok(if names.is_empty() {
            t!(ctx.lang, "inventory-empty", n = coins)
        } else {
            t!(ctx.lang, "inventory", list = names.join(", "), n = coins)
        }
        .into())
    }
}

/// `money`.
#[derive(Debug, PartialEq)]
pub struct Money;

impl Command for Money {
    const SPEC: Spec = Spec {
        name: "money",
        aliases: &["coins"],
        usage: "money",
        help: "how many coins you have",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let state = ctx.store().player_state(ctx.node).await?;
        Ok(t!(ctx.lang, "money", n = state.coins).into())
    }
}

/// `get THING`.
#[derive(Debug, PartialEq)]
pub struct Get {
    pub thing: String,
}

impl Command for Get {
    const SPEC: Spec = Spec {
        name: "get",
        aliases: &["take"],
        usage: "get THING",
        help: "pick something up",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::key("get-what", vec![]));
        }
        Ok(Self {
            thing: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let word = self.thing.as_str();
        let (_, room) = here(ctx).await?;
        let contents = ctx.store().contents(Place::Object(room.id)).await?;
        let Some(thing) = pick(&contents, word) else {
            return Err(user(t!(ctx.lang, "see-no", word = echo(word))));
        };
        if thing.kind != ObjectKind::Thing {
            return Err(user(t!(ctx.lang, "get-cannot", thing = &thing.name)));
        }
        if !passes(ctx, thing).await? || thing.has_flag("fixed") {
            return Err(user(t!(ctx.lang, "get-fixed", thing = &thing.name)));
        }
        let from = Some(Place::Object(room.id));
        ctx.store()
            .move_object(thing.id, from, Place::Player(ctx.node))
            .await
            .map_err(|e| refusal(ctx.lang, e))?;
        Ok(
            Outcome::reply(t!(ctx.lang, "get-taken", thing = &thing.name))
                .with_event(Event::Got { thing: thing.id }),
        )
    }
}

/// `drop THING`.
#[derive(Debug, PartialEq)]
pub struct DropThing {
    pub thing: String,
}

impl Command for DropThing {
    const SPEC: Spec = Spec {
        name: "drop",
        aliases: &[],
        usage: "drop THING",
        help: "put something down here",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::key("drop-what", vec![]));
        }
        Ok(Self {
            thing: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let word = self.thing.as_str();
        let (_, room) = here(ctx).await?;
        let held = ctx.store().contents(Place::Player(ctx.node)).await?;
        let Some(thing) = pick(&held, word) else {
            return Err(user(t!(ctx.lang, "carry-no", word = echo(word))));
        };
        let from = Some(Place::Player(ctx.node));
        ctx.store()
            .move_object(thing.id, from, Place::Object(room.id))
            .await
            .map_err(|e| refusal(ctx.lang, e))?;
        Ok(
            Outcome::reply(t!(ctx.lang, "drop-dropped", thing = &thing.name))
                .with_event(Event::Dropped { thing: thing.id }),
        )
    }
}

/// What `give` hands over.
#[derive(Debug, PartialEq)]
pub enum Gift {
    Coins(u64),
    Thing(String),
}

/// `give PLAYER THING`, `give PLAYER N coins`, or `give PLAYER=THING`.
#[derive(Debug, PartialEq)]
pub struct Give {
    pub to: String,
    pub gift: Gift,
}

impl Command for Give {
    const SPEC: Spec = Spec {
        name: "give",
        aliases: &[],
        usage: "give PLAYER THING | give PLAYER N coins",
        help: "hand a thing or coins to someone in the room",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (who, what) = match args.split_once('=') {
            Some((w, t)) => (w.trim(), t.trim()),
            None => split_command(args),
        };
        if who.is_empty() || what.is_empty() {
            return Err(Usage::show());
        }
        let words: Vec<&str> = what.split_whitespace().collect();
        let gift = match words.as_slice() {
            [n, coin] if coin.to_lowercase().starts_with("coin") => {
                let n: u64 = n.parse().map_err(|_| {
                    Usage::key("give-not-coins", vec![("word", Arg::from(echo(n)))])
                })?;
                if n == 0 {
                    return Err(Usage::key("give-no-coins", vec![]));
                }
                Gift::Coins(n)
            }
            _ => Gift::Thing(what.to_string()),
        };
        Ok(Self {
            to: who.to_string(),
            gift,
        })
    }

    fn guard(&self) -> Guard {
        Guard::Account
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let who = self.to.as_str();
        let (state, _) = here(ctx).await?;
        let Some(target) = ctx.store().player_by_name(who).await? else {
            return Err(super::room::no_player(ctx, who));
        };
        if target.node == ctx.node {
            return Err(user(t!(ctx.lang, "give-self")));
        }
        let theirs = ctx.store().player_state(target.node).await?;
        if theirs.location != state.location {
            return Err(user(t!(ctx.lang, "not-here", name = &target.name)));
        }
        let me = &ctx.player.name;
        let (given, notice) = match self.gift {
            Gift::Coins(n) => {
                ctx.store()
                    .give_coins(ctx.node, target.node, n)
                    .await
                    .map_err(|e| refusal(ctx.lang, e))?;
                (
                    t!(ctx.lang, "give-coins", name = &target.name, n = n),
                    words!("given-coins", name = me, n = n),
                )
            }
            Gift::Thing(what) => {
                let held = ctx.store().contents(Place::Player(ctx.node)).await?;
                let Some(thing) = pick(&held, &what) else {
                    return Err(user(t!(ctx.lang, "carry-no", word = echo(&what))));
                };
                ctx.store()
                    .move_object(
                        thing.id,
                        Some(Place::Player(ctx.node)),
                        Place::Player(target.node),
                    )
                    .await
                    .map_err(|e| refusal(ctx.lang, e))?;
                (
                    t!(
                        ctx.lang,
                        "give-thing",
                        name = &target.name,
                        thing = &thing.name
                    ),
                    words!("given-thing", name = me, thing = &thing.name),
                )
            }
        };
        Ok(Outcome::reply(given).to_player(target.node, NoticeKind::Direct, notice))
    }
}
