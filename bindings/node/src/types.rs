//! The values that cross into JavaScript: findings, redactions, request scans, stream releases and
//! detector records, as plain objects (TypeScript interfaces) with camelCase keys.
//!
//! Lists of findings and applied actions cross packed ([`Packed`]) and `node/index.js` builds the
//! objects: building objects through N-API costs about 20 k instructions each (a 2 KB prompt with
//! 11 findings paid a third on top of the scan), building them in JavaScript almost nothing. The
//! structs [`Finding`], [`Applied`] and [`RequestFinding`] still define those objects: they are the
//! TypeScript interfaces, and their `pack` writes the fields in declaration order, the order in
//! which `index.js` reads them.

use napi::bindgen_prelude::{Float64Array, Object};
use napi_derive::napi;
use routeguard::dlp;
use routeguard::host::{
    HostApplied, HostDetector, HostFinding, HostRedaction, HostReleased, HostRequestFinding,
};

/// Declares a string enum whose values are spelled out once: the TypeScript union and `as_str`
/// both come from this list.
macro_rules! string_enum {
    ($(#[$doc:meta])* pub enum $name:ident { $($(#[$vdoc:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$doc])*
        #[napi(string_enum)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vdoc])* #[napi(value = $value)] $variant,)*
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)*
                }
            }
        }
    };
}

string_enum! {
    /// Whether a detector finds personal data or a secret.
    pub enum Kind {
        Pii = "pii",
        Secret = "secret",
    }
}

impl From<dlp::Kind> for Kind {
    fn from(kind: dlp::Kind) -> Kind {
        match kind {
            dlp::Kind::Pii => Kind::Pii,
            dlp::Kind::Secret => Kind::Secret,
        }
    }
}

string_enum! {
    /// What happens to a finding before the text leaves.
    pub enum Action {
        /// The whole text (or request) must not leave.
        Block = "block",
        /// Replace characters with a mask character, optionally keeping the last N.
        Mask = "mask",
        /// Replace the match with `[CATEGORY]`.
        Redact = "redact",
        /// Replace the match with a keyed, stable hash token.
        Hash = "hash",
        /// Replace the match with a vault token that can be restored later.
        Pseudonymize = "pseudonymize",
        /// Report only; the text leaves unchanged.
        Log = "log",
    }
}

impl From<dlp::Action> for Action {
    fn from(action: dlp::Action) -> Action {
        match action {
            dlp::Action::Block => Action::Block,
            dlp::Action::Mask => Action::Mask,
            dlp::Action::Redact => Action::Redact,
            dlp::Action::Hash => Action::Hash,
            dlp::Action::Pseudonymize => Action::Pseudonymize,
            dlp::Action::Log => Action::Log,
        }
    }
}

/// An offset for JavaScript. JavaScript strings hold fewer than 2^30 UTF-16 units (so fewer than
/// 2^32 UTF-8 bytes): every offset fits.
pub(crate) fn offset(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Records of one shape packed for `index.js`, which turns them into objects: how many records,
/// the string fields of every record concatenated, and for every record, in field order, the
/// UTF-16 length of each string field followed by each number field. Never seen by users: every
/// method that returns it is wrapped by `index.js`, and the typings name the unpacked objects.
pub type Packed = (u32, String, Float64Array);

#[derive(Default)]
pub(crate) struct Packer {
    count: u32,
    text: String,
    numbers: Vec<f64>,
}

impl Packer {
    fn string(&mut self, value: &str) {
        self.text.push_str(value);
        self.numbers.push(value.encode_utf16().count() as f64);
    }

    fn number(&mut self, value: impl Into<f64>) {
        self.numbers.push(value.into());
    }
}

/// A record that crosses packed: `pack` writes the string fields, then the number fields, each in
/// declaration order.
pub(crate) trait Pack {
    fn pack(&self, packer: &mut Packer);
}

pub(crate) fn pack<T: Pack>(records: impl IntoIterator<Item = T>) -> Packed {
    let mut packer = Packer::default();
    for record in records {
        record.pack(&mut packer);
        packer.count += 1;
    }
    (packer.count, packer.text, Float64Array::new(packer.numbers))
}

pub(crate) fn pack_findings(found: Vec<HostFinding>) -> Packed {
    pack(found.into_iter().map(Finding::from))
}

/// Personal data or a secret found in a text. Never carries the matched text: slice the input with
/// `start`/`end` to see it.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct Finding {
    /// Detector id, e.g. `credit_card`.
    pub detector: String,
    /// Category, e.g. `CREDIT_CARD`.
    pub category: String,
    pub kind: Kind,
    /// The action configured for this finding.
    pub action: Action,
    /// Between 0 and 1, rounded to three decimals.
    pub confidence: f64,
    /// Start in UTF-16 code units: `text.slice(start, end)` is the match.
    pub start: u32,
    /// End in UTF-16 code units (exclusive).
    pub end: u32,
    /// Start in UTF-8 bytes.
    pub byte_start: u32,
    /// End in UTF-8 bytes (exclusive).
    pub byte_end: u32,
}

impl From<HostFinding> for Finding {
    fn from(f: HostFinding) -> Finding {
        Finding {
            detector: f.detector,
            category: f.category,
            kind: f.kind.into(),
            action: f.action.into(),
            confidence: f.confidence,
            start: offset(f.start),
            end: offset(f.end),
            byte_start: offset(f.byte_start),
            byte_end: offset(f.byte_end),
        }
    }
}

impl Pack for Finding {
    fn pack(&self, p: &mut Packer) {
        p.string(&self.detector);
        p.string(&self.category);
        p.string(self.kind.as_str());
        p.string(self.action.as_str());
        p.number(self.confidence);
        p.number(self.start);
        p.number(self.end);
        p.number(self.byte_start);
        p.number(self.byte_end);
    }
}

/// One action applied to a text: where it was in the input and where its replacement is in the
/// output (UTF-16 code units).
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct Applied {
    pub detector: String,
    pub category: String,
    pub action: Action,
    pub start: u32,
    pub end: u32,
    pub output_start: u32,
    pub output_end: u32,
}

impl From<HostApplied> for Applied {
    fn from(a: HostApplied) -> Applied {
        Applied {
            detector: a.detector,
            category: a.category,
            action: a.action.into(),
            start: offset(a.start),
            end: offset(a.end),
            output_start: offset(a.output_start),
            output_end: offset(a.output_end),
        }
    }
}

impl Pack for Applied {
    fn pack(&self, p: &mut Packer) {
        p.string(&self.detector);
        p.string(&self.category);
        p.string(self.action.as_str());
        p.number(self.start);
        p.number(self.end);
        p.number(self.output_start);
        p.number(self.output_end);
    }
}

/// The outcome of scanning a text and applying the actions.
#[napi(object, object_from_js = false)]
pub struct Redaction {
    /// The text that may leave. When `blocked`, it must not be sent (blocked spans are redacted in
    /// it anyway).
    pub text: String,
    /// A finding's action is `block`.
    pub blocked: bool,
    #[napi(ts_type = "Array<Finding>")]
    pub findings: Packed,
    #[napi(ts_type = "Array<Applied>")]
    pub applied: Packed,
}

impl From<HostRedaction> for Redaction {
    fn from(r: HostRedaction) -> Redaction {
        Redaction {
            text: r.text,
            blocked: r.blocked,
            findings: pack_findings(r.findings),
            applied: pack(r.applied.into_iter().map(Applied::from)),
        }
    }
}

/// A finding in a chat request. `path` is the JSON pointer of the string that holds it (plus `#`
/// and an inner pointer inside tool-call arguments); offsets are relative to that string.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct RequestFinding {
    pub path: String,
    pub detector: String,
    pub category: String,
    pub kind: Kind,
    pub action: Action,
    pub confidence: f64,
    pub start: u32,
    pub end: u32,
    pub byte_start: u32,
    pub byte_end: u32,
}

/// A request finding packs as its path followed by its finding.
impl Pack for HostRequestFinding {
    fn pack(&self, p: &mut Packer) {
        p.string(&self.path);
        Finding::from(self.finding.clone()).pack(p);
    }
}

/// Inline binary data in a request (a data URL, base64 audio): reported, never scanned as text.
#[napi(object, object_from_js = false)]
pub struct InlineData {
    /// JSON pointer of the value.
    pub path: String,
    pub media_type: String,
    /// Length of the encoded payload.
    pub bytes: u32,
}

impl From<dlp::InlineData> for InlineData {
    fn from(d: dlp::InlineData) -> InlineData {
        InlineData {
            path: d.path,
            media_type: d.media_type,
            bytes: offset(d.bytes),
        }
    }
}

/// The outcome of scanning an OpenRouter chat request.
#[napi(object, object_from_js = false)]
pub struct RequestScan<'env> {
    /// A finding's action is `block`: the request must not be sent.
    pub blocked: bool,
    /// The rewritten request; still a valid OpenRouter request.
    #[napi(ts_type = "Record<string, unknown>")]
    pub request: Object<'env>,
    #[napi(ts_type = "Array<RequestFinding>")]
    pub findings: Packed,
    pub inline_data: Vec<InlineData>,
}

/// What one step of a stream lets through.
#[napi(object, object_from_js = false)]
pub struct Released {
    /// Text that may be passed on now, with the actions applied (possibly empty).
    pub text: String,
    /// A finding's action is `block`: the stream must be cut.
    pub blocked: bool,
    /// Findings in the released text; offsets count from the start of the whole stream.
    #[napi(ts_type = "Array<Finding>")]
    pub findings: Packed,
}

impl From<HostReleased> for Released {
    fn from(r: HostReleased) -> Released {
        Released {
            text: r.text,
            blocked: r.blocked,
            findings: pack_findings(r.findings),
        }
    }
}

/// A detector a scanner runs.
#[napi(object, object_from_js = false)]
pub struct Detector {
    pub id: String,
    pub category: String,
    pub kind: Kind,
    /// ISO country code of a national identifier; absent for global detectors.
    pub country: Option<String>,
    /// How a candidate is checked (e.g. `luhn`, `none`).
    pub validation: String,
    pub default_action: Action,
    /// The action in this scanner's configuration.
    pub action: Action,
    pub confidence: f64,
    /// A context word must be near the match.
    pub context_required: bool,
    /// Built in (not a custom detector of the configuration).
    pub builtin: bool,
}

impl From<HostDetector> for Detector {
    fn from(d: HostDetector) -> Detector {
        Detector {
            id: d.id,
            category: d.category,
            kind: d.kind.into(),
            country: d.country,
            validation: d.validation,
            default_action: d.default_action.into(),
            action: d.action.into(),
            confidence: d.confidence,
            context_required: d.context_required,
            builtin: d.builtin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_strings_are_the_core_names() {
        for action in dlp::Action::ALL {
            assert_eq!(Action::from(action).as_str(), action.as_str());
        }
        for kind in [dlp::Kind::Pii, dlp::Kind::Secret] {
            assert_eq!(Kind::from(kind).as_str(), kind.as_str());
        }
    }

    #[test]
    fn packed_strings_carry_utf16_lengths() {
        let mut p = Packer::default();
        p.string("🙂é");
        p.number(7u32);
        assert_eq!(p.text, "🙂é");
        assert_eq!(p.numbers, vec![3.0, 7.0]);
    }
}
