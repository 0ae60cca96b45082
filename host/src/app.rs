//! The whole daemon in one value: the store, the link, the router and the lag probe,
//! started together and shut down in the right order (stop taking commands, finish the
//! ones in flight, say goodbye to the node, flush the store).

use std::path::Path;
use std::sync::Arc;

use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_firmware_bridge::{LinkHandle, spawn};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::info;

use crate::config::Config;
use crate::daemon::Router;
use crate::lagprobe::{LagProbe, LagStats};
use crate::seed::WorldSeed;
use crate::store::{Store, StoreError, StoreOptions};

/// A running daemon.
pub struct App {
    shutdown: watch::Sender<bool>,
    router: JoinHandle<()>,
    link: LinkHandle,
    store: Store,
    probe: LagProbe,
}

impl App {
    /// Opens the store in `data_dir`, connects the link and starts routing commands.
    pub async fn start(
        cfg: Config,
        data_dir: &Path,
        link_cfg: LinkConfig,
        store_opts: StoreOptions,
    ) -> Result<Self, StoreError> {
        let store = Store::open(data_dir, store_opts).await?;
        store
            .ensure_boards(crate::commands::default_boards(crate::session::unix_now()))
            .await?;
        let seed = WorldSeed::starter().map_err(|e| StoreError::BadSeed(e.to_string()))?;
        store.seed_world_if_empty(seed).await?;
        let probe = LagProbe::start();
        let (link, events) = spawn(link_cfg);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let router = Router::new(Arc::new(cfg), store.clone(), link.clone());
        let router = tokio::spawn(router.run(events, shutdown_rx));
        Ok(Self {
            shutdown,
            router,
            link,
            store,
            probe,
        })
    }

    pub fn link(&self) -> &LinkHandle {
        &self.link
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn lag(&self) -> LagStats {
        self.probe.stats()
    }

    pub fn lag_probe(&self) -> &LagProbe {
        &self.probe
    }

    /// Stops taking commands, lets in-flight ones reply, disconnects and flushes.
    pub async fn shutdown(self) -> Result<(), StoreError> {
        let _ = self.shutdown.send(true);
        let _ = self.router.await;
        // Give the last replies a moment to leave before saying goodbye to the node.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.link.metrics().queue_depth > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let unsent = self.link.metrics().queue_depth;
        if unsent > 0 {
            tracing::warn!(unsent, "stopping with replies not yet delivered");
        }
        self.link.shutdown().await;
        // Sessions and the router have let go of their handles: this flushes and closes.
        self.store.close().await?;
        info!("shut down cleanly");
        Ok(())
    }
}
