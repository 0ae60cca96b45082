//! What a command may read and change, shared by every session: the store, the config,
//! the roster, the content and the mesh as a view. A command's [`Ctx`] holds it, and
//! nothing in it sends, so a command's words still leave only in its `Outcome`. The
//! daemon's own shared parts (the delivery path, the link, the operator's hooks) wrap
//! it one layer up.
//!
//! [`Ctx`]: crate::commands::Ctx

use std::sync::Arc;

use crate::config::Config;
use crate::content::Library;
use crate::meshview::MeshView;
use crate::reach::Reach;
use crate::roster::Roster;
use meshmush_store::Store;

/// What a command may read and change, shared by every session.
pub struct Common {
    pub store: Store,
    pub cfg: Arc<Config>,
    pub roster: Roster,
    /// The world's content (NPCs, quests, shops, ...), swapped whole by `@reload`.
    pub content: Library,
    /// The mesh around the BBS, read-only (node names, airtime, uptime).
    pub mesh: Arc<dyn MeshView>,
    /// How far each node is and how our DMs to it fared (`seen`, the hop limits).
    pub reach: Reach,
}

/// The parts by what they are, for the command's `Ctx` and the daemon's shared
/// handle alike (both deref to this).
impl Common {
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn cfg(&self) -> &Config {
        &self.cfg
    }

    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// The world's content (NPCs, quests, shops, ...), swapped whole by `@reload`.
    pub fn content(&self) -> &Library {
        &self.content
    }

    /// The mesh around the BBS, read-only (node names, airtime, uptime).
    pub fn mesh(&self) -> &dyn MeshView {
        self.mesh.as_ref()
    }

    /// How far each node is and how our DMs to it fared.
    pub fn reach(&self) -> &Reach {
        &self.reach
    }

    /// The BBS's name as its node calls itself ("this BBS" before the node said).
    pub fn bbs_name(&self) -> String {
        self.mesh()
            .me()
            .map_or_else(|| "this BBS".to_string(), |n| n.long_name)
    }
}
