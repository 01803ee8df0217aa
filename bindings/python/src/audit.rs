//! The audit trail: `AuditTrail` (open, write, checkpoint, close, flush, lines) and the
//! module-level `audit_verify`, `audit_verify_text`, `audit_search`, `audit_export` and
//! `canonical_json`. Thin: arguments become JSON texts and key bytes, `routeguard::host` is
//! called with the GIL released (every call may write a file, fsync or wait on a database, and a
//! callback sink re-acquires the GIL to call its Python function), results come back as dicts.

use std::path::PathBuf;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use routeguard::audit::sink::LineCallback;
use routeguard::host::{self, HostAuditTrail};
use routeguard::{Error, ErrorCode};

use crate::budget::to_py;
use crate::error::{self, IntoPyResult};
use crate::records::quote;
use crate::{json_text, type_name, utf8};

/// What the bindings name themselves in the records' `sdk` (when the configuration names none).
pub(crate) const LANGUAGE: &str = "python";

/// An audit key: bytes (raw, or hex text as bytes) or a str of hex. The core decodes hex; the
/// error names the argument, never its value.
pub(crate) fn audit_key(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if value.is_instance_of::<PyString>() {
        return Ok(utf8(py, value, what)?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be bytes or a hex str, not {}",
        type_name(value)
    )))
}

/// A text (str, as UTF-8) or bytes, for `audit_verify_text`.
fn text_bytes(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if value.is_instance_of::<PyString>() {
        return Ok(utf8(py, value, what)?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be str or bytes, not {}",
        type_name(value)
    )))
}

/// A location: a file or directory (str or `os.PathLike`) or a PostgreSQL URL.
fn location_text(py: Python<'_>, location: PathBuf) -> PyResult<String> {
    location.into_os_string().into_string().map_err(|_| {
        error::to_py_err(
            py,
            Error::new(ErrorCode::InvalidArgument, "location is not valid UTF-8"),
        )
    })
}

/// The sink of a `callback` trail: calls `function(line)` with the GIL re-acquired. An
/// exception is a sink failure reported by its type name only (the message may quote content).
pub(crate) fn line_callback(function: Py<PyAny>) -> LineCallback {
    Box::new(move |line: &str| {
        Python::try_attach(|py| {
            function.bind(py).call1((line,)).map(drop).map_err(|e| {
                e.get_type(py)
                    .name()
                    .map_or_else(|_| "Exception".to_owned(), |n| n.to_string())
            })
        })
        .unwrap_or_else(|| Err("PythonFinalizing".to_owned()))
    })
}

/// An append-only, hash-chained audit trail: one record per interaction, checkpoints (signed
/// when a signing key is given), written to JSON Lines files, PostgreSQL, memory or a Python
/// function. Shareable between threads.
#[pyclass(frozen, module = "routeguard")]
pub(crate) struct AuditTrail {
    pub(crate) inner: HostAuditTrail,
}

#[pymethods]
impl AuditTrail {
    /// Opens a trail from `config` (a dict or JSON text: `{sink: {type: jsonl|postgres|memory|
    /// callback, ...}, writer?, prompt?, response?, on_sink_error?, checkpoint_every?,
    /// checkpoint_interval_ms?, sdk?}`). Keys are bytes or hex str. `callback` is the function
    /// a `callback` sink calls with each line; an exception in it is a sink failure.
    #[staticmethod]
    #[pyo3(signature = (config, chain_key, signing_key=None, callback=None))]
    fn open(
        py: Python<'_>,
        config: &Bound<'_, PyAny>,
        chain_key: &Bound<'_, PyAny>,
        signing_key: Option<&Bound<'_, PyAny>>,
        callback: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config = json_text(py, config, "config")?;
        let chain_key = audit_key(py, chain_key, "chain_key")?;
        let signing_key = signing_key
            .map(|k| audit_key(py, k, "signing_key"))
            .transpose()?;
        let callback = callback.map(|f| line_callback(f.clone().unbind()));
        let inner = py
            .detach(|| {
                HostAuditTrail::open(
                    &config,
                    &chain_key,
                    signing_key.as_deref(),
                    callback,
                    LANGUAGE,
                    None,
                )
            })
            .py_err(py)?;
        Ok(AuditTrail { inner })
    }

    /// The writer's name (the chain's identity in a shared log).
    #[getter]
    fn writer(&self) -> &str {
        self.inner.writer()
    }

    /// The checkpoints' public key (hex), when the trail signs; else None.
    #[getter]
    fn public_key(&self) -> Option<String> {
        self.inner.public_key()
    }

    /// Writes an interaction event (a dict or JSON text: the record's interaction fields).
    /// Returns the receipt: `{writer, status (written, delayed, unrecorded), seq, mac, line}`.
    #[pyo3(signature = (event, now_ms=None))]
    fn write<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'_, PyAny>,
        now_ms: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let event = json_text(py, event, "event")?;
        let receipt = py.detach(|| self.inner.write(&event, now_ms)).py_err(py)?;
        to_py(py, &receipt)
    }

    /// Writes a checkpoint (signed when the trail signs); returns its receipt.
    #[pyo3(signature = (now_ms=None))]
    fn checkpoint<'py>(&self, py: Python<'py>, now_ms: Option<i64>) -> PyResult<Bound<'py, PyAny>> {
        let receipt = py.detach(|| self.inner.checkpoint(now_ms)).py_err(py)?;
        to_py(py, &receipt)
    }

    /// Writes the closing checkpoint and flushes; later writes raise `AuditTrailClosedError`.
    #[pyo3(signature = (now_ms=None))]
    fn close<'py>(&self, py: Python<'py>, now_ms: Option<i64>) -> PyResult<Bound<'py, PyAny>> {
        let receipt = py.detach(|| self.inner.close(now_ms)).py_err(py)?;
        to_py(py, &receipt)
    }

    /// Writes what a fail-open outage held back, if the sink takes it now, and fsyncs.
    #[pyo3(signature = (now_ms=None))]
    fn flush(&self, py: Python<'_>, now_ms: Option<i64>) -> PyResult<()> {
        py.detach(|| self.inner.flush(now_ms)).py_err(py)
    }

    /// The lines of a `memory` trail (without newlines); other sinks raise
    /// `InvalidArgumentError`.
    fn lines(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        py.detach(|| self.inner.lines()).py_err(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "AuditTrail(writer={}, signed={})",
            quote(self.inner.writer()),
            if self.inner.public_key().is_some() {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// Checks the log at `location` (a file, a directory or a PostgreSQL URL) with the chain key
/// and, when given, the checkpoints' public key. Returns the report as a dict.
#[pyfunction]
#[pyo3(signature = (location, chain_key, public_key=None))]
pub(crate) fn audit_verify<'py>(
    py: Python<'py>,
    location: PathBuf,
    chain_key: &Bound<'_, PyAny>,
    public_key: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let location = location_text(py, location)?;
    let chain_key = audit_key(py, chain_key, "chain_key")?;
    let public_key = public_key
        .map(|k| audit_key(py, k, "public_key"))
        .transpose()?;
    let report = py
        .detach(|| host::audit_verify(&location, &chain_key, public_key.as_deref()))
        .py_err(py)?;
    to_py(py, &report)
}

/// Checks a log given as its JSON Lines (str or bytes).
#[pyfunction]
#[pyo3(signature = (text, chain_key, public_key=None))]
pub(crate) fn audit_verify_text<'py>(
    py: Python<'py>,
    text: &Bound<'_, PyAny>,
    chain_key: &Bound<'_, PyAny>,
    public_key: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = text_bytes(py, text, "text")?;
    let chain_key = audit_key(py, chain_key, "chain_key")?;
    let public_key = public_key
        .map(|k| audit_key(py, k, "public_key"))
        .transpose()?;
    let report = py
        .detach(|| host::audit_verify_text(&text, &chain_key, public_key.as_deref()))
        .py_err(py)?;
    to_py(py, &report)
}

/// The records of the log at `location` that `filter` keeps (a dict or JSON text: `{user?,
/// workspace?, provider?, model?, outcome?, since_ms?, until_ms?, all_kinds?}`), oldest first.
#[pyfunction]
#[pyo3(signature = (location, filter=None))]
pub(crate) fn audit_search<'py>(
    py: Python<'py>,
    location: PathBuf,
    filter: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let location = location_text(py, location)?;
    let filter = match filter {
        Some(f) => json_text(py, f, "filter")?.to_string(),
        None => String::new(),
    };
    let records = py
        .detach(|| host::audit_search(&location, &filter))
        .py_err(py)?;
    to_py(py, &records)
}

/// The log at `location` as `csv` or `ocsf` (JSON Lines of OCSF API Activity events).
#[pyfunction]
pub(crate) fn audit_export(py: Python<'_>, location: PathBuf, format: &str) -> PyResult<String> {
    let location = location_text(py, location)?;
    py.detach(|| host::audit_export(&location, format))
        .py_err(py)
}

/// RFC 8785 canonical JSON of `value` (JSON text, or a JSON-serialisable object): the bytes
/// records are hashed and signed over.
#[pyfunction]
pub(crate) fn canonical_json(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let json = json_text(py, value, "value")?;
    py.detach(|| host::canonical_json(&json)).py_err(py)
}
