//! Budgets: `Ledger` (reserve, settle, renew, status, records, report) and `SpendReport`. Thin:
//! arguments become JSON texts, `routeguard::host::HostLedger` is called with the GIL released
//! (a ledger call may wait on a database), and results come back as plain dicts and lists.

use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use routeguard::budget::report::Report;
use routeguard::host::HostLedger;
use serde::Serialize;

use crate::error::IntoPyResult;
use crate::records::{list_repr, quote};
use crate::{json_loads, json_text};

/// A core result as plain Python data (dicts, lists, ints, str, None).
pub(crate) fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| {
        crate::error::to_py_err(
            py,
            routeguard::Error::new(routeguard::ErrorCode::Internal, e.to_string()),
        )
    })?;
    json_loads(py, &text)
}

/// Spend ledger: reservations held against budget caps, settled into spend records. Opened
/// from `memory:`, `sqlite:PATH` or `postgres://...`; shareable between threads.
#[pyclass(frozen, module = "routeguard")]
pub(crate) struct Ledger {
    pub(crate) inner: HostLedger,
}

#[pymethods]
impl Ledger {
    #[new]
    fn new(py: Python<'_>, url: &str) -> PyResult<Self> {
        let inner = py.detach(|| HostLedger::open(url)).py_err(py)?;
        Ok(Ledger { inner })
    }

    /// Same as `Ledger(url)`.
    #[staticmethod]
    fn open(py: Python<'_>, url: &str) -> PyResult<Self> {
        Ledger::new(py, url)
    }

    /// `memory`, `sqlite` or `postgres`.
    #[getter]
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    /// Holds `amount_micros` on every cap of `caps` (a list of `{rule, subject, window,
    /// limit_micros, shadow?}`, or its JSON text) for `meta` (`{user, workspace, groups?, tags?,
    /// model?}`). All caps or none: a denial is `reserved: False` with `denials` naming the caps.
    #[pyo3(signature = (caps, amount_micros, meta, lease_ms=None, now_ms=None))]
    fn reserve<'py>(
        &self,
        py: Python<'py>,
        caps: &Bound<'_, PyAny>,
        amount_micros: u64,
        meta: &Bound<'_, PyAny>,
        lease_ms: Option<u64>,
        now_ms: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let caps = json_text(py, caps, "caps")?;
        let meta = json_text(py, meta, "meta")?;
        let out = py
            .detach(|| {
                self.inner
                    .reserve(&caps, amount_micros, &meta, lease_ms, now_ms)
            })
            .py_err(py)?;
        to_py(py, &out)
    }

    /// Settles a reservation with `settlement` (`{outcome, actual_micros?, provider?, model?,
    /// prompt_tokens?, completion_tokens?}`); returns the spend record.
    #[pyo3(signature = (id, settlement, now_ms=None))]
    fn settle<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        settlement: &Bound<'_, PyAny>,
        now_ms: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let settlement = json_text(py, settlement, "settlement")?;
        let record = py
            .detach(|| self.inner.settle(id, &settlement, now_ms))
            .py_err(py)?;
        to_py(py, &record)
    }

    /// Extends a reservation's lease to `lease_ms` from now (long streams).
    #[pyo3(signature = (id, lease_ms, now_ms=None))]
    fn renew(&self, py: Python<'_>, id: &str, lease_ms: u64, now_ms: Option<i64>) -> PyResult<()> {
        py.detach(|| self.inner.renew(id, lease_ms, now_ms))
            .py_err(py)
    }

    /// Each cap's state: spent, reserved, limit, period and reset time.
    #[pyo3(signature = (caps, now_ms=None))]
    fn status<'py>(
        &self,
        py: Python<'py>,
        caps: &Bound<'_, PyAny>,
        now_ms: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let caps = json_text(py, caps, "caps")?;
        let status = py.detach(|| self.inner.status(&caps, now_ms)).py_err(py)?;
        to_py(py, &status)
    }

    /// The spend records settled in `[since_ms, until_ms)` (Unix ms; None: unbounded).
    #[pyo3(signature = (since_ms=None, until_ms=None))]
    fn records<'py>(
        &self,
        py: Python<'py>,
        since_ms: Option<i64>,
        until_ms: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let records = py
            .detach(|| self.inner.records(since_ms, until_ms))
            .py_err(py)?;
        to_py(py, &records)
    }

    /// Spend grouped by `by` (comma-separated: provider, model, user, workspace, group, tag,
    /// period; empty for the total only) over the current period of `window` (day, week,
    /// month, total).
    #[pyo3(signature = (by="provider", window="month", now_ms=None))]
    fn report(
        &self,
        py: Python<'_>,
        by: &str,
        window: &str,
        now_ms: Option<i64>,
    ) -> PyResult<SpendReport> {
        let report = py
            .detach(|| self.inner.report(by, window, now_ms))
            .py_err(py)?;
        Ok(SpendReport { inner: report })
    }

    fn __repr__(&self) -> String {
        format!("Ledger(backend={})", quote(self.inner.backend()))
    }
}

/// A spend report: `rows` (one dict per group, largest spend first), `total`, `providers`
/// (shares of spend) and `hhi` (provider concentration, 10,000 = one provider).
#[pyclass(frozen, module = "routeguard")]
pub(crate) struct SpendReport {
    inner: Report,
}

#[pymethods]
impl SpendReport {
    /// The dimensions grouped by, in order (each row's `key` follows it).
    #[getter]
    fn by(&self) -> Vec<&'static str> {
        self.inner.by.clone()
    }

    #[getter]
    fn window(&self) -> &'static str {
        self.inner.window
    }

    /// The period covered (`2026-11`, or `total`).
    #[getter]
    fn period(&self) -> &str {
        &self.inner.period
    }

    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.rows)
    }

    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.total)
    }

    #[getter]
    fn providers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.providers)
    }

    #[getter]
    fn hhi(&self) -> u64 {
        self.inner.hhi
    }

    /// The report as CSV: one line per row, a header first.
    fn to_csv(&self) -> String {
        self.inner.to_csv()
    }

    /// The report as JSON text.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The report as an aligned text table.
    fn to_table(&self) -> String {
        self.inner.to_table()
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The rows as a pandas DataFrame: one column per dimension of `by`, then the sums.
    /// Raises ImportError when pandas is not installed.
    fn to_dataframe<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pandas = py.import("pandas").map_err(|e| {
            PyImportError::new_err(format!(
                "SpendReport.to_dataframe needs pandas (pip install pandas); use .rows for plain \
                 dicts ({e})"
            ))
        })?;
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = self
            .inner
            .rows
            .iter()
            .map(|row| {
                let mut out: serde_json::Map<_, _> = self
                    .inner
                    .by
                    .iter()
                    .zip(&row.key)
                    .map(|(dim, value)| (dim.to_string(), value.clone().into()))
                    .collect();
                if let Ok(serde_json::Value::Object(sums)) = serde_json::to_value(row) {
                    out.extend(sums.into_iter().filter(|(k, _)| k != "key"));
                }
                out
            })
            .collect();
        // The columns are named even when there is no row.
        let mut columns: Vec<String> = self.inner.by.iter().map(|d| d.to_string()).collect();
        if let Ok(serde_json::Value::Object(sums)) = serde_json::to_value(&self.inner.total) {
            columns.extend(sums.into_iter().map(|(k, _)| k).filter(|k| k != "key"));
        }
        let kwargs = PyDict::new(py);
        kwargs.set_item("columns", columns)?;
        pandas
            .getattr("DataFrame")?
            .call((to_py(py, &rows)?,), Some(&kwargs))
    }

    fn __len__(&self) -> usize {
        self.inner.rows.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "SpendReport(by={}, window={}, period={}, rows={}, charged_micros={})",
            list_repr(&self.inner.by, |d| quote(d)),
            quote(self.inner.window),
            quote(&self.inner.period),
            self.inner.rows.len(),
            self.inner.total.charged_micros
        )
    }
}
