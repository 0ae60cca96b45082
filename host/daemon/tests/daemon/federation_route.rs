//! Mail that finds its reader, across three meshmush BBSes on one software mesh: A on
//! the gateway, B and C on handset nodes, each listing A (a star). B tells A which
//! nodes it heard; C sends no summary. Mail from Alice at A for Bob, a player at B
//! only, goes to B alone (never to C); Bob reads it at B, and Alice is told once,
//! however often the read event reaches A.

use std::path::Path;
use std::time::Duration;

use crate::common::peer::{ask, bbs_on_node, syncing_with, until_within};
use meshmush::app::App;
use meshmush::federation::SyncItem;
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_protocol::packets::node_id;
use meshmush_testkit::replies::WAIT;

/// A BBS on sim node `node`, syncing with `peers`, sending heard summaries every
/// `heard_every_mins` (0: none; the first goes 10 s after start).
async fn bbs_on(node: &SimNode, peers: &[u32], heard_every_mins: u64, dir: &Path) -> App {
    let mut cfg = syncing_with(peers);
    cfg.federation.heard_every_mins = heard_every_mins;
    bbs_on_node(node, cfg, dir).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_goes_to_the_bbs_that_heard_its_reader_and_the_sender_hears_once_it_is_read() {
    let mesh = Mesh::start(SimConfig {
        handsets: 4,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let (a, b, c) = (
        mesh.gateway().num,
        mesh.handsets()[0].num,
        mesh.handsets()[1].num,
    );
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let app_a = bbs_on(mesh.gateway(), &[b, c], 60, dirs[0].path()).await;
    let app_b = bbs_on(&mesh.handsets()[0], &[a], 60, dirs[1].path()).await;
    let app_c = bbs_on(&mesh.handsets()[1], &[a], 0, dirs[2].path()).await;
    let mut alice = Handset::connect(&mesh.handsets()[2]).await.unwrap();
    let mut bob = Handset::connect(&mesh.handsets()[3]).await.unwrap();
    assert!(ask(&mut alice, a, "ping").await.starts_with("Welcome, "));
    assert!(ask(&mut bob, b, "ping").await.starts_with("Welcome, "));
    assert_eq!(ask(&mut bob, b, "receipts").await, "Receipts are on.");
    let bob_num = bob.node.num;
    let bob_name = app_b.store().player(bob_num).await.unwrap().unwrap().name;
    let alice_name = app_a
        .store()
        .player(alice.node.num)
        .await
        .unwrap()
        .unwrap()
        .name;

    // B's summary reaches A; C sent none.
    until_within(
        app_a.store(),
        "B's heard summary names Bob",
        Duration::from_secs(40),
        |s| async move {
            s.heard_by(bob_num)
                .await
                .unwrap()
                .iter()
                .map(|h| h.0)
                .collect::<Vec<_>>()
                == [b]
        },
    )
    .await;

    // Bob has no player at A: the mail goes to B alone.
    let r = ask(
        &mut alice,
        a,
        &format!("mail {} Lunch on Friday?", node_id(bob_num)),
    )
    .await;
    assert!(r.starts_with("Mail for"), "{r}");
    // Alice reads Spanish: the receipt from B's BBS reaches her in it.
    assert_eq!(
        ask(&mut alice, a, "lang es").await,
        "Desde ahora te respondo en español."
    );
    let to_c = app_a.store().queued_items(c, 0, 100).await.unwrap();
    assert!(
        to_c.iter()
            .all(|(_, item)| matches!(item, SyncItem::Heard { .. })),
        "only A's own summary is for C: {to_c:?}"
    );
    let notice = bob.next_text(WAIT).await.expect("a notice").text;
    assert_eq!(
        notice,
        format!("New mail from {alice_name}. Send mail to read it.")
    );
    let letter = ask(&mut bob, b, "mail 1").await;
    assert!(letter.contains("Lunch on Friday?"), "{letter}");
    // A hears of the read and marks its own copy read.
    until_within(
        app_a.store(),
        "the receipt claimed at A",
        WAIT,
        |s| async move { s.mailbox(bob_num).await.unwrap().iter().all(|m| m.read) },
    )
    .await;
    let subject = app_a.store().mailbox(bob_num).await.unwrap()[0]
        .subject
        .clone();
    let bbs_b = mesh.handsets()[0].long_name.clone();
    let receipt = format!("{bob_name} leyó tu carta '{subject}' (en {bbs_b})");
    // The notice is held just after the claim: Alice's replies until it rides on one.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let pong = ask(&mut alice, a, "ping").await;
        if pong.contains("leyó tu carta") {
            assert_eq!(pong, format!("{receipt} pong"));
            break;
        }
        assert_eq!(pong, "pong");
        assert!(
            tokio::time::Instant::now() < deadline,
            "never told: {receipt}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ask(&mut alice, a, "ping").await, "pong", "told once");

    // The same read event again, now from C (as after a fallback to every peer):
    // taken, and nobody told twice.
    let copy = &app_a.store().mailbox(bob_num).await.unwrap()[0];
    let mail_uid = app_a
        .store()
        .mail_sync_id(bob_num, copy.id)
        .await
        .unwrap()
        .expect("the mail took part in sync");
    app_c
        .store()
        .queue_item(
            vec![a],
            SyncItem::Read {
                uid: mail_uid,
                reader: bob_name.clone(),
                bbs: "C".into(),
            },
        )
        .await
        .unwrap();
    until_within(app_c.store(), "A acks C's repeat", WAIT, |s| async move {
        s.peer_state(a).await.unwrap().queued() == 0
    })
    .await;
    let pong = ask(&mut alice, a, "ping").await;
    assert!(!pong.contains("leyó tu carta"), "told twice: {pong}");
    // C never held the mail.
    assert!(app_c.store().mailbox(bob_num).await.unwrap().is_empty());

    drop((alice, bob));
    for app in [app_a, app_b, app_c] {
        app.shutdown().await.unwrap();
    }
    mesh.shutdown().await;
}
