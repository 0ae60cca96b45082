//! The long soak: `cargo run --release -p meshmush-tests --example soak -- [HOURS] [HANDSETS]`
//! (default 48 measured simulated hours after 36 warm-up hours, 10 handsets;
//! `SOAK_WARMUP=H` changes the warm-up, `SOAK_COMMAND=ping` sends only that). Runs on
//! the daemon's runtime ([`meshmush::runtime`]). Exits non-zero unless every command
//! was answered once, the daemon stayed up, and the last measured hour's peak memory is
//! within 10% of the first's.

use meshmush_tests::soak::{SoakConfig, run};

fn main() {
    let mut args = std::env::args().skip(1);
    let sim_hours = args.next().and_then(|a| a.parse().ok()).unwrap_or(48);
    let handsets = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let warmup_hours = std::env::var("SOAK_WARMUP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(36);
    let cfg = SoakConfig {
        handsets,
        warmup_hours,
        sim_hours,
        only: std::env::var("SOAK_COMMAND").ok(),
    };
    let runtime = match meshmush::runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("soak could not start a runtime: {e}");
            std::process::exit(2);
        }
    };
    let dir = tempfile::tempdir().expect("temp dir");
    match runtime.block_on(run(&cfg, dir.path())) {
        Ok(r) => {
            println!("{}", r.summary());
            let ok =
                r.lost.is_empty() && r.doubled == 0 && r.daemon_alive && r.rss_growth() <= 0.10;
            println!("{}", if ok { "SOAK PASS" } else { "SOAK FAIL" });
            if !ok {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("soak could not run: {e}");
            std::process::exit(2);
        }
    }
}
