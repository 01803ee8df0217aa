//! Runs the audit cases of the conformance corpus (tests/conformance/audit) through the `host`
//! API the bindings wrap: golden records byte for byte, verify over mutated logs, and records
//! written through the guard. `ROUTEGUARD_BLESS=1` rewrites the golden lines of records.json
//! (review the diff: every other language must then produce the same bytes).

mod common;

use std::sync::{Arc, Mutex};

use common::{check, dir, load};
use routeguard::host::{
    audit_verify_text, canonical_json, CatalogSource, HostAuditTrail, HostGuard, PolicySource,
};
use serde_json::Value;

/// Opens the case's trail; a callback sink fails on the listed 1-based calls and keeps the
/// lines it accepted.
fn open_trail(suite: &Value, case: &Value) -> (HostAuditTrail, Arc<Mutex<Vec<String>>>) {
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let callback = case["callback_fails"].as_array().map(|fails| {
        let fails: Vec<u64> = fails.iter().map(|v| v.as_u64().unwrap()).collect();
        let accepted = Arc::clone(&accepted);
        let mut calls = 0;
        Box::new(move |line: &str| {
            calls += 1;
            if fails.contains(&calls) {
                return Err("ConformanceSinkDown".to_string());
            }
            accepted.lock().unwrap().push(line.to_string());
            Ok(())
        }) as routeguard::audit::sink::LineCallback
    });
    let trail = HostAuditTrail::open(
        &case["config"].to_string(),
        suite["chain_key"].as_str().unwrap().as_bytes(),
        Some(suite["signing_key"].as_str().unwrap().as_bytes()),
        callback,
        "rust",
        None,
    )
    .unwrap();
    (trail, accepted)
}

fn run_records_case(suite: &Value, case: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap();
    let (trail, accepted) = open_trail(suite, case);
    for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        let now = step["now_ms"].as_i64();
        let result = if let Some(event) = step.get("write") {
            trail.write(&event.to_string(), now)
        } else if step.get("checkpoint").is_some() {
            trail.checkpoint(now)
        } else {
            trail.close(now)
        };
        match (result, step["expect_error"].as_str()) {
            (Ok(receipt), None) => {
                let status = step["expect_status"].as_str().unwrap_or("written");
                assert_eq!(receipt.status, status, "case {name} step {i}");
            }
            (Err(e), Some(code)) => assert_eq!(e.code().name(), code, "case {name} step {i}"),
            (Ok(r), Some(code)) => panic!("case {name} step {i}: wanted {code}, got {r:?}"),
            (Err(e), None) => panic!("case {name} step {i}: {e}"),
        }
    }
    let lines = if case["callback_fails"].is_array() {
        accepted.lock().unwrap().clone()
    } else {
        trail.lines().unwrap()
    };
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    for absent in case["expect_absent"].as_array().into_iter().flatten() {
        assert!(
            !text.contains(absent.as_str().unwrap()),
            "case {name}: the log holds {absent}"
        );
    }
    let report = audit_verify_text(
        text.as_bytes(),
        suite["chain_key"].as_str().unwrap().as_bytes(),
        Some(VERIFY_PUBLIC_KEY.as_bytes()),
    )
    .unwrap();
    assert_eq!(
        report.status, "intact",
        "case {name}: {:?}",
        report.problems
    );
    lines
}

const VERIFY_PUBLIC_KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

#[test]
fn golden_records_are_byte_identical() {
    let path = dir().join("audit/records.json");
    let mut suite = load("audit/records.json");
    let bless = std::env::var("ROUTEGUARD_BLESS").as_deref() == Ok("1");
    let cases = suite["cases"].as_array().unwrap().clone();
    for (i, case) in cases.iter().enumerate() {
        let lines = run_records_case(&suite, case);
        if bless {
            suite["cases"][i]["expect_lines"] = Value::from(lines);
        } else {
            let want: Vec<&str> = case["expect_lines"]
                .as_array()
                .unwrap_or_else(|| {
                    panic!(
                        "case {}: no expect_lines (run with ROUTEGUARD_BLESS=1)",
                        case["name"]
                    )
                })
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(lines, want, "case {}", case["name"]);
        }
    }
    if bless {
        let text = serde_json::to_string_pretty(&suite).unwrap();
        std::fs::write(path, format!("{text}\n")).unwrap();
    }
}

/// The log of a records.json case after the case's mutation.
pub fn mutated_log(records: &Value, case: &Value) -> Vec<u8> {
    let source = records["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == case["log"])
        .unwrap_or_else(|| panic!("no records case {}", case["log"]));
    let mut lines: Vec<String> = source["expect_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let m = &case["mutate"];
    let at = |k: &str| m[k].as_u64().map(|v| v as usize);
    let mut cut = 0;
    if let Some(i) = at("delete") {
        lines.remove(i);
    }
    if let Some(i) = at("duplicate") {
        let line = lines[i].clone();
        lines.insert(i + 1, line);
    }
    if let Some(pair) = m["swap"].as_array() {
        lines.swap(
            pair[0].as_u64().unwrap() as usize,
            pair[1].as_u64().unwrap() as usize,
        );
    }
    if let Some(n) = at("keep_lines") {
        lines.truncate(n);
    }
    if let Some(r) = m.get("replace") {
        let i = r["line"].as_u64().unwrap() as usize;
        lines[i] = lines[i].replacen(r["from"].as_str().unwrap(), r["to"].as_str().unwrap(), 1);
    }
    if let Some(n) = at("cut_bytes") {
        cut = n;
    }
    let mut text: Vec<u8> = lines
        .iter()
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect();
    text.truncate(text.len() - cut);
    text
}

#[test]
fn verify_catches_every_mutation() {
    let records = load("audit/records.json");
    let suite = load("audit/verify.json");
    for case in suite["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let key = case["chain_key"]
            .as_str()
            .or(records["chain_key"].as_str())
            .unwrap();
        let public = case["public_key"]
            .as_str()
            .or(suite["public_key"].as_str())
            .unwrap();
        let log = mutated_log(&records, case);
        if case["flip_every_byte"] == true {
            let last_line_start = log[..log.len() - 1]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            for i in 0..log.len() {
                let mut copy = log.clone();
                copy[i] ^= 1;
                let report =
                    audit_verify_text(&copy, key.as_bytes(), Some(public.as_bytes())).unwrap();
                assert_ne!(
                    report.status, "intact",
                    "case {name}: byte {i} flipped went unnoticed"
                );
                if i < last_line_start {
                    assert_eq!(report.status, "tampered", "case {name}: byte {i}");
                }
            }
            continue;
        }
        let report = audit_verify_text(&log, key.as_bytes(), Some(public.as_bytes())).unwrap();
        let expect = &case["expect"];
        assert_eq!(
            report.status, expect["status"],
            "case {name}: {:?}",
            report.problems
        );
        let first = report.first_bad();
        if let Some(kind) = expect["first_kind"].as_str() {
            assert_eq!(
                first.map(|p| p.kind),
                Some(kind),
                "case {name}: {:?}",
                report.problems
            );
        }
        if let Some(line) = expect["first_line"].as_u64() {
            assert_eq!(
                first.map(|p| p.line),
                Some(line),
                "case {name}: {:?}",
                report.problems
            );
        }
        for key in ["records", "checkpoints"] {
            if let Some(n) = expect[key].as_u64() {
                let got = if key == "records" {
                    report.records
                } else {
                    report.checkpoints
                };
                assert_eq!(got, n, "case {name}: {key}");
            }
        }
    }
}

#[test]
fn guard_writes_one_record_per_interaction() {
    let records = load("audit/records.json");
    let suite = load("audit/guard.json");
    let catalog = std::fs::read_to_string(dir().join("policy/catalog.json")).unwrap();
    let guard = HostGuard::new(
        PolicySource::Json(&suite["policy"].to_string()),
        CatalogSource::Snapshot(&catalog),
    )
    .unwrap();
    for case in suite["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let principal = case["principal"].to_string();
        let request = case["request"].to_string();
        let decision = guard.prepare(&principal, &request, None, None).unwrap();
        let config = r#"{"sink":{"type":"memory"},"writer":"guard.1","prompt":"full","response":"full","checkpoint_every":0,"checkpoint_interval_ms":0}"#;
        let trail = HostAuditTrail::open(
            config,
            records["chain_key"].as_str().unwrap().as_bytes(),
            None,
            None,
            "rust",
            None,
        )
        .unwrap();
        let receipt = guard
            .audit(
                &trail,
                &principal,
                &request,
                &decision,
                &case["details"].to_string(),
                case["now_ms"].as_i64(),
            )
            .unwrap();
        let line = receipt.line.unwrap();
        let record: Value = serde_json::from_str(&line).unwrap();
        if std::env::var_os("ROUTEGUARD_SHOW").is_some() {
            eprintln!("{name}: {line}");
        }
        check(name, "record", &record, &case["expect"]);
        for absent in case["expect_absent"].as_array().into_iter().flatten() {
            assert!(!line.contains(absent.as_str().unwrap()), "case {name}");
        }
    }
}

#[test]
fn canonical_form_matches_ecmascript() {
    let suite = load("audit/canonical.json");
    for case in suite["cases"].as_array().unwrap() {
        let got = canonical_json(case["input"].as_str().unwrap());
        match case["canonical"].as_str() {
            Some(want) => assert_eq!(got.unwrap(), want, "case {}", case["name"]),
            None => assert_eq!(
                got.unwrap_err().code().name(),
                case["error"].as_str().unwrap(),
                "case {}",
                case["name"]
            ),
        }
    }
}
