//! Personal identifiers issued by one country: tax, social security, health and identity numbers.
//!
//! European countries live in `europe.rs`; this file holds the rest of the world.
//!
//! Precision policy: a bare digit run guarded by one weak check digit (Luhn, mod 10, mod 11) is
//! only reported next to a context word, because the same 9-13 digit runs are order numbers,
//! timestamps and phone numbers (and other countries' identifiers). Such identifiers get two
//! specs sharing one category: the distinctive written form (`123-45-6789`, `A123456(3)`) that
//! stands on its own, and a `_bare` spec for the plain digit run that needs context.

use crate::dlp::checksum;
use crate::dlp::detector::{Matcher, Spec, Start, Validator};

/// Swallows a trailing `-12`, `.5`, `/3` or `-4abc` so that `123-45-6789-01`, `123456789.50` or
/// the digit groups inside a UUID are seen whole and then rejected (by the length check, or by
/// [`digit_body`] for letters), rather than reported as an identifier inside a longer token: the
/// scanner only requires the byte after a match not to be a word byte.
macro_rules! tail {
    () => {
        r"(?:[-./][0-9A-Za-z]+)*"
    };
}

/// `tail!` for shapes grouped by spaces: `2345 6789 0124 5678` (a card) or `2345 6789 0124 A12B`
/// (an IBAN) is a longer code, not an Aadhaar followed by a word. A following space-separated
/// group is swallowed only if it holds a digit, so ordinary words after the value are not.
macro_rules! tail_spaced {
    () => {
        r"(?:[-./][0-9A-Za-z]+| [A-Za-z]*[0-9][0-9A-Za-z]*)*"
    };
}

/// Confidence of a checksum-validated identifier that is only reported next to a context word.
/// With the word (+0.2) it reaches 0.96 and so outranks `phone_number` (0.9 with its own
/// context words) and `credit_card` (0.95), which also claim spaced or bare digit runs.
const CONTEXT_CHECKED: f32 = 0.76;

/// Room in `max_len` for what `tail!` swallows, so a long tail (the last 12-character group of a
/// UUID) is not cut short and the identifier-shaped prefix accepted.
const TAIL_ROOM: u16 = 24;

/// Latest plausible birth year for identifiers that embed a four-digit year.
const LATEST_BIRTH_YEAR: u64 = 2030;

const fn anchored(
    start: Start,
    first_run: (u8, u8),
    pattern: &'static str,
    max_len: u16,
    validate: Validator,
) -> Matcher {
    Matcher::Anchored {
        start,
        first_run,
        pattern,
        max_len,
        validate: Some(validate),
    }
}

#[allow(clippy::too_many_arguments)]
const fn national(
    id: &'static str,
    category: &'static str,
    country: &'static str,
    validation: &'static str,
    confidence: f32,
    context: &'static [&'static str],
    context_required: bool,
    matcher: Matcher,
) -> Spec {
    Spec {
        country: Some(country),
        validation,
        confidence,
        context,
        context_required,
        ..Spec::pii(id, category, matcher)
    }
}

const SSN_CONTEXT: &[&str] = &[
    "ssn",
    "ssns",
    "social security",
    "social security number",
    "social security no",
    "soc sec",
    "ss number",
];
const ITIN_CONTEXT: &[&str] = &[
    "itin",
    "individual taxpayer",
    "individual taxpayer identification",
    "taxpayer identification number",
    "tin",
];
const CA_SIN_CONTEXT: &[&str] = &[
    "sin",
    "sin number",
    "sin no",
    "social insurance",
    "social insurance number",
    "numéro d'assurance sociale",
    "assurance sociale",
    "nas",
];
const AU_ABN_CONTEXT: &[&str] = &["abn", "australian business number", "business number"];
const HKID_CONTEXT: &[&str] = &[
    "hkid",
    "hong kong id",
    "hong kong identity",
    "hong kong identity card",
    "香港身份證",
    "身份證",
    "身份證號碼",
];
const KR_RRN_CONTEXT: &[&str] = &[
    "rrn",
    "resident registration",
    "resident registration number",
    "주민등록번호",
    "주민번호",
    "외국인등록번호",
];
const TH_ID_CONTEXT: &[&str] = &[
    "thai id",
    "thai national id",
    "national id",
    "citizen id",
    "id card",
    "เลขประจำตัวประชาชน",
    "บัตรประชาชน",
];
const MY_NRIC_CONTEXT: &[&str] = &[
    "nric",
    "mykad",
    "ic number",
    "ic no",
    "kad pengenalan",
    "no kp",
    "no. kp",
];
const CL_RUT_CONTEXT: &[&str] = &[
    "rut",
    "rol único tributario",
    "rol unico tributario",
    "rol único nacional",
];

const CPF_CONTEXT: &[&str] = &[
    "cpf",
    "cpf/mf",
    "cadastro de pessoas físicas",
    "cadastro de pessoa física",
    "cadastro de pessoas fisicas",
];

pub(super) static SPECS: &[Spec] = &[
    // ---------------------------------------------------------------- United States
    national(
        "us_ssn",
        "US_SSN",
        "US",
        "format",
        0.85,
        SSN_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (3, 3),
            concat!(r"[0-9]{3}[- ][0-9]{2}[- ][0-9]{4}", tail_spaced!()),
            11 + TAIL_ROOM,
            valid_ssn_formatted,
        ),
    ),
    national(
        "us_ssn_bare",
        "US_SSN",
        "US",
        "format",
        CONTEXT_CHECKED,
        SSN_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (9, 9),
            concat!(r"[0-9]{9}", tail!()),
            9 + TAIL_ROOM,
            valid_ssn_bare,
        ),
    ),
    national(
        "us_itin",
        "US_ITIN",
        "US",
        "format",
        0.8,
        ITIN_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (3, 3),
            concat!(r"9[0-9]{2}[- ][0-9]{2}[- ][0-9]{4}", tail!()),
            11 + TAIL_ROOM,
            valid_itin,
        ),
    ),
    national(
        "us_itin_bare",
        "US_ITIN",
        "US",
        "format",
        CONTEXT_CHECKED,
        ITIN_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (9, 9),
            concat!(r"9[0-9]{8}", tail!()),
            9 + TAIL_ROOM,
            valid_itin,
        ),
    ),
    national(
        "us_passport",
        "US_PASSPORT",
        "US",
        "context",
        0.6,
        &[
            "passport",
            "passport number",
            "passport no",
            "us passport",
            "u.s. passport",
            "travel document",
        ],
        true,
        anchored(
            Start::Alnum,
            (9, 9),
            concat!(r"[A-Z][0-9]{8}|[0-9]{9}", tail!()),
            9 + TAIL_ROOM,
            valid_passport_number,
        ),
    ),
    national(
        "us_driver_license",
        "US_DRIVER_LICENSE",
        "US",
        "context",
        0.6,
        &[
            "driver's license",
            "driver’s license",
            "drivers license",
            "driver license",
            "driver's licence",
            "drivers licence",
            "driving license",
            "driver's lic",
            "dl",
            "dln",
            "dl number",
            "license no",
            "license number",
            "licence number",
        ],
        true,
        anchored(
            Start::Alnum,
            (4, 16),
            concat!(
                r"[A-Z]{1,2}[0-9]{5,14}|[0-9]{7,12}|[A-Z][0-9]{3}(?:-[0-9]{2,4}){2,4}",
                r"|[0-9]{3}[A-Z]{2}[0-9]{4}|WDL[A-Z0-9]{9}",
                tail!()
            ),
            17 + TAIL_ROOM,
            valid_driver_license,
        ),
    ),
    national(
        "aba_routing_number",
        "ABA_ROUTING_NUMBER",
        "US",
        "aba_3_7_1",
        CONTEXT_CHECKED,
        &[
            "routing",
            "routing number",
            "routing no",
            "aba",
            "aba number",
            "rtn",
            "routing transit",
            "transit number",
            "ach",
            "wire",
        ],
        true,
        anchored(
            Start::Digit,
            (9, 9),
            concat!(r"[0-9]{9}", tail!()),
            9 + TAIL_ROOM,
            valid_aba,
        ),
    ),
    national(
        "us_npi",
        "US_NPI",
        "US",
        "luhn_80840",
        CONTEXT_CHECKED,
        &[
            "npi",
            "npi number",
            "national provider",
            "national provider identifier",
            "provider id",
            "provider number",
        ],
        true,
        anchored(
            Start::Digit,
            (10, 10),
            concat!(r"[12][0-9]{9}", tail!()),
            10 + TAIL_ROOM,
            valid_npi,
        ),
    ),
    national(
        "us_mbi",
        "US_MBI",
        "US",
        "format",
        0.7,
        &[
            "mbi",
            "medicare",
            "medicare number",
            "medicare beneficiary",
            "beneficiary identifier",
            "cms",
        ],
        false,
        anchored(
            Start::Digit,
            (4, 11),
            // Letters exclude S, L, O, I, B and Z (CMS MBI specification).
            concat!(
                r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9]-?",
                r"[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9]-?[AC-HJKMNP-RT-Y]{2}[0-9]{2}"
            ),
            13,
            valid_mbi,
        ),
    ),
    national(
        "us_dea",
        "US_DEA_NUMBER",
        "US",
        "dea",
        CONTEXT_CHECKED,
        &[
            "dea",
            "dea number",
            "dea no",
            "dea registration",
            "prescriber",
            "controlled substance",
            "registration number",
        ],
        true,
        anchored(
            Start::Upper,
            (9, 9),
            r"[ABCDEFGHJKLMPRSTUX][A-Z9][0-9]{7}",
            9,
            valid_dea,
        ),
    ),
    national(
        "us_ein",
        "US_EIN",
        "US",
        "prefix",
        0.6,
        &[
            "ein",
            "fein",
            "employer identification",
            "employer identification number",
            "employer id",
            "federal tax id",
            "federal tax identification",
            "federal employer",
            "tax id",
        ],
        true,
        anchored(
            Start::Digit,
            (2, 9),
            concat!(r"[0-9]{2}-[0-9]{7}|[0-9]{9}", tail!()),
            10 + TAIL_ROOM,
            valid_ein,
        ),
    ),
    // ---------------------------------------------------------------- United Kingdom
    national(
        "uk_nhs",
        "UK_NHS",
        "GB",
        "mod11",
        CONTEXT_CHECKED,
        &[
            "nhs",
            "nhs number",
            "nhs no",
            "nhs id",
            "national health service",
            "health service number",
        ],
        true,
        anchored(
            Start::Digit,
            (3, 10),
            concat!(r"[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{4}", tail_spaced!()),
            12 + TAIL_ROOM,
            valid_nhs,
        ),
    ),
    national(
        "uk_nino",
        "UK_NINO",
        "GB",
        "format",
        0.7,
        &[
            "national insurance",
            "national insurance number",
            "ni number",
            "ni no",
            "nino",
            "nic",
        ],
        false,
        anchored(
            Start::Upper,
            (2, 9),
            // Neither letter D, F, I, Q, U or V; the second letter not O (HMRC NIM39110).
            r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]",
            13,
            valid_nino,
        ),
    ),
    national(
        "uk_passport",
        "UK_PASSPORT",
        "GB",
        "context",
        // Just above `us_passport`, so a number next to "UK passport" is filed as British.
        0.62,
        &[
            "uk passport",
            "british passport",
            "gb passport",
            "united kingdom passport",
            "hmpo",
            "hm passport office",
        ],
        true,
        anchored(
            Start::Alnum,
            (9, 9),
            concat!(r"[0-9]{9}|[A-Z]{2}[0-9]{7}", tail!()),
            9 + TAIL_ROOM,
            valid_passport_number,
        ),
    ),
    national(
        "uk_postcode",
        "UK_POSTCODE",
        "GB",
        "format",
        0.6,
        &[
            "postcode",
            "post code",
            "postal code",
            "address",
            "uk postcode",
        ],
        false,
        anchored(
            Start::Upper,
            (2, 4),
            // Outward code (A9, A99, A9A, AA9, AA99, AA9A) with the Royal Mail letter rules, then the
            // inward code (digit + two letters without C, I, K, M, O, V). The inward part is
            // required: the outward part alone is any letter-digit pair.
            concat!(
                r"(?:[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)",
                r" [0-9][ABD-HJLNP-UW-Z]{2})|GIR 0AA"
            ),
            8,
            valid_uk_postcode,
        ),
    ),
    national(
        "uk_driving_licence",
        "UK_DRIVING_LICENCE",
        "GB",
        "structure",
        0.7,
        &[
            "driving licence",
            "driving license",
            "driver's licence",
            "drivers licence",
            "dvla",
            "licence number",
            "licence no",
        ],
        false,
        anchored(
            Start::Upper,
            (5, 16),
            r"[A-Z][A-Z9]{4} ?[0-9][0156][0-9][0-3][0-9][0-9] ?[A-Z][A-Z9][0-9][A-Z0-9]{2}",
            18,
            valid_uk_driving_licence,
        ),
    ),
    // ---------------------------------------------------------------- Canada
    national(
        "ca_sin",
        "CA_SIN",
        "CA",
        "luhn",
        // Only the dashed 3-3-3 form: spaced 3-3-3 is also how Spanish phone numbers and
        // space-grouped amounts are written, so it needs context (`ca_sin_bare`).
        0.75,
        CA_SIN_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (3, 3),
            concat!(r"[1-79][0-9]{2}-[0-9]{3}-[0-9]{3}", tail!()),
            11 + TAIL_ROOM,
            valid_ca_sin,
        ),
    ),
    national(
        "ca_sin_bare",
        "CA_SIN",
        "CA",
        "luhn",
        CONTEXT_CHECKED,
        CA_SIN_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (3, 9),
            concat!(
                r"[1-79][0-9]{2} [0-9]{3} [0-9]{3}|[1-79][0-9]{8}",
                tail_spaced!()
            ),
            11 + TAIL_ROOM,
            valid_ca_sin,
        ),
    ),
    // ---------------------------------------------------------------- Australia
    national(
        "au_tfn",
        "AU_TFN",
        "AU",
        "mod11",
        CONTEXT_CHECKED,
        &["tfn", "tax file number", "tax file no", "tax file"],
        true,
        anchored(
            Start::Digit,
            (3, 9),
            concat!(r"[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{3}", tail_spaced!()),
            11 + TAIL_ROOM,
            valid_au_tfn,
        ),
    ),
    national(
        "au_abn",
        "AU_ABN",
        "AU",
        "mod89",
        // The 2-3-3-3 spaced form with a mod-89 check passes for about 1 number in 89.
        0.85,
        AU_ABN_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (2, 2),
            concat!(r"[1-9][0-9] [0-9]{3} [0-9]{3} [0-9]{3}", tail_spaced!()),
            14 + TAIL_ROOM,
            valid_au_abn,
        ),
    ),
    national(
        "au_abn_bare",
        "AU_ABN",
        "AU",
        "mod89",
        CONTEXT_CHECKED,
        AU_ABN_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (11, 11),
            concat!(r"[1-9][0-9]{10}", tail!()),
            11 + TAIL_ROOM,
            valid_au_abn,
        ),
    ),
    national(
        "au_acn",
        "AU_ACN",
        "AU",
        "mod10",
        CONTEXT_CHECKED,
        &["acn", "australian company number", "company number", "arbn"],
        true,
        anchored(
            Start::Digit,
            (3, 9),
            concat!(r"[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{3}", tail_spaced!()),
            11 + TAIL_ROOM,
            valid_au_acn,
        ),
    ),
    national(
        "au_medicare",
        "AU_MEDICARE",
        "AU",
        "mod10",
        CONTEXT_CHECKED,
        &[
            "medicare",
            "medicare number",
            "medicare card",
            "medicare no",
            "irn",
        ],
        true,
        anchored(
            Start::Digit,
            (4, 11),
            // 8 digits + check digit + issue number, optionally the individual reference number.
            concat!(
                r"[2-6][0-9]{3} ?[0-9]{5} ?[0-9](?:[ /-]?[1-9])?",
                tail_spaced!()
            ),
            14 + TAIL_ROOM,
            valid_au_medicare,
        ),
    ),
    // ---------------------------------------------------------------- India
    national(
        "in_aadhaar",
        "IN_AADHAAR",
        "IN",
        "verhoeff",
        // The 4-4-4 grouping with Verhoeff stands alone; the bare 12-digit run is as often an
        // order or tracking number, so it needs context (`in_aadhaar_bare`).
        0.85,
        &[
            "aadhaar",
            "aadhar",
            "aadhaar number",
            "aadhaar no",
            "uidai",
            "uid",
        ],
        false,
        anchored(
            Start::Digit,
            (4, 4),
            concat!(r"[2-9][0-9]{3}[ -][0-9]{4}[ -][0-9]{4}", tail_spaced!()),
            14 + TAIL_ROOM,
            valid_aadhaar,
        ),
    ),
    national(
        "in_aadhaar_bare",
        "IN_AADHAAR",
        "IN",
        "verhoeff",
        CONTEXT_CHECKED,
        // Not "uid": `"uid": 482910375612` is common in JSON.
        &["aadhaar", "aadhar", "aadhaar number", "aadhaar no", "uidai"],
        true,
        anchored(
            Start::Digit,
            (12, 12),
            concat!(r"[2-9][0-9]{11}", tail!()),
            12 + TAIL_ROOM,
            valid_aadhaar,
        ),
    ),
    national(
        "in_pan",
        "IN_PAN",
        "IN",
        "format",
        // Letters at fixed positions and the holder-type letter make it distinctive enough to
        // stand alone; there is no check character.
        0.65,
        &[
            "pan",
            "pan card",
            "pan number",
            "pan no",
            "permanent account number",
            "income tax",
        ],
        false,
        anchored(
            Start::Upper,
            (10, 10),
            r"[A-Z]{3}[PCHFATBLJG][A-Z][0-9]{4}[A-Z]",
            10,
            valid_in_pan,
        ),
    ),
    national(
        "in_gstin",
        "IN_GSTIN",
        "IN",
        "mod36",
        0.9,
        &[
            "gstin",
            "gst",
            "gst number",
            "gst no",
            "gstn",
            "goods and services tax",
        ],
        false,
        anchored(
            Start::Digit,
            (15, 15),
            r"[0-9]{2}[A-Z]{3}[PCHFATBLJG][A-Z][0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]",
            15,
            valid_in_gstin,
        ),
    ),
    // ---------------------------------------------------------------- Singapore
    national(
        "sg_nric_fin",
        "SG_NRIC_FIN",
        "SG",
        "check_letter",
        0.9,
        &["nric", "fin", "ic number", "identity card", "singapore ic"],
        false,
        anchored(
            Start::Upper,
            (9, 9),
            r"[STFGM][0-9]{7}[A-Z]",
            9,
            valid_sg_nric,
        ),
    ),
    national(
        "sg_uen",
        "SG_UEN",
        "SG",
        "check_letter",
        0.7,
        &[
            "uen",
            "unique entity number",
            "acra",
            "company registration",
            "business registration",
            "registration no",
        ],
        false,
        anchored(
            Start::Alnum,
            (9, 10),
            r"[0-9]{8}[A-Z]|(?:18|19|20)[0-9]{7}[A-Z]|[RST][0-9]{2}[A-Z]{2}[0-9]{4}[A-Z]",
            10,
            valid_sg_uen,
        ),
    ),
    // ---------------------------------------------------------------- Brazil
    national(
        "br_cpf",
        "BR_CPF",
        "BR",
        "mod11_x2",
        // Written with its dash (and dots): two check digits and a shape of its own.
        0.85,
        CPF_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (3, 9),
            concat!(
                r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}|[0-9]{9}-[0-9]{2}",
                tail!()
            ),
            14 + TAIL_ROOM,
            valid_br_cpf,
        ),
    ),
    national(
        "br_cpf_bare",
        "BR_CPF",
        "BR",
        "mod11_x2",
        // Eleven bare digits: log sequence numbers pass the two checks one time in 100.
        CONTEXT_CHECKED,
        CPF_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (11, 11),
            concat!(r"[0-9]{11}", tail!()),
            11 + TAIL_ROOM,
            valid_br_cpf,
        ),
    ),
    national(
        "br_cnpj",
        "BR_CNPJ",
        "BR",
        "mod11_x2",
        // Two check digits, and every CNPJ that also passes Luhn must outrank `credit_card`
        // (0.95), which accepts any 12-19 digit Luhn run.
        0.96,
        &[
            "cnpj",
            "cnpj/mf",
            "cadastro nacional da pessoa jurídica",
            "cadastro nacional de pessoa jurídica",
        ],
        false,
        anchored(
            Start::Digit,
            (2, 14),
            // The written form may carry letters (alphanumeric CNPJ, issued from July 2026).
            concat!(
                r"[0-9]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}/[0-9A-Z]{4}-[0-9]{2}|[0-9]{14}",
                tail!()
            ),
            18 + TAIL_ROOM,
            valid_br_cnpj,
        ),
    ),
    // ---------------------------------------------------------------- China, Hong Kong, Taiwan
    national(
        "cn_resident_id",
        "CN_RESIDENT_ID",
        "CN",
        "date+mod11_2",
        // Province, birth date and MOD 11-2; must outrank `credit_card` on 18-digit runs.
        0.97,
        &[
            "身份证",
            "身份证号",
            "身份证号码",
            "居民身份证",
            "resident id",
            "chinese id",
            "id card",
        ],
        false,
        anchored(
            Start::Digit,
            (18, 18),
            r"[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx]",
            18,
            valid_cn_resident_id,
        ),
    ),
    national(
        "hk_hkid",
        "HK_HKID",
        "HK",
        "mod11",
        0.85,
        HKID_CONTEXT,
        false,
        anchored(
            Start::Upper,
            (7, 8),
            r"[A-Z]{1,2}[0-9]{6}\([0-9A]\)",
            11,
            valid_hkid,
        ),
    ),
    national(
        "hk_hkid_bare",
        "HK_HKID",
        "HK",
        "mod11",
        CONTEXT_CHECKED,
        HKID_CONTEXT,
        true,
        anchored(
            Start::Upper,
            (8, 9),
            r"[A-Z]{1,2}[0-9]{6}[0-9A]",
            9,
            valid_hkid,
        ),
    ),
    national(
        "tw_national_id",
        "TW_NATIONAL_ID",
        "TW",
        "mod10",
        CONTEXT_CHECKED,
        &[
            "身分證",
            "身份證",
            "身分證字號",
            "身分證號碼",
            "統一證號",
            "taiwan id",
            "national id",
            "roc id",
            "arc",
        ],
        true,
        anchored(
            Start::Upper,
            (10, 10),
            r"[A-Z][1289][0-9]{8}",
            10,
            valid_tw_id,
        ),
    ),
    // ---------------------------------------------------------------- Japan, Korea
    national(
        "jp_my_number",
        "JP_MY_NUMBER",
        "JP",
        "mod11",
        CONTEXT_CHECKED,
        &[
            "my number",
            "mynumber",
            "individual number",
            "マイナンバー",
            "個人番号",
        ],
        true,
        anchored(
            Start::Digit,
            (4, 12),
            concat!(r"[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}", tail_spaced!()),
            14 + TAIL_ROOM,
            valid_jp_my_number,
        ),
    ),
    national(
        "kr_rrn",
        "KR_RRN",
        "KR",
        "date+mod11",
        0.85,
        KR_RRN_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (6, 6),
            concat!(r"[0-9]{6}-[1-8][0-9]{6}", tail!()),
            14 + TAIL_ROOM,
            valid_kr_rrn,
        ),
    ),
    national(
        "kr_rrn_bare",
        "KR_RRN",
        "KR",
        "date+mod11",
        CONTEXT_CHECKED,
        KR_RRN_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (13, 13),
            concat!(r"[0-9]{6}[1-8][0-9]{6}", tail!()),
            13 + TAIL_ROOM,
            valid_kr_rrn,
        ),
    ),
    // ---------------------------------------------------------------- Mexico
    national(
        "mx_curp",
        "MX_CURP",
        "MX",
        "date+mod10",
        0.95,
        &[
            "curp",
            "clave única de registro de población",
            "clave unica de registro de poblacion",
        ],
        false,
        anchored(
            Start::Upper,
            (18, 18),
            r"[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{2}[A-Z]{3}[0-9A-Z][0-9]",
            18,
            valid_mx_curp,
        ),
    ),
    // ---------------------------------------------------------------- Thailand, Turkey
    national(
        "th_national_id",
        "TH_NATIONAL_ID",
        "TH",
        "mod11",
        0.85,
        TH_ID_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (1, 1),
            concat!(
                r"[1-8][- ][0-9]{4}[- ][0-9]{5}[- ][0-9]{2}[- ][0-9]",
                tail_spaced!()
            ),
            17 + TAIL_ROOM,
            valid_th_id,
        ),
    ),
    national(
        "th_national_id_bare",
        "TH_NATIONAL_ID",
        "TH",
        "mod11",
        CONTEXT_CHECKED,
        TH_ID_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (13, 13),
            concat!(r"[1-8][0-9]{12}", tail!()),
            13 + TAIL_ROOM,
            valid_th_id,
        ),
    ),
    national(
        "tr_tckn",
        "TR_TCKN",
        "TR",
        "mod10_x2",
        // Eleven bare digits: log sequence numbers pass the two checks one time in 100.
        CONTEXT_CHECKED,
        &[
            "tckn",
            "tc kimlik",
            "tc kimlik no",
            "t.c. kimlik",
            "kimlik no",
            "kimlik numarası",
            "turkish id",
        ],
        true,
        anchored(
            Start::Digit,
            (11, 11),
            concat!(r"[1-9][0-9]{10}", tail!()),
            11 + TAIL_ROOM,
            valid_tr_tckn,
        ),
    ),
    // ---------------------------------------------------------------- Africa, Middle East
    national(
        "za_id_number",
        "ZA_ID_NUMBER",
        "ZA",
        "date+luhn",
        // Every ZA id passes Luhn, so it must outrank `credit_card` (0.95) on 13-digit runs.
        0.96,
        &[
            "id number",
            "identity number",
            "south african id",
            "rsa id",
            "sa id",
            "id no",
        ],
        false,
        anchored(
            Start::Digit,
            (6, 13),
            concat!(
                r"[0-9]{2}[01][0-9][0-3][0-9] ?[0-9]{4} ?[012][89][0-9]",
                tail_spaced!()
            ),
            15 + TAIL_ROOM,
            valid_za_id,
        ),
    ),
    national(
        "ng_nin",
        "NG_NIN",
        "NG",
        "verhoeff",
        CONTEXT_CHECKED,
        &[
            "nin",
            "nin number",
            "nin slip",
            "nimc",
            "national identification number",
            "national identity number",
        ],
        true,
        anchored(
            Start::Digit,
            (11, 11),
            concat!(r"[0-9]{11}", tail!()),
            11 + TAIL_ROOM,
            valid_ng_nin,
        ),
    ),
    national(
        "il_id",
        "IL_ID",
        "IL",
        "luhn",
        CONTEXT_CHECKED,
        &[
            "teudat zehut",
            "id number",
            "identity number",
            "israeli id",
            "israel id",
            "תעודת זהות",
            "מספר זהות",
            "ת.ז",
            "ת\"ז",
        ],
        true,
        anchored(
            Start::Digit,
            (8, 9),
            concat!(r"[0-9]{8,9}", tail!()),
            9 + TAIL_ROOM,
            valid_il_id,
        ),
    ),
    // ---------------------------------------------------------------- Oceania, South-East Asia
    national(
        "nz_ird",
        "NZ_IRD",
        "NZ",
        "mod11",
        CONTEXT_CHECKED,
        &[
            "ird",
            "ird number",
            "ird no",
            "inland revenue",
            "nz tax number",
            "tax number",
        ],
        true,
        anchored(
            Start::Digit,
            (2, 9),
            concat!(r"[0-9]{2,3}-[0-9]{3}-[0-9]{3}|[0-9]{8,9}", tail!()),
            11 + TAIL_ROOM,
            valid_nz_ird,
        ),
    ),
    national(
        "ph_tin",
        "PH_TIN",
        "PH",
        // The BIR check digit is not published; the weighted mod-11 guess in other tools fails
        // on documented numbers, so only the shape is checked.
        "format",
        0.6,
        &[
            "tin",
            "tin no",
            "tin number",
            "bir",
            "bir tin",
            "taxpayer identification number",
        ],
        true,
        anchored(
            Start::Digit,
            (3, 3),
            concat!(r"[0-9]{3}-[0-9]{3}-[0-9]{3}", tail!()),
            11 + TAIL_ROOM,
            valid_ph_tin,
        ),
    ),
    national(
        "my_nric",
        "MY_NRIC",
        "MY",
        "date+place",
        0.8,
        MY_NRIC_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (6, 6),
            concat!(r"[0-9]{6}-[0-9]{2}-[0-9]{4}", tail!()),
            14 + TAIL_ROOM,
            valid_my_nric,
        ),
    ),
    national(
        "my_nric_bare",
        "MY_NRIC",
        "MY",
        "date+place",
        CONTEXT_CHECKED,
        MY_NRIC_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (12, 12),
            concat!(r"[0-9]{12}", tail!()),
            12 + TAIL_ROOM,
            valid_my_nric,
        ),
    ),
    // ---------------------------------------------------------------- Latin America
    national(
        "ar_dni",
        "AR_DNI",
        "AR",
        "context",
        0.6,
        &[
            "dni",
            "d.n.i",
            "documento nacional de identidad",
            "documento de identidad",
            "nro de documento",
        ],
        true,
        anchored(
            Start::Digit,
            (1, 8),
            concat!(r"[0-9]{1,2}\.[0-9]{3}\.[0-9]{3}|[0-9]{7,8}", tail!()),
            10 + TAIL_ROOM,
            valid_ar_dni,
        ),
    ),
    national(
        "cl_rut",
        "CL_RUT",
        "CL",
        "mod11",
        // Dotted digits, a dash and a mod-11 check character: a shape of its own.
        0.85,
        CL_RUT_CONTEXT,
        false,
        anchored(
            Start::Digit,
            (1, 2),
            r"[0-9]{1,2}\.[0-9]{3}\.[0-9]{3}-[0-9Kk]",
            12,
            valid_cl_rut,
        ),
    ),
    national(
        "cl_rut_bare",
        "CL_RUT",
        "CL",
        "mod11",
        CONTEXT_CHECKED,
        CL_RUT_CONTEXT,
        true,
        anchored(
            Start::Digit,
            (7, 8),
            r"[0-9]{7,8}-[0-9Kk]",
            10,
            valid_cl_rut,
        ),
    ),
    national(
        "co_cedula",
        "CO_CEDULA",
        "CO",
        "context",
        0.6,
        &[
            "cédula",
            "cedula",
            "cédula de ciudadanía",
            "cedula de ciudadania",
            "número de cédula",
            "c.c",
        ],
        true,
        anchored(
            Start::Digit,
            (1, 10),
            concat!(r"[0-9]{1,3}(?:\.[0-9]{3}){2,3}|[0-9]{6,10}", tail!()),
            13 + TAIL_ROOM,
            valid_co_cedula,
        ),
    ),
];

// -------------------------------------------------------------------- shared helpers

/// Digits all equal, or a run that climbs or falls by one (`123456789`, `9876543210`): the values
/// people type as examples and placeholders.
fn placeholder(d: &[u8]) -> bool {
    let same = all_same(d);
    let up = d.windows(2).all(|w| w[1] == (w[0] + 1) % 10);
    let down = d.windows(2).all(|w| w[0] == (w[1] + 1) % 10);
    d.is_empty() || same || up || down
}

/// Digits all equal. Identifiers with letters at fixed positions only reject this: their
/// textbook examples (`S1234567D`, `A123456789`, `AB1234563`) count as real values.
fn all_same(d: &[u8]) -> bool {
    d.iter().all(|&x| x == d[0])
}

/// Ends in five zeros: round counts and amounts rather than an issued number.
fn round(d: &[u8]) -> bool {
    d.len() >= 6 && d[d.len() - 5..].iter().all(|&x| x == 0)
}

/// The separators in `text` (every non-alphanumeric byte) are all the same byte, or absent.
fn one_separator(text: &str) -> bool {
    let mut seps = text.bytes().filter(|b| !b.is_ascii_alphanumeric());
    match seps.next() {
        None => true,
        Some(first) => seps.all(|b| b == first),
    }
}

/// The digits of a match that should hold nothing but digits and separators. A letter means
/// `tail!` swallowed a word-like continuation (`1234-5678-9012-4abc`): the result is then empty,
/// which every length check rejects.
fn digit_body(text: &str) -> Vec<u8> {
    if text.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Vec::new();
    }
    checksum::digits(text)
}

fn number(d: &[u8]) -> u64 {
    d.iter().fold(0, |n, &x| n * 10 + x as u64)
}

fn valid_date(year: u64, month: u64, day: u64) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A `yymmdd` date whose century is unknown: 29 February is allowed in years divisible by 4.
fn valid_yymmdd(d: &[u8]) -> bool {
    valid_date(2000 + number(&d[0..2]), number(&d[2..4]), number(&d[4..6]))
}

/// Value of an alphanumeric character as 0-9 then A=10 … Z=35.
fn alnum_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        _ => (c.to_ascii_uppercase() - b'A') as u32 + 10,
    }
}

// -------------------------------------------------------------------- validators

/// Aadhaar: Verhoeff; UIDAI never issues numbers starting with 0 or 1, nor palindromes.
fn valid_aadhaar(text: &str) -> bool {
    let d = digit_body(text);
    let palindrome = d.iter().eq(d.iter().rev());
    d.len() == 12
        && one_separator(text)
        && !palindrome
        && !placeholder(&d)
        && checksum::verhoeff_digits(&d)
}

/// SSA rules: area 000, 666 and 900-999 are never issued, nor group 00 or serial 0000.
fn ssn_issuable(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let (area, group, serial) = (number(&d[0..3]), number(&d[3..5]), number(&d[5..9]));
    // 078-05-1120 (the Woolworth wallet card) and 219-09-9999 (an SSA advertisement) are the
    // two published numbers that were printed as samples and later voided.
    let voided = matches!(number(d), 78_051_120 | 219_099_999);
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !voided
        && !d.iter().all(|&x| x == d[0])
}

/// `123-45-6789` stays detected on purpose: in the dashed form it is only ever written as an
/// SSN, users do paste it in that role, and masking it costs nothing. The bare run `123456789`
/// is a generic placeholder for any number and is rejected there.
fn valid_ssn_formatted(text: &str) -> bool {
    one_separator(text) && ssn_issuable(&digit_body(text))
}

fn valid_ssn_bare(text: &str) -> bool {
    let d = digit_body(text);
    d.len() == 9 && !placeholder(&d) && ssn_issuable(&d)
}

/// ITIN: area 9xx and group 50-65, 70-88, 90-92 or 94-99 (IRS).
fn valid_itin(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 9 || !one_separator(text) || d[0] != 9 || placeholder(&d) {
        return false;
    }
    let group = number(&d[3..5]);
    matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99) && number(&d[5..9]) != 0
}

fn valid_passport_number(text: &str) -> bool {
    let d = checksum::digits(text);
    let letters = text.bytes().filter(u8::is_ascii_alphabetic).count();
    let len_ok = matches!((letters, d.len()), (0, 9) | (1, 8) | (2, 7));
    len_ok && text.bytes().all(|b| b.is_ascii_alphanumeric()) && !placeholder(&d) && !round(&d)
}

fn valid_driver_license(text: &str) -> bool {
    let d = checksum::digits(text);
    let alnum = text.bytes().filter(u8::is_ascii_alphanumeric).count();
    // The dashed Florida/Illinois/Wisconsin shapes have at most 5 groups; a longer chain is a
    // longer number that `tail!` swallowed.
    let groups = text.split('-').count();
    let dashed_groups_digits = text
        .split('-')
        .skip(1)
        .all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    let charset_ok = text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    // Washington's `WDL` numbers are mostly letters; the other shapes have 5 to 15 digits.
    let digits_ok = if text.starts_with("WDL") {
        !d.is_empty()
    } else {
        (5..=15).contains(&d.len()) && !placeholder(&d) && !round(&d)
    };
    digits_ok && alnum <= 16 && groups <= 5 && charset_ok && dashed_groups_digits
}

/// ABA routing: weights 3, 7, 1 repeated, sum divisible by 10; the first two digits are a
/// Federal Reserve district (00-12), a thrift (21-32), an electronic code (61-72) or traveller's
/// cheques (80).
fn valid_aba(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 9 || placeholder(&d) {
        return false;
    }
    let prefix_ok = matches!(number(&d[0..2]), 0..=12 | 21..=32 | 61..=72 | 80);
    prefix_ok && checksum::weighted_sum(&d, &[3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 == 0
}

/// NPI: Luhn over the ten digits prefixed with the health-industry issuer `80840`.
fn valid_npi(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 10 || placeholder(&d) {
        return false;
    }
    let mut full = vec![8, 0, 8, 4, 0];
    full.extend_from_slice(&d);
    checksum::luhn_digits(&full)
}

/// MBI: both dashes or none.
fn valid_mbi(text: &str) -> bool {
    let dashes = text.bytes().filter(|&b| b == b'-').count();
    dashes == 0 || dashes == 2
}

/// DEA: d1+d3+d5 + 2*(d2+d4+d6); its last digit is d7.
fn valid_dea(text: &str) -> bool {
    let d = checksum::digits(&text[2..]);
    if d.len() != 7 || all_same(&d) {
        return false;
    }
    let sum = checksum::weighted_sum(&d, &[1, 2, 1, 2, 1, 2]);
    sum % 10 == d[6] as u32
}

/// EIN: the two-digit prefix must be one the IRS assigns (campus and online prefixes).
fn valid_ein(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 9 || placeholder(&d) || round(&d) {
        return false;
    }
    matches!(
        number(&d[0..2]),
        1..=6 | 10..=16 | 20..=27 | 30..=48 | 50..=68 | 71..=77 | 80..=88 | 90..=95 | 98 | 99
    )
}

/// NHS: weights 10..2 over nine digits; check = 11 - sum mod 11 (11 means 0, 10 is never issued).
fn valid_nhs(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 10 || !one_separator(text) || placeholder(&d) {
        return false;
    }
    let sum = checksum::weighted_sum(&d, &[10, 9, 8, 7, 6, 5, 4, 3, 2]);
    let check = (11 - sum % 11) % 11;
    check != 10 && check == d[9] as u32
}

/// NINO prefixes that are never allocated (besides the letter rules in the pattern).
fn valid_nino(text: &str) -> bool {
    let b = text.as_bytes();
    let prefix = [b[0], b[1]];
    let banned = matches!(
        &prefix,
        b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
    );
    let d = checksum::digits(text);
    let spaces = text.bytes().filter(|&c| c == b' ').count();
    // Written packed, fully spaced (`AB 12 34 56 C`) or with only the letters apart.
    !banned && d.len() == 6 && matches!(spaces, 0 | 2 | 4) && !d.iter().all(|&x| x == 0)
}

/// Rejects the tech look-alikes `M4 8GB`, `S3 2TB`: an outward-shaped token then a size.
fn valid_uk_postcode(text: &str) -> bool {
    let inward = &text.as_bytes()[text.len() - 2..];
    !matches!(inward, b"GB" | b"TB" | b"PB")
}

/// DVLA number: surname (padded with 9), decade, month (+50 for women), day, year digit,
/// initials, a digit and two check characters whose algorithm is not public.
fn valid_uk_driving_licence(text: &str) -> bool {
    let c: Vec<u8> = text.bytes().filter(|&b| b != b' ').collect();
    if c.len() != 16 {
        return false;
    }
    // Once the surname is padded with 9, only 9s may follow.
    if let Some(pad) = c[..5].iter().position(|&b| b == b'9') {
        if c[pad..5].iter().any(|&b| b != b'9') {
            return false;
        }
    }
    let month = (c[6] - b'0') as u32 * 10 + (c[7] - b'0') as u32;
    let day = (c[8] - b'0') as u32 * 10 + (c[9] - b'0') as u32;
    let month = if month > 50 { month - 50 } else { month };
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// SIN: Luhn; 0 is never issued and 8 is reserved for business numbers.
fn valid_ca_sin(text: &str) -> bool {
    let d = digit_body(text);
    d.len() == 9 && d[0] != 0 && d[0] != 8 && !placeholder(&d) && checksum::luhn_digits(&d)
}

/// TFN: weights 1, 4, 3, 7, 5, 8, 6, 9, 10; sum divisible by 11.
fn valid_au_tfn(text: &str) -> bool {
    let d = digit_body(text);
    d.len() == 9
        && one_separator(text)
        && !placeholder(&d)
        && checksum::weighted_sum(&d, &[1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 == 0
}

/// ABN: subtract 1 from the first digit, weights 10, 1, 3, 5 … 19, sum divisible by 89.
fn valid_au_abn(text: &str) -> bool {
    let mut d = digit_body(text);
    if d.len() != 11 || d[0] == 0 || placeholder(&d) {
        return false;
    }
    d[0] -= 1;
    checksum::weighted_sum(&d, &[10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]) % 89 == 0
}

/// ACN: weights 8..1 over eight digits; check = (10 - sum mod 10) mod 10.
fn valid_au_acn(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 9 || !one_separator(text) || placeholder(&d) {
        return false;
    }
    let sum = checksum::weighted_sum(&d, &[8, 7, 6, 5, 4, 3, 2, 1]);
    (10 - sum % 10) % 10 == d[8] as u32
}

/// Medicare: weights 1, 3, 7, 9, 1, 3, 7, 9 over the first eight digits; sum mod 10 is the
/// ninth. The tenth digit (issue number) is never 0.
fn valid_au_medicare(text: &str) -> bool {
    let d = digit_body(text);
    if !(10..=11).contains(&d.len()) || d[9] == 0 || placeholder(&d[..9]) {
        return false;
    }
    checksum::weighted_sum(&d, &[1, 3, 7, 9, 1, 3, 7, 9]) % 10 == d[8] as u32
}

fn valid_in_pan(text: &str) -> bool {
    let d = checksum::digits(text);
    d.len() == 4 && number(&d) != 0
}

/// GSTIN: state code, the holder's PAN, entity number, `Z`, and a check character: over the
/// first 14 characters (0-9, A-Z as 0..35) multiply by 1 and 2 alternately, add the quotient
/// and remainder of each product by 36; check = (36 - sum mod 36) mod 36.
fn valid_in_gstin(text: &str) -> bool {
    let b = text.as_bytes();
    let state = number(&checksum::digits(&text[..2]));
    if !matches!(state, 1..=38 | 97) || !valid_in_pan(&text[2..12]) {
        return false;
    }
    let sum: u32 = b[..14]
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let p = alnum_value(c) * if i % 2 == 0 { 1 } else { 2 };
            p / 36 + p % 36
        })
        .sum();
    (36 - sum % 36) % 36 == alnum_value(b[14])
}

/// NRIC/FIN: weights 2, 7, 6, 5, 4, 3, 2; T and G add 4, M adds 3; the remainder mod 11 picks
/// the letter from the series' table (the M table is read from the other end).
fn valid_sg_nric(text: &str) -> bool {
    let b = text.as_bytes();
    let d = checksum::digits(text);
    if d.len() != 7 || all_same(&d) {
        return false;
    }
    let offset = match b[0] {
        b'T' | b'G' => 4,
        b'M' => 3,
        _ => 0,
    };
    let r = ((checksum::weighted_sum(&d, &[2, 7, 6, 5, 4, 3, 2]) + offset) % 11) as usize;
    let expected = match b[0] {
        b'S' | b'T' => b"JZIHGFEDCBA"[r],
        b'F' | b'G' => b"XWUTRQPNMLK"[r],
        _ => b"KLJNPQRTUWX"[10 - r],
    };
    b[8] == expected
}

/// UEN entity types of the `T08LL1234A`-style numbers (uen.gov.sg).
const UEN_ENTITY_TYPES: &[&[u8; 2]] = &[
    b"CC", b"CD", b"CH", b"CL", b"CM", b"CP", b"CS", b"CX", b"DP", b"FB", b"FC", b"FM", b"FN",
    b"GA", b"GB", b"GS", b"HS", b"LL", b"LP", b"MB", b"MC", b"MD", b"MH", b"MM", b"MQ", b"NB",
    b"NR", b"PA", b"PB", b"PF", b"RF", b"RP", b"SM", b"SS", b"TC", b"TU", b"VH", b"XL",
];

/// UEN, three shapes with their own weights and check-letter tables: businesses (8 digits),
/// local companies (year + 5 digits) and other entities (`T`/`S`/`R` + year + type + 4 digits).
fn valid_sg_uen(text: &str) -> bool {
    let b = text.as_bytes();
    let check = b[b.len() - 1];
    if b.len() == 9 {
        let d = checksum::digits(text);
        let r = checksum::weighted_sum(&d, &[10, 4, 9, 3, 8, 2, 7, 1]) % 11;
        return !placeholder(&d) && check == b"XMKECAWLJDB"[r as usize];
    }
    if b[0].is_ascii_digit() {
        let d = checksum::digits(text);
        let r = checksum::weighted_sum(&d, &[10, 8, 6, 4, 9, 7, 5, 3, 1]) % 11;
        return number(&d[..4]) <= LATEST_BIRTH_YEAR && check == b"ZKCMDNERGWH"[r as usize];
    }
    if !UEN_ENTITY_TYPES.iter().any(|t| t[..] == b[3..5]) {
        return false;
    }
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWX0123456789";
    let mut sum = 0i64;
    for (&c, w) in b[..9].iter().zip([4, 3, 5, 3, 10, 2, 2, 5, 7]) {
        match ALPHABET.iter().position(|&a| a == c) {
            Some(v) => sum += v as i64 * w,
            None => return false,
        }
    }
    check == ALPHABET[(sum - 5).rem_euclid(11) as usize]
}

/// Brazilian mod-11 check digit: weights rise from 2 at the right; remainder < 2 gives 0.
fn br_check(values: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = values.iter().zip(weights).map(|(v, w)| v * w).sum();
    match sum % 11 {
        0 | 1 => 0,
        r => 11 - r,
    }
}

/// CPF: two mod-11 check digits (weights 10..2, then 11..2).
fn valid_br_cpf(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 11 || placeholder(&d) {
        return false;
    }
    let v: Vec<u32> = d.iter().map(|&x| x as u32).collect();
    br_check(&v[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]) == v[9]
        && br_check(&v[..10], &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) == v[10]
}

/// A 14-digit run that reads as `yyyymmddhhmmss` is a timestamp, not a CNPJ.
fn compact_timestamp(d: &[u8]) -> bool {
    let year = number(&d[0..4]);
    (1970..=2099).contains(&year)
        && valid_date(year, number(&d[4..6]), number(&d[6..8]))
        && number(&d[8..10]) < 24
        && number(&d[10..12]) < 60
        && number(&d[12..14]) < 60
}

/// CNPJ: two mod-11 check digits (weights 5..2,9..2 then 6..2,9..2). Characters count as
/// their ASCII code minus 48, which keeps digits as they are and covers alphanumeric CNPJs.
fn valid_br_cnpj(text: &str) -> bool {
    let v: Vec<u32> = text
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|c| (c - b'0') as u32)
        .collect();
    if v.len() != 14 || v[12] > 9 || v[13] > 9 {
        return false;
    }
    let d = checksum::digits(text);
    if d.len() == 14 && (placeholder(&d) || (!text.contains('/') && compact_timestamp(&d))) {
        return false;
    }
    let w1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    let w2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    br_check(&v[..12], &w1) == v[12] && br_check(&v[..13], &w2) == v[13]
}

/// Province-level codes that open a resident id (GB/T 2260).
fn cn_province(code: u64) -> bool {
    matches!(
        code,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83 | 91
    )
}

/// Resident id: province, a real birth date, and the ISO 7064 MOD 11-2 check character.
fn valid_cn_resident_id(text: &str) -> bool {
    let b = text.as_bytes();
    let d: Vec<u8> = b[..17].iter().map(|&c| c - b'0').collect();
    let year = number(&d[6..10]);
    cn_province(number(&d[0..2]))
        && year <= LATEST_BIRTH_YEAR
        && valid_date(year, number(&d[10..12]), number(&d[12..14]))
        && checksum::iso7064_mod11_2_check(&d) == b[17].to_ascii_uppercase()
}

/// HKID: letters as 10..35 (a missing first letter counts 36), weights 9..2, and the check
/// (0-9 or A for 10) brings the sum to a multiple of 11.
fn valid_hkid(text: &str) -> bool {
    let c: Vec<u8> = text.bytes().filter(u8::is_ascii_alphanumeric).collect();
    let (body, check) = c.split_at(c.len() - 1);
    let letters = body.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let mut values: Vec<u32> = Vec::with_capacity(8);
    if letters == 1 {
        values.push(36);
    }
    values.extend(body.iter().map(|&b| alnum_value(b)));
    if values.len() != 8 || all_same(&checksum::digits(&text[letters..letters + 6])) {
        return false;
    }
    let sum: u32 = values
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2])
        .map(|(v, w)| v * w)
        .sum();
    let expected = (11 - sum % 11) % 11;
    let got = match check[0] {
        b'A' => 10,
        x => (x - b'0') as u32,
    };
    got == expected
}

/// Taiwan id: the letter becomes a two-digit code (A=10 … with I, O, W, Z out of order); its
/// digits weigh 1 and 9, the next eight 8..1, the check 1; the total is a multiple of 10.
fn valid_tw_id(text: &str) -> bool {
    const CODES: &[u8; 26] = &[
        10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32,
        30, 31, 33,
    ];
    let b = text.as_bytes();
    let code = CODES[(b[0] - b'A') as usize] as u32;
    let d = checksum::digits(text);
    let sum = code / 10
        + (code % 10) * 9
        + checksum::weighted_sum(&d, &[8, 7, 6, 5, 4, 3, 2, 1])
        + d[8] as u32;
    !all_same(&d[1..]) && sum % 10 == 0
}

/// My Number: weights 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 over eleven digits; check = 11 - sum
/// mod 11, or 0 when the remainder is 0 or 1.
fn valid_jp_my_number(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 12 || !one_separator(text) || placeholder(&d) {
        return false;
    }
    let r = checksum::weighted_sum(&d, &[6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    check == d[11] as u32
}

/// RRN: the seventh digit gives sex and century (1/2/5/6: 1900s, 3/4/7/8: 2000s); the date must
/// exist; check = (11 - sum mod 11) mod 10 with weights 2..9, 2..5.
fn valid_kr_rrn(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 13 {
        return false;
    }
    let century = match d[6] {
        1 | 2 | 5 | 6 => 1900,
        3 | 4 | 7 | 8 => 2000,
        _ => return false,
    };
    let year = century + number(&d[0..2]);
    let sum = checksum::weighted_sum(&d, &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]);
    valid_date(year, number(&d[2..4]), number(&d[4..6]))
        && year <= LATEST_BIRTH_YEAR
        && (11 - sum % 11) % 10 == d[12] as u32
}

/// Two-letter codes of the 32 federal entities, plus `NE` (born abroad).
const CURP_STATES: &[&[u8; 2]] = &[
    b"AS", b"BC", b"BS", b"CC", b"CL", b"CM", b"CS", b"CH", b"DF", b"DG", b"GT", b"GR", b"HG",
    b"JC", b"MC", b"MN", b"MS", b"NT", b"NL", b"OC", b"PL", b"QT", b"QR", b"SP", b"SL", b"SR",
    b"TC", b"TS", b"TL", b"VZ", b"YN", b"ZS", b"NE",
];

/// CURP: a birth date (the 17th character is a digit for births before 2000, a letter after),
/// a state code, and a check digit: characters valued over `0-9 A-N Ñ O-Z` (37 symbols) with
/// weights 18..2; check = (10 - sum mod 10) mod 10.
fn valid_mx_curp(text: &str) -> bool {
    let b = text.as_bytes();
    let d = checksum::digits(&text[4..10]);
    let century = if b[16].is_ascii_digit() { 1900 } else { 2000 };
    let year = century + number(&d[0..2]);
    if !valid_date(year, number(&d[2..4]), number(&d[4..6]))
        || !CURP_STATES.iter().any(|s| s[..] == b[11..13])
    {
        return false;
    }
    // Ñ sits between N and O in the alphabet; it is written X in a CURP, so letters after N shift.
    let value = |c: u8| match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'A'..=b'N' => (c - b'A') as u32 + 10,
        _ => (c - b'A') as u32 + 11,
    };
    let sum: u32 = b[..17]
        .iter()
        .enumerate()
        .map(|(i, &c)| value(c) * (18 - i as u32))
        .sum();
    (10 - sum % 10) % 10 == (b[17] - b'0') as u32
}

/// Thai id: weights 13..2 over twelve digits; check = (11 - sum mod 11) mod 10.
fn valid_th_id(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 13 || !one_separator(text) || placeholder(&d) {
        return false;
    }
    let sum = checksum::weighted_sum(&d, &[13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    (11 - sum % 11) % 10 == d[12] as u32
}

/// TCKN: d10 = (7 * (d1+d3+d5+d7+d9) - (d2+d4+d6+d8)) mod 10; d11 = (d1 + … + d10) mod 10.
fn valid_tr_tckn(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 11 || d[0] == 0 || placeholder(&d) {
        return false;
    }
    let odd: i32 = [0, 2, 4, 6, 8].iter().map(|&i| d[i] as i32).sum();
    let even: i32 = [1, 3, 5, 7].iter().map(|&i| d[i] as i32).sum();
    let tenth = (7 * odd - even).rem_euclid(10) as u8;
    let eleventh = (d[..10].iter().map(|&x| x as u32).sum::<u32>() % 10) as u8;
    d[9] == tenth && d[10] == eleventh
}

/// South African id: `yymmdd`, four sequence digits, citizenship (0, 1, 2), a legacy 8 or 9,
/// and a Luhn check digit.
fn valid_za_id(text: &str) -> bool {
    let d = digit_body(text);
    d.len() == 13 && one_separator(text) && valid_yymmdd(&d) && checksum::luhn_digits(&d)
}

fn valid_ng_nin(text: &str) -> bool {
    let d = digit_body(text);
    d.len() == 11 && !placeholder(&d) && !round(&d) && checksum::verhoeff_digits(&d)
}

/// Teudat Zehut: nine digits (leading zeros often dropped), weights 1, 2 alternating with the
/// digits of each product summed: Luhn over the zero-padded number.
fn valid_il_id(text: &str) -> bool {
    let d = digit_body(text);
    (8..=9).contains(&d.len()) && !placeholder(&d) && !round(&d) && checksum::luhn_digits(&d)
}

/// IRD: 8 or 9 digits between 10,000,000 and 150,000,000; weights 3, 2, 7, 6, 5, 4, 3, 2 over
/// the zero-padded base, check = 11 - sum mod 11 (0 when the remainder is 0); a result of 10
/// retries with weights 7, 4, 3, 2, 5, 2, 7, 6 and is invalid if 10 again.
fn valid_nz_ird(text: &str) -> bool {
    let d = digit_body(text);
    if !(8..=9).contains(&d.len()) || !one_separator(text) || placeholder(&d) {
        return false;
    }
    let n = number(&d);
    if !(10_000_000..=150_000_000).contains(&n) {
        return false;
    }
    let mut base = [0u8; 8];
    let body = &d[..d.len() - 1];
    base[8 - body.len()..].copy_from_slice(body);
    for weights in [[3, 2, 7, 6, 5, 4, 3, 2], [7, 4, 3, 2, 5, 2, 7, 6]] {
        let r = checksum::weighted_sum(&base, &weights) % 11;
        let check = if r == 0 { 0 } else { 11 - r };
        if check != 10 {
            return check == d[d.len() - 1] as u32;
        }
    }
    false
}

/// PH TIN: 3-3-3, optionally a 3-5 digit branch code.
fn valid_ph_tin(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let d = digit_body(text);
    let shape_ok = match groups.len() {
        3 => true,
        4 => (3..=5).contains(&groups[3].len()),
        _ => false,
    };
    shape_ok && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') && !placeholder(&d[..9])
}

/// MyKad: `yymmdd` birth date and a place-of-birth code (states 01-16 and 21-59, countries
/// 60-68, 71-72, 74-79, 82-99).
fn valid_my_nric(text: &str) -> bool {
    let d = digit_body(text);
    if d.len() != 12 || !one_separator(text) || !valid_yymmdd(&d) {
        return false;
    }
    matches!(number(&d[6..8]), 1..=16 | 21..=59 | 60..=68 | 71 | 72 | 74..=79 | 82..=99)
}

fn valid_ar_dni(text: &str) -> bool {
    let d = digit_body(text);
    (7..=8).contains(&d.len())
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && d[0] != 0
        && !placeholder(&d)
        && !round(&d)
}

/// RUT: weights 2..7 repeating from the right; check = 11 - sum mod 11, 11 → 0, 10 → K.
fn valid_cl_rut(text: &str) -> bool {
    let (body, check) = text.split_at(text.len() - 1);
    let d = checksum::digits(body);
    if d.len() < 7 || all_same(&d) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .zip([2, 3, 4, 5, 6, 7].iter().cycle())
        .map(|(&x, &w)| x as u32 * w)
        .sum();
    let expected = match 11 - sum % 11 {
        11 => b'0',
        10 => b'K',
        n => b'0' + n as u8,
    };
    check.as_bytes()[0].to_ascii_uppercase() == expected
}

fn valid_co_cedula(text: &str) -> bool {
    let d = digit_body(text);
    (6..=10).contains(&d.len())
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && d[0] != 0
        && !placeholder(&d)
        && !round(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::testing::{assert_finds, assert_not_finds, found};

    /// Checks that every string passes `f`; the message names the failing one.
    #[track_caller]
    fn all_pass(f: Validator, values: &[&str]) {
        for v in values {
            assert!(f(v), "{v:?} should pass");
        }
    }

    #[track_caller]
    fn all_fail(f: Validator, values: &[&str]) {
        for v in values {
            assert!(!f(v), "{v:?} should fail");
        }
    }

    #[test]
    fn ids_are_unique_and_categories_match_ids() {
        let mut seen = std::collections::HashSet::new();
        for spec in SPECS {
            assert!(seen.insert(spec.id), "duplicate {}", spec.id);
            assert!(spec.country.is_some(), "{} has a country", spec.id);
            if spec.context_required {
                assert!(
                    !spec.context.is_empty(),
                    "{} requires context but has none",
                    spec.id
                );
            }
            assert!(
                (0.5..=0.99).contains(&spec.confidence),
                "{} confidence",
                spec.id
            );
        }
    }

    #[test]
    fn aadhaar() {
        // 2345 6789 0124: Verhoeff check digit computed for 23456789012.
        all_pass(valid_aadhaar, &["234567890124", "2345 6789 0124"]);
        all_fail(valid_aadhaar, &["234567890125", "234567890123"]);
        assert_finds("Aadhaar: 2345 6789 0124", "in_aadhaar", "2345 6789 0124");
        assert_finds("Ravi 2345-6789-0124", "in_aadhaar", "2345-6789-0124");
        assert_finds(
            "my Aadhaar number is 234567890124",
            "in_aadhaar_bare",
            "234567890124",
        );
        assert_not_finds("Tracking: 234567890124", "in_aadhaar_bare");
        // The first three groups of a longer spaced number.
        assert_not_finds("card 2345 6789 0124 5678 903", "in_aadhaar");
        assert_not_finds("ref 2345 6789-0124", "in_aadhaar");
        // Digit-only groups inside a UUID.
        assert_not_finds(
            "job 8b26cc6f-2345-6789-0124-4d3e5f6a7b8c done",
            "in_aadhaar",
        );
        // Inside an IBAN whose next group has letters.
        assert_not_finds("IBAN FR76 2345 6789 0124 A12B 345C 67", "in_aadhaar");
        assert_finds(
            "Aadhaar 2345 6789 0124 please",
            "in_aadhaar",
            "2345 6789 0124",
        );
        // 2345 4789 9127 passes Verhoeff; here it is a UUID whose last group is 12 characters.
        assert_finds("Aadhaar 2345 4789 9127", "in_aadhaar", "2345 4789 9127");
        assert_not_finds(
            "job 8b26cc6f-2345-4789-9127-a1b2c3d4e5f6 done",
            "in_aadhaar",
        );
    }

    // ------------------------------------------------------------ United States

    #[test]
    fn ssn_rules() {
        all_pass(
            valid_ssn_formatted,
            &["536-22-8465", "536 22 8465", "123-45-6789"],
        );
        all_fail(
            valid_ssn_formatted,
            &[
                "000-12-3456",
                "666-12-3456",
                "912-34-5678",
                "536-00-8465",
                "536-22-0000",
                "078-05-1120",
                "219-09-9999",
                "555-55-5555",
                "536-22 8465",
                "536-22-8465-12",
            ],
        );
        all_pass(valid_ssn_bare, &["536228465"]);
        all_fail(
            valid_ssn_bare,
            &["123456789", "987654321", "111111111", "666228465"],
        );
    }

    #[test]
    fn ssn_end_to_end() {
        assert_finds("Employee 536-22-8465 joined", "us_ssn", "536-22-8465");
        assert_finds("SSN: 536228465", "us_ssn_bare", "536228465");
        assert_not_finds("tracking 536228465 shipped", "us_ssn_bare");
        // Part of a longer dashed number, or followed by more digits.
        assert_not_finds("ref 536-22-8465-0042", "us_ssn");
        assert_not_finds("ref 536-22-8465/7", "us_ssn");
        assert_not_finds("ref 536-22-8465-a1", "us_ssn");
        // "sessions" contains "ssn" only as a substring.
        assert_not_finds("sessions 536228465", "us_ssn_bare");
    }

    #[test]
    fn itin() {
        all_pass(
            valid_itin,
            &["912-70-1234", "900 94 1234", "999881234", "950-50-1234"],
        );
        all_fail(
            valid_itin,
            &[
                "912-69-1234",
                "912-93-1234",
                "912-89-1234",
                "912-70-0000",
                "812-70-1234",
            ],
        );
        assert_finds("ITIN 912-70-1234 on file", "us_itin", "912-70-1234");
        assert_finds("itin: 912701234", "us_itin_bare", "912701234");
        assert_not_finds("id 912701234", "us_itin_bare");
    }

    #[test]
    fn passports() {
        all_pass(
            valid_passport_number,
            &["A48291037", "483920174", "AB4829103"],
        );
        all_fail(
            valid_passport_number,
            &[
                "123456789",
                "A12345678",
                "000000000",
                "A00000000",
                "483920174.5",
            ],
        );
        assert_finds("Passport number: 483920174", "us_passport", "483920174");
        assert_finds("passport C03005988 expires", "us_passport", "C03005988");
        assert_not_finds("Order 483920174", "us_passport");
        assert_finds("UK passport number 483920174", "uk_passport", "483920174");
    }

    #[test]
    fn driver_license() {
        all_pass(
            valid_driver_license,
            &["D4829103", "S123-456-78-901-0", "384AB2917", "WDLABCD456DG"],
        );
        all_fail(
            valid_driver_license,
            &[
                "11111111",
                "D1234567",
                "D1200000",
                "A4829103.5",
                "S530-4218-9071-ab",
            ],
        );
        assert_finds(
            "Driver's license: D4829103",
            "us_driver_license",
            "D4829103",
        );
        assert_finds(
            "DL S530-4218-9071 (IL)",
            "us_driver_license",
            "S530-4218-9071",
        );
        // Presidio matched "lic" inside "public"; context words here are whole words only.
        assert_not_finds("the public repo D4829103", "us_driver_license");
        assert_not_finds("INTRODUCTORY offer A1 H1", "us_driver_license");
    }

    #[test]
    fn aba() {
        // Published routing numbers (Federal Reserve Bank of Boston, JPMorgan Chase, BofA).
        all_pass(
            valid_aba,
            &["011000015", "021000021", "026009593", "111000025"],
        );
        all_fail(
            valid_aba,
            &["021000022", "131000020", "123456789", "000000000"],
        );
        assert_finds(
            "routing number 021000021",
            "aba_routing_number",
            "021000021",
        );
        assert_not_finds("order 021000021", "aba_routing_number");
    }

    #[test]
    fn npi() {
        // 1234567893 is the CMS example; 1987654328 computed with the 80840 prefix.
        all_pass(valid_npi, &["1234567893", "1987654328"]);
        all_fail(valid_npi, &["1234567894", "1987654327", "1111111111"]);
        assert_finds("NPI: 1987654328", "us_npi", "1987654328");
        assert_not_finds("at 1987654328 seconds", "us_npi");
    }

    #[test]
    fn mbi() {
        // 1EG4-TE5-MK73 is the CMS example.
        assert!(valid_mbi("1EG4-TE5-MK73") && valid_mbi("1EG4TE5MK73"));
        assert_finds("MBI 1EG4-TE5-MK73", "us_mbi", "1EG4-TE5-MK73");
        assert_finds("card 1EG4TE5MK73", "us_mbi", "1EG4TE5MK73");
        // S, L, O, I, B, Z are never used.
        assert_not_finds("card 1SG4TE5MK73", "us_mbi");
        assert_not_finds("card 1EG4-TE5MK73", "us_mbi");
    }

    #[test]
    fn dea() {
        // AB1234563: 1+3+5 + 2*(2+4+6) = 33 -> 3. BB1388568: 14 + 2*17 = 48 -> 8.
        all_pass(valid_dea, &["AB1234563", "BB1388568", "F91234563"]);
        all_fail(valid_dea, &["AB1234564", "BB1388567", "AA1111111"]);
        assert_finds("DEA number AB1234563", "us_dea", "AB1234563");
        // A purchase order number with a passing check digit but no DEA context.
        assert_not_finds("PO AB1234563 approved", "us_dea");
    }

    #[test]
    fn ein() {
        all_pass(valid_ein, &["45-1234567", "981234567", "01-2345670"]);
        all_fail(
            valid_ein,
            &[
                "07-1234567",
                "89-1234567",
                "00-1234567",
                "12-3456789",
                "45-1234567-1",
            ],
        );
        assert_finds("EIN 45-1234567", "us_ein", "45-1234567");
        assert_not_finds("ticket 45-1234567", "us_ein");
    }

    // ------------------------------------------------------------ United Kingdom

    #[test]
    fn nhs() {
        // 943 476 5919 is the NHS Digital example; 485 777 3457 computed (weights 10..2).
        all_pass(
            valid_nhs,
            &["9434765919", "943 476 5919", "943-476-5919", "4857773457"],
        );
        all_fail(
            valid_nhs,
            &["9434765918", "943 476-5919", "4857773456", "1111111111"],
        );
        assert_finds("NHS number 943 476 5919", "uk_nhs", "943 476 5919");
        // A 3-3-4 phone number that happens to pass mod 11.
        assert_not_finds("call 943 476 5919 now", "uk_nhs");
    }

    #[test]
    fn nino() {
        all_pass(valid_nino, &["AB123456C", "AB 12 34 56 C", "JG 123456 A"]);
        all_fail(
            valid_nino,
            &["GB123456A", "NK123456A", "TN123456A", "AB000000A"],
        );
        assert_finds("NI number AB 12 34 56 C", "uk_nino", "AB 12 34 56 C");
        assert_finds("record JG103759A", "uk_nino", "JG103759A");
        // D, F, I, Q, U, V never start a NINO; O is never second; suffix is A-D.
        assert_not_finds("QQ123456C", "uk_nino");
        assert_not_finds("AO123456C", "uk_nino");
        assert_not_finds("AB123456E", "uk_nino");
    }

    #[test]
    fn postcode() {
        for pc in [
            "SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX",
            "GIR 0AA",
        ] {
            assert_finds(&format!("Deliver to {pc}, London"), "uk_postcode", pc);
        }
        assert_not_finds("MacBook Air M4 8GB RAM, M2 2TB", "uk_postcode");
        // Inward letters exclude C, I, K, M, O, V; Q, V, X never start a postcode.
        assert_not_finds("SW1A 1AC", "uk_postcode");
        assert_not_finds("QA1 1AA", "uk_postcode");
        assert_not_finds("sw1a 1aa", "uk_postcode");
        assert_not_finds("only SW1A here", "uk_postcode");
    }

    #[test]
    fn uk_driving_licence() {
        // MORGA753116SM9IJ is the DVLA sample: born 11 March 1976 (month 53 = 03 + 50, female).
        all_pass(
            valid_uk_driving_licence,
            &["MORGA753116SM9IJ", "JONES710238J99AB", "MORGA 753116 SM9IJ"],
        );
        all_fail(
            valid_uk_driving_licence,
            &["MORGA713116SM9IJ", "MORGA753326SM9IJ", "MO9GA753116SM9IJ"],
        );
        assert_finds(
            "licence MORGA753116SM9IJ",
            "uk_driving_licence",
            "MORGA753116SM9IJ",
        );
        assert_not_finds("key ABCDEFGHIJKLMNOP", "uk_driving_licence");
    }

    // ------------------------------------------------------------ Canada, Australia

    #[test]
    fn ca_sin() {
        // 130 692 544 and 273 948 513 pass Luhn; 046 454 286 (the government sample) starts
        // with 0, which is never issued.
        all_pass(valid_ca_sin, &["130-692-544", "273948513", "130 692 544"]);
        all_fail(
            valid_ca_sin,
            &[
                "130-692-545",
                "046-454-286",
                "812345674",
                "123456782".get(..8).unwrap(),
            ],
        );
        assert_finds("client 130-692-544", "ca_sin", "130-692-544");
        assert_finds("SIN: 130 692 544", "ca_sin_bare", "130 692 544");
        // Spaced 3-3-3 is a Spanish phone number without context.
        assert_not_finds("llama al 612 345 678", "ca_sin_bare");
        assert_not_finds("part 130-692-544-001", "ca_sin");
    }

    #[test]
    fn au_numbers() {
        // ATO published examples: TFN 123 456 782, ABN 51 824 753 556, ACN 004 085 616,
        // Medicare 2123 45670 1 (common sample); others computed with the same weights.
        all_pass(valid_au_tfn, &["123 456 782", "465123780"]);
        all_fail(valid_au_tfn, &["123 456 783", "876543210", "123-456 782"]);
        all_pass(valid_au_abn, &["51 824 753 556", "53004085616"]);
        all_fail(valid_au_abn, &["51 824 753 557", "01824753556"]);
        all_pass(valid_au_acn, &["004 085 616", "000000019", "605703811"]);
        all_fail(valid_au_acn, &["004 085 617", "605703812"]);
        all_pass(
            valid_au_medicare,
            &["2123 45670 1", "3951826461", "3951 82646 1 2"],
        );
        all_fail(valid_au_medicare, &["2123 45671 1", "2123 45670 0"]);
        assert_finds("TFN 123 456 782", "au_tfn", "123 456 782");
        assert_finds("ABN 51 824 753 556", "au_abn", "51 824 753 556");
        assert_finds(
            "supplier 51 824 753 556 invoice",
            "au_abn",
            "51 824 753 556",
        );
        assert_finds("ABN: 51824753556", "au_abn_bare", "51824753556");
        assert_finds("ACN 004 085 616", "au_acn", "004 085 616");
        assert_finds("Medicare card 2123 45670 1", "au_medicare", "2123 45670 1");
        assert_not_finds("batch 51824753556", "au_abn_bare");
    }

    // ------------------------------------------------------------ India, Singapore

    #[test]
    fn in_pan_and_gstin() {
        all_pass(valid_in_pan, &["ABCPE1234F", "AAPFU0939F"]);
        all_fail(valid_in_pan, &["ABCPE0000F"]);
        assert_finds("PAN ABCPE1234F", "in_pan", "ABCPE1234F");
        // The fourth letter is the holder type: D is not one.
        assert_not_finds("ABCDE1234F", "in_pan");
        // 27AAPFU0939F1ZV and 29AAGCB7383J1Z4 are widely published; the check character was
        // recomputed with the mod-36 algorithm.
        all_pass(valid_in_gstin, &["27AAPFU0939F1ZV", "29AAGCB7383J1Z4"]);
        all_fail(
            valid_in_gstin,
            &["27AAPFU0939F1ZW", "29AAGCB7383J1Z5", "40AAPFU0939F1ZV"],
        );
        assert_finds("GSTIN: 27AAPFU0939F1ZV", "in_gstin", "27AAPFU0939F1ZV");
        assert_finds("billed to 29AAGCB7383J1Z4", "in_gstin", "29AAGCB7383J1Z4");
    }

    #[test]
    fn sg_nric_and_uen() {
        // One example per series, check letters computed with the ICA tables.
        all_pass(
            valid_sg_nric,
            &[
                "S1234567D",
                "T1234567J",
                "F1234567N",
                "G1234567X",
                "M1234567K",
                "S9912345A",
            ],
        );
        all_fail(
            valid_sg_nric,
            &[
                "S1234567E",
                "T1234567D",
                "G1234567N",
                "M1234567L",
                "S0000000J",
            ],
        );
        assert_finds("NRIC S1234567D", "sg_nric_fin", "S1234567D");
        assert_not_finds("code S1234567E", "sg_nric_fin");
        // Examples from python-stdnum's documentation of the UEN check letters.
        all_pass(
            valid_sg_uen,
            &["00192200M", "197401143C", "S16FC0121D", "T01FC6132D"],
        );
        all_fail(
            valid_sg_uen,
            &[
                "00192200N",
                "197401143D",
                "S16FC0121E",
                "T01ZZ6132D",
                "209901143C",
            ],
        );
        assert_finds("UEN 197401143C", "sg_uen", "197401143C");
    }

    // ------------------------------------------------------------ Brazil

    #[test]
    fn br_cpf() {
        // 529.982.247-25 and 111.444.777-35 are common valid samples; 390.533.447-05 computed.
        all_pass(
            valid_br_cpf,
            &["529.982.247-25", "11144477735", "390533447-05"],
        );
        all_fail(
            valid_br_cpf,
            &[
                "529.982.247-26",
                "529.982.247-35",
                "111.111.111-11",
                "529.982.247-25.1",
            ],
        );
        assert_finds("CPF 529.982.247-25", "br_cpf", "529.982.247-25");
        assert_finds("CPF: 52998224725", "br_cpf_bare", "52998224725");
        // Eleven bare digits in a log line.
        assert_not_finds("job finished: seq=52998224725", "br_cpf_bare");
        assert_not_finds("ref 529.982.247-26", "br_cpf");
    }

    #[test]
    fn br_cnpj() {
        // 11.222.333/0001-81 is the usual sample; 12.ABC.345/01DE-35 is the Receita Federal
        // example of the alphanumeric CNPJ.
        all_pass(
            valid_br_cnpj,
            &["11.222.333/0001-81", "11222333000181", "12.ABC.345/01DE-35"],
        );
        all_fail(
            valid_br_cnpj,
            &["11.222.333/0001-82", "12.ABC.345/01DE-36", "00000000000000"],
        );
        assert_finds("CNPJ 11.222.333/0001-81", "br_cnpj", "11.222.333/0001-81");
        assert_finds(
            "empresa 12.ABC.345/01DE-35",
            "br_cnpj",
            "12.ABC.345/01DE-35",
        );
        // yyyymmddhhmmss timestamps are 14 digits too.
        assert!(compact_timestamp(&checksum::digits("20240315102233")));
        assert_not_finds("built 20240315102233", "br_cnpj");
    }

    // ------------------------------------------------------------ East Asia

    #[test]
    fn cn_resident_id() {
        // GB 11643-1999 example.
        all_pass(
            valid_cn_resident_id,
            &["11010519491231002X", "11010519491231002x"],
        );
        all_fail(
            valid_cn_resident_id,
            &[
                "110105194912310021",
                "110105194902300021",
                "99010519491231002X",
                "11010521491231002X",
            ],
        );
        assert_finds(
            "身份证号：11010519491231002X",
            "cn_resident_id",
            "11010519491231002X",
        );
        assert_not_finds("tweet 110105194912310021", "cn_resident_id");
    }

    #[test]
    fn hkid() {
        // A123456(3) and C668668(9) are the usual examples; G123456(A) and AB987654(3) computed.
        all_pass(
            valid_hkid,
            &[
                "A123456(3)",
                "C668668(9)",
                "G123456(A)",
                "AB987654(3)",
                "A1234563",
            ],
        );
        all_fail(
            valid_hkid,
            &["A123456(4)", "C668668(8)", "G123456(0)", "A0000000"],
        );
        assert_finds("HKID A123456(3)", "hk_hkid", "A123456(3)");
        assert_finds("holder C668668(9).", "hk_hkid", "C668668(9)");
        assert_finds("HKID: A1234563", "hk_hkid_bare", "A1234563");
        assert_not_finds("sku A1234563", "hk_hkid_bare");
    }

    #[test]
    fn tw_id() {
        all_pass(valid_tw_id, &["A123456789", "F130495826", "Z281573644"]);
        all_fail(valid_tw_id, &["A123456788", "B123456789", "A111111111"]);
        assert_finds("身分證字號 A123456789", "tw_national_id", "A123456789");
        assert_not_finds("invoice A123456789", "tw_national_id");
    }

    #[test]
    fn jp_my_number() {
        // 123456789018 is the common sample; 618273645504 computed (weights 6..2, 7..2).
        all_pass(valid_jp_my_number, &["123456789018", "6182 7364 5504"]);
        all_fail(
            valid_jp_my_number,
            &["123456789019", "6182 7364 5505", "6182-7364 5504"],
        );
        assert_finds(
            "マイナンバー: 6182 7364 5504",
            "jp_my_number",
            "6182 7364 5504",
        );
        assert_not_finds("order 618273645504", "jp_my_number");
    }

    #[test]
    fn kr_rrn() {
        // Check digits computed (weights 2..9, 2..5).
        all_pass(
            valid_kr_rrn,
            &["800101-1234560", "040315-4567899", "8001011234560"],
        );
        all_fail(
            valid_kr_rrn,
            &[
                "800101-1234561",
                "801301-1234560",
                "800230-1234560",
                "800101-9234560",
            ],
        );
        assert_finds("주민등록번호 800101-1234560", "kr_rrn", "800101-1234560");
        assert_finds("patient 040315-4567899", "kr_rrn", "040315-4567899");
        assert_finds("RRN 8001011234560", "kr_rrn_bare", "8001011234560");
        // A millisecond timestamp.
        assert_not_finds("ts=1700101123456", "kr_rrn_bare");
    }

    // ------------------------------------------------------------ Mexico, Thailand, Turkey

    #[test]
    fn mx_curp() {
        // HEGG560427MVZRRL04 (RENAPO sample) and BOXW310820HNERXN09 (python-stdnum docs).
        // GOAC850101HDFRAR09 computed; a vowel among the consonant letters is tolerated.
        all_pass(
            valid_mx_curp,
            &[
                "HEGG560427MVZRRL04",
                "BOXW310820HNERXN09",
                "GOAC850101HDFRAR09",
            ],
        );
        all_fail(
            valid_mx_curp,
            &[
                "HEGG560427MVZRRL05",
                "BOXW310820HNERXN08",
                "HEGG561327MVZRRL04",
                "HEGG560427MXXRRL04",
            ],
        );
        assert_finds("CURP: HEGG560427MVZRRL04", "mx_curp", "HEGG560427MVZRRL04");
    }

    #[test]
    fn th_national_id() {
        // 1101700207030 is a common sample; 3-5502-00112-34-1 computed (weights 13..2).
        all_pass(
            valid_th_id,
            &["1101700207030", "3-5502-00112-34-1", "3 5502 00112 34 1"],
        );
        all_fail(
            valid_th_id,
            &["1101700207031", "3-5502-00112-34-2", "3-5502 00112-34-1"],
        );
        assert_finds(
            "ID 3-5502-00112-34-1",
            "th_national_id",
            "3-5502-00112-34-1",
        );
        assert_finds(
            "Thai ID 1101700207030",
            "th_national_id_bare",
            "1101700207030",
        );
        // Millisecond timestamps start with 1 and pass mod 11 one time in ten.
        assert_not_finds("at 1101700207030 ms", "th_national_id_bare");
    }

    #[test]
    fn tr_tckn() {
        all_pass(valid_tr_tckn, &["10000000146", "38492017510"]);
        all_fail(
            valid_tr_tckn,
            &["10000000147", "10000000156", "01000000146", "38492017511"],
        );
        assert_finds("TC Kimlik No: 10000000146", "tr_tckn", "10000000146");
        assert_not_finds("job finished: seq=38492017510", "tr_tckn");
    }

    // ------------------------------------------------------------ Africa, Middle East

    #[test]
    fn za_id() {
        // 8001015009087 is the usual sample; 9405050123084 computed (Luhn).
        all_pass(
            valid_za_id,
            &["8001015009087", "800101 5009 087", "9405050123084"],
        );
        all_fail(
            valid_za_id,
            &["8001015009088", "8013015009087", "8002305009087"],
        );
        assert_finds("ID number 8001015009087", "za_id_number", "8001015009087");
        assert_finds("applicant 9405050123084", "za_id_number", "9405050123084");
    }

    #[test]
    fn ng_nin() {
        // Check digits computed with Verhoeff.
        all_pass(valid_ng_nin, &["23456789019", "61728394054"]);
        all_fail(valid_ng_nin, &["23456789018", "61728394055"]);
        assert_finds("NIN: 61728394054", "ng_nin", "61728394054");
        assert_not_finds("phone 61728394054", "ng_nin");
    }

    #[test]
    fn il_id() {
        all_pass(valid_il_id, &["123456782", "000000018", "39337423"]);
        all_fail(valid_il_id, &["123456783", "000000019"]);
        assert_finds("תעודת זהות 123456782", "il_id", "123456782");
        assert_finds("Teudat Zehut: 123456782", "il_id", "123456782");
        assert_finds("ID number: 039337423", "il_id", "039337423");
        assert_not_finds("ticket 123456782", "il_id");
    }

    // ------------------------------------------------------------ Oceania, South-East Asia

    #[test]
    fn nz_ird() {
        // 49091850 and 136410132 are IRD's published examples; 49098576 uses the second weights.
        all_pass(
            valid_nz_ird,
            &["49091850", "136-410-132", "49-091-850", "49098576"],
        );
        all_fail(
            valid_nz_ird,
            &["49091851", "136410133", "9999999", "150000001"],
        );
        assert_finds("IRD number 136-410-132", "nz_ird", "136-410-132");
        assert_not_finds("code 136-410-132", "nz_ird");
    }

    #[test]
    fn ph_tin() {
        all_pass(
            valid_ph_tin,
            &["239-072-842", "239-072-842-000", "239-072-842-00000"],
        );
        all_fail(
            valid_ph_tin,
            &[
                "239-072-842-00",
                "239-072-842-000-1",
                "239-072-842.5",
                "123-456-789",
            ],
        );
        assert_finds("TIN: 239-072-842-000", "ph_tin", "239-072-842-000");
        assert_not_finds("ref 239-072-842", "ph_tin");
    }

    #[test]
    fn my_nric() {
        all_pass(
            valid_my_nric,
            &["900101-14-5678", "880229-10-1234", "900101145678"],
        );
        all_fail(
            valid_my_nric,
            &[
                "901301-14-5678",
                "900101-17-5678",
                "900101-00-5678",
                "870229-10-1234",
            ],
        );
        assert_finds("MyKad 900101-14-5678", "my_nric", "900101-14-5678");
        assert_finds("customer 900101-14-5678", "my_nric", "900101-14-5678");
        assert_finds("NRIC: 900101145678", "my_nric_bare", "900101145678");
        assert_not_finds("build 900101145678", "my_nric_bare");
    }

    // ------------------------------------------------------------ Latin America

    #[test]
    fn ar_dni() {
        all_pass(valid_ar_dni, &["30.456.789", "30456789", "7364921"]);
        all_fail(
            valid_ar_dni,
            &["12345678", "7654321", "30000000", "30.456.789.1"],
        );
        assert_finds("DNI 30.456.789", "ar_dni", "30.456.789");
        assert_not_finds("total 30.456.789 pesos", "ar_dni");
    }

    #[test]
    fn cl_rut() {
        // 12.345.678-5 is the usual sample; 7.654.321-6 and 20.000.001-3 computed.
        all_pass(
            valid_cl_rut,
            &["12.345.678-5", "7.654.321-6", "7654321-6", "12345678-5"],
        );
        all_fail(
            valid_cl_rut,
            &["12.345.678-6", "12.345.678-K", "7.654.321-5"],
        );
        assert_finds("RUT 12.345.678-5", "cl_rut", "12.345.678-5");
        assert_finds("cliente 7.654.321-6", "cl_rut", "7.654.321-6");
        assert_finds("RUT: 7654321-6", "cl_rut_bare", "7654321-6");
        assert_not_finds("lote 7654321-6", "cl_rut_bare");
    }

    #[test]
    fn co_cedula() {
        all_pass(
            valid_co_cedula,
            &["1.020.304.050", "79456123", "1020304050"],
        );
        all_fail(valid_co_cedula, &["01234567", "1.000.000.000", "12345678"]);
        assert_finds(
            "cédula de ciudadanía 1.020.304.050",
            "co_cedula",
            "1.020.304.050",
        );
        assert_finds("C.C. 79456123", "co_cedula", "79456123");
        assert_not_finds("pagó 1.020.304.050 pesos", "co_cedula");
    }

    /// Random runs of digits, capitals and separators: no validator may panic on what its
    /// pattern lets through.
    #[test]
    fn validators_survive_random_candidates() {
        const ALPHABET: &[u8] = b"0123456789012345678901234567890123456789ABCDEFGHKMNPSTXZ  --./()";
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut text = String::new();
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push(ALPHABET[(state % ALPHABET.len() as u64) as usize] as char);
        }
        for spec in SPECS {
            let Matcher::Anchored {
                pattern,
                validate: Some(validate),
                ..
            } = spec.matcher
            else {
                continue;
            };
            let re = regex::Regex::new(pattern).unwrap();
            for m in re.find_iter(&text) {
                validate(m.as_str());
            }
        }
        found(&text);
    }

    // ------------------------------------------------------------ benign text

    /// Timestamps, order and invoice numbers, hashes, UUIDs, phone-like numbers, versions and
    /// prices: none of them may come out as a national identifier.
    #[test]
    fn benign_text_yields_no_national_ids() {
        let text = "\
            2024-03-15T10:22:33Z INFO request_id=3f2b9c1e-8a4d-4e7b-9c2a-1d5e6f7a8b9c took 1532 ms\n\
            epoch 1710498153, ms 1710498153123, compact 20240315102233, pid=48213\n\
            Order #483920174 shipped; invoice INV-10293847, PO1234567, ticket 4839201.\n\
            Call +1 (415) 555-0132 or 415-555-0199, fax 020 7946 0958, mobile 07700 900123.\n\
            commit a3f5c9e1b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2, sha256 9f86d081884c7d659a2feaa0c55ad015\n\
            version v2.13.4, build 2024.03.15.1842, price $1,299.99, total 12 345 678 EUR\n\
            counter 18446744073709551615, session 7301928374, tracking 1Z999AA10123456784\n\
            base64 dGhpcyBpcyBub3QgYSBzZWNyZXQgYXQgYWxsIGp1c3QgdGV4dA==, M4 8GB, RTX 4090\n\
            Chinese mobile 13812345678, US 15551234567, row 2,300,411, lat 51.5007 lon -0.1246\n";
        let ids: std::collections::HashSet<&str> = SPECS.iter().map(|s| s.id).collect();
        let hits: Vec<_> = found(text)
            .into_iter()
            .filter(|(d, _)| ids.contains(d.as_str()))
            .collect();
        assert!(hits.is_empty(), "benign text produced {hits:?}");
    }
}
