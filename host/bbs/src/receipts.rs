//! Read receipts: when a mail that travelled the BBS network (one to a node with no
//! player at the BBS it was written on) is read, at any BBS, its sender is told once:
//! `Bob read your mail 'Lunch?' (at Valley BBS)`. `receipts off` turns that off both
//! ways: nobody is told when you read their mail, and you are not told when yours is
//! read. The read event travels as a sync item (see `meshmush_federation`).

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::{Audience, Notice, NoticeKind};
use meshmush_core::commands::registry::{Command, CommandError, Registry, Reply, Spec, Usage};
use meshmush_core::commands::text::read_receipt_in;
use meshmush_lang::t;
use meshmush_store::{Level, Mail, ReadEvent, StoreError};

pub fn register(r: &mut Registry) {
    r.add::<Receipts>();
}

/// `receipts on|off`, or `receipts` to see which.
#[derive(Debug, PartialEq)]
pub struct Receipts {
    pub on: Option<bool>,
}

impl Command for Receipts {
    const SPEC: Spec = Spec {
        name: "receipts",
        aliases: &[],
        usage: "receipts on|off",
        help: "read receipts for mail across the BBS network: you are told when yours is read, and its sender when you read theirs",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let on = match args.trim().to_ascii_lowercase().as_str() {
            "" => None,
            "on" => Some(true),
            "off" => Some(false),
            _ => return Err(Usage::show()),
        };
        Ok(Self { on })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let Some(on) = self.on else {
            let now = ctx.store().receipts_on(ctx.node).await?;
            let state = if now { "on" } else { "off" };
            return Ok(t!(ctx.lang, "receipts-are", state = state).into());
        };
        ctx.store().set_receipts(ctx.node, on).await?;
        Ok(t!(ctx.lang, if on { "receipts-on" } else { "receipts-off" }).into())
    }
}

/// Marks `mail` read by the player of `ctx`. Mail that travelled the network sets its
/// receipt going: to the BBS it came from, or, for mail written here, to its sender
/// here, returned as the notice to add to the reply (`None`: nobody to tell here).
pub(crate) async fn mark_read(ctx: &Ctx, mail: Mail) -> Result<Option<Notice>, CommandError> {
    let store = ctx.store();
    let tell = store.receipts_on(ctx.node).await?;
    let event = store
        .read_mail(mail, ctx.player.name.clone(), ctx.bbs_name(), tell)
        .await;
    let event = match event {
        // A full disk: the reader still gets the text, only the mark is not kept.
        Err(StoreError::Full) => return Ok(None),
        other => other?,
    };
    let ReadEvent::Local { from, subject } = event else {
        return Ok(None);
    };
    if from == ctx.node || !store.receipts_on(from).await? || store.player(from).await?.is_none() {
        return Ok(None);
    }
    // In the sender's language, as every notice to one player is.
    let theirs = Ctx::language_of(&ctx.common, &store.habits(from).await?);
    let text = read_receipt_in(theirs, &ctx.player.name, &subject, &ctx.bbs_name());
    // Rides in front of the sender's next reply: no airtime of its own.
    Ok(Some(Notice {
        to: Audience::Player(from),
        text: text.into(),
        kind: NoticeKind::Held,
        shows: None,
    }))
}
