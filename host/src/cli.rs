//! Command-line parsing and the top-level commands.

use std::net::SocketAddr;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use meshmush_firmware_bridge::link::{LinkConfig, LinkEvent};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use meshmush_firmware_bridge::{Transport, spawn};
use meshmush_protocol::airtime::{parse_preset, parse_region};
use meshmush_protocol::packets::node_id;
use tracing::info;

#[derive(Debug, Parser)]
#[command(
    name = "meshmush",
    version,
    about = "A Meshtastic BBS and TinyMUSH world, answered over LoRa"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the daemon (default: on the built-in software mesh).
    Run(RunArgs),
    /// Run the software mesh alone, for any Meshtastic client to connect to.
    Sim(SimArgs),
}

#[derive(Debug, Args, Default)]
struct RunArgs {
    /// A serial port with a Meshtastic node, e.g. /dev/ttyUSB0.
    #[arg(long, conflicts_with_all = ["tcp", "sim"])]
    port: Option<String>,
    /// A node's TCP API, HOST[:PORT] (default port 4403).
    #[arg(long, conflicts_with = "sim")]
    tcp: Option<String>,
    /// Use the built-in software mesh (the default when no node is named).
    #[arg(long)]
    sim: bool,
    #[command(flatten)]
    mesh: SimArgs,
}

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
    time_scale: f64,
    /// Modem preset (LongFast, ShortFast, ...).
    #[arg(long, default_value = "LongFast")]
    preset: String,
    /// LoRa region (EU_868, US, ...).
    #[arg(long, default_value = "EU_868")]
    region: String,
}

impl Default for SimArgs {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 4403)),
            handsets: 2,
            time_scale: 1.0,
            preset: "LongFast".into(),
            region: "EU_868".into(),
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
            ..SimConfig::default()
        })
    }
}

pub async fn dispatch(cli: Cli) -> Result<()> {
    match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Sim(args) => run_sim(args).await,
        Command::Run(args) => run_daemon(args).await,
    }
}

async fn start_mesh(args: &SimArgs) -> Result<Mesh> {
    let cfg = args.config()?;
    let mesh = Mesh::start(cfg)
        .await
        .context("starting the software mesh")?;
    for n in mesh.nodes() {
        let role = if n.is_gateway { "gateway" } else { "handset" };
        println!(
            "{role:8} {}  port {}  {}",
            n.id(),
            n.addr.port(),
            n.long_name
        );
    }
    Ok(mesh)
}

async fn run_sim(args: SimArgs) -> Result<()> {
    let mesh = start_mesh(&args).await?;
    println!("software mesh running; Ctrl-C to stop");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    mesh.shutdown().await;
    Ok(())
}

async fn run_daemon(args: RunArgs) -> Result<()> {
    let (transport, mesh) = match (&args.port, &args.tcp) {
        (Some(port), _) => (Transport::Serial(port.clone()), None),
        (None, Some(addr)) => (Transport::tcp(addr), None),
        (None, None) => {
            let mesh = start_mesh(&args.mesh).await?;
            let gw = mesh.gateway().addr.to_string();
            if let Some(h) = mesh.handsets().first() {
                println!(
                    "talk to the BBS: meshtastic --host 127.0.0.1:{} --sendtext ping --dest '{}'",
                    h.addr.port(),
                    mesh.gateway().id()
                );
            }
            (Transport::Tcp(gw), Some(mesh))
        }
    };
    let mut cfg = LinkConfig::new(transport);
    if mesh.is_some() {
        cfg.airtime_scale = args.mesh.time_scale;
    }
    let (link, mut events) = spawn(cfg);
    loop {
        tokio::select! {
            ev = events.recv() => match ev {
                Some(LinkEvent::DirectText(t)) => {
                    info!(from = %node_id(t.from), text = %t.text, "command");
                    let reply = if t.text.trim().eq_ignore_ascii_case("ping") {
                        "pong".to_string()
                    } else {
                        "meshmush: the world is being built; only `ping` works yet.".to_string()
                    };
                    link.send_text(t.from, 0, reply).await?;
                }
                Some(LinkEvent::State(s)) => info!(state = ?s, "link"),
                Some(_) => {}
                None => break,
            },
            _ = tokio::signal::ctrl_c() => {
                link.shutdown().await;
                break;
            }
        }
    }
    if let Some(mesh) = mesh {
        mesh.shutdown().await;
    }
    Ok(())
}
