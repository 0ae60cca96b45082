//! Plays a [`Scenario`] against the daemon through the real link code: the daemon's
//! link connects to the software mesh's gateway node over TCP, and each scripted
//! handset is a link to a handset node. Every packet a handset receives is checked
//! against the byte budget; at the end, nothing may be left unread (no doubles).

use std::path::{Path, PathBuf};
use std::time::Duration;

use meshmush::app::App;
use meshmush::config::Config;
use meshmush::store::StoreOptions;
use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_firmware_bridge::sim::handset::{Handset, fast_link_config};
use meshmush_firmware_bridge::sim::{GATEWAY_NUM, Mesh, SimConfig, StreamFault};
use meshmush_protocol::chunking::strip_marker;
use meshmush_protocol::packets::TextMessage;

use crate::scenario::{Action, Expect, NAMES, Scenario, Step};

/// How long a reply may take on the software mesh (real radios: see [`Radios`]).
const REPLY_WAIT: Duration = Duration::from_secs(10);
/// How long silence must last to count as "no reply".
const QUIET: Duration = Duration::from_millis(400);

/// Real radios for the hardware-in-the-loop run: the node the daemon uses, and a
/// second node on the same channel that plays the handset.
#[derive(Debug, Clone)]
pub struct Radios {
    pub gateway: meshmush_firmware_bridge::Transport,
    pub handset: meshmush_firmware_bridge::Transport,
    /// Waits are multiplied by this (LoRa airtime, retransmissions).
    pub time_factor: u32,
}

/// Why a scenario failed, with the line that failed.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct Failure {
    pub file: String,
    pub line: usize,
    pub message: String,
}

struct Run<'a> {
    sc: &'a Scenario,
    cfg: Config,
    data: PathBuf,
    mesh: Option<Mesh>,
    radios: Option<Radios>,
    bbs: u32,
    wait: Duration,
    quiet: Duration,
    app: Option<App>,
    handsets: Vec<Handset>,
    current: usize,
    oversize: Vec<String>,
}

/// Folds every run of whitespace into one space: a reply split over packets loses
/// the whitespace at the cuts, so comparisons ignore how whitespace is laid out.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fold_expect(e: &Expect) -> Expect {
    match e {
        Expect::Exact(s) => Expect::Exact(fold(s)),
        Expect::Prefix(s) => Expect::Prefix(fold(s)),
        other => other.clone(),
    }
}

/// `n` of a `(i/n) ` marker.
fn parts(packet: &str) -> Option<usize> {
    let head = packet.strip_prefix('(')?.split_once(") ")?.0;
    head.split_once('/')?.1.parse().ok()
}

/// Runs `sc` on the software mesh with its data in `data` (a fresh directory).
pub async fn run(sc: &Scenario, data: &Path) -> Result<(), Failure> {
    run_on(sc, data, None).await
}

/// Runs `sc` on real radios (one handset; no mesh faults).
pub async fn run_hil(sc: &Scenario, data: &Path, radios: Radios) -> Result<(), Failure> {
    run_on(sc, data, Some(radios)).await
}

async fn run_on(sc: &Scenario, data: &Path, radios: Option<Radios>) -> Result<(), Failure> {
    let fail = |line: usize, message: String| Failure {
        file: sc.name.clone(),
        line,
        message,
    };
    let cfg = if sc.config.is_empty() {
        Config::default()
    } else {
        Config::from_toml(&sc.config, Path::new(&sc.name)).map_err(|e| fail(0, e.to_string()))?
    };
    let factor = radios.as_ref().map_or(1, |r| r.time_factor.max(1));
    let mesh = match &radios {
        Some(_) => None,
        None => Some(
            Mesh::start(SimConfig {
                handsets: sc.handsets,
                ..SimConfig::default()
            })
            .await
            .map_err(|e| fail(0, e.to_string()))?,
        ),
    };
    let mut run = Run {
        sc,
        cfg,
        data: data.to_path_buf(),
        bbs: 0,
        mesh,
        radios,
        wait: REPLY_WAIT * factor,
        quiet: QUIET * factor,
        app: None,
        handsets: Vec::new(),
        current: 0,
        oversize: Vec::new(),
    };
    run.start_daemon().await.map_err(|m| fail(0, m))?;
    run.connect_handsets().await.map_err(|m| fail(0, m))?;
    let result = run.steps().await;
    let leftovers = run.leftovers().await;
    if let Some(app) = run.app.take() {
        let _ = app.shutdown().await;
    }
    if let Some(mesh) = run.mesh.take() {
        mesh.shutdown().await;
    }
    result?;
    if let Some(m) = leftovers {
        return Err(fail(sc.steps.last().map_or(0, |s| s.0), m));
    }
    if !run.oversize.is_empty() {
        return Err(fail(
            0,
            format!("packets over the byte budget: {:?}", run.oversize),
        ));
    }
    Ok(())
}

impl Run<'_> {
    async fn start_daemon(&mut self) -> Result<(), String> {
        let link = match (&self.mesh, &self.radios) {
            (Some(mesh), _) => fast_link_config(mesh.gateway()),
            (None, Some(r)) => LinkConfig::new(r.gateway.clone()),
            (None, None) => return Err("no mesh and no radios".into()),
        };
        let app = App::start(self.cfg.clone(), &self.data, link, StoreOptions::default())
            .await
            .map_err(|e| format!("daemon: {e}"))?;
        self.bbs = tokio::time::timeout(self.wait, app.link().connected())
            .await
            .map_err(|_| "daemon did not connect".to_string())?
            .map_err(|e| e.to_string())?;
        self.app = Some(app);
        Ok(())
    }

    async fn connect_handsets(&mut self) -> Result<(), String> {
        if let Some(mesh) = &self.mesh {
            for node in mesh.handsets().to_vec() {
                self.handsets.push(
                    Handset::connect(&node)
                        .await
                        .map_err(|e| format!("handset: {e}"))?,
                );
            }
            return Ok(());
        }
        let Some(r) = &self.radios else {
            return Err("no handset".into());
        };
        let cfg = LinkConfig::new(r.handset.clone());
        let node = meshmush_firmware_bridge::sim::SimNode {
            num: 0,
            long_name: "radio handset".into(),
            short_name: String::new(),
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            is_gateway: false,
        };
        let h = tokio::time::timeout(self.wait, Handset::connect_with(&node, cfg))
            .await
            .map_err(|_| format!("no handshake with the handset radio {}", r.handset))?
            .map_err(|e| e.to_string())?;
        self.handsets.push(h);
        Ok(())
    }

    fn note(&mut self, t: &TextMessage) {
        if t.text.len() > self.cfg.replies.byte_budget {
            self.oversize.push(t.text.clone());
        }
    }

    /// The next whole reply on handset `k` (multi-packet replies reassembled).
    async fn reply(&mut self, k: usize, wait: Duration) -> Option<String> {
        let first = self.handsets[k].next_text(wait).await?;
        let wait = self.wait;
        self.note(&first);
        let mut texts = vec![first.text];
        // A page that ends in " [more]" is all there is until the player asks.
        if let Some(n) = parts(&texts[0]).filter(|_| !texts[0].ends_with(meshmush::delivery::MORE))
        {
            while texts.len() < n {
                let Some(t) = self.handsets[k].next_text(wait).await else {
                    break;
                };
                self.note(&t);
                let paged = t.text.ends_with(meshmush::delivery::MORE);
                texts.push(t.text);
                if paged {
                    break;
                }
            }
        }
        Some(fold(
            &texts
                .iter()
                .map(|t| strip_marker(t))
                .collect::<Vec<_>>()
                .join(" "),
        ))
    }

    async fn check(&mut self, k: usize, expect: &Expect) -> Result<(), String> {
        let got = match expect {
            Expect::Nothing => self.reply(k, self.quiet).await,
            _ => self.reply(k, self.wait).await,
        };
        fold_expect(expect)
            .check(got.as_deref())
            .map_err(|m| format!("{}: {m}", NAMES[k]))
    }

    async fn steps(&mut self) -> Result<(), Failure> {
        let bbs = self.bbs;
        for (line, step) in &self.sc.steps {
            let fail = |message: String| Failure {
                file: self.sc.name.clone(),
                line: *line,
                message,
            };
            match step {
                Step::Send { handset, text } => {
                    self.current = *handset;
                    self.handsets[*handset]
                        .send(bbs, text)
                        .await
                        .map_err(|e| fail(e.to_string()))?;
                }
                Step::Reply { expect } => self.check(self.current, expect).await.map_err(fail)?,
                Step::Unasked { handset, expect } => {
                    self.check(*handset, expect).await.map_err(fail)?
                }
                Step::Wait(d) => tokio::time::sleep(*d).await,
                Step::Act(action) => self.act(action).await.map_err(fail)?,
            }
        }
        Ok(())
    }

    async fn act(&mut self, action: &Action) -> Result<(), String> {
        let gw = GATEWAY_NUM;
        let sim = || "mesh faults need the software mesh".to_string();
        match action {
            Action::DropConnection => self.mesh.as_ref().ok_or_else(sim)?.drop_clients(gw),
            Action::Reboot => self.mesh.as_ref().ok_or_else(sim)?.reboot(gw),
            Action::Garbage => self
                .mesh
                .as_ref()
                .ok_or_else(sim)?
                .inject(gw, StreamFault::Garbage),
            Action::Oversize => self
                .mesh
                .as_ref()
                .ok_or_else(sim)?
                .inject(gw, StreamFault::Oversize),
            Action::Truncated => self
                .mesh
                .as_ref()
                .ok_or_else(sim)?
                .inject(gw, StreamFault::Truncated),
            Action::Duplicate(p) => self
                .mesh
                .as_ref()
                .ok_or_else(sim)?
                .faults()
                .set_duplicate(*p),
            Action::Drop(p) => self.mesh.as_ref().ok_or_else(sim)?.faults().set_drop(*p),
            Action::Pki(on) => self.mesh.as_ref().ok_or_else(sim)?.faults().set_pki(*on),
            Action::Restart => {
                if let Some(app) = self.app.take() {
                    app.shutdown().await.map_err(|e| format!("shutdown: {e}"))?;
                }
                self.start_daemon().await?;
            }
        }
        Ok(())
    }

    /// Anything still arriving after the last step is a reply nobody expected.
    async fn leftovers(&mut self) -> Option<String> {
        let mut extra = Vec::new();
        let quiet = self.quiet;
        for (h, name) in self.handsets.iter_mut().zip(NAMES) {
            for t in h.texts_until_quiet(quiet).await {
                extra.push(format!("{name}: {:?}", t.text));
            }
        }
        (!extra.is_empty()).then(|| format!("unexpected replies: {}", extra.join(", ")))
    }
}
