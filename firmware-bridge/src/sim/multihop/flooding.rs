//! Managed flooding, as firmware v2.7.26 (commit 54e0d8d) does it: who relays, with
//! what hop limit, after what wait, and who gives up a relay on hearing someone else's.
//! Each rule cites the firmware function it follows.

use meshmush_protocol::airtime::LoraParams;
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;
use rand::Rng;

use super::topology::Role;

/// `HOP_MAX` (src/mesh/MeshTypes.h).
pub const HOP_MAX: u8 = 7;
/// `HOP_RELIABLE` (src/mesh/MeshTypes.h): the default hop limit, and what a hop limit
/// above [`HOP_MAX`] becomes on the way out (RadioInterface.cpp `beginSending`).
pub const HOP_RELIABLE: u8 = 3;
/// `CWmin` and `CWmax` (src/mesh/RadioInterface.h), as the link reckons with them.
pub use meshmush_protocol::relay_timing::{CW_MAX, CW_MIN};
/// `PROCESSING_TIME_MSEC` (src/mesh/RadioInterface.h).
pub const PROCESSING_TIME_MS: f64 = 4500.0;
/// `NUM_SYM_CAD` (src/mesh/RadioInterface.h).
const NUM_SYM_CAD: f64 = 2.0;

/// Virtual time in microseconds.
pub type Micros = u64;

/// The timing constants of one modem preset.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub symbol_us: f64,
    pub slot_us: f64,
}

impl Timing {
    /// `RadioInterface::computeSlotTimeMsec`: CAD (max(2.25, NUM_SYM_CAD + 0.5)
    /// symbols) plus 0.2 + 0.4 + 7 ms of propagation, turnaround and MAC time.
    pub fn of(preset: ModemPreset) -> Self {
        let symbol_us = LoraParams::of(preset).symbol_secs() * 1e6;
        let slot_us = (2.25f64).max(NUM_SYM_CAD + 0.5) * symbol_us + 7.6e3;
        Self { symbol_us, slot_us }
    }

    /// The firmware's offset of every non-router relay: `2 · CWmax · slot` (448 ms on
    /// LongFast), so that routers go first.
    pub fn client_offset_us(&self) -> f64 {
        2.0 * f64::from(CW_MAX) * self.slot_us
    }

    /// The wait before relaying a packet heard at `snr` dB
    /// (`RadioInterface::getTxDelayMsecWeighted`): a ROUTER waits random(0, 2·CW)
    /// slots, every other role 2·CWmax slots plus random(0, 2^CW) slots. CW grows
    /// with SNR, so the farthest hearers relay first. (ROUTER_LATE waits as a client
    /// here; the firmware also moves its relay to the late window on a duplicate,
    /// `clampToLateRebroadcastWindow`, which the model leaves out.)
    pub fn relay_delay_us(&self, role: Role, snr: f64, rng: &mut impl Rng) -> Micros {
        let cw = cw_for_snr(snr);
        let slots = if role == Role::Router {
            rng.random_range(0..2 * cw) as f64
        } else {
            2.0 * f64::from(CW_MAX) + rng.random_range(0..1u32 << cw) as f64
        };
        (slots * self.slot_us) as Micros
    }

    /// The wait before sending a packet of one's own (`RadioInterface::getTxDelayMsec`):
    /// random(0, 2^CW) slots, CW mapped from channel utilization 0-100 % to 3-8.
    pub fn own_delay_us(&self, channel_util_percent: f64, rng: &mut impl Rng) -> Micros {
        let cw = map_cw(channel_util_percent, 0.0, 100.0);
        (rng.random_range(0..1u32 << cw) as f64 * self.slot_us) as Micros
    }

    /// Time before the originator of a packet that wants an ack sends it again
    /// (`RadioInterface::getRetransmissionMsec`): 2·airtime +
    /// (2^CW + 2·CWmax + 2^((CWmax+CWmin)/2))·slot + PROCESSING_TIME_MSEC.
    pub fn retransmission_us(&self, airtime_us: Micros, channel_util_percent: f64) -> Micros {
        let cw = map_cw(channel_util_percent, 0.0, 100.0);
        let slots = f64::from(1u32 << cw)
            + 2.0 * f64::from(CW_MAX)
            + f64::from(1u32 << ((CW_MAX + CW_MIN) / 2));
        2 * airtime_us + (slots * self.slot_us + PROCESSING_TIME_MS * 1e3) as Micros
    }
}

/// `RadioInterface::getCWsize`: SNR -20..10 dB mapped onto CWmin..CWmax (Arduino
/// `map`, integer, clamped here as the SNR of a decoded packet is in that range).
pub fn cw_for_snr(snr: f64) -> u32 {
    map_cw(snr, -20.0, 10.0)
}

fn map_cw(v: f64, lo: f64, hi: f64) -> u32 {
    let v = v.clamp(lo, hi);
    let span = f64::from(CW_MAX - CW_MIN);
    CW_MIN + ((v - lo) * span / (hi - lo)) as u32
}

/// `FloodingRouter::isRebroadcaster`: every role but CLIENT_MUTE relays.
pub fn relays(role: Role) -> bool {
    role != Role::ClientMute
}

/// `FloodingRouter::roleAllowsCancelingDupe`: ROUTER and ROUTER_LATE never give up a
/// relay on hearing someone else's; CLIENT_BASE does, unless the packet is from or to
/// a favourite (the model has no favourites); other roles do.
pub fn cancels_on_duplicate(role: Role) -> bool {
    !matches!(role, Role::Router | Role::RouterLate)
}

/// `getHopsAway` (src/mesh/NodeDB.cpp): `hop_start - hop_limit`, unknown when
/// `hop_start` is 0 or below `hop_limit`.
pub fn hops_away(hop_start: u8, hop_limit: u8) -> Option<u8> {
    (hop_start != 0 && hop_start >= hop_limit).then(|| hop_start - hop_limit)
}

/// The hop limit a node puts on its own responses (ACKs):
/// `RoutingModule::getHopLimitForResponse` (src/modules/RoutingModule.cpp). Hops used
/// above the configured limit are answered with as many; a request sent with
/// `hop_start` 0 is answered at 0; hops used + 2 when below the configured limit;
/// else the configured limit.
pub fn response_hop_limit(hop_start: u8, hop_limit: u8, configured: u8) -> u8 {
    // Every packet of the model carries the Data bitfield (firmware 2.5+), so
    // `getHopsAway` knows a `hop_start` of 0: 0 hops used, and 0 asked for.
    if hop_start == 0 && hop_limit == 0 {
        return 0;
    }
    match hops_away(hop_start, hop_limit) {
        Some(h) if h > configured => h,
        Some(h) if h + 2 < configured => h + 2,
        _ => configured,
    }
}

/// What a client's hop limit becomes on its way out: 0 with `want_ack` becomes the
/// configured limit (Router.cpp `send`, `RX_SRC_USER`), and above [`HOP_MAX`] becomes
/// [`HOP_RELIABLE`] (RadioInterface.cpp `beginSending`); any other value is used as
/// given, not capped at the configured limit.
pub fn outgoing_hop_limit(asked: u8, want_ack: bool, configured: u8) -> u8 {
    match asked {
        0 if want_ack => configured,
        h if h > HOP_MAX => HOP_RELIABLE,
        h => h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_and_offset_on_longfast() {
        let t = Timing::of(ModemPreset::LongFast);
        // 2^11 / 250 kHz = 8.192 ms a symbol; 2.5 symbols + 7.6 ms.
        assert!((t.slot_us - 28_080.0).abs() < 1.0, "{}", t.slot_us);
        assert_eq!((t.client_offset_us() / 1000.0).round(), 449.0);
    }

    #[test]
    fn distant_hearers_get_small_windows() {
        assert_eq!(cw_for_snr(-20.0), 3);
        assert_eq!(cw_for_snr(10.0), 8);
        assert_eq!(cw_for_snr(-5.0), 5);
    }

    #[test]
    fn response_limits_follow_routing_module() {
        assert_eq!(response_hop_limit(0, 0, 3), 0); // asked for 0 hops
        assert_eq!(response_hop_limit(0, 2, 3), 3); // unknown
        assert_eq!(response_hop_limit(7, 1, 3), 6); // more than configured
        assert_eq!(response_hop_limit(3, 3, 7), 2); // h + 2
        assert_eq!(response_hop_limit(3, 2, 3), 3);
        assert_eq!(outgoing_hop_limit(0, true, 5), 5);
        assert_eq!(outgoing_hop_limit(0, false, 5), 0);
        assert_eq!(outgoing_hop_limit(6, false, 3), 6);
        assert_eq!(outgoing_hop_limit(9, false, 3), 3);
    }
}
