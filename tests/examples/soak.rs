//! The long soak: `cargo run --release -p meshmush-tests --example soak -- [HOURS] [HANDSETS]`
//! (default 48 simulated hours, 10 handsets; `SOAK_COMMAND=ping` sends only that). Exits non-zero unless every command was
//! answered once, the daemon stayed up, and peak memory grew by at most 10%.

use meshmush_tests::soak::{SoakConfig, run};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let sim_hours = args.next().and_then(|a| a.parse().ok()).unwrap_or(48);
    let handsets = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = SoakConfig {
        handsets,
        sim_hours,
        only: std::env::var("SOAK_COMMAND").ok(),
    };
    match run(&cfg, dir.path()).await {
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
