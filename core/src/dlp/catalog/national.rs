//! Personal identifiers issued by one country: tax, social security, health and identity numbers.

use crate::dlp::checksum;
use crate::dlp::detector::{Matcher, Spec, Start};

pub(super) static SPECS: &[Spec] = &[Spec {
    country: Some("IN"),
    validation: "verhoeff",
    confidence: 0.85,
    context: &["aadhaar", "aadhar", "uidai", "uid"],
    ..Spec::pii(
        "in_aadhaar",
        "IN_AADHAAR",
        Matcher::Anchored {
            start: Start::Digit,
            first_run: (4, 12),
            pattern: r"[2-9][0-9]{3}[ -]?[0-9]{4}[ -]?[0-9]{4}",
            max_len: 14,
            validate: Some(valid_aadhaar),
        },
    )
}];

fn valid_aadhaar(text: &str) -> bool {
    let d = checksum::digits(text);
    let palindrome = d.iter().eq(d.iter().rev());
    d.len() == 12 && !palindrome && checksum::verhoeff_digits(&d)
}
