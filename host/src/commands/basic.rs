//! The commands every player has from the first message: `help`, `ping`, `quit`.

use super::{CommandError, Entry, HandlerFuture, Registry};
use crate::session::Ctx;
use crate::store::Level;

pub fn register(r: &mut Registry) {
    r.add(Entry {
        name: "help",
        aliases: &["?"],
        usage: "help [command]",
        help: "list commands, or explain one",
        level: Level::Player,
        handler: help,
    });
    r.add(Entry {
        name: "ping",
        aliases: &[],
        usage: "ping",
        help: "check the BBS is listening",
        level: Level::Player,
        handler: ping,
    });
    r.add(Entry {
        name: "quit",
        aliases: &["bye"],
        usage: "quit",
        help: "end your session (everything is saved)",
        level: Level::Player,
        handler: quit,
    });
}

fn help<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let level = ctx.level();
        let registry = ctx.registry.clone();
        if args.is_empty() {
            let names: Vec<&str> = registry.available(level).map(|e| e.name).collect();
            return Ok(format!("Commands: {}. help CMD for more.", names.join(" ")));
        }
        match registry.lookup(args, level) {
            super::Lookup::Found(e) => Ok(format!("{}: {}", e.usage, e.help)),
            _ => Err(CommandError::User(format!(
                "No command {args:?}. Try help."
            ))),
        }
    })
}

fn ping<'a>(_ctx: &'a mut Ctx, _args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move { Ok("pong".to_string()) })
}

fn quit<'a>(ctx: &'a mut Ctx, _args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        ctx.quit = true;
        Ok(format!("Bye, {}. Everything is saved.", ctx.player.name))
    })
}
