//! `meshmush chat`'s arguments and the edge that runs it (the terminal handset itself
//! is `meshmush::chat`).

use std::net::SocketAddr;

use anyhow::{Result, anyhow, bail};
use clap::Args;
use meshmush_firmware_bridge::Transport;
use meshmush_protocol::packets::parse_node_id;

#[derive(Debug, Args)]
pub struct ChatArgs {
    /// Handset N of the software mesh `meshmush run` started (its API is on the
    /// gateway's port + N).
    #[arg(long, default_value_t = 1)]
    handset: u16,
    /// The software mesh's gateway address, for --handset.
    #[arg(long, default_value = "127.0.0.1:4403")]
    mesh: SocketAddr,
    /// A node's TCP API instead, HOST[:PORT] (default port 4403).
    #[arg(long, conflicts_with_all = ["handset", "mesh"])]
    tcp: Option<String>,
    /// A node on USB serial instead, e.g. /dev/ttyUSB0.
    #[arg(long, conflicts_with_all = ["handset", "mesh", "tcp"])]
    port: Option<String>,
    /// The BBS node, `!1234abcd` (default: the node this one knows as `BBS`).
    #[arg(long)]
    to: Option<String>,
    /// Seconds each command waits for its reply (commands from standard input).
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Seconds to wait for the node to answer the connection.
    #[arg(long, default_value_t = 10)]
    connect_timeout: u64,
    /// After the last command from standard input, listen this many seconds more.
    #[arg(long, default_value_t = 0)]
    linger: u64,
}

pub async fn chat(args: ChatArgs) -> Result<()> {
    use meshmush::chat::{Chat, ChatConfig, ChatError, script, terminal};
    use std::io::IsTerminal;
    use std::time::Duration;

    let on_mesh = args.port.is_none() && args.tcp.is_none();
    let transport = match (args.port, args.tcp) {
        (Some(p), _) => Transport::parse(&p),
        (None, Some(t)) => Transport::tcp(t.strip_prefix("tcp:").unwrap_or(&t)),
        (None, None) => {
            let mut addr = args.mesh;
            let port = addr
                .port()
                .checked_add(args.handset)
                .ok_or_else(|| anyhow!("--handset {} is past the last port", args.handset))?;
            addr.set_port(port);
            Transport::Tcp(addr.to_string())
        }
    };
    let to = match args.to {
        Some(id) => Some(
            parse_node_id(&id)
                .ok_or_else(|| anyhow!("--to {id:?} is not a node id like !1234abcd"))?,
        ),
        None => None,
    };
    let connected = Chat::connect(ChatConfig {
        transport,
        to,
        connect_timeout: Duration::from_secs(args.connect_timeout.max(1)),
    })
    .await;
    let mut chat = match connected {
        Ok(chat) => chat,
        Err(ChatError::Unreachable { target, reason }) if on_mesh => {
            let listening = handsets_listening(args.mesh).await;
            bail!(
                "{}",
                no_handset(args.handset, args.mesh, &target, &reason, &listening)
            );
        }
        Err(e) => return Err(e.into()),
    };
    let banner = terminal::banner(&chat);
    let outcome = if std::io::stdin().is_terminal() {
        println!("{banner}; Ctrl-D to leave");
        terminal::interactive(&mut chat)
            .await
            .map_err(anyhow::Error::from)
    } else {
        eprintln!("{banner}");
        let input = tokio::io::BufReader::new(tokio::io::stdin());
        let summary = script::script(
            &mut chat,
            input,
            &mut std::io::stdout(),
            Duration::from_secs(args.timeout),
            Duration::from_secs(args.linger),
        )
        .await?;
        if summary.unanswered > 0 {
            chat.close().await;
            eprintln!(
                "meshmush: {} of {} commands got no reply",
                summary.unanswered, summary.sent
            );
            std::process::exit(2);
        }
        Ok(())
    };
    chat.close().await;
    outcome
}

/// The most handsets [`handsets_listening`] looks for.
const MOST_HANDSETS: u16 = 64;

/// The handsets of the software mesh whose gateway is `mesh`: handset k listens on the
/// gateway's port + k, so the ports after it are tried in turn, up to the first that
/// nobody answers on.
async fn handsets_listening(mesh: SocketAddr) -> Vec<u16> {
    let mut found = Vec::new();
    for k in 1..=MOST_HANDSETS {
        let Some(port) = mesh.port().checked_add(k) else {
            break;
        };
        let mut addr = mesh;
        addr.set_port(port);
        let wait = std::time::Duration::from_millis(500);
        match tokio::time::timeout(wait, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => found.push(k),
            _ => break,
        }
    }
    found
}

/// Why `--handset n` found no node, and what to do: which handsets the mesh has, and
/// how to start it with more (or at all).
fn no_handset(n: u16, mesh: SocketAddr, target: &str, reason: &str, listening: &[u16]) -> String {
    let cannot =
        format!("cannot reach handset {n} of the software mesh at {mesh} ({target}: {reason})");
    match listening {
        [] => format!(
            "{cannot}: no handset listens there. Start the mesh with `meshmush run` (or \
             `meshmush sim`; --mesh names its gateway if it is not at {mesh}), or name a node \
             with --tcp HOST or --port PATH"
        ),
        found => {
            let names = match found {
                [one] => format!("only handset {one} (--handset {one})"),
                [a, b] => format!("handsets {a} and {b} (--handset {a} or --handset {b})"),
                [first, .., last] => {
                    format!("handsets {first} to {last} (--handset {first} to --handset {last})")
                }
                [] => String::new(),
            };
            format!(
                "{cannot}: it has {names}. For more, start it with --handsets {n} \
                 (meshmush run --handsets {n}, or meshmush sim --handsets {n})"
            )
        }
    }
}
