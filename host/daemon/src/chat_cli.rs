//! `meshmush chat`'s arguments and the edge that runs it (the terminal handset itself
//! is `meshmush::chat`).

use std::net::SocketAddr;

use anyhow::{Result, anyhow};
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
    use meshmush::chat::{Chat, ChatConfig, terminal};
    use std::io::IsTerminal;
    use std::time::Duration;

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
    let mut chat = Chat::connect(ChatConfig {
        transport,
        to,
        connect_timeout: Duration::from_secs(args.connect_timeout.max(1)),
    })
    .await?;
    let banner = terminal::banner(&chat);
    let outcome = if std::io::stdin().is_terminal() {
        println!("{banner}; Ctrl-D to leave");
        terminal::interactive(&mut chat)
            .await
            .map_err(anyhow::Error::from)
    } else {
        eprintln!("{banner}");
        let input = tokio::io::BufReader::new(tokio::io::stdin());
        let summary = terminal::script(
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
