//! Compact JSON text of a `serde_json::Value`, byte for byte what `serde_json::to_string` writes.
//!
//! A prepared request is re-encoded on every call, and nearly all of its bytes are prompt text:
//! serde_json escapes strings a byte at a time, while here runs of bytes that need no escape are
//! found a block at a time (a loop the compiler vectorises) and copied whole.

use serde_json::Value;

/// The JSON text of `value`, as `serde_json::to_string` gives it.
pub fn to_string(value: &Value) -> String {
    // Sized once: growing a buffer of prompt text by doubling copies it several times over.
    let mut out = Vec::with_capacity(size_hint(value));
    write_value(&mut out, value);
    // Only valid UTF-8 is written: the input strings are UTF-8 and every escape is ASCII.
    String::from_utf8(out).expect("JSON text is UTF-8")
}

/// Roughly the length of the JSON text: every string plus a little for quotes and punctuation.
fn size_hint(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len() + 2,
        Value::Array(items) => items.iter().map(size_hint).sum::<usize>() + items.len() + 2,
        Value::Object(map) => {
            map.iter()
                .map(|(k, v)| k.len() + 4 + size_hint(v))
                .sum::<usize>()
                + 2
        }
        _ => 8,
    }
}

fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(out, key);
                out.push(b':');
                write_value(out, item);
            }
            out.push(b'}');
        }
    }
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any of eight bytes needs an escape, tested on them as one word: a byte below 0x20,
/// or equal to `"` or `\\` (the classic "has a byte less than n" and "has a zero byte" tricks).
fn word_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGHS;
    below(word, 0x20)
        | below(word ^ (ONES * u64::from(b'"')), 1)
        | below(word ^ (ONES * u64::from(b'\\')), 1)
        != 0
}

fn write_string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !word_needs_escape(word) {
                at += 8;
                continue;
            }
        }
        if needs_escape(bytes[at]) {
            out.extend_from_slice(&bytes[copied..at]);
            write_escape(out, bytes[at]);
            copied = at + 1;
        }
        at += 1;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

fn write_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0C => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xF)],
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_serde_json_writes() {
        let every_control: String = (0u8..0x20).map(char::from).collect();
        let long = "prose without escapes, ".repeat(20) + "\"quoted\"\n" + &"é🙂中 ".repeat(10);
        let values = [
            json!(null),
            json!([true, false, 0, -1, 1.5, 1e300, u64::MAX, i64::MIN, 0.1]),
            json!({"a": {"b": [], "c": {}}, "ключ\n": "x\\y/z", "": ""}),
            json!(every_control),
            json!({ "k": every_control.repeat(3), "long": long }),
            json!("\u{7f}\u{80}\u{2028}"),
        ];
        for value in values {
            assert_eq!(to_string(&value), serde_json::to_string(&value).unwrap());
        }
        // Escapes at every offset around a block boundary.
        for at in 0..70 {
            let mut s = "a".repeat(70);
            s.insert(at, '"');
            s.insert(at / 2, '\u{1}');
            let value = json!(s);
            assert_eq!(to_string(&value), serde_json::to_string(&value).unwrap());
        }
    }
}
