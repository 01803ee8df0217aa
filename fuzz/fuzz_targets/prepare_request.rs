//! Arbitrary request bodies through `Guard::prepare` with the example policy: a decision, or an
//! input error code; an allowed request is valid JSON whose `provider.only` stays inside the
//! compliant endpoints.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use routeguard::guard::{Decision, Guard, PrepareOptions};
use routeguard::policy::{Policy, Principal};

fn guard() -> &'static Guard {
    static GUARD: OnceLock<Guard> = OnceLock::new();
    GUARD.get_or_init(|| {
        let text = include_str!("../../examples/policy.yaml");
        Guard::new(Policy::from_yaml(text).expect("example policy")).expect("example guard")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let alice = Principal::new("alice", "eu-health");
    match guard().prepare(&alice, text, PrepareOptions::default()) {
        Ok(Decision::Allow(prepared)) => {
            let sent: serde_json::Value = serde_json::from_str(&prepared.request).expect("valid JSON");
            if let Some(only) = sent.pointer("/provider/only").and_then(|v| v.as_array()) {
                for tag in only {
                    assert!(prepared.providers.iter().any(|p| Some(p.as_str()) == tag.as_str()));
                }
            }
        }
        Ok(Decision::Deny { reasons, .. }) => assert!(!reasons.is_empty()),
        Err(e) => assert!(e.code().number() < 2000, "unexpected code {}", e.code()),
    }
});
