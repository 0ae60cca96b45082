//! Several links as one: a BBS with more than one radio (a second USB node, a node
//! over TCP, the MQTT virtual node), each link with its own pacing, airtime share and
//! queue, behind one [`LinkHandle`] so the host does not care how many there are.
//!
//! - **Heard once.** A packet two links hear (two gateways in range of one handset) is
//!   handed up once: the first copy goes up, repeats are dropped by sender and packet
//!   id across links (and counted as duplicates).
//! - **Replies go back the way the player was heard.** For each node the group keeps
//!   which links heard it and how well. A reply goes out through the link that heard
//!   the player's latest packet, the one with the fewest hops (then the best SNR) when
//!   several heard it; if that link is down, through another that has heard the player
//!   (most recently first); failing that, through any link that is up. A broadcast goes
//!   out on every link that is up.
//! - Delivery outcomes and node news pass through; the group is connected while any of
//!   its links is.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use meshmush_protocol::packets::{BROADCAST, TextMessage, node_id};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use tracing::{Instrument, debug, info, info_span};

use super::config::LinkConfig;
use super::dedupe::Dedupe;
use super::error::SendError;
use super::events::{Command, LinkEvent, LinkState};
use super::handle::{LinkHandle, Member, spawn};
use super::handshake::NodeConfig;
use super::metrics::LinkMetrics;
use super::metrics::inc;
use super::nodedb::NodeDb;
use super::outbound::{Class, SendOpts};

/// Nodes whose links are remembered; past this the least recently heard is forgotten.
const ROUTES_KEPT: usize = 65_536;

/// How one link heard a node.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Heard {
    link: usize,
    at: Instant,
    id: u32,
    hops: Option<u32>,
    snr: Option<f32>,
}

impl Heard {
    /// Fewer hops first, then the better SNR (unknowns last).
    fn better_than(&self, other: &Heard) -> bool {
        let hops = |h: &Heard| h.hops.unwrap_or(u32::MAX);
        match hops(self).cmp(&hops(other)) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Greater => false,
            std::cmp::Ordering::Equal => {
                self.snr.unwrap_or(f32::MIN) > other.snr.unwrap_or(f32::MIN)
            }
        }
    }
}

/// Which links heard each node: the routing table of the group.
#[derive(Debug, Default)]
pub(crate) struct Routes {
    /// Per node: the latest packet each link heard from it.
    heard: HashMap<u32, Vec<Heard>>,
}

impl Routes {
    fn hear(&mut self, link: usize, t: &TextMessage, at: Instant) {
        if self.heard.len() >= ROUTES_KEPT && !self.heard.contains_key(&t.from) {
            let oldest = self
                .heard
                .iter()
                .min_by_key(|(_, hs)| hs.iter().map(|h| h.at).max())
                .map(|(n, _)| *n);
            if let Some(n) = oldest {
                self.heard.remove(&n);
            }
        }
        let entry = Heard {
            link,
            at,
            id: t.id,
            hops: t.hops,
            snr: t.rx_snr,
        };
        let links = self.heard.entry(t.from).or_default();
        match links.iter_mut().find(|h| h.link == link) {
            Some(h) => *h = entry,
            None => links.push(entry),
        }
    }

    /// The link to reach `node` through, given which links are up.
    fn choose(&self, node: u32, up: &[bool]) -> Option<usize> {
        let links = self.heard.get(&node)?;
        let is_up = |h: &&Heard| up.get(h.link).copied().unwrap_or(false);
        // The latest packet: the one whose first copy came last.
        let latest = links.iter().max_by_key(|h| h.at)?.id;
        let best_of_latest = links.iter().filter(|h| h.id == latest).filter(is_up).fold(
            None::<&Heard>,
            |best, h| match best {
                Some(b) if !h.better_than(b) => Some(b),
                _ => Some(h),
            },
        );
        if let Some(h) = best_of_latest {
            return Some(h.link);
        }
        links
            .iter()
            .filter(is_up)
            .max_by_key(|h| h.at)
            .map(|h| h.link)
    }
}

/// Starts one link per config, as one group; with one config, just that link.
pub fn spawn_all(cfgs: Vec<LinkConfig>) -> (LinkHandle, mpsc::Receiver<LinkEvent>) {
    if cfgs.len() <= 1 {
        let cfg = cfgs.into_iter().next().unwrap_or_else(|| {
            LinkConfig::new(crate::transport::Transport::Tcp("127.0.0.1:4403".into()))
        });
        return spawn(cfg);
    }
    let capacity = cfgs
        .iter()
        .map(|c| c.event_capacity)
        .max()
        .unwrap_or(1)
        .max(1);
    let (merged_tx, merged_rx) = mpsc::channel(capacity);
    let mut members = Vec::with_capacity(cfgs.len());
    for (index, cfg) in cfgs.into_iter().enumerate() {
        let name = cfg.transport.to_string();
        let (handle, mut events) = spawn(cfg);
        let tx = merged_tx.clone();
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                if tx.send((index, event)).await.is_err() {
                    break;
                }
            }
        });
        members.push(Member { name, handle });
    }
    let (cmd_tx, cmd_rx) = mpsc::channel(256);
    let (event_tx, event_rx) = mpsc::channel(capacity);
    let (state_tx, state_rx) = watch::channel(LinkState::Connecting { attempt: 0 });
    let (me_tx, me_rx) = watch::channel(None);
    let metrics = Arc::new(LinkMetrics::default());
    let members: Arc<[Member]> = Arc::from(members);
    let handle = LinkHandle {
        commands: cmd_tx,
        metrics: metrics.clone(),
        nodes: Arc::new(RwLock::new(NodeDb::default())),
        state: state_rx,
        me: me_rx,
        max_packet: members
            .iter()
            .map(|m| m.handle.max_packet_bytes())
            .min()
            .unwrap_or(0),
        members: members.clone(),
        name: Arc::from("group"),
    };
    let group = Group {
        members,
        routes: Routes::default(),
        dedupe: Dedupe::new(8192),
        metrics,
        state: state_tx,
        me: me_tx,
        events: event_tx,
    };
    tokio::spawn(group.run(cmd_rx, merged_rx).instrument(info_span!("links")));
    (handle, event_rx)
}

struct Group {
    members: Arc<[Member]>,
    routes: Routes,
    dedupe: Dedupe,
    metrics: Arc<LinkMetrics>,
    state: watch::Sender<LinkState>,
    me: watch::Sender<Option<NodeConfig>>,
    events: mpsc::Sender<LinkEvent>,
}

impl Group {
    async fn run(
        mut self,
        mut commands: mpsc::Receiver<Command>,
        mut merged: mpsc::Receiver<(usize, LinkEvent)>,
    ) {
        loop {
            tokio::select! {
                cmd = commands.recv() => match cmd {
                    Some(Command::Send { dest, channel, class, packets, opts, ids }) => {
                        let result = self.send(dest, channel, class, packets, opts).await;
                        let _ = ids.send(result);
                    }
                    None | Some(Command::Shutdown) => break,
                },
                event = merged.recv() => match event {
                    Some((link, event)) => self.on_event(link, event),
                    None => break,
                },
            }
        }
        for m in self.members.iter() {
            m.handle.shutdown().await;
        }
        let _ = self.state.send(LinkState::Stopped);
        let _ = self.events.try_send(LinkEvent::State(LinkState::Stopped));
    }

    fn up(&self) -> Vec<bool> {
        self.members
            .iter()
            .map(|m| matches!(m.handle.state(), LinkState::Connected { .. }))
            .collect()
    }

    async fn send(
        &mut self,
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
        opts: SendOpts,
    ) -> Result<Vec<u32>, SendError> {
        let up = self.up();
        if dest == BROADCAST {
            let mut first = None;
            for (i, m) in self.members.iter().enumerate().filter(|(i, _)| up[*i]) {
                let sent = m
                    .handle
                    .send_with(dest, channel, class, packets.clone(), opts)
                    .await;
                debug!(link = %m.name, index = i, "broadcast sent");
                first.get_or_insert(sent);
            }
            return first.unwrap_or(Err(SendError::Closed));
        }
        let link = self
            .routes
            .choose(dest, &up)
            .or_else(|| up.iter().position(|u| *u))
            .unwrap_or(0);
        let Some(m) = self.members.get(link) else {
            return Err(SendError::Closed);
        };
        debug!(dest = %node_id(dest), link = %m.name, "reply routed");
        m.handle
            .send_with(dest, channel, class, packets, opts)
            .await
    }

    fn on_event(&mut self, link: usize, event: LinkEvent) {
        match event {
            LinkEvent::DirectText(t) | LinkEvent::ChannelText(t)
                if !self.dedupe.first_time(t.from, t.id) =>
            {
                // A repeat through another link: it still tells us that link hears them.
                self.routes.hear(link, &t, Instant::now());
                inc(&self.metrics.duplicates);
                debug!(from = %node_id(t.from), id = t.id, link = %self.members[link].name, "heard again on another link");
            }
            LinkEvent::DirectText(t) => {
                self.routes.hear(link, &t, Instant::now());
                self.emit(LinkEvent::DirectText(t));
            }
            LinkEvent::ChannelText(t) => {
                self.routes.hear(link, &t, Instant::now());
                self.emit(LinkEvent::ChannelText(t));
            }
            LinkEvent::State(s) => {
                info!(link = %self.members[link].name, state = ?s, "link state");
                self.refresh_state();
            }
            other => self.emit(other),
        }
    }

    /// The group is connected while any link is: it reports the first such link's node.
    fn refresh_state(&mut self) {
        let connected = self
            .members
            .iter()
            .find_map(|m| m.handle.node_config().map(|c| (c, m.handle.state())));
        let state = match connected {
            Some((cfg, LinkState::Connected { .. })) => {
                let nodes = self.members.iter().map(|m| m.handle.node_count()).sum();
                let _ = self.me.send(Some(cfg.clone()));
                LinkState::Connected {
                    my_node_num: cfg.my_node_num,
                    nodes,
                }
            }
            _ => {
                let _ = self.me.send(None);
                self.members
                    .iter()
                    .map(|m| m.handle.state())
                    .find(|s| matches!(s, LinkState::Lost { .. }))
                    .unwrap_or(LinkState::Connecting { attempt: 0 })
            }
        };
        let prev = self.state.send_replace(state.clone());
        let same = match (&prev, &state) {
            (LinkState::Connected { .. }, LinkState::Connected { .. }) => true,
            (a, b) => a == b,
        };
        if !same {
            self.emit(LinkEvent::State(state));
        }
    }

    fn emit(&mut self, event: LinkEvent) {
        if self.events.try_send(event).is_err() {
            inc(&self.metrics.dropped_events);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(from: u32, id: u32, hops: Option<u32>, snr: Option<f32>) -> TextMessage {
        TextMessage {
            from,
            to: 1,
            channel: 0,
            id,
            text: "look".into(),
            rx_time: 0,
            rx_snr: snr,
            rx_rssi: None,
            hops,
            hop_start: 3,
            pki_encrypted: false,
            public_key: None,
            signature: None,
            want_ack: false,
            reply_id: None,
            emoji: false,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_reply_takes_the_link_that_heard_the_latest_packet_best() {
        let mut r = Routes::default();
        let t0 = Instant::now();
        // Packet 1 heard by link 0 (2 hops) and link 1 (direct): link 1 is better.
        r.hear(0, &text(7, 1, Some(2), Some(9.0)), t0);
        r.hear(1, &text(7, 1, Some(0), Some(-3.0)), t0);
        assert_eq!(r.choose(7, &[true, true]), Some(1));
        // Same hops: the better SNR wins.
        r.hear(
            0,
            &text(7, 2, Some(1), Some(4.0)),
            t0 + std::time::Duration::from_secs(1),
        );
        r.hear(
            1,
            &text(7, 2, Some(1), Some(-1.0)),
            t0 + std::time::Duration::from_secs(1),
        );
        assert_eq!(r.choose(7, &[true, true]), Some(0));
        // The player moved: packet 3 only link 1 heard; it is the most recent.
        r.hear(
            1,
            &text(7, 3, Some(2), None),
            t0 + std::time::Duration::from_secs(5),
        );
        assert_eq!(r.choose(7, &[true, true]), Some(1));
        // Link 1 is down: fall back to link 0, which has heard them.
        assert_eq!(r.choose(7, &[true, false]), Some(0));
        // Nobody heard node 8.
        assert_eq!(r.choose(8, &[true, true]), None);
        assert_eq!(r.choose(7, &[false, false]), None);
    }
}
