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
storage-unreachable = Das BBS kommt gerade nicht an seinen Speicher; versuch es bald wieder.
impostor-refused = Nicht ausgeführt: Diese Nachricht kommt nicht von dem Gerät, das sich zuerst als dieser Knoten gemeldet hat.
needs-proof-impostor = { $command } abgelehnt: Das sieht nicht nach deinem Gerät aus.
needs-proof = { $command } ändert dein Konto: Schick es als PKI-DM oder als pw PASS { $command } ...
too-long = Zu lang: { $len } Bytes, erlaubt sind { $max }.
# { $ago } endet oft auf "Min.", "Std." oder "Tg.": nicht ans Satzende vor einen Punkt stellen.
ago = vor { $age }
ago-now = gerade eben
age-now = jetzt
welcome = Willkommen, { $name }!
welcome-help = Willkommen, { $name }! Schick hilfe für die Befehle.

## Bevor ein Befehl läuft: die Ablehnungen des Routers (in der Sprache, die der
## Roster für den Knoten kennt, sonst der des BBS) und was die Zustellung selbst
## sagt. `meshmush chat` liest die Wartezeit aus slow-down: { $n } bleibt eine Zahl.

command-too-long = Zu lang ({ $len } Bytes): Ein Befehl darf höchstens { $max } Bytes haben.
still-working = Ich bin noch mit deinen letzten Befehlen beschäftigt; schick das gleich noch mal.
slow-down = Langsam: zu viele Befehle. Versuch es in { $n } s wieder.
busy-strangers = Gerade kommen sehr viele neue Spieler. Versuch es in { $n } Min. wieder.
more-none = Mehr gibt es nicht.

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

## --- bbs ---
## Bretter: boards, next, post, reply, delete

boards-none = Noch keine Bretter.
boards-list = Bretter (ungelesen/gesamt): { $list }. lies BRETT
next-none = Keine ungelesenen Beiträge.
post-only-level = Auf { $board } dürfen nur { $level ->
    [builder] Baumeister
    [wizard] Magier
   *[player] Spieler
} posten.
post-rate = Du hast in dieser Stunde schon { $n }-mal gepostet; versuch es später.
post-newcomers = Neue Spieler haben in dieser Stunde schon viel gepostet; versuch es später.
posted = Auf { $board } als #{ $num } gepostet.
posted-long = Auf { $board } als #{ $num } gepostet ({ $len } Bytes).
replied = Antwort auf { $board } als #{ $num } gepostet.
delete-not-yours = Das darf nur der Verfasser oder ein Magier löschen.
post-deleted = { $board } #{ $num } gelöscht.

## Lange Beiträge und Mails schreiben (compose); $kind ist post oder mail

compose-post = Neuer Beitrag für { $board }. Betreff? (cancel bricht ab)
compose-mail = Neue Mail an { $name }. Betreff? (cancel bricht ab)
compose-expired = { $kind ->
    [mail] (Deine angefangene Mail ist nach { $mins } Minuten ohne Eingabe verfallen.)
   *[post] (Dein angefangener Beitrag ist nach { $mins } Minuten ohne Eingabe verfallen.)
}
compose-dropped = { $kind ->
    [mail] Deine Mail ist verworfen.
   *[post] Dein Beitrag ist verworfen.
}
compose-not-added = Du schreibst gerade { $kind ->
    [mail] eine Mail
   *[post] einen Beitrag
}: "{ $word }" wurde nicht übernommen. . schickt ab, cancel verwirft.
compose-subject = Betreff? (cancel bricht ab)
compose-subject-set = Betreff: { $subject }. Jetzt der Text, eine Nachricht pro Zeile; . allein schickt ab, bis { $max } Bytes.
compose-line-too-long = Die Zeile hat { $len } Bytes; von { $max } sind noch { $n } frei. Schick weniger oder . zum Abschicken.
compose-bytes-left = Noch { $n } Bytes frei.
compose-nothing = Noch nichts geschrieben. Schick den Text oder cancel.
compose-kept = Dein Entwurf bleibt: . versucht es nochmal, cancel verwirft ihn.

## Der Kanal: @wall und neue Beiträge auf dringenden Brettern (urgent-notice geht an
## alle, in der Sprache des BBS)

wall-too-long = Zu lang für ein Paket: { $len } Bytes mit deinem Namen, höchstens { $max }.
wall-wait = Das BBS hat gerade erst auf dem Kanal gesendet; warte { $mins } Min. (ein Paket pro { $gap } Min.).
wall-sent = Auf dem Kanal gesendet.
urgent-notice = DRINGEND auf { $board }: { $subject } - { $name }. Schreib mir: lies { $board } { $num }
urgent-announced = Auf dem Kanal angekündigt.
urgent-not-announced = Nicht angekündigt: Das BBS hat gerade erst auf dem Kanal gesendet (wieder in { $mins } Min.).
usage-boards = boards
help-boards = die Bretter, mit deinen ungelesenen Beiträgen
usage-next = next
help-next = liest den ältesten Beitrag, den du noch nicht gelesen hast
usage-post = post BRETT [TEXT]
help-post = schreibt auf ein Brett; ohne Text einen langen Beitrag Zeile für Zeile
usage-reply = reply BRETT N TEXT
help-reply = antwortet auf Beitrag N
usage-delete = delete BRETT N
help-delete = löscht deinen Beitrag (Magier: jeden)

## Alter in Listen und Sätzen (`jetzt` ist age-now, oben)

age-minutes = { $n } Min.
age-hours = { $n } Std.
age-days = { $n } Tg.
age-seconds = { $n } s

## ping, quit, seen

usage-ping = ping
help-ping = prüft, ob das BBS zuhört
usage-quit = quit
help-quit = beendet deine Sitzung (alles bleibt gespeichert)
quit-bye = Tschüss, { $name }. Alles ist gespeichert.
usage-seen = seen NAME|!id
help-seen = wann das BBS einen Knoten zuletzt gehört hat, seine Hops, SNR und DM-Route
seen-nobody = Kein Knoten oder Spieler namens "{ $word }".
seen-node-only = { $node }: hat dem BBS nie geschrieben; der Knoten des BBS hat ihn { $ago } gehört.
seen-never = { $node }: nie gehört.
seen-heard = { $node }: gehört { $ago }, { $hops }{ $snr }. { $route }
seen-direct = direkt
seen-hops = { $n ->
    [one] 1 Hop
   *[other] { $n } Hops
}
seen-hops-unknown = Hops unbekannt
seen-route-direct = DM: direkt, keine Route nötig.
seen-route-acked = DM-Route: wahrscheinlich, { $ago } bestätigt.
seen-route-failed = DM-Route: keine, DMs kamen nicht an; sie werden geflutet.
seen-route-unknown = DM-Route: unbekannt; DMs werden geflutet.

## Konto: whoami, name, password, pw, repin

usage-whoami = whoami
help-whoami = dein Name, dein Knoten und deine Rechte
whoami = { $name } ({ $id }), { $level }, { $sender ->
    [proven] Absender bestätigt
    [impostor] Absender unbestätigt (nicht das Gerät, als das dieser Knoten zuerst auftrat)
   *[unproven] Absender unbestätigt
}
usage-name = name NEUERNAME
help-name = ändert deinen Namen (mit Passwort: das zuerst angeben)
name-rules = Namen haben höchstens { $max } einfache Zeichen.
name-reserved = "{ $name }" ist reserviert; such dir einen anderen Namen aus.
name-set = Du heißt jetzt { $name }.
name-taken = { $name } ist schon vergeben.
usage-password = password NEU | password ALT NEU | password PASS
help-password = setzt oder ändert dein Passwort, oder schaltet deine Rechte frei
password-set = Passwort gesetzt. So benutzt du es: pw PASS BEFEHL, z. B. pw PASS name NEUERNAME
password-changed = Passwort geändert.
password-one-command = Ein Passwort gilt immer für genau einen Befehl: pw PASS BEFEHL, z. B. pw PASS name NEUERNAME
password-short = Mindestens { $n } Zeichen, bitte.
password-failed = Das Passwort ließ sich nicht setzen: { $error }
usage-pw = pw PASS BEFEHL
help-pw = führt einen Befehl mit deinem Passwort als Nachweis aus (für DMs ohne PKI)
pw-none = Du hast noch kein Passwort: password NEU setzt eins.
pw-wrong = Falsches Passwort.
pw-locked = Zu viele falsche Passwörter: versuch es in { $n } s wieder.
usage-repin = pw PASS repin
help-repin = von einem Gerät mit neuem Schlüssel (neu geflasht): macht es zu dem, als das dein Knoten gilt
repin-no-key = repin hinterlegt den Schlüssel, den eine PKI-DM mitbringt, und diese Nachricht hat keinen: Schick pw PASS repin als DM vom neuen Gerät.
repin-already = Der Schlüssel dieses Geräts ist schon hinterlegt: nichts zu tun.
repin-needs-password = repin braucht dein Passwort: Schick pw PASS repin vom neuen Gerät.
repin-done = Erledigt: Dein Knoten gilt jetzt mit dem Schlüssel dieses Geräts.

## Lesebestätigungen (receipt-notice geht an den Absender der Mail, in seiner Sprache)

usage-receipts = receipts on|off
help-receipts = Lesebestätigungen für Mail im BBS-Netz: Du erfährst, wann deine gelesen wird, und der Absender, wann du seine liest
receipts-are = Lesebestätigungen sind { $state ->
    [on] an
   *[off] aus
}.
receipts-on = Lesebestätigungen an: Du erfährst, wann deine Mail gelesen wird, und Absender, wann du ihre liest.
receipts-off = Lesebestätigungen aus: Niemand erfährt, wann du seine Mail liest, und du nicht, wann deine gelesen wird.
receipt-notice = { $name } hat deine Mail '{ $subject }' gelesen (bei { $bbs })

## stats, search

usage-stats = stats
help-stats = Spieler, Beiträge, ungelesene Mails, gehörte Knoten, Sendezeit, Laufzeit
# Kein Punkt am Ende: Die Laufzeit endet auf "Min.", "Std." oder "Tg.".
stats = { $players } Spieler, { $posts ->
    [one] 1 Beitrag
   *[other] { $posts } Beiträge
}, { $unread ->
    [one] 1 ungelesene Mail
   *[other] { $unread } ungelesene Mails
}, { $heard } Knoten in 24 h gehört. Sendezeit diese Stunde: { $airtime }. Läuft seit { $up }
stats-airtime = { $n } s
stats-airtime-of = { $n } s von { $max } s
usage-search = search WÖRTER
help-search = Beiträge mit all diesen Wörtern in Betreff oder Text, neueste zuerst
search-what = Wonach suchen? search WÖRTER
search-none = Keine Beiträge mit { $word }.
search-none-capped = Keine Beiträge mit { $word } unter den neuesten { $n }.
search-found = { $word }:
search-found-capped = { $word } unter den neuesten { $n }:
search-foot = lies BRETT N

## Magier: @peers, @board

peers-none = Keine BBS-Partner eingerichtet ([federation] peers).
peers-head = Partner (gehört, wartend/gesendet/empfangen/abgelehnt):
peers-never = nie
board-levels = Stufen sind player, builder oder wizard.
board-name-rules = Brettnamen haben 1-16 Buchstaben, Ziffern oder Bindestriche.
board-lock-what = Sperren lässt sich read oder post.
board-exists = Ein Brett { $board } gibt es schon.
board-created = Brett { $board } angelegt.
board-described = Beschreibung von { $board } gesetzt.
board-locked = { $board }: { $what ->
    [read] Lesen
   *[post] Posten
} jetzt nur für { $level ->
    [builder] Baumeister
    [wizard] Magier
   *[player] Spieler
}.
board-urgent-on = { $board } ist dringend: Jeder neue Beitrag wird auf dem Kanal angekündigt (höchstens einmal pro { $gap } Min.).
board-urgent-off = { $board } ist nicht mehr dringend.
board-removed = Brett { $board } mit { $n ->
    [one] 1 Beitrag
   *[other] { $n } Beiträgen
} entfernt.

## Unaufgefordert: die Bake (an alle, in der Sprache des BBS), die Antwort auf das
## Suchwort, der Gruß an einen neu gehörten Knoten und wartende Mail

beacon = { $bbs }: BBS und Textwelt. Schick mir hilfe als DM zum Start.
beacon-keyword = { $bbs }: BBS und Textwelt. Schick mir hilfe als DM zum Start oder { $word } hier im Kanal.
discovery-answer = { $bbs } ist ein BBS mit Textwelt. Schick mir hilfe als DM zum Start, oder schau, um dich umzusehen.
welcome-node = Hallo von { $bbs }, einem BBS mit Textwelt in diesem Mesh. Schick mir hilfe als DM zum Start.
mail-waiting = { $n ->
    [one] Bei { $bbs } liegt 1 Mail für dich. Schick mail, um sie zu lesen.
   *[other] Bei { $bbs } liegen { $n } Mails für dich. Schick mail, um sie zu lesen.
}

## Magier: @ban, @unban, @builder, @repin, @pwlocks, @shutdown (builder-notice geht an
## den neuen Baumeister, in seiner Sprache)

admin-no-player = Kein Spieler namens "{ $word }".
admin-not-yourself = Nicht dich selbst.
banned = { $name } ({ $id }) gesperrt.
unbanned = { $name } entsperrt.
builder-already = { $name } darf schon bauen.
builder-made = { $name } ist jetzt Baumeister.
builder-notice = Du darfst jetzt bauen: hilfe @dig.
unpin-none = { $name } hat keinen hinterlegten Schlüssel.
unpinned = Schlüssel von { $name } vergessen: Der nächste, den der Knoten benutzt, wird hinterlegt.
pwlocks-none-for = Für { $name } sind keine falschen Passwörter gezählt.
pwlocks-cleared = Falsche Passwörter von { $name } gelöscht.
pwlocks-none = Keine falschen Passwörter gezählt.
pwlocks-head = Falsche Passwörter ({ $n }):
pwlocks-more = und { $n } weitere
pwlocks-line = { $kind ->
    [account] Konto
   *[node] Knoten
} { $id }{ $name }: { $n } falsch, { $state }
pwlocks-locked = noch { $n } s gesperrt
pwlocks-unlocked = nicht gesperrt
shutdown = Fahre herunter; alles ist gespeichert.
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
# Kein Punkt am Ende: Die Liste endet mit einer Zeit wie "3 Min.", und die hat ihren.
who-list = Gerade da ({ $n }): { $list }
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
finger-seen = { $name }: { $ago } zuletzt gesehen.
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

## Befehle für Baumeister und Magier (@dig, @open, @lock, @tel, ...; ihre Zeilen für
## hilfe stehen am Ende der Datei) und was examine Besitzern zusätzlich zeigt

name-plain = Namen haben 1 bis { $max } einfache Zeichen.
build-name-reserved = "{ $word }" ist reserviert.
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
examine-head = { $thing } #{ $n } { $sort }, Besitzer: { $name }
examine-system = System
examine-room = Raum
examine-exit = Ausgang
examine-thing = Ding
examine-aka = auch { $list }
examine-to = nach #{ $n }
examine-in = in #{ $n }
examine-held = getragen von { $id }
examine-flags = Flags { $list }
examine-locked-owner = Schloss: Besitzer
examine-locked-to = Schloss: { $id }
examine-key = Schlüssel #{ $n }

## hilfe für die Befehle der Baumeister und Magier: Ein Fluent-Schlüssel kann kein
## `@` enthalten, darum heißen die von `@dig` usage-at-dig und help-at-dig

usage-at-ban = @ban NAME|!KNOTEN
help-at-ban = einen Knoten sperren: Er wird ganz und gar ignoriert
usage-at-unban = @unban NAME|!KNOTEN
help-at-unban = eine Sperre aufheben
usage-at-builder = @builder NAME
help-at-builder = einem Spieler Baurechte geben
usage-at-repin = @repin NAME|!KNOTEN
help-at-repin = den hinterlegten Schlüssel eines Knotens vergessen; der nächste, den er benutzt, wird hinterlegt
usage-at-pwlocks = @pwlocks [clear NAME|!KNOTEN]
help-at-pwlocks = nach falschen Passwörtern gesperrte Knoten und Konten; clear hebt eine Sperre auf
usage-at-shutdown = @shutdown
help-at-shutdown = den Daemon sauber beenden (alles ist gespeichert)
usage-at-wall = @wall TEXT
help-at-wall = TEXT in einem Paket auf dem Hauptkanal senden, an jeden Knoten in Reichweite
usage-at-board = @board create|desc|lock|urgent|remove NAME ...
help-at-board = Bretter verwalten: create NAME=TEXT, desc NAME=TEXT, lock NAME read|post STUFE, urgent NAME [off], remove NAME
usage-at-peers = @peers
help-at-peers = das BBS-Netz: jeder Partner, zuletzt gehört, wartend, gesendet, empfangen, abgelehnt
usage-at-doing = @doing TEXT (ohne TEXT: löschen)
help-at-doing = eine Zeile, die finger zeigt: was du gerade so machst
usage-at-teleport = @teleport [NAME=]#RAUM
help-at-teleport = dich selbst oder einen Spieler versetzen
usage-at-boot = @boot NAME
help-at-boot = einen Spieler nach Hause schicken und vergessen, bis er sich wieder meldet
usage-at-dig = @dig RAUM[=AUSGANG;ALIAS[,ZURÜCK;ALIAS]]
help-at-dig = einen Raum anlegen, samt Ausgängen hin und zurück
usage-at-open = @open AUSGANG;ALIAS=#RAUM
help-at-open = von hier aus einen Ausgang öffnen
usage-at-describe = @describe DING=TEXT
help-at-describe = die lange Beschreibung setzen
usage-at-sdesc = @sdesc DING=TEXT
help-at-sdesc = die Kurzbeschreibung setzen
usage-at-name = @name DING=NAME;ALIAS
help-at-name = etwas umbenennen
usage-at-create = @create DING;ALIAS
help-at-create = ein Ding erschaffen (du trägst es dann bei dir)
usage-at-destroy = @destroy DING
help-at-destroy = etwas zerstören, das dir gehört
usage-at-lock = @lock DING=me|owner|NAME|SCHLÜSSEL
help-at-lock = einen Ausgang oder ein Ding verschließen
usage-at-unlock = @unlock DING
help-at-unlock = ein Schloss entfernen
usage-at-link = @link AUSGANG=#RAUM | @link me=here
help-at-link = einen Ausgang umlenken oder dein Zuhause festlegen
usage-at-set = @set DING=[!]FLAG (dark fixed)
help-at-set = ein Flag setzen oder entfernen
usage-at-stats = @stats
help-at-stats = wie groß die Welt ist
usage-at-house = @house [claim [NAME]|describe TEXT|lock|unlock|invite N|revoke N]
help-at-house = ein Haus in dieser Straße beziehen und behalten
usage-at-reload = @reload
help-at-reload = die Inhaltsdateien neu einlesen (sind sie fehlerhaft, bleibt alles beim Alten)
