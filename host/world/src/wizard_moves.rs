//! Wizards moving players (Level::Wizard): `@teleport` and `@boot`. The rest of
//! running the place is `admin.rs`.

use super::room::{Leaving, arrive, parse_id, refusal};
use meshmush_core::commands::admin::{player_arg, player_word, wizard};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::{NoticeKind, Outcome};
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_lang::{t, words};
use meshmush_store::ObjectKind;

pub fn register(r: &mut Registry) {
    r.add::<Teleport>();
    r.add::<Boot>();
}

/// `@teleport [PLAYER=]#ROOM`.
#[derive(Debug, PartialEq)]
pub struct Teleport {
    /// `None`: the wizard themself.
    pub who: Option<String>,
    pub to: u64,
}

impl Command for Teleport {
    const SPEC: Spec = Spec {
        aliases: &["@tel"],
        ..wizard(
            "@teleport",
            "@teleport [PLAYER=]#ROOM",
            "move yourself or a player",
        )
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (who, target) = match args.split_once('=') {
            Some((w, t)) => (Some(w.trim()), t.trim()),
            None => (None, args.trim()),
        };
        Ok(Self {
            who: who
                .filter(|w| !w.eq_ignore_ascii_case("me"))
                .map(String::from),
            to: parse_id(target).ok_or_else(Usage::show)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let to = self.to;
        match ctx.store().object(to).await? {
            Some(o) if o.kind == ObjectKind::Room => {}
            _ => return Err(user(t!(ctx.lang, "refused-not-a-room", n = to))),
        }
        let Some(who) = self.who else {
            let from = ctx.store().player_state(ctx.node).await?.location;
            return arrive(ctx, from, to, Leaving::Vanishes).await;
        };
        let p = player_arg(ctx, &who).await?;
        ctx.store()
            .move_player(p.node, to)
            .await
            .map_err(|e| refusal(ctx.lang, e))?;
        ctx.roster().set_room(p.node, to);
        Ok(
            Outcome::reply(t!(ctx.lang, "teleported", name = &p.name, n = to)).to_player(
                p.node,
                NoticeKind::Direct,
                words!("teleported-you", name = &ctx.player.name, n = to),
            ),
        )
    }
}

/// `@boot PLAYER`.
#[derive(Debug, PartialEq)]
pub struct Boot {
    pub who: String,
}

impl Command for Boot {
    const SPEC: Spec = wizard(
        "@boot",
        "@boot PLAYER",
        "send a player home and forget them until they speak",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        Ok(Self {
            who: player_word(args)?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let p = player_arg(ctx, &self.who).await?;
        let state = ctx.store().player_state(p.node).await?;
        ctx.store()
            .move_player(p.node, state.home)
            .await
            .map_err(|e| refusal(ctx.lang, e))?;
        ctx.roster().leave(p.node);
        Ok(
            Outcome::reply(t!(ctx.lang, "booted", name = &p.name)).to_player(
                p.node,
                NoticeKind::Direct,
                words!("booted-you"),
            ),
        )
    }
}
