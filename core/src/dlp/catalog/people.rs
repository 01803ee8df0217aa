//! Names of people and places, and street addresses: found by word lists, capitalisation,
//! titles and context rather than by a pattern.
//!
//! No statistical model runs here. The matchers ride on the scanner's one pass over word starts
//! and look only at capitalised words (and, for addresses, numbers), first by their bytes and
//! then, for the few that may matter, in word lists built once from `core/data/`: the US Census
//! 1990 given names and surnames, hand-written given names and surnames from other locales,
//! given names that are also ordinary words, words that end a name ("Street", "University"),
//! and a gazetteer of a few thousand places. A pair "known given name + capitalised word" is a
//! person, more surely when the second word is a known surname; titles and phrases such as
//! "my name is" or "Dear" vouch for names the lists do not know.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Input};

use crate::dlp::detector::{CodeHit, Matcher, Spec, Start};

const PERSON_CONTEXT: &[&str] = &[
    "applicant",
    "author",
    "candidate",
    "contact",
    "customer",
    "dear",
    "employee",
    "husband",
    "mr",
    "mrs",
    "ms",
    "name",
    "named",
    "patient",
    "regards",
    "said",
    "signed",
    "sincerely",
    "tenant",
    "wife",
    "wrote",
];

const LOCATION_CONTEXT: &[&str] = &[
    "based in",
    "born in",
    "city",
    "country",
    "flew to",
    "located in",
    "lives in",
    "moved to",
    "travel",
    "visited",
];

const ADDRESS_CONTEXT: &[&str] = &[
    "address",
    "adresse",
    "anschrift",
    "billing",
    "deliver to",
    "delivery",
    "dirección",
    "direccion",
    "indirizzo",
    "lives at",
    "located at",
    "mailing",
    "residence",
    "ship to",
    "shipping",
];

/// Every matcher but the non-ASCII ones rides on the scanner's one pass over word starts
/// (`Matcher::Located`): lowercase words cost nothing (bar the word "name" of "my name is john
/// smith"), and a capitalised word or a number is first judged by its bytes and a table or two;
/// only words that may start a name, place or address get the full look. Words that start with
/// a non-ASCII letter ("Élodie", "Łódź", "王芳") are no word starts to that pass, so detectors of
/// their own (`*_intl`) visit the non-ASCII letters only, skipping ASCII eight bytes at a time.
/// Every `max_len` is the person matcher's 256: a located hit must end within it, and the
/// streaming scanner holds back that much for the person matcher anyway.
pub(super) static SPECS: &[Spec] = &[
    Spec {
        validation: "title",
        confidence: 0.85,
        context: PERSON_CONTEXT,
        ..Spec::pii(
            "person_titled",
            "PERSON",
            Matcher::Located {
                start: Start::Upper,
                // "Mr" .. "Mademoiselle"; "Fräulein", "Señor", "Doña" break after two letters.
                first_run: (2, 12),
                max_len: 256,
                locate: titled_at,
            },
        )
    },
    Spec {
        validation: "dictionary",
        confidence: 0.6,
        context: PERSON_CONTEXT,
        ..Spec::pii(
            "person",
            "PERSON",
            Matcher::Located {
                start: Start::Upper,
                first_run: (1, 255),
                max_len: 256,
                locate: person_located,
            },
        )
    },
    Spec {
        validation: "dictionary",
        confidence: 0.6,
        context: PERSON_CONTEXT,
        ..Spec::pii(
            "person_intl",
            "PERSON",
            Matcher::Code {
                triggers: &[],
                max_len: 256,
                find: person_names_intl,
            },
        )
    },
    Spec {
        validation: "dictionary",
        confidence: 0.8,
        context: PERSON_CONTEXT,
        ..Spec::pii(
            "person_lowercase",
            "PERSON",
            Matcher::Located {
                // The word "name" of "my name is".
                start: Start::OneOf(b"nN"),
                first_run: (4, 4),
                max_len: 256,
                locate: lowercase_after_name_is,
            },
        )
    },
    Spec {
        validation: "dictionary",
        confidence: 0.6,
        context: LOCATION_CONTEXT,
        ..Spec::pii(
            "location",
            "LOCATION",
            Matcher::Located {
                start: Start::Upper,
                first_run: (1, 255),
                max_len: 256,
                locate: place_located,
            },
        )
    },
    Spec {
        validation: "dictionary",
        confidence: 0.6,
        context: LOCATION_CONTEXT,
        ..Spec::pii(
            "location_intl",
            "LOCATION",
            Matcher::Code {
                triggers: &[],
                max_len: 256,
                find: place_names_intl,
            },
        )
    },
    Spec {
        validation: "format",
        confidence: 0.75,
        context: ADDRESS_CONTEXT,
        ..Spec::pii(
            "street_address",
            "STREET_ADDRESS",
            Matcher::Located {
                start: Start::DigitOrUpper,
                first_run: (1, 255),
                max_len: 256,
                locate: address_located,
            },
        )
    },
    Spec {
        validation: "format",
        confidence: 0.75,
        context: ADDRESS_CONTEXT,
        ..Spec::pii(
            "street_address_intl",
            "STREET_ADDRESS",
            Matcher::Code {
                triggers: &[],
                max_len: 256,
                find: street_addresses_intl,
            },
        )
    },
];

/// The first letters of the gazetteer's places that start with a non-ASCII letter ("Łódź",
/// "İzmir"): a place is spelled with its first letter as written, so `place_names_intl` looks
/// at these letters only. A test keeps the list in step with `places.txt`.
const NON_ASCII_PLACE_INITIALS: &[&str] =
    &["Á", "Å", "Ç", "Č", "É", "Î", "İ", "Ł", "Ö", "Ş", "Ü", "Ž"];

// ---------------------------------------------------------------------------------------------
// Word lists

const FIRST_TXT: &str = include_str!("../../../data/names/first.txt");
const INTL_FIRST_TXT: &str = include_str!("../../../data/names/intl_first.txt");
const STOP_TXT: &str = include_str!("../../../data/names/stop.txt");
const LAST_TXT: &str = include_str!("../../../data/names/last.txt");
const LAST_WORDS_TXT: &str = include_str!("../../../data/names/last_words.txt");
const INTL_LAST_TXT: &str = include_str!("../../../data/names/intl_last.txt");
const NOT_NAMES_TXT: &str = include_str!("../../../data/names/not_names.txt");
const PLACES_TXT: &str = include_str!("../../../data/places.txt");

/// A given name.
const FIRST: u16 = 1;
/// A given name that is also an ordinary word, a month or a product ("Will", "May", "Claude").
const STOP: u16 = 1 << 1;
/// A surname that is not an English word.
const LAST: u16 = 1 << 2;
/// A surname that is also an English word ("Baker", "Hall").
const LAST_WORD: u16 = 1 << 3;
/// Ends a name: the pair is a place, an organisation or a product ("Street", "University").
const NOT_NAME: u16 = 1 << 4;
/// Ends a name unless the rest makes it look like one ("Park", "West").
const NOT_NAME_SOFT: u16 = 1 << 5;
/// A one-word place that is not ambiguous ("Texas", "Germany").
const PLACE_WORD: u16 = 1 << 6;
/// An East Asian surname, written before the given name ("Wang Wei", "Park Ji-hoon").
const EAST_ASIAN: u16 = 1 << 7;
/// The first word of a pair in `Lexicon::pairs` ("morgan" of "morgan stanley"). Not a kind of
/// name: lookups that ask whether a word is known at all leave it out.
const PAIR_FIRST: u16 = 1 << 8;

const NO_GROUP: u32 = u32::MAX;
const KEY_CAP: usize = 48;

#[derive(Clone, Copy)]
struct Entry {
    flags: u16,
    places: u32,
}

struct Place {
    name: &'static str,
    ambiguous: bool,
}

/// FxHash over eight-byte words: the keys are short words, and SipHash would cost more than
/// the rest of the lookup.
#[derive(Default)]
struct Fx(u64);

const FX_K: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h.rotate_left(5) ^ w).wrapping_mul(FX_K);
        }
        let r = chunks.remainder();
        if !r.is_empty() {
            let mut last = [0u8; 8];
            last[..r.len()].copy_from_slice(r);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(last)).wrapping_mul(FX_K);
        }
        self.0 = h;
    }

    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(FX_K);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxBuild = BuildHasherDefault<Fx>;

struct Lexicon {
    /// Lowercase word: what it is as part of a person's name.
    names: HashMap<Cow<'static, str>, u16, FxBuild>,
    /// Lowercase first word of a place: its group in `places`. Kept apart from `names` so that
    /// the place matcher probes a table small enough to stay in cache.
    place_keys: HashMap<Cow<'static, str>, u32, FxBuild>,
    /// Places sharing a first word, longest first.
    places: Vec<Vec<Place>>,
    /// Pairs that are brands though both words are names ("morgan stanley").
    pairs: HashSet<&'static str, FxBuild>,
    /// The short ASCII keys of `names` and `place_keys` together.
    short: ShortKeys,
    /// A bit per hash of each short ASCII key of `place_keys`: most capitalised words start no
    /// place, and this small table (it stays in cache) says so without a probe of `short`.
    place_bits: Vec<u64>,
}

/// Lowercase ASCII keys of up to 16 bytes with what they are as a name and as a place's first
/// word, in an open-addressed table probed straight from the text. Nearly every lookup is of
/// such a word, and one probe here costs less than building a key string and hashing it into
/// each map.
struct ShortKeys {
    slots: Vec<ShortSlot>,
    shift: u32,
}

#[derive(Clone, Copy)]
struct ShortSlot {
    key: [u64; 2],
    /// 0 for an empty slot.
    len: u8,
    entry: Entry,
}

const PLACE_BITS: usize = 1 << 16;

/// The bit of a short ASCII word in `Lexicon::place_bits` (case-insensitive); `None` when the
/// word is not a short ASCII one.
#[inline]
fn place_bit(word: &[u8]) -> Option<usize> {
    let key = ShortKeys::pack(word)?;
    let h =
        (key[0] ^ key[1].rotate_left(29) ^ word.len() as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    Some((h >> (64 - PLACE_BITS.trailing_zeros())) as usize)
}

impl ShortKeys {
    /// A table of `1 << bits` slots.
    fn new(bits: u32) -> ShortKeys {
        ShortKeys {
            slots: vec![
                ShortSlot {
                    key: [0; 2],
                    len: 0,
                    entry: Entry {
                        flags: 0,
                        places: NO_GROUP,
                    },
                };
                1 << bits
            ],
            shift: 64 - bits,
        }
    }

    /// `word` ASCII-lowercased into two words, or `None` when it is empty, longer than 16
    /// bytes or not ASCII.
    #[inline]
    fn pack(word: &[u8]) -> Option<[u64; 2]> {
        if word.is_empty() || word.len() > 16 {
            return None;
        }
        let mut bytes = [0u8; 16];
        let mut high = 0u8;
        for (d, &c) in bytes.iter_mut().zip(word) {
            high |= c;
            *d = c.to_ascii_lowercase();
        }
        if high >= 0x80 {
            return None;
        }
        let (lo, hi) = bytes.split_at(8);
        Some([
            u64::from_le_bytes(lo.try_into().ok()?),
            u64::from_le_bytes(hi.try_into().ok()?),
        ])
    }

    #[inline]
    fn home(&self, key: [u64; 2], len: usize) -> usize {
        let h = (key[0] ^ key[1].rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> self.shift) as usize
    }

    /// What `word` is, looked up ASCII-case-insensitively; `None` when it is not a short ASCII
    /// word (the maps decide then).
    #[inline]
    fn get(&self, word: &[u8]) -> Option<Entry> {
        let key = Self::pack(word)?;
        let mask = self.slots.len() - 1;
        let mut at = self.home(key, word.len());
        loop {
            let slot = &self.slots[at];
            if slot.len == 0 {
                return Some(Entry {
                    flags: 0,
                    places: NO_GROUP,
                });
            }
            if slot.len as usize == word.len() && slot.key == key {
                return Some(slot.entry);
            }
            at = (at + 1) & mask;
        }
    }

    fn insert(&mut self, word: &str, update: impl FnOnce(&mut Entry)) {
        // Keys that are not lowercase are never found by a lowercased word; leave them out.
        let Some(key) =
            Self::pack(word.as_bytes()).filter(|_| !word.bytes().any(|c| c.is_ascii_uppercase()))
        else {
            return;
        };
        let mask = self.slots.len() - 1;
        let mut at = self.home(key, word.len());
        loop {
            let slot = &mut self.slots[at];
            if slot.len == 0 {
                slot.key = key;
                slot.len = word.len() as u8;
            }
            if slot.len as usize == word.len() && slot.key == key {
                update(&mut slot.entry);
                return;
            }
            at = (at + 1) & mask;
        }
    }
}

impl Lexicon {
    fn flags(&self, key: &str) -> u16 {
        self.names.get(key).copied().unwrap_or(0)
    }

    fn group(&self, key: &str) -> u32 {
        self.place_keys.get(key).copied().unwrap_or(NO_GROUP)
    }

    fn add(&mut self, word: &'static str, flag: u16) -> &mut u16 {
        let e = self.names.entry(Cow::Borrowed(word)).or_insert(0);
        *e |= flag;
        e
    }

    fn build() -> Lexicon {
        let mut lx = Lexicon {
            names: HashMap::with_capacity_and_hasher(32_768, FxBuild::default()),
            place_keys: HashMap::with_capacity_and_hasher(4096, FxBuild::default()),
            places: Vec::new(),
            pairs: HashSet::default(),
            short: ShortKeys::new(16),
            place_bits: Vec::new(),
        };
        for w in lines(FIRST_TXT).chain(lines(INTL_FIRST_TXT)) {
            lx.add(w, FIRST);
        }
        for w in lines(STOP_TXT) {
            let e = lx.add(w, STOP);
            *e &= !FIRST;
        }
        for w in lines(LAST_TXT) {
            lx.add(w, LAST);
        }
        let mut east_asian = false;
        for line in INTL_LAST_TXT
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            if let Some(section) = line.strip_prefix('#') {
                east_asian = section.contains("(east asian)");
                continue;
            }
            // Multi-word surnames ("van der meer") are matched word by word: the last word counts.
            let last = line.rsplit(' ').next().unwrap_or(line);
            lx.add(last, if east_asian { LAST | EAST_ASIAN } else { LAST });
        }
        for w in lines(LAST_WORDS_TXT) {
            lx.add(w, LAST_WORD);
        }
        for w in lines(NOT_NAMES_TXT) {
            if let Some(soft) = w.strip_prefix('~') {
                lx.add(soft, NOT_NAME_SOFT);
            } else if w.contains(' ') {
                lx.pairs.insert(w);
                if let Some((first, _)) = w.split_once(' ') {
                    lx.add(first, PAIR_FIRST);
                }
            } else {
                lx.add(w, NOT_NAME);
            }
        }
        for line in lines(PLACES_TXT) {
            let ambiguous = line.starts_with('?');
            let name = line.trim_start_matches('?');
            let Some(first) = first_token(name) else {
                continue;
            };
            let mut buf = [0u8; KEY_CAP];
            let Some(key) = lower_key(name, first, &mut buf) else {
                continue;
            };
            let key = key.to_string();
            if first.end == name.len() && !ambiguous {
                *lx.names.entry(Cow::Owned(key.clone())).or_insert(0) |= PLACE_WORD;
            }
            let next = lx.places.len() as u32;
            let group = *lx.place_keys.entry(Cow::Owned(key)).or_insert(next) as usize;
            if group == lx.places.len() {
                lx.places.push(Vec::new());
            }
            lx.places[group].push(Place { name, ambiguous });
        }
        for group in &mut lx.places {
            group.sort_by_key(|p| std::cmp::Reverse(p.name.len()));
        }
        for (k, &flags) in &lx.names {
            lx.short.insert(k, |e| e.flags = flags);
        }
        lx.place_bits = vec![0u64; PLACE_BITS / 64];
        for (k, &group) in &lx.place_keys {
            lx.short.insert(k, |e| e.places = group);
            if let Some(bit) = place_bit(k.as_bytes()) {
                lx.place_bits[bit / 64] |= 1 << (bit % 64);
            }
        }
        lx
    }

    /// Whether a place may start with the word `word` (plain ASCII letters); `false` is sure.
    #[inline]
    fn may_start_place(&self, word: &[u8]) -> bool {
        place_bit(word).is_none_or(|bit| self.place_bits[bit / 64] >> (bit % 64) & 1 == 1)
    }

    /// The name flags of `part` of a word (ASCII-lowercased as it is looked up).
    fn part_flags(&self, part: &[u8]) -> u16 {
        if let Some(e) = self.short.get(part) {
            return e.flags;
        }
        std::str::from_utf8(part).map_or(0, |p| self.flags(&p.to_ascii_lowercase()))
    }
}

fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::build)
}

// ---------------------------------------------------------------------------------------------
// Words

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    /// `Smith`, `McDonald`, `O'Brien`, `Jean-Luc`, `Müller`.
    Cap,
    /// `SMITH`, or a single capital letter.
    Upper,
    /// `smith`.
    Lower,
    /// Digits, underscores or inner capitals: code, not a name.
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    start: usize,
    end: usize,
    shape: Shape,
    /// The word ended at a possessive `'s`, which cannot continue a name.
    possessive: bool,
    letters: usize,
}

impl Tok {
    fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    fn is_initial(&self) -> bool {
        self.shape == Shape::Upper && self.letters == 1
    }
}

#[inline]
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The character at `i`, or `None` when `i` is no character boundary. Two-byte characters
/// (Latin, Greek, Cyrillic letters) are decoded by hand.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    let b = text.as_bytes();
    match *b.get(i)? {
        c @ 0..=0x7F => Some(char::from(c)),
        c @ 0xC2..=0xDF => char::from_u32(u32::from(c & 0x1F) << 6 | u32::from(b[i + 1] & 0x3F)),
        _ => text.get(i..)?.chars().next(),
    }
}

/// The character that ends at `i`, or `None` when `i` is no character boundary.
#[inline]
fn char_before(text: &str, i: usize) -> Option<char> {
    let b = text.as_bytes();
    if i >= 2 && text.is_char_boundary(i) && (0xC2..=0xDF).contains(&b[i - 2]) {
        return char::from_u32(u32::from(b[i - 2] & 0x1F) << 6 | u32::from(b[i - 1] & 0x3F));
    }
    text.get(..i)?.chars().next_back()
}

fn letter_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        Some(b) if b.is_ascii() => b.is_ascii_alphabetic(),
        Some(_) => char_at(text, i).is_some_and(is_letter),
        None => false,
    }
}

// The non-ASCII letters of names and places are nearly all Latin-1 or Latin Extended-A/B
// (U+00C0..U+024F: every one a letter but `×` and `÷`); these settle them without the Unicode
// tables. A test checks them against `char` for every character.

/// `c.is_alphabetic()`.
#[inline]
fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        0xC0..=0x24F => !matches!(c, '×' | '÷'),
        _ => c.is_alphabetic(),
    }
}

/// `c.is_alphanumeric()`, which std defines as alphabetic or numeric.
#[inline]
fn is_alnum(c: char) -> bool {
    is_letter(c) || c.is_numeric()
}

/// `c.is_uppercase()`.
#[inline]
fn is_upper(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_uppercase(),
        0xC0..=0xDE => c != '×',
        0xDF..=0xFF => false,
        _ => c.is_uppercase(),
    }
}

/// The word that starts at `i`: letters joined by inner apostrophes and hyphens.
fn token(text: &str, i: usize) -> Tok {
    let b = text.as_bytes();
    if let Some(t) = token_ascii(b, i) {
        return t;
    }
    // Letters running into digits or an underscore (`SW1A`, `DE89...`, `user_id`): code, not a
    // word. Plain ASCII to its end, it needs no look at characters.
    let j = i + ascii_letters(b, i);
    if j > i && b.get(j).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
        let mut k = j;
        let mut letters = j - i;
        while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'_') {
            letters += usize::from(b[k].is_ascii_alphabetic());
            k += 1;
        }
        if b.get(k)
            .is_none_or(|&c| c < 0x80 && c != b'\'' && c != b'-')
        {
            return Tok {
                start: i,
                end: k,
                shape: Shape::Other,
                possessive: false,
                letters,
            };
        }
    }
    token_general(text, i)
}

/// The word at `i` is ASCII letters running into a digit or an underscore (`SW1A`, `DE89...`,
/// `user_id`): `token` calls it `Shape::Other` whatever follows, and no matcher takes it.
#[inline]
fn runs_into_code(b: &[u8], i: usize) -> bool {
    let letters = ascii_letters(b, i);
    letters > 0
        && b.get(i + letters)
            .is_some_and(|&c| c.is_ascii_digit() || c == b'_')
}

/// The number of ASCII letters from `i` on.
#[inline]
fn ascii_letters(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while let Some(x) = word_at(b, j) {
        let run = ((!letters_and_capitals(x).0 & HIGH_BITS).trailing_zeros() / 8) as usize;
        j += run;
        if run < 8 {
            return j - i;
        }
    }
    while j < b.len() && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    j - i
}

/// Where the word at `i` ends when it is plain ASCII letters followed by a byte that cannot
/// continue a word (the words `token_ascii` takes); `None` for anything else.
#[inline(always)]
fn plain_word_end(b: &[u8], i: usize) -> Option<usize> {
    let j = i + ascii_letters(b, i);
    let simple_end = match b.get(j) {
        None => true,
        Some(&c) => c < 0x80 && !c.is_ascii_digit() && !matches!(c, b'_' | b'\'' | b'-'),
    };
    (simple_end && j > i).then_some(j)
}

/// `token` for the common word: plain ASCII letters followed by a byte that cannot continue a
/// word. `None` for anything else.
#[inline(always)]
fn token_ascii(b: &[u8], i: usize) -> Option<Tok> {
    let mut j = i;
    let mut uppers = 0usize;
    let mut inner = 0usize;
    // Eight bytes at a time: which are letters and which capitals.
    while let Some(x) = word_at(b, j) {
        let (letters, capitals) = letters_and_capitals(x);
        let run = ((!letters & HIGH_BITS).trailing_zeros() / 8) as usize;
        let in_run = if run == 8 {
            capitals
        } else {
            capitals & ((1u64 << (run * 8)) - 1)
        };
        uppers += in_run.count_ones() as usize;
        // The last capital after the first letter of the word.
        let later = if j == i { in_run & !0xff } else { in_run };
        if later != 0 {
            inner = j + (63 - later.leading_zeros() as usize) / 8 - i;
        }
        j += run;
        if run < 8 {
            break;
        }
    }
    while j < b.len() && b[j].is_ascii_alphabetic() {
        if b[j].is_ascii_uppercase() {
            uppers += 1;
            if j > i {
                inner = j - i;
            }
        }
        j += 1;
    }
    let simple_end = match b.get(j) {
        None => true,
        Some(&c) => c < 0x80 && !c.is_ascii_digit() && !matches!(c, b'_' | b'\'' | b'-'),
    };
    if !simple_end || j == i {
        return None;
    }
    let letters = j - i;
    let first_upper = b[i].is_ascii_uppercase();
    let shape = if uppers == 0 {
        Shape::Lower
    } else if uppers == letters {
        Shape::Upper
    } else if first_upper
        && (uppers == 1 || (uppers == 2 && letters > inner + 1 && name_prefix(&b[i..i + inner])))
    {
        Shape::Cap
    } else {
        Shape::Other
    };
    Some(Tok {
        start: i,
        end: j,
        shape,
        possessive: false,
        letters,
    })
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that is an ASCII letter, and of each that is an ASCII
/// capital.
#[inline]
fn letters_and_capitals(x: u64) -> (u64, u64) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Adding 0x80 - lo sets a byte's high bit when the byte is >= lo (no carry: bytes < 0x80).
    let at_least = |v: u64, lo: u8| v + ONES * (0x80 - u64::from(lo));
    let y = x & LOW7;
    let ascii = !x & HIGH_BITS;
    let capitals = at_least(y, b'A') & !at_least(y, b'Z' + 1) & ascii;
    // Setting 0x20 lowercases the letters and maps no other byte into a..z.
    let z = y | (ONES * 0x20);
    let letters = at_least(z, b'a') & !at_least(z, b'z' + 1) & ascii;
    (letters, capitals)
}

/// The letters before an inner capital of a surname: `McDonald`, `MacArthur`, `DeShawn`,
/// `DiCaprio`, `LaToya`, `DuBois`.
fn name_prefix(pre: &[u8]) -> bool {
    matches!(
        pre,
        [b'M', b'c'] | [b'D', b'e' | b'i' | b'a' | b'u'] | [b'L', b'a' | b'e'] | [b'M', b'a', b'c']
    )
}

/// `token` for words with non-ASCII letters, apostrophes, hyphens, digits or underscores.
fn token_general(text: &str, i: usize) -> Tok {
    let b = text.as_bytes();
    let n = b.len();
    let mut j = i;
    let mut letters = 0usize;
    let mut uppers = 0usize;
    let mut first_upper = false;
    let mut camel = false;
    let mut other = false;
    let mut after_joint = false;
    let mut prefix = [0u8; 3];
    let mut possessive = false;
    while j < n {
        let c = b[j];
        let (is_letter, up, len) = if c < 0x80 {
            (c.is_ascii_alphabetic(), c.is_ascii_uppercase(), 1)
        } else {
            match char_at(text, j) {
                Some(ch) if joins_latin_as_letter(ch) => (true, is_upper(ch), ch.len_utf8()),
                Some('’') => (false, false, 3),
                _ => break,
            }
        };
        if is_letter {
            if letters == 0 {
                first_upper = up;
            } else if up {
                let pre = &prefix[..letters.min(3)];
                let prefix_ok = (letters == 2
                    && matches!(pre, b"mc" | b"de" | b"di" | b"da" | b"la" | b"le" | b"du"))
                    || (letters == 3 && pre == b"mac");
                if !after_joint && !prefix_ok {
                    camel = true;
                }
            }
            if up {
                uppers += 1;
            }
            if letters < 3 {
                prefix[letters] = if c < 0x80 {
                    c.to_ascii_lowercase()
                } else {
                    b'?'
                };
            }
            letters += 1;
            after_joint = false;
            j += len;
            continue;
        }
        if c.is_ascii_digit() || c == b'_' {
            other = true;
            j += 1;
            continue;
        }
        // An apostrophe or hyphen joins two letters; "'s" at the end is a possessive.
        if (c == b'\'' || c == b'-' || len == 3)
            && letters > 0
            && !after_joint
            && letter_at(text, j + len)
        {
            let apostrophe = c == b'\'' || len == 3;
            if apostrophe
                && matches!(b.get(j + len), Some(b's' | b'S'))
                && !letter_at(text, j + len + 1)
            {
                possessive = true;
                break;
            }
            after_joint = true;
            j += len;
            continue;
        }
        break;
    }
    let lowers = letters - uppers;
    let shape = if other || letters == 0 {
        Shape::Other
    } else if uppers == 0 {
        Shape::Lower
    } else if uppers == letters {
        Shape::Upper
    } else if first_upper && !camel && lowers > 0 {
        Shape::Cap
    } else {
        Shape::Other
    };
    Tok {
        start: i,
        end: j,
        shape,
        possessive,
        letters,
    }
}

fn first_token(text: &str) -> Option<Tok> {
    letter_at(text, 0).then(|| token(text, 0))
}

/// The word lowercased into `buf`, with `’` as `'`; `None` when it does not fit.
fn lower_key<'b>(text: &str, t: Tok, buf: &'b mut [u8; KEY_CAP]) -> Option<&'b str> {
    let s = &text[t.start..t.end];
    if s.len() > KEY_CAP {
        return None;
    }
    let mut n = 0;
    if s.is_ascii() {
        for (k, &c) in s.as_bytes().iter().enumerate() {
            buf[k] = c.to_ascii_lowercase();
        }
        n = s.len();
    } else {
        for ch in s.chars() {
            let ch = if ch == '’' { '\'' } else { ch };
            if !push_lower(ch, buf, &mut n) {
                return None;
            }
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Writes `c` lowercased (as `char::to_lowercase`) at `buf[*n..]` and moves `n` past it;
/// `false` when it does not fit. Latin-1 needs no table: its capitals lie 0x20 below their
/// small letters, and nothing else in it changes.
#[inline]
fn push_lower(c: char, buf: &mut [u8], n: &mut usize) -> bool {
    let mut put = |lc: char| {
        let len = lc.len_utf8();
        if *n + len > buf.len() {
            return false;
        }
        lc.encode_utf8(&mut buf[*n..*n + len]);
        *n += len;
        true
    };
    let code = c as u32;
    if code >= 0x100 {
        return c.to_lowercase().all(put);
    }
    if (0xC0..=0xDE).contains(&code) && code != 0xD7 {
        put(char::from_u32(code + 0x20).unwrap_or(c))
    } else {
        put(c.to_ascii_lowercase())
    }
}

/// What the word `t` is as part of a name (`FIRST`, `LAST`... flags); 0 when unknown.
/// "Inès", "Järvinen", "Wiśniewski" are also looked up without their diacritics.
fn name_flags(lx: &Lexicon, text: &str, t: Tok) -> u16 {
    let word = &text.as_bytes()[t.start..t.end];
    if let Some(e) = lx.short.get(word) {
        if e.flags & !PAIR_FIRST != 0 || !word.contains(&b'-') {
            return e.flags;
        }
        return word.split(|&c| c == b'-').fold(0, |acc, part| {
            acc | (lx.part_flags(part) & (FIRST | LAST | LAST_WORD))
        });
    }
    let mut buf = [0u8; KEY_CAP];
    let Some(k) = lower_key(text, t, &mut buf) else {
        return 0;
    };
    let mut flags = lx.flags(k);
    if flags & !PAIR_FIRST == 0 && !k.is_ascii() {
        let mut folded = [0u8; KEY_CAP];
        if let Some(f) = fold_diacritics(k, &mut folded) {
            flags = lx.flags(f);
        }
    }
    if flags & !PAIR_FIRST != 0 || !k.contains('-') {
        return flags;
    }
    // "Smith-Jones", "Jean-Luc": a hyphenated name takes the flags of its parts.
    k.split('-').fold(0, |acc, part| {
        acc | (lx.flags(part) & (FIRST | LAST | LAST_WORD))
    })
}

/// `key` with Latin diacritics removed ("järvinen" → "jarvinen"), or `None` if a character has
/// no plain form.
fn fold_diacritics<'b>(key: &str, buf: &'b mut [u8; KEY_CAP]) -> Option<&'b str> {
    let mut n = 0;
    for ch in key.chars() {
        let plain: &str = match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' | 'ā' | 'ă' => "a",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' | 'ē' => "e",
            'ğ' => "g",
            'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => "i",
            'ł' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'ō' => "o",
            'ř' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ß' => "ss",
            'ť' | 'ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            'æ' => "ae",
            'œ' => "oe",
            'þ' => "th",
            c if c.is_ascii() => {
                if n == KEY_CAP {
                    return None;
                }
                buf[n] = c as u8;
                n += 1;
                continue;
            }
            _ => return None,
        };
        if n + plain.len() > KEY_CAP {
            return None;
        }
        buf[n..n + plain.len()].copy_from_slice(plain.as_bytes());
        n += plain.len();
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// The group of places whose first word is `t`, or `NO_GROUP`.
fn place_group(lx: &Lexicon, text: &str, t: Tok) -> u32 {
    if let Some(e) = lx.short.get(&text.as_bytes()[t.start..t.end]) {
        return e.places;
    }
    let mut buf = [0u8; KEY_CAP];
    lower_key(text, t, &mut buf).map_or(NO_GROUP, |k| lx.group(k))
}

fn names_only(lx: &Lexicon, text: &str, t: Tok) -> Entry {
    Entry {
        flags: name_flags(lx, text, t),
        places: NO_GROUP,
    }
}

fn lookup(lx: &Lexicon, text: &str, t: Tok) -> Entry {
    let word = &text.as_bytes()[t.start..t.end];
    if let Some(e) = lx.short.get(word) {
        if e.flags & !PAIR_FIRST != 0 || !word.contains(&b'-') {
            return e;
        }
    }
    Entry {
        flags: name_flags(lx, text, t),
        places: place_group(lx, text, t),
    }
}

/// Calls `f` at every non-ASCII capital that starts a word (not inside an identifier, path,
/// e-mail address or URL) and, when `scripts`, at the first letter of every run of Han, kana,
/// Hangul, Thai or Hebrew letters (scripts without capitals, where names are found by context).
/// `f` returns where to go on: past a hit, or `i`. ASCII text in between costs a byte test per
/// eight bytes.
///
/// Capitals from U+0590 on are left out: no word the matchers take (`joins_latin`) starts
/// with one.
fn each_non_ascii_start(text: &str, scripts: bool, mut f: impl FnMut(usize) -> usize) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    // Where the last letter of a caseless script ended, and its script.
    let mut run = (usize::MAX, None);
    loop {
        i = next_non_ascii(b, i);
        if i >= n {
            break;
        }
        let lead = b[i];
        if lead >= 0xE0 && !scripts {
            i += if lead >= 0xF0 { 4 } else { 3 };
            continue;
        }
        let Some(ch) = char_at(text, i) else {
            i += 1;
            continue;
        };
        let len = ch.len_utf8();
        let start = if (ch as u32) < SPACED_SCRIPTS_END && is_upper(ch) {
            starts_word(text, i)
        } else if !scripts {
            false
        } else if let Some(script) = script_of(ch) {
            let before = if run.0 == i {
                run.1
            } else {
                char_before(text, i).and_then(script_of)
            };
            run = (i + len, Some(script));
            before != Some(script)
        } else {
            false
        };
        if start {
            let next = f(i);
            if next > i {
                i = next;
                continue;
            }
        }
        i += len;
    }
}

/// The first `byte` in `b[from..to]`, eight bytes at a time.
fn find_byte(b: &[u8], from: usize, to: usize, byte: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut k = from;
    while k + 8 <= to {
        let Some(x) = word_at(b, k) else { break };
        let v = x ^ (ONES * u64::from(byte));
        // The lowest flagged byte is the first zero byte: borrows only run upwards.
        let zero = v.wrapping_sub(ONES) & !v & HIGH_BITS;
        if zero != 0 {
            return Some(k + (zero.trailing_zeros() / 8) as usize);
        }
        k += 8;
    }
    b[k..to].iter().position(|&c| c == byte).map(|p| k + p)
}

/// The eight bytes at `i` as a little-endian word, if there are eight.
#[inline]
fn word_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 8)
        .and_then(|w| w.try_into().ok())
        .map(u64::from_le_bytes)
}

/// The first non-ASCII byte at or after `i`, or `b.len()`.
#[inline]
fn next_non_ascii(b: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(x) = word_at(b, i) {
        let m = x & HIGH;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] < 0x80 {
        i += 1;
    }
    b.len().min(i)
}

/// The word starts a matcher visits in one pass over the text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    /// Capitals that start a word.
    Capitals,
    /// Capitals, and the first letter of a run of Han, kana, Hangul, Thai or Hebrew letters.
    CapitalsAndScripts,
}

fn visits(text: &str, i: usize, visit: Visit) -> bool {
    let b = text.as_bytes();
    let c = b[i];
    if c < 0x80 {
        return c.is_ascii_uppercase() && starts_word(text, i);
    }
    let Some(ch) = text.is_char_boundary(i).then(|| char_at(text, i)).flatten() else {
        return false;
    };
    if is_upper(ch) {
        return starts_word(text, i);
    }
    visit == Visit::CapitalsAndScripts
        && script_of(ch).is_some()
        && char_before(text, i).map(script_of) != Some(script_of(ch))
}

/// Whether a hit found at an earlier start of the words `lo..at` covers `at`, going through
/// them as one pass over the text does: in order, from each hit on past its end.
///
/// The scanner offers every word start to a located matcher, but the matchers here were made
/// for one pass that never looks inside a hit: "Cheung Siu Ming" is one name, and "Siu Ming" at
/// its second word is none of its own. A hit found at `at` therefore counts only when no
/// earlier hit of the same run of words reaches over it.
fn covered_by_earlier(
    text: &str,
    lo: usize,
    at: usize,
    visit: Visit,
    hit_end: impl Fn(usize) -> Option<usize>,
) -> bool {
    let b = text.as_bytes();
    let mut s = lo;
    loop {
        s = next_interesting(b, s);
        if s >= at {
            return false;
        }
        if visits(text, s, visit) {
            if let Some(end) = hit_end(s) {
                if end > at {
                    return true;
                }
                if end > s {
                    s = end;
                    continue;
                }
            }
        }
        // The rest of a word starts nothing.
        s += 1;
        while s < at && is_word_byte(b[s]) {
            s += 1;
        }
    }
}

/// The first byte at or after `i` that is an ASCII capital or a non-ASCII byte; `b.len()` if
/// none. Looks at eight bytes at a time.
fn next_interesting(b: &[u8], mut i: usize) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let at_least = |v: u64, lo: u8| v + ONES * (0x80 - u64::from(lo));
    while let Some(x) = word_at(b, i) {
        let y = x & LOW7;
        let m = ((at_least(y, b'A') & !at_least(y, b'Z' + 1)) | x) & HIGH_BITS;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_uppercase() || c >= 0x80 {
            return i;
        }
        i += 1;
    }
    b.len()
}

/// The start of the run of up to `words` words before `at` that one name or place can span:
/// words joined by a space, `. `, `, ` or `.` (`J.R. Smith`, `Smith, John`, `Austin, Texas`).
fn run_start(text: &str, at: usize, words: usize) -> usize {
    let b = text.as_bytes();
    let mut lo = at;
    for _ in 0..words {
        let mut j = lo;
        if j >= 1 && b[j - 1] == b' ' {
            j -= 1;
            if j >= 1 && matches!(b[j - 1], b'.' | b',') {
                j -= 1;
            }
        } else if j >= 1 && b[j - 1] == b'.' {
            j -= 1;
        } else {
            break;
        }
        let mut k = j;
        while k > 0 {
            let c = b[k - 1];
            if c.is_ascii_alphabetic() || c == b'\'' || c == b'-' {
                k -= 1;
            } else if c >= 0x80 {
                match char_before(text, k) {
                    Some(ch) if is_letter(ch) || ch == '’' => k -= ch.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        if k == j {
            break;
        }
        lo = k;
    }
    lo
}

/// A word may start at `i`: the character before is not part of a word, an identifier, a path,
/// an e-mail address or a URL. A letter of another script (`에서Ulsan`) is a boundary.
fn starts_word(text: &str, i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let p = text.as_bytes()[i - 1];
    if p < 0x80 {
        !(is_word_byte(p)
            || matches!(
                p,
                b'.' | b'@'
                    | b'/'
                    | b'\\'
                    | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'~'
                    | b'^'
                    | b'`'
                    | b'|'
                    | b'+'
            ))
    } else {
        !char_before(text, i).is_some_and(joins_latin)
    }
}

/// Nothing after `end` glues the word to code: `Smith.java`, `Smith(`, `Smith::new`, `Smith@`.
fn ends_word(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    match b.get(end) {
        None => true,
        Some(&c) if c < 0x80 => match c {
            b'(' | b'@' | b'/' | b'\\' | b'_' | b'[' | b'<' | b'{' | b'=' => false,
            b'.' | b':' => !b
                .get(end + 1)
                .is_some_and(|&d| d.is_ascii_alphanumeric() || d == b':'),
            _ => !c.is_ascii_alphanumeric(),
        },
        Some(_) => !char_at(text, end).is_some_and(joins_latin),
    }
}

/// Code points below this are of alphabets written with spaces between words like Latin
/// (Latin, Greek, Cyrillic, Armenian); Hebrew starts here.
const SPACED_SCRIPTS_END: u32 = 0x0590;

/// A letter or digit of an alphabet written with spaces between words like Latin. CJK, Hangul,
/// Thai or Hebrew right after a Latin word still ends it.
fn joins_latin(c: char) -> bool {
    (c as u32) < SPACED_SCRIPTS_END && is_alnum(c)
}

/// `joins_latin` for letters only.
fn joins_latin_as_letter(c: char) -> bool {
    (c as u32) < SPACED_SCRIPTS_END && is_letter(c)
}

/// The word after `pos` when exactly one space (or `sep`) separates them.
fn next_word(text: &str, pos: usize) -> Option<Tok> {
    let b = text.as_bytes();
    if b.get(pos) != Some(&b' ') {
        return None;
    }
    letter_at(text, pos + 1).then(|| token(text, pos + 1))
}

/// A word before a candidate, ASCII-lowercased.
struct Prev {
    at: usize,
    /// Where the word ends in the text.
    end: usize,
    buf: [u8; 24],
    len: usize,
    /// A colon or comma came between the word and the candidate.
    punct: bool,
}

impl Prev {
    fn word(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// The word before `pos`, skipping blanks (and, when `loose`, line breaks, quotes, colons and
/// commas, which set `punct`). Looks back at most 40 bytes; non-ASCII letters count.
fn prev_word(text: &str, pos: usize, loose: bool) -> Option<Prev> {
    let (at, end, punct) = prev_word_span(text, pos, loose)?;
    prev_at(text, at, end, punct)
}

/// Where the word `prev_word` reads lies (`at..end`), and whether punctuation came between.
fn prev_word_span(text: &str, pos: usize, loose: bool) -> Option<(usize, usize, bool)> {
    let b = text.as_bytes();
    let lo = pos.saturating_sub(40);
    let mut j = pos;
    let mut punct = false;
    let mut lines = 0;
    while j > lo {
        match b[j - 1] {
            b' ' | b'\t' | b'\r' => j -= 1,
            // A blank line ends a paragraph: "Hi,\n\nKira..." is no greeting of Kira.
            b'\n' if loose && lines == 0 => {
                lines += 1;
                j -= 1;
            }
            b'"' | b'\'' if loose => j -= 1,
            b':' | b',' if loose => {
                punct = true;
                j -= 1;
            }
            0xBC if loose && text[..j].ends_with('：') => {
                punct = true;
                j -= '：'.len_utf8();
            }
            _ => break,
        }
    }
    let end = j;
    while j > lo {
        let c = b[j - 1];
        if c.is_ascii_alphabetic() || c == b'\'' {
            j -= 1;
        } else if c >= 0x80 {
            match char_before(text, j) {
                Some(ch) if joins_latin_as_letter(ch) => j -= ch.len_utf8(),
                _ => break,
            }
        } else {
            break;
        }
    }
    if j == end
        || end - j > 24
        || (j > 0
            && (is_word_byte(b[j - 1])
                || (b[j - 1] >= 0x80 && char_before(text, j).is_some_and(is_alnum))))
    {
        return None;
    }
    Some((j, end, punct))
}

/// The word `text[j..end]` lowercased, as `prev_word` gives it.
fn prev_at(text: &str, j: usize, end: usize, punct: bool) -> Option<Prev> {
    let b = text.as_bytes();
    let mut buf = [0u8; 24];
    let word = &b[j..end];
    if word.is_ascii() {
        // `prev_word_span` keeps words to 24 bytes.
        buf[..word.len()].copy_from_slice(word);
        buf[..word.len()].make_ascii_lowercase();
        return Some(Prev {
            at: j,
            end,
            buf,
            len: word.len(),
            punct,
        });
    }
    let mut n = 0;
    for ch in text[j..end].chars() {
        if !push_lower(ch, &mut buf, &mut n) {
            return None;
        }
    }
    Some(Prev {
        at: j,
        end,
        buf,
        len: n,
        punct,
    })
}

// ---------------------------------------------------------------------------------------------
// People

/// How strongly the words before a candidate vouch for a name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Ctx {
    None,
    /// "Hi", "Thanks", "I am", "written by".
    Greeting,
    /// "named", "called".
    Named,
    /// A form field: "Patient:", "From:", "Name:".
    Field,
    /// "my name is", "Dear", "Signed", "Regards,".
    Strong,
}

/// The first byte and length of each word of a list: a word whose first byte and length fit
/// none is certainly not in it, and that is most words. Lists of more than a few words matched
/// with `matches!` compare strings one by one; this settles most words with a table lookup.
struct Initials([u32; 128]);

impl Initials {
    /// Each word by its first byte ASCII-lowercased when `fold`.
    fn of(words: &[&str], fold: bool) -> Initials {
        let mut t = [0u32; 128];
        for w in words {
            if let Some(&c) = w.as_bytes().first().filter(|c| c.is_ascii()) {
                let c = if fold { c.to_ascii_lowercase() } else { c };
                t[usize::from(c)] |= 1 << w.len().min(31);
            }
        }
        Initials(t)
    }

    /// Whether `w` (first byte lowercased when the table was built with `fold`) may be a word
    /// of the list. Words that start with a non-ASCII byte always may.
    #[inline]
    fn may_hold(&self, first: u8, len: usize) -> bool {
        first >= 0x80 || self.0[usize::from(first)] >> len.min(31) & 1 == 1
    }
}

/// Every word `is_title` takes (a test keeps the two in step).
const TITLES: &[&str] = &[
    "Adm",
    "Capt",
    "Captain",
    "Chancellor",
    "Cmdr",
    "Colonel",
    "Cpl",
    "DR",
    "Dame",
    "Det",
    "Detective",
    "Dhr",
    "Don",
    "Dott",
    "Dottor",
    "Dottoressa",
    "Doña",
    "Dr",
    "Fr",
    "Frau",
    "Fräulein",
    "Gov",
    "Governor",
    "Herr",
    "Herrn",
    "Insp",
    "Inspector",
    "Judge",
    "Lady",
    "Lord",
    "Lt",
    "MR",
    "MRS",
    "MS",
    "Madame",
    "Mademoiselle",
    "Maj",
    "Mayor",
    "Mevr",
    "Mevrouw",
    "Miss",
    "Mlle",
    "Mme",
    "Monsieur",
    "Mr",
    "Mrs",
    "Ms",
    "Mx",
    "Officer",
    "PROF",
    "President",
    "Prof",
    "Professor",
    "Rep",
    "Rev",
    "Revd",
    "Reverend",
    "Sen",
    "Senator",
    "Senor",
    "Senora",
    "Sergeant",
    "Señor",
    "Señora",
    "Señorita",
    "Sgt",
    "Shri",
    "Sig",
    "Signor",
    "Signora",
    "Sir",
    "Smt",
    "Sr",
    "Sra",
    "Srta",
];

/// Every word `street_type` takes, lowercase (a test keeps the two in step).
const STREET_TYPES: &[&str] = &[
    "alley",
    "av",
    "ave",
    "avenue",
    "beach",
    "bend",
    "bluff",
    "bluffs",
    "blvd",
    "bottom",
    "boulevard",
    "branch",
    "brook",
    "brooks",
    "burg",
    "burgs",
    "bypass",
    "camp",
    "canyon",
    "cape",
    "causeway",
    "center",
    "centers",
    "centre",
    "cir",
    "circle",
    "circles",
    "cliff",
    "cliffs",
    "close",
    "club",
    "common",
    "commons",
    "corner",
    "corners",
    "course",
    "court",
    "courts",
    "cove",
    "coves",
    "creek",
    "cres",
    "crescent",
    "crescents",
    "crest",
    "crossing",
    "ct",
    "curve",
    "dale",
    "dam",
    "divide",
    "dr",
    "drive",
    "drives",
    "embankment",
    "esplanade",
    "estate",
    "estates",
    "expressway",
    "extension",
    "extensions",
    "falls",
    "ferry",
    "field",
    "fields",
    "flat",
    "flats",
    "ford",
    "fords",
    "forest",
    "forge",
    "forges",
    "fork",
    "forks",
    "fort",
    "freeway",
    "garden",
    "gardens",
    "gateway",
    "glen",
    "glens",
    "green",
    "grove",
    "groves",
    "harbor",
    "harbors",
    "harbour",
    "haven",
    "heights",
    "highway",
    "hill",
    "hills",
    "hillside",
    "hollow",
    "hwy",
    "inlet",
    "island",
    "islands",
    "isle",
    "junction",
    "key",
    "keys",
    "knoll",
    "knolls",
    "lake",
    "lakes",
    "landing",
    "lane",
    "lanes",
    "light",
    "lights",
    "ln",
    "loaf",
    "lock",
    "locks",
    "lodge",
    "loop",
    "mall",
    "manor",
    "manors",
    "meadow",
    "meadows",
    "mews",
    "mill",
    "mills",
    "mission",
    "motorway",
    "mount",
    "mountain",
    "mountains",
    "neck",
    "orchard",
    "oval",
    "overpass",
    "parade",
    "park",
    "parks",
    "parkway",
    "pass",
    "passage",
    "path",
    "pike",
    "pine",
    "pines",
    "pkwy",
    "pl",
    "place",
    "plain",
    "plains",
    "plaza",
    "point",
    "points",
    "port",
    "ports",
    "prairie",
    "promenade",
    "quay",
    "radial",
    "ramp",
    "ranch",
    "rapid",
    "rapids",
    "rd",
    "rest",
    "ridge",
    "ridges",
    "road",
    "roads",
    "route",
    "routes",
    "row",
    "run",
    "shoal",
    "shoals",
    "shore",
    "shores",
    "skyway",
    "spring",
    "springs",
    "spur",
    "sq",
    "square",
    "squares",
    "st",
    "station",
    "stravenue",
    "stream",
    "street",
    "streets",
    "summit",
    "ter",
    "terrace",
    "throughway",
    "trace",
    "track",
    "trafficway",
    "trail",
    "trl",
    "tunnel",
    "turnpike",
    "underpass",
    "union",
    "unions",
    "valley",
    "valleys",
    "viaduct",
    "view",
    "views",
    "village",
    "villages",
    "ville",
    "vista",
    "walk",
    "wall",
    "way",
    "ways",
    "well",
    "wells",
    "wharf",
];

/// The words `person_context` reads before a name (a test keeps this list in step with its
/// `match`). Most words before a capital are none of them, and their first letter and length
/// say so before the `match` compares strings.
const CONTEXT_LEADS: &[&str] = &[
    "adım",
    "aka",
    "am",
    "appelle",
    "applicant",
    "approved",
    "asiakas",
    "attention",
    "attn",
    "author",
    "authored",
    "bcc",
    "ben",
    "beneficiary",
    "bin",
    "bonjour",
    "buyer",
    "by",
    "called",
    "candidate",
    "cc",
    "cheers",
    "chiamo",
    "ciao",
    "client",
    "cliente",
    "composed",
    "congrats",
    "congratulations",
    "contact",
    "contact_name",
    "created",
    "creditor",
    "customer",
    "customer_name",
    "dear",
    "debtor",
    "directed",
    "display_name",
    "doctor",
    "driver",
    "edited",
    "employee",
    "es",
    "est",
    "first_name",
    "founded",
    "from",
    "full_name",
    "fullname",
    "guest",
    "hallo",
    "heisse",
    "heiße",
    "hej",
    "hello",
    "heter",
    "hey",
    "hi",
    "hola",
    "holder",
    "hosted",
    "i",
    "i'm",
    "ich",
    "ik",
    "imię",
    "interviewed",
    "is",
    "ist",
    "i’m",
    "klant",
    "klient",
    "kund",
    "kunde",
    "landlord",
    "led",
    "llamo",
    "managed",
    "meet",
    "member",
    "merhaba",
    "moi",
    "müşteri",
    "naam",
    "name",
    "name's",
    "named",
    "names",
    "namn",
    "nazwisko",
    "nazywam",
    "nee",
    "nimeni",
    "nimi",
    "nom",
    "nombre",
    "nome",
    "nurse",
    "née",
    "olá",
    "on",
    "owner",
    "paciente",
    "painted",
    "passenger",
    "patient",
    "patientin",
    "patiënt",
    "photo",
    "physician",
    "posted",
    "prepared",
    "presented",
    "produced",
    "recipient",
    "regards",
    "reported",
    "reviewed",
    "seller",
    "sender",
    "sent",
    "signatory",
    "signed",
    "sincerely",
    "się",
    "sono",
    "sou",
    "soy",
    "soyad",
    "student",
    "submitted",
    "suis",
    "tenant",
    "thank",
    "thanks",
    "this",
    "to",
    "user",
    "welcome",
    "witness",
    "written",
    "you",
    "är",
    "è",
    "é",
];

/// Whether a lowercase word whose first byte is `first` and whose length is `len` may be one of
/// `CONTEXT_LEADS`: the two fit one. Words that start with a non-ASCII letter always may.
fn may_lead_by(first: u8, len: usize) -> bool {
    static LEADS: OnceLock<[u32; 26]> = OnceLock::new();
    let leads = LEADS.get_or_init(|| {
        let mut t = [0u32; 26];
        for l in CONTEXT_LEADS {
            if let Some(k) = l.bytes().next().filter(u8::is_ascii_lowercase) {
                t[usize::from(k - b'a')] |= 1 << l.len().min(31);
            }
        }
        t
    });
    !first.is_ascii_lowercase() || leads[usize::from(first - b'a')] >> len.min(31) & 1 == 1
}

fn person_context(text: &str, start: usize) -> Ctx {
    let b = text.as_bytes();
    // Where the text is laid out as a record, the layout vouches for the field.
    if start >= 2 && &b[start - 2..start] == b"] " {
        return Ctx::Named; // "[14:05] Name: message"
    }
    if start >= 1 && matches!(b[start - 1], b';' | b'|' | b'\t') {
        return Ctx::Named; // "12345;Name;email"
    }
    if start == 0 || b[start - 1] == b'\n' {
        if signs_off(text, start) {
            return Ctx::Named; // "Kind regards,\nName"
        }
    } else if start >= 2 && &b[start - 2..start] == b"- " && (start == 2 || b[start - 3] == b'\n') {
        return Ctx::Named; // "- Name, born 1990"
    }
    let Some((at, end, punct)) = prev_word_span(text, start, true) else {
        return Ctx::None;
    };
    // Most words before a capital are no context word; say so before copying one.
    let raw = &b[at..end];
    if raw.is_ascii() && !may_lead_by(raw[0].to_ascii_lowercase(), raw.len()) {
        return Ctx::None;
    }
    let Some(prev) = prev_at(text, at, end, punct) else {
        return Ctx::None;
    };
    let punct = prev.punct;
    let before = || prev_word(text, prev.at, false);
    let before_is = |w: &str| before().is_some_and(|p| p.word() == w);
    match prev.word() {
        "dear" | "signed" | "sincerely" | "regards" | "attn" | "attention" | "née" | "nee" => {
            Ctx::Strong
        }
        "name's" | "names" | "appelle" | "llamo" | "chiamo" | "heiße" | "heisse" | "heter"
        | "adım" | "nazywam" => Ctx::Strong,
        "się" if before_is("nazywam") => Ctx::Strong,
        "is" | "ist" | "é" | "est" | "es" | "è" | "on" | "är"
            if before().is_some_and(|p| {
                matches!(
                    p.word(),
                    "name" | "naam" | "nome" | "nom" | "nombre" | "nimeni" | "namn"
                )
            }) =>
        {
            Ctx::Strong
        }
        "from" | "to" | "cc" | "bcc" | "name" | "author" | "by" | "customer" | "client"
        | "employee" | "user" | "patient" | "contact" | "recipient" | "sender" | "applicant"
        | "candidate" | "tenant" | "guest" | "passenger" | "student" | "witness" | "owner"
        | "beneficiary" | "holder" | "signatory" | "physician" | "doctor" | "nurse" | "driver"
        | "member" | "landlord" | "buyer" | "seller" | "debtor" | "creditor" | "nombre"
        | "cliente" | "naam" | "klant" | "nom" | "nome" | "namn" | "kund" | "nimi" | "asiakas"
        | "klient" | "müşteri" | "kunde" | "soyad" | "nazwisko" | "imię" | "paciente"
        | "patiënt" | "patientin" | "fullname" | "full_name" | "first_name" | "display_name"
        | "contact_name" | "customer_name"
            if punct =>
        {
            Ctx::Field
        }
        "patient" | "contact" | "client" | "customer" | "employee" | "tenant" => Ctx::Named,
        "named" | "called" | "aka" => Ctx::Named,
        "by" if matches!(
            before().as_ref().map(Prev::word),
            Some(
                "written"
                    | "created"
                    | "authored"
                    | "signed"
                    | "reported"
                    | "approved"
                    | "reviewed"
                    | "sent"
                    | "submitted"
                    | "posted"
                    | "edited"
                    | "photo"
                    | "directed"
                    | "produced"
                    | "painted"
                    | "composed"
                    | "founded"
                    | "hosted"
                    | "presented"
                    | "interviewed"
                    | "led"
                    | "managed"
                    | "prepared"
            )
        ) =>
        {
            Ctx::Named
        }
        "i'm" | "i’m" | "suis" | "soy" | "sono" | "sou" => Ctx::Named,
        "hi" | "hello" | "hey" | "thanks" | "cheers" | "welcome" | "congratulations"
        | "congrats" | "meet" | "hola" | "hallo" | "bonjour" | "ciao" | "olá" | "hej" | "moi"
        | "merhaba" => Ctx::Greeting,
        "am" if before_is("i") => Ctx::Named,
        "ben" if before_is("ik") => Ctx::Named,
        "bin" if before_is("ich") => Ctx::Named,
        "is" if before_is("this") => Ctx::Named,
        "you" if before_is("thank") => Ctx::Greeting,
        _ => Ctx::None,
    }
}

/// The line before `start` is a short sign-off ("Kind regards,", "Gracias,", "谢谢！", and for
/// names in other scripts also "감사합니다.", "ありがとうございます。", "此致"), and the name
/// stands alone on its line.
fn signs_off(text: &str, start: usize) -> bool {
    let b = text.as_bytes();
    if start < 2 {
        return false;
    }
    let mut j = start - 1; // the '\n'
    while j > 0 && matches!(b[j - 1], b' ' | b'\r') {
        j -= 1;
    }
    // Look back one short line only, so the answer depends on nearby text.
    let lo = floor_boundary(text, j.saturating_sub(64));
    let line_start = match text[lo..j].rfind('\n') {
        Some(k) => lo + k + 1,
        None if lo == 0 => 0,
        None => return false,
    };
    let line = text[line_start..j].trim();
    if line.is_empty()
        || line.len() > 48
        || line.starts_with(['-', '*', '#', '`', '[', '{', '/'])
        || line.bytes().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    if line.ends_with([',', '!', '，', '！']) {
        return true;
    }
    // Other scripts close with a full stop or a bare word, and the name stands alone.
    let script = char_at(text, start).and_then(script_of).is_some();
    let name_line = text[start..].split('\n').next().unwrap_or("");
    let alone = name_line.len() <= 40
        && !name_line.contains([':', '：'])
        && !name_line.bytes().any(|c| c.is_ascii_digit());
    script
        && alone
        && !line.contains([':', '：'])
        && (line.ends_with(['.', '。']) || line.chars().all(|c| script_of(c).is_some()))
}

/// What the words after a given name are, the strongest first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Sur {
    None,
    /// A word that usually ends a name ("Park", "West").
    Soft,
    /// A capitalised word no list knows.
    Unknown,
    /// Another given name ("Mary Ann").
    Given,
    /// A surname that is also an English word ("Baker").
    Word,
    /// A surname.
    Plain,
}

struct Chain {
    end: usize,
    sur: Sur,
    /// The words after the given name form a place, an organisation or a product.
    blocked: bool,
    second: Option<Tok>,
}

fn is_particle(w: &str) -> bool {
    matches!(
        w,
        "van"
            | "von"
            | "de"
            | "da"
            | "di"
            | "del"
            | "della"
            | "der"
            | "den"
            | "du"
            | "dos"
            | "das"
            | "le"
            | "la"
            | "bin"
            | "ibn"
            | "al"
            | "el"
            | "ben"
            | "ter"
            | "ten"
            | "zu"
            | "y"
    )
}

/// Words that make the next capitalised word part of a place: `St John`, `Lake Jennifer`.
fn is_place_prefix(w: &str) -> bool {
    matches!(
        w,
        "St" | "Saint"
            | "Ste"
            | "San"
            | "Santa"
            | "Santo"
            | "São"
            | "Fort"
            | "Ft"
            | "Mount"
            | "Mt"
            | "Lake"
            | "Port"
            | "Cape"
            | "Point"
            | "North"
            | "South"
            | "East"
            | "West"
            | "New"
            | "Glen"
            | "Camp"
            | "Villa"
            | "Isla"
            | "Los"
            | "Las"
            | "El"
            | "La"
            | "Le"
            | "Bad"
            | "Sankt"
    )
}

fn classify(flags: u16) -> Sur {
    if flags & LAST_WORD != 0 {
        Sur::Word
    } else if flags & LAST != 0 {
        Sur::Plain
    } else if flags & (FIRST | STOP) != 0 {
        Sur::Given
    } else if flags & NOT_NAME_SOFT != 0 {
        Sur::Soft
    } else {
        Sur::Unknown
    }
}

/// The words that follow a given name: middle names, initials, particles and a surname.
fn name_chain(text: &str, lx: &Lexicon, first: Tok) -> Chain {
    let b = text.as_bytes();
    let upper = first.shape == Shape::Upper;
    let mut c = Chain {
        end: first.end,
        sur: Sur::None,
        blocked: false,
        second: None,
    };
    let mut pending = first.end;
    let mut possessive = first.possessive;
    for _ in 0..5 {
        if possessive {
            break;
        }
        let Some(t) = next_word(text, pending) else {
            break;
        };
        let w = t.text(text);
        if t.is_initial() && !upper {
            // "John F. Kennedy", "John F Kennedy": an initial needs a word after it.
            if b.get(t.end) == Some(&b'.') {
                pending = t.end + 1;
                continue;
            }
            if b.get(t.end) == Some(&b' ') && c.sur == Sur::None {
                pending = t.end;
                continue;
            }
            break;
        }
        if t.shape == Shape::Lower {
            if is_particle(w) && next_word(text, t.end).is_some_and(|n| n.shape == Shape::Cap) {
                pending = t.end;
                continue;
            }
            break;
        }
        let shape_ok = if upper {
            t.shape == Shape::Upper
        } else {
            t.shape == Shape::Cap
        };
        if !shape_ok {
            break;
        }
        let e = names_only(lx, text, t);
        if e.flags & NOT_NAME != 0 {
            c.blocked = true;
            break;
        }
        if e.flags & PLACE_WORD != 0 && e.flags & (LAST | LAST_WORD) == 0 {
            c.blocked = true;
            break;
        }
        let class = classify(e.flags);
        if c.sur != Sur::None && class <= Sur::Unknown {
            if class == Sur::Soft {
                c.blocked = true;
            }
            break;
        }
        if c.second.is_none() {
            c.second = Some(t);
        }
        c.sur = c.sur.max(class);
        c.end = t.end;
        pending = t.end;
        possessive = t.possessive;
    }
    if c.sur != Sur::None && !possessive {
        c.end = name_suffix(text, c.end);
    }
    // "Martin Luther King Jr. Boulevard", "John Hopkins University": the name names a thing.
    if let Some(t) = next_word(text, c.end) {
        if t.shape == Shape::Cap && name_flags(lx, text, t) & NOT_NAME != 0 {
            c.blocked = true;
        }
    }
    c
}

/// Extends past `Jr.`, `Sr.`, `II`, `III`, `IV`.
fn name_suffix(text: &str, end: usize) -> usize {
    // Every suffix opens with " J", " S", " I" or ", ".
    let b = text.as_bytes();
    if !matches!(
        (b.get(end), b.get(end + 1)),
        (Some(b' '), Some(b'J' | b'S' | b'I')) | (Some(b','), Some(b' '))
    ) {
        return end;
    }
    let rest = &text[end..];
    for (s, keep) in [
        (", Jr.", 5),
        (" Jr.", 4),
        (", Sr.", 5),
        (" Sr.", 4),
        (" Jr", 3),
        (" Sr", 3),
        (" III", 4),
        (" II", 3),
        (" IV", 3),
    ] {
        if rest.starts_with(s) && ends_word(text, end + keep - usize::from(s.ends_with('.'))) {
            let e = end + keep;
            if s.ends_with('.') || !letter_at(text, e) {
                return e;
            }
        }
    }
    end
}

/// A multi-word place starts at `t` ("Sierra Leone", "Virginia Beach").
fn place_covers(text: &str, lx: &Lexicon, t: Tok, entry: Entry) -> bool {
    if entry.places == NO_GROUP {
        return false;
    }
    lx.places[entry.places as usize]
        .iter()
        .any(|p| p.name.len() > t.end - t.start && place_at(text, t.start, p).is_some())
}

fn pair_blocked(text: &str, lx: &Lexicon, first: Tok, second: Tok) -> bool {
    if lx.pairs.is_empty() {
        return false;
    }
    let mut a = [0u8; KEY_CAP];
    let mut z = [0u8; KEY_CAP];
    match (
        lower_key(text, first, &mut a),
        lower_key(text, second, &mut z),
    ) {
        (Some(x), Some(y)) if x.len() + y.len() < 64 => {
            let mut pair = [0u8; 64];
            pair[..x.len()].copy_from_slice(x.as_bytes());
            pair[x.len()] = b' ';
            pair[x.len() + 1..x.len() + 1 + y.len()].copy_from_slice(y.as_bytes());
            std::str::from_utf8(&pair[..x.len() + 1 + y.len()]).is_ok_and(|p| lx.pairs.contains(p))
        }
        _ => false,
    }
}

fn is_title(w: &str) -> bool {
    static INITIALS: OnceLock<Initials> = OnceLock::new();
    let initials = INITIALS.get_or_init(|| Initials::of(TITLES, false));
    let Some(&first) = w.as_bytes().first() else {
        return false;
    };
    initials.may_hold(first, w.len()) && is_title_word(w)
}

fn is_title_word(w: &str) -> bool {
    matches!(
        w,
        "Mr" | "Mrs"
            | "Ms"
            | "Mx"
            | "Miss"
            | "Dr"
            | "Prof"
            | "Professor"
            | "Sir"
            | "Dame"
            | "Lord"
            | "Lady"
            | "Rev"
            | "Revd"
            | "Reverend"
            | "Fr"
            | "Capt"
            | "Captain"
            | "Colonel"
            | "Lt"
            | "Sgt"
            | "Sergeant"
            | "Cpl"
            | "Maj"
            | "Cmdr"
            | "Adm"
            | "Det"
            | "Detective"
            | "Insp"
            | "Inspector"
            | "Officer"
            | "Judge"
            | "Senator"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Governor"
            | "Mayor"
            | "President"
            | "Chancellor"
            | "Herr"
            | "Herrn"
            | "Frau"
            | "Fräulein"
            | "Mme"
            | "Mlle"
            | "Madame"
            | "Mademoiselle"
            | "Monsieur"
            | "Sr"
            | "Sra"
            | "Srta"
            | "Señor"
            | "Señora"
            | "Señorita"
            | "Senor"
            | "Senora"
            | "Don"
            | "Doña"
            | "Dott"
            | "Dottor"
            | "Dottoressa"
            | "Sig"
            | "Signor"
            | "Signora"
            | "Dhr"
            | "Mevr"
            | "Mevrouw"
            | "Shri"
            | "Smt"
            | "MR"
            | "MRS"
            | "MS"
            | "DR"
            | "PROF"
    )
}

/// `Mr. Smith`, `Dr Jane Doe`, `Frau Müller`, `Sra. García`: a title at `i` and one to three
/// capitalised words or initials after it. The hit is the name, not the title.
fn titled_at(text: &str, i: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    // Most capitalised words are no title: a look at their letters settles it.
    let quick = i + b[i..]
        .iter()
        .take(14)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if b.get(quick).is_none_or(|&c| c < 0x80) && !is_title(&text[i..quick]) {
        return None;
    }
    if !starts_word(text, i) {
        return None;
    }
    let lx = lexicon();
    let t = token(text, i);
    let title = t.text(text);
    if t.shape == Shape::Other || !is_title(title) || t.possessive {
        return None;
    }
    let mut p = t.end;
    if b.get(p) == Some(&b'.') {
        p += 1;
    }
    // "Oak Dr Springfield": after a house number and a street name, "Dr" is a drive.
    if matches!(title, "Dr" | "DR") && street_before(text, t.start) {
        return None;
    }
    let upper = t.shape == Shape::Upper && title.len() > 1 && title != "Mr";
    let mut end = 0;
    let mut words = 0;
    let mut known = false;
    let mut pending = p;
    while words < 3 {
        let Some(w) = next_word(text, pending) else {
            break;
        };
        if w.is_initial() && b.get(w.end) == Some(&b'.') {
            pending = w.end + 1;
            continue;
        }
        if w.shape == Shape::Lower && is_particle(w.text(text)) {
            pending = w.end;
            continue;
        }
        let ok = w.shape == Shape::Cap || (upper && w.shape == Shape::Upper && w.end - w.start > 1);
        if !ok {
            break;
        }
        let e = names_only(lx, text, w);
        if e.flags & NOT_NAME != 0
            || (words == 0 && e.flags & PLACE_WORD != 0 && e.flags & (LAST | LAST_WORD) == 0)
        {
            break;
        }
        known |= e.flags & (FIRST | STOP | LAST | LAST_WORD) != 0;
        end = w.end;
        words += 1;
        pending = w.end;
        if w.possessive {
            break;
        }
    }
    if words == 0 || !ends_word(text, end) {
        return None;
    }
    // "Dr. Pepper Street", "Dr Martens Store": the words name a thing.
    if next_word(text, end)
        .is_some_and(|n| n.shape == Shape::Cap && name_flags(lx, text, n) & NOT_NAME != 0)
    {
        return None;
    }
    let end = name_suffix(text, end);
    let lo = run_start(text, i, 8);
    if lo < i
        && covered_by_earlier(text, lo, i, Visit::Capitals, |s| {
            titled_at(text, s).map(|h| h.end)
        })
    {
        return None;
    }
    // A word no list knows after a title ("Mrs. Agreement") is less sure than a name.
    Some(CodeHit {
        start: p + 1,
        end,
        confidence: Some(if known { 0.85 } else { 0.6 }),
    })
}

/// A house number and a capitalised street name come right before `at` (`42 Oak Dr`).
fn street_before(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let lo = at.saturating_sub(40);
    let mut j = at;
    let mut words = 0;
    while j > lo && words < 4 {
        while j > lo && b[j - 1] == b' ' {
            j -= 1;
        }
        let end = j;
        while j > lo && is_word_byte(b[j - 1]) {
            j -= 1;
        }
        if j == end {
            return false;
        }
        if b[j].is_ascii_digit() {
            return words > 0;
        }
        if !b[j].is_ascii_uppercase() {
            return false;
        }
        words += 1;
    }
    false
}

/// Names by word lists, context and shape at a capital `i`: `John Smith`, `Dear Ana`,
/// `Smith, John`, `J. Smith`, `JOHN SMITH`.
fn person_located(text: &str, i: usize) -> Option<CodeHit> {
    // What `person_at` asks first of a plain word, without a word list: a word followed by
    // lowercase prose is a name only after a context phrase.
    let b = text.as_bytes();
    let ctx = std::cell::OnceCell::new();
    let plain = token_ascii(b, i);
    if plain.is_none() && runs_into_code(b, i) {
        return None;
    }
    if let Some(t) = plain {
        let space_then = |test: fn(u8) -> bool| {
            b.get(t.end) == Some(&b' ') && b.get(t.end + 1).is_some_and(|&c| test(c))
        };
        let next_capital = space_then(|c| c.is_ascii_uppercase() || c >= 0x80);
        let open = match t.shape {
            Shape::Cap => {
                next_capital
                    || space_then(|c| {
                        matches!(
                            c,
                            b'v' | b'd' | b'l' | b'b' | b'i' | b'a' | b'e' | b't' | b'z' | b'y'
                        )
                    })
                    || (b.get(t.end) == Some(&b',') && b.get(t.end + 1) == Some(&b' '))
                    || *ctx.get_or_init(|| person_context(text, i)) >= Ctx::Greeting
            }
            Shape::Upper if t.is_initial() => b.get(t.end) == Some(&b'.'),
            Shape::Upper => next_capital,
            _ => false,
        };
        if !open {
            return None;
        }
    }
    if !starts_word(text, i) {
        return None;
    }
    let lx = lexicon();
    let (start, end, confidence) = match plain {
        Some(t) => person_word(text, lx, t, &ctx)?,
        None => person_at(text, lx, i)?,
    };
    if person_covered(text, lx, i) {
        return None;
    }
    Some(CodeHit {
        start,
        end,
        confidence: Some(confidence),
    })
}

/// A person found at an earlier word covers `i` ("Siu Ming" in "Cheung Siu Ming").
fn person_covered(text: &str, lx: &Lexicon, i: usize) -> bool {
    let lo = run_start(text, i, 8);
    lo < i
        && covered_by_earlier(text, lo, i, Visit::CapitalsAndScripts, |s| {
            person_at(text, lx, s).map(|h| h.1)
        })
}

/// `person` for names that start with a non-ASCII letter (`Élodie Michel`, `Łukasz`), and names
/// in scripts without capitals (`王芳`, `김민준`, `יוסף לוי`), found by context.
fn person_names_intl(text: &str, hits: &mut Vec<CodeHit>) {
    if text.is_ascii() {
        return;
    }
    let lx = lexicon();
    // Where runs of Han, Hangul, Thai or Hebrew letters start, as windows for the lead-in search.
    let mut windows: Vec<(usize, usize)> = Vec::new();
    each_non_ascii_start(text, true, |i| {
        if char_at(text, i).and_then(script_of).is_some() {
            let end = floor_boundary(text, (i + SCRIPT_WINDOW).min(text.len()));
            match windows.last_mut() {
                Some(w) if w.1 >= i => w.1 = end,
                _ => windows.push((i, end)),
            }
        }
        match person_at(text, lx, i).filter(|_| !person_covered(text, lx, i)) {
            Some((start, end, confidence)) => {
                hits.push(CodeHit {
                    start,
                    end,
                    confidence: Some(confidence),
                });
                end
            }
            None => i,
        }
    });
    if !windows.is_empty() {
        names_after_script_leads(text, &windows, hits);
    }
}

/// How far after the start of a run of another script a lead-in and its name may lie.
const SCRIPT_WINDOW: usize = 256;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn person_at(text: &str, lx: &Lexicon, i: usize) -> Option<(usize, usize, f32)> {
    let b = text.as_bytes();
    if b[i] >= 0x80 {
        if let Some(script) = char_at(text, i).and_then(script_of) {
            return script_name(text, i, script);
        }
    }
    person_word(text, lx, token(text, i), &std::cell::OnceCell::new())
}

/// `person_at` for the word `t`; `ctx` holds `person_context` at the word once asked.
fn person_word(
    text: &str,
    lx: &Lexicon,
    t: Tok,
    ctx: &std::cell::OnceCell<Ctx>,
) -> Option<(usize, usize, f32)> {
    let b = text.as_bytes();
    let i = t.start;
    let context = || *ctx.get_or_init(|| person_context(text, i));
    let space_then = |test: fn(u8) -> bool| {
        b.get(t.end) == Some(&b' ') && b.get(t.end + 1).is_some_and(|&c| test(c))
    };
    let next_capital = !t.possessive && space_then(|c| c.is_ascii_uppercase() || c >= 0x80);
    match t.shape {
        Shape::Cap => {}
        Shape::Upper if t.is_initial() => {
            return if b.get(t.end) == Some(&b'.') {
                initials_surname(text, lx, t)
            } else {
                None
            };
        }
        Shape::Upper if next_capital => return caps_name(text, lx, t),
        _ => return None,
    }
    // What follows decides which rules can apply. A word followed by lowercase prose is a name
    // only after a context phrase, and that check needs no word list.
    let next_particle = !t.possessive
        && space_then(|c| {
            matches!(
                c,
                b'v' | b'd' | b'l' | b'b' | b'i' | b'a' | b'e' | b't' | b'z' | b'y'
            )
        });
    let next_comma = b.get(t.end) == Some(&b',') && b.get(t.end + 1) == Some(&b' ');
    if !next_capital && !next_particle && !next_comma && context() < Ctx::Greeting {
        return None;
    }
    if is_title(t.text(text)) {
        return None;
    }
    let entry = lookup(lx, text, t);
    if entry.flags & NOT_NAME != 0 {
        return None;
    }
    // Most capitalised words are no name at all; only a context phrase can make them one.
    if entry.flags & (FIRST | STOP | LAST | LAST_WORD) == 0 {
        return unknown_name(text, lx, t, entry, context);
    }
    let given = entry.flags & (FIRST | STOP) != 0;
    if place_covers(text, lx, t, entry) {
        return None;
    }
    if let Some(prev) = prev_word(text, i, false) {
        // "the Jordan River", "St John", "Lake Jennifer": not a person.
        if matches!(prev.word(), "the" | "a" | "an") {
            return None;
        }
        let raw = &text[prev.at..prev.end];
        // "Rua São João", "boulevard Jean Jaurès", "Via Roma": a street, not a person.
        if type_first(raw)
            || french_type(prev.word())
            || (street_type(raw) == Some(Street::Strong) && !matches!(raw, "Dr" | "DR" | "St"))
        {
            return None;
        }
        if is_place_prefix(raw)
            || (matches!(raw, "St" | "Mt" | "Ft") && b.get(i.wrapping_sub(2)) == Some(&b'.'))
        {
            return None;
        }
    }
    if i >= 2
        && &b[i - 2..i] == b". "
        && i >= 4
        // Bytes, not `str`: the two bytes before ". " may be inside a multi-byte character.
        && matches!(&b[i - 4..i - 2], b"St" | b"Mt" | b"Ft")
    {
        return None;
    }
    let ctx = context();

    if given {
        let chain = name_chain(text, lx, t);
        if chain.blocked {
            return None;
        }
        if let Some(second) = chain.second.filter(|_| entry.flags & PAIR_FIRST != 0) {
            if pair_blocked(text, lx, t, second) {
                return None;
            }
        }
        let stop = entry.flags & STOP != 0;
        // "Paris" alone in a record is the city, not Paris Hilton.
        if chain.sur == Sur::None && entry.places != NO_GROUP {
            return None;
        }
        let mut conf: f32 = match (chain.sur, stop) {
            (Sur::Plain, false) => 0.85,
            (Sur::Plain, true) => 0.7,
            (Sur::Word, false) => 0.75,
            (Sur::Given | Sur::Unknown, false) => 0.6,
            (Sur::Soft, false) => 0.55,
            (Sur::Word | Sur::Given | Sur::Unknown, true) => 0.45,
            (Sur::Soft, true) => 0.0,
            (Sur::None, _) => match ctx {
                Ctx::Strong | Ctx::Field => {
                    if stop {
                        0.7
                    } else {
                        0.8
                    }
                }
                Ctx::Named | Ctx::Greeting => {
                    if stop {
                        0.5
                    } else {
                        0.7
                    }
                }
                Ctx::None => 0.0,
            },
        };
        if chain.sur != Sur::None && ctx >= Ctx::Greeting {
            conf = conf.max(0.8);
        }
        if conf < 0.4 || !ends_word(text, chain.end) {
            return None;
        }
        return Some((i, chain.end, conf));
    }

    // "Smith, John": a surname, a comma and a given name that ends the phrase.
    let comma_given = (entry.flags & (LAST | LAST_WORD) != 0
        && entry.flags & PLACE_WORD == 0
        && !t.possessive
        && b.get(t.end) == Some(&b','))
    .then(|| next_word(text, t.end + 1))
    .flatten();
    if let Some(g) = comma_given {
        let ge = names_only(lx, text, g);
        let after_ok =
            next_word(text, g.end).is_none_or(|n| n.shape != Shape::Cap || n.is_initial());
        if g.shape == Shape::Cap
            && ge.flags & FIRST != 0
            && ge.flags & NOT_NAME == 0
            && after_ok
            && ends_word(text, g.end)
        {
            let conf = if ctx >= Ctx::Named {
                0.85
            } else if entry.flags & LAST_WORD != 0 {
                0.6
            } else {
                0.7
            };
            return Some((i, g.end, conf));
        }
    }

    // "Zhang Wei", "Park Ji-hoon", "Chan Tai Man": East Asian order, a surname and then a
    // given name of one or two syllables (Korean ones joined by a hyphen).
    if entry.flags & LAST != 0 && entry.flags & PLACE_WORD == 0 && !t.possessive {
        if let Some(end) = east_asian_given(text, lx, t, entry.flags) {
            return Some((i, end, if ctx >= Ctx::Greeting { 0.8 } else { 0.65 }));
        }
    }

    unknown_name(text, lx, t, entry, context)
}

/// Names no list knows, vouched for by the words before them: "Signed: Xiomara Quetzal",
/// "[14:05] Kittipong Wongsawat:", "Chan Ka Yan" after "Regards,".
fn unknown_name(
    text: &str,
    lx: &Lexicon,
    t: Tok,
    entry: Entry,
    context: impl Fn() -> Ctx,
) -> Option<(usize, usize, f32)> {
    let i = t.start;
    if entry.places != NO_GROUP || t.possessive {
        return None;
    }
    let ctx = context();
    if ctx < Ctx::Greeting {
        return None;
    }
    let mut end = t.end;
    let mut words = 1;
    let mut cur = t;
    let mut surname = false;
    while words < 3 && !cur.possessive {
        // "Gijs de Groot", "Maartje van den Berg".
        let mut from = cur.end;
        for _ in 0..2 {
            match next_word(text, from) {
                Some(pw) if pw.shape == Shape::Lower && is_particle(pw.text(text)) => from = pw.end,
                _ => break,
            }
        }
        let Some(n) = next_word(text, from).filter(|n| n.shape == Shape::Cap) else {
            break;
        };
        let nf = name_flags(lx, text, n);
        if nf & NOT_NAME != 0 || (nf & PLACE_WORD != 0 && nf & (LAST | LAST_WORD) == 0) {
            return None;
        }
        if nf & NOT_NAME_SOFT != 0 && nf & (LAST | LAST_WORD | FIRST) == 0 {
            break;
        }
        surname |= nf & LAST != 0 && nf & LAST_WORD == 0;
        end = n.end;
        words += 1;
        cur = n;
    }
    if !ends_word(text, end) {
        return None;
    }
    if let Some(after) = next_word(text, end) {
        if after.shape == Shape::Cap && name_flags(lx, text, after) & NOT_NAME != 0 {
            return None;
        }
    }
    if words == 1 {
        return (ctx == Ctx::Strong && entry.flags & NOT_NAME_SOFT == 0).then_some((i, end, 0.6));
    }
    // After a greeting ("I'm", "This is") an unknown pair needs a known surname.
    if ctx == Ctx::Greeting && !surname {
        return None;
    }
    Some((i, end, if ctx >= Ctx::Field { 0.7 } else { 0.6 }))
}

/// The end of the given name after an East Asian surname `t`, if one follows.
fn east_asian_given(text: &str, lx: &Lexicon, t: Tok, flags: u16) -> Option<usize> {
    let g = next_word(text, t.end).filter(|g| g.shape == Shape::Cap)?;
    let gf = name_flags(lx, text, g);
    if gf & (NOT_NAME | NOT_NAME_SOFT | PLACE_WORD) != 0 {
        return None;
    }
    let gw = g.text(text);
    let korean = gw.contains('-') && g.letters <= 8;
    let syllable = |w: &Tok| w.letters <= 6 && w.letters >= 2 && !w.text(text).contains('-');
    let east = flags & EAST_ASIAN != 0;
    let mut end = g.end;
    if east && syllable(&g) {
        // A second syllable: "Chan Tai Man", "Wong Jun Hao".
        if let Some(h) =
            next_word(text, g.end).filter(|h| h.shape == Shape::Cap && syllable(h) && !g.possessive)
        {
            let hf = name_flags(lx, text, h);
            if hf & (NOT_NAME | NOT_NAME_SOFT | PLACE_WORD) == 0 {
                end = h.end;
            }
        }
    } else if !(korean && (east || flags & LAST_WORD == 0)) {
        // Otherwise the given name must be a known one and end the phrase.
        let known = gf & FIRST != 0 && gf & (LAST | LAST_WORD) == 0 && flags & LAST_WORD == 0;
        if !known || next_word(text, g.end).is_some_and(|n| n.shape == Shape::Cap) {
            return None;
        }
    }
    if let Some(n) = next_word(text, end) {
        if n.shape == Shape::Cap && name_flags(lx, text, n) & NOT_NAME != 0 {
            return None;
        }
    }
    ends_word(text, end).then_some(end)
}

/// `J. Smith`, `J.R. Smith`, `J. R. R. Tolkien`: initials and a known surname.
fn initials_surname(text: &str, lx: &Lexicon, first: Tok) -> Option<(usize, usize, f32)> {
    let b = text.as_bytes();
    // "°C. Bake", "2B. Stir": an initial starts after a blank, a bracket or a quote.
    if first.start > 0
        && !matches!(
            b[first.start - 1],
            b' ' | b'\n' | b'\t' | b'(' | b'"' | b'\'' | b'['
        )
    {
        return None;
    }
    let mut p = first.end;
    let mut count = 0;
    loop {
        if b.get(p) != Some(&b'.') {
            return None;
        }
        count += 1;
        p += 1;
        if b.get(p) == Some(&b' ') && letter_at(text, p + 1) {
            let t = token(text, p + 1);
            if t.is_initial() && count < 3 {
                p = t.end;
                continue;
            }
            if t.shape != Shape::Cap {
                return None;
            }
            let initials = &text[first.start..p];
            if matches!(
                initials,
                "U.S." | "U.K." | "E.U." | "D.C." | "N.Y." | "L.A." | "A.M." | "P.M." | "U.N."
            ) {
                return None;
            }
            let e = names_only(lx, text, t);
            if e.flags & (NOT_NAME | NOT_NAME_SOFT | PLACE_WORD) != 0 || !ends_word(text, t.end) {
                return None;
            }
            let conf = if e.flags & LAST_WORD != 0 {
                0.45
            } else if e.flags & LAST != 0 {
                0.7
            } else {
                return None;
            };
            return Some((first.start, name_suffix(text, t.end), conf));
        }
        if count < 3 && letter_at(text, p) {
            let t = token(text, p);
            if t.is_initial() {
                p = t.end;
                continue;
            }
        }
        return None;
    }
}

/// `JOHN SMITH`: a given name and a surname, both in capitals.
fn caps_name(text: &str, lx: &Lexicon, t: Tok) -> Option<(usize, usize, f32)> {
    let e = names_only(lx, text, t);
    if e.flags & FIRST == 0 || e.flags & NOT_NAME != 0 {
        return None;
    }
    let chain = name_chain(text, lx, t);
    if chain.blocked || !ends_word(text, chain.end) {
        return None;
    }
    match chain.sur {
        Sur::Plain => Some((t.start, chain.end, 0.7)),
        Sur::Word => Some((t.start, chain.end, 0.55)),
        _ => None,
    }
}

/// "my name is john smith": a lowercase name counts only after this phrase, found at its word
/// "name" (`i`).
fn lowercase_after_name_is(text: &str, i: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    if b.get(i + 1..i + 8) != Some(b"ame is ") {
        return None;
    }
    let s = i + 8;
    if !b.get(s).is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    let lx = lexicon();
    let t = token(text, s);
    if t.shape != Shape::Lower {
        return None;
    }
    let e = names_only(lx, text, t);
    if e.flags & (FIRST | STOP) == 0 || e.flags & NOT_NAME != 0 {
        return None;
    }
    let mut end = t.end;
    if let Some(n) = next_word(text, t.end) {
        if n.shape == Shape::Lower
            && name_flags(lx, text, n) & (LAST | LAST_WORD) != 0
            && !t.possessive
        {
            end = n.end;
        }
    }
    ends_word(text, end).then_some(CodeHit {
        start: s,
        end,
        confidence: Some(0.8),
    })
}

// ---------------------------------------------------------------------------------------------
// Names in scripts without capitals

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Han,
    Kana,
    Hangul,
    Thai,
    Hebrew,
}

fn script_of(c: char) -> Option<Script> {
    match c as u32 {
        0x4E00..=0x9FFF | 0x3400..=0x4DBF => Some(Script::Han),
        0x3041..=0x30FF => Some(Script::Kana),
        0xAC00..=0xD7A3 => Some(Script::Hangul),
        0x0E01..=0x0E4E => Some(Script::Thai),
        0x05D0..=0x05EA => Some(Script::Hebrew),
        _ => None,
    }
}

/// Common Chinese surnames, simplified and traditional.
const HAN_SURNAMES: &str = "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党党宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺";

/// Common Japanese surnames of two characters (one-character ones such as 林 or 森 are in
/// `HAN_SURNAMES`).
const JAPANESE_SURNAMES: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "渡邊",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "斎藤",
    "斉藤",
    "清水",
    "山崎",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
    "福田",
    "太田",
    "西村",
    "藤井",
    "金子",
    "岡本",
    "藤原",
    "中野",
    "三浦",
    "原田",
    "中川",
    "松田",
    "竹内",
    "小野",
    "田村",
    "中山",
    "和田",
    "石田",
    "森田",
    "上田",
    "内田",
    "柴田",
    "酒井",
    "宮崎",
    "横山",
    "高木",
    "安藤",
    "宮本",
    "大野",
    "小島",
    "谷口",
    "工藤",
    "今井",
    "高田",
    "増田",
    "丸山",
    "杉山",
    "村田",
    "大塚",
    "新井",
    "小山",
    "平野",
    "藤本",
    "河野",
    "上野",
    "野口",
    "武田",
    "松井",
    "千葉",
    "岩崎",
    "菅原",
    "木下",
    "久保",
    "佐野",
    "野村",
    "松尾",
    "市川",
    "菊地",
    "杉本",
    "古川",
    "大西",
    "島田",
    "水野",
    "桜井",
    "高野",
    "渡部",
    "吉川",
    "山内",
    "西田",
    "飯田",
    "菊池",
    "西川",
    "小松",
    "北村",
    "安田",
    "五十嵐",
    "川口",
    "平田",
    "中田",
    "久保田",
    "服部",
    "岩田",
    "土屋",
    "川崎",
    "福島",
    "本田",
    "樋口",
    "秋山",
    "田口",
    "永井",
    "山中",
    "中西",
    "吉村",
    "川上",
    "石原",
    "大橋",
    "松岡",
    "馬場",
    "浜田",
    "森本",
    "星野",
    "矢野",
    "浅野",
    "大久保",
    "松下",
    "吉岡",
    "小池",
    "野田",
    "荒木",
    "大谷",
    "内藤",
    "松浦",
    "熊谷",
    "黒田",
    "尾崎",
    "永田",
    "川村",
    "望月",
    "田辺",
    "松村",
    "荒井",
    "大島",
    "平井",
    "早川",
    "菅野",
];

/// Korean surnames, one syllable each (two-syllable ones start with one of these too).
const HANGUL_SURNAMES: &str = "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부";

/// Phrases that introduce a name in these scripts ("my name is", "Name:", "Customer:").
const SCRIPT_LEADS: &[&str] = &[
    "我叫",
    "我是",
    "姓名",
    "名字",
    "客户",
    "客戶",
    "联系人",
    "聯絡人",
    "收件人",
    "患者",
    "病人",
    "此致",
    "氏名",
    "名前",
    "お名前",
    "お客様名",
    "私は",
    "担当",
    "担当者",
    "患者名",
    "이름은",
    "이름",
    "성명",
    "고객명",
    "고객",
    "성함",
    "저는",
    "담당자",
    "ชื่อ",
    "ผมชื่อ",
    "ดิฉันชื่อ",
    "ลูกค้า",
    "ชื่อ-นามสกุล",
    "שמי",
    "שם",
    "לקוח",
    "קוראים לי",
    "שמו",
    "שמה",
];

/// A name written in Han, Hangul, Thai or Hebrew letters at `i`, found by what comes before it:
/// a lead-in ("我叫", "氏名：", "이름은", "ชื่อ", "שם:"), or a record layout (chat speaker, CSV or
/// JSON field, list item, a sign-off line).
fn script_name(text: &str, i: usize, script: Script) -> Option<(usize, usize, f32)> {
    static LAST: OnceLock<Vec<char>> = OnceLock::new();
    let last = LAST.get_or_init(|| {
        let mut v: Vec<char> = SCRIPT_LEADS
            .iter()
            .filter_map(|l| l.chars().next_back())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    });
    let led = {
        let before = text[..i].trim_end_matches([' ', ':', '：', '\u{3000}']);
        // Most runs follow no lead-in: their last letter says so before the comparisons.
        before
            .chars()
            .next_back()
            .is_some_and(|c| last.binary_search(&c).is_ok())
            && SCRIPT_LEADS
                .iter()
                .any(|l| before.ends_with(l) && lead_starts_word(text, before.len() - l.len()))
    };
    if !led && person_context(text, i) < Ctx::Greeting {
        return None;
    }
    script_span(text, i, script, led)
}

/// Names right after a lead-in inside a run of the same script, where no word boundary
/// separates them: "我叫王芳", "氏名：佐藤健".
fn names_after_script_leads(text: &str, windows: &[(usize, usize)], hits: &mut Vec<CodeHit>) {
    static LEADS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let Some(leads) = LEADS
        .get_or_init(|| AhoCorasick::new(SCRIPT_LEADS).ok())
        .as_ref()
    else {
        return;
    };
    let found = hits.len();
    let matches = windows
        .iter()
        .flat_map(|&(lo, hi)| leads.find_iter(Input::new(text).span(lo..hi)));
    for m in matches {
        if !lead_starts_word(text, m.start()) {
            continue;
        }
        let rest = &text[m.end()..];
        let at =
            m.end() + (rest.len() - rest.trim_start_matches([' ', ':', '：', '\u{3000}']).len());
        let Some(script) = char_at(text, at).and_then(script_of) else {
            continue;
        };
        if hits[..found].iter().any(|h| h.start <= at && at < h.end) {
            continue;
        }
        if let Some((start, end, confidence)) = script_span(text, at, script, true) {
            hits.push(CodeHit {
                start,
                end,
                confidence: Some(confidence),
            });
        }
    }
}

/// A lead-in at `at` is a word of its own: in scripts written with spaces (Hangul, Thai,
/// Hebrew) no letter of the same script comes right before it ("שם" inside "לשם").
fn lead_starts_word(text: &str, at: usize) -> bool {
    match (
        char_at(text, at).and_then(script_of),
        char_before(text, at).and_then(script_of),
    ) {
        (Some(Script::Han | Script::Kana), _) => true,
        (Some(a), Some(b)) => a != b,
        _ => true,
    }
}

/// The extent of a name in a caseless script starting at `i`; `led` when a lead-in vouches.
fn script_span(text: &str, i: usize, script: Script, led: bool) -> Option<(usize, usize, f32)> {
    let run_end = |from: usize, sc: Script| {
        text[from..]
            .char_indices()
            .find(|&(_, c)| script_of(c) != Some(sc))
            .map_or(text.len(), |(k, _)| from + k)
    };
    let end = run_end(i, script);
    let run = &text[i..end];
    let chars = run.chars().count();
    let end = match script {
        Script::Han => {
            // Honorifics are not part of the name: 佐藤様, 张先生.
            let run = ["様", "さま", "氏", "先生", "女士", "小姐", "殿"]
                .iter()
                .fold(run, |r, h| r.strip_suffix(h).unwrap_or(r));
            let mut n = run.chars().count();
            let first = run.chars().next()?;
            static FIRSTS: OnceLock<Vec<char>> = OnceLock::new();
            let firsts = FIRSTS.get_or_init(|| {
                let mut v: Vec<char> = JAPANESE_SURNAMES
                    .iter()
                    .filter_map(|s| s.chars().next())
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            });
            let japanese = firsts.binary_search(&first).is_ok()
                && JAPANESE_SURNAMES
                    .iter()
                    .any(|s| run.starts_with(s) && run.len() > s.len());
            // After a lead-in the name may run on into the sentence: "我叫王芳今年三十岁".
            let run = if led && n > 4 && !japanese {
                n = 3;
                &run[..run.char_indices().nth(3).map_or(run.len(), |(k, _)| k)]
            } else {
                run
            };
            if !(2..=4).contains(&n) || !(japanese || HAN_SURNAMES.contains(first)) {
                return None;
            }
            let mut cs = run.chars();
            if n == 2 && cs.next() == cs.next() {
                return None; // 谢谢, 姐姐
            }
            i + run.len()
        }
        Script::Hangul => {
            let first = run.chars().next()?;
            if !HANGUL_SURNAMES.contains(first) || chars < 2 {
                return None;
            }
            // "정예은", or "김민준입니다" after a lead-in: a name is three syllables.
            if chars <= 3 {
                end
            } else if led {
                i + run.char_indices().nth(3).map_or(run.len(), |(k, _)| k)
            } else {
                return None;
            }
        }
        Script::Thai | Script::Hebrew => {
            // Given name and surname: two words.
            if !(2..=12).contains(&chars) {
                return None;
            }
            let b = text.as_bytes();
            if b.get(end) == Some(&b' ')
                && char_at(text, end + 1).and_then(script_of) == Some(script)
            {
                let e2 = run_end(end + 1, script);
                if text[end + 1..e2].chars().count() <= 14 {
                    e2
                } else {
                    end
                }
            } else {
                end
            }
        }
        Script::Kana => return None,
    };
    Some((i, end, if led { 0.85 } else { 0.75 }))
}

// ---------------------------------------------------------------------------------------------
// Places

/// The end of `place` when the text at `at` spells it (as written, or in capitals when long).
fn place_at(text: &str, at: usize, place: &Place) -> Option<usize> {
    let name = place.name;
    let end = at + name.len();
    // Both ways of matching below need every byte equal, case aside; places of one group share
    // their first word, so the last byte rules most of them out at once.
    let last = *name.as_bytes().last()?;
    if !text
        .as_bytes()
        .get(end - 1)
        .is_some_and(|b| b.eq_ignore_ascii_case(&last))
    {
        return None;
    }
    let rest = text.get(at..)?;
    if rest.starts_with(name) {
        return ends_word(text, end).then_some(end);
    }
    let cand = rest.get(..name.len())?;
    if !place.ambiguous
        && name.len() >= 4
        && cand.eq_ignore_ascii_case(name)
        && !cand.bytes().any(|c| c.is_ascii_lowercase())
        && ends_word(text, end)
    {
        return Some(end);
    }
    None
}

/// A preposition or verb of place comes right before `at` ("in", "from", "near", "visiting"),
/// or the place fills a record field (`;Nice;`, `"city": "Nice"`).
fn place_preposition(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    if at > 0 && matches!(b[at - 1], b';' | b'|' | b'\t') {
        return true;
    }
    let Some(prev) = prev_word(text, at, true) else {
        return false;
    };
    // "Via Roma 15" is a street, not "via Rome".
    if type_first(&text[prev.at..prev.end]) {
        return false;
    }
    if prev.punct {
        return matches!(
            prev.word(),
            "city"
                | "town"
                | "location"
                | "from"
                | "to"
                | "destination"
                | "origin"
                | "place"
                | "ciudad"
                | "ville"
                | "stadt"
                | "città"
                | "cidade"
                | "stad"
                | "miasto"
                | "kaupunki"
                | "şehir"
                | "residence"
                | "hometown"
        );
    }
    matches!(
        prev.word(),
        "in" | "from"
            | "at"
            | "near"
            | "to"
            | "into"
            | "toward"
            | "towards"
            | "across"
            | "around"
            | "outside"
            | "inside"
            | "visit"
            | "visiting"
            | "visited"
            | "via"
            | "throughout"
            | "within"
            | "leaving"
            | "reach"
            | "reached"
            | "entering"
            | "flew"
            | "fly"
            | "moved"
            | "relocated"
            | "nach"
            | "aus"
            | "en"
            | "à"
            | "desde"
            | "de"
            | "a"
            | "da"
            | "di"
            | "naar"
            | "van"
            | "till"
            | "från"
            | "do"
            | "z"
            | "w"
    )
}

/// Words that name a feature of a place: "London Bridge", "Paris Airport" stay places.
fn is_feature(w: &str) -> bool {
    matches!(
        w,
        "Airport"
            | "Bridge"
            | "Station"
            | "Street"
            | "Road"
            | "Avenue"
            | "Park"
            | "River"
            | "Bay"
            | "Beach"
            | "Harbour"
            | "Harbor"
            | "Port"
            | "Island"
            | "Islands"
            | "Lake"
            | "Valley"
            | "Mountains"
            | "Hills"
            | "Square"
            | "Centre"
            | "Center"
            | "Downtown"
            | "Metro"
            | "Area"
            | "Region"
            | "Province"
            | "State"
            | "County"
            | "City"
            | "Old"
            | "Tower"
            | "Cathedral"
            | "Castle"
    )
}

/// Words before a place that make the phrase an organisation: "University of Michigan".
fn org_before_of(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t', '\r']).as_bytes();
    if !matches!(before, [.., b'o' | b'O', b'f' | b'F']) {
        return false;
    }
    let Some(of) = prev_word(text, at, false) else {
        return false;
    };
    if of.word() != "of" {
        return false;
    }
    matches!(
        prev_word(text, of.at, false).as_ref().map(Prev::word),
        Some(
            "university"
                | "college"
                | "bank"
                | "institute"
                | "museum"
                | "hospital"
                | "school"
                | "academy"
                | "society"
                | "association"
                | "library"
                | "church"
                | "council"
                | "federation"
                | "league"
                | "chamber"
        )
    )
}

/// Countries, cities, states and regions from the gazetteer, in their written capitalisation,
/// at a capital `i`.
fn place_located(text: &str, i: usize) -> Option<CodeHit> {
    let lx = lexicon();
    let b = text.as_bytes();
    match plain_word_end(b, i) {
        Some(end) if !lx.may_start_place(&b[i..end]) => return None,
        None if runs_into_code(b, i) => return None,
        _ => {}
    }
    if !starts_word(text, i) {
        return None;
    }
    let (end, conf) = place_hit(text, lx, i)?;
    if place_covered(text, lx, i) {
        return None;
    }
    Some(CodeHit {
        start: i,
        end,
        confidence: Some(conf),
    })
}

/// A place found at an earlier word covers `i` ("Texas" in "Austin, Texas").
fn place_covered(text: &str, lx: &Lexicon, i: usize) -> bool {
    let lo = run_start(text, i, 8);
    lo < i
        && covered_by_earlier(text, lo, i, Visit::Capitals, |s| {
            place_hit(text, lx, s).map(|h| h.0)
        })
}

/// `location` for places that start with a non-ASCII letter: `Łódź`, `İzmir`, `Örebro`.
fn place_names_intl(text: &str, hits: &mut Vec<CodeHit>) {
    let b = text.as_bytes();
    let mut i = 0;
    loop {
        i = next_non_ascii(b, i);
        if i + 1 >= b.len() {
            break;
        }
        // Every initial is a two-byte letter with a lead byte C3..C5.
        if (0xC3..=0xC5).contains(&b[i])
            && NON_ASCII_PLACE_INITIALS
                .iter()
                .any(|l| l.as_bytes() == &b[i..i + 2])
            && starts_word(text, i)
        {
            let lx = lexicon();
            if let Some((end, conf)) =
                place_hit(text, lx, i).filter(|_| !place_covered(text, lx, i))
            {
                hits.push(CodeHit {
                    start: i,
                    end,
                    confidence: Some(conf),
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// The longest place spelled at `i`, and whether it is ambiguous.
fn longest_place(text: &str, lx: &Lexicon, t: Tok) -> Option<(usize, bool)> {
    let group = place_group(lx, text, t);
    if group == NO_GROUP {
        return None;
    }
    lx.places[group as usize]
        .iter()
        .find_map(|p| place_at(text, t.start, p).map(|end| (end, p.ambiguous)))
}

fn place_hit(text: &str, lx: &Lexicon, i: usize) -> Option<(usize, f32)> {
    let t = token(text, i);
    if !matches!(t.shape, Shape::Cap | Shape::Upper) {
        return None;
    }
    let (mut end, ambiguous) = longest_place(text, lx, t)?;
    // "Austin, Texas": a state or country after a comma settles an ambiguous town.
    let settled = text.as_bytes().get(end) == Some(&b',')
        && next_word(text, end + 1).is_some_and(|n| {
            (n.shape == Shape::Upper && us_state_code(n.text(text)))
                || longest_place(text, lx, n).is_some_and(|(_, amb)| !amb)
        });
    let preposition = std::cell::OnceCell::new();
    let preposition = || *preposition.get_or_init(|| place_preposition(text, i));
    // An ambiguous town needs a preposition or a state; without, no need to look further.
    if ambiguous && !settled && !preposition() {
        return None;
    }
    // "Giorgia Colombo", "Jack London": the place is a surname here.
    if i >= 2 && text.as_bytes()[i - 1] == b' ' {
        if let Some(prev) = prev_word(text, i, false) {
            let pt = token(text, prev.at);
            if pt.end == prev.end
                && pt.shape == Shape::Cap
                && name_flags(lx, text, pt) & (FIRST | STOP) != 0
                && !preposition()
            {
                return None;
            }
        }
    }
    let preposition = preposition();
    if ambiguous && !preposition && !settled {
        return None;
    }
    if org_before_of(text, i) {
        return None;
    }
    let mut conf: f32 = 0.6;
    // "New York Times", "Chicago Bulls": a capitalised word that is neither a place nor a
    // feature of one makes the place part of a name ("Sofia Andersson" for an ambiguous one).
    if let Some(n) = next_word(text, end) {
        if n.shape == Shape::Cap
            && !is_feature(n.text(text))
            && longest_place(text, lx, n).is_none()
        {
            // "Sofia Andersson", "Minna Virtanen": a given name before a surname.
            if ambiguous || name_flags(lx, text, n) & (LAST | LAST_WORD) != 0 {
                return None;
            }
            conf = 0.45;
        }
    }
    if preposition {
        conf += 0.15;
    }
    // "Austin, Texas", "Paris, France", "Springfield, IL": one place.
    let b = text.as_bytes();
    if b.get(end) == Some(&b',') {
        if let Some(n) = next_word(text, end + 1) {
            if let Some((e2, _)) =
                longest_place(text, lx, n).filter(|_| matches!(n.shape, Shape::Cap | Shape::Upper))
            {
                end = e2;
                conf = conf.max(0.75);
            } else if n.shape == Shape::Upper
                && us_state_code(n.text(text))
                && ends_word(text, n.end)
            {
                end = n.end;
                conf = conf.max(0.75);
            }
        }
    }
    Some((end, conf))
}

// ---------------------------------------------------------------------------------------------
// Street addresses

fn us_state_code(w: &str) -> bool {
    matches!(
        w,
        "AL" | "AK"
            | "AZ"
            | "AR"
            | "CA"
            | "CO"
            | "CT"
            | "DE"
            | "FL"
            | "GA"
            | "HI"
            | "ID"
            | "IL"
            | "IN"
            | "IA"
            | "KS"
            | "KY"
            | "LA"
            | "ME"
            | "MD"
            | "MA"
            | "MI"
            | "MN"
            | "MS"
            | "MO"
            | "MT"
            | "NE"
            | "NV"
            | "NH"
            | "NJ"
            | "NM"
            | "NY"
            | "NC"
            | "ND"
            | "OH"
            | "OK"
            | "OR"
            | "PA"
            | "RI"
            | "SC"
            | "SD"
            | "TN"
            | "TX"
            | "UT"
            | "VT"
            | "VA"
            | "WA"
            | "WV"
            | "WI"
            | "WY"
            | "DC"
            | "PR"
            | "GU"
            | "VI"
            | "AS"
            | "MP"
            | "AA"
            | "AE"
            | "AP"
    )
}

/// Canadian provinces and Australian states, as written before a postal code.
fn other_region_code(w: &str) -> bool {
    matches!(
        w,
        "AB" | "BC"
            | "MB"
            | "NB"
            | "NL"
            | "NS"
            | "NT"
            | "NU"
            | "ON"
            | "PE"
            | "QC"
            | "SK"
            | "YT"
            | "NSW"
            | "VIC"
            | "QLD"
            | "TAS"
            | "ACT"
            | "WA"
            | "SA"
    )
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Street {
    /// Needs a long house number, a unit or a town after it: "Canyon", "Park", "Point".
    Weak,
    /// "Street", "Avenue", "Road", "Lane".
    Strong,
}

/// English street types, as written (`Street`, `STREET`, `St`, `St.`). Nearly every word
/// asked about is none; one probe of a table built from `street_kind` says so.
fn street_type(w: &str) -> Option<Street> {
    static TYPES: OnceLock<ShortKeys> = OnceLock::new();
    let types = TYPES.get_or_init(|| {
        let mut types = ShortKeys::new(10);
        for w in STREET_TYPES {
            if let Some(kind) = street_kind(w) {
                types.insert(w, |e| e.flags = 1 + kind as u16);
            }
        }
        types
    });
    match types.get(w.as_bytes())?.flags {
        0 => None,
        1 => Some(Street::Weak),
        _ => Some(Street::Strong),
    }
}

/// The kind of the lowercase street type `lw`.
fn street_kind(lw: &str) -> Option<Street> {
    let strong = matches!(
        lw,
        "street"
            | "st"
            | "avenue"
            | "ave"
            | "av"
            | "road"
            | "rd"
            | "boulevard"
            | "blvd"
            | "lane"
            | "ln"
            | "drive"
            | "dr"
            | "court"
            | "ct"
            | "place"
            | "pl"
            | "terrace"
            | "ter"
            | "parkway"
            | "pkwy"
            | "highway"
            | "hwy"
            | "circle"
            | "cir"
            | "crescent"
            | "cres"
            | "close"
            | "grove"
            | "gardens"
            | "mews"
            | "alley"
            | "plaza"
            | "square"
            | "sq"
            | "trail"
            | "trl"
            | "way"
            | "expressway"
            | "freeway"
            | "turnpike"
            | "pike"
            | "row"
            | "walk"
            | "esplanade"
            | "parade"
            | "promenade"
            | "causeway"
            | "embankment"
            | "quay"
            | "wharf"
    );
    if strong {
        return Some(Street::Strong);
    }
    let weak = matches!(
        lw,
        "park"
            | "hill"
            | "hills"
            | "point"
            | "ridge"
            | "view"
            | "views"
            | "green"
            | "run"
            | "loop"
            | "path"
            | "crossing"
            | "heights"
            | "commons"
            | "meadow"
            | "meadows"
            | "glen"
            | "glens"
            | "hollow"
            | "landing"
            | "bend"
            | "estates"
            | "estate"
            | "creek"
            | "canyon"
            | "fork"
            | "forks"
            | "valley"
            | "valleys"
            | "lake"
            | "lakes"
            | "spring"
            | "springs"
            | "station"
            | "summit"
            | "track"
            | "trace"
            | "vista"
            | "harbor"
            | "harbors"
            | "island"
            | "islands"
            | "junction"
            | "knoll"
            | "knolls"
            | "manor"
            | "manors"
            | "mill"
            | "mills"
            | "orchard"
            | "pass"
            | "pines"
            | "port"
            | "ports"
            | "ranch"
            | "rapids"
            | "shore"
            | "shores"
            | "spur"
            | "stream"
            | "tunnel"
            | "union"
            | "unions"
            | "ville"
            | "wells"
            | "well"
            | "burg"
            | "burgs"
            | "cove"
            | "coves"
            | "crest"
            | "dale"
            | "dam"
            | "divide"
            | "falls"
            | "ferry"
            | "field"
            | "fields"
            | "flat"
            | "flats"
            | "ford"
            | "fords"
            | "forest"
            | "forge"
            | "forges"
            | "fort"
            | "garden"
            | "gateway"
            | "haven"
            | "inlet"
            | "isle"
            | "key"
            | "keys"
            | "light"
            | "lights"
            | "lock"
            | "locks"
            | "lodge"
            | "mall"
            | "mission"
            | "motorway"
            | "mount"
            | "mountain"
            | "mountains"
            | "neck"
            | "oval"
            | "overpass"
            | "parks"
            | "passage"
            | "pine"
            | "plain"
            | "plains"
            | "prairie"
            | "radial"
            | "ramp"
            | "rest"
            | "ridges"
            | "route"
            | "shoal"
            | "shoals"
            | "skyway"
            | "squares"
            | "stravenue"
            | "streets"
            | "throughway"
            | "trafficway"
            | "underpass"
            | "viaduct"
            | "village"
            | "villages"
            | "wall"
            | "ways"
            | "centre"
            | "center"
            | "centers"
            | "corner"
            | "corners"
            | "course"
            | "courts"
            | "curve"
            | "drives"
            | "extension"
            | "extensions"
            | "bypass"
            | "branch"
            | "brook"
            | "brooks"
            | "camp"
            | "cape"
            | "cliff"
            | "cliffs"
            | "club"
            | "common"
            | "bluff"
            | "bluffs"
            | "bottom"
            | "beach"
            | "circles"
            | "groves"
            | "harbour"
            | "hillside"
            | "lanes"
            | "loaf"
            | "points"
            | "rapid"
            | "roads"
            | "routes"
            | "crescents"
    );
    weak.then_some(Street::Weak)
}

/// Street words that come before the name, French style: `12 rue de la Paix`, `5 Avenue Foch`.
fn french_type(lw: &str) -> bool {
    matches!(
        lw,
        "rue"
            | "avenue"
            | "av"
            | "boulevard"
            | "bd"
            | "bld"
            | "place"
            | "chemin"
            | "allée"
            | "allee"
            | "impasse"
            | "quai"
            | "cours"
            | "route"
            | "square"
            | "passage"
            | "rond-point"
            | "voie"
            | "sentier"
            | "esplanade"
            | "promenade"
            | "faubourg"
            | "parvis"
            | "cité"
            | "hameau"
            | "montée"
            | "ruelle"
            | "villa"
    )
}

fn french_particle(w: &str) -> bool {
    matches!(
        w,
        "de" | "du"
            | "des"
            | "la"
            | "le"
            | "les"
            | "l'"
            | "d'"
            | "à"
            | "au"
            | "aux"
            | "et"
            | "en"
            | "sur"
            | "sous"
    )
}

/// Street words that come before the name, with the number after: `Calle Mayor 10`,
/// `Via Roma 15`, `Rua Augusta 100`, `ul. Długa 5`.
fn type_first(w: &str) -> bool {
    matches!(
        w,
        "Calle"
            | "Avenida"
            | "Avda"
            | "Av"
            | "Paseo"
            | "Plaza"
            | "Pza"
            | "Carrer"
            | "Camino"
            | "Carretera"
            | "Ronda"
            | "Travesía"
            | "Rambla"
            | "Passeig"
            | "Avinguda"
            | "Via"
            | "Viale"
            | "Piazza"
            | "Piazzale"
            | "Corso"
            | "Largo"
            | "Vicolo"
            | "Strada"
            | "Rua"
            | "Travessa"
            | "Praça"
            | "Praca"
            | "Alameda"
            | "Ulica"
            | "Ul"
            | "ul"
            | "Aleja"
            | "Aleje"
            | "Bulevar"
            | "Calea"
            | "Bulevardul"
            | "Odos"
    )
}

fn type_first_particle(w: &str) -> bool {
    matches!(
        w,
        "de" | "del"
            | "la"
            | "las"
            | "los"
            | "el"
            | "di"
            | "da"
            | "dei"
            | "degli"
            | "delle"
            | "della"
            | "dello"
            | "do"
            | "dos"
            | "das"
            | "d'"
            | "l'"
            | "y"
            | "e"
            | "i"
            | "dels"
    )
}

/// German, Dutch and Nordic street words written as a suffix: `Hauptstraße`, `Kerkstraat`.
fn compound_street(lw: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "straße", "strasse", "str", "weg", "gasse", "platz", "allee", "damm", "ufer", "chaussee",
        "steig", "pfad", "markt", "straat", "laan", "gracht", "plein", "kade", "dijk", "singel",
        "steeg", "vägen", "gatan", "gränd", "vej", "gade", "veien", "vegen", "gata", "katu",
        "kuja", "tie", "utca",
    ];
    SUFFIXES.iter().any(|s| {
        lw.len() > s.len() + 2 && lw.ends_with(s) && lw.is_char_boundary(lw.len() - s.len()) && {
            let stem = &lw[..lw.len() - s.len()];
            // "tie" is also English ("Necktie"); Finnish streets have long stems ("Hämeentie").
            let min = if *s == "tie" { 5 } else { 3 };
            stem.chars().count() >= min && !matches!(lw, "brigade" | "renegade" | "escapade")
        }
    })
}

/// A separate street word after an adjective: `Berliner Straße 10`, `Lange Str. 5`.
fn separate_street(w: &str) -> bool {
    matches!(
        w,
        "Straße"
            | "Strasse"
            | "Str"
            | "Weg"
            | "Allee"
            | "Platz"
            | "Gasse"
            | "Damm"
            | "Ufer"
            | "Chaussee"
            | "Ring"
            | "Markt"
    )
}

/// A house number at `i`: up to five digits with an optional letter (`221B`, `12a`), a range
/// or a unit after a slash (`12-14`, `97/14`), or a Japanese block number (`4-5-8`).
fn house_number(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if j == i || j - i > 5 || (j - i > 1 && b[i] == b'0' && b[i..j].iter().all(|&d| d == b'0')) {
        return None;
    }
    if j < b.len()
        && b[j].is_ascii_alphabetic()
        && !b.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric())
    {
        j += 1;
    } else {
        for _ in 0..2 {
            if j + 1 < b.len() && matches!(b[j], b'-' | b'/') && b[j + 1].is_ascii_digit() {
                let d = digits_len(b, j + 1);
                if d > 5 {
                    break;
                }
                j += 1 + d;
            } else {
                break;
            }
        }
    }
    if b.get(j).is_some_and(|&c| is_word_byte(c)) {
        return None;
    }
    Some(j)
}

fn digits_len(b: &[u8], i: usize) -> usize {
    b[i.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// A separator inside an address: `, `, `,`, ` - `, one space, or a line break. Returns where
/// the next part starts.
fn address_sep(b: &[u8], i: usize, allow_space: bool) -> Option<usize> {
    let mut j = i;
    let mut seen = false;
    if b.get(j) == Some(&b',') {
        j += 1;
        seen = true;
    } else if b.get(j..j + 3) == Some(b" - ") {
        return Some(j + 3);
    }
    let spaces = b[j.min(b.len())..]
        .iter()
        .take_while(|&&c| c == b' ')
        .count();
    j += spaces.min(2);
    if b.get(j) == Some(&b'\r') {
        j += 1;
    }
    if b.get(j) == Some(&b'\n') {
        j += 1;
        seen = true;
        j += b[j.min(b.len())..]
            .iter()
            .take_while(|&&c| c == b' ')
            .count()
            .min(8);
    }
    if seen || (allow_space && spaces > 0) {
        Some(j)
    } else {
        None
    }
}

/// A US ZIP code (`62704`, `62704-1234`) ending a word.
fn zip(b: &[u8], i: usize) -> Option<usize> {
    if digits_len(b, i) != 5 {
        return None;
    }
    let mut j = i + 5;
    if b.get(j) == Some(&b'-') && digits_len(b, j + 1) == 4 {
        j += 5;
    }
    (!b.get(j).is_some_and(|&c| is_word_byte(c))).then_some(j)
}

/// A UK postcode (`SW1A 2AA`) or a Canadian one (`K1A 0B6`).
fn uk_ca_postcode(b: &[u8], i: usize) -> Option<usize> {
    let up = |k: usize| b.get(k).is_some_and(u8::is_ascii_uppercase);
    let dg = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    // Canadian: A1A 1A1
    if up(i)
        && dg(i + 1)
        && up(i + 2)
        && b.get(i + 3) == Some(&b' ')
        && dg(i + 4)
        && up(i + 5)
        && dg(i + 6)
    {
        let e = i + 7;
        return (!b.get(e).is_some_and(|&c| is_word_byte(c))).then_some(e);
    }
    // UK outward code: A9, A99, AA9, AA99, A9A, AA9A; inward: 9AA.
    let mut j = i;
    if !up(j) {
        return None;
    }
    j += 1;
    if up(j) {
        j += 1;
    }
    if !dg(j) {
        return None;
    }
    j += 1;
    if dg(j) || up(j) {
        j += 1;
    }
    if b.get(j) != Some(&b' ') {
        return None;
    }
    j += 1;
    if dg(j) && up(j + 1) && up(j + 2) && !b.get(j + 3).is_some_and(|&c| is_word_byte(c)) {
        return Some(j + 3);
    }
    None
}

/// One to three capitalised words (a town or a district), allowing `St.`, hyphens and words
/// such as `District`, `Col.`. Returns its end.
fn town(text: &str, lx: &Lexicon, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !letter_at(text, i) {
        return None;
    }
    let mut end = None;
    let mut p = i;
    for _ in 0..4 {
        if !letter_at(text, p) {
            break;
        }
        let t = token(text, p);
        if !matches!(t.shape, Shape::Cap | Shape::Upper)
            || (t.shape == Shape::Upper && t.letters < 3 && end.is_none() && t.text(text) != "Col")
        {
            break;
        }
        let w = t.text(text);
        if street_type(w) == Some(Street::Strong) && end.is_some() {
            break;
        }
        let admin = matches!(
            w,
            "District"
                | "County"
                | "Province"
                | "Prefecture"
                | "City"
                | "Town"
                | "Village"
                | "Bairro"
                | "Colonia"
                | "Col"
                | "Distrito"
                | "Quận"
                | "Ward"
        );
        if !admin
            && name_flags(lx, text, t) & NOT_NAME != 0
            && !matches!(
                w,
                "St" | "Mount"
                    | "Fort"
                    | "Lake"
                    | "Port"
                    | "New"
                    | "North"
                    | "South"
                    | "East"
                    | "West"
                    | "Upper"
                    | "Lower"
                    | "Old"
            )
        {
            break;
        }
        let mut e = t.end;
        if b.get(e) == Some(&b'.') && matches!(w, "St" | "Ft" | "Mt" | "Col") {
            e += 1;
        }
        end = Some(e);
        if b.get(e) == Some(&b' ') && letter_at(text, e + 1) {
            p = e + 1;
        } else {
            break;
        }
    }
    end
}

/// After the street: a unit, then districts and a town with a state, postcode or ZIP code, then
/// a country. Returns the end and whether a town or postcode was found.
fn address_tail(text: &str, lx: &Lexicon, start: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let mut end = start;
    for _ in 0..2 {
        match address_sep(b, end, true).and_then(|p| unit(text, p)) {
            Some(e) => end = e,
            None => break,
        }
    }
    // Up to two districts ("Col. Centro", "Tianhe District", "Gangnam-gu") before the town.
    let mut p_end = end;
    for _ in 0..3 {
        let Some(p) = address_sep(b, p_end, true) else {
            break;
        };
        if let Some(e) = locality(text, lx, p) {
            end = e;
            if let Some(q) = address_sep(b, end, false) {
                if letter_at(text, q) {
                    let t = token(text, q);
                    if let Some((ce, _)) = longest_place(text, lx, t) {
                        end = ce;
                    }
                }
            }
            return (end, true);
        }
        if let Some(e) = uk_ca_postcode(b, p) {
            return (e, true);
        }
        match town(text, lx, p) {
            Some(e) if b.get(e) == Some(&b',') => p_end = e,
            _ => break,
        }
    }
    (end, false)
}

/// `Apt 4B`, `Suite 200`, `Unit 5`, `#12`, `#05-123`, `Flat 3`, `Floor 2`, `4º`, `2ª B`,
/// `B 29` (Finnish stair and flat).
fn unit(text: &str, p: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut j = p;
    if b.get(j).is_some_and(u8::is_ascii_digit) {
        // Spanish floors: "4º", "2ª", "3º B".
        let d = digits_len(b, j);
        let rest = &text[j + d..];
        let ord = ["º", "ª", "°"].iter().find(|o| rest.starts_with(**o))?;
        let mut e = j + d + ord.len();
        if b.get(e) == Some(&b' ')
            && b.get(e + 1).is_some_and(u8::is_ascii_uppercase)
            && !b.get(e + 2).is_some_and(|c| c.is_ascii_alphanumeric())
        {
            e += 2;
        }
        return (d <= 2 && ends_word(text, e)).then_some(e);
    }
    if b.get(j) == Some(&b'#') {
        j += 1;
    } else {
        if !letter_at(text, j) {
            return None;
        }
        let t = token(text, j);
        let w = t.text(text);
        let stair = t.letters == 1
            && t.shape == Shape::Upper
            && b.get(t.end) == Some(&b' ')
            && b.get(t.end + 1).is_some_and(u8::is_ascii_digit);
        if !stair
            && !matches!(
                w,
                "Apt"
                    | "APT"
                    | "Apartment"
                    | "Suite"
                    | "SUITE"
                    | "Ste"
                    | "STE"
                    | "Unit"
                    | "UNIT"
                    | "Fl"
                    | "Floor"
                    | "Rm"
                    | "Room"
                    | "Bldg"
                    | "Building"
                    | "Flat"
                    | "No"
                    | "Box"
                    | "Dept"
                    | "Piso"
                    | "Planta"
                    | "Puerta"
                    | "Apto"
                    | "Wohnung"
                    | "Whg"
                    | "lgh"
            )
        {
            return None;
        }
        j = t.end;
        if b.get(j) == Some(&b'.') {
            j += 1;
        }
        if b.get(j) == Some(&b' ') {
            j += 1;
        }
        if b.get(j) == Some(&b'#') {
            j += 1;
        }
    }
    let k = b[j.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    if k == 0 || k > 8 || !b[j].is_ascii_alphanumeric() {
        return None;
    }
    let e = j + k;
    ends_word(text, e).then_some(e)
}

/// A town with what identifies it: `Springfield, IL 62704`, `Lake Jennifer, WA 12345`,
/// `London SW1A 2AA`, `Toronto, ON M5V 2T6`, `Sydney NSW 2000`, `Pune 411001`,
/// `Fukuoka 308-5810`, `Brasília, CEP 63771-279`, `Johannesburg, 0245`; a postcode and a town
/// (`75002 Paris`, `1012 AB Amsterdam`, `412 48 Lund`, `81-404 Łódź`); or a town the
/// gazetteer knows.
fn locality(text: &str, lx: &Lexicon, p: usize) -> Option<usize> {
    let b = text.as_bytes();
    let word_end = |e: usize| !b.get(e).is_some_and(|&c| is_word_byte(c));
    // Postcode first.
    let mut q = p;
    if b.get(q).is_some_and(u8::is_ascii_uppercase)
        && b.get(q + 1) == Some(&b'-')
        && b.get(q + 2).is_some_and(u8::is_ascii_digit)
    {
        q += 2;
    }
    let d = digits_len(b, q);
    if d > 0 {
        let mut e = q + d;
        match d {
            4 | 5 => {
                // "1012 AB Amsterdam"
                if b.get(e) == Some(&b' ')
                    && b.get(e + 1).is_some_and(u8::is_ascii_uppercase)
                    && b.get(e + 2).is_some_and(u8::is_ascii_uppercase)
                    && b.get(e + 3) == Some(&b' ')
                {
                    e += 3;
                }
            }
            3 if b.get(e) == Some(&b' ') && digits_len(b, e + 1) == 2 => e += 3, // "412 48"
            2 if b.get(e) == Some(&b'-') && digits_len(b, e + 1) == 3 => e += 4, // "81-404"
            _ => return None,
        }
        if b.get(e) != Some(&b' ') {
            return None;
        }
        return town(text, lx, e + 1);
    }
    let mut t_end = town(text, lx, p)?;
    // "Rio de Janeiro": a known place may run past the capitalised words.
    let known = longest_place(text, lx, token(text, p));
    if let Some((pe, _)) = known {
        t_end = t_end.max(pe);
    }
    // After the town: a region code, a region or country name, or a postcode.
    for sep in [", ", " ", ","] {
        if !text[t_end..].starts_with(sep) {
            continue;
        }
        let s = t_end + sep.len();
        if b.get(s).is_some_and(u8::is_ascii_digit) {
            let d = digits_len(b, s);
            let e = s + d;
            // ZIP (62704, 62704-1234), PIN (411001), Japanese (308-5810), 4-digit (0245, 2000).
            if d == 5 && b.get(e) == Some(&b'-') && digits_len(b, e + 1) == 4 && word_end(e + 5) {
                return Some(e + 5);
            }
            if d == 3 && b.get(e) == Some(&b'-') && digits_len(b, e + 1) == 4 && word_end(e + 5) {
                return Some(e + 5);
            }
            // Not the postcode of the next part ("Col. Centro, 97929 Querétaro").
            if (4..=6).contains(&d)
                && word_end(e)
                && !(b.get(e) == Some(&b' ') && letter_at(text, e + 1))
            {
                return Some(e);
            }
            continue;
        }
        if text[s..].starts_with("CEP ") {
            let d = digits_len(b, s + 4);
            let e = s + 4 + d;
            if d == 5 && b.get(e) == Some(&b'-') && digits_len(b, e + 1) == 3 && word_end(e + 4) {
                return Some(e + 4);
            }
            if d == 8 && word_end(e) {
                return Some(e);
            }
        }
        if !b.get(s).is_some_and(u8::is_ascii_uppercase) {
            continue;
        }
        let code_len = b[s..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let code = &text[s..s + code_len];
        if (us_state_code(code) || other_region_code(code)) && word_end(s + code_len) {
            let e = s + code_len;
            if b.get(e) == Some(&b' ') {
                if let Some(z) = zip(b, e + 1).or_else(|| uk_ca_postcode(b, e + 1)) {
                    return Some(z);
                }
                if digits_len(b, e + 1) == 4 && word_end(e + 5) {
                    return Some(e + 5);
                }
            }
            return Some(e);
        }
        let t = token(text, s);
        if let Some((pe, _)) = longest_place(text, lx, t) {
            if b.get(pe) == Some(&b' ') {
                if let Some(z) = zip(b, pe + 1) {
                    return Some(z);
                }
            }
            return Some(pe);
        }
        if let Some(z) = uk_ca_postcode(b, s) {
            return Some(z);
        }
    }
    // A town the gazetteer knows.
    if let Some((pe, ambiguous)) = known {
        if !ambiguous || pe == t_end {
            if b.get(pe) == Some(&b' ') {
                if let Some(z) = uk_ca_postcode(b, pe + 1) {
                    return Some(z);
                }
            }
            return Some(pe);
        }
    }
    None
}

/// Street addresses in the common Western forms (see `number_first` and `word_first`), at a
/// number or a capital `i`.
///
/// Every form holds a digit (house number, postcode or box number) within a few words, so
/// capitalised words far from any digit are skipped without a look. An address found inside
/// another one (its town and ZIP code) is left to the scanner's overlap rule, which keeps the
/// longer whole unless the part is surer.
fn address_located(text: &str, i: usize) -> Option<CodeHit> {
    let b = text.as_bytes();
    let lx = lexicon();
    let hit = |start: usize, end: usize, conf: f32| CodeHit {
        start,
        end,
        confidence: Some(conf),
    };
    if b[i].is_ascii_digit() {
        // A house number is at most five digits and goes on with a letter, a range, a comma or
        // a space ("221B", "12-14", "17,"); "12:30", "3.5" and long numbers start none.
        let digits = b[i..]
            .iter()
            .take(6)
            .take_while(|c| c.is_ascii_digit())
            .count();
        let goes_on = b
            .get(i + digits)
            .is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'-' | b'/' | b' ' | b','));
        if digits > 5 || !goes_on || !number_may_start(b, i) {
            return None;
        }
        let (end, conf) = number_first(text, lx, i)?;
        let start = address_start(text, i);
        // A label further back ("Flat 23C, ", "Block ") reports the hit from its own word.
        return (start + 4 >= i).then(|| hit(start, end, conf));
    }
    if !digit_within(b, i, 120) || !starts_word(text, i) {
        return None;
    }
    if let Some((start, end, conf)) = word_first(text, lx, i) {
        return Some(hit(start, end, conf));
    }
    let number = labelled_number(text, i)?;
    if !number_may_start(b, number) || address_start(text, number) != i {
        return None;
    }
    let (end, conf) = number_first(text, lx, number)?;
    Some(hit(i, end, conf))
}

/// A digit in `b[i..=i + span]`.
fn digit_within(b: &[u8], i: usize, span: usize) -> bool {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let end = b.len().min(i + span + 1);
    let mut k = i;
    while k + 8 <= end {
        let Some(x) = word_at(b, k) else { break };
        let y = x & LOW7;
        // A byte's high bit: at least '0', and not above '9', and ASCII.
        let digits = (y + ONES * (0x80 - u64::from(b'0')))
            & !(y + ONES * (0x80 - u64::from(b'9' + 1)))
            & !x
            & HIGH;
        if digits != 0 {
            return true;
        }
        k += 8;
    }
    b[k..end].iter().any(u8::is_ascii_digit)
}

/// Where the house number starts after a label that `address_start` reaches back to from more
/// than four bytes away: `Block 12`, `Flat 23C, 167`.
fn labelled_number(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let rest = &text[i..];
    if rest.starts_with("Block ") {
        return Some(i + 6);
    }
    let word = b[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if !matches!(
        &rest[..word],
        "Flat" | "Unit" | "Apt" | "Apartment" | "Suite" | "Room" | "Shop"
    ) || b.get(i + word) != Some(&b' ')
    {
        return None;
    }
    let value = i + word + 1;
    let len = b[value..]
        .iter()
        .take(7)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    let comma = value + len;
    (b.get(comma..comma + 2) == Some(b", ")).then_some(comma + 2)
}

/// `street_address` for addresses that start with a non-ASCII capital: `İstiklal Caddesi No: 5`,
/// `Östra Hamngatan 12`.
fn street_addresses_intl(text: &str, hits: &mut Vec<CodeHit>) {
    if text.is_ascii() {
        return;
    }
    let lx = lexicon();
    let b = text.as_bytes();
    let mut next_digit = 0;
    each_non_ascii_start(text, false, |i| {
        if next_digit < i {
            next_digit = i + b[i..]
                .iter()
                .position(u8::is_ascii_digit)
                .unwrap_or(b.len() - i);
        }
        if next_digit - i > 120 {
            return i;
        }
        match word_first(text, lx, i) {
            Some((start, end, conf)) => {
                hits.push(CodeHit {
                    start,
                    end,
                    confidence: Some(conf),
                });
                end
            }
            None => i,
        }
    });
}

/// A house number may start here: not inside a version, time, date, price or identifier.
fn number_may_start(b: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    match b[i - 1] {
        b' ' => i < 2 || !matches!(b[i - 2], b'$' | b'#' | b'=' | b'+'),
        b'\n' | b'\t' | b'(' | b'"' | b'\'' | b'[' | b'>' | b',' | b'*' | b';' => true,
        // "住所：4-8-15": after CJK punctuation or text.
        c => c >= 0x80,
    }
}

/// `1600 Pennsylvania Avenue NW`, `221B Baker Street`, `0123 Smith Canyon Suite 123`,
/// `12 rue de la Paix`, `42 elm street`: a house number first.
fn number_first(text: &str, lx: &Lexicon, i: usize) -> Option<(usize, f32)> {
    let b = text.as_bytes();
    let num_end = house_number(b, i)?;
    let num_digits = digits_len(b, i);
    let mut p = num_end;
    if b.get(p) == Some(&b',') {
        p += 1;
    }
    if b.get(p) != Some(&b' ')
        || !b
            .get(p + 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c >= 0x80)
    {
        return None;
    }
    p += 1;

    // French order: the street word first.
    if letter_at(text, p) {
        let t = token(text, p);
        let mut kb = [0u8; KEY_CAP];
        if let Some(k) = lower_key(text, t, &mut kb) {
            if french_type(k) && matches!(t.shape, Shape::Cap | Shape::Lower | Shape::Upper) {
                if let Some(e) = french_name(text, t.end) {
                    let (end, region) = address_tail(text, lx, e);
                    return Some((end, if region { 0.9 } else { 0.75 }));
                }
            }
        }
    }

    // English order: name words, then the street type.
    let mut q = p;
    let mut core: Option<(usize, Street)> = None;
    let mut lower_mode = false;
    for k in 0..6 {
        if q >= b.len() {
            break;
        }
        let (w_end, w_text, shape) = if b[q].is_ascii_digit() {
            // Ordinals: "5th Avenue", "42nd Street".
            let d = digits_len(b, q);
            let e = q + d;
            let suffix = text.get(e..e + 2);
            if !matches!(
                suffix,
                Some("st" | "nd" | "rd" | "th" | "ST" | "ND" | "RD" | "TH")
            ) || b.get(e + 2).is_some_and(|&c| is_word_byte(c))
            {
                break;
            }
            (e + 2, &text[q..e + 2], Shape::Cap)
        } else if letter_at(text, q) {
            let t = token(text, q);
            // "Queen's Road": the possessive stays in the street name.
            let end = if t.possessive {
                t.end + text[t.end..].chars().next().map_or(1, char::len_utf8) + 1
            } else {
                t.end
            };
            (end, t.text(text), t.shape)
        } else {
            break;
        };
        if k == 0 {
            lower_mode = shape == Shape::Lower;
        }
        let shape_ok = if lower_mode {
            shape == Shape::Lower
        } else {
            matches!(shape, Shape::Cap | Shape::Upper)
        };
        if !shape_ok {
            break;
        }
        let st = street_type(w_text);
        let mut e = w_end;
        if k == 0 && korean_street(w_text) {
            // "434 Dosan-daero", "32 Sejong-ro": the word holds its own street type.
            core = Some((e, Street::Strong));
        } else if let Some(kind) = st {
            if k >= 1 && (!lower_mode || kind == Street::Strong) {
                if b.get(e) == Some(&b'.') && w_text.len() <= 4 {
                    e += 1;
                }
                core = Some((e, kind));
            } else if lower_mode {
                break;
            }
        } else if k == 0 && matches!(w_text, "Broadway" | "BROADWAY") {
            core = Some((e, Street::Strong));
        } else if (lower_mode && k >= 3) || (!lower_mode && k == 0 && not_a_street_name(w_text)) {
            break;
        }
        if b.get(e) == Some(&b'.') && core.is_none_or(|(ce, _)| ce != e) {
            e += 1;
        }
        if b.get(e) == Some(&b' ')
            && (b.get(e + 1).is_some_and(|c| c.is_ascii_alphanumeric()) || letter_at(text, e + 1))
        {
            // The street ends at a type word unless more name words and another type follow.
            if core.is_some_and(|(ce, _)| ce == e || ce + 1 == e) {
                let nt = if letter_at(text, e + 1) {
                    Some(token(text, e + 1))
                } else {
                    None
                };
                let continues = nt.is_some_and(|t| {
                    let w = t.text(text);
                    street_type(w).is_some() && !matches!(w, "N" | "S" | "E" | "W")
                });
                if !continues {
                    break;
                }
            }
            q = e + 1;
        } else {
            break;
        }
    }
    let Some((mut core_end, kind)) = core else {
        // "4-5-8 Shibuya, Fukuoka 308-5810": a Japanese block number, a district and a town.
        let blocks = text[i..num_end].bytes().filter(|&c| c == b'-').count() == 2;
        let t = next_word(text, num_end).filter(|t| t.shape == Shape::Cap && blocks)?;
        let (end, region) = address_tail(text, lx, t.end);
        return region.then_some((end, 0.85));
    };
    // "Clementi Avenue 6": a numbered street.
    if b.get(core_end) == Some(&b' ') {
        let d = digits_len(b, core_end + 1);
        if (1..=2).contains(&d) && matches!(b.get(core_end + 1 + d), Some(b',') | None) {
            core_end += 1 + d;
        }
    }
    // Directional suffix: "Avenue NW", "Street N.".
    if b.get(core_end) == Some(&b' ') && letter_at(text, core_end + 1) {
        let t = token(text, core_end + 1);
        if matches!(
            t.text(text),
            "N" | "S"
                | "E"
                | "W"
                | "NE"
                | "NW"
                | "SE"
                | "SW"
                | "North"
                | "South"
                | "East"
                | "West"
                | "Northeast"
                | "Northwest"
                | "Southeast"
                | "Southwest"
        ) && ends_word(text, t.end)
        {
            core_end = t.end;
            if b.get(core_end) == Some(&b'.') && t.end - t.start <= 2 {
                core_end += 1;
            }
        }
    }
    let (end, region) = address_tail(text, lx, core_end);
    let has_unit = end > core_end;
    let conf = match (kind, region, lower_mode) {
        (_, true, false) => 0.9,
        (_, true, true) => 0.8,
        (Street::Strong, false, false) => 0.75,
        (Street::Strong, false, true) if num_digits >= 2 => 0.6,
        (Street::Weak, false, false) if num_digits >= 3 || has_unit => 0.7,
        _ => return None,
    };
    Some((end, conf))
}

/// The name after a French street word: particles and capitalised words (`de la Paix`,
/// `des Champs-Élysées`). Returns the end of the last capitalised word.
/// Words that after a number are a count or a product, not a street name: "3 Hard Drive",
/// "2 Google Drive", "Step 1 Test Drive".
fn not_a_street_name(w: &str) -> bool {
    matches!(
        w,
        "Google"
            | "Hard"
            | "Test"
            | "Solid"
            | "State"
            | "External"
            | "Internal"
            | "Network"
            | "Cloud"
            | "Team"
            | "Shared"
            | "Local"
            | "Flash"
            | "Disk"
            | "USB"
            | "SSD"
            | "HDD"
            | "Microsoft"
            | "Best"
            | "Top"
            | "Step"
            | "Page"
            | "Chapter"
            | "Section"
            | "Figure"
            | "Table"
            | "Version"
            | "Level"
            | "Phase"
            | "Stage"
            | "Round"
            | "Part"
            | "Item"
            | "Line"
            | "Lesson"
            | "Days"
            | "Weeks"
            | "Years"
            | "Months"
            | "Hours"
            | "Minutes"
            | "Times"
            | "Ways"
            | "The"
            | "A"
            | "An"
            | "And"
            | "Or"
            | "Of"
            | "In"
            | "On"
            | "At"
            | "To"
            | "For"
            | "With"
            | "Is"
            | "Are"
            | "Was"
    )
}

/// Korean road names carry their type as a suffix: `Sejong-ro`, `Dosan-daero`, `Insadong-gil`.
fn korean_street(w: &str) -> bool {
    w.contains('-')
        && (w.ends_with("-ro")
            || w.ends_with("-gil")
            || w.ends_with("-daero")
            || w.ends_with("-dong"))
}

/// Where an address really starts when a unit or a label comes before its number:
/// `Flat 12A, 123 Nathan Road`, `Blk 179 Toa Payoh`, `No. 677 Renmin Road`.
fn address_start(text: &str, i: usize) -> usize {
    let before = &text[..i];
    for prefix in ["No. ", "Blk ", "Block ", "BLK "] {
        if before.ends_with(prefix) && starts_word(text, i - prefix.len()) {
            return i - prefix.len();
        }
    }
    // "Flat 23C, ", "Unit 5, ", "Apt 4B, ", "Suite 200, "
    if let Some(rest) = before.strip_suffix(", ") {
        let unit_start = rest.rfind(' ').map_or(0, |k| k + 1);
        let word_start = rest[..unit_start.saturating_sub(1)]
            .rfind([' ', '\n'])
            .map_or(0, |k| k + 1);
        let word = &rest[word_start..unit_start.saturating_sub(1)];
        let value = &rest[unit_start..];
        if unit_start > 0
            && matches!(
                word,
                "Flat" | "Unit" | "Apt" | "Apartment" | "Suite" | "Room" | "Shop"
            )
            && !value.is_empty()
            && value.len() <= 6
            && value
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        {
            return word_start;
        }
    }
    i
}

fn french_name(text: &str, after_type: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut p = after_type;
    if b.get(p) == Some(&b'.') {
        p += 1;
    }
    let mut end = None;
    for _ in 0..6 {
        if b.get(p) != Some(&b' ') {
            break;
        }
        let s = p + 1;
        if !letter_at(text, s) {
            break;
        }
        let t = token(text, s);
        let w = t.text(text);
        // "l'Église", "d'Alsace": an elided article glued to the name.
        let (elided, w_after) = match w.split_once('\'') {
            Some(("l" | "d" | "L" | "D", rest)) => (true, rest),
            _ => (false, w),
        };
        if t.shape == Shape::Lower && french_particle(w) {
            p = t.end;
            continue;
        }
        let cap = matches!(t.shape, Shape::Cap | Shape::Upper)
            || (elided && w_after.chars().next().is_some_and(char::is_uppercase));
        if !cap {
            break;
        }
        end = Some(t.end);
        p = t.end;
    }
    end.filter(|&e| ends_word(text, e))
}

/// Addresses that start with a word: `Calle Mayor 10`, `Hauptstraße 5`, `Berliner Straße 10`,
/// `P.O. Box 123`, `Springfield, IL 62704`.
fn word_first(text: &str, lx: &Lexicon, i: usize) -> Option<(usize, usize, f32)> {
    let b = text.as_bytes();

    // P.O. Box 123, PO Box 123, Post Office Box 123.
    if b[i] == b'P' {
        for prefix in [
            "P.O. Box ",
            "P. O. Box ",
            "PO Box ",
            "P.O.Box ",
            "Post Office Box ",
            "PO BOX ",
            "P.O. BOX ",
        ] {
            if text[i..].starts_with(prefix) {
                let s = i + prefix.len();
                let d = digits_len(b, s);
                if (1..=6).contains(&d) && !b.get(s + d).is_some_and(|&c| is_word_byte(c)) {
                    let (end, _) = address_tail(text, lx, s + d);
                    return Some((i, end, 0.8));
                }
                return None;
            }
        }
    }

    let number_next = |p: usize| {
        let p = if b.get(p) == Some(&b'.') { p + 1 } else { p };
        b.get(p) == Some(&b' ') && b.get(p + 1).is_some_and(u8::is_ascii_digit)
    };
    // The forms that need a capitalised word next ("Atatürk Caddesi No: 12", "Herzl Street
    // 104", "Berliner Straße 10") have their house number within three more words and a "No:",
    // with nothing but letters, spaces and `.:'-` before it.
    let capital_after = |end: usize| {
        b.get(end) == Some(&b' ')
            && b.get(end + 1)
                .is_some_and(|&c| c.is_ascii_uppercase() || c >= 0x80)
            && digit_after_words(b, end, 5)
    };
    let polish_before = || {
        i >= 4
            && b[i - 1] == b' '
            && b[i - 2] == b'.'
            && matches!(&b[i - 4..i - 2], b"ul" | b"al" | b"os" | b"pl")
    };
    let military_word = |w: &str| matches!(w, "PSC" | "Unit" | "USNS" | "USNV" | "USS" | "USCGC");
    // Each form below needs a capitalised word next, a number right after, a street or
    // military word here, or a comma soon; most capitalised words have none of these. For a
    // plain word that is settled before the word is looked at.
    if runs_into_code(b, i) {
        return None;
    }
    let comma_near = std::cell::OnceCell::new();
    let comma_soon = || *comma_near.get_or_init(|| comma_soon(b, i));
    if let Some(end) = plain_word_end(b, i) {
        let w = &text[i..end];
        if !(capital_after(end)
            || number_next(end)
            || polish_before()
            || military_word(w)
            || type_first(w)
            || comma_soon())
        {
            return None;
        }
    }
    let t = token(text, i);
    if t.shape == Shape::Other {
        return None;
    }
    let w = t.text(text);

    // "ul. Długa 5", "al. Jerozolimskie 12": Polish, with the street word in lowercase before.
    let polish = t.shape == Shape::Cap && polish_before();
    let next_capital = capital_after(t.end);
    let military_word = military_word(w);
    let comma = matches!(t.shape, Shape::Cap | Shape::Upper) && comma_soon();
    if !(next_capital || polish || number_next(t.end) || military_word || type_first(w) || comma) {
        return None;
    }
    // The word after, which most forms look at first.
    let next = if next_capital {
        next_word(text, t.end)
    } else {
        None
    };

    // Turkish: "Atatürk Caddesi No: 12/3", "Gül Sokak No 5". The street words are capitalised.
    if t.shape == Shape::Cap && next.is_some_and(|n| n.shape == Shape::Cap) {
        if let Some(e) = turkish_street(text, t) {
            let (end, region) = address_tail(text, lx, e);
            return Some((i, end, if region { 0.85 } else { 0.75 }));
        }
    }

    // Spanish, Italian, Portuguese, Polish: street word, name, number.
    let abbreviated =
        matches!(w, "Avda" | "Av" | "Pza" | "Ul" | "ul") && b.get(t.end) == Some(&b'.');
    if polish || (type_first(w) && matches!(t.shape, Shape::Cap)) {
        let mut p = if polish {
            i.saturating_sub(1)
        } else {
            t.end + usize::from(abbreviated)
        };
        let mut names = 0;
        let mut last = None;
        for _ in 0..6 {
            if b.get(p) != Some(&b' ') {
                break;
            }
            let s = p + 1;
            if b.get(s).is_some_and(u8::is_ascii_digit) {
                break;
            }
            if !letter_at(text, s) {
                break;
            }
            let n = token(text, s);
            let nw = n.text(text);
            if n.shape == Shape::Lower && type_first_particle(nw) {
                p = n.end;
                continue;
            }
            if !matches!(n.shape, Shape::Cap | Shape::Upper) {
                break;
            }
            names += 1;
            last = Some(n.end);
            p = n.end;
        }
        let last = last?;
        if names == 0 {
            return None;
        }
        let mut q = last;
        if b.get(q) == Some(&b',') {
            q += 1;
        }
        if b.get(q) == Some(&b' ') {
            if let Some(e) = house_number(b, q + 1).filter(|_| digits_len(b, q + 1) <= 4) {
                let (end, region) = address_tail(text, lx, e);
                return Some((
                    if polish { i - 4 } else { i },
                    end,
                    if region { 0.85 } else { 0.75 },
                ));
            }
        }
        return None;
    }

    // "Herzl Street 104", "Allenby Street 44, Tel Aviv": name, street type, number. The word
    // must not end names ("Oak" may start one, "University" not).
    if t.shape == Shape::Cap && next.is_some_and(|n| matches!(n.shape, Shape::Cap | Shape::Upper)) {
        let mut n = next;
        for _ in 0..3 {
            let Some(nt) = n.filter(|n| matches!(n.shape, Shape::Cap | Shape::Upper)) else {
                break;
            };
            if street_type(nt.text(text)) == Some(Street::Strong) && nt.text(text).len() > 2 {
                if b.get(nt.end) == Some(&b' ') {
                    if let Some(e) =
                        house_number(b, nt.end + 1).filter(|_| digits_len(b, nt.end + 1) <= 4)
                    {
                        if name_flags(lx, text, t) & NOT_NAME == 0 {
                            let (end, region) = address_tail(text, lx, e);
                            return Some((i, end, if region { 0.85 } else { 0.7 }));
                        }
                    }
                }
                break;
            }
            n = next_word(text, nt.end);
        }
    }

    // German, Dutch, Nordic: "Hauptstraße 5", "Müllerstr. 12a", "Kerkstraat 12".
    let mut kb = [0u8; KEY_CAP];
    if t.shape == Shape::Cap
        && number_next(t.end)
        && compound_street(lower_key(text, t, &mut kb).unwrap_or(""))
    {
        let key = lower_key(text, t, &mut kb).unwrap_or("");
        let mut p = t.end;
        if b.get(p) == Some(&b'.') && key.ends_with("str") {
            p += 1;
        }
        if b.get(p) == Some(&b' ') {
            if let Some(e) = house_number(b, p + 1).filter(|_| digits_len(b, p + 1) <= 4) {
                let (end, region) = address_tail(text, lx, e);
                return Some((i, end, if region { 0.85 } else { 0.75 }));
            }
        }
    }

    // "Berliner Straße 10", "Lange Str. 5".
    if t.shape == Shape::Cap {
        if let Some(n) = next {
            if separate_street(n.text(text)) {
                let mut p = n.end;
                if b.get(p) == Some(&b'.') {
                    p += 1;
                }
                if b.get(p) == Some(&b' ') {
                    if let Some(e) = house_number(b, p + 1).filter(|_| digits_len(b, p + 1) <= 4) {
                        let (end, region) = address_tail(text, lx, e);
                        return Some((i, end, if region { 0.85 } else { 0.75 }));
                    }
                }
            }
        }
    }

    // Military mail: "PSC 1234, Box 5678", "Unit 1234 Box 5678", "USNS Smith", then APO/FPO/DPO.
    if military_word {
        if let Some(e) = military(text, t) {
            return Some((i, e, 0.85));
        }
    }

    // "Springfield, IL 62704": a town, a state code and a ZIP code. A comma before a capital
    // must come within three words.
    if comma && name_flags(lx, text, t) & NOT_NAME == 0 {
        let e = locality(text, lx, i)?;
        let z = &text[i..e];
        let last_is_code = z.as_bytes().last().is_some_and(u8::is_ascii_digit)
            && (z.len() >= 5 && z[z.len() - 5..].bytes().all(|c| c.is_ascii_digit())
                || z.rsplit(' ')
                    .next()
                    .is_some_and(|s| s.len() == 3 && s.as_bytes()[0].is_ascii_digit()));
        if last_is_code && z.contains(',') {
            return Some((i, e, 0.8));
        }
    }
    None
}

/// A digit follows `from` with nothing but letters, `.:'-` and at most `spaces` spaces before it.
fn digit_after_words(b: &[u8], from: usize, spaces: usize) -> bool {
    let mut left = spaces;
    for &c in &b[from..] {
        match c {
            b'0'..=b'9' => return true,
            b' ' if left == 0 => return false,
            b' ' => left -= 1,
            b'a'..=b'z' | b'A'..=b'Z' | b'.' | b':' | b'\'' | b'-' | 0x80.. => {}
            _ => return false,
        }
    }
    false
}

/// `, ` and a capital within 48 bytes from `i` (the comma's position within 46).
fn comma_soon(b: &[u8], i: usize) -> bool {
    let end = b.len().min(i + 48);
    let mut k = i;
    while k + 2 < end {
        match find_byte(b, k, end - 2, b',') {
            Some(p) => k = p,
            None => return false,
        }
        if b[k + 1] == b' ' && b[k + 2].is_ascii_uppercase() {
            return true;
        }
        k += 1;
    }
    false
}

/// `Atatürk Caddesi No: 12/3`, `Gül Sokak No 5`, `İstiklal Cad. 20`: returns the end of the number.
fn turkish_street(text: &str, t: Tok) -> Option<usize> {
    let b = text.as_bytes();
    let mut p = t.end;
    let mut typed = false;
    for _ in 0..3 {
        let n = next_word(text, p)?;
        let w = n.text(text);
        p = n.end;
        if matches!(
            w,
            "Caddesi"
                | "Cad"
                | "Cd"
                | "Sokak"
                | "Sokağı"
                | "Sok"
                | "Sk"
                | "Bulvarı"
                | "Blv"
                | "Mahallesi"
                | "Mah"
        ) {
            if b.get(p) == Some(&b'.') {
                p += 1;
            }
            typed = true;
            break;
        }
        if n.shape != Shape::Cap {
            return None;
        }
    }
    if !typed {
        return None;
    }
    let rest = &text[p..];
    let skip = ["No: ", " No: ", " No:", " No. ", " No ", " "]
        .iter()
        .find(|s| rest.starts_with(**s))?;
    house_number(b, p + skip.len())
}

fn military(text: &str, t: Tok) -> Option<usize> {
    let b = text.as_bytes();
    let w = t.text(text);
    let mut e = t.end;
    match w {
        "PSC" | "Unit" => {
            if b.get(e) != Some(&b' ') {
                return None;
            }
            let d = digits_len(b, e + 1);
            if !(1..=5).contains(&d) {
                return None;
            }
            e += 1 + d;
            let box_at = if text[e..].starts_with(", Box ") {
                e + 6
            } else if text[e..].starts_with(" Box ") {
                e + 5
            } else {
                return None;
            };
            let d = digits_len(b, box_at);
            if !(1..=5).contains(&d) {
                return None;
            }
            e = box_at + d;
        }
        _ => {
            let n = next_word(text, e)?;
            if n.shape != Shape::Cap {
                return None;
            }
            e = n.end;
        }
    }
    let p = address_sep(b, e, true)?;
    let code = text.get(p..p + 3)?;
    if !matches!(code, "APO" | "FPO" | "DPO") || !text[p + 3..].starts_with(' ') {
        return None;
    }
    let s = p + 4;
    let area = text.get(s..s + 2)?;
    if !matches!(area, "AA" | "AE" | "AP") || b.get(s + 2) != Some(&b' ') {
        return None;
    }
    zip(b, s + 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::dlp::detector::CodeMatcher;
    use crate::dlp::testing::{assert_finds, assert_not_finds, raw_hits};

    /// The hits of the detectors `ids` as the scanner gathers them, kept as one pass over the
    /// text would: in order, none inside an earlier one.
    fn hits_of(ids: &[&str], text: &str, hits: &mut Vec<CodeHit>) {
        let mut all = raw_hits(ids, text);
        all.sort_by_key(|&(start, _, _)| start);
        let mut end = 0;
        for (start, hit_end, confidence) in all {
            if start >= end {
                end = hit_end;
                hits.push(CodeHit {
                    start,
                    end: hit_end,
                    confidence: Some(confidence),
                });
            }
        }
    }

    fn titled_names(text: &str, hits: &mut Vec<CodeHit>) {
        hits_of(&["person_titled"], text, hits);
    }

    fn person_names(text: &str, hits: &mut Vec<CodeHit>) {
        hits_of(&["person", "person_intl", "person_lowercase"], text, hits);
    }

    fn place_names(text: &str, hits: &mut Vec<CodeHit>) {
        hits_of(&["location", "location_intl"], text, hits);
    }

    fn street_addresses(text: &str, hits: &mut Vec<CodeHit>) {
        hits_of(&["street_address", "street_address_intl"], text, hits);
    }

    fn may_lead(w: &str) -> bool {
        w.bytes().next().is_none_or(|k| may_lead_by(k, w.len()))
    }

    /// The string literals in the body of the function `name` in this file.
    fn literals_of(name: &str) -> Vec<&'static str> {
        let src = include_str!("people.rs");
        let f = src.find(&format!("\nfn {name}(")).expect(name);
        let e = f + src[f..].find("\n}\n").expect("its end");
        src[f..e].split('"').skip(1).step_by(2).collect()
    }

    #[test]
    fn word_lists_cover_their_matches() {
        let titles = literals_of("is_title_word");
        assert!(titles.len() > 50);
        for t in titles {
            assert!(TITLES.contains(&t), "{t} is not in TITLES");
            assert!(is_title(t), "{t}");
        }
        let streets = literals_of("street_kind");
        assert!(streets.len() > 50);
        for w in streets {
            assert!(STREET_TYPES.contains(&w), "{w} is not in STREET_TYPES");
            assert!(street_type(w).is_some(), "{w}");
        }
        assert!(!is_title("The") && street_type("Boulevard") == Some(Street::Strong));
    }

    #[test]
    fn context_leads_cover_every_word_person_context_reads() {
        let src = include_str!("people.rs");
        let f = src.find("fn person_context(").expect("person_context");
        let m = f + src[f..].find("match prev.word() {").expect("its match");
        let e = m + src[m..].find("\n}\n").expect("its end");
        let mut read = 0;
        for (k, part) in src[m..e].split('"').enumerate() {
            if k % 2 == 1 {
                read += 1;
                assert!(
                    CONTEXT_LEADS.contains(&part),
                    "{part} is not in CONTEXT_LEADS"
                );
                assert!(may_lead(part), "{part}");
            }
        }
        assert!(read > 100, "{read}");
        assert!(!may_lead("the") && !may_lead("with") && may_lead("dear"));
    }

    #[test]
    fn non_ascii_place_initials_cover_the_gazetteer() {
        let mut initials: Vec<&str> = lines(PLACES_TXT)
            .map(|l| l.trim_start_matches('?'))
            .filter(|l| !l.is_ascii())
            .filter_map(|l| {
                l.chars()
                    .next()
                    .filter(|c| !c.is_ascii())
                    .map(|c| &l[..c.len_utf8()])
            })
            .collect();
        initials.sort_unstable();
        initials.dedup();
        let mut listed = NON_ASCII_PLACE_INITIALS.to_vec();
        listed.sort_unstable();
        assert_eq!(initials, listed);
    }

    /// What a matcher reports at the default threshold (confidence >= 0.5 before context).
    fn found(find: CodeMatcher, text: &str) -> Vec<String> {
        let mut hits = Vec::new();
        find(text, &mut hits);
        hits.iter()
            .filter(|h| h.confidence.unwrap_or(0.6) >= 0.5)
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn titles_name_the_words_after_them() {
        assert_eq!(
            found(titled_names, "Hi, I'm Dr. Jane Doe from the clinic."),
            ["Jane Doe"]
        );
        assert_eq!(
            found(titled_names, "Frau Müller und Herr Schmidt"),
            ["Müller", "Schmidt"]
        );
        assert_eq!(
            found(titled_names, "Sra. Fernández vive aquí"),
            ["Fernández"]
        );
        assert_eq!(found(titled_names, "MR. JOHN SMITH"), ["JOHN SMITH"]);
        assert!(found(titled_names, "42 Oak Dr Springfield").is_empty());
        assert!(found(titled_names, "Dr. Pepper Street").is_empty());
        assert_finds("Please call Mr. Smith tomorrow.", "person_titled", "Smith");
    }

    #[test]
    fn names_in_scripts_without_capitals() {
        assert_eq!(
            found(person_names, "你好，\n\n我叫王芳，想改一下地址。"),
            ["王芳"]
        );
        assert_eq!(found(person_names, "[19:24] 周杰: 好的，稍等"), ["周杰"]);
        assert_eq!(found(person_names, "谢谢！\n张伟\n"), ["张伟"]);
        assert_eq!(found(person_names, "氏名：佐藤健"), ["佐藤健"]);
        assert_eq!(found(person_names, "감사합니다.\n정예은"), ["정예은"]);
        assert_eq!(found(person_names, "제 이름은 김민준입니다."), ["김민준"]);
        assert_eq!(found(person_names, "ผมชื่อ สมชาย ใจดี ครับ"), ["สมชาย ใจดี"]);
        assert_eq!(
            found(person_names, "שם: דוד פרץ. \nתאריך לידה: 1990"),
            ["דוד פרץ"]
        );
        // Ordinary words in running text are not names.
        assert!(found(person_names, "收到，谢谢。好的，稍等。").is_empty());
        assert!(found(person_names, "이메일 주소를 알려 주세요.").is_empty());
    }

    #[test]
    fn record_layouts_vouch_for_unknown_names() {
        assert_eq!(
            found(person_names, "[14:05] Kittipong Wongsawat: hello"),
            ["Kittipong Wongsawat"]
        );
        assert_eq!(
            found(person_names, "12345;Ayanda Dlamini;a@example.com"),
            ["Ayanda Dlamini"]
        );
        assert_eq!(
            found(person_names, "{\"id\": 7, \"name\": \"Nneka Okeke\"}"),
            ["Nneka Okeke"]
        );
        assert_eq!(
            found(person_names, "Kind regards,\nTuula Mäkinen\n"),
            ["Tuula Mäkinen"]
        );
        assert_eq!(
            found(person_names, "Name: Gijs de Groot"),
            ["Gijs de Groot"]
        );
        assert_eq!(
            found(person_names, "[08:17] Sim Jun Hao: ok"),
            ["Sim Jun Hao"]
        );
        assert_eq!(
            found(person_names, "Contact Park Ji-hoon today"),
            ["Park Ji-hoon"]
        );
        // The same shapes in code and prose stay quiet.
        assert!(found(person_names, "name: String,\nlabel: Option<String>").is_empty());
        assert!(found(person_names, "Hi,\n\nKira bir araba lazım.").is_empty());
    }

    #[test]
    fn address_formats() {
        let addresses = [
            "221B Baker Street, London NW1 6XE",
            "123 Maple St, Apt 12, Springfield, IL 62704",
            "2765 Granville Street, Winnipeg, QC T9B 5J1",
            "Hauptstraße 5, 10115 Berlin",
            "Müllerstr. 12a",
            "12 rue de la Paix, 75002 Paris",
            "Calle Gran Vía 130, 4º, 36524 Valladolid",
            "Via Roma 15, 00184 Roma",
            "Kerkstraat 12, 1012 AB Amsterdam",
            "ul. Długa 88/46, 81-404 Łódź",
            "Storgatan 84, 412 48 Lund",
            "Hämeentie 77 B 25, 32703 Oulu",
            "Rua XV de Novembro, 1193 - Brasília, CEP 63771-279",
            "17, Church Road, Pune 365217",
            "Blk 179 Toa Payoh Avenue 4, #14-591, Singapore 812535",
            "357 Bourke Street, Sydney NSW 4866",
            "No. 677 Renmin Road, Tianhe District, Beijing",
            "Flat 23C, 167 Nathan Road, Causeway Bay",
            "4-5-8 Shibuya, Fukuoka 308-5810",
            "434 Dosan-daero, Gangnam-gu, Incheon",
            "Atatürk Caddesi No: 139/18, Adana",
            "Av. Insurgentes 1230, Col. Centro, 97929 Querétaro",
            "120 Loop Street, Johannesburg, 0245",
            "Herzl Street 104, Ashdod",
            "P.O. Box 1234, Austin, TX 78701",
            "0123 Smith Canyon Suite 123\nLake Jennifer, WA 12345",
        ];
        for a in addresses {
            let text = format!("Address: {a}. Thanks");
            assert_eq!(found(street_addresses, &text), [a], "{text}");
        }
        for benign in [
            "I have 2 Google Drive accounts and 3 Hard Drive bays.",
            "Step 1 Test Drive the build, then release 2.3 Main.",
            "at 12:30 Main Street was closed",
            "Preheat the oven to 200 °C. Bake for 20 minutes.",
        ] {
            assert!(found(street_addresses, benign).is_empty(), "{benign}");
        }
        assert_not_finds("Top 10 Places to visit in 2024", "street_address");
    }

    #[test]
    fn places_need_context_when_ambiguous() {
        assert_eq!(
            found(place_names, "We moved from Reading to Nice."),
            ["Reading", "Nice"]
        );
        assert!(found(place_names, "Reading the logs is a nice start.").is_empty());
        assert_eq!(
            found(place_names, "Flight Tokyoから Osakaまで"),
            ["Tokyo", "Osaka"]
        );
        assert_eq!(
            found(place_names, "Austin, Texas and Paris, France"),
            ["Austin, Texas", "Paris, France"]
        );
        assert!(found(place_names, "the University of Michigan").is_empty());
        assert_finds("She lives in Zürich now.", "location", "Zürich");
    }

    #[test]
    fn lexicon_loads_every_list() {
        let lx = lexicon();
        assert!(lx.names.len() > 25_000, "{}", lx.names.len());
        assert!(lx.flags("john") & FIRST != 0);
        assert!(lx.flags("will") & STOP != 0 && lx.flags("will") & FIRST == 0);
        assert!(lx.flags("smith") & LAST_WORD != 0);
        assert!(lx.flags("johnson") & LAST != 0);
        assert!(lx.flags("müller") & LAST != 0);
        assert!(lx.flags("street") & NOT_NAME != 0);
        assert!(lx.flags("texas") & PLACE_WORD != 0);
        assert!(lx.flags("nice") & PLACE_WORD == 0 && lx.group("nice") != NO_GROUP);
        assert!(lx.places.len() > 2000, "{}", lx.places.len());
    }

    #[test]
    fn tokens_know_names_from_code() {
        let shape = |s: &str| token(s, 0).shape;
        assert_eq!(shape("Smith"), Shape::Cap);
        assert_eq!(shape("McDonald"), Shape::Cap);
        assert_eq!(shape("O'Brien"), Shape::Cap);
        assert_eq!(shape("Jean-Luc"), Shape::Cap);
        assert_eq!(shape("Müller"), Shape::Cap);
        assert_eq!(shape("Élodie"), Shape::Cap);
        assert_eq!(shape("SMITH"), Shape::Upper);
        assert_eq!(shape("JavaScript"), Shape::Other);
        assert_eq!(shape("John_Smith"), Shape::Other);
        assert_eq!(shape("Smith2"), Shape::Other);
        assert_eq!(shape("smith"), Shape::Lower);
        let t = token("John's car", 0);
        assert_eq!((t.end, t.possessive), (4, true));
        let t = token("John’s car", 0);
        assert_eq!((t.end, t.possessive), (4, true));
    }

    /// Sentences with the names, places and addresses they contain, by category.
    const POSITIVE: &[(&str, &[(&str, &str)])] = &[
        (
            "My name is John Smith and I live at 221B Baker Street, London NW1 6XE.",
            &[
                ("PERSON", "John Smith"),
                ("STREET_ADDRESS", "221B Baker Street, London NW1 6XE"),
            ],
        ),
        (
            "Please send the contract to Dr. Maria Garcia before Friday.",
            &[("PERSON", "Maria Garcia")],
        ),
        (
            "Dear Priya, thanks for the update on the migration.",
            &[("PERSON", "Priya")],
        ),
        (
            "The invoice was addressed to 1600 Pennsylvania Avenue NW, Washington, DC 20500.",
            &[(
                "STREET_ADDRESS",
                "1600 Pennsylvania Avenue NW, Washington, DC 20500",
            )],
        ),
        (
            "Ship it to 350 Fifth Avenue, New York, NY 10118 by Monday.",
            &[("STREET_ADDRESS", "350 Fifth Avenue, New York, NY 10118")],
        ),
        (
            "Our office moved from Berlin to Munich last year.",
            &[("LOCATION", "Berlin"), ("LOCATION", "Munich")],
        ),
        (
            "Jennifer Martinez called about her refund.",
            &[("PERSON", "Jennifer Martinez")],
        ),
        (
            "Patient: Wei Zhang, admitted on the 3rd.",
            &[("PERSON", "Wei Zhang")],
        ),
        (
            "Please forward this to Mrs. O'Brien in accounting.",
            &[("PERSON", "O'Brien")],
        ),
        (
            "Sie wohnt in der Hauptstraße 5, 10115 Berlin.",
            &[("STREET_ADDRESS", "Hauptstraße 5, 10115 Berlin")],
        ),
        (
            "Die Rechnung geht an Herrn Müller, Müllerstr. 12a.",
            &[("PERSON", "Müller"), ("STREET_ADDRESS", "Müllerstr. 12a")],
        ),
        (
            "Rendez-vous au 12 rue de la Paix, 75002 Paris.",
            &[("STREET_ADDRESS", "12 rue de la Paix, 75002 Paris")],
        ),
        (
            "La oficina está en Calle Mayor 10, 28013 Madrid.",
            &[("STREET_ADDRESS", "Calle Mayor 10, 28013 Madrid")],
        ),
        (
            "Il negozio è in Via Roma 15 a Torino.",
            &[("STREET_ADDRESS", "Via Roma 15"), ("LOCATION", "Torino")],
        ),
        (
            "Het kantoor is gevestigd aan de Kerkstraat 12 in Amsterdam.",
            &[
                ("STREET_ADDRESS", "Kerkstraat 12"),
                ("LOCATION", "Amsterdam"),
            ],
        ),
        (
            "She flew from São Paulo to Rio de Janeiro on Tuesday.",
            &[("LOCATION", "São Paulo"), ("LOCATION", "Rio de Janeiro")],
        ),
        (
            "Contact Ahmed Hassan for the keys.",
            &[("PERSON", "Ahmed Hassan")],
        ),
        (
            "J. Smith and A. Kowalski reviewed the pull request.",
            &[("PERSON", "J. Smith"), ("PERSON", "A. Kowalski")],
        ),
        (
            "Smith, John was listed as the emergency contact.",
            &[("PERSON", "Smith, John")],
        ),
        ("Thanks, Sarah Johnson", &[("PERSON", "Sarah Johnson")]),
        (
            "Best regards,\nMichael Brown",
            &[("PERSON", "Michael Brown")],
        ),
        (
            "hi, my name is emily davis and I need help",
            &[("PERSON", "emily davis")],
        ),
        (
            "I grew up in Nice before moving to Lyon.",
            &[("LOCATION", "Nice"), ("LOCATION", "Lyon")],
        ),
        (
            "Send the samples to 10 Downing St, London.",
            &[("STREET_ADDRESS", "10 Downing St, London")],
        ),
        (
            "Our warehouse is at 4500 Industrial Pkwy, Springfield, IL 62704.",
            &[(
                "STREET_ADDRESS",
                "4500 Industrial Pkwy, Springfield, IL 62704",
            )],
        ),
        (
            "Mailing address: P.O. Box 1234, Austin, TX 78701",
            &[("STREET_ADDRESS", "P.O. Box 1234, Austin, TX 78701")],
        ),
        (
            "Professor Alan Turing worked on the Enigma problem.",
            &[("PERSON", "Alan Turing")],
        ),
        (
            "The team in Tokyo will sync with colleagues in Seoul and Singapore.",
            &[
                ("LOCATION", "Tokyo"),
                ("LOCATION", "Seoul"),
                ("LOCATION", "Singapore"),
            ],
        ),
        (
            "Frau Schneider aus Hamburg hat angerufen.",
            &[("PERSON", "Schneider"), ("LOCATION", "Hamburg")],
        ),
        (
            "Sra. Fernández vive en Buenos Aires.",
            &[("PERSON", "Fernández"), ("LOCATION", "Buenos Aires")],
        ),
        (
            "Chinedu Okafor and Ngozi Adeyemi joined the Lagos office.",
            &[
                ("PERSON", "Chinedu Okafor"),
                ("PERSON", "Ngozi Adeyemi"),
                ("LOCATION", "Lagos"),
            ],
        ),
        (
            "Hiroshi Tanaka presented the roadmap in Osaka.",
            &[("PERSON", "Hiroshi Tanaka"), ("LOCATION", "Osaka")],
        ),
        (
            "Kim Min-jun will meet Park Ji-hoon in Busan.",
            &[
                ("PERSON", "Kim Min-jun"),
                ("PERSON", "Park Ji-hoon"),
                ("LOCATION", "Busan"),
            ],
        ),
        (
            "Send the parcel to 5 avenue des Champs-Élysées, 75008 Paris, France.",
            &[(
                "STREET_ADDRESS",
                "5 avenue des Champs-Élysées, 75008 Paris, France",
            )],
        ),
        (
            "The meeting with Ms Olga Ivanova is in Kyiv.",
            &[("PERSON", "Olga Ivanova"), ("LOCATION", "Kyiv")],
        ),
        (
            "Dr Anil Kumar from Bengaluru reviewed the scans.",
            &[("PERSON", "Anil Kumar"), ("LOCATION", "Bengaluru")],
        ),
        (
            "I'm Lucas Oliveira, the new SRE.",
            &[("PERSON", "Lucas Oliveira")],
        ),
        (
            "Customer: JOHN DOE, 42 Elm Street, Portland, OR 97201",
            &[
                ("PERSON", "JOHN DOE"),
                ("STREET_ADDRESS", "42 Elm Street, Portland, OR 97201"),
            ],
        ),
        (
            "We met Angela Merkel and Emmanuel Macron in Brussels.",
            &[
                ("PERSON", "Angela Merkel"),
                ("PERSON", "Emmanuel Macron"),
                ("LOCATION", "Brussels"),
            ],
        ),
        (
            "Call Rajesh Sharma at the Mumbai branch.",
            &[("PERSON", "Rajesh Sharma"), ("LOCATION", "Mumbai")],
        ),
        (
            "Mohammed Al-Rashid arrived in Dubai yesterday.",
            &[("PERSON", "Mohammed Al-Rashid"), ("LOCATION", "Dubai")],
        ),
        (
            "Her address is 742 Evergreen Terrace, Springfield.",
            &[("STREET_ADDRESS", "742 Evergreen Terrace, Springfield")],
        ),
        (
            "Bill Gates and Will Smith attended the gala.",
            &[("PERSON", "Bill Gates"), ("PERSON", "Will Smith")],
        ),
        (
            "Ana García and José Rodríguez live in Sevilla.",
            &[
                ("PERSON", "Ana García"),
                ("PERSON", "José Rodríguez"),
                ("LOCATION", "Sevilla"),
            ],
        ),
        (
            "The office at 100 King Street West is near Toronto, ON M5V 2T6.",
            &[
                ("STREET_ADDRESS", "100 King Street West"),
                ("STREET_ADDRESS", "Toronto, ON M5V 2T6"),
            ],
        ),
        (
            "0123 Smith Canyon Suite 123\nLake Jennifer, WA 12345",
            &[(
                "STREET_ADDRESS",
                "0123 Smith Canyon Suite 123\nLake Jennifer, WA 12345",
            )],
        ),
        (
            "Grace Hopper wrote the first compiler.",
            &[("PERSON", "Grace Hopper")],
        ),
        ("Signed: Xiomara Quetzal", &[("PERSON", "Xiomara Quetzal")]),
        (
            "Leonardo da Vinci and Vincent van Gogh were painters.",
            &[
                ("PERSON", "Leonardo da Vinci"),
                ("PERSON", "Vincent van Gogh"),
            ],
        ),
        (
            "John F. Kennedy spoke in Berlin.",
            &[("PERSON", "John F. Kennedy"), ("LOCATION", "Berlin")],
        ),
        (
            "Martin Luther King Jr. led the march in Selma, Alabama.",
            &[
                ("PERSON", "Martin Luther King Jr."),
                ("LOCATION", "Alabama"),
            ],
        ),
        (
            "The package goes to Søren Kierkegaard in Copenhagen, Denmark.",
            &[
                ("PERSON", "Søren Kierkegaard"),
                ("LOCATION", "Copenhagen, Denmark"),
            ],
        ),
    ];

    /// Text with capitalised words, code, logs and products but no personal names, places or
    /// addresses.
    const NEGATIVE: &[&str] = &[
        "Will you review the PR before the release?",
        "May I suggest a different approach to caching?",
        "Grace period for the subscription is 14 days.",
        "Mark the task as done and move on.",
        "The Bill of Materials lists 42 parts.",
        "Use Claude Code or Claude Sonnet for the refactor.",
        "Chase Bank reported a 3% increase.",
        "fn parse_address(input: &str) -> Result<Address, Error>",
        "class PersonRecord extends BaseModel { String firstName; }",
        "2024-03-15 12:30:45 INFO Server started on port 8080",
        "ERROR Connection refused: host=db.internal port=5432",
        "Version 2.3.1 fixes the Max Value overflow bug.",
        "Order #12345 shipped for $49.99 on March 3.",
        "The New York Times published the story.",
        "Turkey sandwiches and Nice biscuits are on the menu.",
        "Reading the logs is the first step.",
        "Mobile apps need a different layout.",
        "Ruby on Rails and Julia are both supported.",
        "The Python Software Foundation released a patch.",
        "Apple Watch and Google Pixel sales grew.",
        "Hope this helps, let me know.",
        "Summer Sale: 20% off all plans.",
        "April Fools jokes are banned in the changelog.",
        "See the Getting Started Guide for details.",
        "Microsoft Teams and Slack integrations are available.",
        "SELECT first_name, last_name FROM users WHERE id = 42;",
        "import numpy as np; from pandas import DataFrame",
        "The Lambda function timed out after 30 seconds.",
        "Harley Davidson motorcycles were on display.",
        "The commit 3f2a9c1 by ci-bot updated 14 files.",
        "Set MAX_RETRIES=5 and TIMEOUT_MS=3000 in the env file.",
        "Step 3 Drive the migration from staging.",
        "Windows 11 Pro Edition requires TPM 2.0.",
        "Released on Monday, June 5 with 3 Main features.",
        "Amazon Web Services bills per second.",
        "Georgia Tech and Virginia Tech played on Saturday.",
        "The Lincoln Memorial and the Jefferson Memorial are on the Mall.",
        "Price: 1,299.00 USD; Qty: 3; SKU: AB-1234-XY",
        "Angular, React and Vue are frontend frameworks.",
        "The Kubernetes Pod restarted 12 times.",
        "Thanks for the Quick Start Guide!",
        "throw new IllegalArgumentException(\"Invalid Name\");",
        "Dear Customer, your order has shipped.",
        "From: Google Alerts <alerts@example.com>",
        "The Jordan River and the Dead Sea are below sea level in the valley.",
        "Morgan Stanley and Goldman Sachs reported earnings.",
        "Page 5 Point 3 covers the Grant Program rules.",
        "Run cargo test --release and check Target Dir settings.",
        "The Visual Studio Code extension supports Go and Rust.",
        "Sterling Silver and Rose Gold finishes are available.",
    ];

    fn category(detector: &str) -> &'static str {
        match detector {
            "person" | "person_titled" | "person_intl" | "person_lowercase" => "PERSON",
            "location" | "location_intl" => "LOCATION",
            "street_address" | "street_address_intl" => "STREET_ADDRESS",
            _ => "",
        }
    }

    /// Runs the whole built-in scanner over the corpus and reports precision and recall of the
    /// people, place and address detectors (exact spans).
    #[test]
    fn corpus_precision_and_recall() {
        let mut tp = 0usize;
        let mut fp = Vec::new();
        let mut fnn = Vec::new();
        for (text, expected) in POSITIVE {
            let got: Vec<(&str, String)> = crate::dlp::testing::found(text)
                .into_iter()
                .filter_map(|(d, m)| {
                    let c = category(&d);
                    (!c.is_empty()).then_some((c, m))
                })
                .collect();
            for (c, m) in &got {
                if expected.iter().any(|(ec, em)| ec == c && em == m) {
                    tp += 1;
                } else {
                    fp.push(format!("{c} {m:?} in {text:?}"));
                }
            }
            for (ec, em) in expected.iter() {
                if !got.iter().any(|(c, m)| c == ec && m == em) {
                    fnn.push(format!("{ec} {em:?} in {text:?}"));
                }
            }
        }
        for text in NEGATIVE {
            for (d, m) in crate::dlp::testing::found(text) {
                let c = category(&d);
                if !c.is_empty() {
                    fp.push(format!("{c} {m:?} in {text:?}"));
                }
            }
        }
        let precision = tp as f64 / (tp + fp.len()) as f64;
        let recall = tp as f64 / (tp + fnn.len()) as f64;
        println!("people/places/addresses: tp={tp} fp={} fn={} precision={precision:.3} recall={recall:.3}", fp.len(), fnn.len());
        for f in &fp {
            println!("  FP {f}");
        }
        for f in &fnn {
            println!("  FN {f}");
        }
        assert!(
            precision >= 0.9 && recall >= 0.85,
            "precision {precision:.3}, recall {recall:.3}"
        );
    }

    #[test]
    fn latin_fast_paths_agree_with_char() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alnum(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_upper(c), c.is_uppercase(), "{c:?}");
            let mut buf = [0u8; 16];
            let mut n = 0;
            assert!(push_lower(c, &mut buf, &mut n));
            let lower: String = c.to_lowercase().collect();
            assert_eq!(&buf[..n], lower.as_bytes(), "{c:?}");
        }
    }
}
