//! MUSH habits a player keeps for themself: `dnd` (pages are kept for later and the
//! pager hears an away message), `nospoof` (room chatter names who caused it),
//! `@doing` (a line for `finger`), and `finger`/`last` to look someone up. The
//! settings live in the store's [`Habits`] record; `page` reads `dnd`, the delivery
//! reads `nospoof`.

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage};
use meshmush_core::commands::text::{ago_in, first_words, unix_now};
use meshmush_lang::{Lang, t};
use meshmush_store::{Habits, Level};

/// Bytes of an away message or `@doing` line kept: `finger` and a page's answer
/// stay one packet.
pub const LINE_MAX: usize = 80;

pub fn register(r: &mut Registry) {
    r.add::<Dnd>();
    r.add::<Nospoof>();
    r.add::<Doing>();
    r.add::<Finger>();
}

/// On, off, or (no word) what it is now.
fn switch(word: &str) -> Result<Option<bool>, Usage> {
    match word.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "on" => Ok(Some(true)),
        "off" => Ok(Some(false)),
        _ => Err(Usage::show()),
    }
}

/// `dnd on [AWAY MESSAGE]`, `dnd off`, or `dnd` to see it.
#[derive(Debug, PartialEq)]
pub enum Dnd {
    Show,
    On(String),
    Off,
}

impl Command for Dnd {
    const SPEC: Spec = Spec {
        name: "dnd",
        aliases: &[],
        usage: "dnd on [AWAY MESSAGE] | dnd off",
        help: "do not disturb: pages wait for your next command; pagers get your message",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (word, rest) = args.split_once(' ').unwrap_or((args, ""));
        match switch(word)? {
            None => Ok(Self::Show),
            Some(true) => Ok(Self::On(first_words(rest, LINE_MAX))),
            Some(false) if rest.trim().is_empty() => Ok(Self::Off),
            Some(false) => Err(Usage::show()),
        }
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut h = ctx.store().habits(ctx.node).await?;
        let lang = ctx.lang;
        let reply = match self {
            Self::Show => match &h.dnd {
                Some(m) if m.is_empty() => return Ok(t!(lang, "dnd-is-on").into()),
                Some(m) => return Ok(t!(lang, "dnd-is-on-away", text = m).into()),
                None => return Ok(t!(lang, "dnd-is-off").into()),
            },
            Self::On(m) => {
                h.dnd = Some(m);
                t!(lang, "dnd-on")
            }
            Self::Off => {
                h.dnd = None;
                t!(lang, "dnd-off")
            }
        };
        ctx.store().set_habits(h).await?;
        Ok(reply.into())
    }
}

/// What a pager hears back (in `lang`, theirs) from a player in do-not-disturb, if
/// they are.
pub fn away(lang: Lang, name: &str, h: &Habits) -> Option<String> {
    match h.dnd.as_deref()? {
        "" => Some(t!(lang, "dnd-away", name = name)),
        m => Some(t!(lang, "dnd-away-message", name = name, text = m)),
    }
}

/// `nospoof on|off`.
#[derive(Debug, PartialEq)]
pub struct Nospoof {
    pub on: Option<bool>,
}

impl Command for Nospoof {
    const SPEC: Spec = Spec {
        name: "nospoof",
        aliases: &[],
        usage: "nospoof on|off",
        help: "room chatter shows who caused it: `[Alice] Alice waves`",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self { on: switch(args)? })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut h = ctx.store().habits(ctx.node).await?;
        let Some(on) = self.on else {
            let now = if h.nospoof {
                "nospoof-is-on"
            } else {
                "nospoof-is-off"
            };
            return Ok(t!(ctx.lang, now).into());
        };
        h.nospoof = on;
        ctx.store().set_habits(h).await?;
        Ok(t!(ctx.lang, if on { "nospoof-on" } else { "nospoof-off" }).into())
    }
}

/// `@doing TEXT`, or `@doing` alone to clear it.
#[derive(Debug, PartialEq)]
pub struct Doing {
    pub text: Option<String>,
}

impl Command for Doing {
    const SPEC: Spec = Spec {
        name: "@doing",
        aliases: &[],
        usage: "@doing TEXT (alone: clear it)",
        help: "a line finger shows: what you are up to",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let text = first_words(args, LINE_MAX);
        Ok(Self {
            text: (!text.is_empty()).then_some(text),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut h = ctx.store().habits(ctx.node).await?;
        let reply = match &self.text {
            Some(text) => t!(ctx.lang, "doing", text = text),
            None => t!(ctx.lang, "doing-cleared"),
        };
        h.doing = self.text;
        ctx.store().set_habits(h).await?;
        Ok(reply.into())
    }
}

/// `finger PLAYER` (or `last PLAYER`).
#[derive(Debug, PartialEq)]
pub struct Finger {
    pub who: String,
}

impl Command for Finger {
    const SPEC: Spec = Spec {
        name: "finger",
        aliases: &["last"],
        usage: "finger PLAYER",
        help: "when a player was last seen, their titles, achievements and @doing",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::show());
        }
        Ok(Self {
            who: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let who = self.who.as_str();
        let node = match ctx.roster().find(who) {
            Some((node, _)) => Some(node),
            None => ctx.store().player_by_name(who).await?.map(|p| p.node),
        };
        let player = match node {
            Some(n) => ctx.store().player(n).await?,
            None => None,
        };
        let Some(p) = player.filter(|p| !p.banned) else {
            return Err(super::room::no_player(ctx, who));
        };
        let lang = ctx.lang;
        let mut out = if ctx.roster().is_active(p.node) {
            t!(lang, "finger-about", name = &p.name)
        } else {
            let ago = ago_in(lang, unix_now(), p.last_seen);
            t!(lang, "finger-seen", name = &p.name, ago = ago)
        };
        let progress = ctx.store().progress(p.node).await?;
        if !progress.titles.is_empty() {
            let titles = t!(lang, "finger-titles", list = progress.titles.join(", "));
            out.push_str(&format!(" {titles}"));
        }
        let total = ctx.content().current().achievements.len();
        let earned = progress.achievements.len();
        let achieved = t!(lang, "finger-achievements", n = earned, total = total);
        out.push_str(&format!(" {achieved}"));
        if let Some(doing) = ctx.store().habits(p.node).await?.doing {
            out.push_str(&format!(" {}", t!(lang, "doing", text = doing)));
        }
        Ok(out.into())
    }
}
