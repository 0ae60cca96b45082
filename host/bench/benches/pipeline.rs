//! `cargo bench -p meshmush-bench --bench pipeline`: the full bench (designed
//! against naive, every figure); prints the table and writes target/bench.json.

fn main() {
    // The same runtime shape as the daemon's.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(meshmush::STORE_THREADS)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("no runtime: {e}");
            std::process::exit(1);
        }
    };
    match runtime.block_on(meshmush_bench::run(false)) {
        Ok(report) => {
            print!("{}", report.table());
            if let Ok(text) = serde_json::to_string_pretty(&report) {
                let _ = std::fs::write("target/bench.json", text);
            }
        }
        Err(e) => {
            eprintln!("bench failed: {e}");
            std::process::exit(1);
        }
    }
}
