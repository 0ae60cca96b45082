//! The whole daemon in one value: the store, the link, the roster, the delivery path,
//! the router and its sessions, and the lag probe, started together and shut down in
//! the right order (stop taking commands, finish the ones in flight, let the last
//! replies leave, say goodbye to the node, flush the store).
//!
//! Every task the daemon starts runs on one [`TaskTracker`] and watches one
//! [`CancellationToken`]: shutting down cancels the token and waits for the tracker,
//! so nothing the daemon started outlives it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use meshmush_firmware_bridge::LinkHandle;
use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_firmware_bridge::link::spawn_all;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{error, info, warn};

use crate::admin::console::{Console, DEFAULT_SYSOP};
use crate::admin::{self, SYSOP_NODE};
use crate::config::Config;
use crate::delivery::Delivery;
use crate::lagprobe::{LagProbe, LagStats};
use crate::ops::Ops;
use crate::ops::http::{self, View};
use crate::roster::Roster;
use crate::router::Router;
use crate::schedule::{SystemClock, WallClock};
use crate::shared::{Common, Parts, Shared};
use meshmush_firmware_bridge::mqtt::KeyBook;
use meshmush_store::seed::WorldSeed;
use meshmush_store::{Pin, PinSource, Store, StoreError, StoreOptions};

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

/// Why a daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the status page cannot listen on {addr}: {source}")]
    Http {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the admin console's socket in {dir}: {source}")]
    Admin {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
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
    ops: Ops,
    http_addr: Option<SocketAddr>,
    admin_socket: PathBuf,
    /// Keeps the airtime ledger; its last write follows the link's stop.
    ledger: crate::ledger::Keeper,
}

impl App {
    /// Opens the store in `data_dir`, connects the link and starts routing commands.
    /// `link_cfg` comes from [`Config::link_config`]: replies are chunked to its byte
    /// budget, which is the one the link sends.
    pub async fn start(
        cfg: Config,
        data_dir: &Path,
        links: Vec<LinkConfig>,
        store_opts: StoreOptions,
    ) -> Result<Self, AppError> {
        Self::start_with_clock(cfg, data_dir, links, store_opts, Arc::new(SystemClock)).await
    }

    /// [`start`](Self::start), with the scheduled notices reading the time of day
    /// from `clock` (tests start a daemon just before a schedule is due).
    pub async fn start_with_clock(
        cfg: Config,
        data_dir: &Path,
        mut links: Vec<LinkConfig>,
        store_opts: StoreOptions,
        clock: Arc<dyn WallClock>,
    ) -> Result<Self, AppError> {
        let store = Store::open(data_dir, store_opts).await?;
        share_pins(&store, &links).await?;
        // The hour's airtime so far counts, whatever restarts happened in it.
        let ledger = crate::ledger::attach(&store, &mut links).await?;
        store
            .ensure_boards(crate::commands::default_boards(crate::commands::unix_now()))
            .await?;
        let seed = WorldSeed::starter().map_err(|e| StoreError::BadSeed(e.to_string()))?;
        let sysop_name = cfg
            .admin
            .sysop
            .clone()
            .unwrap_or_else(|| DEFAULT_SYSOP.to_string());
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
        // Bound before anything starts, so a taken port fails the start.
        let listener = match cfg.http.listen {
            Some(addr) => Some(
                http::bind(addr)
                    .await
                    .map_err(|source| AppError::Http { addr, source })?,
            ),
            None => None,
        };
        let http_addr = listener.as_ref().and_then(|l| l.local_addr().ok());
        let ops = if listener.is_some() {
            Ops::on()
        } else {
            Ops::default()
        };
        let stop = CancellationToken::new();
        let tasks = TaskTracker::new();
        let probe = LagProbe::start(&tasks, stop.clone(), cfg.ops.lag_warn());
        ops.watch(&store, &probe);
        let link_name = match links.as_slice() {
            [one] => http::link_name(&one.transport),
            _ => "group",
        };
        // One link, or several behind one handle (see the link group).
        let (link, events) = spawn_all(links);
        let byte_budget = link.max_packet_bytes();
        let roster = Roster::from_config(&cfg);
        // The sysop is a known player (not a stranger sharing the strangers' allowance).
        roster.mark_known(SYSOP_NODE);
        let (reach, reach_writer) = meshmush_core::reach::Reach::load(
            store.clone(),
            cfg.replies.hop_rule,
            cfg.replies.hop_limit,
        )
        .await;
        tasks.spawn(reach_writer);
        let delivery = Delivery::new(
            link.clone(),
            roster.clone(),
            store.clone(),
            byte_budget,
            cfg.replies.pager_packets,
            reach.clone(),
        )
        .with_language(cfg.bbs.language());
        let cfg = Arc::new(cfg);
        let mesh = crate::meshview::LinkView::shared(link.clone(), cfg.replies.airtime_share);
        let shared: Shared = Arc::new(Parts {
            admin_nodes: cfg.admin_nodes(),
            common: Arc::new(Common {
                store: store.clone(),
                cfg,
                roster: roster.clone(),
                content,
                mesh,
                reach,
            }),
            delivery,
            link: link.clone(),
            ops: ops.clone(),
            stop: stop.clone(),
        });
        // One command registry for the radio's sessions and the sysop's console.
        let registry = Arc::new(crate::commands::standard());
        let console = Console {
            shared: shared.clone(),
            registry: registry.clone(),
            sysop_name,
        };
        crate::schedule::start(console.clone(), clock, &tasks, stop.clone()).await;
        let admin_socket = admin::server::start(data_dir, console, &tasks, stop.clone())
            .await
            .map_err(|source| AppError::Admin {
                dir: data_dir.to_path_buf(),
                source,
            })?;
        if let Some(listener) = listener {
            let view = View {
                common: shared.common.clone(),
                link: shared.link.clone(),
                ops: shared.ops.clone(),
                link_name,
                probe: probe.clone(),
            };
            // The API (off unless `[http] api`) runs the same registry's commands.
            let api = shared.cfg().http.api.then(|| {
                crate::ops::api::Api::new(
                    shared.common.clone(),
                    registry.clone(),
                    shared.delivery.clone(),
                    shared.link.clone(),
                    shared.ops.clone(),
                )
            });
            http::start(listener, view, api, &tasks, stop.clone());
        }
        crate::retention::start(
            store.clone(),
            shared.cfg().retention.clone(),
            &tasks,
            stop.clone(),
        );
        let federation = crate::federation::Federation::start(
            shared.common.cfg.clone(),
            store.clone(),
            link.clone(),
            shared.delivery.clone(),
            &tasks,
            stop.clone(),
        )
        .await?;
        // After federation, which sets the sync peers the feeds' posts are queued for.
        crate::feeds::start(shared.clone(), &tasks, stop.clone());
        let router = Router::new(shared, registry, tasks.clone()).with_federation(federation);
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
            ops,
            http_addr,
            admin_socket,
            ledger,
        })
    }

    /// Where the status page and `/metrics` are served, if `[http] listen` is set
    /// (the bound address: a port 0 in the config is chosen here).
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http_addr
    }

    /// The admin console's socket.
    pub fn admin_socket(&self) -> &Path {
        &self.admin_socket
    }

    /// The operator's hooks (off unless the status page is configured).
    pub fn ops(&self) -> &Ops {
        &self.ops
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
        // The links are stopping: the ledger's last write comes when they have.
        self.ledger.finish(DRAIN).await;
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

/// Gives every virtual node that does its own PKI (MQTT) the store's pins, and keeps
/// them current: the pin store stays the one table of keys.
async fn share_pins(store: &Store, links: &[LinkConfig]) -> Result<(), StoreError> {
    let books: Vec<KeyBook> = links.iter().filter_map(|l| l.key_book.clone()).collect();
    if books.is_empty() {
        return Ok(());
    }
    let watched = books.clone();
    store.watch_pins(Arc::new(move |node, key| {
        for book in &watched {
            book.set(node, key);
        }
    }));
    for pin in store.pins().await? {
        for book in &books {
            book.set(pin.node, Some(&pin.key));
        }
    }
    info!(pins = books[0].len(), "MQTT node keys from the pin store");
    Ok(())
}
