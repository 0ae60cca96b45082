//! Hops: how far away a packet's sender is, and the hop limit the firmware gives its
//! own replies. Facts from meshtastic/firmware v2.7.26 (commit 54e0d8d).
//!
//! - Hops away (src/mesh/NodeDB.cpp:1675-1690, `getHopsAway`): `hop_start -
//!   hop_limit`, unknown when `hop_start` is 0 and the packet has no `Data.bitfield`
//!   (firmware before 2.3.0 never set `hop_start`; 2.5.0 and later always send the
//!   bitfield, so with it a 0 is a real zero-hop packet), and unknown when `hop_start <
//!   hop_limit` (invalid).
//! - A reply's hop limit (src/modules/RoutingModule.cpp:62-78,
//!   `getHopLimitForResponse`), with h the request's hops away and cfg the node's
//!   configured hop limit: h when h > cfg; 0 when `hop_start` is 0; h + 2 when that is
//!   below cfg; else cfg. (`Default::getConfiguredOrDefaultHopLimit`,
//!   src/mesh/Default.cpp:72-79, caps cfg at `HOP_MAX`, 7.)
//! - A client may set any hop limit up to 7 per packet; 0 with `want_ack` becomes cfg
//!   (src/mesh/Router.cpp:271-276), so a zero-hop reply must go without `want_ack`.
//!   Above 7 becomes 3 (src/mesh/RadioInterface.cpp:984-987).

/// The most hops the firmware allows (`HOP_MAX`, src/mesh/MeshTypes.h:38).
pub const MAX_HOP_LIMIT: u32 = 7;

/// Hops away of a packet with these header fields (`has_bitfield`: its decoded `Data`
/// carried a bitfield), as the firmware's `getHopsAway` reckons them; `None` unknown.
pub fn hops_away(hop_start: u32, hop_limit: u32, has_bitfield: bool) -> Option<u32> {
    if hop_start == 0 && !has_bitfield {
        return None;
    }
    if hop_start < hop_limit {
        return None;
    }
    Some(hop_start - hop_limit)
}

/// The hop limit of a packet we send, and whether it may ask for an ack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyHops {
    pub hop_limit: u32,
    /// False only for a zero-hop reply: with `want_ack` the node would raise 0 to its
    /// configured limit (Router.cpp:271-276).
    pub want_ack: bool,
}

impl ReplyHops {
    /// `hop_limit` (at most 7) with an ack wanted, unless it is 0.
    pub fn at(hop_limit: u32) -> Self {
        let hop_limit = hop_limit.min(MAX_HOP_LIMIT);
        Self {
            hop_limit,
            want_ack: hop_limit > 0,
        }
    }
}

/// The firmware's hop limit for its reply to a request that came `hops` away (`None`
/// unknown) with `hop_start`, at configured limit `cfg` (RoutingModule.cpp:62-78).
pub fn firmware_reply_hops(hops: Option<u32>, hop_start: u32, cfg: u32) -> ReplyHops {
    let cfg = cfg.min(MAX_HOP_LIMIT);
    let limit = match hops {
        Some(h) if h > cfg => h,
        Some(_) if hop_start == 0 => 0,
        Some(h) if h + 2 < cfg => h + 2,
        _ => cfg,
    };
    ReplyHops::at(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_away_follows_get_hops_away() {
        // (hop_start, hop_limit, bitfield) -> hops away; NodeDB.cpp:1675-1690.
        let table = [
            ((3, 3, true), Some(0)),
            ((3, 1, true), Some(2)),
            ((7, 0, false), Some(7)),
            ((0, 0, true), Some(0)), // a modern zero-hop packet
            ((0, 0, false), None),   // pre-2.3 firmware: no hop_start
            ((2, 3, true), None),    // hop_start < hop_limit: invalid
        ];
        for ((start, limit, bits), want) in table {
            assert_eq!(
                hops_away(start, limit, bits),
                want,
                "{start}/{limit}/{bits}"
            );
        }
    }

    #[test]
    fn reply_hops_follow_get_hop_limit_for_response() {
        // (hops away, hop_start, cfg) -> (reply hop_limit, want_ack); the rows of
        // RoutingModule.cpp:62-78 in order.
        let table = [
            // h unknown: cfg
            ((None, 0, 3), (3, true)),
            ((None, 5, 5), (5, true)),
            // h > cfg: h (even with hop_start 0, the first test wins)
            ((Some(5), 7, 3), (5, true)),
            // hop_start == 0 (a zero-hop request): 0, and no ack (Router.cpp:271-276)
            ((Some(0), 0, 3), (0, false)),
            // h + 2 < cfg: h + 2
            ((Some(0), 7, 7), (2, true)),
            ((Some(2), 7, 7), (4, true)),
            // otherwise cfg: so at cfg 3 only direct neighbours are trimmed, and not by
            // much (0 + 2 < 3 gives 2)
            ((Some(0), 3, 3), (2, true)),
            ((Some(1), 3, 3), (3, true)),
            ((Some(3), 3, 3), (3, true)),
            // cfg above HOP_MAX is HOP_MAX (Default.cpp:72-79)
            ((None, 3, 9), (7, true)),
        ];
        for ((h, start, cfg), (limit, ack)) in table {
            assert_eq!(
                firmware_reply_hops(h, start, cfg),
                ReplyHops {
                    hop_limit: limit,
                    want_ack: ack
                },
                "h={h:?} hop_start={start} cfg={cfg}"
            );
        }
    }
}
