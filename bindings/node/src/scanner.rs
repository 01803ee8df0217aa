//! `Scanner`, `Stream` and `Vault`: the classes JavaScript holds, and the tasks behind the
//! `…Async` methods.

use std::path::Path;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use routeguard::dlp::text::Unit;
use routeguard::host::{
    ApplyOptions, ConfigSource, HostFinding, HostRedaction, HostRequestScan, HostScanner,
    HostStream, SharedVault,
};
use routeguard::Result as CoreResult;

use crate::convert::{hash_key, invalid_argument, json_arg, parse_json, string_arg};
use crate::error::js_result;
use crate::types::{
    offset, pack, pack_findings, Detector, Packed, Redaction, Released, RequestScan,
};

/// JavaScript strings are indexed in UTF-16 code units.
const UNIT: Unit = Unit::Utf16;

/// A pseudonym vault: `pseudonymize` stores each value here under a token, so that one value gets
/// one token across calls and a reply can be restored. Safe to share between concurrent calls.
#[napi]
pub struct Vault {
    pub(crate) inner: Arc<SharedVault>,
}

#[napi]
impl Vault {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)] // JavaScript constructs it with `new Vault()`.
    pub fn new() -> Vault {
        Vault {
            inner: Arc::new(SharedVault::new()),
        }
    }

    /// Puts the original values back in place of this vault's pseudonyms.
    #[napi(ts_args_type = "text: string")]
    pub fn restore(&self, env: &Env, text: Unknown<'_>) -> Result<String> {
        let text = js_result(env, string_arg(text, "text"))?;
        Ok(self.inner.restore(&text))
    }

    /// How many distinct values the vault holds.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        offset(self.inner.len())
    }
}

/// How actions are applied (all optional).
#[napi(object, object_to_js = false)]
pub struct RedactOptions<'a> {
    /// Apply this action to every finding instead of each detector's own.
    #[napi(ts_type = "Action")]
    pub action: Option<Unknown<'a>>,
    /// The key of the `hash` action: a string (its UTF-8 bytes are the key) or bytes.
    pub hash_key: Option<Either<String, Uint8Array>>,
    /// The vault of the `pseudonymize` action; share one vault across calls to restore replies.
    pub vault: Option<ClassInstance<'a, Vault>>,
}

/// Converts the JavaScript options (`undefined`, `null` or an object); an unknown action name is
/// `invalid_argument`.
fn apply_options(options: Option<Unknown<'_>>) -> CoreResult<ApplyOptions> {
    let Some(options) = options else {
        return Ok(ApplyOptions::default());
    };
    if !matches!(options.get_type(), Ok(ValueType::Object)) {
        return Err(invalid_argument("`options` must be an object".to_string()));
    }
    // napi-rs's messages for these fields name the field and the expected types, not the value.
    let options = RedactOptions::from_unknown(options)
        .map_err(|e| invalid_argument(format!("`options`: {}", e.reason)))?;
    let action = match options.action {
        Some(name) => Some(ApplyOptions::parse_action(&string_arg(
            name,
            "options.action",
        )?)?),
        None => None,
    };
    let hash_key = options.hash_key.map(hash_key);
    let vault = options.vault.map(|vault| Arc::clone(&vault.inner));
    Ok(ApplyOptions {
        action,
        hash_key,
        vault,
    })
}

/// The rewritten request becomes an object (see [`parse_json`]).
fn request_scan<'env>(env: &'env Env, scan: HostRequestScan) -> Result<RequestScan<'env>> {
    Ok(RequestScan {
        blocked: scan.blocked,
        request: parse_json(env, scan.request)?,
        findings: pack(scan.findings),
        inline_data: scan.inline_data.into_iter().map(Into::into).collect(),
    })
}

/// Finds personal data and secrets and applies actions. Build it once and reuse it: building
/// compiles the detectors. Safe to use from concurrent async calls.
#[napi]
pub struct Scanner {
    inner: HostScanner,
}

#[napi]
impl Scanner {
    /// The default profile (every built-in detector, default actions) without an argument, or a
    /// configuration given as an object or as JSON text.
    #[napi(
        constructor,
        ts_args_type = "config?: string | Record<string, unknown>"
    )]
    pub fn new(env: &Env, config: Option<Unknown<'_>>) -> Result<Scanner> {
        let built = match config {
            None => HostScanner::new(ConfigSource::Default),
            Some(config) => json_arg(env, config, "config")
                .and_then(|json| HostScanner::new(ConfigSource::Json(&json))),
        };
        Ok(Scanner {
            inner: js_result(env, built)?,
        })
    }

    /// A scanner configured by a `.json`, `.yaml` or `.yml` file.
    #[napi(factory, ts_args_type = "path: string")]
    pub fn from_file(env: &Env, path: Unknown<'_>) -> Result<Scanner> {
        let built = string_arg(path, "path")
            .and_then(|path| HostScanner::new(ConfigSource::File(Path::new(&path))));
        Ok(Scanner {
            inner: js_result(env, built)?,
        })
    }

    /// A scanner configured by a YAML document.
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_yaml(env: &Env, text: Unknown<'_>) -> Result<Scanner> {
        let built =
            string_arg(text, "text").and_then(|text| HostScanner::new(ConfigSource::Yaml(&text)));
        Ok(Scanner {
            inner: js_result(env, built)?,
        })
    }

    /// Finds personal data and secrets in `text`.
    #[napi(ts_args_type = "text: string", ts_return_type = "Array<Finding>")]
    pub fn scan(&self, env: &Env, text: Unknown<'_>) -> Result<Packed> {
        let text = js_result(env, string_arg(text, "text"))?;
        Ok(pack_findings(self.inner.scan(&text, UNIT)))
    }

    /// `scan` on the libuv thread pool.
    #[napi(
        ts_args_type = "text: string",
        ts_return_type = "Promise<Array<Finding>>"
    )]
    pub fn scan_async(&self, text: Unknown<'_>) -> AsyncTask<ScanTask> {
        AsyncTask::new(ScanTask {
            scanner: self.inner.clone(),
            text: string_arg(text, "text"),
        })
    }

    /// Scans `text` and applies every finding's action (or `options.action` to all of them).
    #[napi(ts_args_type = "text: string, options?: RedactOptions")]
    pub fn redact(
        &self,
        env: &Env,
        text: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> Result<Redaction> {
        let redaction = string_arg(text, "text").and_then(|text| {
            let options = apply_options(options)?;
            self.inner.redact(&text, UNIT, &options)
        });
        js_result(env, redaction).map(Redaction::from)
    }

    /// `redact` on the libuv thread pool.
    #[napi(
        ts_args_type = "text: string, options?: RedactOptions",
        ts_return_type = "Promise<Redaction>"
    )]
    pub fn redact_async(
        &self,
        text: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> AsyncTask<RedactTask> {
        AsyncTask::new(RedactTask {
            scanner: self.inner.clone(),
            prepared: string_arg(text, "text").and_then(|text| Ok((text, apply_options(options)?))),
        })
    }

    /// Scans an OpenRouter chat request (an object or JSON text) and rewrites it.
    #[napi(ts_args_type = "request: string | Record<string, unknown>, options?: RedactOptions")]
    pub fn scan_request<'env>(
        &self,
        env: &'env Env,
        request: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> Result<RequestScan<'env>> {
        let scan = json_arg(env, request, "request").and_then(|json| {
            let options = apply_options(options)?;
            self.inner.scan_request(&json, UNIT, &options)
        });
        request_scan(env, js_result(env, scan)?)
    }

    /// `scanRequest` on the libuv thread pool.
    #[napi(
        ts_args_type = "request: string | Record<string, unknown>, options?: RedactOptions",
        ts_return_type = "Promise<RequestScan>"
    )]
    pub fn scan_request_async(
        &self,
        env: &Env,
        request: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> AsyncTask<ScanRequestTask> {
        AsyncTask::new(ScanRequestTask {
            scanner: self.inner.clone(),
            prepared: json_arg(env, request, "request")
                .and_then(|json| Ok((json, apply_options(options)?))),
        })
    }

    /// A stream scanner for a text arriving in chunks (a streamed prompt or reply).
    #[napi(ts_args_type = "options?: RedactOptions")]
    pub fn stream(&self, env: &Env, options: Option<Unknown<'_>>) -> Result<Stream> {
        let options = js_result(env, apply_options(options))?;
        Ok(Stream {
            inner: self.inner.stream(UNIT, options),
        })
    }

    /// The detectors this scanner runs.
    #[napi]
    pub fn detectors(&self) -> Vec<Detector> {
        self.inner
            .detectors()
            .into_iter()
            .map(Detector::from)
            .collect()
    }

    /// The longest text a stream may hold back before releasing, in UTF-8 bytes.
    #[napi(getter)]
    pub fn stream_holdback(&self) -> u32 {
        offset(self.inner.stream_holdback())
    }
}

/// A text arriving in pieces: each step releases what no match can still cover, with the actions
/// applied. Made by `Scanner.stream()`.
#[napi]
pub struct Stream {
    inner: HostStream,
}

#[napi]
impl Stream {
    /// Feeds a chunk; returns what may be passed on now (possibly nothing).
    #[napi(ts_args_type = "chunk: string")]
    pub fn push(&mut self, env: &Env, chunk: Unknown<'_>) -> Result<Released> {
        let released = string_arg(chunk, "chunk").and_then(|chunk| self.inner.push(&chunk));
        js_result(env, released).map(Released::from)
    }

    /// Ends the stream and returns everything still held. Pushing after this is an error.
    #[napi]
    pub fn finish(&mut self, env: &Env) -> Result<Released> {
        js_result(env, self.inner.finish()).map(Released::from)
    }

    /// UTF-8 bytes received and not yet released.
    #[napi(getter)]
    pub fn pending(&self) -> u32 {
        offset(self.inner.pending())
    }
}

/// `Scanner.scanAsync`. The arguments were converted on the JavaScript thread; an error in them
/// rejects the promise like an error of the call (so for every task below).
pub struct ScanTask {
    scanner: HostScanner,
    text: CoreResult<String>,
}

impl Task for ScanTask {
    type Output = CoreResult<Vec<HostFinding>>;
    type JsValue = Packed;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match &self.text {
            Ok(text) => Ok(self.scanner.scan(text, UNIT)),
            Err(e) => Err(e.clone()),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        js_result(&env, output).map(pack_findings)
    }
}

/// `Scanner.redactAsync`.
pub struct RedactTask {
    scanner: HostScanner,
    prepared: CoreResult<(String, ApplyOptions)>,
}

impl Task for RedactTask {
    type Output = CoreResult<HostRedaction>;
    type JsValue = Redaction;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match &self.prepared {
            Ok((text, options)) => self.scanner.redact(text, UNIT, options),
            Err(e) => Err(e.clone()),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        js_result(&env, output).map(Redaction::from)
    }
}

/// `Scanner.scanRequestAsync`.
pub struct ScanRequestTask {
    scanner: HostScanner,
    prepared: CoreResult<(String, ApplyOptions)>,
}

impl<'task> napi::ScopedTask<'task> for ScanRequestTask {
    type Output = CoreResult<HostRequestScan>;
    type JsValue = RequestScan<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match &self.prepared {
            Ok((json, options)) => self.scanner.scan_request(json, UNIT, options),
            Err(e) => Err(e.clone()),
        })
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        request_scan(env, js_result(env, output)?)
    }
}
