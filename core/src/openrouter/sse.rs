//! Server-sent events as OpenRouter sends them: `data:` lines joined until a blank line, keep-alive
//! comments (`: OPENROUTER PROCESSING`) skipped and counted, `data: [DONE]` as the end. Pure and
//! incremental: bytes may arrive split anywhere, even inside a UTF-8 character or a line ending.

use crate::error::{Error, ErrorCode, Result};

/// The largest event accepted; a stream that sends more in one event is broken or hostile.
pub const MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

/// One thing read from the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SseEvent {
    /// The text of an event's `data:` lines, joined with `\n`.
    Data(String),
    /// `data: [DONE]`: the stream's normal end.
    Done,
}

/// Turns bytes into events. Feed it with [`push`](SseParser::push), then call
/// [`finish`](SseParser::finish) when the connection ends.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    data: Vec<u8>,
    has_data: bool,
    /// A `\r` ended the last line; a `\n` right after it belongs to the same line ending.
    after_cr: bool,
    comments: u64,
}

impl SseParser {
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Keep-alive comments skipped so far.
    pub fn comments(&self) -> u64 {
        self.comments
    }

    /// The events completed by `bytes`, in order.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<SseEvent>> {
        let mut events = Vec::new();
        for &b in bytes {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\n' | b'\r' => {
                    self.after_cr = b == b'\r';
                    if let Some(event) = self.end_line()? {
                        events.push(event);
                    }
                }
                _ => {
                    if self.line.len() + self.data.len() >= MAX_EVENT_BYTES {
                        return Err(Error::new(
                            ErrorCode::InputTooLarge,
                            format!("a stream event is larger than {MAX_EVENT_BYTES} bytes"),
                        ));
                    }
                    self.line.push(b);
                }
            }
        }
        Ok(events)
    }

    /// The event left when the connection closed without its blank line, if any.
    pub fn finish(&mut self) -> Result<Option<SseEvent>> {
        if !self.line.is_empty() {
            if let Some(event) = self.end_line()? {
                return Ok(Some(event));
            }
        }
        self.dispatch()
    }

    fn end_line(&mut self) -> Result<Option<SseEvent>> {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            return self.dispatch();
        }
        if line[0] == b':' {
            self.comments += 1;
            return Ok(None);
        }
        let (field, value) = match line.iter().position(|b| *b == b':') {
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (&line[..], &b""[..]),
        };
        // `event:`, `id:` and `retry:` carry nothing OpenRouter uses.
        if field == b"data" {
            if self.has_data {
                self.data.push(b'\n');
            }
            self.data.extend_from_slice(value);
            self.has_data = true;
        }
        Ok(None)
    }

    fn dispatch(&mut self) -> Result<Option<SseEvent>> {
        if !self.has_data {
            return Ok(None);
        }
        self.has_data = false;
        let data = String::from_utf8(std::mem::take(&mut self.data))
            .map_err(|_| Error::new(ErrorCode::InvalidUtf8, "a stream event is not valid UTF-8"))?;
        Ok(Some(if data.trim() == "[DONE]" {
            SseEvent::Done
        } else {
            SseEvent::Data(data)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str =
        ": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\ndata: {\"a\":1}\n\ndata: {\"b\":\n\
data: 2}\r\n\r\nevent: x\nid: 7\ndata: Grüße 🙂\n\n: OPENROUTER PROCESSING\ndata: [DONE]\n\n";

    fn parse_all(chunks: &[&[u8]]) -> (Vec<SseEvent>, u64) {
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        for chunk in chunks {
            events.extend(parser.push(chunk).unwrap());
        }
        events.extend(parser.finish().unwrap());
        (events, parser.comments())
    }

    #[test]
    fn comments_are_skipped_and_data_lines_join() {
        let (events, comments) = parse_all(&[STREAM.as_bytes()]);
        assert_eq!(
            events,
            vec![
                SseEvent::Data("{\"a\":1}".into()),
                SseEvent::Data("{\"b\":\n2}".into()),
                SseEvent::Data("Grüße 🙂".into()),
                SseEvent::Done
            ]
        );
        assert_eq!(comments, 3);
    }

    #[test]
    fn any_split_of_the_bytes_gives_the_same_events() {
        let bytes = STREAM.as_bytes();
        let (whole, _) = parse_all(&[bytes]);
        for i in 0..bytes.len() {
            for j in i..bytes.len() {
                let (split, _) = parse_all(&[&bytes[..i], &bytes[i..j], &bytes[j..]]);
                assert_eq!(split, whole, "split at {i} and {j}");
            }
        }
    }

    #[test]
    fn a_stream_cut_before_its_blank_line_still_yields_the_event() {
        let (events, _) = parse_all(&[b"data: {\"x\":1}"]);
        assert_eq!(events, vec![SseEvent::Data("{\"x\":1}".into())]);
    }

    #[test]
    fn huge_events_and_bad_utf8_are_errors() {
        let mut parser = SseParser::new();
        let big = vec![b'a'; MAX_EVENT_BYTES + 10];
        assert_eq!(parser.push(b"data: ").unwrap(), vec![]);
        assert_eq!(
            parser.push(&big).unwrap_err().code(),
            ErrorCode::InputTooLarge
        );
        let mut parser = SseParser::new();
        assert_eq!(
            parser.push(b"data: \xff\xfe\n\n").unwrap_err().code(),
            ErrorCode::InvalidUtf8
        );
    }
}
