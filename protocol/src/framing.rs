//! The stream framing of the Meshtastic client API (serial and TCP alike).
//!
//! Every protobuf travels as `0x94 0xC3`, a big-endian `u16` length, then the encoded
//! message; there is no checksum. Anything seen while hunting for the start byte is the
//! node's debug console text, which we hand up as lines rather than fail on. The decoder
//! has to survive whatever a USB cable delivers: it never panics, never holds more than
//! one maximum-size frame plus one debug line, and resynchronises on its own.

use std::marker::PhantomData;

use bytes::{Buf, BufMut, BytesMut};
use prost::Message;
use tokio_util::codec::{Decoder, Encoder};

use crate::crypto::signing::{self, PacketSignature};

/// First byte of every frame.
pub const START1: u8 = 0x94;
/// Second byte of every frame; also the byte clients send in a run to wake a node.
pub const START2: u8 = 0xC3;
/// Header length: two start bytes and the big-endian length.
pub const HEADER_LEN: usize = 4;
/// The largest protobuf a frame may carry; a longer length means a corrupt header.
pub const MAX_PAYLOAD: usize = 512;
/// Debug text longer than this without a newline is handed up in pieces.
pub const MAX_DEBUG_LINE: usize = 256;
/// How many `0xC3` bytes a client writes to wake a node before its first frame.
pub const WAKE_LEN: usize = 32;

/// What the decoder found in the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame<M> {
    /// A complete frame whose protobuf decoded.
    Message(M),
    /// A line of the node's debug console (bytes outside any frame).
    DebugText(String),
}

/// Errors of the framing codec. Garbage on the stream is never an error: only the
/// underlying I/O, or an attempt to send a message that no frame can carry.
#[derive(Debug, thiserror::Error)]
pub enum FramingError {
    #[error("stream I/O failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("message of {len} bytes exceeds the {MAX_PAYLOAD}-byte frame limit")]
    TooLarge { len: usize },
}

/// Counters of what the decoder had to skip, for logs and metrics.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DecodeStats {
    /// Frames decoded into a message.
    pub frames: u64,
    /// Frames whose protobuf failed to decode (skipped).
    pub bad_frames: u64,
    /// Headers announcing more than [`MAX_PAYLOAD`] bytes (resynchronised).
    pub oversize: u64,
    /// `0x94` bytes not followed by `0xC3` (treated as text).
    pub stray_start: u64,
    /// Bytes of debug text seen between frames.
    pub debug_bytes: u64,
}

/// A `tokio_util` codec that decodes `D` and encodes `E`.
///
/// The host uses [`HostCodec`] (reads `FromRadio`, writes `ToRadio`); a node, such as the
/// software node in `firmware-bridge`, uses [`NodeCodec`].
#[derive(Debug)]
pub struct FrameCodec<D, E> {
    line: Vec<u8>,
    stats: DecodeStats,
    _types: PhantomData<fn(E) -> D>,
}

/// The host side: decodes `FromRadio`, encodes `ToRadio`.
pub type HostCodec = FrameCodec<crate::proto::FromRadio, crate::proto::ToRadio>;
/// The daemon's link to its node: like [`HostCodec`], but each `FromRadio` comes with the
/// packet-signing fields the `meshtastic` crate's types lack ([`Received`]).
pub type LinkCodec = FrameCodec<Received, crate::proto::ToRadio>;
/// The node side: decodes `ToRadio`, encodes `FromRadio`.
pub type NodeCodec = FrameCodec<crate::proto::ToRadio, crate::proto::FromRadio>;

impl<D, E> Default for FrameCodec<D, E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D, E> FrameCodec<D, E> {
    pub fn new() -> Self {
        Self {
            line: Vec::with_capacity(64),
            stats: DecodeStats::default(),
            _types: PhantomData,
        }
    }

    /// What the decoder has seen and skipped so far.
    pub fn stats(&self) -> DecodeStats {
        self.stats
    }

    /// Takes the pending debug line, unless it is empty or only the wake-up run of
    /// `0xC3` that clients send (a node must ignore it silently).
    fn take_line(&mut self) -> Option<String> {
        if self.line.iter().all(|&b| b == START2) {
            self.line.clear();
            return None;
        }
        let text = String::from_utf8_lossy(&self.line)
            .trim_end_matches('\r')
            .to_string();
        self.line.clear();
        Some(text)
    }

    /// Adds one byte of text outside a frame; returns a line when one is complete.
    fn push_text(&mut self, byte: u8) -> Option<String> {
        self.stats.debug_bytes += 1;
        if byte == b'\n' {
            return self.take_line();
        }
        self.line.push(byte);
        if self.line.len() >= MAX_DEBUG_LINE {
            return self.take_line();
        }
        None
    }
}

/// What a frame's protobuf decodes to: any prost message, or a [`Received`].
pub trait FramePayload: Sized {
    fn decode_payload(bytes: &[u8]) -> Result<Self, prost::DecodeError>;
}

impl<T: prost::Message + Default> FramePayload for T {
    fn decode_payload(bytes: &[u8]) -> Result<Self, prost::DecodeError> {
        T::decode(bytes)
    }
}

/// A `FromRadio` and the signature of the packet it carries, read from the same bytes
/// (see [`crate::crypto::signing`] for why they are read apart).
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub msg: crate::proto::FromRadio,
    pub signature: Option<PacketSignature>,
}

impl From<crate::proto::FromRadio> for Received {
    fn from(msg: crate::proto::FromRadio) -> Self {
        Self {
            msg,
            signature: None,
        }
    }
}

impl FramePayload for Received {
    fn decode_payload(bytes: &[u8]) -> Result<Self, prost::DecodeError> {
        let msg = crate::proto::FromRadio::decode(bytes)?;
        // Only a decoded packet can carry a signature: queue statuses, node infos and
        // the rest of the stream are not read twice.
        let packet = matches!(
            &msg.payload_variant,
            Some(crate::proto::from_radio::PayloadVariant::Packet(p))
                if crate::packets::decoded(p).is_some()
        );
        let signature = packet
            .then(|| signing::from_radio_signature(bytes))
            .flatten();
        Ok(Self { msg, signature })
    }
}

impl<D> Encoder<Received> for FrameCodec<D, crate::proto::FromRadio> {
    type Error = FramingError;

    /// A node's frame: the message, then the signing fields when the packet has them.
    fn encode(&mut self, received: Received, dst: &mut BytesMut) -> Result<(), FramingError> {
        let mut body = received.msg.encode_to_vec();
        if let Some(sig) = &received.signature {
            signing::append_to_from_radio(&mut body, sig);
        }
        encode_body(&body, dst)
    }
}

impl<D: FramePayload, E> Decoder for FrameCodec<D, E> {
    type Item = Frame<D>;
    type Error = FramingError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame<D>>, FramingError> {
        loop {
            let Some(&first) = src.first() else {
                return Ok(None);
            };
            if first != START1 {
                src.advance(1);
                if let Some(line) = self.push_text(first) {
                    return Ok(Some(Frame::DebugText(line)));
                }
                continue;
            }
            if src.len() < 2 {
                return Ok(None);
            }
            if src[1] != START2 {
                self.stats.stray_start += 1;
                src.advance(1);
                if let Some(line) = self.push_text(first) {
                    return Ok(Some(Frame::DebugText(line)));
                }
                continue;
            }
            // A frame starts here: text before it is a finished (if unterminated) line.
            if !self.line.is_empty()
                && let Some(line) = self.take_line()
            {
                return Ok(Some(Frame::DebugText(line)));
            }
            if src.len() < HEADER_LEN {
                return Ok(None);
            }
            let len = usize::from(u16::from_be_bytes([src[2], src[3]]));
            if len > MAX_PAYLOAD {
                // A corrupt header: drop the start byte and hunt again.
                self.stats.oversize += 1;
                src.advance(1);
                continue;
            }
            if src.len() < HEADER_LEN + len {
                src.reserve(HEADER_LEN + len - src.len());
                return Ok(None);
            }
            src.advance(HEADER_LEN);
            let body = src.split_to(len);
            match D::decode_payload(body.as_ref()) {
                Ok(msg) => {
                    self.stats.frames += 1;
                    return Ok(Some(Frame::Message(msg)));
                }
                Err(_) => {
                    self.stats.bad_frames += 1;
                    continue;
                }
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame<D>>, FramingError> {
        if let Some(frame) = self.decode(src)? {
            return Ok(Some(frame));
        }
        // A partial frame at EOF can never complete; what is left is text.
        src.clear();
        if self.line.is_empty() {
            return Ok(None);
        }
        Ok(self.take_line().map(Frame::DebugText))
    }
}

impl<D, E: prost::Message> Encoder<E> for FrameCodec<D, E> {
    type Error = FramingError;

    fn encode(&mut self, msg: E, dst: &mut BytesMut) -> Result<(), FramingError> {
        encode_frame(&msg, dst)
    }
}

impl<D, E: prost::Message> Encoder<&E> for FrameCodec<D, E> {
    type Error = FramingError;

    fn encode(&mut self, msg: &E, dst: &mut BytesMut) -> Result<(), FramingError> {
        encode_frame(msg, dst)
    }
}

/// Appends one frame carrying `msg` to `dst`, or refuses a message over [`MAX_PAYLOAD`].
pub fn encode_frame<M: prost::Message>(msg: &M, dst: &mut BytesMut) -> Result<(), FramingError> {
    let len = msg.encoded_len();
    if len > MAX_PAYLOAD {
        return Err(FramingError::TooLarge { len });
    }
    put_header(len, dst);
    msg.encode(dst)
        .map_err(|_| FramingError::TooLarge { len })?;
    Ok(())
}

/// Appends one frame carrying an already encoded protobuf.
fn encode_body(body: &[u8], dst: &mut BytesMut) -> Result<(), FramingError> {
    if body.len() > MAX_PAYLOAD {
        return Err(FramingError::TooLarge { len: body.len() });
    }
    put_header(body.len(), dst);
    dst.put_slice(body);
    Ok(())
}

/// The start bytes and the length of a frame of `len <= MAX_PAYLOAD` bytes.
fn put_header(len: usize, dst: &mut BytesMut) {
    dst.reserve(HEADER_LEN + len);
    dst.put_u8(START1);
    dst.put_u8(START2);
    // Callers check `len <= MAX_PAYLOAD`, so it fits a u16.
    dst.put_u16(len as u16);
}

/// One frame carrying `msg`, as bytes.
pub fn frame_bytes<M: prost::Message>(msg: &M) -> Result<BytesMut, FramingError> {
    let mut buf = BytesMut::new();
    encode_frame(msg, &mut buf)?;
    Ok(buf)
}

/// The wake-up run a client writes before its first frame.
pub fn wake_bytes() -> [u8; WAKE_LEN] {
    [START2; WAKE_LEN]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{FromRadio, ToRadio, from_radio, to_radio};

    fn want_config(n: u32) -> ToRadio {
        ToRadio {
            payload_variant: Some(to_radio::PayloadVariant::WantConfigId(n)),
        }
    }

    fn decode_all(codec: &mut NodeCodec, bytes: &[u8]) -> Vec<Frame<ToRadio>> {
        let mut buf = BytesMut::from(bytes);
        let mut out = Vec::new();
        while let Some(f) = codec.decode(&mut buf).expect("decode never errs on bytes") {
            out.push(f);
        }
        out
    }

    #[test]
    fn encodes_header_and_length_big_endian() {
        let bytes = frame_bytes(&want_config(69420)).unwrap();
        assert_eq!(&bytes[..2], &[0x94, 0xC3]);
        let len = u16::from_be_bytes([bytes[2], bytes[3]]) as usize;
        assert_eq!(len, bytes.len() - 4);
        // field 3 (varint) = 69420
        assert_eq!(&bytes[4..], &[0x18, 0xAC, 0x9E, 0x04]);
    }

    #[test]
    fn decodes_a_frame_split_byte_by_byte() {
        let bytes = frame_bytes(&want_config(7)).unwrap();
        let mut codec = NodeCodec::new();
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        for b in bytes.iter() {
            buf.put_u8(*b);
            if let Some(f) = codec.decode(&mut buf).unwrap() {
                got.push(f);
            }
        }
        assert_eq!(got, vec![Frame::Message(want_config(7))]);
    }

    #[test]
    fn debug_text_becomes_lines_and_frames_survive() {
        let mut bytes = b"INFO | booting\r\nDEBUG | radio up\n".to_vec();
        bytes.extend_from_slice(&frame_bytes(&want_config(1)).unwrap());
        let got = decode_all(&mut NodeCodec::new(), &bytes);
        assert_eq!(
            got,
            vec![
                Frame::DebugText("INFO | booting".into()),
                Frame::DebugText("DEBUG | radio up".into()),
                Frame::Message(want_config(1)),
            ]
        );
    }

    #[test]
    fn wake_run_is_ignored_silently() {
        let mut bytes = wake_bytes().to_vec();
        bytes.extend_from_slice(&frame_bytes(&want_config(2)).unwrap());
        let got = decode_all(&mut NodeCodec::new(), &bytes);
        assert_eq!(got, vec![Frame::Message(want_config(2))]);
    }

    #[test]
    fn oversize_length_resyncs_to_next_frame() {
        let mut bytes = vec![0x94, 0xC3, 0x02, 0x01]; // 513
        bytes.extend_from_slice(&frame_bytes(&want_config(3)).unwrap());
        let mut codec = NodeCodec::new();
        let got = decode_all(&mut codec, &bytes);
        assert_eq!(got.last(), Some(&Frame::Message(want_config(3))));
        assert_eq!(codec.stats().oversize, 1);
    }

    #[test]
    fn lone_start_byte_is_text_not_a_frame() {
        let mut bytes = vec![b'a', 0x94, b'b', b'\n'];
        bytes.extend_from_slice(&frame_bytes(&want_config(4)).unwrap());
        let mut codec = NodeCodec::new();
        let got = decode_all(&mut codec, &bytes);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], Frame::Message(want_config(4)));
        assert_eq!(codec.stats().stray_start, 1);
    }

    #[test]
    fn undecodable_protobuf_is_skipped_and_counted() {
        // length 3, bytes that are not a valid protobuf (truncated varint)
        let mut bytes = vec![0x94, 0xC3, 0x00, 0x03, 0x18, 0xFF, 0xFF];
        bytes.extend_from_slice(&frame_bytes(&want_config(5)).unwrap());
        let mut codec = NodeCodec::new();
        let got = decode_all(&mut codec, &bytes);
        assert_eq!(got, vec![Frame::Message(want_config(5))]);
        assert_eq!(codec.stats().bad_frames, 1);
    }

    #[test]
    fn long_text_without_newline_is_bounded() {
        let bytes = vec![b'x'; MAX_DEBUG_LINE * 3 + 10];
        let got = decode_all(&mut NodeCodec::new(), &bytes);
        assert_eq!(got.len(), 3);
        assert!(
            got.iter()
                .all(|f| matches!(f, Frame::DebugText(t) if t.len() == MAX_DEBUG_LINE))
        );
    }

    #[test]
    fn encoder_refuses_oversize_message() {
        let big = FromRadio {
            id: 1,
            payload_variant: Some(from_radio::PayloadVariant::FileInfo(
                crate::proto::FileInfo {
                    file_name: "x".repeat(600),
                    size_bytes: 1,
                },
            )),
        };
        let mut codec = NodeCodec::new();
        let mut dst = BytesMut::new();
        let err = codec.encode(big, &mut dst).unwrap_err();
        assert!(matches!(err, FramingError::TooLarge { len } if len > 512));
        assert!(dst.is_empty());
    }

    #[test]
    fn partial_frame_at_eof_is_discarded() {
        let bytes = frame_bytes(&want_config(6)).unwrap();
        let mut codec = NodeCodec::new();
        let mut buf = BytesMut::from(&bytes[..bytes.len() - 1]);
        assert_eq!(codec.decode_eof(&mut buf).unwrap(), None);
        assert!(buf.is_empty());
    }
}
