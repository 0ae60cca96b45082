//! The footprint target ("peak RSS < 25 MB with 10,000 players and 100,000 posts") is
//! about a daemon, not about a bench that has built stores and served a thousand
//! players before: the allocator keeps what those left behind. So the bench runs
//! this binary again, as `meshmush-bench --footprint DESIGN:PLAYERS:DIR` (a hidden
//! flag), which serves the store in DIR exactly as figure 4 does and reports its peak
//! RSS (VmHWM: the whole process, mesh and driver included, at its highest).

use std::path::Path;

use super::super::figures::{BenchError, Row, row};
use super::{Target, serve};
use meshmush_testkit::stats::peak_rss_kib;

/// The peak RSS in KiB of a fresh process serving the store in `dir`; `None` when
/// this is not the `meshmush-bench` binary (a `cargo bench` harness), which cannot be
/// asked to.
pub(crate) async fn measure(
    dir: &Path,
    players: u32,
    naive: bool,
) -> Result<Option<u64>, BenchError> {
    let exe = std::env::current_exe().map_err(BenchError::io("this binary's path"))?;
    if exe.file_stem().and_then(|s| s.to_str()) != Some("meshmush-bench") {
        return Ok(None);
    }
    let json = dir.with_extension("json");
    let design = if naive { "naive" } else { "designed" };
    let spec = format!("{design}:{players}:{}", dir.display());
    let mut cmd = std::process::Command::new(exe);
    cmd.args(["--footprint", &spec, "--json"])
        .arg(&json)
        .env("RUST_LOG", "warn,meshmush::lagprobe=error");
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await?
        .map_err(BenchError::io("running the footprint process"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(BenchError::Failed(format!(
            "footprint run failed: {}",
            err.trim()
        )));
    }
    let text = tokio::fs::read_to_string(&json)
        .await
        .map_err(BenchError::io(format!("reading {}", json.display())))?;
    let report: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| BenchError::Failed(format!("footprint run wrote {text}: {e}")))?;
    let kib = report["rows"][0]["value"]
        .as_f64()
        .ok_or_else(|| BenchError::Failed(format!("footprint run wrote {text}")))?;
    Ok(Some(kib as u64))
}

/// The child's side: serves the store named by `spec` (`DESIGN:PLAYERS:DIR`) and
/// reports its peak RSS, in KiB, as the one row.
pub(crate) async fn child(spec: &str) -> Result<Vec<Row>, BenchError> {
    let bad = || {
        BenchError::Failed(format!(
            "--footprint wants DESIGN:PLAYERS:DIR, got {spec:?}"
        ))
    };
    let mut parts = spec.splitn(3, ':');
    let (Some(design), Some(players), Some(dir)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let naive = match design {
        "designed" => false,
        "naive" => true,
        _ => return Err(bad()),
    };
    let players: u32 = players.parse().map_err(|_| bad())?;
    let target = Target {
        dir: dir.into(),
        players,
        naive,
    };
    serve(&[target], 200, 2000).await?;
    let peak = peak_rss_kib().await.unwrap_or(0);
    Ok(vec![row("peak RSS", design, peak as f64, "KiB")])
}
