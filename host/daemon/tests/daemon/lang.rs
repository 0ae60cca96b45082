//! Languages over the air: a handset switches to German, then Spanish, and reads
//! `help`, `look`, `read` and `mail` in each; every packet is within the budget (the
//! kit checks each), the mail notice reaches the recipient in their language, and the
//! choice survives a restart.

use crate::common::{WAIT, roomy, world};
use meshmush::store::StoreOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handset_reads_help_look_read_and_mail_in_german_and_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    assert_eq!(
        w.ask(1, "post general Hallo zusammen").await,
        "Posted to general as #1."
    );
    assert_eq!(
        w.ask(0, "lang de").await,
        "Ab jetzt antworte ich dir auf Deutsch."
    );
    let help = w.ask(0, "hilfe").await;
    assert!(
        help.starts_with("BBS: boards lies post next mail. Welt: schau") && help.len() <= 215,
        "{help}"
    );
    let look = w.ask(0, "look").await;
    assert!(
        look.contains("Ausgänge: north, east, west, south.\nDu siehst: pebble."),
        "{look}"
    );
    assert_eq!(
        w.ask(0, "lies general").await,
        "general #1 Bob jetzt:\nHallo zusammen"
    );
    assert_eq!(
        w.ask(0, "mail").await,
        "Keine Mails. mail NAME TEXT schickt eine."
    );
    assert_eq!(w.ask(1, "mail Alice Um acht?").await, "Mail sent to Alice.");
    let notice = w.handsets[0].next_text(WAIT).await.expect("notice");
    assert_eq!(
        notice.text,
        "Neue Mail von Bob. Schick mail, um sie zu lesen."
    );
    assert_eq!(w.ask(0, "mail").await, "Mail #1 Bob jetzt:\nUm acht?");

    assert_eq!(
        w.ask(0, "idioma es").await,
        "Desde ahora te respondo en español."
    );
    let help = w.ask(0, "ayuda").await;
    assert!(
        help.starts_with("BBS: boards leer post next correo. Mundo: mirar"),
        "{help}"
    );
    let look = w.ask(0, "mirar").await;
    assert!(
        look.contains("Salidas: north, east, west, south.\nVes: pebble."),
        "{look}"
    );
    assert_eq!(
        w.ask(0, "leer general").await,
        "general #1 Bob ahora:\nHallo zusammen"
    );
    assert_eq!(
        w.ask(0, "correo").await,
        "Correo (* sin leer):\n#1 Um acht? - Bob ahora\ncorreo N lee una"
    );
    w.stop().await.expect("clean shutdown");

    // Kept across a restart.
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    assert_eq!(w.ask(0, "correo 1").await, "Carta #1 Bob ahora:\nUm acht?");
    assert_eq!(w.ask(1, "mail 1").await, "No mail 1. mail lists yours.");
    w.stop().await.expect("clean shutdown");
}

/// Room notices are one text for many listeners: each reads them in their own
/// language (the delivery renders per listener), and a page waits for a player in
/// do-not-disturb in theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_listener_hears_the_room_in_their_own_language() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(3, roomy(), dir.path(), StoreOptions::default()).await;
    w.ask(0, "lang de").await;
    w.ask(1, "lang es").await;
    w.ask(2, "look").await;
    assert_eq!(w.ask(2, "say Hallo!").await, "You say, \"Hallo!\"");
    let heard = w.handsets[0].next_text(WAIT).await.expect("a say notice");
    assert_eq!(heard.text, "Carol sagt: „Hallo!“");
    let heard = w.handsets[1].next_text(WAIT).await.expect("a say notice");
    assert_eq!(heard.text, "Carol dice: «Hallo!»");
    assert_eq!(w.ask(0, "say Servus").await, "Du sagst: „Servus“");
    let heard = w.handsets[2].next_text(WAIT).await.expect("a say notice");
    assert_eq!(heard.text, "Alice says, \"Servus\"");
    let heard = w.handsets[1].next_text(WAIT).await.expect("a say notice");
    assert_eq!(heard.text, "Alice dice: «Servus»");
    assert_eq!(
        w.ask(1, "dnd on").await,
        "No molestar activado: los mensajes te esperan. dnd off lo quita."
    );
    assert_eq!(
        w.ask(0, "page Bob bis gleich").await,
        "Bob möchte nicht gestört werden; deine Nachricht wartet."
    );
    assert_eq!(
        w.ask(1, "dnd off").await,
        "Mensaje de Alice: bis gleich No molestar desactivado."
    );
    w.stop().await.expect("clean shutdown");
}
