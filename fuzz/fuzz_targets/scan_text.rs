//! Scanning arbitrary text never panics and always yields sorted, disjoint, in-bounds spans.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routeguard::dlp::Scanner;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let findings = Scanner::builtin().scan(&text);
    let mut last_end = 0;
    for f in &findings {
        assert!(f.start >= last_end && f.start < f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        last_end = f.end;
    }
});
