//! meshmush BBSes syncing with each other over one software mesh: any sim node can host
//! a BBS, so one runs on the gateway and the others on handset nodes' ports, with
//! players on further handsets. What a player writes at one BBS is read at the other
//! (and a mail's sender is told it was read); deletions follow; an outage between them delays items but loses or doubles none;
//! three BBSes that all list each other do not pass items round in circles.

use std::path::Path;
use std::time::Duration;

use crate::common::peer::{ask, bbs_on_node, player, syncing_with};
use meshmush::app::App;
use meshmush::store::Store;
use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_protocol::packets::node_id;
use meshmush_testkit::replies::WAIT;

/// A BBS on sim node `node`, syncing with `peers` (meshmush dialect).
async fn bbs_on(node: &SimNode, peers: &[u32], dir: &Path) -> App {
    let mut cfg = syncing_with(peers);
    // No heard summaries: the counts below are of posts, mail and deletions (routing
    // is federation_route's).
    cfg.federation.heard_every_mins = 0;
    bbs_on_node(node, cfg, dir).await
}

/// Subjects and texts on `board`, oldest first.
async fn board(store: &Store, board: &str) -> Vec<(String, String)> {
    let mut posts = store.newest_posts(board.into(), 100).await.unwrap();
    posts.reverse();
    posts.into_iter().map(|p| (p.author_name, p.text)).collect()
}

/// Waits until `store`'s `board` holds `want`.
async fn board_becomes(store: &Store, name: &str, want: &[(String, String)], within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let now = board(store, name).await;
        if now == want {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name} is {now:?}, want {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_bbses_share_posts_mail_and_deletions_and_survive_an_outage() {
    let mesh = Mesh::start(SimConfig {
        handsets: 3,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let (a, b) = (mesh.gateway().num, mesh.handsets()[0].num);
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let app_a = bbs_on(mesh.gateway(), &[b], da.path()).await;
    let app_b = bbs_on(&mesh.handsets()[0], &[a], db.path()).await;
    let mut alice = player(&mesh, 1, a).await;
    let mut bob = player(&mesh, 2, b).await;
    let alice_name = app_a
        .store()
        .player(alice.node.num)
        .await
        .unwrap()
        .unwrap()
        .name;

    // A post, and one of 1,000 bytes (five packets between the BBSes), at A.
    assert_eq!(
        ask(&mut alice, a, "post general Hello from A").await,
        "Posted to general as #1."
    );
    let lines: Vec<String> = (1..=5)
        .map(|n| {
            format!(
                "Valley line {n}: {}",
                "news from the valley, told in full. ".repeat(4)
            )
            .trim()
            .to_string()
        })
        .collect();
    assert!(
        ask(&mut alice, a, "post general")
            .await
            .contains("Subject?")
    );
    assert!(
        ask(&mut alice, a, "Valley news")
            .await
            .starts_with("Subject: Valley news.")
    );
    for line in &lines {
        alice.send(a, line).await.unwrap();
    }
    let posted = ask(&mut alice, a, ".").await;
    assert!(posted.starts_with("Posted to general as #2"), "{posted}");
    let long_at_a = board(app_a.store(), "general").await[1].1.clone();
    assert_eq!(long_at_a, lines.join("\n"));
    assert!(
        long_at_a.len() > 700,
        "several packets: {}",
        long_at_a.len()
    );
    board_becomes(
        app_b.store(),
        "general",
        &[
            (alice_name.clone(), "Hello from A".into()),
            (alice_name.clone(), long_at_a.clone()),
        ],
        WAIT,
    )
    .await;

    // Mail from Alice at A to Bob (a player at B only): Bob hears of it as local mail.
    let r = ask(
        &mut alice,
        a,
        &format!("mail {} Lunch on Friday?", node_id(bob.node.num)),
    )
    .await;
    assert!(r.starts_with("Mail for"), "{r}");
    let notice = bob.next_text(WAIT).await.expect("a notice").text;
    assert_eq!(
        notice,
        format!("New mail from {alice_name}. Send mail to read it.")
    );
    let letter = ask(&mut bob, b, "mail 1").await;
    assert!(letter.contains("Lunch on Friday?"), "{letter}");
    // Bob read it at B: the read event comes back to A, which tells Alice once, in
    // front of a reply of hers.
    let bob_name = app_b
        .store()
        .player(bob.node.num)
        .await
        .unwrap()
        .unwrap()
        .name;
    let receipt = format!(
        "{bob_name} read your mail 'Lunch on Friday?' (at {})",
        mesh.handsets()[0].long_name
    );
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let pong = ask(&mut alice, a, "ping").await;
        if pong != "pong" {
            assert_eq!(pong, format!("{receipt} pong"));
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never told: {receipt}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A deletion at A follows to B.
    assert_eq!(
        ask(&mut alice, a, "delete general 1").await,
        "Deleted general #1.",
        "told once"
    );
    board_becomes(
        app_b.store(),
        "general",
        &[(alice_name.clone(), long_at_a.clone())],
        WAIT,
    )
    .await;

    // The link to B is cut (no node can encrypt a DM to B) while Alice posts three more.
    mesh.faults().forget_key(b);
    for n in 1..=3 {
        let r = ask(
            &mut alice,
            a,
            &format!("post general During the outage {n}"),
        )
        .await;
        assert!(r.starts_with("Posted"), "{r}");
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        board(app_b.store(), "general").await.len(),
        1,
        "nothing got through"
    );
    assert_eq!(app_a.store().peer_state(b).await.unwrap().queued(), 3);
    // Back: everything written meanwhile arrives, once, in order.
    mesh.learn_key(b);
    let mut want = vec![(alice_name.clone(), long_at_a.clone())];
    for n in 1..=3 {
        want.push((alice_name.clone(), format!("During the outage {n}")));
    }
    board_becomes(app_b.store(), "general", &want, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(board(app_b.store(), "general").await, want, "once each");
    let st = app_a.store().peer_state(b).await.unwrap();
    assert_eq!((st.queued(), st.sent), (0, 7), "{st:?}");
    let st = app_b.store().peer_state(a).await.unwrap();
    assert_eq!((st.received, st.refused), (7, 0), "{st:?}");

    drop((alice, bob));
    app_a.shutdown().await.unwrap();
    app_b.shutdown().await.unwrap();
    mesh.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_bbses_in_a_ring_do_not_loop() {
    let mesh = Mesh::start(SimConfig {
        handsets: 3,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let nodes = [
        mesh.gateway().clone(),
        mesh.handsets()[0].clone(),
        mesh.handsets()[1].clone(),
    ];
    let nums: Vec<u32> = nodes.iter().map(|n| n.num).collect();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut apps = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let others: Vec<u32> = nums.iter().copied().filter(|n| *n != node.num).collect();
        apps.push(bbs_on(node, &others, dirs[i].path()).await);
    }
    let mut carol = player(&mesh, 2, nums[0]).await;
    let name = apps[0]
        .store()
        .player(carol.node.num)
        .await
        .unwrap()
        .unwrap()
        .name;
    assert_eq!(
        ask(&mut carol, nums[0], "post general Round we go").await,
        "Posted to general as #1."
    );
    let want = owned(&[(name.as_str(), "Round we go")]);
    for app in &apps {
        board_becomes(app.store(), "general", &want, WAIT).await;
    }
    // Quiet now: nothing was passed on, so nothing comes round again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (i, app) in apps.iter().enumerate() {
        assert_eq!(board(app.store(), "general").await, want, "BBS {i}");
        for &peer in nums.iter().filter(|p| **p != nums[i]) {
            let st = app.store().peer_state(peer).await.unwrap();
            let sent = u64::from(i == 0);
            let received = u64::from(i != 0 && peer == nums[0]);
            assert_eq!(
                (st.sent, st.received, st.queued(), st.refused),
                (sent, received, 0, 0),
                "BBS {i} about {}",
                node_id(peer)
            );
        }
    }
    drop(carol);
    for app in apps {
        app.shutdown().await.unwrap();
    }
    mesh.shutdown().await;
}
