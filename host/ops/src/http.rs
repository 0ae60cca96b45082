//! The operator's HTTP server (axum): the status page at `/`, the airtime chart alone
//! at `/airtime.svg`, Prometheus figures at `/metrics`. Read-only: no route changes
//! anything, and nothing served names a secret (no message text, password or key).
//! The token-guarded API (`/api/v1/`, see [`api`](crate::api)) is nested here when
//! `[http] api` is set; it is the only part that writes.
//! Started by the app only when `[http] listen` is set; bind it to loopback and put a
//! reverse proxy in front if others should see it. Connections are bounded (see
//! [`serve`](super::serve)).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use meshmush_firmware_bridge::Transport;
use meshmush_firmware_bridge::link::NodeEntry;
use meshmush_protocol::packets::node_id;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{info, warn};

use super::{Ops, Snapshot, page};
use crate::api::Api;
use crate::lagprobe::LagProbe;
use meshmush_core::commands::unix_now;
use meshmush_core::common::Common;
use meshmush_firmware_bridge::LinkHandle;

/// How often the airtime chart takes a reading when nobody looks at the page.
const AIRTIME_SAMPLE: Duration = Duration::from_secs(60);

/// Everything the page and `/metrics` read; cheap to clone.
#[derive(Clone)]
pub struct View {
    /// The store, config and roster the figures are read from.
    pub common: Arc<Common>,
    /// The link: its state, figures and the nodes it heard.
    pub link: LinkHandle,
    /// The operator's hooks: recent commands, the airtime history, the metrics.
    pub ops: Ops,
    /// The link's name on the page and in labels: its transport.
    pub link_name: &'static str,
    pub probe: LagProbe,
}

/// The link's name for `transport`.
pub fn link_name(transport: &Transport) -> &'static str {
    match transport {
        Transport::Tcp(_) => "tcp",
        Transport::Serial(_) => "serial",
        Transport::Virtual(_) => "mqtt",
    }
}

impl View {
    /// The figures now (the store's totals are read on a blocking thread).
    pub async fn snapshot(&self) -> Snapshot {
        let now = unix_now();
        let link = self.link.metrics();
        self.ops.sample_airtime(link.airtime_total_ms, now);
        let active = self.common.roster.active_window();
        let sessions_active = self
            .common
            .roster
            .everyone()
            .iter()
            .filter(|(_, s)| s.last_active.elapsed() < active)
            .count();
        let totals = match self.common.store.totals().await {
            Ok(t) => Some(t),
            Err(e) => {
                warn!(error = %e, "status: cannot read the store's totals");
                None
            }
        };
        let airtime_allowed = self.link.node_config().map(|c| {
            c.duty_cycle
                .budget()
                .mul_f64(self.common.cfg.replies.airtime_share)
        });
        let peers = match self.common.store.peer_states().await {
            Ok(peers) => peers.into_iter().map(|(n, st)| (node_id(n), st)).collect(),
            Err(e) => {
                warn!(error = %e, "status: cannot read the sync peers");
                Vec::new()
            }
        };
        Snapshot {
            peers,
            store_full: self.common.store.full_refusals(),
            link_name: self.link_name,
            link_state: self.link.state(),
            link,
            airtime_allowed,
            nodes_heard_hour: self.heard_last_hour(now).len(),
            sessions_active,
            totals,
            lag: self.probe.stats(),
            links: self
                .link
                .links()
                .into_iter()
                .map(|m| {
                    let f = m.handle.metrics();
                    super::metrics::LinkFigures {
                        up: matches!(
                            m.handle.state(),
                            meshmush_firmware_bridge::LinkState::Connected { .. }
                        ),
                        name: m.name,
                        texts_in: f.texts_in,
                        duplicates: f.duplicates,
                        chunks_sent: f.chunks_sent,
                        queue_depth: f.queue_depth,
                        airtime_total: Duration::from_millis(f.airtime_total_ms),
                    }
                })
                .collect(),
        }
    }

    /// Nodes the node heard in the hour before `now`, most recent first.
    pub fn heard_last_hour(&self, now: u64) -> Vec<NodeEntry> {
        let since = now.saturating_sub(3600);
        let mut heard: Vec<NodeEntry> = self
            .link
            .nodes()
            .into_iter()
            .filter(|n| u64::from(n.last_heard) >= since)
            .collect();
        heard.sort_by_key(|n| std::cmp::Reverse(n.last_heard));
        heard
    }
}

/// Binds the status page's address (before the daemon reports itself started, so a
/// taken port is an error at start, not a warning later).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves the page on `listener` until `stop`, and samples airtime for the chart,
/// both as tasks on `tasks`; with `api`, the API under `/api/v1/` too.
pub fn start(
    listener: TcpListener,
    view: View,
    api: Option<Api>,
    tasks: &TaskTracker,
    stop: CancellationToken,
) {
    let sampler = view.clone();
    let stop_sampling = stop.clone();
    tasks.spawn(async move {
        let mut tick = tokio::time::interval(AIRTIME_SAMPLE);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    let total = sampler.link.metrics().airtime_total_ms;
                    sampler.ops.sample_airtime(total, unix_now());
                }
                _ = stop_sampling.cancelled() => break,
            }
        }
    });
    let mut app = Router::new()
        .route("/", get(status_page))
        .route("/airtime.svg", get(airtime_svg))
        .route("/metrics", get(metrics))
        .with_state(Arc::new(view));
    let api_on = api.is_some();
    if let Some(api) = api {
        app = app.nest(
            crate::api::PREFIX,
            crate::api::routes::router(Arc::new(api)),
        );
    }
    tasks.spawn(async move {
        if let Ok(addr) = listener.local_addr() {
            info!(%addr, api = api_on, "status page and /metrics served");
        }
        super::serve::serve(listener, app, api_on, stop).await;
    });
}

async fn status_page(State(view): State<Arc<View>>) -> Response {
    let snapshot = view.snapshot().await;
    let now = unix_now();
    let heard = view.heard_last_hour(now);
    page::status(&view, &snapshot, &heard, now).into_response()
}

async fn airtime_svg(State(view): State<Arc<View>>) -> Response {
    let snapshot = view.snapshot().await;
    let svg = page::airtime_chart(&view.ops, &snapshot, unix_now());
    (
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg.into_string(),
    )
        .into_response()
}

async fn metrics(State(view): State<Arc<View>>) -> Response {
    let snapshot = view.snapshot().await;
    let Some(m) = view.ops.metrics() else {
        return (StatusCode::NOT_FOUND, "metrics are off").into_response();
    };
    match m.encode(snapshot) {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot encode the figures",
        )
            .into_response(),
    }
}
