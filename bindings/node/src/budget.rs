//! Budgets: `Ledger` (reserve, settle, renew, status, records, report) and `SpendReport`, over
//! `routeguard::host::HostLedger`. Thin: caps, meta and settlements arrive as objects or JSON
//! text, results leave as plain objects with the core's snake_case keys (the same keys the
//! inputs and the JSON exports use). Amounts and times are whole JavaScript numbers (micro-dollars
//! and Unix milliseconds; exact below 2^53).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use routeguard::budget::report::Report;
use routeguard::host::HostLedger;
use routeguard::Result as CoreResult;
use serde::Serialize;

use crate::convert::{invalid_argument, json_arg, parse_json};
use crate::error::js_result;

/// The largest integer a JavaScript number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A whole, non-negative number argument (an amount or a duration).
pub(crate) fn whole(value: f64, name: &str) -> CoreResult<u64> {
    if value.is_finite() && value.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&value) {
        Ok(value as u64)
    } else {
        Err(invalid_argument(format!(
            "`{name}` must be a whole number from 0 to 2^53-1"
        )))
    }
}

/// An optional whole, non-negative number (`undefined`/`null`: not given).
pub(crate) fn opt_whole(value: Option<f64>, name: &str) -> CoreResult<Option<u64>> {
    value.map(|v| whole(v, name)).transpose()
}

/// An optional time in Unix milliseconds (`undefined`/`null`: the system clock).
pub(crate) fn opt_time(value: Option<f64>, name: &str) -> CoreResult<Option<i64>> {
    value
        .map(|v| {
            if v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_SAFE {
                Ok(v as i64)
            } else {
                Err(invalid_argument(format!(
                    "`{name}` must be a whole number of Unix milliseconds"
                )))
            }
        })
        .transpose()
}

/// A core result as a plain object, through JavaScript's own `JSON.parse`.
pub(crate) fn to_js<'env, T: Serialize>(env: &'env Env, value: &T) -> Result<Object<'env>> {
    let text = serde_json::to_string(value).map_err(|e| napi::Error::from_reason(e.to_string()))?;
    parse_json(env, text)
}

/// A spend ledger: reservations held against budget caps and settled into spend records. Opened
/// from `memory:`, `sqlite:PATH` or `postgres://...`. Calls wait on the store (a database round
/// trip for SQLite and PostgreSQL); the `…Async` forms wait on the libuv thread pool instead.
#[napi]
pub struct Ledger {
    pub(crate) inner: HostLedger,
}

#[napi]
impl Ledger {
    /// Opens the ledger at `url`: `memory:`, `sqlite:PATH` or `postgres://...`.
    #[napi(constructor)]
    pub fn new(env: &Env, url: String) -> Result<Ledger> {
        Ok(Ledger {
            inner: js_result(env, HostLedger::open(&url))?,
        })
    }

    /// Same as `new Ledger(url)`.
    #[napi(factory)]
    pub fn open(env: &Env, url: String) -> Result<Ledger> {
        Ledger::new(env, url)
    }

    /// `memory`, `sqlite` or `postgres`.
    #[napi(getter, ts_return_type = "'memory' | 'sqlite' | 'postgres'")]
    pub fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    /// Holds `amountMicros` on every cap of `caps` for `meta`, all caps or none. A denial is
    /// `reserved: false` with `denials` naming the caps, not an error.
    #[napi(
        ts_args_type = "caps: BudgetCap[] | string, amountMicros: number, meta: SpendMeta | string, leaseMs?: number | null, nowMs?: number | null",
        ts_return_type = "ReserveOutcome"
    )]
    pub fn reserve<'env>(
        &self,
        env: &'env Env,
        caps: Unknown<'_>,
        amount_micros: f64,
        meta: Unknown<'_>,
        lease_ms: Option<f64>,
        now_ms: Option<f64>,
    ) -> Result<Object<'env>> {
        let out = (|| {
            let caps = json_arg(env, caps, "caps")?;
            let amount = whole(amount_micros, "amountMicros")?;
            let meta = json_arg(env, meta, "meta")?;
            let lease = opt_whole(lease_ms, "leaseMs")?;
            let now = opt_time(now_ms, "nowMs")?;
            self.inner.reserve(&caps, amount, &meta, lease, now)
        })();
        to_js(env, &js_result(env, out)?)
    }

    /// Settles a reservation; returns the spend record.
    #[napi(
        ts_args_type = "id: string, settlement: Settlement | string, nowMs?: number | null",
        ts_return_type = "SpendRecord"
    )]
    pub fn settle<'env>(
        &self,
        env: &'env Env,
        id: String,
        settlement: Unknown<'_>,
        now_ms: Option<f64>,
    ) -> Result<Object<'env>> {
        let out = (|| {
            let settlement = json_arg(env, settlement, "settlement")?;
            let now = opt_time(now_ms, "nowMs")?;
            self.inner.settle(&id, &settlement, now)
        })();
        to_js(env, &js_result(env, out)?)
    }

    /// Extends a reservation's lease to `leaseMs` from now (long streams).
    #[napi]
    pub fn renew(&self, env: &Env, id: String, lease_ms: f64, now_ms: Option<f64>) -> Result<()> {
        let out = (|| {
            let lease = whole(lease_ms, "leaseMs")?;
            let now = opt_time(now_ms, "nowMs")?;
            self.inner.renew(&id, lease, now)
        })();
        js_result(env, out)
    }

    /// Each cap's state: spent, reserved, limit, period and reset time.
    #[napi(
        ts_args_type = "caps: BudgetCap[] | string, nowMs?: number | null",
        ts_return_type = "CapStatus[]"
    )]
    pub fn status<'env>(
        &self,
        env: &'env Env,
        caps: Unknown<'_>,
        now_ms: Option<f64>,
    ) -> Result<Object<'env>> {
        let out = (|| {
            let caps = json_arg(env, caps, "caps")?;
            let now = opt_time(now_ms, "nowMs")?;
            self.inner.status(&caps, now)
        })();
        to_js(env, &js_result(env, out)?)
    }

    /// The spend records settled in `[sinceMs, untilMs)` (unbounded when not given).
    #[napi(
        ts_args_type = "sinceMs?: number | null, untilMs?: number | null",
        ts_return_type = "SpendRecord[]"
    )]
    pub fn records<'env>(
        &self,
        env: &'env Env,
        since_ms: Option<f64>,
        until_ms: Option<f64>,
    ) -> Result<Object<'env>> {
        let out = (|| {
            let since = opt_time(since_ms, "sinceMs")?;
            let until = opt_time(until_ms, "untilMs")?;
            self.inner.records(since, until)
        })();
        to_js(env, &js_result(env, out)?)
    }

    /// Spend grouped by `by` (comma-separated: provider, model, user, workspace, group, tag,
    /// period; `''` for the total only; default `provider`) over the current period of `window`
    /// (day, week, month, total; default `month`).
    #[napi]
    pub fn report(
        &self,
        env: &Env,
        by: Option<String>,
        window: Option<String>,
        now_ms: Option<f64>,
    ) -> Result<SpendReport> {
        let out = opt_time(now_ms, "nowMs").and_then(|now| {
            self.inner.report(
                by.as_deref().unwrap_or("provider"),
                window.as_deref().unwrap_or("month"),
                now,
            )
        });
        Ok(SpendReport {
            inner: js_result(env, out)?,
        })
    }

    /// `reserve` on the libuv thread pool.
    #[napi(
        ts_args_type = "caps: BudgetCap[] | string, amountMicros: number, meta: SpendMeta | string, leaseMs?: number | null, nowMs?: number | null",
        ts_return_type = "Promise<ReserveOutcome>"
    )]
    pub fn reserve_async(
        &self,
        env: &Env,
        caps: Unknown<'_>,
        amount_micros: f64,
        meta: Unknown<'_>,
        lease_ms: Option<f64>,
        now_ms: Option<f64>,
    ) -> AsyncTask<LedgerTask> {
        let args = (|| {
            Ok((
                json_arg(env, caps, "caps")?,
                whole(amount_micros, "amountMicros")?,
                json_arg(env, meta, "meta")?,
                opt_whole(lease_ms, "leaseMs")?,
                opt_time(now_ms, "nowMs")?,
            ))
        })();
        let ledger = self.inner.clone();
        LedgerTask::json(move || {
            let (caps, amount, meta, lease, now) = args?;
            ledger.reserve(&caps, amount, &meta, lease, now)
        })
    }

    /// `settle` on the libuv thread pool.
    #[napi(
        ts_args_type = "id: string, settlement: Settlement | string, nowMs?: number | null",
        ts_return_type = "Promise<SpendRecord>"
    )]
    pub fn settle_async(
        &self,
        env: &Env,
        id: String,
        settlement: Unknown<'_>,
        now_ms: Option<f64>,
    ) -> AsyncTask<LedgerTask> {
        let args = (|| {
            Ok((
                json_arg(env, settlement, "settlement")?,
                opt_time(now_ms, "nowMs")?,
            ))
        })();
        let ledger = self.inner.clone();
        LedgerTask::json(move || {
            let (settlement, now) = args?;
            ledger.settle(&id, &settlement, now)
        })
    }

    /// `renew` on the libuv thread pool.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn renew_async(
        &self,
        id: String,
        lease_ms: f64,
        now_ms: Option<f64>,
    ) -> AsyncTask<LedgerTask> {
        let args =
            whole(lease_ms, "leaseMs").and_then(|lease| Ok((lease, opt_time(now_ms, "nowMs")?)));
        let ledger = self.inner.clone();
        LedgerTask::new(move || {
            let (lease, now) = args?;
            ledger.renew(&id, lease, now)?;
            Ok(LedgerOutput::Nothing)
        })
    }

    /// `status` on the libuv thread pool.
    #[napi(
        ts_args_type = "caps: BudgetCap[] | string, nowMs?: number | null",
        ts_return_type = "Promise<CapStatus[]>"
    )]
    pub fn status_async(
        &self,
        env: &Env,
        caps: Unknown<'_>,
        now_ms: Option<f64>,
    ) -> AsyncTask<LedgerTask> {
        let args = (|| Ok((json_arg(env, caps, "caps")?, opt_time(now_ms, "nowMs")?)))();
        let ledger = self.inner.clone();
        LedgerTask::json(move || {
            let (caps, now) = args?;
            ledger.status(&caps, now)
        })
    }

    /// `records` on the libuv thread pool.
    #[napi(
        ts_args_type = "sinceMs?: number | null, untilMs?: number | null",
        ts_return_type = "Promise<SpendRecord[]>"
    )]
    pub fn records_async(
        &self,
        since_ms: Option<f64>,
        until_ms: Option<f64>,
    ) -> AsyncTask<LedgerTask> {
        let args = (|| {
            Ok((
                opt_time(since_ms, "sinceMs")?,
                opt_time(until_ms, "untilMs")?,
            ))
        })();
        let ledger = self.inner.clone();
        LedgerTask::json(move || {
            let (since, until) = args?;
            ledger.records(since, until)
        })
    }

    /// `report` on the libuv thread pool.
    #[napi(ts_return_type = "Promise<SpendReport>")]
    pub fn report_async(
        &self,
        by: Option<String>,
        window: Option<String>,
        now_ms: Option<f64>,
    ) -> AsyncTask<LedgerTask> {
        let now = opt_time(now_ms, "nowMs");
        let ledger = self.inner.clone();
        LedgerTask::new(move || {
            let report = ledger.report(
                by.as_deref().unwrap_or("provider"),
                window.as_deref().unwrap_or("month"),
                now?,
            )?;
            Ok(LedgerOutput::Report(report))
        })
    }
}

/// A spend report: `rows` (one per group, largest spend first), `total`, `providers` (shares of
/// spend) and `hhi` (provider concentration; 10,000 is one provider). `toCsv()`, `toTable()`;
/// `JSON.stringify(report)` writes the report.
#[napi]
pub struct SpendReport {
    inner: Report,
}

#[napi]
impl SpendReport {
    /// The dimensions grouped by, in order (each row's `key` follows it).
    #[napi(getter)]
    pub fn by(&self) -> Vec<&'static str> {
        self.inner.by.clone()
    }

    /// The report's window (`daily`, `weekly`, `monthly`, `total`).
    #[napi(getter)]
    pub fn window(&self) -> &'static str {
        self.inner.window
    }

    /// The period covered (`2026-11`, or `total`).
    #[napi(getter)]
    pub fn period(&self) -> String {
        self.inner.period.clone()
    }

    #[napi(getter, ts_return_type = "ReportRow[]")]
    pub fn rows<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        to_js(env, &self.inner.rows)
    }

    #[napi(getter, ts_return_type = "ReportRow")]
    pub fn total<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        to_js(env, &self.inner.total)
    }

    #[napi(getter, ts_return_type = "ProviderShare[]")]
    pub fn providers<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        to_js(env, &self.inner.providers)
    }

    /// Herfindahl-Hirschman index of the provider shares (percent squared).
    #[napi(getter)]
    pub fn hhi(&self) -> f64 {
        self.inner.hhi as f64
    }

    /// One header line, a line per row and a `total` line; dollars with six decimals.
    #[napi]
    pub fn to_csv(&self) -> String {
        self.inner.to_csv()
    }

    /// An aligned text table for terminals.
    #[napi]
    pub fn to_table(&self) -> String {
        self.inner.to_table()
    }

    /// The report as a plain object (amounts in micro-dollars), used by `JSON.stringify`.
    #[napi(js_name = "toJSON", ts_return_type = "SpendReportJson")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        to_js(env, &self.inner)
    }
}

/// What a ledger call gives back, turned into its JavaScript value on the JavaScript thread.
pub enum LedgerOutput {
    /// A result serialized as JSON; resolves to the plain object `JSON.parse` makes of it.
    Json(String),
    /// Resolves to `undefined`.
    Nothing,
    /// Resolves to a `SpendReport`.
    Report(Report),
}

/// The async form of a ledger call (`Ledger.*Async`, `Guard.reserveAsync`, `Guard.settleAsync`):
/// the arguments were converted on the JavaScript thread (an error in them is returned by the
/// work, so it rejects the promise like an error of the call), the store is called on the libuv
/// thread pool, and the result becomes the same value the synchronous form returns.
pub struct LedgerTask {
    work: Option<Box<dyn FnOnce() -> CoreResult<LedgerOutput> + Send>>,
}

impl LedgerTask {
    pub(crate) fn new(
        work: impl FnOnce() -> CoreResult<LedgerOutput> + Send + 'static,
    ) -> AsyncTask<LedgerTask> {
        AsyncTask::new(LedgerTask {
            work: Some(Box::new(work)),
        })
    }

    /// A call whose result resolves to a plain object, as `to_js` makes for the sync form.
    pub(crate) fn json<T: Serialize>(
        work: impl FnOnce() -> CoreResult<T> + Send + 'static,
    ) -> AsyncTask<LedgerTask> {
        LedgerTask::new(move || {
            let value = work()?;
            serde_json::to_string(&value)
                .map(LedgerOutput::Json)
                .map_err(|e| routeguard::Error::new(routeguard::ErrorCode::Internal, e.to_string()))
        })
    }
}

impl<'task> napi::ScopedTask<'task> for LedgerTask {
    type Output = CoreResult<LedgerOutput>;
    type JsValue = Either3<Object<'task>, (), SpendReport>;

    fn compute(&mut self) -> Result<Self::Output> {
        let work = self
            .work
            .take()
            .ok_or_else(|| napi::Error::from_reason("ledger task ran twice"))?;
        Ok(work())
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(match js_result(env, output)? {
            LedgerOutput::Json(text) => Either3::A(parse_json(env, text)?),
            LedgerOutput::Nothing => Either3::B(()),
            LedgerOutput::Report(inner) => Either3::C(SpendReport { inner }),
        })
    }
}
