//! The node database as the link learned it: who is on the mesh, by number and name.
//! Filled by the handshake and kept current from later `node_info` frames.

use std::collections::HashMap;

use meshmush_protocol::packets::node_id;
use meshmush_protocol::proto::NodeInfo;

/// What we know of one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeEntry {
    pub num: u32,
    pub long_name: String,
    pub short_name: String,
    /// The node's public key is known: PKI direct messages to it can be sent.
    pub has_public_key: bool,
    /// Seconds since the epoch, as the node last heard it (0 = unknown).
    pub last_heard: u32,
}

impl NodeEntry {
    pub fn from_info(info: &NodeInfo) -> Self {
        let user = info.user.as_ref();
        Self {
            num: info.num,
            long_name: user.map(|u| u.long_name.clone()).unwrap_or_default(),
            short_name: user.map(|u| u.short_name.clone()).unwrap_or_default(),
            has_public_key: user.is_some_and(|u| !u.public_key.is_empty()),
            last_heard: info.last_heard,
        }
    }

    /// The long name, or the node id when the node has not told us one.
    pub fn display_name(&self) -> String {
        if self.long_name.trim().is_empty() {
            node_id(self.num)
        } else {
            self.long_name.clone()
        }
    }
}

/// Nodes by number.
#[derive(Debug, Default, Clone)]
pub struct NodeDb {
    nodes: HashMap<u32, NodeEntry>,
}

impl NodeDb {
    /// Adds or replaces a node; returns true when it is new or its key appeared.
    pub fn learn(&mut self, entry: NodeEntry) -> bool {
        let gained_key = entry.has_public_key;
        match self.nodes.insert(entry.num, entry) {
            None => true,
            Some(old) => gained_key && !old.has_public_key,
        }
    }

    pub fn get(&self, num: u32) -> Option<&NodeEntry> {
        self.nodes.get(&num)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &NodeEntry> {
        self.nodes.values()
    }
}
