//! Command-line parsing and the top-level commands. This is the binary's edge: errors
//! become `anyhow` reports here and nowhere else.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use meshmush::admin::backup;
use meshmush::app::App;
use meshmush::config::{Config, ConfigError, ConfigErrors};
use meshmush::store::{Store, StoreOptions};
use meshmush_firmware_bridge::Transport;
use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_protocol::packets::parse_node_id;
use tracing::info;

mod sim;
use sim::{SimArgs, run_sim, start_mesh};

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
    /// Talk to a BBS as a handset does: each line is a direct message to it, and its
    /// replies and notices print as they arrive. With commands on standard input, runs
    /// them in order, each waiting for its reply (a line the BBS takes without a word,
    /// as a line of a post, is answered by the node's delivery ack; a "slow down" is
    /// waited out and the command sent again). Exit status 1: the node cannot be
    /// reached; 2: a command got no reply in time.
    Chat(crate::chat_cli::ChatArgs),
    /// List serial ports, marking the ones that look like Meshtastic boards.
    Ports,
    /// Validate a config file and print the effective config.
    CheckConfig { file: PathBuf },
    /// Moved: the bench is `meshmush-bench` (cargo run --release -p meshmush-bench).
    #[command(hide = true)]
    Bench {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        words: Vec<String>,
    },
    /// Self-test with one real node: handshake, node info, an acked message.
    HilCheck {
        /// Serial port of the node.
        #[arg(long, conflicts_with = "tcp")]
        port: Option<String>,
        /// TCP API of the node, HOST[:PORT].
        #[arg(long)]
        tcp: Option<String>,
        /// Node to send the test message to (default: the most recently heard).
        #[arg(long)]
        to: Option<String>,
        /// Seconds to wait for the handshake and for the acknowledgement.
        #[arg(long, default_value_t = 60)]
        wait: u64,
    },
    /// Back up the store into DIR (new or empty), as of one instant: through the
    /// running daemon's admin console if one runs, else from the store itself.
    Backup {
        /// Where the backup goes (made 0700; refused if it holds anything).
        dir: PathBuf,
        /// The data directory (default: the config's data_dir).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Config file (default: ./meshmush.toml if present).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Restore the backup in DIR into the data directory, which must be new or empty
    /// and have no daemon running.
    Restore {
        /// The backup (a directory `meshmush backup` wrote).
        dir: PathBuf,
        /// The data directory to fill (default: the config's data_dir).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Config file (default: ./meshmush.toml if present).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Write the store as JSON lines to standard output (inspection), through the
    /// running daemon if one runs.
    Export {
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
        /// Include password hashes (left out by default).
        #[arg(long)]
        with_secrets: bool,
    },
    /// Talk to the running daemon's admin console (a socket in its data directory):
    /// status, players, post BOARD TEXT, delete BOARD N, mail PLAYER TEXT, wall TEXT,
    /// ban, unban, repin, reload, token (create NAME --scopes read,post,mail,wall, list,
    /// revoke NAME: the HTTP API's tokens). With no daemon, status and players read the
    /// store; any command exits non-zero when no daemon answers.
    Admin {
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
        /// The console command and its words, e.g. `post general Hello all`.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        words: Vec<String>,
    },
    /// Forget a node's pinned key (its handset really changed); the next key it is
    /// seen with is pinned. Run it while the daemon is stopped.
    Repin {
        /// The node, `!1234abcd`.
        node: String,
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Args, Default)]
struct RunArgs {
    /// Config file (default: ./meshmush.toml if present, else built-in defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Data directory (overrides the config's data_dir).
    #[arg(long)]
    data: Option<PathBuf>,
    /// A serial port with a Meshtastic node, e.g. /dev/ttyUSB0, or `auto`.
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

impl Cli {
    /// True for the commands whose output is for a person at a terminal, where the
    /// daemon's info logs would only get in the way.
    pub fn is_interactive(&self) -> bool {
        matches!(self.command, Some(Command::Chat(_)))
    }
}

pub async fn dispatch(cli: Cli) -> Result<()> {
    match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Sim(args) => run_sim(args).await,
        Command::Chat(args) => crate::chat_cli::chat(args).await,
        Command::Run(args) => run_daemon(args).await,
        Command::Ports => list_ports().await,
        Command::CheckConfig { file } => {
            // Exactly what `run --config FILE` checks, with no node on its command line.
            let (cfg, _) = config_for_run(Some(&file), false).await?;
            print!(
                "{}",
                toml::to_string_pretty(&cfg).context("printing the config")?
            );
            Ok(())
        }
        Command::Backup { dir, data, config } => {
            let data = data_dir(data, config).await?;
            println!("{}", backup::backup(&data, &dir).await?);
            Ok(())
        }
        Command::Restore { dir, data, config } => {
            let data = data_dir(data, config).await?;
            println!("{}", backup::restore(&data, &dir).await?);
            Ok(())
        }
        Command::Export {
            data,
            config,
            with_secrets,
        } => {
            let data = data_dir(data, config).await?;
            print_lines(&backup::export(&data, with_secrets).await?)
        }
        Command::Repin { node, data, config } => repin(&node, data, config).await,
        Command::Admin {
            data,
            config,
            words,
        } => admin(data, config, &words.join(" ")).await,
        Command::Bench { words } => bench(&words),
        Command::HilCheck {
            port,
            tcp,
            to,
            wait,
        } => hil_check(port, tcp, to, wait).await,
    }
}

/// `meshmush bench` is a binary of its own now, so the daemon's build carries neither
/// the bench nor the store's bench seams: say where it went.
fn bench(words: &[String]) -> Result<()> {
    let mut line = String::from("cargo run --release -p meshmush-bench --");
    for word in words {
        line.push(' ');
        line.push_str(word);
    }
    bail!("the bench is its own binary now; run: {line}")
}

/// Reads `path`, or `./meshmush.toml` when it exists, or the defaults, for the
/// operator's tools (which need no node).
async fn load_config(path: Option<&Path>) -> Result<Config> {
    let Some((text, path)) = read_config(path).await? else {
        return Ok(Config::default());
    };
    Config::from_toml(&text, &path).map_err(|e| report(&path, e))
}

/// The config `run` uses, and the file it came from (`None`: the built-in defaults),
/// checked as `run` checks it ([`Config::for_run`]; `node_given`: its command line
/// names a node). `check-config` calls this too. Every problem is printed, one a line.
async fn config_for_run(
    path: Option<&Path>,
    node_given: bool,
) -> Result<(Config, Option<PathBuf>)> {
    let Some((text, path)) = read_config(path).await? else {
        return Ok((Config::default(), None));
    };
    match Config::for_run(&text, &path, node_given) {
        Ok(cfg) => Ok((cfg, Some(path))),
        Err(e) => Err(report(&path, e)),
    }
}

/// The text of `path`, or of `./meshmush.toml` when it exists; `None`: neither.
async fn read_config(path: Option<&Path>) -> Result<Option<(String, PathBuf)>> {
    let default = Path::new("meshmush.toml");
    let path = match path {
        Some(p) => p,
        None if tokio::fs::try_exists(default).await.unwrap_or(false) => default,
        None => return Ok(None),
    };
    let text = tokio::fs::read_to_string(path)
        .await
        .map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(Some((text, path.to_path_buf())))
}

/// Prints each of a config file's problems on its own line (standard error), and
/// sums them up as the command's error.
fn report(path: &Path, errors: ConfigErrors) -> anyhow::Error {
    for e in &errors.0 {
        eprintln!("{e}");
    }
    let n = errors.0.len();
    anyhow!(
        "{} has {n} problem{}; nothing was started",
        path.display(),
        if n == 1 { "" } else { "s" }
    )
}

async fn list_ports() -> Result<()> {
    let ports = meshmush::ports::list()
        .await
        .context("listing serial ports")?;
    print!("{}", meshmush::ports::report(&ports));
    Ok(())
}

async fn hil_check(
    port: Option<String>,
    tcp: Option<String>,
    to: Option<String>,
    wait: u64,
) -> Result<()> {
    let transport = match (port, tcp) {
        (Some(p), _) => Transport::parse(&p),
        (None, Some(t)) => Transport::tcp(t.strip_prefix("tcp:").unwrap_or(&t)),
        (None, None) => bail!("give the node: --port /dev/ttyUSB0 or --tcp HOST[:PORT]"),
    };
    let to = match to {
        Some(id) => Some(
            parse_node_id(&id)
                .ok_or_else(|| anyhow!("--to {id:?} is not a node id like !1234abcd"))?,
        ),
        None => None,
    };
    let report = meshmush::hilcheck::run(
        LinkConfig::new(transport),
        to,
        std::time::Duration::from_secs(wait),
    )
    .await;
    print!("{}", report.text());
    if !report.passed {
        bail!("hil-check failed");
    }
    Ok(())
}

async fn open_store(data: Option<PathBuf>, config: Option<PathBuf>) -> Result<Store> {
    let cfg = load_config(config.as_deref()).await?;
    let dir = data.unwrap_or(cfg.data_dir);
    Store::open_existing(&dir, StoreOptions::default())
        .await
        .with_context(|| format!("opening the store in {}", dir.display()))
}

/// Prints `lines` to standard output; a reader that stops early (`| head`) ends it
/// quietly.
fn print_lines(lines: &[String]) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = lines
        .iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("writing to standard output")
        }
        _ => Ok(()),
    }
}

/// `--data`, or the data directory of the config (`--config`, `./meshmush.toml`, or
/// the defaults).
async fn data_dir(data: Option<PathBuf>, config: Option<PathBuf>) -> Result<PathBuf> {
    match data {
        Some(dir) => Ok(dir),
        None => Ok(load_config(config.as_deref()).await?.data_dir),
    }
}

async fn admin(data: Option<PathBuf>, config: Option<PathBuf>, line: &str) -> Result<()> {
    let dir = data_dir(data, config).await?;
    let answer = meshmush::admin::client::ask_or_read(&dir, line).await?;
    println!("{}", answer.text);
    if !answer.ok {
        bail!("the console refused that");
    }
    if answer.offline {
        // Read from the store, but a health check must see the daemon is down.
        bail!("the daemon is not running");
    }
    Ok(())
}

async fn repin(node: &str, data: Option<PathBuf>, config: Option<PathBuf>) -> Result<()> {
    let num =
        parse_node_id(node).ok_or_else(|| anyhow!("{node:?} is not a node id like !1234abcd"))?;
    let store = open_store(data, config).await?;
    if store.unpin(num).await? {
        println!("{node}: key forgotten; the next key it uses is pinned");
    } else {
        println!("{node}: no key was pinned");
    }
    store.close().await?;
    Ok(())
}

async fn run_daemon(args: RunArgs) -> Result<()> {
    let node_given = args.port.is_some() || args.tcp.is_some() || args.sim;
    let (cfg, file) = config_for_run(args.config.as_deref(), node_given).await?;
    let data_dir = args.data.clone().unwrap_or_else(|| cfg.data_dir.clone());
    let from_file = cfg.link.first();
    if args.port.is_none() && args.tcp.is_none() && !args.sim && cfg.link.needs_build() {
        let links = meshmush::links::build(&cfg, &data_dir)
            .await
            .context("setting up the links")?;
        return serve(cfg, &data_dir, links, None).await;
    }
    let port = args.port.clone().or_else(|| from_file.port.clone());
    let tcp = args.tcp.clone().or_else(|| from_file.tcp.clone());
    let (transport, mesh) = match (port, tcp) {
        (Some(port), _) if port == "auto" => {
            let ports = meshmush::ports::list()
                .await
                .context("listing serial ports")?;
            let chosen = meshmush::ports::pick(&ports).map_err(|e| anyhow!(e))?;
            info!(port = %chosen.path, board = chosen.board.unwrap_or(""), "picked serial port");
            (Transport::Serial(chosen.path.clone()), None)
        }
        (Some(port), _) => (Transport::Serial(port), None),
        (None, Some(addr)) => (Transport::tcp(&addr), None),
        (None, None) => {
            // A file that names no node was refused above (`Config::for_run`); with
            // no file, or `sim = true`, or `--sim`, the BBS serves the software mesh.
            debug_assert!(file.is_none() || from_file.sim || args.sim);
            let mesh = start_mesh(&args.mesh).await?;
            let gw = mesh.gateway();
            if let (Some(h), Some(last)) = (mesh.handsets().first(), mesh.handsets().last()) {
                // `meshtastic --sendtext` exits before the reply comes: the official
                // client's library, through the tests' script, prints it.
                println!(
                    "talk to the BBS as {}, in another terminal: cargo run --release -p meshmush -- chat\n\
                     (or the official Python client, in the repository: target/py-venv/bin/python \
                     tests/scripts/handset_session.py {} {} '{}' 60 help)",
                    h.long_name,
                    connect_ip(last.addr.ip()),
                    last.addr.port(),
                    gw.id()
                );
            }
            (Transport::Tcp(gw.addr.to_string()), Some(mesh))
        }
    };
    let mut link_cfg = cfg.link_config(transport);
    if mesh.is_some() {
        link_cfg.airtime_scale = args.mesh.time_scale;
    }
    serve(cfg, &data_dir, vec![link_cfg], mesh).await
}

/// Where a client on this host connects to a node listening on `ip`: loopback for a
/// node listening on every address (`--listen 0.0.0.0:4403`, as in a container).
fn connect_ip(ip: std::net::IpAddr) -> std::net::IpAddr {
    if ip.is_unspecified() {
        std::net::Ipv4Addr::LOCALHOST.into()
    } else {
        ip
    }
}

/// Runs the daemon on `links` until Ctrl-C or a fatal stop.
async fn serve(
    cfg: meshmush::config::Config,
    data_dir: &std::path::Path,
    links: Vec<meshmush_firmware_bridge::link::LinkConfig>,
    mesh: Option<meshmush_firmware_bridge::sim::Mesh>,
) -> Result<()> {
    println!("data in {}; Ctrl-C to stop", data_dir.display());
    let app = App::start(cfg, data_dir, links, StoreOptions::default())
        .await
        .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    let stopped = tokio::select! {
        _ = shutdown_signal() => None,
        why = app.stopped() => Some(why),
    };
    info!(?stopped, "shutting down");
    app.shutdown().await?;
    if let Some(mesh) = mesh {
        mesh.shutdown().await;
    }
    if let Some(why) = stopped.filter(|w| w.is_failure()) {
        bail!("the daemon stopped: {why:?}");
    }
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
