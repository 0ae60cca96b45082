//! The one test kit: a daemon on the software mesh (or on real radios) with scripted
//! handsets, started, restarted on the same data and stopped in one place. Every suite
//! that needs "mesh + daemon + handsets" builds it here: the host's integration tests,
//! the transcript runner and the soak of `meshmush-tests`, the official-client test,
//! and `meshmush-bench`. So the daemon under test gets its link config the way the
//! real one does ([`Config::link_config`]: byte budget and airtime share from the
//! config), with only the timings shortened for the software mesh.
//!
//! - [`replies`]: reading whole replies off a handset (reassembled with `protocol`'s
//!   marker parser), with a byte-budget check on every packet;
//! - [`virtual_handsets`]: thousands of players without sockets, for the bench;
//! - [`stats`]: percentiles and this process's memory, for the bench and the soak;
//! - [`mosquitto`]: a real MQTT broker (Debian's), started and stopped by whoever needs
//!   one: the MQTT suites of `meshmush-tests` and the bench's hostile figures.
//!
//! A crate of its own, and the one that turns on meshmush's `seams` feature (the
//! store's injected latency and inline calls), so the daemon's build has neither.

pub mod mosquitto;
pub mod packages;
pub mod peers;
pub mod replies;
pub mod stats;
pub mod virtual_handsets;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use meshmush_firmware_bridge::Transport;
use meshmush_firmware_bridge::link::{LinkClosed, LinkConfig};
use meshmush_firmware_bridge::sim::handset::{Handset, fast_timings};
use meshmush_firmware_bridge::sim::multihop::{HopLadder, RadioParams};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimError, SimNode, handset_name};

use meshmush::app::App;
use meshmush::config::Config;
use meshmush::schedule::{SystemClock, WallClock};
use meshmush::store::{StoreError, StoreOptions};
pub use virtual_handsets::VirtualHandsets;

/// How long the kit waits for a link's handshake by default.
pub const CONNECT_WAIT: Duration = Duration::from_secs(30);

/// Why the kit could not start (or restart, or stop) what it was asked for.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    #[error("the software mesh did not start: {0}")]
    Mesh(#[from] SimError),
    #[error("no temporary data directory: {0}")]
    TempDir(#[source] std::io::Error),
    #[error("the daemon: {0}")]
    Daemon(#[from] StoreError),
    #[error("the daemon did not start: {0}")]
    Start(#[from] meshmush::app::AppError),
    #[error("{what}: {source}")]
    Link {
        what: String,
        #[source]
        source: LinkClosed,
    },
    #[error("{0} within {1:?}")]
    Timeout(String, Duration),
    #[error("this needs the software mesh, and the kit runs on real radios")]
    NoMesh,
    #[error("the mesh was not started with virtual handsets, or they are taken")]
    NoVirtualHandsets,
}

/// Where the daemon's node and the handsets are.
#[derive(Debug, Clone)]
pub enum Net {
    /// A software mesh the kit starts (and stops).
    Sim(SimConfig),
    /// Real radios: the node the daemon uses, and one node that plays the handset.
    Radios {
        gateway: Transport,
        handset: Transport,
    },
}

/// How the daemon reaches the software mesh.
#[derive(Debug, Clone, Default)]
pub enum DaemonLinks {
    /// One TCP link to area 0's gateway (the default).
    #[default]
    Gateway,
    /// One TCP link per area's gateway: a daemon with several radios.
    EveryGateway,
    /// Two TCP links to area 0's gateway: two radios that hear every packet alike.
    GatewayTwice,
    /// Only the broker: the daemon is this virtual node, and no sim node is its radio.
    Mqtt(Box<meshmush_firmware_bridge::mqtt::MqttNodeConfig>),
}

type LinkTweak = Box<dyn Fn(LinkConfig) -> LinkConfig + Send>;
type HandsetTweak = Box<dyn Fn(&SimNode, LinkConfig) -> LinkConfig + Send>;

/// What to start; see [`Kit::builder`].
pub struct KitBuilder {
    cfg: Config,
    net: Net,
    data: Option<PathBuf>,
    store: StoreOptions,
    daemon_link: Option<LinkTweak>,
    handset_link: Option<HandsetTweak>,
    connect_handsets: bool,
    wait: Duration,
    daemon_links: DaemonLinks,
    clock: Clock,
}

/// Where the daemon's scheduled notices read the time of day.
type Clock = Arc<dyn WallClock>;

impl KitBuilder {
    /// How the daemon reaches the mesh (default: one TCP link to its gateway).
    pub fn daemon_links(mut self, links: DaemonLinks) -> Self {
        self.daemon_links = links;
        self
    }

    /// The software mesh to start (default: `SimConfig::default()`, two handsets).
    pub fn sim(mut self, sim: SimConfig) -> Self {
        self.net = Net::Sim(sim);
        self
    }

    /// A software mesh of `n` handsets, otherwise the defaults (it replaces a
    /// [`sim`](Self::sim) given before: give the count in that `SimConfig` instead).
    pub fn handsets(self, n: usize) -> Self {
        self.sim(SimConfig {
            handsets: n,
            ..SimConfig::default()
        })
    }

    /// A multi-hop software mesh (issue 28): one handset at each of `hops` hops from
    /// the BBS's node (the firmware's hops away: 0 is a direct neighbour), named
    /// Alice, Bob, ... in order, with a line of relay nodes between
    /// ([`HopLadder`]), LongFast, hop limit 3. The relays come after the handsets in
    /// `mesh.nodes()`; `mesh.radio_counters` tells what each node sent.
    pub fn handsets_at_hops(self, hops: &[usize]) -> Self {
        let ladder = hops
            .iter()
            .enumerate()
            .fold(HopLadder::new(RadioParams::default()), |ladder, (k, &h)| {
                ladder.handset(&handset_name(k), h)
            });
        self.sim(SimConfig::multihop(ladder.build()))
    }

    /// Real radios instead of the software mesh.
    pub fn radios(mut self, gateway: Transport, handset: Transport) -> Self {
        self.net = Net::Radios { gateway, handset };
        self
    }

    /// The daemon's data directory (default: a temporary one the kit removes).
    pub fn data(mut self, dir: &Path) -> Self {
        self.data = Some(dir.to_path_buf());
        self
    }

    pub fn store(mut self, opts: StoreOptions) -> Self {
        self.store = opts;
        self
    }

    /// Changes the daemon's link config after the kit built it from the config (and,
    /// on the software mesh, shortened its timings): a longer ack timeout, real
    /// airtime, a heartbeat interval.
    pub fn daemon_link(mut self, f: impl Fn(LinkConfig) -> LinkConfig + Send + 'static) -> Self {
        self.daemon_link = Some(Box::new(f));
        self
    }

    /// Changes each scripted handset's link config, as [`KitBuilder::daemon_link`]
    /// does the daemon's.
    pub fn handset_link(
        mut self,
        f: impl Fn(&SimNode, LinkConfig) -> LinkConfig + Send + 'static,
    ) -> Self {
        self.handset_link = Some(Box::new(f));
        self
    }

    /// Whether the kit connects a scripted handset to each handset node (default
    /// yes). Off when another client (the official Python one) talks through them.
    pub fn connect_handsets(mut self, yes: bool) -> Self {
        self.connect_handsets = yes;
        self
    }

    /// The time of day the daemon's scheduled notices read (default the system's):
    /// a test starts the daemon just before a schedule is due.
    pub fn clock(mut self, clock: Arc<dyn WallClock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long each link may take to connect (default [`CONNECT_WAIT`]).
    pub fn wait(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// Starts the mesh, the daemon (connected) and the handsets (connected).
    pub async fn start(self) -> Result<Kit, KitError> {
        let (mesh, daemon_transport) = match &self.net {
            Net::Sim(sim) => {
                let mesh = Mesh::start(sim.clone()).await?;
                let addr = mesh.gateway().addr.to_string();
                (Some(mesh), Transport::Tcp(addr))
            }
            Net::Radios { gateway, .. } => (None, gateway.clone()),
        };
        // An MQTT node sees the daemon's pins, as `meshmush run` wires it.
        let key_book = match &self.daemon_links {
            DaemonLinks::Mqtt(node) => Some(node.key_book.clone()),
            _ => None,
        };
        let transports = match (&self.daemon_links, &mesh) {
            (DaemonLinks::EveryGateway, Some(mesh)) => mesh
                .gateways()
                .iter()
                .map(|g| Transport::Tcp(g.addr.to_string()))
                .collect(),
            (DaemonLinks::GatewayTwice, _) => vec![daemon_transport.clone(), daemon_transport],
            (DaemonLinks::Mqtt(node), _) => {
                vec![meshmush_firmware_bridge::mqtt::start((**node).clone())]
            }
            _ => vec![daemon_transport],
        };
        let mut links: Vec<LinkConfig> = transports
            .into_iter()
            .map(|t| {
                let mut link = self.cfg.link_config(t);
                link.key_book = key_book.clone();
                if mesh.is_some() {
                    fast_timings(link)
                } else {
                    link
                }
            })
            .collect();
        if let Some(tweak) = self.daemon_link {
            links = links.into_iter().map(&tweak).collect();
        }
        let link = links[0].clone();
        let (tmp, data) = match self.data {
            Some(dir) => (None, dir),
            None => {
                let tmp = tempfile::tempdir().map_err(KitError::TempDir)?;
                let dir = tmp.path().to_path_buf();
                (Some(tmp), dir)
            }
        };
        let daemon = start_daemon(
            &self.cfg,
            &data,
            &links,
            &self.store,
            self.wait,
            self.clock.clone(),
        )
        .await;
        let (app, bbs, startup) = match daemon {
            Ok(d) => d,
            Err(e) => {
                if let Some(mesh) = mesh {
                    mesh.shutdown().await;
                }
                return Err(e);
            }
        };
        let mut kit = Kit {
            app,
            handsets: Vec::new(),
            bbs,
            mesh,
            cfg: self.cfg,
            link,
            links,
            store: self.store,
            data,
            _tmp: tmp,
            startup,
            wait: self.wait,
            clock: self.clock,
        };
        if self.connect_handsets
            && let Err(e) = kit.connect_handsets(&self.net, self.handset_link).await
        {
            let _ = kit.stop().await;
            return Err(e);
        }
        Ok(kit)
    }
}

/// Starts a daemon and waits for its link: the daemon, its node number, and how long
/// that took.
async fn start_daemon(
    cfg: &Config,
    data: &Path,
    links: &[LinkConfig],
    store: &StoreOptions,
    wait: Duration,
    clock: Clock,
) -> Result<(App, u32, Duration), KitError> {
    let started = Instant::now();
    let app =
        App::start_with_clock(cfg.clone(), data, links.to_vec(), store.clone(), clock).await?;
    match tokio::time::timeout(wait, app.link().connected()).await {
        Ok(Ok(bbs)) => Ok((app, bbs, started.elapsed())),
        Ok(Err(source)) => {
            let _ = app.shutdown().await;
            Err(KitError::Link {
                what: "the daemon's link".into(),
                source,
            })
        }
        Err(_) => {
            let _ = app.shutdown().await;
            Err(KitError::Timeout(
                "the daemon's link did not connect".into(),
                wait,
            ))
        }
    }
}

/// A running daemon with its mesh and scripted handsets.
pub struct Kit {
    /// The daemon.
    pub app: App,
    /// One per handset node, in the mesh's order (on radios: the one handset).
    pub handsets: Vec<Handset>,
    /// The daemon's node number.
    pub bbs: u32,
    mesh: Option<Mesh>,
    cfg: Config,
    link: LinkConfig,
    /// Every link of the daemon (the first is `link`).
    links: Vec<LinkConfig>,
    store: StoreOptions,
    data: PathBuf,
    _tmp: Option<tempfile::TempDir>,
    startup: Duration,
    wait: Duration,
    clock: Clock,
}

impl Kit {
    /// A kit with the daemon configured by `cfg`, on a software mesh of two handsets
    /// unless told otherwise.
    pub fn builder(cfg: Config) -> KitBuilder {
        KitBuilder {
            cfg,
            net: Net::Sim(SimConfig::default()),
            data: None,
            store: StoreOptions::default(),
            daemon_link: None,
            handset_link: None,
            daemon_links: DaemonLinks::Gateway,
            connect_handsets: true,
            wait: CONNECT_WAIT,
            clock: Arc::new(SystemClock),
        }
    }

    /// The software mesh, if the kit runs on one.
    pub fn mesh(&self) -> Option<&Mesh> {
        self.mesh.as_ref()
    }

    /// The software mesh, or [`KitError::NoMesh`] on real radios.
    pub fn sim(&self) -> Result<&Mesh, KitError> {
        self.mesh.as_ref().ok_or(KitError::NoMesh)
    }

    /// The daemon's config.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The daemon's link config, as derived from its config.
    pub fn link_config(&self) -> &LinkConfig {
        &self.link
    }

    /// Bytes of text a packet may carry: every packet a handset reads is held to it.
    pub fn budget(&self) -> usize {
        self.cfg.replies.byte_budget
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// How long the daemon took from `App::start` to a connected link (last start).
    pub fn startup(&self) -> Duration {
        self.startup
    }

    /// The handshake wait the kit was built with.
    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// The mesh's virtual handsets (a mesh started with `virtual_handsets: true`);
    /// the first call takes them.
    pub fn virtual_handsets(&self) -> Result<VirtualHandsets, KitError> {
        let mesh = self.sim()?;
        VirtualHandsets::start(mesh).ok_or(KitError::NoVirtualHandsets)
    }

    /// Stops the daemon and starts it again on the same data directory, mesh and
    /// handsets, as an operator's restart would. On failure the mesh is stopped too.
    pub async fn restart(self) -> Result<Self, KitError> {
        let clock = self.clock.clone();
        self.restart_with_clock(clock).await
    }

    /// [`restart`](Self::restart), the daemon now reading the time of day from
    /// `clock` (a week later, say).
    pub async fn restart_with_clock(self, clock: Clock) -> Result<Self, KitError> {
        let Kit {
            app,
            handsets,
            mesh,
            cfg,
            link,
            links,
            store,
            data,
            _tmp,
            wait,
            ..
        } = self;
        let restarted = match app.shutdown().await {
            Ok(()) => start_daemon(&cfg, &data, &links, &store, wait, clock.clone()).await,
            Err(e) => Err(e.into()),
        };
        match restarted {
            Ok((app, bbs, startup)) => Ok(Kit {
                app,
                handsets,
                bbs,
                mesh,
                cfg,
                link,
                links,
                store,
                data,
                _tmp,
                startup,
                wait,
                clock,
            }),
            Err(e) => {
                if let Some(mesh) = mesh {
                    mesh.shutdown().await;
                }
                Err(e)
            }
        }
    }

    /// Shuts the daemon down (it finishes its replies and flushes the store), then the
    /// handsets' links and the mesh. Reports the daemon's shutdown error, if any,
    /// after stopping everything.
    pub async fn stop(self) -> Result<(), KitError> {
        let result = self.app.shutdown().await.map_err(KitError::from);
        for h in self.handsets {
            h.link.shutdown().await;
        }
        if let Some(mesh) = self.mesh {
            mesh.shutdown().await;
        }
        result
    }

    async fn connect_handsets(
        &mut self,
        net: &Net,
        tweak: Option<HandsetTweak>,
    ) -> Result<(), KitError> {
        let nodes: Vec<(SimNode, LinkConfig)> = match (net, &self.mesh) {
            (Net::Sim(_), Some(mesh)) => mesh
                .handsets()
                .iter()
                .map(|node| {
                    let mut link = self.cfg.link_config(Transport::Tcp(node.addr.to_string()));
                    // A scripted handset may send a burst no person would (a flood
                    // test's 200 commands): its own queue must not refuse them.
                    lift_queue_caps(&mut link);
                    (node.clone(), fast_timings(link))
                })
                .collect(),
            (Net::Radios { handset, .. }, _) => vec![(
                SimNode {
                    num: 0,
                    long_name: "radio handset".into(),
                    short_name: String::new(),
                    addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
                    is_gateway: false,
                    area: 0,
                },
                self.cfg.link_config(handset.clone()),
            )],
            (Net::Sim(_), None) => return Err(KitError::NoMesh),
        };
        for (node, link) in nodes {
            let link = match &tweak {
                Some(f) => f(&node, link),
                None => link,
            };
            let what = format!("handset {} ({})", node.long_name, link.transport);
            let h = tokio::time::timeout(self.wait, Handset::connect_with(&node, link))
                .await
                .map_err(|_| KitError::Timeout(format!("{what} did not connect"), self.wait))?
                .map_err(|source| KitError::Link { what, source })?;
            self.handsets.push(h);
        }
        Ok(())
    }
}

/// Lifts every rate limit of `cfg` (per node, global, new players), for load tests
/// whose virtual players type far faster than people.
pub fn lift_limits(cfg: &mut Config) {
    const MANY: u32 = 1_000_000_000;
    let l = &mut cfg.limits;
    (
        l.burst,
        l.per_minute,
        l.strangers_burst,
        l.strangers_per_minute,
    ) = (MANY, MANY, MANY, MANY);
    (l.newcomers_burst, l.newcomers_per_minute) = (MANY, MANY);
    l.max_sessions = MANY as usize;
    let b = &mut cfg.bbs;
    (
        b.posts_per_hour,
        b.newcomer_posts_per_hour,
        b.newcomer_mail_per_hour,
    ) = (MANY, MANY, MANY);
}

/// Lifts the outbound queue's caps of `link`, for load tests on instant airtime: a
/// thousand players in a closed loop each have a reply in flight and the next one
/// queued, more than a real radio's queue (1,024 packets, half an hour of LongFast)
/// should ever hold.
pub fn lift_queue_caps(link: &mut LinkConfig) {
    link.max_per_dest = usize::MAX / 2;
    link.max_queued = usize::MAX / 2;
}
