//! `[federation]` in the config file: the BBS nodes this one exchanges bulletins and
//! mail with, the dialect each speaks, and how boards map to TC2-BBS's boards.
//!
//! Part of the config (which holds it) rather than of `federation` (which reads it),
//! so the config imports nothing above it.

use std::collections::BTreeMap;

use meshmush_protocol::packets::parse_node_id;
use serde::{Deserialize, Serialize};

/// The protocol a peer speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// Our own: acked, retried, resumable, items over several packets.
    Meshmush,
    /// TC2-BBS-mesh's `BULLETIN|...` lines: one DM per item, no acks.
    Tc2,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Self::Meshmush => "meshmush",
            Self::Tc2 => "tc2",
        }
    }
}

/// One `peers` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerConfig {
    /// The peer BBS's node id, `!a1b2c3d4`.
    pub node: String,
    pub dialect: Dialect,
    /// The peer's public key (base64, 32 bytes): only PKI DMs carrying this key are
    /// taken from it. Or `"tofu"`: the key of its first PKI DM is pinned (in the same
    /// pin store as players' keys) and required from then on. A peer needs one or the
    /// other: a plain DM can carry any `from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Takes the peer's DMs without any key (anyone in range can forge them): only
    /// with this set may `key` be left out, and every start logs a warning.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
}

/// How a peer's DMs are told from forgeries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerKey {
    /// Only PKI DMs carrying this key.
    Fixed(Vec<u8>),
    /// The key of its first PKI DM, pinned; then only PKI DMs carrying it.
    Tofu,
    /// Anything with its `from` (`insecure = true`).
    Insecure,
}

/// The `key` value that pins the peer's first key.
pub const TOFU: &str = "tofu";

/// `[federation]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationSection {
    pub peers: Vec<PeerConfig>,
    /// TC2 board name -> local board (compared ignoring case). A TC2 board in no entry
    /// maps to the local board of the same name, if there is one.
    pub boards: BTreeMap<String, String>,
    /// A bulletin for a board that maps to nothing here creates that board (true) or is
    /// refused with a log line (false).
    pub create_boards: bool,
    /// Seconds within which an unprefixed DM from a TC2 peer is joined to the 200-
    /// character line before it (TC2 splits long lines in two DMs, 2 s apart).
    pub join_window_secs: u64,
    /// Share of the region's duty cycle sync traffic may use, 0 to 1 (counted apart
    /// from the replies' share, so a backlog never crowds out players).
    pub airtime_share: f64,
    /// A meshmush peer that has not acked sent items after this many seconds gets
    /// them again.
    pub ack_timeout_secs: u64,
    /// Resends to a silent meshmush peer back off, doubling, up to this many seconds
    /// apart (an outage costs at most one window of packets per this long).
    pub retry_max_secs: u64,
    /// The most items one peer's outbox holds (a peer away for long): past it the
    /// oldest unsent item is dropped, logged and counted (`meshmush_sync_dropped`
    /// on `/metrics`), and a meshmush peer is told to skip it.
    pub outbox_max: u64,
    /// Every this many minutes each meshmush peer is sent a summary of the nodes heard
    /// here in the last 24 h (when it changed, or six periods passed), so mail for
    /// them comes here alone; 0 sends none.
    pub heard_every_mins: u64,
    /// Mail for a node another meshmush peer heard goes to that peer alone; if the peer
    /// has not confirmed it (acked) after this many seconds it goes to every peer.
    pub route_timeout_secs: u64,
}

impl Default for FederationSection {
    fn default() -> Self {
        let boards = [
            ("General", "general"),
            ("Info", "general"),
            ("News", "news"),
            ("Urgent", "general"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        Self {
            peers: Vec::new(),
            boards,
            create_boards: false,
            join_window_secs: 30,
            airtime_share: 0.1,
            ack_timeout_secs: 90,
            retry_max_secs: 900,
            outbox_max: 2000,
            heard_every_mins: 60,
            route_timeout_secs: 1800,
        }
    }
}

/// A configured peer, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub node: u32,
    pub dialect: Dialect,
    pub key: PeerKey,
}

impl FederationSection {
    /// Everything wrong, each as (key, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for (i, p) in self.peers.iter().enumerate() {
            let at = format!("federation.peers[{i}]");
            let Some(node) = parse_node_id(&p.node) else {
                out.push((at, format!("{:?} is not a node id like !a1b2c3d4", p.node)));
                continue;
            };
            if seen.contains(&node) {
                out.push((at.clone(), format!("{} is listed twice", p.node)));
            }
            seen.push(node);
            match &p.key {
                Some(k) if k.trim() == TOFU => {}
                Some(k) if super::keys::decode_key(k).is_none() => {
                    out.push((
                        format!("{at}.key"),
                        "not a base64 32-byte public key (as `meshtastic --info` prints it) \
                         nor \"tofu\""
                            .into(),
                    ));
                }
                Some(_) => {}
                None if p.insecure => {}
                None => {
                    out.push((
                        format!("{at}.key"),
                        format!(
                            "{} has no key: anyone in range can send DMs as it. Give its \
                             public key (as `meshtastic --info` prints it), or key = \"tofu\" \
                             to pin the key of its first PKI DM, or insecure = true to take \
                             forgeable plain DMs",
                            p.node
                        ),
                    ));
                }
            }
        }
        if !(0.0..=1.0).contains(&self.airtime_share) || self.airtime_share == 0.0 {
            out.push((
                "federation.airtime_share".into(),
                format!("{} is not above 0 and at most 1", self.airtime_share),
            ));
        }
        out
    }

    /// The peers, checked (entries that fail [`problems`](Self::problems) are left out).
    pub fn peers(&self) -> Vec<Peer> {
        self.peers
            .iter()
            .filter_map(|p| {
                let key = match p.key.as_deref().map(str::trim) {
                    Some(TOFU) => PeerKey::Tofu,
                    Some(k) => PeerKey::Fixed(super::keys::decode_key(k)?),
                    None if p.insecure => PeerKey::Insecure,
                    None => return None,
                };
                Some(Peer {
                    node: parse_node_id(&p.node)?,
                    dialect: p.dialect,
                    key,
                })
            })
            .collect()
    }
}
