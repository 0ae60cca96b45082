//! Playing the attacker: a raw API client of a handset node that sends a text with a
//! forged `from`, through the ordinary client protocol (handshake, then a
//! `ToRadio.packet` whose `MeshPacket.from` names the victim). It works only on a mesh
//! started with [`SimConfig::allow_spoofing`](super::SimConfig::allow_spoofing); without
//! it the handset stamps its own number, as firmware does. The forged packet reaches
//! its destination as a plain (not PKI-encrypted) packet with no public key.

use std::net::SocketAddr;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use meshmush_protocol::framing::{Frame, FramingError, HostCodec};
use meshmush_protocol::packets::{BROADCAST, TextOut, disconnect, want_config};
use meshmush_protocol::proto::{ToRadio, from_radio, to_radio};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

/// How long each step (connect, handshake, the node's answer) may take.
const STEP: Duration = Duration::from_secs(10);
/// The handshake nonce the attacker uses.
const NONCE: u32 = 0x5b00_f00d;

/// Why a spoofed packet could not be handed to the node.
#[derive(Debug, thiserror::Error)]
pub enum SpoofError {
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Framing(#[from] FramingError),
    #[error("the node closed the connection")]
    Closed,
    #[error("the node did not answer in time")]
    Timeout,
    #[error("the node refused the packet (queueStatus.res {0})")]
    Refused(i32),
}

/// Connects to the handset node at `addr`, does the handshake, and sends `text` to
/// `to` (a node, or [`BROADCAST`] on the primary channel) as if from node `from`.
/// Returns the packet id once the node has taken the packet into its transmit queue.
pub async fn send_spoofed(
    addr: SocketAddr,
    from: u32,
    to: u32,
    text: &str,
) -> Result<u32, SpoofError> {
    let stream = tokio::time::timeout(STEP, TcpStream::connect(addr))
        .await
        .map_err(|_| SpoofError::Timeout)?
        .map_err(|source| SpoofError::Connect { addr, source })?;
    let mut wire = Framed::new(stream, HostCodec::new());
    wire.send(&want_config(NONCE)).await?;
    next_matching(&mut wire, |v| {
        matches!(v, from_radio::PayloadVariant::ConfigCompleteId(NONCE))
    })
    .await?;
    let id = rand::random_range(1..u32::MAX);
    let mut out = TextOut::direct(to, text);
    out.want_ack = to != BROADCAST;
    let packet = ToRadio {
        payload_variant: Some(to_radio::PayloadVariant::Packet(
            out.to_mesh_packet(from, id),
        )),
    };
    wire.send(&packet).await?;
    let answer = next_matching(
        &mut wire,
        |v| matches!(v, from_radio::PayloadVariant::QueueStatus(qs) if qs.mesh_packet_id == id),
    )
    .await?;
    let _ = wire.send(&disconnect()).await;
    match answer {
        from_radio::PayloadVariant::QueueStatus(qs) if qs.res != 0 => {
            Err(SpoofError::Refused(qs.res))
        }
        _ => Ok(id),
    }
}

/// The next frame whose payload `wanted` accepts.
async fn next_matching(
    wire: &mut Framed<TcpStream, HostCodec>,
    wanted: impl Fn(&from_radio::PayloadVariant) -> bool,
) -> Result<from_radio::PayloadVariant, SpoofError> {
    loop {
        let frame = tokio::time::timeout(STEP, wire.next())
            .await
            .map_err(|_| SpoofError::Timeout)?
            .ok_or(SpoofError::Closed)??;
        if let Frame::Message(msg) = frame
            && let Some(v) = msg.payload_variant
            && wanted(&v)
        {
            return Ok(v);
        }
    }
}
