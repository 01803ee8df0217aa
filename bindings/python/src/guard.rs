//! The policy guard: `Guard` (prepare / verify) and its result records. Thin like the scanner:
//! convert the Python values, call `routeguard::host::HostGuard` with the GIL released, wrap the
//! result. A `repr` never shows the request or the response, only models, providers, codes and
//! counts (a prepared request still holds values whose action is `log`).

use std::path::PathBuf;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyDict;
use routeguard::host::{
    CatalogSource, HostDecision, HostGuard, HostPrepared, HostPreparedFinding, HostReason,
    HostVerification, PolicySource,
};
use routeguard::{Error, ErrorCode};

use crate::audit::{line_callback, AuditTrail, LANGUAGE};
use crate::budget::{to_py, Ledger};
use crate::error::{self, IntoPyResult};
use crate::records::{flat_record, list_repr, py_bool, quote};
use crate::{json_loads, json_text, key_bytes, type_name, utf8, Vault};

/// The catalogue argument, owned while the guard is built.
enum Catalog {
    Builtin,
    Snapshot(PyBackedStr),
    Dir(PathBuf),
}

impl Catalog {
    fn from_args(
        py: Python<'_>,
        catalog: Option<&Bound<'_, PyAny>>,
        catalog_dir: Option<PathBuf>,
    ) -> PyResult<Catalog> {
        match (catalog, catalog_dir) {
            (None, None) => Ok(Catalog::Builtin),
            (Some(doc), None) => Ok(Catalog::Snapshot(json_text(py, doc, "catalog")?)),
            (None, Some(dir)) => Ok(Catalog::Dir(dir)),
            (Some(_), Some(_)) => Err(error::to_py_err(
                py,
                Error::new(
                    ErrorCode::InvalidArgument,
                    "give at most one of catalog (a snapshot document) and catalog_dir (a directory)",
                ),
            )),
        }
    }

    fn source(&self) -> CatalogSource<'_> {
        match self {
            Catalog::Builtin => CatalogSource::Builtin,
            Catalog::Snapshot(text) => CatalogSource::Snapshot(text),
            Catalog::Dir(dir) => CatalogSource::Dir(dir),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Catalog::Builtin => "builtin",
            Catalog::Snapshot(_) => "snapshot",
            Catalog::Dir(_) => "dir",
        }
    }
}

fn as_prepared<'a, 'py>(prepared: &'a Bound<'py, PyAny>) -> PyResult<&'a Bound<'py, Prepared>> {
    prepared.cast::<Prepared>().map_err(|_| {
        PyTypeError::new_err(format!(
            "prepared must be a Prepared (decision.prepared of an allowed decision), not {}",
            type_name(prepared)
        ))
    })
}

/// A policy over a provider catalogue: decides about chat requests before they are sent
/// (`prepare`) and checks what served them (`verify`). Immutable, shareable between threads.
#[pyclass(frozen, module = "routeguard._native")]
pub(crate) struct Guard {
    pub(crate) inner: HostGuard,
    source: &'static str,
    catalog: &'static str,
}

fn build(
    py: Python<'_>,
    policy: PolicySource<'_>,
    source: &'static str,
    catalog: Catalog,
) -> PyResult<Guard> {
    let inner = py
        .detach(|| HostGuard::new(policy, catalog.source()))
        .py_err(py)?;
    Ok(Guard {
        inner,
        source,
        catalog: catalog.name(),
    })
}

#[pymethods]
impl Guard {
    /// `policy`: a dict (any JSON-serialisable mapping) or its JSON text. `catalog`: a snapshot
    /// document (dict or JSON text); `catalog_dir`: a directory of saved OpenRouter responses;
    /// neither: the snapshot shipped with this release.
    #[new]
    #[pyo3(signature = (policy, catalog=None, *, catalog_dir=None))]
    fn new(
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        catalog: Option<&Bound<'_, PyAny>>,
        catalog_dir: Option<PathBuf>,
    ) -> PyResult<Self> {
        let json = json_text(py, policy, "policy")?;
        let catalog = Catalog::from_args(py, catalog, catalog_dir)?;
        build(py, PolicySource::Json(&json), "json", catalog)
    }

    /// Builds a guard from a YAML policy text.
    #[staticmethod]
    #[pyo3(signature = (text, catalog=None, *, catalog_dir=None))]
    fn from_yaml(
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        catalog: Option<&Bound<'_, PyAny>>,
        catalog_dir: Option<PathBuf>,
    ) -> PyResult<Self> {
        let yaml = utf8(py, text, "text")?;
        let catalog = Catalog::from_args(py, catalog, catalog_dir)?;
        build(py, PolicySource::Yaml(&yaml), "yaml", catalog)
    }

    /// Builds a guard from a `.json`, `.yaml` or `.yml` policy file (a str or `os.PathLike`).
    #[staticmethod]
    #[pyo3(signature = (path, catalog=None, *, catalog_dir=None))]
    fn from_file(
        py: Python<'_>,
        path: PathBuf,
        catalog: Option<&Bound<'_, PyAny>>,
        catalog_dir: Option<PathBuf>,
    ) -> PyResult<Self> {
        let catalog = Catalog::from_args(py, catalog, catalog_dir)?;
        build(py, PolicySource::File(&path), "file", catalog)
    }

    /// The hash of the policy document, recorded with every decision.
    #[getter]
    fn policy_hash(&self) -> &str {
        self.inner.policy_hash()
    }

    /// Decides about a chat request (dict or JSON text) for a principal (a dict with `user`,
    /// `workspace` and optional `groups`, `tags`; or its JSON text). A denial is a `Decision`
    /// with `allowed=False`, not an exception. `hash_key` and `vault` serve the policy's
    /// `hash` and `pseudonymize` actions.
    #[pyo3(signature = (principal, request, hash_key=None, vault=None))]
    fn prepare(
        &self,
        py: Python<'_>,
        principal: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
        hash_key: Option<&Bound<'_, PyAny>>,
        vault: Option<&Bound<'_, Vault>>,
    ) -> PyResult<Decision> {
        let principal = json_text(py, principal, "principal")?;
        let request = json_text(py, request, "request")?;
        let hash_key = hash_key.map(|k| key_bytes(py, k)).transpose()?;
        let vault = vault.map(|v| v.get().inner.clone());
        let decision = py
            .detach(|| {
                self.inner
                    .prepare(&principal, &request, hash_key.as_deref(), vault.as_deref())
            })
            .py_err(py)?;
        Decision::new(py, decision)
    }

    /// Checks the response (dict or JSON text) to a prepared request: the provider and model
    /// that served it. A violation is a `Verification` with `allowed=False` and the content
    /// withheld, not an exception.
    fn verify(
        &self,
        py: Python<'_>,
        prepared: &Bound<'_, PyAny>,
        response: &Bound<'_, PyAny>,
    ) -> PyResult<Verification> {
        let prepared = as_prepared(prepared)?;
        let prepared = prepared.get();
        let response = json_text(py, response, "response")?;
        let verification = py
            .detach(|| self.inner.verify(&prepared.inner, &response))
            .py_err(py)?;
        Verification::new(py, verification)
    }

    /// Reserves the worst-case cost of a prepared request on `ledger` against every budget cap
    /// of the policy that applies to `principal`. Returns the reservation as a dict: the
    /// `estimate` and the ledger's answer (`reserved`, `id`, `denials`, `caps`...). A cost that
    /// cannot be bounded raises `PriceUnknownError`.
    #[pyo3(signature = (ledger, principal, prepared, lease_ms=None, now_ms=None))]
    fn reserve<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'_, Ledger>,
        principal: &Bound<'_, PyAny>,
        prepared: &Bound<'_, PyAny>,
        lease_ms: Option<u64>,
        now_ms: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let principal = json_text(py, principal, "principal")?;
        let prepared = &as_prepared(prepared)?.get().inner;
        let ledger = &ledger.get().inner;
        let reservation = py
            .detach(|| {
                self.inner
                    .reserve(ledger, &principal, prepared, lease_ms, now_ms)
            })
            .py_err(py)?;
        to_py(py, &reservation)
    }

    /// Settles a reservation from OpenRouter's response (dict or JSON text; None when none
    /// arrived) with `outcome` (completed, streamed, cancelled, timed_out, failed). Returns the
    /// spend record as a dict.
    #[pyo3(signature = (ledger, reservation_id, response=None, outcome="completed", now_ms=None))]
    fn settle<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'_, Ledger>,
        reservation_id: &str,
        response: Option<&Bound<'_, PyAny>>,
        outcome: &str,
        now_ms: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let response = response.map(|r| json_text(py, r, "response")).transpose()?;
        let ledger = &ledger.get().inner;
        let record = py
            .detach(|| {
                self.inner
                    .settle(ledger, reservation_id, response.as_deref(), outcome, now_ms)
            })
            .py_err(py)?;
        to_py(py, &record)
    }

    /// Opens the audit trail the policy's `defaults.audit` describes (keys from the
    /// environment or the files it names). `callback` is the function a `callback` sink calls
    /// with each line.
    #[pyo3(signature = (callback=None))]
    fn open_audit_trail(
        &self,
        py: Python<'_>,
        callback: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<AuditTrail> {
        let callback = callback.map(|f| line_callback(f.clone().unbind()));
        let inner = py
            .detach(|| self.inner.open_audit_trail(callback, LANGUAGE, None))
            .py_err(py)?;
        Ok(AuditTrail { inner })
    }

    /// Writes the record of an interaction to `trail`: the principal, the request as the
    /// caller gave it, `prepare`'s decision and what followed (`details`, a dict or JSON text:
    /// `{response?, estimate_micros?, reserved_micros?, billed_micros?, error?, latency_ms?,
    /// id?, time?, stream?, attempts?, fail_open?, sdk?}`). Returns the receipt.
    #[pyo3(signature = (trail, principal, request, decision, details=None, now_ms=None))]
    #[allow(clippy::too_many_arguments)]
    fn audit<'py>(
        &self,
        py: Python<'py>,
        trail: &Bound<'_, AuditTrail>,
        principal: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
        decision: &Bound<'_, PyAny>,
        details: Option<&Bound<'_, PyAny>>,
        now_ms: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let decision = decision.cast::<Decision>().map_err(|_| {
            PyTypeError::new_err(format!(
                "decision must be a Decision (what prepare returned), not {}",
                type_name(decision)
            ))
        })?;
        let principal = json_text(py, principal, "principal")?;
        let request = json_text(py, request, "request")?;
        let details = details.map(|d| json_text(py, d, "details")).transpose()?;
        let trail = &trail.get().inner;
        let decision = &decision.get().inner;
        let receipt = py
            .detach(|| {
                self.inner.audit(
                    trail,
                    &principal,
                    &request,
                    decision,
                    details.as_deref().unwrap_or("{}"),
                    now_ms,
                )
            })
            .py_err(py)?;
        to_py(py, &receipt)
    }

    fn __repr__(&self) -> String {
        format!(
            "Guard(source={}, catalog={}, policy_hash={})",
            quote(self.source),
            quote(self.catalog),
            quote(self.inner.policy_hash())
        )
    }
}

/// Why a request is denied or a response rejected, or a notice that did not deny (a shadow
/// rule, a removed fallback). `rule` is the policy path of the rule.
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Reason {
    pub code: String,
    pub rule: String,
    pub message: String,
    pub shadow: bool,
}

impl From<HostReason> for Reason {
    fn from(r: HostReason) -> Self {
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

fn dicts<'py, T>(
    py: Python<'py>,
    items: &[T],
    to_dict: impl Fn(&T, Python<'py>) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    items.iter().map(|item| to_dict(item, py)).collect()
}

flat_record!(Reason {
    code,
    rule,
    message,
    shadow
});

/// A DLP finding in a prepared request: the JSON pointer of the string, the detector and the
/// action applied; never the value.
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PreparedFinding {
    pub path: String,
    pub detector: String,
    pub category: String,
    pub action: &'static str,
}

impl From<&HostPreparedFinding> for PreparedFinding {
    fn from(f: &HostPreparedFinding) -> Self {
        PreparedFinding {
            path: f.path.clone(),
            detector: f.detector.clone(),
            category: f.category.clone(),
            action: f.action.as_str(),
        }
    }
}

flat_record!(PreparedFinding {
    path,
    detector,
    category,
    action
});

/// A request that may be sent: `request` is the dict to send (DLP applied, `provider.only` set
/// to the compliant endpoints...). Keep it: `Guard.verify` checks the response against it.
#[pyclass(frozen, module = "routeguard")]
pub(crate) struct Prepared {
    inner: HostPrepared,
    request: Py<PyAny>,
    findings: Vec<PreparedFinding>,
}

impl Prepared {
    fn new(py: Python<'_>, inner: HostPrepared) -> PyResult<Prepared> {
        let request = json_loads(py, &inner.request)?.unbind();
        let findings = inner.findings.iter().map(PreparedFinding::from).collect();
        Ok(Prepared {
            inner,
            request,
            findings,
        })
    }
}

#[pymethods]
impl Prepared {
    /// The request to send, as a dict (parsed once; it is the caller's to send or copy).
    #[getter]
    fn request(&self, py: Python<'_>) -> Py<PyAny> {
        self.request.clone_ref(py)
    }

    /// The request to send as compact JSON text (e.g. a request body as is).
    #[getter]
    fn request_json(&self) -> &str {
        &self.inner.request
    }

    /// The models the request may be served by (the model and the fallbacks kept), in order.
    #[getter]
    fn models(&self) -> Vec<String> {
        self.inner.models.clone()
    }

    /// The provider tags in `provider.only` (empty: the policy does not constrain providers).
    #[getter]
    fn providers(&self) -> Vec<String> {
        self.inner.providers.clone()
    }

    #[getter]
    fn findings(&self) -> Vec<PreparedFinding> {
        self.findings.clone()
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("request", json_loads(py, &self.inner.request)?)?;
        d.set_item("models", &self.inner.models)?;
        d.set_item("providers", &self.inner.providers)?;
        d.set_item(
            "findings",
            dicts(py, &self.findings, PreparedFinding::to_dict)?,
        )?;
        Ok(d)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Prepared>()
            .is_ok_and(|other| self.inner == other.get().inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Prepared(models={}, providers={}, findings={}, request=<dict>)",
            list_repr(&self.inner.models, |m| quote(m)),
            list_repr(&self.inner.providers, |p| quote(p)),
            self.findings.len()
        )
    }
}

/// The outcome of `Guard.prepare`: `prepared` is set exactly when `allowed`. `reasons` say why
/// a request is denied; `notices` report what did not deny (shadow rules, removed fallbacks).
/// It keeps the core's decision, which `Guard.audit` records.
#[pyclass(frozen, module = "routeguard")]
pub(crate) struct Decision {
    #[pyo3(get)]
    pub allowed: bool,
    #[pyo3(get)]
    pub reasons: Vec<Reason>,
    #[pyo3(get)]
    pub notices: Vec<Reason>,
    #[pyo3(get)]
    pub policy_hash: String,
    #[pyo3(get)]
    pub prepared: Option<Py<Prepared>>,
    inner: HostDecision,
}

impl Decision {
    fn new(py: Python<'_>, d: HostDecision) -> PyResult<Decision> {
        let prepared = match &d.prepared {
            Some(p) => Some(Py::new(py, Prepared::new(py, p.clone())?)?),
            None => None,
        };
        Ok(Decision {
            allowed: d.allowed,
            reasons: reasons(d.reasons.clone()),
            notices: reasons(d.notices.clone()),
            policy_hash: d.policy_hash.clone(),
            prepared,
            inner: d,
        })
    }
}

#[pymethods]
impl Decision {
    /// The decision as plain data (`prepared` as `Prepared.to_dict()`, or None).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("allowed", self.allowed)?;
        d.set_item("reasons", dicts(py, &self.reasons, Reason::to_dict)?)?;
        d.set_item("notices", dicts(py, &self.notices, Reason::to_dict)?)?;
        d.set_item("policy_hash", &self.policy_hash)?;
        match &self.prepared {
            Some(p) => d.set_item("prepared", p.get().to_dict(py)?)?,
            None => d.set_item("prepared", py.None())?,
        }
        Ok(d)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        let Ok(other) = other.cast::<Decision>() else {
            return false;
        };
        let other = other.get();
        let same_prepared = match (&self.prepared, &other.prepared) {
            (None, None) => true,
            (Some(a), Some(b)) => a.get().inner == b.get().inner,
            _ => false,
        };
        self.allowed == other.allowed
            && self.reasons == other.reasons
            && self.notices == other.notices
            && self.policy_hash == other.policy_hash
            && same_prepared
    }

    fn __repr__(&self) -> String {
        format!(
            "Decision(allowed={}, reasons={}, notices={}, policy_hash={}, prepared={})",
            py_bool(self.allowed),
            list_repr(&self.reasons, Reason::__repr__),
            list_repr(&self.notices, Reason::__repr__),
            quote(&self.policy_hash),
            self.prepared
                .as_ref()
                .map_or_else(|| "None".to_owned(), |p| p.get().__repr__())
        )
    }
}

/// The outcome of `Guard.verify`: the served provider's slug (None when unknown) and model,
/// and the response to hand to the application, its content withheld on a violation.
#[pyclass(frozen, get_all, module = "routeguard")]
pub(crate) struct Verification {
    pub allowed: bool,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub reasons: Vec<Reason>,
    pub withheld: bool,
    pub response: Py<PyAny>,
    pub response_json: String,
}

impl Verification {
    fn new(py: Python<'_>, v: HostVerification) -> PyResult<Verification> {
        Ok(Verification {
            allowed: v.allowed,
            provider: v.provider,
            model: v.model,
            reasons: reasons(v.reasons),
            withheld: v.withheld,
            response: json_loads(py, &v.response)?.unbind(),
            response_json: v.response,
        })
    }
}

fn opt_repr(value: Option<&str>) -> String {
    value.map_or_else(|| "None".to_owned(), quote)
}

#[pymethods]
impl Verification {
    /// The verification as plain data (`response` as a new dict).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("allowed", self.allowed)?;
        d.set_item("provider", &self.provider)?;
        d.set_item("model", &self.model)?;
        d.set_item("reasons", dicts(py, &self.reasons, Reason::to_dict)?)?;
        d.set_item("withheld", self.withheld)?;
        d.set_item("response", json_loads(py, &self.response_json)?)?;
        Ok(d)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        let Ok(other) = other.cast::<Verification>() else {
            return false;
        };
        let other = other.get();
        self.allowed == other.allowed
            && self.provider == other.provider
            && self.model == other.model
            && self.reasons == other.reasons
            && self.withheld == other.withheld
            && self.response_json == other.response_json
    }

    fn __repr__(&self) -> String {
        format!(
            "Verification(allowed={}, provider={}, model={}, withheld={}, reasons={}, \
             response=<dict>)",
            py_bool(self.allowed),
            opt_repr(self.provider.as_deref()),
            opt_repr(self.model.as_deref()),
            py_bool(self.withheld),
            list_repr(&self.reasons, Reason::__repr__)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_repr_quotes_its_fields() {
        let r = Reason {
            code: "provider_violation".into(),
            rule: "providers".into(),
            message: "served by `anthropic`".into(),
            shadow: false,
        };
        assert_eq!(
            r.__repr__(),
            "Reason(code='provider_violation', rule='providers', \
             message='served by `anthropic`', shadow=False)"
        );
    }
}
