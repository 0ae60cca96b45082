//! Talking to people: `say`/`"`, `pose`/`:`/`emote` and `semipose`/`;` to the room,
//! `whisper` to someone beside you, `page` to anyone, and `who`/`where` to find them.

use std::collections::HashMap;

use super::room::{here, no_player};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::{NoticeKind, Outcome};
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::split_command;
use meshmush_core::events::Event;
use meshmush_lang::{Lang, t, words};
use meshmush_store::Level;

pub fn register(r: &mut Registry) {
    r.add::<Say>();
    r.add::<Pose>();
    r.add::<Semipose>();
    r.add::<Whisper>();
    r.add::<Page>();
    r.add::<Who>();
    r.add::<Where>();
}

/// `say TEXT`.
#[derive(Debug, PartialEq)]
pub struct Say {
    pub text: String,
}

impl Command for Say {
    const SPEC: Spec = Spec {
        name: "say",
        aliases: &["\""],
        usage: "say TEXT (or \"TEXT)",
        help: "speak to everyone in the room",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::key("say-what", vec![]));
        }
        Ok(Self {
            text: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (state, _) = here(ctx).await?;
        let room = state.location;
        let text = self.text;
        let name = &ctx.player.name;
        Ok(Outcome::reply(t!(ctx.lang, "say-you", text = &text))
            .to_room(
                room,
                ctx.node,
                words!("say-room", name = name, text = &text),
            )
            .with_event(Event::Said { room, text }))
    }
}

/// `pose ACTION`.
#[derive(Debug, PartialEq)]
pub struct Pose {
    pub action: String,
}

impl Command for Pose {
    const SPEC: Spec = Spec {
        name: "pose",
        aliases: &[":", "emote"],
        usage: "pose ACTION (or :ACTION)",
        help: "act: `:waves` shows `Alice waves`",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::key("pose-what", vec![]));
        }
        Ok(Self {
            action: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (state, _) = here(ctx).await?;
        let sep = if self.action.starts_with(['\'', ',']) {
            ""
        } else {
            " "
        };
        posed(ctx, state.location, sep, self.action)
    }
}

/// The room sees `NAME` + `sep` + `action`; so does the actor.
fn posed(ctx: &Ctx, room: u64, sep: &str, action: String) -> Reply {
    let text = format!("{}{sep}{action}", ctx.player.name);
    Ok(Outcome::reply(text.clone())
        .to_room(room, ctx.node, text)
        .with_event(Event::Posed { room, text: action }))
}

/// `semipose ACTION` (or `;ACTION`): a pose with no space after the name.
#[derive(Debug, PartialEq)]
pub struct Semipose {
    pub action: String,
}

impl Command for Semipose {
    const SPEC: Spec = Spec {
        name: "semipose",
        aliases: &[";"],
        usage: "semipose ACTION (or ;ACTION)",
        help: "pose with no space: `;'s eyes light up` shows `Alice's eyes light up`",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::key("semipose-what", vec![]));
        }
        Ok(Self {
            action: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (state, _) = here(ctx).await?;
        posed(ctx, state.location, "", self.action)
    }
}

/// `PLAYER TEXT` or `PLAYER=TEXT`, as `page` and `whisper` take them.
fn to_and_text(args: &str) -> Result<(String, String), Usage> {
    let (to, text) = match args.split_once('=') {
        Some((w, t)) => (w.trim(), t.trim()),
        None => split_command(args),
    };
    if to.is_empty() || text.is_empty() {
        return Err(Usage::show());
    }
    Ok((to.to_string(), text.to_string()))
}

/// `whisper PLAYER=TEXT` (or `whisper PLAYER TEXT`).
#[derive(Debug, PartialEq)]
pub struct Whisper {
    pub to: String,
    pub text: String,
}

impl Command for Whisper {
    const SPEC: Spec = Spec {
        name: "whisper",
        aliases: &[],
        usage: "whisper PLAYER=TEXT",
        help: "only a player in your room hears it; the room sees that you whispered",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (to, text) = to_and_text(args)?;
        Ok(Self { to, text })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (state, _) = here(ctx).await?;
        let room = state.location;
        let who = self.to.as_str();
        let found = ctx.roster().find(who);
        let (node, name) = match found {
            Some((node, name)) if ctx.roster().get(node).is_some_and(|s| s.room == room) => {
                (node, name)
            }
            Some((_, name)) => return Err(user(t!(ctx.lang, "not-here", name = name))),
            None => match ctx.store().player_by_name(who).await? {
                Some(p) if !p.banned => {
                    return Err(user(t!(ctx.lang, "not-here", name = p.name)));
                }
                _ => return Err(no_player(ctx, who)),
            },
        };
        if node == ctx.node {
            return Err(user(t!(ctx.lang, "whisper-self")));
        }
        let me = &ctx.player.name;
        let text = self.text;
        let mut out = Outcome::reply(t!(ctx.lang, "whisper-you", name = &name, text = &text))
            .to_player(
                node,
                NoticeKind::Direct,
                words!("whisper-heard", name = me, text = &text),
            );
        for (other, _) in ctx.roster().in_room(room) {
            if other != node && other != ctx.node {
                out = out.to_player(
                    other,
                    NoticeKind::Ambient,
                    words!("whisper-seen", name = me, to = &name),
                );
            }
        }
        Ok(out)
    }
}

/// `page PLAYER TEXT` (or `page PLAYER=TEXT`).
#[derive(Debug, PartialEq)]
pub struct Page {
    pub to: String,
    pub text: String,
}

impl Command for Page {
    const SPEC: Spec = Spec {
        name: "page",
        aliases: &["p"],
        usage: "page PLAYER TEXT",
        help: "send a private message to a player anywhere (see dnd)",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (to, text) = to_and_text(args)?;
        Ok(Self { to, text })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let who = self.to.as_str();
        let (node, name) = match ctx.roster().find(who) {
            Some(found) => found,
            None => match ctx.store().player_by_name(who).await? {
                Some(p) if !p.banned => (p.node, p.name),
                _ => return Err(no_player(ctx, who)),
            },
        };
        let text = self.text;
        let page = words!("page-heard", name = &ctx.player.name, text = &text);
        let habits = ctx.store().habits(node).await?;
        if let Some(away) = super::habits::away(ctx.lang, &name, &habits) {
            return Ok(Outcome::reply(away).to_player(node, NoticeKind::Held, page));
        }
        Ok(
            Outcome::reply(t!(ctx.lang, "page-you", name = &name, text = &text)).to_player(
                node,
                NoticeKind::Direct,
                page,
            ),
        )
    }
}

/// How long a player has been idle, in `lang`'s age units: `5s`, `3m`, `2h`.
fn idle(lang: Lang, secs: u64) -> String {
    match secs {
        0..60 => t!(lang, "age-seconds", n = secs),
        60..3600 => t!(lang, "age-minutes", n = secs / 60),
        _ => t!(lang, "age-hours", n = secs / 3600),
    }
}

/// `who`.
#[derive(Debug, PartialEq)]
pub struct Who;

impl Command for Who {
    const SPEC: Spec = Spec {
        name: "who",
        aliases: &[],
        usage: "who",
        help: "who is about, and how long idle",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = tokio::time::Instant::now();
        let list: Vec<String> = ctx
            .roster()
            .everyone()
            .into_iter()
            .map(|(_, s)| {
                let quiet = now.saturating_duration_since(s.last_active).as_secs();
                format!("{} {}", s.name, idle(ctx.lang, quiet))
            })
            .collect();
        Ok(t!(ctx.lang, "who-list", n = list.len(), list = list.join(", ")).into())
    }
}

/// `where`.
#[derive(Debug, PartialEq)]
pub struct Where;

impl Command for Where {
    const SPEC: Spec = Spec {
        name: "where",
        aliases: &[],
        usage: "where",
        help: "which room everyone about is in",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut rooms: HashMap<u64, String> = HashMap::new();
        let mut list = Vec::new();
        for (_, s) in ctx.roster().everyone() {
            let room = match rooms.get(&s.room) {
                Some(name) => name.clone(),
                None => {
                    let name = match ctx.store().object(s.room).await? {
                        Some(r) if !r.has_flag("dark") => r.name,
                        _ => t!(ctx.lang, "where-somewhere"),
                    };
                    rooms.insert(s.room, name.clone());
                    name
                }
            };
            list.push(t!(ctx.lang, "where-in", name = &s.name, room = room));
        }
        Ok(format!("{}.", list.join("; ")).into())
    }
}
