//! Prices what the BBS sent each player from the model's trace: every transmission
//! of each packet anywhere in the mesh, and of its ACKs on the way back; and times
//! each command to the first packet of its reply.

use std::collections::{HashMap, HashSet};

use meshmush::config::HopRule;
use meshmush_firmware_bridge::sim::Heard;
use meshmush_firmware_bridge::sim::multihop::{Micros, TxRecord};
use meshmush_protocol::packets::TextMessage;

use super::report::HopRow;
use super::setup::{MAX_HOPS, secs};

/// What one player's commands were and what came back.
pub(super) struct Played {
    pub hops: usize,
    pub num: u32,
    /// The packet id of each command.
    pub commands: Vec<u32>,
    pub texts: Vec<TextMessage>,
}

/// The BBS's DMs to the players, priced, and the players' commands timed.
pub(super) fn account(
    rule: HopRule,
    bbs: u32,
    trace: &[TxRecord],
    heard: &[Heard],
    played: &[Played],
) -> Vec<HopRow> {
    let decoded: HashSet<(u32, u32, u32)> = heard.iter().map(|h| (h.node, h.from, h.id)).collect();
    let heard_at: HashMap<(u32, u32, u32), Micros> =
        heard.iter().fold(HashMap::new(), |mut m, h| {
            m.entry((h.node, h.from, h.id)).or_insert(h.at);
            m
        });
    let mut rows: Vec<HopRow> = (0..=MAX_HOPS)
        .map(|h| HopRow {
            rule: rule.to_string(),
            hops: Some(h),
            ..HopRow::default()
        })
        .collect();
    for p in played {
        let r = &mut rows[p.hops];
        // The BBS's packets to the player (not its ACKs to the player's commands).
        let mut packets: Vec<u32> = Vec::new();
        for t in trace {
            if t.from == bbs && t.to == p.num && t.request_id == 0 && !packets.contains(&t.id) {
                packets.push(t.id);
            }
        }
        for id in packets {
            let flooded = trace
                .iter()
                .find(|t| t.node == bbs && t.from == bbs && t.id == id)
                .is_none_or(|t| t.next_hop == 0);
            let air: Micros = trace
                .iter()
                .filter(|t| t.from == bbs && t.id == id)
                .map(|t| t.airtime)
                .sum();
            let acks: Micros = trace
                .iter()
                .filter(|t| t.from == p.num && t.to == bbs && t.request_id == id)
                .map(|t| t.airtime)
                .sum();
            let delivered = decoded.contains(&(p.num, bbs, id));
            if flooded {
                r.flooded_sent += 1;
                r.flooded_delivered += usize::from(delivered);
                r.flooded_airtime_s += secs(air);
                r.flooded_ack_airtime_s += secs(acks);
            } else {
                r.next_hop_sent += 1;
                r.next_hop_delivered += usize::from(delivered);
                r.next_hop_airtime_s += secs(air);
                r.next_hop_ack_airtime_s += secs(acks);
            }
        }
        for &cmd in &p.commands {
            r.commands += 1;
            let sent = trace
                .iter()
                .find(|t| t.from == p.num && t.id == cmd)
                .map(|t| t.at);
            let first = p
                .texts
                .iter()
                .filter(|t| t.reply_id == Some(cmd))
                .filter_map(|t| heard_at.get(&(p.num, bbs, t.id)).copied())
                .min();
            if let (Some(sent), Some(first)) = (sent, first) {
                r.answered += 1;
                r.latencies_s.push(secs(first.saturating_sub(sent)));
            }
        }
    }
    let mut all = HopRow {
        rule: rule.to_string(),
        hops: None,
        ..HopRow::default()
    };
    for r in &rows {
        all.add(r);
    }
    rows.push(all);
    rows
}
