//! Streaming the input in fuzzer-chosen chunks finds exactly what a whole-text scan finds.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routeguard::dlp::{Scanner, StreamScanner};

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let step = (data[0] as usize % 17) + 1;
    let text = String::from_utf8_lossy(&data[1..]).into_owned();
    let scanner = Scanner::builtin();
    let whole = scanner.scan(&text);
    let mut stream = StreamScanner::new(scanner);
    let mut streamed = Vec::new();
    let mut released = String::new();
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + step).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let r = stream.push(&text[at..end]).unwrap();
        released.push_str(&r.text);
        streamed.extend(r.findings);
        at = end;
    }
    let r = stream.finish().unwrap();
    released.push_str(&r.text);
    streamed.extend(r.findings);
    assert_eq!(released, text);
    assert_eq!(streamed, whole);
});
