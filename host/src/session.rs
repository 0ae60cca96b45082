//! One session per active node: a task that runs that player's commands in order,
//! while other players' sessions run in parallel. A session that hears nothing for the
//! idle timeout ends; everything it knew is in the store.

use std::sync::Arc;
use std::time::Duration;

use meshmush_firmware_bridge::LinkHandle;
use meshmush_protocol::packets::node_id;
use tokio::sync::mpsc;
use tracing::{Instrument, debug, info_span, warn};

use crate::commands::{CommandError, Lookup, Registry, split_command};
use crate::config::Config;
use crate::presence::Presence;
use crate::store::{Level, Player, Store};
use crate::volatile::Volatile;

/// One command for a session.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub text: String,
    /// Came as a PKI-encrypted direct message: the sender id is genuine.
    pub trusted: bool,
}

/// What a command handler may use and change.
pub struct Ctx {
    pub store: Store,
    pub registry: Arc<Registry>,
    pub cfg: Arc<Config>,
    pub vol: Arc<Volatile>,
    pub player: Player,
    pub node: u32,
    pub trusted: bool,
    /// The player gave their password in this session.
    pub elevated: bool,
    pub is_admin_node: bool,
    pub quit: bool,
    /// For notices to other players (arrivals, `say`, `page`).
    pub link: LinkHandle,
    pub presence: Presence,
    /// Notices go to players active within this window.
    pub notify_window: Duration,
}

impl Ctx {
    /// The rights in force now: stored powers count only on a PKI DM or after the
    /// password; admin nodes from the config are wizards on a PKI DM.
    pub fn level(&self) -> Level {
        let proven = self.trusted || self.elevated;
        if !proven {
            return Level::Player;
        }
        if self.is_admin_node && self.trusted {
            return Level::Wizard;
        }
        self.player.level
    }
}

/// What a session needs from the daemon.
#[derive(Clone)]
pub struct SessionDeps {
    pub store: Store,
    pub registry: Arc<Registry>,
    pub link: LinkHandle,
    pub cfg: Arc<Config>,
    pub vol: Arc<Volatile>,
    pub admin_nodes: Arc<Vec<u32>>,
    pub idle_timeout: Duration,
    /// Who is about, shared by every session.
    pub presence: Presence,
    /// See [`Ctx::notify_window`].
    pub notify_window: Duration,
    /// Told when a session ends, with its node.
    pub ended: mpsc::UnboundedSender<u32>,
}

/// Runs a session for `node` until it idles out or the player quits.
pub async fn run(node: u32, mut inbox: mpsc::Receiver<Incoming>, deps: SessionDeps) {
    let span = info_span!("player", node = %node_id(node));
    async move {
        let mut ctx: Option<Ctx> = None;
        loop {
            let msg = match tokio::time::timeout(deps.idle_timeout, inbox.recv()).await {
                Ok(Some(m)) => m,
                Ok(None) => break,
                Err(_) => {
                    debug!("session idle; put away");
                    break;
                }
            };
            if ctx.is_none() {
                match open(node, &deps).await {
                    Ok(c) => ctx = Some(c),
                    Err(e) => {
                        warn!(error = %e, "cannot load player");
                        let _ = deps
                            .link
                            .send_text(node, 0, "The BBS cannot reach its storage; try again soon.")
                            .await;
                        continue;
                    }
                }
            }
            let Some(c) = ctx.as_mut() else { continue };
            c.trusted = msg.trusted;
            // Another session (a wizard) changed this player since: reload.
            if deps.presence.take_stale(node)
                && let Ok(Some(player)) = deps.store.player(node).await
            {
                c.player = player;
            }
            deps.presence.set_banned(node, c.player.banned);
            if c.player.banned {
                debug!("banned node; no reply");
                continue;
            }
            if !deps.presence.active(node, &c.player.name)
                && let Ok(state) = deps.store.player_state(node).await
            {
                deps.presence.touch(node, &c.player.name, state.location);
            }
            deps.vol.touch(node);
            if respond(c, &deps, &msg.text).await.is_err() {
                break;
            }
            if c.quit {
                break;
            }
        }
        deps.presence.leave(node);
        let _ = deps.ended.send(node);
    }
    .instrument(span)
    .await
}

/// Runs one command and sends its reply through the pager, with any pending notices
/// (new mail) in front. `more` pages on instead of running a command.
async fn respond(
    c: &mut Ctx,
    deps: &SessionDeps,
    line: &str,
) -> Result<(), meshmush_firmware_bridge::link::LinkClosed> {
    let budget = deps.cfg.replies.byte_budget;
    let per_page = deps.cfg.replies.pager_packets;
    let node = c.node;
    if line.trim().eq_ignore_ascii_case("more") {
        if crate::pager::more(&deps.link, &deps.vol, node, per_page).await? {
            return Ok(());
        }
        return deps
            .link
            .send_text(node, 0, "Nothing more to show.")
            .await
            .map(|_| ());
    }
    deps.vol.drop_pages(node);
    let mut reply = execute(c, line).await;
    let notices = deps.vol.take_notices(node);
    if !notices.is_empty() {
        reply = format!("{} {reply}", notices.join(" "));
        // Told now: a restart must not announce the same mail again.
        if let Err(e) = deps.store.mark_mail_announced(node).await {
            warn!(error = %e, "cannot record that mail was announced");
        }
    }
    crate::pager::deliver(&deps.link, &deps.vol, node, &reply, budget, per_page).await
}

async fn open(node: u32, deps: &SessionDeps) -> Result<Ctx, crate::store::StoreError> {
    let wanted = deps
        .link
        .node(node)
        .map(|n| n.display_name())
        .unwrap_or_else(|| node_id(node));
    let now = unix_now();
    let player = deps.store.create_player(node, &wanted, now).await?;
    if !player.banned {
        let state = deps.store.player_state(node).await?;
        deps.presence.touch(node, &player.name, state.location);
    }
    crate::commands::mail::announce_waiting(&deps.store, &deps.vol, node).await?;
    Ok(Ctx {
        store: deps.store.clone(),
        registry: deps.registry.clone(),
        cfg: deps.cfg.clone(),
        vol: deps.vol.clone(),
        player,
        node,
        trusted: false,
        elevated: false,
        is_admin_node: deps.admin_nodes.contains(&node),
        quit: false,
        link: deps.link.clone(),
        presence: deps.presence.clone(),
        notify_window: deps.notify_window,
    })
}

/// Parses and runs one command line; the reply is what the player will read.
pub async fn execute(ctx: &mut Ctx, line: &str) -> String {
    let (word, args) = split_command(line);
    if word.is_empty() {
        return "Say something: try help.".into();
    }
    let registry = ctx.registry.clone();
    let level = ctx.level();
    if !registry.is_exact(word, level)
        && let Some(reply) = crate::commands::walk_by_exit(ctx, word, args).await
    {
        return reply;
    }
    let entry = match registry.lookup(word, level) {
        Lookup::Found(e) => e,
        Lookup::Ambiguous(names) => return format!("{word}? Did you mean: {}", names.join(", ")),
        Lookup::Unknown(_) if let Lookup::Found(e) = registry.lookup(word, Level::Wizard) => {
            let why = if ctx.trusted || ctx.elevated {
                "you do not have those rights"
            } else {
                "powers count only on a PKI-encrypted DM or after `password PASS`"
            };
            return format!(
                "{} needs {} rights: {why}.",
                e.name,
                crate::commands::level_name(e.level)
            );
        }
        Lookup::Unknown(close) if close.is_empty() => {
            return format!("Unknown command {word:?}. Try help.");
        }
        Lookup::Unknown(close) => {
            return format!(
                "Unknown command {word:?}. Did you mean {}? Or help.",
                close.join(", ")
            );
        }
    };
    tracing::debug!(command = entry.name, "run");
    match (entry.handler)(ctx, args).await {
        Ok(reply) => reply,
        Err(CommandError::User(msg)) => msg,
        Err(e @ CommandError::Store(_)) => {
            warn!(error = %e, "command failed");
            e.to_string()
        }
    }
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
