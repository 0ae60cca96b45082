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
