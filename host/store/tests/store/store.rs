//! The store as its users see it: players survive restarts and kills, names stay unique
//! and readable, bad data on disk is an error rather than a crash, and a slow disk never
//! holds up the runtime's worker threads.

use std::path::Path;
use std::time::Duration;

use meshmush_store::{Level, Player, SCHEMA_VERSION, Store, StoreError, StoreOptions};

async fn open(dir: &Path) -> Store {
    Store::open(dir, StoreOptions::default())
        .await
        .expect("store opens")
}

/// The database itself, bypassing the store, as a disk fault or an old build would
/// see it. Only ever opened while no `Store` has the directory.
fn raw(dir: &Path) -> sled::Db {
    // sled's background threads may hold the lock a moment after the store closed.
    for _ in 0..150 {
        if let Ok(db) = sled::open(dir) {
            return db;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    sled::open(dir).expect("raw sled opens")
}

/// Whether a call failed on the corrupt record written by the corruption test.
fn is_corrupt<T>(result: &Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::Corrupt { tree: "players", key, .. }) if key == "!00001a2b")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_player_survives_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    let alice = store.create_player(0x1a2b, "Alice", 100).await.unwrap();
    assert_eq!(
        alice,
        Player {
            node: 0x1a2b,
            name: "Alice".into(),
            password_hash: None,
            level: Level::Player,
            created: 100,
            last_seen: 100,
            banned: false,
        }
    );
    store.close().await.unwrap();

    let store = open(dir.path()).await;
    assert_eq!(store.player(0x1a2b).await.unwrap(), Some(alice.clone()));
    assert_eq!(store.player(0x1a2c).await.unwrap(), None);
    assert_eq!(store.players_count().await.unwrap(), 1);
    // Creating again returns the existing player unchanged.
    let again = store.create_player(0x1a2b, "Mallory", 999).await.unwrap();
    assert_eq!(again, alice);
    assert_eq!(store.players_count().await.unwrap(), 1);
}

#[tokio::test]
async fn names_are_unique_ignoring_case() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    assert_eq!(
        store.create_player(1, "Alice", 0).await.unwrap().name,
        "Alice"
    );
    assert_eq!(
        store.create_player(2, "alice", 0).await.unwrap().name,
        "alice-2"
    );
    assert_eq!(
        store.create_player(3, " ALICE ", 0).await.unwrap().name,
        "ALICE-3"
    );
    assert_eq!(
        store
            .create_player(4, "  Ada \t Love\u{7}lace ", 0)
            .await
            .unwrap()
            .name,
        "Ada Lovelace"
    );

    let by_name = |name: &'static str| {
        let store = store.clone();
        async move { store.player_by_name(name).await.unwrap().map(|p| p.node) }
    };
    assert_eq!(by_name("aLiCe").await, Some(1));
    assert_eq!(by_name("Alice-2").await, Some(2));
    assert_eq!(by_name("alice-3").await, Some(3));
    assert_eq!(by_name("ada lovelace").await, Some(4));
    assert_eq!(by_name("Bob").await, None);
}

#[tokio::test]
async fn reserved_and_empty_names_fall_back_to_the_node_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    assert_eq!(
        store.create_player(0x1a2b, "here", 0).await.unwrap().name,
        "Node1a2b"
    );
    // Same last four hex digits, so the fallback needs a suffix.
    assert_eq!(
        store
            .create_player(0xbeef_1a2b, " \t\u{0} ", 0)
            .await
            .unwrap()
            .name,
        "Node1a2b-2"
    );
    assert_eq!(
        store.create_player(0xabcd, "ME", 0).await.unwrap().name,
        "Nodeabcd"
    );
    for (node, word) in [
        (0x10, "Wizard"),
        (0x11, "EVERYONE"),
        (0x12, "you"),
        (0x13, ""),
    ] {
        let name = store.create_player(node, word, 0).await.unwrap().name;
        assert_eq!(name, format!("Node{node:04x}"), "{word:?}");
    }
}

#[tokio::test]
async fn a_player_who_spoke_before_their_node_announced_a_name_takes_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    // Spoke before the BBS heard a NodeInfo: named by node id, or the fallback.
    let early = store
        .create_player(0x4d4d_1002, "!4d4d1002", 0)
        .await
        .unwrap();
    assert_eq!(early.name, "!4d4d1002");
    store.create_player(0x1a2b, "", 0).await.unwrap();
    store.create_player(0xbeef_1a2b, "", 0).await.unwrap();
    store.create_player(7, "Bob", 0).await.unwrap();

    let bob = store.adopt_heard_name(0x4d4d_1002, "Bob").await.unwrap();
    assert_eq!(
        bob.map(|p| p.name).as_deref(),
        Some("Bob-2"),
        "Bob was taken"
    );
    assert_eq!(
        store.player_by_name("bob-2").await.unwrap().map(|p| p.node),
        Some(0x4d4d_1002)
    );
    assert_eq!(store.player_by_name("!4d4d1002").await.unwrap(), None);
    // Their own name now: a later NodeInfo (or a forged one) renames nothing.
    assert_eq!(
        store
            .adopt_heard_name(0x4d4d_1002, "Mallory")
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.adopt_heard_name(7, "Mallory").await.unwrap(), None);
    // A suffixed fallback is a stand-in too; a reserved or empty name is not a name.
    assert_eq!(
        store.adopt_heard_name(0xbeef_1a2b, "wizard").await.unwrap(),
        None
    );
    assert_eq!(
        store.adopt_heard_name(0xbeef_1a2b, " ").await.unwrap(),
        None
    );
    let carol = store.adopt_heard_name(0xbeef_1a2b, "Carol").await.unwrap();
    assert_eq!(carol.map(|p| p.name).as_deref(), Some("Carol"));
    assert_eq!(
        store.player(0x1a2b).await.unwrap().unwrap().name,
        "Node1a2b"
    );
    // No player, nothing made.
    assert_eq!(store.adopt_heard_name(0x99, "Dave").await.unwrap(), None);
    assert_eq!(store.player(0x99).await.unwrap(), None);
}

#[tokio::test]
async fn renaming_onto_a_taken_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    store.create_player(1, "Alice", 0).await.unwrap();
    let mut bob = store.create_player(2, "Bob", 0).await.unwrap();

    bob.name = "ALICE".into();
    match store.update_player(bob.clone()).await {
        Err(StoreError::NameTaken(name)) => assert_eq!(name, "ALICE"),
        other => panic!("expected NameTaken, got {other:?}"),
    }
    assert_eq!(store.player(2).await.unwrap().unwrap().name, "Bob");
    assert_eq!(
        store.player_by_name("alice").await.unwrap().unwrap().node,
        1
    );

    bob.name = "me".into();
    assert!(matches!(
        store.update_player(bob.clone()).await,
        Err(StoreError::InvalidName(_))
    ));

    // A rename to a free name frees the old one; a case-only rename is allowed.
    bob.name = "Robert".into();
    bob.level = Level::Builder;
    store.update_player(bob.clone()).await.unwrap();
    assert_eq!(store.player(2).await.unwrap(), Some(bob.clone()));
    assert_eq!(store.player_by_name("bob").await.unwrap(), None);
    assert_eq!(store.create_player(3, "bob", 0).await.unwrap().name, "bob");
    bob.name = "ROBERT".into();
    store.update_player(bob.clone()).await.unwrap();
    assert_eq!(store.player_by_name("robert").await.unwrap(), Some(bob));

    let ghost = Player {
        node: 99,
        ..store.player(1).await.unwrap().unwrap()
    };
    assert!(matches!(
        store.update_player(ghost).await,
        Err(StoreError::NoSuchPlayer(99))
    ));
}

#[tokio::test]
async fn the_name_index_and_the_players_stay_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    for node in 0..12u32 {
        store
            .create_player(node, ["Ann", "ann", "Cy", ""][node as usize % 4], 0)
            .await
            .unwrap();
    }
    for node in (0..12u32).step_by(3) {
        let mut player = store.player(node).await.unwrap().unwrap();
        player.name = format!("Renamed {node}");
        store.update_player(player).await.unwrap();
        // And one refused rename each, which must change nothing.
        let mut player = store.player(node).await.unwrap().unwrap();
        player.name = "cy".into();
        assert!(store.update_player(player).await.is_err());
    }
    store.close().await.unwrap();

    let names: Vec<(String, u32)> = {
        let db = raw(dir.path());
        let players = db.open_tree("players").unwrap();
        let index = db.open_tree("player_names").unwrap();
        assert_eq!(index.len(), players.len());
        index
            .iter()
            .map(|entry| {
                let (name, node) = entry.unwrap();
                assert!(
                    players.contains_key(&node).unwrap(),
                    "index points at a player"
                );
                let node = u32::from_be_bytes(node.as_ref().try_into().unwrap());
                (String::from_utf8(name.to_vec()).unwrap(), node)
            })
            .collect()
    };
    let store = open(dir.path()).await;
    assert_eq!(names.len(), 12);
    for (name, node) in names {
        let player = store.player_by_name(&name).await.unwrap().unwrap();
        assert_eq!((player.node, player.name.to_lowercase()), (node, name));
    }
}

#[tokio::test]
async fn a_newer_schema_on_disk_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    open(dir.path()).await.close().await.unwrap();
    {
        let db = raw(dir.path());
        let meta = db.open_tree("meta").unwrap();
        assert_eq!(
            meta.get("schema_version").unwrap().as_deref(),
            Some(&SCHEMA_VERSION.to_be_bytes()[..])
        );
        meta.insert("schema_version", &(SCHEMA_VERSION + 1).to_be_bytes()[..])
            .unwrap();
        db.flush().unwrap();
    }
    let error = Store::open(dir.path(), StoreOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::SchemaTooNew {
                found: 2,
                supported: 1
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("schema version 2"), "{message}");
    assert!(message.contains("newer meshmush"), "{message}");
}

#[tokio::test]
async fn corrupt_bytes_on_disk_are_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    store.create_player(0x1a2b, "Alice", 0).await.unwrap();
    store.close().await.unwrap();
    {
        let db = raw(dir.path());
        let players = db.open_tree("players").unwrap();
        players
            .insert(0x1a2bu32.to_be_bytes(), &[0xff, 0xfe, 0x00, 0x42][..])
            .unwrap();
        db.flush().unwrap();
    }

    let store = open(dir.path()).await;
    let read = store.player(0x1a2b).await;
    assert!(is_corrupt(&read), "{read:?}");
    assert!(read.unwrap_err().to_string().contains("corrupt record"));
    let by_name = store.player_by_name("alice").await;
    assert!(is_corrupt(&by_name), "{by_name:?}");
    let create = store.create_player(0x1a2b, "Alice", 0).await;
    assert!(is_corrupt(&create), "{create:?}");
    let export = store.export_jsonl().await;
    assert!(is_corrupt(&export), "{export:?}");
    // The rest of the store still works.
    assert_eq!(store.players_count().await.unwrap(), 1);
    assert_eq!(store.create_player(7, "Bob", 0).await.unwrap().name, "Bob");
}

#[tokio::test]
async fn an_acknowledged_write_survives_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    store.create_player(0x1a2b, "Alice", 5).await.unwrap();
    // No clean shutdown: copy the directory as a killed process would leave it.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), copy.path());
    let mut alice = {
        let reopened = open(copy.path()).await;
        let alice = reopened
            .player(0x1a2b)
            .await
            .unwrap()
            .expect("created player survives");
        assert_eq!(
            reopened.player_by_name("ALICE").await.unwrap(),
            Some(alice.clone())
        );
        reopened.close().await.unwrap();
        alice
    };

    alice.name = "Alicia".into();
    store.update_player(alice.clone()).await.unwrap();
    let copy = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), copy.path());
    let reopened = open(copy.path()).await;
    assert_eq!(reopened.player(0x1a2b).await.unwrap(), Some(alice));
    assert_eq!(reopened.player_by_name("alice").await.unwrap(), None);
    reopened.close().await.unwrap();
    store.close().await.unwrap();
}

#[tokio::test]
async fn without_flush_every_write_an_explicit_flush_is_durable() {
    let dir = tempfile::tempdir().unwrap();
    let opts = StoreOptions {
        flush_every_write: false,
        ..StoreOptions::default()
    };
    let store = Store::open(dir.path(), opts).await.unwrap();
    store.create_player(9, "Lazy", 0).await.unwrap();
    store.flush().await.unwrap();
    let copy = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), copy.path());
    let reopened = open(copy.path()).await;
    assert_eq!(reopened.player(9).await.unwrap().unwrap().name, "Lazy");
}

#[tokio::test]
async fn export_is_one_json_line_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    store.create_player(2, "Bob", 20).await.unwrap();
    store.create_player(1, "Alice", 10).await.unwrap();
    let lines = store.export_jsonl().await.unwrap();
    let values: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(values.len(), 3);
    assert_eq!(
        values[0],
        serde_json::json!({"record": "meta", "schema_version": 1})
    );
    assert_eq!(values[1]["record"], "player");
    assert_eq!(values[1]["node"], 1);
    assert_eq!(values[1]["name"], "Alice");
    assert_eq!(values[1]["level"], "player");
    assert_eq!(values[2]["name"], "Bob");
    assert!(lines.iter().all(|l| !l.contains('\n')));
}

// Needs the injected latency (the `seams` feature), which `cargo test --workspace` has:
// the test kit turns it on for the whole run.
#[cfg(feature = "seams")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_store_calls_never_block_the_runtime_workers() {
    use std::time::Instant;
    let dir = tempfile::tempdir().unwrap();
    let latency = Duration::from_millis(200);
    let opts = StoreOptions {
        latency: Some(latency),
        ..StoreOptions::default()
    };
    let store = Store::open(dir.path(), opts).await.unwrap();
    store.create_player(7, "Slow", 0).await.unwrap();

    let started = Instant::now();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.player(7).await })
        })
        .collect();
    // A task on the same two workers that only wants a 10 ms timer.
    let tick = tokio::spawn(async {
        let t = Instant::now();
        tokio::time::sleep(Duration::from_millis(10)).await;
        t.elapsed()
    })
    .await
    .unwrap();
    for call in calls {
        let player = call.await.unwrap().unwrap().expect("player found");
        assert_eq!(player.name, "Slow");
    }
    let all = started.elapsed();

    assert!(
        tick < Duration::from_millis(60),
        "a 10 ms timer took {tick:?}"
    );
    assert!(all >= latency, "the latency was applied: {all:?}");
    assert!(
        all < latency * 5,
        "20 calls ran side by side, not in turn: {all:?}"
    );
}

/// Issue 27 (9): the data directory holds password hashes and mail: 0700 when the
/// store makes it, and tightened when an operator made it with the default umask.
#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let fresh = tmp.path().join("fresh");
    open(&fresh).await.close().await.unwrap();
    assert_eq!(mode(&fresh), 0o700);
    let loose = tmp.path().join("loose");
    std::fs::create_dir(&loose).unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o755)).unwrap();
    open(&loose).await.close().await.unwrap();
    assert_eq!(mode(&loose), 0o700, "an existing directory is tightened");
}
