//! Runs the language-neutral DLP conformance cases in tests/conformance/dlp against the core.

use routeguard::dlp::text::{byte_to_char_offsets, byte_to_utf16_offsets};
use routeguard::dlp::{Action, Rewriter, Scanner, ScannerConfig};
use serde_json::Value;

#[test]
fn dlp_cases() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/conformance/dlp/cases.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let config = ScannerConfig::from_json(&case["config"].to_string()).unwrap();
        let scanner = Scanner::from_config(&config).unwrap();
        let findings = scanner.scan(text);
        let bytes: Vec<usize> = findings.iter().flat_map(|f| [f.start, f.end]).collect();
        let chars = byte_to_char_offsets(text, &bytes);
        let utf16 = byte_to_utf16_offsets(text, &bytes);
        let got: Vec<Value> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                serde_json::json!({
                    "detector": &*f.detector, "category": &*f.category,
                    "start": chars[2 * i], "end": chars[2 * i + 1],
                    "byte_start": f.start, "byte_end": f.end,
                    "utf16_start": utf16[2 * i], "utf16_end": utf16[2 * i + 1],
                })
            })
            .collect();
        assert_eq!(&Value::Array(got), &case["findings"], "case {name}");
        let redacted = Rewriter::new(scanner.mask_config().clone())
            .with_action(Action::Redact)
            .rewrite(text, &findings)
            .unwrap();
        assert_eq!(
            redacted.text,
            case["redacted"].as_str().unwrap(),
            "case {name}"
        );
    }
}
