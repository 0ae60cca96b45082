//! The software node's transmit queue as a client sees it on the wire: every packet is
//! answered with `queueStatus`, and once the node has said its queue is full it says,
//! unasked, when a slot frees (as the firmware's `MeshService::loop` does), so a
//! client never has to poll to learn it may send again. On an instant mesh a packet
//! takes no time on the air, so the queue never holds one for long.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use meshmush_protocol::framing::{Frame, HostCodec};
use meshmush_protocol::packets::{TextOut, want_config};
use meshmush_protocol::proto::{PortNum, QueueStatus, from_radio, mesh_packet};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

async fn next_queue_status(wire: &mut Framed<TcpStream, HostCodec>) -> QueueStatus {
    loop {
        let frame = tokio::time::timeout(crate::common::WAIT, wire.next())
            .await
            .expect("a frame in time")
            .expect("stream open")
            .expect("a good frame");
        if let Frame::Message(msg) = frame
            && let Some(from_radio::PayloadVariant::QueueStatus(qs)) = msg.payload_variant
        {
            return qs;
        }
    }
}

/// A mesh with one handset at `time_scale` (1.0: real LongFast airtime, each packet
/// holding the transmitter for about half a second; 0: instant), and a raw client past
/// its handshake with the gateway.
async fn connected(time_scale: f64) -> (Mesh, Framed<TcpStream, HostCodec>, u32) {
    let mesh = Mesh::start(SimConfig {
        handsets: 1,
        time_scale,
        duty_cycle_percent: Some(100.0),
        ..SimConfig::default()
    })
    .await
    .expect("mesh starts");
    let handset = mesh.handsets()[0].num;
    let stream = TcpStream::connect(mesh.gateway().addr)
        .await
        .expect("connect");
    let mut wire = Framed::new(stream, HostCodec::new());
    wire.send(&want_config(7)).await.expect("write");
    loop {
        let frame = wire.next().await.expect("open").expect("frame");
        if let Frame::Message(m) = frame
            && m.payload_variant == Some(from_radio::PayloadVariant::ConfigCompleteId(7))
        {
            break;
        }
    }
    (mesh, wire, handset)
}

#[tokio::test]
async fn a_full_queue_announces_its_first_free_slot() {
    let (mesh, mut wire, handset) = connected(1.0).await;

    // The first packet goes straight to the transmitter; 16 more fill the queue.
    let mut last = None;
    for id in 1..=17u32 {
        let packet = TextOut::direct(handset, format!("packet {id}")).to_radio(id);
        wire.send(&packet).await.expect("write");
        let qs = next_queue_status(&mut wire).await;
        assert_eq!(qs.mesh_packet_id, id, "each packet answered in turn");
        assert_eq!(qs.res, 0, "packet {id} accepted: {qs:?}");
        last = Some(qs);
    }
    assert_eq!(last.map(|q| q.free), Some(0), "the queue is full");

    // Nothing more is sent, yet the node reports the slot the transmitter frees.
    let unasked = next_queue_status(&mut wire).await;
    assert_eq!(unasked.mesh_packet_id, 0, "{unasked:?}");
    assert_eq!(unasked.res, 0);
    assert!(unasked.free >= 1, "{unasked:?}");
    assert_eq!(unasked.maxlen, 16);
    mesh.shutdown().await;
}

#[tokio::test]
async fn a_queue_never_reported_full_volunteers_nothing() {
    let (mesh, mut wire, handset) = connected(1.0).await;
    for id in 1..=3u32 {
        let packet = TextOut::direct(handset, format!("packet {id}")).to_radio(id);
        wire.send(&packet).await.expect("write");
    }
    let mut statuses = Vec::new();
    let quiet = tokio::time::sleep(Duration::from_secs(3));
    tokio::pin!(quiet);
    loop {
        tokio::select! {
            frame = wire.next() => match frame {
                Some(Ok(Frame::Message(m))) => {
                    if let Some(from_radio::PayloadVariant::QueueStatus(qs)) = m.payload_variant {
                        statuses.push(qs.mesh_packet_id);
                    }
                }
                Some(_) => {}
                None => break,
            },
            _ = &mut quiet => break,
        }
    }
    // Three packets, three answers, and the transmitter sent all three meanwhile.
    assert_eq!(statuses, [1, 2, 3]);
    mesh.shutdown().await;
}

#[tokio::test]
async fn an_instant_mesh_sends_a_burst_at_once_and_answers_each_packet_before_its_ack() {
    let (mesh, mut wire, handset) = connected(0.0).await;

    // Forty DMs, more than twice the queue, written without waiting for an answer.
    const BURST: u32 = 40;
    for id in 1..=BURST {
        let packet = TextOut::direct(handset, format!("packet {id}")).to_radio(id);
        wire.feed(&packet).await.expect("write");
    }
    SinkExt::<&meshmush_protocol::proto::ToRadio>::flush(&mut wire)
        .await
        .expect("flush");

    // What the client hears, in order: each packet's queue status and its ACK.
    let mut heard = Vec::new();
    while heard.iter().filter(|h| matches!(h, Heard::Ack(_))).count() < BURST as usize {
        let frame = tokio::time::timeout(crate::common::WAIT, wire.next())
            .await
            .unwrap_or_else(|_| panic!("an ACK for every packet in time; heard {heard:?}"))
            .expect("stream open")
            .expect("a good frame");
        let Frame::Message(msg) = frame else { continue };
        match msg.payload_variant {
            Some(from_radio::PayloadVariant::QueueStatus(qs)) => heard.push(Heard::Status(qs)),
            Some(from_radio::PayloadVariant::Packet(p)) => {
                if let Some(mesh_packet::PayloadVariant::Decoded(d)) = p.payload_variant
                    && d.portnum == PortNum::RoutingApp as i32
                {
                    heard.push(Heard::Ack(d.request_id));
                }
            }
            _ => {}
        }
    }
    for id in 1..=BURST {
        let status = heard
            .iter()
            .position(|h| matches!(h, Heard::Status(qs) if qs.mesh_packet_id == id))
            .unwrap_or_else(|| panic!("no queue status for packet {id}: {heard:?}"));
        let Heard::Status(qs) = &heard[status] else {
            unreachable!()
        };
        assert_eq!(qs.res, 0, "packet {id} refused: {qs:?}");
        // Only the packet itself was queued when the node answered: the radio took
        // every earlier one at once.
        assert_eq!(qs.free, 15, "packet {id}: {qs:?}");
        let ack = heard
            .iter()
            .position(|h| matches!(h, Heard::Ack(r) if *r == id))
            .unwrap_or_else(|| panic!("no ACK for packet {id}: {heard:?}"));
        assert!(
            status < ack,
            "packet {id}'s ACK came before its queue status"
        );
    }
    mesh.shutdown().await;
}

#[derive(Debug)]
enum Heard {
    Status(QueueStatus),
    Ack(u32),
}
