//! The Rust side of the binding-overhead table: the same call the Python, Node and C benchmarks
//! make (scan the 2 KB conformance prompt with the default scanner), timed in-process, so that the
//! difference is what crossing each binding costs.
//!
//! Prints `rust-core  <µs/call>` (Scanner::scan) and, for each offset unit, the `routeguard::host`
//! call the bindings make (`rust-bytes` for C, `rust-code-points` for Python, `rust-utf16` for
//! Node); medians of several runs.

use std::hint::black_box;
use std::time::Instant;

use routeguard::dlp::Scanner;
use routeguard::host::{ConfigSource, HostScanner, Unit};

const RUNS: usize = 7;
const CALLS: usize = 2_000;

fn median_micros(mut f: impl FnMut()) -> f64 {
    let mut runs: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..CALLS {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / CALLS as f64
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[RUNS / 2]
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/conformance/dlp/bench-prompt.txt"
    );
    let text = std::fs::read_to_string(path).expect("tests/conformance/dlp/bench-prompt.txt");
    let core = Scanner::builtin();
    let host = HostScanner::new(ConfigSource::Default).expect("default scanner");
    black_box(core.scan(&text));
    println!(
        "rust-core  {:.2}",
        median_micros(|| {
            black_box(core.scan(black_box(&text)));
        })
    );
    // What each binding calls: the scan plus offsets in its unit and owned finding records.
    for (name, unit) in [
        ("rust-bytes", Unit::Byte),
        ("rust-code-points", Unit::CodePoint),
        ("rust-utf16", Unit::Utf16),
    ] {
        println!(
            "{name}  {:.2}",
            median_micros(|| {
                black_box(host.scan(black_box(&text), unit));
            })
        );
    }
}
