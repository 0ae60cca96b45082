//! Loading many records at once: players (with their name index entries and world
//! state), posts and mail, one sled batch per tree instead of one transaction and one
//! flush per record. `meshmush-bench` builds its 100,000-player, 1,000,000-post stores
//! with it in seconds, where the command path would take hours of `fsync`s.
//!
//! Everything is checked before anything is written (free nodes, distinct and free
//! names, existing boards), so a refused load changes nothing. A load that fails while
//! writing (a full disk) may leave some trees written and not others: load into a
//! fresh directory, and call [`Store::flush`] before counting on it.

use std::collections::{HashMap, HashSet};

use sled::Batch;

use super::bbs_records::{Board, Mail, Post};
use super::bbs_trees::{BOARD_COUNTS, board_key, mail_key, post_key, read_count};
use super::cache::Scope;
use super::disk::{DiskStore, PLAYER_NAMES};
use super::error::StoreError;
use super::handle::Store;
use super::names;
use super::records::Player;
use super::records::{decode, encode, node_key};
use super::world_records::{PlayerState, state_key};

/// Records for [`Store::bulk_load`].
#[derive(Debug, Clone, Default)]
pub struct BulkLoad {
    /// New players and their place in the world; the state's `node` is the player's.
    pub players: Vec<(Player, PlayerState)>,
    /// Posts in the order they were written; each gets its board's next number (the
    /// `num` given is ignored), as `post` would give it.
    pub posts: Vec<Post>,
    /// Mail; each gets a fresh id (the `id` given is ignored), as `mail` would.
    pub mail: Vec<Mail>,
}

impl Store {
    /// Writes `load` in one batch per tree, then flushes per the flush policy. Refused
    /// with [`StoreError::BulkLoad`] (nothing written) if a node already has a player,
    /// a name is taken or given twice, or a post names a board that does not exist;
    /// with [`StoreError::InvalidName`] if a name is not in sanitised form.
    pub async fn bulk_load(&self, load: BulkLoad) -> Result<(), StoreError> {
        // The world cache may hold a state for a node that had none stored (a state
        // is made on first read): drop those before and after, as every write does.
        let nodes: Vec<u32> = load.players.iter().map(|(p, _)| p.node).collect();
        let forget = |nodes: &[u32]| {
            for &n in nodes {
                self.inner.cache.invalidate(Scope::Player(n));
            }
        };
        forget(&nodes);
        let loaded = self.blocking_write(move |db| db.bulk_load(load)).await;
        forget(&nodes);
        loaded
    }
}

impl DiskStore {
    fn bulk_load(&self, load: BulkLoad) -> Result<(), StoreError> {
        let refuse = |why: String| Err(StoreError::BulkLoad(why));
        let players = self.tree_of::<Player>()?;
        let names_tree = self.tree(PLAYER_NAMES)?;
        let boards_tree = self.tree_of::<Board>()?;
        // Check everything first.
        let mut fresh_names = HashSet::with_capacity(load.players.len());
        for (p, _) in &load.players {
            names::validate(&p.name)?;
            let name_key = names::index_key(&p.name);
            if players.contains_key(node_key(p.node))? {
                return refuse(format!("node !{:08x} already has a player", p.node));
            }
            if names_tree.contains_key(&name_key)? || !fresh_names.insert(name_key) {
                return refuse(format!("the name {:?} is taken", p.name));
            }
        }
        let mut boards: HashMap<Vec<u8>, (Board, u64)> = HashMap::new();
        let counts_tree = self.tree(BOARD_COUNTS)?;
        for post in &load.posts {
            let key = board_key(&post.board);
            if boards.contains_key(&key) {
                continue;
            }
            let Some(bytes) = boards_tree.get(&key)? else {
                return refuse(format!("no board {:?}", post.board));
            };
            let board: Board = decode(&key, &bytes)?;
            let count = read_count(counts_tree.get(&key)?);
            boards.insert(key, (board, count));
        }
        // Then write.
        let (mut pb, mut nb, mut sb) = (Batch::default(), Batch::default(), Batch::default());
        for (p, s) in &load.players {
            let key = node_key(p.node);
            pb.insert(&key[..], encode(&key, p)?);
            nb.insert(names::index_key(&p.name), &key[..]);
            let state = PlayerState {
                node: p.node,
                ..s.clone()
            };
            let skey = state_key(p.node);
            sb.insert(&skey[..], encode(&skey, &state)?);
        }
        players.apply_batch(pb)?;
        names_tree.apply_batch(nb)?;
        self.tree_of::<PlayerState>()?.apply_batch(sb)?;
        let mut batch = Batch::default();
        for post in load.posts {
            let Some((board, count)) = boards.get_mut(&board_key(&post.board)) else {
                continue;
            };
            let num = board.next_num.max(1);
            board.next_num = num + 1;
            *count += 1;
            let stored = Post {
                board: board.name.clone(),
                num,
                ..post
            };
            let key = post_key(&stored.board, num);
            batch.insert(key.as_slice(), encode(&key, &stored)?);
        }
        self.tree_of::<Post>()?.apply_batch(batch)?;
        let (mut bb, mut cb) = (Batch::default(), Batch::default());
        for (key, (board, count)) in &boards {
            bb.insert(key.as_slice(), encode(key, board)?);
            cb.insert(key.as_slice(), &count.to_be_bytes()[..]);
        }
        boards_tree.apply_batch(bb)?;
        counts_tree.apply_batch(cb)?;
        let mut batch = Batch::default();
        for mut m in load.mail {
            m.id = self.next_id()?;
            let key = mail_key(m.to, m.id);
            batch.insert(key.as_slice(), encode(&key, &m)?);
        }
        self.tree_of::<Mail>()?.apply_batch(batch)?;
        self.flush_if_configured()
    }
}
