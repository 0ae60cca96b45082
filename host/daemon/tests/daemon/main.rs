//! The daemon's integration tests, as one test binary: one link of the whole daemon
//! instead of one per file, which made most of `cargo test`'s time (issue 29). Each
//! module is what a file of its own was; `cargo test -p meshmush --test daemon bbs::`
//! runs one of them.

mod common;

mod airtime_ledger;
mod api;
mod backup;
mod bbs;
mod bulk_load;
mod chat;
mod check_config;
mod coins;
mod crash;
mod daemon_sim;
mod doc_commands;
mod federation_mesh;
mod federation_native;
mod federation_route;
mod federation_tc2;
mod feeds;
mod flood_packets;
mod full_disk;
mod hops;
mod lang;
mod operator;
mod reactions;
mod schedule;
mod stall;
mod unasked;
mod world;
mod world_build;
