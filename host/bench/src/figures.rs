//! What every bench measurement shares: its error, a measured row, and the units.
//! A leaf, so the measurement files import it rather than `bench/mod.rs`, which
//! names them all.

use std::time::Duration;

use serde::Serialize;

use meshmush::store::StoreError;
use meshmush_testkit::KitError;

/// Why the bench could not measure.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Kit(#[from] KitError),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("a bench task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("{0}")]
    Failed(String),
}

impl BenchError {
    /// An I/O error, with what the bench was doing.
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| Self::Io { what, source }
    }
}

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub figure: String,
    pub design: String,
    pub value: f64,
    pub unit: String,
}

pub(super) fn row(figure: &str, design: &str, value: f64, unit: &str) -> Row {
    Row {
        figure: figure.into(),
        design: design.into(),
        value,
        unit: unit.into(),
    }
}

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Resident memory of this process, in KiB (0 where it cannot be read).
pub async fn rss_kib() -> u64 {
    meshmush_testkit::stats::rss_kib().await.unwrap_or(0)
}
