# meshmush auf Deutsch. Kurz halten: jedes Byte kostet Sendezeit. Befehlswörter
# (boards, post, mail ...) bleiben, wie sie sind; die Aliase unten kommen dazu.

## Aliase: funktionieren für alle und dürfen mit nichts kollidieren

alias-help = hilfe
alias-look = schau
alias-read = lies
alias-lang = sprache

## Dispatcher und Ablehnungen

say-something = Schreib etwas, z. B. hilfe.
unknown-command = Befehl "{ $word }" gibt es nicht. Versuch hilfe.
unknown-command-close = Befehl "{ $word }" gibt es nicht. Meintest du { $close }? Sonst hilfe.
ambiguous = { $word }? Meintest du: { $names }
needs-rights = { $command } braucht { $level }-Rechte, und die hast du nicht.
needs-rights-proof = { $command } braucht { $level }-Rechte: Die gelten nur per PKI-DM oder mit `pw PASS BEFEHL`.
level-player = Spieler
level-builder = Baumeister
level-wizard = Magier
usage = So geht's: { $usage }
storage-full = Speicher voll: Das BBS kann gerade nichts speichern, Lesen geht aber.
storage-trouble = Speicherproblem, bitte nochmal: { $error }
needs-proof-impostor = { $command } abgelehnt: Das sieht nicht nach deinem Gerät aus.
needs-proof = { $command } ändert dein Konto: Schick es als PKI-DM oder als pw PASS { $command } ...
too-long = Zu lang: { $len } Bytes, erlaubt sind { $max }.
ago = vor { $age }
ago-now = gerade eben
age-now = jetzt
welcome = Willkommen, { $name }!
welcome-help = Willkommen, { $name }! Schick hilfe für die Befehle.

## hilfe

help-short = BBS: boards lies post next mail. Welt: schau n s e w say who i. hilfe BEFEHL erklärt einen, hilfe all zeigt alle. Sprache: lang { $codes }
help-all = { $commands }. hilfe BEFEHL erklärt einen.
help-one = { $usage }: { $help }
help-none = Einen Befehl "{ $topic }" gibt es nicht. Versuch hilfe.
usage-help = hilfe [all|BEFEHL]
help-help = die wichtigsten Befehle, alle Befehle oder wie einer geht

## sprache

usage-lang = lang [CODE]
help-lang = die Sprache, in der ich dir antworte; ohne CODE die angebotenen
lang-list = Sprachen: { $list }. Deine: { $code }. lang CODE wählt eine.
lang-set = Ab jetzt antworte ich dir auf Deutsch.
lang-unknown = Sprache "{ $code }" gibt es hier nicht. Angeboten: { $codes }.

## schau, und der Raum, wie ihn jeder Schritt zeigt

usage-look = schau [DING]
help-look = beschreibt den Raum, ein Ding oder einen Ausgang
look-me = Du bist { $name }.
look-person = { $name } ist hier.
look-nothing-special = An { $thing } fällt dir nichts Besonderes auf.
exit-leads-to = { $exit } führt nach { $room }.
exit-leads-nowhere = { $exit } führt nirgendwohin.
see-no = Hier gibt es nichts namens "{ $word }".
world-empty = Die Welt ist leer.
room-exits = Ausgänge: { $list }.
room-things = Du siehst: { $list }.
room-npcs = NPCs: { $list }. (talk NAME)
room-npcs-more = NPCs: { $list } und { $more } weitere. (talk NAME)
room-here = Hier: { $list }.
room-here-more = Hier: { $list } und { $more } weitere ({ $total } insgesamt).

## lies (Bretter)

usage-read = lies BRETT [N]
help-read = der neueste Beitrag eines Bretts und die Liste der anderen, oder Beitrag N
read-usage = So geht's: lies BRETT [N]. boards zeigt die Bretter.
board-none = Kein Brett "{ $word }". Bretter: { $boards }.
not-post-number = "{ $word }" ist keine Beitragsnummer.
post-none = Kein Beitrag #{ $num } auf { $board }.
board-empty = { $board }: noch keine Beiträge. post { $board } TEXT
board-list-foot = lies { $board } N

## mail

usage-mail = mail | mail N | mail NAME [TEXT] | mail delete N | mail clear
help-mail = deine Mails: die älteste ungelesene und eine Liste; N lesen; senden (ohne Text: eine lange schreiben); delete N; clear löscht die gelesenen
mail-none = Keine Mails. mail NAME TEXT schickt eine.
mail-list = Mails (* ungelesen):
mail-list-foot = mail N liest eine
mail-heading = Mail #{ $n } { $from } { $age }:
not-mail-number = "{ $word }" ist keine Mailnummer.
mail-no-such = Keine Mail { $n }. mail zeigt deine.
mail-deleted = Mail { $n } von { $from } gelöscht.
mail-cleared = { $n ->
    [one] 1 gelesene Mail gelöscht.
   *[other] { $n } gelesene Mails gelöscht.
}
mail-sent = Mail an { $name } ist raus.
mail-waits = Die Mail für { $name } wartet, bis der Knoten wieder zu hören ist.
mail-told-now = Mail für { $name } liegt bereit; der Knoten war { $ago } zu hören und bekommt jetzt Bescheid.
mail-you-have = Bei { $bbs } liegt Mail von { $name } für dich. Schick mail, um sie zu lesen.
mail-notice = Neue Mail von { $name }.
mail-read-hint = Schick mail, um sie zu lesen.
mail-new-count = { $n ->
    [one] 1 neue Mail von { $from }.
   *[other] { $n } neue Mails von { $from }.
}
mail-names-many = { $name } passt auf { $count } Knoten: { $ids }. Schreib einem über seine ID.
mail-no-recipient = Keinen Spieler oder Knoten { $name } gefunden.
mail-no-player-close = Keinen Spieler { $name } gefunden. Meintest du { $close }?
mailbox-full = Das Postfach von { $name } ist voll; versuch es später.
mail-unheard-sender = Du hast heute schon { $n } Mails an Knoten geschickt, die das BBS nie benutzt haben. Das ist das Tageslimit, morgen wieder.
mail-unheard-total = Für Knoten, die das BBS nie benutzt haben, wartet schon zu viel Mail; versuch es später.
mail-newcomers = Neue Spieler haben in dieser Stunde schon viele Mails geschickt; versuch es später.

## --- world ---
## Raumnachrichten (Ankünfte, say, Flüstern, Nachrichten, Geschenke) liest jeder in
## seiner eigenen Sprache. `$text` ist, was ein Spieler geschrieben hat.

## go, exits, home, und was ein Schritt im Raum hinterlässt

usage-go = go AUSGANG (oder nur der Ausgang: n, out)
help-go = durch einen Ausgang gehen
usage-exits = exits
help-exits = wohin du von hier aus gehen kannst
usage-home = home
help-home = zurück in deinen Heimatraum
go-where = Wohin? Versuch exits.
no-exit = Hier gibt es keinen Ausgang "{ $word }". Versuch exits.
cant-go = Da geht es nicht weiter.
exit-locked = Der Weg { $exit } ist verschlossen.
leads-nowhere-now = Dieser Weg führt nirgendwo mehr hin.
home-already = Du bist schon zu Hause.
exits-none = Keine Ausgänge. Versuch home.
exits-to = { $exit } nach { $room }
exits-to-nowhere = { $exit } ins Nichts
room-leaves = { $name } geht Richtung { $exit }.
room-arrives = { $name } kommt herein.
room-goes-home = { $name } geht nach Hause.
room-vanishes = { $name } verschwindet.
room-moved-away = { $name } wird fortgebracht.

## say, pose, semipose, whisper, page, who, where

usage-say = say TEXT (oder "TEXT)
help-say = zu allen im Raum sprechen
say-what = Was willst du sagen?
say-you = Du sagst: „{ $text }“
say-room = { $name } sagt: „{ $text }“
usage-pose = pose AKTION (oder :AKTION)
help-pose = eine Handlung zeigen: `:winkt` zeigt `Alice winkt`
pose-what = Was tust du? :winkt
usage-semipose = semipose AKTION (oder ;AKTION)
help-semipose = pose ohne Leerzeichen: `;s Augen leuchten` zeigt `Alices Augen leuchten`
semipose-what = Was tust du? ;s Augen leuchten
usage-whisper = whisper NAME=TEXT
help-whisper = nur jemand in deinem Raum hört es; der Raum sieht, dass du flüsterst
not-here = { $name } ist nicht hier.
no-player = Keinen Spieler namens "{ $word }" gefunden.
whisper-self = Du flüsterst mit dir selbst.
whisper-you = Du flüsterst { $name } zu: { $text }
whisper-heard = { $name } flüstert dir zu: { $text }
whisper-seen = { $name } flüstert { $to } etwas zu.
usage-page = page NAME TEXT
help-page = private Nachricht an einen Spieler, egal wo er ist (siehe dnd)
page-you = Deine Nachricht an { $name }: { $text }
page-heard = Nachricht von { $name }: { $text }
usage-who = who
help-who = wer gerade da ist und wie lange schon inaktiv
who-list = Gerade da ({ $n }): { $list }.
usage-where = where
help-where = in welchem Raum die Anwesenden sind
where-in = { $name }: { $room }
where-somewhere = irgendwo

## inventory, money, get, drop, give

usage-inventory = inventory
help-inventory = was du bei dir trägst, und deine Münzen
inventory = Du trägst: { $list }. Münzen: { $n }.
inventory-empty = Du trägst nichts bei dir. Münzen: { $n }.
usage-money = money
help-money = wie viele Münzen du hast
money = { $n ->
    [one] Du hast 1 Münze.
   *[other] Du hast { $n } Münzen.
}
usage-get = get DING
help-get = etwas aufheben
get-what = Was willst du nehmen?
get-cannot = { $thing } kannst du nicht aufheben.
get-fixed = { $thing } rührt sich nicht.
get-taken = Du nimmst { $thing }.
usage-drop = drop DING
help-drop = etwas hier ablegen
drop-what = Was willst du ablegen?
carry-no = Du hast nichts namens "{ $word }" dabei.
drop-dropped = Du legst { $thing } ab.
usage-give = give NAME DING | give NAME N coins
help-give = jemandem im Raum ein Ding oder Münzen geben
give-not-coins = "{ $word }" ist keine Anzahl Münzen.
give-no-coins = Gib mindestens eine Münze.
give-self = Das hast du schon.
give-coins = { $n ->
    [one] Du gibst { $name } 1 Münze.
   *[other] Du gibst { $name } { $n } Münzen.
}
give-thing = Du gibst { $name } { $thing }.
given-coins = { $n ->
    [one] { $name } gibt dir 1 Münze.
   *[other] { $name } gibt dir { $n } Münzen.
}
given-thing = { $name } gibt dir { $thing }.

## dnd, nospoof, @doing, finger

usage-dnd = dnd on [ABWESENHEITSNOTIZ] | dnd off
help-dnd = bitte nicht stören: Nachrichten warten bis zu deinem nächsten Befehl, Absender bekommen deine Notiz
dnd-is-on = Bitte nicht stören ist an.
dnd-is-on-away = Bitte nicht stören ist an: { $text }
dnd-is-off = Bitte nicht stören ist aus.
dnd-on = Bitte nicht stören ist an: Nachrichten warten auf dich. dnd off beendet es.
dnd-off = Bitte nicht stören ist aus.
dnd-away = { $name } möchte nicht gestört werden; deine Nachricht wartet.
dnd-away-message = { $name } möchte nicht gestört werden: { $text } (deine Nachricht wartet)
usage-nospoof = nospoof on|off
help-nospoof = Raumgeschehen zeigt, wer es ausgelöst hat: `[Alice] Alice winkt`
nospoof-is-on = nospoof ist an.
nospoof-is-off = nospoof ist aus.
nospoof-on = nospoof an: Raumgeschehen zeigt, wer es ausgelöst hat.
nospoof-off = nospoof aus.
doing = Macht gerade: { $text }
doing-cleared = @doing gelöscht.
usage-finger = finger NAME
help-finger = wann ein Spieler zuletzt da war, seine Titel, Erfolge und @doing
finger-about = { $name }: gerade da.
finger-seen = { $name }: zuletzt gesehen { $ago }.
finger-titles = Titel: { $list }.
finger-achievements = Erfolge { $n }/{ $total }.

## talk (NPCs), quests, achievements, Läden, use, @house

usage-talk = talk NPC, dann die Nummer einer Antwort (talk allein: das offene Gespräch)
help-talk = mit jemandem aus der Stadt reden; geantwortet wird mit einer Nummer
talk-none = Hier gibt es niemanden namens "{ $word }" zum Reden.
talk-nothing = { $name } hat nichts zu sagen.
talk-no-one = Du redest gerade mit niemandem. Versuch talk NAME.
talk-over = Das Gespräch ist vorbei. Versuch talk NAME.
talk-gone = { $name } ist nicht hier. Versuch talk NAME.
talk-someone = Die Person
talk-whom = Mit wem? Hier sind: { $list }.
talk-answer = Antworte mit 1 bis { $n }.
talk-goodbye = { $name } nickt zum Abschied.
need-coins = { $n ->
    [one] Du brauchst 1 Münze.
   *[other] Du brauchst { $n } Münzen.
}
need-thing = Du brauchst { $thing }.
quest-started = Neue Quest: { $quest }. Mehr mit quests.
quest-done = Quest geschafft: { $quest }!
quest-done-reward = Quest geschafft: { $quest }! Du bekommst { $list }.
reward-coins = { $n ->
    [one] 1 Münze
   *[other] { $n } Münzen
}
reward-title = den Titel { $title }
quest-pay = { $n ->
    [one] ({ $quest }: Du brauchst 1 Münze.)
   *[other] ({ $quest }: Du brauchst { $n } Münzen.)
}
achievement = * Erfolg: { $title }! { $text }
usage-quests = quests
help-quests = deine Quests und jeweils der nächste Schritt
quests-none = Noch keine Quests. Sprich mit den Leuten in der Stadt: talk NAME.
quests-done = Geschafft: { $list }.
usage-achievements = achievements
help-achievements = was du schon erreicht hast
achievements-none = Noch keine Erfolge (0/{ $total }).
achievements-list = Erfolge ({ $n }/{ $total }): { $list }.
usage-list = list
help-list = was der Laden hier verkauft und zu welchem Preis
usage-buy = buy WARE
help-buy = im Laden hier kaufen
usage-sell = sell WARE
help-sell = etwas, das du trägst, an den Laden hier verkaufen
shop-none = Hier gibt es keinen Laden.
shop-ware = { $thing } { $price }c (noch { $left })
shop-ware-buys = { $thing } { $price }c (noch { $left }, kauft für { $n })
shop-list = { $shop }: { $list }. buy WARE, sell WARE.
buy-what = Was willst du kaufen? Versuch list.
shop-has-no = { $shop } führt nichts namens "{ $word }". Versuch list.
shop-costs = { $thing } kostet { $price } Münzen; du hast { $n }.
shop-bought = Du kaufst { $thing } für { $price } Münzen. Dir bleiben { $left }.
sell-what = Was willst du verkaufen?
shop-not-buying = { $shop } kauft { $thing } nicht an.
shop-sold = { $n ->
    [one] Du verkaufst { $thing } für 1 Münze. Du hast jetzt { $left }.
   *[other] Du verkaufst { $thing } für { $n } Münzen. Du hast jetzt { $left }.
}
usage-use = use DING
help-use = etwas benutzen, das du trägst oder siehst
use-what = Was willst du benutzen?
use-nothing = Du benutzt { $thing }, aber nichts passiert.
house-described = Beschreibung gespeichert.
house-locked = Abgeschlossen: Nur du und deine Gäste kommen herein.
house-unlocked = Aufgeschlossen.
house-who = Wen?
house-none = In dieser Straße gibt es keine Häuser.
house-yours = deins
house-taken = vergeben
house-list = Häuser: { $list }. @house claim NAME
house-which = Welches Haus? Versuch @house.
house-claimed = { $room } gehört dir für { $price } Münzen. Eingang: { $exit }; @house describe, lock, invite.
house-not-yours = Das ist nicht dein Haus.
house-stand-in = Dafür musst du in deinem Haus stehen.
house-no-door = Deine Tür ist verschwunden.
house-guest = { $name } darf herein.
house-not-guest = { $name } darf nicht mehr herein.

## Was der Speicher in der Welt ablehnt (ein Schritt, ein Handel, ein Hauskauf)

refused-no-object = Es gibt kein Objekt #{ $n }.
refused-not-a-room = #{ $n } ist kein Raum.
refused-coins = Nicht genug Münzen.
refused-moved = Das ist nicht mehr da.
refused-not-empty = In dem Raum sind noch Dinge oder Ausgänge.
refused-start-room = Der Startraum lässt sich nicht zerstören.
refused-no-world = Die Welt hat noch keine Räume.
refused-not-held = Das gehört dir nicht mehr, du kannst es nicht hergeben.
refused-sold-out = Ausverkauft.
refused-till-empty = Die Kasse ist leer.
refused-house-taken = Das Haus ist schon vergeben.
refused-house-cap = Du hast schon so viele Häuser, wie du haben darfst.

## Befehle für Baumeister und Magier (@dig, @open, @lock, @tel, ...: ihre Zeilen für
## hilfe bleiben die der Specs, ein Fluent-Schlüssel kann kein `@` enthalten)

name-plain = Namen haben 1 bis { $max } einfache Zeichen.
name-reserved = "{ $word }" ist reserviert.
build-room-id = Gib den Raum als #N an.
build-room-id-here = Gib den Raum als #N oder here an.
build-not-yours = { $thing } gehört dir nicht.
build-dug = Raum { $room } #{ $n } gegraben.
build-dug-to = Ausgang { $exit } #{ $n } geöffnet.
build-dug-back = Zurück: { $exit } #{ $n }.
build-opened = Ausgang { $exit } #{ $n } nach #{ $num } geöffnet.
build-described = { $thing } beschrieben.
build-short = Kurzbeschreibung von { $thing } gesetzt.
build-renamed = { $word } heißt jetzt { $thing }.
build-created = { $thing } #{ $n } erschaffen. Du trägst es bei dir.
build-step-out = Verlass den Raum erst.
build-destroyed = { $thing } #{ $n } zerstört.
build-key-thing = Ein Schlüssel muss ein Ding sein.
build-locked-owner = { $thing } ist jetzt verschlossen: nur für den Besitzer.
build-locked-you = { $thing } ist jetzt verschlossen: nur für dich.
build-locked-player = { $thing } ist jetzt verschlossen: nur für { $name }.
build-locked-key = { $thing } ist jetzt verschlossen: nur, wer { $word } dabeihat.
build-unlocked = { $thing } ist nicht mehr verschlossen.
build-home = Dein Zuhause ist jetzt #{ $n }.
build-exits-only = Nur Ausgänge führen zu Räumen.
build-linked = { $thing } führt jetzt nach #{ $n }.
build-flags = Flags: { $list }.
build-flag-set = { $thing }: { $word } gesetzt.
build-flag-cleared = { $thing }: { $word } entfernt.
build-stats = { $n } Objekte, { $count } Spieler, { $total } gerade da.
teleported = { $name } nach #{ $n } teleportiert.
teleported-you = { $name } teleportiert dich nach #{ $n }. Versuch schau.
booted = { $name } rausgeworfen.
booted-you = Ein Magier hat dich nach Hause geschickt.
reloaded = Neu geladen: { $n } NPCs, { $count } Quests, { $num } Läden, { $total } Auslöser.
reload-refused = Neuladen abgelehnt, nichts geändert: { $error }
reload-refused-more = Neuladen abgelehnt, nichts geändert: { $error } (+{ $more } weitere)
usage-examine = examine [DING]
help-examine = genau hinsehen; Besitzer sehen IDs, Flags und Schlösser
