//! The short soak, run by the README's test command: ten handsets with faults, four
//! measured simulated hours after a warm-up, on the daemon's runtime. The long one (48
//! measured hours) is `cargo run --release -p meshmush-tests --example soak -- 48`.

use meshmush_tests::soak::{SoakConfig, run};

#[test]
fn four_simulated_hours_with_faults() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = SoakConfig {
        handsets: 10,
        warmup_hours: 12,
        sim_hours: 4,
        only: None,
    };
    let runtime = meshmush::runtime().expect("the daemon's runtime");
    let report = runtime.block_on(run(&cfg, dir.path())).expect("soak runs");
    eprintln!("{}", report.summary());
    assert_eq!(report.commands, 16 * 12 * 10);
    assert!(report.lost.is_empty(), "unanswered: {:?}", report.lost);
    assert_eq!(report.answered, report.commands);
    assert_eq!(report.doubled, 0, "replies came twice");
    assert!(report.faults >= 200);
    assert!(report.daemon_alive, "the daemon died");
    assert_eq!(report.measured_rss().len(), 4);
    assert!(
        report.rss_growth() <= 0.10,
        "memory grew {:+.1}% over the measured hours",
        report.rss_growth() * 100.0
    );
}
