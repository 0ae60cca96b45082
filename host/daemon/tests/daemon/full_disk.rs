//! A full disk, as players on the mesh see it (the store's `FullDisk` seam fills and
//! frees it): a post or a mail is refused with one short "Storage full" reply, while
//! look, boards, read and mail still answer; `/metrics` counts the refusals; once
//! space is back the same post and mail go through without a restart, and after a
//! restart everything saved before is there and nothing refused is.
//! (`host/store/tests/full_disk.rs` does the same to the store on a real tmpfs.)

use std::net::SocketAddr;

use crate::common::{WAIT, roomy, world};
use meshmush::store::{FullDisk, StoreOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const FULL: &str = "Storage full: the BBS cannot save anything right now; reading still works.";

/// `meshmush_store_full_total` from the daemon's `/metrics`.
async fn full_total(addr: SocketAddr) -> f64 {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!("GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    let mut raw = String::new();
    s.read_to_string(&mut raw).await.expect("read");
    raw.lines()
        .find_map(|l| l.strip_prefix("meshmush_store_full_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no meshmush_store_full_total in {raw}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_keeps_reads_and_recovers_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let disk = FullDisk::default();
    let store = StoreOptions {
        full_disk: disk.clone(),
        ..StoreOptions::default()
    };
    let mut cfg = roomy();
    cfg.http.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    let mut w = world(2, cfg, dir.path(), store).await;
    let addr = w.app.http_addr().expect("the page is served");

    assert_eq!(
        w.ask(0, "post general Saved before the disk filled").await,
        "Posted to general as #1."
    );
    assert_eq!(w.ask(1, "ping").await, "pong", "Bob is active");
    assert_eq!(w.ask(0, "mail Bob Saved mail").await, "Mail sent to Bob.");
    w.handsets[1]
        .next_text(WAIT)
        .await
        .expect("Bob's mail notice");
    let look = w.ask(0, "look").await;
    assert_eq!(full_total(addr).await, 0.0);

    disk.fill();
    // Writes: one short reply that says why, not a storage error.
    assert_eq!(w.ask(0, "post general Written on a full disk").await, FULL);
    assert_eq!(w.ask(0, "mail Bob Written on a full disk").await, FULL);
    // Reads still answer (reading a post or a letter would mark it read: that mark is
    // simply not kept).
    assert_eq!(w.ask(0, "look").await, look);
    assert_eq!(
        w.ask(1, "read general").await,
        "general #1 Alice now:\nSaved before the disk filled"
    );
    assert_eq!(w.ask(1, "mail").await, "Mail #1 Alice now:\nSaved mail");
    assert_eq!(
        w.ask(1, "boards").await,
        "Boards (unread/total): general 1/1, help 0/0, news 0/0. read BOARD",
        "the read marker was not saved"
    );
    assert!(full_total(addr).await >= 2.0, "both refusals counted");

    disk.free();
    // Space is back: the same post and mail go through, no restart.
    assert_eq!(
        w.ask(0, "post general Written once space was back").await,
        "Posted to general as #2."
    );
    assert_eq!(
        w.ask(0, "mail Bob Sent once space was back").await,
        "Mail sent to Bob."
    );
    w.handsets[1]
        .next_text(WAIT)
        .await
        .expect("Bob's mail notice");
    assert_eq!(
        w.ask(1, "read general 1").await,
        "general #1 Alice now:\nSaved before the disk filled"
    );

    // After a restart: everything saved is on disk, nothing refused is.
    let mut w = w.restart().await.expect("restarts");
    assert_eq!(
        w.ask(1, "read general 2").await,
        "general #2 Alice now:\nWritten once space was back"
    );
    assert_eq!(w.ask(1, "read general 3").await, "No post #3 on general.");
    assert_eq!(w.ask(1, "mail 1").await, "Mail #1 Alice now:\nSaved mail");
    assert_eq!(
        w.ask(1, "mail 2").await,
        "Mail #2 Alice now:\nSent once space was back"
    );
    assert_eq!(
        w.ask(1, "mail 3").await,
        "No mail 3. mail lists yours.",
        "the refused mail is not there"
    );
    w.stop().await.expect("clean shutdown");
}

/// A node never seen, on a full disk: it cannot be made a player, and is told so in
/// the BBS's language (`[bbs] language`), its own being unknown yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_on_a_full_disk_is_told_in_the_bbs_language() {
    let dir = tempfile::tempdir().unwrap();
    let disk = FullDisk::default();
    let store = StoreOptions {
        full_disk: disk.clone(),
        ..StoreOptions::default()
    };
    let mut cfg = roomy();
    cfg.bbs.language = "es".into();
    let mut w = meshmush_testkit::Kit::builder(cfg)
        .handsets(1)
        .data(dir.path())
        .store(store)
        .start()
        .await
        .expect("kit");
    disk.fill();
    assert_eq!(
        w.ask(0, "ping").await,
        "Almacenamiento lleno: el BBS no puede guardar nada ahora, pero leer sí funciona."
    );
    disk.free();
    assert_eq!(
        w.ask(0, "ping").await,
        "¡Hola, Alice! Envía ayuda para ver los comandos. pong"
    );
    w.stop().await.expect("clean shutdown");
}
