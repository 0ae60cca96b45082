//! The commands every player has from the first message: `help`, `lang`, `ping`,
//! `quit`, and `seen` (its own file).

use super::ctx::Ctx;
use super::outcome::{End, Outcome};
use super::registry::{Command, Lookup, Registry, Reply, Spec, Usage, user};
use meshmush_lang::{Arg, Lang, OFFERED, codes, t};
use meshmush_store::Level;

pub fn register(r: &mut Registry) {
    r.add::<Help>();
    r.add::<LangCmd>();
    r.add::<Ping>();
    r.add::<Quit>();
    r.add::<super::seen::Seen>();
}

/// What `help` alone says in `lang`: the commands a newcomer needs, grouped, in one
/// short packet, where the rest is, and the languages offered. Every English word
/// here is a command (or an exit alias); a test holds it to that.
pub fn short_help(lang: Lang) -> String {
    t!(lang, "help-short", codes = codes())
}

/// `help [all | command]`.
#[derive(Debug, PartialEq)]
pub struct Help {
    pub topic: Option<String>,
}

impl Command for Help {
    // English as `en.ftl` has it (`usage-help`, `help-help`); a test keeps them equal.
    const SPEC: Spec = Spec {
        name: "help",
        aliases: &["?"],
        usage: "help [all|CMD]",
        help: "the main commands; all of them; or how to use one",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            topic: (!args.is_empty()).then(|| args.to_string()),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (level, lang) = (ctx.level(), ctx.lang);
        let registry = ctx.registry.clone();
        let Some(topic) = self.topic else {
            return Ok(short_help(lang).into());
        };
        if topic.eq_ignore_ascii_case("all") {
            let names: Vec<&str> = registry.available(level).map(|e| e.spec.name).collect();
            return Ok(t!(lang, "help-all", commands = names.join(" ")).into());
        }
        match registry.lookup(&topic, level) {
            Lookup::Found(e) => {
                let (usage, help) = (e.spec.usage_in(lang), e.spec.help_in(lang));
                Ok(t!(lang, "help-one", usage = usage, help = help).into())
            }
            _ => Err(user(t!(
                lang,
                "help-none",
                topic = super::text::echo(&topic)
            ))),
        }
    }
}

/// `lang` (the languages offered, and the player's) or `lang CODE` (answer me in it).
#[derive(Debug, PartialEq)]
pub enum LangCmd {
    List,
    Set(Lang),
}

impl Command for LangCmd {
    const SPEC: Spec = Spec {
        name: "lang",
        aliases: &[],
        usage: "lang [CODE]",
        help: "the language I answer you in; alone, the ones offered",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let code = args.trim();
        if code.is_empty() {
            return Ok(Self::List);
        }
        match Lang::parse(code) {
            Some(lang) => Ok(Self::Set(lang)),
            None => Err(Usage::key(
                "lang-unknown",
                vec![
                    ("code", Arg::from(super::text::echo(code))),
                    ("codes", Arg::from(codes())),
                ],
            )),
        }
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let lang = match self {
            Self::List => {
                let list: Vec<String> = OFFERED
                    .iter()
                    .map(|o| format!("{} {}", o.code, o.name))
                    .collect();
                let list = list.join(", ");
                return Ok(t!(ctx.lang, "lang-list", list = list, code = ctx.lang.code()).into());
            }
            Self::Set(lang) => lang,
        };
        let mut habits = ctx.store().habits(ctx.node).await?;
        habits.lang = Some(lang.code().to_string());
        ctx.store().set_habits(habits).await?;
        ctx.lang = lang;
        ctx.roster().set_lang(ctx.node, lang);
        Ok(t!(lang, "lang-set").into())
    }
}

/// `ping`.
#[derive(Debug, PartialEq)]
pub struct Ping;

impl Command for Ping {
    const SPEC: Spec = Spec {
        name: "ping",
        aliases: &[],
        usage: "ping",
        help: "check the BBS is listening",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, _ctx: &mut Ctx) -> Reply {
        Ok("pong".into())
    }
}

/// `quit`.
#[derive(Debug, PartialEq)]
pub struct Quit;

impl Command for Quit {
    const SPEC: Spec = Spec {
        name: "quit",
        aliases: &["bye"],
        usage: "quit",
        help: "end your session (everything is saved)",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        Ok(Outcome::reply(t!(ctx.lang, "quit-bye", name = &ctx.player.name)).ending(End::Quit))
    }
}
