//! The daemon's figures in Prometheus form (`/metrics`), with `prometheus-client`: one
//! registry per daemon (never a global one, so two daemons in one test process keep
//! their own counts). Names follow Prometheus conventions: the `meshmush_` prefix,
//! base units (`_seconds`), counters ending in `_total` (the encoder adds it).
//!
//! Two kinds of figure:
//! - counted as they happen, here: commands by family, command latency, store call
//!   latency, the lag probe's lateness;
//! - read at scrape time from what already counts them (the link's own counters, the
//!   roster, the store's totals): a [`Snapshot`] taken by the HTTP handler just before
//!   encoding, so nothing on a packet's path is touched twice.
//!
//! No label carries a message, a name typed by a player, a password or a key: the
//! labels are command families (fixed strings), link names and link states.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use meshmush_firmware_bridge::link::{LinkState, MetricsSnapshot};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

use crate::lagprobe::LagStats;
use meshmush_store::PeerState;
use meshmush_store::Totals;

/// Labels of the per-family command counter.
type FamilyLabel = [(&'static str, &'static str); 1];

/// What the daemon looks like at one scrape.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The link's name in labels: its transport (`serial`, `tcp`).
    pub link_name: &'static str,
    pub link_state: LinkState,
    pub link: MetricsSnapshot,
    /// The airtime the BBS may use per rolling hour (its share of the duty cycle),
    /// once the node has said its region.
    pub airtime_allowed: Option<Duration>,
    pub nodes_heard_hour: usize,
    pub sessions_active: usize,
    /// `None` when the store could not be read this time.
    pub totals: Option<Totals>,
    pub lag: LagStats,
    /// Each link of the daemon by name (one entry unless it has several radios).
    pub links: Vec<LinkFigures>,
    /// Each sync peer's outbox, by node id (`!4d4d1001`).
    pub peers: Vec<(String, PeerState)>,
    /// Store calls a full disk refused since start (see the store's `full.rs`).
    pub store_full: u64,
}

/// One link's own figures, for the `meshmush_link_member_*` families.
#[derive(Debug, Clone)]
pub struct LinkFigures {
    /// The link's transport, such as `serial:/dev/ttyUSB0` or `mqtt:HOST/!bb5b0001`.
    pub name: String,
    pub up: bool,
    pub texts_in: u64,
    pub duplicates: u64,
    pub chunks_sent: u64,
    pub queue_depth: u64,
    pub airtime_total: Duration,
}

/// Writes one family of `kind` (a gauge or a counter), one value per
/// `(label value, value)`, all labelled `label`.
fn labelled<'a>(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    kind: MetricType,
    label: &str,
    values: impl IntoIterator<Item = (&'a str, f64)>,
) -> Result<(), std::fmt::Error> {
    let mut fam = enc.encode_descriptor(name, help, None, kind)?;
    for (at, v) in values {
        let labels = [(label, at)];
        if kind == MetricType::Counter {
            ConstCounter::new(v).encode(fam.encode_family(&labels)?)?;
        } else {
            ConstGauge::new(v).encode(fam.encode_family(&labels)?)?;
        }
    }
    Ok(())
}

/// Writes one value per link, labelled with the link's name: a gauge of what the link
/// is now, or a counter of what it did since the start.
fn per_link(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    kind: MetricType,
    links: &[LinkFigures],
    value: impl Fn(&LinkFigures) -> f64,
) -> Result<(), std::fmt::Error> {
    let values = links.iter().map(|l| (l.name.as_str(), value(l)));
    labelled(enc, name, help, kind, "link", values)
}

/// Writes one value per sync peer, labelled with its node id.
fn per_peer(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    kind: MetricType,
    peers: &[(String, PeerState)],
    value: impl Fn(&PeerState) -> u64,
) -> Result<(), std::fmt::Error> {
    let values = peers.iter().map(|(n, st)| (n.as_str(), value(st) as f64));
    labelled(enc, name, help, kind, "peer", values)
}

/// Writes one value per traffic class of the outbound queue, labelled `class`.
fn per_class(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    kind: MetricType,
    value: impl Fn(usize) -> f64,
) -> Result<(), std::fmt::Error> {
    use meshmush_firmware_bridge::link::Class;
    let values = Class::ALL.iter().map(|c| (c.name(), value(c.index())));
    labelled(enc, name, help, kind, "class", values)
}

/// The registry and the figures counted as they happen.
pub struct Metrics {
    registry: Registry,
    commands: Family<FamilyLabel, Counter>,
    command_seconds: Histogram,
    store_seconds: Histogram,
    lag_seconds: Histogram,
    scraped: Arc<Mutex<Option<Snapshot>>>,
}

/// Buckets from 100 µs to about 26 s, doubling.
fn latency_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.0001, 2.0, 19))
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("meshmush");
        let commands = Family::<FamilyLabel, Counter>::default();
        registry.register(
            "commands",
            "Commands run, by family (the file under commands/ that holds them)",
            commands.clone(),
        );
        let command_seconds = latency_buckets();
        registry.register_with_unit(
            "command_duration",
            "Time from a command's parse to its outcome (store calls included, delivery not)",
            Unit::Seconds,
            command_seconds.clone(),
        );
        let store_seconds = latency_buckets();
        registry.register_with_unit(
            "store_call_duration",
            "Time one store call took, waiting for a blocking thread included",
            Unit::Seconds,
            store_seconds.clone(),
        );
        let lag_seconds = Histogram::new(exponential_buckets(0.0001, 2.0, 16));
        registry.register_with_unit(
            "lag_probe_lateness",
            "How late the event-loop probe woke (every 10 ms): a blocked worker shows here",
            Unit::Seconds,
            lag_seconds.clone(),
        );
        let scraped: Arc<Mutex<Option<Snapshot>>> = Arc::default();
        registry.register_collector(Box::new(Scraped(scraped.clone())));
        Self {
            registry,
            commands,
            command_seconds,
            store_seconds,
            lag_seconds,
            scraped,
        }
    }

    pub fn command(&self, family: &'static str, took: Duration) {
        self.commands.get_or_create(&[("family", family)]).inc();
        self.command_seconds.observe(took.as_secs_f64());
    }

    pub fn store_call(&self, took: Duration) {
        self.store_seconds.observe(took.as_secs_f64());
    }

    pub fn lag(&self, late: Duration) {
        self.lag_seconds.observe(late.as_secs_f64());
    }

    /// The exposition text for `snapshot` and everything counted so far.
    pub fn encode(&self, snapshot: Snapshot) -> Result<String, std::fmt::Error> {
        // One scrape at a time encodes: the snapshot stays put until it is written.
        let mut held = self.scraped.lock().map_err(|_| std::fmt::Error)?;
        *held = Some(snapshot);
        drop(held);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// Encodes the last [`Snapshot`].
#[derive(Debug)]
struct Scraped(Arc<Mutex<Option<Snapshot>>>);

/// Writes one figure without labels.
fn one(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    metric: impl EncodeMetric,
) -> Result<(), std::fmt::Error> {
    let m = enc.encode_descriptor(name, help, unit, metric.metric_type())?;
    metric.encode(m)
}

fn counter(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    v: u64,
) -> Result<(), std::fmt::Error> {
    one(enc, name, help, None, ConstCounter::new(v))
}

fn gauge(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    v: i64,
) -> Result<(), std::fmt::Error> {
    one(enc, name, help, None, ConstGauge::new(v))
}

fn seconds_gauge(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    d: Duration,
) -> Result<(), std::fmt::Error> {
    one(
        enc,
        name,
        help,
        Some(&Unit::Seconds),
        ConstGauge::new(d.as_secs_f64()),
    )
}

/// The state names a link can be in, for `meshmush_link_state`.
const STATES: [&str; 4] = ["connecting", "connected", "lost", "stopped"];

fn state_name(s: &LinkState) -> &'static str {
    match s {
        LinkState::Connecting { .. } => "connecting",
        LinkState::Connected { .. } => "connected",
        LinkState::Lost { .. } => "lost",
        LinkState::Stopped => "stopped",
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Collector for Scraped {
    fn encode(&self, mut enc: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let held = self.0.lock().map_err(|_| std::fmt::Error)?;
        let Some(s) = held.as_ref() else {
            return Ok(());
        };
        let l = &s.link;
        let link = [("link", s.link_name)];
        let now = state_name(&s.link_state);
        let up = ConstGauge::new(i64::from(now == "connected"));
        let mut fam = enc.encode_descriptor(
            "link_up",
            "1 while the link to the node is connected",
            None,
            up.metric_type(),
        )?;
        up.encode(fam.encode_family(&link)?)?;
        let mut fam = enc.encode_descriptor(
            "link_state",
            "The link's state: 1 for the state it is in",
            None,
            MetricType::Gauge,
        )?;
        for state in STATES {
            let labels = [("link", s.link_name), ("state", state)];
            ConstGauge::new(i64::from(state == now)).encode(fam.encode_family(&labels)?)?;
        }
        counter(
            &mut enc,
            "link_connects",
            "Handshakes completed with the node (1 + reconnects)",
            l.connects,
        )?;
        counter(
            &mut enc,
            "link_disconnects",
            "Connections to the node lost",
            l.disconnects,
        )?;
        counter(
            &mut enc,
            "link_frames_in",
            "Frames read from the node",
            l.frames_in,
        )?;
        counter(
            &mut enc,
            "link_frames_out",
            "Frames written to the node",
            l.frames_out,
        )?;
        counter(
            &mut enc,
            "link_bad_frames",
            "Corrupt frames skipped",
            l.bad_frames,
        )?;
        counter(
            &mut enc,
            "link_texts_in",
            "Text messages received (repeats removed)",
            l.texts_in,
        )?;
        counter(
            &mut enc,
            "link_heartbeats",
            "Heartbeats sent to the node",
            l.heartbeats,
        )?;
        counter(
            &mut enc,
            "link_heartbeats_answered",
            "Heartbeats the node answered",
            l.heartbeats_answered,
        )?;
        one(
            &mut enc,
            "link_heartbeat_delay",
            "Heartbeat delays added up (due to answered); divide by the answered count",
            Some(&Unit::Seconds),
            ConstCounter::new(l.heartbeat_delay_total.as_secs_f64()),
        )?;
        seconds_gauge(
            &mut enc,
            "link_heartbeat_delay_max",
            "The longest heartbeat delay",
            l.heartbeat_delay_max,
        )?;
        counter(
            &mut enc,
            "link_watchdog_resets",
            "Connections the watchdog gave up on",
            l.watchdog_resets,
        )?;
        gauge(
            &mut enc,
            "outbound_queue_depth",
            "Packets waiting to be sent or acknowledged",
            count(l.queue_depth as usize),
        )?;
        per_class(
            &mut enc,
            "outbound_class_depth",
            "Packets each traffic class holds, queued or in flight",
            MetricType::Gauge,
            |i| l.class_depth[i] as f64,
        )?;
        per_class(
            &mut enc,
            "airtime_class_seconds",
            "Airtime each traffic class has used since start",
            MetricType::Counter,
            |i| l.class_airtime[i].as_secs_f64(),
        )?;
        gauge(
            &mut enc,
            "node_queue_free",
            "Free places in the node's transmit queue",
            count(l.node_queue_free as usize),
        )?;
        counter(
            &mut enc,
            "reply_packets_sent",
            "Reply packets handed to the node (retries included)",
            l.chunks_sent,
        )?;
        counter(
            &mut enc,
            "reply_packets_delivered",
            "Reply packets the mesh acknowledged",
            l.chunks_delivered,
        )?;
        counter(
            &mut enc,
            "reply_packet_retries",
            "Reply packets sent again",
            l.chunk_retries,
        )?;
        let lost = [
            ("failed", l.send_failures),
            ("expired", l.expired_chunks),
            ("refused", l.queue_refusals),
            ("evicted", l.evicted_parked),
        ];
        let c = ConstCounter::new(0u64);
        let mut fam = enc.encode_descriptor(
            "reply_packets_lost",
            "Reply packets that never reached their player, by why",
            None,
            c.metric_type(),
        )?;
        for (why, n) in lost {
            ConstCounter::new(n).encode(fam.encode_family(&[("reason", why)])?)?;
        }
        one(
            &mut enc,
            "airtime",
            "Time on air spent on replies since the link started",
            Some(&Unit::Seconds),
            ConstCounter::new(l.airtime_total_ms as f64 / 1000.0),
        )?;
        seconds_gauge(
            &mut enc,
            "airtime_hour",
            "Time on air used in the rolling hour",
            Duration::from_millis(l.airtime_hour_ms),
        )?;
        counter(
            &mut enc,
            "airtime_unrecorded",
            "Packets on air the airtime ledger missed (its keeper was behind): a restart \
             would not count them",
            l.airtime_unrecorded,
        )?;
        if let Some(allowed) = s.airtime_allowed {
            seconds_gauge(
                &mut enc,
                "airtime_hour_allowed",
                "Time on air the BBS may use per rolling hour (its share of the duty cycle)",
                allowed,
            )?;
        }
        gauge(
            &mut enc,
            "nodes_heard",
            "Nodes the node heard in the last hour",
            count(s.nodes_heard_hour),
        )?;
        gauge(
            &mut enc,
            "sessions_active",
            "Players with a running session",
            count(s.sessions_active),
        )?;
        if let Some(t) = s.totals {
            gauge(&mut enc, "players", "Players on record", t.players as i64)?;
            gauge(
                &mut enc,
                "posts",
                "Live posts on all boards",
                t.posts as i64,
            )?;
            gauge(
                &mut enc,
                "mail_unread",
                "Mails waiting to be read",
                t.mail_unread as i64,
            )?;
        }
        counter(
            &mut enc,
            "store_full",
            "Store calls refused because the disk was full (writes; reads go on)",
            s.store_full,
        )?;
        seconds_gauge(
            &mut enc,
            "lag_probe_p99",
            "The lag probe's p99 over the last minute",
            s.lag.p99,
        )?;
        let links = &s.links;
        let up = |l: &LinkFigures| f64::from(u8::from(l.up));
        per_link(
            &mut enc,
            "link_member_up",
            "1 while this link is connected",
            MetricType::Gauge,
            links,
            up,
        )?;
        let texts = |l: &LinkFigures| l.texts_in as f64;
        per_link(
            &mut enc,
            "link_member_texts_in",
            "Texts this link heard",
            MetricType::Counter,
            links,
            texts,
        )?;
        let dups = |l: &LinkFigures| l.duplicates as f64;
        let help = "Repeats this link heard (of its own packets or another link's)";
        let total = MetricType::Counter;
        per_link(&mut enc, "link_member_duplicates", help, total, links, dups)?;
        let sent = |l: &LinkFigures| l.chunks_sent as f64;
        per_link(
            &mut enc,
            "link_member_chunks_sent",
            "Packets this link sent",
            total,
            links,
            sent,
        )?;
        let depth = |l: &LinkFigures| l.queue_depth as f64;
        per_link(
            &mut enc,
            "link_member_queue_depth",
            "Packets waiting on this link",
            MetricType::Gauge,
            links,
            depth,
        )?;
        let air = |l: &LinkFigures| l.airtime_total.as_secs_f64();
        let help = "Seconds on air this link spent on replies";
        per_link(
            &mut enc,
            "link_member_airtime_seconds",
            help,
            total,
            links,
            air,
        )?;
        let peers = &s.peers;
        let help = "Items waiting in this sync peer's outbox";
        let level = MetricType::Gauge;
        per_peer(
            &mut enc,
            "sync_queued",
            help,
            level,
            peers,
            PeerState::queued,
        )?;
        let help = "Items dropped unsent from this sync peer's full outbox";
        per_peer(&mut enc, "sync_dropped", help, total, peers, |p| p.dropped)?;
        let help = "Items and frames from this sync peer that were refused";
        per_peer(&mut enc, "sync_refused", help, total, peers, |p| p.refused)?;
        Ok(())
    }
}
