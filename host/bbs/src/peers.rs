//! `@peers` (Level::Wizard): the BBS network as this BBS sees it, one line per
//! configured peer: dialect, when last heard, items queued for it, items sent to it,
//! received from it and refused from it (see `federation`).

use meshmush_protocol::packets::node_id;

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage};
use meshmush_core::commands::text::{ago_in, unix_now};
use meshmush_lang::t;
use meshmush_store::Level;

pub fn register(r: &mut Registry) {
    r.add::<Peers>();
}

/// `@peers`.
#[derive(Debug, PartialEq)]
pub struct Peers;

impl Command for Peers {
    const SPEC: Spec = Spec {
        name: "@peers",
        aliases: &[],
        usage: "@peers",
        help: "the BBS network: each peer, last heard, queued, sent, received, refused",
        level: Level::Wizard,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if !args.trim().is_empty() {
            return Err(Usage::show());
        }
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let peers = ctx.cfg().federation.peers();
        if peers.is_empty() {
            return Ok(t!(ctx.lang, "peers-none").into());
        }
        let (now, lang) = (unix_now(), ctx.lang);
        let mut lines = vec![t!(lang, "peers-head")];
        for p in peers {
            let st = ctx.store().peer_state(p.node).await?;
            let heard = if st.last_heard == 0 {
                t!(lang, "peers-never")
            } else {
                ago_in(lang, now, st.last_heard)
            };
            lines.push(format!(
                "{} {} {heard}, {}/{}/{}/{}",
                node_id(p.node),
                p.dialect.name(),
                st.queued(),
                st.sent,
                st.received,
                st.refused
            ));
        }
        Ok(lines.join("\n").into())
    }
}
