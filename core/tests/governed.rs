//! The governed call end to end against the local OpenRouter stand-in: EU-only routing sent and
//! checked, a violation withheld but charged, denials that never leave, a budget denial, an
//! upstream error, and an audit sink that fails closed; one audit record per call throughout.
#![cfg(feature = "transport")]

#[path = "support/mock_openrouter.rs"]
mod mock_openrouter;

use mock_openrouter::{runtime, start as mock, Mock};
use routeguard::audit::sink::LineCallback;
use routeguard::governed::GovernedClient;
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
    let guard = HostGuard::new(PolicySource::Json(POLICY), CatalogSource::Builtin).unwrap();
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
        guard,
        transport,
        ledger: Some(HostLedger::open("memory:").unwrap()),
        trail: Some(trail),
    }
}

fn records(client: &GovernedClient) -> Vec<Value> {
    client
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
    let answer = runtime().block_on(client.chat(ALICE, REQUEST)).unwrap();
    assert!(answer.allowed, "{:?}", answer.reasons);
    let response = answer.response.unwrap();
    assert!(response["choices"][0]["message"]["content"].is_string());
    let sent = runtime().block_on(mock.requests());
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
    runtime().block_on(mock.control(
        "script",
        json!([{"serve": {"provider": "anthropic", "model": "anthropic/claude-sonnet-4"}}]),
    ));
    let answer = runtime().block_on(client.chat(ALICE, REQUEST)).unwrap();
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
    let over = runtime().block_on(client.chat(ALICE, &big)).unwrap();
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
    runtime().block_on(mock.control("script", json!([{"status": 402}])));
    let answer = runtime().block_on(client.chat(ALICE, REQUEST)).unwrap();
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
    let err = runtime().block_on(client.chat(ALICE, REQUEST)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuditUnavailable);
}
