//! What each admin console command does, in the daemon. Commands that a radio player
//! could send (`post`, `delete`, `mail`, `@ban`, `@unban`, `@repin`, `@wall`) run through the
//! registry's own `execute` for the sysop, a wizard; their notices leave through the
//! delivery path. `wall` is the wizards' `@wall`: one packet on the primary channel,
//! within the channel gap. `status` and `players` only read; `backup` and `export`
//! read the whole store at one instant (`backup.rs`).

use std::sync::Arc;
use std::time::Instant;

use meshmush_firmware_bridge::link::LinkState;
use meshmush_protocol::packets::node_id;
use tracing::{info, warn};

use super::{Answer, SYSOP_NODE, USAGE};
use crate::commands::{Ctx, Registry, execute, split_command, unix_now};
use crate::identity::Sender;
use crate::shared::Shared;
use meshmush_store::{Level, Player, Store, StoreError};

/// Players `players` lists at most.
const PLAYERS_LISTED: usize = 200;

/// The daemon's side of the console; cheap to clone.
#[derive(Clone)]
pub struct Console {
    pub shared: Shared,
    pub registry: Arc<Registry>,
    /// The name the sysop player gets when the console first acts.
    pub sysop_name: String,
}

/// The sysop's name when the config gives none.
pub use crate::config::DEFAULT_SYSOP;

/// Makes sure the sysop player exists and is a wizard; returns them. Called when the
/// console first acts, so a daemon whose console is never used has no such record.
pub async fn ensure_sysop(store: &Store, name: &str) -> Result<Player, StoreError> {
    let mut sysop = match store.player(SYSOP_NODE).await? {
        Some(p) => p,
        None => store.create_player(SYSOP_NODE, name, unix_now()).await?,
    };
    if sysop.level != Level::Wizard || sysop.banned {
        sysop.level = Level::Wizard;
        sysop.banned = false;
        store.update_player(sysop.clone()).await?;
    }
    Ok(sysop)
}

impl Console {
    /// Answers one console line.
    pub async fn answer(&self, line: &str) -> Answer {
        let (word, rest) = split_command(line);
        let word = word.to_lowercase();
        info!(command = %word, "admin console");
        match word.as_str() {
            "" | "help" => Answer::ok(USAGE),
            "status" => Answer::ok(self.status().await),
            "players" => self.players().await,
            "wall" if rest.is_empty() => Answer::refused("wall TEXT"),
            "post" | "delete" | "mail" => self.run(line).await,
            "ban" | "unban" | "repin" | "wall" => self.run(&format!("@{word} {rest}")).await,
            "reload" => self.run("@reload").await,
            "backup" => super::backup::console_backup(self.shared.store(), rest).await,
            "export" => super::backup::console_export(self.shared.store(), rest).await,
            "token" => {
                let api_on = self.shared.cfg().http.api;
                super::tokens::answer(self.shared.store(), rest, api_on).await
            }
            _ => Answer::refused(format!("unknown console command {word:?}\n{USAGE}")),
        }
    }

    /// Runs a radio command as the sysop: the same command and notices, and the same
    /// airtime shares for what it sends. Not the radio players' command rate: the
    /// console is the operator on the host, not a node in range. A refused command
    /// (its reply says why) is a refused answer, so the CLI exits non-zero.
    pub(crate) async fn run(&self, line: &str) -> Answer {
        let sysop = match ensure_sysop(self.shared.store(), &self.sysop_name).await {
            Ok(p) => p,
            Err(e) => return Answer::refused(format!("storage trouble: {e}")),
        };
        let name = sysop.name.clone();
        let mut ctx = Ctx {
            common: self.shared.common.clone(),
            registry: self.registry.clone(),
            player: sysop,
            node: SYSOP_NODE,
            // The operator reads the BBS's own language.
            lang: self.shared.cfg().bbs.language(),
            // The socket proved it: only the daemon's own user can reach it.
            sender: Sender::Proven,
            password_given: false,
            packet_key: None,
            is_admin_node: true,
            draft: None,
            ran: None,
        };
        let started = Instant::now();
        let outcome = execute(&mut ctx, line).await;
        self.shared
            .ops
            .command(ctx.ran, SYSOP_NODE, &name, started.elapsed());
        if self
            .shared
            .delivery
            .notices(SYSOP_NODE, outcome.notices)
            .await
            .is_err()
        {
            warn!("link closed; the command's notices were not sent");
        }
        if outcome.refused {
            return Answer::refused(outcome.reply);
        }
        Answer::ok(outcome.reply)
    }

    async fn status(&self) -> String {
        let m = self.shared.link.metrics();
        let link = match self.shared.link.state() {
            LinkState::Connected { my_node_num, nodes } => {
                format!("connected to {} ({nodes} nodes)", node_id(my_node_num))
            }
            LinkState::Connecting { attempt } => format!("connecting (attempt {attempt})"),
            LinkState::Lost { reason } => format!("lost: {reason}"),
            LinkState::Stopped => "stopped".into(),
        };
        let totals = match self.shared.store().totals().await {
            Ok(t) => format!(
                "{} players, {} posts, {} unread mails",
                t.players, t.posts, t.mail_unread
            ),
            Err(e) => format!("store unreadable: {e}"),
        };
        let allowed = self
            .shared
            .link
            .node_config()
            .map(|c| {
                c.duty_cycle
                    .budget()
                    .mul_f64(self.shared.cfg().replies.airtime_share)
            })
            .map(|a| format!(" of {:.0} s", a.as_secs_f64()))
            .unwrap_or_default();
        format!(
            "link: {link}\nqueue: {} packets waiting; {} sent, {} delivered, {} failed\n\
             airtime: {:.1} s this hour{allowed}\nstore: {totals}",
            m.queue_depth,
            m.chunks_sent,
            m.chunks_delivered,
            m.send_failures + m.expired_chunks,
            m.airtime_hour_ms as f64 / 1000.0,
        )
    }

    async fn players(&self) -> Answer {
        match players_text(self.shared.store()).await {
            Ok(text) => Answer::ok(text),
            Err(e) => Answer::refused(format!("storage trouble: {e}")),
        }
    }
}

/// The players on record, one a line (also what the client prints from the store
/// when no daemon runs).
pub async fn players_text(store: &Store) -> Result<String, StoreError> {
    let lines = store.player_lines(PLAYERS_LISTED).await?;
    let mut out = String::new();
    for p in &lines {
        let level = match p.level {
            Level::Player => "",
            Level::Builder => " builder",
            Level::Wizard => " wizard",
        };
        let banned = if p.banned { " BANNED" } else { "" };
        out.push_str(&format!("{} {}{level}{banned}\n", node_id(p.node), p.name));
    }
    if lines.len() == PLAYERS_LISTED {
        out.push_str(&format!("(the first {PLAYERS_LISTED} by node)\n"));
    }
    if lines.is_empty() {
        out.push_str("no players\n");
    }
    Ok(out.trim_end().to_string())
}
