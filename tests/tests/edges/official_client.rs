//! The official Meshtastic Python client accepts the software mesh as real nodes:
//! `--info` against the gateway and a handset, and a handset session whose direct
//! messages reach the gateway's link and whose replies come back to the client.
//!
//! The test creates its own virtual environment with the `meshtastic` package (see
//! `meshmush_tests::python`); it needs `python3` and access to PyPI the first time.

use std::time::Duration;

use meshmush_firmware_bridge::link::{LinkConfig, LinkEvent};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use meshmush_firmware_bridge::{Transport, spawn};
use meshmush_testkit::Kit;
use meshmush_tests::python::Venv;

const SESSION: &str = include_str!("../../scripts/handset_session.py");
const REACTION: &str = include_str!("../../scripts/handset_reaction.py");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_client_accepts_the_software_mesh() {
    let venv = Venv::ensure().await.expect("python venv with meshtastic");
    let mesh = Mesh::start(SimConfig {
        handsets: 2,
        ..SimConfig::default()
    })
    .await
    .expect("mesh");
    let gw = mesh.gateway().clone();
    let alice = mesh.handsets()[0].clone();

    // --info against the gateway: owner, the other nodes, channels.
    let info = venv
        .cli(&["--host", &gw.addr.to_string(), "--info"], 120)
        .await
        .expect("meshtastic --info on the gateway");
    assert!(info.contains("Owner: meshmush BBS (BBS)"), "{info}");
    assert!(
        info.contains("\"!4d4d1001\"") && info.contains("\"longName\": \"Alice\""),
        "{info}"
    );
    assert!(info.contains("Index 0: PRIMARY"), "{info}");
    assert!(info.contains("\"region\": \"EU_868\""), "{info}");

    // --info against a handset: it is a node of its own.
    let info = venv
        .cli(&["--host", &alice.addr.to_string(), "--info"], 120)
        .await
        .expect("meshtastic --info on a handset");
    assert!(info.contains("Owner: Alice (Alic)"), "{info}");
    assert!(info.contains("\"!4d4d0001\""), "{info}");

    // The gateway's link answers every DM; the client on Alice's handset talks to it.
    let mut cfg = LinkConfig::new(Transport::Tcp(gw.addr.to_string()));
    cfg.airtime_scale = 0.0;
    let (link, mut events) = spawn(cfg);
    link.connected().await.expect("link connects");
    let responder = {
        let link = link.clone();
        tokio::spawn(async move {
            let mut heard = Vec::new();
            while let Some(ev) = events.recv().await {
                if let LinkEvent::DirectText(t) = ev {
                    heard.push((t.from, t.text.clone(), t.pki_encrypted));
                    let _ = link
                        .send_text(t.from, 0, format!("you said: {}", t.text))
                        .await;
                }
            }
            heard
        })
    };

    // --sendtext with --ack: the gateway node acks, the client reports it.
    let sent = venv
        .cli(
            &[
                "--host",
                &alice.addr.to_string(),
                "--sendtext",
                "look",
                "--dest",
                &gw.id(),
                "--ack",
            ],
            120,
        )
        .await
        .expect("meshtastic --sendtext");
    assert!(sent.contains("Received an ACK"), "{sent}");

    let session = venv
        .script(
            SESSION,
            &[
                "127.0.0.1",
                &alice.addr.port().to_string(),
                &gw.id(),
                "30",
                "ping",
                "n",
            ],
            120,
        )
        .await
        .expect("python handset session");
    assert!(session.contains("REPLY you said: ping"), "{session}");
    assert!(session.contains("REPLY you said: n"), "{session}");

    link.shutdown().await;
    let heard = tokio::time::timeout(Duration::from_secs(10), responder)
        .await
        .expect("responder ends")
        .expect("responder ok");
    let texts: Vec<&str> = heard.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(
        texts,
        ["look", "ping", "n"],
        "each DM reached the link exactly once"
    );
    assert!(
        heard
            .iter()
            .all(|(from, _, pki)| *from == alice.num && *pki)
    );
    mesh.shutdown().await;
}

/// A real session with the BBS through the official client's `TCPInterface`: a look,
/// a move, a post, a mail, and reading them back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_client_holds_a_session_with_the_bbs() {
    let venv = Venv::ensure().await.expect("python venv with meshtastic");
    let mut cfg = meshmush::config::Config::default();
    cfg.limits.burst = 100;
    // The Python client talks through the handset node: no scripted handset on it.
    let kit = Kit::builder(cfg)
        .handsets(1)
        .connect_handsets(false)
        .start()
        .await
        .expect("mesh and daemon");
    let mesh = kit.mesh().expect("software mesh");
    let alice = mesh.handsets()[0].clone();
    let out = venv
        .script(
            SESSION,
            &[
                "127.0.0.1",
                &alice.addr.port().to_string(),
                &mesh.gateway().id(),
                "30",
                "look",
                "n",
                "post general hello from the official client",
                "read general 1",
                "mail Alice a note to myself",
                "mail 1",
            ],
            180,
        )
        .await
        .expect("python handset session");
    for want in [
        "Town Square: The heart of Meshton.",
        "REPLY Post Office: ",
        "REPLY Posted to general as #1.",
        "hello from the official client",
        "Mail sent to Alice.",
        "a note to myself",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    // Every packet of every reply names the DM that asked (`replyId`), as the client
    // decodes it: the apps thread it under that message.
    let threaded: Vec<&str> = out.lines().filter(|l| l.starts_with("THREADED")).collect();
    assert_eq!(threaded.len(), 6, "{out}");
    for line in threaded {
        let n: Vec<&str> = line.split_whitespace().collect();
        assert!(
            n[1] == n[3] && n[1] != "0",
            "not every reply threaded: {line}\n{out}"
        );
    }
    kit.stop().await.expect("shutdown");
}

/// An emoji reaction as the official client encodes it (`decoded.emoji = 1`,
/// `decoded.reply_id` = the tapped packet): Bob taps the new-mail notice, the BBS
/// sends nothing back, and his `mail` then lists the letter as read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_client_reaction_marks_the_letter_read() {
    let venv = Venv::ensure().await.expect("python venv with meshtastic");
    let mut cfg = meshmush::config::Config::default();
    cfg.limits.burst = 100;
    let kit = Kit::builder(cfg)
        .handsets(2)
        .connect_handsets(false)
        .start()
        .await
        .expect("mesh and daemon");
    let mesh = kit.mesh().expect("software mesh");
    let (alice, bob) = (mesh.handsets()[0].clone(), mesh.handsets()[1].clone());
    let out = venv
        .script(
            REACTION,
            &[
                "127.0.0.1",
                &alice.addr.port().to_string(),
                &bob.addr.port().to_string(),
                &mesh.gateway().id(),
                "30",
            ],
            180,
        )
        .await
        .expect("python reaction session");
    assert!(
        out.contains("NOTICE New mail from Alice. Send mail to read it."),
        "{out}"
    );
    assert!(
        out.contains("AFTER_TAP 0"),
        "a reaction is never answered:\n{out}"
    );
    assert!(
        out.contains("MAIL Mail (* unread):\n")
            || out.contains("MAIL #1 Lunch at the square? - Alice"),
        "the letter is listed, not shown as new:\n{out}"
    );
    assert!(
        !out.contains("#1* Lunch"),
        "no star: the tap read it:\n{out}"
    );
    kit.stop().await.expect("shutdown");
}

/// The same session from a handset three hops from the BBS's node (issue 28): every
/// DM and every reply crosses three relays of the multi-hop mesh, and the official
/// client sees nothing different.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_client_holds_a_session_three_hops_from_the_bbs() {
    let venv = Venv::ensure().await.expect("python venv with meshtastic");
    let mut cfg = meshmush::config::Config::default();
    cfg.limits.burst = 100;
    let kit = Kit::builder(cfg)
        .handsets_at_hops(&[3])
        .connect_handsets(false)
        .start()
        .await
        .expect("mesh and daemon");
    let mesh = kit.mesh().expect("software mesh");
    let alice = mesh.handsets()[0].clone();
    let gw = mesh.gateway().clone();
    assert_eq!(
        mesh.radio_hops(gw.num, alice.num),
        Some(4),
        "3 relays between"
    );
    let out = venv
        .script(
            SESSION,
            &[
                "127.0.0.1",
                &alice.addr.port().to_string(),
                &gw.id(),
                "30",
                "look",
                "n",
                "post general hello from three hops",
                "read general 1",
            ],
            180,
        )
        .await
        .expect("python handset session");
    for want in [
        "Town Square: The heart of Meshton.",
        "REPLY Post Office: ",
        "REPLY Posted to general as #1.",
        "hello from three hops",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    // The relays carried it: each of the three relayed every DM and every reply.
    let relays: Vec<u32> = mesh.nodes()[2..].iter().map(|n| n.num).collect();
    assert_eq!(relays.len(), 3);
    for r in relays {
        let c = mesh.radio_counters(r).expect("counters");
        assert!(c.relayed >= 8, "relay {r:x}: {c:?}");
    }
    kit.stop().await.expect("shutdown");
}
