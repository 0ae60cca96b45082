//! How well one node hears another: Meshtasticator's radio model, reused as it stands.
//!
//! - Path loss: the 3GPP suburban macro model of Meshtasticator's `lib/phy.py`
//!   (`estimate_path_loss`, `MODEL == 5`), with each node's antenna height.
//! - Sensitivity per modem preset: Meshtasticator's `lib/config.py`
//!   (`MODEM_PRESETS[...]["sensitivity"]`, from a LoRa sensitivity calculator at a 6 dB
//!   noise figure): -131.5 dBm on LongFast.
//! - SNR: the received power above Meshtasticator's noise level (`lib/config.py`
//!   `NOISE_LEVEL = -119.25`, as `lib/mac.py` `getTxDelayMsecWeighted` uses it).

use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;

/// Meshtasticator's noise level (dBm), from which an SNR is taken.
pub const NOISE_LEVEL_DBM: f64 = -119.25;

/// Loss in dB over `dist_m` metres at `freq_hz` between antennas at the given heights
/// (metres): 3GPP suburban macro, as Meshtasticator's `estimate_path_loss` computes it.
pub fn path_loss_db(dist_m: f64, freq_hz: f64, tx_height_m: f64, rx_height_m: f64) -> f64 {
    // Nodes on top of each other would make log(0): Meshtasticator clamps the same way.
    let dist = dist_m.max(0.001);
    let (tx_z, rx_z) = (tx_height_m.max(0.1), rx_height_m.max(0.1));
    (44.9 - 6.55 * tx_z.log10()) * (dist.log10() - 3.0)
        + 45.5
        + (35.46 - 1.1 * rx_z) * (freq_hz.log10() - 6.0)
        - 13.82 * rx_z.log10()
        + 0.7 * rx_z
}

/// The weakest signal a node decodes on `preset` (dBm).
#[allow(deprecated)]
pub fn sensitivity_dbm(preset: ModemPreset) -> f64 {
    match preset {
        ModemPreset::ShortTurbo => -118.5,
        ModemPreset::ShortFast => -121.5,
        ModemPreset::ShortSlow => -124.0,
        ModemPreset::MediumFast => -126.5,
        ModemPreset::MediumSlow => -129.0,
        ModemPreset::LongTurbo => -128.5,
        ModemPreset::LongFast => -131.5,
        ModemPreset::LongModerate => -134.5,
        ModemPreset::LongSlow => -137.0,
        ModemPreset::VeryLongSlow => -140.0,
    }
}

/// The SNR (dB) a packet received at `rssi_dbm` reports.
pub fn snr_db(rssi_dbm: f64) -> f64 {
    rssi_dbm - NOISE_LEVEL_DBM
}

/// The distance (metres) at which a signal arrives `margin_db` above `sensitivity_dbm`
/// between two antennas at `height_m`: used to space nodes so that neighbours hear each
/// other and the node after next does not.
pub fn range_m(
    tx_power_dbm: f64,
    sensitivity_dbm: f64,
    margin_db: f64,
    freq_hz: f64,
    height_m: f64,
) -> f64 {
    let budget = tx_power_dbm - sensitivity_dbm - margin_db;
    // Path loss is linear in log10(d): solve it from the loss at 1 km and its slope.
    let at_1km = path_loss_db(1000.0, freq_hz, height_m, height_m);
    let slope = 44.9 - 6.55 * height_m.max(0.1).log10();
    1000.0 * 10f64.powf((budget - at_1km) / slope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loss_matches_meshtasticator_at_one_kilometre() {
        // 3GPP suburban at 868 MHz, both antennas at 1 m: 45.5 + 34.36·log10(868) + 0.7.
        let l = path_loss_db(1000.0, 868e6, 1.0, 1.0);
        assert!((l - 147.17).abs() < 0.05, "{l}");
        // Doubling the distance costs 44.9·log10(2) dB.
        let l2 = path_loss_db(2000.0, 868e6, 1.0, 1.0);
        assert!((l2 - l - 13.52).abs() < 0.05, "{}", l2 - l);
    }

    #[test]
    fn range_is_where_the_margin_is_left() {
        let r = range_m(16.0, -124.25, 0.0, 868e6, 1.0);
        let rssi = 16.0 - path_loss_db(r, 868e6, 1.0, 1.0);
        assert!((rssi + 124.25).abs() < 0.01, "{rssi}");
    }
}
