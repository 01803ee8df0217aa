//! Audit trail throughput: records per second with the chain on (HMAC per record, a signed
//! checkpoint every 1,000), per sink and fsync policy, beside the cost of the canonical form alone.
//!
//! Usage: `audit-bench [RECORDS] [POSTGRES_URL]`; prints one table row per configuration.

use std::time::Instant;

use routeguard::audit::config::TrailConfig;
use routeguard::audit::{to_canonical, ChainKey, SigningKey};

const KEY: &[u8] = b"benchmark chain key, 32 bytes!!!";

/// A typical interaction: principal, models, routing, one DLP finding, tokens, costs (~1 KB).
fn event(n: usize) -> String {
    format!(
        r#"{{"outcome": "allowed", "id": "evt-{n}", "principal": {{"user": "user-{}", "workspace": "eu-health", "groups": ["clinicians"]}},
        "policy": {{"version": 1, "hash": "sha256:e40b49f54b356f22504a14d2fc4ed7b94e630cbdd7015ba248ab79d9d9e4a751"}},
        "model": {{"requested": "anthropic/claude-sonnet-4", "fallbacks": ["mistralai/mistral-large"], "served": "anthropic/claude-sonnet-4"}},
        "routing": {{"constraints": {{"only": ["google-vertex/europe-west1", "mistral"], "allow_fallbacks": false, "data_collection": "deny"}}, "served_provider": "google-vertex"}},
        "dlp": [{{"detector": "email_address", "category": "EMAIL_ADDRESS", "action": "mask", "count": 1, "spans": [{{"path": "/messages/0/content", "start": 5, "end": 25}}]}}],
        "prompt": [{{"role": "user", "content": "Mail ******************** the summary of case {n}"}}],
        "tokens": {{"prompt": 812, "completion": 240}}, "cost": {{"estimated_micros": 6036, "reserved_micros": 6036, "billed_micros": 2841, "billed_known": true}},
        "latency_ms": 912, "generation_id": "gen-{n}", "sdk": {{"language": "rust", "version": "0.1.0"}}}}"#,
        n % 97
    )
}

fn rate(records: usize, seconds: f64) -> String {
    format!(
        "{:>10.0}/s {:>9.1} µs",
        records as f64 / seconds,
        seconds * 1e6 / records as f64
    )
}

fn run(name: &str, config: &str, records: usize) {
    let opened = TrailConfig::parse(config)
        .unwrap()
        .open(
            ChainKey::new(KEY).unwrap(),
            Some(SigningKey::from_seed(&[3; 32]).unwrap()),
            None,
            0,
        )
        .unwrap();
    let events: Vec<String> = (0..records).map(event).collect();
    let start = Instant::now();
    for (n, e) in events.iter().enumerate() {
        opened
            .trail
            .write_json(e, 1_795_500_000_000 + n as i64)
            .unwrap();
    }
    opened
        .trail
        .close(1_795_500_000_000 + records as i64)
        .unwrap();
    println!(
        "{name:<34} {}",
        rate(records, start.elapsed().as_secs_f64())
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let records: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let dir = std::env::temp_dir().join(format!("rg-audit-bench-{}", std::process::id()));
    let jsonl = |fsync: &str| {
        format!(
            r#"{{"sink": {{"type": "jsonl", "path": {:?}, "fsync": {fsync}}}, "writer": "bench.{}", "checkpoint_interval_ms": 0}}"#,
            dir.display().to_string(),
            fsync.len()
        )
    };
    println!(
        "{:<34} {:>12} {:>12}",
        "configuration", "records", "per record"
    );

    let events: Vec<serde_json::Value> = (0..records)
        .map(|n| serde_json::from_str(&event(n)).unwrap())
        .collect();
    let start = Instant::now();
    let bytes: usize = events.iter().map(|e| to_canonical(e).unwrap().len()).sum();
    println!(
        "{:<34} {}",
        "canonical JSON only (no chain)",
        rate(records, start.elapsed().as_secs_f64())
    );

    run(
        "memory sink, chain on",
        r#"{"sink": {"type": "memory"}, "writer": "bench.mem", "checkpoint_interval_ms": 0}"#,
        records,
    );
    run("jsonl, fsync never", &jsonl(r#""never""#), records);
    run(
        "jsonl, fsync every 200 ms",
        &jsonl(r#"{"interval_ms": 200}"#),
        records,
    );
    let durable = (records / 10).max(200);
    run(
        &format!("jsonl, fsync every record ({durable})"),
        &jsonl(r#""every""#),
        durable,
    );
    if let Some(url) = args.get(2) {
        let pg = (records / 10).max(200);
        run(
            &format!("postgres, one commit per record ({pg})"),
            &format!(
                r#"{{"sink": {{"type": "postgres", "url": "{url}"}}, "writer": "bench.pg.{}", "checkpoint_interval_ms": 0}}"#,
                std::process::id()
            ),
            pg,
        );
    }
    println!(
        "(records average {} bytes of canonical JSON)",
        bytes / records.max(1)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
