//! The HTTP API under `/api/v1/`, on the status page's server, off unless `[http] api`
//! is set: scripts and PCs read the boards, post, mail and `@wall` without a radio.
//!
//! Every write runs the radio's own command (`post`, `mail`, `@wall`) through the
//! registry, for an API identity ([`acting`]): the same store transaction (which queues
//! the federation outbox), the same limits, and notices and channel packets leave
//! through the one delivery path and its airtime shares. Nothing here sends or writes
//! on its own.
//!
//! - [`token`]: the secrets (made by `meshmush admin token create`, kept as hashes);
//! - [`auth`]: a request's token, its scopes and its rate;
//! - [`routes`]: the handlers, and the table the router and the OpenAPI document are
//!   both checked against;
//! - [`openapi`]: the document served at `/api/v1/openapi.json`;
//! - [`error`]: JSON errors with their status codes; [`json`]: any JSON answer.
//!
//! What a token holder can make the daemon keep or send is bounded: a body of at most
//! [`MAX_BODY_BYTES`] (announced up front: see the server's gate), a post or mail of at
//! most `bbs.post_max_bytes` to a board that exists, the token's own rate, the API
//! identity's posts per hour (`bbs.posts_per_hour`, shared by every token), the
//! channel gap for `@wall`, and the scheduler's shares for whatever goes on air.

pub mod acting;
pub mod auth;
pub mod error;
pub mod json;
pub mod openapi;
pub mod routes;
pub mod token;

use std::sync::Arc;
use std::time::Duration;

use meshmush_core::commands::Registry;
use meshmush_core::common::Common;
use meshmush_core::delivery::Delivery;
use meshmush_firmware_bridge::LinkHandle;

use crate::Ops;
pub use json::json;

/// Where every route lives.
pub const PREFIX: &str = "/api/v1";

/// The largest request body the API reads: a post of `bbs.post_max_bytes` (1,000 by
/// default) in JSON with room for escapes. Announced with `Content-Length`, checked
/// from the head before any of it is read.
pub const MAX_BODY_BYTES: u64 = 8 * 1024;

/// How long a request's body may take to arrive once its head is in (a client that
/// announces a body and sends it a byte at a time is cut off).
pub const BODY_WAIT: Duration = Duration::from_secs(10);

/// The node number the API acts from. Like the sysop's (node 1, see the admin
/// console), it is below 4, which Meshtastic never assigns (firmware
/// `src/mesh/NodeDB.cpp`, `NUM_RESERVED`), and the router drops radio text that claims
/// it: no packet can speak as the API.
pub const API_NODE: u32 = 2;

/// What the API needs of the daemon; built once by the app when `[http] api` is set.
pub struct Api {
    pub common: Arc<Common>,
    pub registry: Arc<Registry>,
    pub delivery: Delivery,
    pub link: LinkHandle,
    pub ops: Ops,
    /// Each token's rate, and the allowance refused tokens share.
    pub limits: auth::Limits,
}

impl Api {
    pub fn new(
        common: Arc<Common>,
        registry: Arc<Registry>,
        delivery: Delivery,
        link: LinkHandle,
        ops: Ops,
    ) -> Self {
        let limits = auth::Limits::new(&common.cfg.http);
        Self {
            common,
            registry,
            delivery,
            link,
            ops,
            limits,
        }
    }
}
