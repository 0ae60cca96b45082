//! Private mail: `mail` lists, `mail N` reads, `mail PLAYER TEXT` sends, `mail delete
//! N` and `mail clear` tidy up. New mail is announced once: the send returns a mail
//! notice, which the delivery path puts in front of the recipient's next reply (and
//! sends at once as well if they are active); only the delivery marks mail announced.

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::{Notice, NoticeKind, Outcome, Shown};
use meshmush_core::commands::registry::{
    Command, CommandError, Guard, Registry, Reply, Spec, Usage, user,
};
use meshmush_core::commands::text::{
    age_in, ago_in, echo, fill_packet, first_words, split_command, unix_now,
};
use meshmush_core::events::Event;
use meshmush_core::roster::{Newcomer, Roster};
use meshmush_lang::{Arg, Lang, t};
use meshmush_protocol::packets::{node_id, parse_node_id};

use meshmush_store::{
    DraftTarget, Level, Mail as Letter, Player, Store, StoreError, UnheardCaps, UnheardRefusal,
};

pub fn register(r: &mut Registry) {
    r.add::<Mail>();
}

/// Queues one notice for mail that arrived while nobody announced it (before a
/// restart, say), unless notices already wait; in the player's language, else
/// `default`'s. The delivery marks it announced once the notice has ridden on a reply.
pub async fn queue_unannounced(
    store: &Store,
    roster: &Roster,
    node: u32,
    default: Lang,
) -> Result<(), StoreError> {
    if roster.has_notices(node) {
        return Ok(());
    }
    let waiting: Vec<Letter> = store
        .mailbox(node)
        .await?
        .into_iter()
        .filter(|m| !m.announced && !m.read)
        .collect();
    if waiting.is_empty() {
        return Ok(());
    }
    let mut from: Vec<&str> = waiting.iter().map(|m| m.from_name.as_str()).collect();
    from.dedup();
    let lang = store
        .habits(node)
        .await?
        .lang
        .as_deref()
        .and_then(Lang::parse);
    let text = t!(
        lang.unwrap_or(default),
        "mail-new-count",
        n = waiting.len(),
        from = from.join(", ")
    );
    roster.queue_notice(node, text, true);
    Ok(())
}

/// Mailbox order: numbers count from the oldest; the list shows unread first.
fn numbered(mut mailbox: Vec<Letter>) -> Vec<(usize, Letter)> {
    mailbox.sort_by_key(|m| m.id);
    mailbox
        .into_iter()
        .enumerate()
        .map(|(i, m)| (i + 1, m))
        .collect()
}

/// `mail`, `mail N`, `mail PLAYER TEXT`, `mail delete N`, `mail clear`.
#[derive(Debug, PartialEq)]
pub enum Mail {
    List,
    Read(usize),
    Delete(usize),
    Clear,
    /// The recipient's name is one to three words: the store decides where it ends.
    Send(String),
}

/// A mail number, `N` or `#N`.
fn mail_num(word: &str) -> Result<usize, Usage> {
    word.trim_start_matches('#')
        .parse()
        .map_err(|_| Usage::key("not-mail-number", vec![("word", Arg::from(echo(word)))]))
}

impl Command for Mail {
    // English as `en.ftl` has it (`usage-mail`, `help-mail`).
    const SPEC: Spec = Spec {
        name: "mail",
        aliases: &["@mail"],
        usage: "mail | mail N | mail PLAYER [TEXT] | mail delete N | mail clear",
        help: "your mail: the oldest unread and a list; read N; send (no text: write a long one); delete N; clear the read ones",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (first, rest) = split_command(args);
        Ok(match first.to_lowercase().as_str() {
            "" => Self::List,
            "delete" | "del" if !rest.is_empty() => Self::Delete(mail_num(rest)?),
            "clear" if rest.is_empty() => Self::Clear,
            n if n.parse::<usize>().is_ok() && rest.is_empty() => Self::Read(mail_num(n)?),
            _ => Self::Send(args.to_string()),
        })
    }

    fn guard(&self) -> Guard {
        match self {
            Self::Delete(_) | Self::Clear => Guard::Account,
            _ => Guard::Open,
        }
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        match self {
            Self::List => list(ctx).await,
            Self::Read(n) => read(ctx, n).await,
            Self::Delete(n) => delete(ctx, n).await,
            Self::Clear => clear(ctx).await,
            Self::Send(args) => send(ctx, &args).await,
        }
    }
}

/// Bytes of a letter's first words that stand for its subject in a list.
const SUBJECT: usize = 24;

/// One line of the mailbox: `#2* Lunch? - Bob 1h` (`*`: unread).
fn list_line(lang: Lang, n: usize, m: &Letter, now: u64) -> String {
    let star = if m.read { "" } else { "*" };
    let subject = if m.subject.is_empty() {
        &m.text
    } else {
        &m.subject
    };
    format!(
        "#{n}{star} {} - {} {}",
        first_words(subject, SUBJECT),
        m.from_name,
        age_in(lang, now, m.time)
    )
}

/// A letter in full: `Mail #2 Bob 1h:` and its text.
fn letter(lang: Lang, n: usize, m: &Letter, now: u64) -> String {
    let age = age_in(lang, now, m.time);
    let heading = t!(lang, "mail-heading", n = n, from = &m.from_name, age = age);
    format!("{heading}\n{}", m.text.trim())
}

/// `mail`: the oldest unread letter in full with the rest listed after it, when that
/// fits one packet (reading new mail takes one command); else the list.
async fn list(ctx: &Ctx) -> Reply {
    let lang = ctx.lang;
    let mut items = numbered(ctx.store().mailbox(ctx.node).await?);
    if items.is_empty() {
        return Ok(t!(lang, "mail-none").into());
    }
    items.sort_by_key(|(n, m)| (m.read, *n));
    let now = unix_now();
    if let Some((n, m)) = items.first().filter(|(_, m)| !m.read) {
        let rest: Vec<String> = items[1..]
            .iter()
            .map(|(n, m)| list_line(lang, *n, m, now))
            .collect();
        let full = letter(lang, *n, m, now);
        if let Some(reply) = fill_packet(full, &rest, ctx.cfg().replies.byte_budget) {
            let receipt = super::receipts::mark_read(ctx, m.clone()).await?;
            return Ok(with_receipt(reply, receipt));
        }
    }
    let lines: Vec<String> = items
        .iter()
        .map(|(n, m)| list_line(lang, *n, m, now))
        .collect();
    let (head, foot) = (t!(lang, "mail-list"), t!(lang, "mail-list-foot"));
    Ok(format!("{head}\n{}\n{foot}", lines.join("\n")).into())
}

async fn pick(ctx: &Ctx, want: usize) -> Result<Letter, CommandError> {
    numbered(ctx.store().mailbox(ctx.node).await?)
        .into_iter()
        .find(|(i, _)| *i == want)
        .map(|(_, m)| m)
        .ok_or_else(|| user(t!(ctx.lang, "mail-no-such", n = want)))
}

async fn read(ctx: &Ctx, n: usize) -> Reply {
    let m = pick(ctx, n).await?;
    let text = letter(ctx.lang, n, &m, unix_now());
    if m.read {
        return Ok(text.into());
    }
    let receipt = super::receipts::mark_read(ctx, m).await?;
    Ok(with_receipt(text, receipt))
}

/// The reply, with the sender's read receipt if there is one to give here.
fn with_receipt(reply: String, receipt: Option<Notice>) -> Outcome {
    let mut out = Outcome::reply(reply);
    out.notices.extend(receipt);
    out
}

async fn delete(ctx: &Ctx, n: usize) -> Reply {
    let m = pick(ctx, n).await?;
    ctx.store().delete_mail(ctx.node, vec![m.id]).await?;
    Ok(t!(ctx.lang, "mail-deleted", n = n, from = &m.from_name).into())
}

async fn clear(ctx: &Ctx) -> Reply {
    let read: Vec<u64> = ctx
        .store()
        .mailbox(ctx.node)
        .await?
        .into_iter()
        .filter(|m| m.read)
        .map(|m| m.id)
        .collect();
    let n = ctx.store().delete_mail(ctx.node, read).await?;
    Ok(t!(ctx.lang, "mail-cleared", n = n).into())
}

/// A node that never used the BBS but was heard this recently is told of its mail at
/// once, not when next heard: it is probably there to read it.
pub const HEARD_RECENTLY_SECS: u64 = 2 * 3600;

/// Tells `to`, a node that never used the BBS, of its mail now if the node database
/// heard it within [`HEARD_RECENTLY_SECS`] and it was not told today (the same once a
/// day as when it is heard: see the daemon's `unasked::mail_waiting`). `None`: it
/// waits (also whenever federation peers are configured).
async fn tell_now(ctx: &Ctx, to: &Recipient) -> Result<Option<Outcome>, CommandError> {
    if !ctx.cfg().federation.peers.is_empty() {
        // The node may be a player at a peer BBS, which announces the synced mail
        // itself: a DM from here too would tell it twice.
        return Ok(None);
    }
    let now = unix_now();
    let heard = ctx
        .mesh()
        .nodes()
        .into_iter()
        .find(|n| n.num == to.node)
        .map(|n| u64::from(n.last_heard))
        .filter(|&at| at != 0 && now.saturating_sub(at) <= HEARD_RECENTLY_SECS);
    let Some(heard) = heard else {
        return Ok(None);
    };
    if !ctx.store().claim_mail_told(to.node, now).await? {
        return Ok(None);
    }
    ctx.store().mark_mail_announced(to.node).await?;
    let bbs = ctx.bbs_name();
    let ago = ago_in(ctx.lang, now, heard);
    // The node never used the BBS, so it has no language of its own: the BBS's.
    let theirs = ctx.cfg().bbs.language();
    let you_have = t!(theirs, "mail-you-have", bbs = bbs, name = &ctx.player.name);
    Ok(Some(
        Outcome::reply(t!(ctx.lang, "mail-told-now", name = &to.name, ago = ago)).to_player(
            to.node,
            NoticeKind::Direct,
            you_have,
        ),
    ))
}

/// Who mail goes to: a player, or a node that has never used the BBS (its mail waits
/// until the node is next heard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Recipient {
    pub node: u32,
    pub name: String,
    pub is_player: bool,
}

impl Recipient {
    fn player(p: &Player) -> Self {
        Self {
            node: p.node,
            name: p.name.clone(),
            is_player: true,
        }
    }
}

/// The recipient named by the first one to three words, and the text after them: a
/// player's name, a node id (`!4d4d1004`), or a node's short or long name from the
/// node database (a node that never used the BBS gets its mail when next heard).
async fn recipient<'t>(ctx: &Ctx, args: &'t str) -> Result<(Recipient, &'t str), CommandError> {
    let words: Vec<(usize, &str)> = args
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - args.as_ptr() as usize, w))
        .collect();
    for k in (1..=words.len().min(3)).rev() {
        let end = words[k - 1].0 + words[k - 1].1.len();
        if let Some(p) = ctx.store().player_by_name(&args[..end]).await? {
            return Ok((Recipient::player(&p), args[end..].trim()));
        }
    }
    let first = words.first().map_or("", |w| w.1);
    if let Some(num) = parse_node_id(first) {
        let rest = args[first.len()..].trim();
        return Ok((node_recipient(ctx, num).await?, rest));
    }
    let nodes = ctx.mesh().nodes();
    for k in (1..=words.len().min(3)).rev() {
        let end = words[k - 1].0 + words[k - 1].1.len();
        let name = &args[..end];
        let named: Vec<_> = nodes
            .iter()
            .filter(|n| {
                n.long_name.eq_ignore_ascii_case(name) || n.short_name.eq_ignore_ascii_case(name)
            })
            .collect();
        match named.as_slice() {
            [one] => return Ok((node_recipient(ctx, one.num).await?, args[end..].trim())),
            [] => {}
            many => {
                let ids: Vec<String> = many.iter().map(|n| node_id(n.num)).collect();
                return Err(user(t!(
                    ctx.lang,
                    "mail-names-many",
                    name = echo(name),
                    count = many.len(),
                    ids = ids.join(", ")
                )));
            }
        }
    }
    let close = ctx.store().players_like(first.to_string(), 3).await?;
    let name = echo(first);
    if close.is_empty() {
        return Err(user(t!(ctx.lang, "mail-no-recipient", name = name)));
    }
    let close = close.join(", ");
    Err(user(t!(
        ctx.lang,
        "mail-no-player-close",
        name = name,
        close = close
    )))
}

/// The player on `node`, or the node itself as its node database names it.
async fn node_recipient(ctx: &Ctx, node: u32) -> Result<Recipient, CommandError> {
    if let Some(p) = ctx.store().player(node).await? {
        return Ok(Recipient::player(&p));
    }
    let name = ctx
        .mesh()
        .nodes()
        .into_iter()
        .find(|n| n.num == node)
        .map_or_else(
            || node_id(node),
            |n| format!("{} ({})", n.long_name, node_id(node)),
        );
    Ok(Recipient {
        node,
        name,
        is_player: false,
    })
}

async fn send(ctx: &mut Ctx, args: &str) -> Reply {
    let (to, text) = recipient(ctx, args).await?;
    if text.is_empty() {
        mailbox_has_room(ctx, &to).await?;
        let target = DraftTarget::Mail {
            to: to.node,
            to_name: to.name.clone(),
        };
        return super::compose::start(ctx, target).await;
    }
    deliver(ctx, &to, "", text).await
}

/// Whether `to` may be sent one more mail: their mailbox has room and, for a node
/// that never used the BBS (anyone can make up a node id), the sender's day and the
/// BBS's whole allowance for such mail (`[retention]`) have room too.
async fn mailbox_has_room(ctx: &Ctx, to: &Recipient) -> Result<(), CommandError> {
    if ctx.store().mailbox(to.node).await?.len() >= ctx.cfg().bbs.mailbox_max {
        return Err(user(t!(ctx.lang, "mailbox-full", name = &to.name)));
    }
    if to.is_player {
        return Ok(());
    }
    let caps = unheard_caps(ctx);
    let waiting = ctx.store().unheard_mail(ctx.node, caps.since).await?;
    if waiting.by_sender >= caps.per_sender {
        let refusal = UnheardRefusal::Sender(waiting.by_sender);
        return Err(unheard_refusal(ctx.lang, refusal));
    }
    if waiting.total >= caps.total {
        return Err(unheard_refusal(
            ctx.lang,
            UnheardRefusal::Total(waiting.total),
        ));
    }
    Ok(())
}

/// The `[retention]` caps on mail for nodes that never used the BBS, for a mail sent
/// now (the sender's count is of the last day).
fn unheard_caps(ctx: &Ctx) -> UnheardCaps {
    let limits = &ctx.cfg().retention;
    UnheardCaps {
        per_sender: limits.unheard_mail_per_sender_day,
        since: unix_now().saturating_sub(24 * 3600),
        total: limits.unheard_mail_total,
    }
}

/// What the sender is told when a cap on mail for nodes that never used the BBS is
/// reached.
fn unheard_refusal(lang: Lang, refusal: UnheardRefusal) -> CommandError {
    match refusal {
        UnheardRefusal::Sender(n) => user(t!(lang, "mail-unheard-sender", n = n)),
        UnheardRefusal::Total(_) => user(t!(lang, "mail-unheard-total")),
    }
}

/// Checks the limits and sends `text` to `to`; the reply comes after it is on disk,
/// with a mail notice for the recipient. An empty `subject` is taken from the text.
pub(super) async fn deliver(ctx: &Ctx, to: &Recipient, subject: &str, text: &str) -> Reply {
    let lang = ctx.lang;
    let max = ctx.cfg().bbs.post_max_bytes;
    if text.len() > max {
        return Err(user(t!(lang, "too-long", len = text.len(), max = max)));
    }
    mailbox_has_room(ctx, to).await?;
    if !meshmush_core::commands::ctx::newcomer_allowed(ctx, Newcomer::Mail) {
        return Err(user(t!(lang, "mail-newcomers")));
    }
    let mail = Letter {
        id: 0,
        to: to.node,
        from: ctx.node,
        from_name: ctx.player.name.clone(),
        time: unix_now(),
        subject: if subject.is_empty() {
            super::compose::subject_of(text)
        } else {
            subject.to_string()
        },
        text: text.to_string(),
        read: false,
        // Set by the delivery once the notice has ridden on one of the recipient's
        // replies.
        announced: false,
    };
    let mailed = Event::Mailed { to: to.node };
    if !to.is_player {
        // The caps again, counted with the write: `mailbox_has_room` above answers
        // early (and before a draft), but others may take the last room after it.
        if let Err(refusal) = ctx
            .store()
            .send_unheard_mail(mail, unheard_caps(ctx))
            .await?
        {
            return Err(unheard_refusal(lang, refusal));
        }
        if let Some(outcome) = tell_now(ctx, to).await? {
            return Ok(outcome.with_event(mailed));
        }
        let waits = t!(lang, "mail-waits", name = &to.name);
        return Ok(Outcome::reply(waits).with_event(mailed));
    }
    let sent = ctx.store().send_mail(mail).await?;
    // The notice is the recipient's to read, in their language.
    let theirs = Ctx::language_of(&ctx.common, &ctx.store().habits(to.node).await?);
    let notice = t!(theirs, "mail-notice", name = &ctx.player.name);
    Ok(Outcome::reply(t!(lang, "mail-sent", name = &to.name))
        .to_player(to.node, NoticeKind::Mail, notice)
        .showing(Shown::Letter(sent.id))
        .with_event(mailed))
}
