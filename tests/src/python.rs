//! The official Meshtastic Python client, in a virtual environment of our own.
//!
//! The environment lives under the cargo target directory (`py-venv/`), is created with
//! `python3 -m venv` and filled from PyPI on first use, and is reused after that. Set
//! `MESHMUSH_PYTHON_VENV` to use another one.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use tokio::process::Command;
use tokio::sync::Mutex;

/// The package version range the suites are known to pass with.
pub const MESHTASTIC_REQUIREMENT: &str = "meshtastic>=2.5,<3";

#[derive(Debug, thiserror::Error)]
pub enum PythonError {
    #[error("{what} failed to start: {source}")]
    Spawn {
        what: String,
        source: std::io::Error,
    },
    #[error("{what} failed ({status}):\n{stderr}")]
    Failed {
        what: String,
        status: String,
        stderr: String,
    },
    #[error("{what} did not finish within {secs} s")]
    Timeout { what: String, secs: u64 },
}

static SETUP: Mutex<()> = Mutex::const_new(());

/// A ready virtual environment with `meshtastic` installed.
#[derive(Debug, Clone)]
pub struct Venv {
    root: PathBuf,
}

fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    // tests/ sits in the workspace; the target directory is beside it.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
}

impl Venv {
    /// Creates the environment if needed (once per process), and returns it.
    pub async fn ensure() -> Result<Self, PythonError> {
        let _guard = SETUP.lock().await;
        let root = std::env::var_os("MESHMUSH_PYTHON_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| target_dir().join("py-venv"));
        let venv = Self { root };
        if tokio::fs::try_exists(venv.bin("meshtastic"))
            .await
            .unwrap_or(false)
        {
            return Ok(venv);
        }
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let root = venv.root.to_string_lossy().into_owned();
        run(
            Command::new(&python).args(["-m", "venv", &root]),
            "python3 -m venv",
            300,
        )
        .await?;
        run(
            Command::new(venv.bin("pip")).args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                MESHTASTIC_REQUIREMENT,
            ]),
            "pip install meshtastic",
            900,
        )
        .await?;
        Ok(venv)
    }

    /// Installs `requirements` (pip requirement strings) unless `probe` (a Python
    /// import line) already runs.
    pub async fn ensure_packages(
        &self,
        probe: &str,
        requirements: &[&str],
    ) -> Result<(), PythonError> {
        let _guard = SETUP.lock().await;
        let present = Command::new(self.bin("python"))
            .args(["-c", probe])
            .output()
            .await
            .is_ok_and(|o| o.status.success());
        if present {
            return Ok(());
        }
        let mut cmd = Command::new(self.bin("pip"));
        cmd.args(["install", "--quiet", "--disable-pip-version-check"])
            .args(requirements);
        run(
            &mut cmd,
            &format!("pip install {}", requirements.join(" ")),
            900,
        )
        .await?;
        Ok(())
    }

    pub fn bin(&self, name: &str) -> PathBuf {
        self.root.join("bin").join(name)
    }

    /// Runs the `meshtastic` command line with `args`; returns its standard output.
    pub async fn cli(&self, args: &[&str], timeout_secs: u64) -> Result<String, PythonError> {
        let out = run(
            Command::new(self.bin("meshtastic")).args(args),
            &format!("meshtastic {}", args.join(" ")),
            timeout_secs,
        )
        .await?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs a Python script inside the environment; returns its standard output.
    pub async fn script(
        &self,
        code: &str,
        args: &[&str],
        timeout_secs: u64,
    ) -> Result<String, PythonError> {
        let mut cmd = Command::new(self.bin("python"));
        cmd.arg("-c").arg(code).args(args);
        let out = run(&mut cmd, "python script", timeout_secs).await?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

async fn run(cmd: &mut Command, what: &str, timeout_secs: u64) -> Result<Output, PythonError> {
    cmd.kill_on_drop(true).stdin(std::process::Stdio::null());
    let child = cmd.output();
    let out = tokio::time::timeout(Duration::from_secs(timeout_secs), child)
        .await
        .map_err(|_| PythonError::Timeout {
            what: what.into(),
            secs: timeout_secs,
        })?
        .map_err(|source| PythonError::Spawn {
            what: what.into(),
            source,
        })?;
    if !out.status.success() {
        return Err(PythonError::Failed {
            what: what.into(),
            status: out.status.to_string(),
            stderr: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        });
    }
    Ok(out)
}
