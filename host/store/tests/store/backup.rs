//! Backups and restores at the store's API: a restored store holds exactly what was
//! backed up and makes no mail id twice; a backup taken while writers write is one
//! instant (a board's count matches its posts, every write answered before is in it);
//! a restore refuses a directory that is not empty and a backup that is damaged or
//! newer, before writing anything.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use meshmush_store::{
    BackupError, Board, Level, Mail, Post, SCHEMA_VERSION, Store, StoreOptions, restore,
};

async fn open(dir: &Path) -> Store {
    Store::open(dir, StoreOptions::default())
        .await
        .expect("store opens")
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn board(name: &str) -> Board {
    Board {
        name: name.into(),
        description: String::new(),
        read_level: Level::Player,
        post_level: Level::Player,
        next_num: 1,
        created: 0,
        urgent: false,
    }
}

fn post(board: &str, author: u32, text: &str) -> Post {
    Post {
        board: board.into(),
        num: 0,
        author,
        author_name: "Alice".into(),
        time: 100,
        subject: String::new(),
        text: text.into(),
        reply_to: None,
    }
}

fn mail(to: u32, text: &str) -> Mail {
    Mail {
        id: 0,
        to,
        from: 1,
        from_name: "Alice".into(),
        time: 100,
        subject: String::new(),
        text: text.into(),
        read: false,
        announced: false,
    }
}

/// A store with two players, three posts and three mails for Bob, opened once before,
/// as a daemon that was restarted: sled's id counter then starts at two million,
/// which is where a restored database's starts too once it is reopened.
async fn filled(dir: &Path) -> Store {
    open(dir).await.close().await.unwrap();
    let store = open(dir).await;
    store.create_player(1, "Alice", 10).await.unwrap();
    store.create_player(2, "Bob", 20).await.unwrap();
    store.ensure_boards(vec![board("general")]).await.unwrap();
    for n in 0..3 {
        store
            .add_post(post("general", 1, &format!("post {n}")), 500)
            .await
            .unwrap();
        store
            .send_mail(mail(2, &format!("mail {n}")))
            .await
            .unwrap();
    }
    store
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn set_manifest(dir: &Path, m: &serde_json::Value) {
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec(m).unwrap()).unwrap();
}

#[tokio::test]
async fn a_restored_store_holds_what_was_backed_up_and_reuses_no_mail_id() {
    let tmp = tempfile::tempdir().unwrap();
    let store = filled(&tmp.path().join("a")).await;
    let before = store.export_jsonl().await.unwrap();
    let backup = tmp.path().join("backup");
    let done = store.backup(&backup).await.expect("backup");
    store.close().await.unwrap();

    assert_eq!(mode(&backup), 0o700);
    for file in ["manifest.json", "records"] {
        assert_eq!(mode(&backup.join(file)), 0o600, "{file}");
    }
    let m = manifest(&backup);
    assert_eq!(m["format"], "meshmush-backup");
    assert_eq!(m["schema_version"], SCHEMA_VERSION);
    let trees = m["trees"].as_array().unwrap();
    assert_eq!(trees.len(), done.trees);
    let count = |name: &str| {
        trees
            .iter()
            .find(|t| t["name"] == name)
            .map(|t| t["records"].as_u64().unwrap())
    };
    assert_eq!(count("players"), Some(2));
    assert_eq!(count("mail"), Some(3));
    assert_eq!(count("posts"), Some(3));
    let sum: u64 = trees.iter().map(|t| t["records"].as_u64().unwrap()).sum();
    assert_eq!(sum, done.records);

    let data = tmp.path().join("restored");
    let restored = restore(&backup, &data).await.expect("restore");
    assert_eq!(
        (restored.trees, restored.records),
        (done.trees, done.records)
    );
    assert_eq!(mode(&data), 0o700);
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), want, "{}", path.display());
    }
    let again = Store::open_existing(&data, StoreOptions::default())
        .await
        .expect("the restored store opens");
    assert_eq!(again.export_jsonl().await.unwrap(), before);
    // sled's id counter starts again at 0 in the new database: a new mail must not
    // take an id (and so the key) of a restored one.
    let old = again.mailbox(2).await.unwrap();
    let new = again.send_mail(mail(2, "after the restore")).await.unwrap();
    assert!(old.iter().all(|m| m.id < new.id), "{old:?} {new:?}");
    let now = again.mailbox(2).await.unwrap();
    assert_eq!(now.len(), 4);
    assert_eq!(&now[..3], &old[..]);
    again.close().await.unwrap();
}

/// Four writers post as fast as they can while the backup runs: every post answered
/// before the backup began is in it, and each board's count (another tree, written
/// in the post's transaction) matches the posts the backup holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_writes_is_one_instant() {
    let tmp = tempfile::tempdir().unwrap();
    let store = open(&tmp.path().join("a")).await;
    let boards = ["general", "news"];
    store
        .ensure_boards(boards.iter().map(|b| board(b)).collect())
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let confirmed = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for w in 0..4u32 {
        let (store, stop, confirmed) = (store.clone(), stop.clone(), confirmed.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let b = boards[(w % 2) as usize];
                let p = store
                    .add_post(post(b, w, &format!("w{w} n{n}")), 100_000)
                    .await
                    .unwrap();
                confirmed.lock().unwrap().push((p.board, p.num));
                n += 1;
            }
        }));
    }
    while confirmed.lock().unwrap().len() < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before: Vec<(String, u64)> = confirmed.lock().unwrap().clone();
    let backup = tmp.path().join("backup");
    let done = store.backup(&backup).await.expect("backup");
    let during = confirmed.lock().unwrap().len();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let after = confirmed.lock().unwrap().len();
    assert!(after > during, "the writers went on after the backup");
    eprintln!(
        "{} posts before, {during} when it finished, {after} in all; writes paused {:?}",
        before.len(),
        done.paused
    );
    store.close().await.unwrap();

    let data = tmp.path().join("restored");
    restore(&backup, &data).await.expect("restore");
    let again = Store::open_existing(&data, StoreOptions::default())
        .await
        .unwrap();
    let mut held = BTreeSet::new();
    for b in boards {
        let posts = again.newest_posts(b.into(), usize::MAX).await.unwrap();
        let summary = again.board_summaries(1).await.unwrap();
        let total = summary.iter().find(|s| s.board.name == b).unwrap().total;
        assert_eq!(total, posts.len(), "{b}: the count and the posts agree");
        held.extend(posts.into_iter().map(|p| (p.board, p.num)));
    }
    for p in &before {
        assert!(held.contains(p), "{p:?} was answered before the backup");
    }
    again.close().await.unwrap();
}

#[tokio::test]
async fn restore_and_backup_fill_only_new_or_empty_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let store = filled(&tmp.path().join("a")).await;
    let backup = tmp.path().join("backup");
    store.backup(&backup).await.unwrap();
    // Not over another backup, nor beside someone's file.
    let again = store.backup(&backup).await;
    assert!(
        matches!(&again, Err(BackupError::TargetNotEmpty(p)) if p == &backup),
        "{again:?}"
    );
    store.close().await.unwrap();

    let has_store = tmp.path().join("a");
    let refused = restore(&backup, &has_store).await;
    assert!(
        matches!(refused, Err(BackupError::HasStore(_))),
        "{refused:?}"
    );
    let stray = tmp.path().join("stray");
    std::fs::create_dir(&stray).unwrap();
    std::fs::write(stray.join("notes.txt"), "mine").unwrap();
    let refused = restore(&backup, &stray).await;
    assert!(
        matches!(refused, Err(BackupError::DataNotEmpty(_))),
        "{refused:?}"
    );
    assert_eq!(std::fs::read_dir(&stray).unwrap().count(), 1);
    let file = stray.join("notes.txt");
    let refused = restore(&backup, &file).await;
    assert!(
        matches!(refused, Err(BackupError::NotADirectory(_))),
        "{refused:?}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    // The store that was there is untouched; an empty directory is filled.
    let old = Store::open_existing(&has_store, StoreOptions::default())
        .await
        .unwrap();
    assert_eq!(old.players_count().await.unwrap(), 2);
    old.close().await.unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    restore(&backup, &empty).await.expect("an empty directory");
}

/// Spoils a copy of a good backup.
type Spoil<'a> = Box<dyn Fn(&Path) + 'a>;

#[tokio::test]
async fn a_damaged_or_newer_backup_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let store = filled(&tmp.path().join("a")).await;
    let good = tmp.path().join("good");
    store.backup(&good).await.unwrap();
    store.close().await.unwrap();
    let records = std::fs::read(good.join("records")).unwrap();
    let m = manifest(&good);

    // Each case: a copy of the good backup, spoiled; the restore's error, said.
    let cases: Vec<(&str, Spoil, &str)> = vec![
        (
            "a flipped bit",
            Box::new(|d: &Path| {
                let mut r = records.clone();
                let at = r.len() / 2;
                r[at] ^= 0x10;
                std::fs::write(d.join("records"), r).unwrap();
            }),
            "damaged",
        ),
        (
            "cut short",
            Box::new(|d: &Path| {
                std::fs::write(d.join("records"), &records[..records.len() - 9]).unwrap();
            }),
            "damaged",
        ),
        (
            "a count that differs",
            Box::new(|d: &Path| {
                let mut m = m.clone();
                for t in m["trees"].as_array_mut().unwrap() {
                    if t["name"] == "players" {
                        t["records"] = 3.into();
                    }
                }
                set_manifest(d, &m);
            }),
            "tree `players` has 2 records, its manifest says 3",
        ),
        (
            "a newer schema",
            Box::new(|d: &Path| {
                let mut m = m.clone();
                m["schema_version"] = (SCHEMA_VERSION + 1).into();
                set_manifest(d, &m);
            }),
            "restore it with a newer meshmush",
        ),
        (
            "a newer format",
            Box::new(|d: &Path| {
                let mut m = m.clone();
                m["format_version"] = 2.into();
                set_manifest(d, &m);
            }),
            "format version 2",
        ),
        (
            "no manifest",
            Box::new(|d: &Path| std::fs::remove_file(d.join("manifest.json")).unwrap()),
            "no meshmush backup in",
        ),
    ];
    for (what, spoil, said) in cases {
        let copy = tmp.path().join("copy");
        let _ = std::fs::remove_dir_all(&copy);
        std::fs::create_dir(&copy).unwrap();
        for f in ["manifest.json", "records"] {
            std::fs::copy(good.join(f), copy.join(f)).unwrap();
        }
        spoil(&copy);
        let data = tmp.path().join("data");
        let err = restore(&copy, &data).await.expect_err(what);
        assert!(err.to_string().contains(said), "{what}: {err}");
        assert!(!data.exists(), "{what}: the data directory was made");
    }
}
