//! Offsets in the units each host language indexes strings by: bytes, code points, UTF-16 units.

/// Converts sorted-or-not byte offsets of `text` to code-point offsets in one sweep.
/// Offsets must fall on character boundaries.
pub fn byte_to_char_offsets(text: &str, byte_offsets: &[usize]) -> Vec<usize> {
    convert(text, byte_offsets, |_| 1)
}

/// Converts byte offsets of `text` to UTF-16 code-unit offsets (JavaScript string indices).
pub fn byte_to_utf16_offsets(text: &str, byte_offsets: &[usize]) -> Vec<usize> {
    convert(text, byte_offsets, char::len_utf16)
}

fn convert(text: &str, byte_offsets: &[usize], units: impl Fn(char) -> usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..byte_offsets.len()).collect();
    order.sort_unstable_by_key(|&i| byte_offsets[i]);
    let mut out = vec![0; byte_offsets.len()];
    let mut chars = text.char_indices().peekable();
    let mut counted = 0;
    for i in order {
        let target = byte_offsets[i];
        while let Some(&(at, c)) = chars.peek() {
            if at >= target {
                break;
            }
            counted += units(c);
            chars.next();
        }
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
    }
}
