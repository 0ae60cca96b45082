//! What the property-test files share.

use proptest::test_runner::Config as ProptestConfig;

/// `n` cases, or `PROPTEST_CASES` when set (for a deep run: `PROPTEST_CASES=100000`).
pub fn config(n: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    ProptestConfig {
        // Failures are reported with their minimal input; no regression files.
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}
