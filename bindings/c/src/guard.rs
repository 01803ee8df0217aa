//! Policy decisions: the guard (a policy over a provider catalogue), `prepare` and `verify`, and
//! their result objects (decision, prepared request, reasons, verification). Each export converts
//! its arguments, calls `routeguard::host::HostGuard` and wraps the outcome; what a policy means
//! is decided in the core.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use routeguard::host::{
    CatalogSource, HostDecision, HostGuard, HostPrepared, HostPreparedFinding, HostReason,
    HostVerification, PolicySource, SharedVault,
};
use routeguard::Error;
use serde::Serialize;

use crate::error::{rg_error, rg_result};
use crate::ffi::{
    bytes_arg, check_out, free_boxed, invalid_argument, not_utf8, rg_str, text_arg,
    to_borrowed_ptr, to_boxed_ptr, try_borrowed, try_ref, write_out, Borrowed, Boxed, CText,
};
use crate::panic::{catch, guard, report};
use crate::results::{action_name, cached_json, with_borrowed, with_owned};
use crate::scanner::rg_vault;

/// How `rg_guard_new` reads its `policy` bytes: one of the `RG_POLICY_*` values.
pub type rg_policy_format = u32;
/// `policy` is a policy document in JSON.
pub const RG_POLICY_JSON: rg_policy_format = 1;
/// `policy` is a policy document in YAML (errors name the line and column).
pub const RG_POLICY_YAML: rg_policy_format = 2;
/// `policy` is the path of a `.json`, `.yaml` or `.yml` file (any bytes the OS accepts); relative
/// paths inside it resolve against its directory.
pub const RG_POLICY_FILE: rg_policy_format = 3;

/// How `rg_guard_new` reads its `catalog` bytes: one of the `RG_CATALOG_*` values.
pub type rg_catalog_format = u32;
/// The provider catalogue shipped with this release; `catalog` must be empty.
pub const RG_CATALOG_DEFAULT: rg_catalog_format = 0;
/// `catalog` is a snapshot document in JSON (the shape of the shipped snapshot).
pub const RG_CATALOG_SNAPSHOT_JSON: rg_catalog_format = 1;
/// `catalog` is the path of a directory of OpenRouter API responses saved as files.
pub const RG_CATALOG_DIR: rg_catalog_format = 2;

/// A policy over a provider catalogue. Immutable: one guard may be used from many threads at
/// once. Free it with `rg_guard_free` once no call uses it; decisions and verifications do not
/// refer to it.
pub struct rg_guard {
    _private: [u8; 0],
}

/// What an `rg_guard` handle owns: the host guard and its policy hash as a C string.
pub(crate) struct Guard {
    pub(crate) host: HostGuard,
    policy_hash: CText,
}

impl Boxed for rg_guard {
    type Rust = Guard;
}

/// Bytes that must be UTF-8 text (a policy or catalogue document).
fn utf8<'a>(what: &str, bytes: &'a [u8]) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|e| not_utf8(what, e.valid_up_to()))
}

/// # Safety
/// `guard` is NULL or a live `rg_guard`.
pub(crate) unsafe fn guard_arg<'a>(guard: *const rg_guard) -> Result<&'a Guard, Error> {
    // SAFETY: the caller promises `guard` is NULL or live.
    unsafe { try_ref(guard) }.ok_or_else(|| invalid_argument("the guard is NULL"))
}

/// Builds a guard from a policy (`RG_POLICY_JSON`, `_YAML` or `_FILE`) over a catalogue
/// (`RG_CATALOG_DEFAULT` with no bytes, `_SNAPSHOT_JSON` or `_DIR`) and stores it in `*out`.
/// Policy errors (`RG_INVALID_POLICY`, `RG_INVALID_GLOB`, `RG_UNSUPPORTED_POLICY_VERSION`,
/// `RG_UNKNOWN_PROVIDER`, ...) name the path (and for YAML the line and column) of the mistake;
/// a bad catalogue is `RG_INVALID_CATALOG`.
///
/// # Safety
/// `policy` is NULL (only with `policy_len == 0`) or readable for `policy_len` bytes; likewise
/// `catalog`; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_new(
    policy: *const u8,
    policy_len: usize,
    format: rg_policy_format,
    catalog: *const u8,
    catalog_len: usize,
    catalog_format: rg_catalog_format,
    out: *mut *mut rg_guard,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_guard_new", || {
        check_out(out)?;
        // SAFETY: the caller promises both (ptr, len) pairs describe readable bytes.
        let (policy, catalog) = unsafe {
            (
                bytes_arg(policy, policy_len, "policy")?,
                bytes_arg(catalog, catalog_len, "catalog")?,
            )
        };
        let policy = match format {
            RG_POLICY_JSON => PolicySource::Json(utf8("policy", policy)?),
            RG_POLICY_YAML => PolicySource::Yaml(utf8("policy", policy)?),
            RG_POLICY_FILE => PolicySource::File(Path::new(OsStr::from_bytes(policy))),
            other => return Err(invalid_argument(format!("unknown policy format {other}"))),
        };
        let catalog = match catalog_format {
            RG_CATALOG_DEFAULT if catalog.is_empty() => CatalogSource::Builtin,
            RG_CATALOG_DEFAULT => {
                return Err(invalid_argument(
                    "RG_CATALOG_DEFAULT takes no catalog bytes",
                ))
            }
            RG_CATALOG_SNAPSHOT_JSON => CatalogSource::Snapshot(utf8("catalog", catalog)?),
            RG_CATALOG_DIR => CatalogSource::Dir(Path::new(OsStr::from_bytes(catalog))),
            other => return Err(invalid_argument(format!("unknown catalog format {other}"))),
        };
        let host = HostGuard::new(policy, catalog)?;
        let guard = Guard {
            policy_hash: CText::new(host.policy_hash()),
            host,
        };
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(guard)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees a guard. NULL is a no-op.
///
/// # Safety
/// `guard` is NULL or an `rg_guard` not freed before, that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_free(guard: *mut rg_guard) {
    // SAFETY: the caller hands over ownership.
    crate::panic::guard(|| unsafe { free_boxed(guard) })
}

/// The hash of the policy, `sha256:<hex>` of its canonical JSON (the same for the YAML and JSON
/// forms of one policy), as decisions and audit records report it. Valid until the guard is
/// freed; empty for NULL.
///
/// # Safety
/// `guard` is NULL or a live `rg_guard`.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_policy_hash(guard: *const rg_guard) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(guard, rg_str::empty(), |g| g.policy_hash.as_rg_str()) }
}

/// Decides about an OpenRouter chat request (JSON text) for a principal (JSON text: `{"user",
/// "workspace", "groups"?, "tags"?}`) and stores the decision in `*out`. A denial is not an error:
/// check `rg_decision_allowed`. `hash_key` (any bytes; NULL, 0 for none) serves the policy's `hash`
/// action and `vault` (NULL for none) its `pseudonymize` action. Malformed JSON is
/// `RG_INVALID_JSON`, a request of the wrong shape `RG_INVALID_REQUEST`, a principal of the wrong
/// shape `RG_INVALID_ARGUMENT`.
///
/// # Safety
/// `guard` is NULL or live; `principal`, `request` and `hash_key` are NULL (only with a length of
/// 0) or readable for their lengths; `vault` is NULL or live; `out` is writable; `err` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_prepare(
    guard: *const rg_guard,
    principal: *const u8,
    principal_len: usize,
    request: *const u8,
    request_len: usize,
    hash_key: *const u8,
    hash_key_len: usize,
    vault: *const rg_vault,
    out: *mut *mut rg_decision,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_guard_prepare", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (guard, principal, request, hash_key, vault) = unsafe {
            let vault: Option<&Arc<SharedVault>> = try_ref(vault);
            (
                guard_arg(guard)?,
                text_arg(principal, principal_len, "principal")?,
                text_arg(request, request_len, "request")?,
                bytes_arg(hash_key, hash_key_len, "hash_key")?,
                vault,
            )
        };
        let hash_key = (!hash_key.is_empty()).then_some(hash_key);
        let decision = guard.host.prepare(
            principal,
            request,
            hash_key,
            vault.map(|v| -> &SharedVault { v }),
        )?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(Decision::from(decision))) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Checks the response (JSON text) to a prepared request: maps the served provider's name to its
/// slug and checks it and the served model against what the decision allowed. A violation is not
/// an error: check `rg_verification_allowed` (the content is then withheld). Stores the outcome in
/// `*out`.
///
/// # Safety
/// `guard` is NULL or live; `prepared` is NULL or a live `rg_prepared` (its decision not freed);
/// `response` is NULL (only with `response_len == 0`) or readable for `response_len` bytes; `out`
/// is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_verify(
    guard: *const rg_guard,
    prepared: *const rg_prepared,
    response: *const u8,
    response_len: usize,
    out: *mut *mut rg_verification,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_guard_verify", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (guard, prepared, response) = unsafe {
            let prepared: Option<&Prepared> = try_borrowed(prepared);
            (
                guard_arg(guard)?,
                prepared.ok_or_else(|| {
                    invalid_argument("the prepared request is NULL (a denied decision has none)")
                })?,
                text_arg(response, response_len, "response")?,
            )
        };
        let verification = guard.host.verify(&prepared.host, response)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(Verification::from(verification))) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// One reason (why a request is denied or a response withheld) or notice (a shadow rule, a removed
/// fallback). Owned by its `rg_reasons` list; never freed on its own.
pub struct rg_reason {
    _private: [u8; 0],
}

/// What an `rg_reason` handle points at.
pub(crate) struct ReasonRecord {
    code: CText,
    rule: CText,
    message: CText,
    shadow: bool,
}

impl Borrowed for rg_reason {
    type Rust = ReasonRecord;
}

#[derive(Serialize)]
struct ReasonJson<'a> {
    code: &'a str,
    rule: &'a str,
    message: &'a str,
    shadow: bool,
}

impl ReasonRecord {
    fn json(&self) -> ReasonJson<'_> {
        ReasonJson {
            code: self.code.as_str(),
            rule: self.rule.as_str(),
            message: self.message.as_str(),
            shadow: self.shadow,
        }
    }
}

/// A list of reasons, in the order the rules were checked. Borrowed from a decision or a
/// verification: never freed on its own.
pub struct rg_reasons {
    _private: [u8; 0],
}

/// What an `rg_reasons` handle points at.
pub(crate) struct Reasons {
    items: Vec<ReasonRecord>,
    json: OnceLock<CText>,
}

impl Borrowed for rg_reasons {
    type Rust = Reasons;
}

impl Reasons {
    fn new(reasons: Vec<HostReason>) -> Reasons {
        Reasons {
            items: reasons
                .into_iter()
                .map(|r| ReasonRecord {
                    code: CText::from_string(r.code),
                    rule: CText::from_string(r.rule),
                    message: CText::from_string(r.message),
                    shadow: r.shadow,
                })
                .collect(),
            json: OnceLock::new(),
        }
    }

    fn json_values(&self) -> Vec<ReasonJson<'_>> {
        self.items.iter().map(ReasonRecord::json).collect()
    }

    fn to_json(&self) -> String {
        serde_json::to_string(&self.json_values()).unwrap_or_else(|_| "null".to_owned())
    }
}

/// How many reasons the list holds; 0 for NULL.
///
/// # Safety
/// `reasons` is NULL or a live `rg_reasons` (its owner not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_reasons_len(reasons: *const rg_reasons) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(reasons, 0, |r| r.items.len()) }
}

/// The `index`-th reason, valid while the list's owner lives; NULL when out of range or for NULL.
///
/// # Safety
/// `reasons` is NULL or a live `rg_reasons` (its owner not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_reasons_get(
    reasons: *const rg_reasons,
    index: usize,
) -> *const rg_reason {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(reasons, std::ptr::null(), |r| {
            r.items
                .get(index)
                .map_or(std::ptr::null(), to_borrowed_ptr::<rg_reason>)
        })
    }
}

/// The list as a JSON array of `{code, rule, message, shadow}` objects. Valid while the list's
/// owner lives; empty for NULL.
///
/// # Safety
/// `reasons` is NULL or a live `rg_reasons` (its owner not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_reasons_json(reasons: *const rg_reasons) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(reasons, rg_str::empty(), |r| {
            cached_json(&r.json, || r.json_values())
        })
    }
}

/// The machine-readable code, e.g. `model_not_allowed`, `no_compliant_endpoint`,
/// `fallback_removed`, `provider_violation`.
///
/// # Safety
/// `reason` is NULL or a live `rg_reason` (its list's owner not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_reason_code(reason: *const rg_reason) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(reason, rg_str::empty(), |r| r.code.as_rg_str()) }
}

/// The policy path of the rule, e.g. `workspaces.eu.providers.processing`.
///
/// # Safety
/// `reason` is NULL or a live `rg_reason` (its list's owner not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_reason_rule(reason: *const rg_reason) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(reason, rg_str::empty(), |r| r.rule.as_rg_str()) }
}

/// A one-line explanation for people (models, providers, countries; never prompt content).
///
/// # Safety
/// `reason` is NULL or a live `rg_reason` (its list's owner not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_reason_message(reason: *const rg_reason) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(reason, rg_str::empty(), |r| r.message.as_rg_str()) }
}

/// True when the rule is in `mode: shadow`: reported, never blocking.
///
/// # Safety
/// `reason` is NULL or a live `rg_reason` (its list's owner not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_reason_shadow(reason: *const rg_reason) -> bool {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(reason, false, |r| r.shadow) }
}

/// A DLP finding in a prepared request: where and what, never the value. Owned by its
/// `rg_prepared`.
pub struct rg_prepared_finding {
    _private: [u8; 0],
}

/// What an `rg_prepared_finding` handle points at.
pub(crate) struct PreparedFindingRecord {
    host: HostPreparedFinding,
    path: CText,
    detector: CText,
    category: CText,
}

impl Borrowed for rg_prepared_finding {
    type Rust = PreparedFindingRecord;
}

/// The request a decision allows, ready to send, kept whole so that `rg_guard_verify` can check
/// its response. Borrowed from its `rg_decision`: never freed on its own.
pub struct rg_prepared {
    _private: [u8; 0],
}

/// What an `rg_prepared` handle points at.
pub(crate) struct Prepared {
    pub(crate) host: HostPrepared,
    request: CText,
    models: Vec<CText>,
    providers: Vec<CText>,
    findings: Vec<PreparedFindingRecord>,
    json: OnceLock<CText>,
}

impl Borrowed for rg_prepared {
    type Rust = Prepared;
}

impl From<HostPrepared> for Prepared {
    fn from(host: HostPrepared) -> Prepared {
        Prepared {
            request: CText::new(&host.request),
            models: host.models.iter().map(|m| CText::new(m)).collect(),
            providers: host.providers.iter().map(|p| CText::new(p)).collect(),
            findings: host
                .findings
                .iter()
                .map(|f| PreparedFindingRecord {
                    path: CText::new(&f.path),
                    detector: CText::new(&f.detector),
                    category: CText::new(&f.category),
                    host: f.clone(),
                })
                .collect(),
            host,
            json: OnceLock::new(),
        }
    }
}

impl Prepared {
    /// `{request, models, providers, findings}` with the request embedded as a JSON object.
    fn to_json(&self) -> String {
        let findings: Vec<&HostPreparedFinding> = self.findings.iter().map(|f| &f.host).collect();
        let parts = (
            serde_json::to_string(&self.host.models),
            serde_json::to_string(&self.host.providers),
            serde_json::to_string(&findings),
        );
        match parts {
            (Ok(models), Ok(providers), Ok(findings)) => format!(
                "{{\"request\":{},\"models\":{models},\"providers\":{providers},\"findings\":{findings}}}",
                self.request.as_str()
            ),
            _ => "null".to_owned(),
        }
    }

    fn json(&self) -> rg_str {
        self.json
            .get_or_init(|| CText::from_string(self.to_json()))
            .as_rg_str()
    }
}

/// The request to send as compact JSON: DLP applied, `provider.only` set to the compliant
/// endpoints, plugins and compression as the policy says. Valid while the decision lives.
///
/// # Safety
/// `prepared` is NULL or a live `rg_prepared` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_request(prepared: *const rg_prepared) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(prepared, rg_str::empty(), |p| p.request.as_rg_str()) }
}

/// How many models the request may be served by (the model, then its allowed fallbacks).
///
/// # Safety
/// `prepared` is NULL or a live `rg_prepared` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_models_len(prepared: *const rg_prepared) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(prepared, 0, |p| p.models.len()) }
}

/// The `index`-th model id; empty when out of range or for NULL.
///
/// # Safety
/// `prepared` is NULL or a live `rg_prepared` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_model(prepared: *const rg_prepared, index: usize) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(prepared, rg_str::empty(), |p| {
            p.models
                .get(index)
                .map_or(rg_str::empty(), CText::as_rg_str)
        })
    }
}

/// How many provider endpoint tags `provider.only` holds; 0 when the policy does not constrain
/// providers.
///
/// # Safety
/// `prepared` is NULL or a live `rg_prepared` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_providers_len(prepared: *const rg_prepared) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(prepared, 0, |p| p.providers.len()) }
}

/// The `index`-th provider endpoint tag of `provider.only`, e.g. `google-vertex/europe-west1`;
/// empty when out of range or for NULL.
///
/// # Safety
/// `prepared` is NULL or a live `rg_prepared` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_provider(
    prepared: *const rg_prepared,
    index: usize,
) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(prepared, rg_str::empty(), |p| {
            p.providers
                .get(index)
                .map_or(rg_str::empty(), CText::as_rg_str)
        })
    }
}

/// How many DLP findings the policy's scanner made in the request.
///
/// # Safety
/// `prepared` is NULL or a live `rg_prepared` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_findings_len(prepared: *const rg_prepared) -> usize {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(prepared, 0, |p| p.findings.len()) }
}

/// The `index`-th finding; NULL when out of range or for NULL.
///
/// # Safety
/// `prepared` is NULL or a live `rg_prepared` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_findings_get(
    prepared: *const rg_prepared,
    index: usize,
) -> *const rg_prepared_finding {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(prepared, std::ptr::null(), |p| {
            p.findings
                .get(index)
                .map_or(std::ptr::null(), to_borrowed_ptr::<rg_prepared_finding>)
        })
    }
}

/// `{request, models, providers, findings}` as JSON, the request as an object. Valid while the
/// decision lives; empty for NULL.
///
/// # Safety
/// `prepared` is NULL or a live `rg_prepared` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_json(prepared: *const rg_prepared) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(prepared, rg_str::empty(), Prepared::json) }
}

/// The JSON pointer of the string the finding is in, e.g. `/messages/0/content`.
///
/// # Safety
/// `finding` is NULL or a live `rg_prepared_finding` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_finding_path(finding: *const rg_prepared_finding) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, rg_str::empty(), |f| f.path.as_rg_str()) }
}

/// The detector id, e.g. `credit_card`.
///
/// # Safety
/// `finding` is NULL or a live `rg_prepared_finding` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_finding_detector(
    finding: *const rg_prepared_finding,
) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, rg_str::empty(), |f| f.detector.as_rg_str()) }
}

/// The category, e.g. `CREDIT_CARD`.
///
/// # Safety
/// `finding` is NULL or a live `rg_prepared_finding` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_finding_category(
    finding: *const rg_prepared_finding,
) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_borrowed(finding, rg_str::empty(), |f| f.category.as_rg_str()) }
}

/// The action the policy applied: `block`, `mask`, `redact`, `hash`, `pseudonymize` or `log`.
///
/// # Safety
/// `finding` is NULL or a live `rg_prepared_finding` (its decision not freed).
#[no_mangle]
pub unsafe extern "C" fn rg_prepared_finding_action(finding: *const rg_prepared_finding) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_borrowed(finding, rg_str::empty(), |f| {
            rg_str::from_static(action_name(f.host.action))
        })
    }
}

/// The outcome of `rg_guard_prepare`: allowed (with the request to send) or denied (with
/// reasons). Immutable, so it may be read from many threads at once. Free it with
/// `rg_decision_free`, which also frees its prepared request, reasons and notices.
pub struct rg_decision {
    _private: [u8; 0],
}

/// What an `rg_decision` handle owns.
pub(crate) struct Decision {
    allowed: bool,
    reasons: Reasons,
    notices: Reasons,
    policy_hash: CText,
    prepared: Option<Prepared>,
    json: OnceLock<CText>,
}

impl Boxed for rg_decision {
    type Rust = Decision;
}

impl From<HostDecision> for Decision {
    fn from(d: HostDecision) -> Decision {
        Decision {
            allowed: d.allowed,
            reasons: Reasons::new(d.reasons),
            notices: Reasons::new(d.notices),
            policy_hash: CText::from_string(d.policy_hash),
            prepared: d.prepared.map(Prepared::from),
            json: OnceLock::new(),
        }
    }
}

impl Reasons {
    fn host(&self) -> Vec<HostReason> {
        self.items
            .iter()
            .map(|r| HostReason {
                code: r.code.as_str().to_owned(),
                rule: r.rule.as_str().to_owned(),
                message: r.message.as_str().to_owned(),
                shadow: r.shadow,
            })
            .collect()
    }
}

impl Decision {
    /// The core's decision again (for `rg_guard_audit`), rebuilt from what the handle keeps so
    /// that `rg_guard_prepare` does not pay for a copy.
    pub(crate) fn host(&self) -> HostDecision {
        HostDecision {
            allowed: self.allowed,
            reasons: self.reasons.host(),
            notices: self.notices.host(),
            policy_hash: self.policy_hash.as_str().to_owned(),
            prepared: self.prepared.as_ref().map(|p| p.host.clone()),
        }
    }

    /// `{allowed, reasons, notices, policy_hash, prepared}`, `prepared` null or an object.
    fn json(&self) -> rg_str {
        self.json
            .get_or_init(|| {
                let prepared = self
                    .prepared
                    .as_ref()
                    .map_or_else(|| "null".to_owned(), Prepared::to_json);
                let hash = serde_json::to_string(self.policy_hash.as_str());
                CText::from_string(match hash {
                    Ok(hash) => format!(
                        "{{\"allowed\":{},\"reasons\":{},\"notices\":{},\"policy_hash\":{hash},\"prepared\":{prepared}}}",
                        self.allowed,
                        self.reasons.to_json(),
                        self.notices.to_json(),
                    ),
                    Err(_) => "null".to_owned(),
                })
            })
            .as_rg_str()
    }
}

/// True when the request may be sent (then `rg_decision_prepared` is not NULL).
///
/// # Safety
/// `decision` is NULL or a live `rg_decision`.
#[no_mangle]
pub unsafe extern "C" fn rg_decision_allowed(decision: *const rg_decision) -> bool {
    // SAFETY: forwarded contract.
    unsafe { with_owned(decision, false, |d| d.allowed) }
}

/// Why the request is denied (empty when allowed); borrowed: do not free.
///
/// # Safety
/// `decision` is NULL or a live `rg_decision`.
#[no_mangle]
pub unsafe extern "C" fn rg_decision_reasons(decision: *const rg_decision) -> *const rg_reasons {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(decision, std::ptr::null(), |d| {
            to_borrowed_ptr::<rg_reasons>(&d.reasons)
        })
    }
}

/// What was reported without denying: shadow rules that would have denied, fallback models
/// removed; borrowed: do not free.
///
/// # Safety
/// `decision` is NULL or a live `rg_decision`.
#[no_mangle]
pub unsafe extern "C" fn rg_decision_notices(decision: *const rg_decision) -> *const rg_reasons {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(decision, std::ptr::null(), |d| {
            to_borrowed_ptr::<rg_reasons>(&d.notices)
        })
    }
}

/// The hash of the policy that decided. Valid until the decision is freed; empty for NULL.
///
/// # Safety
/// `decision` is NULL or a live `rg_decision`.
#[no_mangle]
pub unsafe extern "C" fn rg_decision_policy_hash(decision: *const rg_decision) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(decision, rg_str::empty(), |d| d.policy_hash.as_rg_str()) }
}

/// The request to send, borrowed from the decision (do not free; pass it to `rg_guard_verify`
/// while the decision lives); NULL when denied or for NULL.
///
/// # Safety
/// `decision` is NULL or a live `rg_decision`.
#[no_mangle]
pub unsafe extern "C" fn rg_decision_prepared(decision: *const rg_decision) -> *const rg_prepared {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(decision, std::ptr::null(), |d| {
            d.prepared
                .as_ref()
                .map_or(std::ptr::null(), to_borrowed_ptr::<rg_prepared>)
        })
    }
}

/// `{allowed, reasons, notices, policy_hash, prepared}` as JSON, `prepared` null when denied and
/// otherwise as `rg_prepared_json`. Valid until the decision is freed; empty for NULL.
///
/// # Safety
/// `decision` is NULL or a live `rg_decision`.
#[no_mangle]
pub unsafe extern "C" fn rg_decision_json(decision: *const rg_decision) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(decision, rg_str::empty(), Decision::json) }
}

/// Frees a decision and everything borrowed from it (its prepared request too). NULL is a no-op.
///
/// # Safety
/// `decision` is NULL or an `rg_decision` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_decision_free(decision: *mut rg_decision) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(decision) })
}

/// The outcome of `rg_guard_verify`. Immutable; free it with `rg_verification_free`.
pub struct rg_verification {
    _private: [u8; 0],
}

/// What an `rg_verification` handle owns.
pub(crate) struct Verification {
    allowed: bool,
    withheld: bool,
    provider: Option<CText>,
    model: Option<CText>,
    reasons: Reasons,
    response: CText,
    json: OnceLock<CText>,
}

impl Boxed for rg_verification {
    type Rust = Verification;
}

impl From<HostVerification> for Verification {
    fn from(v: HostVerification) -> Verification {
        Verification {
            allowed: v.allowed,
            withheld: v.withheld,
            provider: v.provider.map(CText::from_string),
            model: v.model.map(CText::from_string),
            reasons: Reasons::new(v.reasons),
            response: CText::from_string(v.response),
            json: OnceLock::new(),
        }
    }
}

impl Verification {
    /// `{allowed, provider, model, reasons, withheld, response}`, the response as an object.
    fn json(&self) -> rg_str {
        self.json
            .get_or_init(|| {
                let provider = serde_json::to_string(&self.provider.as_ref().map(CText::as_str));
                let model = serde_json::to_string(&self.model.as_ref().map(CText::as_str));
                CText::from_string(match (provider, model) {
                    (Ok(provider), Ok(model)) => format!(
                        "{{\"allowed\":{},\"provider\":{provider},\"model\":{model},\"reasons\":{},\"withheld\":{},\"response\":{}}}",
                        self.allowed,
                        self.reasons.to_json(),
                        self.withheld,
                        self.response.as_str(),
                    ),
                    _ => "null".to_owned(),
                })
            })
            .as_rg_str()
    }
}

/// True when the served provider and model are allowed: the response may be used.
///
/// # Safety
/// `verification` is NULL or a live `rg_verification`.
#[no_mangle]
pub unsafe extern "C" fn rg_verification_allowed(verification: *const rg_verification) -> bool {
    // SAFETY: forwarded contract.
    unsafe { with_owned(verification, false, |v| v.allowed) }
}

/// True when the content was withheld (a violation): `rg_verification_response` has no choices.
///
/// # Safety
/// `verification` is NULL or a live `rg_verification`.
#[no_mangle]
pub unsafe extern "C" fn rg_verification_withheld(verification: *const rg_verification) -> bool {
    // SAFETY: forwarded contract.
    unsafe { with_owned(verification, false, |v| v.withheld) }
}

/// The served provider's slug, e.g. `google-vertex`; empty when the response does not name a
/// known provider (slugs are never empty) or for NULL.
///
/// # Safety
/// `verification` is NULL or a live `rg_verification`.
#[no_mangle]
pub unsafe extern "C" fn rg_verification_provider(verification: *const rg_verification) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(verification, rg_str::empty(), |v| {
            v.provider
                .as_ref()
                .map_or(rg_str::empty(), CText::as_rg_str)
        })
    }
}

/// The served model id; empty when the response names none or for NULL.
///
/// # Safety
/// `verification` is NULL or a live `rg_verification`.
#[no_mangle]
pub unsafe extern "C" fn rg_verification_model(verification: *const rg_verification) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(verification, rg_str::empty(), |v| {
            v.model.as_ref().map_or(rg_str::empty(), CText::as_rg_str)
        })
    }
}

/// Why the response is withheld (empty when allowed); borrowed: do not free.
///
/// # Safety
/// `verification` is NULL or a live `rg_verification`.
#[no_mangle]
pub unsafe extern "C" fn rg_verification_reasons(
    verification: *const rg_verification,
) -> *const rg_reasons {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(verification, std::ptr::null(), |v| {
            to_borrowed_ptr::<rg_reasons>(&v.reasons)
        })
    }
}

/// The response to hand to the application as compact JSON (without its choices when withheld).
/// Valid until the verification is freed; empty for NULL.
///
/// # Safety
/// `verification` is NULL or a live `rg_verification`.
#[no_mangle]
pub unsafe extern "C" fn rg_verification_response(verification: *const rg_verification) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(verification, rg_str::empty(), |v| v.response.as_rg_str()) }
}

/// `{allowed, provider, model, reasons, withheld, response}` as JSON (`provider`/`model` null
/// when unknown, the response as an object). Valid until the verification is freed; empty for
/// NULL.
///
/// # Safety
/// `verification` is NULL or a live `rg_verification`.
#[no_mangle]
pub unsafe extern "C" fn rg_verification_json(verification: *const rg_verification) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(verification, rg_str::empty(), Verification::json) }
}

/// Frees a verification and everything borrowed from it. NULL is a no-op.
///
/// # Safety
/// `verification` is NULL or an `rg_verification` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_verification_free(verification: *mut rg_verification) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(verification) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    fn text(s: rg_str) -> &'static str {
        // SAFETY: the tests read strings of objects they have not freed yet.
        let bytes = unsafe { std::slice::from_raw_parts(s.data.cast::<u8>(), s.len) };
        std::str::from_utf8(bytes).unwrap()
    }

    #[test]
    fn json_forms_embed_the_request_and_response_as_objects() {
        let policy = r#"{"version": 1, "defaults": {"models": {"allow": ["anthropic/*"]},
            "providers": {"processing": ["EU"]}}, "workspaces": {"eu": {}}, "users": {"alice": {}}}"#;
        let principal = r#"{"user": "alice", "workspace": "eu"}"#;
        let request = r#"{"model": "anthropic/claude-sonnet-4", "messages": []}"#;
        let response = r#"{"model": "anthropic/claude-sonnet-4", "provider": "Anthropic", "choices": [{"message": {"content": "x"}}]}"#;
        let mut guard: *mut rg_guard = ptr::null_mut();
        let mut decision: *mut rg_decision = ptr::null_mut();
        let mut verification: *mut rg_verification = ptr::null_mut();
        // SAFETY: every pointer is a live local or a handle made here and freed once at the end.
        unsafe {
            let p = |s: &str| (s.as_ptr(), s.len());
            let (pp, pl) = p(policy);
            let r = rg_guard_new(
                pp,
                pl,
                RG_POLICY_JSON,
                ptr::null(),
                0,
                RG_CATALOG_DEFAULT,
                &mut guard,
                ptr::null_mut(),
            );
            assert_eq!(r, rg_result::RG_OK);
            let ((ap, al), (rp, rl)) = (p(principal), p(request));
            let r = rg_guard_prepare(
                guard,
                ap,
                al,
                rp,
                rl,
                ptr::null(),
                0,
                ptr::null(),
                &mut decision,
                ptr::null_mut(),
            );
            assert_eq!(r, rg_result::RG_OK);
            let json: serde_json::Value =
                serde_json::from_str(text(rg_decision_json(decision))).unwrap();
            assert_eq!(json["allowed"], true);
            assert_eq!(
                json["policy_hash"].as_str().unwrap(),
                text(rg_guard_policy_hash(guard))
            );
            assert_eq!(
                json["prepared"]["request"]["model"],
                "anthropic/claude-sonnet-4"
            );
            assert_eq!(
                json["prepared"]["providers"],
                json["prepared"]["request"]["provider"]["only"]
            );
            let (sp, sl) = p(response);
            let prepared = rg_decision_prepared(decision);
            let r = rg_guard_verify(guard, prepared, sp, sl, &mut verification, ptr::null_mut());
            assert_eq!(r, rg_result::RG_OK);
            let json: serde_json::Value =
                serde_json::from_str(text(rg_verification_json(verification))).unwrap();
            assert_eq!(json["withheld"], true);
            assert_eq!(json["provider"], "anthropic");
            assert_eq!(json["reasons"][0]["code"], "provider_violation");
            assert_eq!(json["response"]["choices"], serde_json::json!([]));
            rg_verification_free(verification);
            rg_decision_free(decision);
            rg_guard_free(guard);
        }
    }
}
