//! The `want_config` handshake: what a client must do before a node talks to it.
//!
//! Wake the node with a run of `0xC3`, send `want_config_id = nonce`, then gather the
//! node's identity, radio settings and node database until `config_complete_id` echoes
//! the nonce. Frames that are not part of the handshake (a text that arrived meanwhile)
//! are kept and handed back, not lost.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use meshmush_protocol::airtime::{DutyCycle, duty_cycle};
use meshmush_protocol::framing::{Frame, FramingError, HostCodec, LinkCodec, Received};
use meshmush_protocol::packets::want_config;
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};
use meshmush_protocol::proto::{NodeInfo, config, from_radio};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio_util::codec::{FramedRead, FramedWrite};

/// What the handshake taught us about our own node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeConfig {
    pub my_node_num: u32,
    pub preset: ModemPreset,
    pub region: RegionCode,
    pub duty_cycle: DutyCycle,
    pub firmware_version: String,
    pub channels: usize,
    /// `my_info.reboot_count`: a different count later means the node reset.
    pub reboot_count: u32,
}

/// The handshake's result: our node, the node database, and frames to process next.
#[derive(Debug)]
pub struct Handshake {
    pub config: NodeConfig,
    pub nodes: Vec<NodeInfo>,
    pub stashed: Vec<Received>,
}

#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    #[error("no config_complete_id from the node within {0:?}")]
    Timeout(Duration),
    #[error("the node closed the stream during the handshake")]
    Closed,
    #[error("the node never sent my_info")]
    NoMyInfo,
    #[error("writing to the node took longer than {0:?}")]
    WriteTimeout(Duration),
    #[error(transparent)]
    Framing(#[from] FramingError),
}

/// Runs the handshake on a fresh stream: the writes may take `write_timeout`, the
/// node's answer `timeout`.
pub async fn run<R, W>(
    reader: &mut FramedRead<R, LinkCodec>,
    writer: &mut FramedWrite<W, HostCodec>,
    nonce: u32,
    timeout: Duration,
    write_timeout: Duration,
) -> Result<Handshake, HandshakeError>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let wake = meshmush_protocol::framing::wake_bytes();
    let write = async {
        writer
            .get_mut()
            .write_all(&wake)
            .await
            .map_err(FramingError::Io)?;
        writer.send(want_config(nonce)).await
    };
    tokio::time::timeout(write_timeout, write)
        .await
        .map_err(|_| HandshakeError::WriteTimeout(write_timeout))??;
    match tokio::time::timeout(timeout, gather(reader, nonce)).await {
        Ok(result) => result,
        Err(_) => Err(HandshakeError::Timeout(timeout)),
    }
}

async fn gather<R: AsyncRead + Unpin>(
    reader: &mut FramedRead<R, LinkCodec>,
    nonce: u32,
) -> Result<Handshake, HandshakeError> {
    let mut my_node_num = None;
    let mut reboot_count = 0;
    let mut preset = ModemPreset::LongFast;
    let mut region = RegionCode::Unset;
    let mut firmware_version = String::new();
    let mut channels = 0;
    let mut nodes = Vec::new();
    let mut stashed = Vec::new();
    while let Some(frame) = reader.next().await {
        let received = match frame? {
            Frame::Message(m) => m,
            Frame::DebugText(line) => {
                tracing::debug!(target: "meshmush::node_console", "{line}");
                continue;
            }
        };
        use from_radio::PayloadVariant as V;
        match &received.msg.payload_variant {
            Some(V::MyInfo(info)) => {
                my_node_num = Some(info.my_node_num);
                reboot_count = info.reboot_count;
            }
            Some(V::NodeInfo(n)) => nodes.push(n.clone()),
            Some(V::Metadata(m)) => firmware_version = m.firmware_version.clone(),
            Some(V::Channel(_)) => channels += 1,
            Some(V::Config(c)) => {
                if let Some(config::PayloadVariant::Lora(lora)) = &c.payload_variant {
                    if lora.use_preset
                        && let Ok(p) = ModemPreset::try_from(lora.modem_preset)
                    {
                        preset = p;
                    }
                    region = RegionCode::try_from(lora.region).unwrap_or(RegionCode::Unset);
                }
            }
            Some(V::ConfigCompleteId(id)) if *id == nonce => {
                let my_node_num = my_node_num.ok_or(HandshakeError::NoMyInfo)?;
                let config = NodeConfig {
                    my_node_num,
                    preset,
                    region,
                    duty_cycle: duty_cycle(region),
                    firmware_version,
                    channels,
                    reboot_count,
                };
                return Ok(Handshake {
                    config,
                    nodes,
                    stashed,
                });
            }
            Some(V::Packet(_)) => stashed.push(received),
            _ => {}
        }
    }
    Err(HandshakeError::Closed)
}
