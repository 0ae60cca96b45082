//! How long the firmware waits before it transmits: a relay's wait, and the
//! originator's wait between tries of a packet that wants an ack. The host uses them
//! to judge a DM a neighbour relayed (how long the destination's ACK may take) and to
//! let a request's flood end before the reply goes. Facts from meshtastic/firmware
//! v2.7.26 (commit 54e0d8d):
//!
//! - Slot (src/mesh/RadioInterface.cpp, `computeSlotTimeMsec`): CAD of
//!   max(2.25, `NUM_SYM_CAD` + 0.5) = 2.5 symbols, plus 0.2 + 0.4 + 7 ms of
//!   propagation, turnaround and MAC time: 28.1 ms on LongFast.
//! - A relay's wait (RadioInterface.cpp:576-637 and 887-904,
//!   `getTxDelayMsecWeighted`): a ROUTER waits random(0, 2·CW) slots; every other role
//!   2·`CWmax` slots (the client offset, so routers go first) plus random(0, 2^CW)
//!   slots, with CW mapped from the SNR the packet was heard at (-20..10 dB onto
//!   `CWmin`..`CWmax`, 3..8; src/mesh/RadioInterface.h).
//! - The originator's wait before its next try (RadioInterface.cpp:560-573,
//!   `getRetransmissionMsec`): 2·airtime + (2^CW + 2·`CWmax` + 2^((`CWmax` +
//!   `CWmin`)/2))·slot + `PROCESSING_TIME_MSEC` (4.5 s), that is 2·airtime +
//!   (2^CW + 48)·slot + 4.5 s, with CW mapped from the channel utilization.
//! - Tries (src/mesh/NextHopRouter.h:91-93, `NUM_RELIABLE_RETX` = 3): one send and two
//!   retries; the last floods. Hearing a neighbour relay the packet ends them
//!   (ReliableRouter.cpp:42-66, the implicit ACK).

use std::time::Duration;

use crate::airtime::LoraParams;
use crate::proto::config::lo_ra_config::ModemPreset;

/// `CWmin`, `CWmax` (src/mesh/RadioInterface.h).
pub const CW_MIN: u32 = 3;
pub const CW_MAX: u32 = 8;
/// `PROCESSING_TIME_MSEC` (src/mesh/RadioInterface.h).
pub const PROCESSING_TIME: Duration = Duration::from_millis(4500);
/// `NUM_RELIABLE_RETX` (src/mesh/NextHopRouter.h): sends of a packet wanting an ack,
/// the first included.
pub const RELIABLE_TRIES: u32 = 3;

/// `computeSlotTimeMsec` on `preset`.
pub fn slot_time(preset: ModemPreset) -> Duration {
    let symbol = LoraParams::of(preset).symbol_secs();
    Duration::from_secs_f64(2.5 * symbol + 7.6e-3)
}

/// The longest a non-router relay waits before it relays a packet heard with
/// contention window `cw`: 2·CWmax + 2^cw slots.
pub fn client_relay_window(preset: ModemPreset, cw: u32) -> Duration {
    let cw = cw.clamp(CW_MIN, CW_MAX);
    slot_time(preset) * (2 * CW_MAX + (1 << cw))
}

/// `getRetransmissionMsec` for a packet of `airtime` at contention window `cw`.
pub fn retransmission_interval(preset: ModemPreset, airtime: Duration, cw: u32) -> Duration {
    let cw = cw.clamp(CW_MIN, CW_MAX);
    let slots = (1 << cw) + 2 * CW_MAX + (1 << ((CW_MAX + CW_MIN) / 2));
    airtime * 2 + slot_time(preset) * slots + PROCESSING_TIME
}

/// How long the originator of a DM of `airtime` would have waited for its ACK through
/// all its tries, on the busiest channel (CW at `CWmax`): [`RELIABLE_TRIES`] retry
/// intervals. After a neighbour was heard relaying the DM the node stops trying, but
/// the destination's ACK, if it comes, comes within this: about 52 s for a full packet on
/// LongFast, against the 180 s a host would wait for an ACK by default.
pub fn ack_patience(preset: ModemPreset, airtime: Duration) -> Duration {
    retransmission_interval(preset, airtime, CW_MAX) * RELIABLE_TRIES
}

/// The contention window a relay generation is reckoned at: `getCWsize` maps a
/// packet heard at about 0 dB SNR to 6, a good link; a hearer farther out (lower SNR)
/// relays sooner and cancels the nearer ones' queued relays (FloodingRouter.cpp:
/// 118-153), so most of a generation is over by then.
pub const FLOOD_CW: u32 = 6;

/// Relay generations a reply trails the floods around our node by: the first relays
/// (our neighbours) and theirs, which our neighbours hear. A reply that leaves later
/// than that meets neither at any receiver on its way, as the floods move out ahead
/// of it at the same pace.
pub const TRAIL_GENERATIONS: u32 = 2;

/// One relay generation of a packet of `airtime`: a client's relay window at
/// [`FLOOD_CW`] (2·CWmax + 2^6 = 80 slots, 2.25 s on LongFast) and its airtime.
pub fn relay_generation(preset: ModemPreset, airtime: Duration) -> Duration {
    client_relay_window(preset, FLOOD_CW) + airtime
}

/// How long a reply waits, from the moment the request reached our node, for the
/// floods around our node to move out of its way: the request's own relays (while
/// it had hops left) and our node's ACK's (sent at once, at the firmware's response
/// hop limit), each going on for as many generations as it has hops, of which the
/// reply trails [`TRAIL_GENERATIONS`]. `flood_hops` is the larger of the two hop
/// limits; 0 (a zero-hop request, no ACK) waits for nothing.
pub fn flood_wait(preset: ModemPreset, airtime: Duration, flood_hops: u32) -> Duration {
    relay_generation(preset, airtime) * flood_hops.min(TRAIL_GENERATIONS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::airtime::time_on_air;

    #[test]
    fn longfast_figures_match_the_firmware_formulas() {
        let p = ModemPreset::LongFast;
        // 2^11 / 250 kHz = 8.192 ms a symbol; 2.5 symbols + 7.6 ms.
        assert_eq!(slot_time(p).as_micros(), 28_080);
        // A full packet (255 bytes on air), busiest channel: 2 x 2.16 s
        // + 304 slots + 4.5 s, three times.
        let full = time_on_air(p, 255);
        let interval = retransmission_interval(p, full, CW_MAX);
        assert_eq!(
            interval,
            full * 2 + Duration::from_micros(304 * 28_080) + PROCESSING_TIME
        );
        let patience = ack_patience(p, full);
        assert!(
            (50.0..54.0).contains(&patience.as_secs_f64()),
            "{patience:?}"
        );
        // A client's relay window: 16 + 2^6 slots at the flood's CW.
        assert_eq!(client_relay_window(p, FLOOD_CW).as_micros(), 80 * 28_080);
        // A short request's floods: two generations, about 5.5 s; none without hops.
        let short = time_on_air(p, 40);
        let wait = flood_wait(p, short, 3);
        assert_eq!(wait, (Duration::from_micros(80 * 28_080) + short) * 2);
        assert!((5.0..6.0).contains(&wait.as_secs_f64()), "{wait:?}");
        assert_eq!(flood_wait(p, short, 1), wait / 2);
        assert_eq!(flood_wait(p, short, 0), Duration::ZERO);
    }
}
