//! The cost of `Guard::prepare` for a typical request: policy resolution, model checks, DLP over
//! a 4 KB prompt and routing over the built-in catalogue, with `examples/policy.yaml` and the
//! EU workspace (residency, ZDR, plugins denied). Prints p50 and p99 in microseconds, with the
//! parts measured on their own so that the table shows where the time goes.
//!
//! `prepare-bench [--requests N]` (default 2000). Build with `--release`.

use std::hint::black_box;
use std::time::Instant;

use routeguard::dlp::{Scanner, ScannerConfig};
use routeguard::guard::{Decision, Guard, PrepareOptions};
use routeguard::policy::{Policy, Principal};

fn percentiles(mut micros: Vec<f64>) -> (f64, f64) {
    micros.sort_by(f64::total_cmp);
    let at = |p: f64| micros[((micros.len() as f64 - 1.0) * p).round() as usize];
    (at(0.50), at(0.99))
}

fn time(n: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    for i in 0..n.min(50) {
        f(i); // warm-up: compiled scanners, caches
    }
    let samples = (0..n)
        .map(|i| {
            let start = Instant::now();
            f(i);
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    percentiles(samples)
}

fn main() {
    let n: usize = std::env::args()
        .skip_while(|a| a != "--requests")
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let policy =
        Policy::from_file(format!("{root}/examples/policy.yaml").as_ref()).expect("example policy");
    let guard = Guard::new(policy.clone()).expect("example policy over the built-in catalogue");
    let principal = Principal::new("alice", "eu-health");
    // A realistic 4 KB prompt: prose with a few personal data items, as an application sends it.
    let base = std::fs::read_to_string(format!("{root}/tests/conformance/dlp/bench-prompt.txt"))
        .expect("bench prompt");
    let mut prompt = base.clone();
    while prompt.len() < 4096 {
        prompt.push_str(&base);
    }
    let mut cut = 4096;
    while !prompt.is_char_boundary(cut) {
        cut -= 1;
    }
    prompt.truncate(cut);
    // The prompt carries secrets (blocked by the policy): scan a version without them so that
    // `prepare` goes all the way to an allowed request.
    let scanner = Scanner::from_config(&ScannerConfig::default()).expect("scanner");
    let clean: String = {
        let findings = scanner.scan(&prompt);
        let mut out = String::new();
        let mut at = 0;
        for f in findings
            .iter()
            .filter(|f| f.kind == routeguard::dlp::Kind::Secret)
        {
            out.push_str(&prompt[at..f.start]);
            at = f.end;
        }
        out.push_str(&prompt[at..]);
        out
    };
    let request = serde_json::json!({
        "model": "anthropic/claude-sonnet-4",
        "models": ["anthropic/claude-sonnet-4", "mistralai/mistral-large"],
        "messages": [
            {"role": "system", "content": "You are a helpful assistant for a hospital's billing office."},
            {"role": "user", "content": clean},
        ],
    })
    .to_string();
    match guard
        .prepare(&principal, &request, PrepareOptions::default())
        .expect("prepare")
    {
        Decision::Allow(p) => eprintln!(
            "prepared: models {:?}, providers {:?}, {} findings",
            p.models,
            p.providers,
            p.findings.len()
        ),
        Decision::Deny { reasons, .. } => {
            panic!("the benchmark request must be allowed: {reasons:?}")
        }
    }
    let (p50, p99) = time(n, |_| {
        black_box(
            guard
                .prepare(&principal, black_box(&request), PrepareOptions::default())
                .unwrap(),
        );
    });
    let (r50, r99) = time(n, |_| {
        black_box(policy.resolve(black_box(&principal)).unwrap());
    });
    let dlp_scanner = Scanner::builtin();
    let (d50, d99) = time(n, |_| {
        black_box(dlp_scanner.scan(black_box(&clean)));
    });
    println!(
        "{:<44} {:>10} {:>10}",
        "step (4 KB prompt, examples/policy.yaml)", "p50 µs", "p99 µs"
    );
    println!(
        "{:<44} {:>10.1} {:>10.1}",
        "prepare (resolve + models + DLP + routing)", p50, p99
    );
    println!(
        "{:<44} {:>10.1} {:>10.1}",
        "  policy resolution alone", r50, r99
    );
    println!(
        "{:<44} {:>10.1} {:>10.1}",
        "  DLP scan of the prompt alone (all detectors)", d50, d99
    );
    println!("requests: {n}; target: prepare p99 under 50 µs");
}
