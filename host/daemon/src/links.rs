//! `[link]` / `[[link]]`: the radios (and brokers) the daemon serves through.
//!
//! One `[link]` table names one node, as before; `[[link]]` entries name several, each
//! a serial port, a TCP node or an MQTT broker, each with its own pacing, airtime
//! share and queue (see the firmware-bridge's link group). An MQTT entry makes the BBS
//! a virtual node on the broker, with its own node id and a key pair kept in the data
//! directory (`mqtt-!NODE.key`, made at first start) unless the entry gives one.

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::config::links::{ChannelEntry, LinkSection, Links};
use crate::config::links::{decode_private, parse_preset, parse_region};
use base64::Engine as _;
use meshmush_firmware_bridge::Transport;
use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_firmware_bridge::mqtt::{self, MqttNodeConfig};
use meshmush_protocol::crypto::{ChannelKey, KeyPair};
use meshmush_protocol::mqtt::Channel;
use meshmush_protocol::packets::{node_id, parse_node_id};
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};

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
    // One view of the pin store for every MQTT node (the app fills it).
    let book = mqtt::KeyBook::default();
    for (i, l) in cfg.link.entries().iter().enumerate() {
        let mut key_book = None;
        let transport = if let Some(port) = &l.port {
            Transport::Serial(port.clone())
        } else if let Some(addr) = &l.tcp {
            Transport::tcp(addr)
        } else if l.mqtt.is_some() {
            let mut node = mqtt_node(l, data_dir).await?;
            node.key_book = book.clone();
            key_book = Some(book.clone());
            mqtt::start(node)
        } else {
            return Err(LinkSetupError::Empty(i));
        };
        let mut link = cfg.link_config(transport);
        link.key_book = key_book;
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
            // 0600 from the moment it exists: never readable by others, not even
            // between a write and a chmod.
            let mut open = tokio::fs::OpenOptions::new();
            open.write(true).create_new(true);
            #[cfg(unix)]
            open.mode(0o600);
            let mut file = open.open(path).await.map_err(io)?;
            tokio::io::AsyncWriteExt::write_all(&mut file, (text + "\n").as_bytes())
                .await
                .map_err(io)?;
            tokio::io::AsyncWriteExt::flush(&mut file)
                .await
                .map_err(io)?;
            Ok(keys)
        }
        Err(e) => Err(io(e)),
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
