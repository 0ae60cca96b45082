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
