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
