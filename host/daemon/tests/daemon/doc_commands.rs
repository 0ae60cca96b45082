//! Every command the documents show runs as written (issue 29). Each `sh` block of
//! README.md, hardware.md and docs/*.md is read line by line, and:
//!
//! - a `meshmush` command (also as `cargo run -p meshmush -- ...`, or inside a
//!   `docker`/`sudo` line) must name a subcommand and flags the built binary has, as its
//!   `--help` says; an `admin` console word must be one `admin --help` names;
//! - a `cargo` command must name packages of this workspace and tests, benches and
//!   examples they have; `meshmush-bench`'s flags must be fields of its arguments;
//! - a `docker compose` command must name profiles and services of docker-compose.yml;
//! - a path into this repository (`deploy/meshmush.service`) must exist.
//!
//! It runs nothing else, so it is quick and needs no radio, network or Docker.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

mod shell;

use shell::{commands, program, sh_lines};

const BIN: &str = env!("CARGO_BIN_EXE_meshmush");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The documents whose `sh` blocks are checked.
fn documents() -> Vec<PathBuf> {
    let root = root();
    let mut docs = vec![root.join("README.md"), root.join("hardware.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("a docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

/// What the built binary says about itself: its subcommands, and each one's flags
/// (with whether the flag takes a value) and help text.
struct Cli {
    subcommands: BTreeSet<String>,
    help: BTreeMap<String, (BTreeMap<String, bool>, String)>,
}

fn run_help(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("meshmush runs");
    assert!(out.status.success(), "meshmush {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `--name` flags of a help text; true when the flag takes a value (`--data <DATA>`).
fn flags(help: &str) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    for (i, _) in help.match_indices("--") {
        if i > 0 && !help[..i].ends_with([' ', ',', '[']) {
            continue;
        }
        let rest = &help[i + 2..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() {
            continue;
        }
        let takes_value = rest[name.len()..].starts_with(" <");
        out.insert(name, takes_value);
    }
    out
}

impl Cli {
    fn ask() -> Self {
        let top = run_help(&["--help"]);
        let subcommands: BTreeSet<String> = top
            .lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect();
        assert!(
            subcommands.contains("run") && subcommands.contains("admin"),
            "{top}"
        );
        let mut help = BTreeMap::new();
        help.insert(String::new(), (flags(&top), top.clone()));
        for sub in subcommands.iter().filter(|s| *s != "help") {
            let text = run_help(&[sub.as_str(), "--help"]);
            help.insert(sub.clone(), (flags(&text), text));
        }
        Cli { subcommands, help }
    }

    /// `args` are the words after `meshmush`.
    fn check(&self, args: &[String]) -> Result<(), String> {
        let Some(first) = args.first() else {
            return Ok(()); // `meshmush` alone runs the daemon
        };
        let (sub, rest) = if first.starts_with('-') {
            (String::new(), args)
        } else if first == "help" {
            return Ok(());
        } else if self.subcommands.contains(first) {
            (first.clone(), &args[1..])
        } else {
            return Err(format!("`meshmush {first}`: no such subcommand"));
        };
        let (known, text) = &self.help[&sub];
        let mut words = rest.iter();
        while let Some(w) = words.next() {
            if w == "--" {
                break;
            }
            if let Some(flag) = w.strip_prefix("--") {
                let name = flag.split('=').next().unwrap_or(flag);
                match known.get(name) {
                    None => return Err(format!("`meshmush {sub}` has no flag --{name}")),
                    Some(true) if !flag.contains('=') => {
                        words.next();
                    }
                    _ => {}
                }
            } else if w.starts_with('-') && w.len() > 1 {
                if !text.contains(&format!("{w},")) {
                    return Err(format!("`meshmush {sub}` has no flag {w}"));
                }
            } else if sub == "admin" {
                // The console's command: the rest are its words, not flags.
                let named = text
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|x| x == w.as_str());
                return if named {
                    Ok(())
                } else {
                    Err(format!(
                        "`meshmush admin --help` names no console command {w:?}"
                    ))
                };
            }
        }
        Ok(())
    }
}

/// The workspace's packages: name -> (directory, test targets, benches, examples, bins).
#[derive(Default)]
struct Package {
    dir: PathBuf,
    targets: BTreeMap<&'static str, BTreeSet<String>>,
}

fn workspace() -> BTreeMap<String, Package> {
    let root = root();
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let members = manifest["workspace"]["members"].as_array().unwrap();
    let mut out = BTreeMap::new();
    for m in members {
        let dir = root.join(m.as_str().unwrap());
        let text = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let pkg: toml::Value = toml::from_str(&text).unwrap();
        let name = pkg["package"]["name"].as_str().unwrap().to_string();
        let mut targets: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        for (kind, folder) in [
            ("test", "tests"),
            ("bench", "benches"),
            ("example", "examples"),
        ] {
            let set = targets.entry(kind).or_default();
            if let Ok(entries) = std::fs::read_dir(dir.join(folder)) {
                for e in entries.flatten() {
                    let p = e.path();
                    let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                    if p.extension().is_some_and(|x| x == "rs") || p.join("main.rs").exists() {
                        set.insert(stem);
                    }
                }
            }
        }
        for (kind, key) in [
            ("test", "test"),
            ("bench", "bench"),
            ("example", "example"),
            ("bin", "bin"),
        ] {
            let set = targets.entry(kind).or_default();
            for t in pkg
                .get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(n) = t.get("name").and_then(|n| n.as_str()) {
                    set.insert(n.to_string());
                }
            }
        }
        if dir.join("src/main.rs").exists() {
            targets.entry("bin").or_default().insert(name.clone());
        }
        out.insert(name, Package { dir, targets });
    }
    out
}

struct Checker {
    cli: Cli,
    packages: BTreeMap<String, Package>,
    bench_args: String,
    compose: String,
    meshmush_commands: usize,
    cargo_commands: usize,
}

impl Checker {
    fn check(&mut self, words: &[String]) -> Result<(), String> {
        self.paths(words)?;
        let words = program(words);
        let Some(prog) = words.first() else {
            return Ok(());
        };
        match prog.as_str() {
            "meshmush" => {
                self.meshmush_commands += 1;
                self.cli.check(&words[1..])
            }
            "cargo" => {
                self.cargo_commands += 1;
                self.cargo(&words[1..])
            }
            _ => {
                if prog == "docker" && words.get(1).is_some_and(|w| w == "compose") {
                    self.compose(&words[2..])?;
                }
                // `docker exec NAME meshmush admin ...`, `sudo -u USER meshmush ...`.
                let at = words
                    .windows(2)
                    .position(|w| w[0] == "meshmush" && self.cli.subcommands.contains(&w[1]));
                match at {
                    Some(i) => {
                        self.meshmush_commands += 1;
                        self.cli.check(&words[i + 1..])
                    }
                    None => Ok(()),
                }
            }
        }
    }

    /// A word that starts with one of the repository's top-level folders names a
    /// file or folder that must be there.
    fn paths(&self, words: &[String]) -> Result<(), String> {
        let root = root();
        for w in words {
            let w = w.strip_prefix("./").unwrap_or(w);
            let Some((top, _)) = w.split_once('/') else {
                continue;
            };
            if top.is_empty() || top == "target" || !root.join(top).is_dir() {
                continue;
            }
            if !root.join(w).exists() {
                return Err(format!("{w} is not in the repository"));
            }
        }
        Ok(())
    }

    fn cargo(&self, args: &[String]) -> Result<(), String> {
        let Some(sub) = args.first() else {
            return Ok(());
        };
        if !["run", "test", "bench", "build", "install"].contains(&sub.as_str()) {
            return Ok(());
        }
        let mut package = None;
        let mut wanted: Vec<(&'static str, String)> = Vec::new();
        let mut after = None;
        let mut it = args[1..].iter().enumerate();
        while let Some((i, a)) = it.next() {
            let mut value = || it.next().map(|(_, v)| v.clone()).unwrap_or_default();
            match a.as_str() {
                "-p" | "--package" => package = Some(value()),
                "--test" => wanted.push(("test", value())),
                "--bench" => wanted.push(("bench", value())),
                "--example" => wanted.push(("example", value())),
                "--bin" => wanted.push(("bin", value())),
                "--path" => {
                    let p = value();
                    let dir = root().join(&p);
                    if !dir.join("Cargo.toml").exists() {
                        return Err(format!("cargo {sub} --path {p}: no Cargo.toml there"));
                    }
                    let pkg = self
                        .packages
                        .values()
                        .find(|k| k.dir.canonicalize().ok() == dir.canonicalize().ok());
                    if pkg.is_none_or(|k| k.targets["bin"].is_empty()) {
                        return Err(format!("cargo {sub} --path {p}: not a binary package"));
                    }
                }
                "--" => {
                    after = Some(&args[i + 2..]);
                    break;
                }
                _ => {}
            }
        }
        let candidates: Vec<(&String, &Package)> = match &package {
            Some(name) => match self.packages.get_key_value(name) {
                Some(p) => vec![p],
                None => return Err(format!("no package {name} in the workspace")),
            },
            None => self.packages.iter().collect(),
        };
        for (kind, name) in &wanted {
            if !candidates
                .iter()
                .any(|(_, p)| p.targets[kind].contains(name))
            {
                return Err(format!(
                    "no {kind} target {name} in {}",
                    package.as_deref().unwrap_or("the workspace")
                ));
            }
        }
        let runs_the_bin = sub == "run" && wanted.iter().all(|(k, _)| *k == "bin");
        match (package.as_deref(), after) {
            (Some("meshmush"), Some(args)) if runs_the_bin => self.cli.check(args),
            (Some("meshmush-bench"), Some(args)) if runs_the_bin => {
                for a in args.iter().filter_map(|a| a.strip_prefix("--")) {
                    let field = format!(" {}: ", a.split('=').next().unwrap().replace('-', "_"));
                    if !self.bench_args.contains(&field) {
                        return Err(format!("meshmush-bench has no flag --{a}"));
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// `docker compose [--profile P] SUB [SERVICE]`: the profiles and services exist.
    fn compose(&self, args: &[String]) -> Result<(), String> {
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--profile" => {
                    let p = it.next().cloned().unwrap_or_default();
                    if !self.compose.contains(&format!("profiles: [\"{p}\"]")) {
                        return Err(format!("docker-compose.yml has no profile {p}"));
                    }
                }
                "exec" | "logs" | "run" | "restart" | "stop" => {
                    return match it.find(|w| !w.starts_with('-')) {
                        Some(s) if !self.compose.contains(&format!("\n  {s}:\n")) => {
                            Err(format!("docker-compose.yml has no service {s}"))
                        }
                        _ => Ok(()),
                    };
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[test]
fn every_command_in_the_documents_names_what_exists() {
    let root = root();
    let mut checker = Checker {
        cli: Cli::ask(),
        packages: workspace(),
        bench_args: std::fs::read_to_string(root.join("host/bench/src/main.rs")).unwrap(),
        compose: std::fs::read_to_string(root.join("docker-compose.yml")).unwrap(),
        meshmush_commands: 0,
        cargo_commands: 0,
    };
    let mut problems = Vec::new();
    for doc in documents() {
        for line in sh_lines(&doc) {
            for cmd in commands(&line.text) {
                if let Err(e) = checker.check(&cmd) {
                    problems.push(format!("{}: {e}\n    {}", line.at, line.text));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The reader found the blocks: a broken reader must not pass by checking nothing.
    assert!(
        checker.meshmush_commands >= 30 && checker.cargo_commands >= 15,
        "only {} meshmush and {} cargo commands found",
        checker.meshmush_commands,
        checker.cargo_commands
    );
}

/// CI runs the README's test command (`.ci/run`), and a new user the run command: the
/// README's first `sh` block is exactly those two.
#[test]
fn the_readme_set_up_commands_are_the_two() {
    let lines = sh_lines(&root().join("README.md"));
    let first: Vec<Vec<String>> = lines
        .iter()
        .take(2)
        .flat_map(|l| commands(&l.text))
        .collect();
    assert_eq!(
        first,
        [
            vec!["cargo", "run", "--release", "-p", "meshmush"],
            vec!["cargo", "test", "--workspace"],
        ]
    );
}

/// The checker's own parts, on lines that must fail and lines that must pass.
#[test]
fn the_checker_catches_what_does_not_exist() {
    let words = |s: &str| commands(s);
    assert_eq!(
        words("printf 'look\\nn\\n' | meshmush chat --to '!4d4d0001' # c"),
        [
            vec!["printf", "look\\nn\\n"],
            vec!["meshmush", "chat", "--to", "!4d4d0001"],
        ]
    );
    assert_eq!(
        words("meshmush export --data d > backup.jsonl && echo ok"),
        [
            vec!["meshmush", "export", "--data", "d"],
            vec!["echo", "ok"]
        ]
    );
    let mut c = Checker {
        cli: Cli::ask(),
        packages: workspace(),
        bench_args: std::fs::read_to_string(root().join("host/bench/src/main.rs")).unwrap(),
        compose: std::fs::read_to_string(root().join("docker-compose.yml")).unwrap(),
        meshmush_commands: 0,
        cargo_commands: 0,
    };
    let mut check = |s: &str| {
        let cmds = commands(s);
        cmds.iter().try_for_each(|w| c.check(w))
    };
    for good in [
        "meshmush run --port /dev/ttyUSB0",
        "sudo -u meshmush meshmush admin --data /d status",
        "cargo run --release -p meshmush -- chat --handset 2",
        "cargo test -p meshmush --test daemon",
        "cargo run --release -p meshmush-bench -- --quick",
        "cargo install --path host/daemon --locked",
        "docker compose --profile demo up -d",
        "docker exec meshmush meshmush admin --data /data status",
    ] {
        assert_eq!(check(good), Ok(()), "{good}");
    }
    for bad in [
        "meshmush frobnicate",
        "meshmush run --frobnicate",
        "meshmush admin --data /d frobnicate",
        "cargo run --release -p meshmush -- chat --frobnicate",
        "cargo test -p meshmush --test frobnicate",
        "cargo test -p frobnicate",
        "cargo run --release -p meshmush-bench -- --frobnicate",
        "cargo install --path host/frobnicate",
        "docker compose --profile frobnicate up -d",
        "sudo cp deploy/frobnicate.service /etc/systemd/system/",
    ] {
        assert!(check(bad).is_err(), "{bad} passed");
    }
}
