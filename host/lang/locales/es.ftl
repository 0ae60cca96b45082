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
storage-unreachable = El BBS no puede acceder a su almacenamiento; inténtalo de nuevo en un rato.
impostor-refused = No ejecutado: este mensaje no viene del equipo con el que este nodo se presentó por primera vez.
needs-proof-impostor = { $command } rechazado: esto no parece tu equipo.
needs-proof = { $command } cambia tu cuenta: envíalo como DM con PKI, o pw CLAVE { $command } ...
too-long = Demasiado largo: { $len } bytes, el límite es { $max }.
ago = hace { $age }
ago-now = ahora mismo
age-now = ahora
welcome = ¡Hola, { $name }!
welcome-help = ¡Hola, { $name }! Envía ayuda para ver los comandos.

## Antes de que corra un comando: los rechazos del router (en el idioma que el
## roster recuerda para el nodo, si no el del BBS) y lo que dice la entrega.
## `meshmush chat` lee la espera de slow-down: { $n } sigue siendo un número.

command-too-long = Demasiado largo ({ $len } bytes): un comando no puede pasar de { $max } bytes.
still-working = Todavía estoy con tus últimos comandos; vuelve a enviarlo en un momento.
slow-down = Más despacio: demasiados comandos. Vuelve a intentarlo en { $n } s.
busy-strangers = Hay muchos jugadores nuevos a la vez. Vuelve a intentarlo en { $n } min.
more-none = No hay nada más.

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

## --- bbs ---
## Tablones: boards, next, post, reply, delete

boards-none = Aún no hay tablones.
boards-list = Tablones (sin leer/total): { $list }. leer TABLÓN
next-none = No hay mensajes sin leer.
post-only-level = En { $board } solo pueden publicar los { $level ->
    [builder] constructores
    [wizard] magos
   *[player] jugadores
}.
post-rate = Ya publicaste { $n } veces en esta hora; inténtalo más tarde.
post-newcomers = Los jugadores nuevos han publicado mucho en la última hora; inténtalo más tarde.
posted = Publicado en { $board } como #{ $num }.
posted-long = Publicado en { $board } como #{ $num } ({ $len } bytes).
replied = Respuesta publicada en { $board } como #{ $num }.
delete-not-yours = Solo su autor o un mago puede borrar eso.
post-deleted = Borrado el mensaje #{ $num } de { $board }.

## Escribir un mensaje o una carta larga (compose); $kind es post o mail

compose-post = Nuevo mensaje para { $board }. ¿Asunto? (cancel para salir)
compose-mail = Nueva carta para { $name }. ¿Asunto? (cancel para salir)
compose-expired = { $kind ->
    [mail] (Tu carta a medias caducó tras { $mins } minutos sin actividad.)
   *[post] (Tu mensaje a medias caducó tras { $mins } minutos sin actividad.)
}
compose-dropped = { $kind ->
    [mail] Carta descartada.
   *[post] Mensaje descartado.
}
compose-not-added = Estás escribiendo { $kind ->
    [mail] una carta
   *[post] un mensaje
}: "{ $word }" no se añadió. . lo envía, cancel lo descarta.
compose-subject = ¿Asunto? (cancel para salir)
compose-subject-set = Asunto: { $subject }. Ahora el texto, un mensaje por línea; un . suelto lo envía, hasta { $max } bytes.
compose-line-too-long = Esa línea tiene { $len } bytes; quedan { $n } de { $max }. Envía menos, o . para enviarlo.
compose-bytes-left = Quedan { $n } bytes.
compose-nothing = Aún no has escrito nada. Envía el texto, o cancel.
compose-kept = Tu borrador se guarda: . para reintentar, cancel para descartarlo.

## El canal: @wall y los mensajes nuevos en tablones urgentes (urgent-notice va a
## todos, en el idioma del BBS)

wall-too-long = Demasiado largo para un paquete: { $len } bytes con tu nombre, como mucho { $max }.
wall-wait = El BBS acaba de hablar en el canal; espera { $mins } min (un paquete cada { $gap } min).
wall-sent = Enviado al canal.
urgent-notice = URGENTE en { $board }: { $subject } - { $name }. Escríbeme: leer { $board } { $num }
urgent-announced = Anunciado en el canal.
urgent-not-announced = No anunciado: el BBS acaba de hablar en el canal (otra vez en { $mins } min).
usage-boards = boards
help-boards = los tablones, con lo que te queda por leer
usage-next = next
help-next = lee el mensaje más antiguo que no has leído
usage-post = post TABLÓN [TEXTO]
help-post = publica en un tablón; sin texto, escribe un mensaje largo línea a línea
usage-reply = reply TABLÓN N TEXTO
help-reply = responde al mensaje N
usage-delete = delete TABLÓN N
help-delete = borra tu mensaje (los magos, cualquiera)

## Edades en listas y frases (`ahora` es age-now, arriba)

age-minutes = { $n } min
age-hours = { $n } h
age-days = { $n } d
age-seconds = { $n } s

## ping, quit, seen

usage-ping = ping
help-ping = comprueba que el BBS escucha
usage-quit = quit
help-quit = termina tu sesión (todo queda guardado)
quit-bye = Adiós, { $name }. Todo queda guardado.
usage-seen = seen NOMBRE|!id
help-seen = cuándo oyó el BBS un nodo por última vez, sus saltos, SNR y ruta de DM
seen-nobody = No hay ningún nodo ni jugador llamado "{ $word }".
seen-node-only = { $node }: nunca escribió al BBS; el nodo del BBS lo oyó { $ago }.
seen-never = { $node }: nunca se ha oído.
seen-heard = { $node }: oído { $ago }, { $hops }{ $snr }. { $route }
seen-direct = directo
seen-hops = { $n ->
    [one] 1 salto
   *[other] { $n } saltos
}
seen-hops-unknown = saltos desconocidos
seen-route-direct = DM: directo, sin ruta.
seen-route-acked = Ruta de DM: probable, confirmada { $ago }.
seen-route-failed = Ruta de DM: ninguna, los DM fallaron; van por inundación.
seen-route-unknown = Ruta de DM: desconocida; los DM van por inundación.

## Cuenta: whoami, name, password, pw, repin

usage-whoami = whoami
help-whoami = tu nombre, tu nodo y tus permisos
whoami = { $name } ({ $id }), { $level }, { $sender ->
    [proven] remitente verificado
    [impostor] remitente sin verificar (no es el equipo con que se vio este nodo la primera vez)
   *[unproven] remitente sin verificar
}
usage-name = name NOMBRENUEVO
help-name = cambia tu nombre (si tienes contraseña, dala primero)
name-rules = Los nombres tienen como mucho { $max } caracteres normales.
name-reserved = "{ $name }" está reservado; elige otro nombre.
name-set = Ahora eres { $name }.
name-taken = { $name } ya está en uso.
usage-password = password NUEVA | password VIEJA NUEVA | password CLAVE
help-password = crea o cambia tu contraseña, o desbloquea tus permisos
password-set = Contraseña guardada. Se usa así: pw CLAVE COMANDO, p. ej. pw CLAVE name NOMBRENUEVO
password-changed = Contraseña cambiada.
password-one-command = Una contraseña desbloquea un comando cada vez: pw CLAVE COMANDO, p. ej. pw CLAVE name NOMBRENUEVO
password-short = Usa al menos { $n } caracteres.
password-failed = No se pudo guardar la contraseña: { $error }
usage-pw = pw CLAVE COMANDO
help-pw = ejecuta un comando con tu contraseña como prueba (para DM sin PKI)
pw-none = Aún no tienes contraseña: password NUEVA crea una.
pw-wrong = Contraseña incorrecta.
pw-locked = Demasiadas contraseñas incorrectas: vuelve a intentarlo en { $n } s.
usage-repin = pw CLAVE repin
help-repin = desde un equipo con clave nueva (reflasheado): que tu nodo se conozca por ella
repin-no-key = repin fija la clave que trae un DM con PKI, y este mensaje no trae ninguna: envía pw CLAVE repin como DM desde el equipo nuevo.
repin-already = La clave de este equipo ya es la fijada: no hay nada que cambiar.
repin-needs-password = repin necesita tu contraseña: envía pw CLAVE repin desde el equipo nuevo.
repin-done = Hecho: tu nodo se conoce ahora por la clave de este equipo.

## Acuses de lectura (receipt-notice va al remitente de la carta, en su idioma)

usage-receipts = receipts on|off
help-receipts = acuses de lectura del correo en la red de BBS: sabrás cuándo se lee el tuyo, y su remitente cuándo lees el suyo
receipts-are = Los acuses de lectura están { $state ->
    [on] activados
   *[off] desactivados
}.
receipts-on = Acuses activados: sabrás cuándo se leen tus cartas, y los remitentes cuándo lees las suyas.
receipts-off = Acuses desactivados: nadie sabrá cuándo lees sus cartas, ni tú cuándo leen las tuyas.
receipt-notice = { $name } leyó tu carta '{ $subject }' (en { $bbs })

## stats, search

usage-stats = stats
help-stats = jugadores, mensajes, correo sin leer, nodos oídos, tiempo de aire, tiempo en marcha
stats = { $players ->
    [one] 1 jugador
   *[other] { $players } jugadores
}, { $posts ->
    [one] 1 mensaje
   *[other] { $posts } mensajes
}, { $unread ->
    [one] 1 carta sin leer
   *[other] { $unread } cartas sin leer
}, { $heard } nodos oídos en 24 h. Tiempo de aire: { $airtime } esta hora. En marcha desde hace { $up }.
stats-airtime = { $n } s
stats-airtime-of = { $n } s de { $max } s
usage-search = search PALABRAS
help-search = mensajes con todas estas palabras en el asunto o el texto, los más nuevos primero
search-what = ¿Buscar qué? search PALABRAS
search-none = No hay mensajes con { $word }.
search-none-capped = No hay mensajes con { $word } entre los { $n } más nuevos.
search-found = { $word }:
search-found-capped = { $word } entre los { $n } más nuevos:
search-foot = leer TABLÓN N

## Magos: @peers, @board

peers-none = No hay BBS vecinos configurados ([federation] peers).
peers-head = Vecinos (oído, en cola/enviados/recibidos/rechazados):
peers-never = nunca
board-levels = Los niveles son player, builder o wizard.
board-name-rules = Los nombres de tablón tienen de 1 a 16 letras, cifras o guiones.
board-lock-what = Se bloquea read o post.
board-exists = Ya hay un tablón { $board }.
board-created = Tablón { $board } creado.
board-described = Descripción de { $board } actualizada.
board-locked = { $board }: { $what ->
    [read] leer
   *[post] publicar
} queda solo para { $level ->
    [builder] constructores
    [wizard] magos
   *[player] jugadores
}.
board-urgent-on = { $board } es urgente: cada mensaje nuevo se anuncia en el canal (como mucho un aviso cada { $gap } min).
board-urgent-off = { $board } ya no es urgente.
board-removed = Tablón { $board } quitado con { $n ->
    [one] 1 mensaje
   *[other] { $n } mensajes
}.

## Sin preguntar: la baliza (a todos, en el idioma del BBS), la respuesta a la
## palabra de búsqueda, el saludo a un nodo recién oído y el correo que espera

beacon = { $bbs }: BBS y mundo de texto. Envíame ayuda por DM para empezar.
beacon-keyword = { $bbs }: BBS y mundo de texto. Envíame ayuda por DM para empezar, o { $word } aquí en el canal.
discovery-answer = { $bbs } es un BBS y un mundo de texto. Envíame ayuda por DM para empezar, o mirar para echar un vistazo.
welcome-node = Hola desde { $bbs }, un BBS y mundo de texto en esta red mesh. Envíame ayuda por DM para empezar.
mail-waiting = { $n ->
    [one] Tienes 1 carta en { $bbs }. Envía correo para leerla.
   *[other] Tienes { $n } cartas en { $bbs }. Envía correo para leerlas.
}

## Magos: @ban, @unban, @builder, @repin, @pwlocks, @shutdown (builder-notice va al
## nuevo constructor, en su idioma)

admin-no-player = No hay ningún jugador llamado "{ $word }".
admin-not-yourself = A ti mismo no.
banned = { $name } ({ $id }) vetado.
unbanned = Veto a { $name } levantado.
builder-already = { $name } ya puede construir.
builder-made = { $name } es constructor.
builder-notice = Ya puedes construir: ayuda @dig.
unpin-none = { $name } no tiene clave fijada.
unpinned = Clave de { $name } olvidada: se fijará la próxima que use.
pwlocks-none-for = { $name } no tiene contraseñas incorrectas contadas.
pwlocks-cleared = Borradas las contraseñas incorrectas de { $name }.
pwlocks-none = No hay contraseñas incorrectas contadas.
pwlocks-head = Contraseñas incorrectas ({ $n }):
pwlocks-more = y { $n } más
pwlocks-line = { $kind ->
    [account] cuenta
   *[node] nodo
} { $id }{ $name }: { $n } fallos, { $state }
pwlocks-locked = bloqueado { $n } s
pwlocks-unlocked = sin bloquear
shutdown = Apagando; todo queda guardado.
## --- world ---
## Los avisos de la sala (llegadas, say, susurros, mensajes, regalos) los lee cada uno
## en su idioma. `$text` es lo que escribió un jugador, tal cual.

## go, exits, home, y lo que un paso deja en la sala

usage-go = go SALIDA (o solo la salida: n, out)
help-go = irse por una salida
usage-exits = exits
help-exits = adónde puedes ir desde aquí
usage-home = home
help-home = volver a tu sala de origen
go-where = ¿Adónde? Prueba exits.
no-exit = Aquí no hay ninguna salida "{ $word }". Prueba exits.
cant-go = Por ahí no se puede ir.
exit-locked = El paso por { $exit } está cerrado.
leads-nowhere-now = Ese camino ya no lleva a ninguna parte.
home-already = Ya estás en casa.
exits-none = No hay salidas. Prueba home.
exits-to = { $exit } a { $room }
exits-to-nowhere = { $exit } a ninguna parte
room-leaves = { $name } se va por { $exit }.
room-arrives = { $name } llega.
room-goes-home = { $name } se va a casa.
room-vanishes = { $name } desaparece.
room-moved-away = Se llevan a { $name } de aquí.

## say, pose, semipose, whisper, page, who, where

usage-say = say TEXTO (o "TEXTO)
help-say = hablar a todos los de la sala
say-what = ¿Qué quieres decir?
say-you = Dices: «{ $text }»
say-room = { $name } dice: «{ $text }»
usage-pose = pose ACCIÓN (o :ACCIÓN)
help-pose = actuar: `:saluda` muestra `Alicia saluda`
pose-what = ¿Qué haces? :saluda
usage-semipose = semipose ACCIÓN (o ;ACCIÓN)
help-semipose = pose sin espacio: `;, sonriente, saluda` muestra `Alicia, sonriente, saluda`
semipose-what = ¿Qué haces? ;, sonriente, saluda
usage-whisper = whisper JUGADOR=TEXTO
help-whisper = solo lo oye alguien de tu sala; la sala ve que susurraste
not-here = { $name } no está aquí.
no-player = No hay ningún jugador "{ $word }".
whisper-self = Hablas contigo en voz baja.
whisper-you = Le susurras a { $name }: { $text }
whisper-heard = { $name } te susurra: { $text }
whisper-seen = { $name } le susurra algo a { $to }.
usage-page = page JUGADOR TEXTO
help-page = un mensaje privado a un jugador, esté donde esté (ver dnd)
page-you = Mensaje para { $name }: { $text }
page-heard = Mensaje de { $name }: { $text }
usage-who = who
help-who = quién anda por aquí, y cuánto lleva inactivo
who-list = { $n } por aquí: { $list }.
usage-where = where
help-where = en qué sala está cada uno de los presentes
where-in = { $name } en { $room }
where-somewhere = algún sitio

## inventory, money, get, drop, give

usage-inventory = inventory
help-inventory = lo que llevas, y tus monedas
inventory = Llevas: { $list }. Monedas: { $n }.
inventory-empty = No llevas nada. Monedas: { $n }.
usage-money = money
help-money = cuántas monedas tienes
money = { $n ->
    [one] Tienes 1 moneda.
   *[other] Tienes { $n } monedas.
}
usage-get = get COSA
help-get = recoger algo
get-what = ¿Qué quieres recoger?
get-cannot = No puedes recoger { $thing }.
get-fixed = { $thing } no se mueve.
get-taken = Recoges { $thing }.
usage-drop = drop COSA
help-drop = dejar algo aquí
drop-what = ¿Qué quieres dejar?
carry-no = No llevas nada llamado "{ $word }".
drop-dropped = Dejas { $thing }.
usage-give = give JUGADOR COSA | give JUGADOR N coins
help-give = dar una cosa o monedas a alguien de la sala
give-not-coins = "{ $word }" no es un número de monedas.
give-no-coins = Da al menos una moneda.
give-self = Ya lo tienes.
give-coins = { $n ->
    [one] Le das 1 moneda a { $name }.
   *[other] Le das { $n } monedas a { $name }.
}
give-thing = Le das { $thing } a { $name }.
given-coins = { $n ->
    [one] { $name } te da 1 moneda.
   *[other] { $name } te da { $n } monedas.
}
given-thing = { $name } te da { $thing }.

## dnd, nospoof, @doing, finger

usage-dnd = dnd on [MENSAJE DE AUSENCIA] | dnd off
help-dnd = no molestar: los mensajes esperan a tu próximo comando y quien te escribe recibe tu aviso
dnd-is-on = No molestar está activado.
dnd-is-on-away = No molestar está activado: { $text }
dnd-is-off = No molestar está desactivado.
dnd-on = No molestar activado: los mensajes te esperan. dnd off lo quita.
dnd-off = No molestar desactivado.
dnd-away = { $name } no quiere que le molesten; tu mensaje le espera.
dnd-away-message = { $name } no quiere que le molesten: { $text } (tu mensaje le espera)
usage-nospoof = nospoof on|off
help-nospoof = lo que pasa en la sala muestra quién lo causó: `[Alicia] Alicia saluda`
nospoof-is-on = nospoof está activado.
nospoof-is-off = nospoof está desactivado.
nospoof-on = nospoof activado: verás quién causa lo que pasa en la sala.
nospoof-off = nospoof desactivado.
doing = Haciendo: { $text }
doing-cleared = @doing borrado.
usage-finger = finger JUGADOR
help-finger = cuándo se vio por última vez a un jugador, sus títulos, logros y @doing
finger-about = { $name }: por aquí ahora.
finger-seen = { $name }: visto por última vez { $ago }.
finger-titles = Títulos: { $list }.
finger-achievements = Logros { $n }/{ $total }.

## talk (PNJ), quests, achievements, tiendas, use, @house

usage-talk = talk PNJ, y luego el número de una respuesta (talk solo: la conversación abierta)
help-talk = hablar con alguien del pueblo; se responde con un número
talk-none = Aquí no hay nadie llamado "{ $word }" con quien hablar.
talk-nothing = { $name } no tiene nada que decir.
talk-no-one = No estás hablando con nadie. Prueba talk NOMBRE.
talk-over = Esa conversación ya terminó. Prueba talk NOMBRE.
talk-gone = { $name } no está aquí. Prueba talk NOMBRE.
talk-someone = Esa persona
talk-whom = ¿Con quién? Aquí están: { $list }.
talk-answer = Responde con un número del 1 al { $n }.
talk-goodbye = { $name } se despide con un gesto.
need-coins = { $n ->
    [one] Necesitas 1 moneda.
   *[other] Necesitas { $n } monedas.
}
need-thing = Necesitas { $thing }.
quest-started = Misión nueva: { $quest }. Escribe quests.
quest-done = ¡Misión cumplida: { $quest }!
quest-done-reward = ¡Misión cumplida: { $quest }! Recibes { $list }.
reward-coins = { $n ->
    [one] 1 moneda
   *[other] { $n } monedas
}
reward-title = el título { $title }
quest-pay = { $n ->
    [one] ({ $quest }: necesitas 1 moneda.)
   *[other] ({ $quest }: necesitas { $n } monedas.)
}
achievement = * Logro: ¡{ $title }! { $text }
usage-quests = quests
help-quests = tus misiones y el siguiente paso de cada una
quests-none = Aún no tienes misiones. Habla con la gente del pueblo: talk NOMBRE.
quests-done = Cumplidas: { $list }.
usage-achievements = achievements
help-achievements = lo que has logrado
achievements-none = Aún no tienes logros (0/{ $total }).
achievements-list = Logros ({ $n }/{ $total }): { $list }.
usage-list = list
help-list = lo que vende la tienda de aquí, y a qué precio
usage-buy = buy ARTÍCULO
help-buy = comprar en la tienda de aquí
usage-sell = sell ARTÍCULO
help-sell = vender a la tienda de aquí algo que llevas
shop-none = Aquí no hay ninguna tienda.
shop-ware = { $thing } { $price }c (quedan { $left })
shop-ware-buys = { $thing } { $price }c (quedan { $left }, compra por { $n })
shop-list = { $shop }: { $list }. buy ARTÍCULO, sell ARTÍCULO.
buy-what = ¿Qué quieres comprar? Prueba list.
shop-has-no = { $shop } no tiene "{ $word }". Prueba list.
shop-costs = { $thing } cuesta { $price } monedas; tienes { $n }.
shop-bought = Compras { $thing } por { $price } monedas. Te quedan { $left }.
sell-what = ¿Qué quieres vender?
shop-not-buying = { $shop } no compra { $thing }.
shop-sold = { $n ->
    [one] Vendes { $thing } por 1 moneda. Ahora tienes { $left }.
   *[other] Vendes { $thing } por { $n } monedas. Ahora tienes { $left }.
}
usage-use = use COSA
help-use = usar algo que llevas o que ves
use-what = ¿Qué quieres usar?
use-nothing = Usas { $thing }, pero no pasa nada.
house-described = Descripción guardada.
house-locked = Cerrada con llave: solo pueden entrar tú y tus invitados.
house-unlocked = Abierta.
house-who = ¿A quién?
house-none = En esta calle no hay casas.
house-yours = tuya
house-taken = ocupada
house-list = Casas: { $list }. @house claim NOMBRE
house-which = ¿Qué casa? Prueba @house.
house-claimed = { $room } es tuya por { $price } monedas. Se entra por { $exit }; @house describe, lock, invite.
house-not-yours = Esta no es tu casa.
house-stand-in = Para eso tienes que estar en tu casa.
house-no-door = Tu puerta ha desaparecido.
house-guest = { $name } puede entrar.
house-not-guest = { $name } ya no puede entrar.

## Lo que el almacén rechaza en el mundo (un paso, un trato, una casa)

refused-no-object = No existe el objeto #{ $n }.
refused-not-a-room = #{ $n } no es una sala.
refused-coins = No tienes monedas suficientes.
refused-moved = Eso ya no está ahí.
refused-not-empty = En esa sala todavía hay cosas o salidas.
refused-start-room = La sala de inicio no se puede destruir.
refused-no-world = El mundo aún no tiene salas.
refused-not-held = Eso ya no es tuyo, no puedes darlo.
refused-sold-out = Agotado.
refused-till-empty = La caja está vacía.
refused-house-taken = Esa casa ya tiene dueño.
refused-house-cap = Ya tienes todas las casas que puedes tener.

## Comandos de constructores y magos (@dig, @open, @lock, @tel...; su ayuda está al
## final del archivo) y lo que examine muestra de más a los dueños

name-plain = Los nombres tienen de 1 a { $max } caracteres simples.
build-name-reserved = "{ $word }" está reservado.
build-room-id = Indica la sala como #N.
build-room-id-here = Indica la sala como #N o here.
build-not-yours = { $thing } no te pertenece.
build-dug = Has excavado la sala { $room } #{ $n }.
build-dug-to = Has abierto la salida { $exit } #{ $n }.
build-dug-back = Vuelta: { $exit } #{ $n }.
build-opened = Has abierto la salida { $exit } #{ $n } hacia #{ $num }.
build-described = Descripción de { $thing } guardada.
build-short = Descripción corta de { $thing } guardada.
build-renamed = { $word } ahora se llama { $thing }.
build-created = Has creado { $thing } #{ $n }. Lo llevas contigo.
build-step-out = Sal primero de la sala.
build-destroyed = Has destruido { $thing } #{ $n }.
build-key-thing = Una llave tiene que ser una cosa.
build-locked-owner = Cierre puesto en { $thing }: solo para su dueño.
build-locked-you = Cierre puesto en { $thing }: solo para ti.
build-locked-player = Cierre puesto en { $thing }: solo para { $name }.
build-locked-key = Cierre puesto en { $thing }: solo para quien lleve { $word }.
build-unlocked = Has quitado el cierre de { $thing }.
build-home = Tu casa es ahora #{ $n }.
build-exits-only = Solo las salidas llevan a salas.
build-linked = { $thing } lleva ahora a #{ $n }.
build-flags = Marcas: { $list }.
build-flag-set = { $thing }: { $word } puesta.
build-flag-cleared = { $thing }: { $word } quitada.
build-stats = { $n } objetos, { $count } jugadores, { $total } por aquí.
teleported = Has teletransportado a { $name } a #{ $n }.
teleported-you = { $name } te teletransporta a #{ $n }. Prueba mirar.
booted = Has expulsado a { $name }.
booted-you = Un mago te ha mandado a casa.
reloaded = Recargado: { $n } PNJ, { $count } misiones, { $num } tiendas, { $total } disparadores.
reload-refused = Recarga rechazada, no ha cambiado nada: { $error }
reload-refused-more = Recarga rechazada, no ha cambiado nada: { $error } (+{ $more } más)
usage-examine = examine [COSA]
help-examine = mirar de cerca; los dueños ven ids, marcas y cierres
examine-head = { $thing } #{ $n } { $sort }, dueño: { $name }
examine-system = sistema
examine-room = sala
examine-exit = salida
examine-thing = cosa
examine-aka = alias { $list }
examine-to = lleva a #{ $n }
examine-in = en #{ $n }
examine-held = en manos de { $id }
examine-flags = marcas { $list }
examine-locked-owner = cierre: su dueño
examine-locked-to = cierre: { $id }
examine-key = llave #{ $n }

## La ayuda de los comandos de constructores y magos: una clave de Fluent no admite
## `@`, así que las de `@dig` son usage-at-dig y help-at-dig

usage-at-ban = @ban JUGADOR|!NODO
help-at-ban = vetar un nodo: se le ignora por completo
usage-at-unban = @unban JUGADOR|!NODO
help-at-unban = levantar un veto
usage-at-builder = @builder JUGADOR
help-at-builder = dar a un jugador permiso para construir
usage-at-repin = @repin JUGADOR|!NODO
help-at-repin = olvidar la clave de un nodo; se fija la próxima que use
usage-at-pwlocks = @pwlocks [clear JUGADOR|!NODO]
help-at-pwlocks = nodos y cuentas bloqueados por contraseñas erróneas; clear desbloquea uno
usage-at-shutdown = @shutdown
help-at-shutdown = parar el daemon de forma limpia (todo queda guardado)
usage-at-wall = @wall TEXTO
help-at-wall = decir TEXTO en un solo paquete por el canal principal, a todos los nodos al alcance
usage-at-board = @board create|desc|lock|urgent|remove NOMBRE ...
help-at-board = gestionar tablones: create NOMBRE=DESC, desc NOMBRE=DESC, lock NOMBRE read|post NIVEL, urgent NOMBRE [off], remove NOMBRE
usage-at-peers = @peers
help-at-peers = la red de BBS: cada vecino, cuándo se oyó, en cola, enviados, recibidos, rechazados
usage-at-doing = @doing TEXTO (sin TEXTO: lo borra)
help-at-doing = una línea que muestra finger: en qué andas
usage-at-teleport = @teleport [JUGADOR=]#SALA
help-at-teleport = llevarte a ti o a un jugador a otra sala
usage-at-boot = @boot JUGADOR
help-at-boot = mandar a un jugador a casa y olvidarlo hasta que vuelva a hablar
usage-at-dig = @dig SALA[=SALIDA;ALIAS[,VUELTA;ALIAS]]
help-at-dig = crear una sala, con salidas de ida y vuelta
usage-at-open = @open SALIDA;ALIAS=#SALA
help-at-open = abrir una salida desde aquí
usage-at-describe = @describe COSA=TEXTO
help-at-describe = poner la descripción larga
usage-at-sdesc = @sdesc COSA=TEXTO
help-at-sdesc = poner la descripción corta
usage-at-name = @name COSA=NOMBRE;ALIAS
help-at-name = cambiarle el nombre a algo
usage-at-create = @create COSA;ALIAS
help-at-create = crear una cosa (la llevas contigo)
usage-at-destroy = @destroy COSA
help-at-destroy = destruir algo que es tuyo
usage-at-lock = @lock COSA=me|owner|JUGADOR|LLAVE
help-at-lock = cerrar una salida o una cosa
usage-at-unlock = @unlock COSA
help-at-unlock = quitar un cierre
usage-at-link = @link SALIDA=#SALA | @link me=here
help-at-link = dirigir una salida a otra sala, o fijar tu casa
usage-at-set = @set COSA=[!]MARCA (dark fixed)
help-at-set = poner o quitar una marca
usage-at-stats = @stats
help-at-stats = cuánto mide el mundo
usage-at-house = @house [claim [NOMBRE]|describe TEXTO|lock|unlock|invite J|revoke J]
help-at-house = quedarte con una casa de esta calle
usage-at-reload = @reload
help-at-reload = volver a leer los archivos de contenido (si tienen errores, no cambia nada)
