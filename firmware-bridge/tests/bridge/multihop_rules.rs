//! The multi-hop model's rules, one by one, each on the smallest topology that shows
//! it: relays decrement the hop limit, clients give up a relay a neighbour already
//! made and routers do not, next hops are learned from ACKs and forgotten on the last
//! retry, and overlapping packets within 6 dB are both lost.

use meshmush_firmware_bridge::sim::multihop::{
    BROADCAST, NodeSpec, Output, RadioMesh, RadioParams, Role, Send, Topology, TxRecord,
};
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;

const SECOND: u64 = 1_000_000;

fn nums(n: usize) -> Vec<u32> {
    (1..=n as u32).map(|k| 0x1000 + k).collect()
}

fn text(to: u32, id: u32, want_ack: bool, hop_limit: u8) -> Send<()> {
    Send {
        to,
        id,
        want_ack,
        hop_limit,
        request_id: 0,
        phy_len: 60,
        payload: (),
    }
}

fn sent_by(mesh: &RadioMesh<()>, node: u32) -> Vec<TxRecord> {
    mesh.trace()
        .iter()
        .filter(|t| t.node == node)
        .cloned()
        .collect()
}

fn delivered_to(outputs: &[Output<()>], node: u32) -> usize {
    outputs
        .iter()
        .filter(|o| matches!(o, Output::Delivered { node: n, .. } if *n == node))
        .count()
}

#[test]
fn a_relay_decrements_the_hop_limit() {
    // n1 - n2 - n3 - n4 in a line: each copy down the line has one hop fewer, and the
    // last node, reached with 0 left, does not relay.
    let mut mesh = RadioMesh::new(Topology::line(4, RadioParams::default()), &nums(4), 1);
    let ids = nums(4);
    mesh.send(ids[0], text(BROADCAST, 7, false, 3));
    mesh.run_until(60 * SECOND);
    let limits: Vec<(u32, u8)> = mesh.trace().iter().map(|t| (t.node, t.hop_limit)).collect();
    assert_eq!(
        limits,
        vec![(ids[0], 3), (ids[1], 2), (ids[2], 1), (ids[3], 0)]
    );
    // With hop limit 1 the packet goes two radio hops and no further.
    let mut mesh = RadioMesh::new(Topology::line(4, RadioParams::default()), &nums(4), 1);
    mesh.send(ids[0], text(BROADCAST, 8, false, 1));
    mesh.run_until(60 * SECOND);
    let out = mesh.take_outputs();
    assert_eq!(delivered_to(&out, ids[2]), 1);
    assert_eq!(delivered_to(&out, ids[3]), 0);
    assert!(sent_by(&mesh, ids[2]).is_empty());
}

/// n1 in the middle of three nodes that all hear each other and n1: whoever relays
/// first, the others hear it.
fn triangle(role: Role) -> Topology {
    let radio = RadioParams::default();
    let s = radio.hop_spacing_m(1.0) / 3.0;
    let at = |name: &str, x: f64, y: f64, role| NodeSpec {
        name: name.into(),
        x,
        y,
        height_m: 1.0,
        role,
    };
    Topology {
        nodes: vec![
            at("origin", 0.0, 0.0, Role::Client),
            at("a", s, 0.0, role),
            at("b", -s, 0.0, role),
            at("c", 0.0, s, role),
        ],
        radio,
    }
}

#[test]
fn a_client_cancels_its_relay_on_hearing_a_duplicate() {
    for seed in 0..10 {
        let ids = nums(4);
        let mut mesh = RadioMesh::new(triangle(Role::Client), &ids, seed);
        mesh.send(ids[0], text(BROADCAST, 9, false, 3));
        mesh.run_until(60 * SECOND);
        let relays = mesh.trace().iter().filter(|t| t.node != ids[0]).count();
        let cancelled: u64 = ids[1..]
            .iter()
            .map(|&n| mesh.counters(n).unwrap().relays_cancelled)
            .sum();
        // Only collisions of relays that started within a slot of each other could
        // leave two; one relay reaches everyone and the others give theirs up.
        assert_eq!(relays as u64 + cancelled, 3, "seed {seed}");
        assert!(cancelled >= 1, "seed {seed}: {relays} relays");
    }
}

#[test]
fn a_router_does_not_cancel_its_relay() {
    for seed in 0..10 {
        let ids = nums(4);
        let mut mesh = RadioMesh::new(triangle(Role::Router), &ids, seed);
        mesh.send(ids[0], text(BROADCAST, 9, false, 3));
        mesh.run_until(60 * SECOND);
        for &r in &ids[1..] {
            assert_eq!(sent_by(&mesh, r).len(), 1, "seed {seed}: router {r:x}");
            assert_eq!(mesh.counters(r).unwrap().relays_cancelled, 0);
        }
    }
}

#[test]
fn client_mute_never_relays() {
    let ids = nums(4);
    let mut mesh = RadioMesh::new(triangle(Role::ClientMute), &ids, 3);
    mesh.send(ids[0], text(BROADCAST, 9, false, 3));
    mesh.run_until(60 * SECOND);
    assert_eq!(mesh.trace().len(), 1);
    assert_eq!(delivered_to(&mesh.take_outputs(), ids[3]), 1);
}

#[test]
fn next_hop_is_learned_from_an_ack_and_falls_back_to_flooding_on_the_last_retry() {
    let ids = nums(4);
    let (origin, relay, dest) = (ids[0], ids[1], ids[3]);
    let mut mesh = RadioMesh::new(Topology::line(4, RadioParams::default()), &ids, 5);
    // First contact floods; the ACK comes back through n2, which relayed the DM.
    mesh.send(origin, text(dest, 100, true, 3));
    mesh.run_until(120 * SECOND);
    let first = &sent_by(&mesh, origin)[0];
    assert_eq!(first.next_hop, 0, "first contact floods");
    assert!(
        delivered_to(&mesh.take_outputs(), origin) >= 1,
        "the ACK reached the origin"
    );
    assert_eq!(mesh.next_hop(origin, dest), Some((relay & 0xff) as u8));
    // The next DM goes to that next hop.
    mesh.send(origin, text(dest, 101, true, 3));
    mesh.run_until(240 * SECOND);
    let second: Vec<_> = sent_by(&mesh, origin)
        .into_iter()
        .filter(|t| t.id == 101)
        .collect();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].next_hop, (relay & 0xff) as u8);
    // With the next hop gone, nobody relays: the origin retries once to the next hop,
    // then floods the last retry, forgets the route, and reports the failure.
    mesh.set_down(relay, true);
    mesh.send(origin, text(dest, 102, true, 3));
    mesh.run_until(400 * SECOND);
    let third: Vec<u8> = sent_by(&mesh, origin)
        .into_iter()
        .filter(|t| t.id == 102)
        .map(|t| t.next_hop)
        .collect();
    assert_eq!(third, vec![(relay & 0xff) as u8, (relay & 0xff) as u8, 0]);
    assert_eq!(mesh.next_hop(origin, dest), None);
    let failed = mesh
        .take_outputs()
        .into_iter()
        .any(|o| matches!(o, Output::Failed { node, id: 102 } if node == origin));
    assert!(failed, "MAX_RETRANSMIT reported to the origin's client");
}

#[test]
fn a_heard_relay_is_an_implicit_ack() {
    let ids = nums(3);
    let mut mesh = RadioMesh::new(Topology::line(3, RadioParams::default()), &ids, 2);
    mesh.send(ids[0], text(BROADCAST, 55, true, 3));
    mesh.run_until(120 * SECOND);
    assert_eq!(
        sent_by(&mesh, ids[0]).len(),
        1,
        "no retry after hearing the relay"
    );
    let acked = mesh
        .take_outputs()
        .into_iter()
        .any(|o| matches!(o, Output::ImplicitAck { node, id: 55 } if node == ids[0]));
    assert!(acked);
}

/// Two senders out of each other's range (so channel activity detection cannot keep
/// them apart) on either side of a receiver, at `left` and `right` hop spacings.
fn hidden_pair(left: f64, right: f64) -> Topology {
    let radio = RadioParams::of(ModemPreset::LongFast);
    let s = radio.hop_spacing_m(1.0);
    let at = |name: &str, x: f64| NodeSpec {
        name: name.into(),
        x,
        y: 0.0,
        height_m: 1.0,
        role: Role::ClientMute,
    };
    Topology {
        nodes: vec![at("rx", 0.0), at("left", -left * s), at("right", right * s)],
        radio,
    }
}

#[test]
fn two_overlapping_packets_within_6_db_are_both_lost() {
    let ids = nums(3);
    // Equal distances: equal power at the receiver.
    let mut mesh = RadioMesh::new(hidden_pair(1.0, 1.0), &ids, 4);
    mesh.send(ids[1], text(BROADCAST, 1, false, 0));
    mesh.send(ids[2], text(BROADCAST, 2, false, 0));
    mesh.run_until(30 * SECOND);
    assert_eq!(delivered_to(&mesh.take_outputs(), ids[0]), 0);
    assert_eq!(mesh.counters(ids[0]).unwrap().rx_lost, 2);
    // The right one at a third of the left one's distance: 21 dB stronger, it
    // survives.
    let mut mesh = RadioMesh::new(hidden_pair(1.2, 0.4), &ids, 4);
    mesh.send(ids[1], text(BROADCAST, 1, false, 0));
    mesh.send(ids[2], text(BROADCAST, 2, false, 0));
    mesh.run_until(30 * SECOND);
    let out = mesh.take_outputs();
    let heard: Vec<u32> = out
        .iter()
        .filter_map(|o| match o {
            Output::Delivered { node, frame, .. } if *node == ids[0] => Some(frame.id),
            _ => None,
        })
        .collect();
    assert_eq!(heard, vec![2]);
    // Apart in time, both arrive.
    let mut mesh = RadioMesh::new(hidden_pair(1.0, 1.0), &ids, 4);
    mesh.send(ids[1], text(BROADCAST, 1, false, 0));
    mesh.run_until(10 * SECOND);
    mesh.send(ids[2], text(BROADCAST, 2, false, 0));
    mesh.run_until(20 * SECOND);
    assert_eq!(delivered_to(&mesh.take_outputs(), ids[0]), 2);
}

#[test]
fn the_channel_utilization_is_what_the_air_carried() {
    let ids = nums(2);
    let mut mesh = RadioMesh::new(Topology::line(2, RadioParams::default()), &ids, 1);
    for k in 0..10 {
        mesh.send(ids[0], text(BROADCAST, 10 + k, false, 0));
        mesh.run_until((k as u64 + 1) * 5 * SECOND);
    }
    let airtime: u64 = mesh.trace().iter().map(|t| t.airtime).sum();
    let expect = airtime as f64 * 100.0 / 60e6;
    for &n in &ids {
        let got = f64::from(mesh.channel_utilization(n));
        assert!((got - expect).abs() < 0.01, "{n:x}: {got} vs {expect}");
    }
    assert!(mesh.air_util_tx(ids[1]) == 0.0);
    assert!(mesh.air_util_tx(ids[0]) > 0.0);
}
