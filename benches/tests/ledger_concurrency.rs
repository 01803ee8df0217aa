//! Budgets under real concurrency: 4 processes x 16 threads race one cap on the shared backends
//! (SQLite file, PostgreSQL when `ROUTEGUARD_TEST_POSTGRES` is set), and a process killed while
//! holding a reservation frees it when its lease runs out. The workers are `ledger-load`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use routeguard::budget::{open, Cap, ReserveRequest, SpendMeta};
use routeguard::host::now_ms;
use routeguard::policy::Window;

const LOAD: &str = env!("CARGO_BIN_EXE_ledger-load");

/// The shared backends to run on, each a fresh store for `name`.
fn stores(name: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("rg-race-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = vec![format!(
        "sqlite:{}",
        dir.join(format!("{name}.db")).display()
    )];
    match std::env::var("ROUTEGUARD_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client
                .batch_execute(&format!(
                    "DROP SCHEMA IF EXISTS race_{name} CASCADE; CREATE SCHEMA race_{name};"
                ))
                .unwrap();
            let sep = if url.contains('?') { '&' } else { '?' };
            out.push(format!("{url}{sep}options=-csearch_path%3Drace_{name}"));
        }
        _ => assert!(
            std::env::var("ROUTEGUARD_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "ROUTEGUARD_REQUIRE_POSTGRES=1 but ROUTEGUARD_TEST_POSTGRES is not set"
        ),
    }
    out
}

fn race_cap(limit: u64) -> Cap {
    Cap {
        rule: "workspaces.race.budgets[0]".to_string(),
        subject: "workspace:race".to_string(),
        window: Window::Monthly,
        limit_micros: limit,
        shadow: false,
    }
}

#[test]
fn four_processes_of_sixteen_threads_never_pass_the_cap() {
    const AMOUNT: u64 = 70_000;
    const LIMIT: u64 = 1_000_000;
    for url in stores("cap") {
        // The workers also race to create the schema of the fresh store.
        let workers: Vec<_> = (0..4)
            .map(|_| {
                Command::new(LOAD)
                    .args([
                        "race",
                        &url,
                        "16",
                        "5",
                        &AMOUNT.to_string(),
                        &LIMIT.to_string(),
                    ])
                    .stdout(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut reserved = 0;
        let mut attempts = 0;
        for w in workers {
            let out = w.wait_with_output().unwrap();
            assert!(out.status.success(), "{url}: worker failed");
            let line = String::from_utf8(out.stdout).unwrap();
            let field = |k: &str| -> u64 {
                line.split_whitespace()
                    .find_map(|f| f.strip_prefix(k))
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            reserved += field("reserved=");
            attempts += field("reserved=") + field("denied=");
        }
        assert_eq!(attempts, 4 * 16 * 5);
        let ledger = open(&url).unwrap();
        let status = ledger.status(&[race_cap(LIMIT)], now_ms()).unwrap();
        // Each admitted request settled exactly its reservation, so the bound is exact: as many
        // as fit (14 x 70,000 = 980,000) and not one more, however the 64 callers interleave.
        assert_eq!(reserved, LIMIT / AMOUNT, "{url}");
        assert_eq!(status[0].spent_micros, reserved * AMOUNT, "{url}");
        assert!(status[0].spent_micros <= LIMIT);
        assert_eq!(status[0].reserved_micros, 0);
        assert_eq!(ledger.records(None, None).unwrap().len() as u64, reserved);
    }
}

#[test]
fn a_killed_process_frees_its_reservation_when_the_lease_ends() {
    const LEASE_MS: u64 = 1500;
    for url in stores("lease") {
        let ledger = open(&url).unwrap();
        let mut holder = Command::new(LOAD)
            .args(["hold", &url, "900000", &LEASE_MS.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(holder.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("held rsv_"), "{url}: {line}");
        let held_at = Instant::now();
        holder.kill().unwrap();
        holder.wait().unwrap();
        let ask = || {
            ledger
                .reserve(
                    &ReserveRequest {
                        caps: vec![race_cap(1_000_000)],
                        amount_micros: 200_000,
                        estimate_micros: 200_000,
                        lease_ms: 60_000,
                        meta: SpendMeta::default(),
                    },
                    now_ms(),
                )
                .unwrap()
        };
        // The dead process's hold still counts until its lease ends...
        if held_at.elapsed() < Duration::from_millis(LEASE_MS - 500) {
            let denied = ask();
            assert!(!denied.reserved, "{url}");
            assert_eq!(denied.denials[0].cap.reserved_micros, 900_000);
        }
        // ...and then nothing of it is locked.
        std::thread::sleep(Duration::from_millis(LEASE_MS + 100).saturating_sub(held_at.elapsed()));
        let after = ask();
        assert!(after.reserved, "{url}: {after:?}");
        assert_eq!(after.caps[0].reserved_micros, 0);
    }
}
