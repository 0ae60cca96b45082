//! `seen NAME|!id`: what the BBS itself heard of a node: when, how many hops away,
//! the SNR of its last packet at our node, and what we can honestly say of a route
//! for direct messages.
//!
//! The route is the node's, not ours: the firmware learns a next hop for a
//! destination from the `relay_node` of an ack or reply it hears
//! (src/mesh/NextHopRouter.cpp:92-112, v2.7.26) and tells the client nothing of it
//! (no `next_hop` in `NodeInfo`). What the host knows is whether its own DMs to the
//! node were acked: an ack is what teaches the node the next hop, so "acked lately"
//! means a route is likely known; DMs that were not delivered mean it will flood. A
//! direct neighbour needs none.

use meshmush_protocol::packets::{node_id, parse_node_id};
use meshmush_store::{Level, NodeReach};

use super::ctx::Ctx;
use super::registry::{Command, CommandError, Reply, Spec, Usage, user};
use super::text::{ago_in, echo, unix_now};
use meshmush_lang::{Lang, t};

/// `seen NAME|!id`.
#[derive(Debug, PartialEq)]
pub struct Seen {
    pub who: String,
}

impl Command for Seen {
    const SPEC: Spec = Spec {
        name: "seen",
        aliases: &[],
        usage: "seen NAME|!id",
        help: "when the BBS last heard a node, its hops, SNR and DM route",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::show());
        }
        Ok(Self {
            who: args.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let who = self.who.as_str();
        let Some((node, name)) = find(ctx, who).await? else {
            return Err(user(t!(ctx.lang, "seen-nobody", word = echo(who))));
        };
        let label = match name {
            Some(n) => format!("{n} {}", node_id(node)),
            None => node_id(node),
        };
        let (now, lang) = (unix_now(), ctx.lang);
        let Some(r) = ctx.reach().get(node).filter(|r| r.last_heard > 0) else {
            // Only the node's own NodeDB heard it (a NodeInfo): no hops, no SNR here.
            let heard = ctx
                .mesh()
                .nodes()
                .into_iter()
                .find(|n| n.num == node && n.last_heard > 0)
                .map(|n| u64::from(n.last_heard));
            return Ok(match heard {
                Some(t) => t!(
                    lang,
                    "seen-node-only",
                    node = label,
                    ago = ago_in(lang, now, t)
                ),
                None => t!(lang, "seen-never", node = label),
            }
            .into());
        };
        let hops = match r.hops {
            Some(0) => t!(lang, "seen-direct"),
            Some(h) => t!(lang, "seen-hops", n = h),
            None => t!(lang, "seen-hops-unknown"),
        };
        let snr = r.snr.map_or(String::new(), |s| format!(", SNR {s:.1}dB"));
        Ok(t!(
            lang,
            "seen-heard",
            node = label,
            ago = ago_in(lang, now, r.last_heard),
            hops = hops,
            snr = snr,
            route = route(lang, &r, now)
        )
        .into())
    }
}

/// What the BBS can say of a DM route to the node, in `lang`.
fn route(lang: Lang, r: &NodeReach, now: u64) -> String {
    if r.hops == Some(0) {
        return t!(lang, "seen-route-direct");
    }
    if r.last_acked > 0 {
        return t!(
            lang,
            "seen-route-acked",
            ago = ago_in(lang, now, r.last_acked)
        );
    }
    if r.missed > 0 {
        return t!(lang, "seen-route-failed");
    }
    t!(lang, "seen-route-unknown")
}

/// The node `who` names (`!id`, a player's name, or a node's long or short name), and
/// the name to show.
async fn find(ctx: &Ctx, who: &str) -> Result<Option<(u32, Option<String>)>, CommandError> {
    if who.starts_with('!') {
        return Ok(parse_node_id(who).map(|n| (n, None)));
    }
    if let Some((node, name)) = ctx.roster().find(who) {
        return Ok(Some((node, Some(name))));
    }
    if let Some(p) = ctx.store().player_by_name(who).await? {
        return Ok(Some((p.node, Some(p.name))));
    }
    let node =
        ctx.mesh().nodes().into_iter().find(|n| {
            n.long_name.eq_ignore_ascii_case(who) || n.short_name.eq_ignore_ascii_case(who)
        });
    Ok(node.map(|n| (n.num, Some(n.display_name()))))
}
