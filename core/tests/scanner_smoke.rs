use routeguard::dlp::{Scanner, ScannerConfig};

#[test]
fn finds_a_card_and_a_key_and_nothing_in_prose() {
    let text = "Pay with 4111 1111 1111 1111 and use sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef please";
    let found = Scanner::builtin().scan(text);
    let ids: Vec<&str> = found.iter().map(|f| &*f.detector).collect();
    assert_eq!(ids, ["credit_card", "openrouter_api_key"]);
    assert_eq!(&text[found[0].start..found[0].end], "4111 1111 1111 1111");
    assert!(Scanner::builtin()
        .scan("The quick brown fox jumps over the lazy dog.")
        .is_empty());
}

#[test]
fn custom_pattern_and_dictionary() {
    let cfg = ScannerConfig::from_yaml(
        "custom:\n  - id: employee_id\n    pattern: 'EMP-[0-9]{6}'\n  - id: codename\n    terms: [Project Falcon, bluebird]\n",
    )
    .unwrap();
    let s = Scanner::from_config(&cfg).unwrap();
    let text = "EMP-123456 works on project falcon, not Bluebirds";
    let f = s.scan(text);
    let got: Vec<(&str, &str)> = f
        .iter()
        .map(|f| (&*f.detector, &text[f.start..f.end]))
        .collect();
    assert_eq!(
        got,
        [
            ("employee_id", "EMP-123456"),
            ("codename", "project falcon")
        ]
    );
}

#[test]
fn debug_output_of_findings_and_errors_carries_no_scanned_text() {
    let secret = "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";
    let text = format!("key {secret} card 4111 1111 1111 1111");
    let findings = Scanner::builtin().scan(&text);
    assert_eq!(findings.len(), 2);
    let debug = format!("{findings:?}");
    assert!(
        !debug.contains("00112233") && !debug.contains("4111"),
        "{debug}"
    );
    let err = routeguard::dlp::scan_request_json(
        Scanner::builtin(),
        &format!("{{\"messages\": \"{secret}"),
        &mut routeguard::dlp::Rewriter::new(Default::default()),
    )
    .unwrap_err();
    assert!(!format!("{err:?} {err}").contains("00112233"));
}

#[test]
fn fuzz_found_inputs_scan_without_panicking() {
    // Found by the scan_text fuzz target: a multi-byte character right before ". Box".
    let inputs: [&[u8]; 1] = [b"PD\x84\xbe. Box P"];
    for bytes in inputs {
        let text = String::from_utf8_lossy(bytes);
        let _ = Scanner::builtin().scan(&text);
    }
}
