//! The meshmush daemon as a library: configuration, the async store, the command
//! registry and per-player sessions, joined to the radio link by the [`daemon`] router.

pub mod app;
pub mod commands;
pub mod config;
pub mod daemon;
pub mod lagprobe;
pub mod passwords;
pub mod ports;
pub mod presence;
pub mod ratelimit;
pub mod seed;
pub mod session;
pub mod store;
