//! Programs from Debian's packages that a test drives (tmux), installed by the test
//! itself when missing, as `.ci/run` would.

use std::process::Command;

/// Makes sure `program` runs (`program -V` style probe `args`), installing the Debian
/// `package` with apt-get when it is missing and we are root. Returns why not, when
/// it cannot be had.
pub fn ensure_program(program: &str, probe: &[&str], package: &str) -> Result<(), String> {
    let runs = |p: &str| {
        Command::new(p)
            .args(probe)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if runs(program) {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if !root {
        return Err(format!(
            "{program} is missing; install it: sudo apt-get install {package}"
        ));
    }
    let installed = Command::new("sh")
        .args([
            "-c",
            &format!("apt-get update -qq && apt-get install -y -qq {package} >/dev/null"),
        ])
        .status()
        .is_ok_and(|s| s.success());
    if installed && runs(program) {
        Ok(())
    } else {
        Err(format!("could not install {package} with apt-get"))
    }
}
