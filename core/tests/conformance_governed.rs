//! Runs tests/conformance/governed/calls.json through the host API against the local
//! OpenRouter stand-in: the same cases the Python, Node and C suites run.
#![cfg(feature = "transport")]

mod common;
#[path = "support/mock_openrouter.rs"]
mod mock_openrouter;

use routeguard::host::{
    CatalogSource, HostAuditTrail, HostBegun, HostClient, HostGovernor, HostGuard, HostLedger,
    PolicySource,
};
use serde_json::{json, Value};

fn content_of(value: &Value) -> String {
    value["choices"][0]["message"]["content"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn governed_calls() {
    let suite = common::load("governed/calls.json");
    let chain_key = common::load("audit/records.json")["chain_key"]
        .as_str()
        .unwrap()
        .to_string();
    let key_bytes = routeguard::audit::chain::unhex(&chain_key).unwrap();
    let mock = mock_openrouter::start();
    let rt = mock_openrouter::runtime();
    let key_file = std::env::temp_dir().join(format!("rg-conformance-key-{}", std::process::id()));
    std::fs::write(&key_file, "sk-or-v1-conformance\n").unwrap();
    let options = json!({"base_url": mock.base_url(), "backoff_ms": 5,
                         "api_key_file": key_file.to_str().unwrap()})
    .to_string();
    let cases = suite["cases"].as_array().unwrap();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        rt.block_on(mock.control("reset", json!({})));
        if !case["script"].is_null() {
            rt.block_on(mock.control("script", case["script"].clone()));
        }
        let policy = suite["policies"][case["policy"].as_str().unwrap()].to_string();
        let guard = HostGuard::new(PolicySource::Json(&policy), CatalogSource::Builtin).unwrap();
        let ledger = HostLedger::open("memory:").unwrap();
        let trail = HostAuditTrail::open(
            r#"{"sink": {"type": "memory"}, "writer": "governed.1", "prompt": "full", "response": "hash"}"#,
            &key_bytes,
            None,
            None,
            "rust",
            None,
        )
        .unwrap();
        let principal = case["principal"].to_string();
        let request = case["request"].to_string();
        let mut chunks = 0;
        let (answer, text): (Value, String) = match case["mode"].as_str().unwrap() {
            "chat" => {
                let client =
                    HostClient::new(&guard, Some(&ledger), Some(&trail), &options).unwrap();
                let answer: Value =
                    serde_json::from_str(&client.chat(&principal, &request).unwrap()).unwrap();
                let text = content_of(&answer["response"]);
                (answer, text)
            }
            "stream" => {
                let client =
                    HostClient::new(&guard, Some(&ledger), Some(&trail), &options).unwrap();
                let stream = client.stream(&principal, &request).unwrap();
                let mut text = String::new();
                while let Some(chunk) = stream.next().unwrap() {
                    chunks += 1;
                    let chunk: Value = serde_json::from_str(&chunk).unwrap();
                    text.push_str(
                        chunk["choices"][0]["delta"]["content"]
                            .as_str()
                            .unwrap_or(""),
                    );
                }
                (
                    serde_json::from_str(&stream.answer().unwrap()).unwrap(),
                    text,
                )
            }
            "complete" => {
                let governor = HostGovernor::new(&guard, Some(&ledger), Some(&trail), "").unwrap();
                match governor.begin(&principal, &request).unwrap() {
                    HostBegun::Refused(answer) => {
                        (serde_json::from_str(&answer).unwrap(), String::new())
                    }
                    HostBegun::Send(call) => {
                        let (status, body) = rt.block_on(async {
                            let response = reqwest::Client::new()
                                .post(format!("{}/chat/completions", mock.base_url()))
                                .header("authorization", "Bearer sk-or-v1-conformance")
                                .header("content-type", "application/json")
                                .body(call.request().to_string())
                                .send()
                                .await
                                .unwrap();
                            (response.status().as_u16(), response.text().await.unwrap())
                        });
                        let answer: Value =
                            serde_json::from_str(&call.complete(status, &body).unwrap()).unwrap();
                        let text = content_of(&answer["response"]);
                        (answer, text)
                    }
                }
            }
            other => panic!("case {name}: unknown mode {other}"),
        };
        common::check(name, "answer", &answer, &case["expect"]);
        if let Some(expected) = case["expect_text"].as_str() {
            assert_eq!(text, expected, "case {name}: text");
        }
        if let Some(min) = case["expect_chunks_min"].as_u64() {
            assert!(chunks >= min, "case {name}: {chunks} chunks");
        }
        let requests = rt.block_on(mock.requests());
        let chat_bodies: Vec<&Value> = requests
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["path"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("/chat/completions")
            })
            .map(|r| &r["body"])
            .collect();
        if let Some(expected) = case.get("expect_sent") {
            if expected.is_null() {
                assert!(chat_bodies.is_empty(), "case {name}: a request was sent");
            } else {
                common::check(
                    name,
                    "sent",
                    chat_bodies.last().expect("a request was sent"),
                    expected,
                );
            }
        }
        let lines = trail.lines().unwrap();
        let records: Vec<(&String, Value)> = lines
            .iter()
            .map(|l| (l, serde_json::from_str::<Value>(l).unwrap()))
            .filter(|(_, r)| r["kind"] == "interaction")
            .collect();
        assert_eq!(records.len(), 1, "case {name}: one record per call");
        common::check(name, "record", &records[0].1, &case["expect_record"]);
        for absent in case["expect_absent"].as_array().into_iter().flatten() {
            let absent = absent.as_str().unwrap();
            assert!(
                !records[0].0.contains(absent),
                "case {name}: record holds {absent}"
            );
            assert!(
                !answer.to_string().contains(absent),
                "case {name}: answer holds {absent}"
            );
        }
        if let Some(n) = case["expect_spend_records"].as_u64() {
            assert_eq!(
                ledger.records(None, None).unwrap().len() as u64,
                n,
                "case {name}: settlements"
            );
        }
    }
    let _ = std::fs::remove_file(key_file);
    assert!(cases.len() >= 14);
}
