# meshmush's English catalogue: every text a player reads, and the fallback for any
# key another language lacks. Every byte is airtime: keep messages short.
#
# Conventions (see ARCHITECTURE.md, "Languages"):
# - `help-CMD` and `usage-CMD` are a command's `help CMD` line; `alias-CMD` lists
#   words that run CMD too (one language's aliases work for everyone, so none may
#   collide with a command or another alias in any language).
# - A message that may take more packets than English marks it: `.longer = allowed`.
# - Variables: the budget test gives each its longest value (host/lang/src/budget.rs).

## The dispatcher and every command's refusals

say-something = Say something: try help.
unknown-command = Unknown command "{ $word }". Try help.
unknown-command-close = Unknown command "{ $word }". Did you mean { $close }? Or help.
ambiguous = { $word }? Did you mean: { $names }
needs-rights = { $command } needs { $level } rights: you do not have those rights.
needs-rights-proof = { $command } needs { $level } rights: powers count only on a PKI-encrypted DM or with `pw PASS COMMAND`.
level-player = player
level-builder = builder
level-wizard = wizard
usage = Usage: { $usage }
storage-full = Storage full: the BBS cannot save anything right now; reading still works.
storage-trouble = storage trouble, try again: { $error }
storage-unreachable = The BBS cannot reach its storage; try again soon.
impostor-refused = Not run: this message did not come from the handset this node was first seen as.
needs-proof-impostor = { $command } refused: this does not look like your handset.
needs-proof = { $command } changes your account: send it as a PKI DM, or pw PASS { $command } ...
too-long = Too long: { $len } bytes, the limit is { $max }.
ago = { $age } ago
ago-now = just now
age-now = now
welcome = Welcome, { $name }!
welcome-help = Welcome, { $name }! Send help for commands.

## Before a command runs: the router's refusals (in the language the roster
## remembers for the node, else the BBS's) and the delivery's own words.
## `meshmush chat` reads the wait back from slow-down in any language: keep
## { $n } a plain number there.

command-too-long = That is too long ({ $len } bytes); keep commands under { $max }.
still-working = Still working on your last commands; send that again in a moment.
slow-down = Slow down: too many commands. Try again in { $n } s.
busy-strangers = Busy: many new players at once. Try again in { $n } min.
more-none = Nothing more to show.

## help

help-short = BBS: boards read post next mail. World: look n s e w say who i. help CMD explains one; help all lists all; lang { $codes }
help-all = { $commands }. help CMD explains one.
help-one = { $usage }: { $help }
help-none = No command "{ $topic }". Try help.
usage-help = help [all|CMD]
help-help = the main commands; all of them; or how to use one

## lang

usage-lang = lang [CODE]
help-lang = the language I answer you in; alone, the ones offered
lang-list = Languages: { $list }. Yours: { $code }. lang CODE picks one.
lang-set = I answer you in English now.
lang-unknown = No language "{ $code }" here. Offered: { $codes }.

## look, and the room as every move shows it

usage-look = look [thing]
help-look = describe the room, or a thing or exit
look-me = You are { $name }.
look-person = { $name } is here.
look-nothing-special = You see nothing special about { $thing }.
exit-leads-to = { $exit } leads to { $room }.
exit-leads-nowhere = { $exit } leads nowhere.
see-no = You see no "{ $word }" here.
world-empty = The world is empty.
room-exits = Exits: { $list }.
room-things = You see: { $list }.
room-npcs = NPCs: { $list }. (talk NAME)
room-npcs-more = NPCs: { $list } and { $more } more. (talk NAME)
room-here = Here: { $list }.
room-here-more = Here: { $list } and { $more } more ({ $total } in all).

## read (boards)

usage-read = read BOARD [N]
help-read = a board's newest post and a list of the others, or post N
read-usage = Usage: read BOARD [N]. boards lists them.
board-none = No board "{ $word }". Boards: { $boards }.
not-post-number = "{ $word }" is not a post number.
post-none = No post #{ $num } on { $board }.
board-empty = { $board }: no posts yet. post { $board } TEXT
board-list-foot = read { $board } N

## mail

usage-mail = mail | mail N | mail PLAYER [TEXT] | mail delete N | mail clear
help-mail = your mail: the oldest unread and a list; read N; send (no text: write a long one); delete N; clear the read ones
mail-none = No mail. mail PLAYER TEXT sends one.
mail-list = Mail (* unread):
mail-list-foot = mail N reads one
mail-heading = Mail #{ $n } { $from } { $age }:
not-mail-number = "{ $word }" is not a mail number.
mail-no-such = No mail { $n }. mail lists yours.
mail-deleted = Deleted mail { $n } from { $from }.
mail-cleared = Deleted { $n } read mail.
mail-sent = Mail sent to { $name }.
mail-waits = Mail for { $name } waits until that node is next heard.
mail-told-now = Mail for { $name } left; that node was heard { $ago } and is told now.
mail-you-have = You have mail at { $bbs } from { $name }. Send mail to read it.
mail-notice = New mail from { $name }.
mail-read-hint = Send mail to read it.
mail-new-count = { $n } new mail from { $from }.
mail-names-many = { $name } names { $count } nodes: { $ids }. Mail one by its id.
mail-no-recipient = No player or node { $name }.
mail-no-player-close = No player { $name }. Did you mean { $close }?
mailbox-full = { $name }'s mailbox is full; try later.
mail-unheard-sender = You have left { $n } mails today for nodes that never used the BBS, the day's limit. Try again tomorrow.
mail-unheard-total = Too much mail already waits for nodes that never used the BBS; try later.
mail-newcomers = New players have sent a lot of mail this hour; try later.

## --- bbs ---
## Boards: boards, next, post, reply, delete

boards-none = No boards yet.
boards-list = Boards (unread/total): { $list }. read BOARD
next-none = No unread posts.
post-only-level = Only { $level }s may post to { $board }.
post-rate = You have posted { $n } times this hour; try later.
post-newcomers = New players have posted a lot this hour; try later.
posted = Posted to { $board } as #{ $num }.
posted-long = Posted to { $board } as #{ $num } ({ $len } bytes).
replied = Replied on { $board } as #{ $num }.
delete-not-yours = Only its author or a wizard may delete that.
post-deleted = Deleted { $board } #{ $num }.

## Writing a long post or mail (compose); $kind is post or mail

compose-post = Writing a post to { $board }. Subject? (cancel stops)
compose-mail = Writing mail to { $name }. Subject? (cancel stops)
compose-expired = (Your unfinished { $kind } expired after { $mins } idle minutes.)
compose-dropped = Your { $kind } is dropped.
compose-not-added = You are writing a { $kind }: "{ $word }" was not added. . sends it, cancel drops it.
compose-subject = Subject? (cancel stops)
compose-subject-set = Subject: { $subject }. Now the text, one message per line; . alone sends it, up to { $max } bytes.
compose-line-too-long = That line is { $len } bytes; { $n } are left of { $max }. Send less, or . to send it.
compose-bytes-left = { $n } bytes left.
compose-nothing = Nothing written yet. Send the text, or cancel.
compose-kept = Your draft is kept: . to retry, cancel to drop.

## The channel: @wall, and a new post on an urgent board (urgent-notice is a
## broadcast, in the BBS's language)

wall-too-long = Too long for one packet: { $len } bytes with your name, at most { $max }.
wall-wait = The BBS spoke on the channel lately; wait { $mins } min (one packet per { $gap } min).
wall-sent = Sent on the channel.
urgent-notice = URGENT on { $board }: { $subject } - { $name }. DM me: read { $board } { $num }
urgent-announced = Announced on the channel.
urgent-not-announced = Not announced: the BBS spoke on the channel lately (again in { $mins } min).
usage-boards = boards
help-boards = list boards with your unread counts
usage-next = next
help-next = read the oldest post you have not read
usage-post = post BOARD [TEXT]
help-post = post to a board; with no text, write a long post line by line
usage-reply = reply BOARD N TEXT
help-reply = reply to post N
usage-delete = delete BOARD N
help-delete = delete your post (wizards: any)

## Ages in listings and sentences (`now` is age-now, above)

age-minutes = { $n }m
age-hours = { $n }h
age-days = { $n }d
age-seconds = { $n }s

## ping, quit, seen

usage-ping = ping
help-ping = check the BBS is listening
usage-quit = quit
help-quit = end your session (everything is saved)
quit-bye = Bye, { $name }. Everything is saved.
usage-seen = seen NAME|!id
help-seen = when the BBS last heard a node, its hops, SNR and DM route
seen-nobody = No node or player called "{ $word }".
seen-node-only = { $node }: never sent the BBS a message; its node heard it { $ago }.
seen-never = { $node }: never heard.
seen-heard = { $node }: heard { $ago }, { $hops }{ $snr }. { $route }
seen-direct = direct
seen-hops = { $n ->
    [one] 1 hop
   *[other] { $n } hops
}
seen-hops-unknown = hops unknown
seen-route-direct = DM: direct, no route needed.
seen-route-acked = DM route: likely, acked { $ago }.
seen-route-failed = DM route: none, DMs failed; they flood.
seen-route-unknown = DM route: unknown; DMs flood.

## Accounts: whoami, name, password, pw, repin

usage-whoami = whoami
help-whoami = your name, node and rights
whoami = { $name } ({ $id }), { $level }, { $sender ->
    [proven] proven sender
    [impostor] unverified sender (not the handset this node was first seen as)
   *[unproven] unverified sender
}
usage-name = name NEWNAME
help-name = change your name (give your password first if you set one)
name-rules = Names are up to { $max } plain characters.
name-reserved = "{ $name }" is reserved; pick another name.
name-set = You are now { $name }.
name-taken = { $name } is taken.
usage-password = password NEW | password OLD NEW | password PASS
help-password = set or change your password, or unlock your powers
password-set = Password set. Use it as: pw PASS COMMAND, e.g. pw PASS name NEWNAME
password-changed = Password changed.
password-one-command = A password unlocks one command at a time: pw PASS COMMAND, e.g. pw PASS name NEWNAME
password-short = Use at least { $n } characters.
password-failed = Could not set the password: { $error }
usage-pw = pw PASS COMMAND
help-pw = run one command with your password as proof (for DMs that are not PKI)
pw-none = You have no password yet: password NEW sets one.
pw-wrong = Wrong password.
pw-locked = Too many wrong passwords: try again in { $n } s.
usage-repin = pw PASS repin
help-repin = from a handset with a new key (a reflash): make it the one this node is known by
repin-no-key = repin pins the key a PKI DM carries, and this message carries none: send pw PASS repin as a DM from the new handset.
repin-already = This handset's key is the one pinned already: nothing to repin.
repin-needs-password = repin needs your password: send pw PASS repin from the new handset.
repin-done = Repinned: this handset's key is now the one your node is known by.

## Read receipts (receipt-notice goes to the mail's sender, in their language)

usage-receipts = receipts on|off
help-receipts = read receipts for mail across the BBS network: you are told when yours is read, and its sender when you read theirs
receipts-are = Receipts are { $state }.
receipts-on = Receipts on: you are told when your mail is read, and senders when you read theirs.
receipts-off = Receipts off: nobody is told when you read their mail, nor you when yours is read.
receipt-notice = { $name } read your mail '{ $subject }' (at { $bbs })

## stats, search

usage-stats = stats
help-stats = players, posts, unread mail, nodes heard, airtime, uptime
stats = { $players } players, { $posts } posts, { $unread } unread mail, { $heard } nodes heard in 24h. Airtime { $airtime } this hour. Up { $up }.
stats-airtime = { $n }s
stats-airtime-of = { $n }s of { $max }s
usage-search = search WORDS
help-search = posts with all these words in subject or text, newest first
search-what = Search for what? search WORDS
search-none = No posts with { $word }.
search-none-capped = No posts with { $word } in the newest { $n }.
search-found = { $word }:
search-found-capped = { $word } in the newest { $n }:
search-foot = read BOARD N

## Wizards: @peers, @board

peers-none = No BBS peers configured ([federation] peers).
peers-head = Peers (heard, queued/sent/received/refused):
peers-never = never
board-levels = Levels are player, builder or wizard.
board-name-rules = Board names are 1-16 letters, digits or dashes.
board-lock-what = Lock read or post.
board-exists = There is a board { $board } already.
board-created = Board { $board } created.
board-described = { $board } described.
board-locked = { $board } { $what } is now for { $level }s.
board-urgent-on = { $board } is urgent: each new post is announced on the channel (one notice per { $gap } min at most).
board-urgent-off = { $board } is no longer urgent.
board-removed = Board { $board } removed with { $n } posts.

## Unasked: the beacon (a broadcast, in the BBS's language), the answer to the
## discovery keyword, the greeting of a newly heard node, and waiting mail

beacon = { $bbs }: BBS and text world. DM me help to start.
beacon-keyword = { $bbs }: BBS and text world. DM me help to start, or send { $word } here.
discovery-answer = { $bbs } is a BBS and text world. DM me help to start, or look to look around.
welcome-node = Hello from { $bbs }, a BBS and text world on this mesh. DM me help to start.
mail-waiting = You have { $n } mail at { $bbs }. Send mail to read it.

## Wizards: @ban, @unban, @builder, @repin, @pwlocks, @shutdown (builder-notice goes
## to the new builder, in their language)

admin-no-player = No player called "{ $word }".
admin-not-yourself = Not yourself.
banned = Banned { $name } ({ $id }).
unbanned = Unbanned { $name }.
builder-already = { $name } can build already.
builder-made = { $name } is a builder.
builder-notice = You may build now: help @dig.
unpin-none = { $name } has no pinned key.
unpinned = Unpinned { $name }: the next key it uses is pinned.
pwlocks-none-for = { $name } has no wrong passwords counted.
pwlocks-cleared = Cleared { $name }'s wrong passwords.
pwlocks-none = No wrong passwords counted.
pwlocks-head = Wrong passwords ({ $n }):
pwlocks-more = and { $n } more
pwlocks-line = { $kind } { $id }{ $name }: { $n } wrong, { $state }
pwlocks-locked = locked { $n } s
pwlocks-unlocked = not locked
shutdown = Shutting down; everything is saved.
## --- world ---
## Room notices (arrivals, say, whispers, pages, gifts) are rendered in every language
## and each listener reads theirs. `$text` is what a player wrote, as they wrote it.

## go, exits, home, and the notices a move leaves behind

usage-go = go EXIT (or just the exit: n, out)
help-go = leave by an exit
usage-exits = exits
help-exits = where you can go from here
usage-home = home
help-home = go back to your home room
go-where = Go where? Try exits.
no-exit = No exit "{ $word }" here. Try exits.
cant-go = You can't go that way.
exit-locked = The way { $exit } is locked.
leads-nowhere-now = That way leads nowhere now.
home-already = You are home already.
exits-none = No exits. Try home.
exits-to = { $exit } to { $room }
exits-to-nowhere = { $exit } to nowhere
room-leaves = { $name } leaves { $exit }.
room-arrives = { $name } arrives.
room-goes-home = { $name } goes home.
room-vanishes = { $name } vanishes.
room-moved-away = { $name } is moved away.

## say, pose, semipose, whisper, page, who, where

usage-say = say TEXT (or "TEXT)
help-say = speak to everyone in the room
say-what = Say what?
say-you = You say, "{ $text }"
say-room = { $name } says, "{ $text }"
usage-pose = pose ACTION (or :ACTION)
help-pose = act: `:waves` shows `Alice waves`
pose-what = Pose what? :waves
usage-semipose = semipose ACTION (or ;ACTION)
help-semipose = pose with no space: `;'s eyes light up` shows `Alice's eyes light up`
semipose-what = Pose what? ;'s eyes light up
usage-whisper = whisper PLAYER=TEXT
help-whisper = only a player in your room hears it; the room sees that you whispered
not-here = { $name } is not here.
no-player = No player called "{ $word }".
whisper-self = You whisper to yourself.
whisper-you = You whisper to { $name }: { $text }
whisper-heard = { $name } whispers: { $text }
whisper-seen = { $name } whispers to { $to }.
usage-page = page PLAYER TEXT
help-page = send a private message to a player anywhere (see dnd)
page-you = You page { $name }: { $text }
page-heard = { $name } pages: { $text }
usage-who = who
help-who = who is about, and how long idle
who-list = { $n } about: { $list }.
usage-where = where
help-where = which room everyone about is in
where-in = { $name } in { $room }
where-somewhere = somewhere

## inventory, money, get, drop, give

usage-inventory = inventory
help-inventory = what you carry, and your coins
inventory = You carry { $list }. Coins: { $n }.
inventory-empty = You carry nothing. Coins: { $n }.
usage-money = money
help-money = how many coins you have
money = You have { $n } coins.
usage-get = get THING
help-get = pick something up
get-what = Get what?
get-cannot = You cannot pick up { $thing }.
get-fixed = { $thing } will not budge.
get-taken = You take { $thing }.
usage-drop = drop THING
help-drop = put something down here
drop-what = Drop what?
carry-no = You carry no "{ $word }".
drop-dropped = You drop { $thing }.
usage-give = give PLAYER THING | give PLAYER N coins
help-give = hand a thing or coins to someone in the room
give-not-coins = "{ $word }" is not a number of coins.
give-no-coins = Give at least one coin.
give-self = You already have it.
give-coins = You give { $name } { $n } coins.
give-thing = You give { $name } { $thing }.
given-coins = { $name } gives you { $n } coins.
given-thing = { $name } gives you { $thing }.

## dnd, nospoof, @doing, finger

usage-dnd = dnd on [AWAY MESSAGE] | dnd off
help-dnd = do not disturb: pages wait for your next command; pagers get your message
dnd-is-on = Do not disturb is on.
dnd-is-on-away = Do not disturb is on: { $text }
dnd-is-off = Do not disturb is off.
dnd-on = Do not disturb on: pages wait for you. dnd off ends it.
dnd-off = Do not disturb off.
dnd-away = { $name } is not to be disturbed; your page waits for them.
dnd-away-message = { $name } is not to be disturbed: { $text } (your page waits for them)
usage-nospoof = nospoof on|off
help-nospoof = room chatter shows who caused it: `[Alice] Alice waves`
nospoof-is-on = nospoof is on.
nospoof-is-off = nospoof is off.
nospoof-on = nospoof on: room chatter shows who caused it.
nospoof-off = nospoof off.
doing = Doing: { $text }
doing-cleared = Doing cleared.
usage-finger = finger PLAYER
help-finger = when a player was last seen, their titles, achievements and @doing
finger-about = { $name }: about now.
finger-seen = { $name }: last seen { $ago }.
finger-titles = Titles: { $list }.
finger-achievements = Achievements { $n }/{ $total }.

## talk (NPCs), quests, achievements, shops, use, @house

usage-talk = talk NPC, then the number of an answer (talk alone: the open one)
help-talk = talk to someone of the town; answer with a number
talk-none = There is no "{ $word }" here to talk to.
talk-nothing = { $name } has nothing to say.
talk-no-one = You are not talking to anyone. Try talk NAME.
talk-over = That conversation is over. Try talk NAME.
talk-gone = { $name } is not here. Try talk NAME.
talk-someone = They
talk-whom = Talk to whom? Here: { $list }.
talk-answer = Answer 1 to { $n }.
talk-goodbye = { $name } nods goodbye.
need-coins = You need { $n } coins.
need-thing = You need { $thing }.
quest-started = Quest started: { $quest }. Type quests.
quest-done = Quest done: { $quest }!
quest-done-reward = Quest done: { $quest }! You get { $list }.
reward-coins = { $n } coins
reward-title = the title { $title }
quest-pay = ({ $quest }: you need { $n } coins.)
achievement = * Achievement: { $title }! { $text }
usage-quests = quests
help-quests = your quests and the next step of each
quests-none = No quests yet. Talk to the townsfolk: talk NAME.
quests-done = Done: { $list }.
usage-achievements = achievements
help-achievements = what you have achieved
achievements-none = No achievements yet (0/{ $total }).
achievements-list = Achievements ({ $n }/{ $total }): { $list }.
usage-list = list
help-list = what the shop here sells, and for how much
usage-buy = buy ITEM
help-buy = buy from the shop here
usage-sell = sell ITEM
help-sell = sell something you carry to the shop here
shop-none = There is no shop here.
shop-ware = { $thing } { $price }c ({ $left } left)
shop-ware-buys = { $thing } { $price }c ({ $left } left, buys { $n })
shop-list = { $shop }: { $list }. buy ITEM, sell ITEM.
buy-what = Buy what? Try list.
shop-has-no = { $shop } has no "{ $word }". Try list.
shop-costs = { $thing } costs { $price } coins; you have { $n }.
shop-bought = You buy { $thing } for { $price } coins. You have { $left }.
sell-what = Sell what?
shop-not-buying = { $shop } does not buy { $thing }.
shop-sold = { $n ->
    [one] You sell { $thing } for 1 coin. You have { $left }.
   *[other] You sell { $thing } for { $n } coins. You have { $left }.
}
usage-use = use THING
help-use = use something you carry or see
use-what = Use what?
use-nothing = Nothing happens when you use { $thing }.
house-described = Described.
house-locked = Locked: only you and your guests may enter.
house-unlocked = Unlocked.
house-who = Who?
house-none = No houses on this street.
house-yours = yours
house-taken = taken
house-list = Houses: { $list }. @house claim NAME
house-which = Which house? Try @house.
house-claimed = { $room } is yours for { $price } coins. Enter by { $exit }; @house describe, lock, invite.
house-not-yours = This is not your house.
house-stand-in = Stand in your house to do that.
house-no-door = Your door is gone.
house-guest = { $name } may come in.
house-not-guest = { $name } may no longer come in.

## What the store refuses in the world (a move, a deal, a house claim)

refused-no-object = There is no object #{ $n }.
refused-not-a-room = #{ $n } is not a room.
refused-coins = Not enough coins.
refused-moved = That is not there any more.
refused-not-empty = That room still holds things or exits.
refused-start-room = The starting room cannot be destroyed.
refused-no-world = The world has no rooms yet.
refused-not-held = That is not yours to give any more.
refused-sold-out = Sold out.
refused-till-empty = The till is empty.
refused-house-taken = That house is taken.
refused-house-cap = You own as many houses as you may.

## Builders' and wizards' commands (@dig, @open, @lock, @tel, ...; their help lines
## are at the end of the file), and examine's detail for owners

name-plain = Names are 1 to { $max } plain characters.
build-name-reserved = "{ $word }" is reserved.
build-room-id = Name the room as #N.
build-room-id-here = Name the room as #N or here.
build-not-yours = You do not own { $thing }.
build-dug = Dug { $room } #{ $n }.
build-dug-to = Opened { $exit } #{ $n }.
build-dug-back = Back: { $exit } #{ $n }.
build-opened = Opened { $exit } #{ $n } to #{ $num }.
build-described = Described { $thing }.
build-short = Short description of { $thing } set.
build-renamed = { $word } is now { $thing }.
build-created = Created { $thing } #{ $n }. You carry it.
build-step-out = Step out of the room first.
build-destroyed = Destroyed { $thing } #{ $n }.
build-key-thing = A key must be a thing.
build-locked-owner = Locked { $thing } to its owner.
build-locked-you = Locked { $thing } to you.
build-locked-player = Locked { $thing } to { $name }.
build-locked-key = Locked { $thing } to whoever carries { $word }.
build-unlocked = Unlocked { $thing }.
build-home = Your home is now #{ $n }.
build-exits-only = Only exits link to rooms.
build-linked = { $thing } now leads to #{ $n }.
build-flags = Flags: { $list }.
build-flag-set = { $thing } { $word } set.
build-flag-cleared = { $thing } { $word } cleared.
build-stats = { $n } objects, { $count } players, { $total } about.
teleported = Teleported { $name } to #{ $n }.
teleported-you = { $name } teleports you to #{ $n }. Try look.
booted = Booted { $name }.
booted-you = You have been booted home by a wizard.
reloaded = Reloaded: { $n } NPCs, { $count } quests, { $num } shops, { $total } triggers.
reload-refused = Reload refused, nothing changed: { $error }
reload-refused-more = Reload refused, nothing changed: { $error } (+{ $more } more)
usage-examine = examine [thing]
help-examine = look closely; owners see ids, flags and locks
examine-head = { $thing } #{ $n } { $sort }, owner { $name }
examine-system = system
examine-room = Room
examine-exit = Exit
examine-thing = Thing
examine-aka = aka { $list }
examine-to = to #{ $n }
examine-in = in #{ $n }
examine-held = held by { $id }
examine-flags = flags { $list }
examine-locked-owner = locked to owner
examine-locked-to = locked to { $id }
examine-key = key #{ $n }

## The builders' and wizards' help lines: a Fluent key cannot hold `@`, so `@dig`'s
## are usage-at-dig and help-at-dig (English equal to their specs)

usage-at-ban = @ban PLAYER|!NODE
help-at-ban = ignore a node entirely
usage-at-unban = @unban PLAYER|!NODE
help-at-unban = lift a ban
usage-at-builder = @builder PLAYER
help-at-builder = give a player building rights
usage-at-repin = @repin PLAYER|!NODE
help-at-repin = forget a node's key; the next one it uses is pinned
usage-at-pwlocks = @pwlocks [clear PLAYER|!NODE]
help-at-pwlocks = nodes and accounts locked after wrong passwords; clear lifts one
usage-at-shutdown = @shutdown
help-at-shutdown = stop the daemon cleanly (everything is saved)
usage-at-wall = @wall TEXT
help-at-wall = say TEXT in one packet on the primary channel, to every node in range
usage-at-board = @board create|desc|lock|urgent|remove NAME ...
help-at-board = manage boards: create NAME=DESC, desc NAME=DESC, lock NAME read|post LEVEL, urgent NAME [off], remove NAME
usage-at-peers = @peers
help-at-peers = the BBS network: each peer, last heard, queued, sent, received, refused
usage-at-doing = @doing TEXT (alone: clear it)
help-at-doing = a line finger shows: what you are up to
usage-at-teleport = @teleport [PLAYER=]#ROOM
help-at-teleport = move yourself or a player
usage-at-boot = @boot PLAYER
help-at-boot = send a player home and forget them until they speak
usage-at-dig = @dig ROOM[=EXIT;ALIAS[,BACK;ALIAS]]
help-at-dig = make a room, and exits to and from it
usage-at-open = @open EXIT;ALIAS=#ROOM
help-at-open = open an exit from here
usage-at-describe = @describe THING=TEXT
help-at-describe = set the long description
usage-at-sdesc = @sdesc THING=TEXT
help-at-sdesc = set the short description
usage-at-name = @name THING=NAME;ALIAS
help-at-name = rename something
usage-at-create = @create THING;ALIAS
help-at-create = make a thing (you carry it)
usage-at-destroy = @destroy THING
help-at-destroy = destroy something you own
usage-at-lock = @lock THING=me|owner|PLAYER|KEYTHING
help-at-lock = lock an exit or thing
usage-at-unlock = @unlock THING
help-at-unlock = remove a lock
usage-at-link = @link EXIT=#ROOM | @link me=here
help-at-link = point an exit, or set your home
usage-at-set = @set THING=[!]FLAG (dark fixed)
help-at-set = set or clear a flag
usage-at-stats = @stats
help-at-stats = how big the world is
usage-at-house = @house [claim [NAME]|describe TEXT|lock|unlock|invite P|revoke P]
help-at-house = claim a house on this street and keep it
usage-at-reload = @reload
help-at-reload = read the content files again (nothing changes if they are wrong)
