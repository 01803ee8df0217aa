//! Personal identifiers issued by European countries: national identity, tax, social security and
//! health insurance numbers, each checked with its official algorithm.
//!
//! Many of these are bare digit runs of the same length (9, 10, 11 digits) with one check digit, so
//! one random number often passes several countries' checks. Those need a context word in the
//! local language. Identifiers with a form that only they use (letters at fixed positions, two
//! check digits, a written separator layout) stand alone. Where one identifier has both a
//! distinctive and a bare form, its scorer grades the bare form below the default threshold,
//! so only a context word lifts it over.

use crate::dlp::checksum;
use crate::dlp::detector::{Matcher, Spec, Start};

/// Confidence of a bare form that must not count without a context word: below the default
/// threshold (0.5), and over it once the context boost (+0.2) applies.
const NEEDS_CONTEXT: f32 = 0.45;

pub(super) static SPECS: &[Spec] = &[
    // ---------------------------------------------------------------- Spain
    Spec {
        country: Some("ES"),
        validation: "mod23_letter",
        confidence: 0.8,
        context: &[
            "dni",
            "nif",
            "d.n.i",
            "n.i.f",
            "documento nacional de identidad",
            "número de identificación fiscal",
        ],
        ..Spec::pii(
            "es_nif",
            "ES_NIF",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (2, 9),
                pattern: r"[0-9]{8}-?[A-Z]|[0-9]{2}\.[0-9]{3}\.[0-9]{3}-?[A-Z]",
                max_len: 12,
                validate: Some(valid_es_nif),
            },
        )
    },
    Spec {
        country: Some("ES"),
        validation: "mod23_letter",
        confidence: 0.85,
        context: &[
            "nie",
            "n.i.e",
            "número de identidad de extranjero",
            "identidad de extranjero",
            "extranjero",
        ],
        ..Spec::pii(
            "es_nie",
            "ES_NIE",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (1, 9),
                pattern: r"[XYZ]-?[0-9]{7}-?[A-Z]",
                max_len: 11,
                validate: Some(valid_es_nie),
            },
        )
    },
    Spec {
        country: Some("ES"),
        validation: "cif_mod10",
        confidence: 0.7,
        context: &[
            "cif",
            "c.i.f",
            "nif",
            "código de identificación fiscal",
            "razón social",
            "sociedad",
        ],
        context_required: true,
        ..Spec::pii(
            "es_cif",
            "ES_CIF",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (1, 9),
                pattern: r"[ABCDEFGHJNPQRSUVW]-?[0-9]{7}[0-9A-J]",
                max_len: 10,
                validate: Some(valid_es_cif),
            },
        )
    },
    // ---------------------------------------------------------------- Italy
    Spec {
        country: Some("IT"),
        validation: "it_cf_check_letter",
        confidence: 0.9,
        context: &[
            "codice fiscale",
            "cod. fisc",
            "cod fisc",
            "c.f",
            "cf",
            "fiscal code",
            "tessera sanitaria",
        ],
        ..Spec::pii(
            "it_fiscal_code",
            "IT_FISCAL_CODE",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (16, 16),
                // Omocodia: digits of the date and place may be replaced by L M N P Q R S T U V.
                pattern: r"[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]",
                max_len: 16,
                validate: Some(valid_it_fiscal_code),
            },
        )
    },
    Spec {
        country: Some("IT"),
        validation: "luhn",
        confidence: 0.8,
        context: &[
            "partita iva",
            "p.iva",
            "p. iva",
            "piva",
            "p.i",
            "iva",
            "numero iva",
            "vat",
            "vat number",
        ],
        ..Spec::pii(
            "it_vat_code",
            "IT_VAT_CODE",
            Matcher::Scored {
                start: Start::DigitOrUpper,
                first_run: (2, 13),
                pattern: r"(?:IT ?)?[0-9]{11}",
                max_len: IT_VAT_MAX,
                score: score_it_vat,
            },
        )
    },
    // ---------------------------------------------------------------- Poland
    Spec {
        country: Some("PL"),
        validation: "pesel_weights",
        confidence: 0.7,
        context: &["pesel", "numer pesel", "nr pesel"],
        context_required: true,
        ..Spec::pii(
            "pl_pesel",
            "PL_PESEL",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (11, 11),
                pattern: r"[0-9]{11}",
                max_len: 11,
                validate: Some(valid_pl_pesel),
            },
        )
    },
    // ---------------------------------------------------------------- Nordics and Baltics
    Spec {
        country: Some("FI"),
        validation: "mod31_char",
        confidence: 0.9,
        context: &[
            "henkilötunnus",
            "hetu",
            "sotu",
            "personbeteckning",
            "personal identity code",
        ],
        ..Spec::pii(
            "fi_hetu",
            "FI_HETU",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (6, 11),
                pattern: r"[0-3][0-9][01][0-9]{3}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]",
                max_len: 11,
                validate: Some(valid_fi_hetu),
            },
        )
    },
    Spec {
        country: Some("SE"),
        validation: "luhn",
        confidence: 0.85,
        context: &[
            "personnummer",
            "personnr",
            "samordningsnummer",
            "person number",
            "personal identity number",
        ],
        ..Spec::pii(
            "se_personnummer",
            "SE_PERSONNUMMER",
            Matcher::Scored {
                start: Start::Digit,
                first_run: (6, 12),
                pattern: r"(?:18|19|20)?[0-9]{6}[-+]?[0-9]{4}",
                max_len: SE_MAX,
                score: score_se_personnummer,
            },
        )
    },
    Spec {
        country: Some("DK"),
        validation: "date_mod11",
        confidence: 0.75,
        context: &[
            "cpr",
            "cpr-nr",
            "cpr-nummer",
            "cpr nr",
            "cpr-number",
            "personnummer",
        ],
        ..Spec::pii(
            "dk_cpr",
            "DK_CPR",
            Matcher::Scored {
                start: Start::Digit,
                first_run: (6, 10),
                pattern: r"[0-3][0-9][01][0-9]{3}-?[0-9]{4}",
                max_len: DK_MAX,
                score: score_dk_cpr,
            },
        )
    },
    Spec {
        country: Some("NO"),
        validation: "mod11_two_digits",
        confidence: 0.85,
        context: &[
            "fødselsnummer",
            "fodselsnummer",
            "fødselsnr",
            "personnummer",
            "d-nummer",
            "fnr",
        ],
        ..Spec::pii(
            "no_fnr",
            "NO_FNR",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (6, 11),
                pattern: r"[0-7][0-9][0-1489][0-9]{3} ?[0-9]{5}",
                max_len: 12,
                validate: Some(valid_no_fnr),
            },
        )
    },
    Spec {
        country: Some("EE"),
        validation: "mod11_two_stage",
        confidence: 0.75,
        context: &["isikukood", "isikukoodi", "personal code", "estonian id"],
        ..Spec::pii(
            "ee_isikukood",
            "EE_ISIKUKOOD",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (11, 11),
                pattern: r"[1-6][0-9]{10}",
                max_len: 11,
                validate: Some(valid_ee_isikukood_text),
            },
        )
    },
    // ---------------------------------------------------------------- Germany
    Spec {
        country: Some("DE"),
        validation: "mod11_10",
        confidence: 0.7,
        context: &[
            "steuer-id",
            "steuerid",
            "steuer-idnr",
            "steuer-identifikationsnummer",
            "steueridentifikationsnummer",
            "steuerliche identifikationsnummer",
            "identifikationsnummer",
            "idnr",
            "tin",
            "tax id",
        ],
        context_required: true,
        ..Spec::pii(
            "de_tax_id",
            "DE_TAX_ID",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (2, 11),
                pattern: r"[1-9][0-9]{10}|[1-9][0-9] [0-9]{3} [0-9]{3} [0-9]{3}",
                max_len: 14,
                validate: Some(valid_de_tax_id),
            },
        )
    },
    Spec {
        country: Some("DE"),
        validation: "mod11_10",
        confidence: 0.85,
        context: &[
            "ust-idnr",
            "ust-id",
            "ust-id-nr",
            "ustid",
            "ustidnr",
            "umsatzsteuer-id",
            "umsatzsteuer-identifikationsnummer",
            "vat",
            "vat id",
            "vat number",
        ],
        ..Spec::pii(
            "de_vat_id",
            "DE_VAT_ID",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (2, 11),
                pattern: r"DE ?[0-9]{9}",
                max_len: 12,
                validate: Some(valid_de_vat_id),
            },
        )
    },
    Spec {
        country: Some("DE"),
        validation: "icao_731",
        confidence: 0.7,
        context: &[
            "personalausweis",
            "personalausweisnummer",
            "ausweisnummer",
            "ausweis",
            "ausweis-nr",
            "id card",
            "identity card",
            "id-karte",
            "dokumentennummer",
        ],
        context_required: true,
        ..Spec::pii(
            "de_id_card",
            "DE_ID_CARD",
            Matcher::Anchored {
                start: Start::Alnum,
                first_run: (9, 10),
                pattern: r"[CFGHJKLMNPRTVWXYZ0-9]{9}[0-9]?",
                max_len: 10,
                validate: Some(valid_de_id_card),
            },
        )
    },
    Spec {
        country: Some("DE"),
        validation: "icao_731",
        confidence: 0.7,
        context: &[
            "reisepass",
            "reisepassnummer",
            "passnummer",
            "pass-nr",
            // German words only: "passport" alone would pull other countries' passports in.
            "german passport",
            "deutscher reisepass",
        ],
        context_required: true,
        ..Spec::pii(
            "de_passport",
            "DE_PASSPORT",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (9, 10),
                pattern: r"[CFGHJK][CFGHJKLMNPRTVWXYZ0-9]{8}[0-9]?",
                max_len: 10,
                validate: Some(valid_de_passport),
            },
        )
    },
    Spec {
        country: Some("DE"),
        validation: "rvnr_weights",
        confidence: 0.85,
        context: &[
            "rentenversicherungsnummer",
            "versicherungsnummer",
            "sozialversicherungsnummer",
            "rvnr",
            "rv-nummer",
            "sv-nummer",
            "svnr",
        ],
        ..Spec::pii(
            "de_rvnr",
            "DE_RVNR",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (2, 12),
                pattern: r"[0-9]{2} ?[0-3][0-9][01][0-9]{3} ?[A-Z] ?[0-9]{2} ?[0-9]",
                max_len: 16,
                validate: Some(valid_de_rvnr),
            },
        )
    },
    Spec {
        country: Some("DE"),
        validation: "kvnr_weights",
        confidence: 0.7,
        context: &[
            "krankenversicherungsnummer",
            "krankenversichertennummer",
            "versichertennummer",
            "kvnr",
            "egk",
            "krankenkasse",
            "gesundheitskarte",
        ],
        context_required: true,
        ..Spec::pii(
            "de_kvnr",
            "DE_KVNR",
            Matcher::Anchored {
                start: Start::Upper,
                first_run: (10, 10),
                pattern: r"[A-Z][0-9]{9}",
                max_len: 10,
                validate: Some(valid_de_kvnr),
            },
        )
    },
    // ---------------------------------------------------------------- France
    Spec {
        country: Some("FR"),
        validation: "mod97_key",
        confidence: 0.9,
        context: &[
            "nir",
            "insee",
            "numéro insee",
            "numéro de sécurité sociale",
            "numero de securite sociale",
            "sécurité sociale",
            "securite sociale",
            "carte vitale",
            "social security number",
        ],
        ..Spec::pii(
            "fr_nir",
            "FR_NIR",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (1, 15),
                pattern: r"[1278] ?[0-9]{2} ?[0-9]{2} ?(?:[0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}",
                max_len: 21,
                validate: Some(valid_fr_nir),
            },
        )
    },
    Spec {
        country: Some("FR"),
        validation: "luhn",
        confidence: 0.7,
        context: &["siren", "numéro siren", "n° siren", "rcs"],
        context_required: true,
        ..Spec::pii(
            "fr_siren",
            "FR_SIREN",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (3, 9),
                pattern: r"[0-9]{9}|[0-9]{3} [0-9]{3} [0-9]{3}",
                max_len: 11,
                validate: Some(valid_fr_siren),
            },
        )
    },
    Spec {
        country: Some("FR"),
        validation: "luhn",
        confidence: 0.8,
        context: &["siret", "numéro siret", "n° siret", "établissement"],
        ..Spec::pii(
            "fr_siret",
            "FR_SIRET",
            Matcher::Scored {
                start: Start::Digit,
                first_run: (3, 14),
                pattern: SIRET_PATTERN,
                max_len: SIRET_MAX,
                score: score_fr_siret,
            },
        )
    },
    // ---------------------------------------------------------------- Benelux
    Spec {
        country: Some("NL"),
        validation: "mod11_elfproef",
        confidence: 0.7,
        context: &[
            "bsn",
            "burgerservicenummer",
            "sofinummer",
            "sofi-nummer",
            "sofi nummer",
            "citizen service number",
        ],
        context_required: true,
        ..Spec::pii(
            "nl_bsn",
            "NL_BSN",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (3, 9),
                pattern: r"[0-9]{9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3}|[0-9]{3}[. ][0-9]{3}[. ][0-9]{3}",
                max_len: 11,
                validate: Some(valid_nl_bsn),
            },
        )
    },
    Spec {
        country: Some("BE"),
        validation: "mod97_key",
        confidence: 0.9,
        context: &[
            "rijksregisternummer",
            "rijksregister",
            "nationaal nummer",
            "insz",
            "niss",
            "numéro national",
            "numéro de registre national",
            "registre national",
            "national number",
            "bis-nummer",
        ],
        ..Spec::pii(
            "be_national_number",
            "BE_NATIONAL_NUMBER",
            Matcher::Scored {
                start: Start::Digit,
                first_run: (2, 11),
                pattern: BE_PATTERN,
                max_len: BE_MAX,
                score: score_be_national_number,
            },
        )
    },
    // ---------------------------------------------------------------- Alpine and Central Europe
    Spec {
        country: Some("AT"),
        validation: "mod11",
        confidence: 0.7,
        context: &[
            "svnr",
            "sv-nr",
            "sv-nummer",
            "svn",
            "sozialversicherungsnummer",
            "versicherungsnummer",
            "e-card",
        ],
        context_required: true,
        ..Spec::pii(
            "at_svnr",
            "AT_SVNR",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (4, 10),
                pattern: r"[1-9][0-9]{3} ?[0-3][0-9][01][0-9]{3}",
                max_len: 11,
                validate: Some(valid_at_svnr),
            },
        )
    },
    Spec {
        country: Some("CH"),
        validation: "ean13",
        confidence: 0.85,
        context: &[
            "ahv",
            "avs",
            "ahv-nr",
            "ahv-nummer",
            "avs-nr",
            "numéro avs",
            "oasi",
            "sozialversicherungsnummer",
            "social security number",
        ],
        ..Spec::pii(
            "ch_ahv",
            "CH_AHV",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (3, 13),
                pattern: r"756\.?[0-9]{4}\.?[0-9]{4}\.?[0-9]{2}",
                max_len: 16,
                validate: Some(valid_ch_ahv),
            },
        )
    },
    Spec {
        country: Some("CZ"),
        validation: "mod11",
        confidence: 0.8,
        context: &[
            "rodné číslo",
            "rodne cislo",
            "rodného čísla",
            "rodneho cisla",
            "rč",
            "birth number",
        ],
        ..Spec::pii(
            "cz_birth_number",
            "CZ_BIRTH_NUMBER",
            Matcher::Scored {
                start: Start::Digit,
                first_run: (6, 10),
                pattern: r"[0-9]{6}/?[0-9]{3,4}",
                max_len: 11,
                score: score_cz_birth_number,
            },
        )
    },
    Spec {
        country: Some("HR"),
        validation: "mod11_10",
        confidence: 0.7,
        context: &[
            "oib",
            "osobni identifikacijski broj",
            "osobni identifikacijski",
        ],
        context_required: true,
        ..Spec::pii(
            "hr_oib",
            "HR_OIB",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (11, 11),
                pattern: r"[0-9]{11}",
                max_len: 11,
                validate: Some(valid_hr_oib),
            },
        )
    },
    Spec {
        country: Some("RO"),
        validation: "mod11_cnp",
        confidence: 0.85,
        context: &["cnp", "cod numeric personal", "codul numeric personal"],
        ..Spec::pii(
            "ro_cnp",
            "RO_CNP",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (13, 13),
                pattern: r"[1-9][0-9]{12}",
                max_len: 13,
                validate: Some(valid_ro_cnp),
            },
        )
    },
    // ---------------------------------------------------------------- Ireland, Portugal, Greece
    Spec {
        country: Some("IE"),
        validation: "mod23_letter",
        confidence: 0.65,
        context: &[
            "ppsn",
            "pps",
            "pps number",
            "pps no",
            "personal public service",
            "personal public service number",
        ],
        ..Spec::pii(
            "ie_ppsn",
            "IE_PPSN",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (8, 9),
                pattern: r"[0-9]{7}[A-W][A-IW]?",
                max_len: 9,
                validate: Some(valid_ie_ppsn),
            },
        )
    },
    Spec {
        country: Some("PT"),
        validation: "mod11",
        confidence: 0.7,
        context: &[
            "nif",
            "contribuinte",
            "número de contribuinte",
            "numero de contribuinte",
            "nipc",
            "número de identificação fiscal",
            "identificação fiscal",
        ],
        context_required: true,
        ..Spec::pii(
            "pt_nif",
            "PT_NIF",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (3, 9),
                pattern: r"[1-35689][0-9]{8}|[1-35689][0-9]{2} [0-9]{3} [0-9]{3}",
                max_len: 11,
                validate: Some(valid_pt_nif),
            },
        )
    },
    Spec {
        country: Some("GR"),
        validation: "luhn",
        confidence: 0.7,
        context: &[
            "amka",
            "αμκα",
            "a.m.k.a",
            "αριθμός μητρώου κοινωνικής ασφάλισης",
        ],
        context_required: true,
        ..Spec::pii(
            "gr_amka",
            "GR_AMKA",
            Matcher::Anchored {
                start: Start::Digit,
                first_run: (11, 11),
                pattern: r"[0-3][0-9][01][0-9]{8}",
                max_len: 11,
                validate: Some(valid_gr_amka),
            },
        )
    },
];

// ------------------------------------------------------------------------ shared helpers

/// A test number rather than a person's: every digit the same, or a run like 12345678 / 98765432.
fn placeholder(d: &[u8]) -> bool {
    if d.len() < 6 {
        return false;
    }
    let same = d.iter().all(|&x| x == d[0]);
    let up = d.windows(2).all(|w| w[1] == (w[0] + 1) % 10);
    let down = d.windows(2).all(|w| w[0] == (w[1] + 1) % 10);
    same || up || down
}

/// The number formed by `d` (at most 18 digits, so it fits).
fn number(d: &[u8]) -> u64 {
    d.iter().fold(0u64, |n, &x| n * 10 + x as u64)
}

fn two(d: &[u8], i: usize) -> u32 {
    d[i] as u32 * 10 + d[i + 1] as u32
}

fn is_leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: Option<u32>, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        // With the century unknown, 29 February is allowed in any year divisible by four.
        2 => match year {
            Some(y) if is_leap(y) => 29,
            Some(_) => 28,
            None => 29,
        },
        _ => 0,
    }
}

/// No clock is read (decisions are reproducible), so the latest plausible birth year is fixed.
const LATEST_BIRTH_YEAR: u32 = 2030;

/// A birth date; `year` is `None` when only the last two digits are known (`yy` then decides
/// 29 February). A known year must belong to someone alive: identifiers that encode the 1800s
/// still validate, but matching them would only let more random numbers through.
fn valid_date(year: Option<u32>, yy: u32, month: u32, day: u32) -> bool {
    if year.is_some_and(|y| !(1900..=LATEST_BIRTH_YEAR).contains(&y)) {
        return false;
    }
    let year = year.or(if yy % 4 == 0 { None } else { Some(1901) });
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// The character's value in the ICAO 9303 machine-readable zone: digits 0-9, letters 10-35.
fn icao_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some((c - b'0') as u32),
        b'A'..=b'Z' => Some((c - b'A') as u32 + 10),
        _ => None,
    }
}

/// The ICAO 9303 check digit: weights 7, 3, 1 repeated, sum mod 10.
fn icao_check(chars: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &c) in chars.iter().enumerate() {
        sum += icao_value(c)? * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

fn cross_sum(n: u32) -> u32 {
    n / 10 + n % 10
}

/// Four digits that read as a time of day, HHMM.
fn looks_like_hhmm(d: &[u8]) -> bool {
    two(d, 0) < 24 && two(d, 2) < 60
}

fn has_separator(text: &str) -> bool {
    text.bytes().any(|b| !b.is_ascii_alphanumeric())
}

// ------------------------------------------------------------------------ Spain

const ES_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

fn valid_es_nif(text: &str) -> bool {
    let d = checksum::digits(text);
    let letter = *text.as_bytes().last().unwrap_or(&0);
    d.len() == 8 && !placeholder(&d) && ES_LETTERS[(number(&d) % 23) as usize] == letter
}

fn valid_es_nie(text: &str) -> bool {
    let b = text.as_bytes();
    let prefix = match b[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    let d = checksum::digits(text);
    let letter = *b.last().unwrap_or(&0);
    d.len() == 7
        && !placeholder(&d)
        && ES_LETTERS[((prefix * 10_000_000 + number(&d)) % 23) as usize] == letter
}

fn valid_es_cif(text: &str) -> bool {
    let c = checksum::alnum_upper(text);
    if c.len() != 9 {
        return false;
    }
    let body: Vec<u8> = c[1..8].iter().map(|b| b - b'0').collect();
    if placeholder(&body) {
        return false;
    }
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 0 {
                cross_sum(x as u32 * 2)
            } else {
                x as u32
            }
        })
        .sum();
    let control = (10 - sum % 10) % 10;
    let last = c[8];
    let as_digit = last == b'0' + control as u8;
    let as_letter = last == b"JABCDEFGHI"[control as usize];
    match c[0] {
        // Public bodies, foreign entities and non-resident companies carry a letter...
        b'P' | b'Q' | b'R' | b'S' | b'N' | b'W' => as_letter,
        // ...companies with shares and similar carry a digit.
        b'A' | b'B' | b'E' | b'H' => as_digit,
        _ => as_digit || as_letter,
    }
}

// ------------------------------------------------------------------------ Italy

/// Values of characters in odd (1st, 3rd...) positions of a codice fiscale; digits share the
/// values of the letters A-J.
const CF_ODD: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// The digit an omocodia letter replaces (L=0 ... V=9), or the digit itself.
fn cf_digit(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some((c - b'0') as u32),
        _ => b"LMNPQRSTUV".iter().position(|&l| l == c).map(|p| p as u32),
    }
}

fn valid_it_fiscal_code(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 16 {
        return false;
    }
    let (Some(d1), Some(d2)) = (cf_digit(b[9]), cf_digit(b[10])) else {
        return false;
    };
    // Women have 40 added to the day of birth.
    let day = d1 * 10 + d2;
    if !((1..=31).contains(&day) || (41..=71).contains(&day)) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in b[..15].iter().enumerate() {
        let v = if c.is_ascii_digit() {
            (c - b'0') as u32
        } else {
            (c - b'A') as u32
        };
        sum += if i % 2 == 0 { CF_ODD[v as usize] } else { v };
    }
    b[15] == b'A' + (sum % 26) as u8
}

/// Partita IVA: 7-digit company number, 3-digit provincial office, Luhn check digit.
fn valid_it_vat_digits(d: &[u8]) -> bool {
    let office = d.len() == 11 && {
        let o = number(&d[7..10]);
        (1..=100).contains(&o) || [120, 121, 888, 999].contains(&o)
    };
    office && number(&d[..7]) != 0 && !placeholder(&d[..10]) && checksum::luhn_digits(d)
}

const IT_VAT_MAX: u16 = 14;
fn score_it_vat(text: &str) -> Option<f32> {
    let d = checksum::digits(text);
    if !valid_it_vat_digits(&d) {
        return None;
    }
    // With the country prefix it is an EU VAT number; bare, it is just 11 digits.
    Some(if text.starts_with("IT") {
        0.8
    } else {
        NEEDS_CONTEXT
    })
}

// ------------------------------------------------------------------------ Poland

fn valid_pl_pesel(text: &str) -> bool {
    let d = checksum::digits(text);
    if d.len() != 11 || placeholder(&d[..10]) {
        return false;
    }
    // The month carries the century: +80 for 1800s, +0, +20, +40, +60 for 1900s..2200s.
    let mm = two(&d, 2);
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return false,
    };
    let yy = two(&d, 0);
    if !valid_date(Some(century + yy), yy, month, two(&d, 4)) {
        return false;
    }
    let sum = checksum::weighted_sum(&d[..10], &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
    (10 - sum % 10) % 10 == d[10] as u32
}

// ------------------------------------------------------------------------ Finland

fn valid_fi_hetu(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 11 {
        return false;
    }
    let century = match b[6] {
        b'+' => 1800,
        b'-' | b'U'..=b'Y' => 1900,
        b'A'..=b'F' => 2000,
        _ => return false,
    };
    let d: Vec<u8> = b[..6]
        .iter()
        .chain(&b[7..10])
        .map(|c| c.wrapping_sub(b'0'))
        .collect();
    if d.iter().any(|&x| x > 9) {
        return false;
    }
    let yy = two(&d, 4);
    // Individual numbers 000 and 001 are never issued.
    if !valid_date(Some(century + yy), yy, two(&d, 2), two(&d, 0)) || number(&d[6..]) < 2 {
        return false;
    }
    b"0123456789ABCDEFHJKLMNPRSTUVWXY"[(number(&d) % 31) as usize] == b[10]
}

// ------------------------------------------------------------------------ Sweden

const SE_MAX: u16 = 13;
fn score_se_personnummer(text: &str) -> Option<f32> {
    let d = checksum::digits(text);
    let (year, ten) = match d.len() {
        12 => (Some(two(&d, 0) * 100 + two(&d, 2)), &d[2..]),
        10 => (None, &d[..]),
        _ => return None,
    };
    let yy = two(ten, 0);
    // Coordination numbers (samordningsnummer) add 60 to the day.
    let day = match two(ten, 4) {
        dd @ 61..=91 => dd - 60,
        dd => dd,
    };
    if !valid_date(year, yy, two(ten, 2), day)
        || !checksum::luhn_digits(ten)
        || placeholder(&ten[..9])
    {
        return None;
    }
    // Written yymmdd-nnnn it stands on its own; a bare 10 or 12 digit run may be a timestamp, and
    // so may a recent date followed by what reads as a time (20240115-1230).
    let stamp = year.is_none_or(|y| y >= 2000) && yy < 40 && looks_like_hhmm(&ten[6..]);
    Some(if has_separator(text) && !stamp {
        0.85
    } else {
        NEEDS_CONTEXT
    })
}

// ------------------------------------------------------------------------ Denmark

const DK_MAX: u16 = 11;
fn score_dk_cpr(text: &str) -> Option<f32> {
    let d = checksum::digits(text);
    if d.len() != 10 {
        return None;
    }
    let yy = two(&d, 4);
    // The first serial digit tells the century.
    let century = match d[6] {
        0..=3 => 1900,
        4 | 9 => {
            if yy <= 36 {
                2000
            } else {
                1900
            }
        }
        _ => {
            if yy <= 57 {
                2000
            } else {
                1800
            }
        }
    };
    if !valid_date(Some(century + yy), yy, two(&d, 2), two(&d, 0)) || placeholder(&d) {
        return None;
    }
    // Numbers issued since 2007 need not pass mod 11, so only a context word makes those count.
    let mod11 = checksum::weighted_sum(&d, &[4, 3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0;
    let stamp = yy < 40 && looks_like_hhmm(&d[6..]);
    Some(if mod11 && has_separator(text) && !stamp {
        0.75
    } else {
        NEEDS_CONTEXT
    })
}

// ------------------------------------------------------------------------ Norway

fn mod11_digit(d: &[u8], weights: &[u32]) -> Option<u8> {
    match 11 - checksum::weighted_sum(d, weights) % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k as u8),
    }
}

fn valid_no_fnr(text: &str) -> bool {
    let d = checksum::digits(text);
    if d.len() != 11 || placeholder(&d[..9]) {
        return false;
    }
    // D-numbers add 40 to the day, H-numbers 40 to the month, synthetic test numbers 80.
    let day = match two(&d, 0) {
        dd @ 41..=71 => dd - 40,
        dd => dd,
    };
    let month = match two(&d, 2) {
        mm @ 41..=52 => mm - 40,
        mm @ 81..=92 => mm - 80,
        mm => mm,
    };
    // The individual number tells the century.
    let yy = two(&d, 4);
    let year = match (number(&d[6..9]), yy) {
        (0..=499, _) | (900..=999, 40..=99) => 1900 + yy,
        (500..=749, 54..=99) => 1800 + yy,
        (500..=999, 0..=39) => 2000 + yy,
        _ => return false,
    };
    if !valid_date(Some(year), yy, month, day) {
        return false;
    }
    let k1 = mod11_digit(&d[..9], &[3, 7, 6, 1, 8, 9, 4, 5, 2]);
    let k2 = mod11_digit(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    k1 == Some(d[9]) && k2 == Some(d[10])
}

// ------------------------------------------------------------------------ Estonia

fn valid_ee_isikukood(d: &[u8]) -> bool {
    if d.len() != 11 || placeholder(&d[..10]) {
        return false;
    }
    // The first digit is sex and century: 1-2 for the 1800s, 3-4 the 1900s, 5-6 the 2000s.
    let century = 1800 + (d[0] as u32 - 1) / 2 * 100;
    let yy = two(d, 1);
    if !valid_date(Some(century + yy), yy, two(d, 3), two(d, 5)) {
        return false;
    }
    let mut r = checksum::weighted_sum(&d[..10], &[1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11;
    if r == 10 {
        r = checksum::weighted_sum(&d[..10], &[3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 11;
        if r == 10 {
            r = 0;
        }
    }
    r == d[10] as u32
}

fn valid_ee_isikukood_text(text: &str) -> bool {
    valid_ee_isikukood(&checksum::digits(text))
}

// ------------------------------------------------------------------------ Germany

fn valid_de_tax_id(text: &str) -> bool {
    let d = checksum::digits(text);
    if d.len() != 11 || d[0] == 0 || placeholder(&d[..10]) {
        return false;
    }
    // In the first ten digits exactly one digit occurs twice or three times, every other digit
    // at most once, and a digit never appears three times in a row.
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[x as usize] += 1;
    }
    let repeated = counts.iter().filter(|&&c| c >= 2).count();
    let too_many = counts.iter().any(|&c| c > 3);
    let triple_run = d[..10].windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
    repeated == 1 && !too_many && !triple_run && checksum::iso7064_mod11_10_digits(&d)
}

fn valid_de_vat_id(text: &str) -> bool {
    let d = checksum::digits(text);
    d.len() == 9 && !placeholder(&d[..8]) && checksum::iso7064_mod11_10_digits(&d)
}

/// A German ID card or passport number: nine characters, with or without the ICAO check digit.
fn valid_de_document(text: &str) -> bool {
    let b = text.as_bytes();
    let serial = &b[..9];
    let digits = serial.iter().filter(|c| c.is_ascii_digit()).count();
    match b.len() {
        10 => {
            digits >= 1
                && icao_check(serial) == Some(b[9] - b'0')
                && !placeholder(&checksum::digits(text))
        }
        // Without a check digit only the printed form counts: a letter first, digits in it.
        9 => b[0].is_ascii_uppercase() && digits >= 2,
        _ => false,
    }
}

fn valid_de_id_card(text: &str) -> bool {
    valid_de_document(text)
}

fn valid_de_passport(text: &str) -> bool {
    valid_de_document(text)
}

fn valid_de_rvnr(text: &str) -> bool {
    let c = checksum::alnum_upper(text);
    if c.len() != 12 {
        return false;
    }
    let letter = c[8];
    let d: Vec<u8> = c
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| b - b'0')
        .collect();
    // d: area (2), birth date ddmmyy (6), serial (2), check (1).
    let yy = two(&d, 6);
    if two(&d, 0) == 0 || !valid_date(None, yy, two(&d, 4), two(&d, 2)) {
        return false;
    }
    let l = letter - b'A' + 1;
    let mut all: Vec<u8> = d[..8].to_vec();
    all.extend_from_slice(&[l / 10, l % 10, d[8], d[9]]);
    let sum: u32 = all
        .iter()
        .zip([2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1])
        .map(|(&x, w)| cross_sum(x as u32 * w))
        .sum();
    sum % 10 == d[10] as u32
}

fn valid_de_kvnr(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 {
        return false;
    }
    let l = b[0] - b'A' + 1;
    let d = checksum::digits(&text[1..]);
    if placeholder(&d[..8]) {
        return false;
    }
    let mut all = vec![l / 10, l % 10];
    all.extend_from_slice(&d[..8]);
    let sum: u32 = all
        .iter()
        .enumerate()
        .map(|(i, &x)| cross_sum(x as u32 * if i % 2 == 0 { 1 } else { 2 }))
        .sum();
    sum % 10 == d[8] as u32
}

// ------------------------------------------------------------------------ France

fn valid_fr_nir(text: &str) -> bool {
    let c = checksum::alnum_upper(text);
    if c.len() != 15 {
        return false;
    }
    // Corsica's departments 2A and 2B count as 19 and 18 in the key.
    let mut d: Vec<u8> = Vec::with_capacity(15);
    for (i, &ch) in c.iter().enumerate() {
        match (i, ch) {
            (6, b'A') => {
                d.pop();
                d.extend_from_slice(&[1, 9]);
            }
            (6, b'B') => {
                d.pop();
                d.extend_from_slice(&[1, 8]);
            }
            (_, b'0'..=b'9') => d.push(ch - b'0'),
            _ => return false,
        }
    }
    // Month 01-12, or 20-42 and 50-99 where the birth month is unknown.
    let month = two(&d, 3);
    let month_ok = (1..=12).contains(&month) || (20..=42).contains(&month) || month >= 50;
    let dept_ok = two(&d, 5) != 0;
    let key = two(&d, 13) as u64;
    month_ok && dept_ok && !placeholder(&d[..13]) && key == 97 - number(&d[..13]) % 97
}

/// Luhn, except for La Poste, whose establishments share SIREN 356 000 000 and are checked by
/// the digit sum mod 5.
fn valid_siren_siret_digits(d: &[u8]) -> bool {
    if d.len() == 14 && d[..9] == [3, 5, 6, 0, 0, 0, 0, 0, 0] {
        return d.iter().map(|&x| x as u32).sum::<u32>() % 5 == 0;
    }
    !placeholder(&d[..d.len() - 1]) && d.iter().any(|&x| x != 0) && checksum::luhn_digits(d)
}

fn valid_fr_siren(text: &str) -> bool {
    let d = checksum::digits(text);
    d.len() == 9 && valid_siren_siret_digits(&d)
}

const SIRET_MAX: u16 = 17;
/// The forms a SIRET is written in: 3-3-3-5 (spaces optional after the first group), 9-5, or 14
/// digits in one run. A first group of 6 digits is not a written form.
const SIRET_PATTERN: &str = r"[0-9]{3} [0-9]{3} ?[0-9]{3} ?[0-9]{5}|[0-9]{9} [0-9]{5}|[0-9]{14}";

fn score_fr_siret(text: &str) -> Option<f32> {
    let d = checksum::digits(text);
    if d.len() != 14 || !valid_siren_siret_digits(&d) {
        return None;
    }
    // Written 3-3-3-5 it is a SIRET as printed on invoices; bare it is any 14-digit number.
    Some(if text.len() == 17 { 0.8 } else { NEEDS_CONTEXT })
}

// ------------------------------------------------------------------------ Benelux

fn valid_nl_bsn(text: &str) -> bool {
    let d = checksum::digits(text);
    if d.len() != 9 || placeholder(&d[..8]) {
        return false;
    }
    // The eleven-test: weights 9..2 and -1 for the last digit.
    let sum = checksum::weighted_sum(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) as i64 - d[8] as i64;
    sum > 0 && sum % 11 == 0
}

const BE_MAX: u16 = 15;
/// yy.mm.dd-nnn.cc with every separator optional, except that yymm.dd and yymmddnnn.cc are
/// not written forms: the latter reads as a decimal number.
const BE_PATTERN: &str = concat!(
    r"[0-9]{2}\.[0-9]{2}\.?[0-9]{2}[-. ]?[0-9]{3}\.?[0-9]{2}",
    r"|[0-9]{6}[-. ][0-9]{3}\.?[0-9]{2}",
    r"|[0-9]{11}",
);

fn valid_be_digits(d: &[u8]) -> bool {
    if d.len() != 11 || number(&d[6..9]) == 0 || placeholder(&d[..9]) {
        return false;
    }
    let body = number(&d[..9]);
    let key = two(d, 9) as u64;
    // People born from 2000 on have a 2 put in front of the number for the key.
    let born_1900s = 97 - body % 97 == key;
    let born_2000s = 97 - (2_000_000_000 + body) % 97 == key;
    if !born_1900s && !born_2000s {
        return false;
    }
    // BIS numbers add 20 or 40 to the month; month and day may be 00 when unknown.
    let month = match two(d, 2) {
        mm @ 0..=12 => mm,
        mm @ 20..=32 => mm - 20,
        mm @ 40..=52 => mm - 40,
        _ => return false,
    };
    let day = two(d, 4);
    let yy = two(d, 0);
    let date_ok = |year: u32| match (month, day) {
        (0, 0..=31) | (1..=12, 0) => year <= LATEST_BIRTH_YEAR,
        _ => valid_date(Some(year), yy, month, day),
    };
    (born_1900s && date_ok(1900 + yy)) || (born_2000s && date_ok(2000 + yy))
}

fn score_be_national_number(text: &str) -> Option<f32> {
    if !valid_be_digits(&checksum::digits(text)) {
        return None;
    }
    // yy.mm.dd-nnn.cc is the number as printed on the card; bare it is one 11-digit run of many.
    Some(if has_separator(text) {
        0.9
    } else {
        NEEDS_CONTEXT
    })
}

// ------------------------------------------------------------------------ Austria, Switzerland

fn valid_at_svnr(text: &str) -> bool {
    let d = checksum::digits(text);
    if d.len() != 10 || placeholder(&d) {
        return false;
    }
    // Serial (3), check digit, birth date ddmmyy.
    if !valid_date(None, two(&d, 8), two(&d, 6), two(&d, 4)) {
        return false;
    }
    let sum = checksum::weighted_sum(&d, &[3, 7, 9, 0, 5, 8, 4, 2, 1, 6]);
    sum % 11 == d[3] as u32
}

fn valid_ch_ahv(text: &str) -> bool {
    let d = checksum::digits(text);
    if d.len() != 13 || placeholder(&d[3..12]) {
        return false;
    }
    let sum = checksum::weighted_sum(&d[..12], &[1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3]);
    (10 - sum % 10) % 10 == d[12] as u32
}

// ------------------------------------------------------------------------ Czechia and Slovakia

fn score_cz_birth_number(text: &str) -> Option<f32> {
    let d = checksum::digits(text);
    let yy = two(&d, 0);
    // Nine-digit numbers were issued until 1953, ten-digit ones since 1954.
    let year = match d.len() {
        9 if yy < 54 => 1900 + yy,
        10 if yy >= 54 => 1900 + yy,
        10 => 2000 + yy,
        _ => return None,
    };
    // Women have 50 added to the month; since 2004 20 more may be added when serials run out.
    let month = match two(&d, 2) {
        mm @ 1..=12 => mm,
        mm @ 51..=62 => mm - 50,
        mm @ 21..=32 if year >= 2004 => mm - 20,
        mm @ 71..=82 if year >= 2004 => mm - 70,
        _ => return None,
    };
    if !valid_date(Some(year), yy, month, two(&d, 4)) || placeholder(&d) {
        return None;
    }
    if d.len() == 9 {
        // No check digit at all: a context word must say what it is.
        return Some(NEEDS_CONTEXT);
    }
    let n = number(&d);
    // Until 1985 a remainder of 10 was written as check digit 0.
    let ok = n % 11 == 0 || (year < 1986 && number(&d[..9]) % 11 == 10 && d[9] == 0);
    if !ok {
        return None;
    }
    Some(if text.contains('/') {
        0.8
    } else {
        NEEDS_CONTEXT
    })
}

// ------------------------------------------------------------------------ Croatia, Romania

fn valid_hr_oib(text: &str) -> bool {
    let d = checksum::digits(text);
    d.len() == 11 && !placeholder(&d[..10]) && checksum::iso7064_mod11_10_digits(&d)
}

fn valid_ro_cnp(text: &str) -> bool {
    let d = checksum::digits(text);
    if d.len() != 13 || placeholder(&d[1..12]) {
        return false;
    }
    // The first digit is sex and century; 7-9 (residents and foreigners) leave the century open.
    let yy = two(&d, 1);
    let year = match d[0] {
        1 | 2 => Some(1900 + yy),
        3 | 4 => Some(1800 + yy),
        5 | 6 => Some(2000 + yy),
        _ => None,
    };
    let county = two(&d, 7);
    let county_ok = (1..=48).contains(&county) || county == 51 || county == 52 || county == 70;
    if !county_ok || number(&d[9..12]) == 0 || !valid_date(year, yy, two(&d, 3), two(&d, 5)) {
        return false;
    }
    let r = checksum::weighted_sum(&d[..12], &[2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
    (if r == 10 { 1 } else { r }) == d[12] as u32
}

// ------------------------------------------------------------------------ Ireland, Portugal, Greece

fn valid_ie_ppsn(text: &str) -> bool {
    let b = text.as_bytes();
    let d = checksum::digits(&text[..7]);
    if d.len() != 7 || placeholder(&d) {
        return false;
    }
    let mut sum = checksum::weighted_sum(&d, &[8, 7, 6, 5, 4, 3, 2]);
    // The second letter (A, B, H... or W for none) has weight 9 and its alphabet position.
    if let Some(&second) = b.get(8) {
        sum += 9 * if second == b'W' {
            0
        } else {
            (second - b'A' + 1) as u32
        };
    }
    b"WABCDEFGHIJKLMNOPQRSTUV"[(sum % 23) as usize] == b[7]
}

fn valid_pt_nif(text: &str) -> bool {
    let d = checksum::digits(text);
    if d.len() != 9 || placeholder(&d[..8]) {
        return false;
    }
    let r = 11 - checksum::weighted_sum(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
    (if r >= 10 { 0 } else { r }) == d[8] as u32
}

fn valid_gr_amka(text: &str) -> bool {
    let d = checksum::digits(text);
    d.len() == 11
        && !placeholder(&d[..10])
        && valid_date(None, two(&d, 4), two(&d, 2), two(&d, 0))
        && checksum::luhn_digits(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::testing::{assert_finds, assert_not_finds, scored_hits};

    /// Changes the digit at byte `i` by one, so a check must fail.
    fn off_by_one(text: &str, i: usize) -> String {
        let mut b = text.as_bytes().to_vec();
        b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
        String::from_utf8(b).unwrap()
    }

    /// The country detector or the EU-wide VAT detector reports exactly `expected`.
    #[track_caller]
    fn assert_vat_found(text: &str, detector: &str, expected: &str) {
        let all = crate::dlp::testing::found(text);
        assert!(
            all.iter()
                .any(|(d, m)| (d == detector || d == "eu_vat_number") && m == expected),
            "expected {detector} to find {expected:?} in {text:?}; found {all:?}"
        );
    }

    /// Every match of one detector with its confidence (context boost included), before the
    /// threshold and before overlaps with other detectors are resolved.
    fn hit(detector: &str, text: &str) -> Vec<(String, f32)> {
        scored_hits(&[detector], text)
    }

    #[test]
    fn placeholders_are_recognised() {
        assert!(placeholder(&[1, 2, 3, 4, 5, 6, 7, 8]));
        assert!(placeholder(&[9, 8, 7, 6, 5, 4, 3, 2]));
        assert!(placeholder(&[7, 8, 9, 0, 1, 2]));
        assert!(placeholder(&[0, 0, 0, 0, 0, 0, 0]));
        assert!(!placeholder(&[4, 8, 3, 9, 2, 0, 1, 7]));
    }

    #[test]
    fn es_nif_nie_cif() {
        assert!(valid_es_nif("48392017V"));
        assert!(valid_es_nif("48392017-V"));
        assert!(valid_es_nif("48.392.017-V"));
        assert!(!valid_es_nif("48392017W"));
        assert!(!valid_es_nif("48392018V"));
        assert!(
            !valid_es_nif("12345678Z"),
            "the textbook sample is a placeholder"
        );
        assert!(valid_es_nie("X4821957F"));
        assert!(valid_es_nie("Y7654320A"));
        assert!(valid_es_nie("Z0392817M"));
        assert!(valid_es_nie("X-4821957-F"));
        assert!(!valid_es_nie("X4821957G"));
        assert!(!valid_es_nie("X4821958F"));
        assert!(!valid_es_nie("Y4821957F"));
        // A5826148: odd positions doubled and cross-summed, control 8 / letter H.
        assert!(valid_es_cif("A58261488"));
        assert!(!valid_es_cif("A5826148H"), "A companies carry a digit");
        assert!(valid_es_cif("Q5826148H"));
        assert!(valid_es_cif("G5826148H") && valid_es_cif("G58261488"));
        assert!(!valid_es_cif("A58261489"));
        assert_finds("DNI: 48392017V", "es_nif", "48392017V");
        assert_finds("mi NIE es X4821957F.", "es_nie", "X4821957F");
        assert_finds("CIF de la sociedad: A58261488", "es_cif", "A58261488");
        assert_not_finds("the build A58261488 passed", "es_cif");
        assert_not_finds("lot 48392018V shipped", "es_nif");
    }

    #[test]
    fn it_fiscal_code() {
        assert!(valid_it_fiscal_code("RSSMRA85M01H501Q"));
        assert!(valid_it_fiscal_code("MRTMTT91D08F205J"));
        assert!(!valid_it_fiscal_code("RSSMRA85M01H501R"));
        assert!(!valid_it_fiscal_code("RSSMRA85M01H502Q"));
        // Omocodia: the last place digit 1 replaced by M changes the check letter too.
        let omo = {
            let body = "RSSMRA85M01H50M";
            let sum: u32 = body
                .bytes()
                .enumerate()
                .map(|(i, c)| {
                    let v = if c.is_ascii_digit() {
                        (c - b'0') as u32
                    } else {
                        (c - b'A') as u32
                    };
                    if i % 2 == 0 {
                        CF_ODD[v as usize]
                    } else {
                        v
                    }
                })
                .sum();
            format!("{body}{}", (b'A' + (sum % 26) as u8) as char)
        };
        assert!(valid_it_fiscal_code(&omo));
        // Day 32 does not exist (nor 72 for a woman).
        assert!(!valid_it_fiscal_code("RSSMRA85M32H501Q"));
        assert_finds(
            "codice fiscale RSSMRA85M01H501Q",
            "it_fiscal_code",
            "RSSMRA85M01H501Q",
        );
        assert_finds(
            "CF: MRTMTT91D08F205J per favore",
            "it_fiscal_code",
            "MRTMTT91D08F205J",
        );
        assert_not_finds("ABCDEFGHIJKLMNOP is the alphabet", "it_fiscal_code");
    }

    #[test]
    fn it_vat_code() {
        assert!(valid_it_vat_digits(&checksum::digits("00743110157")));
        assert!(!valid_it_vat_digits(&checksum::digits("00743110158")));
        // Office 500 does not exist even though Luhn passes.
        let d: Vec<u8> = checksum::digits("0074311500");
        let check = (0..10u8)
            .find(|&c| checksum::luhn_digits(&[&d[..], &[c]].concat()))
            .unwrap();
        assert!(!valid_it_vat_digits(&[&d[..], &[check]].concat()));
        assert_eq!(
            hit("it_vat_code", "supplier IT00743110157"),
            vec![("IT00743110157".to_string(), 0.8)]
        );
        assert!(hit("it_vat_code", "total 1.00743110157").is_empty());
        assert!(hit("it_vat_code", "00743110157-2").is_empty());
        assert_eq!(
            hit("it_vat_code", "n. 00743110157"),
            vec![("00743110157".to_string(), NEEDS_CONTEXT)]
        );
        // With the IT prefix the EU VAT detector may claim the span; either way it is found.
        assert_vat_found(
            "Fornitore IT00743110157 srl",
            "it_vat_code",
            "IT00743110157",
        );
        assert_finds("Partita IVA: 00743110157", "it_vat_code", "00743110157");
        assert_not_finds("order 00743110157 shipped", "it_vat_code");
        assert_not_finds("IT00743110158", "it_vat_code");
    }

    #[test]
    fn pl_pesel() {
        assert!(valid_pl_pesel("44051401359"));
        assert!(valid_pl_pesel("02210101238"), "born 2002-01-01: month + 20");
        assert!(!valid_pl_pesel(&off_by_one("44051401359", 10)));
        assert!(!valid_pl_pesel(&off_by_one("44051401359", 7)));
        assert!(!valid_pl_pesel("44133101353"), "month 13 does not exist");
        assert!(
            (0..10).all(|c| !valid_pl_pesel(&format!("4485140135{c}"))),
            "born 1844"
        );
        assert_finds("PESEL: 44051401359", "pl_pesel", "44051401359");
        assert_not_finds("invoice 44051401359", "pl_pesel");
    }

    #[test]
    fn fi_hetu() {
        assert!(valid_fi_hetu("131052-308T"));
        assert!(valid_fi_hetu("010594Y9032"));
        assert!(valid_fi_hetu("020305A012C"));
        assert!(!valid_fi_hetu("131052-308U"));
        assert!(!valid_fi_hetu("131052-309T"));
        assert!(!valid_fi_hetu("310252-308T"), "31 February");
        assert_finds("henkilötunnus 131052-308T", "fi_hetu", "131052-308T");
        assert_finds("id 010594Y9032 ok", "fi_hetu", "010594Y9032");
        assert_not_finds("build 131052-309T", "fi_hetu");
    }

    #[test]
    fn se_personnummer() {
        assert_eq!(score_se_personnummer("811218-9876"), Some(0.85));
        assert_eq!(score_se_personnummer("19811218-9876"), Some(0.85));
        assert_eq!(score_se_personnummer("198112189876"), Some(NEEDS_CONTEXT));
        assert_eq!(score_se_personnummer("8112189876"), Some(NEEDS_CONTEXT));
        assert_eq!(score_se_personnummer("811218-9877"), None);
        // A date and a time of day, as in a file name, needs context.
        assert!(checksum::luhn("2401151234"));
        assert_eq!(score_se_personnummer("20240115-1234"), Some(NEEDS_CONTEXT));
        assert_eq!(score_se_personnummer("240115-1234"), Some(NEEDS_CONTEXT));
        assert_not_finds("backup-20240115-1234.tar.gz", "se_personnummer");
        assert_eq!(score_se_personnummer("811318-9876"), None);
        // A coordination number: day 18 + 60.
        let body = checksum::digits("811278987");
        let c = (0..10u8)
            .find(|&c| checksum::luhn_digits(&[&body[..], &[c]].concat()))
            .unwrap();
        assert_eq!(score_se_personnummer(&format!("811278-987{c}")), Some(0.85));
        assert_finds("personnummer 811218-9876", "se_personnummer", "811218-9876");
        assert_finds("born 19811218-9876", "se_personnummer", "19811218-9876");
        assert_finds(
            "Personnummer: 198112189876",
            "se_personnummer",
            "198112189876",
        );
        assert_not_finds("ts=198112189876", "se_personnummer");
        assert_not_finds("ref 811218-9877", "se_personnummer");
    }

    #[test]
    fn dk_cpr() {
        assert_eq!(score_dk_cpr("070761-4285"), Some(0.75));
        assert_eq!(score_dk_cpr("0707614285"), Some(NEEDS_CONTEXT));
        assert_eq!(
            score_dk_cpr("070761-4286"),
            Some(NEEDS_CONTEXT),
            "post-2007 numbers skip mod 11"
        );
        assert_eq!(score_dk_cpr("300261-4285"), None, "30 February");
        assert_finds("CPR-nr. 070761-4285", "dk_cpr", "070761-4285");
        assert_finds("cpr: 070761-4286", "dk_cpr", "070761-4286");
        assert_not_finds("batch 070761-4286 done", "dk_cpr");
    }

    #[test]
    fn no_fnr() {
        assert!(valid_no_fnr("01010750160"));
        assert!(valid_no_fnr("15037512335"));
        assert!(valid_no_fnr("010107 50160"));
        assert!(!valid_no_fnr("01010750161"));
        assert!(!valid_no_fnr(&off_by_one("15037512335", 6)));
        assert_finds("fødselsnummer 15037512335", "no_fnr", "15037512335");
        assert_finds("id 15037512335", "no_fnr", "15037512335");
        assert_not_finds("id 15037512336", "no_fnr");
    }

    #[test]
    fn ee_isikukood() {
        assert!(valid_ee_isikukood(&checksum::digits("37605030299")));
        assert!(valid_ee_isikukood(&checksum::digits("49001011238")));
        assert!(!valid_ee_isikukood(&checksum::digits("37605030298")));
        // Born in the 1800s (first digit 1) or after 2030: no living person, whatever the check.
        assert!((0..10).all(|c| !valid_ee_isikukood(&checksum::digits(&format!("1760503029{c}")))));
        assert!((0..10).all(|c| !valid_ee_isikukood(&checksum::digits(&format!("5760503029{c}")))));
        assert!(!valid_ee_isikukood(&checksum::digits("37613030299")));
        assert_finds("isikukood 37605030299", "ee_isikukood", "37605030299");
        assert_not_finds("call +37605030299", "ee_isikukood");
    }

    #[test]
    fn de_tax_id_and_vat() {
        assert!(valid_de_tax_id("86095742719"));
        assert!(valid_de_tax_id("86 095 742 719"));
        assert!(!valid_de_tax_id("86095742718"));
        assert!(!valid_de_tax_id("06095742713"), "never starts with 0");
        // Every digit once: the repetition rule fails whatever the check digit.
        assert!((0..10u8).all(|c| !valid_de_tax_id(&format!("1234567890{c}"))));
        assert!((0..10u8).all(|c| !valid_de_tax_id(&format!("1112345670{c}"))));
        assert_finds("Steuer-ID: 86095742719", "de_tax_id", "86095742719");
        assert_finds(
            "steueridentifikationsnummer 86 095 742 719",
            "de_tax_id",
            "86 095 742 719",
        );
        assert_not_finds("Bestellung 86095742719", "de_tax_id");

        assert!(valid_de_vat_id("DE136695976"));
        assert!(valid_de_vat_id("DE 136695976"));
        assert!(!valid_de_vat_id("DE136695977"));
        assert_vat_found("USt-IdNr. DE136695976", "de_vat_id", "DE136695976");
        assert_vat_found("our id DE 136695976", "de_vat_id", "DE 136695976");
        assert_not_finds("DE136695977", "de_vat_id");
    }

    #[test]
    fn de_documents() {
        assert_eq!(icao_check(b"T22000129"), Some(3));
        assert!(valid_de_id_card("T220001293"));
        assert!(valid_de_id_card("T22000129"));
        assert!(valid_de_id_card("L01X00T471"));
        assert!(!valid_de_id_card("T220001294"));
        assert!(!valid_de_id_card("TXYZXYZXY"), "needs digits");
        assert!(valid_de_passport("C01X00T478"));
        assert!(!valid_de_passport("C01X00T477"));
        assert_finds("Personalausweis Nr. T220001293", "de_id_card", "T220001293");
        assert_not_finds("T220001293", "de_id_card");
        assert_finds("Reisepass: C01X00T478", "de_passport", "C01X00T478");
        assert_not_finds("sku C01X00T478", "de_passport");
    }

    #[test]
    fn de_rvnr_and_kvnr() {
        assert!(valid_de_rvnr("15070649C103"));
        assert!(valid_de_rvnr("65 170839 J 003"));
        assert!(valid_de_rvnr("65170839J003"));
        assert!(!valid_de_rvnr("65170839J004"));
        assert!(!valid_de_rvnr("65170839K003"));
        assert!(!valid_de_rvnr("65173239J003"), "month 32");
        assert_finds(
            "Rentenversicherungsnummer 65 170839 J 003",
            "de_rvnr",
            "65 170839 J 003",
        );
        assert_finds("id 15070649C103", "de_rvnr", "15070649C103");
        assert_not_finds("id 15070649C104", "de_rvnr");

        assert!(valid_de_kvnr("T045678913"));
        assert!(!valid_de_kvnr("T045678914"));
        assert!(!valid_de_kvnr("A123456780"), "sequence placeholder");
        assert_finds(
            "Krankenversicherungsnummer: T045678913",
            "de_kvnr",
            "T045678913",
        );
        assert_not_finds("ticket T045678913", "de_kvnr");
    }

    #[test]
    fn fr_nir_siren_siret() {
        assert!(valid_fr_nir("255081416802538"));
        assert!(valid_fr_nir("2 55 08 14 168 025 38"));
        assert!(valid_fr_nir("185052A00608435"));
        assert!(!valid_fr_nir("255081416802539"));
        assert!(!valid_fr_nir("185052B00608435"));
        assert!(!valid_fr_nir("355081416802538"), "sex digit");
        assert_finds(
            "n° de sécurité sociale : 2 55 08 14 168 025 38",
            "fr_nir",
            "2 55 08 14 168 025 38",
        );
        assert_finds("NIR 185052A00608435", "fr_nir", "185052A00608435");
        assert_not_finds("ref 255081416802539", "fr_nir");

        assert!(valid_fr_siren("732829320"));
        assert!(valid_fr_siren("732 829 320"));
        assert!(!valid_fr_siren("732829321"));
        assert!(valid_fr_siren("356000000"), "La Poste");
        assert_finds("SIREN 732 829 320", "fr_siren", "732 829 320");
        assert_not_finds("order 732829320", "fr_siren");

        assert_eq!(score_fr_siret("732 829 320 00074"), Some(0.8));
        assert_eq!(score_fr_siret("73282932000074"), Some(NEEDS_CONTEXT));
        assert_eq!(score_fr_siret("73282932000075"), None);
        assert_eq!(
            score_fr_siret("35600000049837"),
            Some(NEEDS_CONTEXT),
            "La Poste mod 5"
        );
        assert_finds("facture 732 829 320 00074", "fr_siret", "732 829 320 00074");
        // A bare SIRET passes Luhn over 14 digits, so the card detector claims it at a higher
        // confidence; the context-lifted SIRET hit is still produced.
        assert_eq!(hit("fr_siret", "SIRET: 73282932000074").len(), 1);
        assert_not_finds("id 73282932000074", "fr_siret");
    }

    #[test]
    fn nl_bsn_and_be() {
        assert!(valid_nl_bsn("111222333"));
        assert!(valid_nl_bsn("1112.22.333"));
        assert!(!valid_nl_bsn("111222334"));
        assert_finds("BSN: 111222333", "nl_bsn", "111222333");
        assert_not_finds("order 111222333", "nl_bsn");

        assert!(valid_be_digits(&checksum::digits("85073003328")));
        assert!(
            valid_be_digits(&checksum::digits("01020304031")),
            "born 2001: key over 2 + number"
        );
        assert!(!valid_be_digits(&checksum::digits("85073003329")));
        assert!(!valid_be_digits(&checksum::digits("85133003328")));
        assert_eq!(score_be_national_number("85.07.30-033.28"), Some(0.9));
        assert_eq!(score_be_national_number("85073003328"), Some(NEEDS_CONTEXT));
        assert!(hit("be_national_number", "tel +85073003328").is_empty());
        assert!(hit("be_national_number", "p = 0.85073003328").is_empty());
        assert_eq!(hit("be_national_number", "nr 85073003328").len(), 1);
        assert_finds(
            "rijksregisternummer 85.07.30-033.28",
            "be_national_number",
            "85.07.30-033.28",
        );
        assert_not_finds("85.07.30-033.29", "be_national_number");
    }

    #[test]
    fn at_ch_cz_hr_ro() {
        assert!(valid_at_svnr("1237010180"));
        assert!(valid_at_svnr("1237 010180"));
        assert!(!valid_at_svnr("1238010180"));
        assert_finds("SVNR 1237 010180", "at_svnr", "1237 010180");
        assert_not_finds("ticket 1237 010180", "at_svnr");

        assert!(valid_ch_ahv("756.9412.3456.71"));
        assert!(valid_ch_ahv("7569412345671"));
        assert!(!valid_ch_ahv("756.9412.3456.72"));
        assert!(!valid_ch_ahv("756.1234.5678.97"), "sample number");
        assert_finds("AHV-Nr. 756.9412.3456.71", "ch_ahv", "756.9412.3456.71");

        // 7103192745 is 710319/2745: born 1971-03-19, divisible by 11.
        assert_eq!(number(&checksum::digits("7103192745")) % 11, 0);
        assert_eq!(score_cz_birth_number("710319/2745"), Some(0.8));
        assert_eq!(score_cz_birth_number("7103192745"), Some(NEEDS_CONTEXT));
        assert_eq!(score_cz_birth_number("710319/2746"), None);
        assert_eq!(score_cz_birth_number("715319/2745"), None, "no month 53");
        assert_finds("rodné číslo 710319/2745", "cz_birth_number", "710319/2745");
        assert_not_finds("/api/7103192746", "cz_birth_number");

        assert!(valid_hr_oib("69435151530"));
        assert!(!valid_hr_oib("69435151531"));
        assert_finds("OIB: 69435151530", "hr_oib", "69435151530");
        assert_not_finds("id 69435151530", "hr_oib");

        assert!(valid_ro_cnp("1800101221144"));
        assert!(valid_ro_cnp("2960507401235"));
        assert!(!valid_ro_cnp("1800101221145"));
        assert!(!valid_ro_cnp(&off_by_one("1800101221144", 3)));
        assert_finds("CNP 1800101221144", "ro_cnp", "1800101221144");
    }

    #[test]
    fn ie_pt_gr() {
        assert!(valid_ie_ppsn("4830192C"));
        assert!(valid_ie_ppsn("2917364FA"));
        assert!(valid_ie_ppsn("2917364TW"));
        assert!(!valid_ie_ppsn("4830192D"));
        assert!(!valid_ie_ppsn("2917364FB"));
        assert!(!valid_ie_ppsn("1234567T"), "sample number");
        assert_finds("PPSN 2917364FA", "ie_ppsn", "2917364FA");
        assert_finds("my number is 4830192C", "ie_ppsn", "4830192C");
        assert_not_finds("part 4830192D", "ie_ppsn");

        assert!(valid_pt_nif("501234560"));
        assert!(!valid_pt_nif("501234561"));
        assert!(!valid_pt_nif("123456789"), "placeholder");
        assert_finds("NIF: 501234560", "pt_nif", "501234560");
        assert_not_finds("order 501234560", "pt_nif");

        let amka = {
            let body = checksum::digits("1503851234");
            let c = (0..10u8)
                .find(|&c| checksum::luhn_digits(&[&body[..], &[c]].concat()))
                .unwrap();
            format!("1503851234{c}")
        };
        assert!(valid_gr_amka(&amka));
        assert!(!valid_gr_amka(&off_by_one(&amka, 10)));
        assert_finds(&format!("AMKA: {amka}"), "gr_amka", &amka);
        assert_not_finds(&format!("ref {amka}"), "gr_amka");
    }

    #[test]
    fn benign_numbers_stay_clean() {
        let ids = [
            "es_nif",
            "es_nie",
            "it_fiscal_code",
            "it_vat_code",
            "fi_hetu",
            "se_personnummer",
            "dk_cpr",
            "no_fnr",
            "ee_isikukood",
            "de_vat_id",
            "de_rvnr",
            "fr_nir",
            "fr_siret",
            "be_national_number",
            "ch_ahv",
            "cz_birth_number",
            "ro_cnp",
            "ie_ppsn",
        ];
        let text = "2024-01-15T10:32:11Z GET /orders/20240115 200 in 35ms; order #10023948 invoice \
                    INV-2024-000123 total $1,234.56 ts=1705312331 ms=1705312331123 \
                    sha 3f786850e387550fdab836ed7e6dc881de23001b uuid 550e8400-e29b-41d4-a716-446655440000 \
                    version 1.12.3 build 20240115.3 phone +1 415 555 0132 counter 000123 \
                    ticket 2023110412 pid 48213 port 8080 date 15/01/2024 12:30";
        for id in ids {
            assert_not_finds(text, id);
        }
    }
}
