//! One client connection to an MQTT broker, kept up for as long as anyone holds a
//! [`Broker`] handle.
//!
//! - It reconnects with exponential backoff, and on every connection (the first and
//!   each after a loss) subscribes to its topics again.
//! - What is published while the broker is away waits in a bounded queue (the oldest
//!   goes first when it overflows, with a log line and a count, as the firmware's
//!   `mqttQueue` does) and goes out, in order, when the connection is back. QoS 1
//!   publications the broker had not acknowledged are sent again by `rumqttc` itself.
//! - Messages from the broker reach the owner on a bounded channel; when the owner
//!   falls behind they are dropped and counted, never left to stall the connection.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rumqttc::{AsyncClient, Event, EventLoop, MqttOptions, Packet, QoS};
use tokio::sync::{mpsc, oneshot};
use tracing::{Instrument, debug, info, warn};

/// How to reach the broker and what to hear from it.
#[derive(Debug, Clone)]
pub struct BrokerConfig {
    /// `host:port`; the port defaults to 1883.
    pub addr: String,
    pub client_id: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Topic filters subscribed (QoS 1) on every connection.
    pub subscriptions: Vec<String>,
    /// Keep the session (and what the broker queued for us) across reconnects.
    pub persistent_session: bool,
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    /// Publications kept while the broker is away.
    pub queue_cap: usize,
    /// Messages from the broker waiting for the owner.
    pub event_capacity: usize,
}

impl BrokerConfig {
    pub fn new(addr: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            addr: addr.into(),
            client_id: client_id.into(),
            username: None,
            password: None,
            subscriptions: Vec::new(),
            persistent_session: true,
            backoff_initial: Duration::from_millis(250),
            backoff_max: Duration::from_secs(30),
            queue_cap: 256,
            event_capacity: 1024,
        }
    }

    fn host_port(&self) -> (String, u16) {
        match self.addr.rsplit_once(':') {
            Some((host, port)) if port.parse::<u16>().is_ok() => {
                (host.to_string(), port.parse().unwrap_or(1883))
            }
            _ => (self.addr.clone(), 1883),
        }
    }
}

/// What the broker connection tells its owner.
#[derive(Debug, Clone, PartialEq)]
pub enum BrokerEvent {
    /// Connected (again) and subscribed.
    Up,
    /// The connection was lost; it is being retried.
    Down(String),
    /// A message on one of our subscriptions.
    Message { topic: String, payload: Vec<u8> },
}

/// Counts the owner may read.
#[derive(Debug, Default)]
pub struct BrokerStats {
    pub connects: AtomicU64,
    pub published: AtomicU64,
    pub received: AtomicU64,
    /// Publications dropped from a full queue while the broker was away.
    pub dropped_out: AtomicU64,
    /// Messages dropped because the owner was not keeping up.
    pub dropped_in: AtomicU64,
}

struct Shared {
    up: bool,
    waiting: VecDeque<(String, Vec<u8>)>,
}

/// A handle to the broker connection; the connection ends when the last one drops.
#[derive(Clone)]
pub struct Broker {
    client: AsyncClient,
    shared: Arc<Mutex<Shared>>,
    stats: Arc<BrokerStats>,
    queue_cap: usize,
    _alive: Arc<oneshot::Sender<()>>,
}

impl std::fmt::Debug for Broker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broker").finish_non_exhaustive()
    }
}

impl Broker {
    /// Publishes now if connected, else keeps it for when the connection is back.
    pub fn publish(&self, topic: String, payload: Vec<u8>) {
        let Ok(mut shared) = self.shared.lock() else {
            return;
        };
        if shared.up {
            match self
                .client
                .try_publish(topic, QoS::AtLeastOnce, false, payload)
            {
                Ok(()) => {
                    self.stats.published.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Err(rumqttc::ClientError::TryRequest(rumqttc::Request::Publish(p))) => {
                    shared.waiting.push_back((p.topic, p.payload.to_vec()));
                }
                Err(e) => warn!(error = %e, "mqtt publish refused"),
            }
        } else {
            shared.waiting.push_back((topic, payload));
        }
        if shared.waiting.len() > self.queue_cap {
            shared.waiting.pop_front();
            let dropped = self.stats.dropped_out.fetch_add(1, Ordering::Relaxed) + 1;
            // One line per doubling: a long outage is a summary, not a line a packet.
            if dropped.is_power_of_two() {
                warn!(
                    cap = self.queue_cap,
                    dropped, "mqtt broker away and its queue is full; oldest publications dropped"
                );
            }
        }
    }

    pub fn is_up(&self) -> bool {
        self.shared.lock().map(|s| s.up).unwrap_or(false)
    }

    pub fn stats(&self) -> &BrokerStats {
        &self.stats
    }
}

/// Starts the connection. Events arrive on the receiver until the last handle drops.
pub fn connect(cfg: BrokerConfig) -> (Broker, mpsc::Receiver<BrokerEvent>) {
    let (host, port) = cfg.host_port();
    let mut opts = MqttOptions::new(cfg.client_id.clone(), host, port);
    opts.set_keep_alive(Duration::from_secs(30));
    opts.set_clean_session(!cfg.persistent_session);
    opts.set_max_packet_size(64 * 1024, 64 * 1024);
    if let Some(user) = &cfg.username {
        opts.set_credentials(user.clone(), cfg.password.clone().unwrap_or_default());
    }
    // Room for every waiting publication at once, so a reconnect sends them all.
    let (client, eventloop) = AsyncClient::new(opts, cfg.queue_cap.max(1) + 64);
    let (event_tx, event_rx) = mpsc::channel(cfg.event_capacity.max(1));
    let (alive_tx, alive_rx) = oneshot::channel();
    let broker = Broker {
        client: client.clone(),
        shared: Arc::new(Mutex::new(Shared {
            up: false,
            waiting: VecDeque::new(),
        })),
        stats: Arc::new(BrokerStats::default()),
        queue_cap: cfg.queue_cap.max(1),
        _alive: Arc::new(alive_tx),
    };
    let task = Connection {
        cfg,
        client,
        shared: broker.shared.clone(),
        stats: broker.stats.clone(),
        events: event_tx,
    };
    tokio::spawn(task.run(eventloop, alive_rx));
    (broker, event_rx)
}

struct Connection {
    cfg: BrokerConfig,
    client: AsyncClient,
    shared: Arc<Mutex<Shared>>,
    stats: Arc<BrokerStats>,
    events: mpsc::Sender<BrokerEvent>,
}

impl Connection {
    async fn run(self, mut eventloop: EventLoop, mut alive: oneshot::Receiver<()>) {
        let span =
            tracing::info_span!("mqtt", broker = %self.cfg.addr, client = %self.cfg.client_id);
        self.serve(&mut eventloop, &mut alive)
            .instrument(span)
            .await;
        let _ = self.client.try_disconnect();
    }

    async fn serve(&self, eventloop: &mut EventLoop, alive: &mut oneshot::Receiver<()>) {
        let mut backoff = self.cfg.backoff_initial;
        let mut was_up = false;
        // Subscriptions not yet confirmed on this connection: the owner hears `Up`
        // only once the broker has them all, so nothing published after is missed.
        let mut awaiting_subacks = 0usize;
        loop {
            let polled = tokio::select! {
                _ = &mut *alive => break,
                polled = eventloop.poll() => polled,
            };
            match polled {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    backoff = self.cfg.backoff_initial;
                    was_up = true;
                    awaiting_subacks = self.subscribe();
                    if awaiting_subacks == 0 {
                        self.on_connected();
                    }
                }
                Ok(Event::Incoming(Packet::SubAck(_))) if awaiting_subacks > 0 => {
                    awaiting_subacks -= 1;
                    if awaiting_subacks == 0 {
                        self.on_connected();
                    }
                }
                Ok(Event::Incoming(Packet::Publish(p))) => {
                    self.stats.received.fetch_add(1, Ordering::Relaxed);
                    let event = BrokerEvent::Message {
                        topic: p.topic,
                        payload: p.payload.to_vec(),
                    };
                    if self.events.try_send(event).is_err() {
                        self.stats.dropped_in.fetch_add(1, Ordering::Relaxed);
                        debug!("mqtt message dropped: its reader is not keeping up");
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    if let Ok(mut s) = self.shared.lock() {
                        s.up = false;
                    }
                    if was_up {
                        was_up = false;
                        warn!(error = %e, retry_in = ?backoff, "mqtt broker lost");
                        let _ = self.events.try_send(BrokerEvent::Down(e.to_string()));
                    } else {
                        debug!(error = %e, retry_in = ?backoff, "mqtt broker not reachable");
                    }
                    tokio::select! {
                        _ = &mut *alive => break,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(self.cfg.backoff_max);
                }
            }
        }
        info!("mqtt connection closed");
    }

    /// Asks for every subscription (again); returns how many answers to wait for.
    fn subscribe(&self) -> usize {
        let mut asked = 0;
        for topic in &self.cfg.subscriptions {
            match self.client.try_subscribe(topic.clone(), QoS::AtLeastOnce) {
                Ok(()) => asked += 1,
                Err(e) => warn!(%topic, error = %e, "mqtt subscribe failed"),
            }
        }
        asked
    }

    /// Subscribed: sends what waited, then lets publications go straight out.
    fn on_connected(&self) {
        self.stats.connects.fetch_add(1, Ordering::Relaxed);
        let Ok(mut shared) = self.shared.lock() else {
            return;
        };
        let waiting = shared.waiting.len();
        while let Some((topic, payload)) = shared.waiting.pop_front() {
            match self
                .client
                .try_publish(topic, QoS::AtLeastOnce, false, payload)
            {
                Ok(()) => {
                    self.stats.published.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => warn!(error = %e, "mqtt publish refused"),
            }
        }
        shared.up = true;
        info!(
            subscriptions = self.cfg.subscriptions.len(),
            sent_waiting = waiting,
            "mqtt broker connected"
        );
        drop(shared);
        let _ = self.events.try_send(BrokerEvent::Up);
    }
}
