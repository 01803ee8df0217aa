//! Hostile policy documents (YAML or JSON) load or fail with a policy or configuration code, in
//! bounded time; a policy that loads resolves any principal without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routeguard::policy::{Policy, Principal};
use routeguard::ErrorCode;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for loaded in [Policy::from_yaml(text), Policy::from_json(text)] {
        match loaded {
            Ok(policy) => {
                let _ = policy.resolve(&Principal::new("alice", "eu"));
                let _ = policy.summary();
            }
            Err(e) => assert!(
                e.code().number() >= 2000 && e.code().number() < 3000,
                "unexpected code {}",
                e.code()
            ),
        }
    }
    let _ = ErrorCode::ALL;
});
