//! Result objects: findings, redactions, request scans, stream releases and owned text. Each is
//! immutable once made, owns every string its accessors return, and renders itself as JSON on
//! demand (once, cached).

use std::ffi::CStr;
use std::sync::OnceLock;

use routeguard::dlp::{Action, InlineData, Kind};
use routeguard::host::{
    HostApplied, HostFinding, HostRedaction, HostReleased, HostRequestFinding, HostRequestScan,
};
use serde::Serialize;

use crate::ffi::{
    free_boxed, rg_str, to_borrowed_ptr, try_borrowed, try_ref, Borrowed, Boxed, CText,
};
use crate::panic::{guard, OnPanic};

/// Reads a borrowed handle for an accessor: `default` for NULL, `body`'s answer otherwise.
///
/// # Safety
/// `ptr` is NULL or a live borrowed handle of type `T`.
pub(crate) unsafe fn with_borrowed<T: Borrowed, R: OnPanic>(
    ptr: *const T,
    default: R,
    body: impl FnOnce(&T::Rust) -> R,
) -> R {
    guard(|| {
        // SAFETY: the caller promises `ptr` is NULL or points into a live owner.
        match unsafe { try_borrowed::<T>(ptr) } {
            Some(value) => body(value),
            None => default,
        }
    })
}

/// Reads an owned handle for an accessor: `default` for NULL, `body`'s answer otherwise.
///
/// # Safety
/// `ptr` is NULL or a live owned handle of type `T`.
pub(crate) unsafe fn with_owned<T: Boxed, R: OnPanic>(
    ptr: *const T,
    default: R,
    body: impl FnOnce(&T::Rust) -> R,
) -> R {
    guard(|| {
        // SAFETY: the caller promises `ptr` is NULL or live.
        match unsafe { try_ref::<T>(ptr) } {
            Some(value) => body(value),
            None => default,
        }
    })
}

fn kind_name(kind: Kind) -> &'static CStr {
    match kind {
        Kind::Pii => c"pii",
        Kind::Secret => c"secret",
    }
}

pub(crate) fn action_name(action: Action) -> &'static CStr {
    match action {
        Action::Block => c"block",
        Action::Mask => c"mask",
        Action::Redact => c"redact",
        Action::Hash => c"hash",
        Action::Pseudonymize => c"pseudonymize",
        Action::Log => c"log",
    }
}

/// Renders a value as JSON, cached in `cell`. Serialising these plain records cannot fail; if it
/// ever did, the caller gets `null` rather than a half-written document.
pub(crate) fn cached_json<T: Serialize>(
    cell: &OnceLock<CText>,
    value: impl FnOnce() -> T,
) -> rg_str {
    cell.get_or_init(|| {
        CText::from_string(serde_json::to_string(&value()).unwrap_or_else(|_| "null".to_owned()))
    })
    .as_rg_str()
}

/// Owned UTF-8 text (a restored text, a JSON document). Free it with `rg_text_free`.
pub struct rg_text {
    _private: [u8; 0],
}

impl Boxed for rg_text {
    type Rust = CText;
}

/// The text; valid until `text` is freed. Empty for NULL.
///
/// # Safety
/// `text` is NULL or a live `rg_text`.
#[no_mangle]
pub unsafe extern "C" fn rg_text_str(text: *const rg_text) -> rg_str {
    // SAFETY: the caller promises `text` is NULL or live.
    guard(|| unsafe { try_ref(text) }.map_or(rg_str::empty(), CText::as_rg_str))
}

/// Frees a text. NULL is a no-op.
///
/// # Safety
/// `text` is NULL or an `rg_text` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_text_free(text: *mut rg_text) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(text) })
}

/// One finding. Owned by the `rg_findings` it came from; never freed on its own.
pub struct rg_finding {
    _private: [u8; 0],
}

/// What an `rg_finding` handle points at.
pub(crate) struct FindingRecord {
    host: HostFinding,
    path: Option<CText>,
    detector: CText,
    category: CText,
}

impl Borrowed for rg_finding {
    type Rust = FindingRecord;
}

/// The JSON form of a finding: the host record, with `path` for request findings.
#[derive(Serialize)]
struct FindingJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(flatten)]
    finding: &'a HostFinding,
}

/// A list of findings, in text order. Made by `rg_scanner_scan` (free it with `rg_findings_free`)
/// or borrowed from a redaction, request scan or stream release (then never freed on its own).
pub struct rg_findings {
    _private: [u8; 0],
}

/// What an `rg_findings` handle owns.
pub(crate) struct Findings {
    items: Vec<FindingRecord>,
    json: OnceLock<CText>,
}

impl Boxed for rg_findings {
    type Rust = Findings;
}

impl Borrowed for rg_findings {
    type Rust = Findings;
}

impl Findings {
    pub(crate) fn new(found: Vec<HostFinding>) -> Findings {
        Findings::from_records(found.into_iter().map(|f| (None, f)))
    }

    fn from_requests(found: Vec<HostRequestFinding>) -> Findings {
        Findings::from_records(
            found
                .into_iter()
                .map(|f| (Some(CText::from_string(f.path)), f.finding)),
        )
    }

    fn from_records(records: impl Iterator<Item = (Option<CText>, HostFinding)>) -> Findings {
        Findings {
            items: records
                .map(|(path, host)| FindingRecord {
                    detector: CText::new(&host.detector),
                    category: CText::new(&host.category),
                    path,
                    host,
                })
                .collect(),
            json: OnceLock::new(),
        }
    }

    fn json(&self) -> rg_str {
        cached_json(&self.json, || self.json_values())
    }

    fn json_values(&self) -> Vec<FindingJson<'_>> {
        self.items.iter().map(FindingRecord::json).collect()
    }
}

impl FindingRecord {
    fn json(&self) -> FindingJson<'_> {
        FindingJson {
            path: self.path.as_ref().map(CText::as_str),
            finding: &self.host,
        }
    }
}

/// How many findings the list holds; 0 for NULL.
///
/// # Safety
/// `findings` is NULL or a live `rg_findings`.
#[no_mangle]
pub unsafe extern "C" fn rg_findings_len(findings: *const rg_findings) -> usize {
    // SAFETY: the caller promises `findings` is NULL or live (owned or borrowed: same layout).
    guard(|| unsafe { try_borrowed(findings) }.map_or(0, |f: &Findings| f.items.len()))
}

/// The `index`-th finding, valid while the list lives; NULL when out of range or for NULL.
///
/// # Safety
/// `findings` is NULL or a live `rg_findings`.
#[no_mangle]
pub unsafe extern "C" fn rg_findings_get(
    findings: *const rg_findings,
    index: usize,
) -> *const rg_finding {
    guard(|| {
        // SAFETY: the caller promises `findings` is NULL or live.
        let found: Option<&Findings> = unsafe { try_borrowed(findings) };
        found
            .and_then(|f| f.items.get(index))
            .map_or(std::ptr::null(), to_borrowed_ptr::<rg_finding>)
    })
}

/// The list as a JSON array of `{detector, category, kind, action, confidence, start, end,
/// byte_start, byte_end}` objects (plus `path` for request findings); offsets in bytes. Valid while
/// the list lives; empty for NULL.
///
/// # Safety
/// `findings` is NULL or a live `rg_findings`.
#[no_mangle]
pub unsafe extern "C" fn rg_findings_json(findings: *const rg_findings) -> rg_str {
    // SAFETY: the caller promises `findings` is NULL or live.
    guard(|| unsafe { try_borrowed(findings) }.map_or(rg_str::empty(), Findings::json))
}

/// Frees a list made by `rg_scanner_scan`. NULL is a no-op. Never call it on a list borrowed from
/// another object.
///
/// # Safety
/// `findings` is NULL or an owned `rg_findings` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_findings_free(findings: *mut rg_findings) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(findings) })
}

/// The detector id, e.g. `credit_card`.
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_detector(finding: *const rg_finding) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, rg_str::empty(), |f| f.detector.as_rg_str()) }
}
/// The category, e.g. `CREDIT_CARD`.
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_category(finding: *const rg_finding) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, rg_str::empty(), |f| f.category.as_rg_str()) }
}
/// `pii` or `secret`.
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_kind(finding: *const rg_finding) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(finding, rg_str::empty(), |f| {
            rg_str::from_static(kind_name(f.host.kind))
        })
    }
}
/// The action the configuration gives this finding: `block`, `mask`, `redact`, `hash`,
/// `pseudonymize` or `log`.
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_action(finding: *const rg_finding) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(finding, rg_str::empty(), |f| {
            rg_str::from_static(action_name(f.host.action))
        })
    }
}
/// Confidence in [0, 1], rounded to three decimals.
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_confidence(finding: *const rg_finding) -> f64 {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, 0.0, |f| f.host.confidence) }
}
/// Start in bytes of the scanned text (for a stream: of the whole stream; for a request: of the
/// string at `path`), so `text + start` is the first byte of the match.
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_start(finding: *const rg_finding) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, 0, |f| f.host.start) }
}
/// End in bytes (exclusive).
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_end(finding: *const rg_finding) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, 0, |f| f.host.end) }
}
/// Start in UTF-8 bytes; the same as `rg_finding_start` in C, kept so logs match every language.
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_byte_start(finding: *const rg_finding) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, 0, |f| f.host.byte_start) }
}
/// End in UTF-8 bytes (exclusive).
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_byte_end(finding: *const rg_finding) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, 0, |f| f.host.byte_end) }
}
/// For a request finding, the JSON pointer of the string it is in (plus `#` and an inner pointer
/// inside tool-call arguments); empty for text findings.
///
/// # Safety
/// `finding` is NULL or a live `rg_finding` (its list not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_finding_path(finding: *const rg_finding) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(finding, rg_str::empty(), |f| {
            f.path.as_ref().map_or(rg_str::empty(), CText::as_rg_str)
        })
    }
}

/// One action applied by a redaction. Owned by its `rg_redaction`.
pub struct rg_applied {
    _private: [u8; 0],
}

/// What an `rg_applied` handle points at.
pub(crate) struct AppliedRecord {
    host: HostApplied,
    detector: CText,
    category: CText,
}

impl Borrowed for rg_applied {
    type Rust = AppliedRecord;
}

/// The detector id.
///
/// # Safety
/// `applied` is NULL or a live `rg_applied` (its redaction not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_applied_detector(applied: *const rg_applied) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(applied, rg_str::empty(), |a| a.detector.as_rg_str()) }
}
/// The category.
///
/// # Safety
/// `applied` is NULL or a live `rg_applied` (its redaction not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_applied_category(applied: *const rg_applied) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(applied, rg_str::empty(), |a| a.category.as_rg_str()) }
}
/// The action applied (after any override given in `rg_options`).
///
/// # Safety
/// `applied` is NULL or a live `rg_applied` (its redaction not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_applied_action(applied: *const rg_applied) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(applied, rg_str::empty(), |a| {
            rg_str::from_static(action_name(a.host.action))
        })
    }
}
/// Start in bytes of the input text.
///
/// # Safety
/// `applied` is NULL or a live `rg_applied` (its redaction not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_applied_start(applied: *const rg_applied) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(applied, 0, |a| a.host.start) }
}
/// End in bytes of the input text (exclusive).
///
/// # Safety
/// `applied` is NULL or a live `rg_applied` (its redaction not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_applied_end(applied: *const rg_applied) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(applied, 0, |a| a.host.end) }
}
/// Start in bytes of the output text (where the replacement is).
///
/// # Safety
/// `applied` is NULL or a live `rg_applied` (its redaction not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_applied_output_start(applied: *const rg_applied) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(applied, 0, |a| a.host.output_start) }
}
/// End in bytes of the output text (exclusive).
///
/// # Safety
/// `applied` is NULL or a live `rg_applied` (its redaction not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_applied_output_end(applied: *const rg_applied) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(applied, 0, |a| a.host.output_end) }
}

/// The outcome of `rg_scanner_redact`. Free it with `rg_redaction_free`.
pub struct rg_redaction {
    _private: [u8; 0],
}

/// What an `rg_redaction` handle owns.
pub(crate) struct Redaction {
    text: CText,
    blocked: bool,
    findings: Findings,
    applied: Vec<AppliedRecord>,
    json: OnceLock<CText>,
}

impl Boxed for rg_redaction {
    type Rust = Redaction;
}

impl From<HostRedaction> for Redaction {
    fn from(r: HostRedaction) -> Redaction {
        Redaction {
            text: CText::from_string(r.text),
            blocked: r.blocked,
            findings: Findings::new(r.findings),
            applied: r
                .applied
                .into_iter()
                .map(|host| AppliedRecord {
                    detector: CText::new(&host.detector),
                    category: CText::new(&host.category),
                    host,
                })
                .collect(),
            json: OnceLock::new(),
        }
    }
}

#[derive(Serialize)]
struct RedactionJson<'a> {
    text: &'a str,
    blocked: bool,
    findings: Vec<FindingJson<'a>>,
    applied: Vec<&'a HostApplied>,
}

/// The text with the actions applied. When blocked it must not be sent (blocked spans are
/// redacted in it anyway). Valid until the redaction is freed.
///
/// # Safety
/// `redaction` is NULL or a live `rg_redaction`.
#[no_mangle]
pub unsafe extern "C" fn rg_redaction_text(redaction: *const rg_redaction) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(redaction, rg_str::empty(), |r| r.text.as_rg_str()) }
}
/// True when a finding's action is `block`: the text must not leave.
///
/// # Safety
/// `redaction` is NULL or a live `rg_redaction`.
#[no_mangle]
pub unsafe extern "C" fn rg_redaction_blocked(redaction: *const rg_redaction) -> bool {
    // SAFETY: forwarded contract.
    unsafe { with_owned(redaction, false, |r| r.blocked) }
}
/// The findings (offsets in the input text), borrowed: do not free.
///
/// # Safety
/// `redaction` is NULL or a live `rg_redaction`.
#[no_mangle]
pub unsafe extern "C" fn rg_redaction_findings(
    redaction: *const rg_redaction,
) -> *const rg_findings {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(redaction, std::ptr::null(), |r| {
            to_borrowed_ptr::<rg_findings>(&r.findings)
        })
    }
}
/// How many actions were applied.
///
/// # Safety
/// `redaction` is NULL or a live `rg_redaction`.
#[no_mangle]
pub unsafe extern "C" fn rg_redaction_applied_len(redaction: *const rg_redaction) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_owned(redaction, 0, |r| r.applied.len()) }
}
/// `{text, blocked, findings, applied}` as JSON (offsets in bytes). Valid until the redaction
/// is freed.
///
/// # Safety
/// `redaction` is NULL or a live `rg_redaction`.
#[no_mangle]
pub unsafe extern "C" fn rg_redaction_json(redaction: *const rg_redaction) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(redaction, rg_str::empty(), |r| {
            cached_json(&r.json, || RedactionJson {
                text: r.text.as_str(),
                blocked: r.blocked,
                findings: r.findings.json_values(),
                applied: r.applied.iter().map(|a| &a.host).collect(),
            })
        })
    }
}

/// The `index`-th applied action, valid while the redaction lives; NULL when out of range.
///
/// # Safety
/// `redaction` is NULL or a live `rg_redaction`.
#[no_mangle]
pub unsafe extern "C" fn rg_redaction_applied_get(
    redaction: *const rg_redaction,
    index: usize,
) -> *const rg_applied {
    guard(|| {
        // SAFETY: the caller promises `redaction` is NULL or live.
        match unsafe { try_ref(redaction) }.and_then(|r: &Redaction| r.applied.get(index)) {
            Some(a) => to_borrowed_ptr::<rg_applied>(a),
            None => std::ptr::null(),
        }
    })
}

/// Frees a redaction and everything borrowed from it. NULL is a no-op.
///
/// # Safety
/// `redaction` is NULL or an `rg_redaction` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_redaction_free(redaction: *mut rg_redaction) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(redaction) })
}

/// Inline binary data found in a request (a data URL, base64 audio): reported, never scanned.
/// Owned by its `rg_request_scan`.
pub struct rg_inline_data {
    _private: [u8; 0],
}

/// What an `rg_inline_data` handle points at.
pub(crate) struct InlineRecord {
    host: InlineData,
    path: CText,
    media_type: CText,
}

impl Borrowed for rg_inline_data {
    type Rust = InlineRecord;
}

/// The JSON pointer of the inline data.
///
/// # Safety
/// `data` is NULL or a live `rg_inline_data` (its request scan not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_inline_data_path(data: *const rg_inline_data) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(data, rg_str::empty(), |d| d.path.as_rg_str()) }
}

/// Its media type, e.g. `image/png`.
///
/// # Safety
/// `data` is NULL or a live `rg_inline_data`.
#[no_mangle]
pub unsafe extern "C" fn rg_inline_data_media_type(data: *const rg_inline_data) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(data, rg_str::empty(), |d| d.media_type.as_rg_str()) }
}

/// The length of the encoded payload in bytes.
///
/// # Safety
/// `data` is NULL or a live `rg_inline_data`.
#[no_mangle]
pub unsafe extern "C" fn rg_inline_data_bytes(data: *const rg_inline_data) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(data, 0, |d| d.host.bytes) }
}

/// The outcome of `rg_scanner_scan_request`. Free it with `rg_request_scan_free`.
pub struct rg_request_scan {
    _private: [u8; 0],
}

/// What an `rg_request_scan` handle owns.
pub(crate) struct RequestScan {
    blocked: bool,
    request: CText,
    findings: Findings,
    inline_data: Vec<InlineRecord>,
    json: OnceLock<CText>,
}

impl Boxed for rg_request_scan {
    type Rust = RequestScan;
}

impl From<HostRequestScan> for RequestScan {
    fn from(scan: HostRequestScan) -> RequestScan {
        RequestScan {
            blocked: scan.blocked,
            request: CText::from_string(scan.request),
            findings: Findings::from_requests(scan.findings),
            inline_data: scan
                .inline_data
                .into_iter()
                .map(|host| InlineRecord {
                    path: CText::new(&host.path),
                    media_type: CText::new(&host.media_type),
                    host,
                })
                .collect(),
            json: OnceLock::new(),
        }
    }
}

impl RequestScan {
    /// `{blocked, request, findings, inline_data}` with the request embedded as a JSON object.
    fn json(&self) -> rg_str {
        self.json
            .get_or_init(|| {
                let findings = serde_json::to_string(&self.findings.json_values());
                let inline: Vec<&InlineData> = self.inline_data.iter().map(|d| &d.host).collect();
                let inline = serde_json::to_string(&inline);
                CText::from_string(match (findings, inline) {
                    (Ok(findings), Ok(inline)) => format!(
                        "{{\"blocked\":{},\"request\":{},\"findings\":{findings},\"inline_data\":{inline}}}",
                        self.blocked,
                        self.request.as_str(),
                    ),
                    _ => "null".to_owned(),
                })
            })
            .as_rg_str()
    }
}

/// True when a finding's action is `block`: the request must not be sent.
///
/// # Safety
/// `scan` is NULL or a live `rg_request_scan`.
#[no_mangle]
pub unsafe extern "C" fn rg_request_scan_blocked(scan: *const rg_request_scan) -> bool {
    // SAFETY: forwarded contract.
    unsafe { with_owned(scan, false, |s| s.blocked) }
}
/// The rewritten request as compact JSON; still a valid OpenRouter request. Valid until the
/// scan is freed.
///
/// # Safety
/// `scan` is NULL or a live `rg_request_scan`.
#[no_mangle]
pub unsafe extern "C" fn rg_request_scan_request(scan: *const rg_request_scan) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(scan, rg_str::empty(), |s| s.request.as_rg_str()) }
}
/// The findings, each with its `rg_finding_path`; borrowed: do not free.
///
/// # Safety
/// `scan` is NULL or a live `rg_request_scan`.
#[no_mangle]
pub unsafe extern "C" fn rg_request_scan_findings(
    scan: *const rg_request_scan,
) -> *const rg_findings {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(scan, std::ptr::null(), |s| {
            to_borrowed_ptr::<rg_findings>(&s.findings)
        })
    }
}
/// How many inline data items the request holds.
///
/// # Safety
/// `scan` is NULL or a live `rg_request_scan`.
#[no_mangle]
pub unsafe extern "C" fn rg_request_scan_inline_data_len(scan: *const rg_request_scan) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_owned(scan, 0, |s| s.inline_data.len()) }
}
/// `{blocked, request, findings, inline_data}` as JSON, the request as an object. Valid until
/// the scan is freed.
///
/// # Safety
/// `scan` is NULL or a live `rg_request_scan`.
#[no_mangle]
pub unsafe extern "C" fn rg_request_scan_json(scan: *const rg_request_scan) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(scan, rg_str::empty(), |s| s.json()) }
}

/// The `index`-th inline data item; NULL when out of range.
///
/// # Safety
/// `scan` is NULL or a live `rg_request_scan`.
#[no_mangle]
pub unsafe extern "C" fn rg_request_scan_inline_data_get(
    scan: *const rg_request_scan,
    index: usize,
) -> *const rg_inline_data {
    guard(|| {
        // SAFETY: the caller promises `scan` is NULL or live.
        match unsafe { try_ref(scan) }.and_then(|s: &RequestScan| s.inline_data.get(index)) {
            Some(d) => to_borrowed_ptr::<rg_inline_data>(d),
            None => std::ptr::null(),
        }
    })
}

/// Frees a request scan and everything borrowed from it. NULL is a no-op.
///
/// # Safety
/// `scan` is NULL or an `rg_request_scan` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_request_scan_free(scan: *mut rg_request_scan) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(scan) })
}

/// What one stream step lets through. Free it with `rg_released_free`.
pub struct rg_released {
    _private: [u8; 0],
}

/// What an `rg_released` handle owns.
pub(crate) struct Released {
    text: CText,
    blocked: bool,
    findings: Findings,
    json: OnceLock<CText>,
}

impl Boxed for rg_released {
    type Rust = Released;
}

impl From<HostReleased> for Released {
    fn from(r: HostReleased) -> Released {
        Released {
            text: CText::from_string(r.text),
            blocked: r.blocked,
            findings: Findings::new(r.findings),
            json: OnceLock::new(),
        }
    }
}

#[derive(Serialize)]
struct ReleasedJson<'a> {
    text: &'a str,
    blocked: bool,
    findings: Vec<FindingJson<'a>>,
}

/// Text that may be passed on now, with the actions applied (possibly empty).
///
/// # Safety
/// `released` is NULL or a live `rg_released`.
#[no_mangle]
pub unsafe extern "C" fn rg_released_text(released: *const rg_released) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(released, rg_str::empty(), |r| r.text.as_rg_str()) }
}
/// True when this step released a span whose action is `block`.
///
/// # Safety
/// `released` is NULL or a live `rg_released`.
#[no_mangle]
pub unsafe extern "C" fn rg_released_blocked(released: *const rg_released) -> bool {
    // SAFETY: forwarded contract.
    unsafe { with_owned(released, false, |r| r.blocked) }
}
/// Findings in the released text, offsets in bytes from the start of the whole stream;
/// borrowed: do not free.
///
/// # Safety
/// `released` is NULL or a live `rg_released`.
#[no_mangle]
pub unsafe extern "C" fn rg_released_findings(released: *const rg_released) -> *const rg_findings {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(released, std::ptr::null(), |r| {
            to_borrowed_ptr::<rg_findings>(&r.findings)
        })
    }
}
/// `{text, blocked, findings}` as JSON. Valid until the release is freed.
///
/// # Safety
/// `released` is NULL or a live `rg_released`.
#[no_mangle]
pub unsafe extern "C" fn rg_released_json(released: *const rg_released) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(released, rg_str::empty(), |r| {
            cached_json(&r.json, || ReleasedJson {
                text: r.text.as_str(),
                blocked: r.blocked,
                findings: r.findings.json_values(),
            })
        })
    }
}

/// Frees a release. NULL is a no-op.
///
/// # Safety
/// `released` is NULL or an `rg_released` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_released_free(released: *mut rg_released) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(released) })
}
