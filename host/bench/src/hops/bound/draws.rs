//! Figure 16b's draws: a player's request, the BBS's flooded reply, priced at each
//! hop limit, and the rules on chains of replies through the daemon's [`Reach`].

use meshmush::config::HopRule;
use meshmush::reach::Reach;
use meshmush_firmware_bridge::sim::HANDSET_BASE;
use meshmush_firmware_bridge::sim::multihop::{Output, RadioMesh, Send, Topology};
use meshmush_protocol::hops::hops_away;
use meshmush_protocol::packets::TextMessage;
use meshmush_protocol::proto::routing;

use super::super::players::Player;
use super::cells::{
    BoundDraws, CFG, Cell, LIMITS, PlayerCells, QUIET, REPLY_LEN, REPLY_RUN, REQUEST_LEN,
};

fn send(to: u32, id: u32, hop_limit: u8, want_ack: bool, phy_len: usize) -> Send<()> {
    Send {
        to,
        id,
        want_ack,
        hop_limit,
        request_id: 0,
        phy_len,
        payload: (),
    }
}

/// The hop limit a player `h` hops out asks with: 3, or as many hops as it needs.
fn request_limit(h: usize) -> u8 {
    CFG.max(h as u8)
}

/// Node numbers for the topology's nodes, as the software mesh numbers its handsets
/// (`HANDSET_BASE + k + 1`); node 0 is the BBS's.
pub(super) fn node_nums(t: &Topology) -> Vec<u32> {
    (0..t.nodes.len() as u32)
        .map(|k| HANDSET_BASE + k + 1)
        .collect()
}

/// A fresh mesh (draw `seed`) after `player`'s request reached the BBS's node and
/// the mesh went quiet, and the request as the BBS's node heard it first (its hops
/// can differ from the player's distance on the map: the first copy heard may have
/// come a longer way); `None` when the request never reached it.
fn asked(
    t: &Topology,
    nums: &[u32],
    player: &Player,
    seed: u64,
) -> Option<(RadioMesh<()>, TextMessage)> {
    let (bbs, pn) = (nums[0], nums[player.node]);
    let mut m: RadioMesh<()> = RadioMesh::new(t.clone(), nums, seed);
    m.send(
        pn,
        send(bbs, 1, request_limit(player.hops), true, REQUEST_LEN),
    );
    let mut heard = None;
    while heard.is_none() && m.step() {
        heard = m.take_outputs().into_iter().find_map(|o| match o {
            Output::Delivered { node, frame, .. } if node == bbs && frame.id == 1 => {
                Some(request(pn, bbs, frame.hop_start, frame.hop_limit))
            }
            _ => None,
        });
    }
    let heard = heard?;
    let now = m.now();
    m.run_until(now + QUIET);
    m.take_outputs();
    Some((m, heard))
}

/// What became of one reply.
struct Sent {
    delivered: bool,
    /// The BBS's node got the destination's ACK.
    acked: bool,
    airtime_us: u64,
    /// The BBS node's sends of it that went to a next hop (0: it flooded).
    routed: u64,
}

/// The BBS's node sends reply `id` to the player's node at `hop_limit`.
fn reply(m: &mut RadioMesh<()>, bbs: u32, pn: u32, id: u32, hop_limit: u8, want_ack: bool) -> Sent {
    m.send(bbs, send(pn, id, hop_limit, want_ack, REPLY_LEN));
    let now = m.now();
    m.run_until(now + REPLY_RUN);
    let outs = m.take_outputs();
    let delivered = outs.iter().any(
        |o| matches!(o, Output::Delivered { node, frame, .. } if *node == pn && frame.id == id),
    );
    let acked = outs.iter().any(|o| {
        matches!(o, Output::Delivered { node, frame, .. }
            if *node == bbs && frame.from == pn && frame.request_id == id)
    });
    let routed = m
        .trace()
        .iter()
        .filter(|r| r.node == bbs && r.from == bbs && r.id == id && r.next_hop != 0)
        .count() as u64;
    let airtime_us = m
        .trace()
        .iter()
        .filter(|r| r.from == bbs && r.id == id)
        .map(|r| r.airtime)
        .sum();
    Sent {
        delivered,
        acked,
        airtime_us,
        routed,
    }
}

/// The player's row: its reply priced at each hop limit.
pub(super) fn price(t: &Topology, nums: &[u32], player: &Player, draws: u64) -> PlayerCells {
    let (bbs, pn) = (nums[0], nums[player.node]);
    let cells = LIMITS
        .map(|limit| {
            let mut c = Cell {
                limit,
                ..Cell::default()
            };
            for draw in 0..draws {
                let Some((mut m, _)) = asked(t, nums, player, draw + 7) else {
                    continue;
                };
                let s = reply(&mut m, bbs, pn, 2, limit, true);
                c.sent += 1;
                c.delivered += u64::from(s.delivered);
                c.airtime_us += s.airtime_us;
                c.routed += s.routed;
            }
            c
        })
        .collect();
    PlayerCells {
        name: player.name.clone(),
        hops: player.hops,
        cells,
    }
}

/// The request as the daemon's router sees it: from `pn`, with the hops it came.
fn request(pn: u32, bbs: u32, hop_start: u8, hop_limit: u8) -> TextMessage {
    TextMessage {
        from: pn,
        to: bbs,
        channel: 0,
        id: 1,
        text: String::new(),
        rx_time: 0,
        rx_snr: None,
        rx_rssi: None,
        hops: hops_away(hop_start.into(), hop_limit.into(), true),
        hop_start: hop_start.into(),
        pki_encrypted: true,
        public_key: None,
        signature: None,
        want_ack: true,
        reply_id: None,
        emoji: false,
    }
}

/// `rule` on chains of replies to each player, through the daemon's [`Reach`].
pub(super) fn play_rule(
    rule: HopRule,
    t: &Topology,
    nums: &[u32],
    players: &[Player],
    draws: BoundDraws,
) -> Vec<Cell> {
    let bbs = nums[0];
    players
        .iter()
        .map(|player| {
            let pn = nums[player.node];
            let mut c = Cell::default();
            for chain in 0..draws.chains {
                let reach = Reach::unsaved(rule, CFG.into());
                for k in 0..draws.replies {
                    let Some((mut m, heard)) = asked(t, nums, player, 1_000_000 + chain * 1000 + k)
                    else {
                        continue;
                    };
                    reach.heard(&heard);
                    let hops = reach.hops_for(pn);
                    let limit = hops.hop_limit.min(7) as u8;
                    let mut s = reply(&mut m, bbs, pn, 2, limit, hops.want_ack);
                    reach.outcome(pn, limit.into(), outcome(&s));
                    if !s.acked && limit < CFG && hops.want_ack {
                        // Under a new id (4: the BBS node's ACK ids are odd).
                        let again = reply(&mut m, bbs, pn, 4, CFG, true);
                        reach.outcome(pn, CFG.into(), outcome(&again));
                        s.delivered |= again.delivered;
                        s.airtime_us += again.airtime_us;
                        c.sent_again += 1;
                    }
                    c.sent += 1;
                    c.delivered += u64::from(s.delivered);
                    c.airtime_us += s.airtime_us;
                }
            }
            c
        })
        .collect()
}

fn outcome(s: &Sent) -> Result<(), routing::Error> {
    if s.acked {
        Ok(())
    } else {
        Err(routing::Error::MaxRetransmit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hops::players::players;
    use crate::hops::setup::{MAX_HOPS, NODES, PER_HOP, TOPOLOGY_SEED};
    use meshmush_firmware_bridge::sim::multihop::RadioParams;

    /// Figure 16's mesh, its node numbers and its players.
    fn figure_16_mesh() -> (Topology, Vec<u32>, Vec<Player>) {
        let t = Topology::parse(
            &format!("random:{NODES}:{TOPOLOGY_SEED}"),
            RadioParams::default(),
        )
        .expect("topology");
        let (nums, ps) = (node_nums(&t), players(&t, MAX_HOPS, PER_HOP));
        (t, nums, ps)
    }

    #[test]
    fn the_rules_hear_the_hops_the_request_came_not_the_map_distance() {
        let (t, nums, ps) = figure_16_mesh();
        // The second player 1 hop out (n8): its first copy to reach the BBS's node
        // mostly came a longer way.
        assert_eq!(ps[3].hops, 1);
        let heard: Vec<Option<u32>> = (0..20)
            .filter_map(|d| asked(&t, &nums, &ps[3], d + 7))
            .map(|(_, r)| r.hops)
            .collect();
        assert!(heard.iter().all(|h| h.is_some_and(|h| h >= 1)), "{heard:?}");
        assert!(heard.contains(&Some(2)), "{heard:?}");
    }

    #[test]
    fn a_flood_to_a_direct_neighbour_costs_the_mesh_less_at_limit_1_and_still_arrives() {
        let (t, nums, ps) = figure_16_mesh();
        // The second player 0 hops out (n6): some of the BBS's neighbours do not hear
        // its ACK in time, and relay.
        let p = price(&t, &nums, &ps[1], 20);
        assert_eq!(ps[1].hops, 0);
        assert!(
            p.cells.iter().all(|c| c.routed == 0),
            "every reply floods: {p:?}"
        );
        let (at1, at3) = (p.cells[0], p.cells[2]);
        assert_eq!(
            (at1.delivered, at3.delivered),
            (at1.sent, at3.sent),
            "{p:?}"
        );
        let (c1, c3) = (
            at1.per_delivered().expect("delivered"),
            at3.per_delivered().expect("delivered"),
        );
        assert!(
            c1 < 0.6 * c3,
            "limit 1: {c1:.2} s, limit 3: {c3:.2} s a delivered reply"
        );
    }
}
