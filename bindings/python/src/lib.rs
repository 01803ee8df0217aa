//! The Python binding (`routeguard._native`): converts Python values, calls `routeguard::host`,
//! maps the error table to exception classes. The pure-Python package `routeguard` re-exports
//! this module and adds the asyncio variants and stream iterators on top.
//!
//! Every call that scans or decides runs with the GIL released (`py.detach`): scanners, guards,
//! streams and vaults are safe to share between threads. The guard lives in `guard.rs`, budgets
//! in `budget.rs`, the audit trail in `audit.rs`, the governed call in `governed.rs`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString};
use routeguard::dlp::text::Unit;
use routeguard::host::{self, ApplyOptions, ConfigSource, HostScanner, HostStream, SharedVault};
use routeguard::{Error, ErrorCode};

mod audit;
mod budget;
mod error;
mod governed;
mod guard;
mod records;

use error::IntoPyResult;
use records::{
    Applied, Detector, ErrorCode as ErrorCodeRecord, Finding, InlineData, Redaction, Released,
    RequestFinding, RequestScan,
};

/// Python indexes strings by code point.
const UNIT: Unit = Unit::CodePoint;

/// Borrows a Python `str` as UTF-8. A lone surrogate cannot be encoded: that is `invalid_utf8`
/// (the message names the argument, never its content).
fn utf8(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<PyBackedStr> {
    let s = value.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be str, not {}", type_name(value)))
    })?;
    PyBackedStr::try_from(s.clone()).map_err(|_| {
        error::to_py_err(
            py,
            Error::new(
                ErrorCode::InvalidUtf8,
                format!("{what} holds a lone surrogate and cannot be encoded as UTF-8"),
            ),
        )
    })
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// A JSON document given as `str` (used as is) or as any JSON-serialisable object (`json.dumps`).
fn json_text(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<PyBackedStr> {
    if value.is_instance_of::<PyString>() {
        return utf8(py, value, what);
    }
    static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let dumps = DUMPS.import(py, "json", "dumps")?;
    // json.dumps raises TypeError/ValueError quoting the offending value: replace it with ours.
    let text = dumps.call1((value,)).map_err(|_| {
        error::to_py_err(
            py,
            Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "{what} must be a str or a JSON-serialisable object; a {} is not",
                    type_name(value)
                ),
            ),
        )
    })?;
    utf8(py, &text, what)
}

/// Parses a JSON text the core produced into Python objects (`json.loads`).
fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS.import(py, "json", "loads")?.call1((text,))
}

/// `hash_key`: bytes, or a str taken as its UTF-8 bytes.
fn key_bytes(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Arc<[u8]>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(Arc::from(b.as_bytes()));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Arc::from(utf8(py, value, "hash_key")?.as_bytes()));
    }
    Err(PyTypeError::new_err(format!(
        "hash_key must be bytes or str, not {}",
        type_name(value)
    )))
}

fn apply_options(
    py: Python<'_>,
    action: Option<&str>,
    hash_key: Option<&Bound<'_, PyAny>>,
    vault: Option<&Bound<'_, Vault>>,
) -> PyResult<ApplyOptions> {
    Ok(ApplyOptions {
        action: action
            .map(ApplyOptions::parse_action)
            .transpose()
            .py_err(py)?,
        hash_key: hash_key.map(|k| key_bytes(py, k)).transpose()?,
        vault: vault.map(|v| v.get().inner.clone()),
    })
}

/// Scans texts and chat requests for personal data and secrets, and applies actions.
#[pyclass(frozen, module = "routeguard._native")]
struct Scanner {
    inner: HostScanner,
    source: &'static str,
}

#[pymethods]
impl Scanner {
    /// `config`: None for the default profile, a JSON text, or a dict (any JSON-serialisable
    /// mapping) holding the configuration.
    #[new]
    #[pyo3(signature = (config=None))]
    fn new(py: Python<'_>, config: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let Some(config) = config else {
            return Ok(Scanner {
                inner: HostScanner::new(ConfigSource::Default).py_err(py)?,
                source: "default",
            });
        };
        let json = json_text(py, config, "config")?;
        let inner = py
            .detach(|| HostScanner::new(ConfigSource::Json(&json)))
            .py_err(py)?;
        Ok(Scanner {
            inner,
            source: "json",
        })
    }

    /// Builds a scanner from a YAML configuration text.
    #[staticmethod]
    fn from_yaml(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let yaml = utf8(py, text, "text")?;
        let inner = py
            .detach(|| HostScanner::new(ConfigSource::Yaml(&yaml)))
            .py_err(py)?;
        Ok(Scanner {
            inner,
            source: "yaml",
        })
    }

    /// Builds a scanner from a `.json`, `.yaml` or `.yml` file (a str or `os.PathLike`).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py
            .detach(|| HostScanner::new(ConfigSource::File(&path)))
            .py_err(py)?;
        Ok(Scanner {
            inner,
            source: "file",
        })
    }

    /// Finds personal data and secrets in `text`; offsets are code points.
    fn scan(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Vec<Finding>> {
        let text = utf8(py, text, "text")?;
        let found = py.detach(|| self.inner.scan(&text, UNIT));
        Ok(found.into_iter().map(Finding::from).collect())
    }

    /// Scans `text` and applies each finding's action (or `action` for all of them).
    #[pyo3(signature = (text, action=None, hash_key=None, vault=None))]
    fn redact(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        action: Option<&str>,
        hash_key: Option<&Bound<'_, PyAny>>,
        vault: Option<&Bound<'_, Vault>>,
    ) -> PyResult<Redaction> {
        let text = utf8(py, text, "text")?;
        let options = apply_options(py, action, hash_key, vault)?;
        let r = py
            .detach(|| self.inner.redact(&text, UNIT, &options))
            .py_err(py)?;
        Ok(Redaction {
            text: r.text,
            blocked: r.blocked,
            findings: r.findings.into_iter().map(Finding::from).collect(),
            applied: r.applied.into_iter().map(Applied::from).collect(),
        })
    }

    /// Scans an OpenRouter chat request (a dict or its JSON text) and rewrites it.
    #[pyo3(signature = (request, action=None, hash_key=None, vault=None))]
    fn scan_request(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        action: Option<&str>,
        hash_key: Option<&Bound<'_, PyAny>>,
        vault: Option<&Bound<'_, Vault>>,
    ) -> PyResult<RequestScan> {
        let json = json_text(py, request, "request")?;
        let options = apply_options(py, action, hash_key, vault)?;
        let scan = py
            .detach(|| self.inner.scan_request(&json, UNIT, &options))
            .py_err(py)?;
        let request = json_loads(py, &scan.request)?;
        Ok(RequestScan {
            blocked: scan.blocked,
            request: request.unbind(),
            findings: scan
                .findings
                .into_iter()
                .map(RequestFinding::from)
                .collect(),
            inline_data: scan.inline_data.into_iter().map(InlineData::from).collect(),
        })
    }

    /// A stream scanner for a text arriving in chunks (it shares this scanner's detectors).
    #[pyo3(signature = (action=None, hash_key=None, vault=None))]
    fn stream(
        &self,
        py: Python<'_>,
        action: Option<&str>,
        hash_key: Option<&Bound<'_, PyAny>>,
        vault: Option<&Bound<'_, Vault>>,
    ) -> PyResult<Stream> {
        let options = apply_options(py, action, hash_key, vault)?;
        Ok(Stream {
            inner: Mutex::new(self.inner.stream(UNIT, options)),
        })
    }

    /// The detectors this scanner runs.
    fn detectors(&self) -> Vec<Detector> {
        self.inner
            .detectors()
            .into_iter()
            .map(Detector::from)
            .collect()
    }

    /// The longest text (in UTF-8 bytes) a stream may hold back before releasing it.
    #[getter]
    fn stream_holdback(&self) -> usize {
        self.inner.stream_holdback()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scanner(source='{}', detectors={})",
            self.source,
            self.inner.detectors().len()
        )
    }
}

/// A text arriving in chunks: each `push` releases what no match can still cover, with the
/// actions applied; `finish` releases the rest.
#[pyclass(frozen, module = "routeguard._native")]
struct Stream {
    inner: Mutex<HostStream>,
}

impl Stream {
    fn lock(&self) -> MutexGuard<'_, HostStream> {
        // A panic inside push leaves the stream consistent enough to report errors; never poison.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[pymethods]
impl Stream {
    /// Feeds a chunk; returns what may be passed on now (possibly nothing).
    fn push(&self, py: Python<'_>, chunk: &Bound<'_, PyAny>) -> PyResult<Released> {
        let chunk = utf8(py, chunk, "chunk")?;
        let released = py.detach(|| self.lock().push(&chunk)).py_err(py)?;
        Ok(Released::from(released))
    }

    /// Ends the stream and returns everything still held. Pushing after this is an error.
    fn finish(&self, py: Python<'_>) -> PyResult<Released> {
        let released = py.detach(|| self.lock().finish()).py_err(py)?;
        Ok(Released::from(released))
    }

    /// UTF-8 bytes received and not yet released.
    #[getter]
    fn pending(&self) -> usize {
        self.lock().pending()
    }

    fn __repr__(&self) -> String {
        format!("Stream(pending={})", self.pending())
    }
}

/// Pseudonym tokens and the values they stand for, shared by calls (and threads) so that one
/// value gets one token; `restore` puts the values back. `repr` never shows values.
#[pyclass(frozen, module = "routeguard")]
struct Vault {
    inner: Arc<SharedVault>,
}

#[pymethods]
impl Vault {
    #[new]
    fn new() -> Self {
        Vault {
            inner: Arc::new(SharedVault::new()),
        }
    }

    /// Puts the original values back in place of this vault's pseudonyms.
    fn restore(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<String> {
        let text = utf8(py, text, "text")?;
        Ok(py.detach(|| self.inner.restore(&text)))
    }

    /// How many distinct values the vault holds.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("Vault(len={})", self.inner.len())
    }
}

/// The detectors of the default profile.
#[pyfunction]
fn detectors(py: Python<'_>) -> PyResult<Vec<Detector>> {
    let scanner = HostScanner::new(ConfigSource::Default).py_err(py)?;
    Ok(scanner
        .detectors()
        .into_iter()
        .map(Detector::from)
        .collect())
}

/// The error table: every code's name, number and meaning, in numeric order.
#[pyfunction]
fn error_codes() -> Vec<ErrorCodeRecord> {
    host::error_codes()
        .into_iter()
        .map(ErrorCodeRecord::from)
        .collect()
}

#[pymodule(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scanner>()?;
    m.add_class::<Stream>()?;
    m.add_class::<Vault>()?;
    m.add_class::<Finding>()?;
    m.add_class::<RequestFinding>()?;
    m.add_class::<Applied>()?;
    m.add_class::<Redaction>()?;
    m.add_class::<InlineData>()?;
    m.add_class::<RequestScan>()?;
    m.add_class::<Released>()?;
    m.add_class::<Detector>()?;
    m.add_class::<ErrorCodeRecord>()?;
    m.add_class::<guard::Guard>()?;
    m.add_class::<guard::Reason>()?;
    m.add_class::<guard::PreparedFinding>()?;
    m.add_class::<guard::Prepared>()?;
    m.add_class::<guard::Decision>()?;
    m.add_class::<guard::Verification>()?;
    m.add_class::<budget::Ledger>()?;
    m.add_class::<budget::SpendReport>()?;
    m.add_class::<audit::AuditTrail>()?;
    m.add_class::<governed::Client>()?;
    m.add_class::<governed::ChatStream>()?;
    m.add_class::<governed::Governor>()?;
    m.add_class::<governed::Call>()?;
    m.add_function(wrap_pyfunction!(detectors, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(audit::audit_verify, m)?)?;
    m.add_function(wrap_pyfunction!(audit::audit_verify_text, m)?)?;
    m.add_function(wrap_pyfunction!(audit::audit_search, m)?)?;
    m.add_function(wrap_pyfunction!(audit::audit_export, m)?)?;
    m.add_function(wrap_pyfunction!(audit::canonical_json, m)?)?;
    error::register(m)?;
    Ok(())
}
