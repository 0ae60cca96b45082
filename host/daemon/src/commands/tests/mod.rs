//! Command handlers tested without a mesh or a daemon: a fixed test world (the starter
//! world in a temporary store), players placed in it, and each command applied
//! straight to it, its outcome compared with what a player should read, as Evennia's
//! `call(cmd, input, expected)` does. One file per command family.

mod account;
mod admin;
mod basic;
mod boards;
mod build;
mod channel;
mod compose;
mod events;
mod habits;
mod lang;
mod look;
mod mail;
mod survey;
mod talk;
mod things;
mod world;

use std::sync::Arc;
use std::time::Duration;

use super::{Ctx, Handled, Outcome, Registry, execute, handle};
use crate::config::Config;
use crate::identity::Sender;
use crate::meshview::FixedMesh;
use crate::roster::{Admit, Roster};
use crate::shared::Common;
use meshmush_store::seed::WorldSeed;
use meshmush_store::{Level, Store, StoreOptions};

pub const ANN: u32 = 0x0a00_0001;
pub const BOB: u32 = 0x0b00_0002;
pub const CY: u32 = 0x0c00_0003;

/// The starter world in a temporary store, with a roster and the standard commands.
pub struct TestWorld {
    pub store: Store,
    pub roster: Roster,
    pub cfg: Arc<Config>,
    /// The mesh commands see: no nodes unless a test adds them.
    pub mesh: Arc<FixedMesh>,
    pub content: crate::content::Library,
    /// What the BBS knows of nodes' distances (nothing kept on disk).
    pub reach: meshmush_core::reach::Reach,
    registry: Arc<Registry>,
    _dir: tempfile::TempDir,
}

impl TestWorld {
    pub async fn new() -> Self {
        Self::with(Config::default()).await
    }

    pub async fn with(cfg: Config) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let opts = StoreOptions {
            flush_every_write: false,
            ..StoreOptions::default()
        };
        let store = Store::open(dir.path(), opts).await.expect("store");
        store
            .ensure_boards(super::default_boards(super::unix_now()))
            .await
            .expect("boards");
        let seed = WorldSeed::starter().expect("seed");
        store.seed_world_if_empty(seed).await.expect("world");
        let content = crate::content::Library::load(None, &store)
            .await
            .expect("content");
        Self {
            content,
            store,
            roster: Roster::from_config(&cfg),
            cfg: Arc::new(cfg),
            mesh: Arc::new(FixedMesh::default()),
            reach: meshmush_core::reach::Reach::unsaved(meshmush_core::config::HopRule::Learned, 3),
            registry: Arc::new(crate::commands::standard()),
            _dir: dir,
        }
    }

    /// A player called `name` on `node`, standing in the start room, as a session
    /// would open them.
    pub async fn player(&self, node: u32, name: &str) -> Ctx {
        let player = self
            .store
            .create_player(node, name, super::unix_now())
            .await
            .expect("player");
        let state = self.store.player_state(node).await.expect("state");
        assert_eq!(self.roster.admit(node), Admit::Allow);
        self.roster.place(node, &player.name, state.location);
        Ctx {
            common: self.common(),
            registry: self.registry.clone(),
            player,
            node,
            lang: self.cfg.bbs.language(),
            sender: Sender::Unproven,
            password_given: false,
            packet_key: None,
            is_admin_node: false,
            draft: None,
            ran: None,
        }
    }

    /// The parts a session shares, as the world holds them now (a test may have
    /// swapped the mesh).
    pub fn common(&self) -> Arc<Common> {
        Arc::new(Common {
            store: self.store.clone(),
            cfg: self.cfg.clone(),
            roster: self.roster.clone(),
            content: self.content.clone(),
            mesh: self.mesh.clone(),
            reach: self.reach.clone(),
        })
    }

    /// A player sending PKI DMs with their pinned key.
    pub async fn proven(&self, node: u32, name: &str) -> Ctx {
        let mut ctx = self.player(node, name).await;
        ctx.sender = Sender::Proven;
        ctx
    }

    /// A player with stored rights `level`, sending on a PKI DM so they count.
    pub async fn with_level(&self, node: u32, name: &str, level: Level) -> Ctx {
        let mut ctx = self.player(node, name).await;
        ctx.player.level = level;
        self.store
            .update_player(ctx.player.clone())
            .await
            .expect("level");
        ctx.sender = Sender::Proven;
        ctx
    }
}

/// Runs `line` for `ctx`'s player as the session does (a command counts as activity;
/// an open draft takes the line).
pub async fn run(ctx: &mut Ctx, line: &str) -> Outcome {
    ctx.roster().admit(ctx.node);
    match handle(ctx, line).await {
        Handled::Done(outcome) => outcome,
        Handled::More => execute(ctx, line).await,
    }
}

/// Runs `line` and checks the reply is exactly `expected`.
pub async fn call(ctx: &mut Ctx, line: &str, expected: &str) -> Outcome {
    let out = run(ctx, line).await;
    assert_eq!(out.reply, expected, "reply to {line:?}");
    out
}

/// Runs `line` and checks the reply starts with `start`.
pub async fn call_starts(ctx: &mut Ctx, line: &str, start: &str) -> Outcome {
    let out = run(ctx, line).await;
    assert!(
        out.reply.starts_with(start),
        "reply to {line:?} should start with {start:?}: {:?}",
        out.reply
    );
    out
}

/// Switches `ctx`'s player to language `code` as a player does (`lang CODE`) and
/// checks they are told so in it.
pub async fn speak(ctx: &mut Ctx, code: &str) -> Outcome {
    let told = match code {
        "en" => "I answer you in English now.",
        "de" => "Ab jetzt antworte ich dir auf Deutsch.",
        "es" => "Desde ahora te respondo en español.",
        other => panic!("no language {other:?} is offered"),
    };
    call(ctx, &format!("lang {code}"), told).await
}

/// Lets a paused clock move on.
pub async fn later(secs: u64) {
    tokio::time::advance(Duration::from_secs(secs)).await;
}

#[test]
fn exact_names_and_aliases_only() {
    let r = crate::commands::standard();
    assert!(r.exact("L", Level::Player).is_some());
    assert!(r.exact("\"", Level::Player).is_some());
    assert!(
        r.exact("n", Level::Player).is_none(),
        "n is an exit, not a prefix of name"
    );
    assert!(r.exact("@dig", Level::Player).is_none());
    assert!(r.exact("@dig", Level::Builder).is_some());
}
