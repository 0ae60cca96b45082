//! `[link]` / `[[link]]`: the radios (and brokers) the daemon serves through.
//!
//! One `[link]` table names one node, as before; `[[link]]` entries name several, each
//! a serial port, a TCP node or an MQTT broker, each with its own pacing, airtime
//! share and queue (see the firmware-bridge's link group). An MQTT entry makes the BBS
//! a virtual node on the broker, with its own node id and a key pair kept in the data
//! directory (`mqtt-!NODE.key`, made at first start) unless the entry gives one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use meshmush_firmware_bridge::Transport;
use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_firmware_bridge::mqtt::{self, MqttNodeConfig};
use meshmush_protocol::crypto::{ChannelKey, KeyPair};
use meshmush_protocol::mqtt::Channel;
use meshmush_protocol::packets::{node_id, parse_node_id};
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

    /// True when the config names more than one link, or an MQTT one: the daemon
    /// then builds its links with [`build`].
    pub fn needs_build(&self) -> bool {
        self.entries().len() > 1 || self.entries().iter().any(|l| l.mqtt.is_some())
    }

    /// Checks every entry; the error names the entry's key and what is wrong.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let many = matches!(self, Self::Many(_));
        for (i, l) in self.entries().iter().enumerate() {
            let at = |k: &str| {
                if many {
                    format!("link[{i}]{k}")
                } else {
                    format!("link{k}")
                }
            };
            let kinds = [l.port.is_some(), l.tcp.is_some(), l.mqtt.is_some(), l.sim]
                .iter()
                .filter(|k| **k)
                .count();
            if kinds > 1 {
                return Err((at(""), "give one of `port`, `tcp`, `mqtt` or `sim`".into()));
            }
            if many && kinds == 0 {
                return Err((at(""), "give one of `port`, `tcp` or `mqtt`".into()));
            }
            if many && l.sim {
                return Err((at(".sim"), "`sim` is for the single [link] form".into()));
            }
            if let Some(share) = l.airtime_share
                && !(0.0..=1.0).contains(&share)
            {
                return Err((at(".airtime_share"), format!("{share} is outside 0..=1")));
            }
            if l.mqtt.is_none() {
                continue;
            }
            if l.tls {
                return Err((at(".tls"), "TLS to the broker is not supported yet".into()));
            }
            match l.node.as_deref().map(parse_node_id) {
                Some(Some(_)) => {}
                _ => {
                    return Err((
                        at(".node"),
                        "an MQTT link needs `node = \"!1234abcd\"`".into(),
                    ));
                }
            }
            for (c, ch) in l.channels.iter().enumerate() {
                if ch.name.is_empty() || ch.name.contains('/') {
                    return Err((
                        at(&format!(".channels[{c}]")),
                        "a channel needs a name without `/`".into(),
                    ));
                }
                if let Err(e) = ChannelKey::from_base64(&ch.key) {
                    return Err((at(&format!(".channels[{c}].key")), e.to_string()));
                }
            }
            if let Some(key) = &l.private_key
                && decode_private(key).is_none()
            {
                return Err((at(".private_key"), "not a base64 32-byte key".into()));
            }
            if parse_preset(l.preset.as_deref()).is_none() {
                return Err((at(".preset"), "not a modem preset such as LONG_FAST".into()));
            }
            if parse_region(l.region.as_deref()).is_none() {
                return Err((at(".region"), "not a region such as US or EU_868".into()));
            }
        }
        Ok(())
    }
}

/// Why the links could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LinkSetupError {
    #[error("the MQTT key file {path}: {source}")]
    KeyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the MQTT key file {0} does not hold a base64 32-byte key")]
    BadKeyFile(PathBuf),
    #[error("link {0} names no node (serial, tcp or mqtt)")]
    Empty(usize),
}

/// The link configs of every `[[link]]` entry, on the config's reply budget and
/// airtime share; MQTT entries start their virtual node here.
pub async fn build(
    cfg: &crate::config::Config,
    data_dir: &Path,
) -> Result<Vec<LinkConfig>, LinkSetupError> {
    let mut out = Vec::new();
    for (i, l) in cfg.link.entries().iter().enumerate() {
        let transport = if let Some(port) = &l.port {
            Transport::Serial(port.clone())
        } else if let Some(addr) = &l.tcp {
            Transport::tcp(addr)
        } else if l.mqtt.is_some() {
            mqtt::start(mqtt_node(l, data_dir).await?)
        } else {
            return Err(LinkSetupError::Empty(i));
        };
        let mut link = cfg.link_config(transport);
        if let Some(share) = l.airtime_share {
            link.airtime_share = share;
            link.shares = cfg.class_shares(share);
        }
        out.push(link);
    }
    Ok(out)
}

/// The virtual node an MQTT entry describes (validated before).
pub async fn mqtt_node(l: &LinkSection, data_dir: &Path) -> Result<MqttNodeConfig, LinkSetupError> {
    let node = l.node.as_deref().and_then(parse_node_id).unwrap_or(0);
    let mut cfg = MqttNodeConfig::new(
        l.mqtt.clone().unwrap_or_default(),
        l.root.clone().unwrap_or_else(|| "msh/US".into()),
        node,
    );
    cfg.username = l.username.clone();
    cfg.password = l.password.clone();
    if !l.channels.is_empty() {
        cfg.channels = l
            .channels
            .iter()
            .map(|c| {
                Channel::new(
                    &c.name,
                    ChannelKey::from_base64(&c.key).unwrap_or(ChannelKey::None),
                )
            })
            .collect();
    }
    cfg.preset = parse_preset(l.preset.as_deref()).unwrap_or(ModemPreset::LongFast);
    cfg.region = parse_region(l.region.as_deref()).unwrap_or(RegionCode::Us);
    cfg.keys = match l.private_key.as_deref().and_then(decode_private) {
        Some(private) => KeyPair::from_private(private),
        None => load_or_make_key(&data_dir.join(format!("mqtt-{}.key", node_id(node)))).await?,
    };
    cfg.echo_timeout = Duration::from_secs(20);
    Ok(cfg)
}

/// The key pair kept in `path`, made (and written, owner-only) at first start.
async fn load_or_make_key(path: &Path) -> Result<KeyPair, LinkSetupError> {
    let io = |source| LinkSetupError::KeyFile {
        path: path.to_path_buf(),
        source,
    };
    match tokio::fs::read_to_string(path).await {
        Ok(text) => decode_private(&text)
            .map(KeyPair::from_private)
            .ok_or_else(|| LinkSetupError::BadKeyFile(path.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let keys = KeyPair::generate();
            if let Some(dir) = path.parent() {
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
            }
            let text = base64::engine::general_purpose::STANDARD.encode(keys.private());
            tokio::fs::write(path, text + "\n").await.map_err(io)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                tokio::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                    .await
                    .map_err(io)?;
            }
            Ok(keys)
        }
        Err(e) => Err(io(e)),
    }
}

fn decode_private(text: &str) -> Option<[u8; 32]> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()?
        .try_into()
        .ok()
}

fn parse_preset(name: Option<&str>) -> Option<ModemPreset> {
    match name {
        None => Some(ModemPreset::LongFast),
        Some(n) => ModemPreset::from_str_name(&n.to_ascii_uppercase().replace('-', "_")),
    }
}

fn parse_region(name: Option<&str>) -> Option<RegionCode> {
    match name {
        None => Some(RegionCode::Us),
        Some(n) => RegionCode::from_str_name(&n.to_ascii_uppercase().replace('-', "_")),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::path::Path;

    #[test]
    fn the_single_form_and_the_list_both_parse() {
        let p = Path::new("x.toml");
        let one = Config::from_toml("[link]\ntcp = \"10.0.0.2\"\n", p).unwrap();
        assert_eq!(one.link.entries().len(), 1);
        assert!(!one.link.needs_build());
        let many = Config::from_toml(
            "[[link]]\nport = \"/dev/ttyUSB0\"\n\n[[link]]\nmqtt = \"127.0.0.1:1883\"\n\
             root = \"msh/US\"\nnode = \"!bb5b0001\"\n\
             channels = [{ name = \"LongFast\", key = \"AQ==\" }]\n",
            p,
        )
        .unwrap();
        assert_eq!(many.link.entries().len(), 2);
        assert!(many.link.needs_build());
        assert_eq!(many.link.first().port.as_deref(), Some("/dev/ttyUSB0"));
    }

    #[test]
    fn bad_link_entries_are_named() {
        let p = Path::new("x.toml");
        let e = Config::from_toml("[[link]]\nmqtt = \"h\"\n", p).unwrap_err();
        assert!(e.to_string().contains("link[0].node"), "{e}");
        let e = Config::from_toml("[[link]]\ntcp = \"a\"\nport = \"b\"\n", p).unwrap_err();
        assert!(e.to_string().contains("link[0]"), "{e}");
        let e = Config::from_toml(
            "[[link]]\nmqtt = \"h\"\nnode = \"!1\"\nchannels = [{ name = \"X\", key = \"!!\" }]\n",
            p,
        )
        .unwrap_err();
        assert!(e.to_string().contains("channels[0].key"), "{e}");
        let e = Config::from_toml("[[link]]\nmqtt = \"h\"\nnode = \"!1\"\ntls = true\n", p)
            .unwrap_err();
        assert!(e.to_string().contains("link[0].tls"), "{e}");
    }
}
