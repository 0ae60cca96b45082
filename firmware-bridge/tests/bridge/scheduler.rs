//! The one way out, over the software mesh at real airtime: a sync backlog, a beacon
//! and a burst of strangers' replies are on their way when a known player's reply is
//! queued, and it reaches the player's handset with at most one other packet (the one
//! already on air) arriving in between. Counted in packets on air, not timed, so a
//! loaded machine cannot fail it or pass it by luck.

use std::time::Duration;

use crate::common::{Client, fast_link, init_tracing};
use meshmush_firmware_bridge::link::Class;
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use meshmush_protocol::packets::{BROADCAST, PRIMARY_CHANNEL};
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};

const KNOWN: u32 = 0x5100_0001;
const PEER: u32 = 0x5200_0001;
const STRANGERS: u32 = 0x7100_0000;

#[tokio::test]
async fn a_known_reply_waits_for_at_most_the_packet_on_air() {
    init_tracing();
    let mesh = Mesh::start(SimConfig {
        handsets: 0,
        virtual_handsets: true,
        time_scale: 1.0,
        preset: ModemPreset::ShortFast,
        region: RegionCode::Us,
        ..SimConfig::default()
    })
    .await
    .expect("mesh");
    let mut replies = mesh.take_virtual_replies().expect("virtual replies");
    let mut cfg = fast_link(mesh.gateway());
    cfg.airtime_scale = 1.0;
    cfg.ack_timeout = Duration::from_secs(60);
    let bbs = Client::connect(cfg).await;
    let link = &bbs.link;
    let full = "x".repeat(200);
    // The backlog: eight sync packets to a peer, the beacon, and twenty strangers'
    // replies, queued before the known player asks.
    link.send_packets(PEER, PRIMARY_CHANNEL, Class::Sync, vec![full.clone(); 8])
        .await
        .expect("sync queued");
    link.send_packets(
        BROADCAST,
        PRIMARY_CHANNEL,
        Class::Unasked,
        vec!["beacon".into()],
    )
    .await
    .expect("beacon queued");
    for n in 0..20 {
        link.send_packets(
            STRANGERS + n,
            PRIMARY_CHANNEL,
            Class::Stranger,
            vec![full.clone()],
        )
        .await
        .expect("stranger's reply queued");
    }
    // The queue is draining: wait for the first packets to land.
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(10), replies.recv())
            .await
            .expect("the backlog moves")
            .expect("replies open");
    }
    let asked = tokio::time::Instant::now();
    link.send_packets(KNOWN, PRIMARY_CHANNEL, Class::Known, vec!["pong".into()])
        .await
        .expect("known reply queued");
    let mut between = Vec::new();
    loop {
        let r = tokio::time::timeout(Duration::from_secs(10), replies.recv())
            .await
            .expect("the known reply arrives")
            .expect("replies open");
        if r.to == KNOWN {
            assert_eq!(r.text, "pong");
            break;
        }
        if r.at > asked {
            between.push(r.to);
        }
    }
    assert!(
        between.len() <= 1,
        "the known reply waited for {} packets: {between:x?}",
        between.len()
    );
    // And the backlog goes on in class order: the strangers left before any more
    // sync (one sync packet was on air first, queued before the strangers were).
    let mut rest = Vec::new();
    while rest.len() < 10 {
        let r = tokio::time::timeout(Duration::from_secs(10), replies.recv())
            .await
            .expect("the backlog goes on")
            .expect("replies open");
        rest.push(r.to);
    }
    assert!(
        rest.iter().all(|&to| to >= STRANGERS),
        "sync overtook strangers: {rest:x?}"
    );
    mesh.shutdown().await;
}

/// Pacing by the channel: the node's own device metrics say the channel is busy, and
/// only the known player's reply goes; once the node reports a quiet channel, the
/// stranger's reply and the sync packet follow. The load comes as the firmware sends
/// it, a TELEMETRY_APP packet from the node to its phone.
#[tokio::test]
async fn a_busy_channel_holds_everything_but_known_players_replies() {
    use meshmush_protocol::packets::ChannelLoad;
    init_tracing();
    let mesh = Mesh::start(SimConfig {
        handsets: 0,
        virtual_handsets: true,
        ..SimConfig::default()
    })
    .await
    .expect("mesh");
    let mut replies = mesh.take_virtual_replies().expect("virtual replies");
    let gw = mesh.gateway().num;
    let mut bbs = Client::connect(fast_link(mesh.gateway())).await;
    // Tells the link the channel's load, and waits until it has read it: a text that
    // arrives after the report on the same stream.
    let mut marker = 0;
    let mut report = |util: f32| {
        marker += 1;
        mesh.report_load(
            gw,
            ChannelLoad {
                channel_util: util,
                air_util_tx: 1.0,
            },
        );
        mesh.inject_text(0x5300_0001, 700 + marker, &format!("marker {marker}"));
        marker
    };
    let m = report(45.0);
    assert_eq!(bbs.next_text().await.text, format!("marker {m}"));

    let link = &bbs.0.link;
    link.send_packets(PEER, PRIMARY_CHANNEL, Class::Sync, vec!["sync".into()])
        .await
        .expect("sync queued");
    link.send_packets(
        STRANGERS,
        PRIMARY_CHANNEL,
        Class::Stranger,
        vec!["hi".into()],
    )
    .await
    .expect("stranger's reply queued");
    link.send_packets(KNOWN, PRIMARY_CHANNEL, Class::Known, vec!["pong".into()])
        .await
        .expect("known reply queued");
    let first = tokio::time::timeout(Duration::from_secs(10), replies.recv())
        .await
        .expect("the known reply goes")
        .expect("replies open");
    assert_eq!((first.to, first.text.as_str()), (KNOWN, "pong"));
    // While the channel stays busy nothing else goes (the reading is fresh for three
    // minutes; a second is plenty for an instant mesh to have carried it).
    let held = tokio::time::timeout(Duration::from_secs(1), replies.recv()).await;
    assert!(held.is_err(), "sent on a busy channel: {held:?}");

    let m = report(5.0);
    assert_eq!(bbs.next_text().await.text, format!("marker {m}"));
    let mut rest = Vec::new();
    for _ in 0..2 {
        let r = tokio::time::timeout(Duration::from_secs(10), replies.recv())
            .await
            .expect("held packets go on a quiet channel")
            .expect("replies open");
        rest.push((r.to, r.text));
    }
    assert_eq!(
        rest,
        vec![(STRANGERS, "hi".to_string()), (PEER, "sync".to_string())]
    );
}
