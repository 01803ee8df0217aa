//! Personal data that is not tied to one country: cards, bank accounts, contact details, network
//! and device identifiers, dates, crypto wallets.
//!
//! Precision policy: every identifier with an official check (Luhn, mod 97, Base58Check, bech32,
//! EIP-55, VIN and VAT check digits) is validated with it, and a bare digit run guarded by one
//! weak check digit (IMEI, ICCID) or none (MRN, SWIFT) only counts next to a context word.
//! Contact details, network addresses and dates have no check digit; they are recognised by
//! shape, and the matchers reject the look-alikes that fill logs and code (timestamps, version
//! numbers, OIDs, thousands-separated amounts, file names).

use std::sync::{LazyLock, OnceLock};

use aho_corasick::AhoCorasick;
use phonenumber::country::Id;
use phonenumber::metadata::{Database, Descriptor, DATABASE};
use phonenumber::Metadata;
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::{start, syntax};
use regex_automata::Anchored;
use sha2::{Digest, Sha256};
use sha3::Keccak256;

use crate::dlp::checksum;
use crate::dlp::detector::{CodeHit, Matcher, Spec, Start};
use crate::dlp::scanner::{CONTEXT_AFTER, CONTEXT_BEFORE};
use crate::dlp::walk::walk_from_state;

/// Swallows a trailing `-12`, `.5` or `/3` so that a longer number is seen whole and rejected by
/// the length check instead of being reported as an identifier inside it.
macro_rules! tail {
    () => {
        r"(?:[-./][0-9]+)*"
    };
}

const CARD_CONTEXT: &[&str] = &[
    "credit",
    "card",
    "credit card",
    "debit",
    "visa",
    "mastercard",
    "amex",
    "american express",
    "discover",
    "jcb",
    "diners",
    "maestro",
    "unionpay",
    "cc",
    "payment",
    "kreditkarte",
    "carte",
    "tarjeta",
];

const PHONE_CONTEXT: &[&str] = &[
    "phone",
    "phone number",
    "telephone",
    "tel",
    "call",
    "call me",
    "reach me",
    "mobile",
    "cell",
    "cellphone",
    "fax",
    "whatsapp",
    "sms",
    "dial",
    "hotline",
    "telefon",
    "telefonnummer",
    "handy",
    "téléphone",
    "tél",
    "portable",
    "joignable",
    "telefono",
    "teléfono",
    "llamar",
    "móvil",
    "celular",
    "cellulare",
    "chiamare",
    "telefone",
    "telefoon",
    "bereikbaar",
    "tlf",
    "mob",
    "puhelin",
    "puhelinnumero",
    "puhelinnumeroni",
    "telefonu",
    "numer telefonu",
    "טלפון",
    "נייד",
    "โทร",
    "เบอร์",
    "电话",
    "联系电话",
    "手机",
    "手机号",
    "電話",
    "携帯",
    "전화",
    "전화번호",
    "휴대폰",
    "연락처",
];

const DOB_CONTEXT: &[&str] = &[
    "born",
    "dob",
    "d.o.b",
    "birth",
    "birthday",
    "birthdate",
    "birth date",
    "date of birth",
    "geburtsdatum",
    "geboren",
    "geb",
    "né",
    "née",
    "né le",
    "date de naissance",
    "fecha de nacimiento",
    "nacimiento",
    "nací",
    "nacido",
    "nacida",
    "data di nascita",
    "nato il",
    "nata il",
    "data de nascimento",
    "nascimento",
    "nascido",
    "nascida",
    "geboortedatum",
    "data urodzenia",
    "urodzony",
    "urodzona",
    "födelsedatum",
    "född",
    "fødselsdato",
    "født",
    "syntymäaika",
    "syntynyt",
    "doğum",
    "doğum tarihi",
    "doğum tarihim",
    "תאריך לידה",
    "נולדתי",
    "נולד",
    "נולדה",
    "วันเกิด",
    "เกิดวันที่",
    "เกิด",
    "生日",
    "出生日期",
    "出生",
    "誕生日",
    "生年月日",
    "생일",
    "생년월일",
];

pub(super) static SPECS: &[Spec] = &[
    Spec {
        validation: "luhn",
        confidence: 0.95,
        context: CARD_CONTEXT,
        ..Spec::pii(
            "credit_card",
            "CREDIT_CARD",
            // A first group of four (grouped) or the whole compact number.
            Matcher::Located {
                start: Start::Digit,
                first_run: (4, 19),
                max_len: 48,
                locate: card_located,
            },
        )
    },
    Spec {
        validation: "mod97",
        confidence: 0.95,
        context: &[
            "iban",
            "bank",
            "account",
            "transfer",
            "bankverbindung",
            "kontonummer",
            "rib",
        ],
        ..Spec::pii(
            "iban",
            "IBAN_CODE",
            Matcher::Located {
                start: Start::Upper,
                first_run: (4, 34),
                max_len: 48,
                locate: iban_located,
            },
        )
    },
    Spec {
        validation: "public_suffix",
        confidence: 0.95,
        context: &["email", "e-mail", "mail", "contact", "courriel", "correo"],
        ..Spec::pii(
            "email_address",
            "EMAIL_ADDRESS",
            Matcher::Code {
                triggers: &["@"],
                max_len: 420,
                find: find_emails,
            },
        )
    },
    Spec {
        validation: "vat_check_digit",
        confidence: 0.9,
        context: VAT_CONTEXT,
        ..Spec::pii(
            "eu_vat_number",
            "EU_VAT_NUMBER",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (2, 14),
                pattern: VAT_PATTERN,
                max_len: 24,
                validate: Some(valid_vat),
            },
        )
    },
    Spec {
        validation: "format",
        confidence: 0.6,
        context: VAT_CONTEXT,
        context_required: true,
        ..Spec::pii(
            "eu_vat_number_unchecked",
            "EU_VAT_NUMBER",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (2, 14),
                pattern: VAT_PATTERN,
                max_len: 24,
                validate: Some(valid_vat_format_only),
            },
        )
    },
    Spec {
        validation: "base58check_bech32",
        confidence: 0.95,
        context: &["bitcoin", "btc", "wallet", "crypto", "address"],
        ..Spec::pii(
            "bitcoin_address",
            "BITCOIN_ADDRESS",
            Matcher::Anchored {
                start: Start::Alnum,
                first_run: (25, 90),
                pattern: r"[13][1-9A-HJ-NP-Za-km-z]{24,34}|(?:bc|BC)1[02-9ac-hj-np-zAC-HJ-NP-Z]{11,87}",
                max_len: 90,
                validate: Some(valid_bitcoin),
            },
        )
    },
    Spec {
        validation: "eip55",
        confidence: 0.85,
        context: &["ethereum", "eth", "wallet", "crypto", "address", "erc20"],
        ..Spec::pii(
            "ethereum_address",
            "ETHEREUM_ADDRESS",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (42, 42),
                pattern: r"0x[0-9a-fA-F]{40}",
                max_len: 42,
                validate: Some(valid_ethereum),
            },
        )
    },
    Spec {
        validation: "luhn",
        confidence: 0.85,
        context: IMEI_CONTEXT,
        ..Spec::pii(
            "imei",
            "IMEI",
            Matcher::Located {
                start: Start::Digit,
                first_run: (2, 2),
                max_len: 40,
                locate: imei_located,
            },
        )
    },
    Spec {
        validation: "luhn",
        confidence: 0.7,
        context: IMEI_CONTEXT,
        context_required: true,
        ..Spec::pii(
            "imei_bare",
            "IMEI",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (15, 15),
                pattern: concat!(r"[0-9]{15}", tail!()),
                max_len: 32,
                validate: Some(valid_imei_bare),
            },
        )
    },
    Spec {
        validation: "luhn",
        confidence: 0.7,
        context: &[
            "iccid",
            "icc-id",
            "icc id",
            "icc",
            "sim",
            "sim card",
            "sim number",
            "simkarte",
        ],
        context_required: true,
        ..Spec::pii(
            "icc_id",
            "ICCID",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (19, 20),
                pattern: concat!(r"89[0-9]{17,18}", tail!()),
                max_len: 36,
                validate: Some(valid_iccid),
            },
        )
    },
    Spec {
        validation: "vin_check_digit",
        confidence: 0.8,
        context: &[
            "vin",
            "vehicle",
            "vehicle identification number",
            "chassis",
            "car",
            "fahrgestellnummer",
        ],
        ..Spec::pii(
            "vin",
            "VIN",
            Matcher::Anchored {
                start: Start::Alnum,
                first_run: (17, 17),
                pattern: r"[A-HJ-NPR-Z0-9]{17}",
                max_len: 17,
                validate: Some(valid_vin),
            },
        )
    },
    Spec {
        validation: "iso3166",
        confidence: 0.7,
        context: &[
            "swift",
            "bic",
            "swift code",
            "bic code",
            "swift/bic",
            "bank identifier code",
        ],
        context_required: true,
        ..Spec::pii(
            "swift_bic",
            "SWIFT_CODE",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (8, 11),
                pattern: r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?",
                max_len: 11,
                validate: Some(valid_bic),
            },
        )
    },
    Spec {
        validation: "format",
        confidence: 0.85,
        context: &[
            "mac",
            "mac address",
            "hardware address",
            "physical address",
            "ethernet",
            "wifi",
            "bssid",
        ],
        ..Spec::pii(
            "mac_address",
            "MAC_ADDRESS",
            // `00:1a:...` starts with a run of two, Cisco `001a.2b3c.4d5e` with a run of four.
            Matcher::Located {
                start: Start::HexDigit,
                first_run: (2, 4),
                max_len: 24,
                locate: mac_located,
            },
        )
    },
    Spec {
        validation: "format",
        confidence: 0.8,
        context: &[
            "ip",
            "ipv6",
            "ip address",
            "address",
            "host",
            "client",
            "server",
        ],
        ..Spec::pii(
            "ipv6",
            "IP_ADDRESS",
            // The first group (at most four hex digits), or the group after a leading `::`.
            Matcher::Located {
                start: Start::HexDigit,
                first_run: (1, 4),
                max_len: 64,
                locate: ipv6_located,
            },
        )
    },
    Spec {
        validation: "format",
        confidence: 0.8,
        context: &[
            "ip",
            "ipv4",
            "ip address",
            "address",
            "host",
            "client",
            "server",
            "src",
            "dst",
        ],
        ..Spec::pii(
            "ipv4",
            "IP_ADDRESS",
            Matcher::Located {
                start: Start::Digit,
                first_run: (1, 3),
                max_len: 48,
                locate: ipv4_located,
            },
        )
    },
    Spec {
        validation: "public_suffix",
        confidence: 0.7,
        context: &["url", "website", "link", "site", "homepage", "web"],
        ..Spec::pii(
            "url",
            "URL",
            // `http`, `https`, `ftp`, `ftps` or `www`, then `:` or `.`.
            Matcher::Located {
                // Every scheme and `www` start with one of these.
                start: Start::OneOf(b"hfwHFW"),
                first_run: (3, 5),
                max_len: URL_MAX as u16,
                locate: url_located,
            },
        )
    },
    Spec {
        validation: "libphonenumber",
        confidence: 0.7,
        context: PHONE_CONTEXT,
        ..Spec::pii(
            "phone_number",
            "PHONE_NUMBER",
            // At a digit; a leading `+` or `(` is the byte before it. Runs may carry an `x123`
            // extension, so their length is not bounded here.
            Matcher::Located {
                start: Start::Digit,
                first_run: (1, 255),
                max_len: 96,
                locate: phone_located,
            },
        )
    },
    Spec {
        validation: "calendar",
        confidence: 0.75,
        context: DOB_CONTEXT,
        context_required: true,
        ..Spec::pii(
            "date_of_birth",
            "DATE_OF_BIRTH",
            // Only dates near a birth word count, so only text around those words is read.
            Matcher::Code {
                triggers: DOB_TRIGGERS,
                max_len: DOB_REACH as u16,
                find: find_birth_dates,
            },
        )
    },
    Spec {
        validation: "calendar",
        confidence: 0.55,
        context: &[
            "date",
            "dated",
            "due",
            "expiry",
            "expires",
            "issued",
            "appointment",
            "admission",
            "discharge",
            "visit",
            "deadline",
        ],
        ..Spec::pii(
            "date",
            "DATE",
            // A day, a year or a month name starts every date; names like "décembre" break the
            // ASCII run after one or two letters.
            Matcher::Located {
                start: Start::OneOf(DATE_STARTS),
                first_run: (1, 10),
                max_len: DATE_MAX as u16,
                locate: date_located,
            },
        )
    },
    Spec {
        validation: "context",
        confidence: 0.65,
        context: &[
            "mrn",
            "medical record",
            "medical record number",
            "medical record no",
            "patient id",
            "patient number",
            "patient no",
            "chart number",
            "chart no",
            "hospital number",
        ],
        context_required: true,
        ..Spec::pii(
            "medical_record_number",
            "MEDICAL_RECORD_NUMBER",
            // Every context word contains one of these; the number is only read around them.
            Matcher::Code {
                triggers: MRN_TRIGGERS,
                max_len: MRN_REACH as u16,
                find: find_mrns,
            },
        )
    },
];

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn hit(start: usize, end: usize) -> CodeHit {
    CodeHit {
        start,
        end,
        confidence: None,
    }
}

fn digits_value(d: &[u8]) -> u64 {
    d.iter().fold(0u64, |acc, &x| acc * 10 + x as u64)
}

/// Placeholders: one repeated digit, or a run where each digit is the previous one plus or minus one.
fn is_placeholder(d: &[u8]) -> bool {
    if d.len() < 2 {
        return true;
    }
    let same = d.iter().all(|&x| x == d[0]);
    let up = d.windows(2).all(|w| w[1] == (w[0] + 1) % 10);
    let down = d.windows(2).all(|w| w[0] == (w[1] + 1) % 10);
    same || up || down
}

// ---------------------------------------------------------------------------------------------
// ISO 3166-1 alpha-2
// ---------------------------------------------------------------------------------------------

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted, plus XK (Kosovo), which SWIFT and
/// IBAN use.
const ISO_3166_ALPHA2: [&str; 250] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Whether `code` (two uppercase ASCII letters) is an ISO 3166-1 alpha-2 country code.
pub(crate) fn is_iso_country(code: &[u8]) -> bool {
    code.len() == 2
        && ISO_3166_ALPHA2
            .binary_search_by(|c| c.as_bytes().cmp(code))
            .is_ok()
}

// ---------------------------------------------------------------------------------------------
// Payment cards
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
fn valid_card(text: &str) -> bool {
    valid_card_digits(&checksum::digits(text))
}

/// Digit values of a card number: a scheme's length and range, Luhn, not one digit repeated.
fn valid_card_digits(d: &[u8]) -> bool {
    (12..=19).contains(&d.len())
        && card_brand(d).is_some()
        && checksum::luhn_digits(d)
        && d.iter().any(|&x| x != d[0])
}

/// The card scheme whose IIN range and length fit, if any. Numbers outside every scheme are not
/// reported: a Luhn-valid digit run alone passes one time in ten.
fn card_brand(d: &[u8]) -> Option<&'static str> {
    let len = d.len();
    let p = |n: usize| digits_value(&d[..n.min(len)]);
    if d[0] == 4 {
        matches!(len, 13 | 16 | 19).then_some("visa")
    } else if (51..=55).contains(&p(2)) || (2221..=2720).contains(&p(4)) {
        (len == 16).then_some("mastercard")
    } else if matches!(p(2), 34 | 37) {
        (len == 15).then_some("amex")
    } else if [5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].contains(&p(4)) {
        (12..=19).contains(&len).then_some("maestro")
    } else if p(4) == 6011
        || (644..=649).contains(&p(3))
        || p(2) == 65
        || (622126..=622925).contains(&p(6))
    {
        (16..=19).contains(&len).then_some("discover")
    } else if p(2) == 62 {
        (16..=19).contains(&len).then_some("unionpay")
    } else if (3528..=3589).contains(&p(4)) {
        (16..=19).contains(&len).then_some("jcb")
    } else if (300..=305).contains(&p(3)) || p(4) == 3095 || matches!(p(2), 36 | 38 | 39) {
        (14..=19).contains(&len).then_some("diners")
    } else if (2200..=2204).contains(&p(4)) {
        (16..=19).contains(&len).then_some("mir")
    } else {
        None
    }
}

/// Whether one of `seps` followed by a digit sits at `e`: the number goes on (`1.2.3.4.5`).
fn number_continues(b: &[u8], e: usize, seps: &[u8]) -> bool {
    b.get(e).is_some_and(|c| seps.contains(c)) && b.get(e + 1).is_some_and(u8::is_ascii_digit)
}

/// Card numbers written compact (`4111111111111111`) or grouped with one kind of separator:
/// 4-4-4-4, 4-4-4-1..3, 4-6-5 (Amex), 4-6-4 (Diners), 4-4-4-4-1..3 (19-digit cards). Located,
/// because `4111 1111 1111 1111 123` is either a 19-digit card or a 16-digit card followed by its
/// CVV, and only the check digit tells which.
fn card_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    let run = digit_run(b, at);
    // A first group of four goes on with a separator and a digit.
    let grouped = run == 4
        && matches!(b.get(at + 4), Some(b' ' | b'-'))
        && b.get(at + 5).is_some_and(u8::is_ascii_digit);
    if !grouped && !(12..=19).contains(&run) {
        return None;
    }
    card_at(b, at)
}

/// The located matchers of this file test the common case (no hit) inline and leave the rest
/// to a function of its own, kept out of line so that rejecting a word costs a few
/// instructions and no register spills: most words of a text reach several of them.
#[inline(never)]
fn card_at(b: &[u8], at: usize) -> Option<CodeHit> {
    let inside_number =
        at >= 2 && matches!(b[at - 1], b'.' | b',' | b'-' | b'/') && b[at - 2].is_ascii_digit();
    if inside_number {
        return None;
    }
    // A group after a space may be the middle of a longer chain (`1234 4111 1111 1111 1111`).
    if at >= 2 && b[at - 1] == b' ' && b[at - 2].is_ascii_digit() && !card_chain_starts_at(b, at) {
        return None;
    }
    let (groups, count) = card_chain(b, at);
    card_in_chain(b, &groups[..count])
}

fn digit_run(b: &[u8], from: usize) -> usize {
    let mut k = from;
    while k < b.len() && b[k].is_ascii_digit() {
        k += 1;
    }
    k.saturating_sub(from)
}

/// The chain of digit groups from `i`, one separator kind throughout, at most six groups.
fn card_chain(b: &[u8], i: usize) -> ([(usize, usize); 6], usize) {
    let n = b.len();
    let mut groups = [(0usize, 0usize); 6];
    let mut count = 0;
    let mut sep = None;
    let mut j = i;
    loop {
        let s = j;
        while j < n && b[j].is_ascii_digit() {
            j += 1;
        }
        groups[count] = (s, j);
        count += 1;
        let next_sep = b.get(j).copied().filter(|&c| c == b' ' || c == b'-');
        let continues = next_sep.is_some()
            && b.get(j + 1).is_some_and(u8::is_ascii_digit)
            && sep.is_none_or(|s| Some(s) == next_sep);
        if !continues || count == groups.len() {
            break;
        }
        sep = next_sep;
        j += 1;
    }
    (groups, count)
}

/// Whether reading chains of groups from the left starts a new chain at `p` (a digit run right
/// after a space that follows a digit): true after a separator change or six groups.
fn card_chain_starts_at(b: &[u8], p: usize) -> bool {
    let floor = p.saturating_sub(48);
    let mut start = p;
    while start >= 2
        && start > floor
        && matches!(b[start - 1], b' ' | b'-')
        && b[start - 2].is_ascii_digit()
    {
        start -= 1;
        while start > 0 && b[start - 1].is_ascii_digit() {
            start -= 1;
        }
    }
    let mut i = start;
    while i < p {
        let (groups, count) = card_chain(b, i);
        i = groups[count - 1].1;
        while i < b.len() && !b[i].is_ascii_digit() {
            i += 1;
        }
    }
    i == p
}

fn card_in_chain(b: &[u8], groups: &[(usize, usize)]) -> Option<CodeHit> {
    let mut lens = [0usize; 6];
    for (l, g) in lens.iter_mut().zip(groups) {
        *l = g.1 - g.0;
    }
    let lens = &lens[..groups.len()];
    let chain_end = groups[groups.len() - 1].1;
    let ends_cleanly =
        |e: usize| !b.get(e).is_some_and(|&c| is_word(c)) && !number_continues(b, e, b".,/-");
    let shape_ok = |l: &[usize]| match l {
        [n] => (12..=19).contains(n),
        [4, 4, 4, last] => (1..=4).contains(last),
        [4, 6, 4 | 5] => true,
        [4, 4, 4, 4, last] => (1..=3).contains(last),
        _ => false,
    };
    let spaced = b.get(groups[0].1) == Some(&b' ');
    // A 16-digit card followed by a CVV.
    let cvv_after = lens.len() == 5 && lens[..4] == [4, 4, 4, 4] && lens[4] <= 3 && spaced;
    let tries = [Some(lens.len()), cvv_after.then_some(4)];
    for k in tries.into_iter().flatten() {
        let end = groups[k - 1].1;
        if !shape_ok(&lens[..k]) || (end == chain_end && !ends_cleanly(end)) {
            continue;
        }
        let mut digits = [0u8; 24];
        let mut len = 0;
        for &c in b[groups[0].0..end].iter().filter(|c| c.is_ascii_digit()) {
            if len == digits.len() {
                break;
            }
            digits[len] = c - b'0';
            len += 1;
        }
        if !valid_card_digits(&digits[..len]) {
            continue;
        }
        // A compact 12- or 13-digit number is as often an EAN or a counter: context decides.
        let weak = k == 1 && lens[0] <= 13;
        return Some(CodeHit {
            start: groups[0].0,
            end,
            confidence: weak.then_some(0.45),
        });
    }
    None
}

// ---------------------------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------------------------

/// IBAN length per country: the SWIFT IBAN registry, plus the national IBAN formats that banks in
/// a few more countries publish (Africa, Iran).
fn iban_length(country: &[u8]) -> Option<usize> {
    let len = match country {
        b"AD" => 24,
        b"AE" => 23,
        b"AL" => 28,
        b"AO" => 25,
        b"AT" => 20,
        b"AZ" => 28,
        b"BA" => 20,
        b"BE" => 16,
        b"BF" => 28,
        b"BG" => 22,
        b"BH" => 22,
        b"BI" => 27,
        b"BJ" => 28,
        b"BR" => 29,
        b"BY" => 28,
        b"CF" => 27,
        b"CG" => 27,
        b"CH" => 21,
        b"CI" => 28,
        b"CM" => 27,
        b"CR" => 22,
        b"CV" => 25,
        b"CY" => 28,
        b"CZ" => 24,
        b"DE" => 22,
        b"DJ" => 27,
        b"DK" => 18,
        b"DO" => 28,
        b"DZ" => 26,
        b"EE" => 20,
        b"EG" => 29,
        b"ES" => 24,
        b"FI" => 18,
        b"FK" => 18,
        b"FO" => 18,
        b"FR" => 27,
        b"GA" => 27,
        b"GB" => 22,
        b"GE" => 22,
        b"GI" => 23,
        b"GL" => 18,
        b"GQ" => 27,
        b"GR" => 27,
        b"GT" => 28,
        b"GW" => 25,
        b"HN" => 28,
        b"HR" => 21,
        b"HU" => 28,
        b"IE" => 22,
        b"IL" => 23,
        b"IQ" => 23,
        b"IR" => 26,
        b"IS" => 26,
        b"IT" => 27,
        b"JO" => 30,
        b"KM" => 27,
        b"KW" => 30,
        b"KZ" => 20,
        b"LB" => 28,
        b"LC" => 32,
        b"LI" => 21,
        b"LT" => 20,
        b"LU" => 20,
        b"LV" => 21,
        b"LY" => 25,
        b"MA" => 28,
        b"MC" => 27,
        b"MD" => 24,
        b"ME" => 22,
        b"MG" => 27,
        b"MK" => 19,
        b"ML" => 28,
        b"MN" => 20,
        b"MR" => 27,
        b"MT" => 31,
        b"MU" => 30,
        b"MZ" => 25,
        b"NE" => 28,
        b"NI" => 28,
        b"NL" => 18,
        b"NO" => 15,
        b"OM" => 23,
        b"PK" => 24,
        b"PL" => 28,
        b"PS" => 29,
        b"PT" => 25,
        b"QA" => 29,
        b"RO" => 24,
        b"RS" => 22,
        b"RU" => 33,
        b"SA" => 24,
        b"SC" => 31,
        b"SD" => 18,
        b"SE" => 24,
        b"SI" => 19,
        b"SK" => 24,
        b"SM" => 27,
        b"SN" => 28,
        b"SO" => 23,
        b"ST" => 25,
        b"SV" => 28,
        b"TD" => 27,
        b"TG" => 28,
        b"TL" => 23,
        b"TN" => 24,
        b"TR" => 26,
        b"UA" => 29,
        b"VA" => 22,
        b"VG" => 24,
        b"XK" => 20,
        b"YE" => 30,
        _ => return None,
    };
    Some(len)
}

/// IBANs written compact (`DE89370400440532013000`) or in groups of four separated by single
/// spaces (`GB82 WEST 1234 5698 7654 32`). Located, because the country fixes where the last
/// group ends, which a pattern cannot know.
fn iban_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    let starts = b.len() >= at + 4
        && b[at].is_ascii_uppercase()
        && b[at + 1].is_ascii_uppercase()
        && b[at + 2].is_ascii_digit()
        && b[at + 3].is_ascii_digit();
    if !starts {
        return None;
    }
    iban_at(b, at).map(|end| hit(at, end))
}

#[inline(never)]
fn iban_at(b: &[u8], i: usize) -> Option<usize> {
    let len = iban_length(&b[i..i + 2])?;
    let ok = |c: u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    let mut buf = [0u8; 34];
    buf[..4].copy_from_slice(&b[i..i + 4]);
    let mut count = 4;
    let mut pos = i + 4;
    if b.get(pos) == Some(&b' ') {
        while count < len {
            if b.get(pos) != Some(&b' ') {
                return None;
            }
            pos += 1;
            let group = (len - count).min(4);
            for k in 0..group {
                let c = *b.get(pos + k)?;
                if !ok(c) {
                    return None;
                }
                buf[count + k] = c;
            }
            pos += group;
            count += group;
        }
    } else {
        while count < len {
            let c = *b.get(pos)?;
            if !ok(c) {
                return None;
            }
            buf[count] = c;
            count += 1;
            pos += 1;
        }
    }
    if b.get(pos).is_some_and(|&c| is_word(c)) {
        return None;
    }
    // ISO 13616: the first four characters move to the end, letters count as 10..35, and the
    // whole must leave 1 modulo 97 (`checksum::iban_mod97` without its copies).
    let rem = buf[4..len].iter().chain(&buf[..4]).fold(0u32, |r, &c| {
        if c.is_ascii_digit() {
            (r * 10 + (c - b'0') as u32) % 97
        } else {
            (r * 100 + (c - b'A' + 10) as u32) % 97
        }
    });
    (rem == 1 && buf[4..len].iter().any(|&c| c != b'0')).then_some(pos)
}

// ---------------------------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------------------------

fn is_local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

fn find_emails(text: &str, hits: &mut Vec<CodeHit>) {
    let b = text.as_bytes();
    for (at, _) in text.match_indices('@') {
        if let Some((s, e)) = email_at(b, at) {
            hits.push(hit(s, e));
        }
    }
}

fn email_at(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut s = at;
    while s > 0 && at - s < 64 && is_local_byte(b[s - 1]) {
        s -= 1;
    }
    if s > 0 && is_local_byte(b[s - 1]) {
        return None;
    }
    while s < at && matches!(b[s], b'.' | b'\'' | b'-') {
        s += 1;
    }
    let local = &b[s..at];
    if local.is_empty() || local.ends_with(b".") || local.windows(2).any(|w| w == b"..") {
        return None;
    }
    // `scheme://user:password@host` is a credential in a URL, not an e-mail address.
    if s > 0 && b[s - 1] == b':' {
        let lo = s.saturating_sub(80);
        let token_start = b[lo..s]
            .iter()
            .rposition(|c| c.is_ascii_whitespace())
            .map_or(lo, |p| lo + p + 1);
        if b[token_start..s].windows(3).any(|w| w == b"://") {
            return None;
        }
    }
    let ds = at + 1;
    let mut e = ds;
    while e < b.len()
        && e - ds <= 253
        && (b[e].is_ascii_alphanumeric() || b[e] == b'-' || b[e] == b'.')
    {
        e += 1;
    }
    if e - ds > 253 {
        return None;
    }
    while e > ds && matches!(b[e - 1], b'.' | b'-') {
        e -= 1;
    }
    let domain = &b[ds..e];
    let mut labels = 0;
    for label in domain.split(|&c| c == b'.') {
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return None;
        }
        labels += 1;
    }
    let tld = domain.rsplit(|&c| c == b'.').next()?;
    let tld_ok =
        tld.len() >= 2 && (tld.iter().all(u8::is_ascii_alphabetic) || tld.starts_with(b"xn--"));
    if labels < 2 || !tld_ok {
        return None;
    }
    match b.get(e) {
        Some(&c) if is_word(c) || c == b'@' => return None,
        // `git@github.com:org/repo.git` is an SSH remote.
        Some(b':')
            if b.get(e + 1)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'/') =>
        {
            return None
        }
        _ => {}
    }
    let mut lower = [0u8; 256];
    lower[..domain.len()].copy_from_slice(domain);
    lower[..domain.len()].make_ascii_lowercase();
    let registrable = psl::domain(&lower[..domain.len()])?;
    registrable.suffix().is_known().then_some((s, e))
}

// ---------------------------------------------------------------------------------------------
// EU VAT numbers
// ---------------------------------------------------------------------------------------------

const VAT_CONTEXT: &[&str] = &[
    "vat",
    "vat number",
    "vat id",
    "vat no",
    "vat reg",
    "tax id",
    "ust-idnr",
    "ust-id",
    "ustid",
    "umsatzsteuer",
    "mwst",
    "uid",
    "tva",
    "n° tva",
    "iva",
    "partita iva",
    "nif",
    "cif",
    "btw",
    "moms",
    "alv",
    "dph",
    "dic",
    "dič",
    "nip",
    "afm",
    "cvr",
    "pvm",
    "pvn",
    "ddv",
    "oib",
    "anafa",
];

/// Country prefix, an optional space or hyphen, then the national body. Bodies written in groups
/// (`DE 123 456 789`, `BE 0123.456.789`) are allowed where that grouping is customary.
const VAT_PATTERN: &str = concat!(
    r"(?:",
    r"AT[ -]?U[0-9]{8}",
    r"|BE[ -]?[01]?[0-9]{3}[. ]?[0-9]{3}[. ]?[0-9]{3}",
    r"|BG[ -]?[0-9]{9,10}",
    r"|CY[ -]?[0-9]{8}[A-Z]",
    r"|CZ[ -]?[0-9]{8,10}",
    r"|DE[ -]?[0-9]{3} ?[0-9]{3} ?[0-9]{3}",
    r"|DK[ -]?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2}",
    r"|EE[ -]?[0-9]{9}",
    r"|(?:EL|GR)[ -]?[0-9]{9}",
    r"|ES[ -]?[0-9A-Z][0-9]{7}[0-9A-Z]",
    r"|FI[ -]?[0-9]{8}",
    r"|FR[ -]?[0-9A-HJ-NP-Z]{2} ?[0-9]{3} ?[0-9]{3} ?[0-9]{3}",
    r"|HR[ -]?[0-9]{11}",
    r"|HU[ -]?[0-9]{8}",
    r"|IE[ -]?[0-9][0-9A-Z+*][0-9]{5}[A-W][A-IW]?",
    r"|IT[ -]?[0-9]{11}",
    r"|LT[ -]?(?:[0-9]{12}|[0-9]{9})",
    r"|LU[ -]?[0-9]{8}",
    r"|LV[ -]?[0-9]{11}",
    r"|MT[ -]?[0-9]{8}",
    r"|NL[ -]?[0-9]{9}B[0-9]{2}",
    r"|PL[ -]?[0-9]{3}-?[0-9]{3}-?[0-9]{2}-?[0-9]{2}",
    r"|PL[ -]?[0-9]{3}-[0-9]{2}-[0-9]{2}-[0-9]{3}",
    r"|PT[ -]?[0-9]{9}",
    r"|RO[ -]?[1-9][0-9]{5,9}",
    r"|SE[ -]?[0-9]{10}01",
    r"|SI[ -]?[0-9]{8}",
    r"|SK[ -]?[0-9]{10}",
    r")"
);

/// Country prefix and the body with separators dropped, upper-cased.
fn vat_parts(text: &str) -> Option<([u8; 2], Vec<u8>)> {
    let all = checksum::alnum_upper(text);
    if all.len() < 4 {
        return None;
    }
    let country = [all[0], all[1]];
    let mut body = all[2..].to_vec();
    // The IE old format may contain `+` or `*`, which alnum_upper drops; keep it.
    if &country == b"IE" {
        body = text
            .bytes()
            .skip(2)
            .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'*')
            .map(|c| c.to_ascii_uppercase())
            .collect();
    }
    Some((country, body))
}

fn dv(body: &[u8]) -> Option<Vec<u8>> {
    body.iter()
        .map(|&c| c.is_ascii_digit().then_some(c - b'0'))
        .collect()
}

/// The VAT check where the algorithm is public. `Some(true)`/`Some(false)` is decisive; `None`
/// means the number has a valid format but no check we can run (reported only with context).
fn vat_check(country: &[u8; 2], body: &[u8]) -> Option<bool> {
    let w = |d: &[u8], weights: &[u32]| checksum::weighted_sum(d, weights);
    Some(match country {
        b"AT" => {
            let d = dv(body.get(1..)?)?;
            if body[0] != b'U' || d.len() != 8 {
                return Some(false);
            }
            let mut s = 0u32;
            for (i, &x) in d[..7].iter().enumerate() {
                let p = if i % 2 == 1 { x as u32 * 2 } else { x as u32 };
                s += p / 10 + p % 10;
            }
            (10 - (s + 4) % 10) % 10 == d[7] as u32
        }
        b"BE" => {
            let mut d = dv(body)?;
            if d.len() == 9 {
                d.insert(0, 0);
            }
            d.len() == 10 && d[0] <= 1 && 97 - digits_value(&d[..8]) % 97 == digits_value(&d[8..])
        }
        b"BG" => {
            let d = dv(body)?;
            match d.len() {
                9 => {
                    let mut r = w(&d[..8], &[1, 2, 3, 4, 5, 6, 7, 8]) % 11;
                    if r == 10 {
                        r = w(&d[..8], &[3, 4, 5, 6, 7, 8, 9, 10]) % 11 % 10;
                    }
                    r == d[8] as u32
                }
                10 => {
                    let c = d[9] as u32;
                    let person = w(&d[..9], &[2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11 % 10 == c;
                    let foreigner = w(&d[..9], &[21, 19, 17, 13, 11, 9, 7, 3, 1]) % 10 == c;
                    let other = {
                        let r = 11 - w(&d[..9], &[4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
                        r != 10 && r % 11 == c
                    };
                    person || foreigner || other
                }
                _ => false,
            }
        }
        b"CY" => {
            if body.len() != 9 || !body[8].is_ascii_uppercase() {
                return Some(false);
            }
            let d = dv(&body[..8])?;
            const ODD: [u32; 10] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
            let s: u32 = d
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    if i % 2 == 0 {
                        ODD[x as usize]
                    } else {
                        x as u32
                    }
                })
                .sum();
            !matches!(d[0], 2 | 6 | 7 | 8) && d[..2] != [1, 2] && b'A' + (s % 26) as u8 == body[8]
        }
        b"CZ" => {
            let d = dv(body)?;
            match d.len() {
                8 => {
                    let r = 11 - w(&d[..7], &[8, 7, 6, 5, 4, 3, 2]) % 11;
                    d[0] != 9 && r % 10 == d[7] as u32
                }
                // Birth numbers since 1954: the whole number is divisible by 11.
                10 => {
                    let month = d[2] * 10 + d[3];
                    let month_ok = matches!(month, 1..=12 | 21..=32 | 51..=62 | 71..=82);
                    month_ok && digits_value(&d) % 11 == 0
                }
                _ => return None,
            }
        }
        b"DE" => {
            let d = dv(body)?;
            d.len() == 9 && d[0] != 0 && checksum::iso7064_mod11_10_digits(&d)
        }
        b"DK" => {
            let d = dv(body)?;
            d.len() == 8 && d[0] != 0 && w(&d, &[2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0
        }
        b"EE" => {
            let d = dv(body)?;
            d.len() == 9
                && d[..2] == [1, 0]
                && (10 - w(&d[..8], &[3, 7, 1, 3, 7, 1, 3, 7]) % 10) % 10 == d[8] as u32
        }
        b"EL" | b"GR" => {
            let d = dv(body)?;
            d.len() == 9 && w(&d[..8], &[256, 128, 64, 32, 16, 8, 4, 2]) % 11 % 10 == d[8] as u32
        }
        b"ES" => return vat_es(body),
        b"FI" => {
            let d = dv(body)?;
            if d.len() != 8 {
                return Some(false);
            }
            let r = w(&d[..7], &[7, 9, 10, 5, 8, 4, 2]) % 11;
            r != 1 && (11 - r) % 11 == d[7] as u32
        }
        b"FR" => {
            if body.len() != 11 {
                return Some(false);
            }
            let siren = dv(&body[2..])?;
            let Some(key) = dv(&body[..2]) else {
                // Keys with letters follow an unpublished algorithm.
                return None;
            };
            siren.len() == 9 && digits_value(&key) == (12 + 3 * (digits_value(&siren) % 97)) % 97
        }
        b"HR" => {
            let d = dv(body)?;
            d.len() == 11 && checksum::iso7064_mod11_10_digits(&d)
        }
        b"HU" => {
            let d = dv(body)?;
            d.len() == 8 && (10 - w(&d[..7], &[9, 7, 3, 1, 9, 7, 3]) % 10) % 10 == d[7] as u32
        }
        b"IE" => return vat_ie(body),
        b"IT" => {
            let d = dv(body)?;
            if d.len() != 11 {
                return Some(false);
            }
            let office = digits_value(&d[7..10]);
            d[..7].iter().any(|&x| x != 0)
                && (matches!(office, 1..=100) || matches!(office, 120 | 121 | 888 | 999))
                && checksum::luhn_digits(&d)
        }
        b"LT" => {
            let d = dv(body)?;
            let n = d.len();
            if !(n == 9 && d[7] == 1 || n == 12 && d[10] == 1) {
                return Some(false);
            }
            let first: Vec<u32> = (0..n - 1).map(|i| 1 + (i as u32 % 9)).collect();
            let mut r = w(&d[..n - 1], &first) % 11;
            if r == 10 {
                let second: Vec<u32> = (0..n - 1).map(|i| 1 + ((i as u32 + 2) % 9)).collect();
                r = w(&d[..n - 1], &second) % 11 % 10;
            }
            r == d[n - 1] as u32
        }
        b"LU" => {
            let d = dv(body)?;
            d.len() == 8 && digits_value(&d[..6]) % 89 == digits_value(&d[6..])
        }
        b"LV" => {
            let d = dv(body)?;
            if d.len() != 11 {
                return Some(false);
            }
            if d[0] <= 3 {
                // Natural persons: a birth date and an unpublished check.
                return None;
            }
            let s = w(&d[..10], &[9, 1, 4, 8, 3, 10, 2, 5, 7, 6]) as i32;
            let mut r = 3 - s % 11;
            if r == -1 {
                return Some(false);
            }
            if r < -1 {
                r += 11;
            }
            r == d[10] as i32
        }
        b"MT" => {
            let d = dv(body)?;
            d.len() == 8
                && d[0] != 0
                && 37 - w(&d[..6], &[3, 4, 6, 7, 8, 9]) % 37 == digits_value(&d[6..]) as u32
        }
        b"NL" => {
            if body.len() != 12 || body[9] != b'B' {
                return Some(false);
            }
            let d = dv(&body[..9])?;
            let s = w(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
            let eleven = s != 10 && s == d[8] as u32;
            // Sole traders since 2020: ISO 7064 MOD 97-10 over the whole identifier.
            let mut full = b"NL".to_vec();
            full.extend_from_slice(body);
            let mod97 = checksum::mod97_remainder(&full) == Some(1);
            eleven || mod97
        }
        b"PL" => {
            let d = dv(body)?;
            if d.len() != 10 {
                return Some(false);
            }
            let r = w(&d[..9], &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
            r != 10 && r == d[9] as u32
        }
        b"PT" => {
            let d = dv(body)?;
            if d.len() != 9 {
                return Some(false);
            }
            let r = 11 - w(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
            d[0] != 0 && (if r >= 10 { 0 } else { r }) == d[8] as u32
        }
        b"RO" => {
            let d = dv(body)?;
            if !(6..=10).contains(&d.len()) {
                return Some(false);
            }
            let mut padded = vec![0u8; 10 - d.len()];
            padded.extend_from_slice(&d);
            let r = w(&padded[..9], &[7, 5, 3, 2, 1, 7, 5, 3, 2]) * 10 % 11 % 10;
            r == padded[9] as u32
        }
        b"SE" => {
            let d = dv(body)?;
            d.len() == 12 && d[10..] == [0, 1] && checksum::luhn_digits(&d[..10])
        }
        b"SI" => {
            let d = dv(body)?;
            if d.len() != 8 {
                return Some(false);
            }
            let r = 11 - w(&d[..7], &[8, 7, 6, 5, 4, 3, 2]) % 11;
            d[0] != 0 && r != 11 && r % 10 == d[7] as u32
        }
        b"SK" => {
            let d = dv(body)?;
            d.len() == 10
                && d[0] != 0
                && matches!(d[2], 2 | 3 | 4 | 7 | 8 | 9)
                && digits_value(&d) % 11 == 0
        }
        _ => false,
    })
}

/// Spain: NIF of persons (DNI letter), NIE (X/Y/Z), K/L/M and company CIF check characters.
fn vat_es(body: &[u8]) -> Option<bool> {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    if body.len() != 9 {
        return Some(false);
    }
    let (first, last) = (body[0], body[8]);
    let mid = dv(&body[1..8])?;
    let letter_of = |n: u64| LETTERS[(n % 23) as usize];
    Some(match first {
        b'0'..=b'9' => {
            let d = dv(&body[..8])?;
            letter_of(digits_value(&d)) == last
        }
        b'X' | b'Y' | b'Z' => {
            let prefix = (first - b'X') as u64;
            letter_of(prefix * 10_000_000 + digits_value(&mid)) == last
        }
        b'K' | b'L' | b'M' => letter_of(digits_value(&mid)) == last,
        b'A'..=b'W' if !matches!(first, b'I' | b'O' | b'T') => {
            let mut s = 0u32;
            for (i, &x) in mid.iter().enumerate() {
                if i % 2 == 0 {
                    let p = x as u32 * 2;
                    s += p / 10 + p % 10;
                } else {
                    s += x as u32;
                }
            }
            let c = (10 - s % 10) % 10;
            last == b'0' + c as u8 || last == b"JABCDEFGHI"[c as usize]
        }
        _ => false,
    })
}

/// Ireland: 7 digits, a check letter and an optional second letter (new format), or the old
/// format with a letter, `+` or `*` in second place.
fn vat_ie(body: &[u8]) -> Option<bool> {
    const LETTERS: &[u8; 23] = b"WABCDEFGHIJKLMNOPQRSTUV";
    let digits: Vec<u8>;
    let check;
    let mut extra = 0u32;
    if body.len() >= 8 && body[..7].iter().all(u8::is_ascii_digit) {
        digits = dv(&body[..7])?;
        check = body[7];
        match body.len() {
            8 => {}
            9 if body[8] == b'W' => {}
            9 if (b'A'..=b'I').contains(&body[8]) => extra = (body[8] - b'A' + 1) as u32 * 9,
            _ => return Some(false),
        }
    } else if body.len() == 8
        && body[0].is_ascii_digit()
        && body[2..7].iter().all(u8::is_ascii_digit)
    {
        // Old format: the second character moves out; the first digit moves to the end.
        let mut d = vec![0u8];
        d.extend(dv(&body[2..7])?);
        d.push(body[0] - b'0');
        digits = d;
        check = body[7];
    } else {
        return Some(false);
    }
    let s = checksum::weighted_sum(&digits, &[8, 7, 6, 5, 4, 3, 2]) + extra;
    Some(LETTERS[(s % 23) as usize] == check)
}

fn valid_vat(text: &str) -> bool {
    vat_parts(text).is_some_and(|(c, body)| vat_check(&c, &body) == Some(true))
}

/// Formats with no public check (FR letter keys, CZ special numbers, LV persons): context only.
fn valid_vat_format_only(text: &str) -> bool {
    vat_parts(text).is_some_and(|(c, body)| {
        vat_check(&c, &body).is_none() && body.iter().filter(|c| c.is_ascii_digit()).count() >= 8
    })
}

// ---------------------------------------------------------------------------------------------
// Crypto wallets
// ---------------------------------------------------------------------------------------------

fn valid_bitcoin(text: &str) -> bool {
    if text.starts_with(['1', '3']) {
        valid_base58check_address(text)
    } else {
        valid_segwit_address(text)
    }
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Legacy P2PKH (version 0) and P2SH (version 5): 25 bytes, the last four the first four of the
/// double SHA-256 of the rest.
fn valid_base58check_address(text: &str) -> bool {
    let mut buf = [0u8; 25];
    for c in text.bytes() {
        let Some(v) = BASE58.iter().position(|&x| x == c) else {
            return false;
        };
        let mut carry = v as u32;
        for byte in buf.iter_mut().rev() {
            carry += *byte as u32 * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return false;
        }
    }
    let leading_ones = text.bytes().take_while(|&c| c == b'1').count();
    let leading_zeros = buf.iter().take_while(|&&b| b == 0).count();
    if leading_ones != leading_zeros.min(25) || !matches!(buf[0], 0 | 5) {
        return false;
    }
    let first = Sha256::digest(&buf[..21]);
    let second = Sha256::digest(first);
    second[..4] == buf[21..]
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk = 1u32;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ v as u32;
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Segwit `bc1...`: bech32 for witness version 0 (20- or 32-byte programs), bech32m for 1..16.
fn valid_segwit_address(text: &str) -> bool {
    let has_lower = text.bytes().any(|c| c.is_ascii_lowercase());
    let has_upper = text.bytes().any(|c| c.is_ascii_uppercase());
    if (has_lower && has_upper) || text.len() > 90 {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let Some(data_part) = lower.strip_prefix("bc1") else {
        return false;
    };
    let Some(data) = data_part
        .bytes()
        .map(|c| BECH32.iter().position(|&x| x == c).map(|p| p as u8))
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    if data.len() < 7 {
        return false;
    }
    let hrp = [b'b' >> 5, b'c' >> 5, 0, b'b' & 31, b'c' & 31];
    let check = bech32_polymod(hrp.iter().copied().chain(data.iter().copied()));
    let version = data[0];
    let expected = if version == 0 { 1 } else { 0x2bc8_30a3 };
    if version > 16 || check != expected {
        return false;
    }
    // Regroup the program from 5-bit to 8-bit; leftover bits must be fewer than 5 and zero.
    let program = &data[1..data.len() - 6];
    let (mut acc, mut bits, mut bytes) = (0u32, 0u32, 0usize);
    for &v in program {
        acc = (acc << 5) | v as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes += 1;
        }
    }
    if bits >= 5 || acc & ((1 << bits) - 1) != 0 {
        return false;
    }
    if version == 0 {
        bytes == 20 || bytes == 32
    } else {
        (2..=40).contains(&bytes)
    }
}

/// `0x` + 40 hex digits; a mixed-case address must carry a valid EIP-55 checksum.
fn valid_ethereum(text: &str) -> bool {
    let hex = &text.as_bytes()[2..];
    if hex.iter().all(|&c| c == hex[0]) {
        return false;
    }
    let has_lower = hex.iter().any(u8::is_ascii_lowercase);
    let has_upper = hex.iter().any(u8::is_ascii_uppercase);
    if !(has_lower && has_upper) {
        return true;
    }
    let lower = hex.to_ascii_lowercase();
    let hash = Keccak256::digest(&lower);
    hex.iter().enumerate().all(|(i, &c)| {
        let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0x0f;
        !c.is_ascii_alphabetic() || c.is_ascii_uppercase() == (nibble >= 8)
    })
}

// ---------------------------------------------------------------------------------------------
// Device and vehicle identifiers
// ---------------------------------------------------------------------------------------------

const IMEI_CONTEXT: &[&str] = &[
    "imei",
    "imei number",
    "imeisv",
    "device id",
    "handset",
    "serial number",
];

/// `35-209900-176148-1`: the separators must agree.
fn valid_imei_formatted(text: &str) -> bool {
    let seps: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_digit()).collect();
    let d = checksum::digits(text);
    d.len() == 15
        && seps.iter().all(|&c| c == seps[0])
        && checksum::luhn_digits(&d)
        && !is_placeholder(&d)
}

/// A digit run that continues a number begun earlier (`+49`, `0.123`, `12-345`): the scanner's
/// rule for anchored identifiers, which located ones written as patterns before keep.
fn continues_number_before(b: &[u8], at: usize) -> bool {
    if at == 0 || !b[at].is_ascii_digit() {
        return false;
    }
    let joins = |c: u8| matches!(c, b'.' | b',' | b'-' | b'/');
    b[at - 1] == b'+' || (at >= 2 && joins(b[at - 1]) && b[at - 2].is_ascii_digit())
}

/// A match ending in a digit followed by a joiner and a digit is the head of a longer number.
fn continues_number_after(b: &[u8], end: usize) -> bool {
    end >= 1
        && b[end - 1].is_ascii_digit()
        && end + 1 < b.len()
        && matches!(b[end], b'.' | b',' | b'-' | b'/')
        && b[end + 1].is_ascii_digit()
}

/// `35-209900-176148-1` or `35 209900 176148 1`, read as the pattern
/// `[0-9]{2}[- ][0-9]{6}[- ][0-9]{6}[- ][0-9]` plus the usual swallowed number tail would be.
fn imei_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    if !matches!(b.get(at + 2), Some(b'-' | b' ')) {
        return None;
    }
    imei_at(text, at)
}

#[inline(never)]
fn imei_at(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    let hi = (at + 40).min(b.len());
    let is_digit = |p: usize| p < hi && b[p].is_ascii_digit();
    let is_sep = |p: usize| p < hi && matches!(b[p], b'-' | b' ');
    let fixed = is_digit(at)
        && is_digit(at + 1)
        && is_sep(at + 2)
        && (at + 3..at + 9).all(is_digit)
        && is_sep(at + 9)
        && (at + 10..at + 16).all(is_digit)
        && is_sep(at + 16)
        && is_digit(at + 17);
    if !fixed || continues_number_before(b, at) {
        return None;
    }
    let end = pattern_tail_end(b, at + 18, hi)?;
    if continues_number_after(b, end) {
        return None;
    }
    valid_imei_formatted(&text[at..end]).then(|| hit(at, end))
}

/// Where a pattern ending in `(?:[-./][0-9]+)*` and a word end stops when its fixed part ends at
/// `p`, reading below `hi`: after the longest tail if a non-word byte follows, else before the
/// last tail group (a joiner follows there), else nowhere.
fn pattern_tail_end(b: &[u8], p: usize, hi: usize) -> Option<usize> {
    let mut before_last = None;
    let mut e = p;
    while e + 1 < hi && matches!(b[e], b'-' | b'.' | b'/') && b[e + 1].is_ascii_digit() {
        before_last = Some(e);
        e += 1;
        while e < hi && b[e].is_ascii_digit() {
            e += 1;
        }
    }
    if b.get(e).is_some_and(|&c| is_word(c)) {
        before_last
    } else {
        Some(e)
    }
}

fn valid_imei_bare(text: &str) -> bool {
    let d = checksum::digits(text);
    d.len() == 15 && text.len() == 15 && checksum::luhn_digits(&d) && !is_placeholder(&d)
}

fn valid_iccid(text: &str) -> bool {
    let d = checksum::digits(text);
    (19..=20).contains(&d.len())
        && d.len() == text.len()
        && checksum::luhn_digits(&d)
        && !is_placeholder(&d[2..])
}

/// ISO 3779 with the North American check digit in position 9 (weights and transliteration of
/// 49 CFR 565).
fn valid_vin(text: &str) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let b = text.as_bytes();
    if b.len() != 17 {
        return false;
    }
    let value = |c: u8| -> u32 {
        match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'A'..=b'H' => (c - b'A' + 1) as u32,
            b'J'..=b'N' => (c - b'J' + 1) as u32,
            b'P' => 7,
            b'R' => 9,
            b'S'..=b'Z' => (c - b'S' + 2) as u32,
            _ => 0,
        }
    };
    let letters = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    let digits = 17 - letters;
    if letters < 2 || digits < 4 {
        return false;
    }
    let sum: u32 = b.iter().zip(WEIGHTS).map(|(&c, w)| value(c) * w).sum();
    let check = match sum % 11 {
        10 => b'X',
        r => b'0' + r as u8,
    };
    b[8] == check
}

/// ISO 9362: institution (4 letters), ISO country, location (2), optional branch (3).
fn valid_bic(text: &str) -> bool {
    let b = text.as_bytes();
    (b.len() == 8 || b.len() == 11) && is_iso_country(&b[4..6])
}

/// Up to three letters, an optional hyphen, then 6-10 digits and nothing else.
fn valid_mrn(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_uppercase());
    let number = rest.strip_prefix('-').unwrap_or(rest);
    let d = checksum::digits(number);
    (6..=10).contains(&d.len()) && d.len() == number.len() && !is_placeholder(&d)
}

/// Substrings of the MRN context words: every one contains one of these (a test checks).
const MRN_TRIGGERS: &[&str] = &[
    "mrn",
    "medical record",
    "patient id",
    "patient n",
    "chart n",
    "hospital number",
];

static MRN_WORDS: LazyLock<TriggerWords> = LazyLock::new(|| TriggerWords::new(MRN_TRIGGERS));

/// The longest record number read, and how far from a context word one is looked for.
const MRN_MAX: usize = 32;
const MRN_REACH: usize = trigger_reach(MRN_MAX);

/// Record numbers near a context word (the scanner requires one).
fn find_mrns(text: &str, hits: &mut Vec<CodeHit>) {
    word_starts_near(text, &MRN_WORDS, MRN_MAX, |s| {
        if let Some(e) = mrn_at(text, s) {
            hits.push(hit(s, e));
        }
    });
}

/// A record number at the word start `s`, read as the anchored pattern
/// `(?:[A-Z]{1,3}-?)?[0-9]{6,10}(?:[-./][0-9]+)*` ending at a word end, within 32 bytes: up to
/// three capitals and a hyphen, six to ten digits, and no longer number around it.
fn mrn_at(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    let run = b[s..]
        .iter()
        .take(14)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if !(1..=13).contains(&run) || continues_number_before(b, s) {
        return None;
    }
    let hi = (s + MRN_MAX).min(b.len());
    let letters = b[s..hi]
        .iter()
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    let mut p = s + letters;
    if letters > 3 {
        return None;
    }
    if letters > 0 && b.get(p) == Some(&b'-') && p + 1 < hi && b[p + 1].is_ascii_digit() {
        p += 1;
    }
    let digits = b[p..hi].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(6..=10).contains(&digits) {
        return None;
    }
    let end = pattern_tail_end(b, p + digits, hi)?;
    if continues_number_after(b, end) {
        return None;
    }
    valid_mrn(&text[s..end]).then_some(end)
}

/// Room around a trigger occurrence: how far into a context word a trigger may sit, and the
/// longest trigger (a non-overlapping search may skip an occurrence inside a reported one).
const TRIGGER_SLACK: usize = 24;

/// How far from an occurrence of a trigger the hits of a matcher gated by it can lie, when
/// they are at most `longest` bytes long and need a context word that contains the trigger.
const fn trigger_reach(longest: usize) -> usize {
    let before = CONTEXT_AFTER + longest + 2 * TRIGGER_SLACK;
    let after = CONTEXT_BEFORE + TRIGGER_SLACK + longest;
    if before > after {
        before
    } else {
        after
    }
}

/// The trigger words of a gated matcher, as an Aho-Corasick DFA walked by hand: these searches
/// run over whole texts, where the crate's search loop costs more per byte than its table steps.
struct TriggerWords {
    dfa: aho_corasick::dfa::DFA,
    start: aho_corasick::automaton::StateID,
    /// Bytes on which the start state stays where it is: no trigger begins with them, and most
    /// bytes of a text are skipped by this table alone.
    idle: [bool; 256],
}

impl TriggerWords {
    fn new(words: &[&str]) -> TriggerWords {
        use aho_corasick::automaton::Automaton as _;
        let dfa = aho_corasick::dfa::DFA::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .expect("trigger words build an automaton");
        let start = dfa
            .start_state(aho_corasick::Anchored::No)
            .expect("an unanchored automaton has an unanchored start state");
        let mut idle = [false; 256];
        for (c, idle) in (0..=255u8).zip(idle.iter_mut()) {
            *idle = dfa.next_state(aho_corasick::Anchored::No, start, c) == start;
        }
        TriggerWords { dfa, start, idle }
    }

    /// Calls `f` with the start of every occurrence `AhoCorasick::find_iter` reports, in order:
    /// with standard semantics each search stops at the first match state it enters and the
    /// next one starts afresh after that match.
    fn each_start(&self, b: &[u8], mut f: impl FnMut(usize)) {
        use aho_corasick::automaton::Automaton as _;
        let dfa = &self.dfa;
        let mut state = self.start;
        let mut at = 0;
        while at < b.len() {
            if state == self.start {
                while at < b.len() && self.idle[b[at] as usize] {
                    at += 1;
                }
                if at == b.len() {
                    return;
                }
            }
            state = dfa.next_state(aho_corasick::Anchored::No, state, b[at]);
            at += 1;
            if dfa.is_special(state) && dfa.is_match(state) {
                f(at - dfa.pattern_len(dfa.match_pattern(state, 0)));
                state = self.start;
            }
        }
    }
}

/// Bytes by what they are to a word: 2 for an ASCII letter or digit, 1 for `_`, 0 otherwise.
static WORD_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        class[c] = if b.is_ascii_alphanumeric() {
            2
        } else {
            (b == b'_') as u8
        };
        c += 1;
    }
    class
};

/// Calls `f` at every word start (an ASCII letter or digit after a non-word byte) from which a
/// hit of at most `longest` bytes could have a context word (within 64 bytes before or 32 after
/// it) that contains one of the words `words` finds. Each start is visited once, in order.
fn word_starts_near(text: &str, words: &TriggerWords, longest: usize, mut f: impl FnMut(usize)) {
    let b = text.as_bytes();
    let before = CONTEXT_AFTER + longest + 2 * TRIGGER_SLACK;
    let after = CONTEXT_BEFORE + TRIGGER_SLACK;
    let mut next = 0;
    words.each_start(b, |m| {
        let lo = m.saturating_sub(before).max(next);
        let hi = (m + after + 1).min(b.len());
        let mut after_word = lo > 0 && is_word(b[lo - 1]);
        for (k, &c) in b[lo..hi].iter().enumerate() {
            let class = WORD_CLASS[c as usize];
            if class == 2 && !after_word {
                f(lo + k);
            }
            after_word = class != 0;
        }
        next = next.max(hi);
    });
}

// ---------------------------------------------------------------------------------------------
// MAC, IPv4, IPv6
// ---------------------------------------------------------------------------------------------

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|v| v as u8)
}

/// `00:1A:2B:3C:4D:5E`, `00-1a-2b-3c-4d-5e` and Cisco `001a.2b3c.4d5e`, not inside a longer chain
/// of hex groups (certificate fingerprints, IPv6).
fn mac_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    // Two hex digits and a colon or hyphen, or four and a dot.
    let shaped = matches!(b.get(at + 2), Some(b':' | b'-')) || b.get(at + 4) == Some(&b'.');
    if !shaped || (at > 0 && matches!(b[at - 1], b':' | b'-' | b'.')) {
        return None;
    }
    mac_at(b, at).map(|end| hit(at, end))
}

#[inline(never)]
fn mac_at(b: &[u8], i: usize) -> Option<usize> {
    let n = b.len();
    if i + 14 > n || !b[i].is_ascii_hexdigit() {
        return None;
    }
    let mut bytes = [0u8; 6];
    let end;
    if matches!(b[i + 2], b':' | b'-') && i + 17 <= n {
        let sep = b[i + 2];
        for (k, byte) in bytes.iter_mut().enumerate() {
            let p = i + 3 * k;
            *byte = hex_value(b[p])? << 4 | hex_value(b[p + 1])?;
            if k < 5 && b[p + 2] != sep {
                return None;
            }
        }
        end = i + 17;
        let continues =
            b.get(end) == Some(&sep) && b.get(end + 1).is_some_and(u8::is_ascii_hexdigit);
        if continues || b.get(end).is_some_and(|&c| is_word(c)) {
            return None;
        }
    } else if b[i + 4] == b'.' {
        for k in 0..3 {
            let p = i + 5 * k;
            let mut quad = [0u8; 4];
            for (j, q) in quad.iter_mut().enumerate() {
                *q = hex_value(b[p + j])?;
            }
            bytes[2 * k] = quad[0] << 4 | quad[1];
            bytes[2 * k + 1] = quad[2] << 4 | quad[3];
            if k < 2 && b[p + 4] != b'.' {
                return None;
            }
        }
        end = i + 14;
        let continues =
            b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric);
        if continues || b.get(end).is_some_and(|&c| is_word(c)) {
            return None;
        }
    } else {
        return None;
    }
    bytes.iter().any(|&x| x != bytes[0]).then_some(end)
}

/// Words that make a dotted quad a version or section number rather than an address.
const NOT_AN_ADDRESS: &[&str] = &[
    "version",
    "ver",
    "v",
    "release",
    "rel",
    "build",
    "rev",
    "revision",
    "firmware",
    "fw",
    "patch",
    "kernel",
    "update",
    "sdk",
    "section",
    "sec",
    "chapter",
    "step",
    "rule",
    "clause",
    "figure",
    "fig",
    "table",
    "item",
    "oid",
    "paragraph",
];

/// The identifier that ends just before `start`, skipping spaces, quotes and one `:` or `=`
/// (`version 1.2.3.4`, `__version__ = "1.2.3.4"`, `Version: 10.0.1.2`).
fn preceding_word(b: &[u8], start: usize) -> &[u8] {
    let mut k = start;
    let floor = start.saturating_sub(6);
    while k > floor && matches!(b[k - 1], b' ' | b'\t' | b':' | b'=' | b'"' | b'\'' | b'(') {
        k -= 1;
    }
    let end = k;
    let floor = k.saturating_sub(24);
    while k > floor && (b[k - 1].is_ascii_alphabetic() || b[k - 1] == b'_') {
        k -= 1;
    }
    &b[k..end]
}

/// Whether the identifier before a dotted quad names a version, build or section number.
fn names_a_version(word: &[u8]) -> bool {
    let word: Vec<u8> = word
        .iter()
        .filter(|&&c| c != b'_')
        .map(u8::to_ascii_lowercase)
        .collect();
    word.ends_with(b"version")
        || NOT_AN_ADDRESS
            .iter()
            .any(|w| w.as_bytes() == word.as_slice())
}

fn ipv4_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    // The first octet (the engine admits runs of one to three) and its dot.
    let run = digit_run(b, at);
    if b.get(at + run) != Some(&b'.') || (at > 0 && matches!(b[at - 1], b'.' | b'/' | b'@' | b'-'))
    {
        return None;
    }
    ipv4_at(b, at)
}

#[inline(never)]
fn ipv4_at(b: &[u8], at: usize) -> Option<CodeHit> {
    let n = b.len();
    let mut octets = [0u32; 4];
    let mut j = at;
    for (k, octet) in octets.iter_mut().enumerate() {
        let s = j;
        while j < n && j - s < 4 && b[j].is_ascii_digit() {
            j += 1;
        }
        let len = j - s;
        if len == 0 || len > 3 || (len > 1 && b[s] == b'0') {
            return None;
        }
        *octet = b[s..j].iter().fold(0, |a, &c| a * 10 + (c - b'0') as u32);
        if *octet > 255 {
            return None;
        }
        if k < 3 {
            if b.get(j) != Some(&b'.') {
                return None;
            }
            j += 1;
        }
    }
    let after_ok = !b.get(j).is_some_and(|&c| is_word(c)) && !number_continues(b, j, b".-");
    // Loopback, `0.x`, multicast and reserved space, and network addresses (`x.x.x.0` outside
    // CIDR notation) identify no host.
    let reserved = octets[0] == 0
        || octets[0] == 127
        || octets[0] >= 224
        || (octets[3] == 0 && b.get(j) != Some(&b'/'));
    // `pkg==1.2.3.4`, `>=1.2.3.4`: a version pin.
    let pinned =
        at >= 2 && b[at - 1] == b'=' && matches!(b[at - 2], b'=' | b'~' | b'<' | b'>' | b'!');
    if !after_ok || reserved || pinned || names_a_version(preceding_word(b, at)) {
        return None;
    }
    // All four parts below ten (`1.2.3.4`, `2.0.1.5`) is a version far more often than an
    // address; such a quad needs a context word.
    let small = octets.iter().all(|&o| o < 10);
    Some(CodeHit {
        start: at,
        end: j,
        confidence: small.then_some(0.45),
    })
}

fn is_ipv6_byte(c: u8) -> bool {
    c.is_ascii_hexdigit() || c == b':' || c == b'.'
}

/// Full and compressed IPv6 (`2001:db8::8a2e:370:7334`, `fe80::1`), parsed by the standard
/// library. Code paths like `a::b` are rejected by requiring a digit and at least five hex digits.
fn ipv6_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    // The address starts here, or at a `::` right before (`::ffff:192.0.2.1`). Otherwise its
    // first group of at most four hex digits is followed by a colon.
    let i = if at >= 2 && b[at - 1] == b':' && b[at - 2] == b':' {
        at - 2
    } else {
        let mut hex = 0;
        while hex < 5 && b.get(at + hex).is_some_and(u8::is_ascii_hexdigit) {
            hex += 1;
        }
        if hex > 4 || b.get(at + hex) != Some(&b':') {
            return None;
        }
        at
    };
    ipv6_from(b, i)
}

#[inline(never)]
fn ipv6_from(b: &[u8], i: usize) -> Option<CodeHit> {
    let n = b.len();
    if i > 0 && (is_word(b[i - 1]) || is_ipv6_byte(b[i - 1])) {
        return None;
    }
    let mut j = i;
    while j < n && is_ipv6_byte(b[j]) && j - i <= 46 {
        j += 1;
    }
    let next_ok = !b.get(j).is_some_and(|&c| is_word(c) || is_ipv6_byte(c));
    let in_url = i >= 3 && b[i - 1] == b'[' && &b[i - 3..i - 1] == b"//";
    if !next_ok || in_url {
        return None;
    }
    let mut e = j;
    while e > i && b[e - 1] == b'.' {
        e -= 1;
    }
    if e > i + 1 && b[e - 1] == b':' && b[e - 2] != b':' {
        e -= 1;
    }
    ipv6_at(&b[i..e]).map(|len| hit(i, i + len))
}

fn ipv6_at(s: &[u8]) -> Option<usize> {
    let colons = s.iter().filter(|&&c| c == b':').count();
    let compressed = s.windows(2).any(|w| w == b"::");
    if colons < 2 || !(compressed || colons == 7 || (colons == 6 && s.contains(&b'.'))) {
        return None;
    }
    let text = std::str::from_utf8(s).ok()?;
    let addr: std::net::Ipv6Addr = text.parse().ok()?;
    let groups = text.split(':').filter(|g| !g.is_empty()).count();
    let hex_digits = s.iter().filter(|c| c.is_ascii_hexdigit()).count();
    let has_digit = s.iter().any(u8::is_ascii_digit);
    let plausible = groups >= 2
        && hex_digits >= 5
        && has_digit
        && !addr.is_loopback()
        && !addr.is_unspecified();
    plausible.then_some(s.len())
}

// ---------------------------------------------------------------------------------------------
// URL
// ---------------------------------------------------------------------------------------------

const URL_MAX: usize = 512;

/// Hosts whose URLs are namespaces and licence texts in every source file, never about a person.
const NAMESPACE_HOSTS: &[&str] = &[
    "w3.org",
    "xmlsoap.org",
    "openxmlformats.org",
    "json-schema.org",
    "purl.org",
    "xmlns.com",
    "apache.org",
    "gnu.org",
    "opensource.org",
    "creativecommons.org",
    "schema.org",
];

fn url_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    // A scheme's run ends at `://`, `www` at its dot.
    let mut run = 0;
    while run < 6 && b.get(at + run).is_some_and(u8::is_ascii_alphabetic) {
        run += 1;
    }
    let opens = match b.get(at + run) {
        Some(b':') => b.get(at + run + 1..at + run + 3) == Some(b"//"),
        Some(b'.') => run == 3,
        _ => false,
    };
    if !opens {
        return None;
    }
    url_hit(text, at)
}

#[inline(never)]
fn url_hit(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    let prev_ok =
        at == 0 || !(is_word(b[at - 1]) || matches!(b[at - 1], b'.' | b'/' | b'@' | b'-'));
    if !prev_ok {
        return None;
    }
    let end = url_at(text, at)?;
    (!url_covered(text, at)).then(|| hit(at, end))
}

/// Where URLs can start: after a scheme's `://`, or at `www.`.
static URL_OPENINGS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["://", "www."])
        .expect("two literals build an automaton")
});

/// Whether reading URLs from the left, each taken whole, puts `p` inside one that starts before
/// it (a link in another link's query). Only the `URL_MAX` bytes before `p` are read.
fn url_covered(text: &str, p: usize) -> bool {
    let b = text.as_bytes();
    let mut lo = p.saturating_sub(URL_MAX);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut starts: Vec<usize> = Vec::new();
    for m in URL_OPENINGS.find_iter(&text[lo..p]) {
        let at = lo + m.start();
        if m.pattern().as_usize() == 0 {
            // `https`, `http` or `ftps`, `ftp`; `url_at` checks which.
            starts.extend(
                (3..=5)
                    .filter_map(|len| at.checked_sub(len))
                    .filter(|&s| s >= lo),
            );
        } else {
            starts.push(at);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut next = 0;
    for i in starts {
        let prev_ok =
            i == 0 || !(is_word(b[i - 1]) || matches!(b[i - 1], b'.' | b'/' | b'@' | b'-'));
        if i < next || !matches!(b[i] | 0x20, b'h' | b'f' | b'w') || !prev_ok {
            continue;
        }
        if let Some(e) = url_at(text, i) {
            if e > p {
                return true;
            }
            next = e;
        }
    }
    false
}

fn starts_with_ci(b: &[u8], prefix: &[u8]) -> bool {
    b.len() >= prefix.len() && b[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn url_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let rest = &b[i..];
    let host_start = ["https://", "http://", "ftps://", "ftp://"]
        .iter()
        .find(|s| starts_with_ci(rest, s.as_bytes()))
        .map(|s| i + s.len())
        .or_else(|| starts_with_ci(rest, b"www.").then_some(i))?;
    let mut limit = (i + URL_MAX).min(b.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    // Authority: user info, then the host, then an optional port.
    let mut e = host_start;
    while e < limit
        && !b[e].is_ascii_whitespace()
        && !matches!(b[e], b'/' | b'?' | b'#' | b'<' | b'>' | b'"' | b'\'' | b'`')
    {
        e += 1;
    }
    let host_from = host_start
        + b[host_start..e]
            .iter()
            .rposition(|&c| c == b'@')
            .map_or(0, |p| p + 1);
    let host_end = if b.get(host_from) == Some(&b'[') {
        let close = host_from + b[host_from..e].iter().position(|&c| c == b']')?;
        std::str::from_utf8(&b[host_from + 1..close])
            .ok()?
            .parse::<std::net::Ipv6Addr>()
            .ok()?;
        close + 1
    } else {
        let mut h = host_from;
        while h < e && (b[h].is_ascii_alphanumeric() || matches!(b[h], b'.' | b'-')) {
            h += 1;
        }
        let mut host = &b[host_from..h];
        while host.last() == Some(&b'.') {
            host = &host[..host.len() - 1];
        }
        if !valid_url_host(host) || (host_start == i && !starts_with_ci(host, b"www.")) {
            return None;
        }
        h
    };
    let port_len = match b.get(host_end) {
        Some(b':') if host_end < e => b[host_end + 1..e]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count(),
        _ => 0,
    };
    let mut e = if host_end == e || (port_len > 0 && host_end + 1 + port_len == e) {
        // Path, query and fragment: stop at whitespace, quotes and angle brackets.
        let mut k = e;
        while k < limit
            && !b[k].is_ascii_whitespace()
            && !b[k].is_ascii_control()
            && !matches!(
                b[k],
                b'<' | b'>' | b'"' | b'\'' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
            )
        {
            k += 1;
        }
        while !text.is_char_boundary(k) {
            k -= 1;
        }
        k
    } else {
        // Something other than a port follows the host (`,` or `)`): the URL ends there.
        host_end
    };
    // Trailing punctuation belongs to the sentence; a closing bracket only if unbalanced.
    while e > host_start {
        let url = &b[i..e];
        let unbalanced = |open: u8, close: u8| {
            url.iter().filter(|&&c| c == close).count() > url.iter().filter(|&&c| c == open).count()
        };
        let trim = match b[e - 1] {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'*' => true,
            b')' => unbalanced(b'(', b')'),
            b']' => unbalanced(b'[', b']'),
            _ => false,
        };
        if !trim {
            break;
        }
        e -= 1;
    }
    (e > host_start).then_some(e)
}

fn valid_url_host(host: &[u8]) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    if host.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
        return std::str::from_utf8(host)
            .ok()
            .and_then(|s| s.parse::<std::net::Ipv4Addr>().ok())
            .is_some_and(|a| !a.is_loopback() && !a.is_unspecified());
    }
    let labels_ok = host.split(|&c| c == b'.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l[0] != b'-'
            && l[l.len() - 1] != b'-'
            && l.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    });
    if !labels_ok || !host.contains(&b'.') {
        return false;
    }
    let lower = host.to_ascii_lowercase();
    let Some(domain) = psl::domain(&lower) else {
        return false;
    };
    domain.suffix().is_known()
        && !NAMESPACE_HOSTS
            .iter()
            .any(|h| domain.as_bytes() == h.as_bytes())
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// A phone-shaped candidate: its digits and how they were grouped.
struct PhoneShape {
    end: usize,
    digits: [u8; 20],
    len: usize,
    groups: [u8; 8],
    /// The separator after each group but the last (`)` for a closing bracket with none after it).
    seps: [u8; 8],
    group_count: usize,
    plus: bool,
    first_paren: bool,
}

impl PhoneShape {
    fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    fn groups(&self) -> &[u8] {
        &self.groups[..self.group_count]
    }

    /// A grouping that only phone numbers use: an area code in brackets, or three or more
    /// groups that are not a thousands-separated amount (`1 234 567`, `12.345.678`).
    fn strong(&self) -> bool {
        let seps = &self.seps[..self.group_count.saturating_sub(1)];
        if seps.is_empty() {
            return self.first_paren;
        }
        let uniform = seps.iter().all(|&c| c == seps[0]);
        // `06-12345678`, `089/1234567`: a hyphen or slash after a trunk-prefixed area code.
        let area_code =
            self.digits[0] == 0 && self.group_count == 2 && matches!(seps[0], b'-' | b'/');
        // Amounts never start with 0; `0479 736 741` is a number, `479 736 741` may be an amount.
        let thousands = self.digits[0] != 0
            && self.groups()[1..].iter().all(|&g| g == 3)
            && uniform
            && matches!(seps[0], b' ' | b'.');
        self.first_paren || area_code || (self.group_count >= 3 && !thousands)
    }
}

/// The byte before a phone number: not part of a word, an amount, a path or a longer number.
fn phone_start_ok(b: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let p = b[i - 1];
    // A full stop right after a word ends a sentence (`...at 10:51Z.138 8582 1078`); after a
    // digit it is a decimal point or a version.
    let sentence_end = p == b'.' && i >= 2 && b[i - 2].is_ascii_alphabetic();
    let joiner = matches!(
        p,
        b'_' | b'.'
            | b'-'
            | b'/'
            | b'+'
            | b'#'
            | b'$'
            | b'@'
            | b'%'
            | b'&'
            | b'\\'
            | b'='
            | b'~'
            | b'^'
    );
    if p.is_ascii_alphanumeric() || (joiner && !sentence_end) {
        return false;
    }
    if matches!(p, b':' | b',') && i >= 2 && b[i - 2].is_ascii_digit() {
        return false;
    }
    !currency_before(b, i)
}

/// A currency sign right before `i`, possibly with one space between: an amount, not a number.
fn currency_before(b: &[u8], i: usize) -> bool {
    let k = if i > 0 && b[i - 1] == b' ' { i - 1 } else { i };
    if k == 0 {
        return false;
    }
    let p = b[k - 1];
    // $, then £ and ¥ (C2 A3, C2 A5), then the U+20A0 block (€, ₹, ...: E2 82 xx).
    p == b'$'
        || (k >= 2 && b[k - 2] == 0xC2 && matches!(p, 0xA3 | 0xA5))
        || (k >= 3 && b[k - 3] == 0xE2 && b[k - 2] == 0x82)
}

/// Reads `+44 (0)20 7946-0958`, `(415) 555-2671`, `030/12345678` style groups from `i`.
fn phone_shape(b: &[u8], i: usize) -> Option<PhoneShape> {
    let n = b.len();
    let mut s = PhoneShape {
        end: i,
        digits: [0; 20],
        len: 0,
        groups: [0; 8],
        seps: [0; 8],
        group_count: 0,
        plus: b[i] == b'+',
        first_paren: false,
    };
    let mut j = i + s.plus as usize;
    let mut slashes = 0;
    loop {
        let paren = b.get(j) == Some(&b'(');
        if paren {
            j += 1;
        }
        let gs = j;
        while j < n && b[j].is_ascii_digit() {
            if s.len == s.digits.len() {
                return None;
            }
            s.digits[s.len] = b[j] - b'0';
            s.len += 1;
            j += 1;
        }
        let glen = j - gs;
        if glen == 0 || glen > 12 {
            return None;
        }
        let mut counted = true;
        if paren {
            if b.get(j) != Some(&b')') || s.group_count > 1 {
                return None;
            }
            j += 1;
            // `+44 (0)20`: the trunk prefix in brackets is not dialled from abroad.
            if s.plus && glen == 1 && b[gs] == b'0' {
                s.len -= 1;
                counted = false;
            } else if s.group_count == 0 {
                s.first_paren = true;
            }
        }
        if counted {
            if s.group_count == s.groups.len() {
                return None;
            }
            s.groups[s.group_count] = glen as u8;
            s.group_count += 1;
        }
        let next_is_group = |k: usize| b.get(k).is_some_and(|&c| c.is_ascii_digit() || c == b'(');
        match b.get(j) {
            Some(&c @ (b' ' | b'-' | b'.' | b'/')) if next_is_group(j + 1) => {
                if counted {
                    s.seps[s.group_count - 1] = c;
                }
                if c == b'/' {
                    slashes += 1;
                }
                j += 1;
            }
            Some(b'(') | Some(b'0'..=b'9') if paren => {
                if counted {
                    s.seps[s.group_count - 1] = b')';
                }
            }
            _ => break,
        }
    }
    s.end = j;
    let seps = &s.seps[..s.group_count.saturating_sub(1)];
    let dots = seps.iter().filter(|&&c| c == b'.').count();
    // Dots only go with dots and need three groups (`415.555.2671`; `321.072325` is a decimal);
    // a slash only after the area code (`089/1234567`).
    if (dots > 0 && (dots != seps.len() || seps.len() < 2))
        || slashes > 1
        || (slashes == 1 && s.group_count != 2)
    {
        return None;
    }
    Some(s)
}

/// What may follow a phone number: not a word (except an `x123` extension) or a longer number.
fn phone_end_ok(b: &[u8], e: usize) -> bool {
    match b.get(e) {
        None => true,
        Some(&c) if c.is_ascii_alphanumeric() || c == b'_' => {
            ((c | 0x20) == b'x' && b.get(e + 1).is_some_and(u8::is_ascii_digit))
                || (starts_with_ci(&b[e..], b"ext")
                    && b.get(e + 3)
                        .is_some_and(|c| c.is_ascii_digit() || *c == b'.'))
        }
        Some(b'.' | b'-' | b'/' | b':' | b',') => !b.get(e + 1).is_some_and(u8::is_ascii_digit),
        Some(b'%') => false,
        Some(_) => true,
    }
}

/// Regions to try for a grouped national number: the countries that customarily write this
/// grouping, most likely first.
fn national_regions(lead0: bool, first: u8, groups: &[u8]) -> &'static [Id] {
    use Id::*;
    match (lead0, groups) {
        (false, [3, 3, 4]) => &[US, IT],
        (false, [1, 3, 3, 4]) if first == 1 => &[US],
        (false, [5, 5]) => &[IN],
        (false, [2, 5, 4]) => &[BR],
        (false, [2, 4, 4]) => &[MX, BR],
        (false, [3, 3, 3]) if first >= 4 => &[ES, PL],
        (false, [3, 2, 2, 2]) => &[ES],
        (false, [2, 3, 2, 2]) => &[PL],
        (false, [3, 4, 4]) if first == 1 => &[CN],
        (false, [3, 7] | [3, 6]) => &[IT],
        (false, [4, 4]) => &[SG, HK],
        (true, [3, 4, 4]) => &[GB, DE, JP, KR, CN],
        (true, [2, 4, 4]) => &[AU, JP, KR, IT],
        (true, [4, 3, 4]) => &[GB, NG],
        (true, [4, 3, 3]) => &[AU],
        (true, [5, 3, 3]) => &[GB],
        (true, [5, 6] | [5, 5] | [4, 6]) => &[GB, DE],
        (true, [4, 7]) => &[DE, GB],
        (true, [4, 8] | [4, 5]) => &[DE],
        (true, [3, 7]) => &[DE, NL],
        (true, [3, 8]) => &[DE, CN],
        (true, [2, 8]) => &[NL],
        (true, [6, 5]) => &[IN],
        (true, [2, 2, 2, 2, 2]) => &[FR],
        (true, [3, 3, 4]) => &[ZA, IE, NL, IL, FI],
        (true, [2, 3, 4]) => &[IE, KR],
        (true, [2, 3, 3]) => &[SE],
        (true, [3, 3, 2, 2]) => &[CH, SE],
        (true, [2, 3, 3, 2] | [2, 3, 2, 2]) => &[SE],
        (true, [4, 3, 2, 2]) => &[TR],
        _ => &[],
    }
}

/// Regions to try for an unformatted national number, which is only considered next to a context word.
fn plain_regions(lead0: bool, first: u8, len: usize) -> &'static [Id] {
    use Id::*;
    match (lead0, len) {
        (true, 8) => &[SE],
        (true, 9) => &[IE, KR, DE, SE],
        (true, 10) => &[GB, FR, AU, NL, DE, ZA, IE, CH, JP, IT, SE, FI, IL],
        (true, 11) => &[GB, DE, JP, KR, TR, NG, CN, IT, IN],
        (true, 12) => &[DE],
        (false, 8) => &[SG, HK],
        (false, 9) => &[ES, PL],
        (false, 10) => &[US, IN, MX, IT],
        (false, 11) if first == 1 => &[CN, US],
        (false, 11) => &[BR],
        _ => &[],
    }
}

/// How a number fares against libphonenumber metadata: valid (its range is allocated), possible
/// (a length the country uses), or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fit {
    None,
    Possible,
    Valid,
}

/// A phone context word in the 32 bytes before `start`, with no digit between it and the number
/// (so `phone +46 ... Order 3506684981` does not lend the order number its context).
fn phone_context_before(b: &[u8], start: usize) -> bool {
    let mut lo = start.saturating_sub(32);
    if let Some(p) = b[lo..start].iter().rposition(u8::is_ascii_digit) {
        lo += p + 1;
    }
    PHONE_WORDS.in_window(&b[lo..start])
}

static PHONE_WORDS: LazyLock<WordIndex> = LazyLock::new(|| WordIndex::new(PHONE_CONTEXT));

/// Words bucketed by their (ASCII-lowercased) first byte, to look for any of them in a short
/// window without trying every word at every byte.
struct WordIndex {
    by_first: Vec<Vec<&'static [u8]>>,
}

impl WordIndex {
    fn new(words: &[&'static str]) -> WordIndex {
        let mut by_first = vec![Vec::new(); 256];
        for w in words {
            let w = w.as_bytes();
            by_first[w[0].to_ascii_lowercase() as usize].push(w);
        }
        WordIndex { by_first }
    }

    /// Whether one of the words occurs in `window` with no ASCII letter or digit on either side
    /// (the window's edges count as boundaries).
    fn in_window(&self, window: &[u8]) -> bool {
        let mut after_alnum = false;
        for (k, &c) in window.iter().enumerate() {
            let word_start = !after_alnum;
            after_alnum = c.is_ascii_alphanumeric();
            if !word_start {
                continue;
            }
            let rest = &window[k..];
            let found = self.by_first[c.to_ascii_lowercase() as usize]
                .iter()
                .any(|w| {
                    rest.len() >= w.len()
                        && rest[..w.len()].eq_ignore_ascii_case(w)
                        && rest.get(w.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
                });
            if found {
                return true;
            }
        }
        false
    }
}

/// Confidence for a phone candidate, or `None`. International numbers (`+` or `00`) and
/// customary national groupings are checked against libphonenumber metadata; a plain digit run
/// is only considered right after a context word.
fn phone_confidence(b: &[u8], start: usize, s: &PhoneShape) -> Option<f32> {
    let d = s.digits();
    // Every number reported has eight digits or more: international ones by rule, national
    // groupings and plain runs by the regions that write them.
    if d.len() < 8 {
        return None;
    }
    let mut seen = [false; 10];
    for &x in d {
        seen[x as usize] = true;
    }
    if seen.iter().filter(|&&x| x).count() < 3 {
        return None;
    }
    let mut ascii = [0u8; 20];
    for (a, &x) in ascii.iter_mut().zip(d) {
        *a = b'0' + x;
    }
    let ascii = &ascii[..d.len()];
    if s.plus {
        if !(8..=15).contains(&d.len()) {
            return None;
        }
        return match phone_fit_international(ascii) {
            Fit::Valid => Some(0.85),
            Fit::Possible if s.group_count >= 2 => Some(0.65),
            _ => None,
        };
    }
    if d.len() >= 11 && d[0] == 0 && d[1] == 0 && d[2] != 0 && s.group_count >= 2 {
        return match phone_fit_international(&ascii[2..]) {
            Fit::Valid => Some(0.75),
            Fit::Possible if s.strong() => Some(0.6),
            _ => None,
        };
    }
    let national = if d[0] <= 1 && d.len() > 1 { &d[1..] } else { d };
    if is_placeholder(national) {
        return None;
    }
    let lead0 = d[0] == 0;
    let regions = if s.group_count >= 2 {
        national_regions(lead0, d[0], s.groups())
    } else {
        &[]
    };
    let strong = s.strong();
    // `415.555.267` is written like an amount in most of Europe.
    let dotted_thousands =
        s.seps[0] == b'.' && d[0] != 0 && s.groups()[1..].iter().all(|&g| g == 3);
    // A plain run is only read next to a context word, and only in lengths some region uses.
    let plain = if regions.is_empty() {
        plain_regions(lead0, d[0], d.len())
    } else {
        &[]
    };
    if regions.is_empty() && plain.is_empty() {
        return None;
    }
    let needs_context = regions.is_empty() || (d.len() < 9 && !strong) || dotted_thousands;
    // Only looked for where it decides something: it reads up to 32 bytes.
    let mut cached = None;
    let mut context = || *cached.get_or_insert_with(|| phone_context_before(b, start));
    if needs_context && !context() {
        return None;
    }
    if regions.is_empty() {
        return plain
            .iter()
            .any(|&r| phone_fit_national(r, ascii) == Fit::Valid)
            .then_some(0.6);
    }
    if regions
        .iter()
        .any(|&r| phone_fit_national(r, ascii) == Fit::Valid)
    {
        return Some(0.7);
    }
    // A customary grouping of a number whose range libphonenumber does not list (new
    // allocations, fictional ranges): the grouping carries it, at a lower confidence.
    ((strong || context()) && phone_fit_national(regions[0], ascii) == Fit::Possible).then_some(0.6)
}

/// A phone number that starts at `i` (a `+`, a `(` or a digit), as reading from there finds it.
fn phone_at(b: &[u8], i: usize) -> Option<CodeHit> {
    let shape = phone_shape_at(b, i)?;
    phone_graded(b, i, &shape)
}

/// The shape read from `i` when a number may start there, before its end and digits are judged.
fn phone_shape_at(b: &[u8], i: usize) -> Option<PhoneShape> {
    let starts = match b[i] {
        b'+' | b'(' => b.get(i + 1).is_some_and(u8::is_ascii_digit),
        b'0'..=b'9' => true,
        _ => false,
    };
    if !starts || !phone_start_ok(b, i) {
        return None;
    }
    phone_shape(b, i)
}

/// The hit for a shape read from `i`, if what follows it and its digits make it a number.
fn phone_graded(b: &[u8], i: usize, shape: &PhoneShape) -> Option<CodeHit> {
    if !phone_end_ok(b, shape.end) {
        return None;
    }
    let confidence = phone_confidence(b, i, shape)?;
    Some(CodeHit {
        start: i,
        end: shape.end,
        confidence: Some(confidence),
    })
}

/// Bytes a phone number is written with; a number never spans anything else.
fn is_phone_byte(c: u8) -> bool {
    c.is_ascii_digit() || matches!(c, b' ' | b'-' | b'.' | b'/' | b'(' | b')' | b'+')
}

/// Whether reading numbers from the left, each taken whole, puts `p` inside a number that
/// starts before it (`7946 0958` in `020 7946 0958`). Only the run of phone bytes before `p`
/// matters, and only its last 64 bytes are read (no number is that long).
fn phone_covered(b: &[u8], p: usize) -> bool {
    let floor = p.saturating_sub(64);
    let mut i = p;
    while i > floor && is_phone_byte(b[i - 1]) {
        i -= 1;
    }
    while i < p {
        match phone_shape_at(b, i) {
            // Whether or not this shape is a number, nothing read from inside it ends past its
            // end (a number can only start at one of its groups, and reads on to the same end or
            // stops at a bracket), so none of them reaches `p`: the walk goes on from its end
            // either way, and grading it would decide nothing.
            Some(shape) if shape.end <= p => i = shape.end,
            Some(shape) if phone_graded(b, i, &shape).is_some() => return true,
            _ => i += 1,
        }
    }
    false
}

fn phone_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    if at >= b.len() {
        return None;
    }
    // `+44 ...` and `(415) ...` start on the byte before the word.
    let first = if at > 0 && matches!(b[at - 1], b'+' | b'(') {
        at - 1
    } else {
        at
    };
    // Every number reported has eight digits, all among the phone bytes from here on.
    // Groups are joined by one separator, a bracket and a separator at most (`(0) 20`).
    let mut digits = 0;
    let mut gap = 0;
    for &c in &b[at..] {
        if c.is_ascii_digit() {
            digits += 1;
            gap = 0;
            if digits == 8 {
                break;
            }
        } else if is_phone_byte(c) && gap < 3 {
            gap += 1;
        } else {
            return None;
        }
    }
    if digits < 8 {
        return None;
    }
    phone_from(b, first, at)
}

#[inline(never)]
fn phone_from(b: &[u8], first: usize, at: usize) -> Option<CodeHit> {
    (first..=at)
        .find_map(|i| phone_at(b, i).map(|h| (i, h)))
        .and_then(|(i, h)| (!phone_covered(b, i)).then_some(h))
}

// ---------------------------------------------------------------------------------------------
// Phone number metadata
// ---------------------------------------------------------------------------------------------
//
// The phonenumber crate checks a number by looking each metadata regex up in a shared, locked
// LRU cache (hashing the pattern text) and running an unanchored search; that costs far more
// than the rest of phone detection. The same metadata is compiled here once, region by region
// on first use, into anchored DFAs, and parsing and validation follow the crate's own rules
// (`parser::parse` and `validator::is_valid`) for the digit strings phone detection produces.
// A test checks both agree.

/// A metadata pattern as an anchored DFA. The crate compiles its patterns with whitespace
/// ignored and tests them with `find(..)` plus `start == 0`: a match at the start, not a whole
/// match. Inputs are ASCII digits, so Unicode classes can be ASCII ones.
struct PhonePattern {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
}

impl PhonePattern {
    fn new(source: &str) -> PhonePattern {
        let dfa = dense::Builder::new()
            .syntax(
                syntax::Config::new()
                    .unicode(false)
                    .utf8(false)
                    .ignore_whitespace(true),
            )
            .configure(dense::Config::new().start_kind(StartKind::Anchored))
            .build(source)
            // A pattern that does not compile matches nothing, as the crate's lookup would fail.
            .unwrap_or_else(|_| dense::DFA::never_match().expect("an empty DFA builds"));
        let start = dfa
            .start_state(&start::Config::new().anchored(Anchored::Yes))
            .expect("anchored DFAs without look-behind have a start state");
        PhonePattern { dfa, start }
    }

    /// Whether a match starts at the beginning of `s`.
    fn matches_start(&self, s: &[u8]) -> bool {
        let dfa = &self.dfa;
        let mut state = self.start;
        for &c in s {
            state = dfa.next_state(state, c);
            if dfa.is_special_state(state) {
                if dfa.is_match_state(state) {
                    return true;
                }
                if dfa.is_dead_state(state) || dfa.is_quit_state(state) {
                    return false;
                }
            }
        }
        dfa.is_match_state(dfa.next_eoi_state(state))
    }

    /// The end of the (leftmost-first) match that starts at the beginning of `s`, as
    /// `try_search_fwd` with an anchored input finds it, without its search setup.
    fn match_end(&self, s: &[u8]) -> Option<usize> {
        let mut last = None;
        walk_from_state(&self.dfa, self.start, s, 0, s.len(), |_, at| {
            last = Some(at)
        })
        .then_some(last)
        .flatten()
    }
}

/// A number-type descriptor: its lengths (empty: any) and pattern.
struct PhoneDesc {
    lengths: Vec<u16>,
    pattern: PhonePattern,
}

impl PhoneDesc {
    fn new(desc: &Descriptor) -> PhoneDesc {
        PhoneDesc {
            lengths: desc.possible_length().to_vec(),
            pattern: PhonePattern::new(desc.national_number().as_str()),
        }
    }

    /// The crate's `Descriptor::is_match`.
    fn is_match(&self, s: &[u8]) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(s.len() as u16)))
            && self.pattern.matches_start(s)
    }
}

/// One region's metadata, compiled.
struct PhoneMeta {
    code: u16,
    idd: Option<PhonePattern>,
    national_prefix: Option<&'static str>,
    prefix_for_parsing: Option<PhonePattern>,
    transform: Option<&'static str>,
    /// The prefix-for-parsing regex with its groups, for the rare transform rule.
    prefix_regex: OnceLock<Option<regex::Regex>>,
    prefix_source: Option<&'static str>,
    leading_digits: Option<PhonePattern>,
    general: PhoneDesc,
    general_lengths: &'static [u16],
    general_local_lengths: &'static [u16],
    /// Every descriptor that makes a number's type known (fixed line and mobile first).
    types: Vec<PhoneDesc>,
}

impl PhoneMeta {
    fn new(meta: &'static Metadata) -> PhoneMeta {
        let d = meta.descriptors();
        let types = [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
        .into_iter()
        .flatten()
        .map(PhoneDesc::new)
        .collect();
        PhoneMeta {
            code: meta.country_code(),
            idd: meta
                .international_prefix()
                .map(|r| PhonePattern::new(r.as_str())),
            national_prefix: meta.national_prefix(),
            prefix_for_parsing: meta
                .national_prefix_for_parsing()
                .map(|r| PhonePattern::new(r.as_str())),
            transform: meta.national_prefix_transform_rule(),
            prefix_regex: OnceLock::new(),
            prefix_source: meta.national_prefix_for_parsing().map(|r| r.as_str()),
            leading_digits: meta.leading_digits().map(|r| PhonePattern::new(r.as_str())),
            general: PhoneDesc::new(d.general()),
            general_lengths: d.general().possible_length(),
            general_local_lengths: d.general().possible_local_length(),
            types,
        }
    }

    /// The crate's `number_type(..) != Type::Unknown`.
    fn has_type(&self, national: &[u8]) -> bool {
        self.general.is_match(national) && self.types.iter().any(|t| t.is_match(national))
    }

    /// The crate's `validator::length(meta, number, Type::Unknown)`, reduced to the two answers
    /// parsing asks for.
    fn length(&self, len: usize) -> LengthFit {
        let len = len as u16;
        let possible = self.general_lengths;
        if possible.is_empty() {
            return LengthFit::Other;
        }
        if self.general_local_lengths.contains(&len) {
            LengthFit::Possible
        } else if len < possible[0] {
            LengthFit::TooShort
        } else if possible.contains(&len) {
            LengthFit::Possible
        } else {
            LengthFit::Other
        }
    }

    fn prefix_regex(&self) -> Option<&regex::Regex> {
        self.prefix_regex
            .get_or_init(|| {
                let source = self.prefix_source?;
                regex::RegexBuilder::new(source)
                    .ignore_whitespace(true)
                    .build()
                    .ok()
            })
            .as_ref()
    }
}

#[derive(PartialEq)]
enum LengthFit {
    Possible,
    TooShort,
    Other,
}

/// How the regions of one calling code are listed in the database.
#[derive(Clone, Copy)]
enum RegionRef {
    /// A non-geographic entity (`001`): its metadata is the code's first.
    NonGeo,
    Meta(u16),
    Unknown,
}

#[derive(Default)]
struct CodeEntry {
    /// Metadata of the code, in the database's order.
    metas: Vec<u16>,
    regions: Vec<RegionRef>,
    /// Lengths (bit per length) of fixed-line and mobile numbers of any region of the code.
    subscriber_lengths: u32,
}

struct PhoneDb {
    metas: Vec<(&'static Metadata, OnceLock<PhoneMeta>)>,
    /// Metadata index per region, by `Id` discriminant.
    by_region: Vec<Option<u16>>,
    codes: Vec<CodeEntry>,
}

const MAX_CALLING_CODE: usize = 1000;

static PHONE_DB: LazyLock<PhoneDb> = LazyLock::new(|| {
    let database: &'static Database = &DATABASE;
    // Every metadata entry sits in its calling code's list; `Database::iter` misses the
    // non-geographic ones, which share the region id `001`.
    let mut metas: Vec<(&'static Metadata, OnceLock<PhoneMeta>)> = Vec::new();
    for code in 0..MAX_CALLING_CODE as u16 {
        for m in database.by_code(&code).unwrap_or_default() {
            if !metas.iter().any(|(x, _)| std::ptr::eq(*x, m)) {
                metas.push((m, OnceLock::new()));
            }
        }
    }
    let index_of = |m: &Metadata| {
        metas
            .iter()
            .position(|(x, _)| std::ptr::eq(*x, m))
            .map(|i| i as u16)
    };
    let mut by_region = Vec::new();
    for (m, _) in &metas {
        if let Ok(id) = m.id().parse::<Id>() {
            let slot = id as usize;
            if by_region.len() <= slot {
                by_region.resize(slot + 1, None);
            }
            by_region[slot] = database.by_id(m.id()).and_then(index_of);
        }
    }
    let mut codes: Vec<CodeEntry> = (0..MAX_CALLING_CODE)
        .map(|_| CodeEntry::default())
        .collect();
    for (code, entry) in codes.iter_mut().enumerate() {
        let code = code as u16;
        let Some(of_code) = database.by_code(&code) else {
            continue;
        };
        entry.metas = of_code.iter().filter_map(|m| index_of(m)).collect();
        for m in &of_code {
            let d = m.descriptors();
            for desc in [d.fixed_line(), d.mobile()].into_iter().flatten() {
                for &len in desc.possible_length() {
                    if len < 32 {
                        entry.subscriber_lengths |= 1 << len;
                    }
                }
            }
        }
        entry.regions = database
            .region(&code)
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                if r == "001" {
                    RegionRef::NonGeo
                } else if r.parse::<Id>().is_err() {
                    RegionRef::Unknown
                } else {
                    database
                        .by_id(r)
                        .and_then(index_of)
                        .map_or(RegionRef::Unknown, RegionRef::Meta)
                }
            })
            .collect();
    }
    PhoneDb {
        metas,
        by_region,
        codes,
    }
});

/// A national number being parsed: at most 17 digits survive, but transforms may prepend some.
#[derive(Clone, Copy)]
struct NationalDigits {
    buf: [u8; 40],
    len: usize,
}

impl NationalDigits {
    fn new(digits: &[u8]) -> Option<NationalDigits> {
        let mut n = NationalDigits {
            buf: [0; 40],
            len: digits.len(),
        };
        n.buf.get_mut(..digits.len())?.copy_from_slice(digits);
        Some(n)
    }

    fn get(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn trim(&mut self, n: usize) {
        self.buf.copy_within(n..self.len, 0);
        self.len -= n;
    }
}

impl PhoneDb {
    fn meta(&self, i: u16) -> &PhoneMeta {
        let (m, compiled) = &self.metas[i as usize];
        compiled.get_or_init(|| PhoneMeta::new(m))
    }

    fn code(&self, code: u16) -> Option<&CodeEntry> {
        self.codes
            .get(code as usize)
            .filter(|e| !e.metas.is_empty())
    }

    fn region(&self, id: Id) -> Option<&PhoneMeta> {
        let i = (*self.by_region.get(id as usize)?)?;
        Some(self.meta(i))
    }

    /// The metadata a number of `code` is checked against (the crate's `source_for`).
    fn source_for(&self, code: u16, national: &[u8]) -> Option<&PhoneMeta> {
        let entry = self.code(code)?;
        match entry.regions[..] {
            [] => None,
            [RegionRef::NonGeo] => entry.metas.first().map(|&i| self.meta(i)),
            [RegionRef::Meta(i)] => Some(self.meta(i)),
            [RegionRef::Unknown] => None,
            _ => entry.regions.iter().find_map(|r| {
                let RegionRef::Meta(i) = *r else { return None };
                let meta = self.meta(i);
                let fits = match &meta.leading_digits {
                    Some(leading) => leading.matches_start(national),
                    None => meta.has_type(national),
                };
                fits.then_some(meta)
            }),
        }
    }

    /// A calling code of one to three digits that opens `digits` (the crate tries the shortest
    /// first).
    fn leading_code(&self, digits: &[u8]) -> Option<(u16, usize)> {
        (1..=3).find_map(|len| {
            let code = digits_value_ascii(&digits[..len]) as u16;
            self.code(code).map(|_| (code, len))
        })
    }

    /// The national prefix (and carrier code) stripped as `helper::national_number` strips it,
    /// then `parse` strips the national prefix once more and keeps the result unless too short.
    fn strip_national(&self, meta: &PhoneMeta, national: NationalDigits) -> NationalDigits {
        let mut potential = national;
        let digits = national.get();
        match &meta.prefix_for_parsing {
            None => {
                if let Some(prefix) = meta.national_prefix {
                    if digits.starts_with(prefix.as_bytes()) {
                        potential.trim(prefix.len());
                    }
                }
            }
            Some(parsing) => {
                if let Some(end) = parsing.match_end(digits) {
                    potential = self.apply_prefix_rule(meta, national, end);
                }
            }
        }
        if let Some(prefix) = meta.national_prefix {
            if potential.get().starts_with(prefix.as_bytes()) {
                potential.trim(prefix.len());
            }
        }
        if meta.length(potential.len) == LengthFit::TooShort {
            national
        } else {
            potential
        }
    }

    /// The prefix for parsing matched `national[..end]`: drop it, or rewrite the number with the
    /// transform rule if its last group took part (and the result still fits the region).
    fn apply_prefix_rule(
        &self,
        meta: &PhoneMeta,
        national: NationalDigits,
        end: usize,
    ) -> NationalDigits {
        let mut stripped = national;
        stripped.trim(end);
        let Some(transform) = meta.transform else {
            return stripped;
        };
        let Some(re) = meta.prefix_regex() else {
            return stripped;
        };
        let Ok(text) = std::str::from_utf8(national.get()) else {
            return stripped;
        };
        let Some(caps) = re.captures(text) else {
            return stripped;
        };
        if caps.get(caps.len() - 1).is_none() {
            return stripped;
        }
        let transformed = re.replace(text, transform);
        let viable = meta.general.is_match(national.get());
        if viable && !meta.general.is_match(transformed.as_bytes()) {
            return national;
        }
        NationalDigits::new(transformed.as_bytes()).unwrap_or(national)
    }
}

/// `n` in decimal ASCII, written into `buf` (no allocation: this runs for every national number).
fn decimal(mut n: u16, buf: &mut [u8; 5]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

fn digits_value_ascii(d: &[u8]) -> u64 {
    d.iter().fold(0u64, |acc, &x| acc * 10 + (x - b'0') as u64)
}

/// The checks `parse` makes last: the national number's length, and that it reads as a number
/// (not only zeros, below 2^56).
fn finish_parse(national: &NationalDigits) -> bool {
    let n = national.get();
    if !(2..=17).contains(&n.len()) {
        return false;
    }
    let rest = &n[n.iter().take_while(|&&c| c == b'0').count()..];
    !rest.is_empty() && digits_value_ascii(rest) < 1 << 56
}

/// Validity (the crate's `is_valid`) and possibility of a parsed number.
fn phone_fit_parsed(db: &PhoneDb, code: u16, national: &NationalDigits) -> Fit {
    let n = national.get();
    if db.source_for(code, n).is_some_and(|m| m.has_type(n)) {
        return Fit::Valid;
    }
    // Subscriber numbers: the lengths of fixed-line and mobile numbers (the general descriptor
    // carries no lengths of its own in this metadata).
    let possible = db
        .code(code)
        .is_some_and(|e| n.len() < 32 && e.subscriber_lengths >> n.len() & 1 == 1);
    if possible {
        Fit::Possible
    } else {
        Fit::None
    }
}

/// `+` followed by `digits` (ASCII), as `phonenumber::parse(None, ..)` reads it.
fn phone_fit_international(digits: &[u8]) -> Fit {
    let db = &*PHONE_DB;
    if digits.len() <= 2 || digits[0] == b'0' {
        return Fit::None;
    }
    let Some((code, len)) = db.leading_code(digits) else {
        return Fit::None;
    };
    let Some(mut national) = NationalDigits::new(&digits[len..]) else {
        return Fit::None;
    };
    let zeros = national.get().iter().take_while(|&&c| c == b'0').count();
    if let Some(meta) = db.source_for(code, &national.get()[zeros..]) {
        national = db.strip_national(meta, national);
    }
    if !finish_parse(&national) {
        return Fit::None;
    }
    phone_fit_parsed(db, code, &national)
}

/// A national number (ASCII digits) dialled in `region`, as `phonenumber::parse(Some(region), ..)`
/// reads it.
fn phone_fit_national(region: Id, digits: &[u8]) -> Fit {
    let db = &*PHONE_DB;
    let Some(meta) = db.region(region) else {
        return Fit::None;
    };
    let Some(mut national) = NationalDigits::new(digits) else {
        return Fit::None;
    };
    // An international call prefix (`00`, `011`) followed by a calling code.
    let idd_end = meta
        .idd
        .as_ref()
        .and_then(|idd| idd.match_end(digits))
        .filter(|&end| digits.get(end) != Some(&b'0'));
    let code = if let Some(end) = idd_end {
        national.trim(end);
        if national.len <= 2 {
            return Fit::None;
        }
        let Some((code, len)) = db.leading_code(national.get()) else {
            return Fit::None;
        };
        national.trim(len);
        code
    } else {
        // A number that begins with the region's own calling code loses it when it is not
        // a valid-looking national number as it stands.
        let code = meta.code;
        let mut code_buf = [0u8; 5];
        let code_text = decimal(code, &mut code_buf);
        let n = national.get();
        if n.starts_with(code_text)
            && (!meta.general.is_match(n) || meta.length(n.len()) != LengthFit::Possible)
        {
            national.trim(code_text.len());
        }
        code
    };
    let national = db.strip_national(meta, national);
    if !finish_parse(&national) {
        return Fit::None;
    }
    phone_fit_parsed(db, code, &national)
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/// Month names and abbreviations in English, German, French, Spanish, Italian and Dutch.
/// The bytes a date starts with: a digit, or the first letter of a month name in `MONTHS` in
/// either case (a test keeps the two in step). Other words never reach the date detector.
const DATE_STARTS: &[u8] = b"0123456789AaDdEeFfGgJjLlMmNnOoSs";

const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
];

/// The longest date read: `12th of September, 2024` and the like with a few blanks.
const DATE_MAX: usize = 64;

/// The leading run of ASCII letters of a month name (`märz`: `m`), lowercased, as the run's
/// first eight letters packed into an integer and the run's length.
const fn month_key(name: &[u8]) -> (u64, usize) {
    let mut key = 0u64;
    let mut run = 0;
    while run < name.len() && name[run].is_ascii_alphabetic() {
        if run < 8 {
            key |= ((name[run] | 0x20) as u64) << (8 * run);
        }
        run += 1;
    }
    (key, run)
}

/// Where a month key starts its search in `MONTH_TABLE`: the top byte of a multiplicative hash.
const fn month_slot(key: u64, run: usize) -> usize {
    ((key ^ run as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// Month names by key, open addressing: an index into `MONTHS` plus one, or 0 for an empty
/// slot. Built at compile time; a test checks every name is found.
const MONTH_TABLE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < MONTHS.len() {
        let (key, run) = month_key(MONTHS[i].0.as_bytes());
        let mut slot = month_slot(key, run);
        while table[slot] != 0 {
            slot = (slot + 1) % 256;
        }
        table[slot] = i as u8 + 1;
        i += 1;
    }
    table
};

/// The first three letters of the month names: for each lowercase first and second letter
/// (26: a non-ASCII byte), the third letters that follow (26 again for a non-ASCII byte, and
/// any third byte after a non-ASCII second one, which is the rest of that letter). Most words
/// fail this before any lookup.
const MONTH_TRIGRAMS: [u32; 26 * 27] = {
    const fn letter(c: u8) -> usize {
        if c.is_ascii_lowercase() {
            (c - b'a') as usize
        } else {
            26
        }
    }
    let mut table = [0u32; 26 * 27];
    let mut i = 0;
    while i < MONTHS.len() {
        let name = MONTHS[i].0.as_bytes();
        let row = letter(name[0]) * 27 + letter(name[1]);
        table[row] |= if name[1].is_ascii_lowercase() {
            1 << letter(name[2])
        } else {
            (1 << 27) - 1
        };
        i += 1;
    }
    table
};

/// A month name at `p` that a date can continue after (a `.`, `,` or blank follows it, so the
/// name is the whole ASCII run, or the run and the non-ASCII rest of the name): its number and
/// end. Case is ignored as the date pattern ignored it.
fn month_at(b: &[u8], p: usize) -> Option<(u32, usize)> {
    if !month_may_start(b, p) {
        return None;
    }
    // The run of ASCII letters and digits, at most ten, packed as `month_key` packs names.
    let mut key = 0u64;
    let mut run = 0;
    while let Some(&c) = b.get(p + run).filter(|c| c.is_ascii_alphanumeric()) {
        if run == 10 {
            return None;
        }
        if run < 8 {
            key |= ((c | 0x20) as u64) << (8 * run);
        }
        run += 1;
    }
    let mut slot = month_slot(key, run);
    let (name, month) = loop {
        let entry = MONTH_TABLE[slot] as usize;
        if entry == 0 {
            return None;
        }
        let (name, month) = MONTHS[entry - 1];
        if month_key(name.as_bytes()) == (key, run) {
            break (name, month);
        }
        slot = (slot + 1) % 256;
    };
    if run > 8 && !b[p + 8..p + run].eq_ignore_ascii_case(&name.as_bytes()[8..run]) {
        return None;
    }
    // The rest of a name with non-ASCII letters (`ärz`), in either case.
    let mut end = p + run;
    for want in name[run..].chars() {
        let got = char_at(b, end)?;
        if got != want && !got.to_lowercase().eq(want.to_lowercase()) {
            return None;
        }
        end += got.len_utf8();
    }
    Some((month as u32, end))
}

fn char_at(b: &[u8], p: usize) -> Option<char> {
    let width = match *b.get(p)? {
        c if c < 0x80 => 1,
        c if c >= 0xF0 => 4,
        c if c >= 0xE0 => 3,
        c if c >= 0xC0 => 2,
        _ => return None,
    };
    std::str::from_utf8(b.get(p..p + width)?)
        .ok()?
        .chars()
        .next()
}

/// `[ \t]{1,3}` before something that is not a blank: the position after the blanks.
fn blanks_1_3(b: &[u8], p: usize) -> Option<usize> {
    let n = b
        .get(p..)?
        .iter()
        .take(4)
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    (1..=3).contains(&n).then_some(p + n)
}

/// `(?:19|20)[0-9]{2}` at `p`.
fn year_at(b: &[u8], p: usize) -> Option<u32> {
    let y = b.get(p..p + 4)?;
    (matches!(&y[..2], b"19" | b"20") && y.iter().all(u8::is_ascii_digit))
        .then(|| digits_value_ascii(y) as u32)
}

/// A day or month of one or two digits at `p`, not followed by a third digit.
fn small_number_at(b: &[u8], p: usize) -> Option<(u32, usize)> {
    let n = digit_run(b, p);
    (1..=2)
        .contains(&n)
        .then(|| (digits_value_ascii(&b[p..p + n]) as u32, p + n))
}

fn is_date_sep(c: Option<&u8>) -> bool {
    matches!(c, Some(b'-' | b'/' | b'.'))
}

fn ordinal_suffix(b: &[u8], p: usize) -> bool {
    b.get(p..p + 2).is_some_and(|s| {
        [b"st", b"nd", b"rd", b"th"]
            .iter()
            .any(|x| s.eq_ignore_ascii_case(&x[..]))
    })
}

/// How a date was written.
enum DateParts {
    /// `2024-01-15`: whether month and day both have two digits.
    YearFirst {
        y: u32,
        m: u32,
        d: u32,
        seps: [u8; 2],
        two_digit: bool,
    },
    /// `15/01/2024`, `01/15/24`: day and month in either order.
    Numeric {
        a: u32,
        b: u32,
        y: u32,
        year_digits: usize,
        seps: [u8; 2],
        two_digit: bool,
    },
    /// A month name, or a CJK date: a calendar triple.
    Named { y: u32, m: u32, d: u32 },
}

/// The date that starts at `s`, read as the alternation `year-first | numeric | day month-name
/// year | month-name day year | CJK` (the first alternative that matches wins, as in a regex),
/// and where it ends.
fn read_date(b: &[u8], s: usize) -> Option<(DateParts, usize)> {
    let first = *b.get(s)?;
    if !first.is_ascii_digit() {
        return month_first_date(b, s);
    }
    let run = digit_run(b, s);
    // What follows the first number decides which forms can match.
    let next = b.get(s + run).copied().unwrap_or(0);
    let joined = matches!(next, b'-' | b'/' | b'.');
    if run == 4 {
        let y = year_at(b, s)?;
        return if joined {
            year_first_date(b, s, y)
        } else if next == b' ' || next >= 0x80 {
            cjk_date(b, s, y)
        } else {
            None
        };
    }
    let named_can_follow = matches!(next, b'.' | b' ' | b'\t') || next.is_ascii_alphabetic();
    if run > 2 || !(joined || named_can_follow) {
        return None;
    }
    if joined {
        if let Some(found) = numeric_date(b, s) {
            return Some(found);
        }
    }
    if named_can_follow {
        day_first_named_date(b, s)
    } else {
        None
    }
}

/// `(?P<iy>{y})(?P<is1>[-/.])(?P<im>[0-9]{1,2})(?P<is2>[-/.])(?P<id>[0-9]{1,2})`
fn year_first_date(b: &[u8], s: usize, y: u32) -> Option<(DateParts, usize)> {
    let sep1 = *b.get(s + 4).filter(|&&c| is_date_sep(Some(&c)))?;
    let (m, p) = small_number_at(b, s + 5)?;
    let sep2 = *b.get(p).filter(|&&c| is_date_sep(Some(&c)))?;
    let day_digits = digit_run(b, p + 1).min(2);
    if day_digits == 0 {
        return None;
    }
    let end = p + 1 + day_digits;
    let parts = DateParts::YearFirst {
        y,
        m,
        d: digits_value_ascii(&b[p + 1..end]) as u32,
        seps: [sep1, sep2],
        two_digit: p - (s + 5) == 2 && day_digits == 2,
    };
    Some((parts, end))
}

/// `(?P<na>[0-9]{1,2})(?P<ns1>[-/.])(?P<nb>[0-9]{1,2})(?P<ns2>[-/.])(?P<ny>{y}|[0-9]{2})`
fn numeric_date(b: &[u8], s: usize) -> Option<(DateParts, usize)> {
    let (a, p) = small_number_at(b, s)?;
    let sep1 = *b.get(p).filter(|&&c| is_date_sep(Some(&c)))?;
    let (second, q) = small_number_at(b, p + 1)?;
    let sep2 = *b.get(q).filter(|&&c| is_date_sep(Some(&c)))?;
    let (y, year_digits) = match year_at(b, q + 1) {
        Some(y) => (y, 4),
        None => {
            let two = b.get(q + 1..q + 3)?;
            if !two.iter().all(u8::is_ascii_digit) {
                return None;
            }
            (digits_value_ascii(two) as u32, 2)
        }
    };
    let parts = DateParts::Numeric {
        a,
        b: second,
        y,
        year_digits,
        seps: [sep1, sep2],
        two_digit: p - s == 2 && q - (p + 1) == 2,
    };
    Some((parts, q + 1 + year_digits))
}

/// `(?P<td>[0-9]{1,2})(?:st|nd|rd|th|\.)?(?:[ \t]+of)?[ \t]{1,3}(?P<tm>{m})\.?,?[ \t]{1,3}(?P<ty>{y})`
fn day_first_named_date(b: &[u8], s: usize) -> Option<(DateParts, usize)> {
    let (d, mut p) = small_number_at(b, s)?;
    if ordinal_suffix(b, p) {
        p += 2;
    } else if b.get(p) == Some(&b'.') {
        p += 1;
    }
    let month_and_year = |q: usize| -> Option<(DateParts, usize)> {
        let (m, mut r) = month_at(b, blanks_1_3(b, q)?)?;
        if b.get(r) == Some(&b'.') {
            r += 1;
        }
        if b.get(r) == Some(&b',') {
            r += 1;
        }
        let r = blanks_1_3(b, r)?;
        let y = year_at(b, r)?;
        Some((DateParts::Named { y, m, d }, r + 4))
    };
    // `12th of March`: blanks, then `of`, then the month; failing that, the month directly.
    let blanks = b[p..]
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    let of = p + blanks;
    if blanks > 0
        && b.get(of..of + 2)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"of"))
    {
        if let Some(found) = month_and_year(of + 2) {
            return Some(found);
        }
    }
    month_and_year(p)
}

/// `(?P<um>{m})\.?[ \t]{1,3}(?P<ud>[0-9]{1,2})(?:st|nd|rd|th)?,?[ \t]{1,3}(?P<uy>{y})`
fn month_first_date(b: &[u8], s: usize) -> Option<(DateParts, usize)> {
    let (m, mut p) = month_at(b, s)?;
    if b.get(p) == Some(&b'.') {
        p += 1;
    }
    let (d, mut p) = small_number_at(b, blanks_1_3(b, p)?)?;
    if ordinal_suffix(b, p) {
        p += 2;
    }
    if b.get(p) == Some(&b',') {
        p += 1;
    }
    let p = blanks_1_3(b, p)?;
    let y = year_at(b, p)?;
    Some((DateParts::Named { y, m, d }, p + 4))
}

/// `(?P<cy>{y}) ?[年년] ?(?P<cm>[0-9]{1,2}) ?[月월] ?(?P<cd>[0-9]{1,2}) ?[日일]`
fn cjk_date(b: &[u8], s: usize, y: u32) -> Option<(DateParts, usize)> {
    let unit = |p: usize, units: [&[u8]; 2]| -> Option<usize> {
        let p = if b.get(p) == Some(&b' ') { p + 1 } else { p };
        let rest = b.get(p..)?;
        units
            .iter()
            .find(|u| rest.starts_with(u))
            .map(|u| p + u.len())
    };
    let skip_space = |p: usize| if b.get(p) == Some(&b' ') { p + 1 } else { p };
    let p = unit(s + 4, ["年".as_bytes(), "년".as_bytes()])?;
    let (m, p) = small_number_at(b, skip_space(p))?;
    let p = unit(p, ["月".as_bytes(), "월".as_bytes()])?;
    let (d, p) = small_number_at(b, skip_space(p))?;
    let end = unit(p, ["日".as_bytes(), "일".as_bytes()])?;
    Some((DateParts::Named { y, m, d }, end))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid_ymd(y: u32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

/// A time right after a date (`2024-01-15 10:30`, `March 3, 2024 at 9:15`): a timestamp.
fn followed_by_time(b: &[u8], e: usize) -> bool {
    let mut k = e;
    let mut skipped = 0;
    while skipped < 3 && matches!(b.get(k), Some(b' ' | b',' | b'\t' | b'T' | b'@' | b'_')) {
        k += 1;
        skipped += 1;
    }
    if starts_with_ci(&b[k.min(b.len())..], b"at ") {
        k += 3;
    }
    let digits = b[k.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=2).contains(&digits)
        && matches!(b.get(k + digits), Some(b':' | b'h' | b'.'))
        && b.get(k + digits + 1).is_some_and(u8::is_ascii_digit)
        && b.get(k + digits + 2).is_some_and(u8::is_ascii_digit)
}

/// A log level right after a date: the date is a log timestamp.
fn followed_by_log_level(b: &[u8], e: usize) -> bool {
    let mut k = e;
    while k < b.len() && k - e < 4 && matches!(b[k], b' ' | b']' | b'|' | b'-' | b':' | b'\t') {
        k += 1;
    }
    let rest = &b[k.min(b.len())..];
    [
        "INFO", "WARN", "ERROR", "DEBUG", "TRACE", "FATAL", "CRITICAL", "NOTICE",
    ]
    .iter()
    .any(|l| rest.starts_with(l.as_bytes()))
}

/// A field of a delimited record or a string literal in code: `2023-11-12,eu-west-1,...`,
/// `created_at >= '2023-03-01'`. Data about records, not prose about a person.
fn data_field(b: &[u8], s: usize, e: usize) -> bool {
    let prev = s.checked_sub(1).map(|k| b[k]);
    let next = b.get(e).copied();
    let delimiter = |c: Option<u8>| matches!(c, Some(b',' | b';' | b'|' | b'\t'));
    let field_start = prev.is_none() || prev == Some(b'\n') || delimiter(prev);
    let tight_delimiter_after =
        delimiter(next) && b.get(e + 1).is_some_and(|&c| c != b' ' && c != b'\n');
    let tight_delimiter_before = delimiter(prev) && s >= 2 && b[s - 2] != b' ';
    let quoted = matches!(
        (prev, next),
        (Some(b'\''), Some(b'\'')) | (Some(b'`'), Some(b'`'))
    );
    (field_start && tight_delimiter_after) || tight_delimiter_before || quoted
}

/// Which dates a finder reports.
#[derive(Clone, Copy, PartialEq)]
enum DateMode {
    /// Dates in prose: not in timestamps, file names, versions, records or code literals.
    Prose,
    /// Dates next to a birth context word (the scanner requires the word): also two-digit years
    /// (`03/12/85`), year-first dots (`1990.05.28`) and record fields.
    Birth,
}

/// A date that starts at the word start `s`: where it ends, if it reads as one in `mode`.
#[inline(never)]
fn date_at(b: &[u8], s: usize, mode: DateMode) -> Option<usize> {
    let (parts, e) = read_date(b, s)?;
    let birth = mode == DateMode::Birth;
    let numeric = !matches!(parts, DateParts::Named { .. });
    let prev = s.checked_sub(1).map(|k| b[k]);
    // `ב-05/01/1956`: a Hebrew preposition joined by a hyphen.
    let joined_prefix = prev == Some(b'-') && s >= 2 && b[s - 2] >= 0x80;
    if prev.is_some_and(|p| {
        is_word(p)
            || (numeric && !joined_prefix && matches!(p, b'.' | b'-' | b'/' | b':' | b'#' | b'\\'))
    }) {
        return None;
    }
    match b.get(e) {
        Some(&c) if is_word(c) => return None,
        Some(b'.' | b'-' | b'/' | b':') if b.get(e + 1).is_some_and(u8::is_ascii_alphanumeric) => {
            return None
        }
        _ => {}
    }
    if followed_by_time(b, e)
        || followed_by_log_level(b, e)
        || (prev == Some(b'[') && b.get(e) == Some(&b']'))
        || (!birth && data_field(b, s, e))
    {
        return None;
    }
    let valid = match parts {
        DateParts::YearFirst {
            y,
            m,
            d,
            seps,
            two_digit,
        } => seps[0] == seps[1] && (seps[0] != b'.' || (birth && two_digit)) && valid_ymd(y, m, d),
        DateParts::Numeric {
            a,
            b: second,
            y,
            year_digits,
            seps,
            two_digit,
        } => {
            let y = if year_digits == 2 { 2000 + y } else { y };
            seps[0] == seps[1]
                && (year_digits == 4 || (birth && seps[0] != b'-'))
                && (seps[0] != b'.' || two_digit)
                && (valid_ymd(y, second, a) || valid_ymd(y, a, second))
        }
        DateParts::Named { y, m, d } => valid_ymd(y, m, d),
    };
    valid.then_some(e)
}

fn date_located(text: &str, at: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    if !date_may_start(b, at) {
        return None;
    }
    date_hit(b, at)
}

#[inline(never)]
fn date_hit(b: &[u8], at: usize) -> Option<CodeHit> {
    date_at(b, at, DateMode::Prose).map(|e| hit(at, e))
}

/// ASCII letters by their lowercase index, 26 for a non-ASCII byte, 27 for anything else.
const LETTER_CLASS: [u8; 256] = {
    let mut class = [27u8; 256];
    let mut c = 0;
    while c < 256 {
        let byte = c as u8;
        if byte.is_ascii_alphabetic() {
            class[c] = (byte | 0x20) - b'a';
        } else if byte >= 0x80 {
            class[c] = 26;
        }
        c += 1;
    }
    class
};

/// Whether the bytes at `p` can open a month name: its first three letters (a test checks
/// every name passes).
#[inline(always)]
fn month_may_start(b: &[u8], p: usize) -> bool {
    let (Some(&first), Some(&second), Some(&third)) = (b.get(p), b.get(p + 1), b.get(p + 2)) else {
        return false;
    };
    let first = LETTER_CLASS[first as usize] as usize;
    let second = LETTER_CLASS[second as usize] as usize;
    let third = LETTER_CLASS[third as usize];
    first < 26 && second < 27 && third < 27 && MONTH_TRIGRAMS[first * 27 + second] >> third & 1 == 1
}

/// A first look at a word start, cheap enough for every word of a text: what every date form
/// needs right after its first number or in its month name's first letters.
#[inline(always)]
fn date_may_start(b: &[u8], at: usize) -> bool {
    match b.get(at) {
        Some(c) if c.is_ascii_digit() => number_date_may_start(b, at),
        Some(_) => month_may_start(b, at),
        None => false,
    }
}

/// `date_may_start` for a word that starts with a digit.
#[inline(never)]
fn number_date_may_start(b: &[u8], at: usize) -> bool {
    let mut run = 1;
    while run < 5 && b.get(at + run).is_some_and(u8::is_ascii_digit) {
        run += 1;
    }
    let p = at + run;
    let at_ = |k: usize| b.get(k).copied().unwrap_or(0);
    // The middle number of a numeric date and the separator after it (`-01-`, `/3/`).
    let middle = |q: usize| {
        let digits = digit_run(b, q);
        (1..=2).contains(&digits) && matches!(at_(q + digits), b'-' | b'/' | b'.')
    };
    // CJK year marks: 年 and 년 start with these bytes.
    let cjk_mark = |c: u8| c == 0xE5 || c == 0xEB;
    match run {
        // `2024-01-15`, `2024年`, `2024 年`.
        4 => {
            matches!(&b[at..at + 2], b"19" | b"20")
                && match at_(p) {
                    b'-' | b'/' | b'.' => middle(p + 1),
                    b' ' => cjk_mark(at_(p + 1)),
                    c => cjk_mark(c),
                }
        }
        // `15/01/2024`, `3. März`, `12 March`, `12th of March`.
        1 | 2 => match at_(p) {
            b'-' | b'/' => middle(p + 1),
            b'.' => middle(p + 1) || month_or_of_after_blanks(b, p + 1),
            b' ' | b'\t' => month_or_of_after_blanks(b, p),
            _ => ordinal_suffix(b, p) && month_or_of_after_blanks(b, p + 2),
        },
        _ => false,
    }
}

/// Blanks at `p`, then `of` or the start of a month name.
fn month_or_of_after_blanks(b: &[u8], p: usize) -> bool {
    let mut q = p;
    while matches!(b.get(q), Some(b' ' | b'\t')) {
        q += 1;
    }
    q > p
        && (b
            .get(q..q + 2)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"of"))
            || month_may_start(b, q))
}

/// Birth words as substrings: every word of `DOB_CONTEXT` contains one (a test checks), so
/// wherever a date of birth can be reported one of these occurs nearby.
const DOB_TRIGGERS: &[&str] = &[
    "born",
    "dob",
    "d.o.b",
    "birth",
    "geb",
    "né",
    "date de naissance",
    "nacimiento",
    "nací",
    "nacid",
    "data di nascita",
    "nato il",
    "nata il",
    "nascimento",
    "nascid",
    "data urodzenia",
    "urodzon",
    "födelsedatum",
    "född",
    "fødselsdato",
    "født",
    "syntymäaika",
    "syntynyt",
    "doğum",
    "לידה",
    "נולד",
    "เกิด",
    "生日",
    "出生",
    "生年月日",
    "생일",
    "생년월일",
];

static DOB_WORDS: LazyLock<TriggerWords> = LazyLock::new(|| TriggerWords::new(DOB_TRIGGERS));

/// How far from a birth word a date of birth is looked for; also the reach of its matcher.
const DOB_REACH: usize = trigger_reach(DATE_MAX);

/// Dates of birth: dates read in birth mode at the word starts near a birth word.
fn find_birth_dates(text: &str, hits: &mut Vec<CodeHit>) {
    let b = text.as_bytes();
    word_starts_near(text, &DOB_WORDS, DATE_MAX, |s| {
        if date_may_start(b, s) {
            if let Some(e) = date_at(b, s, DateMode::Birth) {
                hits.push(hit(s, e));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::testing::{assert_finds, assert_not_finds, found, raw_hits};

    /// What one detector of this file reports in `text` before scoring, as the scanner gathers it.
    fn raw(id: &str, text: &str) -> Vec<String> {
        assert!(SPECS.iter().any(|s| s.id == id), "{id} is not in this file");
        raw_hits(&[id], text)
            .iter()
            .map(|&(start, end, _)| text[start..end].to_string())
            .collect()
    }

    #[test]
    fn iso_country_list_is_sorted_and_complete() {
        assert!(ISO_3166_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(is_iso_country(b"DE") && is_iso_country(b"XK") && is_iso_country(b"ZW"));
        assert!(!is_iso_country(b"UK") && !is_iso_country(b"EU") && !is_iso_country(b"D"));
    }

    #[test]
    fn cards_need_a_brand_and_luhn() {
        for card in [
            "4111111111111111",
            "4222222222222",
            "5500000000000004",
            "2221000000000009",
            "2720990000000007",
            "378282246310005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "36227206271667",
            "6200000000000005",
            "6759649826438453",
        ] {
            assert!(valid_card(card), "{card}");
        }
        // Luhn-valid but no brand: 1... and 2730... and a 15-digit Visa.
        assert!(!valid_card("1111111111111117"));
        assert!(!valid_card("2730000000000003"));
        assert!(!valid_card("411111111111116"));
        // One digit off.
        assert!(!valid_card("4111111111111112"));
        assert!(!valid_card("378282246310006"));
    }

    #[test]
    fn cards_end_to_end() {
        assert_finds(
            "card 4111 1111 1111 1111 exp 12/27",
            "credit_card",
            "4111 1111 1111 1111",
        );
        assert_finds(
            "Amex: 3782-822463-10005.",
            "credit_card",
            "3782-822463-10005",
        );
        assert_finds(
            "pay with 5500000000000004 now",
            "credit_card",
            "5500000000000004",
        );
        assert_not_finds("ref 4111-1111-1111-1111-22", "credit_card");
        assert_not_finds("id 1111111111111117", "credit_card");
        // 19-digit UnionPay grouped 4-4-4-4-3, and a 16-digit card followed by its CVV.
        assert_finds(
            "card 6200 0000 0000 0000 000 exp",
            "credit_card",
            "6200 0000 0000 0000 000",
        );
        assert_finds(
            "card 4111 1111 1111 1111 123 exp",
            "credit_card",
            "4111 1111 1111 1111",
        );
        // Diners 38xx in the 4-6-4 grouping.
        assert_finds(
            "charged to 3800-000000-0006.",
            "credit_card",
            "3800-000000-0006",
        );
        // A 13-digit run is an EAN as often as an old Visa: only with context.
        assert_not_finds("EAN 4006381333932", "credit_card");
        assert_finds("Visa card 4222222222222", "credit_card", "4222222222222");
    }

    #[test]
    fn iban_check_agrees_with_the_shared_one() {
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        for country in ["DE", "GB", "FR", "NO", "MT", "LC"] {
            let len = iban_length(country.as_bytes()).expect("a listed country");
            for _ in 0..400 {
                let mut iban = country.to_string();
                rng.digits(&mut iban, 2);
                for _ in 4..len {
                    let k = rng.below(36);
                    iban.push(if k < 10 {
                        (b'0' + k as u8) as char
                    } else {
                        (b'A' + k as u8 - 10) as char
                    });
                }
                let found = iban_at(iban.as_bytes(), 0).is_some();
                let expected = checksum::iban_mod97(&iban) && iban[4..].bytes().any(|c| c != b'0');
                assert_eq!(found, expected, "{iban}");
            }
        }
    }

    #[test]
    fn numbers_inside_a_longer_chain_are_not_read_on_their_own() {
        // Five groups of four are no card, and the last four are its tail, not a card.
        assert!(raw("credit_card", "ref 1234 4111 1111 1111 1111 ok").is_empty());
        // A change of separator ends a chain: the next one is read from its start.
        assert_eq!(
            raw("credit_card", "1234-5678 4111 1111 1111 1111"),
            ["4111 1111 1111 1111"]
        );
        assert_eq!(
            raw("phone_number", "Tel: +49 30 12345678, fax 020 7946 0958"),
            ["+49 30 12345678", "020 7946 0958"]
        );
        assert_eq!(
            raw(
                "url",
                "go to https://a.example.com/?next=https://b.example.org/x now"
            ),
            ["https://a.example.com/?next=https://b.example.org/x"]
        );
    }

    #[test]
    fn iban_compact_and_grouped() {
        let hits = raw(
            "iban",
            "IBAN GB82 WEST 1234 5698 7654 32, or DE89370400440532013000.",
        );
        assert_eq!(
            hits,
            ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000"]
        );
        assert_eq!(
            raw("iban", "BE68 5390 0754 7034 EUR"),
            ["BE68 5390 0754 7034"]
        );
        assert_eq!(raw("iban", "NO9386011117947"), ["NO9386011117947"]);
        assert!(raw("iban", "DE89370400440532013001").is_empty());
        assert!(raw("iban", "DE8937040044053201300").is_empty());
        assert!(raw("iban", "XDE89370400440532013000").is_empty());
        assert!(raw("iban", "GB82 WEST 1234 5698 7654 33").is_empty());
        assert_finds(
            "Pay to FR14 2004 1010 0505 0001 3M02 606 today",
            "iban",
            "FR14 2004 1010 0505 0001 3M02 606",
        );
    }

    #[test]
    fn email_needs_a_known_suffix() {
        assert_eq!(
            raw("email_address", "mail john.doe+x@example.co.uk."),
            ["john.doe+x@example.co.uk"]
        );
        assert_eq!(
            raw("email_address", "<mailto:Jane_D@Sub.Example.COM>"),
            ["Jane_D@Sub.Example.COM"]
        );
        assert!(raw("email_address", "logo@2x.png").is_empty());
        assert!(raw("email_address", "root@localhost").is_empty());
        assert!(raw("email_address", "git@github.com:org/repo.git").is_empty());
        assert!(raw("email_address", "@types/node and @Override").is_empty());
        assert!(raw("email_address", "https://user:secret@db.example.com/x").is_empty());
        assert!(raw("email_address", "a..b@example.com").is_empty());
        assert_finds(
            "write to jane.doe@example.org today",
            "email_address",
            "jane.doe@example.org",
        );
    }

    #[test]
    fn email_wins_over_url_in_a_mailto_link() {
        let text = "see https://example.com/contact?to=jane.doe@example.com";
        assert_finds(text, "email_address", "jane.doe@example.com");
    }

    #[test]
    fn vat_check_digits() {
        for vat in [
            "ATU13585627",
            "BE0776091951",
            "CY10259033P",
            "CZ25123891",
            "DK13585628",
            "EE100931558",
            "EL094259216",
            "ESA13585625",
            "ES12345678Z",
            "ESX1234567L",
            "FI20774740",
            "FR40303265045",
            "HU12892312",
            "IE6388047V",
            "IT00743110157",
            "LT119511515",
            "LU15027442",
            "LV40003521600",
            "MT11679112",
            "NL004495445B01",
            "PL8567346215",
            "PT501964843",
            "RO18547290",
            "SE556188840401",
            "SI50223054",
            "HR33392005961",
            "DE 136 695 976",
        ] {
            assert!(valid_vat(vat), "{vat}");
        }
        for vat in [
            "ATU13585626",
            "BE0776091952",
            "CY10259033Q",
            "CZ25123892",
            "DK13585629",
            "EE100931559",
            "EL094259217",
            "ESA13585626",
            "ES12345678A",
            "FI20774741",
            "FR41303265045",
            "HU12892313",
            "IE6388047W",
            "IT00743110158",
            "LT119511516",
            "LU15027443",
            "LV40003521601",
            "MT11679113",
            "NL004495446B01",
            "PL8567346216",
            "PT501964844",
            "RO18547291",
            "SE556188840501",
            "SI50223055",
            "DE136695977",
        ] {
            assert!(!valid_vat(vat), "{vat}");
        }
        assert!(valid_vat_format_only("FRXA303265045"));
        assert!(!valid_vat_format_only("FR40303265045"));
    }

    #[test]
    fn vat_end_to_end() {
        assert_finds("VAT: DE136695976.", "eu_vat_number", "DE136695976");
        assert_finds(
            "Partita IVA IT00743110157",
            "eu_vat_number",
            "IT00743110157",
        );
        assert_not_finds("code DE136695977", "eu_vat_number");
        assert_finds(
            "TVA intracommunautaire FRXA303265045",
            "eu_vat_number_unchecked",
            "FRXA303265045",
        );
        assert_not_finds("ref FRXA303265045", "eu_vat_number_unchecked");
    }

    #[test]
    fn bitcoin_base58check_and_bech32() {
        assert!(valid_bitcoin("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"));
        assert!(valid_bitcoin("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
        assert!(valid_bitcoin("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
        // BIP 173 / BIP 350 vectors: v0 upper case, v1 (bech32m) with a 40-byte program, v16.
        assert!(valid_bitcoin("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));
        assert!(valid_bitcoin(
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y"
        ));
        assert!(valid_bitcoin("BC1SW50QGDZ25J"));
        assert!(!valid_bitcoin("BC1QW508D6QEJXTDG4C5R3ZARVARY0C5XW7KV8F3T4"));
        assert!(valid_bitcoin(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
        ));
        assert!(!valid_bitcoin("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"));
        assert!(!valid_bitcoin("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz"));
        assert!(!valid_bitcoin("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr"));
        assert!(!valid_bitcoin("bc1Qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
        assert_finds(
            "send 0.1 BTC to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            "bitcoin_address",
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        );
    }

    #[test]
    fn ethereum_eip55() {
        for a in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
            "0x52908400098527886e0f7030069857d2e4169ee7",
        ] {
            assert!(valid_ethereum(a), "{a}");
        }
        assert!(!valid_ethereum(
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"
        ));
        assert!(!valid_ethereum(
            "0x0000000000000000000000000000000000000000"
        ));
        assert_finds(
            "wallet 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.",
            "ethereum_address",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        );
        assert_not_finds(
            "tx 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00aa",
            "ethereum_address",
        );
    }

    #[test]
    fn imei_and_iccid() {
        assert!(valid_imei_formatted("49-015420-323751-8"));
        assert!(!valid_imei_formatted("49-015420-323751-7"));
        assert!(!valid_imei_formatted("49-015420 323751-8"));
        assert!(valid_imei_bare("490154203237518"));
        assert!(!valid_imei_bare("490154203237519"));
        assert_finds(
            "device 49-015420-323751-8 lost",
            "imei",
            "49-015420-323751-8",
        );
        assert_finds("IMEI: 490154203237518", "imei_bare", "490154203237518");
        assert_not_finds("order 490154203237518", "imei_bare");
        assert!(valid_iccid("8944500102198304826"));
        assert!(!valid_iccid("8944500102198304827"));
        assert_finds(
            "SIM ICCID 8944500102198304826",
            "icc_id",
            "8944500102198304826",
        );
        assert_not_finds("ref 8944500102198304826", "icc_id");
    }

    #[test]
    fn vin_check_digit() {
        assert!(valid_vin("1M8GDM9AXKP042788"));
        assert!(!valid_vin("11111111111111111"));
        assert!(!valid_vin("1M8GDM9A1KP042788"));
        assert_finds(
            "VIN 1M8GDM9AXKP042788 registered",
            "vin",
            "1M8GDM9AXKP042788",
        );
        assert_not_finds("VIN 1M8GDM9AXKP042789", "vin");
    }

    #[test]
    fn swift_needs_country_and_context() {
        assert!(valid_bic("DEUTDEFF"));
        assert!(valid_bic("NEDSZAJJXXX"));
        assert!(!valid_bic("DEUTUKFF"));
        assert_finds("SWIFT/BIC: DEUTDEFF500", "swift_bic", "DEUTDEFF500");
        assert_finds("BIC NEDSZAJJXXX", "swift_bic", "NEDSZAJJXXX");
        assert_not_finds("the DOCUMENT was SOFTWARE", "swift_bic");
    }

    #[test]
    fn mac_forms_and_rejections() {
        assert_eq!(
            raw("mac_address", "mac 00:1A:2B:3C:4D:5E."),
            ["00:1A:2B:3C:4D:5E"]
        );
        assert_eq!(
            raw("mac_address", "mac 00-1a-2b-3c-4d-5e"),
            ["00-1a-2b-3c-4d-5e"]
        );
        assert_eq!(raw("mac_address", "mac 001a.2b3c.4d5e"), ["001a.2b3c.4d5e"]);
        assert!(raw("mac_address", "00:00:00:00:00:00 ff:ff:ff:ff:ff:ff").is_empty());
        assert!(raw("mac_address", "00:1A:2B-3C:4D:5E").is_empty());
        assert!(raw("mac_address", "SHA1 Fingerprint=00:1A:2B:3C:4D:5E:6F:70:81").is_empty());
        assert_finds(
            "device 00:1A:2B:3C:4D:5E",
            "mac_address",
            "00:1A:2B:3C:4D:5E",
        );
    }

    #[test]
    fn ipv4_validates_octets_and_skips_versions() {
        assert_eq!(
            raw("ipv4", "from 192.168.1.20 and 8.8.8.8."),
            ["192.168.1.20", "8.8.8.8"]
        );
        assert_eq!(
            raw("ipv4", "10.0.0.1:8080 and 10.0.0.0/8"),
            ["10.0.0.1", "10.0.0.0"]
        );
        assert!(raw("ipv4", "network 192.168.1.0 is ours").is_empty());
        assert!(raw("ipv4", "pip install foo==1.22.3.4 bar>=10.2.3.4").is_empty());
        assert!(raw(
            "ipv4",
            "__version__ = \"10.2.3.4\" and APP_VERSION: 10.2.3.4"
        )
        .is_empty());
        assert_finds("dns server 1.1.1.1", "ipv4", "1.1.1.1");
        assert_not_finds("Microsoft.NETCore.App 6.0.2.5", "ipv4");
        assert!(raw("ipv4", "256.1.1.1 1.2.3 1.2.3.4.5 01.2.3.4").is_empty());
        assert!(raw("ipv4", "version 1.2.3.4, v1.2.3.4, Version: 10.0.19041.1").is_empty());
        assert!(raw("ipv4", "127.0.0.1 0.0.0.0 255.255.255.0 1.3.6.1.4.1.311").is_empty());
        assert_finds("client ip 203.0.113.7 connected", "ipv4", "203.0.113.7");
        assert_not_finds("upgrade to release 2.4.1.7 now", "ipv4");
    }

    #[test]
    fn ipv6_full_and_compressed() {
        assert_eq!(
            raw("ipv6", "addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334."),
            ["2001:0db8:85a3:0000:0000:8a2e:0370:7334"]
        );
        assert_eq!(
            raw("ipv6", "fe80::1ff:fe23:4567:890a%eth0"),
            ["fe80::1ff:fe23:4567:890a"]
        );
        assert_eq!(raw("ipv6", "net 2001:db8::/32"), ["2001:db8::"]);
        assert_eq!(raw("ipv6", "::ffff:192.0.2.128"), ["::ffff:192.0.2.128"]);
        assert!(raw("ipv6", "::1 :: a::b std::vector dead::beef 10:30:00").is_empty());
        assert!(raw("ipv6", "00:1A:2B:3C:4D:5E").is_empty());
        assert_finds(
            "host 2001:db8::8a2e:370:7334 up",
            "ipv6",
            "2001:db8::8a2e:370:7334",
        );
    }

    #[test]
    fn urls_with_scheme_or_www() {
        assert_eq!(
            raw("url", "see https://example.com/a?b=1#c."),
            ["https://example.com/a?b=1#c"]
        );
        assert_eq!(
            raw("url", "(https://en.wikipedia.org/wiki/Foo_(bar))"),
            ["https://en.wikipedia.org/wiki/Foo_(bar)"]
        );
        assert_eq!(
            raw("url", "visit www.example.org, now"),
            ["www.example.org"]
        );
        assert_eq!(
            raw("url", "ftp://203.0.113.9/pub"),
            ["ftp://203.0.113.9/pub"]
        );
        assert!(raw("url", "http://localhost:8080/x http://foo.invalidtld/").is_empty());
        assert!(raw("url", "xmlns=\"http://www.w3.org/2000/svg\"").is_empty());
        assert_finds(
            "profile at https://social.example.net/@jane",
            "url",
            "https://social.example.net/@jane",
        );
        assert_finds(
            "http://192.168.1.1/admin",
            "url",
            "http://192.168.1.1/admin",
        );
    }

    #[test]
    fn phones_international_and_national() {
        for (text, expected) in [
            ("Call +1 (415) 555-2671 now", "+1 (415) 555-2671"),
            ("ring +44 (0)20 7946 0958.", "+44 (0)20 7946 0958"),
            ("+49 30 12345678", "+49 30 12345678"),
            ("+33 1 42 68 53 00", "+33 1 42 68 53 00"),
            ("+919876543210", "+919876543210"),
            ("(415) 555-2671", "(415) 555-2671"),
            ("415-555-2671", "415-555-2671"),
            ("415.555.2671", "415.555.2671"),
            ("1-800-555-0199", "1-800-555-0199"),
            ("020 7946 0958", "020 7946 0958"),
            ("030 12345678", "030 12345678"),
            ("089/1234567", "089/1234567"),
            ("01 42 68 53 00", "01 42 68 53 00"),
            ("98450 12345", "98450 12345"),
            ("(11) 91234-5678", "(11) 91234-5678"),
            ("(02) 9876 5432", "(02) 9876 5432"),
            ("0412 345 678", "0412 345 678"),
            ("03-1234-5678", "03-1234-5678"),
            ("010-1234-5678", "010-1234-5678"),
            ("138 0013 8000", "138 0013 8000"),
            ("612 34 56 78", "612 34 56 78"),
            ("06 12345678", "06 12345678"),
            ("55 1234 5678", "55 1234 5678"),
            ("082 123 4567", "082 123 4567"),
            ("0803 123 4567", "0803 123 4567"),
            ("070-123 45 67", "070-123 45 67"),
            ("22 345 67 89", "22 345 67 89"),
            ("0532 123 45 67", "0532 123 45 67"),
            ("087 123 4567", "087 123 4567"),
            ("044 668 18 00", "044 668 18 00"),
            ("0044 20 7946 0958", "0044 20 7946 0958"),
            ("415-555-2671x123", "415-555-2671"),
            ("phone: 4155552671", "4155552671"),
            ("Tel. 91234567", "91234567"),
            ("WhatsApp 9123 4567", "9123 4567"),
            // Customary groupings of ranges libphonenumber does not list are still reported.
            ("Leclerc;07 26 73 80 17;Montpellier", "07 26 73 80 17"),
            ("\"phone\": \"0479 736 741\"", "0479 736 741"),
            ("+61 483 542 277", "+61 483 542 277"),
            ("Call me at 929 567 401.", "929 567 401"),
            ("my cell is 08-665 765", "08-665 765"),
            ("Tel: 089 9943 7393", "089 9943 7393"),
            ("020 486 9111", "020 486 9111"),
            ("050-802-4731", "050-802-4731"),
            ("337 3267454", "337 3267454"),
            ("jeroen.jansen@gmail.com;06-90012984;Haarlem", "06-90012984"),
            (
                "was placed at 20210919T175117Z.138 8582 1078。",
                "138 8582 1078",
            ),
            ("联系电话 15089085621。", "15089085621"),
        ] {
            assert_eq!(raw("phone_number", text), [expected], "{text}");
        }
    }

    #[test]
    fn phone_look_alikes_are_not_reported() {
        for text in [
            "4155552671",
            "id 02079460958",
            "2024-01-15 10:30:00",
            "15.01.2024",
            "version 1.2.3.4",
            "price $1,234.56",
            "order #2024-001234",
            "Order 2024-001234",
            "550e8400-e29b-41d4-a716-446655440000",
            "total 1 234 567",
            "123 456 789",
            "555-555-5555",
            "123-456-7890",
            "3.14159265",
            "192.168.1.1",
            "4111 1111 1111 1111",
            "+1234",
            "x+14155552671",
            "€ 415 555 2671",
            "1.2.3",
            "9123 4567",
            "929 567 401",
            "15089085621",
            "kernel: [321.072325] eth0: link up",
            "+100 200 300",
            "+0.5%",
            "pi is 3.141 592 6535",
            "415.555.267 rows",
        ] {
            assert!(
                raw("phone_number", text).is_empty(),
                "{text}: {:?}",
                raw("phone_number", text)
            );
        }
        // A context word does not carry over a number to the next one.
        assert_eq!(
            raw(
                "phone_number",
                "phone number is +46 73 907 08 64. Order 3506684981 was placed"
            ),
            ["+46 73 907 08 64"]
        );
        assert_eq!(
            raw(
                "phone_number",
                "Tel: 089 9893 5815. Build 125.0.5649.157 from commit"
            ),
            ["089 9893 5815"]
        );
    }

    #[test]
    fn phones_end_to_end() {
        assert_finds(
            "Reach me on +1 415-555-2671.",
            "phone_number",
            "+1 415-555-2671",
        );
        assert_finds("mobile 07400 123456", "phone_number", "07400 123456");
        assert_not_finds("invoice 4155552671 paid", "phone_number");
    }

    #[test]
    fn dates_in_prose_not_in_timestamps() {
        for (text, expected) in [
            ("on 2024-01-15 we met", "2024-01-15"),
            ("due 15/01/2024.", "15/01/2024"),
            ("due 01/15/2024", "01/15/2024"),
            ("am 15.01.2024", "15.01.2024"),
            ("on 12 March 1985", "12 March 1985"),
            ("on 12th of March, 1985", "12th of March, 1985"),
            ("on March 12, 1985", "March 12, 1985"),
            ("le 3 août 2021", "3 août 2021"),
            ("am 3. März 2021", "3. März 2021"),
            ("Feb 29, 2024", "Feb 29, 2024"),
        ] {
            assert_eq!(raw("date", text), [expected], "{text}");
        }
        for text in [
            "2024-01-15T10:30:00Z",
            "2024-01-15 10:30:00,123 INFO start",
            "2024-01-15 INFO start",
            "[2024-01-15] deploy",
            "backup-2024-01-15.tar.gz",
            "report_2024-01-15.csv",
            "logs/2024/01/15/app.log",
            "2024-02-30",
            "31/31/2024",
            "Feb 29, 2023",
            "1.2.2024",
            "v2024.01.15",
            "March 12, 1985 at 10:30",
            "12/03/85",
            "2024-13-01",
        ] {
            assert!(
                raw("date", text).is_empty(),
                "{text}: {:?}",
                raw("date", text)
            );
        }
        assert_eq!(raw("date_of_birth", "DOB: 12/03/85"), ["12/03/85"]);
        assert_eq!(
            raw("date_of_birth", "birthday is 1990.05.28."),
            ["1990.05.28"]
        );
        assert_eq!(
            raw("date_of_birth", "生年月日：1995年7月20日"),
            ["1995年7月20日"]
        );
        assert_eq!(
            raw("date_of_birth", "생년월일: 1941년 2월 27일"),
            ["1941년 2월 27일"]
        );
        assert_eq!(raw("date_of_birth", "נולדתי ב-05/01/1956"), ["05/01/1956"]);
        // A Japanese block-lot address is not a date with a two-digit year.
        assert!(raw("date_of_birth", "誕生日 1972/01/06 住所：4-8-15 Sakae").len() == 1);
        // Records and code literals are data, not prose.
        for text in [
            "2023-11-12,eu-central-1,29057605",
            "x,2023-11-12,y",
            "WHERE created_at >= '2023-03-01'",
        ] {
            assert!(raw("date", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn date_of_birth_needs_context_and_wins_over_date() {
        assert_finds("Date of birth: 12/03/1985", "date_of_birth", "12/03/1985");
        assert_finds(
            "born on 4 July 1976 in Ohio",
            "date_of_birth",
            "4 July 1976",
        );
        assert_finds("Geburtsdatum 03.12.1985", "date_of_birth", "03.12.1985");
        assert_finds(
            "Kunde: Jürgen Koch. geb. 07.01.1954.",
            "date_of_birth",
            "07.01.1954",
        );
        assert_finds("doğum tarihi: 24.03.1974", "date_of_birth", "24.03.1974");
        assert_finds(
            "我叫张伟。出生日期：2001/01/02。",
            "date_of_birth",
            "2001/01/02",
        );
        assert_not_finds("the NATO summit on 12 July 2024", "date_of_birth");
        assert_finds("the meeting on 2024-03-05 went well", "date", "2024-03-05");
        assert_not_finds("the meeting on 2024-03-05 went well", "date_of_birth");
        assert_not_finds("2024-03-05 10:15:00 started", "date");
    }

    #[test]
    fn mrn_needs_context() {
        assert_finds("MRN: 00482917", "medical_record_number", "00482917");
        assert_finds(
            "Patient ID AB-4829173 admitted",
            "medical_record_number",
            "AB-4829173",
        );
        assert_not_finds("ticket 4829173 closed", "medical_record_number");
        assert_not_finds("MRN: 1111111", "medical_record_number");
    }

    #[test]
    fn benign_text_has_no_global_findings() {
        let benign = "2024-01-15T10:30:00Z INFO request id=550e8400-e29b-41d4-a716-446655440000 took 35ms\n\
            2024-01-15 10:30:00,123 WARN retry 3/5 at commit 9fceb02d0ae598e95dc970b74767f19372d61af8\n\
            Upgraded to version 1.2.3.4 (build 20240115); total $1,234.56 for order #2024-001234.\n\
            sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, counter 1048576,\n\
            invoice INV-2024-0042 of 12 items, 3.14159 pi, port 8080, pid 4242, uptime 99.95%.\n\
            let x = a::b::c(); std::vector<int> v; if (i == 10) { return 0x7fffffff; }\n\
            aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZGF0YQ== 1700000000 1700000000123\n";
        let ours: Vec<&str> = SPECS.iter().map(|s| s.id).collect();
        let hits: Vec<_> = found(benign)
            .into_iter()
            .filter(|(d, _)| ours.contains(&d.as_str()))
            .collect();
        assert!(hits.is_empty(), "{hits:?}");
    }

    #[test]
    fn month_names_are_found_in_either_case() {
        for &(name, month) in MONTHS {
            let text = format!("{name}. ");
            assert!(month_may_start(text.as_bytes(), 0), "{name}");
            assert!(month_may_start(name.to_uppercase().as_bytes(), 0), "{name}");
            assert_eq!(
                month_at(text.as_bytes(), 0).map(|m| m.0),
                Some(month as u32),
                "{name}"
            );
            let upper = format!("{} ", name.to_uppercase());
            assert_eq!(
                month_at(upper.as_bytes(), 0).map(|m| m.0),
                Some(month as u32),
                "{name}"
            );
        }
    }

    #[test]
    fn trigger_words_sit_at_the_start_of_their_context_words() {
        let mrn = SPECS
            .iter()
            .find(|s| s.id == "medical_record_number")
            .expect("the MRN detector")
            .context;
        for (context, triggers) in [(DOB_CONTEXT, DOB_TRIGGERS), (mrn, MRN_TRIGGERS)] {
            for word in context {
                assert!(
                    triggers
                        .iter()
                        .any(|t| word.find(t).is_some_and(|at| at <= TRIGGER_SLACK)),
                    "{word}"
                );
            }
            assert!(triggers.iter().all(|t| t.len() <= TRIGGER_SLACK));
        }
    }

    #[test]
    fn trigger_words_report_the_occurrences_find_iter_reports() {
        // Overlapping occurrences (`dob` and `born`, `born` and `né`, `出生` and `生日`) are where a
        // non-overlapping search and a walk that reported every occurrence would differ.
        let texts = [
            "DOB: 12/03/1985, born in Lyon, née le 3 mai",
            "dobornéé d.o.birth geburt GEB. syntymäaika",
            "出生日期: 1990年5月28日, 生年月日 생년월일 생일",
            "bornato il 1990, nata il 2 maggio; nacidoB nascimento",
            "patient no. 1234567, medical record number MRN-998877, chart nr",
            "",
            "no trigger here at all",
        ];
        for words in [DOB_TRIGGERS, MRN_TRIGGERS] {
            let reference = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words)
                .unwrap();
            let walked = TriggerWords::new(words);
            for text in texts {
                let expected: Vec<usize> = reference.find_iter(text).map(|m| m.start()).collect();
                let mut starts = Vec::new();
                walked.each_start(text.as_bytes(), |at| starts.push(at));
                assert_eq!(starts, expected, "{text}");
            }
        }
    }

    #[test]
    fn phone_covered_reads_as_trying_every_start_would() {
        // The walk as first written: every start position is graded in full.
        fn reference(b: &[u8], p: usize) -> bool {
            let floor = p.saturating_sub(64);
            let mut i = p;
            while i > floor && is_phone_byte(b[i - 1]) {
                i -= 1;
            }
            while i < p {
                match phone_at(b, i) {
                    Some(h) if h.end > p => return true,
                    Some(h) => i = h.end,
                    None => i += 1,
                }
            }
            false
        }
        let texts = [
            "Tel: +33 6 85 04 53 09, fax +44 (0)20 7946-0958 or 020 7946 0958.",
            "call (415) 555-2671 ext 12 / 415.555.2671 / 1 415 555 2671",
            "card 4111 1111 1111 1111 123, IBAN FR76 3000 6000 0112 3456 7890 189",
            "born 1947-07-24 at 10:51Z.138 8582 1078, order 99438722298 (0) 20 1234",
            "06-12345678, 089/1234567, 0479 736 741, 12.345.678, +49 (30) (12) 345 678",
            "+81 90-1234-5678 +82 10-8783-6341 +86 138 0013 8000 00 44 20 7946 0958",
        ];
        for text in texts {
            let b = text.as_bytes();
            for p in 0..b.len() {
                assert_eq!(phone_covered(b, p), reference(b, p), "{text} at {p}");
            }
        }
    }

    #[test]
    fn date_starts_are_the_digits_and_the_month_initials() {
        let mut expected: Vec<u8> = (b'0'..=b'9').collect();
        for (name, _) in MONTHS {
            let first = name.as_bytes()[0];
            expected.extend([first.to_ascii_uppercase(), first.to_ascii_lowercase()]);
        }
        expected.sort_unstable();
        expected.dedup();
        let mut starts = DATE_STARTS.to_vec();
        starts.sort_unstable();
        assert_eq!(starts, expected);
    }

    #[test]
    fn decimal_writes_what_to_string_writes() {
        let mut buf = [0u8; 5];
        for n in [0u16, 1, 9, 10, 44, 99, 100, 358, 1000, 9999, 65535] {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }

    /// The phonenumber crate's own parse and validation, which the compiled metadata follows.
    fn crate_fit(region: Option<Id>, number: &str) -> Fit {
        static WIDEN: std::sync::Once = std::sync::Once::new();
        WIDEN.call_once(|| {
            if let Ok(mut cache) = DATABASE.cache().lock() {
                cache.set_capacity(4096);
            }
        });
        let Ok(parsed) = phonenumber::parse(region, number) else {
            return Fit::None;
        };
        if phonenumber::is_valid(&parsed) {
            return Fit::Valid;
        }
        let len = parsed.national().to_string().len() as u16;
        let possible = DATABASE
            .by_code(&parsed.code().value())
            .is_some_and(|metas| {
                metas.iter().any(|m| {
                    let d = m.descriptors();
                    [d.fixed_line(), d.mobile()]
                        .into_iter()
                        .flatten()
                        .any(|desc| desc.possible_length().contains(&len))
                })
            });
        if possible {
            Fit::Possible
        } else {
            Fit::None
        }
    }

    /// A small deterministic generator for differential tests.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn digits(&mut self, out: &mut String, n: usize) {
            for _ in 0..n {
                out.push((b'0' + self.below(10) as u8) as char);
            }
        }
    }

    #[test]
    fn compiled_phone_metadata_agrees_with_the_crate() {
        use Id::*;
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let regions = [
            US, IT, IN, BR, MX, ES, PL, CN, SG, HK, GB, DE, JP, KR, AU, NG, NL, ZA, IE, IL, FI, SE,
            CH, TR, FR,
        ];
        for region in regions {
            let code = DATABASE
                .by_id(region.as_ref())
                .expect("a region of the database")
                .country_code()
                .to_string();
            for k in 0..240 {
                let mut number = match k % 8 {
                    0..=2 => "0".to_string(),
                    3 => "00".to_string(),
                    4 => "011".to_string(),
                    5 => code.clone(),
                    _ => String::new(),
                };
                let len = 6 + rng.below(9);
                let fill = len.saturating_sub(number.len());
                rng.digits(&mut number, fill);
                assert_eq!(
                    phone_fit_national(region, number.as_bytes()),
                    crate_fit(Some(region), &number),
                    "{region:?} {number}"
                );
            }
        }
        for code in 1..MAX_CALLING_CODE as u16 {
            if DATABASE.by_code(&code).is_none() {
                continue;
            }
            for k in 0..16 {
                let mut number = code.to_string();
                if k % 4 == 0 {
                    number.push('0');
                }
                let fill = 4 + rng.below(10);
                rng.digits(&mut number, fill);
                assert_eq!(
                    phone_fit_international(number.as_bytes()),
                    crate_fit(None, &format!("+{number}")),
                    "+{number}"
                );
            }
        }
    }

    mod streaming {
        use crate::dlp::scanner::Scanner;
        use crate::dlp::stream::StreamScanner;
        use proptest::prelude::*;

        /// Pieces that build and break this file's identifiers when glued in random order.
        const PIECES: &[&str] = &[
            "Call +1 (415) 555-2671 ",
            "born on 12 March 1985 ",
            "jane.doe@example.org ",
            "see https://example.com/a?b=1 ",
            "GB82 WEST 1234 5698 7654 32 ",
            "192.168.1.20 ",
            "00:1A:2B:3C:4D:5E ",
            "2001:db8::8a2e:370:7334 ",
            "4111 1111 1111 1111 123 ",
            "2024-01-15 10:30:00 ",
            "phone: ",
            "0479 736 741",
            " 12",
            ".",
            "-",
            "\n",
            "2024",
            "-01-15 ",
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(24))]
            // Long enough to exceed the scanner's held-back tail, so text is released mid-stream.
            #[test]
            fn streaming_finds_what_a_whole_scan_finds(
                picks in proptest::collection::vec(0..PIECES.len(), 300..900),
                raw_cuts in proptest::collection::vec(0usize..20_000, 0..24),
            ) {
                let text: String = picks.iter().map(|&i| PIECES[i]).collect();
                let scanner = Scanner::builtin();
                let whole = scanner.scan(&text);
                let mut cuts: Vec<usize> = raw_cuts.iter().map(|c| c % (text.len() + 1)).collect();
                cuts.sort_unstable();
                let mut stream = StreamScanner::new(scanner);
                let mut streamed = Vec::new();
                let mut last = 0;
                for cut in cuts.into_iter().chain([text.len()]) {
                    streamed.extend(stream.push(&text[last..cut]).unwrap().findings);
                    last = cut;
                }
                streamed.extend(stream.finish().unwrap().findings);
                prop_assert_eq!(streamed, whole);
            }
        }
    }
}
