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
needs-proof-impostor = { $command } refused: this does not look like your handset.
needs-proof = { $command } changes your account: send it as a PKI DM, or pw PASS { $command } ...
too-long = Too long: { $len } bytes, the limit is { $max }.
ago = { $age } ago
ago-now = just now
age-now = now
welcome = Welcome, { $name }!
welcome-help = Welcome, { $name }! Send help for commands.

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
