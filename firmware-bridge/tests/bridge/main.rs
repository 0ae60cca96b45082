//! The bridge's integration tests (the link against the software node), as one test
//! binary: `cargo test -p meshmush-firmware-bridge --test bridge link_sim::`.

mod common;

mod airtime_ledger;
mod hostile_link;
mod link_sim;
mod multihop_rules;
mod multihop_sim;
mod scheduler;
mod sim_queue;
