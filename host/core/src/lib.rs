//! meshmush's core: what every edge and every domain shares. The config, the roster of
//! who is about (bans, limits, newcomers), identity (what a packet proves about its
//! sender) and passwords, the command core (registry, dispatcher, outcome and typed
//! events), the world's content library, and delivery, the one way out to the link.
//!
//! Crates point down: `meshmush-store` below this one; the BBS's and the world's
//! commands, federation and the operator's pages above it; the daemon on top.

pub mod commands;
pub mod common;
pub mod config;
pub mod content;
pub mod delivery;
pub mod events;
pub mod identity;
pub mod meshview;
pub mod passwords;
pub mod ratelimit;
pub mod reach;
pub mod roster;
