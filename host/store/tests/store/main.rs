//! The store's integration tests, as one test binary:
//! `cargo test -p meshmush-store --test store retention::`.

mod backup;
mod full_disk;
mod retention;
mod store;
mod world;
