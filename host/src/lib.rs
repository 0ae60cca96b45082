//! The meshmush daemon as a library: configuration, the async store, the command
//! registry and per-player sessions, joined to the radio link by the [`daemon`] router.

pub mod app;
pub mod bench;
pub mod commands;
pub mod config;
pub mod daemon;
pub mod hilcheck;
pub mod lagprobe;
pub mod pager;
pub mod passwords;
pub mod ports;
pub mod presence;
pub mod ratelimit;
pub mod seed;
pub mod session;
pub mod store;
pub mod volatile;
