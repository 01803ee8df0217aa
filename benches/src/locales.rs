//! Locale data for the corpus: hand-written name, city and street lists, phone and address
//! formats, and which national identifiers each locale plants.
//!
//! The name lists are our own and deliberately independent of `core/data/names`, so the name
//! detector is measured on names it was not built from.

use rand::Rng;

use crate::values::{self as v, pick, Rng8};

/// A national identifier a locale plants, with the words people put before it.
pub struct NationalId {
    pub category: &'static str,
    pub gen: fn(&mut Rng8, &Person) -> String,
    /// Lead-ins that name the identifier ("my SSN is "); they end with the separator to the value.
    pub lead: &'static [&'static str],
    /// Written in its own distinctive format, so it is sometimes planted with no lead-in at all.
    pub distinctive: bool,
}

pub struct Person {
    pub first: &'static str,
    pub last: &'static str,
    pub female: bool,
    /// How the full name is written in running text.
    pub full: String,
    /// ASCII form for e-mail addresses.
    pub ascii_first: String,
    pub ascii_last: String,
}

pub struct Locale {
    pub code: &'static str,
    pub lang: &'static str,
    /// Share of prompts written in the local language rather than English.
    pub native_share: f64,
    pub female: &'static [&'static str],
    pub male: &'static [&'static str],
    pub last: &'static [&'static str],
    /// Full names in the local script, used in local-language prompts.
    pub native_names: &'static [&'static str],
    pub family_first: bool,
    pub cities: &'static [&'static str],
    pub streets: &'static [&'static str],
    pub address: fn(&mut Rng8, &str, &str) -> String,
    pub phone: fn(&mut Rng8) -> String,
    pub iban: &'static str,
    pub email_domains: &'static [&'static str],
    pub ids: &'static [NationalId],
    pub date: fn(u32, u32, u32, &mut Rng8) -> String,
}

impl Locale {
    pub fn person(&self, r: &mut Rng8) -> Person {
        let female = r.gen_bool(0.5);
        let first = if female {
            pick(r, self.female)
        } else {
            pick(r, self.male)
        };
        let last = pick(r, self.last);
        let full = if self.family_first {
            format!("{last} {first}")
        } else {
            format!("{first} {last}")
        };
        Person {
            first,
            last,
            female,
            full,
            ascii_first: ascii(first),
            ascii_last: ascii(last),
        }
    }
}

/// Lower-case ASCII for e-mail local parts.
pub fn ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let m = match c {
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' => "ss",
            'á' | 'à' | 'â' | 'ã' | 'å' | 'ą' | 'Á' | 'Å' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'É' => "e",
            'í' | 'ì' | 'î' | 'ï' | 'ı' | 'İ' => "i",
            'ó' | 'ò' | 'ô' | 'õ' | 'Ó' | 'Ø' | 'ø' => "o",
            'ú' | 'ù' | 'û' => "u",
            'ñ' => "n",
            'ç' | 'ć' | 'Ç' | 'č' => "c",
            'ł' | 'Ł' => "l",
            'ś' | 'ş' | 'Ş' | 'š' => "s",
            'ź' | 'ż' | 'Ż' | 'ž' => "z",
            'ğ' => "g",
            'ń' => "n",
            ' ' | '\'' => "",
            '-' => "-",
            c if c.is_ascii_alphanumeric() => {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            _ => "",
        };
        out.push_str(m);
    }
    out
}

fn d2(r: &mut Rng8, n: usize) -> String {
    let mut s = String::new();
    s.push((b'2' + r.gen_range(0..8u8)) as char);
    for _ in 1..n {
        s.push((b'0' + r.gen_range(0..10u8)) as char);
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Phones: national and international forms, with number ranges that are really in use.

fn phone_nanp(r: &mut Rng8, areas: &[&str]) -> String {
    let a = pick(r, areas);
    let e = loop {
        let e = d2(r, 3);
        if &e[1..] != "11" && e != "555" {
            break e;
        }
    };
    let l = format!("{:04}", r.gen_range(0..10000));
    match r.gen_range(0..5) {
        0 => format!("({a}) {e}-{l}"),
        1 => format!("{a}-{e}-{l}"),
        2 => format!("+1 {a} {e} {l}"),
        3 => format!("+1-{a}-{e}-{l}"),
        _ => format!("{a}.{e}.{l}"),
    }
}

fn phone_us(r: &mut Rng8) -> String {
    phone_nanp(
        r,
        &[
            "212", "415", "312", "617", "206", "303", "512", "404", "503", "615", "713", "602",
        ],
    )
}

fn phone_ca(r: &mut Rng8) -> String {
    phone_nanp(r, &["416", "604", "514", "403", "613", "780", "902", "647"])
}

fn phone_gb(r: &mut Rng8) -> String {
    match r.gen_range(0..4) {
        0 => format!(
            "07{}{} {}",
            pick(r, &["4", "5", "7", "8", "9"]),
            d2(r, 2),
            d2(r, 6)
        ),
        1 => format!(
            "+44 7{}{} {}",
            pick(r, &["4", "5", "7", "8", "9"]),
            d2(r, 2),
            d2(r, 6)
        ),
        2 => format!(
            "020 {} {}",
            pick(r, &["3", "7", "8"]).to_owned() + &d2(r, 3),
            d2(r, 4)
        ),
        _ => format!("0161 {} {}", d2(r, 3), d2(r, 4)),
    }
}

fn phone_de(r: &mut Rng8) -> String {
    let mobile = pick(
        r,
        &[
            "151", "152", "157", "160", "162", "170", "171", "172", "173", "175", "176", "177",
            "178", "179",
        ],
    );
    let len = if mobile.starts_with("15") {
        8
    } else {
        7 + r.gen_range(0..2)
    };
    let body = d2(r, len);
    match r.gen_range(0..5) {
        0 => format!("0{mobile} {body}"),
        1 => format!("+49 {mobile} {body}"),
        2 => format!("+49 (0){mobile} {body}"),
        3 => format!("030 {}", d2(r, 8)),
        _ => format!("089 {} {}", d2(r, 4), d2(r, 4)),
    }
}

fn pairs(s: &str) -> String {
    s.as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ")
}

fn phone_fr(r: &mut Rng8) -> String {
    let lead = pick(r, &["6", "7", "1", "4"]);
    let body = d2(r, 8);
    match r.gen_range(0..3) {
        0 => format!("0{lead} {}", pairs(&body)),
        1 => format!("+33 {lead} {}", pairs(&body)),
        _ => format!("0{lead}.{}", pairs(&body).replace(' ', ".")),
    }
}

fn phone_es(r: &mut Rng8) -> String {
    let b = format!("{}{}", pick(r, &["6", "7", "9"]), d2(r, 8));
    match r.gen_range(0..3) {
        0 => v::group(&b, &[3, 3, 3], " "),
        1 => format!("+34 {}", v::group(&b, &[3, 3, 3], " ")),
        _ => format!("+34 {}", v::group(&b, &[3, 2, 2, 2], " ")),
    }
}

fn phone_it(r: &mut Rng8) -> String {
    match r.gen_range(0..3) {
        0 => format!(
            "+39 3{}{} {} {}",
            r.gen_range(2..5),
            r.gen_range(0..10),
            d2(r, 3),
            d2(r, 4)
        ),
        1 => format!("3{}{} {}", r.gen_range(2..5), r.gen_range(0..10), d2(r, 7)),
        _ => format!("06 {} {}", d2(r, 4), d2(r, 4)),
    }
}

fn phone_nl(r: &mut Rng8) -> String {
    match r.gen_range(0..3) {
        0 => format!("06-{}", d2(r, 8)),
        1 => format!("+31 6 {}", d2(r, 8)),
        _ => format!("020 {} {}", d2(r, 3), d2(r, 4)),
    }
}

fn phone_pl(r: &mut Rng8) -> String {
    let p = pick(
        r,
        &[
            "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88",
        ],
    );
    let b = format!("{p}{}", d2(r, 7));
    match r.gen_range(0..3) {
        0 => format!("+48 {}", v::group(&b, &[3, 3, 3], " ")),
        1 => v::group(&b, &[3, 3, 3], " "),
        _ => format!("22 {} {} {}", d2(r, 3), d2(r, 2), d2(r, 2)),
    }
}

fn phone_se(r: &mut Rng8) -> String {
    let p = pick(r, &["70", "72", "73", "76", "79"]);
    let b = d2(r, 7);
    match r.gen_range(0..3) {
        0 => format!("0{p}-{} {} {}", &b[0..3], &b[3..5], &b[5..7]),
        1 => format!("+46 {p} {} {} {}", &b[0..3], &b[3..5], &b[5..7]),
        _ => format!("08-{} {} {}", d2(r, 3), d2(r, 3), d2(r, 2)),
    }
}

fn phone_fi(r: &mut Rng8) -> String {
    let p = pick(r, &["40", "44", "45", "50"]);
    match r.gen_range(0..3) {
        0 => format!("0{p} {} {}", d2(r, 3), d2(r, 4)),
        1 => format!("+358 {p} {} {}", d2(r, 3), d2(r, 4)),
        _ => format!("0{p} {}", d2(r, 7)),
    }
}

fn phone_br(r: &mut Rng8) -> String {
    let ddd = pick(r, &["11", "21", "31", "41", "51", "61", "71", "81"]);
    match r.gen_range(0..3) {
        0 => format!("({ddd}) 9{}-{}", d2(r, 4), d2(r, 4)),
        1 => format!("+55 {ddd} 9{}-{}", d2(r, 4), d2(r, 4)),
        _ => format!("({ddd}) 3{}-{}", d2(r, 3), d2(r, 4)),
    }
}

fn phone_in(r: &mut Rng8) -> String {
    let b = format!("{}{}", pick(r, &["9", "8", "7"]), d2(r, 9));
    match r.gen_range(0..3) {
        0 => format!("+91 {} {}", &b[0..5], &b[5..10]),
        1 => format!("+91-{b}"),
        _ => format!("0{} {}", &b[0..5], &b[5..10]),
    }
}

fn phone_sg(r: &mut Rng8) -> String {
    let b = format!("{}{}", pick(r, &["8", "9", "6"]), d2(r, 7));
    if r.gen_bool(0.6) {
        format!("+65 {} {}", &b[0..4], &b[4..8])
    } else {
        format!("{} {}", &b[0..4], &b[4..8])
    }
}

fn phone_au(r: &mut Rng8) -> String {
    match r.gen_range(0..3) {
        0 => format!("04{} {} {}", d2(r, 2), d2(r, 3), d2(r, 3)),
        1 => format!("+61 4{} {} {}", d2(r, 2), d2(r, 3), d2(r, 3)),
        _ => format!(
            "(0{}) {} {}",
            pick(r, &["2", "3", "7", "8"]),
            d2(r, 4),
            d2(r, 4)
        ),
    }
}

fn phone_cn(r: &mut Rng8) -> String {
    let b = format!(
        "1{}{}",
        pick(r, &["38", "39", "50", "58", "86", "88", "35", "77"]),
        d2(r, 8)
    );
    match r.gen_range(0..3) {
        0 => format!("{} {} {}", &b[0..3], &b[3..7], &b[7..11]),
        1 => format!("+86 {} {} {}", &b[0..3], &b[3..7], &b[7..11]),
        _ => b,
    }
}

fn phone_hk(r: &mut Rng8) -> String {
    let b = format!("{}{}", pick(r, &["9", "6", "5"]), d2(r, 7));
    if r.gen_bool(0.6) {
        format!("+852 {} {}", &b[0..4], &b[4..8])
    } else {
        format!("{} {}", &b[0..4], &b[4..8])
    }
}

fn phone_jp(r: &mut Rng8) -> String {
    let p = pick(r, &["90", "80", "70"]);
    match r.gen_range(0..3) {
        0 => format!("0{p}-{}-{}", d2(r, 4), d2(r, 4)),
        1 => format!("+81 {p}-{}-{}", d2(r, 4), d2(r, 4)),
        _ => format!("03-{}-{}", d2(r, 4), d2(r, 4)),
    }
}

fn phone_kr(r: &mut Rng8) -> String {
    match r.gen_range(0..3) {
        0 => format!("010-{}-{}", d2(r, 4), d2(r, 4)),
        1 => format!("+82 10-{}-{}", d2(r, 4), d2(r, 4)),
        _ => format!("02-{}-{}", d2(r, 3), d2(r, 4)),
    }
}

fn phone_tr(r: &mut Rng8) -> String {
    let p = pick(r, &["532", "533", "535", "542", "543", "505", "555", "554"]);
    if r.gen_bool(0.5) {
        format!("0{p} {} {} {}", d2(r, 3), d2(r, 2), d2(r, 2))
    } else {
        format!("+90 {p} {} {} {}", d2(r, 3), d2(r, 2), d2(r, 2))
    }
}

fn phone_mx(r: &mut Rng8) -> String {
    let a = pick(r, &["55", "33", "81"]);
    if r.gen_bool(0.5) {
        format!("+52 {a} {} {}", d2(r, 4), d2(r, 4))
    } else {
        format!("{a} {} {}", d2(r, 4), d2(r, 4))
    }
}

fn phone_za(r: &mut Rng8) -> String {
    let p = pick(r, &["82", "83", "72", "71", "84", "61"]);
    if r.gen_bool(0.5) {
        format!("0{p} {} {}", d2(r, 3), d2(r, 4))
    } else {
        format!("+27 {p} {} {}", d2(r, 3), d2(r, 4))
    }
}

fn phone_ng(r: &mut Rng8) -> String {
    let p = pick(
        r,
        &[
            "803", "806", "813", "816", "703", "706", "805", "807", "809", "817",
        ],
    );
    if r.gen_bool(0.5) {
        format!("0{p} {} {}", d2(r, 3), d2(r, 4))
    } else {
        format!("+234 {p} {} {}", d2(r, 3), d2(r, 4))
    }
}

fn phone_il(r: &mut Rng8) -> String {
    let p = pick(r, &["50", "52", "53", "54", "58"]);
    if r.gen_bool(0.5) {
        format!("0{p}-{}-{}", d2(r, 3), d2(r, 4))
    } else {
        format!("+972 {p}-{}-{}", d2(r, 3), d2(r, 4))
    }
}

fn phone_th(r: &mut Rng8) -> String {
    let p = pick(r, &["81", "89", "86", "61", "91", "95"]);
    if r.gen_bool(0.5) {
        format!("0{p}-{}-{}", d2(r, 3), d2(r, 4))
    } else {
        format!("+66 {p} {} {}", d2(r, 3), d2(r, 4))
    }
}

// ---------------------------------------------------------------------------------------------
// Addresses

fn n(r: &mut Rng8, hi: u32) -> u32 {
    r.gen_range(1..hi)
}

fn addr_us(r: &mut Rng8, street: &str, city: &str) -> String {
    let st = pick(
        r,
        &["IL", "CA", "NY", "TX", "WA", "MA", "CO", "GA", "OR", "TN"],
    );
    let kind = pick(
        r,
        &[
            "St", "Street", "Ave", "Avenue", "Blvd", "Drive", "Lane", "Road",
        ],
    );
    let unit = if r.gen_bool(0.3) {
        format!(", Apt {}", n(r, 40))
    } else {
        String::new()
    };
    format!(
        "{} {street} {kind}{unit}, {city}, {st} {:05}",
        n(r, 9999),
        r.gen_range(10000..99950)
    )
}

fn addr_ca(r: &mut Rng8, street: &str, city: &str) -> String {
    const L: &[u8] = b"ABCEGHJKLMNPRSTVXY";
    let pc = format!(
        "{}{}{} {}{}{}",
        L[r.gen_range(0..L.len())] as char,
        r.gen_range(0..10),
        L[r.gen_range(0..L.len())] as char,
        r.gen_range(0..10),
        L[r.gen_range(0..L.len())] as char,
        r.gen_range(0..10)
    );
    format!(
        "{} {street} Street, {city}, {} {pc}",
        n(r, 3000),
        pick(r, &["ON", "BC", "QC", "AB"])
    )
}

fn uk_postcode(r: &mut Rng8) -> String {
    const L: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    format!(
        "{}{} {}{}{}",
        pick(
            r,
            &["M", "LS", "BS", "G", "EH", "L", "B", "CF", "SW", "N", "E", "NW"]
        ),
        n(r, 20),
        r.gen_range(0..10),
        L[r.gen_range(0..L.len())] as char,
        L[r.gen_range(0..L.len())] as char
    )
}

fn addr_gb(r: &mut Rng8, street: &str, city: &str) -> String {
    let kind = pick(
        r,
        &["Road", "Street", "Lane", "Close", "Avenue", "Crescent"],
    );
    format!("{} {street} {kind}, {city} {}", n(r, 200), uk_postcode(r))
}

fn addr_de(r: &mut Rng8, street: &str, city: &str) -> String {
    let suffix = pick(r, &["straße", "str.", "weg", "allee", "platz"]);
    format!(
        "{street}{suffix} {}, {:05} {city}",
        n(r, 120),
        r.gen_range(1067..99998)
    )
}

fn addr_fr(r: &mut Rng8, street: &str, city: &str) -> String {
    let kind = pick(r, &["rue", "avenue", "boulevard", "place"]);
    format!(
        "{} {kind} {street}, {:05} {city}",
        n(r, 150),
        r.gen_range(1000..95999)
    )
}

fn addr_es(r: &mut Rng8, street: &str, city: &str) -> String {
    let kind = pick(r, &["Calle", "Avenida", "Paseo", "Plaza"]);
    format!(
        "{kind} {street} {}, {}º, {:05} {city}",
        n(r, 150),
        n(r, 9),
        r.gen_range(1000..52999)
    )
}

fn addr_it(r: &mut Rng8, street: &str, city: &str) -> String {
    let kind = pick(r, &["Via", "Viale", "Corso", "Piazza"]);
    format!(
        "{kind} {street} {}, {:05} {city}",
        n(r, 150),
        r.gen_range(10..98168)
    )
}

fn addr_nl(r: &mut Rng8, street: &str, city: &str) -> String {
    let suffix = pick(r, &["straat", "laan", "weg", "gracht"]);
    const L: &[u8] = b"ABCDEGHJKLMNPRSTVWXZ";
    format!(
        "{street}{suffix} {}, {} {}{} {city}",
        n(r, 300),
        r.gen_range(1011..9999),
        L[r.gen_range(0..L.len())] as char,
        L[r.gen_range(0..L.len())] as char
    )
}

fn addr_pl(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "ul. {street} {}/{}, {:02}-{:03} {city}",
        n(r, 120),
        n(r, 60),
        r.gen_range(0..99),
        r.gen_range(0..999)
    )
}

fn addr_se(r: &mut Rng8, street: &str, city: &str) -> String {
    let suffix = pick(r, &["gatan", "vägen", "gränd"]);
    format!(
        "{street}{suffix} {}, {} {:02} {city}",
        n(r, 90),
        r.gen_range(100..985),
        r.gen_range(0..99)
    )
}

fn addr_fi(r: &mut Rng8, street: &str, city: &str) -> String {
    let suffix = pick(r, &["katu", "tie", "kuja"]);
    format!(
        "{street}{suffix} {} B {}, {:05} {city}",
        n(r, 80),
        n(r, 40),
        r.gen_range(100..99999)
    )
}

fn addr_br(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "Rua {street}, {} - {city}, CEP {:05}-{:03}",
        n(r, 3000),
        r.gen_range(1000..99999),
        r.gen_range(0..999)
    )
}

fn addr_in(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "{}, {street} Road, {city} {}",
        n(r, 400),
        r.gen_range(110001..856000)
    )
}

fn addr_sg(r: &mut Rng8, street: &str, _city: &str) -> String {
    format!(
        "Blk {} {street} Avenue {}, #{:02}-{}, Singapore {}",
        n(r, 700),
        n(r, 9),
        n(r, 25),
        r.gen_range(100..999),
        r.gen_range(100000..830000)
    )
}

fn addr_au(r: &mut Rng8, street: &str, city: &str) -> String {
    let kind = pick(r, &["Street", "Road", "Parade", "Avenue", "Terrace"]);
    format!(
        "{} {street} {kind}, {city} {} {}",
        n(r, 400),
        pick(r, &["NSW", "VIC", "QLD", "WA", "SA"]),
        r.gen_range(2000..7000)
    )
}

fn addr_cn(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "No. {} {street} Road, {} District, {city}",
        n(r, 800),
        pick(r, &["Huangpu", "Chaoyang", "Tianhe", "Nanshan", "Xihu"])
    )
}

fn addr_hk(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "Flat {}{}, {} {street} Road, {city}",
        n(r, 40),
        pick(r, &["A", "B", "C", "D"]),
        n(r, 300)
    )
}

fn addr_jp(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "{}-{}-{} {street}, {city} {}-{:04}",
        n(r, 9),
        n(r, 30),
        n(r, 20),
        r.gen_range(100..999),
        r.gen_range(0..9999)
    )
}

fn addr_kr(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "{} {street}-ro, {}-gu, {city}",
        n(r, 500),
        pick(r, &["Gangnam", "Mapo", "Jongno", "Seocho", "Haeundae"])
    )
}

fn addr_tr(r: &mut Rng8, street: &str, city: &str) -> String {
    format!("{street} Caddesi No: {}/{}, {city}", n(r, 200), n(r, 20))
}

fn addr_mx(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "Av. {street} {}, Col. Centro, {:05} {city}",
        n(r, 2000),
        r.gen_range(1000..99999)
    )
}

fn addr_za(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "{} {street} Street, {city}, {:04}",
        n(r, 300),
        r.gen_range(1..9999)
    )
}

fn addr_ng(r: &mut Rng8, street: &str, city: &str) -> String {
    format!("{} {street} Street, {city}", n(r, 120))
}

fn addr_il(r: &mut Rng8, street: &str, city: &str) -> String {
    format!("{street} Street {}, {city}", n(r, 120))
}

fn addr_th(r: &mut Rng8, street: &str, city: &str) -> String {
    format!(
        "{} {street} Road, {city} {}",
        n(r, 400),
        r.gen_range(10100..96000)
    )
}

// ---------------------------------------------------------------------------------------------
// Dates of birth as each locale writes them

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date_us(y: u32, m: u32, d: u32, r: &mut Rng8) -> String {
    match r.gen_range(0..3) {
        0 => format!("{m:02}/{d:02}/{y}"),
        1 => format!("{} {d}, {y}", MONTHS_EN[m as usize - 1]),
        _ => format!("{y}-{m:02}-{d:02}"),
    }
}

fn date_gb(y: u32, m: u32, d: u32, r: &mut Rng8) -> String {
    match r.gen_range(0..3) {
        0 => format!("{d:02}/{m:02}/{y}"),
        1 => format!("{d} {} {y}", MONTHS_EN[m as usize - 1]),
        _ => format!("{y}-{m:02}-{d:02}"),
    }
}

fn date_dot(y: u32, m: u32, d: u32, r: &mut Rng8) -> String {
    if r.gen_bool(0.8) {
        format!("{d:02}.{m:02}.{y}")
    } else {
        format!("{y}-{m:02}-{d:02}")
    }
}

fn date_slash_dmy(y: u32, m: u32, d: u32, r: &mut Rng8) -> String {
    if r.gen_bool(0.8) {
        format!("{d:02}/{m:02}/{y}")
    } else {
        format!("{y}-{m:02}-{d:02}")
    }
}

fn date_dash_dmy(y: u32, m: u32, d: u32, r: &mut Rng8) -> String {
    if r.gen_bool(0.7) {
        format!("{d:02}-{m:02}-{y}")
    } else {
        format!("{y}-{m:02}-{d:02}")
    }
}

fn date_iso(y: u32, m: u32, d: u32, _r: &mut Rng8) -> String {
    format!("{y}-{m:02}-{d:02}")
}

fn date_cjk(y: u32, m: u32, d: u32, r: &mut Rng8) -> String {
    if r.gen_bool(0.5) {
        format!("{y}年{m}月{d}日")
    } else {
        format!("{y}/{m:02}/{d:02}")
    }
}

fn date_kr(y: u32, m: u32, d: u32, r: &mut Rng8) -> String {
    if r.gen_bool(0.5) {
        format!("{y}년 {m}월 {d}일")
    } else {
        format!("{y}.{m:02}.{d:02}")
    }
}

// ---------------------------------------------------------------------------------------------
// National identifiers per locale

macro_rules! nid {
    ($cat:expr, $f:path, $dist:expr, [$($l:expr),* $(,)?]) => {
        NationalId {
            category: $cat,
            gen: {
                fn g(r: &mut Rng8, _p: &Person) -> String {
                    $f(r)
                }
                g
            },
            lead: &[$($l),*],
            distinctive: $dist,
        }
    };
}

fn cf_for(r: &mut Rng8, p: &Person) -> String {
    v::it_codice_fiscale(r, p.first, p.last, p.female)
}

fn pan_for(r: &mut Rng8, p: &Person) -> String {
    v::in_pan(r, p.ascii_last.chars().next().unwrap_or('K'))
}

fn curp_for(r: &mut Rng8, p: &Person) -> String {
    v::mx_curp(r, &p.ascii_first, &p.ascii_last)
}

const US_IDS: &[NationalId] = &[
    nid!(
        "US_SSN",
        v::us_ssn,
        true,
        [
            "my SSN is ",
            "SSN: ",
            "Social Security number ",
            "social security no. "
        ]
    ),
    nid!(
        "US_ITIN",
        v::us_itin,
        false,
        ["ITIN: ", "my ITIN is ", "individual taxpayer id "]
    ),
];
const GB_IDS: &[NationalId] = &[
    nid!(
        "UK_NHS",
        v::uk_nhs,
        false,
        ["NHS number: ", "my NHS number is ", "NHS no. "]
    ),
    nid!(
        "UK_NINO",
        v::uk_nino,
        false,
        ["National Insurance number: ", "my NI number is ", "NINO "]
    ),
];
const DE_IDS: &[NationalId] = &[nid!(
    "DE_TAX_ID",
    v::de_steuer_id,
    false,
    [
        "Steuer-ID: ",
        "meine Steuer-ID ist ",
        "Steueridentifikationsnummer ",
        "IdNr. "
    ]
)];
const FR_IDS: &[NationalId] = &[nid!(
    "FR_NIR",
    v::fr_nir,
    true,
    [
        "numéro de sécurité sociale : ",
        "NIR : ",
        "mon numéro de sécu est ",
        "n° INSEE "
    ]
)];
const ES_IDS: &[NationalId] = &[
    nid!(
        "ES_NIF",
        v::es_dni,
        true,
        [
            "DNI: ",
            "mi DNI es ",
            "NIF ",
            "documento nacional de identidad "
        ]
    ),
    nid!(
        "ES_NIE",
        v::es_nie,
        true,
        ["NIE: ", "mi NIE es ", "número de identidad de extranjero "]
    ),
];
const IT_IDS: &[NationalId] = &[NationalId {
    category: "IT_FISCAL_CODE",
    gen: cf_for,
    lead: &[
        "codice fiscale: ",
        "il mio codice fiscale è ",
        "C.F. ",
        "CF ",
    ],
    distinctive: true,
}];
const NL_IDS: &[NationalId] = &[nid!(
    "NL_BSN",
    v::nl_bsn,
    false,
    ["BSN: ", "mijn BSN is ", "burgerservicenummer "]
)];
const PL_IDS: &[NationalId] = &[nid!(
    "PL_PESEL",
    v::pl_pesel,
    true,
    ["PESEL: ", "mój PESEL to ", "numer PESEL "]
)];
const SE_IDS: &[NationalId] = &[nid!(
    "SE_PERSONNUMMER",
    v::se_personnummer,
    true,
    ["personnummer: ", "mitt personnummer är ", "pnr "]
)];
const FI_IDS: &[NationalId] = &[nid!(
    "FI_HETU",
    v::fi_hetu,
    true,
    ["henkilötunnus: ", "hetu ", "henkilötunnukseni on "]
)];
const BR_IDS: &[NationalId] = &[
    nid!(
        "BR_CPF",
        v::br_cpf,
        true,
        ["CPF: ", "meu CPF é ", "CPF nº "]
    ),
    nid!("BR_CNPJ", v::br_cnpj, true, ["CNPJ: ", "CNPJ da empresa "]),
];
const IN_IDS: &[NationalId] = &[
    nid!(
        "IN_AADHAAR",
        v::in_aadhaar,
        false,
        [
            "Aadhaar: ",
            "my Aadhaar number is ",
            "UIDAI no. ",
            "aadhar "
        ]
    ),
    NationalId {
        category: "IN_PAN",
        gen: pan_for,
        lead: &[
            "PAN: ",
            "my PAN is ",
            "PAN card ",
            "permanent account number ",
        ],
        distinctive: false,
    },
];
const SG_IDS: &[NationalId] = &[nid!(
    "SG_NRIC_FIN",
    v::sg_nric,
    true,
    ["NRIC: ", "my NRIC is ", "FIN ", "IC number "]
)];
const AU_IDS: &[NationalId] = &[
    nid!(
        "AU_TFN",
        v::au_tfn,
        false,
        ["TFN: ", "my tax file number is ", "tax file number "]
    ),
    nid!(
        "AU_MEDICARE",
        v::au_medicare,
        false,
        ["Medicare number: ", "my Medicare card is ", "medicare "]
    ),
    nid!(
        "AU_ABN",
        v::au_abn,
        false,
        ["ABN: ", "our ABN is ", "Australian Business Number "]
    ),
];
const CA_IDS: &[NationalId] = &[nid!(
    "CA_SIN",
    v::ca_sin,
    false,
    ["SIN: ", "my SIN is ", "social insurance number "]
)];
const CN_IDS: &[NationalId] = &[nid!(
    "CN_RESIDENT_ID",
    v::cn_resident_id,
    true,
    ["身份证号：", "身份证号码 ", "ID card: ", "resident ID "]
)];
const HK_IDS: &[NationalId] = &[nid!(
    "HK_HKID",
    v::hk_hkid,
    true,
    ["HKID: ", "my HKID is ", "身份證號碼 "]
)];
const JP_IDS: &[NationalId] = &[nid!(
    "JP_MY_NUMBER",
    v::jp_my_number,
    false,
    ["マイナンバー：", "My Number: ", "個人番号 "]
)];
const KR_IDS: &[NationalId] = &[nid!(
    "KR_RRN",
    v::kr_rrn,
    true,
    ["주민등록번호: ", "RRN: ", "resident registration number "]
)];
const TR_IDS: &[NationalId] = &[nid!(
    "TR_TCKN",
    v::tr_tckn,
    true,
    ["TC kimlik no: ", "TCKN: ", "T.C. Kimlik Numaram "]
)];
const MX_IDS: &[NationalId] = &[NationalId {
    category: "MX_CURP",
    gen: curp_for,
    lead: &[
        "CURP: ",
        "mi CURP es ",
        "Clave Única de Registro de Población ",
    ],
    distinctive: true,
}];
const ZA_IDS: &[NationalId] = &[nid!(
    "ZA_ID_NUMBER",
    v::za_id,
    true,
    ["ID number: ", "my SA ID is ", "RSA ID "]
)];
const NG_IDS: &[NationalId] = &[nid!(
    "NG_NIN",
    v::ng_nin,
    false,
    ["NIN: ", "my NIN is ", "NIMC number "]
)];
const IL_IDS: &[NationalId] = &[nid!(
    "IL_ID",
    v::il_id,
    false,
    ["Teudat Zehut ", "ID number: ", "מספר תעודת זהות "]
)];
const TH_IDS: &[NationalId] = &[nid!(
    "TH_NATIONAL_ID",
    v::th_id,
    false,
    ["Thai ID: ", "เลขประจำตัวประชาชน ", "national ID "]
)];

// ---------------------------------------------------------------------------------------------
// The locales

pub static LOCALES: &[Locale] = &[
    Locale {
        code: "en-US",
        lang: "en",
        native_share: 1.0,
        female: &[
            "Mary",
            "Patricia",
            "Jennifer",
            "Linda",
            "Elizabeth",
            "Jessica",
            "Sarah",
            "Karen",
            "Nancy",
            "Lisa",
            "Ashley",
            "Emily",
            "Megan",
            "Brittany",
            "Rachel",
            "Kimberly",
            "Amanda",
            "Stephanie",
            "Heather",
            "Lauren",
        ],
        male: &[
            "James",
            "Robert",
            "Michael",
            "David",
            "William",
            "Christopher",
            "Daniel",
            "Matthew",
            "Anthony",
            "Joshua",
            "Andrew",
            "Kevin",
            "Brian",
            "Tyler",
            "Jason",
            "Justin",
            "Brandon",
            "Ryan",
            "Eric",
            "Kyle",
        ],
        last: &[
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Garcia",
            "Miller",
            "Davis",
            "Rodriguez",
            "Martinez",
            "Wilson",
            "Anderson",
            "Thomas",
            "Taylor",
            "Moore",
            "Jackson",
            "Thompson",
            "Harris",
            "Clark",
            "Lewis",
            "Robinson",
            "Walker",
            "Young",
            "Allen",
            "King",
            "Wright",
            "Scott",
            "Nguyen",
            "Hill",
            "Flores",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Chicago",
            "Houston",
            "Phoenix",
            "Seattle",
            "Denver",
            "Boston",
            "Austin",
            "Portland",
            "Atlanta",
            "Nashville",
            "San Diego",
            "Philadelphia",
        ],
        streets: &[
            "Maple",
            "Oak",
            "Cedar",
            "Elm",
            "Washington",
            "Lincoln",
            "Park",
            "Lakeview",
            "Highland",
            "Sunset",
            "Willow",
            "Franklin",
        ],
        address: addr_us,
        phone: phone_us,
        iban: "DE",
        email_domains: &[
            "gmail.com",
            "yahoo.com",
            "outlook.com",
            "icloud.com",
            "hotmail.com",
            "acme-corp.com",
        ],
        ids: US_IDS,
        date: date_us,
    },
    Locale {
        code: "en-GB",
        lang: "en",
        native_share: 1.0,
        female: &[
            "Amelia", "Isla", "Ava", "Poppy", "Freya", "Evie", "Imogen", "Fiona", "Niamh",
            "Harriet", "Eleanor", "Rosie", "Phoebe", "Gemma", "Siobhan",
        ],
        male: &[
            "Oliver", "George", "Harry", "Jack", "Charlie", "Alfie", "Oscar", "Alistair", "Callum",
            "Rhys", "Hamish", "Declan", "Gareth", "Nigel", "Rupert",
        ],
        last: &[
            "Patel",
            "Evans",
            "Hughes",
            "Edwards",
            "Hall",
            "Green",
            "Wood",
            "Roberts",
            "Cooper",
            "Turner",
            "Baker",
            "Ward",
            "Price",
            "Bennett",
            "Griffiths",
            "Murphy",
            "Kelly",
            "Campbell",
            "Stewart",
            "Fletcher",
            "Ashworth",
            "Pritchard",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Manchester",
            "Leeds",
            "Bristol",
            "Glasgow",
            "Edinburgh",
            "Liverpool",
            "Birmingham",
            "Cardiff",
            "Nottingham",
            "Sheffield",
        ],
        streets: &[
            "Station", "Church", "Victoria", "Queens", "Mill", "Kings", "Grove", "Albert",
            "Windsor", "Meadow",
        ],
        address: addr_gb,
        phone: phone_gb,
        iban: "GB",
        email_domains: &[
            "gmail.com",
            "btinternet.com",
            "outlook.com",
            "hotmail.co.uk",
            "sky.com",
            "yahoo.co.uk",
        ],
        ids: GB_IDS,
        date: date_gb,
    },
    Locale {
        code: "de-DE",
        lang: "de",
        native_share: 0.7,
        female: &[
            "Anna",
            "Lena",
            "Leonie",
            "Sophie",
            "Ursula",
            "Katrin",
            "Sabine",
            "Julia",
            "Franziska",
            "Birgit",
            "Hannelore",
            "Greta",
            "Annika",
            "Jutta",
            "Heike",
        ],
        male: &[
            "Lukas",
            "Jonas",
            "Maximilian",
            "Felix",
            "Jürgen",
            "Matthias",
            "Stefan",
            "Tobias",
            "Florian",
            "Dieter",
            "Wolfgang",
            "Henrik",
            "Uwe",
            "Klaus",
            "Moritz",
        ],
        last: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Schäfer",
            "Koch",
            "Bauer",
            "Richter",
            "Klein",
            "Wolf",
            "Schröder",
            "Neumann",
            "Schwarz",
            "Zimmermann",
            "Krüger",
            "Hartmann",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Berlin",
            "München",
            "Hamburg",
            "Köln",
            "Frankfurt am Main",
            "Stuttgart",
            "Düsseldorf",
            "Leipzig",
            "Dresden",
            "Nürnberg",
            "Hannover",
            "Bremen",
        ],
        streets: &[
            "Haupt", "Linden", "Goethe", "Schiller", "Bahnhof", "Garten", "Berg", "Kirch", "Rosen",
            "Birken", "Wald", "Mozart",
        ],
        address: addr_de,
        phone: phone_de,
        iban: "DE",
        email_domains: &[
            "web.de",
            "gmx.de",
            "t-online.de",
            "gmail.com",
            "posteo.de",
            "freenet.de",
        ],
        ids: DE_IDS,
        date: date_dot,
    },
    Locale {
        code: "fr-FR",
        lang: "fr",
        native_share: 0.7,
        female: &[
            "Camille", "Chloé", "Manon", "Léa", "Inès", "Élodie", "Margaux", "Aurélie", "Céline",
            "Juliette", "Sandrine", "Nathalie", "Océane", "Mathilde",
        ],
        male: &[
            "Louis",
            "Hugo",
            "Lucas",
            "Théo",
            "Mathieu",
            "Nicolas",
            "Julien",
            "Sébastien",
            "Benoît",
            "Guillaume",
            "Thibault",
            "Antoine",
            "Yannick",
            "Quentin",
        ],
        last: &[
            "Martin",
            "Bernard",
            "Dubois",
            "Robert",
            "Richard",
            "Petit",
            "Durand",
            "Leroy",
            "Moreau",
            "Laurent",
            "Lefèvre",
            "Michel",
            "Garnier",
            "Fontaine",
            "Rousseau",
            "Mercier",
            "Girard",
            "Bonnet",
            "Chevalier",
            "Lambert",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Paris",
            "Lyon",
            "Marseille",
            "Toulouse",
            "Bordeaux",
            "Lille",
            "Nantes",
            "Strasbourg",
            "Montpellier",
            "Rennes",
        ],
        streets: &[
            "de la République",
            "Victor Hugo",
            "des Lilas",
            "Pasteur",
            "Jean Jaurès",
            "du Général Leclerc",
            "de la Gare",
            "Voltaire",
        ],
        address: addr_fr,
        phone: phone_fr,
        iban: "FR",
        email_domains: &[
            "orange.fr",
            "free.fr",
            "laposte.net",
            "gmail.com",
            "sfr.fr",
            "wanadoo.fr",
        ],
        ids: FR_IDS,
        date: date_slash_dmy,
    },
    Locale {
        code: "es-ES",
        lang: "es",
        native_share: 0.7,
        female: &[
            "Lucía", "Martina", "Sofía", "Carmen", "Paula", "Marta", "Elena", "Nuria", "Irene",
            "Pilar", "Rocío", "Begoña", "Ainhoa",
        ],
        male: &[
            "Hugo",
            "Pablo",
            "Alejandro",
            "Javier",
            "Álvaro",
            "Sergio",
            "Diego",
            "Raúl",
            "Adrián",
            "Jorge",
            "Iñaki",
            "Gonzalo",
            "Rubén",
        ],
        last: &[
            "García",
            "Fernández",
            "González",
            "Rodríguez",
            "López",
            "Martínez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Jiménez",
            "Ruiz",
            "Hernández",
            "Díaz",
            "Moreno",
            "Muñoz",
            "Álvarez",
            "Romero",
            "Navarro",
            "Torres",
            "Ortega",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Madrid",
            "Barcelona",
            "Valencia",
            "Sevilla",
            "Zaragoza",
            "Málaga",
            "Bilbao",
            "Granada",
            "Alicante",
            "Valladolid",
        ],
        streets: &[
            "Mayor",
            "de Alcalá",
            "Gran Vía",
            "del Prado",
            "de la Castellana",
            "Real",
            "San Vicente",
            "de Serrano",
        ],
        address: addr_es,
        phone: phone_es,
        iban: "ES",
        email_domains: &[
            "gmail.com",
            "hotmail.es",
            "telefonica.net",
            "yahoo.es",
            "outlook.es",
        ],
        ids: ES_IDS,
        date: date_slash_dmy,
    },
    Locale {
        code: "it-IT",
        lang: "it",
        native_share: 0.7,
        female: &[
            "Giulia",
            "Chiara",
            "Sofia",
            "Aurora",
            "Giorgia",
            "Federica",
            "Martina",
            "Elisa",
            "Valentina",
            "Francesca",
            "Alessia",
            "Ilaria",
        ],
        male: &[
            "Francesco",
            "Alessandro",
            "Lorenzo",
            "Matteo",
            "Leonardo",
            "Davide",
            "Riccardo",
            "Simone",
            "Marco",
            "Gabriele",
            "Stefano",
            "Massimo",
        ],
        last: &[
            "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Marino", "Greco", "Bruno", "Gallo", "Conti", "Mancini", "Costa", "Giordano", "Rizzo",
            "Lombardi", "Moretti", "Barbieri",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Roma", "Milano", "Napoli", "Torino", "Palermo", "Bologna", "Firenze", "Genova",
            "Venezia", "Verona",
        ],
        streets: &[
            "Garibaldi",
            "Roma",
            "Dante",
            "Mazzini",
            "Cavour",
            "Verdi",
            "dei Mille",
            "Manzoni",
            "Matteotti",
        ],
        address: addr_it,
        phone: phone_it,
        iban: "IT",
        email_domains: &[
            "libero.it",
            "gmail.com",
            "virgilio.it",
            "alice.it",
            "tiscali.it",
            "hotmail.it",
        ],
        ids: IT_IDS,
        date: date_slash_dmy,
    },
    Locale {
        code: "nl-NL",
        lang: "nl",
        native_share: 0.6,
        female: &[
            "Emma", "Julia", "Tess", "Sanne", "Fleur", "Anouk", "Lotte", "Femke", "Ingrid",
            "Marloes", "Noor", "Maartje",
        ],
        male: &[
            "Daan", "Sem", "Bram", "Thijs", "Joost", "Ruben", "Wouter", "Maarten", "Sven",
            "Pieter", "Jeroen", "Gijs",
        ],
        last: &[
            "de Jong",
            "Jansen",
            "de Vries",
            "van den Berg",
            "van Dijk",
            "Bakker",
            "Janssen",
            "Visser",
            "Smit",
            "Meijer",
            "de Boer",
            "Mulder",
            "de Groot",
            "Bos",
            "Vos",
            "Hendriks",
            "van Leeuwen",
            "Dekker",
            "Brouwer",
            "Verhoeven",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Amsterdam",
            "Rotterdam",
            "Utrecht",
            "Eindhoven",
            "Groningen",
            "Tilburg",
            "Almere",
            "Breda",
            "Nijmegen",
            "Haarlem",
        ],
        streets: &[
            "Kerk",
            "Molen",
            "Dorps",
            "Prinsen",
            "Keizers",
            "Heren",
            "Wilhelmina",
            "Beatrix",
            "Julianaweg",
        ],
        address: addr_nl,
        phone: phone_nl,
        iban: "NL",
        email_domains: &[
            "ziggo.nl",
            "kpnmail.nl",
            "gmail.com",
            "hotmail.nl",
            "xs4all.nl",
        ],
        ids: NL_IDS,
        date: date_dash_dmy,
    },
    Locale {
        code: "pl-PL",
        lang: "pl",
        native_share: 0.7,
        female: &[
            "Zofia",
            "Julia",
            "Maja",
            "Zuzanna",
            "Agnieszka",
            "Katarzyna",
            "Małgorzata",
            "Magdalena",
            "Joanna",
            "Ewa",
            "Beata",
            "Dorota",
        ],
        male: &[
            "Jakub",
            "Antoni",
            "Szymon",
            "Filip",
            "Łukasz",
            "Paweł",
            "Piotr",
            "Krzysztof",
            "Tomasz",
            "Michał",
            "Grzegorz",
            "Wojciech",
        ],
        last: &[
            "Nowak",
            "Kowalski",
            "Wiśniewski",
            "Wójcik",
            "Kowalczyk",
            "Kamiński",
            "Lewandowski",
            "Zieliński",
            "Szymański",
            "Woźniak",
            "Dąbrowski",
            "Kozłowski",
            "Jankowski",
            "Mazur",
            "Kwiatkowski",
            "Krawczyk",
            "Piotrowski",
            "Grabowski",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Warszawa",
            "Kraków",
            "Wrocław",
            "Poznań",
            "Gdańsk",
            "Łódź",
            "Szczecin",
            "Lublin",
            "Katowice",
            "Białystok",
        ],
        streets: &[
            "Marszałkowska",
            "Długa",
            "Polna",
            "Leśna",
            "Słoneczna",
            "Mickiewicza",
            "Kościuszki",
            "Piłsudskiego",
        ],
        address: addr_pl,
        phone: phone_pl,
        iban: "PL",
        email_domains: &["wp.pl", "onet.pl", "interia.pl", "gmail.com", "o2.pl"],
        ids: PL_IDS,
        date: date_dot,
    },
    Locale {
        code: "sv-SE",
        lang: "sv",
        native_share: 0.6,
        female: &[
            "Alice", "Maja", "Elsa", "Astrid", "Ebba", "Ingrid", "Karin", "Linnea", "Sofia",
            "Frida", "Sigrid", "Agnes",
        ],
        male: &[
            "William", "Oscar", "Lucas", "Hugo", "Erik", "Johan", "Anders", "Magnus", "Nils",
            "Gustav", "Björn", "Olof",
        ],
        last: &[
            "Andersson",
            "Johansson",
            "Karlsson",
            "Nilsson",
            "Eriksson",
            "Larsson",
            "Olsson",
            "Persson",
            "Svensson",
            "Gustafsson",
            "Pettersson",
            "Lindberg",
            "Lindqvist",
            "Bergström",
            "Lundgren",
            "Sandberg",
            "Holmberg",
            "Engström",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Stockholm",
            "Göteborg",
            "Malmö",
            "Uppsala",
            "Västerås",
            "Örebro",
            "Linköping",
            "Helsingborg",
            "Umeå",
            "Lund",
        ],
        streets: &[
            "Drottning",
            "Kungs",
            "Stor",
            "Skol",
            "Kyrko",
            "Sveavägen",
            "Hamn",
            "Ring",
        ],
        address: addr_se,
        phone: phone_se,
        iban: "SE",
        email_domains: &[
            "telia.com",
            "gmail.com",
            "hotmail.se",
            "bredband.net",
            "outlook.com",
        ],
        ids: SE_IDS,
        date: date_iso,
    },
    Locale {
        code: "fi-FI",
        lang: "fi",
        native_share: 0.6,
        female: &[
            "Aino", "Helmi", "Sofia", "Aada", "Kaisa", "Johanna", "Tuula", "Riikka", "Päivi",
            "Satu", "Minna", "Hanna",
        ],
        male: &[
            "Eino", "Väinö", "Onni", "Elias", "Mikko", "Jukka", "Antti", "Sami", "Timo", "Ville",
            "Pekka", "Juha",
        ],
        last: &[
            "Korhonen",
            "Virtanen",
            "Mäkinen",
            "Nieminen",
            "Mäkelä",
            "Hämäläinen",
            "Laine",
            "Heikkinen",
            "Koskinen",
            "Järvinen",
            "Lehtonen",
            "Saarinen",
            "Salminen",
            "Heinonen",
            "Heikkilä",
            "Kinnunen",
            "Salonen",
            "Turunen",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Helsinki",
            "Espoo",
            "Tampere",
            "Vantaa",
            "Oulu",
            "Turku",
            "Jyväskylä",
            "Lahti",
            "Kuopio",
            "Pori",
        ],
        streets: &[
            "Mannerheimin",
            "Hämeen",
            "Kauppa",
            "Koulu",
            "Rauta",
            "Puisto",
            "Ranta",
            "Tehtaan",
        ],
        address: addr_fi,
        phone: phone_fi,
        iban: "FI",
        email_domains: &[
            "gmail.com",
            "elisanet.fi",
            "luukku.com",
            "hotmail.fi",
            "outlook.com",
        ],
        ids: FI_IDS,
        date: date_dot,
    },
    Locale {
        code: "pt-BR",
        lang: "pt",
        native_share: 0.7,
        female: &[
            "Helena",
            "Alice",
            "Laura",
            "Manuela",
            "Valentina",
            "Beatriz",
            "Larissa",
            "Camila",
            "Fernanda",
            "Juliana",
            "Gabriela",
            "Letícia",
        ],
        male: &[
            "Miguel", "Arthur", "Heitor", "Davi", "Gabriel", "João", "Rafael", "Thiago", "Gustavo",
            "Rodrigo", "Felipe", "Leandro",
        ],
        last: &[
            "Silva",
            "Santos",
            "Oliveira",
            "Souza",
            "Rodrigues",
            "Ferreira",
            "Alves",
            "Pereira",
            "Lima",
            "Gomes",
            "Ribeiro",
            "Martins",
            "Carvalho",
            "Almeida",
            "Lopes",
            "Soares",
            "Vieira",
            "Barbosa",
            "Rocha",
            "Cardoso",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "São Paulo",
            "Rio de Janeiro",
            "Belo Horizonte",
            "Curitiba",
            "Porto Alegre",
            "Salvador",
            "Recife",
            "Fortaleza",
            "Brasília",
            "Campinas",
        ],
        streets: &[
            "das Flores",
            "Augusta",
            "XV de Novembro",
            "São João",
            "da Consolação",
            "Sete de Setembro",
            "Barão de Mauá",
        ],
        address: addr_br,
        phone: phone_br,
        iban: "BR",
        email_domains: &[
            "gmail.com",
            "uol.com.br",
            "bol.com.br",
            "hotmail.com",
            "terra.com.br",
        ],
        ids: BR_IDS,
        date: date_slash_dmy,
    },
    Locale {
        code: "en-IN",
        lang: "en",
        native_share: 1.0,
        female: &[
            "Ananya", "Diya", "Saanvi", "Ishita", "Priya", "Kavya", "Sneha", "Meera", "Pooja",
            "Deepika", "Lakshmi", "Shreya",
        ],
        male: &[
            "Aarav",
            "Vivaan",
            "Aditya",
            "Arjun",
            "Rohan",
            "Vikram",
            "Rahul",
            "Karthik",
            "Siddharth",
            "Nikhil",
            "Suresh",
            "Manoj",
        ],
        last: &[
            "Sharma",
            "Verma",
            "Gupta",
            "Iyer",
            "Reddy",
            "Nair",
            "Menon",
            "Singh",
            "Kumar",
            "Rao",
            "Joshi",
            "Mehta",
            "Chatterjee",
            "Banerjee",
            "Mukherjee",
            "Pillai",
            "Desai",
            "Kapoor",
            "Malhotra",
            "Agarwal",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Mumbai",
            "Bengaluru",
            "Hyderabad",
            "Chennai",
            "Pune",
            "Kolkata",
            "Ahmedabad",
            "Jaipur",
            "Kochi",
            "Lucknow",
        ],
        streets: &[
            "MG",
            "Linking",
            "Residency",
            "Brigade",
            "Anna Salai",
            "Park",
            "Station",
            "Church",
        ],
        address: addr_in,
        phone: phone_in,
        iban: "GB",
        email_domains: &[
            "gmail.com",
            "rediffmail.com",
            "yahoo.co.in",
            "outlook.com",
            "infosys-mail.com",
        ],
        ids: IN_IDS,
        date: date_slash_dmy,
    },
    Locale {
        code: "en-SG",
        lang: "en",
        native_share: 1.0,
        female: &[
            "Wei Ling", "Hui Min", "Mei Ling", "Xin Yi", "Siti", "Nurul", "Jia Hui", "Shu Fen",
        ],
        male: &[
            "Jun Jie", "Zhi Hao", "Kai Wen", "Wei Jie", "Jia Wei", "Ravi", "Hafiz", "Jun Hao",
        ],
        last: &[
            "Tan", "Lim", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo", "Ang", "Yeo", "Tay",
            "Low", "Sim",
        ],
        native_names: &[],
        family_first: true,
        cities: &["Singapore", "Jurong", "Tampines", "Woodlands", "Bedok"],
        streets: &[
            "Ang Mo Kio",
            "Toa Payoh",
            "Bukit Batok",
            "Pasir Ris",
            "Yishun",
            "Clementi",
        ],
        address: addr_sg,
        phone: phone_sg,
        iban: "GB",
        email_domains: &["gmail.com", "singnet.com.sg", "yahoo.com.sg", "outlook.com"],
        ids: SG_IDS,
        date: date_gb,
    },
    Locale {
        code: "en-AU",
        lang: "en",
        native_share: 1.0,
        female: &[
            "Charlotte",
            "Olivia",
            "Matilda",
            "Isla",
            "Ruby",
            "Sienna",
            "Zara",
            "Chloe",
            "Mackenzie",
            "Tahlia",
        ],
        male: &[
            "Jack", "Noah", "Lachlan", "Cooper", "Harrison", "Riley", "Flynn", "Jaxon", "Bailey",
            "Mitchell",
        ],
        last: &[
            "Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Kelly", "Ryan",
            "Walsh", "O'Brien", "Byrne", "Mitchell", "Campbell", "Murray", "McKenzie",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Sydney",
            "Melbourne",
            "Brisbane",
            "Perth",
            "Adelaide",
            "Hobart",
            "Canberra",
            "Darwin",
            "Geelong",
            "Newcastle",
        ],
        streets: &[
            "George",
            "Collins",
            "Bourke",
            "Elizabeth",
            "Macquarie",
            "Hay",
            "Flinders",
            "Swanston",
        ],
        address: addr_au,
        phone: phone_au,
        iban: "GB",
        email_domains: &["bigpond.com", "gmail.com", "optusnet.com.au", "outlook.com"],
        ids: AU_IDS,
        date: date_gb,
    },
    Locale {
        code: "en-CA",
        lang: "en",
        native_share: 1.0,
        female: &[
            "Emma",
            "Olivia",
            "Chloé",
            "Charlotte",
            "Léa",
            "Rosalie",
            "Maude",
            "Avery",
        ],
        male: &[
            "Liam", "Benjamin", "Nathan", "Logan", "Mathis", "Ethan", "Félix", "Owen",
        ],
        last: &[
            "Tremblay",
            "Gagnon",
            "Roy",
            "Côté",
            "Bouchard",
            "Gauthier",
            "Morin",
            "Lavoie",
            "Fortin",
            "Gagné",
            "MacDonald",
            "Campbell",
            "Thompson",
            "Fraser",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Toronto",
            "Vancouver",
            "Montreal",
            "Calgary",
            "Ottawa",
            "Edmonton",
            "Halifax",
            "Winnipeg",
        ],
        streets: &[
            "Yonge",
            "Bloor",
            "Queen",
            "Sherbrooke",
            "Granville",
            "Jasper",
            "Spadina",
        ],
        address: addr_ca,
        phone: phone_ca,
        iban: "FR",
        email_domains: &[
            "gmail.com",
            "rogers.com",
            "bell.net",
            "shaw.ca",
            "videotron.ca",
        ],
        ids: CA_IDS,
        date: date_iso,
    },
    Locale {
        code: "zh-CN",
        lang: "zh",
        native_share: 0.5,
        female: &[
            "Fang", "Na", "Jing", "Min", "Xia", "Li", "Hong", "Yan", "Ling", "Juan",
        ],
        male: &[
            "Wei", "Yang", "Lei", "Yong", "Jie", "Ming", "Jun", "Qiang", "Bin", "Tao",
        ],
        last: &[
            "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu",
            "Sun", "Ma", "Zhu", "Hu", "Guo",
        ],
        native_names: &[
            "王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞", "徐明",
            "孙丽", "马军", "朱红", "胡斌", "郭强",
        ],
        family_first: true,
        cities: &[
            "Shanghai",
            "Beijing",
            "Shenzhen",
            "Guangzhou",
            "Chengdu",
            "Hangzhou",
            "Wuhan",
            "Nanjing",
        ],
        streets: &[
            "Nanjing",
            "Huaihai",
            "Renmin",
            "Jiefang",
            "Zhongshan",
            "Changan",
        ],
        address: addr_cn,
        phone: phone_cn,
        iban: "DE",
        email_domains: &["qq.com", "163.com", "126.com", "sina.com", "foxmail.com"],
        ids: CN_IDS,
        date: date_cjk,
    },
    Locale {
        code: "zh-HK",
        lang: "zh",
        native_share: 0.3,
        female: &[
            "Mei Yee",
            "Wing Sze",
            "Ka Yan",
            "Hoi Ching",
            "Suet Ying",
            "Man Yee",
        ],
        male: &[
            "Tai Man",
            "Ka Ho",
            "Chi Wai",
            "Siu Ming",
            "Kwok Keung",
            "Wai Lun",
        ],
        last: &[
            "Chan", "Wong", "Cheung", "Leung", "Lau", "Ho", "Lam", "Chow", "Tsang", "Yip", "Kwok",
            "Mak",
        ],
        native_names: &[
            "陳大文",
            "黃家豪",
            "張美儀",
            "梁志偉",
            "劉小明",
            "何詠詩",
            "林嘉欣",
            "周國強",
        ],
        family_first: true,
        cities: &[
            "Kowloon",
            "Sha Tin",
            "Tsuen Wan",
            "Tuen Mun",
            "Causeway Bay",
        ],
        streets: &[
            "Nathan",
            "Hennessy",
            "Queen's",
            "Des Voeux",
            "Castle Peak",
            "Prince Edward",
        ],
        address: addr_hk,
        phone: phone_hk,
        iban: "GB",
        email_domains: &["gmail.com", "netvigator.com", "yahoo.com.hk", "outlook.com"],
        ids: HK_IDS,
        date: date_gb,
    },
    Locale {
        code: "ja-JP",
        lang: "ja",
        native_share: 0.5,
        female: &[
            "Yui", "Yuna", "Aoi", "Hina", "Sakura", "Misaki", "Haruka", "Nanami", "Ayaka", "Mei",
        ],
        male: &[
            "Haruto", "Sota", "Daiki", "Ren", "Kaito", "Riku", "Takumi", "Yuto", "Kenta", "Shota",
        ],
        last: &[
            "Sato",
            "Suzuki",
            "Takahashi",
            "Tanaka",
            "Ito",
            "Watanabe",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Kato",
            "Yoshida",
            "Yamada",
            "Sasaki",
            "Matsumoto",
        ],
        native_names: &[
            "佐藤健",
            "鈴木花子",
            "高橋翔",
            "田中美咲",
            "伊藤大輔",
            "渡辺由美",
            "山本拓也",
            "中村愛",
            "小林陽菜",
            "加藤翼",
        ],
        family_first: false,
        cities: &[
            "Tokyo", "Osaka", "Yokohama", "Nagoya", "Sapporo", "Fukuoka", "Kyoto", "Kobe", "Sendai",
        ],
        streets: &["Shibuya", "Shinjuku", "Umeda", "Sakae", "Tenjin", "Ginza"],
        address: addr_jp,
        phone: phone_jp,
        iban: "DE",
        email_domains: &[
            "yahoo.co.jp",
            "gmail.com",
            "docomo.ne.jp",
            "nifty.com",
            "ezweb.ne.jp",
        ],
        ids: JP_IDS,
        date: date_cjk,
    },
    Locale {
        code: "ko-KR",
        lang: "ko",
        native_share: 0.5,
        female: &[
            "Seo-yeon", "Su-bin", "Ye-eun", "Ha-eun", "Ji-woo", "Min-seo", "Eun-ji", "Ji-hye",
        ],
        male: &[
            "Min-jun", "Ji-hoon", "Do-yoon", "Seo-jun", "Hyun-woo", "Jae-won", "Sung-min",
            "Joon-ho",
        ],
        last: &[
            "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han",
            "Shin",
        ],
        native_names: &[
            "김민준",
            "이서연",
            "박지훈",
            "최수빈",
            "정예은",
            "강도윤",
            "조하은",
            "윤서준",
            "장현우",
            "임지우",
        ],
        family_first: true,
        cities: &[
            "Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Gwangju", "Suwon", "Ulsan",
        ],
        streets: &[
            "Teheran",
            "Sejong",
            "Olympic",
            "Gangnam-daero",
            "Hakdong",
            "Dosan-daero",
        ],
        address: addr_kr,
        phone: phone_kr,
        iban: "DE",
        email_domains: &[
            "naver.com",
            "daum.net",
            "gmail.com",
            "kakao.com",
            "hanmail.net",
        ],
        ids: KR_IDS,
        date: date_kr,
    },
    Locale {
        code: "tr-TR",
        lang: "tr",
        native_share: 0.7,
        female: &[
            "Zeynep", "Elif", "Defne", "Ayşe", "Fatma", "Merve", "Ece", "Selin", "Büşra", "Gizem",
        ],
        male: &[
            "Yusuf", "Eymen", "Mustafa", "Emre", "Mehmet", "Burak", "Can", "Oğuz", "Hakan",
            "Serkan",
        ],
        last: &[
            "Yılmaz",
            "Kaya",
            "Demir",
            "Şahin",
            "Çelik",
            "Yıldız",
            "Yıldırım",
            "Öztürk",
            "Aydın",
            "Özdemir",
            "Arslan",
            "Doğan",
            "Kılıç",
            "Aslan",
            "Çetin",
            "Kara",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "İstanbul",
            "Ankara",
            "İzmir",
            "Bursa",
            "Antalya",
            "Konya",
            "Adana",
            "Gaziantep",
            "Eskişehir",
        ],
        streets: &[
            "Atatürk",
            "İstiklal",
            "Cumhuriyet",
            "Bağdat",
            "Gazi",
            "Barbaros",
        ],
        address: addr_tr,
        phone: phone_tr,
        iban: "TR",
        email_domains: &[
            "gmail.com",
            "hotmail.com",
            "yandex.com.tr",
            "outlook.com",
            "mynet.com",
        ],
        ids: TR_IDS,
        date: date_dot,
    },
    Locale {
        code: "es-MX",
        lang: "es",
        native_share: 0.7,
        female: &[
            "Ximena",
            "Valeria",
            "Regina",
            "Camila",
            "Renata",
            "Fernanda",
            "Guadalupe",
            "Daniela",
            "Mariana",
        ],
        male: &[
            "Santiago",
            "Mateo",
            "Sebastián",
            "Leonardo",
            "Emiliano",
            "Diego",
            "Alejandro",
            "Rodrigo",
            "Iván",
        ],
        last: &[
            "Hernández",
            "García",
            "Martínez",
            "López",
            "González",
            "Ramírez",
            "Cruz",
            "Flores",
            "Gómez",
            "Morales",
            "Vázquez",
            "Reyes",
            "Jiménez",
            "Castillo",
            "Mendoza",
            "Ortiz",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Ciudad de México",
            "Guadalajara",
            "Monterrey",
            "Puebla",
            "Tijuana",
            "Mérida",
            "Querétaro",
            "Cancún",
        ],
        streets: &[
            "Insurgentes",
            "Reforma",
            "Juárez",
            "Hidalgo",
            "Revolución",
            "Chapultepec",
        ],
        address: addr_mx,
        phone: phone_mx,
        iban: "ES",
        email_domains: &[
            "gmail.com",
            "hotmail.com",
            "prodigy.net.mx",
            "yahoo.com.mx",
            "outlook.com",
        ],
        ids: MX_IDS,
        date: date_slash_dmy,
    },
    Locale {
        code: "en-ZA",
        lang: "en",
        native_share: 1.0,
        female: &[
            "Lerato", "Naledi", "Annelie", "Thandiwe", "Zanele", "Nomvula", "Palesa", "Marike",
            "Ayanda",
        ],
        male: &[
            "Thabo", "Sipho", "Johan", "Pieter", "Bongani", "Riaan", "Themba", "Kagiso", "Francois",
        ],
        last: &[
            "Nkosi",
            "Dlamini",
            "Ndlovu",
            "Khumalo",
            "Mokoena",
            "Botha",
            "van der Merwe",
            "Pretorius",
            "Naidoo",
            "Mahlangu",
            "Coetzee",
            "Venter",
            "Zulu",
            "Steyn",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Johannesburg",
            "Cape Town",
            "Durban",
            "Pretoria",
            "Port Elizabeth",
            "Bloemfontein",
            "Stellenbosch",
            "Soweto",
        ],
        streets: &[
            "Jan Smuts",
            "Long",
            "Loop",
            "Commissioner",
            "Voortrekker",
            "Oxford",
            "Church",
            "Bree",
        ],
        address: addr_za,
        phone: phone_za,
        iban: "GB",
        email_domains: &[
            "gmail.com",
            "mweb.co.za",
            "telkomsa.net",
            "webmail.co.za",
            "outlook.com",
        ],
        ids: ZA_IDS,
        date: date_iso,
    },
    Locale {
        code: "en-NG",
        lang: "en",
        native_share: 1.0,
        female: &[
            "Ngozi",
            "Adaeze",
            "Folake",
            "Aisha",
            "Chiamaka",
            "Yetunde",
            "Funmilayo",
            "Amina",
            "Nneka",
        ],
        male: &[
            "Chinedu",
            "Emeka",
            "Oluwaseun",
            "Tunde",
            "Ibrahim",
            "Segun",
            "Obinna",
            "Musa",
            "Kelechi",
        ],
        last: &[
            "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Bello", "Nwosu", "Adebayo",
            "Oyelaran", "Okeke", "Abubakar", "Ogunleye", "Chukwu", "Danjuma",
        ],
        native_names: &[],
        family_first: false,
        cities: &[
            "Lagos",
            "Abuja",
            "Ibadan",
            "Kano",
            "Port Harcourt",
            "Enugu",
            "Benin City",
            "Kaduna",
        ],
        streets: &[
            "Awolowo",
            "Adeola Odeku",
            "Allen",
            "Herbert Macaulay",
            "Ozumba Mbadiwe",
            "Ahmadu Bello",
        ],
        address: addr_ng,
        phone: phone_ng,
        iban: "GB",
        email_domains: &["gmail.com", "yahoo.com", "outlook.com"],
        ids: NG_IDS,
        date: date_slash_dmy,
    },
    Locale {
        code: "he-IL",
        lang: "he",
        native_share: 0.4,
        female: &[
            "Noa", "Tamar", "Maya", "Yael", "Shira", "Avigail", "Michal", "Hila",
        ],
        male: &[
            "Yosef", "David", "Ariel", "Itai", "Omer", "Eitan", "Yonatan", "Noam",
        ],
        last: &[
            "Cohen",
            "Levi",
            "Mizrahi",
            "Peretz",
            "Biton",
            "Dahan",
            "Avraham",
            "Friedman",
            "Azoulay",
            "Katz",
            "Ben-David",
            "Shapiro",
        ],
        native_names: &[
            "נועה כהן",
            "יוסף לוי",
            "תמר מזרחי",
            "דוד פרץ",
            "מאיה ביטון",
            "אריאל דהן",
            "יעל פרידמן",
            "איתי כץ",
        ],
        family_first: false,
        cities: &[
            "Tel Aviv",
            "Jerusalem",
            "Haifa",
            "Beersheba",
            "Netanya",
            "Rishon LeZion",
            "Herzliya",
            "Ashdod",
        ],
        streets: &[
            "Rothschild",
            "Dizengoff",
            "Herzl",
            "Ben Yehuda",
            "Allenby",
            "King George",
        ],
        address: addr_il,
        phone: phone_il,
        iban: "IL",
        email_domains: &["gmail.com", "walla.co.il", "012.net.il", "outlook.com"],
        ids: IL_IDS,
        date: date_slash_dmy,
    },
    Locale {
        code: "th-TH",
        lang: "th",
        native_share: 0.4,
        female: &[
            "Malee",
            "Siriporn",
            "Nattaya",
            "Pimchanok",
            "Suda",
            "Kanokwan",
            "Waraporn",
            "Ratana",
        ],
        male: &[
            "Somchai",
            "Anan",
            "Prasert",
            "Kittipong",
            "Thanawat",
            "Somsak",
            "Wichai",
            "Chaiwat",
        ],
        last: &[
            "Saetang",
            "Srisuk",
            "Wongsawat",
            "Chaiyaporn",
            "Boonmee",
            "Rattanakorn",
            "Phongsri",
            "Kaewmanee",
            "Suksawat",
            "Thongdee",
        ],
        native_names: &[
            "สมชาย ใจดี",
            "มาลี ศรีสุข",
            "อนันต์ บุญมี",
            "ศิริพร วงศ์สวัสดิ์",
            "ประเสริฐ แก้วมณี",
            "ณัฐยา ทองดี",
        ],
        family_first: false,
        cities: &[
            "Bangkok",
            "Chiang Mai",
            "Phuket",
            "Pattaya",
            "Khon Kaen",
            "Hat Yai",
            "Nakhon Ratchasima",
        ],
        streets: &[
            "Sukhumvit",
            "Silom",
            "Rama IV",
            "Phahonyothin",
            "Ratchadaphisek",
            "Charoen Krung",
        ],
        address: addr_th,
        phone: phone_th,
        iban: "DE",
        email_domains: &["gmail.com", "hotmail.com", "yahoo.co.th", "outlook.com"],
        ids: TH_IDS,
        date: date_slash_dmy,
    },
];

pub fn months_en(m: u32) -> &'static str {
    MONTHS_EN[m as usize - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_locale_generates_people_phones_addresses_and_ids() {
        let mut r = Rng8::seed_from_u64(3);
        for l in LOCALES {
            for _ in 0..20 {
                let p = l.person(&mut r);
                assert!(!p.full.is_empty());
                assert!(!p.ascii_last.is_empty(), "{}: {}", l.code, p.last);
                let phone = (l.phone)(&mut r);
                assert!(
                    phone.bytes().filter(u8::is_ascii_digit).count() >= 8,
                    "{phone}"
                );
                let (st, city) = (pick(&mut r, l.streets), pick(&mut r, l.cities));
                let a = (l.address)(&mut r, st, city);
                assert!(a.len() > 10);
                for id in l.ids {
                    assert!(!(id.gen)(&mut r, &p).is_empty());
                }
            }
        }
    }

    #[test]
    fn ascii_folds_accents() {
        assert_eq!(ascii("Müller"), "mueller");
        assert_eq!(ascii("Łukasz"), "lukasz");
        assert_eq!(ascii("de Jong"), "dejong");
    }
}
