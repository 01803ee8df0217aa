//! Hostile configurations and custom patterns compile or fail with a code; they never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routeguard::dlp::{CustomDetector, Kind, Scanner, ScannerConfig};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = ScannerConfig::from_yaml(text) {
        let _ = Scanner::from_config(&config);
    }
    let config = ScannerConfig {
        custom: vec![CustomDetector {
            id: "fuzzed".into(),
            category: None,
            kind: Kind::Pii,
            pattern: Some(text.to_string()),
            validator: None,
            terms: None,
            terms_file: None,
            context: vec![],
            context_required: false,
            confidence: 0.9,
            action: None,
            max_len: None,
        }],
        ..ScannerConfig::default()
    };
    if let Ok(scanner) = Scanner::from_config(&config) {
        let _ = scanner.scan("sample text 4111 1111 1111 1111 with some words");
    }
});
