//! `meshmush check-config` as an operator runs it: it checks exactly what `run` checks,
//! and lists every problem of a file, one a line, not only the first.

use std::path::Path;
use std::process::Command;

/// Runs `meshmush ARGS...`: (exit ok, stdout, stderr).
fn meshmush(args: &[&str], file: &Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_meshmush"))
        .args(args)
        .arg(file)
        .env("RUST_LOG", "error")
        .output()
        .expect("the command runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check(file: &Path) -> (bool, String, String) {
    meshmush(&["check-config"], file)
}

/// The shipped example passes (and runs as it is); a file `run` would refuse because
/// it names no node fails.
#[test]
fn check_config_agrees_with_run_about_a_file_that_names_no_node() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../meshmush.example.toml");
    let (ok, out, err) = check(&example);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("[replies]"),
        "prints the effective config: {out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.toml");
    std::fs::write(&bare, "[link]\n").unwrap();
    let (ok, _, err) = check(&bare);
    assert!(!ok && err.contains("names no node"), "{err}");
}

/// Three values out of range and no node: four lines, one per problem, each naming
/// the file and what to fix; and `run --config` refuses the same file with the same
/// four lines before it starts anything.
#[test]
fn every_problem_is_listed_one_a_line_and_run_says_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "[link]\n\n[replies]\nbyte_budget = 999\nairtime_share = 1.5\n\n\
         [ops]\nlag_warn_ms = 2\n",
    )
    .unwrap();
    let (ok, out, err) = check(&file);
    assert!(!ok, "{out}{err}");
    assert!(
        out.is_empty(),
        "no effective config for a refused file: {out}"
    );
    let name = file.display().to_string();
    let problems: Vec<&str> = err.lines().filter(|l| l.starts_with(&name)).collect();
    assert_eq!(problems.len(), 4, "{err}");
    for said in [
        "key `replies.byte_budget`: 999 is outside 16..=232 bytes",
        "key `replies.airtime_share`: 1.5 is not between 0 and 1",
        "key `ops.lag_warn_ms`: 2 is below",
        "names no node",
    ] {
        assert!(
            problems.iter().any(|l| l.contains(said)),
            "{said:?} missing from:\n{err}"
        );
    }
    assert!(err.contains("4 problems"), "{err}");

    let data = dir.path().join("data");
    let (ok, _, run_err) = meshmush(
        &["run", "--data", data.to_str().unwrap(), "--config"],
        &file,
    );
    assert!(!ok, "{run_err}");
    let run_problems: Vec<&str> = run_err.lines().filter(|l| l.starts_with(&name)).collect();
    assert_eq!(run_problems, problems, "run and check-config disagree");
    assert!(!data.exists(), "run refused before opening a store");
}
