//! End-to-end suites over the software mesh, as one test binary (one link of the whole
//! daemon, not one per suite: issue 29). `cargo test -p meshmush-tests --test edges
//! hostile::` runs one suite. The hardware-in-the-loop suite (`hil`) and the transcripts
//! (`scenarios`) stay binaries of their own, run by name.

mod hostile;
mod long_posts;
mod mqtt_link;
mod mqtt_mesh;
mod official_client;
mod soak;
