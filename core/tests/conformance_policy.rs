//! Runs the policy cases of the conformance corpus (tests/conformance/policy) through the `host`
//! API the bindings wrap: prepare, verify and policy errors, over the corpus's fixed catalogue.

use std::path::{Path, PathBuf};

use routeguard::host::{CatalogSource, HostDecision, HostGuard, HostReason, PolicySource};
use serde_json::{json, Value};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/policy")
}

fn load(file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join(file)).unwrap()).unwrap()
}

fn catalog() -> String {
    std::fs::read_to_string(dir().join("catalog.json")).unwrap()
}

fn guard(doc: &Value, case: &Value) -> HostGuard {
    let policy = &doc["policies"][case["policy"].as_str().unwrap()];
    HostGuard::new(
        PolicySource::Json(&policy.to_string()),
        CatalogSource::Snapshot(&catalog()),
    )
    .unwrap()
}

/// The case's principal and request through `prepare`, without hash key or vault.
fn prepare(guard: &HostGuard, case: &Value) -> routeguard::Result<HostDecision> {
    guard.prepare(
        &case["principal"].to_string(),
        &request_text(case),
        None,
        None,
    )
}

fn request_text(case: &Value) -> String {
    match case.get("request_text") {
        Some(raw) => raw.as_str().unwrap().to_string(),
        None => case["request"].to_string(),
    }
}

/// Each expected entry compared on the keys it names only, in order.
fn check_subset(name: &str, what: &str, got: &[Value], expected: &Value) {
    let expected = expected.as_array().unwrap();
    assert_eq!(got.len(), expected.len(), "case {name}: {what}: {got:?}");
    for (g, e) in got.iter().zip(expected) {
        for (key, value) in e.as_object().unwrap() {
            assert_eq!(&g[key], value, "case {name}: {what}.{key}: {g}");
        }
    }
}

fn reasons(list: &[HostReason]) -> Vec<Value> {
    list.iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect()
}

#[test]
fn every_policy_file_has_a_runner() {
    for entry in std::fs::read_dir(dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            [
                "catalog.json",
                "prepare.json",
                "verify.json",
                "policy_errors.json"
            ]
            .contains(&name.as_str()),
            "no runner for policy/{name}"
        );
    }
}

#[test]
fn prepare_cases() {
    let doc = load("prepare.json");
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let guard = guard(&doc, case);
        let expect = &case["expect"];
        let result = prepare(&guard, case);
        if let Some(code) = expect.get("error") {
            let err = result.expect_err(name);
            assert_eq!(
                err.code().name(),
                code.as_str().unwrap(),
                "case {name}: {err}"
            );
            continue;
        }
        let decision = result.unwrap_or_else(|e| panic!("case {name}: {e}"));
        // Asked again, the guard answers from its caches (resolution, routes): the same decision.
        let again = prepare(&guard, case).unwrap_or_else(|e| panic!("case {name}, again: {e}"));
        let outline = |d: &HostDecision| {
            let sent = d.prepared.as_ref().map(|p| (&p.models, &p.providers));
            format!("{} {:?} {:?} {:?}", d.allowed, d.reasons, d.notices, sent)
        };
        assert_eq!(
            outline(&again),
            outline(&decision),
            "case {name}: asked again"
        );
        assert_eq!(
            decision.allowed,
            expect["allowed"].as_bool().unwrap(),
            "case {name}: {decision:?}"
        );
        assert_eq!(decision.prepared.is_some(), decision.allowed, "case {name}");
        check_subset(
            name,
            "reasons",
            &reasons(&decision.reasons),
            expect.get("reasons").unwrap_or(&json!([])),
        );
        if let Some(notices) = expect.get("notices") {
            check_subset(name, "notices", &reasons(&decision.notices), notices);
        }
        let Some(prepared) = &decision.prepared else {
            continue;
        };
        if let Some(models) = expect.get("models") {
            assert_eq!(&json!(prepared.models), models, "case {name}: models");
        }
        if let Some(providers) = expect.get("providers") {
            assert_eq!(
                &json!(prepared.providers),
                providers,
                "case {name}: providers"
            );
        }
        if let Some(findings) = expect.get("findings") {
            let got: Vec<Value> = prepared
                .findings
                .iter()
                .map(|f| serde_json::to_value(f).unwrap())
                .collect();
            check_subset(name, "findings", &got, findings);
        }
        let sent: Value = serde_json::from_str(&prepared.request).unwrap();
        for (key, value) in expect
            .get("sent")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            assert_eq!(&sent[key], value, "case {name}: sent.{key}");
        }
        for key in expect
            .get("sent_has_no")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert!(
                sent.get(key.as_str().unwrap()).is_none(),
                "case {name}: sent has {key}"
            );
        }
    }
}

#[test]
fn verify_cases() {
    let doc = load("verify.json");
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let guard = guard(&doc, case);
        let decision = prepare(&guard, case).unwrap();
        let prepared = decision
            .prepared
            .unwrap_or_else(|| panic!("case {name} must be allowed"));
        let v = guard
            .verify(&prepared, &case["response"].to_string())
            .unwrap();
        let expect = &case["expect"];
        assert_eq!(
            v.allowed,
            expect["allowed"].as_bool().unwrap(),
            "case {name}: {v:?}"
        );
        assert_eq!(json!(v.provider), expect["provider"], "case {name}");
        check_subset(name, "reasons", &reasons(&v.reasons), &expect["reasons"]);
        assert_eq!(
            v.withheld,
            expect["withheld"].as_bool().unwrap(),
            "case {name}"
        );
        let returned: Value = serde_json::from_str(&v.response).unwrap();
        let content = returned["choices"].as_array().map(Vec::len).unwrap_or(0);
        if v.withheld {
            assert_eq!(content, 0, "case {name}: withheld content");
        } else {
            assert_eq!(
                returned, case["response"],
                "case {name}: response passed through"
            );
        }
    }
}

#[test]
fn policy_error_cases() {
    let doc = load("policy_errors.json");
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let source = match (case.get("json"), case.get("yaml")) {
            (Some(text), None) => PolicySource::Json(text.as_str().unwrap()),
            (None, Some(text)) => PolicySource::Yaml(text.as_str().unwrap()),
            _ => panic!("case {name} needs one of json, yaml"),
        };
        let err = HostGuard::new(source, CatalogSource::Snapshot(&catalog())).expect_err(name);
        assert_eq!(
            err.code().name(),
            case["expect"]["error"].as_str().unwrap(),
            "case {name}: {err}"
        );
    }
}
