//! Where the nodes stand: positions, antenna heights and roles, from a spec
//! (`line:N`, `grid:N`, `random:N:SEED`), a TOML file, or a builder that places
//! handsets at given hop distances from the BBS node (node 0).

use std::collections::VecDeque;

use meshmush_protocol::airtime::parse_preset;
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::Deserialize;

use super::pathloss::{path_loss_db, range_m, sensitivity_dbm};

/// A node's device role, as far as relaying goes (the firmware's
/// `Config.DeviceConfig.Role`; see `flooding` for what each one changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    #[default]
    Client,
    ClientMute,
    ClientBase,
    Router,
    RouterLate,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_uppercase().replace('-', "_").as_str() {
            "CLIENT" => Role::Client,
            "CLIENT_MUTE" => Role::ClientMute,
            "CLIENT_BASE" => Role::ClientBase,
            "ROUTER" => Role::Router,
            "ROUTER_LATE" => Role::RouterLate,
            _ => return None,
        })
    }
}

/// One node of a topology.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeSpec {
    pub name: String,
    /// Metres east and north of the origin.
    pub x: f64,
    pub y: f64,
    /// Antenna height above ground (metres).
    pub height_m: f64,
    pub role: Role,
}

/// The radio settings shared by every node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadioParams {
    pub preset: ModemPreset,
    pub freq_hz: f64,
    pub tx_power_dbm: f64,
    pub antenna_gain_db: f64,
    pub sensitivity_dbm: f64,
    /// The configured hop limit of every node (`config.lora.hop_limit`, default 3).
    pub hop_limit: u8,
}

impl Default for RadioParams {
    fn default() -> Self {
        Self::of(ModemPreset::LongFast)
    }
}

impl RadioParams {
    /// EU 868 MHz at its 16 dBm limit (Meshtasticator's `regions["EU868"]`), the
    /// preset's sensitivity, hop limit 3.
    pub fn of(preset: ModemPreset) -> Self {
        Self {
            preset,
            freq_hz: 868e6,
            tx_power_dbm: 16.0,
            antenna_gain_db: 0.0,
            sensitivity_dbm: sensitivity_dbm(preset),
            hop_limit: 3,
        }
    }

    /// Spacing at which neighbours hear each other 6 dB above sensitivity; the node
    /// after next (twice as far, 13.5 dB weaker) or a grid diagonal (6.8 dB weaker) is
    /// out of range.
    pub fn hop_spacing_m(&self, height_m: f64) -> f64 {
        range_m(
            self.tx_power_dbm + 2.0 * self.antenna_gain_db,
            self.sensitivity_dbm,
            6.0,
            self.freq_hz,
            height_m,
        )
    }
}

/// Why a topology could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TopologyError {
    #[error("unknown topology {0:?}: want line:N, grid:N, random:N:SEED or a .toml file")]
    Spec(String),
    #[error("a topology needs at least 2 nodes")]
    TooSmall,
    #[error("cannot place {0} nodes connected in the disc: try a larger radius")]
    Placement(usize),
    #[error("topology file: {0}")]
    File(String),
}

/// Nodes and the radio they share. Node 0 is the BBS's node (the gateway).
#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    pub nodes: Vec<NodeSpec>,
    pub radio: RadioParams,
}

/// Default antenna height (metres): a node in a hand, as Meshtasticator's `HM`.
pub const HANDHELD_HEIGHT_M: f64 = 1.0;

fn node(name: String, x: f64, y: f64) -> NodeSpec {
    NodeSpec {
        name,
        x,
        y,
        height_m: HANDHELD_HEIGHT_M,
        role: Role::Client,
    }
}

impl Topology {
    /// Parses `line:N`, `grid:N` or `random:N:SEED` (a file is read by the caller and
    /// given to [`Topology::from_toml`]).
    pub fn parse(spec: &str, radio: RadioParams) -> Result<Self, TopologyError> {
        let bad = || TopologyError::Spec(spec.to_string());
        let mut parts = spec.split(':');
        let kind = parts.next().ok_or_else(bad)?;
        let n: usize = parts.next().and_then(|n| n.parse().ok()).ok_or_else(bad)?;
        let t = match kind {
            "line" => Self::line(n, radio),
            "grid" => Self::grid(n, radio),
            "random" => {
                let seed: u64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
                let radius = 3.0 * radio.hop_spacing_m(HANDHELD_HEIGHT_M);
                Self::random(n, seed, radius, 5.0, radio)?
            }
            _ => return Err(bad()),
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        if t.nodes.len() < 2 {
            return Err(TopologyError::TooSmall);
        }
        Ok(t)
    }

    /// N nodes in a row, one hop apart: node k is k hops from node 0.
    pub fn line(n: usize, radio: RadioParams) -> Self {
        let s = radio.hop_spacing_m(HANDHELD_HEIGHT_M);
        let nodes = (0..n)
            .map(|k| node(format!("n{k}"), k as f64 * s, 0.0))
            .collect();
        Self { nodes, radio }
    }

    /// N nodes on a square grid (row by row), neighbours one hop apart, diagonals not.
    pub fn grid(n: usize, radio: RadioParams) -> Self {
        let s = radio.hop_spacing_m(HANDHELD_HEIGHT_M);
        let side = (n as f64).sqrt().ceil().max(1.0) as usize;
        let nodes = (0..n)
            .map(|k| {
                node(
                    format!("n{k}"),
                    (k % side) as f64 * s,
                    (k / side) as f64 * s,
                )
            })
            .collect();
        Self { nodes, radio }
    }

    /// N nodes in a disc of `radius_m`, placed as Meshtasticator's `MeshNode.__init__`
    /// does (loraMesh.py): uniformly in the disc, at least `min_dist_m` from every
    /// placed node and in range of at least one of them, so the mesh is connected.
    pub fn random(
        n: usize,
        seed: u64,
        radius_m: f64,
        min_dist_m: f64,
        radio: RadioParams,
    ) -> Result<Self, TopologyError> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut nodes: Vec<NodeSpec> = Vec::with_capacity(n);
        let probe = Self {
            nodes: Vec::new(),
            radio,
        };
        for k in 0..n {
            let mut placed = false;
            for _ in 0..1000 {
                let (mut a, mut b): (f64, f64) = (rng.random(), rng.random());
                if b < a {
                    std::mem::swap(&mut a, &mut b);
                }
                let b = b.max(f64::MIN_POSITIVE);
                let angle = 2.0 * std::f64::consts::PI * a / b;
                let (x, y) = (b * radius_m * angle.cos(), b * radius_m * angle.sin());
                let cand = node(format!("n{k}"), x, y);
                let far_enough = nodes.iter().all(|o| distance(o, &cand) >= min_dist_m);
                let heard = nodes.is_empty() || nodes.iter().any(|o| probe.hears(o, &cand));
                if far_enough && heard {
                    nodes.push(cand);
                    placed = true;
                    break;
                }
            }
            if !placed {
                return Err(TopologyError::Placement(n));
            }
        }
        Ok(Self { nodes, radio })
    }

    /// Reads a topology file; what it leaves out is taken from `radio`:
    ///
    /// ```toml
    /// preset = "LongFast"   # optional
    /// hop_limit = 3         # optional
    /// [[node]]              # the first is the BBS's node
    /// name = "BBS"
    /// x = 0.0
    /// y = 0.0
    /// height = 10.0         # metres, optional (1)
    /// role = "ROUTER"       # optional (CLIENT)
    /// ```
    pub fn from_toml(text: &str, radio: RadioParams) -> Result<Self, TopologyError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            preset: Option<String>,
            hop_limit: Option<u8>,
            tx_power_dbm: Option<f64>,
            node: Vec<FileNode>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct FileNode {
            name: Option<String>,
            x: f64,
            y: f64,
            height: Option<f64>,
            role: Option<Role>,
        }
        let f: File = toml::from_str(text).map_err(|e| TopologyError::File(e.to_string()))?;
        let mut radio = match &f.preset {
            Some(p) => RadioParams {
                hop_limit: radio.hop_limit,
                ..RadioParams::of(
                    parse_preset(p)
                        .ok_or_else(|| TopologyError::File(format!("unknown preset {p:?}")))?,
                )
            },
            None => radio,
        };
        if let Some(h) = f.hop_limit {
            radio.hop_limit = h.min(7);
        }
        if let Some(p) = f.tx_power_dbm {
            radio.tx_power_dbm = p;
        }
        let nodes: Vec<NodeSpec> = f
            .node
            .into_iter()
            .enumerate()
            .map(|(k, n)| NodeSpec {
                name: n.name.unwrap_or_else(|| format!("n{k}")),
                x: n.x,
                y: n.y,
                height_m: n.height.unwrap_or(HANDHELD_HEIGHT_M),
                role: n.role.unwrap_or_default(),
            })
            .collect();
        if nodes.len() < 2 {
            return Err(TopologyError::TooSmall);
        }
        Ok(Self { nodes, radio })
    }

    /// Received power (dBm) at `rx` of what `tx` sends.
    pub fn rssi(&self, tx: &NodeSpec, rx: &NodeSpec) -> f64 {
        let r = &self.radio;
        r.tx_power_dbm + 2.0 * r.antenna_gain_db
            - path_loss_db(distance(tx, rx), r.freq_hz, tx.height_m, rx.height_m)
    }

    /// True when `rx` decodes what `tx` sends (alone on the air).
    pub fn hears(&self, tx: &NodeSpec, rx: &NodeSpec) -> bool {
        self.rssi(tx, rx) >= self.radio.sensitivity_dbm
    }

    /// `rssi[i][j]`: what node j receives of node i, `None` when below sensitivity.
    pub fn link_table(&self) -> Vec<Vec<Option<f64>>> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, tx)| {
                self.nodes
                    .iter()
                    .enumerate()
                    .map(|(j, rx)| (i != j && self.hears(tx, rx)).then(|| self.rssi(tx, rx)))
                    .collect()
            })
            .collect()
    }

    /// Radio hops from node `from` to every node (0 for itself), `None` when out of
    /// reach. A direct neighbour is 1 radio hop (firmware hops away 0).
    pub fn radio_hops_from(&self, from: usize) -> Vec<Option<usize>> {
        let links = self.link_table();
        let mut hops = vec![None; self.nodes.len()];
        let mut todo = VecDeque::new();
        if from < hops.len() {
            hops[from] = Some(0);
            todo.push_back(from);
        }
        while let Some(i) = todo.pop_front() {
            let d = hops[i].unwrap_or(0);
            for (j, l) in links[i].iter().enumerate() {
                if l.is_some() && hops[j].is_none() {
                    hops[j] = Some(d + 1);
                    todo.push_back(j);
                }
            }
        }
        hops
    }
}

fn distance(a: &NodeSpec, b: &NodeSpec) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// Builds a topology with handsets at chosen distances from the BBS node: a spine of
/// relay nodes runs east from the BBS, one hop apart, and a handset that is `h` hops
/// away (the firmware's hops away: `h` relays between, `h + 1` radio hops) stands
/// beside spine position `h + 1`, so it hears spine node `h` and `h + 2` but not the
/// BBS or anything nearer.
#[derive(Debug, Clone)]
pub struct HopLadder {
    radio: RadioParams,
    bbs_role: Role,
    spine_role: Role,
    handsets: Vec<(usize, String)>,
}

impl HopLadder {
    pub fn new(radio: RadioParams) -> Self {
        Self {
            radio,
            bbs_role: Role::Client,
            spine_role: Role::Client,
            handsets: Vec::new(),
        }
    }

    pub fn bbs_role(mut self, role: Role) -> Self {
        self.bbs_role = role;
        self
    }

    /// The role of the relays of the spine.
    pub fn spine_role(mut self, role: Role) -> Self {
        self.spine_role = role;
        self
    }

    /// Adds a handset `hops_away` hops from the BBS (0: a direct neighbour).
    pub fn handset(mut self, name: &str, hops_away: usize) -> Self {
        self.handsets.push((hops_away, name.to_string()));
        self
    }

    /// The topology: node 0 the BBS, then the handsets in the order added, then the
    /// spine relays.
    pub fn build(self) -> Topology {
        let s = self.radio.hop_spacing_m(HANDHELD_HEIGHT_M);
        let mut nodes = vec![NodeSpec {
            role: self.bbs_role,
            ..node("BBS".into(), 0.0, 0.0)
        }];
        for (k, (h, name)) in self.handsets.iter().enumerate() {
            // A few metres apart, so handsets at one distance do not sit on each other.
            let y = 10.0 + 10.0 * k as f64;
            nodes.push(node(name.clone(), (*h as f64 + 1.0) * s, y));
        }
        let deepest = self.handsets.iter().map(|(h, _)| *h).max().unwrap_or(0);
        for k in 1..=deepest {
            nodes.push(NodeSpec {
                role: self.spine_role,
                ..node(format!("relay{k}"), k as f64 * s, 0.0)
            });
        }
        Topology {
            nodes,
            radio: self.radio,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_one_hop_per_node() {
        let t = Topology::parse("line:5", RadioParams::default()).unwrap();
        let hops: Vec<_> = t.radio_hops_from(0).into_iter().flatten().collect();
        assert_eq!(hops, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_grid_has_no_diagonals() {
        let t = Topology::parse("grid:9", RadioParams::default()).unwrap();
        assert_eq!(t.radio_hops_from(0)[8], Some(4));
    }

    #[test]
    fn random_is_connected_and_seeded() {
        let a = Topology::parse("random:30:7", RadioParams::default()).unwrap();
        let b = Topology::parse("random:30:7", RadioParams::default()).unwrap();
        assert_eq!(a, b);
        assert!(a.radio_hops_from(0).iter().all(Option::is_some));
        assert_ne!(
            a,
            Topology::parse("random:30:8", RadioParams::default()).unwrap()
        );
    }

    #[test]
    fn ladder_places_handsets_at_their_hops() {
        let t = HopLadder::new(RadioParams::default())
            .handset("near", 0)
            .handset("far", 3)
            .handset("mid", 1)
            .build();
        let hops = t.radio_hops_from(0);
        assert_eq!(&hops[1..4], &[Some(1), Some(4), Some(2)]);
    }

    #[test]
    fn a_file_gives_positions_roles_and_heights() {
        let t = Topology::from_toml(
            "preset = \"ShortFast\"\n[[node]]\nname = \"BBS\"\nx = 0.0\ny = 0.0\nheight = 12.0\nrole = \"ROUTER\"\n[[node]]\nx = 300.0\ny = 0.0\n",
            RadioParams::default(),
        )
        .unwrap();
        assert_eq!(t.nodes[0].role, Role::Router);
        assert_eq!(t.nodes[0].height_m, 12.0);
        assert_eq!(t.nodes[1].role, Role::Client);
        assert_eq!(t.radio.preset, ModemPreset::ShortFast);
        assert!(
            Topology::from_toml(
                "[[node]]\nx = 1.0\ny = 2.0\nfoo = 1\n",
                RadioParams::default()
            )
            .is_err()
        );
        assert!(Topology::parse("ring:4", RadioParams::default()).is_err());
    }
}
