//! The governed call: `Client` (chat, stream → `ChatStream`) sends to OpenRouter itself;
//! `Governor` (begin → refusal answer or `Call`) serves callers that do their own HTTP. Thin:
//! arguments become JSON texts, `routeguard::host` is called with the GIL released (every call
//! may wait on OpenRouter, a database or an audit sink), answers come back as JSON texts that the
//! pure-Python layer parses.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use routeguard::host::{HostBegun, HostCall, HostChatStream, HostClient, HostGovernor};

use crate::audit::AuditTrail;
use crate::budget::Ledger;
use crate::error::IntoPyResult;
use crate::guard::Guard;
use crate::records::quote;
use crate::{json_text, type_name, utf8};

/// The client options (a dict or JSON text; None: all defaults).
fn options_text(py: Python<'_>, options: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    match options {
        Some(o) if !o.is_none() => Ok(json_text(py, o, "options")?.to_string()),
        _ => Ok(String::new()),
    }
}

/// Sends governed chat requests to OpenRouter: policy, budget, audit record and response DLP on
/// every call. The OpenRouter key comes from `options` (`api_key_file`, `api_key_env`, default
/// `OPENROUTER_API_KEY`) and is never shown. Shareable between threads.
#[pyclass(frozen, module = "routeguard._native")]
pub(crate) struct Client {
    inner: HostClient,
}

#[pymethods]
impl Client {
    /// `options`: a dict or JSON text `{base_url?, api_key_env?, api_key_file?, referer?, title?,
    /// timeout_ms?, connect_timeout_ms?, max_retries?, backoff_ms?, hash_key_hex?}`.
    #[new]
    #[pyo3(signature = (guard, ledger=None, trail=None, options=None))]
    fn new(
        py: Python<'_>,
        guard: &Bound<'_, Guard>,
        ledger: Option<&Bound<'_, Ledger>>,
        trail: Option<&Bound<'_, AuditTrail>>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options = options_text(py, options)?;
        let guard = &guard.get().inner;
        let ledger = ledger.map(|l| &l.get().inner);
        let trail = trail.map(|t| &t.get().inner);
        let inner = py
            .detach(|| HostClient::new(guard, ledger, trail, &options))
            .py_err(py)?;
        Ok(Client { inner })
    }

    /// The OpenRouter API base URL this client sends to.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// One governed, non-streaming call; returns the answer as JSON text.
    fn chat(
        &self,
        py: Python<'_>,
        principal: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let principal = json_text(py, principal, "principal")?;
        let request = json_text(py, request, "request")?;
        py.detach(|| self.inner.chat(&principal, &request))
            .py_err(py)
    }

    /// One governed, streaming call; returns once the first byte arrived (or at once for a
    /// refusal).
    fn stream(
        &self,
        py: Python<'_>,
        principal: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<ChatStream> {
        let principal = json_text(py, principal, "principal")?;
        let request = json_text(py, request, "request")?;
        let inner = py
            .detach(|| self.inner.stream(&principal, &request))
            .py_err(py)?;
        Ok(ChatStream { inner })
    }

    fn __repr__(&self) -> String {
        format!("Client(base_url={})", quote(self.inner.base_url()))
    }
}

/// A governed stream: `next` gives each chunk (JSON text, filtered) and None at the end;
/// `answer` is the answer once the stream is over. Dropping it unfinished cancels it.
#[pyclass(frozen, module = "routeguard._native")]
pub(crate) struct ChatStream {
    inner: HostChatStream,
}

#[pymethods]
impl ChatStream {
    /// The next chunk as JSON text, or None at the end.
    fn next(&self, py: Python<'_>) -> PyResult<Option<String>> {
        py.detach(|| self.inner.next()).py_err(py)
    }

    /// Stops reading; the call is settled and recorded as cancelled.
    fn cancel(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.inner.cancel()).py_err(py)
    }

    /// The answer as JSON text once the stream is over (at once for a refusal); else None.
    fn answer(&self) -> Option<String> {
        self.inner.answer()
    }

    fn __repr__(&self) -> String {
        format!(
            "ChatStream(over={})",
            if self.inner.answer().is_some() {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// The guard with its stores, for callers that send the request themselves: `begin` decides
/// and reserves, the returned `Call` is completed with OpenRouter's status and body.
#[pyclass(frozen, module = "routeguard._native")]
pub(crate) struct Governor {
    inner: HostGovernor,
}

#[pymethods]
impl Governor {
    /// `options`: a dict or JSON text; only `hash_key_hex` is read.
    #[new]
    #[pyo3(signature = (guard, ledger=None, trail=None, options=None))]
    fn new(
        py: Python<'_>,
        guard: &Bound<'_, Guard>,
        ledger: Option<&Bound<'_, Ledger>>,
        trail: Option<&Bound<'_, AuditTrail>>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options = options_text(py, options)?;
        let guard = &guard.get().inner;
        let ledger = ledger.map(|l| &l.get().inner);
        let trail = trail.map(|t| &t.get().inner);
        let inner = py
            .detach(|| HostGovernor::new(guard, ledger, trail, &options))
            .py_err(py)?;
        Ok(Governor { inner })
    }

    /// Applies the policy and reserves the budget. Returns the refusal's answer (JSON text) or
    /// a `Call` whose `request` is to be POSTed to `/chat/completions`.
    fn begin(
        &self,
        py: Python<'_>,
        principal: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let principal = json_text(py, principal, "principal")?;
        let request = json_text(py, request, "request")?;
        let begun = py
            .detach(|| self.inner.begin(&principal, &request))
            .py_err(py)?;
        Ok(match begun {
            HostBegun::Refused(answer) => PyString::new(py, &answer).into_any().unbind(),
            HostBegun::Send(call) => Py::new(py, Call { inner: call })?.into_any(),
        })
    }

    fn __repr__(&self) -> String {
        "Governor()".to_owned()
    }
}

/// A begun call: send `request`, then `complete` it with the HTTP status and body (or `fail`
/// it). Dropped without either, it is settled and recorded as cancelled.
#[pyclass(frozen, module = "routeguard._native")]
pub(crate) struct Call {
    inner: HostCall,
}

#[pymethods]
impl Call {
    /// The JSON text to POST to OpenRouter's `/chat/completions`.
    #[getter]
    fn request(&self) -> &str {
        self.inner.request()
    }

    /// Completes the call with OpenRouter's status and body (str or bytes); returns the answer
    /// as JSON text. A second completion raises `InvalidArgumentError`.
    fn complete(&self, py: Python<'_>, status: u16, body: &Bound<'_, PyAny>) -> PyResult<String> {
        let body: String = if let Ok(b) = body.cast::<PyBytes>() {
            String::from_utf8_lossy(b.as_bytes()).into_owned()
        } else if body.is_instance_of::<PyString>() {
            utf8(py, body, "body")?.to_string()
        } else {
            return Err(PyTypeError::new_err(format!(
                "body must be bytes or str, not {}",
                type_name(body)
            )));
        };
        py.detach(|| self.inner.complete(status, &body)).py_err(py)
    }

    /// Ends the call without an answer (the HTTP request failed); `message` is recorded.
    fn fail(&self, py: Python<'_>, message: &str) -> PyResult<()> {
        py.detach(|| self.inner.fail(message)).py_err(py)
    }

    fn __repr__(&self) -> String {
        format!("Call(request_bytes={})", self.inner.request().len())
    }
}
