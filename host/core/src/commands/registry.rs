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

/// A refusal in words for the player.
pub fn user(msg: impl Into<String>) -> CommandError {
    CommandError::User(msg.into())
}

/// What a player reads when their command needed to save something and the disk is
/// full (the store's [`StoreError::Full`]).
pub const STORAGE_FULL: &str =
    "Storage full: the BBS cannot save anything right now; reading still works.";

/// A write a read makes on the side (a read marker, a letter marked read): on a full
/// disk the reader still gets the text, only the mark is not kept.
pub fn on_the_side(written: Result<(), StoreError>) -> Result<(), CommandError> {
    match written {
        Err(StoreError::Full) => Ok(()),
        other => Ok(other?),
    }
}

/// Why arguments did not parse: show the command's usage line, or say this instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage(pub Option<String>);

impl Usage {
    /// "Usage: " and the spec's usage line.
    pub fn show() -> Self {
        Self(None)
    }

    /// A message of the command's own ("Say what?").
    pub fn say(msg: impl Into<String>) -> Self {
        Self(Some(msg.into()))
    }

    /// The text the player reads.
    pub fn text(&self, spec: &Spec) -> String {
        match &self.0 {
            Some(msg) => msg.clone(),
            None => format!("Usage: {}", spec.usage),
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
        let cmd = C::parse(args).map_err(|usage| user(usage.text(&C::SPEC)))?;
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
        return format!("{name} refused: this does not look like your handset.");
    }
    format!("{name} changes your account: send it as a PKI DM, or pw PASS {name} ...")
}

/// One registered command.
pub struct Entry {
    pub spec: Spec,
    /// The family it belongs to: the file under `commands/` that registers it
    /// (`boards`, `look`, ...), for the operator's per-family counts.
    pub family: &'static str,
    run: Run,
}

/// The module a command's type lives in: `meshmush::commands::boards::Post` is
/// `boards`.
fn family_of(type_name: &'static str) -> &'static str {
    type_name.rsplit("::").nth(1).unwrap_or("other")
}

impl Entry {
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
            run: run::<C>,
        });
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
        self.entries.iter().any(|e| e.spec.answers_to(&word))
    }

    /// The command `level` may use whose name or alias is exactly `word`.
    pub fn exact(&self, word: &str, level: Level) -> Option<&Entry> {
        let word = word.to_lowercase();
        self.available(level).find(|e| e.spec.answers_to(&word))
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
            |e, w| e.spec.answers_to(w),
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
