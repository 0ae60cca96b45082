//! The scenario suite on real radios. Skipped (ignored) unless asked for:
//!
//! ```sh
//! MESHMUSH_HIL_GATEWAY=/dev/ttyUSB0 MESHMUSH_HIL_HANDSET=tcp:192.168.1.30 \
//!     cargo test -p meshmush-tests --test hil -- --ignored --nocapture
//! ```
//!
//! `MESHMUSH_HIL_GATEWAY` is the node the daemon uses, `MESHMUSH_HIL_HANDSET` a second
//! node on the same channel that plays the handset (serial path or `tcp:host[:port]`).
//! Only scenarios marked `hil: yes` run; waits are stretched by
//! `MESHMUSH_HIL_TIME_FACTOR` (default 12) for real airtime.

use std::path::PathBuf;

use meshmush_firmware_bridge::Transport;
use meshmush_tests::runner::{self, Radios};
use meshmush_tests::scenario::Scenario;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs two radios: set MESHMUSH_HIL_GATEWAY and MESHMUSH_HIL_HANDSET and run with --ignored"]
async fn scenarios_on_real_radios() {
    let (Ok(gateway), Ok(handset)) = (
        std::env::var("MESHMUSH_HIL_GATEWAY"),
        std::env::var("MESHMUSH_HIL_HANDSET"),
    ) else {
        panic!(
            "set MESHMUSH_HIL_GATEWAY and MESHMUSH_HIL_HANDSET (serial path or tcp:host[:port])"
        );
    };
    let time_factor = std::env::var("MESHMUSH_HIL_TIME_FACTOR")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let radios = Radios {
        gateway: Transport::parse(&gateway),
        handset: Transport::parse(&handset),
        time_factor,
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in files {
        let sc = Scenario::load(&path).expect("scenario parses");
        if !sc.hil {
            continue;
        }
        ran += 1;
        eprintln!("hil: {} ({})", sc.name, sc.title);
        let data = tempfile::tempdir().expect("temp dir");
        if let Err(e) = runner::run_hil(&sc, data.path(), radios.clone()).await {
            failures.push(e.to_string());
        }
    }
    eprintln!("{ran} scenarios on radios, {} failed", failures.len());
    assert!(ran > 0, "no scenario is marked hil: yes");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
