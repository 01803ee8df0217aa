//! The governed call: `NativeClient` (routeguard's own connection to OpenRouter, whole or
//! streamed) and `NativeGovernor` (for callers that do their own HTTP), over
//! `routeguard::host::{HostClient, HostChatStream, HostGovernor, HostCall}`. Thin: principals
//! and requests arrive as objects or JSON text; answers and chunks leave as JSON text, which
//! `node/index.js` parses (its `Client`, `ChatStream`, `Governor` and `Call` wrap these classes).
//!
//! The host calls block (on OpenRouter, the ledger and the audit sink), so every call that talks
//! to OpenRouter has a Promise form that runs on the libuv thread pool. A trail with a JavaScript
//! `callback` sink can only be written from the JavaScript thread: with one, only the `…Sync`
//! calls work.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use routeguard::host::{HostBegun, HostCall, HostChatStream, HostClient, HostGovernor};
use routeguard::Result as CoreResult;

use crate::audit::{ActiveEnv, AuditTrail};
use crate::budget::Ledger;
use crate::convert::{given, invalid_argument, json_arg};
use crate::error::js_result;
use crate::guard::Guard;

/// The client options as JSON text (`{}` when not given).
fn options_arg(env: &Env, options: Option<Unknown<'_>>) -> CoreResult<String> {
    given(options)
        .map(|o| json_arg(env, o, "options"))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Refuses a Promise-returning call when the trail writes to a JavaScript callback.
fn refuse_callback(callback: bool, method: &str) -> CoreResult<()> {
    if callback {
        return Err(invalid_argument(format!(
            "a client whose audit trail has a callback sink cannot `{method}` on the thread \
             pool: the callback runs on the JavaScript thread only; call `{method}Sync` instead"
        )));
    }
    Ok(())
}

/// A blocking host call run on the libuv thread pool: the arguments were converted on the
/// JavaScript thread (an error in them rejects the promise like an error of the call).
pub struct Blocking<T: Send + 'static> {
    work: Option<Box<dyn FnOnce() -> CoreResult<T> + Send>>,
}

impl<T: ToNapiValue + TypeName + Send + 'static> Blocking<T> {
    fn task(work: impl FnOnce() -> CoreResult<T> + Send + 'static) -> AsyncTask<Blocking<T>> {
        AsyncTask::new(Blocking {
            work: Some(Box::new(work)),
        })
    }
}

impl<'task, T: ToNapiValue + TypeName + Send + 'static> napi::ScopedTask<'task> for Blocking<T> {
    type Output = CoreResult<T>;
    type JsValue = T;

    fn compute(&mut self) -> Result<Self::Output> {
        let work = self
            .work
            .take()
            .ok_or_else(|| napi::Error::from_reason("governed task ran twice"))?;
        Ok(work())
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        js_result(env, output)
    }
}

/// A governed client with routeguard's own connection to OpenRouter (wrapped by `Client` in
/// `index.js`). The OpenRouter key comes from `api_key_file` or the environment, never from the
/// application's code.
#[napi(js_name = "NativeClient")]
pub struct NativeClient {
    inner: HostClient,
    callback: bool,
}

impl NativeClient {
    fn args(
        &self,
        env: &Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
    ) -> CoreResult<(HostClient, String, String)> {
        Ok((
            self.inner.clone(),
            json_arg(env, principal, "principal")?,
            json_arg(env, request, "request")?,
        ))
    }
}

#[napi]
impl NativeClient {
    /// A client over `guard`, settling on `ledger` and recording on `trail` when given;
    /// `options` (an object or JSON text): `{base_url?, api_key_env?, api_key_file?, referer?,
    /// title?, timeout_ms?, connect_timeout_ms?, max_retries?, backoff_ms?, hash_key_hex?}`.
    #[napi(
        constructor,
        ts_args_type = "guard: Guard, ledger?: Ledger | null, trail?: AuditTrail | null, options?: string | Record<string, unknown> | null"
    )]
    pub fn new(
        env: &Env,
        guard: &Guard,
        ledger: Option<&Ledger>,
        trail: Option<&AuditTrail>,
        options: Option<Unknown<'_>>,
    ) -> Result<NativeClient> {
        let built = options_arg(env, options).and_then(|options| {
            HostClient::new(
                &guard.inner,
                ledger.map(|l| &l.inner),
                trail.map(|t| &t.inner),
                &options,
            )
        });
        Ok(NativeClient {
            inner: js_result(env, built)?,
            callback: trail.is_some_and(AuditTrail::has_callback),
        })
    }

    /// The base URL calls go to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    /// One governed chat completion on the libuv thread pool: the answer as JSON text.
    #[napi(
        ts_args_type = "principal: Principal | string, request: string | Record<string, unknown>",
        ts_return_type = "Promise<string>"
    )]
    pub fn chat(
        &self,
        env: &Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
    ) -> AsyncTask<Blocking<String>> {
        let args = refuse_callback(self.callback, "chat")
            .and_then(|()| self.args(env, principal, request));
        Blocking::task(move || {
            let (client, principal, request) = args?;
            client.chat(&principal, &request)
        })
    }

    /// `chat`, blocking the JavaScript thread.
    #[napi(
        ts_args_type = "principal: Principal | string, request: string | Record<string, unknown>"
    )]
    pub fn chat_sync(
        &self,
        env: &Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
    ) -> Result<String> {
        let answer = self
            .args(env, principal, request)
            .and_then(|(client, p, r)| {
                let _active = ActiveEnv::enter(env);
                client.chat(&p, &r)
            });
        js_result(env, answer)
    }

    /// A governed stream on the libuv thread pool, resolved once the first byte arrived (or at
    /// once for a refusal).
    #[napi(
        ts_args_type = "principal: Principal | string, request: string | Record<string, unknown>",
        ts_return_type = "Promise<NativeChatStream>"
    )]
    pub fn stream(
        &self,
        env: &Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
    ) -> AsyncTask<Blocking<NativeChatStream>> {
        let args = refuse_callback(self.callback, "stream")
            .and_then(|()| self.args(env, principal, request));
        Blocking::task(move || {
            let (client, principal, request) = args?;
            Ok(NativeChatStream {
                inner: Arc::new(client.stream(&principal, &request)?),
                callback: false,
            })
        })
    }

    /// `stream`, blocking the JavaScript thread until the first byte.
    #[napi(
        ts_args_type = "principal: Principal | string, request: string | Record<string, unknown>"
    )]
    pub fn stream_sync(
        &self,
        env: &Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
    ) -> Result<NativeChatStream> {
        let stream = self
            .args(env, principal, request)
            .and_then(|(client, p, r)| {
                let _active = ActiveEnv::enter(env);
                client.stream(&p, &r)
            });
        Ok(NativeChatStream {
            inner: Arc::new(js_result(env, stream)?),
            callback: self.callback,
        })
    }
}

/// A governed stream: chunks (JSON text, OpenRouter's chunk shape, filtered) until `null`, then
/// the answer. Dropped unfinished, it is cancelled (settled and recorded as cancelled).
#[napi(js_name = "NativeChatStream")]
pub struct NativeChatStream {
    inner: Arc<HostChatStream>,
    callback: bool,
}

#[napi]
impl NativeChatStream {
    /// The next chunk as JSON text, or `null` once the stream is over (libuv thread pool).
    #[napi(ts_return_type = "Promise<string | null>")]
    pub fn next(&self) -> AsyncTask<Blocking<Option<String>>> {
        let checked = refuse_callback(self.callback, "next");
        let stream = Arc::clone(&self.inner);
        Blocking::task(move || {
            checked?;
            stream.next()
        })
    }

    /// `next`, blocking the JavaScript thread.
    #[napi]
    pub fn next_sync(&self, env: &Env) -> Result<Option<String>> {
        let _active = ActiveEnv::enter(env);
        js_result(env, self.inner.next())
    }

    /// Stops reading: the call is settled and recorded as cancelled (libuv thread pool).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn cancel(&self) -> AsyncTask<Blocking<()>> {
        let checked = refuse_callback(self.callback, "cancel");
        let stream = Arc::clone(&self.inner);
        Blocking::task(move || {
            checked?;
            stream.cancel()
        })
    }

    /// `cancel`, blocking the JavaScript thread.
    #[napi]
    pub fn cancel_sync(&self, env: &Env) -> Result<()> {
        let _active = ActiveEnv::enter(env);
        js_result(env, self.inner.cancel())
    }

    /// The answer as JSON text once the stream is over (at once for a refusal), else `null`.
    #[napi]
    pub fn answer(&self) -> Option<String> {
        self.inner.answer()
    }
}

/// The governed call for callers that send the request themselves (wrapped by `Governor`).
#[napi(js_name = "NativeGovernor")]
pub struct NativeGovernor {
    inner: HostGovernor,
}

/// A refused call: the answer as JSON text; nothing is sent.
#[napi(object, object_from_js = false, js_name = "NativeRefused")]
pub struct Refused {
    pub refused: String,
}

#[napi]
impl NativeGovernor {
    /// A governor over `guard`, settling on `ledger` and recording on `trail` when given;
    /// `options` is read for `hash_key_hex` only.
    #[napi(
        constructor,
        ts_args_type = "guard: Guard, ledger?: Ledger | null, trail?: AuditTrail | null, options?: string | Record<string, unknown> | null"
    )]
    pub fn new(
        env: &Env,
        guard: &Guard,
        ledger: Option<&Ledger>,
        trail: Option<&AuditTrail>,
        options: Option<Unknown<'_>>,
    ) -> Result<NativeGovernor> {
        let built = options_arg(env, options).and_then(|options| {
            HostGovernor::new(
                &guard.inner,
                ledger.map(|l| &l.inner),
                trail.map(|t| &t.inner),
                &options,
            )
        });
        Ok(NativeGovernor {
            inner: js_result(env, built)?,
        })
    }

    /// Decides and reserves: `{refused: answerJson}` (recorded; nothing to send) or a call whose
    /// `request` is to be POSTed to OpenRouter's `/chat/completions`.
    #[napi(
        ts_args_type = "principal: Principal | string, request: string | Record<string, unknown>"
    )]
    pub fn begin(
        &self,
        env: &Env,
        principal: Unknown<'_>,
        request: Unknown<'_>,
    ) -> Result<Either<Refused, NativeCall>> {
        let begun = (|| {
            let principal = json_arg(env, principal, "principal")?;
            let request = json_arg(env, request, "request")?;
            let _active = ActiveEnv::enter(env);
            self.inner.begin(&principal, &request)
        })();
        Ok(match js_result(env, begun)? {
            HostBegun::Refused(answer) => Either::A(Refused { refused: answer }),
            HostBegun::Send(call) => Either::B(NativeCall { inner: call }),
        })
    }
}

/// A call begun by `NativeGovernor.begin`, to be completed with OpenRouter's status and body (or
/// failed). Dropped without either, it is settled and recorded as cancelled.
#[napi(js_name = "NativeCall")]
pub struct NativeCall {
    inner: HostCall,
}

#[napi]
impl NativeCall {
    /// The request to POST to OpenRouter's `/chat/completions`, as JSON text.
    #[napi(getter)]
    pub fn request(&self) -> String {
        self.inner.request().to_string()
    }

    /// Completes the call with OpenRouter's HTTP status and body (text): verify, response DLP,
    /// settle, record. Returns the answer as JSON text; a second completion throws
    /// `invalid_argument`.
    #[napi]
    pub fn complete(&self, env: &Env, status: u32, body: String) -> Result<String> {
        let answer = u16::try_from(status)
            .map_err(|_| invalid_argument("`status` must be an HTTP status".to_string()))
            .and_then(|status| {
                let _active = ActiveEnv::enter(env);
                self.inner.complete(status, &body)
            });
        js_result(env, answer)
    }

    /// Ends the call without an answer (the caller's HTTP failed); `message` is recorded.
    #[napi]
    pub fn fail(&self, env: &Env, message: String) -> Result<()> {
        let failed = {
            let _active = ActiveEnv::enter(env);
            self.inner.fail(&message)
        };
        js_result(env, failed)
    }
}
