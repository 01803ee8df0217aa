//! The shape of a detector: what it finds, how the scanner looks for it, and how a match is validated.
//!
//! Built-in detectors are `static` tables of [`Spec`] in `catalog/`; custom detectors from a
//! configuration compile to the same internal form, so the scanner treats both alike.

use serde::{Deserialize, Serialize};

/// Whether a detector finds personal data or a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Pii,
    Secret,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pii => "pii",
            Kind::Secret => "secret",
        }
    }
}

/// What happens to a finding before the text leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The whole text (or request) must not leave.
    Block,
    /// Replace characters with a mask character, optionally keeping the last N.
    Mask,
    /// Replace the match with `[CATEGORY]`.
    Redact,
    /// Replace the match with a keyed, stable hash token.
    Hash,
    /// Replace the match with a vault token that can be restored later.
    #[serde(alias = "pseudonymise")]
    Pseudonymize,
    /// Report only; the text leaves unchanged.
    Log,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Block,
        Action::Mask,
        Action::Redact,
        Action::Hash,
        Action::Pseudonymize,
        Action::Log,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Block => "block",
            Action::Mask => "mask",
            Action::Redact => "redact",
            Action::Hash => "hash",
            Action::Pseudonymize => "pseudonymize",
            Action::Log => "log",
        }
    }

    pub fn parse(name: &str) -> Option<Action> {
        match name {
            "block" => Some(Action::Block),
            "mask" => Some(Action::Mask),
            "redact" => Some(Action::Redact),
            "hash" => Some(Action::Hash),
            "pseudonymize" | "pseudonymise" => Some(Action::Pseudonymize),
            "log" => Some(Action::Log),
            _ => None,
        }
    }
}

/// A check on the matched text, run after the pattern matched. `false` drops the match.
pub type Validator = fn(&str) -> bool;

/// Like a [`Validator`], but grades the match: `None` drops it, `Some(c)` is its confidence
/// before context (e.g. a bare digit run below the threshold, its separated form above it).
pub type Scorer = fn(&str) -> Option<f32>;

/// The byte a candidate token starts with, used to dispatch anchored detectors cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// `0-9`
    Digit,
    /// `A-Z`
    Upper,
    /// `a-z` or `A-Z`
    Letter,
    /// `0-9`, `a-z` or `A-Z`
    Alnum,
    /// `0-9` or `A-Z`
    DigitOrUpper,
    /// `0-9`, `a-f` or `A-F`
    HexDigit,
    /// One of these bytes.
    OneOf(&'static [u8]),
}

impl Start {
    pub(crate) fn admits(self, byte: u8) -> bool {
        match self {
            Start::Digit => byte.is_ascii_digit(),
            Start::Upper => byte.is_ascii_uppercase(),
            Start::Letter => byte.is_ascii_alphabetic(),
            Start::Alnum => byte.is_ascii_alphanumeric(),
            Start::DigitOrUpper => byte.is_ascii_digit() || byte.is_ascii_uppercase(),
            Start::HexDigit => byte.is_ascii_hexdigit(),
            Start::OneOf(bytes) => bytes.contains(&byte),
        }
    }
}

/// A hit reported by a code matcher, in byte offsets of the scanned text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CodeHit {
    pub start: usize,
    pub end: usize,
    /// Overrides the detector's base confidence when set.
    pub confidence: Option<f32>,
}

/// Looks for a hit that begins at the word start `at` (or up to 4 bytes before it, for a
/// leading `+`, `(` or `$`), or returns `None`. It must not look further than `max_len` bytes
/// from `at`.
pub type Locator = fn(text: &str, at: usize) -> Option<CodeHit>;

/// A matcher written in Rust (names, places, addresses, e-mail...). It must be local: whether a
/// hit exists may depend only on text within `max_len` bytes of it, so streaming stays exact.
pub type CodeMatcher = fn(text: &str, hits: &mut Vec<CodeHit>);

/// How the scanner finds candidates for a detector.
#[derive(Clone, Copy)]
pub enum Matcher {
    /// The pattern is tried anchored at the start of every alphanumeric run that begins at a word
    /// boundary (the byte before is not `[A-Za-z0-9_]`), whose first byte is admitted by `start`
    /// and whose first run (maximal `[A-Za-z0-9]` bytes) has a length in `first_run`. A match must
    /// end at a word boundary too. Use this for identifiers that start at a word: cards, IBANs,
    /// national ids. Patterns are written without `^`/`\b`; the scanner anchors them.
    Anchored {
        start: Start,
        first_run: (u8, u8),
        pattern: &'static str,
        max_len: u16,
        validate: Option<Validator>,
    },
    /// As `Anchored`, but the match is found by Rust code instead of a pattern. It shares the
    /// scanner's one pass over word starts, so it costs nothing at words it cannot start with.
    /// (The number-continuation rule of `Anchored` is the locator's own choice here.)
    Located {
        start: Start,
        first_run: (u8, u8),
        max_len: u16,
        locate: Locator,
    },
    /// As `Anchored`, with a scorer that sets each match's confidence instead of a yes/no check.
    Scored {
        start: Start,
        first_run: (u8, u8),
        pattern: &'static str,
        max_len: u16,
        score: Scorer,
    },
    /// The pattern runs unanchored over `[hit - before, hit_end + max_len]` around every
    /// ASCII-case-insensitive occurrence of a trigger literal. Use this for prefixed secrets
    /// (`ghp_`, `AKIA`) and for values that only count next to a keyword (`passport: X1234567`).
    Triggered {
        triggers: &'static [&'static str],
        before: u16,
        pattern: &'static str,
        max_len: u16,
        validate: Option<Validator>,
    },
    /// A matcher written in Rust. `triggers` gate it: it runs only when one of them occurs
    /// (ASCII case-insensitive); an empty list means it always runs. A gated matcher must only
    /// report hits that lie within `max_len` bytes of an occurrence of one of its triggers: the
    /// streaming scanner holds text back around recent triggers only.
    Code {
        triggers: &'static [&'static str],
        max_len: u16,
        find: CodeMatcher,
    },
}

impl Matcher {
    pub fn max_len(&self) -> usize {
        match *self {
            Matcher::Anchored { max_len, .. }
            | Matcher::Scored { max_len, .. }
            | Matcher::Located { max_len, .. }
            | Matcher::Triggered { max_len, .. }
            | Matcher::Code { max_len, .. } => max_len as usize,
        }
    }
}

/// A built-in detector.
#[derive(Clone, Copy)]
pub struct Spec {
    /// Stable snake_case id, e.g. `credit_card`, `github_pat`.
    pub id: &'static str,
    /// Entity type in SCREAMING_SNAKE_CASE, e.g. `CREDIT_CARD`; `redact` writes `[CATEGORY]`.
    pub category: &'static str,
    pub kind: Kind,
    /// ISO 3166-1 alpha-2 country code, or `None` for global identifiers.
    pub country: Option<&'static str>,
    /// How a match is checked, e.g. `luhn`, `mod97`, `verhoeff`, `format`, `entropy`, `context`.
    pub validation: &'static str,
    pub default_action: Action,
    /// Confidence of a validated match with no context word nearby, in `0.0..=1.0`.
    pub confidence: f32,
    /// Lowercase context words or phrases, matched as whole words near the match.
    pub context: &'static [&'static str],
    /// Without a context word nearby the match is dropped.
    pub context_required: bool,
    pub matcher: Matcher,
}

impl Spec {
    /// A PII detector with the defaults most identifiers share; adjust fields with struct update.
    pub const fn pii(id: &'static str, category: &'static str, matcher: Matcher) -> Spec {
        Spec {
            id,
            category,
            kind: Kind::Pii,
            country: None,
            validation: "format",
            default_action: Action::Mask,
            confidence: 0.5,
            context: &[],
            context_required: false,
            matcher,
        }
    }

    /// A secret detector with the defaults most credentials share; adjust fields with struct update.
    pub const fn secret(id: &'static str, category: &'static str, matcher: Matcher) -> Spec {
        Spec {
            id,
            category,
            kind: Kind::Secret,
            country: None,
            validation: "format",
            default_action: Action::Block,
            confidence: 0.9,
            context: &[],
            context_required: false,
            matcher,
        }
    }
}

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("id", &self.id)
            .field("category", &self.category)
            .field("kind", &self.kind)
            .field("country", &self.country)
            .finish_non_exhaustive()
    }
}
