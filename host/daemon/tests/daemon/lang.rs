//! Languages over the air: a handset switches to German, then Spanish, and reads
//! `help`, `look`, `read` and `mail` in each; every packet is within the budget (the
//! kit checks each), the mail notice reaches the recipient in their language, and the
//! choice survives a restart.

use crate::common::{WAIT, roomy, world};
use meshmush::config::Config;
use meshmush::store::StoreOptions;

/// Switches handset `k` to language `code` (`lang CODE`), checking it is told so in it.
async fn speak(w: &mut crate::common::World, k: usize, code: &str) {
    let told = match code {
        "de" => "Ab jetzt antworte ich dir auf Deutsch.",
        "es" => "Desde ahora te respondo en español.",
        other => panic!("no language {other:?} here"),
    };
    assert_eq!(w.ask(k, &format!("lang {code}")).await, told);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handset_reads_help_look_read_and_mail_in_german_and_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    assert_eq!(
        w.ask(1, "post general Hallo zusammen").await,
        "Posted to general as #1."
    );
    speak(&mut w, 0, "de").await;
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
    speak(&mut w, 0, "de").await;
    speak(&mut w, 1, "es").await;
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

/// What is said before a command runs (the router's refusals, `more` with nothing
/// waiting) and the one refusal an impostor gets reach a German or a Spanish player
/// in their language: the roster keeps it from their session, and the router never
/// waits for the store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_before_any_command_runs_are_in_the_players_language() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = roomy();
    cfg.limits.max_command_bytes = 20;
    let mut w = world(2, cfg, dir.path(), StoreOptions::default()).await;
    speak(&mut w, 0, "de").await;
    speak(&mut w, 1, "es").await;
    let long = "x".repeat(30);
    assert_eq!(
        w.ask(0, &long).await,
        "Zu lang (30 Bytes): Ein Befehl darf höchstens 20 Bytes haben."
    );
    assert_eq!(
        w.ask(1, &long).await,
        "Demasiado largo (30 bytes): un comando no puede pasar de 20 bytes."
    );
    assert_eq!(w.ask(0, "more").await, "Mehr gibt es nicht.");
    assert_eq!(w.ask(1, "more").await, "No hay nada más.");
    // Plain text from nodes seen using PKI: not their handsets.
    w.mesh().expect("software mesh").faults().set_pki(false);
    assert_eq!(
        w.ask(0, "whoami").await,
        "Nicht ausgeführt: Diese Nachricht kommt nicht von dem Gerät, das sich zuerst als \
         dieser Knoten gemeldet hat."
    );
    assert_eq!(
        w.ask(1, "whoami").await,
        "No ejecutado: este mensaje no viene del equipo con el que este nodo se presentó por \
         primera vez."
    );
    w.stop().await.expect("clean shutdown");
}

/// Over the command limit, a German player is told to slow down in German, and the
/// wait reads back as `meshmush chat` reads it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_german_player_is_told_to_slow_down_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = Config::default();
    // The kit's greeting and `lang de`, then one more.
    cfg.limits.burst = 3;
    let mut w = world(1, cfg, dir.path(), StoreOptions::default()).await;
    speak(&mut w, 0, "de").await;
    assert_eq!(w.ask(0, "ping").await, "pong");
    let told = w.ask(0, "ping").await;
    assert!(told.starts_with("Langsam: zu viele Befehle."), "{told}");
    assert!(
        meshmush::ratelimit::slow_down_wait(&told).is_some(),
        "{told}"
    );
    w.stop().await.expect("clean shutdown");
}
