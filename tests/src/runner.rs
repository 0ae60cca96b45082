//! Plays a [`Scenario`] against the daemon through the real link code: the daemon's
//! link connects to the software mesh's gateway node over TCP, and each scripted
//! handset is a link to a handset node. Every packet a handset receives is checked
//! against the byte budget; at the end, nothing may be left unread (no doubles).

use std::path::Path;
use std::time::Duration;

use meshmush::config::Config;
use meshmush_firmware_bridge::sim::{GATEWAY_NUM, Mesh, StreamFault};
use meshmush_protocol::packets::TextMessage;
use meshmush_testkit::{Kit, replies};

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
    /// The mesh, daemon and handsets; `None` only after a restart failed.
    kit: Option<Kit>,
    wait: Duration,
    quiet: Duration,
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
    let wait = REPLY_WAIT * factor;
    let kit = Kit::builder(cfg).data(data).wait(wait);
    let kit = match radios {
        Some(r) => kit.radios(r.gateway, r.handset),
        None => kit.handsets(sc.handsets),
    };
    let kit = kit.start().await.map_err(|e| fail(0, e.to_string()))?;
    let mut run = Run {
        sc,
        kit: Some(kit),
        wait,
        quiet: QUIET * factor,
        current: 0,
        oversize: Vec::new(),
    };
    let result = run.steps().await;
    let leftovers = run.leftovers().await;
    if let Some(kit) = run.kit.take() {
        let _ = kit.stop().await;
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
    fn kit(&mut self) -> Result<&mut Kit, String> {
        self.kit
            .as_mut()
            .ok_or_else(|| "the daemon did not come back after a restart".to_string())
    }

    fn mesh(&self) -> Result<&Mesh, String> {
        self.kit
            .as_ref()
            .and_then(Kit::mesh)
            .ok_or_else(|| "mesh faults need the software mesh".to_string())
    }

    fn note(&mut self, budget: usize, t: &TextMessage) {
        if t.text.len() > budget {
            self.oversize.push(t.text.clone());
        }
    }

    /// The next whole reply on handset `k` (multi-packet replies reassembled; a page
    /// that ends in " [more]" is all there is until the player asks).
    async fn reply(&mut self, k: usize, wait: Duration) -> Option<String> {
        let next_wait = self.wait;
        let kit = self.kit().ok()?;
        let budget = kit.budget();
        let reply = replies::collect(&mut kit.handsets[k], wait, next_wait, |_| false).await?;
        for t in &reply.packets {
            self.note(budget, t);
        }
        Some(fold(&reply.text()))
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

    /// Checks the next text handset `k` hears on a channel (one packet: the BBS's
    /// channel texts are one packet each).
    async fn heard(&mut self, k: usize, expect: &Expect) -> Result<(), String> {
        let wait = match expect {
            Expect::Nothing => self.quiet,
            _ => self.wait,
        };
        let kit = self.kit()?;
        let budget = kit.budget();
        let got = kit.handsets[k].next_channel_text(wait).await;
        if let Some(t) = &got {
            self.note(budget, t);
        }
        fold_expect(expect)
            .check(got.map(|t| fold(&t.text)).as_deref())
            .map_err(|m| format!("{} on the channel: {m}", NAMES[k]))
    }

    async fn steps(&mut self) -> Result<(), Failure> {
        for (line, step) in &self.sc.steps {
            let fail = |message: String| Failure {
                file: self.sc.name.clone(),
                line: *line,
                message,
            };
            match step {
                Step::Send { handset, text } => {
                    self.current = *handset;
                    let kit = self.kit().map_err(fail)?;
                    let bbs = kit.bbs;
                    kit.handsets[*handset]
                        .send(bbs, text)
                        .await
                        .map_err(|e| fail(e.to_string()))?;
                }
                Step::Reply { expect } => self.check(self.current, expect).await.map_err(fail)?,
                Step::Unasked { handset, expect } => {
                    self.check(*handset, expect).await.map_err(fail)?
                }
                Step::ChannelSend { handset, text } => {
                    let kit = self.kit().map_err(fail)?;
                    kit.handsets[*handset]
                        .send_channel(text)
                        .await
                        .map_err(|e| fail(e.to_string()))?;
                }
                Step::ChannelHeard { handset, expect } => {
                    self.heard(*handset, expect).await.map_err(fail)?
                }
                Step::Wait(d) => tokio::time::sleep(*d).await,
                Step::Act(action) => self.act(action).await.map_err(fail)?,
            }
        }
        Ok(())
    }

    async fn act(&mut self, action: &Action) -> Result<(), String> {
        let gw = GATEWAY_NUM;
        match action {
            Action::DropConnection => self.mesh()?.drop_clients(gw),
            Action::Reboot => self.mesh()?.reboot(gw),
            Action::Garbage => self.mesh()?.inject(gw, StreamFault::Garbage),
            Action::Oversize => self.mesh()?.inject(gw, StreamFault::Oversize),
            Action::Truncated => self.mesh()?.inject(gw, StreamFault::Truncated),
            Action::Duplicate(p) => self.mesh()?.faults().set_duplicate(*p),
            Action::Drop(p) => self.mesh()?.faults().set_drop(*p),
            Action::Pki(on) => self.mesh()?.faults().set_pki(*on),
            Action::Restart => {
                let kit = self.kit.take().ok_or("no daemon to restart")?;
                self.kit = Some(kit.restart().await.map_err(|e| format!("restart: {e}"))?);
            }
        }
        Ok(())
    }

    /// Anything still arriving after the last step is a reply nobody expected.
    async fn leftovers(&mut self) -> Option<String> {
        let mut extra = Vec::new();
        let quiet = self.quiet;
        let kit = self.kit.as_mut()?;
        for (h, name) in kit.handsets.iter_mut().zip(NAMES) {
            for t in h.texts_until_quiet(quiet).await {
                extra.push(format!("{name}: {:?}", t.text));
            }
            for t in h.take_channel_texts() {
                extra.push(format!("{name} on the channel: {:?}", t.text));
            }
        }
        (!extra.is_empty()).then(|| format!("unexpected replies: {}", extra.join(", ")))
    }
}
