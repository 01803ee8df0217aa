//! The accuracy targets of the built-in scanner on a fixed corpus: micro F1 >= 0.97, secret
//! recall >= 0.99 and at most one false positive per 100 KB of benign text. Accuracy, not
//! timing, so it runs in debug builds; the corpus is sized to finish in well under a minute.

use routeguard::dlp::Scanner;
use routeguard_benches::{corpus, eval};

const SEED: u64 = 20_240_917;
const PROMPTS: usize = 1000;
const BENIGN: usize = 500;

#[test]
fn builtin_scanner_meets_accuracy_targets() {
    let corpus = corpus::generate(SEED, PROMPTS, BENIGN);
    let report = eval::evaluate(Scanner::builtin(), &corpus, SEED, 3);
    let details = format!(
        "{}\n{}",
        eval::render(&report),
        eval::render_examples(&report)
    );
    assert!(
        report.benign_bytes >= 200 * 1024,
        "benign corpus too small to measure 1 FP/100 KB"
    );
    assert!(
        report.panicked.is_empty(),
        "the scanner panicked on {:?}\n{details}",
        report.panicked
    );
    assert!(
        report.micro.f1 >= 0.97,
        "micro F1 {:.4} < 0.97\n{details}",
        report.micro.f1
    );
    assert!(
        report.secret_recall >= 0.99,
        "secret recall {:.4} < 0.99\n{details}",
        report.secret_recall
    );
    assert!(
        report.false_positives_per_100kb <= 1.0,
        "{:.2} false positives per 100 KB of benign text > 1\n{details}",
        report.false_positives_per_100kb
    );
}
