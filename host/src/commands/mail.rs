//! Private mail: `mail` lists, `mail N` reads, `mail PLAYER TEXT` sends, `mail delete
//! N` and `mail clear` tidy up. New mail is announced once, in front of the
//! recipient's next reply, and with one packet at once if the recipient is active.

use std::time::Duration;

use super::{CommandError, Entry, HandlerFuture, Registry, age, ago, first_words};
use crate::session::{Ctx, unix_now};
use crate::store::{Level, Mail, Player, Store, StoreError};
use crate::volatile::Volatile;

/// A recipient who sent a command this recently gets a notice packet at once.
const ACTIVE: Duration = Duration::from_secs(600);

pub fn register(r: &mut Registry) {
    r.add(Entry {
        name: "mail",
        aliases: &["@mail"],
        usage: "mail | mail N | mail PLAYER TEXT | mail delete N | mail clear",
        help: "your mail: list, read N, send, delete N, clear the read ones",
        level: Level::Player,
        handler: mail,
    });
}

fn user(msg: impl Into<String>) -> CommandError {
    CommandError::User(msg.into())
}

/// Queues a notice for mail not yet announced (it arrived before a restart, say);
/// the flags are set once the notice rides on a reply (see the session).
pub async fn announce_waiting(store: &Store, vol: &Volatile, node: u32) -> Result<(), StoreError> {
    if vol.has_notices(node) {
        return Ok(());
    }
    let waiting: Vec<Mail> = store
        .mailbox(node)
        .await?
        .into_iter()
        .filter(|m| !m.announced)
        .collect();
    if waiting.is_empty() {
        return Ok(());
    }
    let mut from: Vec<&str> = waiting.iter().map(|m| m.from_name.as_str()).collect();
    from.dedup();
    vol.notify(
        node,
        format!("{} new mail from {}.", waiting.len(), from.join(", ")),
    );
    for mut m in waiting {
        m.announced = true;
        store.update_mail(m).await?;
    }
    Ok(())
}

/// Mailbox order: numbers count from the oldest; the list shows unread first.
fn numbered(mut box_: Vec<Mail>) -> Vec<(usize, Mail)> {
    box_.sort_by_key(|m| m.id);
    box_.into_iter()
        .enumerate()
        .map(|(i, m)| (i + 1, m))
        .collect()
}

fn mail<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let (first, rest) = super::split_command(args);
        match first.to_lowercase().as_str() {
            "" => list(ctx).await,
            "delete" | "del" if !rest.is_empty() => delete(ctx, rest).await,
            "clear" if rest.is_empty() => clear(ctx).await,
            n if n.parse::<usize>().is_ok() && rest.is_empty() => read(ctx, n).await,
            _ => send(ctx, args).await,
        }
    })
}

async fn list(ctx: &mut Ctx) -> Result<String, CommandError> {
    let mut items = numbered(ctx.store.mailbox(ctx.node).await?);
    if items.is_empty() {
        return Ok("No mail. mail PLAYER TEXT sends one.".into());
    }
    items.sort_by_key(|(n, m)| (m.read, *n));
    let now = unix_now();
    let lines: Vec<String> = items
        .iter()
        .map(|(n, m)| {
            let star = if m.read { "" } else { "*" };
            format!(
                "{n}{star} {} {}: {}",
                m.from_name,
                age(now, m.time),
                first_words(&m.text, 40)
            )
        })
        .collect();
    Ok(format!(
        "Mail (* unread):\n{}\nmail N to read",
        lines.join("\n")
    ))
}

async fn pick(ctx: &Ctx, n: &str) -> Result<Mail, CommandError> {
    let want: usize = n
        .trim_start_matches('#')
        .parse()
        .map_err(|_| user(format!("{n:?} is not a mail number.")))?;
    numbered(ctx.store.mailbox(ctx.node).await?)
        .into_iter()
        .find(|(i, _)| *i == want)
        .map(|(_, m)| m)
        .ok_or_else(|| user(format!("No mail {want}. mail lists yours.")))
}

async fn read(ctx: &mut Ctx, n: &str) -> Result<String, CommandError> {
    let mut m = pick(ctx, n).await?;
    let text = format!(
        "From {}, {}:\n{}",
        m.from_name,
        ago(unix_now(), m.time),
        m.text
    );
    if !m.read {
        m.read = true;
        m.announced = true;
        ctx.store.update_mail(m).await?;
    }
    Ok(text)
}

async fn delete(ctx: &mut Ctx, n: &str) -> Result<String, CommandError> {
    let m = pick(ctx, n).await?;
    ctx.store.delete_mail(ctx.node, vec![m.id]).await?;
    Ok(format!(
        "Deleted mail {} from {}.",
        n.trim_start_matches('#'),
        m.from_name
    ))
}

async fn clear(ctx: &mut Ctx) -> Result<String, CommandError> {
    let read: Vec<u64> = ctx
        .store
        .mailbox(ctx.node)
        .await?
        .into_iter()
        .filter(|m| m.read)
        .map(|m| m.id)
        .collect();
    let n = ctx.store.delete_mail(ctx.node, read).await?;
    Ok(format!("Deleted {n} read mail."))
}

/// The recipient named by the first one to three words, and the text after them.
async fn recipient<'t>(ctx: &Ctx, args: &'t str) -> Result<(Player, &'t str), CommandError> {
    let words: Vec<(usize, &str)> = args
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - args.as_ptr() as usize, w))
        .collect();
    for k in (1..=words.len().min(3)).rev() {
        let end = words[k - 1].0 + words[k - 1].1.len();
        if let Some(p) = ctx.store.player_by_name(&args[..end]).await? {
            return Ok((p, args[end..].trim()));
        }
    }
    let first = words.first().map_or("", |w| w.1);
    let close = ctx.store.players_like(first.to_string(), 3).await?;
    if close.is_empty() {
        return Err(user(format!("No player {first}.")));
    }
    Err(user(format!(
        "No player {first}. Did you mean {}?",
        close.join(", ")
    )))
}

async fn send(ctx: &mut Ctx, args: &str) -> Result<String, CommandError> {
    let (to, text) = recipient(ctx, args).await?;
    if text.is_empty() {
        return Err(user(format!(
            "Mail {} what? mail {} TEXT",
            to.name, to.name
        )));
    }
    let max = ctx.cfg.bbs.post_max_bytes;
    if text.len() > max {
        return Err(user(format!(
            "Too long: {} bytes, the limit is {max}.",
            text.len()
        )));
    }
    if ctx.store.mailbox(to.node).await?.len() >= ctx.cfg.bbs.mailbox_max {
        return Err(user(format!("{}'s mailbox is full; try later.", to.name)));
    }
    let mail = Mail {
        id: 0,
        to: to.node,
        from: ctx.node,
        from_name: ctx.player.name.clone(),
        time: unix_now(),
        text: text.to_string(),
        read: false,
        // Set once the notice has ridden on one of the recipient's replies.
        announced: false,
    };
    ctx.store.send_mail(mail).await?;
    let notice = format!("New mail from {}.", ctx.player.name);
    ctx.vol.notify(to.node, notice.clone());
    if to.node != ctx.node && ctx.vol.active_within(to.node, ACTIVE) {
        let _ = ctx
            .link
            .send_text(to.node, 0, format!("{notice} Send mail to read it."))
            .await;
    }
    Ok(format!("Mail sent to {}.", to.name))
}
