//! Speed of the built-in scanner, and of Presidio (regex recognizers only) on the same prompts in
//! the same run: single-thread MB/s over 2 KB prompts, p50/p99 latency per 4 KB prompt.
//!
//! `dlp-bench [--seed N] [--prompts N] [--latency N] [--presidio N] [--no-presidio] [--per-detector]`
//! `--per-detector` times every built-in detector alone and lists the slowest.
//! MB is 10^6 bytes. Build with `--release`; debug figures mean nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use routeguard::dlp::{Scanner, ScannerConfig};
use routeguard_benches::corpus;

struct Args {
    seed: u64,
    prompts: usize,
    latency: usize,
    presidio: usize,
    run_presidio: bool,
    per_detector: bool,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        seed: 42,
        prompts: 2000,
        latency: 3000,
        presidio: 300,
        run_presidio: true,
        per_detector: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut num = |name: &str| -> Result<u64, String> {
            it.next()
                .ok_or_else(|| format!("{name} needs a value"))?
                .parse()
                .map_err(|e| format!("{name}: {e}"))
        };
        match flag.as_str() {
            "--seed" => a.seed = num("--seed")?,
            "--prompts" => a.prompts = num("--prompts")? as usize,
            "--latency" => a.latency = num("--latency")? as usize,
            "--presidio" => a.presidio = num("--presidio")? as usize,
            "--no-presidio" => a.run_presidio = false,
            "--per-detector" => a.per_detector = true,
            "-h" | "--help" => {
                println!(
                    "dlp-bench [--seed N] [--prompts N] [--latency N] [--presidio N] [--no-presidio] [--per-detector]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

struct Figures {
    mb_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    texts: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn measure_routeguard(small: &[String], large: &[String]) -> Figures {
    let scanner = Scanner::builtin();
    for t in small.iter().chain(large).take(200) {
        std::hint::black_box(scanner.scan(t));
    }
    let bytes: usize = small.iter().map(String::len).sum();
    let start = Instant::now();
    let mut rounds = 0usize;
    while rounds == 0 || start.elapsed() < Duration::from_secs(3) {
        for t in small {
            std::hint::black_box(scanner.scan(std::hint::black_box(t)));
        }
        rounds += 1;
    }
    let mb_per_s = (bytes * rounds) as f64 / start.elapsed().as_secs_f64() / 1e6;
    let mut lat: Vec<Duration> = large
        .iter()
        .map(|t| {
            let s = Instant::now();
            std::hint::black_box(scanner.scan(std::hint::black_box(t)));
            s.elapsed()
        })
        .collect();
    lat.sort();
    Figures {
        mb_per_s,
        p50_ms: percentile(&lat, 0.5),
        p99_ms: percentile(&lat, 0.99),
        texts: small.len(),
    }
}

fn write_jsonl(path: &Path, texts: &[String]) -> std::io::Result<()> {
    let mut out = String::new();
    for t in texts {
        out.push_str(&serde_json::json!({ "text": t }).to_string());
        out.push('\n');
    }
    std::fs::write(path, out)
}

fn measure_presidio(
    python: &Path,
    script: &Path,
    small: &[String],
    large: &[String],
) -> Result<Figures, String> {
    let dir = std::env::temp_dir().join(format!("dlp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let (small_path, large_path) = (dir.join("small.jsonl"), dir.join("large.jsonl"));
    write_jsonl(&small_path, small).map_err(|e| e.to_string())?;
    write_jsonl(&large_path, large).map_err(|e| e.to_string())?;
    let out = Command::new(python)
        .arg(script)
        .arg("--throughput")
        .arg(&small_path)
        .arg("--latency")
        .arg(&large_path)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = out?;
    if !out.status.success() {
        return Err(format!(
            "presidio script failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or("");
    let v: serde_json::Value =
        serde_json::from_str(last).map_err(|e| format!("bad output {last:?}: {e}"))?;
    let f = |k: &str| {
        v[k].as_f64()
            .ok_or_else(|| format!("missing {k} in {last}"))
    };
    Ok(Figures {
        mb_per_s: f("mb_per_s")?,
        p50_ms: f("p50_ms")?,
        p99_ms: f("p99_ms")?,
        texts: f("texts")? as usize,
    })
}

/// Each detector alone over the same texts: where the time goes.
fn per_detector(texts: &[String]) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let ids: Vec<String> = Scanner::builtin()
        .detectors()
        .map(|d| d.id.to_string())
        .collect();
    let mut rows: Vec<(f64, String)> = Vec::new();
    for id in ids {
        let mut config = ScannerConfig::default();
        config.builtin.enable = vec![id.clone()];
        let scanner = match Scanner::from_config(&config) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{id}: {e}");
                continue;
            }
        };
        let start = Instant::now();
        for t in texts {
            std::hint::black_box(scanner.scan(std::hint::black_box(t)));
        }
        rows.push((start.elapsed().as_secs_f64(), id));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = rows.iter().map(|r| r.0).sum();
    println!(
        "\nper detector, alone, over {:.1} KB (sum of all: {:.1} ms):",
        bytes as f64 / 1024.0,
        total * 1000.0
    );
    println!(
        "{:<40} {:>10} {:>10} {:>8}",
        "detector", "ms", "MB/s", "share"
    );
    for (secs, id) in rows.iter().take(25) {
        println!(
            "{:<40} {:>10.2} {:>10.1} {:>7.1}%",
            id,
            secs * 1000.0,
            bytes as f64 / secs / 1e6,
            secs / total * 100.0
        );
    }
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("dlp-bench: {e}");
            return ExitCode::from(2);
        }
    };
    if cfg!(debug_assertions) {
        eprintln!("dlp-bench: this is a debug build; run with --release for meaningful figures");
    }
    let small = corpus::texts_of_size(args.seed, args.prompts, 2048);
    let large = corpus::texts_of_size(args.seed ^ 0x5eed, args.latency, 4096);
    let detectors = Scanner::builtin().detectors().count();
    println!(
        "routeguard built-in scanner: {detectors} detectors, single thread; {} x 2 KB prompts (throughput), {} x 4 KB prompts (latency)\n",
        small.len(),
        large.len()
    );
    let rg = measure_routeguard(&small, &large);

    let benches = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = benches.join(".venv/bin/python");
    let script = benches.join("presidio/bench_presidio.py");
    let presidio = if !args.run_presidio {
        None
    } else if !python.exists() {
        eprintln!(
            "Presidio comparison skipped: no virtualenv at {}.\nCreate it with `bash {}` (pip install presidio-analyzer; no model download), then run again.\n",
            python.display(),
            benches.join("presidio/setup.sh").display()
        );
        None
    } else {
        let n = args.presidio.min(small.len()).min(large.len());
        match measure_presidio(&python, &script, &small[..n], &large[..n]) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("Presidio comparison failed: {e}");
                None
            }
        }
    };

    println!(
        "{:<34} {:>12} {:>14} {:>14} {:>8}",
        "engine", "MB/s (2 KB)", "p50 ms (4 KB)", "p99 ms (4 KB)", "texts"
    );
    println!("{}", "-".repeat(86));
    println!(
        "{:<34} {:>12.1} {:>14.4} {:>14.4} {:>8}",
        "routeguard (all detectors)", rg.mb_per_s, rg.p50_ms, rg.p99_ms, rg.texts
    );
    if let Some(p) = &presidio {
        println!(
            "{:<34} {:>12.3} {:>14.2} {:>14.2} {:>8}",
            "presidio-analyzer (regex only)", p.mb_per_s, p.p50_ms, p.p99_ms, p.texts
        );
        println!("{}", "-".repeat(86));
        println!(
            "{:<34} {:>11.0}x {:>13.0}x {:>13.0}x",
            "routeguard / presidio",
            rg.mb_per_s / p.mb_per_s,
            p.p50_ms / rg.p50_ms,
            p.p99_ms / rg.p99_ms
        );
    }
    if args.per_detector {
        per_detector(&small[..small.len().min(300)]);
    }
    ExitCode::SUCCESS
}
