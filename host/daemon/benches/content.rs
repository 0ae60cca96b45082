//! What the world's content costs a command: `look` and `talk NPC` through the whole
//! command layer (dispatch, the content hook after it, the store's caches) in a world
//! of 10,000 players and 1,000 NPCs, against `look` in the same world with no content
//! (the content hook then has nothing to do: the closest this build has to the `look`
//! of before content). Prints p50/p99/max. Run:
//! `cargo bench -p meshmush --bench content`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use meshmush::commands::{self, Ctx, execute};
use meshmush::config::Config;
use meshmush::content::{Content, Library, STARTER};
use meshmush::identity::Sender;
use meshmush::roster::Roster;
use meshmush::seed::WorldSeed;
use meshmush::shared::Common;
use meshmush::store::{BulkLoad, Level, Player, PlayerState, Store, StoreOptions};
use meshmush_testkit::stats::percentile;

const PLAYERS: u32 = 10_000;
const NPCS: usize = 1_000;
const ROUNDS: usize = 3_000;

/// The starter content with `NPCS` more NPCs spread over the town's rooms, each with a
/// screen of two options.
fn big_content(seed: &WorldSeed) -> Content {
    let mut npcs = String::from(include_str!("../../data/content/npcs.toml"));
    let mut dialogue = String::from(include_str!("../../data/content/dialogue.toml"));
    for i in 0..NPCS {
        let room = &seed.rooms[i % seed.rooms.len()].key;
        npcs.push_str(&format!(
            "\n[[npcs]]\nkey = \"n{i}\"\nname = \"Npc{i}\"\nroom = \"{room}\"\ndesc = \"Npc {i}.\"\ngreet = [\"s{i}\"]\n"
        ));
        dialogue.push_str(&format!(
            "\n[[dialogue]]\nkey = \"s{i}\"\nnpc = \"n{i}\"\ntext = \"Npc{i}: Hello.\"\noptions = [{{ text = \"Hi\", to = \"end\" }}, {{ text = \"Bye\", to = \"end\" }}]\n"
        ));
    }
    let files: Vec<(&str, &str)> = STARTER
        .iter()
        .map(|(n, t)| match *n {
            "npcs.toml" => (*n, npcs.as_str()),
            "dialogue.toml" => (*n, dialogue.as_str()),
            _ => (*n, *t),
        })
        .collect();
    Content::parse(&files, seed).expect("content")
}

async fn measure(name: &str, store: &Store, content: &Library, line: impl Fn(u32) -> String) {
    let registry = Arc::new(commands::standard());
    let cfg = Arc::new(Config::default());
    let common = Arc::new(Common {
        store: store.clone(),
        cfg: cfg.clone(),
        roster: Roster::from_config(&cfg),
        content: content.clone(),
        mesh: Arc::new(meshmush::meshview::FixedMesh::default()),
        reach: meshmush::reach::Reach::unsaved(cfg.replies.hop_rule, cfg.replies.hop_limit),
    });
    let mut times: Vec<Duration> = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let node = 1 + (i as u32 * 7919) % PLAYERS;
        let player = store.player(node).await.expect("read").expect("player");
        let mut ctx = Ctx {
            common: common.clone(),
            registry: registry.clone(),
            player,
            node,
            lang: meshmush_lang::Lang::EN,
            sender: Sender::Proven,
            password_given: false,
            packet_key: None,
            is_admin_node: false,
            draft: None,
            ran: None,
        };
        let typed = line(node);
        let t = Instant::now();
        let out = execute(&mut ctx, &typed).await;
        times.push(t.elapsed());
        assert!(!out.reply.starts_with("Unknown"), "{}", out.reply);
    }
    times.sort_unstable();
    println!(
        "{name:<44} {:>9.3} {:>9.3} {:>9.3}",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let rt = meshmush::runtime().expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let opts = StoreOptions {
            flush_every_write: false,
            ..StoreOptions::default()
        };
        let store = Store::open(dir.path(), opts).await.expect("store");
        let seed = WorldSeed::starter().expect("seed");
        store
            .seed_world_if_empty(seed.clone())
            .await
            .expect("world");
        let start = store.start_room().await.expect("start").expect("room");
        let players = (1..=PLAYERS)
            .map(|node| {
                let p = Player {
                    node,
                    name: format!("p{node}"),
                    password_hash: None,
                    level: Level::Player,
                    created: 0,
                    last_seen: 0,
                    banned: false,
                };
                let s = PlayerState {
                    node,
                    location: start,
                    home: start,
                    coins: 10,
                };
                (p, s)
            })
            .collect();
        store
            .bulk_load(BulkLoad {
                players,
                ..BulkLoad::default()
            })
            .await
            .expect("players");
        let empty = Library::with(Content::default(), &store)
            .await
            .expect("empty");
        let big = Library::with(big_content(&seed), &store)
            .await
            .expect("big");
        println!("{PLAYERS} players, {NPCS} NPCs (+ the starter set); {ROUNDS} commands each");
        println!(
            "{:<44} {:>9} {:>9} {:>9}",
            "command layer (ms)", "p50", "p99", "max"
        );
        // Two passes: the first warms the caches (and pays each player's first-visit
        // progress write), the second is what a player sees after that.
        for pass in ["first", "again"] {
            measure(
                &format!("look, no content ({pass})"),
                &store,
                &empty,
                |_| "look".into(),
            )
            .await;
            measure(&format!("look, 1,000 NPCs ({pass})"), &store, &big, |_| {
                "look".into()
            })
            .await;
            measure(
                &format!("talk NPC, 1,000 NPCs ({pass})"),
                &store,
                &big,
                |n| {
                    // An NPC in the start room (room 0 of the seed holds every 13th).
                    let k = (n as usize % (NPCS / 13)) * 13;
                    format!("talk npc{k}")
                },
            )
            .await;
        }
    });
}
