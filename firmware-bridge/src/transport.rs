//! The byte streams a node can be reached over: USB serial and TCP (port 4403).
//!
//! Both carry the same framing; the link only sees an `AsyncRead + AsyncWrite`. A
//! third kind, [`Transport::Virtual`], reaches a node that lives in this process (the
//! MQTT virtual node, see [`crate::mqtt`]) over an in-memory stream.

use std::fmt;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_serial::SerialPortBuilderExt;

/// The default TCP port of the Meshtastic client API.
pub const DEFAULT_TCP_PORT: u16 = 4403;
/// The serial speed every Meshtastic firmware uses for its client API.
pub const SERIAL_BAUD: u32 = 115_200;

/// Where the node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// `host:port` of a node's TCP API (meshtasticd on a Pi, a WiFi node, the sim).
    Tcp(String),
    /// A serial device path such as `/dev/ttyUSB0`.
    Serial(String),
    /// A node in this process, such as the MQTT virtual node.
    Virtual(VirtualPort),
}

/// How to reach a node that lives in this process: each open hands it one end of a
/// fresh in-memory stream.
#[derive(Debug, Clone)]
pub struct VirtualPort {
    name: String,
    connect: tokio::sync::mpsc::Sender<tokio::io::DuplexStream>,
}

impl VirtualPort {
    pub fn new(
        name: impl Into<String>,
        connect: tokio::sync::mpsc::Sender<tokio::io::DuplexStream>,
    ) -> Self {
        Self {
            name: name.into(),
            connect,
        }
    }
}

impl PartialEq for VirtualPort {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.connect.same_channel(&other.connect)
    }
}

impl Eq for VirtualPort {}

impl Transport {
    /// A TCP transport; adds the default port when `addr` has none.
    pub fn tcp(addr: &str) -> Self {
        if addr
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        {
            Self::Tcp(addr.to_string())
        } else {
            Self::Tcp(format!("{addr}:{DEFAULT_TCP_PORT}"))
        }
    }

    /// Parses `tcp:HOST[:PORT]`, `serial:/dev/..`, or a bare path (serial).
    pub fn parse(spec: &str) -> Self {
        if let Some(addr) = spec.strip_prefix("tcp:") {
            Self::tcp(addr)
        } else if let Some(path) = spec.strip_prefix("serial:") {
            Self::Serial(path.to_string())
        } else {
            Self::Serial(spec.to_string())
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tcp(a) => write!(f, "tcp:{a}"),
            Self::Serial(p) => write!(f, "serial:{p}"),
            Self::Virtual(v) => f.write_str(&v.name),
        }
    }
}

/// A connected byte stream to a node.
pub trait NodeStream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> NodeStream for T {}

/// Why a transport could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot connect to {target}: {source}")]
    Io {
        target: String,
        source: std::io::Error,
    },
    #[error("cannot open serial port {path}: {source}")]
    Serial {
        path: String,
        source: tokio_serial::Error,
    },
    #[error("timed out connecting to {target}")]
    Timeout { target: String },
    #[error("{target} is gone")]
    Gone { target: String },
}

/// Bytes an in-memory stream to a virtual node buffers each way.
const VIRTUAL_BUFFER: usize = 64 * 1024;

/// Opens the transport. Serial ports get 115200 baud with DTR high and RTS low, as the
/// official clients set them (RTS high resets many ESP32 boards).
pub async fn open(
    transport: &Transport,
    timeout: Duration,
) -> Result<Box<dyn NodeStream>, OpenError> {
    match transport {
        Transport::Tcp(addr) => {
            let connect = TcpStream::connect(addr.as_str());
            let stream = tokio::time::timeout(timeout, connect)
                .await
                .map_err(|_| OpenError::Timeout {
                    target: transport.to_string(),
                })?
                .map_err(|source| OpenError::Io {
                    target: transport.to_string(),
                    source,
                })?;
            let _ = stream.set_nodelay(true);
            Ok(Box::new(stream))
        }
        Transport::Virtual(port) => {
            let (ours, theirs) = tokio::io::duplex(VIRTUAL_BUFFER);
            port.connect
                .send(theirs)
                .await
                .map_err(|_| OpenError::Gone {
                    target: port.name.clone(),
                })?;
            Ok(Box::new(ours))
        }
        Transport::Serial(path) => {
            let serial_err = |source| OpenError::Serial {
                path: path.clone(),
                source,
            };
            let mut port = tokio_serial::new(path.as_str(), SERIAL_BAUD)
                .open_native_async()
                .map_err(serial_err)?;
            use tokio_serial::SerialPort;
            port.write_data_terminal_ready(true).map_err(serial_err)?;
            port.write_request_to_send(false).map_err(serial_err)?;
            #[cfg(unix)]
            port.set_exclusive(true).map_err(serial_err)?;
            Ok(Box::new(port))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        assert_eq!(
            Transport::parse("tcp:localhost"),
            Transport::Tcp("localhost:4403".into())
        );
        assert_eq!(
            Transport::parse("tcp:10.0.0.2:4000"),
            Transport::Tcp("10.0.0.2:4000".into())
        );
        assert_eq!(
            Transport::parse("/dev/ttyUSB0"),
            Transport::Serial("/dev/ttyUSB0".into())
        );
        assert_eq!(Transport::tcp("127.0.0.1:1").to_string(), "tcp:127.0.0.1:1");
    }
}
