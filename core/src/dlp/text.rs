//! Offsets in the units each host language indexes strings by: bytes, code points, UTF-16 units.

use serde::{Deserialize, Serialize};

/// The unit a host language indexes its strings by, so that `text[start:end]` is the match there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// UTF-8 bytes (Rust, C, Go).
    Byte,
    /// Unicode code points (Python).
    CodePoint,
    /// UTF-16 code units (JavaScript, Java, C#).
    Utf16,
}

/// Converts byte offsets of `text` to `unit`.
pub fn byte_offsets_to(text: &str, unit: Unit, byte_offsets: &[usize]) -> Vec<usize> {
    match unit {
        Unit::Byte => byte_offsets.to_vec(),
        Unit::CodePoint => byte_to_char_offsets(text, byte_offsets),
        Unit::Utf16 => byte_to_utf16_offsets(text, byte_offsets),
    }
}

/// How many `unit`s `text` is long.
pub fn length_in(text: &str, unit: Unit) -> usize {
    match unit {
        Unit::Byte => text.len(),
        Unit::CodePoint => units_in(text, 0, text.len(), false),
        Unit::Utf16 => units_in(text, 0, text.len(), true),
    }
}

/// Converts sorted-or-not byte offsets of `text` to code-point offsets in one sweep.
/// Offsets must fall on character boundaries.
pub fn byte_to_char_offsets(text: &str, byte_offsets: &[usize]) -> Vec<usize> {
    convert(text, byte_offsets, false)
}

/// Converts byte offsets of `text` to UTF-16 code-unit offsets (JavaScript string indices).
pub fn byte_to_utf16_offsets(text: &str, byte_offsets: &[usize]) -> Vec<usize> {
    convert(text, byte_offsets, true)
}

/// Code points (or UTF-16 units) in `text[from..to]`. Counting code points is std's
/// word-at-a-time count; a code point of four bytes (lead byte `0xF0` and up) takes two UTF-16
/// units, and counting those lead bytes is a loop the compiler vectorises.
fn units_in(text: &str, from: usize, to: usize, utf16: bool) -> usize {
    let bytes = &text.as_bytes()[from..to];
    let points = match text.get(from..to) {
        Some(run) => run.chars().count(),
        // An offset inside a character: count the bytes that start one.
        None => bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count(),
    };
    let pairs = if utf16 {
        // Byte-wide sums of at most 255 flags each, which vectorise where a `count` does not.
        bytes
            .chunks(255)
            .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(b >= 0xF0))))
            .sum()
    } else {
        0
    };
    points + pairs
}

fn convert(text: &str, byte_offsets: &[usize], utf16: bool) -> Vec<usize> {
    // Most prompts are ASCII, where every unit is a byte; `is_ascii` reads a word at a time.
    if text.is_ascii() {
        return byte_offsets.iter().map(|&at| at.min(text.len())).collect();
    }
    let mut order: Vec<usize> = (0..byte_offsets.len()).collect();
    order.sort_unstable_by_key(|&i| byte_offsets[i]);
    let mut out = vec![0; byte_offsets.len()];
    let (mut at, mut counted) = (0, 0);
    for i in order {
        let target = byte_offsets[i].min(text.len());
        counted += units_in(text, at, target, utf16);
        at = target;
        out[i] = counted;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_and_utf16_count_emoji_and_cjk_right() {
        let text = "é🙂中x";
        let bytes = [0, 2, 6, 9, 10];
        assert_eq!(byte_to_char_offsets(text, &bytes), [0, 1, 2, 3, 4]);
        assert_eq!(byte_to_utf16_offsets(text, &bytes), [0, 1, 3, 4, 5]);
        assert_eq!(byte_to_char_offsets(text, &[9, 0]), [3, 0]);
        assert_eq!(length_in(text, Unit::CodePoint), 4);
        assert_eq!(length_in(text, Unit::Utf16), 5);
        // ASCII text takes the short way; offsets past the end stop at it, as on the long way.
        assert_eq!(byte_to_utf16_offsets("abc", &[3, 1, 9]), [3, 1, 3]);
        assert_eq!(byte_to_char_offsets("é", &[9]), [1]);
        // Longer than one counting block of 255 bytes.
        let emoji = "🙂".repeat(300) + "x";
        assert_eq!(length_in(&emoji, Unit::Utf16), 601);
        assert_eq!(
            byte_to_utf16_offsets(&emoji, &[1200, 4, 1201]),
            [600, 2, 601]
        );
    }
}
