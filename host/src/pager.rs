//! One pager for all output. A reply that fits in `pager_packets` radio packets goes
//! out whole; a longer one sends that many packets, the last marked ` [more]`, and the
//! rest waits (per player, across the idle timeout) until the player sends `more`.
//! Any other command drops what was waiting. Every byte costs the mesh airtime, so
//! nobody gets a 20-packet reply they did not ask for.

use std::collections::VecDeque;

use meshmush_firmware_bridge::{LinkHandle, link::LinkClosed};
use meshmush_protocol::chunking::chunk;

use crate::volatile::Volatile;

/// Appended to the last packet of a page when more is waiting.
pub const MORE: &str = " [more]";

/// Sends `reply` to `node`, paging it when it needs more than `per_page` packets.
pub async fn deliver(
    link: &LinkHandle,
    vol: &Volatile,
    node: u32,
    reply: &str,
    budget: usize,
    per_page: usize,
) -> Result<(), LinkClosed> {
    if chunk(reply, budget).len() <= per_page {
        vol.drop_pages(node);
        link.send_text(node, 0, reply).await?;
        return Ok(());
    }
    let mut packets: VecDeque<String> = chunk(reply, budget.saturating_sub(MORE.len())).into();
    let first: Vec<String> = packets.drain(..per_page.min(packets.len())).collect();
    vol.set_pages(node, packets);
    send_page(link, node, first, true).await
}

/// Sends the next page for `more`; false when nothing was waiting.
pub async fn more(
    link: &LinkHandle,
    vol: &Volatile,
    node: u32,
    per_page: usize,
) -> Result<bool, LinkClosed> {
    match vol.next_page(node, per_page) {
        Some((page, more)) => send_page(link, node, page, more).await.map(|()| true),
        None => Ok(false),
    }
}

async fn send_page(
    link: &LinkHandle,
    node: u32,
    mut page: Vec<String>,
    more: bool,
) -> Result<(), LinkClosed> {
    if more && let Some(last) = page.last_mut() {
        last.push_str(MORE);
    }
    for packet in page {
        link.send_text(node, 0, packet).await?;
    }
    Ok(())
}
