//! Coins are kept: whatever sequence of purchases, sales, gifts between players,
//! quest rewards and quest payments runs (and whichever of them are refused), the
//! coins in purses and shop tills change only by the rewards paid out and the
//! payments taken, exactly as configured. Played on the store's one-transaction
//! `deal`, the same calls `buy`, `sell`, `talk` and `give` make.

use meshmush::seed::WorldSeed;
use meshmush::store::{Deal, Object, ObjectKind, Place, ShopSide, ShopTerms, Store, StoreOptions};
use proptest::prelude::*;

const PLAYERS: [u32; 3] = [0x11, 0x22, 0x33];

#[derive(Debug, Clone)]
enum Op {
    Buy { who: usize, price: u64 },
    Sell { who: usize, pays: u64 },
    Give { from: usize, to: usize, n: u64 },
    Reward { who: usize, n: u64 },
    Pay { who: usize, n: u64 },
    Later { mins: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..PLAYERS.len();
    prop_oneof![
        (who.clone(), 0..8u64).prop_map(|(who, price)| Op::Buy { who, price }),
        (who.clone(), 0..8u64).prop_map(|(who, pays)| Op::Sell { who, pays }),
        (who.clone(), who.clone(), 0..15u64).prop_map(|(from, to, n)| Op::Give { from, to, n }),
        (who.clone(), 0..6u64).prop_map(|(who, n)| Op::Reward { who, n }),
        (who, 0..6u64).prop_map(|(who, n)| Op::Pay { who, n }),
        (0..90u64).prop_map(|mins| Op::Later { mins }),
    ]
}

fn terms() -> ShopTerms {
    ShopTerms {
        key: "stall".into(),
        till: 20,
        stock: vec![("oil".into(), 3)],
        restock_secs: 1800,
    }
}

fn oil() -> Object {
    let mut o = Object::new(ObjectKind::Thing, "oil", 0);
    o.flags = vec!["item:oil".into()];
    o
}

/// Coins in purses and in the till (a shop that has not traded yet holds its opening
/// till).
async fn total(store: &Store) -> u64 {
    let mut sum = store.shop_state(terms(), 0).await.expect("shop").till;
    for node in PLAYERS {
        sum += store.player_state(node).await.expect("state").coins;
    }
    sum
}

async fn play(ops: Vec<Op>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = StoreOptions {
        flush_every_write: false,
        ..StoreOptions::default()
    };
    let store = Store::open(dir.path(), opts).await.expect("store");
    store
        .seed_world_if_empty(WorldSeed::starter().expect("seed"))
        .await
        .expect("world");
    // The shop opens (its till counts) before anything happens.
    let mut now = 1_000_000;
    let opening = store.shop_state(terms(), now).await.expect("shop");
    assert_eq!(opening.till, 20);
    let mut expected = total(&store).await;
    for op in ops {
        let shop = |item_sells: bool, now: u64| ShopSide {
            terms: terms(),
            item: "oil".into(),
            sells: item_sells,
            now,
        };
        match op {
            Op::Buy { who, price } => {
                let deal = Deal {
                    node: PLAYERS[who],
                    coins_out: price,
                    give: vec![oil()],
                    shop: Some(shop(true, now)),
                    ..Deal::default()
                };
                let _ = store.deal(deal).await;
            }
            Op::Sell { who, pays } => {
                let held = store
                    .contents(Place::Player(PLAYERS[who]))
                    .await
                    .expect("held");
                let Some(thing) = held.first() else { continue };
                let deal = Deal {
                    node: PLAYERS[who],
                    coins_in: pays,
                    take: vec![thing.id],
                    shop: Some(shop(false, now)),
                    ..Deal::default()
                };
                let _ = store.deal(deal).await;
            }
            Op::Give { from, to, n } => {
                let _ = store.give_coins(PLAYERS[from], PLAYERS[to], n).await;
            }
            Op::Reward { who, n } => {
                let deal = Deal {
                    node: PLAYERS[who],
                    coins_in: n,
                    ..Deal::default()
                };
                if store.deal(deal).await.is_ok() {
                    expected += n;
                }
            }
            Op::Pay { who, n } => {
                let deal = Deal {
                    node: PLAYERS[who],
                    coins_out: n,
                    ..Deal::default()
                };
                if store.deal(deal).await.is_ok() {
                    expected -= n;
                }
            }
            Op::Later { mins } => now += mins * 60,
        }
        assert_eq!(total(&store).await, expected, "after {op:?}");
    }
    store.close().await.expect("close");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn no_sequence_of_trades_makes_or_loses_coins(ops in prop::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(play(ops));
    }
}
