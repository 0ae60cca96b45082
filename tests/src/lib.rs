//! Shared pieces of the end-to-end suites.
//!
//! - [`scenario`]: the transcript format, and [`runner`]: plays one against the
//!   daemon through the software mesh;
//! - [`long_posts`]: the soak's long-post row (compose mode under packet loss);
//! - [`python`]: a private virtual environment with the official `meshtastic` Python
//!   package, created on first use, so the suites can drive the software mesh with a
//!   client nobody here wrote.
//!
//! The real MQTT broker the MQTT suites start (Debian's mosquitto) is the test kit's
//! ([`meshmush_testkit::mosquitto`]), since the bench starts one too.

pub mod long_posts;
pub mod python;
pub mod runner;
pub mod scenario;
pub mod soak;
