//! Backups, restores and exports, for the operator: the console's `backup DIR` and
//! `export`, which the running daemon answers from its own open store, and the CLI's
//! `meshmush backup`, `restore` and `export`, which go through that console when a
//! daemon runs on the data directory and open the store themselves when none does.
//!
//! Why through the daemon: sled lets one process open a directory, so a tool that
//! opened the store beside the daemon would fail on the lock. The daemon takes the
//! backup through its store's write gate instead, one instant across all trees (see
//! `meshmush_store`'s `backup` module), and writes it where the operator said; the
//! daemon runs as the operator's user (the console checks), so it may write there.

use std::error::Error;
use std::path::{Path, PathBuf};

use meshmush_store::{BackedUp, BackupError, Restored, Store, StoreError, StoreOptions};

use super::Answer;
use super::client::{ClientError, ask};

/// Why a backup, restore or export from the command line failed.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// The console refused, or the daemon's backup failed: its words.
    #[error("{0}")]
    Refused(String),
    #[error(
        "a daemon is running on {0}: stop it first (restore only fills a new or empty \
         data directory)"
    )]
    DaemonRuns(PathBuf),
    #[error("the backup directory {0:?} must be a path in UTF-8 on one line")]
    BadPath(PathBuf),
    #[error(transparent)]
    Console(#[from] ClientError),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The console's `backup DIR`: the daemon writes a backup of its store into `DIR`
/// (an absolute path: the daemon's working directory is not the operator's).
pub async fn console_backup(store: &Store, rest: &str) -> Answer {
    let dir = Path::new(rest);
    if rest.is_empty() || !dir.is_absolute() {
        return Answer::refused("backup DIR (an absolute path, new or empty)");
    }
    match store.backup(dir).await {
        Ok(done) => Answer::ok(backed_up(&done, " through the running daemon")),
        Err(e) => Answer::refused(format!("backup failed: {}", chain(&e))),
    }
}

/// The console's `export` (`export secrets` keeps the password hashes): every record
/// as one JSON line, as of one instant.
pub async fn console_export(store: &Store, rest: &str) -> Answer {
    let secrets = match rest {
        "" => false,
        "secrets" => true,
        _ => return Answer::refused("export [secrets]"),
    };
    match store.export_jsonl().await {
        Ok(lines) => Answer::ok(redacted(lines, secrets).join("\n")),
        Err(e) => Answer::refused(format!("export failed: {}", chain(&e))),
    }
}

/// `meshmush backup DIR`: through the daemon on `data` if one runs, else from the
/// store itself (refusing a directory with none). The line to print.
pub async fn backup(data: &Path, dir: &Path) -> Result<String, ToolError> {
    let dir = std::path::absolute(dir).map_err(|_| ToolError::BadPath(dir.to_path_buf()))?;
    let Some(line) = dir.to_str().filter(|s| !s.contains(['\n', '\r'])) else {
        return Err(ToolError::BadPath(dir));
    };
    match ask(data, &format!("backup {line}")).await {
        Ok(answer) if answer.ok => Ok(answer.text),
        Ok(answer) => Err(ToolError::Refused(answer.text)),
        Err(ClientError::NotRunning(_)) => {
            let store = Store::open_existing(data, StoreOptions::default()).await?;
            let done = store.backup(dir).await;
            store.close().await?;
            Ok(backed_up(&done?, " (no daemon running)"))
        }
        Err(e) => Err(e.into()),
    }
}

/// `meshmush export`: the lines to print, through the daemon if one runs.
pub async fn export(data: &Path, secrets: bool) -> Result<Vec<String>, ToolError> {
    let line = if secrets { "export secrets" } else { "export" };
    match ask(data, line).await {
        Ok(answer) if answer.ok => Ok(answer.text.lines().map(str::to_string).collect()),
        Ok(answer) => Err(ToolError::Refused(answer.text)),
        Err(ClientError::NotRunning(_)) => {
            let store = Store::open_existing(data, StoreOptions::default()).await?;
            let lines = store.export_jsonl().await;
            store.close().await?;
            Ok(redacted(lines?, secrets))
        }
        Err(e) => Err(e.into()),
    }
}

/// `meshmush restore DIR`: the backup in `dir` into `data`, which must be new or
/// empty and have no daemon. The line to print.
pub async fn restore(data: &Path, dir: &Path) -> Result<String, ToolError> {
    if super::client::daemon_runs(data).await {
        return Err(ToolError::DaemonRuns(data.to_path_buf()));
    }
    let done = meshmush_store::restore(dir, data).await?;
    Ok(restored(&done, dir))
}

/// "backed up 24 trees, 3,402 records to DIR through the running daemon; writes
/// paused 2.1 ms"; `how` is how it was taken.
fn backed_up(b: &BackedUp, how: &str) -> String {
    format!(
        "backed up {} trees, {} records to {}{how}; writes paused {:.1} ms",
        b.trees,
        thousands(b.records),
        b.dir.display(),
        b.paused.as_secs_f64() * 1000.0
    )
}

/// "restored 24 trees, 3,402 records from DIR into DATA (backup of 2026-01-01 12:00
/// UTC, schema 1)".
fn restored(r: &Restored, dir: &Path) -> String {
    format!(
        "restored {} trees, {} records from {} into {} (backup of {}, schema {})",
        r.trees,
        thousands(r.records),
        dir.display(),
        r.data.display(),
        utc(r.created),
        r.schema_version
    )
}

/// An error and its causes, each once: "a: b: c".
fn chain(e: &dyn Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// `n` with thousands separators: 3402 -> "3,402".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Unix seconds as "YYYY-MM-DD HH:MM UTC" (Howard Hinnant's days-to-civil).
fn utc(secs: u64) -> String {
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// The export's lines, with password hashes left out unless `secrets`.
fn redacted(lines: Vec<String>, secrets: bool) -> Vec<String> {
    if secrets {
        return lines;
    }
    lines.into_iter().map(redact).collect()
}

/// A player line without its password hash.
fn redact(line: String) -> String {
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&line) else {
        return line;
    };
    match v.get_mut("password_hash") {
        Some(hash) if !hash.is_null() => *hash = serde_json::Value::from("(left out)"),
        _ => return line,
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_read_as_an_operator_writes_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3_402), "3,402");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400 + 3_661), "2000-02-29 01:01 UTC");
        assert_eq!(utc(1_767_225_600), "2026-01-01 00:00 UTC");
    }
}
