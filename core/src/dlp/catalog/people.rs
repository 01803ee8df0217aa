//! Names of people and places, and street addresses: found by word lists, capitalisation,
//! titles and context rather than by a pattern.

use crate::dlp::detector::{CodeHit, Matcher, Spec};

pub(super) static SPECS: &[Spec] = &[Spec {
    validation: "title",
    confidence: 0.85,
    ..Spec::pii(
        "person_titled",
        "PERSON",
        Matcher::Code {
            triggers: &["mr", "mrs", "ms", "dr", "prof"],
            max_len: 64,
            find: titled_names,
        },
    )
}];

/// `Mr. Smith`, `Dr Jane Doe`: a title followed by one to three capitalised words.
fn titled_names(text: &str, hits: &mut Vec<CodeHit>) {
    let bytes = text.as_bytes();
    for title in ["Mr", "Mrs", "Ms", "Dr", "Prof"] {
        for (at, _) in text.match_indices(title) {
            if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let mut i = at + title.len();
            if bytes.get(i) == Some(&b'.') {
                i += 1;
            }
            let start_name = i + 1;
            let mut end = 0;
            let mut words = 0;
            while words < 3 && bytes.get(i) == Some(&b' ') {
                let w = i + 1;
                if !bytes.get(w).is_some_and(u8::is_ascii_uppercase) {
                    break;
                }
                let mut j = w + 1;
                while bytes.get(j).is_some_and(u8::is_ascii_lowercase) {
                    j += 1;
                }
                if j - w < 2 {
                    break;
                }
                end = j;
                words += 1;
                i = j;
            }
            if words > 0 {
                hits.push(CodeHit { start: start_name, end, confidence: None });
            }
        }
    }
}
