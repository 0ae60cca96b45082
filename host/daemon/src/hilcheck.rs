//! `meshmush hil-check`: a short self-test with one real node attached, printing a
//! verdict a person can act on. It connects and handshakes, reports what the node
//! says about itself and the mesh, and sends one acked direct message to a node
//! (given, or the most recently heard one) to prove the radio path end to end.

use std::fmt::Write as _;
use std::time::Duration;

use meshmush_firmware_bridge::link::{LinkConfig, LinkEvent, LinkState};
use meshmush_firmware_bridge::spawn;
use meshmush_protocol::packets::{PRIMARY_CHANNEL, node_id};

/// What the check found; `passed` is the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct HilReport {
    pub lines: Vec<String>,
    pub passed: bool,
}

impl HilReport {
    pub fn text(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            let _ = writeln!(out, "{l}");
        }
        let _ = writeln!(
            out,
            "{}",
            if self.passed {
                "VERDICT: PASS"
            } else {
                "VERDICT: FAIL"
            }
        );
        out
    }
}

/// Runs the check over `cfg`'s transport. `to` names the node to message; `wait`
/// bounds the handshake and the delivery each.
pub async fn run(mut cfg: LinkConfig, to: Option<u32>, wait: Duration) -> HilReport {
    let mut lines = Vec::new();
    let target = cfg.transport.to_string();
    cfg.handshake_timeout = wait;
    cfg.backoff_max = Duration::from_secs(2);
    let (link, mut events) = spawn(cfg);
    let connected = tokio::time::timeout(wait, async {
        loop {
            match events.recv().await {
                Some(LinkEvent::State(LinkState::Connected { my_node_num, nodes })) => {
                    return Ok((my_node_num, nodes));
                }
                Some(LinkEvent::State(LinkState::Lost { reason })) => return Err(reason),
                Some(_) => {}
                None => return Err("the link stopped".to_string()),
            }
        }
    })
    .await;
    let (me, nodes) = match connected {
        Ok(Ok(v)) => v,
        Ok(Err(reason)) => {
            lines.push(format!("FAIL handshake with {target}: {reason}"));
            lines.push("  check the cable/port, that no other program holds it, and the node's serial mode (PROTO)".into());
            link.shutdown().await;
            return HilReport {
                lines,
                passed: false,
            };
        }
        Err(_) => {
            lines.push(format!("FAIL no handshake with {target} within {wait:?}"));
            link.shutdown().await;
            return HilReport {
                lines,
                passed: false,
            };
        }
    };
    let cfg = link.node_config();
    lines.push(format!("ok   connected to {} over {target}", node_id(me)));
    if let Some(c) = &cfg {
        lines.push(format!(
            "ok   firmware {}, preset {}, region {}, duty cycle {}%",
            c.firmware_version,
            c.preset.as_str_name(),
            c.region.as_str_name(),
            c.duty_cycle.percent
        ));
        if !c.firmware_version.is_empty() && c.firmware_version.as_str() < "2.5" {
            lines.push(
                "warn firmware before 2.5: DMs are not PKI-encrypted, admin powers need passwords"
                    .into(),
            );
        }
    }
    lines.push(format!("ok   {nodes} nodes in the node database"));
    let dest = to.or_else(|| {
        link.nodes()
            .into_iter()
            .filter(|n| n.num != me)
            .max_by_key(|n| n.last_heard)
            .map(|n| n.num)
    });
    let Some(dest) = dest else {
        lines.push(
            "warn no other node heard yet: give one with --to !xxxxxxxx to test the radio path"
                .into(),
        );
        link.shutdown().await;
        return HilReport {
            lines,
            passed: true,
        };
    };
    let ids = match link
        .send_text(dest, PRIMARY_CHANNEL, "meshmush hil-check: ping")
        .await
    {
        Ok(ids) => ids,
        Err(e) => {
            lines.push(format!("FAIL could not queue a message: {e}"));
            return HilReport {
                lines,
                passed: false,
            };
        }
    };
    let delivered = tokio::time::timeout(wait, async {
        while let Some(ev) = events.recv().await {
            if let LinkEvent::Delivery {
                packet_id,
                result,
                will_retry,
                ..
            } = ev
                && ids.contains(&packet_id)
            {
                match result {
                    Ok(()) => return Ok(()),
                    Err(e) if !will_retry => return Err(e.as_str_name().to_string()),
                    Err(e) => tracing::info!(reason = e.as_str_name(), "hil-check: retrying"),
                }
            }
        }
        Err("the link stopped".to_string())
    })
    .await;
    let passed = match delivered {
        Ok(Ok(())) => {
            lines.push(format!(
                "ok   direct message to {} acknowledged",
                node_id(dest)
            ));
            true
        }
        Ok(Err(reason)) => {
            lines.push(format!(
                "FAIL direct message to {} not delivered: {reason}",
                node_id(dest)
            ));
            false
        }
        Err(_) => {
            lines.push(format!(
                "FAIL no acknowledgement from {} within {wait:?}",
                node_id(dest)
            ));
            lines.push("  is it in range and on the same channel and preset?".into());
            false
        }
    };
    link.shutdown().await;
    HilReport { lines, passed }
}
