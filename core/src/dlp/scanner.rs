//! The scanning engine: compiles detectors once, then finds, scores and de-overlaps matches in text.
//!
//! One scan makes a fixed number of passes whatever the number of detectors: one Aho-Corasick pass
//! for every keyword (secret prefixes, gating triggers, context words), one byte pass that tries
//! anchored identifiers only at word starts whose shape fits, and then regexes confined to small
//! windows around trigger hits. Every detector is local (a hit depends only on text within its
//! `max_len` and the context window), which is what lets the streaming scanner reproduce a
//! whole-text scan exactly.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use aho_corasick::automaton::Automaton as _;
use aho_corasick::MatchKind;
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::meta::Regex;
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, Input};

use super::catalog;
use super::config::{ScannerConfig, Selector};
use super::detector::{
    Action, CodeHit, CodeMatcher, Kind, Locator, Matcher, Scorer, Spec, Start, Validator,
};
use super::walk::walk_anchored;
use crate::error::{Error, ErrorCode, Result};

/// Bytes before a match in which a context word counts.
pub const CONTEXT_BEFORE: usize = 64;
/// Bytes after a match in which a context word counts.
pub const CONTEXT_AFTER: usize = 32;
/// What a context word adds to a match's confidence.
pub const CONTEXT_BOOST: f32 = 0.2;
/// Findings below this confidence are dropped unless the configuration says otherwise.
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

/// A detected span. Offsets are bytes into the scanned text; the text itself is never stored,
/// so a finding can be logged, printed or serialised without leaking what it found.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub detector: Arc<str>,
    pub category: Arc<str>,
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
    pub action: Action,
}

/// What a detector is, for listings and reports.
#[derive(Clone, Debug, PartialEq)]
pub struct DetectorInfo {
    pub id: Arc<str>,
    pub category: Arc<str>,
    pub kind: Kind,
    pub country: Option<Arc<str>>,
    pub validation: Arc<str>,
    pub default_action: Action,
    /// The action this scanner applies (the configuration may override the default).
    pub action: Action,
    pub confidence: f32,
    pub context_required: bool,
    pub builtin: bool,
}

enum Engine {
    Anchored {
        start: Start,
        first_run: (u8, u8),
        re: Regex,
        check: Check,
        /// The pattern's DFA (see `anchored_dfa`); `None` leaves it to `re` alone.
        dfa: Option<Box<dense::DFA<Vec<u32>>>>,
        /// The pattern's number in `AnchoredUnion`.
        union_id: usize,
    },
    Located {
        start: Start,
        first_run: (u8, u8),
        locate: Locator,
    },
    Triggered {
        before: usize,
        re: Regex,
        validate: Option<Validator>,
    },
    Code {
        find: CodeMatcher,
        gated: bool,
    },
    /// A custom pattern from configuration: runs over the whole text.
    Pattern {
        re: Regex,
        validate: Option<Validator>,
    },
    /// A keyword dictionary: its terms are keywords, found by the keyword pass.
    Dictionary,
}

/// A fully compiled anchored DFA for an anchored pattern. Running it costs a table walk over a
/// few bytes, where the general regex engine pays a search setup on every word; most words are
/// kept from it by the two-byte openings in `StartTable`. `None` when the DFA would be too large
/// (the regex then decides alone).
fn anchored_dfa(pattern: &str) -> Option<Box<dense::DFA<Vec<u32>>>> {
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .dfa_size_limit(Some(4 << 20))
                .determinize_size_limit(Some(4 << 20)),
        )
        .build(&anchored_pattern(pattern))
        .ok()?;
    anchored_start(&dfa)?;
    Some(Box::new(dfa))
}

fn anchored_start(dfa: &dense::DFA<Vec<u32>>) -> Option<StateID> {
    dfa.start_state_forward(&Input::new("").anchored(Anchored::Yes))
        .ok()
}

/// Whether a match of `dfa` from `start` can begin with the bytes `first` (ASCII), `second`.
/// A byte the DFA cannot decide (quit) after the first counts as possible: the regex decides.
fn may_open(dfa: &dense::DFA<Vec<u32>>, start: StateID, first: u8, second: u8) -> bool {
    let after_first = dfa.next_state(start, first);
    if dfa.is_dead_state(after_first) || dfa.is_quit_state(after_first) {
        return false;
    }
    let after_second = dfa.next_state(after_first, second);
    dfa.is_quit_state(after_second) || !dfa.is_dead_state(after_second)
}

/// Every built-in anchored pattern in one DFA that reports all patterns matching at a word start
/// (match kind `All`), and the longest `max_len` among them. Digit runs open a dozen national
/// identifiers at once; one walk here tells which of them can match at all, so only those walk
/// their own DFA (for their own match semantics). Built once per process and shared by every
/// scanner: pattern `k` is the `k`-th anchored or scored spec of the catalogue, which is how
/// `Scanner::from_config` numbers `union_id`. `anchored_union` gives `None` when the union would
/// be too large, and every anchored detector then walks its own DFA.
struct AnchoredUnion {
    dfa: dense::DFA<Vec<u32>>,
    longest: usize,
}

fn anchored_union() -> Option<&'static AnchoredUnion> {
    static UNION: OnceLock<Option<AnchoredUnion>> = OnceLock::new();
    UNION
        .get_or_init(|| {
            let mut patterns = Vec::new();
            let mut longest = 0;
            for spec in catalog::builtin() {
                if let Some(pattern) = anchored_spec_pattern(spec) {
                    patterns.push(anchored_pattern(pattern));
                    longest = longest.max(spec.matcher.max_len());
                }
            }
            let dfa = dense::Builder::new()
                .configure(
                    dense::Config::new()
                        .start_kind(StartKind::Anchored)
                        .match_kind(regex_automata::MatchKind::All)
                        .dfa_size_limit(Some(16 << 20))
                        .determinize_size_limit(Some(16 << 20)),
                )
                .build_many(&patterns)
                .ok()?;
            Some(AnchoredUnion { dfa, longest })
        })
        .as_ref()
}

/// The pattern of an anchored or scored spec, the ones `AnchoredUnion` holds.
fn anchored_spec_pattern(spec: &Spec) -> Option<&'static str> {
    match spec.matcher {
        Matcher::Anchored { pattern, .. } | Matcher::Scored { pattern, .. } => Some(pattern),
        _ => None,
    }
}

impl AnchoredUnion {
    /// Marks in `possible` (a bit per union pattern) the patterns that match at `start`.
    /// Returns `false` when the walk could not decide (every pattern stays possible then).
    fn mark(&self, bytes: &[u8], start: usize, possible: &mut [u64]) -> bool {
        possible.fill(0);
        let end = (start + self.longest).min(bytes.len());
        walk_anchored(&self.dfa, bytes, start, end, |state, _| {
            for k in 0..self.dfa.match_len(state) {
                let pattern = self.dfa.match_pattern(state, k).as_usize();
                possible[pattern / 64] |= 1 << (pattern % 64);
            }
        })
    }
}

/// An anchored detector's pattern as matched: it must end at a word end.
fn anchored_pattern(pattern: &str) -> String {
    format!(r"(?:{pattern})(?-u:\b{{end-half}})")
}

/// How an anchored match is confirmed.
#[derive(Clone, Copy)]
enum Check {
    None,
    Validate(Validator),
    Score(Scorer),
}

impl Check {
    /// The match's confidence, `Some(None)` for the detector's own, or `None` to drop it.
    fn grade(self, matched: &str) -> Option<Option<f32>> {
        match self {
            Check::None => Some(None),
            Check::Validate(v) => v(matched).then_some(None),
            Check::Score(s) => s(matched).map(Some),
        }
    }
}

struct Compiled {
    info: DetectorInfo,
    engine: Engine,
    max_len: usize,
    context: Vec<u32>,
}

/// Trigger literals and context words, ASCII-case-insensitive, found in one pass over the text.
/// The full automaton over a thousand keywords is megabytes, and stepping it at every byte
/// misses the cache at every byte; so `Openings` first asks, from small bitmaps, whether a
/// keyword can begin at a position (its first three bytes), and only there the automaton walks,
/// anchored, for the few bytes it takes to die.
struct Keywords {
    dfa: aho_corasick::dfa::DFA,
    openings: Openings,
    /// Per keyword id: what detectors use it for.
    roles: Vec<KeywordRole>,
    /// Whether some keyword is a trigger or a term, so that every scan makes the keyword pass
    /// anyway (without, context words are searched per candidate; see `ContextHits`).
    always_pass: bool,
}

/// What one keyword is to the detectors.
#[derive(Default)]
struct KeywordRole {
    /// The detectors it triggers (empty for a context word only).
    triggers: Vec<u32>,
    /// Whether detectors use it as a context word.
    is_context: bool,
    /// The dictionary detector that listed it first as a term.
    term_of: Option<u32>,
}

impl KeywordRole {
    /// A trigger or a term counts wherever it occurs; a context word only near a candidate.
    fn needs_pass(&self) -> bool {
        !self.triggers.is_empty() || self.term_of.is_some()
    }
}

impl Keywords {
    /// Calls `hit(keyword, start, end)` for every occurrence, overlapping ones included, in
    /// order of `start`.
    fn each(&self, bytes: &[u8], mut hit: impl FnMut(usize, usize, usize)) {
        let dfa = &self.dfa;
        let Ok(anchored_start) = dfa.start_state(aho_corasick::Anchored::Yes) else {
            return;
        };
        let mut walk_from = |from: usize| {
            let mut state = anchored_start;
            for (at, &byte) in (from + 1..).zip(&bytes[from..]) {
                state = dfa.next_state(aho_corasick::Anchored::Yes, state, byte);
                if dfa.is_special(state) {
                    if dfa.is_dead(state) {
                        break;
                    }
                    for i in 0..dfa.match_len(state) {
                        let keyword = dfa.match_pattern(state, i);
                        // A state's matches include keywords that end here but began later
                        // (suffixes of the path); those are found from their own start.
                        if at - dfa.pattern_len(keyword) == from {
                            hit(keyword.as_usize(), from, at);
                        }
                    }
                }
            }
        };
        // With few keywords the automaton has a prefilter (memchr and friends), which skips to
        // each position where one may start faster than any per-byte test.
        if let Some(prefilter) = dfa.prefilter() {
            let mut at = 0;
            while at < bytes.len() {
                let span = aho_corasick::Span::from(at..bytes.len());
                let Some(from) = prefilter.find_in(bytes, span).into_option() else {
                    return;
                };
                walk_from(from);
                at = from + 1;
            }
            return;
        }
        let openings = &self.openings;
        let mut singles = openings.singles(bytes);
        let mut next_single = singles.next();
        let mut single_at = |from: usize| {
            let here = next_single == Some(from);
            if here {
                next_single = singles.next();
            }
            here
        };
        // Three folded bytes, the last in the low byte; the loop keeps the test to one probe.
        let n = bytes.len();
        let body = n.saturating_sub(2);
        let mut key = bytes
            .iter()
            .take(2)
            .fold(0, |key, b| key << 8 | Openings::fold(*b));
        for from in 0..body {
            key = (key << 8 | Openings::fold(bytes[from + 2])) & 0xFF_FFFF;
            if single_at(from) || openings.has_three(key) {
                walk_from(from);
            }
        }
        // The last two positions: only a keyword of one or two bytes fits.
        for from in body..n {
            if single_at(from) || openings.has_short {
                walk_from(from);
            }
        }
    }
}

/// Which positions may begin a keyword, from the three folded bytes there (hashed into a
/// bitmap); a two-byte keyword opens every triple it begins. The rare one-byte keyword is found
/// by `memchr` instead, so that the test at every byte stays one probe. ASCII letters are folded
/// to lowercase first, as the automaton does.
struct Openings {
    three: Vec<u64>,
    /// The bytes of one-byte keywords, in both cases; every byte when a keyword is empty.
    singles: Vec<u8>,
    /// A keyword of two bytes or fewer: near the end of the text a pair alone may open one.
    has_short: bool,
}

impl Openings {
    const THREE_BITS: u32 = 17;

    fn new(words: &[String]) -> Openings {
        let mut openings = Openings {
            three: vec![0; (1 << Self::THREE_BITS) / 64],
            singles: Vec::new(),
            has_short: false,
        };
        let key = |a: u8, b: u8, c: u8| Self::fold(a) << 16 | Self::fold(b) << 8 | Self::fold(c);
        for word in words {
            openings.has_short |= word.len() <= 2;
            match *word.as_bytes() {
                // An empty keyword occurs everywhere.
                [] => openings.singles.extend(0..=255),
                [a] => openings
                    .singles
                    .extend([a.to_ascii_lowercase(), a.to_ascii_uppercase()]),
                [a, b] => (0..=255).for_each(|c| openings.set(key(a, b, c))),
                [a, b, c, ..] => openings.set(key(a, b, c)),
            }
        }
        openings.singles.sort_unstable();
        openings.singles.dedup();
        openings
    }

    #[inline(always)]
    fn fold(b: u8) -> u32 {
        u32::from(FOLDED[usize::from(b)])
    }

    #[inline(always)]
    fn slot(key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> (32 - Self::THREE_BITS)) as usize
    }

    fn set(&mut self, key: u32) {
        let k = Self::slot(key);
        self.three[k / 64] |= 1 << (k % 64);
    }

    #[inline(always)]
    fn has_three(&self, key: u32) -> bool {
        let k = Self::slot(key);
        self.three[k / 64] & (1 << (k % 64)) != 0
    }

    /// Where one-byte keywords occur in `bytes`, in order.
    fn singles<'b>(&'b self, bytes: &'b [u8]) -> Box<dyn Iterator<Item = usize> + 'b> {
        match self.singles[..] {
            [] => Box::new(std::iter::empty()),
            [a] => Box::new(memchr::memchr_iter(a, bytes)),
            [a, b] => Box::new(memchr::memchr2_iter(a, b, bytes)),
            [a, b, c] => Box::new(memchr::memchr3_iter(a, b, c, bytes)),
            _ => Box::new(
                (0..bytes.len()).filter(move |&at| self.singles.binary_search(&bytes[at]).is_ok()),
            ),
        }
    }
}

/// Builds the keyword table: each distinct lowercase word gets one id.
#[derive(Default)]
struct KeywordTable {
    ids: HashMap<String, u32>,
    words: Vec<String>,
    roles: Vec<KeywordRole>,
    longest_trigger: usize,
    longest_context_word: usize,
}

impl KeywordTable {
    fn intern(&mut self, word: &str) -> u32 {
        let key = word.to_ascii_lowercase();
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(key.clone(), id);
        self.words.push(key);
        self.roles.push(KeywordRole::default());
        id
    }

    fn trigger(&mut self, word: &str, detector: u32) {
        let id = self.intern(word) as usize;
        self.roles[id].triggers.push(detector);
        self.longest_trigger = self.longest_trigger.max(word.len());
    }

    /// A dictionary term of `detector`; a term listed twice belongs to the first to list it.
    fn term(&mut self, term: &str, detector: u32) {
        let id = self.intern(term) as usize;
        self.roles[id].term_of.get_or_insert(detector);
    }

    /// The sorted ids of a detector's context words.
    fn context<'a>(&mut self, words: impl Iterator<Item = &'a str>) -> Vec<u32> {
        let mut ids: Vec<u32> = words
            .map(|w| {
                let id = self.intern(w);
                self.roles[id as usize].is_context = true;
                self.longest_context_word = self.longest_context_word.max(w.len());
                id
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// A full DFA: the word set is fixed per scanner and the search runs on every prompt.
    fn build(self) -> Result<Option<Keywords>> {
        self.build_with(true)
    }

    /// `prefilter: false` leaves the automaton without one even for a few keywords, so that
    /// tests reach the `Openings` loop that large keyword sets take.
    fn build_with(self, prefilter: bool) -> Result<Option<Keywords>> {
        if self.words.is_empty() {
            return Ok(None);
        }
        let dfa = aho_corasick::dfa::Builder::new()
            .prefilter(prefilter)
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(&self.words)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("keyword automaton: {e}")))?;
        Ok(Some(Keywords {
            dfa,
            openings: Openings::new(&self.words),
            always_pass: self.roles.iter().any(KeywordRole::needs_pass),
            roles: self.roles,
        }))
    }
}

/// Where scoring finds context words.
enum ContextHits {
    /// Whole-word context-word occurrences of the text as `(end, start, keyword)`, sorted by end:
    /// gathered by the keyword pass, which every scan with trigger literals makes anyway.
    Gathered(Vec<(usize, usize, u32)>),
    /// No keyword pass was made (a scanner without triggers, e.g. a few anchored detectors):
    /// each candidate searches its own window, cheaper than a pass over text with few candidates.
    PerWindow,
}

struct AllowList {
    values: std::collections::HashSet<String>,
    patterns: Vec<Regex>,
}

/// A compiled set of detectors with their actions. Cheap to share across threads.
pub struct Scanner {
    detectors: Vec<Compiled>,
    keywords: Option<Keywords>,
    longest_context_word: usize,
    /// Anchored and located detectors by the first two bytes of a word start.
    starts: StartTable,
    /// The union of anchored patterns, when this scanner has two or more anchored detectors
    /// (built with the first such scanner, not at its first scan).
    union: Option<&'static AnchoredUnion>,
    always_code: Vec<u32>,
    patterns: Vec<u32>,
    allow: AllowList,
    min_confidence: f32,
    longest_match: usize,
    longest_before: usize,
    /// Longest extent of a hit that is not bounded by a trigger window (anchored, code,
    /// patterns, dictionaries), and the look-behind plus trigger length of triggered ones.
    settled_extent: usize,
    longest_literal: usize,
    mask: super::config::MaskConfig,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("detectors", &self.detectors.len())
            .field("min_confidence", &self.min_confidence)
            .finish_non_exhaustive()
    }
}

/// A raw hit before scoring.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Candidate {
    pub(crate) detector: u32,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) confidence: f32,
}

/// Limits applied to patterns that come from configuration.
const CUSTOM_PATTERN_SIZE_LIMIT: usize = 1 << 20;
const CUSTOM_PATTERN_MAX_LEN: usize = 4096;

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `[A-Za-z0-9]` as one table load: the word loop asks it of nearly every byte.
static IS_ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// ASCII letters folded to lowercase, as one table load: the keyword pass folds every byte.
static FOLDED: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).to_ascii_lowercase();
        b += 1;
    }
    table
};

/// `bytes[start..end]` is not part of a longer alphanumeric run.
fn is_whole_word(bytes: &[u8], start: usize, end: usize) -> bool {
    (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
        && (end == bytes.len() || !bytes[end].is_ascii_alphanumeric())
}

fn build_regex(pattern: &str, anchored_suffix: bool, size_limit: usize) -> Result<Regex, String> {
    let full = if anchored_suffix {
        anchored_pattern(pattern)
    } else {
        pattern.to_string()
    };
    Regex::builder()
        .configure(
            Regex::config()
                .nfa_size_limit(Some(size_limit))
                .hybrid_cache_capacity(2 << 20)
                .dfa(false),
        )
        .build(&full)
        .map_err(|e| {
            if e.size_limit().is_some() {
                format!("compiled pattern exceeds {} bytes", size_limit)
            } else {
                // regex syntax errors quote the pattern, which is configuration, not scanned text
                e.to_string()
            }
        })
}

impl Scanner {
    /// The default profile: every built-in detector with its default action. Built once.
    pub fn builtin() -> &'static Scanner {
        static BUILTIN: OnceLock<Scanner> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Scanner::from_config(&ScannerConfig::default()).expect(
                "the built-in catalogue compiles; a failure here is caught by the catalogue tests",
            )
        })
    }

    /// Builds a scanner from a configuration (built-in selection, actions, custom detectors).
    pub fn from_config(config: &ScannerConfig) -> Result<Scanner> {
        let mut detectors: Vec<Compiled> = Vec::new();
        let mut keywords = KeywordTable::default();

        let selection = config.builtin_selection()?;
        let mut anchored_specs = 0;
        for spec in catalog::builtin() {
            let union_id = anchored_specs;
            if anchored_spec_pattern(spec).is_some() {
                anchored_specs += 1;
            }
            if !selection.includes(spec) {
                continue;
            }
            let engine = compile_spec(spec, union_id).map_err(|m| {
                Error::new(
                    ErrorCode::Internal,
                    format!("built-in detector `{}`: {m}", spec.id),
                )
            })?;
            let index = detectors.len() as u32;
            match spec.matcher {
                Matcher::Triggered { triggers, .. } | Matcher::Code { triggers, .. } => {
                    for t in triggers {
                        keywords.trigger(t, index);
                    }
                }
                Matcher::Anchored { .. } | Matcher::Scored { .. } | Matcher::Located { .. } => {}
            }
            let info = DetectorInfo {
                id: spec.id.into(),
                category: spec.category.into(),
                kind: spec.kind,
                country: spec.country.map(Into::into),
                validation: spec.validation.into(),
                default_action: spec.default_action,
                action: spec.default_action,
                confidence: spec.confidence,
                context_required: spec.context_required,
                builtin: true,
            };
            detectors.push(Compiled {
                info,
                engine,
                max_len: spec.matcher.max_len(),
                context: keywords.context(spec.context.iter().copied()),
            });
        }

        for custom in &config.custom {
            if detectors.iter().any(|d| *d.info.id == *custom.id) {
                return Err(Error::new(
                    ErrorCode::DuplicateDetector,
                    format!(
                        "custom detector `{}` has the id of another detector",
                        custom.id
                    ),
                ));
            }
            let validate = match &custom.validator {
                None => None,
                Some(name) => Some(
                    super::checksum::named_validator(name)
                        .ok_or_else(|| {
                            Error::new(
                                ErrorCode::UnknownValidator,
                                format!(
                                    "custom detector `{}`: no validator named `{name}`",
                                    custom.id
                                ),
                            )
                        })?
                        .check,
                ),
            };
            let index = detectors.len() as u32;
            let (engine, max_len) = match (&custom.pattern, custom.terms()?) {
                (Some(pattern), None) => {
                    let re = build_regex(pattern, false, CUSTOM_PATTERN_SIZE_LIMIT).map_err(|m| {
                        let code = if m.starts_with("compiled pattern exceeds") {
                            ErrorCode::PatternTooLarge
                        } else {
                            ErrorCode::InvalidPattern
                        };
                        Error::new(code, format!("custom detector `{}`: {m}", custom.id))
                    })?;
                    let max_len = custom.max_len.unwrap_or(256).min(CUSTOM_PATTERN_MAX_LEN);
                    (Engine::Pattern { re, validate }, max_len)
                }
                (None, Some(terms)) => {
                    let mut longest = 0;
                    for term in terms {
                        let term = term.trim();
                        if term.is_empty() {
                            continue;
                        }
                        longest = longest.max(term.len());
                        keywords.term(term, index);
                    }
                    (Engine::Dictionary, longest)
                }
                _ => {
                    return Err(Error::new(
                        ErrorCode::InvalidConfig,
                        format!(
                            "custom detector `{}`: give exactly one of `pattern` or `terms`/`terms_file`",
                            custom.id
                        ),
                    ))
                }
            };
            detectors.push(Compiled {
                info: custom.info(),
                engine,
                max_len,
                context: keywords.context(custom.context.iter().map(String::as_str)),
            });
        }

        // Most specific selector wins: id, then category, then country, then kind, then `*`.
        let actions = config
            .actions
            .iter()
            .map(|(s, &a)| Ok((Selector::parse(s)?, a)))
            .collect::<Result<Vec<_>>>()?;
        for (selector, _) in &actions {
            if !detectors.iter().any(|d| selector.matches_info(&d.info)) {
                return Err(Error::new(
                    ErrorCode::UnknownDetector,
                    format!(
                        "actions: `{}` names no detector, category or kind",
                        selector.text()
                    ),
                ));
            }
        }
        for d in detectors.iter_mut() {
            let best = actions
                .iter()
                .filter(|(s, _)| s.matches_info(&d.info))
                .max_by_key(|(s, _)| s.specificity());
            if let Some((_, action)) = best {
                d.info.action = *action;
            }
        }

        let longest_context_word = keywords.longest_context_word;
        let longest_literal = keywords.longest_trigger;
        let keywords = keywords.build()?;

        let starts = StartTable::new(&detectors);
        let anchored = detectors
            .iter()
            .filter(|d| matches!(d.engine, Engine::Anchored { .. }))
            .count();
        let union = if anchored > 1 { anchored_union() } else { None };
        let mut always_code = Vec::new();
        let mut patterns = Vec::new();
        let mut longest_before = 0;
        for (i, d) in detectors.iter().enumerate() {
            match &d.engine {
                Engine::Code { gated: false, .. } => always_code.push(i as u32),
                Engine::Pattern { .. } => patterns.push(i as u32),
                Engine::Triggered { before, .. } => longest_before = longest_before.max(*before),
                Engine::Code { gated: true, .. } => longest_before = longest_before.max(d.max_len),
                _ => {}
            }
        }
        let longest_match = detectors.iter().map(|d| d.max_len).max().unwrap_or(0);
        let settled_extent = detectors
            .iter()
            .map(|d| match d.engine {
                Engine::Triggered { before, .. } => before + longest_literal,
                Engine::Code { gated: true, .. } => longest_literal,
                _ => d.max_len,
            })
            .max()
            .unwrap_or(0);

        let allow = AllowList {
            values: config.allow.values.iter().cloned().collect(),
            patterns: config
                .allow
                .patterns
                .iter()
                .map(|p| {
                    build_regex(&format!("^(?:{p})$"), false, CUSTOM_PATTERN_SIZE_LIMIT).map_err(
                        |m| Error::new(ErrorCode::InvalidPattern, format!("allow.patterns: {m}")),
                    )
                })
                .collect::<Result<_>>()?,
        };
        let min_confidence = config.min_confidence.unwrap_or(DEFAULT_MIN_CONFIDENCE);
        if !(0.0..=1.0).contains(&min_confidence) {
            return Err(Error::new(
                ErrorCode::InvalidConfig,
                "min_confidence must be within 0.0..=1.0",
            ));
        }

        Ok(Scanner {
            detectors,
            keywords,
            longest_context_word,
            starts,
            union,
            always_code,
            patterns,
            allow,
            min_confidence,
            longest_match,
            longest_before,
            settled_extent,
            longest_literal,
            mask: config.mask.clone(),
        })
    }

    /// How `mask` writes over text, as configured.
    pub fn mask_config(&self) -> &super::config::MaskConfig {
        &self.mask
    }

    /// Every detector of this scanner, in catalogue order.
    pub fn detectors(&self) -> impl Iterator<Item = &DetectorInfo> {
        self.detectors.iter().map(|d| &d.info)
    }

    /// Finds personal data and secrets in `text`. Findings are sorted by start and never overlap.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let candidates = self.candidates(text);
        self.resolve(text, candidates, 0)
    }

    /// Text to keep before the release point so hits after it see all they depend on.
    pub(crate) fn lookback(&self) -> usize {
        self.longest_match + self.longest_before + CONTEXT_BEFORE + 1
    }

    /// Bytes a [`StreamScanner`](super::StreamScanner) holds back while no trigger window is
    /// open: the longest extent of an untriggered hit plus the context window after it.
    pub fn stream_holdback(&self) -> usize {
        self.undetermined_tail()
    }

    /// Text at the end of a stream that may still change: hits starting there are not final.
    /// Trigger windows are accounted for separately (see `candidates_and_horizon`), so a long
    /// private-key pattern only holds text back once its trigger has been seen.
    pub(crate) fn undetermined_tail(&self) -> usize {
        self.settled_extent + CONTEXT_AFTER + self.longest_literal + 1
    }

    /// Raw hits of every detector, scored and filtered but not yet de-overlapped.
    pub(crate) fn candidates(&self, text: &str) -> Vec<Candidate> {
        self.candidates_and_horizon(text).0
    }

    /// Raw hits, and the earliest start of a trigger window that runs past the end of `text`
    /// (a hit there may still change when more text arrives), or `text.len()` if none does.
    pub(crate) fn candidates_and_horizon(&self, text: &str) -> (Vec<Candidate>, usize) {
        let (mut raw, open_window, context) = self.gather(text);
        self.score(text, &mut raw, &context);
        (raw, open_window)
    }

    /// Every detector's hits as gathered, before context scoring, thresholds and allow-lists.
    #[cfg(test)]
    pub(crate) fn unscored_candidates(&self, text: &str) -> (Vec<Candidate>, usize) {
        let (raw, open_window, _) = self.gather(text);
        (raw, open_window)
    }

    /// Raw hits, the trigger-window horizon (see `candidates_and_horizon`) and the context words
    /// found on the way.
    fn gather(&self, text: &str) -> (Vec<Candidate>, usize, ContextHits) {
        let bytes = text.as_bytes();
        let mut open_window = text.len();
        let mut raw: Vec<Candidate> = Vec::new();
        let mut trigger_ranges: Vec<(u32, usize, usize)> = Vec::new();
        let mut gated_code: Vec<u32> = Vec::new();
        let mut context_hits = Vec::new();
        let mut context = ContextHits::PerWindow;
        // The longest dictionary term at each start, in order of start.
        let mut term_hits: Vec<(usize, usize, u32)> = Vec::new();

        if let Some(keywords) = self.keywords.as_ref().filter(|k| k.always_pass) {
            keywords.each(bytes, |keyword, s, e| {
                let role = &keywords.roles[keyword];
                if role.is_context && is_whole_word(bytes, s, e) {
                    context_hits.push((e, s, keyword as u32));
                }
                if let Some(d) = role.term_of {
                    // Hits from one start come shortest first.
                    match term_hits.last_mut() {
                        Some(last) if last.0 == s => *last = (s, e, d),
                        _ => term_hits.push((s, e, d)),
                    }
                }
                for &d in &role.triggers {
                    match &self.detectors[d as usize].engine {
                        Engine::Triggered { before, .. } => {
                            let max_len = self.detectors[d as usize].max_len;
                            let lo = s.saturating_sub(*before);
                            if e + max_len >= text.len() {
                                open_window = open_window.min(lo);
                            }
                            trigger_ranges.push((d, lo, (e + max_len).min(text.len())));
                        }
                        Engine::Code { .. } => {
                            let max_len = self.detectors[d as usize].max_len;
                            if e + max_len >= text.len() {
                                open_window = open_window.min(s.saturating_sub(max_len));
                            }
                            gated_code.push(d);
                        }
                        _ => {}
                    }
                }
            });
            // `context_near` looks hits up by where they end.
            context_hits.sort_unstable();
            context = ContextHits::Gathered(context_hits);
        }

        self.anchored_pass(text, &mut raw);

        trigger_ranges.sort_unstable();
        let mut i = 0;
        while i < trigger_ranges.len() {
            let (d, lo, mut hi) = trigger_ranges[i];
            let mut j = i + 1;
            while j < trigger_ranges.len() && trigger_ranges[j].0 == d && trigger_ranges[j].1 <= hi
            {
                hi = hi.max(trigger_ranges[j].2);
                j += 1;
            }
            if let Engine::Triggered { re, validate, .. } = &self.detectors[d as usize].engine {
                let lo = floor_char_boundary(text, lo);
                let hi = ceil_char_boundary(text, hi);
                for m in re.find_iter(Input::new(text).range(lo..hi)) {
                    if m.is_empty() {
                        continue;
                    }
                    let matched = &text[m.start()..m.end()];
                    if validate.is_none_or(|v| v(matched)) {
                        raw.push(self.candidate(d, m.start(), m.end(), None));
                    }
                }
            }
            i = j;
        }

        gated_code.sort_unstable();
        gated_code.dedup();
        let mut code_hits = Vec::new();
        for &d in gated_code.iter().chain(&self.always_code) {
            if let Engine::Code { find, .. } = &self.detectors[d as usize].engine {
                code_hits.clear();
                find(text, &mut code_hits);
                for &CodeHit {
                    start,
                    end,
                    confidence,
                } in &code_hits
                {
                    if start < end
                        && end <= text.len()
                        && text.is_char_boundary(start)
                        && text.is_char_boundary(end)
                    {
                        raw.push(self.candidate(d, start, end, confidence));
                    }
                }
            }
        }

        for &d in &self.patterns {
            if let Engine::Pattern { re, validate } = &self.detectors[d as usize].engine {
                let max_len = self.detectors[d as usize].max_len;
                for m in re.find_iter(Input::new(text)) {
                    if m.is_empty() || m.len() > max_len {
                        continue;
                    }
                    if validate.is_none_or(|v| v(&text[m.start()..m.end()])) {
                        raw.push(self.candidate(d, m.start(), m.end(), None));
                    }
                }
            }
        }

        // A dictionary matches leftmost-longest without overlaps, then whole words only.
        let mut covered_to = 0;
        for (s, e, d) in term_hits {
            if s < covered_to {
                continue;
            }
            covered_to = e;
            let left_ok = s == 0 || !is_word_byte(bytes[s - 1]);
            let right_ok = e == bytes.len() || !is_word_byte(bytes[e]);
            if left_ok && right_ok && text.is_char_boundary(s) && text.is_char_boundary(e) {
                raw.push(self.candidate(d, s, e, None));
            }
        }

        (raw, open_window, context)
    }

    /// Context words near a match raise its confidence; detectors that require context lose
    /// matches without it; then the threshold and allow-lists apply.
    fn score(&self, text: &str, raw: &mut Vec<Candidate>, context: &ContextHits) {
        raw.retain_mut(|c| {
            let d = &self.detectors[c.detector as usize];
            let has_context =
                !d.context.is_empty() && self.context_near(text.as_bytes(), context, c, &d.context);
            if has_context {
                c.confidence = (c.confidence + CONTEXT_BOOST).min(1.0);
            } else if d.info.context_required {
                return false;
            }
            c.confidence >= self.min_confidence
        });
        if !self.allow.values.is_empty() || !self.allow.patterns.is_empty() {
            raw.retain(|c| {
                let value = &text[c.start..c.end];
                !self.allow.values.contains(value)
                    && !self.allow.patterns.iter().any(|p| p.is_match(value))
            });
        }
    }

    /// Whether one of `words` (context word ids) occurs as a whole word within the context window
    /// of `c`, outside the match itself.
    fn context_near(
        &self,
        bytes: &[u8],
        context: &ContextHits,
        c: &Candidate,
        words: &[u32],
    ) -> bool {
        let lo = c.start.saturating_sub(CONTEXT_BEFORE);
        let hi = (c.end + CONTEXT_AFTER).min(bytes.len());
        let search_end = (hi + self.longest_context_word).min(bytes.len());
        // A hit counts when it lies in [lo, search_end), starts before `hi` and is not inside
        // the match.
        let counts = |s: usize, e: usize, word: u32| {
            s >= lo && s < hi && (e <= c.start || s >= c.end) && words.binary_search(&word).is_ok()
        };
        match context {
            ContextHits::Gathered(hits) => {
                let first = hits.partition_point(|&(e, _, _)| e <= lo);
                hits[first..]
                    .iter()
                    .take_while(|&&(e, _, _)| e <= search_end)
                    .any(|&(e, s, word)| counts(s, e, word))
            }
            ContextHits::PerWindow => {
                let Some(keywords) = &self.keywords else {
                    return false;
                };
                let mut found = false;
                keywords.each(&bytes[lo..search_end], |keyword, s, e| {
                    let (s, e) = (s + lo, e + lo);
                    found = found || (counts(s, e, keyword as u32) && is_whole_word(bytes, s, e));
                });
                found
            }
        }
    }

    fn candidate(
        &self,
        detector: u32,
        start: usize,
        end: usize,
        confidence: Option<f32>,
    ) -> Candidate {
        Candidate {
            detector,
            start,
            end,
            confidence: confidence.unwrap_or(self.detectors[detector as usize].info.confidence),
        }
    }

    /// Tries anchored and located detectors at every word start whose shape fits.
    fn anchored_pass(&self, text: &str, out: &mut Vec<Candidate>) {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let union = self.union;
        let mut possible = vec![0u64; union.map_or(0, |u| u.dfa.pattern_len().div_ceil(64))];
        let mut i = 0;
        while i < n {
            let b = bytes[i];
            if !IS_ALNUM[usize::from(b)] {
                i += 1;
                continue;
            }
            let mut run_end = i + 1;
            while run_end < n && IS_ALNUM[usize::from(bytes[run_end])] {
                run_end += 1;
            }
            let at_boundary = i == 0 || !is_word_byte(bytes[i - 1]);
            if at_boundary {
                let (anchored, located) =
                    self.starts
                        .detectors(b, bytes.get(i + 1).copied(), run_end - i);
                if !anchored.is_empty() && !continues_number_before(bytes, i) {
                    // One union walk pays off once two or more patterns would walk.
                    let filtered = anchored.len() > 1
                        && union.is_some_and(|u| u.mark(bytes, i, &mut possible));
                    for &d in anchored {
                        self.try_anchored(text, i, d, filtered.then_some(&possible[..]), out);
                    }
                }
                for &d in located {
                    self.try_located(text, i, d, out);
                }
            }
            i = run_end;
        }
    }

    /// Matches anchored detector `d` at word start `i`, unless `possible` (from
    /// `AnchoredUnion::mark`) rules its pattern out.
    fn try_anchored(
        &self,
        text: &str,
        i: usize,
        d: u32,
        possible: Option<&[u64]>,
        out: &mut Vec<Candidate>,
    ) {
        let compiled = &self.detectors[d as usize];
        let Engine::Anchored {
            re,
            check,
            dfa,
            union_id,
            ..
        } = &compiled.engine
        else {
            return;
        };
        if possible.is_some_and(|bits| bits[union_id / 64] & (1 << (union_id % 64)) == 0) {
            return;
        }
        let bytes = text.as_bytes();
        let hi = ceil_char_boundary(text, (i + compiled.max_len).min(bytes.len()));
        let mut end = None;
        let decided = dfa.as_ref().is_some_and(|compiled_dfa| {
            walk_anchored(compiled_dfa, bytes, i, hi, |_, at| end = Some(at))
        });
        if !decided {
            // No DFA, or it met a byte it cannot decide: the regex decides.
            let input = Input::new(text).range(i..hi).anchored(Anchored::Yes);
            end = re.search(&input).map(|m| m.end());
        }
        let Some(end) = end else { return };
        if end == i || continues_number_after(bytes, end) {
            return;
        }
        if let Some(confidence) = check.grade(&text[i..end]) {
            out.push(self.candidate(d, i, end, confidence));
        }
    }

    /// Calls located detector `d` at word start `i`.
    fn try_located(&self, text: &str, i: usize, d: u32, out: &mut Vec<Candidate>) {
        let compiled = &self.detectors[d as usize];
        let Engine::Located { locate, .. } = &compiled.engine else {
            return;
        };
        let Some(hit) = locate(text, i) else { return };
        // Locality is what streaming relies on: a hit must stay in its window.
        let in_window = hit.start + 4 >= i
            && hit.start < hit.end
            && hit.end <= (i + compiled.max_len).min(text.len());
        if in_window && text.is_char_boundary(hit.start) && text.is_char_boundary(hit.end) {
            out.push(self.candidate(d, hit.start, hit.end, hit.confidence));
        }
    }

    /// Picks non-overlapping findings: higher confidence, then longer, then earlier detector wins.
    /// Offsets are shifted by `base` (the position of `text` in a longer stream).
    pub(crate) fn resolve(
        &self,
        _text: &str,
        mut candidates: Vec<Candidate>,
        base: usize,
    ) -> Vec<Finding> {
        candidates.sort_unstable_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then((b.end - b.start).cmp(&(a.end - a.start)))
                .then(a.detector.cmp(&b.detector))
                .then(a.start.cmp(&b.start))
        });
        let mut accepted: Vec<Candidate> = Vec::with_capacity(candidates.len());
        for c in candidates {
            // `accepted` is kept sorted by start; check the neighbours only.
            let pos = accepted.partition_point(|a| a.start < c.start);
            let clashes_left = pos > 0 && accepted[pos - 1].end > c.start;
            let clashes_right = pos < accepted.len() && accepted[pos].start < c.end;
            if !clashes_left && !clashes_right {
                accepted.insert(pos, c);
            }
        }
        accepted
            .into_iter()
            .map(|c| self.finding(c, base))
            .collect()
    }

    pub(crate) fn finding(&self, c: Candidate, base: usize) -> Finding {
        let info = &self.detectors[c.detector as usize].info;
        Finding {
            detector: info.id.clone(),
            category: info.category.clone(),
            kind: info.kind,
            start: c.start + base,
            end: c.end + base,
            confidence: (c.confidence * 1000.0).round() / 1000.0,
            action: info.action,
        }
    }
}

/// A run of digits right after `+` or after a digit and a joiner (`0.123`, `12-345`) continues a
/// number that started earlier, so no identifier starts there.
fn continues_number_before(bytes: &[u8], at: usize) -> bool {
    if !bytes[at].is_ascii_digit() || at == 0 {
        return false;
    }
    let joins = |b: u8| matches!(b, b'.' | b',' | b'-' | b'/');
    bytes[at - 1] == b'+' || (at >= 2 && joins(bytes[at - 1]) && bytes[at - 2].is_ascii_digit())
}

/// A match that ends in a digit followed by a joiner and another digit is the head of a longer
/// number (`15037512335.50`, `4930-15037512335`), not an identifier.
fn continues_number_after(bytes: &[u8], end: usize) -> bool {
    end >= 1
        && bytes[end - 1].is_ascii_digit()
        && end + 1 < bytes.len()
        && matches!(bytes[end], b'.' | b',' | b'-' | b'/')
        && bytes[end + 1].is_ascii_digit()
}

/// Anchored and located detectors by the shape of a word start: its first two bytes and the
/// length of its first alphanumeric run. The first byte must be admitted by the detector's
/// `Start`, the pair must be an opening of its DFA (for an anchored pattern), and the run length
/// must lie in its `first_run`. All three are decided when the scanner is built, so a word
/// start costs three table reads and yields only the detectors that really need to look.
struct StartTable {
    /// Per `(first, second)` slot (see `slot`): its class, one per distinct detector list (at
    /// most one per slot, so a `u16` holds it).
    class_of_slot: Vec<u16>,
    /// Run lengths `0..=255` to their bucket: lengths in one bucket admit the same detectors.
    bucket_of_run: [u8; 256],
    buckets: usize,
    /// The detectors of class `c` and bucket `b` are `detectors[offsets[k]..offsets[k + 1]]`
    /// with `k = c * buckets + b`: the anchored ones up to `located_from[k]`, then the located.
    offsets: Vec<u32>,
    located_from: Vec<u32>,
    detectors: Vec<u32>,
}

impl StartTable {
    /// Slots per first byte: one per second byte, and one for a word start at the very end.
    const STRIDE: usize = 257;

    fn slot(first: u8, second: Option<u8>) -> usize {
        (first as usize & 127) * Self::STRIDE + second.map_or(256, usize::from)
    }

    fn new(detectors: &[Compiled]) -> StartTable {
        // Per slot, the detectors whose start and openings admit it, with their run bounds.
        let mut slots: Vec<Vec<(u32, u8, u8)>> = vec![Vec::new(); 128 * Self::STRIDE];
        let mut run_edges = vec![0u8];
        for (i, d) in detectors.iter().enumerate() {
            let (start, first_run, dfa) = match &d.engine {
                Engine::Anchored {
                    start,
                    first_run,
                    dfa,
                    ..
                } => (start, first_run, dfa.as_deref()),
                Engine::Located {
                    start, first_run, ..
                } => (start, first_run, None),
                _ => continue,
            };
            let entry = (i as u32, first_run.0, first_run.1);
            run_edges.push(first_run.0);
            if let Some(past) = first_run.1.checked_add(1) {
                run_edges.push(past);
            }
            let opening = dfa.and_then(|dfa| Some((dfa, anchored_start(dfa)?)));
            for first in (0u8..128).filter(|&b| start.admits(b)) {
                slots[Self::slot(first, None)].push(entry);
                for second in 0..=255u8 {
                    if opening.is_none_or(|(dfa, at)| may_open(dfa, at, first, second)) {
                        slots[Self::slot(first, Some(second))].push(entry);
                    }
                }
            }
        }
        run_edges.sort_unstable();
        run_edges.dedup();
        let mut bucket_of_run = [0u8; 256];
        for (run, bucket) in bucket_of_run.iter_mut().enumerate() {
            *bucket = (run_edges.partition_point(|&edge| edge as usize <= run) - 1) as u8;
        }
        let buckets = run_edges.len();

        let mut class_ids: HashMap<Vec<(u32, u8, u8)>, u16> = HashMap::new();
        let mut classes: Vec<Vec<(u32, u8, u8)>> = Vec::new();
        let class_of_slot = slots
            .into_iter()
            .map(|list| {
                *class_ids.entry(list).or_insert_with_key(|list| {
                    classes.push(list.clone());
                    (classes.len() - 1) as u16
                })
            })
            .collect();
        let is_anchored = |d: u32| matches!(detectors[d as usize].engine, Engine::Anchored { .. });
        let mut offsets = vec![0u32];
        let mut located_from = Vec::new();
        let mut admitted = Vec::new();
        for list in &classes {
            for &edge in &run_edges {
                let fits = |&&(_, min, max): &&(u32, u8, u8)| min <= edge && edge <= max;
                admitted.extend(
                    list.iter()
                        .filter(fits)
                        .map(|e| e.0)
                        .filter(|&d| is_anchored(d)),
                );
                located_from.push(admitted.len() as u32);
                admitted.extend(
                    list.iter()
                        .filter(fits)
                        .map(|e| e.0)
                        .filter(|&d| !is_anchored(d)),
                );
                offsets.push(admitted.len() as u32);
            }
        }
        StartTable {
            class_of_slot,
            bucket_of_run,
            buckets,
            offsets,
            located_from,
            detectors: admitted,
        }
    }

    /// The anchored and the located detectors that may start at a word whose first byte is
    /// `first` (ASCII alphanumeric), followed by `second` (`None` at the end of the text), and
    /// whose first alphanumeric run is `run` bytes long.
    fn detectors(&self, first: u8, second: Option<u8>, run: usize) -> (&[u32], &[u32]) {
        let class = self.class_of_slot[Self::slot(first, second)] as usize;
        let k = class * self.buckets + self.bucket_of_run[run.min(255)] as usize;
        let (from, split, to) = (self.offsets[k], self.located_from[k], self.offsets[k + 1]);
        (
            &self.detectors[from as usize..split as usize],
            &self.detectors[split as usize..to as usize],
        )
    }
}

/// `union_id` is the spec's pattern number in `AnchoredUnion` (anchored and scored specs only).
fn compile_spec(spec: &Spec, union_id: usize) -> Result<Engine, String> {
    let limit = 16 << 20;
    Ok(match spec.matcher {
        Matcher::Anchored {
            start,
            first_run,
            pattern,
            validate,
            ..
        } => Engine::Anchored {
            start,
            first_run,
            re: build_regex(pattern, true, limit)?,
            check: validate.map_or(Check::None, Check::Validate),
            dfa: anchored_dfa(pattern),
            union_id,
        },
        Matcher::Scored {
            start,
            first_run,
            pattern,
            score,
            ..
        } => Engine::Anchored {
            start,
            first_run,
            re: build_regex(pattern, true, limit)?,
            check: Check::Score(score),
            dfa: anchored_dfa(pattern),
            union_id,
        },
        Matcher::Located {
            start,
            first_run,
            locate,
            ..
        } => Engine::Located {
            start,
            first_run,
            locate,
        },
        Matcher::Triggered {
            before,
            pattern,
            validate,
            ..
        } => Engine::Triggered {
            before: before as usize,
            re: build_regex(pattern, false, limit)?,
            validate,
        },
        Matcher::Code { triggers, find, .. } => Engine::Code {
            find,
            gated: !triggers.is_empty(),
        },
    })
}

pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::config::{BuiltinSelection, CustomDetector};
    use crate::dlp::testing::scored_hits;

    /// Dictionary terms are found by the keyword pass; they must match as a leftmost-longest
    /// search without overlaps does (the semantics users get from any dictionary tool), whole
    /// words only, the first detector to list a term owning it.
    #[test]
    fn dictionary_terms_match_leftmost_longest_whole_words() {
        let lists: [&[&str]; 2] = [
            &["Ward 7B", "ward", "7B west", "Onc", "Oncology Unit"],
            &["ward 7", "b", "ONC"],
        ];
        let config = ScannerConfig {
            builtin: BuiltinSelection {
                enable: Vec::new(),
                disable: Vec::new(),
            },
            custom: lists
                .iter()
                .enumerate()
                .map(|(i, terms)| {
                    CustomDetector::from_terms(
                        format!("d{i}"),
                        terms.iter().map(|t| t.to_string()).collect(),
                    )
                })
                .collect(),
            ..ScannerConfig::default()
        };
        let scanner = Scanner::from_config(&config).unwrap();
        let reference = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(lists.iter().flat_map(|l| l.iter()))
            .unwrap();
        let owner = |pattern: usize| if pattern < lists[0].len() { "d0" } else { "d1" };
        let texts = [
            "Ward 7B west wing, ward 7b West; oncology unit and Oncology Units; WARD 7Bx ward_7B",
            "award 7B, Ward 7 b, onc, ONC. Ward 7B west-wing",
            "b B bb Ward 7Ward 7B",
        ];
        for text in texts {
            let bytes = text.as_bytes();
            let expected: Vec<(String, usize, usize)> = reference
                .find_iter(text)
                .filter(|m| {
                    (m.start() == 0 || !is_word_byte(bytes[m.start() - 1]))
                        && (m.end() == bytes.len() || !is_word_byte(bytes[m.end()]))
                })
                .map(|m| {
                    (
                        owner(m.pattern().as_usize()).to_string(),
                        m.start(),
                        m.end(),
                    )
                })
                .collect();
            let found: Vec<(String, usize, usize)> = scanner
                .scan(text)
                .iter()
                .map(|f| (f.detector.to_string(), f.start, f.end))
                .collect();
            assert!(!expected.is_empty());
            assert_eq!(found, expected, "{text}");
        }
    }

    /// The keyword pass skips positions where no keyword can begin; it must still report
    /// every occurrence, overlapping ones, one- and two-byte keywords and those at the very end
    /// included.
    #[test]
    fn keyword_pass_reports_every_occurrence() {
        // Many keywords (or the prefilter turned off): the `Openings` loop; one with a rare
        // byte: the automaton's prefilter.
        let many = ["@", "ip", "ship", "hip", "password", "pass", "é", "zz"];
        for (words, prefilter) in [(&many[..], false), (&many[..], true), (&["ghp_"][..], true)] {
            let mut table = KeywordTable::default();
            for (d, word) in words.iter().enumerate() {
                table.trigger(word, d as u32);
            }
            let keywords = table.build_with(prefilter).unwrap().unwrap();
            let expect_prefilter = prefilter && words.len() == 1;
            assert_eq!(
                keywords.dfa.prefilter().is_some(),
                expect_prefilter,
                "{words:?}"
            );
            keyword_pass_reports_every_occurrence_of(words, &keywords);
        }
    }

    fn keyword_pass_reports_every_occurrence_of(words: &[&str], keywords: &Keywords) {
        let text = "Ship IP: pass@PASSWORDS ghp_x shipé GHP_ zz@sk-or-v1-ip ip";
        let mut found = Vec::new();
        keywords.each(text.as_bytes(), |k, s, e| found.push((k, s, e)));
        let mut expected = Vec::new();
        let lower = text.to_ascii_lowercase();
        for (k, word) in words.iter().enumerate() {
            expected.extend(lower.match_indices(word).map(|(s, w)| (k, s, s + w.len())));
        }
        // `match_indices` does not overlap; "ship" holds "hip" and "ip" too.
        expected.sort_by_key(|&(k, s, e)| (s, e, k));
        found.sort_by_key(|&(k, s, e)| (s, e, k));
        assert_eq!(found, expected);
    }

    /// `AnchoredUnion` only rules out what cannot match: every anchored detector gathers the
    /// same hits among all built-in detectors (where digit runs are filtered by the union walk)
    /// as it does alone (one detector per word start, so no union walk).
    #[test]
    fn anchored_union_rules_out_only_what_cannot_match() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/conformance/dlp/");
        let mut text = std::fs::read_to_string(format!("{root}bench-prompt.txt")).unwrap();
        text.push_str(&std::fs::read_to_string(format!("{root}sample.jsonl")).unwrap());
        // Numbers of every shape: runs of 1 to 20 digits, joined by separators, some after
        // letters, from a fixed linear congruential sequence.
        let mut seed: u64 = 42;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for _ in 0..3000 {
            if next(4) == 0 {
                text.push_str(["DE", "GB", "FR", "AB", "X", "ES", "IT"][next(7) as usize]);
            }
            for _ in 0..=next(20) {
                text.push(char::from(b'0' + next(10) as u8));
            }
            text.push([' ', '-', '.', '/', ' ', '\n', ','][next(7) as usize]);
        }
        let everything = ScannerConfig {
            min_confidence: Some(0.0),
            ..ScannerConfig::default()
        };
        let all = Scanner::from_config(&everything).unwrap();
        let (all_hits, _) = all.unscored_candidates(&text);
        let mut compared = 0;
        for d in all
            .detectors
            .iter()
            .filter(|d| matches!(d.engine, Engine::Anchored { .. }))
        {
            let id = d.info.id.to_string();
            let alone = Scanner::from_config(&ScannerConfig {
                builtin: BuiltinSelection {
                    enable: vec![id.clone()],
                    disable: Vec::new(),
                },
                ..everything.clone()
            })
            .unwrap();
            let (mut alone_hits, _) = alone.unscored_candidates(&text);
            let mut among_all: Vec<_> = all_hits
                .iter()
                .filter(|c| *all.detectors[c.detector as usize].info.id == *id)
                .map(|c| (c.start, c.end, c.confidence))
                .collect();
            let mut alone_hits: Vec<_> = alone_hits
                .drain(..)
                .map(|c| (c.start, c.end, c.confidence))
                .collect();
            among_all.sort_by(|a, b| a.partial_cmp(b).unwrap());
            alone_hits.sort_by(|a, b| a.partial_cmp(b).unwrap());
            assert_eq!(among_all, alone_hits, "{id}");
            compared += alone_hits.len();
        }
        assert!(compared > 50, "only {compared} anchored hits compared");
    }

    /// A scanner with trigger literals gathers context words in its keyword pass; one without
    /// any searches each candidate's window. Both must score alike.
    #[test]
    fn context_words_score_alike_with_and_without_a_keyword_pass() {
        let texts = [
            "bank account: DE89370400440532013000",
            "DE89370400440532013000",
            "DE89370400440532013000 is my IBAN",
            "the bankaccount DE89370400440532013000",
            "iban DE89370400440532013000 and iban DE89370400440532013000",
        ];
        for text in texts {
            let without_triggers = scored_hits(&["iban"], text);
            let with_triggers = scored_hits(&["iban", "github_pat"], text);
            assert!(!without_triggers.is_empty(), "{text}");
            assert_eq!(without_triggers, with_triggers, "{text}");
        }
        let plain = scored_hits(&["iban"], texts[1])[0].1;
        let with_context = scored_hits(&["iban", "github_pat"], texts[0])[0].1;
        let inside_a_word = scored_hits(&["iban", "github_pat"], texts[3])[0].1;
        assert!(with_context > plain);
        assert_eq!(inside_a_word, plain);
    }
}
