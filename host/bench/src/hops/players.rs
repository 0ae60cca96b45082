//! Where figure 16's players are: the first nodes at each distance from the BBS's.

use meshmush_firmware_bridge::sim::multihop::Topology;
use serde::Serialize;

/// A player: a node of the topology at a distance.
#[derive(Debug, Clone, Serialize)]
pub struct Player {
    /// Index in the topology (node 0 is the BBS's).
    pub node: usize,
    pub name: String,
    /// The firmware's hops away (radio hops less one).
    pub hops: usize,
}

/// Picks up to `per_hop` nodes at each of 0..=`max_hops` hops from node 0, in
/// topology order.
pub fn players(topology: &Topology, max_hops: usize, per_hop: usize) -> Vec<Player> {
    let radio = topology.radio_hops_from(0);
    let mut out = Vec::new();
    for h in 0..=max_hops {
        out.extend(
            radio
                .iter()
                .enumerate()
                .filter(|(k, r)| *k > 0 && **r == Some(h + 1))
                .take(per_hop)
                .map(|(k, _)| Player {
                    node: k,
                    name: topology.nodes[k].name.clone(),
                    hops: h,
                }),
        );
    }
    out
}

/// Whether `players` has `per_hop` players at each of 0..=`max_hops` hops (what
/// figure 16's topology seed was chosen for).
pub fn every_distance(players: &[Player], max_hops: usize, per_hop: usize) -> bool {
    (0..=max_hops).all(|h| players.iter().filter(|p| p.hops == h).count() == per_hop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hops::setup::{MAX_HOPS, NODES, PER_HOP, TOPOLOGY_SEED};
    use meshmush_firmware_bridge::sim::multihop::RadioParams;

    #[test]
    fn the_fixed_topology_has_two_players_at_each_of_0_to_4_hops() {
        let t = Topology::parse(
            &format!("random:{NODES}:{TOPOLOGY_SEED}"),
            RadioParams::default(),
        )
        .expect("topology");
        let p = players(&t, MAX_HOPS, PER_HOP);
        for h in 0..=MAX_HOPS {
            assert_eq!(
                p.iter().filter(|p| p.hops == h).count(),
                PER_HOP,
                "at {h} hops: {p:?}"
            );
        }
    }

    #[test]
    #[ignore = "a search for TOPOLOGY_SEED: cargo test -p meshmush-bench -- --ignored seeds"]
    fn seeds() {
        for seed in 0..200 {
            let Ok(t) = Topology::parse(&format!("random:{NODES}:{seed}"), RadioParams::default())
            else {
                continue;
            };
            if every_distance(&players(&t, MAX_HOPS, PER_HOP), MAX_HOPS, PER_HOP) {
                let radio = t.radio_hops_from(0);
                let far = radio.iter().flatten().max();
                println!("seed {seed}: farthest {far:?} radio hops");
            }
        }
    }
}
