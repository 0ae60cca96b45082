//! The commands every player has from the first message: `help`, `ping`, `quit`.

use super::ctx::Ctx;
use super::outcome::{End, Outcome};
use super::registry::{Command, Lookup, Registry, Reply, Spec, Usage, user};
use meshmush_store::Level;

pub fn register(r: &mut Registry) {
    r.add::<Help>();
    r.add::<Ping>();
    r.add::<Quit>();
}

/// What `help` alone says: the commands a newcomer needs, grouped, in one short
/// packet, and where the rest is. Every word here is a command (or an exit alias);
/// a test holds it to that.
pub const SHORT_HELP: &str = "BBS: boards read post next mail. World: look n s e w say who i. \
help CMD explains one; help all lists all.";

/// `help [all | command]`.
#[derive(Debug, PartialEq)]
pub struct Help {
    pub topic: Option<String>,
}

impl Command for Help {
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
        let level = ctx.level();
        let registry = ctx.registry.clone();
        let Some(topic) = self.topic else {
            return Ok(SHORT_HELP.into());
        };
        if topic.eq_ignore_ascii_case("all") {
            let names: Vec<&str> = registry.available(level).map(|e| e.spec.name).collect();
            return Ok(format!("{}. help CMD explains one.", names.join(" ")).into());
        }
        match registry.lookup(&topic, level) {
            Lookup::Found(e) => Ok(format!("{}: {}", e.spec.usage, e.spec.help).into()),
            _ => Err(user(format!("No command {topic:?}. Try help."))),
        }
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
        Ok(
            Outcome::reply(format!("Bye, {}. Everything is saved.", ctx.player.name))
                .ending(End::Quit),
        )
    }
}
