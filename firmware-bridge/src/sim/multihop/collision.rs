//! What a receiver makes of overlapping packets: Meshtasticator's rule (lib/phy.py
//! `checkcollision`, `timingCollision`, `powerCollision`), with the firmware's 16
//! preamble symbols (`preambleLength`, src/mesh/RadioInterface.h).
//!
//! When a packet starts while another is on air at the same receiver, they collide if
//! the older one is still on air after the new one's first `PREAMBLE - 5` (11)
//! symbols (a receiver that locked on the old one cannot switch in time). Of two that
//! collide, both are lost when within 6 dB of each other; otherwise only the weaker.

use meshmush_protocol::airtime::PREAMBLE_SYMBOLS;

use super::flooding::Micros;

/// Power difference (dB) under which both colliding packets are lost.
pub const CAPTURE_DB: f64 = 6.0;
/// Symbols of the new packet's preamble that may overlap the old one's end without a
/// collision (Meshtasticator: `NPREAM - 5`).
pub const OVERLAP_SYMBOLS: u32 = PREAMBLE_SYMBOLS - 5;

/// One packet arriving at one receiver.
#[derive(Debug, Clone)]
pub struct Reception {
    /// The transmission it belongs to.
    pub tx: u64,
    pub start: Micros,
    pub end: Micros,
    pub rssi: f64,
    /// Lost to a collision, or to the receiver transmitting meanwhile.
    pub lost: bool,
}

/// A new reception `new` (starting now) against the receptions already at the
/// receiver: marks whichever are lost. `symbol_us` is the preset's symbol time.
pub fn arrive(new: &mut Reception, earlier: &mut [Reception], symbol_us: f64) {
    let lock = new.start + (f64::from(OVERLAP_SYMBOLS) * symbol_us) as Micros;
    for other in earlier.iter_mut() {
        if other.end <= new.start || lock >= other.end {
            continue; // over, or ending within the new one's first preamble symbols
        }
        let diff = new.rssi - other.rssi;
        if diff.abs() < CAPTURE_DB {
            new.lost = true;
            other.lost = true;
        } else if diff < 0.0 {
            new.lost = true;
        } else {
            other.lost = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rx(tx: u64, start: Micros, end: Micros, rssi: f64) -> Reception {
        Reception {
            tx,
            start,
            end,
            rssi,
            lost: false,
        }
    }

    #[test]
    fn within_six_db_both_are_lost() {
        let mut old = [rx(1, 0, 1_000_000, -100.0)];
        let mut new = rx(2, 10_000, 1_010_000, -104.0);
        arrive(&mut new, &mut old, 1000.0);
        assert!(new.lost && old[0].lost);
    }

    #[test]
    fn the_stronger_one_survives() {
        let mut old = [rx(1, 0, 1_000_000, -100.0)];
        let mut new = rx(2, 10_000, 1_010_000, -90.0);
        arrive(&mut new, &mut old, 1000.0);
        assert!(!new.lost && old[0].lost);
        let mut old = [rx(1, 0, 1_000_000, -90.0)];
        let mut new = rx(2, 10_000, 1_010_000, -100.0);
        arrive(&mut new, &mut old, 1000.0);
        assert!(new.lost && !old[0].lost);
    }

    #[test]
    fn overlap_within_the_preamble_is_harmless() {
        // The old one ends 10 symbols into the new one: within its 11.
        let mut old = [rx(1, 0, 1_000_000, -100.0)];
        let mut new = rx(2, 990_000, 2_000_000, -100.0);
        arrive(&mut new, &mut old, 1000.0);
        assert!(!new.lost && !old[0].lost);
    }
}
