//! The short soak, run by the README's test command: four simulated hours of ten
//! handsets with faults. The long one (48 simulated hours) is
//! `cargo run --release -p meshmush-tests --example soak -- 48`.

use meshmush_tests::soak::{SoakConfig, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_simulated_hours_with_faults() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = SoakConfig {
        handsets: 10,
        sim_hours: 4,
        only: None,
    };
    let report = run(&cfg, dir.path()).await.expect("soak runs");
    eprintln!("{}", report.summary());
    assert_eq!(report.commands, 4 * 12 * 10);
    assert!(report.lost.is_empty(), "unanswered: {:?}", report.lost);
    assert_eq!(report.answered, report.commands);
    assert_eq!(report.doubled, 0, "replies came twice");
    assert!(report.faults >= 50);
    assert!(report.daemon_alive, "the daemon died");
}
