//! The crash test: the daemon, as a child process on a temporary data directory, takes
//! hundreds of writes that each got a confirming reply, is killed with SIGKILL at a
//! random moment, and after a restart every acknowledged write is there.

use std::time::Duration;

use crate::common::run_daemon;
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use meshmush_protocol::proto::config::lo_ra_config::RegionCode;

const WAIT: Duration = Duration::from_secs(15);

/// A writer this busy would be rate limited by the defaults.
const BUSY: &str = "[limits]\nburst = 1000\nper_minute = 100000\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    // US: no duty-cycle limit, so hundreds of replies are not held back by airtime.
    let mesh = Mesh::start(SimConfig {
        handsets: 1,
        region: RegionCode::Us,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let gw = mesh.gateway().addr.to_string();
    let bbs = mesh.gateway().num;
    let mut alice = Handset::connect(&mesh.handsets()[0]).await.unwrap();

    let mut child = run_daemon(&gw, &dir, BUSY);
    // The daemon is up when it answers.
    let mut up = false;
    for _ in 0..50 {
        if alice
            .ask(bbs, "ping", Duration::from_millis(300))
            .await
            .as_deref()
            == Some("pong")
        {
            up = true;
            break;
        }
    }
    assert!(up, "daemon never answered");
    alice.texts_until_quiet(Duration::from_millis(300)).await;

    let kill_after = rand::random_range(100..400);
    let mut acked = None;
    for i in 0..500 {
        let name = format!("Writer{i}");
        alice.send(bbs, &format!("name {name}")).await.unwrap();
        if i == kill_after {
            // Kill while this write is in flight.
            tokio::time::sleep(Duration::from_millis(rand::random_range(0..5))).await;
            child.start_kill().unwrap();
            break;
        }
        let reply = alice.next_text(WAIT).await.expect("a reply to every write");
        assert_eq!(reply.text, format!("You are now {name}."));
        acked = Some(i);
    }
    let status = child.wait().await.unwrap();
    assert!(!status.success(), "killed, not exited: {status:?}");
    let acked = acked.expect("some writes were acknowledged");
    alice.texts_until_quiet(Duration::from_millis(300)).await;

    let mut child = run_daemon(&gw, &dir, BUSY);
    let mut who = None;
    for _ in 0..50 {
        if let Some(r) = alice.ask(bbs, "whoami", Duration::from_millis(300)).await {
            who = Some(r);
            break;
        }
    }
    let who = who.expect("restarted daemon answers");
    // The last acknowledged write, or the one in flight at the kill: never older.
    let ok = [format!("Writer{acked} "), format!("Writer{} ", acked + 1)];
    assert!(
        ok.iter().any(|p| who.starts_with(p.as_str())),
        "after {acked} acks: {who}"
    );
    child.start_kill().unwrap();
    let _ = child.wait().await;
    mesh.shutdown().await;
}
