//! Arbitrary request bodies are rewritten into valid JSON or rejected with a code.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routeguard::dlp::{scan_request_json, Action, Rewriter, Scanner};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scanner = Scanner::builtin();
    let mut rewriter = Rewriter::new(scanner.mask_config().clone()).with_action(Action::Redact);
    if let Ok(out) = scan_request_json(scanner, text, &mut rewriter) {
        let again = out.request.to_string();
        assert!(serde_json::from_str::<serde_json::Value>(&again).is_ok());
    }
});
