//! What commands put on the primary channel: a wizard's `@wall`, and the notice a new
//! post on an urgent board sends. Each is one packet, and each first takes the
//! roster's channel gap (`bbs.channel_gap_mins`, shared with the beacon), so nobody
//! can make the BBS fill the channel that every node in range pays airtime for.

use std::time::Duration;

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::{Outcome, Shown};
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::first_words;
use meshmush_store::{Board, Level, Post};

pub fn register(r: &mut Registry) {
    r.add::<Wall>();
}

/// `@wall TEXT`: one packet on the primary channel, in the wizard's name.
#[derive(Debug, PartialEq)]
pub struct Wall {
    pub text: String,
}

/// What a channel packet from `@wall` looks like (in the core: scheduled walls and
/// the config's check of them use it too).
pub use meshmush_core::commands::text::wall_text;

/// "9 min" for a wait (rounded up: "wait 0 min" would be a lie).
fn minutes(wait: Duration) -> String {
    format!("{} min", wait.as_secs().div_ceil(60).max(1))
}

impl Command for Wall {
    const SPEC: Spec = Spec {
        name: "@wall",
        aliases: &[],
        usage: "@wall TEXT",
        help: "say TEXT in one packet on the primary channel, to every node in range",
        level: Level::Wizard,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let text = args.trim();
        if text.is_empty() {
            return Err(Usage::show());
        }
        Ok(Self {
            text: text.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let packet = wall_text(&ctx.player.name, &self.text);
        let budget = ctx.cfg().replies.byte_budget;
        if packet.len() > budget {
            return Err(user(format!(
                "Too long for one packet: {} bytes with your name, at most {budget}.",
                packet.len()
            )));
        }
        if let Err(wait) = ctx.roster().take_channel() {
            return Err(user(format!(
                "The BBS spoke on the channel lately; wait {} (one packet per {} min).",
                minutes(wait),
                ctx.cfg().bbs.channel_gap_mins
            )));
        }
        Ok(Outcome::reply("Sent on the channel.").to_channel(packet))
    }
}

/// The channel notice for a new post on an urgent board, in one packet of `budget`
/// bytes: the subject is cut to fit.
pub fn urgent_text(post: &Post, budget: usize) -> String {
    let text = |subject: &str| {
        format!(
            "URGENT on {}: {subject} - {}. DM me: read {} {}",
            post.board, post.author_name, post.board, post.num
        )
    };
    // `first_words` may add "…" to what it keeps.
    let bare = text("").len() + '…'.len_utf8();
    text(&first_words(&post.subject, budget.saturating_sub(bare)))
}

/// `outcome` for a post just written on `board`: with the channel notice when the
/// board is urgent and the channel gap allows, or a word to the author saying why
/// there is none. The post stands either way.
pub fn announce_urgent(ctx: &Ctx, board: &Board, post: &Post, outcome: Outcome) -> Outcome {
    if !board.urgent {
        return outcome;
    }
    match ctx.roster().take_channel() {
        Ok(()) => {
            let notice = urgent_text(post, ctx.cfg().replies.byte_budget);
            let shown = Shown::Post {
                board: post.board.clone(),
                num: post.num,
            };
            let mut outcome = outcome.to_channel(notice).showing(shown);
            outcome.reply.push_str(" Announced on the channel.");
            outcome
        }
        Err(wait) => {
            let mut outcome = outcome;
            outcome.reply.push_str(&format!(
                " Not announced: the BBS spoke on the channel lately (again in {}).",
                minutes(wait)
            ));
            outcome
        }
    }
}
