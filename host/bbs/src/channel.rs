//! What commands put on the primary channel: a wizard's `@wall`, and the notice a new
//! post on an urgent board sends. Each is one packet, and each first takes the
//! roster's channel gap (`bbs.channel_gap_mins`, shared with the beacon), so nobody
//! can make the BBS fill the channel that every node in range pays airtime for.

use std::time::Duration;

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::{Outcome, Shown};
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::first_words;
use meshmush_lang::{Lang, t};
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

/// The minutes of a wait, rounded up ("wait 0 min" would be a lie).
fn minutes(wait: Duration) -> u64 {
    wait.as_secs().div_ceil(60).max(1)
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
            return Err(user(t!(
                ctx.lang,
                "wall-too-long",
                len = packet.len(),
                max = budget
            )));
        }
        if let Err(wait) = ctx.roster().take_channel() {
            return Err(user(t!(
                ctx.lang,
                "wall-wait",
                mins = minutes(wait),
                gap = ctx.cfg().bbs.channel_gap_mins
            )));
        }
        Ok(Outcome::reply(t!(ctx.lang, "wall-sent")).to_channel(packet))
    }
}

/// The channel notice for a new post on an urgent board, in one packet of `budget`
/// bytes, in English (the bench's figure): [`urgent_text_in`] the BBS's language.
pub fn urgent_text(post: &Post, budget: usize) -> String {
    urgent_text_in(Lang::EN, post, budget)
}

/// The channel notice for a new post on an urgent board, in `lang` (a broadcast:
/// the BBS's `[bbs] language`), in one packet of `budget` bytes: the subject is cut
/// to fit.
pub fn urgent_text_in(lang: Lang, post: &Post, budget: usize) -> String {
    let text = |subject: &str| {
        t!(
            lang,
            "urgent-notice",
            board = &post.board,
            subject = subject,
            name = &post.author_name,
            num = post.num
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
            let lang = ctx.cfg().bbs.language();
            let notice = urgent_text_in(lang, post, ctx.cfg().replies.byte_budget);
            let shown = Shown::Post {
                board: post.board.clone(),
                num: post.num,
            };
            let mut outcome = outcome.to_channel(notice).showing(shown);
            outcome.reply.push(' ');
            outcome.reply.push_str(&t!(ctx.lang, "urgent-announced"));
            outcome
        }
        Err(wait) => {
            let mut outcome = outcome;
            outcome.reply.push(' ');
            outcome
                .reply
                .push_str(&t!(ctx.lang, "urgent-not-announced", mins = minutes(wait)));
            outcome
        }
    }
}
