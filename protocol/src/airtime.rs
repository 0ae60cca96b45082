//! LoRa time on air and regional duty cycles: the physical limit every reply pays.
//!
//! Time on air follows the Semtech SX127x/SX126x formula with the settings Meshtastic
//! uses: explicit header, CRC on, a 16-symbol preamble, and low-data-rate optimisation
//! when a symbol lasts longer than 16 ms. A Meshtastic packet adds a 16-byte header to
//! the encoded `Data` protobuf, so [`text_airtime`] accounts for both.

use std::time::Duration;

use crate::proto::config::lo_ra_config::{ModemPreset, RegionCode};

// The firmware's limits on one packet, from meshtastic/firmware:
// - src/mesh/RadioInterface.h: `MAX_LORA_PAYLOAD_LEN 255` (the SX12xx maximum),
//   `MESHTASTIC_HEADER_LENGTH 16` (the over-the-air header) and
//   `MESHTASTIC_PKC_OVERHEAD 12` (PKI: the 8-byte AES-CCM tag and the 4-byte extra
//   nonce appended to the ciphertext);
// - src/mesh/Router.cpp, `perhapsEncode`: a packet we originate gets
//   `decoded.has_bitfield = true` (ok_to_mqtt, want_response bits) before the Data is
//   encoded, and the send is refused with `Routing_Error_TOO_LARGE` when
//   `numbytes + MESHTASTIC_HEADER_LENGTH (+ MESHTASTIC_PKC_OVERHEAD for PKI) >
//   MAX_LORA_PAYLOAD_LEN`, where `numbytes` is the encoded `Data`;
// - protobufs meshtastic/mesh.proto: `Constants.DATA_PAYLOAD_LEN = 233`, the most
//   bytes `Data.payload` may hold (`packets::MAX_DATA_PAYLOAD`).

/// The largest LoRa frame the radio sends.
pub const MAX_LORA_PAYLOAD: usize = 255;
/// Bytes of the Meshtastic over-the-air header in front of every payload.
pub const MESH_HEADER: usize = 16;
/// Extra bytes a PKI-encrypted direct message carries (auth tag and nonce).
pub const PKI_OVERHEAD: usize = 12;
/// The `Data` fields around a text other than its payload: `portnum`
/// (TEXT_MESSAGE_APP: tag + 1-byte varint) and the `bitfield` the firmware sets on
/// every packet it originates (tag + 1-byte varint). `want_response`, `request_id`
/// and `emoji` are unset on a text, and proto3 leaves them out; so is `reply_id`,
/// except on a reply ([`REPLY_ID_BYTES`]).
pub const DATA_TEXT_FIELDS: usize = 2 + 2;

/// What `Data.reply_id` (field 7, `fixed32`: a tag byte and four) adds to a text that
/// answers another packet: the BBS's replies name the command they answer there (see
/// `TextOut::reply_id`).
pub const REPLY_ID_BYTES: usize = 5;

/// Bytes of the encoded `Data` carrying `text_len` bytes of text: the fields above,
/// the payload's tag and its length varint, and the text.
pub const fn text_data_len(text_len: usize) -> usize {
    let varint_len = if text_len < 128 { 1 } else { 2 };
    DATA_TEXT_FIELDS + 1 + varint_len + text_len
}

/// The most bytes of text one packet can carry before the firmware refuses it
/// (`TOO_LARGE`): a PKI direct message pays [`PKI_OVERHEAD`] more than a channel text.
pub const fn max_text_bytes(pki: bool) -> usize {
    max_text_beside(pki, 0)
}

/// The most bytes of text one packet can carry beside `extra` bytes of other `Data`
/// fields.
const fn max_text_beside(pki: bool, extra: usize) -> usize {
    let room = MAX_LORA_PAYLOAD - MESH_HEADER - if pki { PKI_OVERHEAD } else { 0 };
    let mut n = crate::packets::MAX_DATA_PAYLOAD;
    while n > 0 && text_data_len(n) + extra > room {
        n -= 1;
    }
    n
}

/// The text budget of a reply (a packet carrying `reply_id`) on a link whose budget is
/// `budget`: the same, but never so much that `reply_id` no longer fits beside it.
/// A budget above [`PKI_TEXT_BUDGET`] means DMs are not PKI-encrypted (the config
/// allows it only then).
pub const fn reply_text_budget(budget: usize) -> usize {
    let most = max_text_beside(budget <= PKI_TEXT_BUDGET, REPLY_ID_BYTES);
    if budget < most { budget } else { most }
}

/// The text budget of a PKI direct message: 220 bytes (255 - 16 - 12 = 227 bytes of
/// encoded `Data`, less 7 bytes of fields). Every reply is a DM, and on firmware 2.5+
/// a DM to a node whose key is known is PKI, so this is the default budget.
pub const PKI_TEXT_BUDGET: usize = max_text_bytes(true);

/// Preamble symbols Meshtastic uses on every preset.
pub const PREAMBLE_SYMBOLS: u32 = 16;

/// The radio settings of a modem preset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoraParams {
    /// Bandwidth in Hz.
    pub bandwidth_hz: u32,
    pub spreading_factor: u32,
    /// Coding rate denominator: 5 for 4/5 up to 8 for 4/8.
    pub coding_rate: u32,
}

impl LoraParams {
    /// The settings of a Meshtastic modem preset.
    pub fn of(preset: ModemPreset) -> Self {
        #[allow(deprecated)]
        let (bw_khz10, sf, cr) = match preset {
            ModemPreset::ShortTurbo => (5000, 7, 5),
            ModemPreset::ShortFast => (2500, 7, 5),
            ModemPreset::ShortSlow => (2500, 8, 5),
            ModemPreset::MediumFast => (2500, 9, 5),
            ModemPreset::MediumSlow => (2500, 10, 5),
            ModemPreset::LongFast => (2500, 11, 5),
            ModemPreset::LongModerate => (1250, 11, 8),
            ModemPreset::LongSlow => (1250, 12, 8),
            ModemPreset::VeryLongSlow => (625, 12, 8),
            ModemPreset::LongTurbo => (5000, 11, 8),
        };
        Self {
            bandwidth_hz: bw_khz10 * 100,
            spreading_factor: sf,
            coding_rate: cr,
        }
    }

    /// Duration of one symbol in seconds.
    pub fn symbol_secs(&self) -> f64 {
        f64::from(1u32 << self.spreading_factor) / f64::from(self.bandwidth_hz)
    }

    /// Time on air of a LoRa frame with `phy_len` bytes of PHY payload.
    pub fn time_on_air(&self, phy_len: usize) -> Duration {
        let t_sym = self.symbol_secs();
        let sf = f64::from(self.spreading_factor);
        let low_dr = if t_sym > 0.016 { 1.0 } else { 0.0 };
        let crc = 1.0;
        let implicit_header = 0.0;
        let cr = f64::from(self.coding_rate - 4);
        let numerator =
            8.0 * phy_len as f64 - 4.0 * sf + 28.0 + 16.0 * crc - 20.0 * implicit_header;
        let denominator = 4.0 * (sf - 2.0 * low_dr);
        let payload_symbols = 8.0 + ((numerator / denominator).ceil() * (cr + 4.0)).max(0.0);
        let preamble = (f64::from(PREAMBLE_SYMBOLS) + 4.25) * t_sym;
        Duration::from_secs_f64(preamble + payload_symbols * t_sym)
    }
}

/// Time on air of a frame with `phy_len` bytes of PHY payload on `preset`.
pub fn time_on_air(preset: ModemPreset, phy_len: usize) -> Duration {
    LoraParams::of(preset).time_on_air(phy_len)
}

/// Bytes on air for a text packet carrying `text_len` bytes of UTF-8: the mesh header,
/// the encoded `Data` ([`text_data_len`]) and, for PKI DMs, the overhead.
pub fn text_phy_len(text_len: usize, pki: bool) -> usize {
    MESH_HEADER + text_data_len(text_len) + if pki { PKI_OVERHEAD } else { 0 }
}

/// Bytes on air for a text packet: as [`text_phy_len`], and [`REPLY_ID_BYTES`] more
/// for a reply.
pub fn reply_phy_len(text_len: usize, reply: bool, pki: bool) -> usize {
    text_phy_len(text_len, pki) + if reply { REPLY_ID_BYTES } else { 0 }
}

/// Time on air of a text packet with `text_len` bytes of text.
pub fn text_airtime(preset: ModemPreset, text_len: usize, pki: bool) -> Duration {
    time_on_air(preset, text_phy_len(text_len, pki))
}

/// A region's transmit limit: the share of time a node may be on air.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DutyCycle {
    /// Percent of time on air allowed, 100 = unlimited.
    pub percent: f64,
    /// Window the percentage is measured over.
    pub window: Duration,
}

impl DutyCycle {
    /// Seconds on air allowed per window.
    pub fn budget(&self) -> Duration {
        self.window.mul_f64(self.percent / 100.0)
    }

    pub fn is_limited(&self) -> bool {
        self.percent < 100.0
    }
}

/// The duty cycle the firmware enforces in a region (data, per the firmware's table).
pub fn duty_cycle(region: RegionCode) -> DutyCycle {
    let percent = match region {
        RegionCode::Eu433 | RegionCode::Eu868 | RegionCode::Ua433 => 10.0,
        RegionCode::Ua868 => 1.0,
        _ => 100.0,
    };
    DutyCycle {
        percent,
        window: Duration::from_secs(3600),
    }
}

/// Parses a preset name as the CLI and config spell it (`LongFast`, `LONG_FAST`,
/// `long-fast`), case-insensitively.
pub fn parse_preset(name: &str) -> Option<ModemPreset> {
    let key = normalise(name);
    all_presets()
        .into_iter()
        .find(|p| normalise(p.as_str_name()) == key)
}

/// A preset as people write it (`LongFast`, `ShortTurbo`), from its protobuf name.
pub fn preset_label(preset: ModemPreset) -> String {
    preset
        .as_str_name()
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect()
}

/// Parses a region name (`EU_868`, `eu868`, `US`).
pub fn parse_region(name: &str) -> Option<RegionCode> {
    let key = normalise(name);
    (0..=40)
        .filter_map(|v| RegionCode::try_from(v).ok())
        .find(|r| normalise(r.as_str_name()) == key)
}

/// Every preset the firmware knows, slowest last.
#[allow(deprecated)]
pub fn all_presets() -> [ModemPreset; 10] {
    [
        ModemPreset::ShortTurbo,
        ModemPreset::ShortFast,
        ModemPreset::ShortSlow,
        ModemPreset::MediumFast,
        ModemPreset::MediumSlow,
        ModemPreset::LongTurbo,
        ModemPreset::LongFast,
        ModemPreset::LongModerate,
        ModemPreset::LongSlow,
        ModemPreset::VeryLongSlow,
    ]
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(preset: ModemPreset, bytes: usize, expect_secs: f64) {
        let got = time_on_air(preset, bytes).as_secs_f64();
        let err = (got - expect_secs).abs() / expect_secs;
        assert!(
            err <= 0.03,
            "{preset:?} {bytes} B: {got:.4}s vs {expect_secs}s ({:.1}%)",
            err * 100.0
        );
    }

    #[test]
    fn long_fast_matches_known_airtimes() {
        assert_close(ModemPreset::LongFast, 50, 0.64);
        assert_close(ModemPreset::LongFast, 100, 1.0);
        assert_close(ModemPreset::LongFast, 200, 1.75);
        assert_close(ModemPreset::LongFast, 255, 2.16);
    }

    #[test]
    fn short_fast_matches_known_airtimes() {
        assert_close(ModemPreset::ShortFast, 50, 0.053);
        assert_close(ModemPreset::ShortFast, 100, 0.091);
        assert_close(ModemPreset::ShortFast, 200, 0.163);
        assert_close(ModemPreset::ShortFast, 255, 0.204);
    }

    #[test]
    #[allow(deprecated)]
    fn long_slow_uses_low_data_rate_optimisation() {
        assert!(LoraParams::of(ModemPreset::LongSlow).symbol_secs() > 0.016);
        assert_close(ModemPreset::LongSlow, 50, 3.6);
        assert_close(ModemPreset::LongSlow, 100, 6.2);
        assert_close(ModemPreset::LongSlow, 200, 11.4);
        assert_close(ModemPreset::LongSlow, 255, 14.3);
    }

    #[test]
    fn airtime_grows_with_size_and_slower_presets() {
        for p in all_presets() {
            assert!(time_on_air(p, 10) < time_on_air(p, 200), "{p:?}");
        }
        let presets = all_presets();
        for w in presets.windows(2) {
            if w[0] != ModemPreset::LongTurbo && w[1] != ModemPreset::LongTurbo {
                assert!(time_on_air(w[0], 200) <= time_on_air(w[1], 200), "{w:?}");
            }
        }
    }

    #[test]
    fn text_packet_adds_header_and_data_overhead() {
        // portnum 2, payload tag 1 + length 2, bitfield 2.
        assert_eq!(text_phy_len(200, false), 16 + 2 + 1 + 2 + 2 + 200);
        assert_eq!(text_phy_len(200, true), text_phy_len(200, false) + 12);
        assert!(
            text_airtime(ModemPreset::LongFast, 200, true)
                > time_on_air(ModemPreset::LongFast, 200)
        );
    }

    #[test]
    fn the_text_budget_is_what_the_firmware_accepts() {
        assert_eq!(PKI_TEXT_BUDGET, 220);
        // The fullest PKI text packet is exactly the largest frame; one byte more is
        // TOO_LARGE.
        assert_eq!(text_phy_len(PKI_TEXT_BUDGET, true), MAX_LORA_PAYLOAD);
        assert!(text_phy_len(PKI_TEXT_BUDGET + 1, true) > MAX_LORA_PAYLOAD);
        // A channel text may carry 12 bytes more, and never more than the payload
        // field holds.
        assert_eq!(max_text_bytes(false), 232);
        assert!(max_text_bytes(false) <= crate::packets::MAX_DATA_PAYLOAD);
    }

    #[test]
    fn a_reply_keeps_room_for_its_reply_id() {
        // The fullest PKI reply is exactly the largest frame, as the fullest text is.
        let most = reply_text_budget(PKI_TEXT_BUDGET);
        assert_eq!(most, PKI_TEXT_BUDGET - REPLY_ID_BYTES);
        assert_eq!(reply_phy_len(most, true, true), MAX_LORA_PAYLOAD);
        assert!(reply_phy_len(most + 1, true, true) > MAX_LORA_PAYLOAD);
        // A smaller budget has room already; one above the PKI budget is for plain DMs.
        assert_eq!(reply_text_budget(200), 200);
        assert_eq!(reply_text_budget(232), 232 - REPLY_ID_BYTES);
        assert_eq!(
            reply_phy_len(reply_text_budget(232), true, false),
            MAX_LORA_PAYLOAD
        );
        assert_eq!(reply_phy_len(100, false, true), text_phy_len(100, true));
        // The model is what a reply encodes to, with the bitfield the firmware adds
        // (2 bytes).
        let mut out = crate::packets::TextOut::direct(1, "pong");
        out.reply_id = Some(77);
        let p = out.to_mesh_packet(2, 78);
        let data = crate::packets::decoded(&p).cloned().expect("decoded");
        use prost::Message;
        assert_eq!(
            MESH_HEADER + data.encoded_len() + 2,
            reply_phy_len(4, true, false)
        );
    }

    #[test]
    fn eu868_allows_six_minutes_an_hour() {
        let dc = duty_cycle(RegionCode::Eu868);
        assert_eq!(dc.budget(), Duration::from_secs(360));
        assert!(dc.is_limited());
        assert!(!duty_cycle(RegionCode::Us).is_limited());
        // About 180 full LongFast packets an hour fit the EU budget.
        let per_packet = time_on_air(ModemPreset::LongFast, 255).as_secs_f64();
        let packets = dc.budget().as_secs_f64() / per_packet;
        assert!((160.0..=180.0).contains(&packets), "{packets}");
    }

    #[test]
    fn presets_are_labelled_as_people_write_them() {
        assert_eq!(preset_label(ModemPreset::LongFast), "LongFast");
        assert_eq!(preset_label(ModemPreset::ShortTurbo), "ShortTurbo");
        for p in all_presets() {
            assert_eq!(parse_preset(&preset_label(p)), Some(p));
        }
    }

    #[test]
    fn names_parse_in_any_spelling() {
        assert_eq!(parse_preset("LongFast"), Some(ModemPreset::LongFast));
        assert_eq!(parse_preset("SHORT_FAST"), Some(ModemPreset::ShortFast));
        assert_eq!(parse_preset("nope"), None);
        assert_eq!(parse_region("EU_868"), Some(RegionCode::Eu868));
        assert_eq!(parse_region("us"), Some(RegionCode::Us));
    }
}
