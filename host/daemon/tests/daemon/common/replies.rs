//! Checked conversations with the daemon for the world suites, from the test kit:
//! every packet a handset receives is asserted against the radio byte budget,
//! multi-packet replies and notices are reassembled, and silence is checked with a
//! bounded wait.

pub use meshmush_testkit::replies::{ask, expect, next, recv, silent};

/// The radio byte budget of the default config, which these suites run with.
pub const BUDGET: usize = meshmush_protocol::chunking::DEFAULT_BUDGET;
