//! The system programs some tests need (mosquitto, chromium, tmux, curl), from Debian's
//! archive. This is the one place a test installs anything: it says so on stderr before
//! it does, installs only as root (as `.ci/run` runs, which installs them before the
//! tests start), and otherwise says how to install them. One install at a time in a
//! test binary; apt's own lock keeps two binaries apart.

use std::process::{Command, Stdio};
use std::sync::Mutex;

/// A program and the Debian package that has it.
#[derive(Debug, Clone, Copy)]
pub struct Package {
    /// Where the program may be, in order (a name on `PATH`, or a full path).
    pub programs: &'static [&'static str],
    /// Arguments that make it print its version and exit 0.
    pub probe: &'static [&'static str],
    pub package: &'static str,
    /// Which tests need it, for the message.
    pub needed_by: &'static str,
}

/// The MQTT broker (Debian keeps it in `/usr/sbin`, off a user's `PATH`).
pub const MOSQUITTO: Package = Package {
    programs: &["/usr/sbin/mosquitto", "mosquitto"],
    probe: &["-h"],
    package: "mosquitto",
    needed_by: "the MQTT tests",
};

/// The headless browser of the status page test.
pub const CHROMIUM: Package = Package {
    programs: &["chromium", "chromium-browser"],
    probe: &["--version"],
    package: "chromium",
    needed_by: "the status page's browser test",
};

/// The real terminal of `meshmush chat`'s interactive test.
pub const TMUX: Package = Package {
    programs: &["tmux"],
    probe: &["-V"],
    package: "tmux",
    needed_by: "the chat prompt's terminal test",
};

/// A real HTTP client, for the API's tests (code we did not write on the other end).
pub const CURL: Package = Package {
    programs: &["curl"],
    probe: &["--version"],
    package: "curl",
    needed_by: "the HTTP API's tests",
};

static INSTALLING: Mutex<()> = Mutex::new(());

impl Package {
    /// The first of its programs that runs, if any.
    pub fn found(&self) -> Option<&'static str> {
        self.programs.iter().copied().find(|p| {
            // `-h` makes mosquitto print usage and exit 3: it ran, which is enough.
            Command::new(p)
                .args(self.probe)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok()
        })
    }

    /// The program, installed first if it is missing and we are root. Blocking: call it
    /// from `spawn_blocking` (or [`Package::ensure_async`]) in async code.
    pub fn ensure(&self) -> Result<&'static str, String> {
        if let Some(p) = self.found() {
            return Ok(p);
        }
        let _one = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = self.found() {
            return Ok(p);
        }
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let package = self.package;
        if !root {
            return Err(format!(
                "{package} is missing, needed by {}: sudo apt-get install {package}",
                self.needed_by
            ));
        }
        eprintln!(
            "meshmush tests: installing Debian's {package} with apt-get, needed by {} \
             (.ci/run installs it before the tests)",
            self.needed_by
        );
        let script = format!(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
             apt-get install -y -qq -o DPkg::Lock::Timeout=300 {package} >/dev/null"
        );
        let ok = Command::new("sh")
            .args(["-c", &script])
            .status()
            .is_ok_and(|s| s.success());
        match self.found() {
            Some(p) if ok => Ok(p),
            _ => Err(format!("apt-get could not install {package}")),
        }
    }

    /// [`Package::ensure`] on the blocking pool.
    pub async fn ensure_async(self) -> Result<&'static str, String> {
        tokio::task::spawn_blocking(move || self.ensure())
            .await
            .unwrap_or_else(|e| Err(format!("the install task failed: {e}")))
    }
}
