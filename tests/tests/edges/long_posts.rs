//! The soak's long-post row, run by the README's test command: three authors write
//! four 900-byte posts each over seven DMs, while the software mesh loses 5% of every
//! transmission. Each post arrives whole, or its author was told; nothing doubles.

use meshmush_tests::long_posts::run;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_posts_under_five_percent_loss_arrive_whole_or_the_author_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(3, 4, 0.05, dir.path()).await.expect("the row runs");
    eprintln!("{}", report.summary());
    assert_eq!(report.attempted, 12);
    assert!(
        report.silent.is_empty(),
        "lost silently: {:?}",
        report.silent
    );
    assert!(report.doubled.is_empty(), "doubled: {:?}", report.doubled);
    assert_eq!(report.whole + report.told, report.attempted);
    assert!(
        report.whole >= report.attempted / 2,
        "most posts should survive 5% loss: {}",
        report.summary()
    );
}
