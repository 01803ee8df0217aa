//! What a governed call adds to an OpenRouter call, measured three ways in one run:
//!
//! 1. In process, without the network: `Governor::begin` + `Call::complete` over a canned
//!    response (policy, DLP on the request, routing, reservation, verify, response DLP, settle,
//!    audit record on a memory ledger and trail). This is the overhead a real call pays on top of
//!    OpenRouter's own latency; the target is under 100 µs at p99.
//! 2. End to end against the local stand-in: a direct HTTP call (reqwest, same connection pool
//!    settings) against `HostClient::chat`, p50/p99 of each and the difference.
//! 3. Streams: time to first token direct, governed without response DLP, and governed with
//!    response DLP (its hold-back is what a scanning stream adds).
//!
//! Usage: governed-bench [CALLS]  (default 2000 in process, CALLS/10 over HTTP)

use std::time::Instant;

#[path = "../../../core/tests/support/mock_openrouter.rs"]
#[allow(dead_code)] // the tests' helper; the bench does not list requests
mod mock_openrouter;

use routeguard::governed::{Begun, Governor};
use routeguard::host::{
    CatalogSource, HostAuditTrail, HostClient, HostGuard, HostLedger, PolicySource,
};
use serde_json::{json, Value};

const POLICY: &str = r#"{"version": 1,
  "defaults": {"models": {"allow": ["anthropic/*"]},
    "providers": {"processing": ["EU"], "jurisdictions": ["EEA", "US"]},
    "dlp": {"scanner": {"actions": {"EMAIL_ADDRESS": "pseudonymize"}}, "response": {"scan": SCAN, "restore_pseudonyms": true}},
    "budgets": [{"scope": "user", "window": "daily", "limit_usd": 1000000}]},
  "users": {"alice": {}}, "workspaces": {"eu": {}}}"#;
const ALICE: &str = r#"{"user": "alice", "workspace": "eu"}"#;
const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

fn request(stream: bool) -> String {
    json!({"model": "anthropic/claude-sonnet-4", "max_tokens": 200, "stream": stream,
        "messages": [{"role": "system", "content": "You are a helpful assistant for the support desk."},
                     {"role": "user", "content": "My e-mail is ada@example.org; please summarise my last three orders and tell me when the next delivery arrives."}]})
    .to_string()
}

fn percentiles(mut micros: Vec<f64>) -> (f64, f64) {
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() as f64 - 1.0) * q).round() as usize];
    (at(0.50), at(0.99))
}

fn parts(scan: bool) -> (HostGuard, HostLedger, HostAuditTrail) {
    let policy = POLICY.replace("SCAN", if scan { "true" } else { "false" });
    let guard = HostGuard::new(PolicySource::Json(&policy), CatalogSource::Builtin).unwrap();
    let ledger = HostLedger::open("memory:").unwrap();
    let trail = HostAuditTrail::open(
        r#"{"sink": {"type": "memory"}, "writer": "bench.1", "prompt": "redacted", "response": "hash"}"#,
        KEY,
        None,
        None,
        "rust",
        None,
    )
    .unwrap();
    (guard, ledger, trail)
}

fn in_process(calls: usize) -> (f64, f64) {
    let (guard, ledger, trail) = parts(true);
    let governor = Governor {
        guard,
        ledger: Some(ledger),
        trail: Some(trail),
        hash_key: None,
    };
    let response = json!({"id": "gen-1", "provider": "Google", "model": "anthropic/claude-sonnet-4",
        "object": "chat.completion", "choices": [{"index": 0, "finish_reason": "stop",
        "message": {"role": "assistant", "content": "Your last three orders were shipped; <EMAIL_ADDRESS_1> will get the tracking link. The next delivery arrives on Thursday."}}],
        "usage": {"prompt_tokens": 48, "completion_tokens": 30, "total_tokens": 78, "cost": 0.000594}});
    let request = request(false);
    let one = || {
        let started = Instant::now();
        let Begun::Send(call) = governor.begin(ALICE, &request).unwrap() else {
            panic!("the bench request is allowed")
        };
        let answer = call.complete(200, response.clone()).unwrap();
        assert!(answer.allowed);
        started.elapsed().as_secs_f64() * 1e6
    };
    for _ in 0..200 {
        one();
    }
    percentiles((0..calls).map(|_| one()).collect())
}

fn main() {
    let calls: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let http_calls = (calls / 10).max(50);

    let (p50, p99) = in_process(calls);
    println!("governed call overhead, in process ({calls} calls, memory ledger and trail, response DLP on)");
    println!("  {:<44} {:>9} {:>9}", "", "p50 µs", "p99 µs");
    println!(
        "  {:<44} {:>9.1} {:>9.1}",
        "begin + complete (no network)", p50, p99
    );

    let mock = mock_openrouter::start();
    let base = mock.base_url();
    let key_file = std::env::temp_dir().join(format!("rg-bench-key-{}", std::process::id()));
    std::fs::write(&key_file, "sk-or-v1-bench\n").unwrap();
    let options = json!({"base_url": base, "api_key_file": key_file.to_str().unwrap()}).to_string();
    let runtime = mock_openrouter::runtime();
    let direct = reqwest::Client::new();
    let direct_call = |body: &str| -> f64 {
        let started = Instant::now();
        runtime.block_on(async {
            let response = direct
                .post(format!("{base}/chat/completions"))
                .header("authorization", "Bearer sk-or-v1-bench")
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            let _: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        });
        started.elapsed().as_secs_f64() * 1e6
    };
    let (guard, ledger, trail) = parts(true);
    let client = HostClient::new(&guard, Some(&ledger), Some(&trail), &options).unwrap();
    let governed_call = |body: &str| -> f64 {
        let started = Instant::now();
        let answer = client.chat(ALICE, body).unwrap();
        assert!(answer.contains("\"allowed\":true"), "{answer}");
        started.elapsed().as_secs_f64() * 1e6
    };
    // Direct calls send what the governed call sends (constrained, DLP applied), so both ask the
    // stand-in for the same work.
    let Begun::Send(call) = Governor {
        guard: guard.clone(),
        ledger: None,
        trail: None,
        hash_key: None,
    }
    .begin(ALICE, &request(false))
    .unwrap() else {
        panic!("allowed")
    };
    let sent = call.request().to_string();
    drop(call);
    for _ in 0..20 {
        direct_call(&sent);
        governed_call(&request(false));
    }
    let mut direct_us = Vec::new();
    let mut governed_us = Vec::new();
    for _ in 0..http_calls {
        direct_us.push(direct_call(&sent));
        governed_us.push(governed_call(&request(false)));
    }
    let (d50, d99) = percentiles(direct_us);
    let (g50, g99) = percentiles(governed_us);
    println!();
    println!("end to end against the local stand-in ({http_calls} calls each, interleaved; the stand-in is Python, so its own time dominates)");
    println!("  {:<44} {:>9} {:>9}", "", "p50 µs", "p99 µs");
    println!(
        "  {:<44} {:>9.0} {:>9.0}",
        "direct HTTP (reqwest)", d50, d99
    );
    println!(
        "  {:<44} {:>9.0} {:>9.0}",
        "governed (HostClient::chat)", g50, g99
    );
    println!(
        "  {:<44} {:>9.0} {:>9.0}",
        "difference",
        g50 - d50,
        g99 - d99
    );

    // Time to first content token on a streamed answer.
    let script = |content: &str| {
        runtime.block_on(mock.control(
            "script",
            json!([{"content": content, "chunk_size": 8, "keepalives": 0}]),
        ));
    };
    let answer_text = "Your last three orders were shipped; the tracking link is on its way. The next delivery arrives on Thursday.";
    let direct_ttft = || -> f64 {
        script(answer_text);
        let started = Instant::now();
        runtime.block_on(async {
            let mut response = direct
                .post(format!("{base}/chat/completions"))
                .header("authorization", "Bearer sk-or-v1-bench")
                .header("content-type", "application/json")
                .body(request(true))
                .send()
                .await
                .unwrap();
            let mut seen = String::new();
            while let Some(bytes) = response.chunk().await.unwrap() {
                seen.push_str(&String::from_utf8_lossy(&bytes));
                if seen.contains("\"content\":\"") {
                    break;
                }
            }
        });
        started.elapsed().as_secs_f64() * 1e6
    };
    let ttft_of = |client: &HostClient| -> f64 {
        script(answer_text);
        let started = Instant::now();
        let stream = client.stream(ALICE, &request(true)).unwrap();
        loop {
            let chunk: Value =
                serde_json::from_str(&stream.next().unwrap().expect("content")).unwrap();
            if chunk["choices"][0]["delta"]["content"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
            {
                break;
            }
        }
        let elapsed = started.elapsed().as_secs_f64() * 1e6;
        stream.cancel().unwrap();
        elapsed
    };
    let (guard_plain, ledger_plain, trail_plain) = parts(false);
    let plain = HostClient::new(
        &guard_plain,
        Some(&ledger_plain),
        Some(&trail_plain),
        &options,
    )
    .unwrap();
    let ttft_calls = (http_calls / 2).max(30);
    let mut rows = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..ttft_calls {
        rows[0].push(direct_ttft());
        rows[1].push(ttft_of(&plain));
        rows[2].push(ttft_of(&client));
    }
    println!();
    println!("time to first token, streamed ({ttft_calls} streams each; 8-character chunks)");
    println!("  {:<44} {:>9} {:>9}", "", "p50 µs", "p99 µs");
    for (name, samples) in [
        "direct HTTP (reqwest)",
        "governed, response DLP off",
        "governed, response DLP on (hold-back)",
    ]
    .iter()
    .zip(rows)
    {
        let (p50, p99) = percentiles(samples);
        println!("  {name:<44} {p50:>9.0} {p99:>9.0}");
    }
    let _ = std::fs::remove_file(key_file);
}
