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
    /// (Always `public_key.is_some()`.)
    pub has_public_key: bool,
    /// The node's public key as its NodeInfo announced it (`user.public_key`), for the
    /// host to pin. A NodeInfo is not proof of who sent it: only a PKI-encrypted packet
    /// proves its sender holds the key (see `TextMessage::public_key`).
    pub public_key: Option<Vec<u8>>,
    /// Seconds since the epoch, as the node last heard it (0 = unknown).
    pub last_heard: u32,
}

impl NodeEntry {
    pub fn from_info(info: &NodeInfo) -> Self {
        let user = info.user.as_ref();
        let public_key = user.map(|u| u.public_key.clone()).filter(|k| !k.is_empty());
        Self {
            num: info.num,
            long_name: user.map(|u| u.long_name.clone()).unwrap_or_default(),
            short_name: user.map(|u| u.short_name.clone()).unwrap_or_default(),
            has_public_key: public_key.is_some(),
            public_key,
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

/// Nodes the database holds. A node's own NodeDB holds a few hundred; a link that
/// runs for months hears many more come and go, so past this the node heard longest
/// ago is forgotten (it is learned again when the node next reports it).
pub const NODES_KEPT: usize = 1024;

/// Nodes by number.
#[derive(Debug, Default, Clone)]
pub struct NodeDb {
    nodes: HashMap<u32, NodeEntry>,
}

impl NodeDb {
    /// Adds or replaces a node; returns true when it is new, or its key appeared or
    /// changed (news the host must hear, to pin the key or flag the change).
    pub fn learn(&mut self, entry: NodeEntry) -> bool {
        if self.nodes.len() >= NODES_KEPT
            && !self.nodes.contains_key(&entry.num)
            && let Some(oldest) = self
                .nodes
                .values()
                .min_by_key(|n| n.last_heard)
                .map(|n| n.num)
        {
            self.nodes.remove(&oldest);
        }
        let key = entry.public_key.clone();
        match self.nodes.insert(entry.num, entry) {
            None => true,
            Some(old) => key.is_some() && old.public_key != key,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn node(num: u32, last_heard: u32) -> NodeEntry {
        NodeEntry {
            num,
            long_name: format!("node {num}"),
            short_name: String::new(),
            has_public_key: false,
            public_key: None,
            last_heard,
        }
    }

    #[test]
    fn a_new_or_changed_key_is_news_and_its_bytes_are_kept() {
        let mut db = NodeDb::default();
        assert!(db.learn(node(9, 1)));
        let keyed = |k: u8| NodeEntry {
            has_public_key: true,
            public_key: Some(vec![k; 32]),
            ..node(9, 2)
        };
        assert!(db.learn(keyed(1)), "key appeared");
        assert!(!db.learn(keyed(1)), "same key again");
        assert!(db.learn(keyed(2)), "key changed");
        assert_eq!(
            db.get(9).and_then(|n| n.public_key.clone()),
            Some(vec![2; 32])
        );
    }

    #[test]
    fn from_info_takes_the_users_key() {
        use meshmush_protocol::proto::User;
        let info = NodeInfo {
            num: 5,
            user: Some(User {
                public_key: vec![3; 32],
                ..Default::default()
            }),
            ..Default::default()
        };
        let e = NodeEntry::from_info(&info);
        assert!(e.has_public_key);
        assert_eq!(e.public_key, Some(vec![3; 32]));
        let e = NodeEntry::from_info(&NodeInfo::default());
        assert_eq!((e.has_public_key, e.public_key), (false, None));
    }

    #[test]
    fn a_full_database_forgets_the_node_heard_longest_ago() {
        let mut db = NodeDb::default();
        for num in 1..=NODES_KEPT as u32 {
            assert!(db.learn(node(num, 1000 + num)));
        }
        // Hearing a known node again evicts nobody.
        assert!(!db.learn(node(5, 5000)));
        assert_eq!(db.len(), NODES_KEPT);
        // A new node: the one heard longest ago (1) makes room.
        assert!(db.learn(node(70_000, 6000)));
        assert_eq!(db.len(), NODES_KEPT);
        assert!(db.get(1).is_none());
        assert!(db.get(5).is_some());
        assert_eq!(
            db.get(70_000).map(|n| n.display_name()),
            Some("node 70000".into())
        );
    }
}
