//! The governed call: `Client` (chat, stream → `ChatStream`) sends to OpenRouter itself;
//! `Governor` (begin → `Begun.Refused` or `Begun.Send` with a `Call`) serves callers that do
//! their own HTTP. Answers and chunks are JSON text, as in every language.

use std::sync::Arc;

use routeguard::host::{HostBegun, HostCall, HostChatStream, HostClient, HostGovernor};
use routeguard::{Error, ErrorCode};

use crate::audit::AuditTrail;
use crate::budget::Ledger;
use crate::guard::Guard;
use crate::Result;

/// Sends governed chat requests to OpenRouter: policy, budget, audit record and response DLP on
/// every call. `options_json`: `{base_url?, api_key_env?, api_key_file?, referer?, title?,
/// timeout_ms?, connect_timeout_ms?, max_retries?, backoff_ms?, hash_key_hex?}`.
#[derive(Debug, uniffi::Object)]
pub struct Client {
    inner: HostClient,
}

#[uniffi::export]
impl Client {
    #[uniffi::constructor(default(ledger = None, trail = None, options_json = None))]
    pub fn new(
        guard: Arc<Guard>,
        ledger: Option<Arc<Ledger>>,
        trail: Option<Arc<AuditTrail>>,
        options_json: Option<String>,
    ) -> Result<Arc<Self>> {
        let inner = HostClient::new(
            &guard.inner,
            ledger.as_ref().map(|l| &l.inner),
            trail.as_ref().map(|t| &t.inner),
            options_json.as_deref().unwrap_or(""),
        )?;
        Ok(Arc::new(Client { inner }))
    }

    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    /// One governed, non-streaming call (blocking); the answer as JSON.
    pub fn chat(&self, principal_json: String, request_json: String) -> Result<String> {
        Ok(self.inner.chat(&principal_json, &request_json)?)
    }

    /// One governed, streaming call; returns once the first byte arrived (or the refusal).
    pub fn stream(&self, principal_json: String, request_json: String) -> Result<Arc<ChatStream>> {
        let inner = self.inner.stream(&principal_json, &request_json)?;
        Ok(Arc::new(ChatStream { inner }))
    }
}

/// A governed stream: `next` gives each chunk (JSON) and null at the end; `answer` the answer
/// once it is over. Closing it unfinished cancels it.
#[derive(uniffi::Object)]
pub struct ChatStream {
    inner: HostChatStream,
}

impl std::fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChatStream")
    }
}

#[uniffi::export]
impl ChatStream {
    pub fn next(&self) -> Result<Option<String>> {
        Ok(self.inner.next()?)
    }

    /// Stops reading; the call is settled and recorded as cancelled.
    pub fn cancel(&self) -> Result<()> {
        Ok(self.inner.cancel()?)
    }

    /// The answer as JSON once the stream is over (at once for a refusal); else null.
    pub fn answer(&self) -> Option<String> {
        self.inner.answer()
    }
}

/// The guard with its stores, for callers that send the request themselves.
#[derive(Debug, uniffi::Object)]
pub struct Governor {
    inner: HostGovernor,
}

/// What `begin` gives: a refusal (the answer as JSON) or a call to send.
#[derive(uniffi::Enum)]
pub enum Begun {
    Refused { answer: String },
    Send { call: Arc<Call> },
}

#[uniffi::export]
impl Governor {
    #[uniffi::constructor(default(ledger = None, trail = None, options_json = None))]
    pub fn new(
        guard: Arc<Guard>,
        ledger: Option<Arc<Ledger>>,
        trail: Option<Arc<AuditTrail>>,
        options_json: Option<String>,
    ) -> Result<Arc<Self>> {
        let inner = HostGovernor::new(
            &guard.inner,
            ledger.as_ref().map(|l| &l.inner),
            trail.as_ref().map(|t| &t.inner),
            options_json.as_deref().unwrap_or(""),
        )?;
        Ok(Arc::new(Governor { inner }))
    }

    /// Decides and reserves.
    pub fn begin(&self, principal_json: String, request_json: String) -> Result<Begun> {
        Ok(match self.inner.begin(&principal_json, &request_json)? {
            HostBegun::Refused(answer) => Begun::Refused { answer },
            HostBegun::Send(call) => Begun::Send {
                call: Arc::new(Call { inner: call }),
            },
        })
    }
}

/// A begun call: send `request()` to OpenRouter's `/chat/completions`, then `complete` with the
/// status and body, or `fail`. A call closed unfinished is recorded as cancelled.
#[derive(uniffi::Object)]
pub struct Call {
    inner: HostCall,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call")
    }
}

#[uniffi::export]
impl Call {
    /// The request to send, as compact JSON.
    pub fn request(&self) -> String {
        self.inner.request().to_string()
    }

    /// Verify, response DLP, settle, record; the answer as JSON.
    pub fn complete(&self, status: i32, body: String) -> Result<String> {
        let status = u16::try_from(status)
            .map_err(|_| Error::new(ErrorCode::InvalidArgument, "status is not an HTTP status"))?;
        Ok(self.inner.complete(status, &body)?)
    }

    /// Ends the call without an answer (the caller's HTTP failed).
    pub fn fail(&self, message: String) -> Result<()> {
        Ok(self.inner.fail(&message)?)
    }
}
