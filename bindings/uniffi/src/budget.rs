//! Budgets: `Ledger` (reserve, settle, renew, status, records, report). Outcomes as JSON text.

use std::sync::Arc;

use routeguard::host::HostLedger;

use crate::{json, unsigned, Result};

/// A budget ledger (`memory:`, `sqlite:PATH`, `postgres://...`). Shareable between threads.
#[derive(Debug, uniffi::Object)]
pub struct Ledger {
    pub(crate) inner: HostLedger,
}

#[uniffi::export]
impl Ledger {
    #[uniffi::constructor]
    pub fn new(url: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Ledger {
            inner: HostLedger::open(&url)?,
        }))
    }

    pub fn backend(&self) -> String {
        self.inner.backend().to_string()
    }

    /// Holds `amount_micros` on every cap of `caps_json` for `meta_json`; the outcome as JSON.
    #[uniffi::method(default(lease_ms = None, now_ms = None))]
    pub fn reserve(
        &self,
        caps_json: String,
        amount_micros: i64,
        meta_json: String,
        lease_ms: Option<i64>,
        now_ms: Option<i64>,
    ) -> Result<String> {
        let amount = unsigned(amount_micros, "amount_micros")?;
        let lease_ms = lease_ms.map(|l| unsigned(l, "lease_ms")).transpose()?;
        json(
            &self
                .inner
                .reserve(&caps_json, amount, &meta_json, lease_ms, now_ms)?,
        )
    }

    /// Settles a reservation; the spend record as JSON.
    #[uniffi::method(default(now_ms = None))]
    pub fn settle(
        &self,
        id: String,
        settlement_json: String,
        now_ms: Option<i64>,
    ) -> Result<String> {
        json(&self.inner.settle(&id, &settlement_json, now_ms)?)
    }

    /// Extends a reservation's lease.
    #[uniffi::method(default(now_ms = None))]
    pub fn renew(&self, id: String, lease_ms: i64, now_ms: Option<i64>) -> Result<()> {
        Ok(self
            .inner
            .renew(&id, unsigned(lease_ms, "lease_ms")?, now_ms)?)
    }

    /// The caps' state now, as a JSON list.
    #[uniffi::method(default(now_ms = None))]
    pub fn status(&self, caps_json: String, now_ms: Option<i64>) -> Result<String> {
        json(&self.inner.status(&caps_json, now_ms)?)
    }

    /// Spend records settled in `[since_ms, until_ms)`, as a JSON list.
    #[uniffi::method(default(since_ms = None, until_ms = None))]
    pub fn records(&self, since_ms: Option<i64>, until_ms: Option<i64>) -> Result<String> {
        json(&self.inner.records(since_ms, until_ms)?)
    }

    /// Spend grouped by `by` over the current period of `window`, as JSON.
    #[uniffi::method(default(now_ms = None))]
    pub fn report(&self, by: String, window: String, now_ms: Option<i64>) -> Result<String> {
        Ok(self.inner.report(&by, &window, now_ms)?.to_json())
    }
}
