//! The governed call end to end against the local OpenRouter stand-in: EU-only routing sent and
//! checked, a violation withheld but charged, denials that never leave, a budget denial, an
//! upstream error, and an audit sink that fails closed; streams that complete, error, break,
//! are cancelled or dropped, with response DLP and pseudonyms restored; one audit record and one
//! settlement per call throughout.
#![cfg(feature = "transport")]

#[path = "support/mock_openrouter.rs"]
mod mock_openrouter;

use mock_openrouter::{runtime, start as mock, Mock};

thread_local! {
    /// One runtime per test thread: a stream's connection belongs to the runtime that opened it.
    static RUNTIME: tokio::runtime::Runtime = runtime();
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    RUNTIME.with(|rt| rt.block_on(future))
}
use routeguard::audit::sink::LineCallback;
use routeguard::governed::client::{GovernedClient, GovernedStream};
use routeguard::governed::Governor;
use routeguard::host::{CatalogSource, HostAuditTrail, HostGuard, HostLedger, PolicySource};
use routeguard::openrouter::transport::{ApiKey, Transport, TransportConfig};
use routeguard::ErrorCode;
use serde_json::{json, Value};

const POLICY: &str = r#"{"version": 1,
  "defaults": {"models": {"allow": ["anthropic/*", "mistralai/*"]}},
  "workspaces": {"eu": {"providers": {"processing": ["EU"], "jurisdictions": ["EEA", "US"]},
                        "budgets": [{"scope": "user", "window": "daily", "limit_usd": "0.05"}]}},
  "users": {"alice": {}}}"#;
const ALICE: &str = r#"{"user": "alice", "workspace": "eu"}"#;
const REQUEST: &str = r#"{"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 100}"#;
const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

fn client(mock: &Mock, callback: Option<LineCallback>) -> GovernedClient {
    client_with(mock, callback, POLICY)
}

fn client_with(mock: &Mock, callback: Option<LineCallback>, policy: &str) -> GovernedClient {
    let guard = HostGuard::new(PolicySource::Json(policy), CatalogSource::Builtin).unwrap();
    let transport = Transport::new(
        ApiKey::new("sk-or-v1-governed-test").unwrap(),
        TransportConfig {
            base_url: mock.base_url(),
            backoff_ms: 5,
            ..TransportConfig::default()
        },
    )
    .unwrap();
    let sink = if callback.is_some() {
        "callback"
    } else {
        "memory"
    };
    let config =
        format!(r#"{{"sink": {{"type": "{sink}"}}, "writer": "governed.1", "prompt": "full"}}"#);
    let trail =
        HostAuditTrail::open(&config, KEY.as_bytes(), None, callback, "rust", None).unwrap();
    GovernedClient {
        governor: Governor {
            guard,
            ledger: Some(HostLedger::open("memory:").unwrap()),
            trail: Some(trail),
            hash_key: None,
        },
        transport,
    }
}

fn records(client: &GovernedClient) -> Vec<Value> {
    client
        .governor
        .trail
        .as_ref()
        .unwrap()
        .lines()
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &Value| r["kind"] == "interaction")
        .collect()
}

#[test]
fn an_eu_only_call_is_sent_with_eu_endpoints_served_in_the_eu_settled_and_recorded() {
    let mock = mock();
    let client = client(&mock, None);
    let answer = block_on(client.chat(ALICE, REQUEST)).unwrap();
    assert!(answer.allowed, "{:?}", answer.reasons);
    let response = answer.response.unwrap();
    assert!(response["choices"][0]["message"]["content"].is_string());
    let sent = block_on(mock.requests());
    let only = &sent.as_array().unwrap().last().unwrap()["body"]["provider"]["only"];
    assert!(!only.as_array().unwrap().is_empty());
    assert!(
        only.as_array()
            .unwrap()
            .iter()
            .all(|t| t.as_str().unwrap().contains("europe") || t.as_str().unwrap().contains("eu-")),
        "{only}"
    );
    let spend = answer.spend.unwrap();
    assert!(spend.actual_known && spend.charged_micros > 0);
    let recorded = records(&client);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["outcome"], "allowed");
    assert_eq!(recorded[0]["cost"]["billed_micros"], spend.charged_micros);
    assert_eq!(recorded[0]["routing"]["served_provider"], spend.provider);
}

#[test]
fn a_provider_outside_the_policy_is_a_violation_withheld_but_charged() {
    let mock = mock();
    let client = client(&mock, None);
    block_on(mock.control(
        "script",
        json!([{"serve": {"provider": "anthropic", "model": "anthropic/claude-sonnet-4"}}]),
    ));
    let answer = block_on(client.chat(ALICE, REQUEST)).unwrap();
    assert!(!answer.allowed);
    assert_eq!(answer.reasons[0].code, "provider_violation");
    let withheld = answer.response.unwrap();
    assert!(
        withheld["choices"][0]["message"]["content"]
            .as_str()
            .is_none_or(str::is_empty),
        "{withheld}"
    );
    assert!(
        answer.spend.unwrap().charged_micros > 0,
        "what was served is still paid for"
    );
    let recorded = records(&client);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["outcome"], "violation");
}

#[test]
fn denials_never_leave_and_budget_denials_name_the_cap() {
    let mock = mock();
    let client = client(&mock, None);
    let denied = runtime()
        .block_on(client.chat(
            ALICE,
            &REQUEST.replace("anthropic/claude-sonnet-4", "openai/gpt-4o"),
        ))
        .unwrap();
    assert!(!denied.allowed && denied.status.is_none());
    assert_eq!(
        runtime()
            .block_on(mock.requests())
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // A request whose worst case exceeds the $0.05 daily cap is held back before sending.
    let big = REQUEST.replace(r#""max_tokens": 100"#, r#""max_tokens": 8000"#);
    let over = block_on(client.chat(ALICE, &big)).unwrap();
    assert!(!over.allowed);
    assert_eq!(over.reasons[0].code, "budget_exceeded");
    assert!(
        over.reasons[0].message.contains("limit"),
        "{}",
        over.reasons[0].message
    );
    assert_eq!(
        runtime()
            .block_on(mock.requests())
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let recorded = records(&client);
    assert_eq!(
        recorded
            .iter()
            .map(|r| r["outcome"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["denied", "denied"]
    );
    assert_eq!(
        recorded[1]["decision"]["reasons"][0]["code"],
        "budget_exceeded"
    );
}

#[test]
fn an_upstream_error_is_settled_and_recorded_as_an_error() {
    let mock = mock();
    let client = client(&mock, None);
    block_on(mock.control("script", json!([{"status": 402}])));
    let answer = block_on(client.chat(ALICE, REQUEST)).unwrap();
    assert!(!answer.allowed);
    assert_eq!(answer.status, Some(402));
    assert_eq!(answer.reasons[0].code, "upstream_error");
    assert!(!answer.spend.unwrap().actual_known);
    let recorded = records(&client);
    assert_eq!(recorded[0]["outcome"], "error");
    assert_eq!(recorded[0]["error"]["status"], 402);
}

#[test]
fn a_failing_audit_sink_fails_the_call_closed() {
    let mock = mock();
    let client = client(
        &mock,
        Some(Box::new(|_line: &str| Err("SinkDown".to_string()))),
    );
    let err = block_on(client.chat(ALICE, REQUEST)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuditUnavailable);
}

/// Reads a governed stream to its end: the chunks passed on, and the error that ended it.
fn drain(stream: &mut GovernedStream) -> (Vec<Value>, Option<routeguard::Error>) {
    let mut chunks = Vec::new();
    loop {
        match block_on(stream.next()) {
            Ok(Some(chunk)) => chunks.push(chunk),
            Ok(None) => return (chunks, None),
            Err(e) => return (chunks, Some(e)),
        }
    }
}

fn text_of(chunks: &[Value]) -> String {
    chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect()
}

fn settled(client: &GovernedClient) -> Vec<routeguard::budget::SpendRecord> {
    client
        .governor
        .ledger
        .as_ref()
        .unwrap()
        .records(None, None)
        .unwrap()
}

#[test]
fn a_stream_passes_chunks_keeps_reading_after_the_finish_for_usage_and_records_once() {
    let mock = mock();
    let client = client(&mock, None);
    block_on(mock.control(
        "script",
        json!([{"content": "hello from the EU", "chunk_size": 4}]),
    ));
    let mut stream = block_on(client.stream(ALICE, REQUEST)).unwrap();
    assert!(stream.answer().is_none());
    let (chunks, error) = drain(&mut stream);
    assert!(error.is_none());
    assert_eq!(text_of(&chunks), "hello from the EU");
    assert!(
        chunks.last().unwrap()["usage"]["cost"].is_number(),
        "the usage chunk after the finish chunk is passed on"
    );
    let sent = block_on(mock.requests());
    let body = &sent.as_array().unwrap().last().unwrap()["body"];
    assert_eq!(body["stream"], true);
    assert_eq!(body["usage"]["include"], true);
    let answer = stream.answer().unwrap();
    assert!(answer.allowed && answer.stream, "{:?}", answer.reasons);
    assert_eq!(
        answer.response.as_ref().unwrap()["choices"][0]["message"]["content"],
        "hello from the EU"
    );
    let spend = answer.spend.as_ref().unwrap();
    assert!(spend.actual_known && spend.charged_micros > 0);
    assert_eq!(settled(&client).len(), 1);
    let recorded = records(&client);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["outcome"], "allowed");
    assert_eq!(recorded[0]["stream"], true);
    assert_eq!(recorded[0]["cost"]["billed_micros"], spend.charged_micros);
}

const DLP_POLICY: &str = r#"{"version": 1,
  "defaults": {"models": {"allow": ["anthropic/*"]},
    "dlp": {"scanner": {"actions": {"EMAIL_ADDRESS": "pseudonymize", "credit_card": "redact"}},
            "response": {"scan": true, "restore_pseudonyms": true}}},
  "users": {"alice": {}}, "workspaces": {"eu": {}}}"#;

#[test]
fn a_streamed_answer_is_scanned_and_pseudonyms_come_back_whatever_the_chunking() {
    let mock = mock();
    let client = client_with(&mock, None, DLP_POLICY);
    let request = r#"{"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "Write to ada@example.org please"}], "max_tokens": 50}"#;
    for chunk_size in [1, 3, 7] {
        block_on(mock.control(
            "script",
            json!([{"content": "Sure, <EMAIL_ADDRESS_1>: your card 4111 1111 1111 1111 is noted.", "chunk_size": chunk_size}]),
        ));
        let mut stream = block_on(client.stream(ALICE, request)).unwrap();
        let (chunks, error) = drain(&mut stream);
        assert!(error.is_none());
        let sent = block_on(mock.requests());
        let prompt = sent.as_array().unwrap().last().unwrap()["body"]["messages"][0]["content"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(!prompt.contains("ada@example.org"), "{prompt}");
        assert!(prompt.contains("<EMAIL_ADDRESS_1>"), "{prompt}");
        let text = text_of(&chunks);
        assert_eq!(
            text, "Sure, ada@example.org: your card [CREDIT_CARD] is noted.",
            "chunks of {chunk_size}"
        );
        let answer = stream.answer().unwrap();
        assert!(answer
            .findings
            .iter()
            .any(|f| f.path == "/choices/0/message/content" && f.category == "CREDIT_CARD"));
    }
    // The record keeps the model's text (hashed here), never the restored value.
    let recorded = records(&client);
    assert_eq!(recorded.len(), 3);
    let mut outside_prompt = recorded[0].clone();
    outside_prompt["prompt"] = Value::Null; // the test trail keeps prompts in full
    let line = outside_prompt.to_string();
    assert!(!line.contains("ada@example.org"), "{line}");
    assert!(line.contains("/choices/0/message/content"), "{line}");
}

#[test]
fn tool_call_arguments_in_a_whole_answer_are_scanned() {
    let mock = mock();
    let client = client_with(&mock, None, DLP_POLICY);
    block_on(mock.control(
        "script",
        json!([{"tool_calls": [{"function": {"name": "pay", "arguments": {"card": "4111 1111 1111 1111"}}}]}]),
    ));
    let answer = block_on(client.chat(ALICE, REQUEST)).unwrap();
    assert!(answer.allowed, "{:?}", answer.reasons);
    let args = answer.response.unwrap()["choices"][0]["message"]["tool_calls"][0]["function"]
        ["arguments"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        args.contains("[CREDIT_CARD]") && !args.contains("4111"),
        "{args}"
    );
}

#[test]
fn a_streamed_violation_passes_no_content_and_is_still_charged() {
    let mock = mock();
    let client = client(&mock, None);
    block_on(mock.control(
        "script",
        json!([{"serve": {"provider": "anthropic", "model": "anthropic/claude-sonnet-4"}}]),
    ));
    let mut stream = block_on(client.stream(ALICE, REQUEST)).unwrap();
    let (chunks, error) = drain(&mut stream);
    assert!(error.is_none());
    assert_eq!(text_of(&chunks), "");
    let answer = stream.answer().unwrap();
    assert_eq!(answer.reasons[0].code, "provider_violation");
    assert!(answer.response.is_none());
    assert_eq!(settled(&client).len(), 1);
    assert!(answer.spend.as_ref().unwrap().charged_micros > 0);
    assert_eq!(records(&client)[0]["outcome"], "violation");
}

#[test]
fn a_mid_stream_error_ends_the_call_as_an_upstream_error() {
    let mock = mock();
    let client = client(&mock, None);
    block_on(mock.control(
        "script",
        json!([{"content": "partial answer here", "chunk_size": 4, "stream_error_after": 2,
                "error": {"code": 502, "message": "Provider returned error"}}]),
    ));
    let mut stream = block_on(client.stream(ALICE, REQUEST)).unwrap();
    let (chunks, error) = drain(&mut stream);
    assert!(error.is_none());
    assert_eq!(text_of(&chunks), "partial ");
    assert!(chunks.iter().any(|c| c["error"]["code"] == 502));
    let answer = stream.answer().unwrap();
    assert_eq!(answer.reasons[0].code, "upstream_error");
    assert_eq!(settled(&client).len(), 1);
    let recorded = records(&client);
    assert_eq!(recorded[0]["outcome"], "error");
}

#[test]
fn a_cut_stream_is_reconciled_from_the_generation_record() {
    let mock = mock();
    let client = client(&mock, None);
    block_on(mock.control("generation-delay", json!({"lookups": 1})));
    block_on(mock.control(
        "script",
        json!([{"content": "this answer will be cut short", "chunk_size": 4, "stream_cut_after": 2}]),
    ));
    let mut stream = block_on(client.stream(ALICE, REQUEST)).unwrap();
    let (chunks, _error) = drain(&mut stream);
    assert_eq!(text_of(&chunks), "this ans");
    let answer = stream.answer().unwrap();
    assert!(!answer.allowed);
    let spend = answer.spend.as_ref().unwrap();
    assert!(
        spend.actual_known,
        "the generation record gives the cost the stream never sent"
    );
    assert_eq!(settled(&client).len(), 1);
    assert_eq!(records(&client)[0]["outcome"], "error");
}

#[test]
fn cancelling_or_dropping_a_stream_settles_and_records_it_once() {
    let mock = mock();
    let client = client(&mock, None);
    block_on(mock.control(
        "script",
        json!([{"content": "a long answer nobody reads", "chunk_size": 2},
               {"content": "another long answer", "chunk_size": 2}]),
    ));
    let mut stream = block_on(client.stream(ALICE, REQUEST)).unwrap();
    assert!(block_on(stream.next()).unwrap().is_some());
    block_on(stream.cancel()).unwrap();
    assert!(block_on(stream.next()).unwrap().is_none());
    let answer = stream.answer().unwrap();
    assert_eq!(answer.reasons[0].code, "cancelled");
    let mut dropped = block_on(client.stream(ALICE, REQUEST)).unwrap();
    assert!(block_on(dropped.next()).unwrap().is_some());
    drop(dropped);
    let spent = settled(&client);
    assert_eq!(spent.len(), 2);
    assert!(spent
        .iter()
        .all(|s| s.outcome == routeguard::budget::Outcome::Cancelled));
    let recorded = records(&client);
    assert_eq!(recorded.len(), 2);
    assert!(recorded.iter().all(|r| r["error"]["code"] == "cancelled"));
}

#[test]
fn an_error_status_before_the_first_token_gives_a_stream_with_its_answer() {
    let mock = mock();
    let client = client(&mock, None);
    block_on(mock.control("script", json!([{"status": 403}])));
    let mut stream = block_on(client.stream(ALICE, REQUEST)).unwrap();
    let answer = stream.answer().unwrap().clone();
    assert_eq!(answer.status, Some(403));
    assert_eq!(answer.reasons[0].code, "upstream_error");
    assert!(block_on(stream.next()).unwrap().is_none());
    let recorded = records(&client);
    assert_eq!(recorded.len(), 1);
    // The moderation metadata echoes the prompt: stored as the prompt's mode (`full` here).
    assert_eq!(recorded[0]["outcome"], "error");
}

/// A ledger whose store is down: every step fails as an unreachable database would.
struct DownLedger;

impl routeguard::budget::Ledger for DownLedger {
    fn reserve(
        &self,
        _: &routeguard::budget::ReserveRequest,
        _: i64,
    ) -> routeguard::Result<routeguard::budget::ReserveOutcome> {
        Err(down())
    }
    fn settle(
        &self,
        _: &str,
        _: &routeguard::budget::Settlement,
        _: i64,
    ) -> routeguard::Result<routeguard::budget::SpendRecord> {
        Err(down())
    }
    fn renew(&self, _: &str, _: u64, _: i64) -> routeguard::Result<()> {
        Err(down())
    }
    fn records(
        &self,
        _: Option<i64>,
        _: Option<i64>,
    ) -> routeguard::Result<Vec<routeguard::budget::SpendRecord>> {
        Err(down())
    }
    fn status(
        &self,
        _: &[routeguard::budget::Cap],
        _: i64,
    ) -> routeguard::Result<Vec<routeguard::budget::CapStatus>> {
        Err(down())
    }
    fn backend(&self) -> &'static str {
        "down"
    }
}

fn down() -> routeguard::Error {
    routeguard::Error::new(ErrorCode::LedgerUnavailable, "cannot connect to the ledger")
}

#[test]
fn a_failing_ledger_denies_unless_the_policy_fails_open_and_then_the_record_says_so() {
    let mock = mock();
    for (on_error, allowed) in [("deny", false), ("allow", true)] {
        let policy = POLICY.replacen(
            r#"{"version": 1,"#,
            &format!(r#"{{"version": 1, "on_error": "{on_error}","#),
            1,
        );
        let mut client = client_with(&mock, None, &policy);
        client.governor.ledger = Some(HostLedger::from_ledger(Box::new(DownLedger)));
        let result = block_on(client.chat(ALICE, REQUEST));
        let recorded = records(&client);
        assert_eq!(recorded.len(), 1, "{on_error}: one record");
        if allowed {
            let answer = result.unwrap();
            assert!(answer.allowed && answer.fail_open, "{:?}", answer.reasons);
            assert_eq!(answer.notices.last().unwrap().code, "fail_open");
            assert_eq!(recorded[0]["decision"]["fail_open"], true);
            assert_eq!(recorded[0]["decision"]["notices"][0]["code"], "fail_open");
            assert_eq!(recorded[0]["outcome"], "allowed");
        } else {
            let err = result.unwrap_err();
            assert_eq!(err.code(), ErrorCode::LedgerUnavailable);
            assert_eq!(recorded[0]["error"]["code"], "ledger_unavailable");
            assert_eq!(block_on(mock.requests()).as_array().unwrap().len(), 0);
        }
    }
}
