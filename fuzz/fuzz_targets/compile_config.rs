//! Hostile configurations and custom patterns compile or fail with a code; they never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routeguard::dlp::{CustomDetector, Scanner, ScannerConfig};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut config) = ScannerConfig::from_yaml(text) {
        // Building the whole catalogue takes long; selectors are still fuzzed when given.
        if config.builtin.enable == ["*"] {
            config.builtin.enable = vec!["credit_card".into()];
        }
        let _ = Scanner::from_config(&config);
    }
    // One built-in keeps each run fast; the custom pattern is what is under test.
    let mut config = ScannerConfig {
        custom: vec![CustomDetector::from_pattern("fuzzed", text)],
        ..ScannerConfig::default()
    };
    config.builtin.enable = vec!["credit_card".into()];
    if let Ok(scanner) = Scanner::from_config(&config) {
        let _ = scanner.scan("sample text 4111 1111 1111 1111 with some words");
    }
});
