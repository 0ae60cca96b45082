//! The link against the software mesh over real TCP on loopback: handshake, dedupe,
//! paced long replies under a full queue and a tight duty cycle, reconnects, and a
//! damaged stream.

use std::time::Duration;

use crate::common::{Client, fast_link, init_tracing, mesh};
use meshmush_firmware_bridge::link::{Class, LinkEvent};
use meshmush_firmware_bridge::sim::{GATEWAY_NUM, Mesh, SimConfig, StreamFault, public_key_of};
use meshmush_protocol::chunking::strip_marker;
use meshmush_protocol::packets::PRIMARY_CHANNEL;
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};
use meshmush_protocol::proto::routing;

/// Reassembles received chunks (markers stripped) with single spaces at the cuts.
fn reassemble(texts: &[String]) -> String {
    texts
        .iter()
        .map(|t| strip_marker(t))
        .collect::<Vec<_>>()
        .join(" ")
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads texts on `alice` until `got` holds `n`, then checks they reassemble `reply`.
async fn expect_whole_reply(
    alice: &mut Client,
    mut got: Vec<String>,
    n: usize,
    reply: &str,
) -> Vec<String> {
    while got.len() < n {
        got.push(alice.next_text().await.text);
    }
    assert_eq!(normalise(&reassemble(&got)), normalise(reply));
    got
}

/// Queues the long reply from the gateway's link to `dest`; its chunk ids.
async fn send_long(gw: &Client, dest: u32) -> (String, Vec<u32>) {
    let reply = long_reply();
    let ids = gw
        .link
        .send_text(dest, PRIMARY_CHANNEL, reply.clone())
        .await
        .expect("link alive");
    (reply, ids)
}

fn long_reply() -> String {
    (0..120)
        .map(|i| format!("w{i:03}"))
        .collect::<Vec<_>>()
        .join(" ")
        + " end."
}

#[tokio::test]
async fn handshake_learns_node_and_mesh() {
    init_tracing();
    let mesh = mesh(3).await;
    let gw = Client::connect(fast_link(mesh.gateway())).await;
    let cfg = gw.link.node_config().expect("node config after connect");
    assert_eq!(cfg.my_node_num, GATEWAY_NUM);
    assert_eq!(cfg.preset, ModemPreset::LongFast);
    assert_eq!(cfg.region, RegionCode::Eu868);
    assert_eq!(cfg.channels, 8);
    assert_eq!(
        gw.link.node_count(),
        4,
        "our own node and the three handsets"
    );
    let alice = gw.link.node(mesh.handsets()[0].num).expect("handset known");
    assert_eq!(alice.long_name, "Alice");
    assert!(alice.has_public_key);
    assert_eq!(
        alice.public_key,
        Some(public_key_of(mesh.handsets()[0].num))
    );
}

#[tokio::test]
async fn heartbeats_are_answered_and_their_delay_recorded() {
    let mesh = mesh(0).await;
    let mut cfg = fast_link(mesh.gateway());
    cfg.heartbeat_interval = Duration::from_millis(20);
    let gw = Client::connect(cfg).await;
    let deadline = tokio::time::Instant::now() + crate::common::WAIT;
    while gw.link.metrics().heartbeats_answered < 5 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "heartbeats unanswered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let m = gw.link.metrics();
    assert!(m.heartbeats >= m.heartbeats_answered);
    assert!(m.heartbeat_delay_max > Duration::ZERO, "{m:?}");
    assert!(m.heartbeat_delay_total >= m.heartbeat_delay_max, "{m:?}");
}

#[tokio::test]
async fn handset_text_reaches_gateway_once_despite_duplicates() {
    init_tracing();
    let mesh = mesh(2).await;
    let mut gw = Client::connect(fast_link(mesh.gateway())).await;
    let alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    mesh.faults().set_duplicate(1.0);
    alice
        .link
        .send_text(GATEWAY_NUM, PRIMARY_CHANNEL, "look")
        .await
        .unwrap();
    let t = gw.next_text().await;
    assert_eq!((t.from, t.text.as_str()), (mesh.handsets()[0].num, "look"));
    assert!(t.pki_encrypted, "sim DMs are PKI by default");
    assert_eq!(
        t.public_key,
        Some(public_key_of(mesh.handsets()[0].num)),
        "a PKI DM carries its sender's key, as firmware hands it to the phone"
    );
    let rest = gw.texts_until_quiet(Duration::from_millis(300)).await;
    assert!(rest.is_empty(), "duplicate leaked: {rest:?}");
    assert!(gw.link.metrics().duplicates >= 1);
}

#[tokio::test]
async fn dm_without_pki_is_marked_so() {
    let mesh = mesh(1).await;
    let mut gw = Client::connect(fast_link(mesh.gateway())).await;
    let alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    mesh.faults().set_pki(false);
    alice
        .link
        .send_text(GATEWAY_NUM, PRIMARY_CHANNEL, "@dig x")
        .await
        .unwrap();
    let t = gw.next_text().await;
    assert!(!t.pki_encrypted);
    assert_eq!(t.public_key, None, "plaintext carries no key");
}

#[tokio::test]
async fn ready_packets_arrive_as_they_were_sent() {
    let mesh = mesh(1).await;
    let gw = Client::connect(fast_link(mesh.gateway())).await;
    let mut alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    // Packets cut elsewhere (at the default 200-byte budget): one of 150 bytes stays
    // one packet, and markers are not added twice.
    let packets = vec![format!("(1/2) {}", "a".repeat(144)), "(2/2) b".to_string()];
    assert_eq!(packets[0].len(), 150);
    let ids = gw
        .link
        .send_packets(
            mesh.handsets()[0].num,
            PRIMARY_CHANNEL,
            Class::Known,
            packets.clone(),
        )
        .await
        .expect("link alive");
    assert_eq!(ids.len(), 2);
    let got = vec![alice.next_text().await.text, alice.next_text().await.text];
    assert_eq!(got, packets);
}

#[tokio::test]
async fn long_reply_arrives_whole_and_in_order_under_full_queue_and_tight_duty_cycle() {
    init_tracing();
    // 0.1% duty cycle at a 1/10,000 time scale: 0.36 ms of (scaled) airtime per 0.36 s
    // window, three or four LongFast chunks, so the node refuses with DUTY_CYCLE_LIMIT.
    let mesh = Mesh::start(SimConfig {
        handsets: 1,
        time_scale: 0.0001,
        duty_cycle_percent: Some(0.1),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let mut gw_cfg = fast_link(mesh.gateway());
    gw_cfg.byte_budget = 60;
    gw_cfg.retry_delay = Duration::from_millis(100);
    gw_cfg.ack_timeout = Duration::from_secs(5);
    let mut gw = Client::connect(gw_cfg).await;
    let mut alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    let alice_num = mesh.handsets()[0].num;

    let reply = long_reply();
    assert!(reply.len() >= 600);
    mesh.faults().set_queue_full(GATEWAY_NUM, true);
    let ids = gw
        .link
        .send_text(alice_num, PRIMARY_CHANNEL, reply.clone())
        .await
        .unwrap();
    assert!(ids.len() >= 10, "{} chunks", ids.len());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(gw.link.metrics().queue_refusals >= 1 || gw.link.metrics().node_queue_free == 0);
    mesh.faults().set_queue_full(GATEWAY_NUM, false);

    let got = expect_whole_reply(&mut alice, Vec::new(), ids.len(), &reply).await;
    for (i, t) in got.iter().enumerate() {
        assert!(
            t.starts_with(&format!("({}/{}) ", i + 1, ids.len())),
            "out of order: {got:?}"
        );
    }
    assert!(
        alice
            .texts_until_quiet(Duration::from_millis(300))
            .await
            .is_empty(),
        "a chunk arrived twice"
    );
    // Every chunk was acked, the duty cycle bit at least once, and nothing was given up.
    tokio::time::timeout(crate::common::WAIT, async {
        while (gw.link.metrics().chunks_delivered as usize) < ids.len() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("every chunk acked");
    let mut duty_naks = 0;
    while let Ok(ev) = gw.events.try_recv() {
        if let LinkEvent::Delivery {
            result: Err(routing::Error::DutyCycleLimit),
            ..
        } = ev
        {
            duty_naks += 1;
        }
    }
    let m = gw.link.metrics();
    assert!(duty_naks >= 1, "duty cycle never bit; metrics {m:?}");
    assert_eq!(m.send_failures, 0);
    assert_eq!(m.chunks_delivered as usize, ids.len());
}

#[tokio::test]
async fn reconnects_after_dropped_connection_without_loss_or_doubles() {
    init_tracing();
    let mesh = mesh(1).await;
    let mut gw = Client::connect(fast_link(mesh.gateway())).await;
    let mut alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    let alice_num = mesh.handsets()[0].num;

    let (reply, ids) = send_long(&gw, alice_num).await;
    mesh.drop_clients(GATEWAY_NUM);
    gw.reconnected().await;
    expect_whole_reply(&mut alice, Vec::new(), ids.len(), &reply).await;
    assert!(
        alice
            .texts_until_quiet(Duration::from_millis(300))
            .await
            .is_empty()
    );
    // Inbound still works on the new connection.
    alice
        .link
        .send_text(GATEWAY_NUM, PRIMARY_CHANNEL, "still there?")
        .await
        .unwrap();
    assert_eq!(gw.next_text().await.text, "still there?");
    assert!(gw.link.metrics().connects >= 2);
}

#[tokio::test]
async fn rehandshakes_after_node_reboot_and_resends_what_the_node_lost() {
    init_tracing();
    let mesh = Mesh::start(SimConfig {
        handsets: 1,
        time_scale: 0.01,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let mut gw = Client::connect(fast_link(mesh.gateway())).await;
    let mut alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    let alice_num = mesh.handsets()[0].num;

    let (reply, ids) = send_long(&gw, alice_num).await;
    let first = alice.next_text().await;
    mesh.reboot(GATEWAY_NUM);
    gw.reconnected().await;
    expect_whole_reply(&mut alice, vec![first.text], ids.len(), &reply).await;
    assert!(
        alice
            .texts_until_quiet(Duration::from_millis(500))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn damaged_stream_does_not_break_the_link() {
    init_tracing();
    let mesh = mesh(1).await;
    let mut gw = Client::connect(fast_link(mesh.gateway())).await;
    let alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    for (i, fault) in [
        StreamFault::Garbage,
        StreamFault::Oversize,
        StreamFault::Truncated,
        StreamFault::Garbage,
    ]
    .into_iter()
    .enumerate()
    {
        mesh.inject(GATEWAY_NUM, fault);
        let text = format!("command {i} after {fault:?}");
        alice
            .link
            .send_text(GATEWAY_NUM, PRIMARY_CHANNEL, text.clone())
            .await
            .unwrap();
        assert_eq!(gw.next_text().await.text, text);
    }
    let m = gw.link.metrics();
    assert_eq!(m.connects, 1, "no reconnect was needed");
    assert!(m.bad_frames >= 2, "{m:?}");
    assert!(m.debug_lines >= 2, "{m:?}");
}

#[tokio::test]
async fn missing_public_key_is_reported_then_retried_when_learned() {
    init_tracing();
    let mesh = mesh(1).await;
    let mut gw = Client::connect(fast_link(mesh.gateway())).await;
    let mut alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    let alice_num = mesh.handsets()[0].num;
    mesh.faults().forget_key(alice_num);
    gw.link
        .send_text(alice_num, PRIMARY_CHANNEL, "your mail")
        .await
        .unwrap();
    loop {
        match gw.events.recv().await.expect("event") {
            LinkEvent::Delivery {
                result: Err(e),
                will_retry,
                ..
            } => {
                assert_eq!(e, routing::Error::PkiSendFailPublicKey);
                assert!(will_retry);
                break;
            }
            _ => continue,
        }
    }
    assert!(
        alice
            .texts_until_quiet(Duration::from_millis(200))
            .await
            .is_empty()
    );
    assert_eq!(
        gw.link.metrics().pki_failures,
        1,
        "reported once, not looped on"
    );
    mesh.learn_key(alice_num);
    assert_eq!(alice.next_text().await.text, "your mail");
}
