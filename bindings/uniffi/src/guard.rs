//! Policy decisions: `Guard` (prepare, verify, reserve, settle, audit).

use std::path::Path;
use std::sync::Arc;

use routeguard::dlp::Action;
use routeguard::host::{
    CatalogSource, HostDecision, HostGuard, HostPrepared, HostPreparedFinding, HostReason,
    PolicySource,
};
use routeguard::{Error, ErrorCode};

use crate::audit::AuditTrail;
use crate::budget::Ledger;
use crate::{int, json, unsigned, Result, LANGUAGE};

/// Why a request is denied, or a notice that did not deny.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reason {
    pub code: String,
    /// The policy path of the rule, e.g. `workspaces.eu.providers.processing`.
    pub rule: String,
    pub message: String,
    pub shadow: bool,
}

fn reasons(list: &[HostReason]) -> Vec<Reason> {
    list.iter()
        .map(|r| Reason {
            code: r.code.clone(),
            rule: r.rule.clone(),
            message: r.message.clone(),
            shadow: r.shadow,
        })
        .collect()
}

fn host_reasons(list: &[Reason]) -> Vec<HostReason> {
    list.iter()
        .map(|r| HostReason {
            code: r.code.clone(),
            rule: r.rule.clone(),
            message: r.message.clone(),
            shadow: r.shadow,
        })
        .collect()
}

/// A DLP finding in a prepared request; `start`/`end` are bytes into the string at `path`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PreparedFinding {
    pub path: String,
    pub detector: String,
    pub category: String,
    pub action: String,
    pub start: i64,
    pub end: i64,
}

/// A request that may be sent (`request` is compact JSON).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Prepared {
    pub request: String,
    pub models: Vec<String>,
    pub providers: Vec<String>,
    pub findings: Vec<PreparedFinding>,
}

impl From<HostPrepared> for Prepared {
    fn from(p: HostPrepared) -> Self {
        Prepared {
            findings: p
                .findings
                .iter()
                .map(|f| PreparedFinding {
                    path: f.path.clone(),
                    detector: f.detector.clone(),
                    category: f.category.clone(),
                    action: f.action.as_str().to_string(),
                    start: int(f.start),
                    end: int(f.end),
                })
                .collect(),
            request: p.request,
            models: p.models,
            providers: p.providers,
        }
    }
}

impl Prepared {
    /// Back to the host's value (a record handed in again by the application).
    fn host(&self) -> Result<HostPrepared> {
        let findings = self
            .findings
            .iter()
            .map(|f| {
                Ok(HostPreparedFinding {
                    path: f.path.clone(),
                    detector: f.detector.clone(),
                    category: f.category.clone(),
                    action: Action::parse(&f.action).ok_or_else(|| {
                        Error::new(
                            ErrorCode::InvalidArgument,
                            format!("`{}` is not an action", f.action),
                        )
                    })?,
                    start: offset(f.start)?,
                    end: offset(f.end)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(HostPrepared {
            request: self.request.clone(),
            models: self.models.clone(),
            providers: self.providers.clone(),
            findings,
        })
    }
}

fn offset(n: i64) -> Result<usize> {
    usize::try_from(n).map_err(|_| {
        Error::new(ErrorCode::InvalidArgument, "an offset must not be negative").into()
    })
}

/// The outcome of `prepare`: `prepared` is set exactly when `allowed`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Decision {
    pub allowed: bool,
    pub reasons: Vec<Reason>,
    pub notices: Vec<Reason>,
    pub policy_hash: String,
    pub prepared: Option<Prepared>,
}

impl Decision {
    fn host(&self) -> Result<HostDecision> {
        Ok(HostDecision {
            allowed: self.allowed,
            reasons: host_reasons(&self.reasons),
            notices: host_reasons(&self.notices),
            policy_hash: self.policy_hash.clone(),
            prepared: self.prepared.as_ref().map(Prepared::host).transpose()?,
        })
    }
}

/// The outcome of `verify`; `response` is the JSON to hand on (content withheld on a violation).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Verification {
    pub allowed: bool,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub reasons: Vec<Reason>,
    pub response: String,
    pub withheld: bool,
}

/// A policy over a provider catalogue. Shareable between threads.
#[derive(Debug, uniffi::Object)]
pub struct Guard {
    pub(crate) inner: HostGuard,
}

fn catalog(snapshot: &Option<String>) -> CatalogSource<'_> {
    match snapshot {
        Some(text) => CatalogSource::Snapshot(text),
        None => CatalogSource::Builtin,
    }
}

impl Guard {
    fn build(policy: PolicySource<'_>, catalog: CatalogSource<'_>) -> Result<Arc<Self>> {
        Ok(Arc::new(Guard {
            inner: HostGuard::new(policy, catalog)?,
        }))
    }
}

#[uniffi::export]
impl Guard {
    /// From a policy in JSON; `catalog_json` a catalogue snapshot (null: the built-in one).
    #[uniffi::constructor(default(catalog_json = None))]
    pub fn new(policy_json: String, catalog_json: Option<String>) -> Result<Arc<Self>> {
        Self::build(PolicySource::Json(&policy_json), catalog(&catalog_json))
    }

    /// From a policy in YAML.
    #[uniffi::constructor(default(catalog_json = None))]
    pub fn from_yaml(policy_yaml: String, catalog_json: Option<String>) -> Result<Arc<Self>> {
        Self::build(PolicySource::Yaml(&policy_yaml), catalog(&catalog_json))
    }

    /// From a `.json`, `.yaml` or `.yml` policy file.
    #[uniffi::constructor(default(catalog_json = None))]
    pub fn from_file(path: String, catalog_json: Option<String>) -> Result<Arc<Self>> {
        Self::build(PolicySource::File(Path::new(&path)), catalog(&catalog_json))
    }

    pub fn policy_hash(&self) -> String {
        self.inner.policy_hash().to_string()
    }

    /// The policy has a `defaults.audit` section.
    pub fn audits(&self) -> bool {
        self.inner.audits()
    }

    /// Decides about a chat request (JSON) for a principal (JSON: user, workspace, groups?,
    /// tags?).
    #[uniffi::method(default(hash_key = None, vault = None))]
    pub fn prepare(
        &self,
        principal_json: String,
        request_json: String,
        hash_key: Option<Vec<u8>>,
        vault: Option<Arc<crate::scan::Vault>>,
    ) -> Result<Decision> {
        let d = self.inner.prepare(
            &principal_json,
            &request_json,
            hash_key.as_deref(),
            vault.as_ref().map(|v| &*v.inner),
        )?;
        Ok(Decision {
            allowed: d.allowed,
            reasons: reasons(&d.reasons),
            notices: reasons(&d.notices),
            policy_hash: d.policy_hash,
            prepared: d.prepared.map(Prepared::from),
        })
    }

    /// Checks the response (JSON) to a prepared request: served provider and model.
    pub fn verify(&self, prepared: Prepared, response_json: String) -> Result<Verification> {
        let v = self.inner.verify(&prepared.host()?, &response_json)?;
        Ok(Verification {
            allowed: v.allowed,
            provider: v.provider,
            model: v.model,
            reasons: reasons(&v.reasons),
            response: v.response,
            withheld: v.withheld,
        })
    }

    /// Reserves the worst-case cost of a prepared request; the reservation as JSON.
    #[uniffi::method(default(lease_ms = None, now_ms = None))]
    pub fn reserve(
        &self,
        ledger: Arc<Ledger>,
        principal_json: String,
        prepared: Prepared,
        lease_ms: Option<i64>,
        now_ms: Option<i64>,
    ) -> Result<String> {
        let lease_ms = lease_ms.map(|l| unsigned(l, "lease_ms")).transpose()?;
        let out = self.inner.reserve(
            &ledger.inner,
            &principal_json,
            &prepared.host()?,
            lease_ms,
            now_ms,
        )?;
        json(&out)
    }

    /// Settles a reservation from OpenRouter's response (JSON; null when there is none); the
    /// spend record as JSON.
    #[uniffi::method(default(now_ms = None))]
    pub fn settle(
        &self,
        ledger: Arc<Ledger>,
        reservation_id: String,
        response_json: Option<String>,
        outcome: String,
        now_ms: Option<i64>,
    ) -> Result<String> {
        let record = self.inner.settle(
            &ledger.inner,
            &reservation_id,
            response_json.as_deref(),
            &outcome,
            now_ms,
        )?;
        json(&record)
    }

    /// The audit record of an interaction, as JSON (not written).
    pub fn audit_event(
        &self,
        principal_json: String,
        request_json: String,
        decision: Decision,
        details_json: String,
    ) -> Result<String> {
        let record = self.inner.audit_event(
            &principal_json,
            &request_json,
            &decision.host()?,
            &details_json,
        )?;
        json(&record)
    }

    /// Writes the interaction's record to `trail`; the receipt as JSON.
    #[uniffi::method(default(now_ms = None))]
    pub fn audit(
        &self,
        trail: Arc<AuditTrail>,
        principal_json: String,
        request_json: String,
        decision: Decision,
        details_json: String,
        now_ms: Option<i64>,
    ) -> Result<String> {
        let receipt = self.inner.audit(
            &trail.inner,
            &principal_json,
            &request_json,
            &decision.host()?,
            &details_json,
            now_ms,
        )?;
        json(&receipt)
    }

    /// Opens the trail the policy's `defaults.audit` describes; `callback` serves a `callback`
    /// sink.
    #[uniffi::method(default(callback = None, now_ms = None))]
    pub fn open_audit_trail(
        &self,
        callback: Option<Arc<dyn crate::audit::LineSink>>,
        now_ms: Option<i64>,
    ) -> Result<Arc<AuditTrail>> {
        let inner =
            self.inner
                .open_audit_trail(crate::audit::line_callback(callback), LANGUAGE, now_ms)?;
        Ok(Arc::new(AuditTrail { inner }))
    }
}
