//! The one way a command is written and registered. A command is a small struct of
//! typed arguments with a [`Spec`] (name, aliases, usage, help, level), a `parse` that
//! turns the words after the command into that struct without touching the world, and
//! an `apply` that does the work and returns an [`Outcome`]. Usage text and `help`
//! come from the spec, never retyped; each family's file adds its commands with
//! `r.add::<Look>()`.

use std::future::Future;
use std::pin::Pin;

use super::ctx::Ctx;
use super::matching::{Match, find};
use super::outcome::Outcome;
use meshmush_lang::checks::{Clash, alias_clashes};
use meshmush_lang::{Arg, Catalogue, Lang, t};
use meshmush_store::{Draft, Level, StoreError};

/// What `apply` returns.
pub type Reply = Result<Outcome, CommandError>;

/// A command failed in a way the player should hear about.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    User(String),
    #[error("storage trouble, try again: {0}")]
    Store(#[from] StoreError),
}

impl CommandError {
    /// The refusal as the player reads it, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::User(msg) => msg.clone(),
            Self::Store(StoreError::Full) => t!(lang, "storage-full"),
            Self::Store(e) => t!(lang, "storage-trouble", error = e.to_string()),
        }
    }
}

/// A refusal in words for the player.
pub fn user(msg: impl Into<String>) -> CommandError {
    CommandError::User(msg.into())
}

/// A write a read makes on the side (a read marker, a letter marked read): on a full
/// disk the reader still gets the text, only the mark is not kept.
pub fn on_the_side(written: Result<(), StoreError>) -> Result<(), CommandError> {
    match written {
        Err(StoreError::Full) => Ok(()),
        other => Ok(other?),
    }
}

/// Why arguments did not parse: show the command's usage line, or say this instead.
/// `parse` knows nothing of the player, so a message from the catalogue is named
/// here by its key and rendered in the player's language by the dispatcher.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage(Why);

#[derive(Debug, Clone, PartialEq)]
enum Why {
    Show,
    Say(String),
    Key(&'static str, Vec<(&'static str, Arg)>),
}

impl Usage {
    /// "Usage: " and the command's usage line.
    pub fn show() -> Self {
        Self(Why::Show)
    }

    /// A message of the command's own ("Say what?"), not yet in the catalogue.
    pub fn say(msg: impl Into<String>) -> Self {
        Self(Why::Say(msg.into()))
    }

    /// The catalogue's message `key`, with its arguments.
    pub fn key(key: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Self(Why::Key(key, args))
    }

    /// The text the player reads, in `lang`.
    pub fn text(&self, spec: &Spec, lang: Lang) -> String {
        match &self.0 {
            Why::Say(msg) => msg.clone(),
            Why::Show => t!(lang, "usage", usage = spec.usage_in(lang)),
            Why::Key(key, args) => meshmush_lang::catalogue().text(lang, key, args),
        }
    }
}

/// What a command is called and who may use it.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub usage: &'static str,
    pub help: &'static str,
    pub level: Level,
}

impl Spec {
    /// Whether `word` (lowercased) is this command's name or one of its aliases.
    pub fn answers_to(&self, word: &str) -> bool {
        self.name == word || self.aliases.contains(&word)
    }

    /// The usage line in `lang`: the catalogue's `usage-NAME` (see [`spec_key`]),
    /// else the spec's own (a command whose texts are not in the catalogue yet).
    pub fn usage_in(&self, lang: Lang) -> String {
        catalogue_or(lang, "usage-", self.name, self.usage)
    }

    /// The one-line help in `lang`: the catalogue's `help-NAME`, else the spec's own.
    pub fn help_in(&self, lang: Lang) -> String {
        catalogue_or(lang, "help-", self.name, self.help)
    }
}

fn catalogue_or(lang: Lang, prefix: &str, name: &str, own: &str) -> String {
    meshmush_lang::catalogue()
        .try_text(lang, &spec_key(prefix, name), &[])
        .unwrap_or_else(|| own.to_string())
}

/// The catalogue's key for command `name`'s line `prefix` (`usage-`, `help-`):
/// `help-look`; a Fluent key cannot hold `@`, so a builder's or wizard's `@dig` is
/// `help-at-dig` (no command's name begins `at-`).
pub fn spec_key(prefix: &str, name: &str) -> String {
    match name.strip_prefix('@') {
        Some(bare) => format!("{prefix}at-{bare}"),
        None => format!("{prefix}{name}"),
    }
}

/// What a command needs to know about its sender before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Reading, looking, talking: a spoofed `from` gains nothing worth stopping.
    Open,
    /// Changes the player's account or things (rename, delete, give): needs proof on
    /// this packet, a PKI DM from the pinned key or the password (`pw PASS ...`).
    Account,
}

/// A command: typed arguments, parsed, then applied.
pub trait Command: Sized + Send + 'static {
    const SPEC: Spec;

    /// Reads the words after the command name. Knows nothing of the world.
    fn parse(args: &str) -> Result<Self, Usage>;

    /// What the parsed command needs of its sender; builder and wizard commands need
    /// proof through their level already.
    fn guard(&self) -> Guard {
        Guard::Open
    }

    /// Does the work; the reply and any notices go back to the dispatcher.
    fn apply(self, ctx: &mut Ctx) -> impl Future<Output = Reply> + Send;
}

type RunFuture<'a> = Pin<Box<dyn Future<Output = Reply> + Send + 'a>>;
type Run = for<'a> fn(&'a mut Ctx, &'a str) -> RunFuture<'a>;

fn run<'a, C: Command>(ctx: &'a mut Ctx, args: &'a str) -> RunFuture<'a> {
    Box::pin(async move {
        let cmd = C::parse(args).map_err(|usage| user(usage.text(&C::SPEC, ctx.lang)))?;
        if cmd.guard() == Guard::Account && !ctx.proven() {
            return Err(user(needs_proof(ctx, C::SPEC.name)));
        }
        cmd.apply(ctx).await
    })
}

/// Why `name` was refused to a sender who did not prove who they are.
pub fn needs_proof(ctx: &Ctx, name: &str) -> String {
    use crate::identity::Sender;
    if ctx.sender == Sender::Impostor {
        tracing::warn!(command = name, "refused: sender is not the node it claims");
        return t!(ctx.lang, "needs-proof-impostor", command = name);
    }
    t!(ctx.lang, "needs-proof", command = name)
}

/// One registered command.
pub struct Entry {
    pub spec: Spec,
    /// The family it belongs to: the file under `commands/` that registers it
    /// (`boards`, `look`, ...), for the operator's per-family counts.
    pub family: &'static str,
    /// Words the languages' catalogues add for it (`hilfe`, `ayuda`), for everyone.
    pub language_aliases: Vec<String>,
    run: Run,
}

/// The module a command's type lives in: `meshmush::commands::boards::Post` is
/// `boards`.
fn family_of(type_name: &'static str) -> &'static str {
    type_name.rsplit("::").nth(1).unwrap_or("other")
}

impl Entry {
    /// Whether `word` (lowercased) is this command's name, one of its aliases, or an
    /// alias a language adds.
    pub fn answers_to(&self, word: &str) -> bool {
        self.spec.answers_to(word) || self.language_aliases.iter().any(|a| a == word)
    }

    /// Parses `args` and applies the command.
    pub async fn run(&self, ctx: &mut Ctx, args: &str) -> Reply {
        (self.run)(ctx, args).await
    }
}

/// The result of looking up a command word.
pub enum Lookup<'a> {
    Found(&'a Entry),
    Ambiguous(Vec<&'static str>),
    Unknown(Vec<&'static str>),
}

/// The future a hook returns.
pub type HookFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of commands besides the registered names: a word typed alone that no
/// command is called exactly (a room's exits, an open conversation's numbered
/// answers). `None` when the word is not one of its own.
pub type WordRun = for<'a> fn(&'a mut Ctx, &'a str) -> HookFuture<'a, Option<Reply>>;

/// One [`WordRun`], with the family and name the operator's counts give it.
#[derive(Clone, Copy)]
pub struct WordSource {
    pub family: &'static str,
    pub name: &'static str,
    pub run: WordRun,
}

/// What became of a line sent while a draft was open.
#[derive(Debug)]
pub enum Fed {
    /// The draft took it (or it finished or dropped the draft): this is the reply.
    Taken(Outcome),
    /// The draft had been idle too long and is gone; the line is an ordinary command,
    /// and the player should hear this first.
    Expired(String),
}

/// Takes a line for the player's open draft (a post or mail written line by line).
pub type DraftFeed = for<'a> fn(&'a mut Ctx, Draft, &'a str) -> HookFuture<'a, Fed>;

/// Has its say after every command, from the outcome's events (the world's content:
/// triggers, quest steps, achievements).
pub type After = for<'a> fn(&'a Ctx, &'a mut Outcome) -> HookFuture<'a, ()>;

/// Every command, in registration order (which is `help`'s order), and the hooks the
/// families add to the dispatcher: the registry names no command file, and the
/// dispatcher knows no family, so each lives in the crate of its domain.
#[derive(Default)]
pub struct Registry {
    entries: Vec<Entry>,
    words: Vec<WordSource>,
    draft_feed: Option<DraftHook>,
    after: Vec<After>,
}

/// The [`DraftFeed`], with the family and name the operator's counts give a line it
/// takes.
#[derive(Clone, Copy)]
pub struct DraftHook {
    pub family: &'static str,
    pub name: &'static str,
    pub feed: DraftFeed,
}

/// The family and name of a command that ran, for the operator's counts.
pub type Ran = (&'static str, &'static str);

/// What the operator's counts call a line no command took.
pub const UNKNOWN: Ran = ("unknown", "?");

impl Registry {
    pub fn add<C: Command>(&mut self) {
        self.entries.push(Entry {
            spec: C::SPEC,
            family: family_of(std::any::type_name::<C>()),
            language_aliases: Vec::new(),
            run: run::<C>,
        });
    }

    /// Adds the command aliases every language of `catalogue` has (`hilfe` for
    /// `help`), for every player whatever their language, once all commands are
    /// registered; `reserved` are further words no alias may take (the direction
    /// words). A catalogue with any alias that collides with a command, an alias, a
    /// reserved word or another language's alias is refused whole: nothing is added.
    pub fn add_language_aliases(
        &mut self,
        catalogue: &Catalogue,
        reserved: &[&str],
    ) -> Result<(), Vec<Clash>> {
        let mut commands: Vec<(&str, Vec<&str>)> = self
            .entries
            .iter()
            .map(|e| (e.spec.name, e.spec.aliases.to_vec()))
            .collect();
        commands.extend(reserved.iter().map(|w| (*w, Vec::new())));
        let clashes = alias_clashes(catalogue, &commands);
        if !clashes.is_empty() {
            return Err(clashes);
        }
        for lang in Lang::all() {
            for (command, alias) in catalogue.aliases(lang) {
                if let Some(e) = self.entries.iter_mut().find(|e| e.spec.name == command)
                    && !e.language_aliases.contains(&alias)
                {
                    e.language_aliases.push(alias);
                }
            }
        }
        Ok(())
    }

    /// Adds a source of commands for a word typed alone, tried after the exact names
    /// and before prefixes, in the order added.
    pub fn add_word_source(&mut self, source: WordSource) {
        self.words.push(source);
    }

    /// The sources of commands for a word typed alone, in order.
    pub fn word_sources(&self) -> &[WordSource] {
        &self.words
    }

    /// Sets what takes the lines of an open draft.
    pub fn set_draft_feed(&mut self, hook: DraftHook) {
        self.draft_feed = Some(hook);
    }

    /// What takes the lines of an open draft, if any family writes drafts.
    pub fn draft_feed(&self) -> Option<DraftHook> {
        self.draft_feed
    }

    /// Adds a hook that follows every command's outcome.
    pub fn add_after(&mut self, after: After) {
        self.after.push(after);
    }

    /// The hooks that follow every command's outcome, in the order added.
    pub fn after_hooks(&self) -> &[After] {
        &self.after
    }

    /// Commands a player at `level` may use, in registration order.
    pub fn available(&self, level: Level) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.spec.level <= level)
    }

    /// True when `word` is a command's name or alias (players may not take it).
    pub fn is_command_name(&self, word: &str) -> bool {
        let word = word.to_lowercase();
        self.entries.iter().any(|e| e.answers_to(&word))
    }

    /// The command `level` may use whose name or alias is exactly `word`.
    pub fn exact(&self, word: &str, level: Level) -> Option<&Entry> {
        let word = word.to_lowercase();
        self.available(level).find(|e| e.answers_to(&word))
    }

    /// The command `word` finds at `level`, if exactly one.
    pub fn exact_or_prefix_at(&self, word: &str, level: Level) -> Option<&Entry> {
        match self.lookup(word, level) {
            Lookup::Found(e) => Some(e),
            _ => None,
        }
    }

    /// Finds a command by name, alias, or unambiguous prefix of a name, among those
    /// `level` may use; close names when there is none.
    pub fn lookup(&self, word: &str, level: Level) -> Lookup<'_> {
        let usable: Vec<&Entry> = self.available(level).collect();
        match find(
            usable.iter().copied(),
            word,
            |e, w| e.answers_to(w),
            |e| e.spec.name,
        ) {
            Match::One(e) => Lookup::Found(e),
            Match::Many(many) => Lookup::Ambiguous(many.iter().map(|e| e.spec.name).collect()),
            Match::None => {
                let word = word.to_lowercase();
                let mut scored: Vec<(f64, &'static str)> = usable
                    .iter()
                    .map(|e| (strsim::jaro_winkler(&word, e.spec.name), e.spec.name))
                    .filter(|(s, _)| *s >= 0.7)
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                Lookup::Unknown(scored.into_iter().take(3).map(|(_, n)| n).collect())
            }
        }
    }
}
