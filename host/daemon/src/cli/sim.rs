//! `meshmush sim` and the daemon's embedded default: the software mesh's flags, and
//! starting it with a line per node for the person at the terminal.

use std::net::SocketAddr;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use meshmush_firmware_bridge::sim::multihop::{RadioParams, Topology};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use meshmush_protocol::airtime::{parse_preset, parse_region};
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;

use super::shutdown_signal;

#[derive(Debug, Args, Clone)]
pub struct SimArgs {
    /// Address of the gateway node's API; handset k listens on port + k.
    #[arg(long, default_value = "127.0.0.1:4403")]
    listen: SocketAddr,
    /// Number of simulated handsets.
    #[arg(long, default_value_t = 2)]
    handsets: usize,
    /// Airtime scale: 1 = real LoRa airtime, 0 = instant.
    #[arg(long, default_value_t = 1.0)]
    pub(super) time_scale: f64,
    /// Modem preset (LongFast, ShortFast, ...).
    #[arg(long, default_value = "LongFast")]
    preset: String,
    /// LoRa region (EU_868, US, ...).
    #[arg(long, default_value = "EU_868")]
    region: String,
    /// Let clients of handset nodes send packets with any `from` (as a modified
    /// firmware can), to play an attacker; such packets are never PKI-encrypted.
    #[arg(long)]
    allow_spoofing: bool,
    /// Split the handsets into this many radio areas, each with its own gateway node
    /// and airtime.
    #[arg(long, default_value_t = 1)]
    areas: usize,
    /// Gateways uplink and downlink through this MQTT broker (HOST:PORT), as firmware
    /// gateways do: a BBS on the broker then reaches every area.
    #[arg(long)]
    mqtt: Option<String>,
    /// Topic root on the broker.
    #[arg(long, default_value = "msh/US")]
    mqtt_root: String,
    /// A multi-hop mesh instead of one where every node hears every other:
    /// `line:N`, `grid:N`, `random:N:SEED` or a TOML file of nodes with positions,
    /// roles and antenna heights (see docs/sim.md). Node 0 is the gateway; the others
    /// are handsets, and packets are relayed, retried and lost as the firmware's
    /// routers and Meshtasticator's radio model say.
    #[arg(long, value_name = "SPEC", conflicts_with_all = ["areas", "mqtt", "handsets"])]
    topology: Option<String>,
    /// With --topology: every node's configured hop limit (1-7).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=7))]
    hop_limit: u8,
    /// With --topology: seed of the model's random draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl Default for SimArgs {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 4403)),
            handsets: 2,
            time_scale: 1.0,
            preset: "LongFast".into(),
            region: "EU_868".into(),
            allow_spoofing: false,
            areas: 1,
            mqtt: None,
            mqtt_root: "msh/US".into(),
            topology: None,
            hop_limit: 3,
            seed: 1,
        }
    }
}

impl SimArgs {
    fn config(&self) -> Result<SimConfig> {
        if !(0.0..=1000.0).contains(&self.time_scale) {
            bail!(
                "--time-scale must be between 0 and 1000, got {}",
                self.time_scale
            );
        }
        Ok(SimConfig {
            listen: self.listen,
            handsets: self.handsets,
            time_scale: self.time_scale,
            preset: parse_preset(&self.preset)
                .ok_or_else(|| anyhow!("unknown --preset {:?}", self.preset))?,
            region: parse_region(&self.region)
                .ok_or_else(|| anyhow!("unknown --region {:?}", self.region))?,
            allow_spoofing: self.allow_spoofing,
            areas: self.areas.max(1),
            mqtt: self
                .mqtt
                .clone()
                .map(|broker| meshmush_firmware_bridge::sim::SimMqtt {
                    broker,
                    root: self.mqtt_root.clone(),
                }),
            seed: self.seed,
            ..SimConfig::default()
        })
    }

    /// The `--topology` given, read from its file when it names one.
    async fn topology(&self, preset: ModemPreset) -> Result<Option<Topology>> {
        let Some(spec) = &self.topology else {
            return Ok(None);
        };
        let mut radio = RadioParams::of(preset);
        radio.hop_limit = self.hop_limit;
        let topology = if spec.ends_with(".toml") {
            let text = tokio::fs::read_to_string(spec)
                .await
                .with_context(|| format!("reading the topology file {spec}"))?;
            Topology::from_toml(&text, radio).with_context(|| format!("in {spec}"))?
        } else {
            Topology::parse(spec, radio)?
        };
        Ok(Some(topology))
    }
}

pub(super) async fn start_mesh(args: &SimArgs) -> Result<Mesh> {
    let mut cfg = args.config()?;
    if let Some(t) = args.topology(cfg.preset).await? {
        cfg.handsets = t.nodes.len().saturating_sub(1);
        cfg.preset = t.radio.preset;
        cfg.topology = Some(t);
    }
    let mesh = Mesh::start(cfg)
        .await
        .context("starting the software mesh")?;
    let gateway = mesh.gateway().num;
    for n in mesh.nodes() {
        let role = if n.is_gateway { "gateway" } else { "handset" };
        // On a multi-hop mesh, how far each node is from the gateway instead.
        let place = match mesh.radio_hops(gateway, n.num) {
            Some(h) => format!("radio hops {h}"),
            None => format!("area {}", n.area + 1),
        };
        println!(
            "{role:8} {}  port {}  {place}  {}",
            n.id(),
            n.addr.port(),
            n.long_name
        );
    }
    Ok(mesh)
}

pub(super) async fn run_sim(args: SimArgs) -> Result<()> {
    let mesh = start_mesh(&args).await?;
    println!("software mesh running; Ctrl-C to stop");
    shutdown_signal().await;
    mesh.shutdown().await;
    Ok(())
}
