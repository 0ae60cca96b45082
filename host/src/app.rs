//! The whole daemon in one value: the store, the link, the roster, the delivery path,
//! the router and its sessions, and the lag probe, started together and shut down in
//! the right order (stop taking commands, finish the ones in flight, let the last
//! replies leave, say goodbye to the node, flush the store).
//!
//! Every task the daemon starts runs on one [`TaskTracker`] and watches one
//! [`CancellationToken`]: shutting down cancels the token and waits for the tracker,
//! so nothing the daemon started outlives it.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_firmware_bridge::{LinkHandle, spawn};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{error, info, warn};

use crate::config::Config;
use crate::delivery::Delivery;
use crate::lagprobe::{LagProbe, LagStats};
use crate::roster::Roster;
use crate::router::Router;
use crate::seed::WorldSeed;
use crate::store::{Pin, PinSource, Store, StoreError, StoreOptions};

/// How long shutdown waits for the last replies to leave and the tasks to end.
const DRAIN: Duration = Duration::from_secs(10);

/// Why a daemon stopped of its own accord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// A wizard sent `@shutdown`.
    Asked,
    /// The link's events ended: its task is gone, and the daemon with it (a service
    /// manager should start it again).
    LinkEnded,
    /// The router task panicked.
    Failed,
}

impl Stopped {
    /// Whether the daemon stopped because something broke (the process should exit
    /// non-zero, so systemd restarts it).
    pub fn is_failure(self) -> bool {
        self != Self::Asked
    }
}

/// A running daemon.
pub struct App {
    stop: CancellationToken,
    why: Arc<Mutex<Option<Stopped>>>,
    tasks: TaskTracker,
    link: LinkHandle,
    store: Store,
    roster: Roster,
    probe: LagProbe,
}

impl App {
    /// Opens the store in `data_dir`, connects the link and starts routing commands.
    /// `link_cfg` comes from [`Config::link_config`]: replies are chunked to its byte
    /// budget, which is the one the link sends.
    pub async fn start(
        cfg: Config,
        data_dir: &Path,
        link_cfg: LinkConfig,
        store_opts: StoreOptions,
    ) -> Result<Self, StoreError> {
        let store = Store::open(data_dir, store_opts).await?;
        store
            .ensure_boards(crate::commands::default_boards(crate::commands::unix_now()))
            .await?;
        let seed = WorldSeed::starter().map_err(|e| StoreError::BadSeed(e.to_string()))?;
        store.seed_world_if_empty(seed).await?;
        let content = crate::content::Library::load(cfg.world.content_dir.clone(), &store)
            .await
            .map_err(|e| StoreError::BadSeed(format!("content: {e}")))?;
        for (node, key) in cfg.admin_keys() {
            let pin = Pin {
                node,
                key,
                source: PinSource::Config,
                pinned_at: crate::commands::unix_now(),
                seen_pki: true,
            };
            store.set_pin(pin).await?;
        }
        let stop = CancellationToken::new();
        let tasks = TaskTracker::new();
        let probe = LagProbe::start(&tasks, stop.clone());
        let byte_budget = link_cfg.max_packet_bytes();
        let (link, events) = spawn(link_cfg);
        let roster = Roster::from_config(&cfg);
        let delivery = Delivery::new(
            link.clone(),
            roster.clone(),
            store.clone(),
            byte_budget,
            cfg.replies.pager_packets,
        );
        let router = Router::new(
            Arc::new(cfg),
            store.clone(),
            link.clone(),
            delivery,
            roster.clone(),
            content,
            tasks.clone(),
            stop.clone(),
        );
        let why: Arc<Mutex<Option<Stopped>>> = Arc::default();
        let (token, reason) = (stop.clone(), why.clone());
        let routing = tokio::spawn(router.run(events, stop.clone()));
        tasks.spawn(async move {
            let ended = routing.await;
            if !token.is_cancelled() {
                let cause = match ended {
                    Ok(()) => Stopped::LinkEnded,
                    Err(_) => Stopped::Failed,
                };
                error!(?cause, "the daemon cannot go on; stopping");
                set_reason(&reason, cause);
            }
            set_reason(&reason, Stopped::Asked);
            token.cancel();
        });
        Ok(Self {
            stop,
            why,
            tasks,
            link,
            store,
            roster,
            probe,
        })
    }

    pub fn link(&self) -> &LinkHandle {
        &self.link
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The per-node state (activity, limits, pages, notices).
    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    pub fn lag(&self) -> LagStats {
        self.probe.stats()
    }

    pub fn lag_probe(&self) -> &LagProbe {
        &self.probe
    }

    /// Resolves when the daemon stops of its own accord, with why.
    pub async fn stopped(&self) -> Stopped {
        self.stop.cancelled().await;
        self.why
            .lock()
            .map(|w| w.unwrap_or(Stopped::Asked))
            .unwrap_or(Stopped::Asked)
    }

    /// Stops taking commands, lets in-flight ones reply, disconnects and flushes.
    /// Every task the daemon started has ended when this returns.
    pub async fn shutdown(self) -> Result<(), StoreError> {
        self.stop.cancel();
        self.tasks.close();
        if tokio::time::timeout(DRAIN, self.tasks.wait())
            .await
            .is_err()
        {
            warn!(
                running = self.tasks.len(),
                "tasks still running after the drain"
            );
        }
        // Give the last replies a moment to leave before saying goodbye to the node.
        let deadline = tokio::time::Instant::now() + DRAIN;
        while self.link.metrics().queue_depth > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let unsent = self.link.metrics().queue_depth;
        if unsent > 0 {
            warn!(unsent, "stopping with replies not yet delivered");
        }
        self.link.shutdown().await;
        // Sessions and the router have let go of their handles: this flushes and closes.
        drop(self.roster);
        self.store.close().await?;
        info!("shut down cleanly");
        Ok(())
    }
}

/// Records why the daemon stopped; the first reason stands.
fn set_reason(why: &Mutex<Option<Stopped>>, reason: Stopped) {
    if let Ok(mut w) = why.lock() {
        w.get_or_insert(reason);
    }
}
