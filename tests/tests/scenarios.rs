//! Every transcript in `tests/scenarios/` played against the daemon through the
//! software mesh. A failure names the file and line.

use std::path::PathBuf;

use meshmush_tests::runner;
use meshmush_tests::scenario::Scenario;
use tokio::task::JoinSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_scenarios_pass() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "only {} scenarios", files.len());
    let only = std::env::var("SCENARIO").ok();
    let mut set = JoinSet::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in files {
        let sc = match Scenario::load(&path) {
            Ok(sc) => sc,
            Err(e) => {
                failures.push(e.to_string());
                continue;
            }
        };
        if only.as_deref().is_some_and(|o| !sc.name.contains(o)) {
            continue;
        }
        ran += 1;
        // A few at a time: each has its own mesh, daemon and data directory.
        while set.len() >= 4 {
            if let Some(Ok(Err(e))) = set.join_next().await {
                failures.push(e);
            }
        }
        set.spawn(async move {
            let data = tempfile::tempdir().map_err(|e| e.to_string())?;
            runner::run(&sc, data.path())
                .await
                .map_err(|e| e.to_string())
        });
    }
    while let Some(r) = set.join_next().await {
        match r {
            Ok(Err(e)) => failures.push(e),
            Err(e) => failures.push(format!("scenario task failed: {e}")),
            Ok(Ok(())) => {}
        }
    }
    eprintln!("{} scenarios run, {} failed", ran, failures.len());
    assert!(
        failures.is_empty(),
        "failed scenarios:\n{}",
        failures.join("\n")
    );
}
