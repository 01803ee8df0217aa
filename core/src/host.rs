//! What every language binding exposes, decided once. Python, Node and C only convert these values
//! to their own types and map the error code, so all of them behave exactly alike; a feature that
//! two bindings need lands here, not in the bindings.
//!
//! Offsets are given in the caller's [`Unit`] (Python code points, JavaScript UTF-16 units, C bytes)
//! so that slicing the caller's string with them yields the match; byte offsets ride along for logs
//! that must agree across languages.

mod client;
pub use client::{ClientOptions, HostBegun, HostCall, HostGovernor};
#[cfg(feature = "transport")]
pub use client::{HostChatStream, HostClient};

use std::borrow::Borrow;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use crate::audit::chain::decode_key_text;
pub use crate::audit::compose::Details;
use crate::audit::compose::{interaction, reason_refs, DecisionView};
use crate::audit::config::{Opened, TrailConfig};
use crate::audit::export::Filter;
use crate::audit::record::Sdk;
use crate::audit::sink::{LineCallback, MemorySink};
use crate::audit::{
    to_canonical, verify_lines, AuditRecord, AuditTrail, ChainKey, Line, PublicKey, Receipt,
    SigningKey, VerifyReport,
};
use crate::budget::report::{build as build_report, Dimension, Report, ReportQuery};
use crate::budget::{
    actual_cost, parse_window, Cap, CapStatus, Estimate, Ledger, Outcome, ReserveOutcome,
    ReserveRequest, Served, Settlement, SpendMeta, SpendRecord,
};
pub use crate::dlp::text::Unit;
use crate::dlp::text::{byte_offsets_to, length_in};
use crate::dlp::{
    scan_request_json, Action, DetectorInfo, Finding, InlineData, Kind, Rewriter, Rewritten,
    Scanner, ScannerConfig, StreamScanner, Vault,
};
use crate::error::{Error, ErrorCode, Result};
use crate::guard::{CatalogRef, Decision, Guard, PrepareOptions};
use crate::policy::{Policy, Principal, Reason};
use crate::routing::catalog::Catalog;

/// Where a scanner's configuration comes from.
#[derive(Clone, Copy, Debug)]
pub enum ConfigSource<'a> {
    /// The built-in default profile (every detector, default actions).
    Default,
    /// A configuration document in JSON.
    Json(&'a str),
    /// A configuration document in YAML.
    Yaml(&'a str),
    /// A `.json`, `.yaml` or `.yml` file.
    File(&'a Path),
}

/// A scanner that bindings can share between threads and hand to streams.
#[derive(Clone, Debug)]
pub struct HostScanner {
    scanner: SharedScanner,
}

/// The built-in scanner is a static; a configured one is reference-counted. Either way a stream
/// can own its scanner without copying the compiled detectors.
#[derive(Clone, Debug)]
enum SharedScanner {
    Builtin(&'static Scanner),
    Configured(Arc<Scanner>),
}

impl Borrow<Scanner> for SharedScanner {
    fn borrow(&self) -> &Scanner {
        match self {
            SharedScanner::Builtin(scanner) => scanner,
            SharedScanner::Configured(scanner) => scanner,
        }
    }
}

/// A finding as every binding reports it. Never carries the matched text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostFinding {
    pub detector: String,
    pub category: String,
    pub kind: Kind,
    pub action: Action,
    /// Rounded to three decimals, so that every language prints the same number.
    pub confidence: f64,
    /// Start and end in the caller's unit.
    pub start: usize,
    pub end: usize,
    /// Start and end in UTF-8 bytes.
    pub byte_start: usize,
    pub byte_end: usize,
}

/// One action applied to a text, with offsets in the caller's unit in the input and the output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostApplied {
    pub detector: String,
    pub category: String,
    pub action: Action,
    pub start: usize,
    pub end: usize,
    pub output_start: usize,
    pub output_end: usize,
}

/// The outcome of scanning a text and applying the actions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostRedaction {
    /// The text that may leave. When `blocked`, it must not be sent (blocked spans are redacted in
    /// it anyway, so a careless caller does not leak them).
    pub text: String,
    pub blocked: bool,
    pub findings: Vec<HostFinding>,
    pub applied: Vec<HostApplied>,
}

/// A finding in a request: `path` is the JSON pointer of the string (plus `#` and an inner pointer
/// inside tool-call arguments); offsets are relative to that string.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostRequestFinding {
    pub path: String,
    #[serde(flatten)]
    pub finding: HostFinding,
}

/// The outcome of scanning an OpenRouter chat request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostRequestScan {
    /// A finding's action is `block`: the request must not be sent.
    pub blocked: bool,
    /// The rewritten request as compact JSON; still a valid OpenRouter request.
    pub request: String,
    pub findings: Vec<HostRequestFinding>,
    /// Inline binary data (data URLs, base64 audio): reported, never scanned as text.
    pub inline_data: Vec<InlineData>,
}

/// What one step of a stream lets through.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostReleased {
    /// Text that may be passed on now, with the actions applied.
    pub text: String,
    pub blocked: bool,
    /// Findings in the released text; offsets count from the start of the whole stream.
    pub findings: Vec<HostFinding>,
}

/// A detector of the catalogue or of the configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostDetector {
    pub id: String,
    pub category: String,
    pub kind: Kind,
    pub country: Option<String>,
    pub validation: String,
    pub default_action: Action,
    pub action: Action,
    pub confidence: f64,
    pub context_required: bool,
    pub builtin: bool,
}

/// One row of the error table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HostErrorCode {
    pub name: &'static str,
    pub number: u32,
    pub meaning: &'static str,
}

/// A pseudonym vault several calls (and threads) share, so that one value gets one token across
/// messages and responses can be restored.
#[derive(Debug, Default)]
pub struct SharedVault {
    vault: Mutex<Vault>,
}

impl SharedVault {
    pub fn new() -> SharedVault {
        SharedVault::default()
    }

    /// How many distinct values the vault holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts the original values back in place of this vault's pseudonyms.
    pub fn restore(&self, text: &str) -> String {
        self.lock().restore(text)
    }

    fn lock(&self) -> MutexGuard<'_, Vault> {
        // A panic while holding the lock leaves a vault that is still consistent: every insert is
        // a single map operation.
        self.vault
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// How actions are applied: an action for every finding instead of each detector's own, the key
/// for `hash`, and the vault for `pseudonymize`.
#[derive(Clone, Debug, Default)]
pub struct ApplyOptions {
    pub action: Option<Action>,
    pub hash_key: Option<Arc<[u8]>>,
    pub vault: Option<Arc<SharedVault>>,
}

impl ApplyOptions {
    /// Parses an action name for `action`; an unknown name is `invalid_argument`.
    pub fn parse_action(name: &str) -> Result<Action> {
        Action::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
            Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "unknown action `{name}`; expected one of {}",
                    names.join(", ")
                ),
            )
        })
    }

    fn run<T>(
        &self,
        scanner: &Scanner,
        f: impl FnOnce(&mut Rewriter<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut guard = self.vault.as_ref().map(|v| v.lock());
        let mut rewriter = Rewriter::new(scanner.mask_config().clone());
        if let Some(key) = &self.hash_key {
            rewriter = rewriter.with_hash_key(key.to_vec());
        }
        if let Some(vault) = guard.as_deref_mut() {
            rewriter = rewriter.with_vault(vault);
        }
        if let Some(action) = self.action {
            rewriter = rewriter.with_action(action);
        }
        f(&mut rewriter)
    }
}

impl HostScanner {
    /// Builds a scanner; configuration errors carry the path (and line for YAML) of the mistake.
    pub fn new(source: ConfigSource<'_>) -> Result<HostScanner> {
        let config = match source {
            ConfigSource::Default => {
                return Ok(HostScanner {
                    scanner: SharedScanner::Builtin(Scanner::builtin()),
                })
            }
            ConfigSource::Json(text) => ScannerConfig::from_json(text)?,
            ConfigSource::Yaml(text) => ScannerConfig::from_yaml(text)?,
            ConfigSource::File(path) => ScannerConfig::from_file(path)?,
        };
        Ok(HostScanner {
            scanner: SharedScanner::Configured(Arc::new(Scanner::from_config(&config)?)),
        })
    }

    fn scanner(&self) -> &Scanner {
        self.scanner.borrow()
    }

    /// Finds personal data and secrets in `text`.
    pub fn scan(&self, text: &str, unit: Unit) -> Vec<HostFinding> {
        host_findings(text, unit, &self.scanner().scan(text), 0)
    }

    /// Scans `text` and applies every finding's action (or `options.action`).
    pub fn redact(&self, text: &str, unit: Unit, options: &ApplyOptions) -> Result<HostRedaction> {
        let found = self.scanner().scan(text);
        let rewritten = options.run(self.scanner(), |r| r.rewrite(text, &found))?;
        Ok(host_redaction(text, unit, &found, rewritten))
    }

    /// Scans an OpenRouter chat request given as JSON and rewrites it.
    pub fn scan_request(
        &self,
        json: &str,
        unit: Unit,
        options: &ApplyOptions,
    ) -> Result<HostRequestScan> {
        let scan = options.run(self.scanner(), |r| {
            scan_request_json(self.scanner(), json, r)
        })?;
        let findings = scan
            .findings
            .iter()
            .map(|f| {
                let (start, end) = f.span_in(unit);
                HostRequestFinding {
                    path: f.path.clone(),
                    finding: host_finding(&f.finding, start, end),
                }
            })
            .collect();
        let request = serde_json::to_string(&scan.request).map_err(|e| {
            Error::new(ErrorCode::Internal, format!("re-encoding the request: {e}"))
        })?;
        Ok(HostRequestScan {
            blocked: scan.blocked,
            request,
            findings,
            inline_data: scan.inline_data,
        })
    }

    /// A stream scanner that owns (a share of) this scanner.
    pub fn stream(&self, unit: Unit, options: ApplyOptions) -> HostStream {
        HostStream {
            inner: StreamScanner::new(self.scanner.clone()),
            unit,
            options,
            released_units: 0,
        }
    }

    /// The detectors this scanner runs.
    pub fn detectors(&self) -> Vec<HostDetector> {
        self.scanner().detectors().map(host_detector).collect()
    }

    /// The longest text a stream may hold back before releasing, in bytes.
    pub fn stream_holdback(&self) -> usize {
        self.scanner().stream_holdback()
    }
}

/// A text arriving in pieces (a streamed prompt or response): each step releases what no match
/// can still cover, with the actions applied.
#[derive(Debug)]
pub struct HostStream {
    inner: StreamScanner<SharedScanner>,
    unit: Unit,
    options: ApplyOptions,
    /// Units released so far, to report offsets from the start of the stream.
    released_units: usize,
}

impl HostStream {
    /// Feeds a chunk; returns what may be passed on now (possibly nothing).
    pub fn push(&mut self, chunk: &str) -> Result<HostReleased> {
        let released = self.inner.push(chunk)?;
        self.host_released(released)
    }

    /// Ends the stream and returns everything still held. Pushing after this is an error.
    pub fn finish(&mut self) -> Result<HostReleased> {
        let released = self.inner.finish()?;
        self.host_released(released)
    }

    /// Bytes received and not yet released.
    pub fn pending(&self) -> usize {
        self.inner.pending()
    }

    fn host_released(&mut self, released: crate::dlp::Released) -> Result<HostReleased> {
        let local: Vec<Finding> = released
            .findings
            .iter()
            .map(|f| Finding {
                start: f.start - released.offset,
                end: f.end - released.offset,
                ..f.clone()
            })
            .collect();
        let scanner: &Scanner = self.inner.scanner();
        let rewritten = self
            .options
            .run(scanner, |r| r.rewrite(&released.text, &local))?;
        let findings = host_findings(&released.text, self.unit, &local, self.released_units);
        self.released_units += length_in(&released.text, self.unit);
        Ok(HostReleased {
            text: rewritten.text,
            blocked: rewritten.blocked,
            findings,
        })
    }
}

/// The error table, in numeric order.
pub fn error_codes() -> Vec<HostErrorCode> {
    ErrorCode::ALL
        .iter()
        .map(|&code| HostErrorCode {
            name: code.name(),
            number: code.number(),
            meaning: code.meaning(),
        })
        .collect()
}

fn host_findings(text: &str, unit: Unit, found: &[Finding], base: usize) -> Vec<HostFinding> {
    let bytes: Vec<usize> = found.iter().flat_map(|f| [f.start, f.end]).collect();
    let units = byte_offsets_to(text, unit, &bytes);
    found
        .iter()
        .enumerate()
        .map(|(i, f)| host_finding(f, base + units[2 * i], base + units[2 * i + 1]))
        .collect()
}

fn host_finding(f: &Finding, start: usize, end: usize) -> HostFinding {
    HostFinding {
        detector: f.detector.to_string(),
        category: f.category.to_string(),
        kind: f.kind,
        action: f.action,
        confidence: round3(f.confidence),
        start,
        end,
        byte_start: f.start,
        byte_end: f.end,
    }
}

fn host_redaction(
    text: &str,
    unit: Unit,
    found: &[Finding],
    rewritten: Rewritten,
) -> HostRedaction {
    let inputs: Vec<usize> = rewritten
        .applied
        .iter()
        .flat_map(|a| [a.start, a.end])
        .collect();
    let outputs: Vec<usize> = rewritten
        .applied
        .iter()
        .flat_map(|a| [a.output_start, a.output_end])
        .collect();
    let inputs = byte_offsets_to(text, unit, &inputs);
    let outputs = byte_offsets_to(&rewritten.text, unit, &outputs);
    let applied = rewritten
        .applied
        .iter()
        .enumerate()
        .map(|(i, a)| HostApplied {
            detector: a.detector.clone(),
            category: a.category.clone(),
            action: a.action,
            start: inputs[2 * i],
            end: inputs[2 * i + 1],
            output_start: outputs[2 * i],
            output_end: outputs[2 * i + 1],
        })
        .collect();
    HostRedaction {
        findings: host_findings(text, unit, found, 0),
        text: rewritten.text,
        blocked: rewritten.blocked,
        applied,
    }
}

fn host_detector(d: &DetectorInfo) -> HostDetector {
    HostDetector {
        id: d.id.to_string(),
        category: d.category.to_string(),
        kind: d.kind,
        country: d.country.as_ref().map(|c| c.to_string()),
        validation: d.validation.to_string(),
        default_action: d.default_action,
        action: d.action,
        confidence: round3(d.confidence),
        context_required: d.context_required,
        builtin: d.builtin,
    }
}

/// An `f32` confidence as the `f64` every language prints the same way (0.9, not 0.899999976).
fn round3(value: f32) -> f64 {
    (f64::from(value) * 1000.0).round() / 1000.0
}

/// Where a guard's policy comes from.
#[derive(Clone, Copy, Debug)]
pub enum PolicySource<'a> {
    Json(&'a str),
    Yaml(&'a str),
    /// A `.json`, `.yaml` or `.yml` file; relative paths in it resolve against its directory.
    File(&'a Path),
}

/// Where a guard's provider catalogue comes from.
#[derive(Clone, Copy, Debug)]
pub enum CatalogSource<'a> {
    /// The snapshot shipped with this release.
    Builtin,
    /// A snapshot document (the shape of `core/data/catalog/snapshot.json`).
    Snapshot(&'a str),
    /// A directory of OpenRouter API responses saved as files.
    Dir(&'a Path),
}

/// A policy over a catalogue: the decisions of the governed call, shared between threads.
#[derive(Clone, Debug)]
pub struct HostGuard {
    guard: Arc<Guard>,
}

/// Why a request is denied, or a notice that did not deny (shadow rules, removed fallbacks).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostReason {
    pub code: String,
    /// The policy path of the rule, e.g. `workspaces.eu.providers.processing`.
    pub rule: String,
    pub message: String,
    pub shadow: bool,
}

/// A DLP finding in a prepared request: where and what, never the value.
pub use crate::guard::PreparedFinding as HostPreparedFinding;

/// A request that may be sent; `verify` checks its response against `models` and `providers`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostPrepared {
    /// The request to send, as compact JSON.
    pub request: String,
    pub models: Vec<String>,
    /// The provider tags in `provider.only` (empty: the policy does not constrain providers).
    pub providers: Vec<String>,
    pub findings: Vec<HostPreparedFinding>,
}

/// The outcome of `prepare`: `prepared` is set exactly when `allowed`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostDecision {
    pub allowed: bool,
    pub reasons: Vec<HostReason>,
    pub notices: Vec<HostReason>,
    pub policy_hash: String,
    pub prepared: Option<HostPrepared>,
}

/// The outcome of `verify`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostVerification {
    pub allowed: bool,
    /// The served provider's slug, when known.
    pub provider: Option<String>,
    pub model: Option<String>,
    pub reasons: Vec<HostReason>,
    /// The response to hand to the application (content withheld on a violation), as JSON.
    pub response: String,
    pub withheld: bool,
}

impl HostGuard {
    /// Loads the policy and checks every provider it names against the catalogue.
    pub fn new(policy: PolicySource<'_>, catalog: CatalogSource<'_>) -> Result<HostGuard> {
        let policy = match policy {
            PolicySource::Json(text) => Policy::from_json(text)?,
            PolicySource::Yaml(text) => Policy::from_yaml(text)?,
            PolicySource::File(path) => Policy::from_file(path)?,
        };
        let catalog = match catalog {
            CatalogSource::Builtin => CatalogRef::Builtin,
            CatalogSource::Snapshot(text) => {
                CatalogRef::Loaded(Arc::new(Catalog::from_snapshot_json(text)?))
            }
            CatalogSource::Dir(dir) => CatalogRef::Loaded(Arc::new(Catalog::from_dir(dir)?)),
        };
        Ok(HostGuard {
            guard: Arc::new(Guard::with_catalog(policy, catalog)?),
        })
    }

    pub fn policy_hash(&self) -> &str {
        self.guard.policy().hash()
    }

    /// The policy has a `defaults.audit` section (so every call must be recorded).
    pub fn audits(&self) -> bool {
        self.guard.policy().audit().is_some()
    }

    /// The policy's `on_error: allow`: a failing store lets requests through, recorded as such.
    pub fn fails_open(&self) -> bool {
        self.guard.policy().on_error_allows()
    }

    /// The filter for the answer to a prepared request (see [`Guard::response_filter`]).
    pub fn response_filter(
        &self,
        principal_json: &str,
        vault: &SharedVault,
        hash_key: Option<&[u8]>,
    ) -> Result<crate::dlp::ResponseFilter> {
        let principal = parse_principal(principal_json)?;
        let vault = vault.lock().clone();
        self.guard
            .response_filter(&principal, vault, hash_key.map(<[u8]>::to_vec))
    }

    /// Decides about a chat request (JSON) for a principal (JSON: `user`, `workspace`, optional
    /// `groups` and `tags`). `hash_key` and `vault` serve the policy's `hash` and `pseudonymize`.
    pub fn prepare(
        &self,
        principal_json: &str,
        request_json: &str,
        hash_key: Option<&[u8]>,
        vault: Option<&SharedVault>,
    ) -> Result<HostDecision> {
        let principal = parse_principal(principal_json)?;
        let mut guard = vault.map(|v| v.lock());
        let options = PrepareOptions {
            hash_key: hash_key.map(<[u8]>::to_vec),
            vault: guard.as_deref_mut(),
        };
        let decision = self.guard.prepare(&principal, request_json, options)?;
        Ok(match decision {
            Decision::Deny {
                reasons,
                shadow,
                policy_hash,
            } => HostDecision {
                allowed: false,
                reasons: host_reasons(&reasons),
                notices: host_reasons(&shadow),
                policy_hash,
                prepared: None,
            },
            Decision::Allow(prepared) => HostDecision {
                allowed: true,
                reasons: Vec::new(),
                notices: host_reasons(&prepared.notices),
                policy_hash: prepared.policy_hash,
                prepared: Some(HostPrepared {
                    request: prepared.request,
                    models: prepared.models,
                    providers: prepared.providers,
                    findings: prepared.findings,
                }),
            },
        })
    }

    /// Why a response already parsed breaks the policy (served provider and model); empty when
    /// it does not. [`verify`](Self::verify) without copying the response.
    pub fn violations(
        &self,
        prepared: &HostPrepared,
        response: &serde_json::Value,
    ) -> Vec<HostReason> {
        let check = self
            .guard
            .check_served(&prepared.models, &prepared.providers, response);
        host_reasons(&check.reasons)
    }

    /// Checks the response (JSON) to a prepared request: served provider and model.
    pub fn verify(&self, prepared: &HostPrepared, response_json: &str) -> Result<HostVerification> {
        let verification =
            self.guard
                .verify_served(&prepared.models, &prepared.providers, response_json)?;
        Ok(HostVerification {
            withheld: !verification.allowed,
            allowed: verification.allowed,
            provider: verification.provider,
            model: verification.model,
            reasons: host_reasons(&verification.reasons),
            response: verification.response,
        })
    }
}

fn parse_principal(principal_json: &str) -> Result<Principal> {
    serde_json::from_str(principal_json).map_err(|e| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "principal: {e} (expected {{\"user\", \"workspace\", \"groups\"?, \"tags\"?}})"
            ),
        )
    })
}

fn host_reasons(reasons: &[Reason]) -> Vec<HostReason> {
    reasons
        .iter()
        .map(|r| HostReason {
            code: r.code.to_string(),
            rule: r.rule.clone(),
            message: r.message.clone(),
            shadow: r.shadow,
        })
        .collect()
}

/// A ledger that bindings share between threads: reservations, settlement and reports.
#[derive(Clone)]
pub struct HostLedger {
    ledger: Arc<dyn Ledger>,
}

impl std::fmt::Debug for HostLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostLedger")
            .field("backend", &self.ledger.backend())
            .finish()
    }
}

/// A reservation made through the guard: the estimate it rests on and the ledger's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostReservation {
    /// Set when the cost could be bounded.
    pub estimate: Option<Estimate>,
    #[serde(flatten)]
    pub outcome: ReserveOutcome,
}

/// The lease a reservation gets when the caller names none: long enough for a slow streamed
/// answer, short enough that a crashed process frees its budget within minutes.
pub const DEFAULT_LEASE_MS: u64 = 10 * 60 * 1000;

/// The current time in Unix milliseconds: the ledger's clock when a caller passes none.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn bad_json(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::InvalidArgument, format!("{what}: {e}"))
}

impl HostLedger {
    /// Opens `memory:`, `sqlite:PATH` or `postgres://...`.
    pub fn open(url: &str) -> Result<HostLedger> {
        Ok(HostLedger::from_ledger(crate::budget::open(url)?))
    }

    /// A ledger of the application's own (a `Ledger` implementation) behind the same handle.
    pub fn from_ledger(ledger: Box<dyn Ledger>) -> HostLedger {
        HostLedger {
            ledger: Arc::from(ledger),
        }
    }

    pub fn backend(&self) -> &'static str {
        self.ledger.backend()
    }

    /// Holds `amount_micros` on every cap of `caps_json` (a list of `{rule, subject, window,
    /// limit_micros, shadow?}`), for `meta_json` (`{user, workspace, groups?, tags?, model?}`).
    pub fn reserve(
        &self,
        caps_json: &str,
        amount_micros: u64,
        meta_json: &str,
        lease_ms: Option<u64>,
        now: Option<i64>,
    ) -> Result<ReserveOutcome> {
        let caps: Vec<Cap> = serde_json::from_str(caps_json).map_err(|e| {
            bad_json(
                "caps",
                format!(
                    "{e} (expected a list of {{rule, subject, window, limit_micros, shadow?}})"
                ),
            )
        })?;
        let meta: SpendMeta = serde_json::from_str(meta_json).map_err(|e| {
            bad_json(
                "meta",
                format!("{e} (expected {{user, workspace, groups?, tags?, model?}})"),
            )
        })?;
        self.ledger.reserve(
            &ReserveRequest {
                caps,
                amount_micros,
                estimate_micros: amount_micros,
                lease_ms: lease_ms.unwrap_or(DEFAULT_LEASE_MS),
                meta,
            },
            now.unwrap_or_else(now_ms),
        )
    }

    /// Settles a reservation with `settlement_json` (`{outcome, actual_micros?, provider?,
    /// model?, prompt_tokens?, completion_tokens?}`).
    pub fn settle(&self, id: &str, settlement_json: &str, now: Option<i64>) -> Result<SpendRecord> {
        let settlement: Settlement = serde_json::from_str(settlement_json).map_err(|e| {
            bad_json(
                "settlement",
                format!("{e} (expected {{outcome, actual_micros?, provider?, model?, prompt_tokens?, completion_tokens?}})"),
            )
        })?;
        self.ledger
            .settle(id, &settlement, now.unwrap_or_else(now_ms))
    }

    /// Extends a reservation's lease (long streams).
    pub fn renew(&self, id: &str, lease_ms: u64, now: Option<i64>) -> Result<()> {
        self.ledger.renew(id, lease_ms, now.unwrap_or_else(now_ms))
    }

    /// The caps' state now: spent, reserved, limit, reset time.
    pub fn status(&self, caps_json: &str, now: Option<i64>) -> Result<Vec<CapStatus>> {
        let caps: Vec<Cap> = serde_json::from_str(caps_json).map_err(|e| bad_json("caps", e))?;
        self.ledger.status(&caps, now.unwrap_or_else(now_ms))
    }

    /// Spend records settled in `[since, until)` (Unix ms).
    pub fn records(&self, since: Option<i64>, until: Option<i64>) -> Result<Vec<SpendRecord>> {
        self.ledger.records(since, until)
    }

    /// Spend grouped by `by` (`provider,model`; empty for the total only) over the current
    /// period of `window` (`day`, `week`, `month`, `total`).
    pub fn report(&self, by: &str, window: &str, now: Option<i64>) -> Result<Report> {
        let by = Dimension::parse_list(by)?;
        let window = parse_window(window).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("`{window}` is not a window (day, week, month, total)"),
            )
        })?;
        let now = now.unwrap_or_else(now_ms);
        let since = match window {
            crate::policy::Window::Total => None,
            w => Some(crate::budget::period(w, now).start_ms),
        };
        let records = self.ledger.records(since, None)?;
        Ok(build_report(
            &records,
            &ReportQuery {
                by,
                window,
                now_ms: now,
            },
        ))
    }
}

impl HostGuard {
    /// Reserves the worst-case cost of a prepared request against every cap that applies to the
    /// principal. A cost that cannot be bounded (unknown price) is an error, never $0.
    pub fn reserve(
        &self,
        ledger: &HostLedger,
        principal_json: &str,
        prepared: &HostPrepared,
        lease_ms: Option<u64>,
        now: Option<i64>,
    ) -> Result<HostReservation> {
        let principal = parse_principal(principal_json)?;
        let caps = match self.guard.caps(&principal)? {
            Ok(caps) => caps,
            Err(reasons) => {
                let first = reasons.first().map_or(String::new(), |r| r.message.clone());
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!("the policy does not know this principal: {first}"),
                ));
            }
        };
        let estimate =
            self.guard
                .estimate(&prepared.request, &prepared.models, &prepared.providers)?;
        let outcome = ledger.ledger.reserve(
            &ReserveRequest {
                caps,
                amount_micros: estimate.reserve_micros,
                estimate_micros: estimate.reserve_micros,
                lease_ms: lease_ms.unwrap_or(DEFAULT_LEASE_MS),
                meta: SpendMeta {
                    user: principal.user.clone(),
                    workspace: principal.workspace.clone(),
                    groups: principal.groups.clone(),
                    tags: principal.tags.clone(),
                    model: prepared.models.first().cloned().unwrap_or_default(),
                },
            },
            now.unwrap_or_else(now_ms),
        )?;
        Ok(HostReservation {
            estimate: Some(estimate),
            outcome,
        })
    }

    /// Settles a reservation from OpenRouter's response (JSON, or the final stream chunk that
    /// carries `usage`): `usage.cost` when present, else tokens times the served endpoint's
    /// price. Without a response (cancelled, failed before usage) the reservation is charged
    /// and the record says the actual cost is not known yet.
    pub fn settle(
        &self,
        ledger: &HostLedger,
        reservation_id: &str,
        response_json: Option<&str>,
        outcome: &str,
        now: Option<i64>,
    ) -> Result<SpendRecord> {
        let outcome = parse_outcome(outcome)?;
        let response = response_json
            .map(crate::guard::parse_response)
            .transpose()?;
        self.settle_parsed(ledger, reservation_id, response.as_ref(), outcome, now)
    }

    /// [`settle`](Self::settle) with the response already parsed.
    pub fn settle_value(
        &self,
        ledger: &HostLedger,
        reservation_id: &str,
        response: Option<&serde_json::Value>,
        outcome: &str,
        now: Option<i64>,
    ) -> Result<SpendRecord> {
        let outcome = parse_outcome(outcome)?;
        self.settle_parsed(ledger, reservation_id, response, outcome, now)
    }

    fn settle_parsed(
        &self,
        ledger: &HostLedger,
        reservation_id: &str,
        response: Option<&serde_json::Value>,
        outcome: Outcome,
        now: Option<i64>,
    ) -> Result<SpendRecord> {
        let field = |k: &str| response.and_then(|r| r.get(k)).and_then(|v| v.as_str());
        let provider = field("provider").and_then(|name| self.guard.provider_slug(name));
        let model = field("model").map(String::from);
        let usage = response.and_then(|r| r.get("usage"));
        let served = Served {
            model: model.as_deref(),
            provider: provider.as_deref(),
            usage,
        };
        let actual = actual_cost(self.guard.catalog(), &served)?;
        let tokens = |k: &str| usage.and_then(|u| u.get(k)).and_then(|v| v.as_u64());
        ledger.ledger.settle(
            reservation_id,
            &Settlement {
                outcome,
                actual_micros: actual.map(|(micros, _)| micros),
                provider,
                model,
                prompt_tokens: tokens("prompt_tokens"),
                completion_tokens: tokens("completion_tokens"),
            },
            now.unwrap_or_else(now_ms),
        )
    }
}

fn parse_outcome(outcome: &str) -> Result<Outcome> {
    Outcome::parse(outcome).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "`{outcome}` is not an outcome (completed, streamed, cancelled, timed_out, failed)"
            ),
        )
    })
}

/// An audit trail that bindings share between threads: writing (directly or through the
/// guard), checkpoints and close.
#[derive(Clone)]
pub struct HostAuditTrail {
    trail: Arc<AuditTrail>,
    memory: Option<MemorySink>,
}

impl std::fmt::Debug for HostAuditTrail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostAuditTrail")
            .field("writer", &self.trail.writer())
            .finish()
    }
}

/// The SDK that writes records: `language` as the binding names itself, this release's version.
pub fn sdk(language: &str) -> Sdk {
    Sdk {
        language: language.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

impl HostAuditTrail {
    /// Opens a trail from a JSON configuration (`{sink: {type: jsonl|postgres|memory|callback,
    /// ...}, writer?, prompt?, response?, on_sink_error?, checkpoint_every?,
    /// checkpoint_interval_ms?, sdk?}`). Keys are hex text or raw bytes; `language` fills `sdk`
    /// when the configuration names none.
    pub fn open(
        config_json: &str,
        chain_key: &[u8],
        signing_key: Option<&[u8]>,
        callback: Option<LineCallback>,
        language: &str,
        now: Option<i64>,
    ) -> Result<HostAuditTrail> {
        let mut config = TrailConfig::parse(config_json)?;
        let key = ChainKey::new(&decode_key_text(chain_key))?;
        let signer = signing_key
            .map(|k| SigningKey::from_seed(&decode_key_text(k)))
            .transpose()?;
        config.sdk.get_or_insert_with(|| sdk(language));
        Self::opened(config.open(key, signer, callback, now.unwrap_or_else(now_ms))?)
    }

    fn opened(opened: Opened) -> Result<HostAuditTrail> {
        Ok(HostAuditTrail {
            trail: Arc::new(opened.trail),
            memory: opened.memory,
        })
    }

    pub fn writer(&self) -> &str {
        self.trail.writer()
    }

    /// The checkpoints' public key (hex), when the trail signs.
    pub fn public_key(&self) -> Option<String> {
        self.trail.public_key()
    }

    /// Writes an interaction event (JSON: the record's interaction fields).
    pub fn write(&self, event_json: &str, now: Option<i64>) -> Result<Receipt> {
        self.trail
            .write_json(event_json, now.unwrap_or_else(now_ms))
    }

    pub fn checkpoint(&self, now: Option<i64>) -> Result<Receipt> {
        self.trail.checkpoint(now.unwrap_or_else(now_ms))
    }

    /// Writes the closing checkpoint and flushes; later writes fail with `audit_trail_closed`.
    pub fn close(&self, now: Option<i64>) -> Result<Receipt> {
        self.trail.close(now.unwrap_or_else(now_ms))
    }

    /// Writes what a fail-open outage held back, if the sink takes it now, and fsyncs.
    pub fn flush(&self, now: Option<i64>) -> Result<()> {
        self.trail.flush(now.unwrap_or_else(now_ms))
    }

    /// The lines of a `memory` trail.
    pub fn lines(&self) -> Result<Vec<String>> {
        self.memory.as_ref().map(MemorySink::lines).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                "only a trail with a memory sink keeps its lines",
            )
        })
    }
}

/// Checks the log at `location` (a file, a directory or a PostgreSQL URL).
pub fn audit_verify(
    location: &str,
    chain_key: &[u8],
    public_key: Option<&[u8]>,
) -> Result<VerifyReport> {
    let (key, public_key) = verify_keys(chain_key, public_key)?;
    let mut failure = None;
    let lines = crate::audit::read::read_lines(location)?.map_while(|line| match line {
        Ok(line) => Some(line),
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    let report = verify_lines(lines, &key, public_key.as_ref());
    match failure {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// Checks a log given as text (its JSON Lines).
pub fn audit_verify_text(
    text: &[u8],
    chain_key: &[u8],
    public_key: Option<&[u8]>,
) -> Result<VerifyReport> {
    let mut lines = Vec::new();
    let mut rest = text;
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        let (bytes, terminated, next) = match rest.iter().position(|b| *b == b'\n') {
            Some(i) => (&rest[..i], true, &rest[i + 1..]),
            None => (rest, false, &rest[rest.len()..]),
        };
        lines.push(Line {
            source: "input".into(),
            number,
            bytes: bytes.to_vec(),
            terminated,
        });
        rest = next;
    }
    let (key, public_key) = verify_keys(chain_key, public_key)?;
    Ok(verify_lines(lines, &key, public_key.as_ref()))
}

fn verify_keys(
    chain_key: &[u8],
    public_key: Option<&[u8]>,
) -> Result<(ChainKey, Option<PublicKey>)> {
    let key = ChainKey::new(&decode_key_text(chain_key))?;
    let public_key = public_key
        .map(|k| PublicKey::from_bytes(&decode_key_text(k)))
        .transpose()?;
    Ok((key, public_key))
}

/// The records of the log at `location` that `filter_json` keeps (`{user?, workspace?,
/// provider?, model?, outcome?, since_ms?, until_ms?, all_kinds?}`), oldest first.
pub fn audit_search(location: &str, filter_json: &str) -> Result<Vec<AuditRecord>> {
    let filter: Filter = if filter_json.trim().is_empty() {
        Filter::default()
    } else {
        serde_json::from_str(filter_json).map_err(|e| bad_json("audit filter", e))?
    };
    crate::audit::read::read_records(location, |r| filter.matches(r))
}

/// The log at `location` as `csv` or `ocsf` (JSON Lines of OCSF API Activity events).
pub fn audit_export(location: &str, format: &str) -> Result<String> {
    let records = audit_search(location, "")?;
    match format {
        "csv" => Ok(crate::audit::export::to_csv(&records)),
        "ocsf" => crate::audit::export::to_ocsf_lines(&records),
        other => Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("`{other}` is not an export format (csv, ocsf)"),
        )),
    }
}

/// RFC 8785 canonical JSON of `json`: the bytes records are hashed and signed over.
pub fn canonical_json(json: &str) -> Result<String> {
    let value: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| Error::new(ErrorCode::InvalidJson, e.to_string()))?;
    to_canonical(&value)
}

impl HostGuard {
    /// Opens the trail the policy's `defaults.audit` describes (keys from the environment or
    /// files it names). `callback` serves a `callback` sink.
    pub fn open_audit_trail(
        &self,
        callback: Option<LineCallback>,
        language: &str,
        now: Option<i64>,
    ) -> Result<HostAuditTrail> {
        let settings = self.guard.policy().audit().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                "the policy has no defaults.audit section",
            )
        })?;
        let (mut config, key, signer) = TrailConfig::from_policy(settings)?;
        config.sdk = Some(sdk(language));
        HostAuditTrail::opened(config.open(key, signer, callback, now.unwrap_or_else(now_ms))?)
    }

    /// The audit event of an interaction: the principal, the request as the caller gave it,
    /// `prepare`'s decision and what followed (`details_json`: `{response?, estimate_micros?,
    /// reserved_micros?, billed_micros?, error?, latency_ms?, id?, time?, stream?, attempts?,
    /// fail_open?, sdk?}`).
    pub fn audit_event(
        &self,
        principal_json: &str,
        request_json: &str,
        decision: &HostDecision,
        details_json: &str,
    ) -> Result<AuditRecord> {
        self.audit_event_with(
            principal_json,
            request_json,
            decision,
            Details::parse(details_json)?,
        )
    }

    /// [`audit_event`](Self::audit_event) with the details already as values (the governed call
    /// has them so, and need not write them as JSON to read them back).
    pub fn audit_event_with(
        &self,
        principal_json: &str,
        request_json: &str,
        decision: &HostDecision,
        details: Details,
    ) -> Result<AuditRecord> {
        let principal = parse_principal(principal_json)?;
        let request: serde_json::Value = serde_json::from_str(request_json)
            .map_err(|e| Error::new(ErrorCode::InvalidJson, format!("request: {e}")))?;
        let refs = |reasons: &[HostReason]| {
            reason_refs(reasons.iter().map(|r| {
                (
                    r.code.as_str(),
                    r.rule.as_str(),
                    r.message.as_str(),
                    r.shadow,
                )
            }))
        };
        let prepared = decision.prepared.as_ref();
        let view = DecisionView {
            allowed: decision.allowed,
            reasons: refs(&decision.reasons),
            notices: refs(&decision.notices),
            policy_hash: &decision.policy_hash,
            sent: prepared.map(|p| p.request.as_str()),
            models: prepared.map_or(&[], |p| p.models.as_slice()),
            providers: prepared.map_or(&[], |p| p.providers.as_slice()),
            findings: prepared.map_or(&[], |p| p.findings.as_slice()),
        };
        interaction(&self.guard, &principal, &request, &view, details)
    }

    /// Writes the interaction's record to `trail` (see [`audit_event`](Self::audit_event)).
    pub fn audit(
        &self,
        trail: &HostAuditTrail,
        principal_json: &str,
        request_json: &str,
        decision: &HostDecision,
        details_json: &str,
        now: Option<i64>,
    ) -> Result<Receipt> {
        let details = Details::parse(details_json)?;
        self.audit_with(trail, principal_json, request_json, decision, details, now)
    }

    /// [`audit`](Self::audit) with the details as values.
    pub fn audit_with(
        &self,
        trail: &HostAuditTrail,
        principal_json: &str,
        request_json: &str,
        decision: &HostDecision,
        details: Details,
        now: Option<i64>,
    ) -> Result<Receipt> {
        let event = self.audit_event_with(principal_json, request_json, decision, details)?;
        trail.trail.write(event, now.unwrap_or_else(now_ms))
    }
}
