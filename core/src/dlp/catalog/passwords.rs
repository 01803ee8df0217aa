//! Passwords written after a lead-in word: `Passwort:`, `la contraseña es`, `密码：`, `비밀번호는`,
//! `pw:`, `the deploy user password is`. The reported span is the value alone.
//!
//! The assignment reader in `secrets.rs` knows code and configuration keys well; these matchers
//! cover what it leaves: the words for "password" in other languages and scripts, English
//! lead-ins it does not read (`passcode X`, `login pass:`), and values it takes for code because
//! they start with a symbol (`&9aB…`, `%aA*…`) or hold a `#`. Both matchers run only when one
//! of their words occurs, and read at most a few hundred bytes around each occurrence.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::dlp::detector::{CodeHit, Matcher, Spec};

const PASSWORD: &str = "PASSWORD";

/// How far a value may end after its lead-in word: a qualifier (`for the admin account`), a
/// separator and a quoted 128-byte value.
const REACH: usize = 300;
/// How far a hit may lie from its trigger, with the word itself and the up to 90 bytes read
/// before it (the identifier the word ends, the prose word before that).
const MAX_LEN: u16 = 360;
/// The longest value taken; longer runs are blobs or prose glued together, not passwords.
const MAX_VALUE: usize = 128;
const MIN_VALUE: usize = 6;
/// Confidence of a value after `:` or `=`. An English one ties with the assignment reader of
/// `secrets.rs`, which wins a tie on the same span (it comes first in the catalogue); when that
/// reader cuts a value short (at a `&` or `#`), the longer span here wins.
const CONFIDENCE: f32 = 0.8;
/// After a verb (`is`): an English one ties with the prose reader of `secrets.rs` likewise.
const ENGLISH_COPULA_CONFIDENCE: f32 = 0.7;
/// Values separated from their word by a blank alone are less certain.
const BLANK_PENALTY: f32 = 0.1;

/// A lead-in word and how it may be written.
#[derive(Clone, Copy)]
struct Lead {
    word: &'static str,
    flags: u8,
}

/// A blank alone may separate the value (`passcode X`, `şifrem X`): the word means nothing else.
const LOOSE: u8 = 1;
/// The word is read without word boundaries: scripts written without spaces, and Hebrew and
/// Arabic, whose articles and prepositions attach to the word (`הסיסמה`).
const GLUED: u8 = 2;
/// The word may end a longer identifier or compound (`dbPassword`, `SMTPPASS`, `WLANpasswort`).
const COMPOUND: u8 = 4;
/// A short or ambiguous word (`pw`, `pass`, `clave`, `mdp`): only `:` or `=` introduce the value,
/// and the value must mix three kinds of character.
const WEAK: u8 = 8;

const fn lead(word: &'static str, flags: u8) -> Lead {
    Lead { word, flags }
}

/// English lead-ins; `pass` also starts `passport` and `passenger`, which its word boundary drops.
const ENGLISH: &[Lead] = &[
    lead("password", LOOSE | COMPOUND),
    lead("passwd", LOOSE | COMPOUND),
    lead("passphrase", LOOSE | COMPOUND),
    lead("passcode", LOOSE | COMPOUND),
    lead("pword", WEAK),
    lead("pwd", WEAK | COMPOUND),
    lead("pass", WEAK | COMPOUND),
    lead("pw", WEAK),
];

/// Each English lead-in contains one of these.
const ENGLISH_TRIGGERS: &[&str] = &["pass", "pw"];

/// The word for "password" in other languages, with the inflected forms that lead a value
/// (Swedish `lösenordet`, Turkish `şifrem`, Finnish `salasanani`). Capitalised forms are listed
/// where the first letter is not ASCII, since only ASCII letters match case-insensitively.
const MULTILINGUAL: &[Lead] = &[
    // German
    lead("passwort", LOOSE | COMPOUND),
    lead("kennwort", LOOSE | COMPOUND),
    // French
    lead("mot de passe", LOOSE),
    lead("mdp", WEAK),
    // Spanish
    lead("contraseña", LOOSE),
    lead("contrasena", LOOSE),
    lead("CONTRASEÑA", LOOSE),
    lead("clave de acceso", LOOSE),
    lead("clave", WEAK),
    // Italian (and Romanian, Turkish `parola`)
    lead("parola d'ordine", LOOSE),
    lead("parola d’ordine", LOOSE),
    lead("parolă", LOOSE),
    lead("parolam", LOOSE),
    lead("parola", WEAK),
    // Dutch
    lead("wachtwoord", LOOSE | COMPOUND),
    // Polish
    lead("hasło", LOOSE),
    lead("haslo", LOOSE),
    lead("HASŁO", LOOSE),
    // Swedish, Norwegian, Danish
    lead("lösenordet", LOOSE),
    lead("lösenord", LOOSE | COMPOUND),
    lead("losenord", LOOSE | COMPOUND),
    lead("LÖSENORD", LOOSE),
    lead("passordet", LOOSE),
    lead("passord", LOOSE | COMPOUND),
    lead("adgangskoden", LOOSE),
    lead("adgangskode", LOOSE | COMPOUND),
    lead("kodeord", LOOSE | COMPOUND),
    // Finnish
    lead("salasanani", LOOSE),
    lead("salasanasi", LOOSE),
    lead("salasana", LOOSE | COMPOUND),
    // Portuguese
    lead("senha", LOOSE),
    lead("palavra-passe", LOOSE),
    lead("palavra passe", LOOSE),
    // Turkish
    lead("şifre", LOOSE),
    lead("şifrem", LOOSE),
    lead("şifreniz", LOOSE),
    lead("şifresi", LOOSE),
    lead("Şifre", LOOSE),
    lead("Şifrem", LOOSE),
    lead("Şifreniz", LOOSE),
    lead("ŞİFRE", LOOSE),
    // Czech, Slovak, Hungarian
    lead("heslo", LOOSE),
    lead("jelszó", LOOSE),
    lead("jelszavam", LOOSE),
    lead("jelszo", LOOSE),
    // Greek
    lead("κωδικός πρόσβασης", LOOSE),
    lead("Κωδικός πρόσβασης", LOOSE),
    // Russian, Ukrainian, Bulgarian
    lead("пароль", LOOSE),
    lead("Пароль", LOOSE),
    lead("ПАРОЛЬ", LOOSE),
    // Vietnamese, Indonesian, Malay
    lead("mật khẩu", LOOSE),
    lead("Mật khẩu", LOOSE),
    lead("kata sandi", LOOSE),
    lead("kata laluan", LOOSE),
    // Chinese (simplified, traditional), Japanese, Korean
    lead("密码", LOOSE | GLUED),
    lead("密碼", LOOSE | GLUED),
    lead("口令", WEAK | GLUED),
    lead("パスワード", LOOSE | GLUED),
    lead("비밀번호", LOOSE | GLUED),
    lead("패스워드", LOOSE | GLUED),
    lead("암호", WEAK | GLUED),
    // Hebrew, Arabic, Thai, Hindi
    lead("סיסמה", LOOSE | GLUED),
    lead("סיסמא", LOOSE | GLUED),
    lead("كلمة المرور", LOOSE | GLUED),
    lead("كلمة السر", LOOSE | GLUED),
    lead("รหัสผ่าน", LOOSE | GLUED),
    lead("पासवर्ड", LOOSE | GLUED),
];

/// Each multilingual lead-in contains one of these (stems, so the gate stays short).
const MULTILINGUAL_TRIGGERS: &[&str] = &[
    "passwort",
    "kennwort",
    "mot de passe",
    "mdp",
    "contrase",
    "CONTRASEÑA",
    "clave",
    "parol",
    "wachtwoord",
    "hasło",
    "haslo",
    "HASŁO",
    "lösenord",
    "losenord",
    "LÖSENORD",
    "passord",
    "adgangskode",
    "kodeord",
    "salasan",
    "senha",
    "palavra",
    "şifre",
    "Şifre",
    "ŞİFRE",
    "heslo",
    "jelsz",
    "κωδικός",
    "Κωδικός",
    "пароль",
    "Пароль",
    "ПАРОЛЬ",
    "mật khẩu",
    "Mật khẩu",
    "kata sandi",
    "kata laluan",
    "密码",
    "密碼",
    "口令",
    "パスワード",
    "비밀번호",
    "패스워드",
    "암호",
    "סיסמ",
    "كلمة",
    "รหัสผ่าน",
    "पासवर्ड",
];

pub(super) static SPECS: &[Spec] = &[
    Spec {
        validation: "context",
        confidence: CONFIDENCE,
        ..Spec::secret(
            "password_lead_in",
            PASSWORD,
            Matcher::Code {
                triggers: ENGLISH_TRIGGERS,
                max_len: MAX_LEN,
                find: find_english,
            },
        )
    },
    Spec {
        validation: "context",
        confidence: CONFIDENCE,
        ..Spec::secret(
            "password_multilingual",
            PASSWORD,
            Matcher::Code {
                triggers: MULTILINGUAL_TRIGGERS,
                max_len: MAX_LEN,
                find: find_multilingual,
            },
        )
    },
];

fn automaton(leads: &[Lead]) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(leads.iter().map(|l| l.word))
        .expect("built-in literals compile")
}

fn find_english(text: &str, hits: &mut Vec<CodeHit>) {
    static AC: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(ENGLISH));
    find_with(text, ENGLISH, &AC, ENGLISH_COPULA_CONFIDENCE, hits);
}

fn find_multilingual(text: &str, hits: &mut Vec<CodeHit>) {
    static AC: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(MULTILINGUAL));
    find_with(text, MULTILINGUAL, &AC, CONFIDENCE, hits);
}

fn find_with(
    text: &str,
    leads: &[Lead],
    ac: &AhoCorasick,
    copula_confidence: f32,
    hits: &mut Vec<CodeHit>,
) {
    let base = hits.len();
    for m in ac.find_iter(text) {
        let lead = leads[m.pattern().as_usize()];
        if let Some((start, end, sep)) = value_after(text, m.start(), m.end(), lead) {
            hits.push(CodeHit {
                start,
                end,
                confidence: match sep {
                    Sep::Mark => None,
                    Sep::Copula => Some(copula_confidence),
                    Sep::Blank => Some(copula_confidence - BLANK_PENALTY),
                },
            });
        }
    }
    hits[base..].sort_unstable_by_key(|h| (h.start, h.end));
    let mut kept = base;
    for i in base..hits.len() {
        if kept == base
            || (hits[kept - 1].start, hits[kept - 1].end) != (hits[i].start, hits[i].end)
        {
            hits[kept] = hits[i];
            kept += 1;
        }
    }
    hits.truncate(kept);
}

/// How the value is introduced.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sep {
    /// `:`, `=`, `=>`, a dash or a pipe.
    Mark,
    /// A verb: `is`, `ist`, `es`, `是`, `は`, `คือ`...
    Copula,
    /// Blanks only.
    Blank,
}

/// The value after the lead-in word at `start..end`, if the word stands alone, leads a value and
/// the value looks like a password someone chose.
fn value_after(text: &str, start: usize, end: usize, lead: Lead) -> Option<(usize, usize, Sep)> {
    let b = text.as_bytes();
    let glued = lead.flags & GLUED != 0;
    let weak = lead.flags & WEAK != 0;
    if !glued {
        if let Some(c) = text[..start].chars().next_back() {
            if c.is_alphanumeric() && !(lead.flags & COMPOUND != 0 && compound_ok(text, start)) {
                return None;
            }
        }
        if text[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
        {
            return None;
        }
    }
    // The identifier the word ends (`smtp_password`, `user.pwd`), bounded so a hit stays local.
    let mut id_start = start;
    while id_start > 0 && start - id_start < 64 && is_ident_byte(b[id_start - 1]) {
        id_start -= 1;
    }
    if denied_identifier(&text[id_start..start]) || denied_prose(text, id_start, weak) {
        return None;
    }
    // In a query string or a `;`-separated connection string, the value ends at the next pair.
    let in_pairs = id_start > 0 && matches!(b[id_start - 1], b'?' | b'&' | b';');

    // A key may be closed before its separator: `"password": `, `['pwd'] = `, `**Password**:`.
    let mut i = end;
    while i < b.len() && i - end < 3 && matches!(b[i], b'"' | b'\'' | b'`' | b']' | b'*') {
        i += 1;
    }
    let (after_blanks, blanks) = skip_blanks(text, i);
    let direct = separator(text, after_blanks, blanks > 0, weak);
    if let Some((at, sep)) = direct {
        if sep != Sep::Blank || lead.flags & LOOSE != 0 {
            if let Some(hit) = take_value(text, at, sep, weak, in_pairs) {
                return (hit.1 - end <= REACH).then_some(hit);
            }
        }
    }
    // `password for the admin account is X`, `Passwort (Testsystem): X`.
    if weak || blanks == 0 && !glued && !text[after_blanks..].starts_with('(') {
        return None;
    }
    let at = qualifier_end(text, after_blanks)?;
    let (at, blanks) = skip_blanks(text, at);
    match separator(text, at, blanks > 0, weak)? {
        (_, Sep::Blank) => None,
        (at, sep) => take_value(text, at, sep, weak, in_pairs).filter(|hit| hit.1 - end <= REACH),
    }
}

/// `dbPassword`, `SMTPPASS`, `Zugangspasswort`: the word may close a compound, but not one of the
/// words that merely end in it (`bypass`, `compass`).
fn compound_ok(text: &str, start: usize) -> bool {
    let b = text.as_bytes();
    let mut s = start;
    while s > 0 && start - s < 16 && b[s - 1].is_ascii_alphabetic() {
        s -= 1;
    }
    let mut word = [0u8; 32];
    let tail = &b[s..(start + 4).min(b.len())];
    if tail.len() > word.len() {
        return true;
    }
    for (w, c) in word.iter_mut().zip(tail) {
        *w = c.to_ascii_lowercase();
    }
    let word = &word[..tail.len()];
    !NOT_PASS.iter().any(|n| word.ends_with(n.as_bytes()))
}

/// Words that end in `pass` without being about passwords.
const NOT_PASS: &[&str] = &[
    "bypass",
    "compass",
    "surpass",
    "trespass",
    "overpass",
    "underpass",
    "encompass",
];

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
}

/// Identifier words before the lead-in word that make the key describe a password rather than
/// hold one (`password_hash` is caught by the boundary; these are `hashed_password`,
/// `min-password`, `forgot.password`, `isPassword`).
const DENY_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "salt",
    "salted",
    "encrypted",
    "digest",
    "bcrypt",
    "forgot",
    "reset",
    "show",
    "hide",
    "toggle",
    "min",
    "max",
    "is",
    "has",
    "use",
    "no",
    "require",
    "requires",
    "required",
    "validate",
    "policy",
    "wrong",
    "invalid",
    "bad",
    "fake",
    "dummy",
    "mock",
    "example",
    "sample",
    "placeholder",
    "field",
    "label",
    "input",
    "form",
    "prompt",
    "hint",
];

fn denied_identifier(ident: &str) -> bool {
    let b = ident.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        // One word: a run of letters and digits, split where a lower-case letter meets an
        // upper-case one (`isPassword`, `hashedPwd`).
        let s = i;
        i += 1;
        while i < b.len()
            && b[i].is_ascii_alphanumeric()
            && !(b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase())
        {
            i += 1;
        }
        if is_word_in(&b[s..i], DENY_WORDS) {
            return true;
        }
    }
    false
}

/// The prose word before a lead-in: `boarding pass`, `example password`, `hashed password`.
const DENY_PROSE: &[&str] = &[
    "hashed",
    "encrypted",
    "salted",
    "forgot",
    "forgotten",
    "reset",
    "wrong",
    "invalid",
    "incorrect",
    "example",
    "sample",
    "dummy",
    "fake",
    "mock",
    "weak",
    "strong",
    "type",
    "rtype",
    "param",
];

/// Kinds of `pass` (and `pw`, `clave`) that are tickets or keys, not passwords.
const DENY_PROSE_WEAK: &[&str] = &[
    "boarding",
    "bus",
    "rail",
    "railway",
    "season",
    "ski",
    "day",
    "museum",
    "backstage",
    "visitor",
    "guest",
    "press",
    "hall",
    "gate",
    "first",
    "second",
    "third",
    "last",
    "final",
    "free",
    "all",
    "annual",
    "event",
    "vip",
    "transit",
    "metro",
    "train",
    "travel",
    "park",
    "parking",
    "festival",
    "gym",
    "access",
    "single",
    "multi",
    "render",
    "one",
    "two",
    "no",
    "pase",
    "llave",
];

fn denied_prose(text: &str, id_start: usize, weak: bool) -> bool {
    let b = text.as_bytes();
    let mut i = id_start;
    while i > 0 && id_start - i < 4 && matches!(b[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == id_start {
        return false;
    }
    let e = i;
    while i > 0 && e - i < 16 && b[i - 1].is_ascii_alphabetic() {
        i -= 1;
    }
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] >= 0x80) {
        return false;
    }
    let word = &b[i..e];
    is_word_in(word, DENY_PROSE) || (weak && is_word_in(word, DENY_PROSE_WEAK))
}

fn is_word_in(word: &[u8], list: &[&str]) -> bool {
    list.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(word))
}

/// Skips at most eight blanks (spaces, tabs, no-break and ideographic spaces); returns the new
/// offset and how many were skipped. Line breaks end a lead-in.
fn skip_blanks(text: &str, mut i: usize) -> (usize, usize) {
    let mut n = 0;
    while n < 8 {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if !matches!(
            c,
            ' ' | '\t' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{3000}'
        ) {
            break;
        }
        i += c.len_utf8();
        n += 1;
    }
    (i, n)
}

/// Marks that introduce a value, longest first.
const MARKS: &[&str] = &[":=", "=>", "->", ":", "：", "=", "＝", "—", "–"];

/// Verbs and particles that introduce a value. ASCII ones must end at a word boundary.
const COPULAS: &[&str] = &[
    "will be",
    "would be",
    "set to",
    "changed to",
    "reset to",
    "is",
    "was",
    "ist",
    "lautet",
    "war",
    "est",
    "es",
    "era",
    "sera",
    "on",
    "er",
    "var",
    "to",
    "jest",
    "je",
    "là",
    "adalah",
    "ialah",
    "è",
    "é",
    "är",
    "είναι",
    "это",
    "是",
    "为",
    "為",
    "は",
    "는",
    "은",
    "คือ",
    "היא",
    "הוא",
];

/// Adverbs that may follow the verb: `is now`, `ist jetzt`.
const ADVERBS: &[&str] = &[
    "now",
    "still",
    "currently",
    "jetzt",
    "nun",
    "maintenant",
    "ahora",
    "ora",
    "nu",
    "teraz",
    "nyt",
    "agora",
];

/// The separator at `i`, and where the value may begin after it. `blank_before` tells whether
/// blanks preceded `i` (a lone `-` needs them on both sides).
fn separator(text: &str, i: usize, blank_before: bool, weak: bool) -> Option<(usize, Sep)> {
    let rest = &text[i..];
    let b = rest.as_bytes();
    if let Some(mark) = MARKS.iter().find(|m| rest.starts_with(**m)) {
        let after = &rest[mark.len()..];
        // `password::hash`, `password://`, `password == x`: paths and comparisons.
        if (*mark == ":" && (after.starts_with(':') || after.starts_with("//")))
            || (*mark == "=" && after.starts_with('='))
        {
            return None;
        }
        let at = skip_emphasis(text, skip_blanks(text, i + mark.len()).0);
        return Some((at, Sep::Mark));
    }
    // A dash or a table's pipe counts only between blanks: `pass-through`, `a|b` are not.
    if blank_before
        && matches!(b.first(), Some(b'-' | b'|'))
        && matches!(b.get(1), Some(b' ' | b'\t'))
    {
        return Some((skip_blanks(text, i + 1).0, Sep::Mark));
    }
    if !weak {
        if let Some(copula) = COPULAS.iter().find(|c| starts_with_word(rest, c)) {
            let mut at = skip_blanks(text, i + copula.len()).0;
            if let Some(adverb) = ADVERBS.iter().find(|a| starts_with_word(&text[at..], a)) {
                at = skip_blanks(text, at + adverb.len()).0;
            }
            // `is: X`, `パスワードは、X`.
            if let Some(p) = [":", "：", "、", "，"]
                .iter()
                .find(|p| text[at..].starts_with(**p))
            {
                at = skip_blanks(text, at + p.len()).0;
            }
            return Some((skip_emphasis(text, at), Sep::Copula));
        }
    }
    blank_before.then_some((i, Sep::Blank))
}

/// `**Password:** X`: emphasis closed after the separator.
fn skip_emphasis(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let mut j = i;
    while j < b.len() && j - i < 2 && matches!(b[j], b'*' | b'_') {
        j += 1;
    }
    if j > i && matches!(b.get(j), Some(b' ' | b'\t')) {
        skip_blanks(text, j).0
    } else {
        i
    }
}

/// `rest` starts with `word` (ASCII case-insensitively) and, for a word ending in an ASCII
/// letter, no letter or digit follows it. Words of unspaced scripts may run into the value.
fn starts_with_word(rest: &str, word: &str) -> bool {
    let (r, w) = (rest.as_bytes(), word.as_bytes());
    if r.len() < w.len() || !r[..w.len()].eq_ignore_ascii_case(w) {
        return false;
    }
    let spaced = word.chars().all(|c| (c as u32) < 0x0e00);
    !spaced
        || !rest[w.len()..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
}

/// Prepositions that open a qualifier between the word and its separator.
const PREPOSITIONS: &[&str] = &[
    "for", "of", "to", "on", "at", "in", "für", "von", "vom", "zum", "pour", "de", "du", "des",
    "para", "per", "del", "della", "voor", "van", "för", "till", "på", "av", "til", "dla", "do",
    "для", "от", "da", "do", "için",
];

/// The end of a qualifier at `i`: a parenthesis (`(staging)`) or a preposition and up to four
/// words (`for the admin account`), stopping before a separator.
fn qualifier_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    if let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')')?;
        if close > 40 || inner[..close].contains('\n') {
            return None;
        }
        return Some(i + 1 + close + 1);
    }
    let mut at = i;
    for n in 0..5 {
        let word_end = text[at..]
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() || matches!(c, ':' | '：' | '=' | '('))
            .map_or(text.len(), |(k, _)| at + k);
        if word_end == at || word_end - i > 64 {
            return None;
        }
        let word = &text[at..word_end];
        if n == 0 && !PREPOSITIONS.iter().any(|p| p.eq_ignore_ascii_case(word)) {
            return None;
        }
        let (next, blanks) = skip_blanks(text, word_end);
        if blanks == 0 || n > 0 && COPULAS.iter().any(|c| starts_with_word(&text[next..], c)) {
            return Some(word_end);
        }
        if n > 0 && MARKS.iter().any(|m| text[next..].starts_with(m)) {
            return Some(word_end);
        }
        at = next;
    }
    None
}

/// Opening quotes and, for ASCII ones, the byte that closes them.
fn opener(rest: &str) -> Option<(usize, Option<u8>)> {
    let c = rest.chars().next()?;
    match c {
        '"' | '\'' | '`' => Some((1, Some(c as u8))),
        '“' | '‘' | '«' | '„' | '「' | '『' | '‹' | '»' => Some((c.len_utf8(), None)),
        _ => None,
    }
}

/// Reads the value at `i` and checks it; the span is the value without quotes.
fn take_value(
    text: &str,
    i: usize,
    sep: Sep,
    weak: bool,
    in_pairs: bool,
) -> Option<(usize, usize, Sep)> {
    let b = text.as_bytes();
    let (start, end, quoted) = match opener(&text[i..]) {
        Some((len, Some(close))) => {
            let s = i + len;
            let e = (s..b.len().min(s + MAX_VALUE + 1))
                .find(|&k| b[k] == close || !is_graphic(b[k]))?;
            if b[e] != close {
                return None;
            }
            (s, e, true)
        }
        open => {
            let s = i + open.map_or(0, |(len, _)| len);
            let mut e = s;
            while e < b.len() && is_graphic(b[e]) {
                e += 1;
                if e - s > MAX_VALUE + 4 {
                    return None;
                }
            }
            if text[e..].chars().next().is_some_and(glued_letter) {
                return None;
            }
            // `PASSWORD: Type = 7`, `passwd = user = x`: the value is a type or a name.
            let (next, _) = skip_blanks(text, e);
            if b.get(next) == Some(&b'=') && b.get(next + 1) != Some(&b'=') {
                return None;
            }
            let e = s + trimmed_len(&text[s..e], in_pairs);
            (s, e, open.is_some())
        }
    };
    let value = &text[start..end];
    let classes = if weak || sep == Sep::Blank { 3 } else { 2 };
    if !plausible(value, classes, quoted) {
        return None;
    }
    Some((start, end, sep))
}

fn is_graphic(c: u8) -> bool {
    (0x21..=0x7e).contains(&c)
}

/// A letter of a spaced script right after an unquoted value: the run is part of a word
/// (`Passwort zurücksetzen`), not a value. Thai and CJK text runs on without spaces.
fn glued_letter(c: char) -> bool {
    c.is_alphanumeric() && !('\u{0e00}'..='\u{0e7f}').contains(&c) && c < '\u{2e80}'
}

/// The length of an unquoted value without the punctuation that ends its sentence or field, and
/// without the next pair of a `;` or `&` separated list (`Password=x;Encrypt=true`).
fn trimmed_len(v: &str, in_pairs: bool) -> usize {
    let b = v.as_bytes();
    let mut n = b.len();
    for (k, &c) in b.iter().enumerate() {
        if matches!(c, b';' | b'&') && (in_pairs || starts_pair(&b[k + 1..])) {
            n = k;
            break;
        }
    }
    while n > 0 {
        let has = |open: u8| b[..n - 1].contains(&open);
        match b[n - 1] {
            b'.' | b',' | b';' | b':' | b'"' | b'\'' | b'`' => n -= 1,
            b')' if !has(b'(') => n -= 1,
            b']' if !has(b'[') => n -= 1,
            b'}' if !has(b'{') => n -= 1,
            _ => break,
        }
    }
    n
}

/// `Key=` or `key_name=` at the start of `b`.
fn starts_pair(b: &[u8]) -> bool {
    let key = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    key > 0 && b[0].is_ascii_alphabetic() && b.get(key) == Some(&b'=')
}

/// A password someone chose: not a stand-in, not code, not a path, not a word.
fn plausible(v: &str, min_classes: usize, quoted: bool) -> bool {
    let b = v.as_bytes();
    if !(MIN_VALUE..=MAX_VALUE).contains(&b.len()) {
        return false;
    }
    let count = |f: fn(&u8) -> bool| b.iter().filter(|c| f(c)).count();
    let lower = count(u8::is_ascii_lowercase);
    let upper = count(u8::is_ascii_uppercase);
    let digits = count(u8::is_ascii_digit);
    let symbols = b.len() - lower - upper - digits;
    let classes = [lower, upper, digits, symbols]
        .iter()
        .filter(|&&n| n > 0)
        .count();
    let letters = lower + upper;
    // Timestamps, versions and counters (`2024-01-05T10:00:00Z`) carry a letter or two at most.
    if letters == 0 || (letters <= 2 && digits >= 6) {
        return false;
    }
    // The cheap shape gates first; most candidates are words and fail here.
    let shaped = if symbols == 0 && digits == 0 {
        // Letters only: a quoted lower-case passphrase of some length, or mixed case that is not
        // a word or a camelCase name.
        if upper == 0 {
            quoted && b.len() >= 10
        } else {
            lower > 0 && !camel_words(b)
        }
    } else if digits == 0
        && b.iter()
            .all(|c| c.is_ascii_alphabetic() || b"-_.'".contains(c))
        && b.split(|c| !c.is_ascii_alphabetic())
            .all(|w| w.iter().skip(1).all(u8::is_ascii_lowercase))
    {
        // Words joined by `-`, `_`, `.` or `'` with no digit (`well-known`, `Read-Only`).
        quoted && b.len() >= 16
    } else {
        classes >= min_classes
    };
    shaped && !placeholder(v) && !code_reference(v) && !path_url_or_email(v) && !identifier(v)
}

/// Letters that read as capitalised words or a camelCase name (`Secret`, `SecretStr`,
/// `dbPass`, `HTTPServer`): words of two letters or more (one of them at most may be that short),
/// each but the first led by a capital, acronyms of at most five capitals, and vowels in the
/// words but for one short abbreviation (`Str`, `Cfg`). Random letters switch case every letter
/// or two (`pQzWmR`, `tgBxryJu`), pile up capitals (`VVTTCMNGse`) or run consonants together
/// (`hpwrSaz`, `XNcjjxx`).
fn camel_words(b: &[u8]) -> bool {
    let mut k = 0;
    let (mut abbreviations, mut short) = (0, 0);
    while k < b.len() {
        let caps = b[k..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let lows = b[k + caps..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        // `HTTPServer`: the last capital leads the next word.
        let (acronym, word) = match (caps, lows) {
            (0, l) => (0, l),
            (c, 0) => (c, 0),
            (c, l) => (c - 1, l + 1),
        };
        short += usize::from(word == 2);
        if caps + lows == 0 || acronym > 5 || word == 1 || short > 1 {
            return false;
        }
        let letters = &b[k + acronym..k + caps + lows];
        if word > 0 && !letters.iter().any(|c| b"aeiouyAEIOUY".contains(c)) {
            abbreviations += 1;
            if word > 3 || abbreviations > 1 {
                return false;
            }
        }
        k += caps + lows;
    }
    true
}

/// `default`, `dbPass`, `DB_PASSWORD`, `pw2`: a name as it follows `$`, `&`, `*`, `!` or `:` in
/// code (variables, YAML anchors, aliases and tags, symbols). Digits come only at the end of a
/// part; a password has them anywhere (`jb33zuc8eH`).
fn name_like(r: &[u8]) -> bool {
    r.first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && r.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        && r.split(|c| *c == b'_').all(|part| {
            let letters = part
                .iter()
                .rposition(|c| !c.is_ascii_digit())
                .map_or(&part[..0], |k| &part[..=k]);
            letters.iter().all(u8::is_ascii_alphabetic)
                && (letters.iter().all(u8::is_ascii_lowercase)
                    || letters.iter().all(u8::is_ascii_uppercase)
                    || camel_words(letters))
        })
}

/// Stand-ins, matched ASCII case-insensitively anywhere in the value.
const PLACEHOLDERS: &[&str] = &[
    "xxx",
    "***",
    "...",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "password",
    "passwort",
    "wachtwoord",
    "contrasena",
    "salasana",
    "example",
    "placeholder",
    "redacted",
    "your_",
    "your-",
    "yourpass",
    "dummy",
    "sample",
    "<",
    "%(",
    "${",
    "$(",
    "{{",
    "}}",
    "#{",
    "123456",
    "654321",
    "abcdef",
    "qwerty",
    "asdfgh",
];

/// Marks of code that yields a value: lookups in the environment or a secret store, paths of
/// modules, arrows.
const CODE_MARKS: &[&str] = &[
    "environ",
    "process.env",
    "getenv",
    "env[",
    "env(",
    "env.",
    "secrets.",
    "::",
    "->",
    "=>",
];

fn any_of(list: &'static [&'static str]) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(list)
        .expect("built-in literals compile")
}

fn placeholder(v: &str) -> bool {
    static MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| any_of(PLACEHOLDERS));
    let b = v.as_bytes();
    if MARKS.is_match(v) || printf_template(b) {
        return true;
    }
    let mut seen = [false; 128];
    let mut distinct = 0;
    for c in b.iter().map(u8::to_ascii_lowercase) {
        if !seen[c as usize] {
            seen[c as usize] = true;
            distinct += 1;
        }
    }
    distinct <= 3
}

/// `pw_%d`, `%s%s`: a format string. A random value may hold `%d` too (`4Q#Nj9%d%ty`), so the
/// rest must be a plain name for it to count as a template.
fn printf_template(b: &[u8]) -> bool {
    let mut has_spec = false;
    let mut k = 0;
    while k < b.len() {
        if b[k] == b'%'
            && matches!(b.get(k + 1), Some(b's' | b'd' | b'v' | b'x'))
            && !b.get(k + 2).is_some_and(u8::is_ascii_alphanumeric)
        {
            has_spec = true;
            k += 2;
        } else if b[k].is_ascii_alphanumeric() || matches!(b[k], b'_' | b'-') {
            k += 1;
        } else {
            return false;
        }
    }
    has_spec
}

/// Code that yields the password instead of the password: environment lookups, calls, indexing,
/// template and shell expansions, YAML tags, anchors and aliases, Ruby symbols, PHP variables.
fn code_reference(v: &str) -> bool {
    let b = v.as_bytes();
    if matches!(b[0], b'$' | b'@' | b'%' | b'!' | b'&' | b'*' | b':') && name_like(&b[1..]) {
        return true;
    }
    if b[0] == b'$' && matches!(b.get(1), Some(b'{' | b'(' | b'_')) {
        return true;
    }
    if matches!(b[0], b'{' | b'[' | b'(' | b':') {
        return true;
    }
    // `getpass.getpass(prompt`, `config.get(server`, `creds["pw"`: a call or an index whose
    // arguments the blank cut off.
    let name = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
        .count();
    if name > 0
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && matches!(b.get(name), Some(b'(' | b'['))
    {
        return true;
    }
    static MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| any_of(CODE_MARKS));
    if MARKS.is_match(v) {
        return true;
    }
    // A call, an index or a block: an opener with its closer after it.
    for (open, close) in [(b'(', b')'), (b'[', b']'), (b'{', b'}')] {
        if let Some(k) = b.iter().position(|&c| c == open) {
            if b[k + 1..].contains(&close) {
                return true;
            }
        }
    }
    // `settings.DB_PASSWORD`, `config.db.pass`: dotted names; `P.a=P.b=void`: chained
    // assignments of them (minified code).
    let name = |s: &str| {
        s.split('.').all(|s| {
            s.as_bytes()
                .first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
                && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        })
    };
    (v.contains('.') && name(v))
        || (v.split('=').filter(|s| !s.is_empty()).count() >= 2 && v.split('=').all(name))
}

fn path_url_or_email(v: &str) -> bool {
    let b = v.as_bytes();
    if v.contains("://") || v.starts_with(['/', '~', '\\']) || v.starts_with("./") {
        return true;
    }
    if b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\' {
        return true;
    }
    // `secrets/db.txt`: a slash and a file extension.
    if v.contains('/') {
        if let Some((_, ext)) = v.rsplit_once('.') {
            if (1..=5).contains(&ext.len()) && ext.bytes().all(|c| c.is_ascii_lowercase()) {
                return true;
            }
        }
    }
    // `ops@example.org`: a mailbox, not a password.
    if let Some((local, domain)) = v.rsplit_once('@') {
        if let Some((host, tld)) = domain.rsplit_once('.') {
            return !local.is_empty()
                && !host.is_empty()
                && tld.len() >= 2
                && tld.bytes().all(|c| c.is_ascii_alphabetic())
                && domain
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
        }
    }
    false
}

/// `db_password_2`, `SECRET_VALUE`, `Uri_PROPERTY`: snake-case names, of one letter case or
/// without digits.
fn identifier(v: &str) -> bool {
    let b = v.as_bytes();
    b.contains(&b'_')
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        && !(b.iter().any(u8::is_ascii_lowercase)
            && b.iter().any(u8::is_ascii_uppercase)
            && b.iter().any(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::testing::{assert_not_finds, found};

    fn english(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find_english(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    fn multilingual(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find_multilingual(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    fn either(text: &str) -> Vec<&str> {
        let mut all = english(text);
        all.extend(multilingual(text));
        all
    }

    /// The whole scanner reports `value` as a password, under whichever password detector wins
    /// the overlap (the assignment reader in `secrets.rs` may keep a trailing full stop).
    #[track_caller]
    fn scanner_finds_password(text: &str, value: &str) {
        let all = found(text);
        let ids: Vec<&str> = crate::dlp::catalog::builtin()
            .filter(|s| s.category == PASSWORD)
            .map(|s| s.id)
            .collect();
        assert!(
            all.iter().any(|(d, m)| ids.contains(&d.as_str())
                && m.starts_with(value)
                && m.len() <= value.len() + 1),
            "expected a password {value:?} in {text:?}; found {all:?}"
        );
    }

    #[test]
    fn every_lead_word_contains_a_trigger() {
        for (leads, triggers) in [
            (ENGLISH, ENGLISH_TRIGGERS),
            (MULTILINGUAL, MULTILINGUAL_TRIGGERS),
        ] {
            for l in leads {
                let w = l.word.to_ascii_lowercase();
                assert!(
                    triggers.iter().any(|t| w.contains(&t.to_ascii_lowercase())),
                    "{} has no trigger",
                    l.word
                );
            }
        }
    }

    #[test]
    fn lead_ins_in_every_language() {
        let v = "Tr0ub4dor&3x";
        for lead in [
            "密码：",
            "密码是",
            "登录密码是 ",
            "密碼: ",
            "lösenord: ",
            "lösenordet är ",
            "Lösenord: ",
            "het wachtwoord is ",
            "wachtwoord: ",
            "salasana on ",
            "salasana: ",
            "la contraseña es ",
            "contraseña: ",
            "Contraseña: ",
            "clave: ",
            "senha: ",
            "a senha é ",
            "şifre: ",
            "Şifre: ",
            "şifrem ",
            "mdp : ",
            "mot de passe : ",
            "mot de passe\u{a0}: ",
            "le mot de passe est ",
            "Passwort: ",
            "das Passwort ist ",
            "das Passwort lautet ",
            "Kennwort: ",
            "WLAN-Passwort: ",
            "la password è ",
            "parola d'ordine: ",
            "hasło: ",
            "hasło to ",
            "passordet er ",
            "heslo je ",
            "jelszó: ",
            "пароль: ",
            "Пароль: ",
            "мой пароль — ",
            "パスワード：",
            "パスワードは ",
            "비밀번호: ",
            "비밀번호는 ",
            "รหัสผ่านคือ ",
            "รหัสผ่าน: ",
            "סיסמה: ",
            "הסיסמה היא ",
            "mật khẩu: ",
            "kata sandi: ",
        ] {
            let text = format!("[09:12] Ana: {lead}{v} ok?");
            assert_eq!(either(&text), vec![v], "{text}");
            scanner_finds_password(&text, v);
        }
    }

    #[test]
    fn english_lead_ins() {
        let v = "Falcon2291#Q";
        for lead in [
            "password: ",
            "my password is ",
            "the password is ",
            "The password is now ",
            "pwd: ",
            "passcode ",
            "pass: ",
            "login pass: ",
            "pw: ",
            "PW=",
            "the passphrase is ",
            "PIN/password ",
            "new password = ",
            "**Password:** ",
            "password for the admin account is ",
            "password (staging): ",
            "Password - ",
            "| password | ",
        ] {
            let text = format!("Hi team, {lead}{v}. Thanks");
            assert_eq!(english(&text), vec![v], "{text}");
            scanner_finds_password(&text, v);
        }
    }

    #[test]
    fn values_with_symbols_in_config_and_prose() {
        for (text, v) in [
            ("SMTP_PASSWORD=Kqz#RtpwLMNXYBhV\n", "Kqz#RtpwLMNXYBhV"),
            ("  password: \"%aA*kP9w&Lm2\"\n", "%aA*kP9w&Lm2"),
            (
                "Also the deploy user password is &9aAAQz*Lk and the server is 10.1.2.3.",
                "&9aAAQz*Lk",
            ),
            (
                "the deploy user password is !AA*aAAa&AA9AA and",
                "!AA*aAAa&AA9AA",
            ),
            ("{\"password\": \"Xy#7*pQ!z\"}", "Xy#7*pQ!z"),
            ("dbPassword := \"k9#Lm2$Qa\"", "k9#Lm2$Qa"),
            ("'password' => 'k9#Lm2$Qa',", "k9#Lm2$Qa"),
            (
                "Server=db;User Id=app;Password=Kx9#mQ2!z;Encrypt=true",
                "Kx9#mQ2!z",
            ),
            ("login?user=bob&pass=Kx9mQ2!z&next=/home", "Kx9mQ2!z"),
            ("password: `Xy#7*pQ!z`", "Xy#7*pQ!z"),
            ("password=hunter22", "hunter22"),
            ("the password is &XCF4u6286qDm.", "&XCF4u6286qDm"),
            ("pwd: !jb33zuc8eHAP6f.", "!jb33zuc8eHAP6f"),
        ] {
            assert_eq!(english(text), vec![v], "{text}");
            // A connection string outranks the password inside it.
            if !text.starts_with("Server=") {
                scanner_finds_password(text, v);
            }
        }
    }

    #[test]
    fn random_values_that_look_like_names_at_first_sight() {
        for (text, v) in [
            ("รหัสผ่านคือ hpwrSazCFExk ", "hpwrSazCFExk"),
            ("Kennwort: XNcjjxxPRffvE.", "XNcjjxxPRffvE"),
            (
                "salasana on *TzQVtTBLyj7VmpdEPT — vaihda se",
                "*TzQVtTBLyj7VmpdEPT",
            ),
        ] {
            assert_eq!(multilingual(text), vec![v], "{text}");
        }
        assert_eq!(
            english("the passphrase is VVTTCMNGseDKw."),
            vec!["VVTTCMNGseDKw"]
        );
    }

    #[test]
    fn value_ends_before_closing_punctuation_and_text() {
        assert_eq!(english("the password is Summer2024!."), vec!["Summer2024!"]);
        assert_eq!(
            english("password: Summer2024#, user: bob"),
            vec!["Summer2024#"]
        );
        assert_eq!(multilingual("密码：Ab3#kLm9，请查收"), vec!["Ab3#kLm9"]);
        assert_eq!(multilingual("密码是「Ab3#kLm9」"), vec!["Ab3#kLm9"]);
        assert_eq!(multilingual("Passwort: „Ab3#kLm9“ bitte"), vec!["Ab3#kLm9"]);
        assert_eq!(multilingual("รหัสผ่านคือAb3#kLm9ครับ"), vec!["Ab3#kLm9"]);
    }

    #[test]
    fn placeholders_are_not_passwords() {
        for text in [
            "password: <your-password>",
            "password: ${DB_PASSWORD}",
            "password: \"{{ .Values.db.password }}\"",
            "password: %s",
            "password: xxxxxxxx",
            "password: ********",
            "password: changeme",
            "password: Password123!",
            "password: example123",
            "password: ...",
            "password: aaaaaa1",
            "password = '%(pw)s'",
            "Passwort: <Ihr Passwort>",
            "密码：xxxxxxxx",
            "contraseña: ********",
            "senha: changeme1",
        ] {
            assert!(english(text).is_empty(), "{text}: {:?}", english(text));
            assert!(multilingual(text).is_empty(), "{text}");
            assert_not_finds(text, "password_lead_in");
            assert_not_finds(text, "password_multilingual");
        }
    }

    #[test]
    fn code_references_are_not_passwords() {
        for text in [
            "DB_PASSWORD = os.environ[\"DB_PASSWORD\"]",
            "password: process.env.DB_PASSWORD",
            "password = os.getenv(\"PW\")",
            "pwd := os.Getenv(\"PWD\")",
            "password = settings.DB_PASSWORD",
            "password: !vault |",
            "password: !GetAtt Db.Password",
            "password: *default_pw",
            "password = $dbPass;",
            "password: ${{ secrets.DB_PASSWORD }}",
            "PASSWORD=$(cat /run/secrets/db)",
            "password = hashlib.sha256(data).hexdigest()",
            "password: Option<String>,",
            "password: SecretString,",
            "password: z.string().min(8),",
            "password = models.CharField(max_length=128)",
            "password = input(\"Password: \")",
            "print(f\"password: {password}\")",
            "password: ENC(Abc123xyz)",
            "if password == \"Abc123!x\":",
            "password = user_password_2",
            "PASSWORD = SECRET_VALUE",
            "export PASSWORD_FILE=/run/secrets/db_password",
            "pub const Uri_PROPERTY_PASSWORD: Uri_PROPERTY = 7i32;",
            "pub const WSManFlagCredUsernamePassword: WSManSessionFlags = 4096i32;",
            "'password': config.get(server, 'password'),",
            "passwd = fallback_getpass(prompt, stream)",
            "user, passwd = self.get_user_passwd(host, realm, i)",
            "password = Prompt.ask(\n    \"Password\")",
            "r'CurrentDataSession|CurrentPass|CurrentX|CurrentY|'",
            ":type passphrase: :py:data:`bytes`",
            "P.Minipass=P.isWritable=P.isReadable=P.isStream=void 0;",
            "user, pw = creds[\"user\"], creds[\"pw\"]",
            "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: { name: db-creds, key: password }",
        ] {
            assert!(english(text).is_empty(), "{text}: {:?}", english(text));
            assert_not_finds(text, "password_lead_in");
        }
    }

    #[test]
    fn words_paths_and_counters_are_not_passwords() {
        for text in [
            "password: required",
            "The password is incorrect.",
            "The password is unavailable right now.",
            "the password is well-known to everyone",
            "password: String",
            "password: Secret",
            "password reset link sent",
            "password-protected archive",
            "password policy2024",
            "pwd: /home/deploy/app",
            "password: https://vault.example.org/pw",
            "password: ops@acme.io",
            "password changed 2024-01-05T10:00:00Z",
            "password 2024-01-05T10:00:00Z",
            "Failed password for root from 10.0.0.5 port 22 ssh2",
            "Accepted password for deploy from 10.1.2.3 port 51234 ssh2",
            "passcode 123456789",
            "pass: 12 fail: 0",
            "PASS: tests/unit/login_test.go",
            "boarding pass: LH1234X",
            "pass: LH1234",
            "bypass: Ab3#kLm9",
            "compass=Ab3#kLm9",
            "passport: X12345678",
            "hashed_password: Ab3#kLm9zz",
            "forgot password: Ab3#kLm9zz",
            "password_hash: Ab3#kLm9zz",
            "password: Min 8 chars",
            "password abc123",
            "passwordAb3#kLm9",
        ] {
            assert!(english(text).is_empty(), "{text}: {:?}", english(text));
            assert_not_finds(text, "password_lead_in");
        }
    }

    #[test]
    fn multilingual_negatives() {
        for text in [
            "Passwort vergessen? Klicken Sie hier.",
            "Passwort zurücksetzen",
            "das Passwort ist falsch",
            "la contraseña es incorrecta",
            "le mot de passe est trop court",
            "het wachtwoord is verlopen",
            "salasana on väärä",
            "密码：请联系管理员",
            "密码错误 Error 401",
            "암호화: AES256-GCM",
            "autoclave: Ab3#kLm9",
            "resenha: Ab3#kLm9",
            "deşifre: Ab3#kLm9",
            "clave: ABC12345",
            "MDP: (S, A, P, R)",
            "пароль: неверный",
            "senha: ${SENHA_DB}",
            "Kennwort: os.environ[\"KW\"]",
        ] {
            assert!(
                multilingual(text).is_empty(),
                "{text}: {:?}",
                multilingual(text)
            );
            assert_not_finds(text, "password_multilingual");
        }
    }

    #[test]
    fn blank_separated_values_need_three_kinds_and_score_lower() {
        let text = "passcode Tiger10 to enter";
        let mut hits = Vec::new();
        find_english(text, &mut hits);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            hits[0].confidence,
            Some(ENGLISH_COPULA_CONFIDENCE - BLANK_PENALTY)
        );
        assert!(english("passcode tiger10 to enter").is_empty());
        let mut hits = Vec::new();
        find_english("passcode: Tiger10", &mut hits);
        assert_eq!(hits[0].confidence, None);
    }

    #[test]
    fn hits_stay_within_reach_of_their_word() {
        let long = format!("password for the admin account is {}", "Ab3#".repeat(40));
        assert!(english(&long).is_empty());
        let text = format!("{}password: Ab3#kLm9zz", "x".repeat(500));
        let mut hits = Vec::new();
        find_english(&text, &mut hits);
        let word = text.find("password").unwrap();
        assert!(hits.iter().all(|h| h.end - word <= MAX_LEN as usize));
    }

    #[test]
    fn streaming_in_small_pieces_finds_what_the_whole_text_holds() {
        use crate::dlp::{Scanner, StreamScanner};
        let text = format!(
            "{}Passwort: Ab3#kLm9zz und {}密码：Qx7!mNp2Lw，{} the password for the admin \
             account is &9aAAQz*Lk. {} pw: Tiger10#x\n",
            "Füllwort ".repeat(30),
            "填充".repeat(50),
            "filler ".repeat(40),
            "x".repeat(300)
        );
        let scanner = Scanner::builtin();
        let ours = |f: &crate::dlp::Finding| f.detector.starts_with("password_");
        let whole: Vec<(usize, usize)> = scanner
            .scan(&text)
            .iter()
            .filter(|f| ours(f))
            .map(|f| (f.start, f.end))
            .collect();
        assert_eq!(whole.len(), 4, "{whole:?}");
        for step in [1, 7, 64, 333] {
            let mut stream = StreamScanner::new(scanner);
            let mut streamed = Vec::new();
            let mut at = 0;
            while at < text.len() {
                let mut next = (at + step).min(text.len());
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                streamed.extend(stream.push(&text[at..next]).unwrap().findings);
                at = next;
            }
            streamed.extend(stream.finish().unwrap().findings);
            let streamed: Vec<(usize, usize)> = streamed
                .iter()
                .filter(|f| ours(f))
                .map(|f| (f.start, f.end))
                .collect();
            assert_eq!(streamed, whole, "pieces of {step} bytes");
        }
    }

    #[test]
    fn validators() {
        assert!(plausible("Summer2024!", 2, false));
        assert!(plausible("aaaaa-bbbbbb-12", 3, false));
        assert!(plausible("pQzWmRtYvBnK", 2, false));
        assert!(plausible("correcthorsebattery", 2, true));
        assert!(!plausible("correcthorsebattery", 2, false));
        assert!(!plausible("GetPassword", 2, false));
        assert!(!plausible("Abc12", 2, false));
        assert!(!plausible(&"Ab3#".repeat(33), 2, false));
        assert!(camel_words(b"SecretString"));
        assert!(camel_words(b"HTTPServer"));
        assert!(camel_words(b"getPassword"));
        assert!(!camel_words(b"VVTTCMNGseDKw"));
        assert!(camel_words(b"SecretStr"));
        assert!(camel_words(b"dbPass"));
        assert!(!camel_words(b"hpwrSazCFExk"));
        assert!(!camel_words(b"XNcjjxxPRffvE"));
        assert!(!camel_words(b"tgBxryJuMryqVxaksBV"));
        assert!(name_like(b"DB_PASSWORD"));
        assert!(name_like(b"default_pw2"));
        assert!(!name_like(b"XCF4u6286qDm"));
        assert!(!name_like(b"TzQVtTBLyj7VmpdEPT"));
        assert!(!camel_words(b"aBcDeFgH"));
        assert!(identifier("DB_PASS"));
        assert!(!identifier("Db_Pass9"));
        assert!(path_url_or_email("ops@acme.io"));
        assert!(!path_url_or_email("P@ssw0rd.1"));
        assert!(code_reference("&default"));
        assert!(!code_reference("&9aAAQz"));
        assert!(placeholder("your_password_here"));
        assert!(placeholder("svc_%s_pw"));
        assert!(placeholder("%s%s%s"));
        assert!(!placeholder("i9b357GxZ&JB%D4x"));
        assert!(!placeholder("4Q#Nj99uK%d%tyeq"));
        assert!(!placeholder("GP+WKLVTq%dcgF*mxYPp"));
        assert!(!placeholder("Tr0ub4dor&3"));
        assert_eq!(trimmed_len("Abc123!;Encrypt=true", false), 7);
        assert_eq!(trimmed_len("Ab;c123", false), 7);
    }
}
