//! A full disk for real: the store on a small tmpfs that the test fills until the
//! kernel answers ENOSPC, then frees. Writes are refused with `StoreError::Full`,
//! every record answered as saved can still be read, and once there is room again
//! writes work in the same process, with nothing lost and the refused write gone.
//!
//! Mounting a tmpfs needs a mount namespace of our own: the test runs itself again
//! under `unshare --map-root-user --mount` (root, or unprivileged user namespaces).
//! Where that is not allowed it says so and passes, as the seam-driven daemon test
//! (`host/daemon/tests/full_disk.rs`) still runs everywhere.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use meshmush_store::{REOPEN_ROOM, Store, StoreError, StoreOptions};

/// Set (to the mount point) in the run inside the namespace.
const INSIDE: &str = "MESHMUSH_TEST_TMPFS";
/// The tmpfs: a few times what the store needs to reopen, so freeing the filler
/// leaves room.
const TMPFS_BYTES: u64 = 4 * REOPEN_ROOM;

#[test]
fn a_full_disk_refuses_writes_keeps_reads_and_recovers_without_a_restart() {
    let Some(mount) = std::env::var_os(INSIDE) else {
        return run_on_tmpfs(
            "a_full_disk_refuses_writes_keeps_reads_and_recovers_without_a_restart",
        );
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(on_tmpfs(PathBuf::from(mount)));
}

/// Runs `test` from this binary again inside a mount namespace with a tmpfs mounted
/// on a fresh temporary directory; skipped where no namespace can be had.
fn run_on_tmpfs(test: &str) {
    let may = Command::new("unshare")
        .args(["--map-root-user", "--mount", "true"])
        .status();
    if !may.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no private mount namespace here (unshare --map-root-user --mount)");
        return;
    }
    let mount = tempfile::tempdir().expect("mount point");
    let exe = std::env::current_exe().expect("this test binary");
    let size = format!("size={TMPFS_BYTES}");
    let script = r#"mount -t tmpfs -o "$1" meshmush-test "$2" || exit 77; shift 2; exec "$@""#;
    let status = Command::new("unshare")
        .args([
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            script,
            "sh",
            &size,
        ])
        .arg(mount.path())
        .arg(exe)
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(INSIDE, mount.path())
        .status()
        .expect("unshare runs");
    if status.code() == Some(77) {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    assert!(status.success(), "the run on the tmpfs failed: {status}");
}

/// Writes a file until the file system is full; returns its path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).expect("filler");
    let block = vec![0x5a_u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    // What is left is under one block; take it too.
    while f.write_all(&[0x5a]).is_ok() {}
    let _ = f.sync_all();
    path
}

fn name(n: u32) -> String {
    format!("Player{n}")
}

async fn on_tmpfs(mount: PathBuf) {
    let data = mount.join("data");
    let store = Store::open(&data, StoreOptions::default())
        .await
        .expect("store opens");
    let mut saved: Vec<u32> = Vec::new();
    for node in 1..=20 {
        store
            .create_player(node, &name(node), 100)
            .await
            .expect("room for the first");
        saved.push(node);
    }

    let filler = fill(&mount);
    // sled may still have room in the log segment it holds: write until it has not.
    let mut refused = None;
    for node in 21..10_000 {
        match store.create_player(node, &name(node), 100).await {
            Ok(_) => saved.push(node),
            Err(StoreError::Full) => {
                refused = Some(node);
                break;
            }
            Err(e) => panic!("a full disk is StoreError::Full, not {e}"),
        }
    }
    let refused = refused.expect("the disk filled up");
    assert!(store.is_full());

    // Reads go on: every player answered as saved is there.
    for &node in &saved {
        let p = store
            .player(node)
            .await
            .expect("reads work")
            .expect("saved");
        assert_eq!(p.name, name(node));
    }
    // Later writes are refused at once.
    assert!(matches!(
        store.create_player(50_000, "Late", 100).await,
        Err(StoreError::Full)
    ));
    assert!(store.full_refusals() >= 2);

    // Space returns: writes work again, in the same process.
    std::fs::remove_file(&filler).expect("filler removed");
    store
        .create_player(50_001, "Back", 100)
        .await
        .expect("writes work once space is back");
    assert!(!store.is_full());
    saved.push(50_001);
    assert_eq!(
        store.player(refused).await.expect("reads work"),
        None,
        "the write that met the full disk is not kept"
    );

    // And after a restart everything answered as saved is on disk.
    store.close().await.expect("closes");
    let store = Store::open(&data, StoreOptions::default())
        .await
        .expect("store opens again");
    for &node in &saved {
        assert!(
            store.player(node).await.expect("reads work").is_some(),
            "player {node} kept"
        );
    }
    assert_eq!(store.player(refused).await.expect("reads work"), None);
    assert_eq!(store.player(50_000).await.expect("reads work"), None);
    store.close().await.expect("closes");
}
