//! The `meshmush admin` side of the console: sends one line to the daemon's socket
//! and reads its answer. When no daemon runs, `players` and `status` are answered
//! from the store itself (read-only); anything else says the daemon is not running.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;

use super::console::players_text;
use super::{Answer, SOCKET};
use crate::commands::split_command;
use meshmush_store::{Store, StoreError, StoreOptions};

/// Why the console could not answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the daemon is not running (no console at {0})")]
    NotRunning(PathBuf),
    // The source is printed after this by whoever shows the chain (anyhow does).
    #[error("the console at {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the daemon's answer was not understood")]
    BadAnswer,
    #[error("the daemon is not running, and its store could not be read")]
    Store(#[from] StoreError),
}

/// Sends `line` to the daemon whose data directory is `dir`.
pub async fn ask(dir: &Path, line: &str) -> Result<Answer, ClientError> {
    let path = dir.join(SOCKET);
    let io = |source| ClientError::Io {
        path: path.clone(),
        source,
    };
    let mut stream = match UnixStream::connect(&path).await {
        Ok(s) => s,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused) => {
            return Err(ClientError::NotRunning(path));
        }
        Err(e) => return Err(io(e)),
    };
    let mut out = line.replace('\n', " ");
    out.push('\n');
    stream.write_all(out.as_bytes()).await.map_err(io)?;
    let mut answer = String::new();
    BufReader::new(stream)
        .read_line(&mut answer)
        .await
        .map_err(io)?;
    serde_json::from_str(&answer).map_err(|_| ClientError::BadAnswer)
}

/// Whether a daemon answers on the console socket in `dir`.
pub async fn daemon_runs(dir: &Path) -> bool {
    UnixStream::connect(dir.join(SOCKET)).await.is_ok()
}

/// Asks the daemon; with none running, answers the read-only commands from the store
/// in `dir`.
pub async fn ask_or_read(dir: &Path, line: &str) -> Result<Answer, ClientError> {
    match ask(dir, line).await {
        Err(ClientError::NotRunning(path)) => {
            let (word, _) = split_command(line);
            match word.to_lowercase().as_str() {
                "players" => {
                    let store = Store::open_existing(dir, StoreOptions::default()).await?;
                    let text = players_text(&store).await;
                    store.close().await?;
                    Ok(Answer::offline(text?))
                }
                "status" => {
                    let store = Store::open_existing(dir, StoreOptions::default()).await?;
                    let t = store.totals().await;
                    store.close().await?;
                    let t = t?;
                    Ok(Answer::offline(format!(
                        "the daemon is not running (no console at {}).\nstore: {} players, {} posts, {} unread mails",
                        path.display(),
                        t.players,
                        t.posts,
                        t.mail_unread
                    )))
                }
                _ => Err(ClientError::NotRunning(path)),
            }
        }
        other => other,
    }
}
