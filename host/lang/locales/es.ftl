# meshmush en español. Breve: cada byte cuesta tiempo de aire. Las palabras de
# comando (boards, post, mail...) se quedan como están; los alias de abajo se suman.

## Alias: valen para todos y no pueden chocar con nada

alias-help = ayuda
alias-look = mirar
alias-read = leer
alias-mail = correo
alias-lang = idioma

## El despachador y los rechazos

say-something = Escribe algo: prueba ayuda.
unknown-command = No conozco "{ $word }". Prueba ayuda.
unknown-command-close = No conozco "{ $word }". ¿Querías decir { $close }? Si no, ayuda.
ambiguous = ¿{ $word }? ¿Querías decir: { $names }?
needs-rights = { $command } requiere permisos de { $level } y no los tienes.
needs-rights-proof = { $command } requiere permisos de { $level }: solo valen en un DM con PKI o con `pw CLAVE COMANDO`.
level-player = jugador
level-builder = constructor
level-wizard = mago
usage = Uso: { $usage }
storage-full = Almacenamiento lleno: el BBS no puede guardar nada ahora, pero leer sí funciona.
storage-trouble = Problema de almacenamiento, inténtalo de nuevo: { $error }
needs-proof-impostor = { $command } rechazado: esto no parece tu equipo.
needs-proof = { $command } cambia tu cuenta: envíalo como DM con PKI, o pw CLAVE { $command } ...
too-long = Demasiado largo: { $len } bytes, el límite es { $max }.
ago = hace { $age }
ago-now = ahora mismo
age-now = ahora
welcome = ¡Hola, { $name }!
welcome-help = ¡Hola, { $name }! Envía ayuda para ver los comandos.

## ayuda

help-short = BBS: boards leer post next correo. Mundo: mirar n s e w say who i. ayuda COMANDO explica uno; ayuda all, todos. Idioma: lang { $codes }
help-all = { $commands }. ayuda COMANDO explica uno.
help-one = { $usage }: { $help }
help-none = No hay ningún comando "{ $topic }". Prueba ayuda.
usage-help = ayuda [all|COMANDO]
help-help = los comandos principales, todos, o cómo se usa uno

## idioma

usage-lang = idioma [CÓDIGO]
help-lang = el idioma en que te respondo; sin CÓDIGO, los que hay
lang-list = Idiomas: { $list }. El tuyo: { $code }. idioma CÓDIGO elige uno.
lang-set = Desde ahora te respondo en español.
lang-unknown = Aquí no hay idioma "{ $code }". Hay: { $codes }.

## mirar, y la sala tal como la muestra cada paso

usage-look = mirar [COSA]
help-look = describe la sala, una cosa o una salida
look-me = Eres { $name }.
look-person = { $name } está aquí.
look-nothing-special = No ves nada especial en { $thing }.
exit-leads-to = { $exit } lleva a { $room }.
exit-leads-nowhere = { $exit } no lleva a ninguna parte.
see-no = Aquí no hay nada llamado "{ $word }".
world-empty = El mundo está vacío.
room-exits = Salidas: { $list }.
room-things = Ves: { $list }.
room-npcs = PNJ: { $list }. (talk NOMBRE)
room-npcs-more = PNJ: { $list } y { $more } más. (talk NOMBRE)
room-here = Aquí: { $list }.
room-here-more = Aquí: { $list } y { $more } más ({ $total } en total).

## leer (tablones)

usage-read = leer TABLÓN [N]
help-read = el mensaje más nuevo de un tablón y la lista de los demás, o el mensaje N
read-usage = Uso: leer TABLÓN [N]. boards los muestra.
board-none = No hay tablón "{ $word }". Tablones: { $boards }.
not-post-number = "{ $word }" no es un número de mensaje.
post-none = No hay mensaje #{ $num } en { $board }.
board-empty = { $board }: aún no hay mensajes. post { $board } TEXTO
board-list-foot = leer { $board } N

## correo

usage-mail = correo | correo N | correo NOMBRE [TEXTO] | correo delete N | correo clear
help-mail = tu correo: la carta sin leer más antigua y una lista; leer N; enviar (sin texto: escribir una larga); delete N; clear borra las leídas
mail-none = No tienes correo. correo NOMBRE TEXTO envía una carta.
mail-list = Correo (* sin leer):
mail-list-foot = correo N lee una
mail-heading = Carta #{ $n } { $from } { $age }:
not-mail-number = "{ $word }" no es un número de carta.
mail-no-such = No hay carta { $n }. correo muestra las tuyas.
mail-deleted = Borrada la carta { $n } de { $from }.
mail-cleared = { $n ->
    [one] Borrada 1 carta leída.
   *[other] Borradas { $n } cartas leídas.
}
mail-sent = Carta enviada a { $name }.
mail-waits = La carta para { $name } espera hasta que ese nodo se vuelva a oír.
mail-told-now = Carta para { $name } guardada; ese nodo se oyó { $ago } y ya se le avisa.
mail-you-have = Tienes correo en { $bbs } de { $name }. Envía correo para leerlo.
mail-notice = Carta nueva de { $name }.
mail-read-hint = Envía correo para leerla.
mail-new-count = { $n ->
    [one] 1 carta nueva de { $from }.
   *[other] { $n } cartas nuevas de { $from }.
}
mail-names-many = { $name } corresponde a { $count } nodos: { $ids }. Escribe a uno por su id.
mail-no-recipient = No hay jugador ni nodo { $name }.
mail-no-player-close = No hay jugador { $name }. ¿Querías decir { $close }?
mailbox-full = El buzón de { $name } está lleno; inténtalo más tarde.
mail-unheard-sender = Hoy ya dejaste { $n } cartas para nodos que nunca usaron el BBS, el límite del día. Vuelve a intentarlo mañana.
mail-unheard-total = Ya esperan demasiadas cartas para nodos que nunca usaron el BBS; inténtalo más tarde.
mail-newcomers = Los jugadores nuevos han enviado mucho correo en la última hora; inténtalo más tarde.
