//! Check-digit algorithms shared by many detectors, and the named validators custom detectors use.
//!
//! Every function takes the matched text as written (with separators) unless it says otherwise
//! and ignores separators itself, so detectors can pass their match straight in.

/// The ASCII digits of `text`, separators dropped.
pub fn digits(text: &str) -> Vec<u8> {
    text.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

/// The ASCII alphanumerics of `text`, upper-cased, separators dropped.
pub fn alnum_upper(text: &str) -> Vec<u8> {
    text.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

/// Luhn (ISO/IEC 7812-1) over digit values; the last digit is the check digit.
pub fn luhn_digits(digits: &[u8]) -> bool {
    if digits.len() < 2 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut v = d as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Luhn over the digits of `text`.
pub fn luhn(text: &str) -> bool {
    luhn_digits(&digits(text))
}

/// ISO 7064 MOD 97-10 remainder of an alphanumeric string, letters as 10..35 (IBAN, LEI, RF).
pub fn mod97_remainder(chars: &[u8]) -> Option<u32> {
    let mut rem = 0u32;
    for &c in chars {
        match c {
            b'0'..=b'9' => rem = (rem * 10 + (c - b'0') as u32) % 97,
            b'A'..=b'Z' => rem = (rem * 100 + (c - b'A' + 10) as u32) % 97,
            b'a'..=b'z' => rem = (rem * 100 + (c - b'a' + 10) as u32) % 97,
            _ => return None,
        }
    }
    Some(rem)
}

/// The IBAN check: move the first four characters to the end, then MOD 97 must be 1.
pub fn iban_mod97(text: &str) -> bool {
    let chars = alnum_upper(text);
    if chars.len() < 5 {
        return false;
    }
    let mut rotated = chars[4..].to_vec();
    rotated.extend_from_slice(&chars[..4]);
    mod97_remainder(&rotated) == Some(1)
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff over digit values; the last digit is the check digit (Aadhaar, NG NIN).
pub fn verhoeff_digits(digits: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, &d) in digits.iter().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][d as usize] as usize];
    }
    !digits.is_empty() && c == 0
}

/// Verhoeff over the digits of `text`.
pub fn verhoeff(text: &str) -> bool {
    verhoeff_digits(&digits(text))
}

/// ISO 7064 MOD 11,10 (hybrid) over digit values; the last digit is the check digit
/// (DE Steuer-ID, DE USt-IdNr, HR OIB).
pub fn iso7064_mod11_10_digits(digits: &[u8]) -> bool {
    let Some((&check, body)) = digits.split_last() else {
        return false;
    };
    let mut product = 10u32;
    for &d in body {
        let mut sum = (d as u32 + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let expected = (11 - product) % 10;
    expected == check as u32
}

/// ISO 7064 MOD 11,10 over the digits of `text`.
pub fn iso7064_mod11_10(text: &str) -> bool {
    iso7064_mod11_10_digits(&digits(text))
}

/// ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') for digit values (CN resident id, ISNI).
pub fn iso7064_mod11_2_check(digits: &[u8]) -> u8 {
    let mut sum = 0u32;
    for &d in digits {
        sum = ((sum + d as u32) * 2) % 11;
    }
    let check = (12 - sum % 11) % 11;
    if check == 10 {
        b'X'
    } else {
        b'0' + check as u8
    }
}

/// Sum of `digits[i] * weights[i]` over the shorter of the two.
pub fn weighted_sum(digits: &[u8], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(&d, &w)| d as u32 * w)
        .sum()
}

/// Shannon entropy of `text` in bits per byte.
pub fn shannon_entropy(text: &str) -> f32 {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f32;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / n;
            -p * p.log2()
        })
        .sum()
}

/// A named validator that custom detectors can ask for in configuration.
pub struct NamedValidator {
    pub name: &'static str,
    pub meaning: &'static str,
    pub check: fn(&str) -> bool,
}

/// Validators available to custom detectors by name.
pub const NAMED_VALIDATORS: &[NamedValidator] = &[
    NamedValidator {
        name: "luhn",
        meaning: "Luhn (ISO/IEC 7812) over the digits",
        check: luhn,
    },
    NamedValidator {
        name: "mod97",
        meaning:
            "ISO 7064 MOD 97-10 as for IBAN (first four characters moved to the end, remainder 1)",
        check: iban_mod97,
    },
    NamedValidator {
        name: "verhoeff",
        meaning: "Verhoeff over the digits",
        check: verhoeff,
    },
    NamedValidator {
        name: "mod11_10",
        meaning: "ISO 7064 MOD 11,10 over the digits",
        check: iso7064_mod11_10,
    },
];

/// Finds a named validator.
pub fn named_validator(name: &str) -> Option<&'static NamedValidator> {
    NAMED_VALIDATORS.iter().find(|v| v.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_test_cards_and_rejects_one_digit_off() {
        assert!(luhn("4111 1111 1111 1111"));
        assert!(luhn("5500-0000-0000-0004"));
        assert!(luhn("378282246310005"));
        assert!(!luhn("4111 1111 1111 1112"));
        assert!(!luhn("7"));
    }

    #[test]
    fn iban_mod97_matches_published_examples() {
        assert!(iban_mod97("GB82 WEST 1234 5698 7654 32"));
        assert!(iban_mod97("DE89370400440532013000"));
        assert!(!iban_mod97("DE89370400440532013001"));
    }

    #[test]
    fn verhoeff_matches_the_textbook_example() {
        assert!(verhoeff("2363"));
        assert!(!verhoeff("2364"));
    }

    #[test]
    fn mod11_10_matches_a_published_steuer_id_example() {
        // Example Steuer-ID from the BZSt documentation.
        assert!(iso7064_mod11_10("86095742719"));
        assert!(!iso7064_mod11_10("86095742718"));
    }

    #[test]
    fn mod11_2_gives_x_where_the_standard_does() {
        // GB 11643-1999 example: 11010519491231002X
        let d: Vec<u8> = "11010519491231002".bytes().map(|b| b - b'0').collect();
        assert_eq!(iso7064_mod11_2_check(&d), b'X');
    }

    #[test]
    fn entropy_is_zero_for_repeats_and_high_for_random() {
        assert_eq!(shannon_entropy("aaaaaaaa"), 0.0);
        assert!(shannon_entropy("aZ3kQ9pL2mX7vB4n") > 3.5);
    }
}
