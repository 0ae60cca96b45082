//! The commands every player has from the first message: `help`, `ping`, `quit`.

use super::registry::{Command, Lookup, Registry, Reply, Spec, Usage, user};
use super::{Ctx, End, Outcome};
use crate::store::Level;

pub fn register(r: &mut Registry) {
    r.add::<Help>();
    r.add::<Ping>();
    r.add::<Quit>();
}

/// `help [command]`.
#[derive(Debug, PartialEq)]
pub struct Help {
    pub topic: Option<String>,
}

impl Command for Help {
    const SPEC: Spec = Spec {
        name: "help",
        aliases: &["?"],
        usage: "help [command]",
        help: "list commands, or explain one",
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
            let names: Vec<&str> = registry.available(level).map(|e| e.spec.name).collect();
            return Ok(format!("Commands: {}. help CMD for more.", names.join(" ")).into());
        };
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
