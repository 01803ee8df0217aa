//! `Guard` and `Prepared`: the policy decisions of a governed call (`prepare` before a request
//! leaves, `verify` of what served it), over `routeguard::host::HostGuard`. A denial is a
//! `Decision` with `allowed: false`, never an error.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use routeguard::host::{
    CatalogSource, HostDecision, HostGuard, HostPrepared, HostPreparedFinding, HostReason,
    HostVerification, PolicySource, SharedVault,
};
use routeguard::Result as CoreResult;

use crate::audit::{callback_arg, ActiveEnv, AuditTrail, LANGUAGE};
use crate::budget::{opt_time, opt_whole, to_js, Ledger, LedgerTask};
use crate::convert::{given, hash_key, invalid_argument, json_arg, parse_json, string_arg};
use crate::error::js_result;
use crate::scanner::Vault;
use crate::types::Action;

/// Who is calling: the policy must know both the workspace and the user.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct Principal {
    pub user: String,
    pub workspace: String,
    pub groups: Option<Vec<String>>,
    pub tags: Option<HashMap<String, String>>,
}

/// Where a guard's provider catalogue comes from: the snapshot shipped with this release when
/// neither is given.
#[napi(object, object_to_js = false)]
pub struct GuardOptions<'a> {
    /// A catalogue snapshot document, as an object or JSON text.
    #[napi(ts_type = "string | Record<string, unknown>")]
    pub catalog: Option<Unknown<'a>>,
    /// A directory of OpenRouter API responses saved as files (`providers.json`, `models.json`,
    /// `zdr.json`, `endpoints/<author>/<slug>.json`, ...).
    #[napi(ts_type = "string")]
    pub catalog_dir: Option<Unknown<'a>>,
}

/// What the policy's `hash` and `pseudonymize` DLP actions need (both optional).
#[napi(object, object_to_js = false)]
pub struct PrepareOptions<'a> {
    /// The key of the `hash` action: a string (its UTF-8 bytes are the key) or bytes.
    pub hash_key: Option<Either<String, Uint8Array>>,
    /// The vault of the `pseudonymize` action; share one vault across calls to restore replies.
    pub vault: Option<ClassInstance<'a, Vault>>,
}

/// Why a request is denied, or a notice that did not deny (a shadow rule, a removed fallback).
#[napi(object, object_from_js = false)]
pub struct Reason {
    /// Machine-readable, e.g. `no_compliant_endpoint`, `model_not_allowed`, `provider_violation`.
    pub code: String,
    /// The policy path of the rule, e.g. `workspaces.eu.providers.processing`.
    pub rule: String,
    pub message: String,
    /// The rule is in `mode: shadow`: reported, never blocking.
    pub shadow: bool,
}

impl From<HostReason> for Reason {
    fn from(r: HostReason) -> Reason {
        Reason {
            code: r.code,
            rule: r.rule,
            message: r.message,
            shadow: r.shadow,
        }
    }
}

fn reasons(list: Vec<HostReason>) -> Vec<Reason> {
    list.into_iter().map(Reason::from).collect()
}

/// A DLP finding in a prepared request: where and what, never the value.
#[napi(object, object_from_js = false)]
pub struct PreparedFinding {
    /// JSON pointer of the string that held it.
    pub path: String,
    pub detector: String,
    pub category: String,
    /// The action applied before sending.
    pub action: Action,
}

impl From<&HostPreparedFinding> for PreparedFinding {
    fn from(f: &HostPreparedFinding) -> PreparedFinding {
        PreparedFinding {
            path: f.path.clone(),
            detector: f.detector.clone(),
            category: f.category.clone(),
            action: f.action.into(),
        }
    }
}

/// The outcome of `prepare`: `prepared` is set exactly when `allowed`. The object `prepare`
/// returns also carries the decision for `Guard.audit` (invisibly: a copy made by spreading or
/// `JSON.parse` does not).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Decision {
    pub allowed: bool,
    /// Why the request is denied (empty when allowed).
    pub reasons: Vec<Reason>,
    /// What was reported without denying: shadow rules, removed fallbacks and plugins.
    pub notices: Vec<Reason>,
    pub policy_hash: String,
    /// The request to send, and what `verify` needs; `null` when denied.
    pub prepared: Option<Prepared>,
}

impl From<HostDecision> for Decision {
    fn from(d: HostDecision) -> Decision {
        Decision {
            allowed: d.allowed,
            reasons: reasons(d.reasons),
            notices: reasons(d.notices),
            policy_hash: d.policy_hash,
            prepared: d.prepared.map(|p| Prepared { inner: Arc::new(p) }),
        }
    }
}

/// The decision `prepare` made, kept on the `Decision` object it returns (see `decision_object`)
/// for `Guard.audit`; the prepared request is shared with its `Prepared`.
struct KeptDecision {
    /// The decision without its prepared request.
    decision: HostDecision,
    prepared: Option<Arc<HostPrepared>>,
}

/// The JavaScript `Decision` of a core decision, with the decision kept on it.
fn decision_object(env: &Env, d: HostDecision) -> Result<Object<'_>> {
    let prepared = d.prepared.map(Arc::new);
    let kept = KeptDecision {
        decision: HostDecision {
            allowed: d.allowed,
            reasons: d.reasons.clone(),
            notices: d.notices.clone(),
            policy_hash: d.policy_hash.clone(),
            prepared: None,
        },
        prepared: prepared.clone(),
    };
    let decision = Decision {
        allowed: d.allowed,
        reasons: reasons(d.reasons),
        notices: reasons(d.notices),
        policy_hash: d.policy_hash,
        prepared: prepared.map(|inner| Prepared { inner }),
    };
    let mut object = Object::from_unknown(decision.into_unknown(env)?)?;
    object.wrap(kept, None)?;
    Ok(object)
}

/// The core decision of a `Decision` argument (the object `prepare` returned).
fn decision_arg(decision: Unknown<'_>) -> CoreResult<HostDecision> {
    let not_decision = || {
        invalid_argument(
            "`decision` must be the object `prepare` returned (not a copy of it)".to_string(),
        )
    };
    if !matches!(decision.get_type(), Ok(ValueType::Object)) {
        return Err(not_decision());
    }
    let object = Object::from_unknown(decision).map_err(|_| not_decision())?;
    let kept = object
        .unwrap::<KeptDecision>()
        .map_err(|_| not_decision())?;
    let mut decision = kept.decision.clone();
    decision.prepared = kept.prepared.as_deref().cloned();
    Ok(decision)
}

/// A request that may be sent: DLP applied, `provider.only` set to the compliant endpoints. Keep
/// it to `verify` the response. Immutable; every read of `request` parses a new object.
#[napi]
pub struct Prepared {
    inner: Arc<HostPrepared>,
}

#[napi]
impl Prepared {
    /// The request to send, as an object.
    #[napi(getter, ts_return_type = "Record<string, unknown>")]
    pub fn request<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        parse_json(env, self.inner.request.clone())
    }

    /// The request to send, as compact JSON text (a ready request body).
    #[napi(getter)]
    pub fn request_json(&self) -> String {
        self.inner.request.clone()
    }

    /// The model and its fallbacks that remain, in order.
    #[napi(getter)]
    pub fn models(&self) -> Vec<String> {
        self.inner.models.clone()
    }

    /// The endpoint tags in `provider.only` (empty: the policy does not constrain providers).
    #[napi(getter)]
    pub fn providers(&self) -> Vec<String> {
        self.inner.providers.clone()
    }

    /// The DLP findings, in request order.
    #[napi(getter)]
    pub fn findings(&self) -> Vec<PreparedFinding> {
        self.inner
            .findings
            .iter()
            .map(PreparedFinding::from)
            .collect()
    }

    /// The plain-object form, used by `JSON.stringify`.
    #[napi(js_name = "toJSON")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<PreparedJson<'env>> {
        Ok(PreparedJson {
            request: self.request(env)?,
            models: self.models(),
            providers: self.providers(),
            findings: self.findings(),
        })
    }
}

/// `Prepared` as a plain object.
#[napi(object, object_from_js = false)]
pub struct PreparedJson<'env> {
    #[napi(ts_type = "Record<string, unknown>")]
    pub request: Object<'env>,
    pub models: Vec<String>,
    pub providers: Vec<String>,
    pub findings: Vec<PreparedFinding>,
}

/// The outcome of `verify`.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Verification<'env> {
    /// The served provider and model are within what the policy allowed.
    pub allowed: bool,
    /// The served provider's slug; `null` when the response does not name a known provider.
    pub provider: Option<String>,
    /// The served model, when the response names it.
    pub model: Option<String>,
    /// The violations (empty when allowed).
    pub reasons: Vec<Reason>,
    /// The response's content was withheld (a violation): `response` has no choices.
    pub withheld: bool,
    /// The response to hand to the application.
    #[napi(ts_type = "Record<string, unknown>")]
    pub response: Object<'env>,
}

fn verification(env: &Env, v: HostVerification) -> Result<Verification<'_>> {
    Ok(Verification {
        allowed: v.allowed,
        provider: v.provider,
        model: v.model,
        reasons: reasons(v.reasons),
        withheld: v.withheld,
        response: parse_json(env, v.response)?,
    })
}

/// The catalogue of the options; both sources at once is `invalid_argument`.
enum Catalog {
    Builtin,
    Snapshot(String),
    Dir(String),
}

impl Catalog {
    fn source(&self) -> CatalogSource<'_> {
        match self {
            Catalog::Builtin => CatalogSource::Builtin,
            Catalog::Snapshot(text) => CatalogSource::Snapshot(text),
            Catalog::Dir(dir) => CatalogSource::Dir(Path::new(dir)),
        }
    }
}

fn catalog_option(env: &Env, options: Option<Unknown<'_>>) -> CoreResult<Catalog> {
    let Some(options) = given(options) else {
        return Ok(Catalog::Builtin);
    };
    if !matches!(options.get_type(), Ok(ValueType::Object)) {
        return Err(invalid_argument("`options` must be an object".to_string()));
    }
    let options = GuardOptions::from_unknown(options)
        .map_err(|e| invalid_argument(format!("`options`: {}", e.reason)))?;
    match (given(options.catalog), given(options.catalog_dir)) {
        (None, None) => Ok(Catalog::Builtin),
        (Some(doc), None) => json_arg(env, doc, "options.catalog").map(Catalog::Snapshot),
        (None, Some(dir)) => string_arg(dir, "options.catalogDir").map(Catalog::Dir),
        (Some(_), Some(_)) => Err(invalid_argument(
            "give `options.catalog` or `options.catalogDir`, not both".to_string(),
        )),
    }
}

/// The converted arguments of `prepare`.
struct PrepareArgs {
    principal: String,
    request: String,
    hash_key: Option<Arc<[u8]>>,
    vault: Option<Arc<SharedVault>>,
}

impl PrepareArgs {
    fn new(
        env: &Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> CoreResult<PrepareArgs> {
        let principal = json_arg(env, principal, "principal")?;
        let request = json_arg(env, request, "request")?;
        let (hash_key, vault) = match given(options) {
            None => (None, None),
            Some(options) => {
                if !matches!(options.get_type(), Ok(ValueType::Object)) {
                    return Err(invalid_argument("`options` must be an object".to_string()));
                }
                let options = PrepareOptions::from_unknown(options)
                    .map_err(|e| invalid_argument(format!("`options`: {}", e.reason)))?;
                (
                    options.hash_key.map(hash_key),
                    options.vault.map(|vault| Arc::clone(&vault.inner)),
                )
            }
        };
        Ok(PrepareArgs {
            principal,
            request,
            hash_key,
            vault,
        })
    }

    fn run(&self, guard: &HostGuard) -> CoreResult<HostDecision> {
        guard.prepare(
            &self.principal,
            &self.request,
            self.hash_key.as_deref(),
            self.vault.as_deref(),
        )
    }
}

/// A `Prepared` argument (`decision.prepared` of an allowed decision).
fn prepared_arg(env: &Env, prepared: Unknown<'_>) -> CoreResult<Arc<HostPrepared>> {
    let not_prepared =
        || invalid_argument("`prepared` must be the `prepared` of an allowed decision".to_string());
    let is_prepared = matches!(prepared.get_type(), Ok(ValueType::Object))
        && Prepared::instance_of(env, &prepared).unwrap_or(false);
    if !is_prepared {
        return Err(not_prepared());
    }
    let prepared = ClassInstance::<Prepared>::from_unknown(prepared).map_err(|_| not_prepared())?;
    Ok(Arc::clone(&prepared.inner))
}

/// The converted arguments of `verify`.
fn verify_args(
    env: &Env,
    prepared: Unknown<'_>,
    response: Unknown<'_>,
) -> CoreResult<(Arc<HostPrepared>, String)> {
    let prepared = prepared_arg(env, prepared)?;
    let response = json_arg(env, response, "response")?;
    Ok((prepared, response))
}

/// A policy over a provider catalogue: decides about requests before they leave (`prepare`) and
/// checks what served them (`verify`). Build it once and share it: concurrent async calls are
/// safe.
#[napi]
pub struct Guard {
    pub(crate) inner: HostGuard,
}

#[napi]
impl Guard {
    /// A policy given as an object or as JSON text, over the built-in catalogue snapshot unless
    /// `options` names another.
    #[napi(
        constructor,
        ts_args_type = "policy: string | Record<string, unknown>, options?: GuardOptions"
    )]
    pub fn new(env: &Env, policy: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<Guard> {
        let built = json_arg(env, policy, "policy").and_then(|policy| {
            let catalog = catalog_option(env, options)?;
            HostGuard::new(PolicySource::Json(&policy), catalog.source())
        });
        Ok(Guard {
            inner: js_result(env, built)?,
        })
    }

    /// A policy in a `.json`, `.yaml` or `.yml` file (relative paths in it resolve against its
    /// directory).
    #[napi(factory, ts_args_type = "path: string, options?: GuardOptions")]
    pub fn from_file(env: &Env, path: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<Guard> {
        let built = string_arg(path, "path").and_then(|path| {
            let catalog = catalog_option(env, options)?;
            HostGuard::new(PolicySource::File(Path::new(&path)), catalog.source())
        });
        Ok(Guard {
            inner: js_result(env, built)?,
        })
    }

    /// A policy given as a YAML document.
    #[napi(factory, ts_args_type = "text: string, options?: GuardOptions")]
    pub fn from_yaml(env: &Env, text: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<Guard> {
        let built = string_arg(text, "text").and_then(|text| {
            let catalog = catalog_option(env, options)?;
            HostGuard::new(PolicySource::Yaml(&text), catalog.source())
        });
        Ok(Guard {
            inner: js_result(env, built)?,
        })
    }

    /// The hash of the policy document, recorded with every decision.
    #[napi(getter)]
    pub fn policy_hash(&self) -> String {
        self.inner.policy_hash().to_string()
    }

    /// Decides about an OpenRouter chat request (an object or JSON text) for `principal`: a
    /// denial with reasons, or the request to send.
    #[napi(
        ts_args_type = "principal: Principal | string, request: string | Record<string, unknown>, options?: PrepareOptions",
        ts_return_type = "Decision"
    )]
    pub fn prepare<'env>(
        &self,
        env: &'env Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> Result<Object<'env>> {
        let decision = PrepareArgs::new(env, principal, request, options)
            .and_then(|args| args.run(&self.inner));
        decision_object(env, js_result(env, decision)?)
    }

    /// `prepare` on the libuv thread pool.
    #[napi(
        ts_args_type = "principal: Principal | string, request: string | Record<string, unknown>, options?: PrepareOptions",
        ts_return_type = "Promise<Decision>"
    )]
    pub fn prepare_async(
        &self,
        env: &Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> AsyncTask<PrepareTask> {
        AsyncTask::new(PrepareTask {
            guard: self.inner.clone(),
            args: PrepareArgs::new(env, principal, request, options),
        })
    }

    /// Checks the response (an object or JSON text) to a prepared request: the served provider and
    /// model must be ones the decision allowed; otherwise the content is withheld.
    #[napi(
        ts_args_type = "prepared: Prepared, response: string | Record<string, unknown>",
        ts_return_type = "Verification"
    )]
    pub fn verify<'env>(
        &self,
        env: &'env Env,
        prepared: Unknown<'_>,
        response: Unknown<'_>,
    ) -> Result<Verification<'env>> {
        let checked = verify_args(env, prepared, response)
            .and_then(|(prepared, response)| self.inner.verify(&prepared, &response));
        verification(env, js_result(env, checked)?)
    }

    /// Reserves the worst-case cost of a prepared request on `ledger` against every budget cap
    /// of the policy that applies to `principal`: the `estimate` and the ledger's answer
    /// (`reserved`, `id`, `denials`, `caps`...). A denial is `reserved: false`, not an error; a
    /// cost that cannot be bounded throws `price_unknown`.
    #[napi(
        ts_args_type = "ledger: Ledger, principal: Principal | string, prepared: Prepared, leaseMs?: number | null, nowMs?: number | null",
        ts_return_type = "Reservation"
    )]
    pub fn reserve<'env>(
        &self,
        env: &'env Env,
        ledger: &Ledger,
        principal: Unknown<'_>,
        prepared: Unknown<'_>,
        lease_ms: Option<f64>,
        now_ms: Option<f64>,
    ) -> Result<Object<'env>> {
        let out = (|| {
            let principal = json_arg(env, principal, "principal")?;
            let prepared = prepared_arg(env, prepared)?;
            let lease = opt_whole(lease_ms, "leaseMs")?;
            let now = opt_time(now_ms, "nowMs")?;
            self.inner
                .reserve(&ledger.inner, &principal, &prepared, lease, now)
        })();
        to_js(env, &js_result(env, out)?)
    }

    /// Settles a reservation from OpenRouter's response (an object or JSON text, or the final
    /// stream chunk carrying `usage`; absent when none arrived) with `outcome` (default
    /// `completed`). Returns the spend record.
    #[napi(
        ts_args_type = "ledger: Ledger, reservationId: string, response?: string | Record<string, unknown> | null, outcome?: SpendOutcome | null, nowMs?: number | null",
        ts_return_type = "SpendRecord"
    )]
    pub fn settle<'env>(
        &self,
        env: &'env Env,
        ledger: &Ledger,
        reservation_id: String,
        response: Option<Unknown<'_>>,
        outcome: Option<String>,
        now_ms: Option<f64>,
    ) -> Result<Object<'env>> {
        let out = (|| {
            let response = given(response)
                .map(|r| json_arg(env, r, "response"))
                .transpose()?;
            let now = opt_time(now_ms, "nowMs")?;
            self.inner.settle(
                &ledger.inner,
                &reservation_id,
                response.as_deref(),
                outcome.as_deref().unwrap_or("completed"),
                now,
            )
        })();
        to_js(env, &js_result(env, out)?)
    }

    /// `reserve` on the libuv thread pool.
    #[napi(
        ts_args_type = "ledger: Ledger, principal: Principal | string, prepared: Prepared, leaseMs?: number | null, nowMs?: number | null",
        ts_return_type = "Promise<Reservation>"
    )]
    pub fn reserve_async(
        &self,
        env: &Env,
        ledger: &Ledger,
        principal: Unknown<'_>,
        prepared: Unknown<'_>,
        lease_ms: Option<f64>,
        now_ms: Option<f64>,
    ) -> AsyncTask<LedgerTask> {
        let args = (|| {
            Ok((
                json_arg(env, principal, "principal")?,
                prepared_arg(env, prepared)?,
                opt_whole(lease_ms, "leaseMs")?,
                opt_time(now_ms, "nowMs")?,
            ))
        })();
        let (guard, ledger) = (self.inner.clone(), ledger.inner.clone());
        LedgerTask::json(move || {
            let (principal, prepared, lease, now) = args?;
            guard.reserve(&ledger, &principal, &prepared, lease, now)
        })
    }

    /// `settle` on the libuv thread pool.
    #[napi(
        ts_args_type = "ledger: Ledger, reservationId: string, response?: string | Record<string, unknown> | null, outcome?: SpendOutcome | null, nowMs?: number | null",
        ts_return_type = "Promise<SpendRecord>"
    )]
    pub fn settle_async(
        &self,
        env: &Env,
        ledger: &Ledger,
        reservation_id: String,
        response: Option<Unknown<'_>>,
        outcome: Option<String>,
        now_ms: Option<f64>,
    ) -> AsyncTask<LedgerTask> {
        let args = (|| {
            let response = given(response)
                .map(|r| json_arg(env, r, "response"))
                .transpose()?;
            Ok((response, opt_time(now_ms, "nowMs")?))
        })();
        let (guard, ledger) = (self.inner.clone(), ledger.inner.clone());
        LedgerTask::json(move || {
            let (response, now) = args?;
            guard.settle(
                &ledger,
                &reservation_id,
                response.as_deref(),
                outcome.as_deref().unwrap_or("completed"),
                now,
            )
        })
    }

    /// Opens the audit trail the policy's `defaults.audit` describes (keys from the environment
    /// variables or files it names). `callback` serves a `callback` sink (see
    /// `AuditTrail.open`).
    #[napi(ts_args_type = "callback?: ((line: string) => void) | null")]
    pub fn open_audit_trail(&self, env: &Env, callback: Option<Unknown<'_>>) -> Result<AuditTrail> {
        let opened = callback_arg(callback).and_then(|callback| {
            let (sink, state) = callback.unzip();
            let _active = ActiveEnv::enter(env);
            let trail = self.inner.open_audit_trail(sink, LANGUAGE, None)?;
            Ok(AuditTrail::new(trail, state))
        });
        js_result(env, opened)
    }

    /// Writes the record of one interaction to `trail`: who asked (`principal`), the request as
    /// the caller gave it, the `decision` `prepare` returned for it (the object itself) and what
    /// followed (`details`: `{response?, estimate_micros?, reserved_micros?, billed_micros?,
    /// error?, latency_ms?, id?, time?, stream?, attempts?, fail_open?, sdk?}`). Returns the
    /// receipt.
    #[napi(
        ts_args_type = "trail: AuditTrail, principal: Principal | string, request: string | Record<string, unknown>, decision: Decision, details?: AuditDetails | string | null, nowMs?: number | null",
        ts_return_type = "AuditReceipt"
    )]
    // The arguments are the JavaScript call's, in its order.
    #[allow(clippy::too_many_arguments)]
    pub fn audit<'env>(
        &self,
        env: &'env Env,
        trail: &AuditTrail,
        principal: Unknown<'_>,
        request: Unknown<'_>,
        decision: Unknown<'_>,
        details: Option<Unknown<'_>>,
        now_ms: Option<f64>,
    ) -> Result<Object<'env>> {
        let receipt = (|| {
            let principal = json_arg(env, principal, "principal")?;
            let request = json_arg(env, request, "request")?;
            let decision = decision_arg(decision)?;
            let details = given(details)
                .map(|d| json_arg(env, d, "details"))
                .transpose()?
                .unwrap_or_else(|| "{}".to_string());
            let now = opt_time(now_ms, "nowMs")?;
            trail.sync_call(env, |t| {
                self.inner
                    .audit(t, &principal, &request, &decision, &details, now)
            })
        })();
        to_js(env, &js_result(env, receipt)?)
    }

    /// `verify` on the libuv thread pool.
    #[napi(
        ts_args_type = "prepared: Prepared, response: string | Record<string, unknown>",
        ts_return_type = "Promise<Verification>"
    )]
    pub fn verify_async(
        &self,
        env: &Env,
        prepared: Unknown<'_>,
        response: Unknown<'_>,
    ) -> AsyncTask<VerifyTask> {
        AsyncTask::new(VerifyTask {
            guard: self.inner.clone(),
            args: verify_args(env, prepared, response),
        })
    }
}

/// `Guard.prepareAsync`. The arguments were converted on the JavaScript thread; an error in them
/// rejects the promise like an error of the call.
pub struct PrepareTask {
    guard: HostGuard,
    args: CoreResult<PrepareArgs>,
}

impl<'task> napi::ScopedTask<'task> for PrepareTask {
    type Output = CoreResult<HostDecision>;
    type JsValue = Object<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match &self.args {
            Ok(args) => args.run(&self.guard),
            Err(e) => Err(e.clone()),
        })
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        decision_object(env, js_result(env, output)?)
    }
}

/// `Guard.verifyAsync`.
pub struct VerifyTask {
    guard: HostGuard,
    args: CoreResult<(Arc<HostPrepared>, String)>,
}

impl<'task> napi::ScopedTask<'task> for VerifyTask {
    type Output = CoreResult<HostVerification>;
    type JsValue = Verification<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match &self.args {
            Ok((prepared, response)) => self.guard.verify(prepared, response),
            Err(e) => Err(e.clone()),
        })
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        verification(env, js_result(env, output)?)
    }
}
