//! Personal data that is not tied to one country: cards, bank accounts, contact details, network
//! and device identifiers, dates, crypto wallets.

use crate::dlp::checksum;
use crate::dlp::detector::{Matcher, Spec, Start};

pub(super) static SPECS: &[Spec] = &[Spec {
    country: None,
    validation: "luhn",
    confidence: 0.95,
    context: &["credit", "card", "visa", "mastercard", "amex", "cc", "payment"],
    ..Spec::pii(
        "credit_card",
        "CREDIT_CARD",
        Matcher::Anchored {
            start: Start::Digit,
            first_run: (4, 19),
            pattern: r"(?:[0-9]{4}[ -]){3}[0-9]{1,7}|[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5}|[0-9]{12,19}",
            max_len: 23,
            validate: Some(valid_card),
        },
    )
}];

fn valid_card(text: &str) -> bool {
    let d = checksum::digits(text);
    (12..=19).contains(&d.len()) && checksum::luhn_digits(&d) && d.iter().any(|&x| x != d[0])
}
