//! Runs the budget cases of the conformance corpus (tests/conformance/budget) through the `host`
//! API the bindings wrap, on every ledger backend this build has: memory, SQLite (a fresh file
//! per case) and PostgreSQL when `ROUTEGUARD_TEST_POSTGRES` names a database (CI sets it, and
//! `ROUTEGUARD_REQUIRE_POSTGRES=1` makes its absence a failure rather than a skip).

mod common;

use std::collections::HashMap;

use common::{check, dir, load};
use routeguard::host::{CatalogSource, HostGuard, HostLedger, PolicySource};
use serde_json::Value;

/// A backend's name and the URL of a fresh store for a case.
type Backend = (&'static str, Box<dyn Fn(&str) -> String>);

/// A ledger URL per backend; each case gets a fresh store.
fn backends() -> Vec<Backend> {
    let mut out: Vec<Backend> = vec![("memory", Box::new(|_| "memory:".to_string()))];
    let tmp = std::env::temp_dir().join(format!("rg-conf-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    out.push((
        "sqlite",
        Box::new(move |case| format!("sqlite:{}", tmp.join(format!("{case}.db")).display())),
    ));
    if let Some(url) = postgres_url() {
        out.push(("postgres", Box::new(move |case| fresh_postgres(&url, case))));
    }
    out
}

fn postgres_url() -> Option<String> {
    match std::env::var("ROUTEGUARD_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => {
            if !cfg!(feature = "postgres") {
                panic!("ROUTEGUARD_TEST_POSTGRES is set but this build has no postgres feature");
            }
            Some(url)
        }
        _ => {
            assert!(
                std::env::var("ROUTEGUARD_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "ROUTEGUARD_REQUIRE_POSTGRES=1 but ROUTEGUARD_TEST_POSTGRES is not set"
            );
            None
        }
    }
}

/// A schema of its own per case (`search_path`), dropped first, so cases never see each other.
#[cfg(feature = "postgres")]
fn fresh_postgres(url: &str, case: &str) -> String {
    let schema = format!(
        "conf_{}",
        case.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
        ))
        .unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-csearch_path%3D{schema}")
}

#[cfg(not(feature = "postgres"))]
fn fresh_postgres(_: &str, _: &str) -> String {
    unreachable!()
}

fn opt_i64(v: &Value) -> Option<i64> {
    v.as_i64()
}

fn run_step(
    ledger: &HostLedger,
    ids: &mut HashMap<String, String>,
    step: &Value,
) -> Result<Value, String> {
    let now = opt_i64(&step["now_ms"]);
    let err = |e: routeguard::Error| e.code().name().to_string();
    match step["op"].as_str().unwrap() {
        "reserve" => {
            let out = ledger
                .reserve(
                    &step["caps"].to_string(),
                    step["amount_micros"].as_u64().unwrap(),
                    &step["meta"].to_string(),
                    step["lease_ms"].as_u64(),
                    now,
                )
                .map_err(err)?;
            if let (Some(name), Some(id)) = (step["as"].as_str(), &out.id) {
                ids.insert(name.to_string(), id.clone());
            }
            let mut v = serde_json::to_value(&out).unwrap();
            // Denials are checked on their cap's fields plus the request.
            for list in ["denials", "shadow"] {
                for d in v[list].as_array_mut().unwrap() {
                    let cap = d["cap"].take();
                    for (k, value) in cap.as_object().unwrap() {
                        d[k] = value.clone();
                    }
                }
            }
            Ok(v)
        }
        "settle" => {
            let name = step["id"].as_str().unwrap();
            let id = ids.get(name).cloned().unwrap_or_else(|| name.to_string());
            let record = ledger
                .settle(&id, &step["settlement"].to_string(), now)
                .map_err(err)?;
            Ok(serde_json::to_value(record).unwrap())
        }
        "renew" => {
            let id = ids[step["id"].as_str().unwrap()].clone();
            ledger
                .renew(&id, step["lease_ms"].as_u64().unwrap(), now)
                .map_err(err)?;
            Ok(Value::Null)
        }
        "status" => Ok(serde_json::to_value(
            ledger.status(&step["caps"].to_string(), now).map_err(err)?,
        )
        .unwrap()),
        "report" => Ok(serde_json::to_value(
            ledger
                .report(
                    step["by"].as_str().unwrap(),
                    step["window"].as_str().unwrap(),
                    now,
                )
                .map_err(err)?,
        )
        .unwrap()),
        op => panic!("unknown op {op}"),
    }
}

#[test]
fn ledger_cases_on_every_backend() {
    let doc = load("budget/ledger.json");
    for (backend, url_for) in backends() {
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let ledger = HostLedger::open(&url_for(name)).unwrap();
            let mut ids = HashMap::new();
            for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
                let label = format!("{name} [{backend}] step {i}");
                let got = run_step(&ledger, &mut ids, step);
                match (&step["expect"]["error"], got) {
                    (Value::String(code), Err(got)) => assert_eq!(&got, code, "{label}"),
                    (Value::String(code), Ok(v)) => panic!("{label}: expected {code}, got {v}"),
                    (_, Err(e)) => panic!("{label}: error {e}"),
                    (expected, Ok(v)) if !step["expect"].is_null() => {
                        let _ = expected;
                        check(&label, "", &v, &step["expect"])
                    }
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn guard_cases() {
    let doc = load("budget/guard.json");
    let catalog = std::fs::read_to_string(dir().join("policy/catalog.json")).unwrap();
    let guard = HostGuard::new(
        PolicySource::Json(&doc["policy"].to_string()),
        CatalogSource::Snapshot(&catalog),
    )
    .unwrap();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let ledger = HostLedger::open("memory:").unwrap();
        let principal = case["principal"].to_string();
        let decision = guard
            .prepare(&principal, &case["request"].to_string(), None, None)
            .unwrap();
        let prepared = decision.prepared.expect("the case's request is allowed");
        let now = case["now_ms"].as_i64();
        let reservation = guard
            .reserve(&ledger, &principal, &prepared, None, now)
            .unwrap();
        let mut got = serde_json::to_value(&reservation).unwrap();
        for (k, v) in got["estimate"].take().as_object().unwrap() {
            got[k] = v.clone();
        }
        for d in got["denials"].as_array_mut().unwrap() {
            let cap = d["cap"].take();
            for (k, value) in cap.as_object().unwrap() {
                d[k] = value.clone();
            }
        }
        check(name, "reserve", &got, &case["expect_reserve"]);
        if let Some(outcome) = case["outcome"].as_str() {
            let id = reservation.outcome.id.clone().unwrap();
            let response = case.get("response").map(Value::to_string);
            let record = guard
                .settle(&ledger, &id, response.as_deref(), outcome, now)
                .unwrap();
            check(
                name,
                "settle",
                &serde_json::to_value(record).unwrap(),
                &case["expect_settle"],
            );
        }
    }
}
