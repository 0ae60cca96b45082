//! `[link]` / `[[link]]` as the config file spells them: the section types, their
//! validation, and the small parsers validation shares with link setup.
//!
//! Here, below `config`, so the config can hold its link sections without importing
//! `crate::links` (which builds links from a whole `Config`, and so sits above it).

use base64::Engine as _;
use meshmush_protocol::crypto::ChannelKey;
use meshmush_protocol::packets::parse_node_id;
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};
use serde::{Deserialize, Serialize};

/// One link: exactly one of `port`, `tcp`, `mqtt` (or `sim` on the single form).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LinkSection {
    /// Serial device of the node (`/dev/ttyUSB0`).
    pub port: Option<String>,
    /// TCP API of the node, `HOST[:PORT]`.
    pub tcp: Option<String>,
    /// Serve the built-in software mesh. A config file that names no node must say
    /// this, so a daemon meant for a radio never serves a simulation by mistake.
    pub sim: bool,
    /// An MQTT broker, `HOST[:PORT]`: the BBS joins it as a virtual node.
    pub mqtt: Option<String>,
    /// MQTT topic root (default `msh/US`).
    pub root: Option<String>,
    /// The virtual node's id, such as `!bb5b0001` (MQTT only, required there).
    pub node: Option<String>,
    /// Channels served over MQTT (default: `LongFast` with the default key `AQ==`);
    /// the first is the primary.
    pub channels: Vec<ChannelEntry>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// TLS to the broker: not supported yet; `true` is refused.
    pub tls: bool,
    /// The virtual node's private key, base64 (default: kept in the data directory).
    pub private_key: Option<String>,
    /// The radio settings of the areas an MQTT link reaches (for airtime pacing):
    /// preset such as `LONG_FAST`, region such as `US`.
    pub preset: Option<String>,
    pub region: Option<String>,
    /// This link's share of the duty cycle (default `replies.airtime_share`).
    pub airtime_share: Option<f64>,
}

/// A channel of an MQTT link.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChannelEntry {
    pub name: String,
    /// Base64 PSK as Meshtastic writes it (`AQ==` = the default key).
    pub key: String,
}

/// `[link]` (one) or `[[link]]` (several).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Links {
    Many(Vec<LinkSection>),
    One(Box<LinkSection>),
}

impl Default for Links {
    fn default() -> Self {
        Self::One(Box::default())
    }
}

impl Links {
    pub fn entries(&self) -> &[LinkSection] {
        match self {
            Self::One(l) => std::slice::from_ref(&**l),
            Self::Many(ls) => ls,
        }
    }

    /// The single form's settings (or the first entry's): what `--port`, `--tcp` and
    /// `--sim` override.
    pub fn first(&self) -> LinkSection {
        self.entries().first().cloned().unwrap_or_default()
    }

    /// True when some entry names a node to talk to (a serial port, a TCP address or
    /// an MQTT broker) or asks for the built-in software mesh (`sim = true`). A file
    /// that does neither runs only with `--port`, `--tcp` or `--sim` given.
    pub fn names_a_node(&self) -> bool {
        self.entries()
            .iter()
            .any(|l| l.sim || l.port.is_some() || l.tcp.is_some() || l.mqtt.is_some())
    }

    /// True when the config names more than one link, or an MQTT one: the daemon
    /// then builds its links with [`crate::links::build`].
    pub fn needs_build(&self) -> bool {
        self.entries().len() > 1 || self.entries().iter().any(|l| l.mqtt.is_some())
    }

    /// Checks every entry: each problem as the key it is at and what is wrong.
    pub fn problems(&self) -> Vec<(String, String)> {
        let many = matches!(self, Self::Many(_));
        let mut out = Vec::new();
        for (i, l) in self.entries().iter().enumerate() {
            let at = |k: &str| {
                if many {
                    format!("link[{i}]{k}")
                } else {
                    format!("link{k}")
                }
            };
            let mut bad = |k: &str, message: &str| out.push((at(k), message.to_string()));
            let kinds = [l.port.is_some(), l.tcp.is_some(), l.mqtt.is_some(), l.sim]
                .iter()
                .filter(|k| **k)
                .count();
            if kinds > 1 {
                bad("", "give one of `port`, `tcp`, `mqtt` or `sim`");
            }
            if many && kinds == 0 {
                bad("", "give one of `port`, `tcp` or `mqtt`");
            }
            if many && l.sim {
                bad(".sim", "`sim` is for the single [link] form");
            }
            if let Some(share) = l.airtime_share
                && !(0.0..=1.0).contains(&share)
            {
                bad(".airtime_share", &format!("{share} is outside 0..=1"));
            }
            if l.mqtt.is_none() {
                continue;
            }
            if l.tls {
                bad(".tls", "TLS to the broker is not supported yet");
            }
            if !matches!(l.node.as_deref().map(parse_node_id), Some(Some(_))) {
                bad(".node", "an MQTT link needs `node = \"!1234abcd\"`");
            }
            for (c, ch) in l.channels.iter().enumerate() {
                if ch.name.is_empty() || ch.name.contains('/') {
                    bad(
                        &format!(".channels[{c}]"),
                        "a channel needs a name without `/`",
                    );
                }
                if let Err(e) = ChannelKey::from_base64(&ch.key) {
                    bad(&format!(".channels[{c}].key"), &e.to_string());
                }
            }
            if let Some(key) = &l.private_key
                && decode_private(key).is_none()
            {
                bad(".private_key", "not a base64 32-byte key");
            }
            if parse_preset(l.preset.as_deref()).is_none() {
                bad(".preset", "not a modem preset such as LONG_FAST");
            }
            if parse_region(l.region.as_deref()).is_none() {
                bad(".region", "not a region such as US or EU_868");
            }
        }
        out
    }
}

pub fn decode_private(text: &str) -> Option<[u8; 32]> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()?
        .try_into()
        .ok()
}

pub fn parse_preset(name: Option<&str>) -> Option<ModemPreset> {
    match name {
        None => Some(ModemPreset::LongFast),
        Some(n) => ModemPreset::from_str_name(&n.to_ascii_uppercase().replace('-', "_")),
    }
}

pub fn parse_region(name: Option<&str>) -> Option<RegionCode> {
    match name {
        None => Some(RegionCode::Us),
        Some(n) => RegionCode::from_str_name(&n.to_ascii_uppercase().replace('-', "_")),
    }
}
