//! The daemon in a process of its own, for the forged-NodeInfo figure: its memory is
//! read from `/proc/PID/status` by the bench, so nothing of the bench (the forger, the
//! listener, their buffers) is counted in it.
//!
//! The bench runs this binary again as `meshmush-bench --hostile-daemon CONFIG` (a
//! hidden flag). The child starts the daemon from the config file exactly as
//! `meshmush run --config CONFIG` does with an MQTT `[link]` (config, then
//! `links::build`, then `App::start` on the default store options), and speaks a line
//! protocol on stdin and stdout:
//!
//! - it prints `ready` once the link is connected;
//! - to a line `stats` it answers `stats FRAMES_IN NODES`: the frames its link has read
//!   from the virtual node (one per NodeInfo the node passes on) and the nodes in the
//!   link's node database;
//! - when stdin closes it shuts down as on Ctrl-C (replies drained, store flushed) and
//!   prints `stopped`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::figures::BenchError;
use meshmush::app::App;
use meshmush::config::Config;
use meshmush::store::StoreOptions;

/// How long the child may take to connect, and to stop.
const STEP: Duration = Duration::from_secs(30);

/// The child's side: runs the daemon configured by `config` until stdin closes.
pub(crate) async fn serve(config: &Path) -> Result<(), BenchError> {
    let text = tokio::fs::read_to_string(config)
        .await
        .map_err(BenchError::io(format!("reading {}", config.display())))?;
    let cfg = Config::from_toml(&text, config).map_err(|e| BenchError::Failed(e.to_string()))?;
    let data = cfg.data_dir.clone();
    let links = meshmush::links::build(&cfg, &data)
        .await
        .map_err(|e| BenchError::Failed(format!("setting up the links: {e}")))?;
    let app = App::start(cfg, &data, links, StoreOptions::default())
        .await
        .map_err(|e| BenchError::Failed(format!("starting the daemon: {e}")))?;
    match tokio::time::timeout(STEP, app.link().connected()).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Err(BenchError::Failed(format!("the daemon's link: {e}"))),
        Err(_) => {
            return Err(BenchError::Failed(
                "the daemon's link did not connect".into(),
            ));
        }
    }
    // Rust's stdout is line-buffered, even into a pipe: each line goes at once.
    println!("ready");
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.trim() == "stats" {
            let m = app.link().metrics();
            println!("stats {} {}", m.frames_in, app.link().nodes().len());
        }
    }
    app.shutdown().await?;
    println!("stopped");
    Ok(())
}

/// What the child said to `stats`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Stats {
    pub frames_in: u64,
    pub nodes: u64,
}

/// Memory of a process, from `/proc/PID/status`, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Memory {
    /// `VmRSS`: resident now.
    pub rss: u64,
    /// `VmHWM`: resident at its highest so far.
    pub peak: u64,
}

/// The bench's side: a daemon running in a child process.
pub(super) struct Daemon {
    child: Child,
    pid: u32,
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
    log: PathBuf,
}

impl Daemon {
    /// Starts this binary as `--hostile-daemon config` and waits for `ready`; `None`
    /// when this is not the `meshmush-bench` binary (a `cargo bench` harness, which
    /// cannot be asked to). The child's log (warnings and up) goes to `log`.
    pub(super) async fn start(config: &Path, log: &Path) -> Result<Option<Self>, BenchError> {
        let exe = std::env::current_exe().map_err(BenchError::io("this binary's path"))?;
        if exe.file_stem().and_then(|s| s.to_str()) != Some("meshmush-bench") {
            return Ok(None);
        }
        let log_file = std::fs::File::create(log)
            .map_err(BenchError::io(format!("creating {}", log.display())))?;
        let mut child = Command::new(exe)
            .arg("--hostile-daemon")
            .arg(config)
            .env("RUST_LOG", "warn,meshmush_ops::lagprobe=error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true)
            .spawn()
            .map_err(BenchError::io("starting the daemon's process"))?;
        let (Some(pid), Some(stdin), Some(stdout)) =
            (child.id(), child.stdin.take(), child.stdout.take())
        else {
            return Err(BenchError::Failed(
                "the daemon's process has no pid or pipes".into(),
            ));
        };
        let mut daemon = Self {
            child,
            pid,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout).lines(),
            log: log.to_path_buf(),
        };
        daemon.expect("ready").await?;
        Ok(Some(daemon))
    }

    /// Waits for a line starting with `word`; the rest of it.
    async fn expect(&mut self, word: &str) -> Result<String, BenchError> {
        loop {
            let line = tokio::time::timeout(STEP, self.stdout.next_line()).await;
            match line {
                Ok(Ok(Some(line))) => {
                    if let Some(rest) = line.strip_prefix(word) {
                        return Ok(rest.trim().to_string());
                    }
                }
                Ok(Ok(None)) | Ok(Err(_)) => return Err(self.failed(word).await),
                Err(_) => return Err(self.failed(word).await),
            }
        }
    }

    /// Why the child said nothing: the tail of its log.
    async fn failed(&self, waiting_for: &str) -> BenchError {
        let log = tokio::fs::read_to_string(&self.log)
            .await
            .unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(5).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        BenchError::Failed(format!(
            "the daemon's process never said {waiting_for:?}; its log ends: {}",
            tail.join(" | ")
        ))
    }

    /// Asks the child for its link's counts.
    pub(super) async fn stats(&mut self) -> Result<Stats, BenchError> {
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(BenchError::Failed("the daemon is stopping".into()));
        };
        stdin
            .write_all(b"stats\n")
            .await
            .map_err(BenchError::io("asking the daemon's process"))?;
        let rest = self.expect("stats").await?;
        let mut words = rest.split_whitespace().map(str::parse::<u64>);
        match (words.next(), words.next()) {
            (Some(Ok(frames_in)), Some(Ok(nodes))) => Ok(Stats { frames_in, nodes }),
            _ => Err(BenchError::Failed(format!(
                "the daemon's process answered stats with {rest:?}"
            ))),
        }
    }

    /// The child's memory now.
    pub(super) async fn memory(&self) -> Result<Memory, BenchError> {
        let path = format!("/proc/{}/status", self.pid);
        let status = tokio::fs::read_to_string(&path)
            .await
            .map_err(BenchError::io(format!("reading {path}")))?;
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Ok(Memory {
            rss: field("VmRSS:"),
            peak: field("VmHWM:"),
        })
    }

    /// Closes the child's stdin, so it shuts down (store flushed), and waits for it.
    pub(super) async fn stop(mut self) -> Result<(), BenchError> {
        drop(self.stdin.take());
        let stopped = self.expect("stopped").await;
        match tokio::time::timeout(STEP, self.child.wait()).await {
            Ok(Ok(status)) if status.success() => stopped.map(drop),
            Ok(Ok(status)) => Err(BenchError::Failed(format!(
                "the daemon's process ended with {status}"
            ))),
            Ok(Err(e)) => Err(BenchError::io("waiting for the daemon's process")(e)),
            Err(_) => {
                let _ = self.child.kill().await;
                Err(BenchError::Failed(
                    "the daemon's process did not stop within 30 s".into(),
                ))
            }
        }
    }
}
