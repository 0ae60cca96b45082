//! The admin socket in the daemon: `admin.sock` in the data directory, made owner-only
//! (0600) as soon as it exists, and a peer whose uid is not the socket owner's is
//! refused even if the file's mode was loosened. One line in, one JSON answer out.
//! At most [`MAX_CLIENTS`] connections are served at once (more wait in the kernel's
//! backlog), each gets [`READ_WAIT`] to send its line, and failed accepts (out of
//! file descriptors) are logged once per doubling, not once each.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use super::console::Console;
use super::{Answer, MAX_LINE, SOCKET};

/// Binds the socket in `dir` (replacing a stale one a crashed daemon left) and serves
/// it on `tasks` until `stop`; the socket file is removed on the way out.
pub async fn start(
    dir: &Path,
    console: Console,
    tasks: &TaskTracker,
    stop: CancellationToken,
) -> std::io::Result<PathBuf> {
    let path = dir.join(SOCKET);
    if tokio::fs::symlink_metadata(&path).await.is_ok() {
        // Only one daemon may use a data directory (the store is locked), so a socket
        // here is a dead daemon's.
        tokio::fs::remove_file(&path).await?;
    }
    let listener = UnixListener::bind(&path)?;
    tokio::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).await?;
    let owner = tokio::fs::metadata(&path).await?.uid();
    info!(socket = %path.display(), "admin console listening");
    let (task_stop, task_path, inner_tasks) = (stop.clone(), path.clone(), tasks.clone());
    let clients = Arc::new(Semaphore::new(MAX_CLIENTS));
    tasks.spawn(async move {
        let mut failed: u64 = 0;
        loop {
            let stream = tokio::select! {
                s = listener.accept() => s,
                _ = task_stop.cancelled() => break,
            };
            match stream {
                Ok((stream, _)) => {
                    let Ok(slot) = clients.clone().acquire_owned().await else {
                        break;
                    };
                    let console = console.clone();
                    inner_tasks.spawn(async move {
                        serve(stream, console, owner).await;
                        drop(slot);
                    });
                }
                Err(e) => {
                    failed += 1;
                    if failed.is_power_of_two() {
                        warn!(error = %e, failed, "admin socket accept failed");
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        let _ = tokio::fs::remove_file(&task_path).await;
    });
    Ok(path)
}

/// Connections served at once.
const MAX_CLIENTS: usize = 64;

/// How long a client may take to send its line.
const READ_WAIT: Duration = Duration::from_secs(5);

/// Answers one connection: refuses a peer that is not the owner (after reading its
/// line, so it hears why rather than a broken pipe).
async fn serve(stream: UnixStream, console: Console, owner: u32) {
    let peer = stream.peer_cred().map(|c| c.uid());
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let mut reader = BufReader::new(read).take(MAX_LINE as u64 + 1);
    match tokio::time::timeout(READ_WAIT, reader.read_line(&mut line)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            debug!(error = %e, "admin socket read failed");
            return;
        }
        Err(_) => {
            debug!("admin socket: no line in time");
            return;
        }
    }
    let answer = match peer {
        Ok(uid) if uid == owner => {
            if line.len() > MAX_LINE {
                Answer::refused("that line is too long")
            } else {
                console.answer(line.trim()).await
            }
        }
        Ok(uid) => {
            warn!(
                uid,
                "admin socket: a user other than the daemon's was refused"
            );
            Answer::refused("only the daemon's own user may use this console")
        }
        Err(e) => {
            warn!(error = %e, "admin socket: cannot tell who connected; refused");
            Answer::refused("cannot tell who you are")
        }
    };
    let mut out = serde_json::to_string(&answer).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    if let Err(e) = write.write_all(out.as_bytes()).await {
        debug!(error = %e, "admin socket write failed");
    }
    let _ = write.shutdown().await;
}
