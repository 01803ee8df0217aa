//! Runs the language-neutral conformance corpus (tests/conformance) against the core, through the
//! same `host` API the Python, Node and C bindings wrap, in every offset unit.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use routeguard::dlp::text::Unit;
use routeguard::host::{
    error_codes, ApplyOptions, ConfigSource, HostFinding, HostScanner, SharedVault,
};
use serde_json::{json, Value};

const UNITS: [Unit; 3] = [Unit::Byte, Unit::CodePoint, Unit::Utf16];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance")
}

fn cases(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(corpus().join("dlp").join(file)).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap().clone();
    assert!(!cases.is_empty(), "{file} has no cases");
    cases
}

fn scanner(case: &Value) -> HostScanner {
    match &case["config"] {
        Value::Null => HostScanner::new(ConfigSource::Default).unwrap(),
        config => HostScanner::new(ConfigSource::Json(&config.to_string())).unwrap(),
    }
}

fn options(case: &Value) -> ApplyOptions {
    let options = &case["options"];
    ApplyOptions {
        action: options["action"]
            .as_str()
            .map(|a| ApplyOptions::parse_action(a).unwrap()),
        hash_key: options["hash_key"]
            .as_str()
            .map(|k| Arc::from(k.as_bytes())),
        vault: None,
    }
}

/// The keys `expected` findings name, taken from what the host reported, with `start`/`end`
/// renamed after `unit` the way the corpus spells them.
fn reported(found: &HostFinding, unit: Unit, expected: &Value, extra: &[(&str, Value)]) -> Value {
    let (start_key, end_key) = match unit {
        Unit::Byte => ("byte_start", "byte_end"),
        Unit::CodePoint => ("start", "end"),
        Unit::Utf16 => ("utf16_start", "utf16_end"),
    };
    let mut out = serde_json::Map::new();
    for (key, value) in extra {
        out.insert(key.to_string(), value.clone());
    }
    out.insert("detector".into(), json!(found.detector));
    if expected.get("category").is_some() {
        out.insert("category".into(), json!(found.category));
    }
    out.insert(start_key.into(), json!(found.start));
    out.insert(end_key.into(), json!(found.end));
    out.insert("byte_start".into(), json!(found.byte_start));
    out.insert("byte_end".into(), json!(found.byte_end));
    Value::Object(out)
}

/// The expected finding restricted to the keys one unit can check.
fn expected_in(expected: &Value, unit: Unit) -> Value {
    let mut out = expected.as_object().unwrap().clone();
    let keep = |key: &str| match unit {
        Unit::Byte => !matches!(key, "start" | "end" | "utf16_start" | "utf16_end"),
        Unit::CodePoint => !matches!(key, "utf16_start" | "utf16_end"),
        Unit::Utf16 => !matches!(key, "start" | "end"),
    };
    out.retain(|key, _| keep(key));
    Value::Object(out)
}

fn check_findings(name: &str, unit: Unit, got: &[HostFinding], expected: &Value, text: &str) {
    let expected = expected.as_array().unwrap();
    assert_eq!(got.len(), expected.len(), "case {name} ({unit:?}): {got:?}");
    for (found, want) in got.iter().zip(expected) {
        assert_eq!(
            reported(found, unit, want, &[]),
            expected_in(want, unit),
            "case {name} ({unit:?})"
        );
        assert!(text.is_char_boundary(found.byte_start) && found.byte_end <= text.len());
    }
}

#[test]
fn every_corpus_file_has_a_runner() {
    let known = [
        "cases.json",
        "actions.json",
        "pseudonymize.json",
        "requests.json",
        "streams.json",
        "config_errors.json",
        "sample.jsonl",
        "bench-prompt.txt",
    ];
    for entry in std::fs::read_dir(corpus().join("dlp")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(known.contains(&name.as_str()), "no runner for {name}");
    }
}

#[test]
fn scan_cases() {
    for case in cases("cases.json") {
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let scanner = scanner(&case);
        for unit in UNITS {
            check_findings(
                name,
                unit,
                &scanner.scan(text, unit),
                &case["findings"],
                text,
            );
        }
        let redacted = scanner
            .redact(
                text,
                Unit::Byte,
                &ApplyOptions {
                    action: Some(ApplyOptions::parse_action("redact").unwrap()),
                    ..ApplyOptions::default()
                },
            )
            .unwrap();
        assert_eq!(
            redacted.text,
            case["redacted"].as_str().unwrap(),
            "case {name}"
        );
    }
}

#[test]
fn action_cases() {
    for case in cases("actions.json") {
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let out = scanner(&case)
            .redact(text, Unit::CodePoint, &options(&case))
            .unwrap();
        let expect = &case["expect"];
        assert_eq!(out.text, expect["text"].as_str().unwrap(), "case {name}");
        assert_eq!(
            out.blocked,
            expect["blocked"].as_bool().unwrap(),
            "case {name}"
        );
        let applied: Vec<Value> = out
            .applied
            .iter()
            .map(|a| json!({"detector": a.detector, "action": a.action}))
            .collect();
        assert_eq!(Value::Array(applied), expect["applied"], "case {name}");
        // Output offsets point at what replaced each finding.
        let chars: Vec<char> = out.text.chars().collect();
        for a in &out.applied {
            assert!(a.output_start <= a.output_end && a.output_end <= chars.len());
        }
    }
}

#[test]
fn pseudonymize_cases() {
    for case in cases("pseudonymize.json") {
        let name = case["name"].as_str().unwrap();
        let scanner = scanner(&case);
        let vault = Arc::new(SharedVault::new());
        let options = ApplyOptions {
            action: Some(ApplyOptions::parse_action("pseudonymize").unwrap()),
            vault: Some(vault.clone()),
            ..ApplyOptions::default()
        };
        let texts: Vec<String> = case["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                scanner
                    .redact(t.as_str().unwrap(), Unit::Utf16, &options)
                    .unwrap()
                    .text
            })
            .collect();
        assert_eq!(json!(texts), case["expect"]["texts"], "case {name}");
        let restore = &case["restore"];
        assert_eq!(
            vault.restore(restore["input"].as_str().unwrap()),
            restore["output"].as_str().unwrap(),
            "case {name}"
        );
        assert_eq!(
            json!(vault.len()),
            case["expect"]["vault_len"],
            "case {name}"
        );
    }
}

#[test]
fn request_cases() {
    for case in cases("requests.json") {
        let name = case["name"].as_str().unwrap();
        let json_text = match case.get("request_text") {
            Some(raw) => raw.as_str().unwrap().to_string(),
            None => case["request"].to_string(),
        };
        let scanner = scanner(&case);
        let expect = &case["expect"];
        for unit in UNITS {
            let result = scanner.scan_request(&json_text, unit, &options(&case));
            if let Some(code) = expect.get("error") {
                let err = result.expect_err(name);
                assert_eq!(err.code().name(), code.as_str().unwrap(), "case {name}");
                continue;
            }
            let out = result.unwrap();
            assert_eq!(
                out.blocked,
                expect["blocked"].as_bool().unwrap(),
                "case {name}"
            );
            let request: Value = serde_json::from_str(&out.request).unwrap();
            assert_eq!(request, expect["request"], "case {name}");
            assert_eq!(
                serde_json::to_value(&out.inline_data).unwrap(),
                expect["inline_data"],
                "case {name}"
            );
            let wanted = expect["findings"].as_array().unwrap();
            assert_eq!(out.findings.len(), wanted.len(), "case {name}");
            for (found, want) in out.findings.iter().zip(wanted) {
                assert_eq!(
                    reported(&found.finding, unit, want, &[("path", json!(found.path))]),
                    expected_in(want, unit),
                    "case {name} ({unit:?})"
                );
            }
        }
    }
}

#[test]
fn stream_cases() {
    for case in cases("streams.json") {
        let name = case["name"].as_str().unwrap();
        let scanner = scanner(&case);
        let whole: String = case["chunks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for unit in UNITS {
            let mut stream = scanner.stream(unit, options(&case));
            let mut text = String::new();
            let mut findings = Vec::new();
            let mut blocked = false;
            let mut steps = Vec::new();
            for chunk in case["chunks"].as_array().unwrap() {
                steps.push(stream.push(chunk.as_str().unwrap()).unwrap());
            }
            steps.push(stream.finish().unwrap());
            assert!(stream.push("late").is_err(), "push after finish must fail");
            for step in steps {
                text.push_str(&step.text);
                blocked |= step.blocked;
                findings.extend(step.findings);
            }
            let expect = &case["expect"];
            assert_eq!(
                text,
                expect["text"].as_str().unwrap(),
                "case {name} ({unit:?})"
            );
            assert_eq!(blocked, expect["blocked"].as_bool().unwrap(), "case {name}");
            check_findings(name, unit, &findings, &expect["findings"], &whole);
        }
    }
}

#[test]
fn config_error_cases() {
    for case in cases("config_errors.json") {
        let name = case["name"].as_str().unwrap();
        let source = match (case.get("json"), case.get("yaml")) {
            (Some(text), None) => ConfigSource::Json(text.as_str().unwrap()),
            (None, Some(text)) => ConfigSource::Yaml(text.as_str().unwrap()),
            _ => panic!("case {name} needs exactly one of json, yaml"),
        };
        let err = HostScanner::new(source).expect_err(name);
        assert_eq!(
            err.code().name(),
            case["expect"]["error"].as_str().unwrap(),
            "case {name}: {err}"
        );
    }
}

#[test]
fn error_table_matches_the_corpus() {
    let text = std::fs::read_to_string(corpus().join("errors.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_value(error_codes()).unwrap(), doc["codes"]);
}
