//! The hour's airtime survives a restart, as the operator reads it (`meshmush admin
//! status`): after a graceful restart, after a new start on the same data (what is
//! older than the hour no longer counts), and after the daemon is killed.

use std::path::Path;
use std::time::Duration;

use crate::common::{roomy, run_daemon};
use meshmush::admin::client::ask;
use meshmush::ledger::WRITE_EVERY;
use meshmush::store::{AirtimeMinute, Store, StoreOptions};
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_firmware_bridge::sim::{GATEWAY_NUM, Mesh, SimConfig};
use meshmush_testkit::Kit;

/// The airtime the console's `status` reports for this hour, in seconds.
fn hour_airtime(status: &str) -> f64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix("airtime: "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no airtime line in {status:?}"))
}

async fn status(data: &Path) -> String {
    let answer = ask(data, "status").await.expect("the console answers");
    assert!(answer.ok, "{answer:?}");
    answer.text
}

/// A daemon on the software mesh whose link models LongFast airtime (the kit's
/// default is instant air, which spends nothing).
async fn kit(data: &Path) -> Kit {
    Kit::builder(roomy())
        .handsets(1)
        .data(data)
        .daemon_link(|mut l| {
            l.airtime_scale = 1.0;
            l
        })
        .start()
        .await
        .expect("mesh, daemon and handset start")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_the_hours_airtime_and_forgets_what_is_older() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut w = kit(&data).await;
    for _ in 0..3 {
        w.ask(0, "ping").await;
    }
    let before = hour_airtime(&status(&data).await);
    assert!(
        before > 1.0,
        "three replies and a welcome on LongFast: {before}"
    );

    // Stopped and started as an operator's restart does: the same hour.
    let w = w.restart().await.expect("restarted");
    let after = hour_airtime(&status(&data).await);
    assert!(
        (after - before).abs() <= 0.1,
        "the restart forgot airtime: {before} s, then {after} s"
    );
    w.stop().await.expect("clean shutdown");

    // Half a minute spent ten minutes ago counts; 100 s two hours ago does not.
    let store = Store::open(&data, StoreOptions::default()).await.unwrap();
    let mut ledgers = store.airtime_ledgers().await.unwrap();
    assert_eq!(ledgers.len(), 1, "one node sent: {ledgers:?}");
    let mut ledger = ledgers.remove(0);
    assert_eq!(ledger.node, GATEWAY_NUM);
    let now = meshmush::commands::unix_now();
    for (ago, secs) in [(7200, 100), (600, 30)] {
        ledger.minutes.insert(
            0,
            AirtimeMinute {
                at: now - ago,
                class: 0,
                micros: secs * 1_000_000,
            },
        );
    }
    store.set_airtime_ledger(ledger).await.unwrap();
    store.close().await.unwrap();

    let w = kit(&data).await;
    let again = hour_airtime(&status(&data).await);
    assert!(
        (again - (before + 30.0)).abs() < 0.15,
        "{before} s before, 30 s ten minutes ago, nothing of two hours ago: {again}"
    );
    w.stop().await.expect("clean shutdown");
}

/// The console's status once the daemon's link is up.
async fn connected_status(data: &Path) -> String {
    for _ in 0..100 {
        if let Ok(a) = ask(data, "status").await
            && a.text.contains("link: connected")
        {
            return a.text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the daemon's link never came up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn airtime_written_before_a_kill_still_counts_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mesh = Mesh::start(SimConfig {
        handsets: 1,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let gw = mesh.gateway().addr.to_string();
    let bbs = mesh.gateway().num;
    let mut alice = Handset::connect(&mesh.handsets()[0]).await.unwrap();

    let mut child = run_daemon(&gw, &data, "[limits]\nburst = 100\n");
    connected_status(&data).await;
    for _ in 0..3 {
        let reply = alice.ask(bbs, "ping", Duration::from_secs(10)).await;
        assert!(reply.is_some(), "the daemon answers");
    }
    alice.texts_until_quiet(Duration::from_millis(500)).await;
    let before = hour_airtime(&status(&data).await);
    assert!(before > 1.0, "{before}");
    // The keeper writes every few seconds; a kill after that loses nothing.
    tokio::time::sleep(WRITE_EVERY + Duration::from_secs(2)).await;
    child.start_kill().unwrap();
    let killed = child.wait().await.unwrap();
    assert!(!killed.success(), "killed, not exited: {killed:?}");

    let mut child = run_daemon(&gw, &data, "[limits]\nburst = 100\n");
    let after = hour_airtime(&connected_status(&data).await);
    assert!(
        (after - before).abs() <= 0.1,
        "the kill lost airtime: {before} s, then {after} s"
    );
    child.start_kill().unwrap();
    let _ = child.wait().await;
    mesh.shutdown().await;
}
