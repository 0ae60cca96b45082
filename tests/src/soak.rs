//! The soak: ten handsets send a random mix of commands to the daemon through the
//! software mesh and the real link code, for many simulated hours,
//! with a fault every few simulated minutes. Every command must be answered, no reply
//! may come twice, the daemon must never need a restart, and its memory must stay flat.
//!
//! Time: the mesh is instant, so "simulated time" is the command count. A player sends
//! a command every five minutes of mesh time, so ten handsets make 120 commands a
//! simulated hour; a fault comes every eight commands (about four simulated minutes).
//!
//! Memory: the measured hours come after warm-up hours of the same workload. In the
//! warm-up the board fills to the posts the config keeps, mailboxes to their steady
//! size, sled's in-memory tree to the data's size, and glibc's per-thread caches and
//! arenas to their working size; all of these are bounded, so only growth after them
//! would be a leak. Run this on [`meshmush::runtime`], the daemon's own runtime shape.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use meshmush::config::Config;
use meshmush_firmware_bridge::link::LinkState;
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_firmware_bridge::sim::{GATEWAY_NUM, Mesh, SimConfig, StreamFault};
use meshmush_protocol::proto::config::lo_ra_config::RegionCode;
use meshmush_testkit::{Kit, replies};
use rand::SeedableRng;
use tokio::sync::Mutex;

/// Commands per handset per simulated hour (one every five minutes).
pub const COMMANDS_PER_HOUR: u64 = 12;
/// A fault after this many commands, mesh-wide.
pub const FAULT_EVERY: u64 = 8;
/// Posts the soak's board keeps: at ten posts a simulated hour the board is full (and
/// the stored data at its steady size) within the usual warm-up.
pub const POSTS_KEPT: usize = 100;
const REPLY_WAIT: Duration = Duration::from_secs(15);
/// A notice that arrives unasked; not a reply.
const NOTICE_SUFFIX: &str = "Send mail to read it.";

/// How long and how big.
#[derive(Debug, Clone)]
pub struct SoakConfig {
    pub handsets: usize,
    /// Hours run before the measured ones, to fill bounded stores and caches.
    pub warmup_hours: u64,
    /// Measured hours.
    pub sim_hours: u64,
    /// Send only this command (a diagnostic: which commands grow memory?).
    pub only: Option<String>,
}

/// What the soak saw.
#[derive(Debug, Clone, Default)]
pub struct SoakReport {
    pub commands: u64,
    pub answered: u64,
    /// Commands that needed a second try (the first was lost to a fault).
    pub retried: u64,
    /// Commands never answered, even after a retry.
    pub lost: Vec<String>,
    /// Replies beyond one per command sent.
    pub doubled: u64,
    pub faults: u64,
    /// Peak resident memory per simulated hour, warm-up hours first, in KiB (this
    /// process: the daemon, the mesh and the handsets).
    pub rss_by_hour: Vec<u64>,
    pub warmup_hours: u64,
    pub daemon_alive: bool,
    pub elapsed: Duration,
}

impl SoakReport {
    /// Peak RSS of the measured hours, in KiB.
    pub fn measured_rss(&self) -> &[u64] {
        let from = (self.warmup_hours as usize).min(self.rss_by_hour.len());
        &self.rss_by_hour[from..]
    }

    /// Peak RSS of the last measured hour relative to the first.
    pub fn rss_growth(&self) -> f64 {
        match (self.measured_rss().first(), self.measured_rss().last()) {
            (Some(&first), Some(&last)) if first > 0 => last as f64 / first as f64 - 1.0,
            _ => 0.0,
        }
    }

    pub fn summary(&self) -> String {
        format!(
            "soak: {} commands, {} answered ({} after a retry), {} lost, {} doubled, {} faults, \
             daemon alive: {}, peak RSS per hour (KiB; {} warm-up, then measured): {:?}, \
             growth first to last measured hour {:+.1}%, {:.1} s",
            self.commands,
            self.answered,
            self.retried,
            self.lost.len(),
            self.doubled,
            self.faults,
            self.daemon_alive,
            self.warmup_hours,
            self.rss_by_hour,
            self.rss_growth() * 100.0,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Resident memory of this process, in KiB (Linux), read off the runtime workers.
pub use meshmush_testkit::stats::rss_kib;

fn pick<'a>(rng: &mut impl rand::Rng, options: &[&'a str]) -> &'a str {
    options[rng.random_range(0..options.len())]
}

/// One random command from the mix players use.
fn command(rng: &mut impl rand::Rng, me: usize, handsets: usize) -> String {
    let other =
        crate::scenario::NAMES[(me + 1 + rng.random_range(0..handsets.max(2) - 1)) % handsets];
    match rng.random_range(0..12) {
        0 => "ping".into(),
        1 => "whoami".into(),
        2 => "boards".into(),
        3 => "read general".into(),
        4 => "next".into(),
        5 => format!(
            "post general {} says hello #{}",
            crate::scenario::NAMES[me],
            rng.random_range(0..1000)
        ),
        6 => format!(
            "mail {other} {}",
            pick(
                rng,
                &["meet at the square", "thanks!", "see you on the mesh"]
            )
        ),
        7 => "mail".into(),
        8 => "mail clear".into(),
        9 => "help".into(),
        10 => pick(rng, &["look", "exits", "look pebble", "money", "inventory"]).into(),
        _ => "read general 1".into(),
    }
}

/// Sends one command and waits for its whole reply; retries once after a fault.
async fn exchange(h: &mut Handset, text: &str, report: &Mutex<SoakReport>) {
    let mut tries = 0;
    loop {
        tries += 1;
        if h.send(GATEWAY_NUM, text).await.is_err() {
            report
                .lock()
                .await
                .lost
                .push(format!("{text}: handset link closed"));
            return;
        }
        if wait_reply(h).await {
            let mut r = report.lock().await;
            r.answered += 1;
            if tries > 1 {
                r.retried += 1;
            }
            return;
        }
        if tries == 2 {
            report.lock().await.lost.push(text.to_string());
            return;
        }
    }
}

/// True when a reply (not a notice) arrived; a multi-packet reply is read whole.
async fn wait_reply(h: &mut Handset) -> bool {
    let notice = |t: &meshmush_protocol::packets::TextMessage| t.text.ends_with(NOTICE_SUFFIX);
    replies::collect(h, REPLY_WAIT, REPLY_WAIT, notice)
        .await
        .is_some_and(|r| r.complete)
}

/// The daemon's settings for the soak: players type fast here, so the limits are wide.
fn config() -> Result<Config, String> {
    let text = format!(
        "[limits]\nburst = 1000\nper_minute = 100000\nstrangers_burst = 100000\nstrangers_per_minute = 1000000\n[bbs]\nposts_per_hour = 100000\nnewcomer_posts_per_hour = 100000\nnewcomer_mail_per_hour = 100000\n\
         mailbox_max = 40\nposts_kept = {POSTS_KEPT}\n"
    );
    Config::from_toml(&text, Path::new("soak")).map_err(|e| e.to_string())
}

/// Runs the soak; `data` is a fresh directory.
pub async fn run(cfg: &SoakConfig, data: &Path) -> Result<SoakReport, String> {
    let started = Instant::now();
    let mut kit = Kit::builder(config()?)
        .sim(SimConfig {
            handsets: cfg.handsets,
            region: RegionCode::Us,
            ..SimConfig::default()
        })
        .data(data)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let mut handsets = std::mem::take(&mut kit.handsets);
    // The daemon is up when it answers.
    let mut up = false;
    for _ in 0..100 {
        if handsets[0]
            .ask(GATEWAY_NUM, "ping", Duration::from_millis(200))
            .await
            .is_some()
        {
            up = true;
            break;
        }
    }
    if !up {
        return Err("daemon never answered".into());
    }
    handsets[0]
        .texts_until_quiet(Duration::from_millis(300))
        .await;

    let report = Arc::new(Mutex::new(SoakReport::default()));
    let issued = Arc::new(AtomicU64::new(0));
    report.lock().await.warmup_hours = cfg.warmup_hours;
    let hours = cfg.warmup_hours + cfg.sim_hours;
    let per_handset = hours * COMMANDS_PER_HOUR;
    let hour = COMMANDS_PER_HOUR * cfg.handsets as u64;
    let finished = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (issued, report, finished) = (issued.clone(), report.clone(), finished.clone());
        tokio::spawn(async move {
            let mut peak = 0;
            let mut current_hour = 0;
            loop {
                let stop = finished.load(Ordering::Relaxed);
                // The last hour runs until its last reply is in.
                let h = (issued.load(Ordering::Relaxed) / hour.max(1)).min(hours.max(1) - 1);
                let rss = rss_kib().await.unwrap_or(0);
                while current_hour < h {
                    report.lock().await.rss_by_hour.push(peak.max(rss));
                    peak = 0;
                    current_hour += 1;
                }
                peak = peak.max(rss);
                if stop {
                    report.lock().await.rss_by_hour.push(peak);
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let kit = Arc::new(kit);
    let mut tasks = tokio::task::JoinSet::new();
    for (me, mut h) in handsets.into_iter().enumerate() {
        let (issued, report, kit) = (issued.clone(), report.clone(), kit.clone());
        let n = cfg.handsets;
        let only = cfg.only.clone();
        tasks.spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(me as u64 * 7919 + 1);
            for _ in 0..per_handset {
                let text = only.clone().unwrap_or_else(|| command(&mut rng, me, n));
                let count = issued.fetch_add(1, Ordering::Relaxed) + 1;
                report.lock().await.commands += 1;
                if count % FAULT_EVERY == 0
                    && let Some(mesh) = kit.mesh()
                {
                    inject(mesh, count / FAULT_EVERY);
                    report.lock().await.faults += 1;
                }
                exchange(&mut h, &text, &report).await;
            }
            // Anything still arriving now is a reply nobody asked for.
            let extra = h
                .texts_until_quiet(Duration::from_millis(500))
                .await
                .into_iter()
                .filter(|t| !t.text.ends_with(NOTICE_SUFFIX))
                .count() as u64;
            report.lock().await.doubled += extra;
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.map_err(|e| e.to_string())?;
    }
    finished.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    let kit = Arc::into_inner(kit).ok_or("a handset task still holds the kit")?;
    let alive = matches!(kit.app.link().state(), LinkState::Connected { .. });
    kit.stop().await.map_err(|e| e.to_string())?;
    let mut r = report.lock().await.clone();
    r.daemon_alive = alive;
    r.elapsed = started.elapsed();
    Ok(r)
}

/// The k-th fault of the soak, in rotation.
fn inject(mesh: &Mesh, k: u64) {
    let gw = GATEWAY_NUM;
    match k % 7 {
        0 => mesh.drop_clients(gw),
        1 => mesh.inject(gw, StreamFault::Garbage),
        2 => mesh.reboot(gw),
        3 => mesh.inject(gw, StreamFault::Oversize),
        4 => mesh.faults().set_duplicate(0.5),
        5 => {
            mesh.faults().set_duplicate(0.0);
            mesh.inject(gw, StreamFault::Truncated);
        }
        _ => {
            // A full transmit queue for a moment.
            mesh.faults().set_queue_full(gw, true);
            let faults = mesh.faults_handle();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                faults.set_queue_full(gw, false);
            });
        }
    }
}
