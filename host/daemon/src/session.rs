//! One session per active node: a task that runs that player's commands in order,
//! while other players' sessions run in parallel. It loads the player, keeps the
//! roster's view of them current, runs each line through the dispatcher and hands the
//! outcome to the delivery path. A session that hears nothing for the idle timeout
//! ends; everything it knew is in the store.

use std::sync::Arc;

use meshmush_firmware_bridge::link::Class;
use meshmush_lang::{Lang, t};
use meshmush_protocol::packets::node_id;
use tokio::sync::mpsc;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::commands::{Ctx, End, Handled, Registry, execute, handle, unix_now};
use crate::identity::{Evidence, Sender, judge};
use crate::roster::Newcomer;
use crate::shared::Shared;
use meshmush_core::commands::account::asks_repin;
use meshmush_store::{Level, Pin, Player, StoreError};

/// One command for a session.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Its packet id: what the reply names as the packet it answers.
    pub id: u32,
    pub text: String,
    /// An emoji reaction to the BBS's packet with this id, which showed something
    /// (`Roster::shown`): not a command; it marks that read, with no reply.
    pub reaction: Option<u32>,
    /// How it came: PKI or not, and with which key.
    pub evidence: Evidence,
}

/// A session's player, with their pinned key.
struct Open {
    ctx: Ctx,
    pin: Option<Pin>,
    /// The player was made by this session: their first reply starts with a welcome.
    welcome: bool,
    /// This is the player's first contact of the (UTC) day: their first reply starts
    /// with the message of the day, if the config has one.
    motd: bool,
}

/// The one answer a packet judged an impostor gets (at most once an hour per node),
/// in the language of the node's player: the one who reads it, if it reaches them.
pub fn impostor_refusal(lang: Lang) -> String {
    t!(lang, "impostor-refused")
}

/// The language of `node`'s player as far as the roster knows (a session loaded
/// them lately), else the BBS's: for what is said before their habits are read.
fn known_language(node: u32, deps: &SessionDeps) -> Lang {
    deps.shared
        .roster()
        .lang(node)
        .unwrap_or_else(|| deps.shared.cfg().bbs.language())
}

/// Whether `now` falls on a later UTC day than `before`.
fn new_day(before: u64, now: u64) -> bool {
    now / 86_400 > before / 86_400
}

/// A brand-new player's first reply, with the welcome in front in the language the
/// reply is in: one packet that says how to get help (unless the reply is the help).
fn welcomed(lang: Lang, name: &str, reply: &str, is_help: bool) -> String {
    let key = if is_help { "welcome" } else { "welcome-help" };
    format!("{} {reply}", t!(lang, key, name = name))
}

/// The class a player's replies travel in: [`Class::Known`] once their record is older
/// than `newcomer_hours` (or at once for builders and wizards), else
/// [`Class::Stranger`]. A flood of fresh ids, each inside its own limits, is strangers
/// all together, and their replies never hold a known player's back.
pub fn reply_class(player: &Player, now: u64, newcomer_hours: u64) -> Class {
    let established = player
        .created
        .saturating_add(newcomer_hours.saturating_mul(3600))
        <= now;
    if established || player.level > Level::Player {
        Class::Known
    } else {
        Class::Stranger
    }
}

/// What a session needs from the daemon: its shared parts, the commands, and where
/// to say it ended.
#[derive(Clone)]
pub struct SessionDeps {
    pub shared: Shared,
    pub registry: Arc<Registry>,
    /// Told when a session ends, with its node.
    pub ended: mpsc::UnboundedSender<u32>,
}

/// Runs a session for `node` until it idles out, the player quits or the router
/// closes its inbox.
pub async fn run(node: u32, mut inbox: mpsc::Receiver<Box<Incoming>>, deps: SessionDeps) {
    let span = info_span!("player", node = %node_id(node));
    async move {
        let idle = deps.shared.cfg().idle_timeout();
        let mut open_: Option<Open> = None;
        loop {
            let msg = match tokio::time::timeout(idle, inbox.recv()).await {
                Ok(Some(m)) => m,
                Ok(None) => break,
                Err(_) => {
                    debug!("session idle; put away");
                    break;
                }
            };
            if open_.is_none() {
                match open(node, &deps, msg.reaction.is_none()).await {
                    Ok(o) => open_ = Some(o),
                    // A reaction from a node with no player here: nothing to mark.
                    Err(OpenError::NoPlayer) => continue,
                    Err(OpenError::Newcomer) => {
                        debug!("new players' allowance spent; not answered");
                        break;
                    }
                    // A newcomer cannot be saved while the disk is full (the store
                    // logs that itself, once per doubling).
                    Err(OpenError::Store(StoreError::Full)) => {
                        let full = t!(known_language(node, &deps), "storage-full");
                        let _ = deps.shared.delivery.say(node, Class::Stranger, &full).await;
                        continue;
                    }
                    Err(OpenError::Store(e)) => {
                        warn!(error = %e, "cannot load player");
                        let sorry = t!(known_language(node, &deps), "storage-unreachable");
                        let _ = deps
                            .shared
                            .delivery
                            .answer(node, Class::Stranger, &sorry, Some(msg.id))
                            .await;
                        continue;
                    }
                }
            }
            let Some(c) = open_.as_mut() else { continue };
            match step(c, &deps, *msg).await {
                Ok(None) => {}
                Ok(Some(End::Quit)) => {
                    // No new lines reach this inbox now (the router starts a new
                    // session for them); lines it already took are served by a fresh
                    // open of the player here, then the loop ends, not dropped.
                    inbox.close();
                    open_ = None;
                }
                Ok(Some(End::Shutdown)) => {
                    deps.shared.stop.cancel();
                    break;
                }
                Err(_) => break,
            }
        }
        deps.shared.roster().leave(node);
        let _ = deps.ended.send(node);
    }
    .instrument(span)
    .await
}

/// Runs one line for the player and delivers the outcome; how the session ends, if
/// the command ends it.
async fn step(
    o: &mut Open,
    deps: &SessionDeps,
    msg: Incoming,
) -> Result<Option<End>, meshmush_firmware_bridge::link::LinkClosed> {
    let node = o.ctx.node;
    // Another session (a wizard) changed this player or their pin since: reload.
    if deps.shared.roster().take_stale(node) {
        if let Ok(Some(player)) = deps.shared.store().player(node).await {
            o.ctx.player = player;
        }
        if let Ok(pin) = deps.shared.store().pin(node).await {
            o.pin = pin;
        }
    }
    identify(o, deps, &msg.evidence).await;
    if o.ctx.sender == Sender::Impostor && msg.reaction.is_some() {
        // Someone else's tap marks nothing read, and is not worth a packet.
        return Ok(None);
    }
    if o.ctx.sender == Sender::Impostor {
        if asks_repin(&msg.text) && !o.ctx.player.banned {
            return repin(o, deps, &msg).await;
        }
        // Not the handset this node was first seen as: nothing runs, nothing is
        // read or changed for it, and it learns only this, once an hour.
        if deps.shared.roster().tell_impostor(node) {
            let refusal = impostor_refusal(o.ctx.lang);
            deps.shared
                .delivery
                .answer(node, Class::Stranger, &refusal, Some(msg.id))
                .await?;
        }
        return Ok(None);
    }
    let c = &mut o.ctx;
    deps.shared.roster().set_banned(node, c.player.banned);
    if c.player.banned {
        debug!("banned node; no reply");
        return Ok(None);
    }
    if !deps.shared.roster().is_placed(node, &c.player.name)
        && let Ok(state) = deps.shared.store().player_state(node).await
    {
        deps.shared
            .roster()
            .place(node, &c.player.name, state.location);
    }
    if let Some(packet) = msg.reaction {
        react(c, deps, packet).await?;
        return Ok(None);
    }
    let started = std::time::Instant::now();
    let class = reply_class(&c.player, unix_now(), deps.shared.cfg().bbs.newcomer_hours);
    let mut outcome = match handle(c, &msg.text).await {
        Handled::More => {
            deps.shared.delivery.more(node, class, Some(msg.id)).await?;
            return Ok(None);
        }
        Handled::Done(outcome) => outcome,
    };
    deps.shared
        .ops
        .command(c.ran, node, &c.player.name, started.elapsed());
    // Judged on the reply itself, before the message of the day goes in front of it.
    let is_help = outcome.reply == meshmush_core::commands::basic::short_help(c.lang);
    let motd = deps.shared.cfg().bbs.motd.trim();
    if std::mem::take(&mut o.motd) && !motd.is_empty() {
        outcome.reply = format!("{motd}\n{}", outcome.reply);
    }
    if std::mem::take(&mut o.welcome) {
        outcome.reply = welcomed(c.lang, &c.player.name, &outcome.reply, is_help);
    }
    let end = outcome.end;
    deps.shared
        .delivery
        .deliver(node, class, outcome, Some(msg.id))
        .await?;
    Ok(end)
}

/// Marks what the BBS's packet `packet` showed the player read: their emoji reaction
/// to it. Nothing is sent to them either way; a letter's sender here may get its read
/// receipt.
async fn react(
    ctx: &Ctx,
    deps: &SessionDeps,
    packet: u32,
) -> Result<(), meshmush_firmware_bridge::link::LinkClosed> {
    let Some(shown) = deps.shared.roster().shown(ctx.node, packet) else {
        return Ok(());
    };
    match meshmush_bbs::reactions::mark_read(ctx, shown).await {
        Ok(done) => {
            debug!(marked = done.marked, packet, "reaction");
            if let Some(receipt) = done.receipt {
                deps.shared
                    .delivery
                    .notices(ctx.node, vec![receipt])
                    .await?;
            }
        }
        Err(e) => warn!(error = %e, "cannot mark what a reaction read"),
    }
    Ok(())
}

/// The one line a packet judged an impostor may run: `pw PASS repin`, from a handset
/// that really changed its key (or `repin` alone, told it needs the password). It runs
/// as a bare command: no open draft takes it, and its reply goes alone, as a
/// stranger's, without the notices and pages waiting for the node's owner.
async fn repin(
    o: &mut Open,
    deps: &SessionDeps,
    msg: &Incoming,
) -> Result<Option<End>, meshmush_firmware_bridge::link::LinkClosed> {
    let line = msg.text.as_str();
    let node = o.ctx.node;
    let started = std::time::Instant::now();
    let outcome = execute(&mut o.ctx, line).await;
    deps.shared
        .ops
        .command(o.ctx.ran, node, &o.ctx.player.name, started.elapsed());
    deps.shared
        .delivery
        .answer(node, Class::Stranger, &outcome.reply, Some(msg.id))
        .await?;
    Ok(None)
}

/// Judges what the packet proves about its sender, pinning a first key.
async fn identify(o: &mut Open, deps: &SessionDeps, ev: &Evidence) {
    let node = o.ctx.node;
    let (sender, new_pin) = judge(node, o.pin.as_ref(), ev, unix_now());
    if let Some(pin) = new_pin {
        match deps.shared.store().pin_if_new(pin).await {
            Ok(now) => {
                if o.pin.is_none() {
                    info!("key pinned on first sight");
                }
                o.pin = Some(now);
            }
            Err(e) => warn!(error = %e, "cannot pin the node's key"),
        }
    }
    if sender == Sender::Impostor {
        warn!(
            pki = ev.pki,
            "packet claims this node but does not carry its pinned key"
        );
    }
    o.ctx.sender = sender;
    o.ctx.packet_key = ev.public_key.clone().filter(|k| ev.pki && !k.is_empty());
}

/// Why a session could not start.
#[derive(Debug, thiserror::Error)]
enum OpenError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A node with no player record, while new players' shared allowance is spent.
    #[error("new players' allowance spent")]
    Newcomer,
    /// A node with no player record, for a line that makes none (a reaction).
    #[error("no player")]
    NoPlayer,
}

/// Loads `node`'s player, or makes one when `create` (a first command).
async fn open(node: u32, deps: &SessionDeps, create: bool) -> Result<Open, OpenError> {
    let now = unix_now();
    let (player, welcome, motd) = match deps.shared.store().player(node).await? {
        Some(mut player) => {
            // On a full disk the player still reads: last seen is simply not kept.
            let before = match deps.shared.store().player_seen(node, now).await {
                Err(StoreError::Full) => Some(player.last_seen),
                seen => seen?,
            };
            let motd = before.is_none_or(|t| new_day(t, now));
            // As stored now: a command that saves the player must not undo it.
            player.last_seen = player.last_seen.max(now);
            (player, false, motd)
        }
        None if !create => return Err(OpenError::NoPlayer),
        None if !deps.shared.roster().allow_newcomer(Newcomer::Arrival) => {
            return Err(OpenError::Newcomer);
        }
        None => {
            let wanted = deps
                .shared
                .link
                .node(node)
                .map(|n| n.display_name())
                .unwrap_or_else(|| node_id(node));
            let player = deps
                .shared
                .store()
                .create_player(node, &wanted, now)
                .await?;
            // Mail sent to this node before it had a player is now its mailbox,
            // announced below as any player's.
            deps.shared.store().clear_mail_waiting(node).await?;
            (player, true, true)
        }
    };
    deps.shared.roster().mark_known(node);
    if !player.banned {
        let state = deps.shared.store().player_state(node).await?;
        deps.shared
            .roster()
            .place(node, &player.name, state.location);
    }
    let default = deps.shared.cfg().bbs.language();
    crate::commands::mail::queue_unannounced(
        deps.shared.store(),
        deps.shared.roster(),
        node,
        default,
    )
    .await?;
    let pin = deps.shared.store().pin(node).await?;
    // A draft from before a restart is still being written.
    let draft = deps.shared.store().draft(node).await?;
    let habits = deps.shared.store().habits(node).await?;
    let lang = Ctx::language_of(&deps.shared.common, &habits);
    // For what is said to this node before its next session reads its habits.
    deps.shared.roster().set_lang(node, lang);
    let ctx = Ctx {
        lang,
        common: deps.shared.common.clone(),
        registry: deps.registry.clone(),
        player,
        node,
        sender: Sender::Unproven,
        password_given: false,
        packet_key: None,
        is_admin_node: deps.shared.admin_nodes.contains(&node),
        draft,
        ran: None,
    };
    Ok(Open {
        ctx,
        pin,
        welcome,
        motd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_player_is_known_once_past_the_newcomer_hours_or_with_rights() {
        let day = 86_400;
        let mut p = Player {
            node: 1,
            name: "Ann".into(),
            password_hash: None,
            level: Level::Player,
            created: 10 * day,
            last_seen: 10 * day,
            banned: false,
        };
        assert_eq!(reply_class(&p, 10 * day + 60, 24), Class::Stranger);
        assert_eq!(reply_class(&p, 11 * day, 24), Class::Known);
        p.level = Level::Builder;
        assert_eq!(reply_class(&p, 10 * day + 60, 24), Class::Known);
    }

    #[test]
    fn the_message_of_the_day_comes_once_per_utc_day() {
        let noon = 20_000 * 86_400 + 43_200;
        assert!(!new_day(noon, noon + 3_600), "same day");
        assert!(new_day(noon, noon + 43_200), "midnight passed");
        assert!(new_day(noon - 86_400, noon), "yesterday");
        assert!(
            !new_day(noon, noon - 10),
            "a clock set back is not a new day"
        );
    }
}
