//! Hostile audit logs and events: `verify` reports on any bytes without panicking, and a trail
//! given any event either seals a record that verifies or refuses it with an audit or input code.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routeguard::host::{audit_verify_text, HostAuditTrail};

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let report = audit_verify_text(data, KEY, None).expect("verify reads any bytes");
    assert!(matches!(report.status, "intact" | "incomplete" | "tampered"));
    let Ok(event) = std::str::from_utf8(data) else {
        return;
    };
    let config = r#"{"sink": {"type": "memory"}, "writer": "fuzz", "prompt": "redacted"}"#;
    let trail = HostAuditTrail::open(config, KEY, None, None, "fuzz", Some(0)).unwrap();
    match trail.write(event, Some(0)) {
        Ok(receipt) => {
            trail.close(Some(1)).unwrap();
            let text: String = trail.lines().unwrap().iter().map(|l| format!("{l}\n")).collect();
            let report = audit_verify_text(text.as_bytes(), KEY, None).unwrap();
            assert_eq!(report.status, "intact", "{receipt:?}");
        }
        Err(e) => assert!(
            matches!(e.code().number() / 1000, 1 | 5),
            "unexpected code {}",
            e.code()
        ),
    }
});
