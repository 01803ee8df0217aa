//! Load on a ledger from one process, for the concurrency tests and `make bench`.
//!
//!   ledger-load race URL THREADS ATTEMPTS AMOUNT LIMIT
//!       THREADS threads each try ATTEMPTS reserve+settle cycles of AMOUNT micro-dollars against
//!       one monthly cap of LIMIT (subject `workspace:race`), settling the reserved amount; prints
//!       `reserved=N denied=M`.
//!   ledger-load hold URL AMOUNT LEASE_MS
//!       reserves AMOUNT on the same cap with a lease, prints `held ID`, then sleeps until killed.
//!   ledger-load bench URL THREADS SECONDS
//!       reserve+settle cycles on per-thread caps for SECONDS; prints `ops_per_sec=X`.
//! Every loop is bounded: by ATTEMPTS, by SECONDS, or (hold) by a 10-minute sleep.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use routeguard::budget::{open, Cap, Ledger, Outcome, ReserveRequest, Settlement, SpendMeta};
use routeguard::host::now_ms;
use routeguard::policy::Window;

fn cap(subject: &str, limit: u64) -> Cap {
    Cap {
        rule: "workspaces.race.budgets[0]".to_string(),
        subject: subject.to_string(),
        window: Window::Monthly,
        limit_micros: limit,
        shadow: false,
    }
}

fn request(caps: Vec<Cap>, amount: u64, lease_ms: u64) -> ReserveRequest {
    ReserveRequest {
        caps,
        amount_micros: amount,
        estimate_micros: amount,
        lease_ms,
        meta: SpendMeta {
            user: "load".to_string(),
            workspace: "race".to_string(),
            model: "anthropic/claude-sonnet-4".to_string(),
            ..SpendMeta::default()
        },
    }
}

fn settle(ledger: &dyn Ledger, id: &str, amount: u64) {
    ledger
        .settle(
            id,
            &Settlement {
                outcome: Outcome::Completed,
                actual_micros: Some(amount),
                provider: Some("anthropic".to_string()),
                model: Some("anthropic/claude-sonnet-4".to_string()),
                prompt_tokens: Some(100),
                completion_tokens: Some(10),
            },
            now_ms(),
        )
        .expect("settle");
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, name: &str) -> T {
    args.get(i)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("argument {i} ({name}) missing or invalid; see the module doc"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("");
    let url: String = arg(&args, 2, "URL");
    let ledger: Arc<dyn Ledger> = Arc::from(open(&url).unwrap_or_else(|e| panic!("{e}")));
    match mode {
        "race" => {
            let threads: usize = arg(&args, 3, "THREADS");
            let attempts: usize = arg(&args, 4, "ATTEMPTS");
            let amount: u64 = arg(&args, 5, "AMOUNT");
            let limit: u64 = arg(&args, 6, "LIMIT");
            let reserved = Arc::new(AtomicU64::new(0));
            let denied = Arc::new(AtomicU64::new(0));
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    let (ledger, reserved, denied) =
                        (ledger.clone(), reserved.clone(), denied.clone());
                    std::thread::spawn(move || {
                        for _ in 0..attempts {
                            let out = ledger
                                .reserve(
                                    &request(vec![cap("workspace:race", limit)], amount, 60_000),
                                    now_ms(),
                                )
                                .expect("reserve");
                            match out.id {
                                Some(id) => {
                                    reserved.fetch_add(1, Ordering::Relaxed);
                                    // Hold it a moment, as a real request would.
                                    std::thread::sleep(Duration::from_millis(2));
                                    settle(&*ledger, &id, amount);
                                }
                                None => {
                                    denied.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                        }
                    })
                })
                .collect();
            for w in workers {
                w.join().expect("worker");
            }
            println!(
                "reserved={} denied={}",
                reserved.load(Ordering::Relaxed),
                denied.load(Ordering::Relaxed)
            );
        }
        "hold" => {
            let amount: u64 = arg(&args, 3, "AMOUNT");
            let lease: u64 = arg(&args, 4, "LEASE_MS");
            let out = ledger
                .reserve(
                    &request(vec![cap("workspace:race", u64::MAX)], amount, lease),
                    now_ms(),
                )
                .expect("reserve");
            println!("held {}", out.id.expect("an unlimited cap reserves"));
            std::thread::sleep(Duration::from_secs(600));
        }
        "bench" => {
            let threads: usize = arg(&args, 3, "THREADS");
            let seconds: f64 = arg(&args, 4, "SECONDS");
            let done = Arc::new(AtomicU64::new(0));
            let start = Instant::now();
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    let (ledger, done) = (ledger.clone(), done.clone());
                    std::thread::spawn(move || {
                        // Each caller has its own user cap and shares the workspace cap, as
                        // users of one workspace do.
                        let caps = vec![
                            cap(&format!("user:bench-{t}"), u64::MAX / 4),
                            cap("workspace:bench", u64::MAX / 4),
                        ];
                        while start.elapsed().as_secs_f64() < seconds {
                            let out = ledger
                                .reserve(&request(caps.clone(), 1_000, 60_000), now_ms())
                                .expect("reserve");
                            settle(&*ledger, &out.id.expect("reserved"), 900);
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                    })
                })
                .collect();
            for w in workers {
                w.join().expect("worker");
            }
            let secs = start.elapsed().as_secs_f64();
            println!(
                "ops_per_sec={:.0}",
                done.load(Ordering::Relaxed) as f64 / secs
            );
        }
        _ => {
            eprintln!("usage: ledger-load race|hold|bench URL ...; see the module doc");
            std::process::exit(2);
        }
    }
}
