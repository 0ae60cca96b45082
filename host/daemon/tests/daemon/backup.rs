//! `meshmush backup`, `restore` and `export` as an operator runs them (the real
//! binary): a backup taken through the running daemon while handsets post and mail
//! holds every record answered before it began, and a daemon started on its restore
//! has them all (and gives new mail ids of its own); without a daemon the tools open
//! the store themselves; a restore never fills a directory with anything in it; and
//! every refusal is one clear line and a non-zero exit.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{WAIT, roomy, world};
use meshmush::config::Config;
use meshmush::store::{Store, StoreOptions};
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_testkit::replies::collect;

/// Runs `meshmush ARGS...`: (exit ok, stdout, stderr). Async, so the daemon this
/// process runs goes on answering meanwhile.
async fn meshmush(args: &[&str]) -> (bool, String, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshmush"))
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .await
        .expect("the command runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// A refusal: a non-zero exit, and `said` once on standard error, as one plain line
/// (no Rust debug format).
fn refused((ok, out, err): (bool, String, String), said: &str) {
    assert!(!ok, "succeeded: {out}{err}");
    assert_eq!(err.matches(said).count(), 1, "{said:?} once: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("meshmush: "), "{err}");
    for debug in ["Os {", "Custom {", "kind:", "Error {"] {
        assert!(!err.contains(debug), "debug format: {err}");
    }
}

/// What a handset was told was done: a post's board number, or a mail, with its text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Done {
    Post(u64, String),
    Mail(String),
}

/// Handset `k` of the kit, in a loop until `stop`: posts on `general` (k < 2) or
/// mails Dave (k == 2), logging each thing the daemon answered as done.
async fn load(
    mut h: Handset,
    bbs: u32,
    k: usize,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<(usize, Done)>>>,
) -> Handset {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        let text = format!("load {k} {n}");
        let line = match k {
            0 | 1 => format!("post general {text}"),
            _ => format!("mail Dave {text}"),
        };
        h.send(bbs, &line).await.expect("the handset sends");
        let reply = collect(&mut h, WAIT, WAIT, |t| t.text.starts_with("New mail"))
            .await
            .unwrap_or_else(|| panic!("handset {k}: no reply to {line:?}"))
            .text();
        let done = if let Some(rest) = reply.strip_prefix("Posted to general as #") {
            let num = rest.trim_end_matches('.').parse().expect("a post number");
            Done::Post(num, text)
        } else {
            assert_eq!(reply, "Mail sent to Dave.", "handset {k}");
            Done::Mail(text)
        };
        log.lock().unwrap().push((k, done));
        n += 1;
    }
    h
}

fn load_config() -> Config {
    let mut cfg = roomy();
    meshmush_testkit::lift_limits(&mut cfg);
    cfg.bbs.mailbox_max = 100_000;
    cfg.bbs.posts_kept = 100_000;
    cfg
}

/// The round trip: three handsets post and mail as fast as the daemon answers
/// while `meshmush backup` runs through its admin socket; the backup is restored into
/// an empty directory, a daemon started there, and every post, mail and player
/// answered before the backup began is in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_restores_every_record_answered_before_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, dir) = (tmp.path().join("data"), tmp.path().join("backup"));
    let mut w = world(4, load_config(), &data, StoreOptions::default()).await;
    let players: Vec<String> = w
        .app
        .store()
        .player_lines(100)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(players, ["Alice", "Bob", "Carol", "Dave"]);
    let stop = Arc::new(AtomicBool::new(false));
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for (k, h) in std::mem::take(&mut w.handsets).into_iter().enumerate() {
        if k == 3 {
            tasks.push(tokio::spawn(async move { h }));
            continue;
        }
        tasks.push(tokio::spawn(load(h, w.bbs, k, stop.clone(), log.clone())));
    }
    let busy = |log: &Mutex<Vec<(usize, Done)>>, each: usize| {
        let log = log.lock().unwrap();
        (0..3).all(|k| log.iter().filter(|(who, _)| *who == k).count() >= each)
    };
    while !busy(&log, 5) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before: Vec<Done> = log.lock().unwrap().iter().map(|(_, d)| d.clone()).collect();
    let began = Instant::now();
    let (ok, out, err) = meshmush(&["backup", s(&dir), "--data", s(&data)]).await;
    let took = began.elapsed();
    let during = log.lock().unwrap().len() - before.len();
    assert!(ok, "{out}{err}");
    assert!(
        out.starts_with("backed up ") && out.contains("through the running daemon"),
        "{out}"
    );
    let at_end = log.lock().unwrap().len();
    while log.lock().unwrap().len() < at_end + 3 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap().link.shutdown().await;
    }
    eprintln!(
        "{} done before the backup, {during} while it ran ({took:?}), {} in all: {}",
        before.len(),
        log.lock().unwrap().len(),
        out.trim()
    );
    w.stop().await.expect("clean shutdown");

    let restored = tmp.path().join("restored");
    let (ok, out, err) = meshmush(&["restore", s(&dir), "--data", s(&restored)]).await;
    assert!(ok, "{out}{err}");
    assert!(
        out.starts_with("restored ") && out.contains(" records from "),
        "{out}"
    );

    // A daemon on the restored directory, on a new mesh of the same handsets.
    let mut w = world(4, load_config(), &restored, StoreOptions::default()).await;
    let store = w.app.store().clone();
    let names: Vec<String> = store
        .player_lines(100)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, players);
    let posts = store
        .newest_posts("general".into(), usize::MAX)
        .await
        .unwrap();
    let summary = store.board_summaries(0).await.unwrap();
    let total = summary
        .iter()
        .find(|b| b.board.name == "general")
        .unwrap()
        .total;
    assert_eq!(total, posts.len(), "the board's count and its posts agree");
    let dave = store.player_by_name("Dave").await.unwrap().unwrap().node;
    let mailbox = store.mailbox(dave).await.unwrap();
    for done in &before {
        match done {
            Done::Post(num, text) => assert!(
                posts.iter().any(|p| p.num == *num && &p.text == text),
                "post #{num} {text:?} is missing"
            ),
            Done::Mail(text) => assert!(
                mailbox.iter().any(|m| &m.text == text),
                "mail {text:?} is missing"
            ),
        }
    }
    // New mail takes an id of its own, not a restored mail's.
    assert_eq!(
        w.ask(0, "mail Dave after the restore").await,
        "Mail sent to Dave."
    );
    let now = store.mailbox(dave).await.unwrap();
    assert_eq!(now.len(), mailbox.len() + 1);
    assert!(
        mailbox.iter().all(|m| now.contains(m)),
        "a restored mail was replaced"
    );
    drop(store);
    w.stop().await.expect("clean shutdown");
}

/// A restore fills only a new or empty directory with no daemon: each refusal is one
/// line, and what was there is left as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_a_running_daemon_a_store_and_a_directory_in_use() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, dir) = (tmp.path().join("data"), tmp.path().join("backup"));
    let w = world(1, Config::default(), &data, StoreOptions::default()).await;
    let (ok, out, err) = meshmush(&["backup", s(&dir), "--data", s(&data)]).await;
    assert!(ok, "{out}{err}");
    // A second backup into the same directory: refused by the daemon, said once.
    refused(
        meshmush(&["backup", s(&dir), "--data", s(&data)]).await,
        "is not empty",
    );
    refused(
        meshmush(&["restore", s(&dir), "--data", s(&data)]).await,
        "a daemon is running on",
    );
    w.stop().await.expect("clean shutdown");
    refused(
        meshmush(&["restore", s(&dir), "--data", s(&data)]).await,
        "already holds a meshmush store",
    );
    let used = tmp.path().join("used");
    std::fs::create_dir(&used).unwrap();
    std::fs::write(used.join("notes.txt"), "mine").unwrap();
    refused(
        meshmush(&["restore", s(&dir), "--data", s(&used)]).await,
        "is not empty",
    );
    assert_eq!(std::fs::read_dir(&used).unwrap().count(), 1);
    refused(
        meshmush(&[
            "restore",
            s(&tmp.path().join("nothing")),
            "--data",
            s(&used),
        ])
        .await,
        "no meshmush backup in",
    );
    let store = Store::open_existing(&data, StoreOptions::default())
        .await
        .expect("the store that was there still opens");
    assert_eq!(store.players_count().await.unwrap(), 1);
    store.close().await.unwrap();
}

/// With no daemon, `backup` opens the store itself, and a directory with no store
/// is refused without leaving a store or a backup directory behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_daemon_backup_reads_the_store_and_refuses_a_directory_with_none() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, dir) = (tmp.path().join("data"), tmp.path().join("backup"));
    let mut w = world(1, Config::default(), &data, StoreOptions::default()).await;
    w.ask(0, "post general before the backup").await;
    w.stop().await.expect("clean shutdown");
    let (ok, out, err) = meshmush(&["backup", s(&dir), "--data", s(&data)]).await;
    assert!(ok, "{out}{err}");
    assert!(
        out.starts_with("backed up ") && out.contains("(no daemon running)"),
        "{out}"
    );
    let restored = tmp.path().join("restored");
    let (ok, out, err) = meshmush(&["restore", s(&dir), "--data", s(&restored)]).await;
    assert!(ok, "{out}{err}");
    let store = Store::open_existing(&restored, StoreOptions::default())
        .await
        .unwrap();
    let posts = store.newest_posts("general".into(), 10).await.unwrap();
    assert!(
        posts.iter().any(|p| p.text == "before the backup"),
        "{posts:?}"
    );
    store.close().await.unwrap();

    let typo = tmp.path().join("typo");
    let elsewhere = tmp.path().join("elsewhere");
    refused(
        meshmush(&["backup", s(&elsewhere), "--data", s(&typo)]).await,
        "no meshmush store in",
    );
    assert!(!typo.exists() && !elsewhere.exists(), "nothing was made");
    refused(
        meshmush(&["backup", s(&dir), "--data", s(&data)]).await,
        "is not empty",
    );
}

/// `export` while the daemon runs goes through it (sled would refuse a second
/// opener), and leaves password hashes out unless asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_works_while_the_daemon_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let data: PathBuf = tmp.path().join("data");
    let mut w = world(1, Config::default(), &data, StoreOptions::default()).await;
    w.ask(0, "password hunter2pass").await;
    let (ok, out, err) = meshmush(&["export", "--data", s(&data)]).await;
    assert!(ok, "{out}{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines[0]["record"], "meta");
    let alice = lines.iter().find(|l| l["name"] == "Alice").expect("Alice");
    assert_eq!(alice["password_hash"], "(left out)");
    let (ok, out, _) = meshmush(&["export", "--with-secrets", "--data", s(&data)]).await;
    assert!(ok && out.contains("$argon2"), "{out}");
    w.stop().await.expect("clean shutdown");
}
