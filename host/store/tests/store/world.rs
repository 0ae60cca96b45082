//! The world's part of the store: seeding, the contents index, moves, coins, and all of
//! it surviving a reopen.

use meshmush_store::seed::WorldSeed;
use meshmush_store::{
    NEW_PLAYER_COINS, Object, ObjectKind, Place, Store, StoreError, StoreOptions, WorldRefusal,
};

async fn open(dir: &std::path::Path) -> Store {
    Store::open(dir, StoreOptions::default()).await.unwrap()
}

#[tokio::test]
async fn seeding_builds_the_starter_world_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    let seed = WorldSeed::starter().unwrap();
    assert!(store.seed_world_if_empty(seed.clone()).await.unwrap());
    let count = store.objects_count().await.unwrap();
    assert!(!store.seed_world_if_empty(seed).await.unwrap());
    assert_eq!(store.objects_count().await.unwrap(), count);
    let start = store.start_room().await.unwrap().unwrap();
    assert_eq!(start, 1, "ids in order from #1");
    let square = store.object(start).await.unwrap().unwrap();
    assert_eq!(
        (square.kind, square.name.as_str()),
        (ObjectKind::Room, "Town Square")
    );
    let exits = store.exits(start).await.unwrap();
    let north = exits.iter().find(|e| e.answers_to("n")).unwrap();
    let post = store
        .object(north.destination.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(post.name, "Post Office");
    let lines = store.export_jsonl().await.unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.contains(r#""record":"object""#) && l.contains("Town Square"))
    );
    store.close().await.unwrap();
}

#[tokio::test]
async fn things_move_and_coins_change_hands_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).await;
    store
        .seed_world_if_empty(WorldSeed::starter().unwrap())
        .await
        .unwrap();
    let start = store.start_room().await.unwrap().unwrap();
    let a = store.player_state(1).await.unwrap();
    assert_eq!(
        (a.location, a.home, a.coins),
        (start, start, NEW_PLAYER_COINS)
    );

    let mut lamp = Object::new(ObjectKind::Thing, "lamp", 1);
    lamp.location = Some(Place::Object(start));
    let lamp = store.create_object(lamp).await.unwrap();
    assert!(
        store
            .contents(Place::Object(start))
            .await
            .unwrap()
            .contains(&lamp)
    );
    store
        .move_object(lamp.id, Some(Place::Object(start)), Place::Player(1))
        .await
        .unwrap();
    assert!(
        !store
            .contents(Place::Object(start))
            .await
            .unwrap()
            .iter()
            .any(|o| o.id == lamp.id)
    );
    assert_eq!(
        store.contents(Place::Player(1)).await.unwrap()[0].id,
        lamp.id
    );
    let stale = store
        .move_object(lamp.id, Some(Place::Object(start)), Place::Player(2))
        .await;
    assert!(matches!(stale, Err(StoreError::World(WorldRefusal::Moved))));

    store.give_coins(1, 2, 4).await.unwrap();
    let too_many = store.give_coins(1, 2, 7).await;
    assert!(matches!(
        too_many,
        Err(StoreError::World(WorldRefusal::NotEnoughCoins))
    ));
    store.close().await.unwrap();

    let store = open(dir.path()).await;
    assert_eq!(
        store.player_state(1).await.unwrap().coins,
        NEW_PLAYER_COINS - 4
    );
    assert_eq!(
        store.player_state(2).await.unwrap().coins,
        NEW_PLAYER_COINS + 4
    );
    assert_eq!(
        store.contents(Place::Player(1)).await.unwrap()[0].name,
        "lamp"
    );
    let gone = store.destroy_object(lamp.id).await.unwrap();
    assert_eq!(gone.id, lamp.id);
    assert!(store.contents(Place::Player(1)).await.unwrap().is_empty());
    assert!(matches!(
        store.destroy_object(start).await,
        Err(StoreError::World(WorldRefusal::StartRoom))
    ));
    store.close().await.unwrap();
}
