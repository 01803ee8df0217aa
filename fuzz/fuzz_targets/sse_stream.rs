//! Hostile SSE streams: any bytes, split anywhere, give the same events as in one piece, and the
//! assembler takes whatever events come without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use routeguard::openrouter::{SseParser, StreamAssembler};

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let at = usize::from(split) * bytes.len() / 256;
    let run = |parts: &[&[u8]]| {
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        for part in parts {
            match parser.push(part) {
                Ok(e) => events.extend(e),
                Err(e) => return Err(e.code()),
            }
        }
        match parser.finish() {
            Ok(e) => events.extend(e),
            Err(e) => return Err(e.code()),
        }
        Ok(events)
    };
    let whole = run(&[bytes]);
    assert_eq!(whole, run(&[&bytes[..at], &bytes[at..]]));
    if let Ok(events) = whole {
        let mut assembler = StreamAssembler::new();
        for event in &events {
            let _ = assembler.push(event);
        }
        let _ = assembler.end();
        let _ = assembler.response();
    }
});
