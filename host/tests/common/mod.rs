//! A daemon on a software mesh, with scripted handsets, for the host's tests.
#![allow(dead_code)]

pub mod replies;

use std::path::Path;
use std::time::Duration;

use meshmush::app::App;
use meshmush::config::Config;
use meshmush::store::StoreOptions;
use meshmush_firmware_bridge::sim::handset::{Handset, fast_link_config};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};

pub const WAIT: Duration = Duration::from_secs(10);

/// Defaults, but with room for a scripted player who types faster than a person.
pub fn roomy() -> Config {
    let mut cfg = Config::default();
    cfg.limits.burst = 100;
    cfg
}

pub struct World {
    pub mesh: Mesh,
    pub app: App,
    pub handsets: Vec<Handset>,
    pub bbs: u32,
}

pub async fn world(handsets: usize, cfg: Config, data: &Path, store: StoreOptions) -> World {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let mesh = Mesh::start(SimConfig {
        handsets,
        ..SimConfig::default()
    })
    .await
    .expect("mesh");
    let app = App::start(cfg, data, fast_link_config(mesh.gateway()), store)
        .await
        .expect("daemon starts");
    app.link().connected().await.expect("daemon connected");
    let mut hs = Vec::new();
    for node in mesh.handsets() {
        hs.push(Handset::connect(node).await.expect("handset connects"));
    }
    let bbs = mesh.gateway().num;
    World {
        mesh,
        app,
        handsets: hs,
        bbs,
    }
}

impl World {
    /// Sends `text` from handset `k` and returns the (reassembled) reply.
    pub async fn ask(&mut self, k: usize, text: &str) -> String {
        let bbs = self.bbs;
        self.handsets[k]
            .ask(bbs, text, WAIT)
            .await
            .unwrap_or_else(|| panic!("no reply to {text:?} from handset {k}"))
    }

    pub async fn stop(self) {
        self.app.shutdown().await.expect("clean shutdown");
        self.mesh.shutdown().await;
    }
}
