//! Response DLP over a streamed answer in fuzzer-chosen chunks gives exactly the text the
//! whole answer gives, with pseudonyms restored, and never panics on any text or token shape.
#![no_main]
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use routeguard::dlp::{ResponseFilter, Scanner, ScannerConfig, Vault};
use serde_json::{json, Value};

fn filter() -> ResponseFilter {
    static SCANNER: std::sync::OnceLock<Arc<Scanner>> = std::sync::OnceLock::new();
    let scanner = SCANNER
        .get_or_init(|| Arc::new(Scanner::from_config(&ScannerConfig::default()).unwrap()))
        .clone();
    let mut vault = Vault::new();
    vault.pseudonym("EMAIL_ADDRESS", "ada@example.org");
    vault.pseudonym("PERSON", "Ada <Lovelace>");
    ResponseFilter::new(Some(scanner), Some(vault), None)
}

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let step = (data[0] as usize % 13) + 1;
    let text = String::from_utf8_lossy(&data[1..]).into_owned();
    let mut whole = json!({"choices": [{"index": 0, "message": {"content": text}}]});
    filter().filter_response(&mut whole).unwrap();
    let expected = whole["choices"][0]["message"]["content"].as_str().unwrap().to_string();

    let mut streaming = filter();
    let mut got = String::new();
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + step).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let last = end == text.len();
        let mut chunk = json!({"choices": [{"index": 0, "delta": {"content": &text[at..end]},
            "finish_reason": if last { json!("stop") } else { Value::Null }}]});
        streaming.filter_chunk(&mut chunk).unwrap();
        got.push_str(chunk["choices"][0]["delta"]["content"].as_str().unwrap());
        at = end;
    }
    for (_, delta) in streaming.finish().unwrap() {
        got.push_str(delta["content"].as_str().unwrap_or(""));
    }
    assert_eq!(got, expected);
});
