//! A real MQTT broker for the suites and the bench: Debian's `mosquitto`, installed with
//! apt-get when missing (as root, as `.ci/run` runs), started on a free loopback port
//! with a configuration of its own, and stopped when dropped.
//!
//! Persistence is on, so a restart ([`Mosquitto::restart`]) keeps the sessions of
//! clients that asked for a persistent one, and the messages queued for them, as a
//! broker in the field does.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    #[error("mosquitto is missing and could not be installed: {0}")]
    Missing(String),
    #[error("mosquitto failed to start: {0}")]
    Start(String),
}

/// A running broker on `127.0.0.1:port`.
#[derive(Debug)]
pub struct Mosquitto {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
    /// The broker's program, as [`crate::packages::MOSQUITTO`] found it.
    program: &'static str,
}

impl Mosquitto {
    /// Installs (if needed) and starts a broker on a free port.
    pub async fn start() -> Result<Self, BrokerError> {
        let program = ensure_installed().await?;
        let port = free_port().map_err(|e| BrokerError::Start(e.to_string()))?;
        let dir =
            std::env::temp_dir().join(format!("meshmush-mosquitto-{}-{port}", std::process::id()));
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| BrokerError::Start(e.to_string()))?;
        let conf = format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\n\
             persistence_location {dir}/\nmax_queued_messages 10000\n\
             log_dest file {dir}/mosquitto.log\n{user}",
            dir = dir.display(),
            // Started as root, mosquitto would switch to user `mosquitto`, which may not
            // write (its saved sessions) to our directory.
            user = if is_root().await { "user root\n" } else { "" },
        );
        tokio::fs::write(dir.join("mosquitto.conf"), conf)
            .await
            .map_err(|e| BrokerError::Start(e.to_string()))?;
        let mut broker = Self {
            port,
            dir,
            child: None,
            program,
        };
        broker.launch().await?;
        Ok(broker)
    }

    /// `127.0.0.1:port`
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    async fn launch(&mut self) -> Result<(), BrokerError> {
        let child = Command::new(self.program)
            .arg("-c")
            .arg(self.dir.join("mosquitto.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| BrokerError::Start(e.to_string()))?;
        self.child = Some(child);
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(BrokerError::Start(format!(
            "nothing listens on port {} after 5 s",
            self.port
        )))
    }

    /// Stops the broker as an operator would (SIGTERM: it saves its sessions).
    pub async fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Some(pid) = child.id() {
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()
                .await;
        }
        if tokio::time::timeout(Duration::from_secs(5), child.wait())
            .await
            .is_err()
        {
            let _ = child.kill().await;
        }
    }

    /// Stops the broker and starts it again on the same port.
    pub async fn restart(&mut self) -> Result<(), BrokerError> {
        self.stop().await;
        self.launch().await
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.start_kill();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn ensure_installed() -> Result<&'static str, BrokerError> {
    crate::packages::MOSQUITTO
        .ensure_async()
        .await
        .map_err(BrokerError::Missing)
}

async fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .await
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn free_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}
