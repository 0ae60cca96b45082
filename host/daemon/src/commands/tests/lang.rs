//! `lang`: a player switching to German, then Spanish, and reading `help`, `look`,
//! `read` and `mail` in each; the catalogue's aliases in the standard command set.

use super::*;
use meshmush_core::commands::DIRECTIONS;
use meshmush_core::commands::basic::LangCmd;
use meshmush_core::commands::registry::{Command, spec_key};
use meshmush_lang::{Catalogue, Lang, catalogue};
use meshmush_store::Place;

#[tokio::test(start_paused = true)]
async fn a_player_reads_help_look_read_and_mail_in_german_then_spanish() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.proven(BOB, "Bob").await;
    call(
        &mut ann,
        "lang",
        "Languages: en English, de Deutsch, es Español. Yours: en. lang CODE picks one.",
    )
    .await;
    speak(&mut ann, "de").await;

    // German.
    call(
        &mut ann,
        "help",
        "BBS: boards lies post next mail. Welt: schau n s e w say who i. hilfe BEFEHL \
         erklärt einen, hilfe all zeigt alle. Sprache: lang en de es",
    )
    .await;
    call(
        &mut ann,
        "hilfe lies",
        "lies BRETT [N]: der neueste Beitrag eines Bretts und die Liste der anderen, oder \
         Beitrag N",
    )
    .await;
    call_starts(&mut ann, "hilfe all", "help lang ping quit").await;
    call(&mut ann, "hilfe ping", "ping: prüft, ob das BBS zuhört").await;
    call(
        &mut ann,
        "hilfe xyzzy",
        "Einen Befehl \"xyzzy\" gibt es nicht. Versuch hilfe.",
    )
    .await;
    let here = call_starts(&mut ann, "schau", "Town Square: The heart of Meshton.").await;
    assert!(
        here.reply
            .ends_with("\nAusgänge: north, east, west, south.\nDu siehst: pebble.\nHier: Bob."),
        "{:?}",
        here.reply
    );
    call(
        &mut ann,
        "schau mich",
        "Hier gibt es nichts namens \"mich\".",
    )
    .await;
    call(&mut ann, "look me", "Du bist Ann.").await;
    call(&mut ann, "look bob", "Bob ist hier.").await;
    call(
        &mut ann,
        "lies",
        "So geht's: lies BRETT [N]. boards zeigt die Bretter.",
    )
    .await;
    call(
        &mut ann,
        "lies general",
        "general: noch keine Beiträge. post general TEXT",
    )
    .await;
    call(
        &mut ann,
        "lies brett",
        "Kein Brett \"brett\". Bretter: general, help, news.",
    )
    .await;
    call(
        &mut bob,
        "post general Hello mesh",
        "Posted to general as #1.",
    )
    .await;
    call(
        &mut ann,
        "lies general",
        "general #1 Bob jetzt:\nHello mesh",
    )
    .await;
    call(&mut ann, "read general 7", "Kein Beitrag #7 auf general.").await;
    call(
        &mut ann,
        "read general x",
        "\"x\" ist keine Beitragsnummer.",
    )
    .await;
    call(
        &mut ann,
        "mail",
        "Keine Mails. mail NAME TEXT schickt eine.",
    )
    .await;
    // Bob reads English; the notice is Ann's to read, in German.
    let sent = call(&mut bob, "mail ann hallo Ann", "Mail sent to Ann.").await;
    assert_eq!(sent.notices[0].text, "Neue Mail von Bob.");
    call(&mut ann, "mail", "Mail #1 Bob jetzt:\nhallo Ann").await;
    call(
        &mut ann,
        "mail",
        "Mails (* ungelesen):\n#1 hallo Ann - Bob jetzt\nmail N liest eine",
    )
    .await;
    call(&mut ann, "mail 5", "Keine Mail 5. mail zeigt deine.").await;
    call(
        &mut ann,
        "mail Zed hi",
        "Keinen Spieler oder Knoten Zed gefunden.",
    )
    .await;
    let sent = call(&mut ann, "mail Bob danke", "Mail an Bob ist raus.").await;
    assert_eq!(sent.notices[0].text, "New mail from Ann.");
    call(
        &mut ann,
        "xyzzy",
        "Befehl \"xyzzy\" gibt es nicht. Versuch hilfe.",
    )
    .await;

    // Spanish, through its own alias for `lang`.
    call(&mut ann, "idioma es", "Desde ahora te respondo en español.").await;
    call(
        &mut ann,
        "ayuda",
        "BBS: boards leer post next correo. Mundo: mirar n s e w say who i. ayuda COMANDO \
         explica uno; ayuda all, todos. Idioma: lang en de es",
    )
    .await;
    call(
        &mut ann,
        "ayuda correo",
        "correo | correo N | correo NOMBRE [TEXTO] | correo delete N | correo clear: tu \
         correo: la carta sin leer más antigua y una lista; leer N; enviar (sin texto: \
         escribir una larga); delete N; clear borra las leídas",
    )
    .await;
    let here = call_starts(&mut ann, "mirar", "Town Square: The heart of Meshton.").await;
    assert!(
        here.reply
            .ends_with("\nSalidas: north, east, west, south.\nVes: pebble.\nAquí: Bob."),
        "{:?}",
        here.reply
    );
    call(
        &mut ann,
        "mirar unicornio",
        "Aquí no hay nada llamado \"unicornio\".",
    )
    .await;
    call(
        &mut ann,
        "leer",
        "Uso: leer TABLÓN [N]. boards los muestra.",
    )
    .await;
    call(
        &mut ann,
        "leer general",
        "general #1 Bob ahora:\nHello mesh",
    )
    .await;
    call(&mut ann, "leer general 9", "No hay mensaje #9 en general.").await;
    call(
        &mut ann,
        "correo",
        "Correo (* sin leer):\n#1 hallo Ann - Bob ahora\ncorreo N lee una",
    )
    .await;
    call(&mut ann, "correo 1", "Carta #1 Bob ahora:\nhallo Ann").await;
    call(
        &mut ann,
        "correo 3",
        "No hay carta 3. correo muestra las tuyas.",
    )
    .await;
    call(
        &mut ann,
        "correo clear",
        "mail cambia tu cuenta: envíalo como DM con PKI, o pw CLAVE mail ...",
    )
    .await;
    call(&mut ann, "correo Bob gracias", "Carta enviada a Bob.").await;
    call(
        &mut ann,
        "lang fr",
        "Aquí no hay idioma \"fr\". Hay: en de es.",
    )
    .await;
    call(&mut ann, "xyzzy", "No conozco \"xyzzy\". Prueba ayuda.").await;

    // The choice is kept: a new session reads it back.
    let habits = w.store.habits(ANN).await.expect("habits");
    assert_eq!(habits.lang.as_deref(), Some("es"));
    assert_eq!(Ctx::language_of(&w.common(), &habits).code(), "es");
    speak(&mut ann, "en").await;
    call_starts(&mut ann, "help", "BBS: boards read post next mail. World:").await;
}

#[tokio::test(start_paused = true)]
async fn the_bbs_language_is_the_default_until_a_player_picks_one() {
    let mut cfg = Config::default();
    cfg.bbs.language = "de".into();
    let w = TestWorld::with(cfg).await;
    let mut ann = w.player(ANN, "Ann").await;
    call(
        &mut ann,
        "mail",
        "Keine Mails. mail NAME TEXT schickt eine.",
    )
    .await;
    call(
        &mut ann,
        "lang",
        "Sprachen: en English, de Deutsch, es Español. Deine: de. lang CODE wählt eine.",
    )
    .await;
    let mut bob = w.player(BOB, "Bob").await;
    speak(&mut bob, "en").await;
    let habits = w.store.habits(BOB).await.expect("habits");
    assert_eq!(Ctx::language_of(&w.common(), &habits), Lang::EN);
    assert_eq!(
        LangCmd::parse("DE"),
        Ok(LangCmd::Set(Lang::parse("de").unwrap()))
    );
}

/// The catalogue check CI runs: the shipped languages' aliases collide with no
/// command, alias or direction word, and so are all in the standard set.
#[test]
fn the_shipped_aliases_collide_with_nothing_and_all_work() {
    let mut r = crate::commands::commands();
    assert_eq!(r.add_language_aliases(catalogue(), DIRECTIONS), Ok(()));
    let standard = crate::commands::standard();
    for lang in Lang::all() {
        for (command, alias) in catalogue().aliases(lang) {
            let found = standard.exact(&alias, Level::Player).map(|e| e.spec.name);
            assert_eq!(found, Some(command.as_str()), "{lang} {alias}");
        }
    }
    assert_eq!(
        standard.exact("HILFE", Level::Player).map(|e| e.spec.name),
        Some("help")
    );
}

/// A catalogue whose alias takes a command's name, a direction or another language's
/// alias is refused whole: none of its aliases is added.
#[test]
fn a_catalogue_with_a_colliding_alias_is_refused() {
    let bad = Catalogue::from_sources(&[
        ("en", "x = X\n"),
        ("de", "alias-help = hilfe\nalias-mail = post\n"),
        ("es", "alias-look = n\nalias-read = hilfe\n"),
    ]);
    let mut r = crate::commands::commands();
    let clashes = r
        .add_language_aliases(&bad, DIRECTIONS)
        .expect_err("refused");
    let said: Vec<String> = clashes.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        vec![
            "de: alias \"post\" for mail is already the command or alias post",
            "es: alias \"n\" for look is already the command or alias n",
            "es: alias \"hilfe\" is also de's alias for help",
        ]
    );
    assert!(r.exact("hilfe", Level::Player).is_none(), "nothing added");
}

/// A command whose texts are in the catalogue says the same in English in `help` as
/// its spec (which the README's tables and `help all` are written from), and every
/// command of the standard set, builders' and wizards' `@` commands too, has its
/// `help` line in every language.
#[test]
fn every_commands_help_is_in_every_language_and_english_is_the_specs() {
    let r = crate::commands::standard();
    let mut missing = Vec::new();
    for e in r.available(Level::Wizard) {
        let spec = e.spec;
        for prefix in ["usage-", "help-"] {
            let key = spec_key(prefix, spec.name);
            for lang in Lang::all() {
                if !catalogue().has(lang, &key) {
                    missing.push(format!("{lang} {key}"));
                }
            }
        }
        if let Some(usage) = catalogue().try_text(Lang::EN, &spec_key("usage-", spec.name), &[]) {
            assert_eq!(usage, spec.usage, "{}", spec.name);
        }
        if let Some(help) = catalogue().try_text(Lang::EN, &spec_key("help-", spec.name), &[]) {
            assert_eq!(help, spec.help, "{}", spec.name);
        }
    }
    assert_eq!(missing, Vec::<String>::new());
}

/// What was English for every player until now: the `@` commands' help lines,
/// `who`'s idle times, the detail `examine` shows a builder and `stats`' uptime, as
/// a German and a Spanish builder read them.
#[tokio::test(start_paused = true)]
async fn at_help_who_examine_and_stats_read_in_german_and_spanish() {
    let w = TestWorld::new().await;
    let mut ann = w.with_level(ANN, "Ann", Level::Builder).await;
    let mut bob = w.with_level(BOB, "Bob", Level::Builder).await;
    call(
        &mut ann,
        "help @dig",
        "@dig ROOM[=EXIT;ALIAS[,BACK;ALIAS]]: make a room, and exits to and from it",
    )
    .await;
    speak(&mut ann, "de").await;
    speak(&mut bob, "es").await;
    call(
        &mut ann,
        "hilfe @dig",
        "@dig RAUM[=AUSGANG;ALIAS[,ZURÜCK;ALIAS]]: einen Raum anlegen, samt Ausgängen hin \
         und zurück",
    )
    .await;
    call(
        &mut bob,
        "ayuda @create",
        "@create COSA;ALIAS: crear una cosa (la llevas contigo)",
    )
    .await;
    call(&mut ann, "@open", "So geht's: @open AUSGANG;ALIAS=#RAUM").await;
    call(&mut bob, "@sdesc", "Uso: @sdesc COSA=TEXTO").await;

    // who: idle times in each language's units (German's end in their own dot).
    run(&mut bob, "e").await;
    later(90).await;
    call(&mut ann, "who", "Gerade da (2): Ann 0 s, Bob 1 Min.").await;
    later(3 * 3600).await;
    call(&mut bob, "who", "2 por aquí: Ann 3 h, Bob 0 s.").await;

    // examine: a builder sees the object's kind, owner, place and lock in theirs.
    run(&mut bob, "w").await;
    let room = w.store.player_state(ANN).await.unwrap().location;
    let here = w.store.contents(Place::Object(room)).await.unwrap();
    let pebble = here.iter().find(|o| o.name == "pebble").expect("a pebble");
    let desc = "Smooth, grey, pleasant to hold.";
    call(
        &mut ann,
        "ex pebble",
        &format!(
            "pebble #{} Ding, Besitzer: System, auch stone, in #{room}. {desc}",
            pebble.id
        ),
    )
    .await;
    call(
        &mut bob,
        "ex pebble",
        &format!(
            "pebble #{} cosa, dueño: sistema, alias stone, en #{room}. {desc}",
            pebble.id
        ),
    )
    .await;
}

/// `stats`' uptime in each language's age units.
#[tokio::test(start_paused = true)]
async fn stats_uptime_reads_in_german_and_spanish() {
    use crate::meshview::FixedMesh;
    let mut w = TestWorld::new().await;
    w.mesh = std::sync::Arc::new(FixedMesh {
        uptime: std::time::Duration::from_secs(3 * 86_400 + 4 * 3600),
        ..FixedMesh::default()
    });
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    speak(&mut ann, "de").await;
    speak(&mut bob, "es").await;
    let de = run(&mut ann, "stats").await.reply;
    assert!(de.ends_with(". Läuft seit 3 Tg. 4 Std."), "{de}");
    let es = run(&mut bob, "stats").await.reply;
    assert!(es.ends_with(". En marcha desde hace 3 d 4 h."), "{es}");
}
