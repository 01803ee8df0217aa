//! The audit trail: `AuditTrail` (open, write, checkpoint, close, flush, lines) and the log
//! functions (`auditVerify`, `auditVerifyText`, `auditSearch`, `auditExport`, `canonicalJson`),
//! over `routeguard::host::HostAuditTrail` and the `audit_*` functions of `routeguard::host`.
//! Thin: configurations, events and filters arrive as objects or JSON text, receipts, reports and
//! records leave as plain objects with the core's snake_case keys. Keys are bytes (`Buffer`,
//! `Uint8Array`) or hex text.
//!
//! A `callback` sink calls a JavaScript function with each line. JavaScript runs on one thread,
//! so the function is called only from inside the synchronous methods (`write`, `checkpoint`,
//! `close`, `flush`, `Guard.audit`), which mark the thread's environment as active for the call;
//! the `…Async` methods refuse a callback trail. A throw in the function is a sink failure named
//! by the thrown class only (never its message, which may quote the line).

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::JsError;
use napi_derive::napi;
use routeguard::audit::sink::LineCallback;
use routeguard::host::{self, HostAuditTrail};
use routeguard::{ErrorCode, Result as CoreResult};
use serde::Serialize;

use crate::budget::{opt_time, to_js};
use crate::convert::{given, invalid_argument, json_arg, parse_json, string_arg};
use crate::error::js_result;

/// The `sdk.language` of the records this binding writes (when the configuration names none).
pub(crate) const LANGUAGE: &str = "node";

thread_local! {
    /// The environment of the synchronous call in progress on this thread, if any: a callback
    /// sink calls its JavaScript function only while one is active.
    static ACTIVE_ENV: Cell<Option<Env>> = const { Cell::new(None) };
}

/// Marks `env` active for the lifetime of the value (restoring what was active before, so nested
/// calls from inside a callback work).
pub(crate) struct ActiveEnv(Option<Env>);

impl ActiveEnv {
    pub(crate) fn enter(env: &Env) -> ActiveEnv {
        ActiveEnv(ACTIVE_ENV.with(|active| active.replace(Some(*env))))
    }
}

impl Drop for ActiveEnv {
    fn drop(&mut self) {
        ACTIVE_ENV.with(|active| active.set(self.0));
    }
}

/// What a trail's JavaScript object and its callback sink share.
#[derive(Default)]
pub(crate) struct CallbackState {
    /// The function is running: the trail is locked, so a call on it from the function would
    /// deadlock and is refused instead.
    busy: AtomicBool,
    /// The JavaScript object was collected: the core closes the trail as it drops it, and the
    /// function may not run from a finalizer.
    dropped: AtomicBool,
}

/// A `callback` argument: a JavaScript function, or not given.
pub(crate) fn callback_arg(
    callback: Option<Unknown<'_>>,
) -> CoreResult<Option<(LineCallback, Arc<CallbackState>)>> {
    let Some(callback) = given(callback) else {
        return Ok(None);
    };
    if !matches!(callback.get_type(), Ok(ValueType::Function)) {
        return Err(invalid_argument(
            "`callback` must be a function (called with each line)".to_string(),
        ));
    }
    let function = Function::<String, Unknown<'static>>::from_unknown(callback)
        .and_then(|f| f.create_ref())
        .map_err(|_| invalid_argument("`callback` could not be kept".to_string()))?;
    let state = Arc::new(CallbackState::default());
    let shared = Arc::clone(&state);
    let sink: LineCallback = Box::new(move |line: &str| {
        if shared.dropped.load(Ordering::Acquire) {
            return Err("TrailCollected".to_string());
        }
        let Some(env) = ACTIVE_ENV.with(Cell::get) else {
            return Err("NotOnTheJavaScriptThread".to_string());
        };
        let function = function
            .borrow_back(&env)
            .map_err(|_| "Error".to_string())?;
        shared.busy.store(true, Ordering::Release);
        let result = function.call(line.to_string());
        shared.busy.store(false, Ordering::Release);
        match result {
            Ok(value) if is_thenable(&value) => Err("Promise".to_string()),
            Ok(_) => Ok(()),
            Err(error) => Err(thrown_name(&env, error)),
        }
    });
    Ok(Some((sink, state)))
}

/// A returned promise is a failure: the line's fate is not known when `write` returns.
fn is_thenable(value: &Unknown<'_>) -> bool {
    if !matches!(value.get_type(), Ok(ValueType::Object)) {
        return false;
    }
    Object::from_unknown(*value)
        .and_then(|object| object.get_named_property::<Unknown<'_>>("then"))
        .is_ok_and(|then| matches!(then.get_type(), Ok(ValueType::Function)))
}

/// The class of what the callback threw (`constructor.name`, else `name`), or `Error`; never its
/// message. Only identifier characters are kept.
fn thrown_name(env: &Env, error: napi::Error) -> String {
    let value = JsError::from(error).into_unknown(*env);
    let name = (|| -> Result<Option<String>> {
        if value.get_type()? != ValueType::Object {
            return Ok(None);
        }
        let object = Object::from_unknown(value)?;
        let from_constructor = object
            .get::<Object<'_>>("constructor")?
            .map(|constructor| constructor.get::<String>("name"))
            .transpose()?
            .flatten();
        match from_constructor {
            Some(name) if !name.is_empty() => Ok(Some(name)),
            _ => object.get::<String>("name"),
        }
    })();
    name.ok()
        .flatten()
        .filter(|n| {
            !n.is_empty()
                && n.len() <= 64
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        })
        .unwrap_or_else(|| "Error".to_string())
}

/// A key argument: bytes (`Buffer`, `Uint8Array`) or hex text. Errors never show the value.
pub(crate) fn key_arg(value: Unknown<'_>, name: &str) -> CoreResult<Vec<u8>> {
    let wrong = || {
        invalid_argument(format!(
            "`{name}` must be a Buffer, a Uint8Array or hex text"
        ))
    };
    match value.get_type() {
        Ok(ValueType::String) => String::from_unknown(value)
            .map(String::into_bytes)
            .map_err(|_| wrong()),
        Ok(ValueType::Object) => Uint8Array::from_unknown(value)
            .map(|bytes| bytes.to_vec())
            .map_err(|_| wrong()),
        _ => Err(wrong()),
    }
}

/// An optional key argument.
fn opt_key_arg(value: Option<Unknown<'_>>, name: &str) -> CoreResult<Option<Vec<u8>>> {
    given(value).map(|v| key_arg(v, name)).transpose()
}

/// The log text of `auditVerifyText`: a string (its UTF-8 bytes) or bytes.
fn log_text_arg(value: Unknown<'_>) -> CoreResult<Vec<u8>> {
    let wrong =
        || invalid_argument("`text` must be a string, a Buffer or a Uint8Array".to_string());
    match value.get_type() {
        Ok(ValueType::String) => String::from_unknown(value)
            .map(String::into_bytes)
            .map_err(|_| wrong()),
        Ok(ValueType::Object) => Uint8Array::from_unknown(value)
            .map(|bytes| bytes.to_vec())
            .map_err(|_| wrong()),
        _ => Err(wrong()),
    }
}

fn json_text<T: Serialize>(value: &T) -> CoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| routeguard::Error::new(ErrorCode::Internal, e.to_string()))
}

/// A log to verify (its location or its text), the chain key and the public key, if any.
type VerifyArgs<L> = (L, Vec<u8>, Option<Vec<u8>>);

/// The converted arguments of `auditVerify`.
fn verify_args(
    location: Unknown<'_>,
    chain_key: Unknown<'_>,
    public_key: Option<Unknown<'_>>,
) -> CoreResult<VerifyArgs<String>> {
    Ok((
        string_arg(location, "location")?,
        key_arg(chain_key, "chainKey")?,
        opt_key_arg(public_key, "publicKey")?,
    ))
}

fn verify_text_args(
    text: Unknown<'_>,
    chain_key: Unknown<'_>,
    public_key: Option<Unknown<'_>>,
) -> CoreResult<VerifyArgs<Vec<u8>>> {
    Ok((
        log_text_arg(text)?,
        key_arg(chain_key, "chainKey")?,
        opt_key_arg(public_key, "publicKey")?,
    ))
}

fn search_args(
    env: &Env,
    location: Unknown<'_>,
    filter: Option<Unknown<'_>>,
) -> CoreResult<(String, String)> {
    let location = string_arg(location, "location")?;
    let filter = given(filter)
        .map(|f| json_arg(env, f, "filter"))
        .transpose()?
        .unwrap_or_default();
    Ok((location, filter))
}

fn export_args(location: Unknown<'_>, format: Unknown<'_>) -> CoreResult<(String, String)> {
    Ok((
        string_arg(location, "location")?,
        string_arg(format, "format")?,
    ))
}

/// Checks the log at `location` (a `.jsonl` file, a directory of them, or a PostgreSQL URL) with
/// the chain key and, when given, the checkpoints' public key. A tampered log is a report with
/// `status: 'tampered'`, not an error; a log that cannot be read throws `audit_unreadable`.
#[napi(
    ts_args_type = "location: string, chainKey: AuditKey, publicKey?: AuditKey | null",
    ts_return_type = "AuditVerifyReport"
)]
pub fn audit_verify<'env>(
    env: &'env Env,
    location: Unknown<'_>,
    chain_key: Unknown<'_>,
    public_key: Option<Unknown<'_>>,
) -> Result<Object<'env>> {
    let report = verify_args(location, chain_key, public_key)
        .and_then(|(location, key, public)| host::audit_verify(&location, &key, public.as_deref()));
    to_js(env, &js_result(env, report)?)
}

/// Checks a log given as its JSON Lines (a string or bytes).
#[napi(
    ts_args_type = "text: string | Uint8Array, chainKey: AuditKey, publicKey?: AuditKey | null",
    ts_return_type = "AuditVerifyReport"
)]
pub fn audit_verify_text<'env>(
    env: &'env Env,
    text: Unknown<'_>,
    chain_key: Unknown<'_>,
    public_key: Option<Unknown<'_>>,
) -> Result<Object<'env>> {
    let report = verify_text_args(text, chain_key, public_key)
        .and_then(|(text, key, public)| host::audit_verify_text(&text, &key, public.as_deref()));
    to_js(env, &js_result(env, report)?)
}

/// The records of the log at `location` that `filter` keeps (interactions only unless
/// `all_kinds`), oldest first.
#[napi(
    ts_args_type = "location: string, filter?: AuditFilter | string | null",
    ts_return_type = "AuditRecord[]"
)]
pub fn audit_search<'env>(
    env: &'env Env,
    location: Unknown<'_>,
    filter: Option<Unknown<'_>>,
) -> Result<Object<'env>> {
    let records = search_args(env, location, filter)
        .and_then(|(location, filter)| host::audit_search(&location, &filter));
    to_js(env, &js_result(env, records)?)
}

/// The log at `location` as `csv` (a header and a row per interaction) or `ocsf` (JSON Lines of
/// OCSF API Activity events).
#[napi(ts_args_type = "location: string, format: 'csv' | 'ocsf'")]
pub fn audit_export(env: &Env, location: Unknown<'_>, format: Unknown<'_>) -> Result<String> {
    let text = export_args(location, format)
        .and_then(|(location, format)| host::audit_export(&location, &format));
    js_result(env, text)
}

/// The RFC 8785 canonical JSON of `value` (JSON text, or an object written by `JSON.stringify`
/// first): the bytes records are hashed and signed over. To canonicalise a string value, give
/// its JSON text (`JSON.stringify(s)`).
#[napi(ts_args_type = "value: string | Record<string, unknown> | unknown[]")]
pub fn canonical_json(env: &Env, value: Unknown<'_>) -> Result<String> {
    let text = json_arg(env, value, "value").and_then(|json| host::canonical_json(&json));
    js_result(env, text)
}

/// `auditVerify` on the libuv thread pool.
#[napi(
    ts_args_type = "location: string, chainKey: AuditKey, publicKey?: AuditKey | null",
    ts_return_type = "Promise<AuditVerifyReport>"
)]
pub fn audit_verify_async(
    location: Unknown<'_>,
    chain_key: Unknown<'_>,
    public_key: Option<Unknown<'_>>,
) -> AsyncTask<AuditTask> {
    let args = verify_args(location, chain_key, public_key);
    AuditTask::json(move || {
        let (location, key, public) = args?;
        let report = host::audit_verify(&location, &key, public.as_deref())?;
        json_text(&report)
    })
}

/// `auditVerifyText` on the libuv thread pool.
#[napi(
    ts_args_type = "text: string | Uint8Array, chainKey: AuditKey, publicKey?: AuditKey | null",
    ts_return_type = "Promise<AuditVerifyReport>"
)]
pub fn audit_verify_text_async(
    text: Unknown<'_>,
    chain_key: Unknown<'_>,
    public_key: Option<Unknown<'_>>,
) -> AsyncTask<AuditTask> {
    let args = verify_text_args(text, chain_key, public_key);
    AuditTask::json(move || {
        let (text, key, public) = args?;
        let report = host::audit_verify_text(&text, &key, public.as_deref())?;
        json_text(&report)
    })
}

/// `auditSearch` on the libuv thread pool.
#[napi(
    ts_args_type = "location: string, filter?: AuditFilter | string | null",
    ts_return_type = "Promise<AuditRecord[]>"
)]
pub fn audit_search_async(
    env: &Env,
    location: Unknown<'_>,
    filter: Option<Unknown<'_>>,
) -> AsyncTask<AuditTask> {
    let args = search_args(env, location, filter);
    AuditTask::json(move || {
        let (location, filter) = args?;
        json_text(&host::audit_search(&location, &filter)?)
    })
}

/// `auditExport` on the libuv thread pool.
#[napi(
    ts_args_type = "location: string, format: 'csv' | 'ocsf'",
    ts_return_type = "Promise<string>"
)]
pub fn audit_export_async(location: Unknown<'_>, format: Unknown<'_>) -> AsyncTask<AuditTask> {
    let args = export_args(location, format);
    AuditTask::new(move || {
        let (location, format) = args?;
        host::audit_export(&location, &format).map(AuditOutput::Text)
    })
}

/// A tamper-evident audit log: each record is chained to the one before by an HMAC under the
/// chain key, and checkpoints are signed with the signing key (Ed25519) when one is given.
/// Opened with `AuditTrail.open(config, chainKey, signingKey?, callback?)`; `close()` it when
/// done (a closing checkpoint seals the chain).
#[napi]
pub struct AuditTrail {
    pub(crate) inner: HostAuditTrail,
    callback: Option<Arc<CallbackState>>,
}

impl Drop for AuditTrail {
    fn drop(&mut self) {
        if let Some(state) = &self.callback {
            state.dropped.store(true, Ordering::Release);
        }
    }
}

impl AuditTrail {
    pub(crate) fn new(inner: HostAuditTrail, callback: Option<Arc<CallbackState>>) -> AuditTrail {
        AuditTrail { inner, callback }
    }

    /// Refuses a call from inside this trail's own callback (the trail is locked meanwhile).
    pub(crate) fn check_not_busy(&self) -> CoreResult<()> {
        match &self.callback {
            Some(state) if state.busy.load(Ordering::Acquire) => Err(invalid_argument(
                "an audit trail cannot be used from inside its own callback".to_string(),
            )),
            _ => Ok(()),
        }
    }

    /// A synchronous call that may reach the sink: the environment is active for its callback.
    pub(crate) fn sync_call<T>(
        &self,
        env: &Env,
        call: impl FnOnce(&HostAuditTrail) -> CoreResult<T>,
    ) -> CoreResult<T> {
        self.check_not_busy()?;
        let _active = ActiveEnv::enter(env);
        call(&self.inner)
    }

    /// Whether the trail writes to a JavaScript callback (usable from the JavaScript thread only).
    pub(crate) fn has_callback(&self) -> bool {
        self.callback.is_some()
    }

    /// The trail for an async call, refused for a callback sink.
    fn for_async(&self, method: &str) -> CoreResult<HostAuditTrail> {
        if self.callback.is_some() {
            return Err(invalid_argument(format!(
                "a trail with a callback sink cannot `{method}Async`: the callback runs on the \
                 JavaScript thread only; call `{method}` instead"
            )));
        }
        Ok(self.inner.clone())
    }
}

#[napi]
impl AuditTrail {
    /// Opens a trail from its configuration (an object or JSON text: `{sink: {type: 'jsonl',
    /// path} | {type: 'postgres', url} | {type: 'memory'} | {type: 'callback'}, writer?, prompt?,
    /// response?, on_sink_error?, checkpoint_every?, checkpoint_interval_ms?, sdk?}`), the chain
    /// key (32 bytes or more) and the signing key's 32-byte seed. A `callback` sink calls
    /// `callback(line)` with each line, synchronously; a throw (or a returned promise) is a sink
    /// failure: the write throws `audit_unavailable`, or is held back under
    /// `on_sink_error: 'allow'`.
    #[napi(
        factory,
        ts_args_type = "config: AuditTrailConfig | string, chainKey: AuditKey, signingKey?: AuditKey | null, callback?: ((line: string) => void) | null"
    )]
    pub fn open(
        env: &Env,
        config: Unknown<'_>,
        chain_key: Unknown<'_>,
        signing_key: Option<Unknown<'_>>,
        callback: Option<Unknown<'_>>,
    ) -> Result<AuditTrail> {
        let opened = (|| {
            let config = json_arg(env, config, "config")?;
            let chain_key = key_arg(chain_key, "chainKey")?;
            let signing_key = opt_key_arg(signing_key, "signingKey")?;
            let (sink, state) = callback_arg(callback)?.unzip();
            let _active = ActiveEnv::enter(env);
            let trail = HostAuditTrail::open(
                &config,
                &chain_key,
                signing_key.as_deref(),
                sink,
                LANGUAGE,
                None,
            )?;
            Ok(AuditTrail::new(trail, state))
        })();
        js_result(env, opened)
    }

    /// The writer: this trail's chain (one per process run).
    #[napi(getter)]
    pub fn writer(&self) -> String {
        self.inner.writer().to_string()
    }

    /// The checkpoints' Ed25519 public key (hex), or `null` when the trail does not sign.
    #[napi(getter)]
    pub fn public_key(&self) -> Option<String> {
        self.inner.public_key()
    }

    /// Writes an interaction event (an object or JSON text: the record's interaction fields,
    /// e.g. `{outcome, principal, model, prompt, response, tokens, cost, ...}`). The receipt says
    /// `written`, or `delayed` when the sink is down and the trail fails open.
    #[napi(
        ts_args_type = "event: Record<string, unknown> | string, nowMs?: number | null",
        ts_return_type = "AuditReceipt"
    )]
    pub fn write<'env>(
        &self,
        env: &'env Env,
        event: Unknown<'_>,
        now_ms: Option<f64>,
    ) -> Result<Object<'env>> {
        let receipt = (|| {
            let event = json_arg(env, event, "event")?;
            let now = opt_time(now_ms, "nowMs")?;
            self.sync_call(env, |trail| trail.write(&event, now))
        })();
        to_js(env, &js_result(env, receipt)?)
    }

    /// Writes a signed checkpoint now.
    #[napi(ts_return_type = "AuditReceipt")]
    pub fn checkpoint<'env>(&self, env: &'env Env, now_ms: Option<f64>) -> Result<Object<'env>> {
        let receipt = opt_time(now_ms, "nowMs")
            .and_then(|now| self.sync_call(env, |trail| trail.checkpoint(now)));
        to_js(env, &js_result(env, receipt)?)
    }

    /// Writes the closing checkpoint and flushes; later writes throw `audit_trail_closed`.
    #[napi(ts_return_type = "AuditReceipt")]
    pub fn close<'env>(&self, env: &'env Env, now_ms: Option<f64>) -> Result<Object<'env>> {
        let receipt =
            opt_time(now_ms, "nowMs").and_then(|now| self.sync_call(env, |trail| trail.close(now)));
        to_js(env, &js_result(env, receipt)?)
    }

    /// Writes what a fail-open outage held back, if the sink takes it now, and syncs to disk.
    #[napi]
    pub fn flush(&self, env: &Env, now_ms: Option<f64>) -> Result<()> {
        let flushed =
            opt_time(now_ms, "nowMs").and_then(|now| self.sync_call(env, |trail| trail.flush(now)));
        js_result(env, flushed)
    }

    /// The lines written so far (a `memory` sink only).
    #[napi]
    pub fn lines(&self, env: &Env) -> Result<Vec<String>> {
        js_result(env, self.inner.lines())
    }

    /// `write` on the libuv thread pool (not for a callback sink).
    #[napi(
        ts_args_type = "event: Record<string, unknown> | string, nowMs?: number | null",
        ts_return_type = "Promise<AuditReceipt>"
    )]
    pub fn write_async(
        &self,
        env: &Env,
        event: Unknown<'_>,
        now_ms: Option<f64>,
    ) -> AsyncTask<AuditTask> {
        let args = (|| {
            Ok((
                self.for_async("write")?,
                json_arg(env, event, "event")?,
                opt_time(now_ms, "nowMs")?,
            ))
        })();
        AuditTask::json(move || {
            let (trail, event, now) = args?;
            json_text(&trail.write(&event, now)?)
        })
    }

    /// `close` on the libuv thread pool (not for a callback sink).
    #[napi(ts_return_type = "Promise<AuditReceipt>")]
    pub fn close_async(&self, now_ms: Option<f64>) -> AsyncTask<AuditTask> {
        let args = (|| Ok((self.for_async("close")?, opt_time(now_ms, "nowMs")?)))();
        AuditTask::json(move || {
            let (trail, now) = args?;
            json_text(&trail.close(now)?)
        })
    }
}

/// What an audit call gives back, turned into its JavaScript value on the JavaScript thread.
pub enum AuditOutput {
    /// JSON text; resolves to the plain object `JSON.parse` makes of it.
    Json(String),
    /// Resolves to the string.
    Text(String),
}

/// The async form of an audit call: the arguments were converted on the JavaScript thread (an
/// error in them rejects the promise like an error of the call), the work runs on the libuv
/// thread pool.
pub struct AuditTask {
    work: Option<Box<dyn FnOnce() -> CoreResult<AuditOutput> + Send>>,
}

impl AuditTask {
    fn new(
        work: impl FnOnce() -> CoreResult<AuditOutput> + Send + 'static,
    ) -> AsyncTask<AuditTask> {
        AsyncTask::new(AuditTask {
            work: Some(Box::new(work)),
        })
    }

    /// A call that makes JSON text, resolving to a plain object.
    fn json(work: impl FnOnce() -> CoreResult<String> + Send + 'static) -> AsyncTask<AuditTask> {
        AuditTask::new(move || work().map(AuditOutput::Json))
    }
}

impl<'task> napi::ScopedTask<'task> for AuditTask {
    type Output = CoreResult<AuditOutput>;
    type JsValue = Either<Object<'task>, String>;

    fn compute(&mut self) -> Result<Self::Output> {
        let work = self
            .work
            .take()
            .ok_or_else(|| napi::Error::from_reason("audit task ran twice"))?;
        Ok(work())
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(match js_result(env, output)? {
            AuditOutput::Json(text) => Either::A(parse_json(env, text)?),
            AuditOutput::Text(text) => Either::B(text),
        })
    }
}
