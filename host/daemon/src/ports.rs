//! Finding the node on USB: list serial ports and recognise the USB-serial bridges and
//! native-USB chips that Meshtastic boards use, so `--port auto` can pick one.

use tokio_serial::{SerialPortInfo, SerialPortType};

/// USB vendor/product ids of chips found on Meshtastic boards.
const KNOWN: &[(u16, Option<u16>, &str)] = &[
    (
        0x10c4,
        Some(0xea60),
        "CP210x USB-serial (Heltec, T-Beam, Station G2)",
    ),
    (0x1a86, Some(0x7523), "CH340 USB-serial"),
    (0x1a86, Some(0x55d4), "CH9102 USB-serial (T-Beam, Heltec)"),
    (0x1a86, Some(0x5523), "CH341 USB-serial"),
    (0x303a, None, "ESP32-S3 native USB (Heltec V3, T-Deck)"),
    (0x239a, None, "nRF52840 (RAK4631, Adafruit bootloader)"),
    (0x2886, None, "nRF52840 (Seeed)"),
    (0x2e8a, None, "RP2040 (Pico)"),
    (0x0403, Some(0x6001), "FTDI USB-serial"),
];

/// A serial port and what we make of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub path: String,
    /// `vid:pid` for USB ports.
    pub usb: Option<(u16, u16)>,
    pub product: Option<String>,
    /// Why this looks like a Meshtastic board, if it does.
    pub board: Option<&'static str>,
}

/// What the USB ids say about a port.
pub fn recognise(vid: u16, pid: u16) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(v, p, _)| *v == vid && p.is_none_or(|p| p == pid))
        .map(|(_, _, what)| *what)
}

/// Lists serial ports (on the blocking pool: it reads sysfs).
pub async fn list() -> std::io::Result<Vec<Port>> {
    let found = tokio::task::spawn_blocking(tokio_serial::available_ports)
        .await
        .map_err(std::io::Error::other)?
        .map_err(std::io::Error::other)?;
    Ok(found.into_iter().map(describe).collect())
}

fn describe(info: SerialPortInfo) -> Port {
    match info.port_type {
        SerialPortType::UsbPort(usb) => Port {
            path: info.port_name,
            usb: Some((usb.vid, usb.pid)),
            product: usb.product,
            board: recognise(usb.vid, usb.pid),
        },
        _ => Port {
            path: info.port_name,
            usb: None,
            product: None,
            board: None,
        },
    }
}

/// What `meshmush ports` prints: a header, one line per port (a board marked `*`), and
/// what to do next: name the board, or, with none found, reach a node over the network.
pub fn report(ports: &[Port]) -> String {
    let mut out = String::new();
    if ports.is_empty() {
        out.push_str("no serial ports found\n");
    } else {
        out.push_str(&format!("  {:20} {:9} {}\n", "PORT", "USB ID", "WHAT"));
        for p in ports {
            let usb = p
                .usb
                .map(|(v, pid)| format!("{v:04x}:{pid:04x}"))
                .unwrap_or_else(|| "-".into());
            let mark = if p.board.is_some() { "*" } else { " " };
            let what = p.board.or(p.product.as_deref()).unwrap_or("");
            out.push_str(format!("{mark} {:20} {usb:9} {what}", p.path).trim_end());
            out.push('\n');
        }
    }
    match ports.iter().filter(|p| p.board.is_some()).count() {
        0 => out.push_str(NO_BOARD),
        1 => out.push_str("* looks like a Meshtastic board: meshmush run --port auto picks it\n"),
        _ => out
            .push_str("* looks like a Meshtastic board: name one with meshmush run --port PATH\n"),
    }
    out
}

/// The hint when no port looks like a board: the node may be on the network instead.
pub const NO_BOARD: &str = "no Meshtastic board found; for a node on the network try --tcp HOST \
                            (meshmush run --tcp HOST[:PORT], meshmush chat --tcp HOST[:PORT])\n";

/// The one port that looks like a Meshtastic board; an error lists what was seen.
pub fn pick(ports: &[Port]) -> Result<&Port, String> {
    let boards: Vec<&Port> = ports.iter().filter(|p| p.board.is_some()).collect();
    match boards.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no serial port looks like a Meshtastic board ({} ports seen; `meshmush ports` lists them)",
            ports.len()
        )),
        many => Err(format!(
            "several ports look like Meshtastic boards ({}); name one with --port",
            many.iter()
                .map(|p| p.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(path: &str, usb: Option<(u16, u16)>) -> Port {
        Port {
            path: path.into(),
            usb,
            product: None,
            board: usb.and_then(|(v, p)| recognise(v, p)),
        }
    }

    #[test]
    fn recognises_board_chips() {
        assert!(recognise(0x10c4, 0xea60).is_some());
        assert!(recognise(0x303a, 0x1001).is_some());
        assert!(recognise(0x239a, 0x8029).is_some());
        assert!(
            recognise(0x046d, 0xc52b).is_none(),
            "a mouse receiver is not a node"
        );
    }

    #[test]
    fn the_report_has_a_header_and_says_what_to_do_next() {
        let ports = [
            port("/dev/ttyS0", None),
            port("/dev/ttyUSB0", Some((0x10c4, 0xea60))),
        ];
        assert_eq!(
            report(&ports),
            "  PORT                 USB ID    WHAT\n\
             \x20 /dev/ttyS0           -\n\
             * /dev/ttyUSB0         10c4:ea60 CP210x USB-serial (Heltec, T-Beam, Station G2)\n\
             * looks like a Meshtastic board: meshmush run --port auto picks it\n"
        );
        assert_eq!(
            report(&ports[..1]),
            format!(
                "  PORT                 USB ID    WHAT\n\
                 \x20 /dev/ttyS0           -\n{NO_BOARD}"
            )
        );
        assert_eq!(report(&[]), format!("no serial ports found\n{NO_BOARD}"));
        assert!(
            NO_BOARD
                .starts_with("no Meshtastic board found; for a node on the network try --tcp HOST")
        );
    }

    #[test]
    fn picks_the_only_board_or_explains() {
        let ports = [
            port("/dev/ttyS0", None),
            port("/dev/ttyUSB0", Some((0x10c4, 0xea60))),
        ];
        assert_eq!(pick(&ports).map(|p| p.path.as_str()), Ok("/dev/ttyUSB0"));
        assert!(pick(&ports[..1]).unwrap_err().contains("no serial port"));
        let two = [
            ports[1].clone(),
            port("/dev/ttyACM0", Some((0x303a, 0x1001))),
        ];
        assert!(pick(&two).unwrap_err().contains("several"));
    }
}
