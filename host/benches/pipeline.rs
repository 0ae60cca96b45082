//! `cargo bench -p meshmush --bench pipeline`: the full `meshmush bench` (designed
//! against naive, every figure); prints the table and writes target/bench.json.

#[tokio::main]
async fn main() {
    match meshmush::bench::run(false).await {
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
