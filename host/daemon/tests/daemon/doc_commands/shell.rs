//! The documents' `sh` blocks read as shell: logical lines (continuations joined),
//! their words and operators, the simple commands they hold, and the program each one
//! runs once assignments, `sudo` and `nice` are taken off.

use std::path::Path;

use super::root;

/// One logical line of a `sh` block: where it starts, and its text with `\` line
/// continuations joined.
pub(super) struct Line {
    pub(super) at: String,
    pub(super) text: String,
}

pub(super) fn sh_lines(doc: &Path) -> Vec<Line> {
    let text = std::fs::read_to_string(doc).expect("the document reads");
    let name = doc
        .strip_prefix(root())
        .unwrap_or(doc)
        .display()
        .to_string();
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending: Option<Line> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            in_sh = !in_sh && trimmed == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let (body, continues) = match trimmed.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (trimmed, false),
        };
        let line = match pending.take() {
            Some(mut l) => {
                l.text.push(' ');
                l.text.push_str(body);
                l
            }
            None => Line {
                at: format!("{name}:{}", i + 1),
                text: body.to_string(),
            },
        };
        if continues {
            pending = Some(line);
        } else if !line.text.trim().is_empty() {
            out.push(line);
        }
    }
    out
}

/// A shell word (quotes removed) or an operator (`|`, `&&`, `>`, ...).
#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Op(String),
}

/// The tokens of a shell line, up to a comment.
fn tokens(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word: Option<String> = None; // None: between words
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                w.extend(chars.by_ref().take_while(|q| *q != '\''));
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => w.extend(chars.next()),
                        _ => w.push(q),
                    }
                }
            }
            '#' if word.is_none() => break,
            '|' | '&' | ';' | '>' | '<' => {
                out.extend(word.take().map(Token::Word));
                let mut op = c.to_string();
                if chars.peek() == Some(&c) {
                    op.push(chars.next().unwrap());
                }
                out.push(Token::Op(op));
            }
            c if c.is_whitespace() => out.extend(word.take().map(Token::Word)),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word.map(Token::Word));
    out
}

/// Splits a shell line into simple commands (at `|`, `&&`, `||`, `;`, `&`), each a
/// list of words; redirections and their targets are dropped.
pub(super) fn commands(line: &str) -> Vec<Vec<String>> {
    let mut cmds = vec![Vec::new()];
    let mut redirected = false;
    for t in tokens(line) {
        match t {
            Token::Op(op) if op.starts_with(['>', '<']) => redirected = true,
            Token::Op(_) => cmds.push(Vec::new()),
            Token::Word(_) if redirected => redirected = false,
            Token::Word(w) => cmds.last_mut().unwrap().push(w),
        }
    }
    cmds.retain(|c| !c.is_empty());
    cmds
}

/// Drops what runs the command rather than being it: `VAR=value` assignments,
/// `sudo [-u USER]`, `nice -n N`.
pub(super) fn program(words: &[String]) -> &[String] {
    let mut w = words;
    loop {
        match w.first().map(String::as_str) {
            Some(v) if is_assignment(v) => w = &w[1..],
            Some("sudo") => {
                w = &w[1..];
                while let Some(f) = w.first().filter(|f| f.starts_with('-')) {
                    w = if f == "-u" {
                        &w[2.min(w.len())..]
                    } else {
                        &w[1..]
                    };
                }
            }
            Some("nice") => {
                w = &w[1..];
                if w.first().is_some_and(|f| f == "-n") {
                    w = &w[2.min(w.len())..];
                }
            }
            _ => return w,
        }
    }
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}
