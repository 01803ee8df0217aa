//! The ledger: reservations against caps, settlement, and the spend records reports read. The
//! `Ledger` trait is the only door to stored budget state; the in-memory backend lives here, the
//! SQLite and PostgreSQL ones beside it.
//!
//! Every backend keeps the same three facts: spend per (subject, period), holds per reservation
//! and counter with a lease expiry, and one spend record per settled request. What a counter has
//! reserved is the sum of its unexpired holds, so a process that dies leaves nothing locked past
//! its lease and no sweep job is needed. A reservation is checked and written in one transaction
//! over every cap: all caps pass and get a hold, or none does.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::window::{period, rfc3339, window_name, Period};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{ResolvedBudget, Window};

/// A cap as the ledger applies it: whose spend, over which window, up to what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cap {
    /// The policy path of the cap (`workspaces.eu-health.budgets[0]`); names it in denials.
    pub rule: String,
    /// Whose spend it counts: `user:alice`, `workspace:eu-health`, `group:finance`...
    pub subject: String,
    pub window: Window,
    pub limit_micros: u64,
    /// A shadow cap is counted and reported but never denies.
    #[serde(default)]
    pub shadow: bool,
}

impl From<&ResolvedBudget> for Cap {
    fn from(b: &ResolvedBudget) -> Cap {
        Cap {
            rule: b.rule.clone(),
            subject: b.subject.clone(),
            window: b.window,
            limit_micros: b.limit_micros,
            shadow: b.shadow,
        }
    }
}

/// Who spends and on what; stored with the reservation and copied into the spend record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendMeta {
    pub user: String,
    pub workspace: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// The model requested.
    #[serde(default)]
    pub model: String,
}

/// A request for a reservation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReserveRequest {
    pub caps: Vec<Cap>,
    /// The amount held on every cap: the upper bound of the request's cost.
    pub amount_micros: u64,
    /// The estimate kept beside the reservation (often equal to it).
    pub estimate_micros: u64,
    /// How long the hold lasts unless settled or renewed.
    pub lease_ms: u64,
    pub meta: SpendMeta,
}

/// A cap's state at the moment of a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CapStatus {
    pub rule: String,
    pub subject: String,
    pub window: &'static str,
    /// The period the counter is filed under (`2026-11`).
    pub period: String,
    pub limit_micros: u64,
    pub spent_micros: u64,
    /// Held by unexpired reservations (before this one).
    pub reserved_micros: u64,
    /// When the window starts over (RFC 3339 UTC); `None` for `total`.
    pub resets_at: Option<String>,
    pub shadow: bool,
}

/// A cap that the reservation would take past its limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BudgetDenial {
    pub cap: CapStatus,
    pub requested_micros: u64,
    /// One line naming the cap, its limit, what is spent and reserved, and when it resets.
    pub message: String,
}

/// The answer to a reservation request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReserveOutcome {
    pub reserved: bool,
    /// The reservation's id (set when reserved), to settle or renew it with.
    pub id: Option<String>,
    pub amount_micros: u64,
    pub expires_at_ms: Option<i64>,
    /// Enforced caps that deny (empty when reserved).
    pub denials: Vec<BudgetDenial>,
    /// Shadow caps that would have denied.
    pub shadow: Vec<BudgetDenial>,
    /// Every cap's state before this reservation.
    pub caps: Vec<CapStatus>,
}

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Completed,
    Streamed,
    Cancelled,
    TimedOut,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Streamed => "streamed",
            Outcome::Cancelled => "cancelled",
            Outcome::TimedOut => "timed_out",
            Outcome::Failed => "failed",
        }
    }

    pub fn parse(name: &str) -> Option<Outcome> {
        Some(match name {
            "completed" => Outcome::Completed,
            "streamed" => Outcome::Streamed,
            "cancelled" => Outcome::Cancelled,
            "timed_out" => Outcome::TimedOut,
            "failed" => Outcome::Failed,
            _ => return None,
        })
    }
}

/// What is known when a request ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub outcome: Outcome,
    /// The actual cost; `None` when unknown at this moment (cancelled before usage arrived): the
    /// reservation is charged and the record says `actual_known: false` until reconciled.
    pub actual_micros: Option<u64>,
    /// The served provider's slug and model, when known.
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub prompt_tokens: Option<u64>,
    #[serde(default)]
    pub completion_tokens: Option<u64>,
}

/// One settled request: what reports add up. Estimate, reservation and actual side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendRecord {
    pub id: String,
    /// Settlement time, Unix ms.
    pub at_ms: i64,
    pub user: String,
    pub workspace: String,
    pub groups: Vec<String>,
    pub tags: BTreeMap<String, String>,
    /// Served provider slug (`unknown` when nothing was served).
    pub provider: String,
    /// Served model, else the requested one.
    pub model: String,
    pub outcome: Outcome,
    pub estimate_micros: u64,
    pub reserved_micros: u64,
    /// What was charged to the caps: the actual cost, or the reservation when unknown.
    pub charged_micros: u64,
    pub actual_known: bool,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// The backing store of budgets. Every method is one atomic step of the store.
pub trait Ledger: Send + Sync {
    /// Holds `request.amount_micros` on every cap, or on none when an enforced cap would pass its
    /// limit. `now_ms` is the time the windows and leases are read at.
    fn reserve(&self, request: &ReserveRequest, now_ms: i64) -> Result<ReserveOutcome>;
    /// Releases the reservation's holds and charges the actual cost (or the reservation when the
    /// cost is unknown) to the periods the reservation was filed under. Exactly once per id.
    fn settle(&self, id: &str, settlement: &Settlement, now_ms: i64) -> Result<SpendRecord>;
    /// Moves a reservation's lease expiry to `now_ms + lease_ms` (long streams).
    fn renew(&self, id: &str, lease_ms: u64, now_ms: i64) -> Result<()>;
    /// Spend records settled in `[since_ms, until_ms)`.
    fn records(&self, since_ms: Option<i64>, until_ms: Option<i64>) -> Result<Vec<SpendRecord>>;
    /// The caps' current state, as a reservation would see it.
    fn status(&self, caps: &[Cap], now_ms: i64) -> Result<Vec<CapStatus>>;
    /// The backend's name: `memory`, `sqlite`, `postgres`.
    fn backend(&self) -> &'static str;
}

/// Opens the ledger a URL names: `memory:`, `sqlite:PATH` (or `sqlite://PATH`), or
/// `postgres://user@host:port/db` (also `postgresql://`).
pub fn open(url: &str) -> Result<Box<dyn Ledger>> {
    if url == "memory:" || url == "memory" {
        return Ok(Box::new(MemoryLedger::default()));
    }
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        #[cfg(feature = "sqlite")]
        return super::sqlite::SqliteLedger::open(std::path::Path::new(path));
        #[cfg(not(feature = "sqlite"))]
        {
            let _ = path;
            return Err(Error::new(
                ErrorCode::InvalidLedgerUrl,
                "this build has no SQLite ledger (cargo feature `sqlite`)",
            ));
        }
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        #[cfg(feature = "postgres")]
        return super::postgres::PostgresLedger::open(url);
        #[cfg(not(feature = "postgres"))]
        return Err(Error::new(
            ErrorCode::InvalidLedgerUrl,
            "this build has no PostgreSQL ledger (cargo feature `postgres`)",
        ));
    }
    Err(Error::new(
        ErrorCode::InvalidLedgerUrl,
        format!(
            "`{}` is not a ledger URL (memory:, sqlite:PATH, postgres://...)",
            redact_url(url)
        ),
    ))
}

/// A URL with its password replaced, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A cap with its period at `now_ms` and the counter's current sums.
pub(crate) struct CapState<'a> {
    pub cap: &'a Cap,
    pub period: Period,
    pub spent: u64,
    pub reserved: u64,
}

impl CapState<'_> {
    fn status(&self) -> CapStatus {
        CapStatus {
            rule: self.cap.rule.clone(),
            subject: self.cap.subject.clone(),
            window: window_name(self.cap.window),
            period: self.period.key.clone(),
            limit_micros: self.cap.limit_micros,
            spent_micros: self.spent,
            reserved_micros: self.reserved,
            resets_at: self.period.end_ms.map(rfc3339),
            shadow: self.cap.shadow,
        }
    }
}

/// The counters a reservation touches, in a fixed order (subject, period) so that backends that
/// lock rows lock them in the same order and never deadlock. Two caps on one counter (the same
/// subject and window from two levels) share it.
pub(crate) fn counters(caps: &[Cap], now_ms: i64) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = caps
        .iter()
        .map(|c| (c.subject.clone(), period(c.window, now_ms).key))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The decision over the caps' states: pure, shared by every backend.
pub(crate) fn decide(
    states: &[CapState<'_>],
    amount: u64,
) -> (Vec<BudgetDenial>, Vec<BudgetDenial>, Vec<CapStatus>) {
    let mut denials = Vec::new();
    let mut shadow = Vec::new();
    for s in states {
        let after = s.spent.saturating_add(s.reserved).saturating_add(amount);
        if after <= s.cap.limit_micros {
            continue;
        }
        let status = s.status();
        let message = format!(
            "{} cap `{}` on {} ({} {}): limit {}, spent {}, reserved {}, this request needs up to {}; {}",
            if s.cap.shadow { "shadow" } else { "budget" },
            s.cap.rule,
            s.cap.subject,
            status.window,
            status.period,
            usd(s.cap.limit_micros),
            usd(s.spent),
            usd(s.reserved),
            usd(amount),
            match &status.resets_at {
                Some(at) => format!("resets at {at}"),
                None => "never resets".to_string(),
            }
        );
        let denial = BudgetDenial {
            cap: status,
            requested_micros: amount,
            message,
        };
        if s.cap.shadow {
            shadow.push(denial);
        } else {
            denials.push(denial);
        }
    }
    (
        denials,
        shadow,
        states.iter().map(CapState::status).collect(),
    )
}

/// `$1.234567` from micro-dollars.
pub fn usd(micros: u64) -> String {
    format!("${}.{:06}", micros / 1_000_000, micros % 1_000_000)
}

/// A reservation id unique across processes and machines: time, process, a counter and 64
/// random bits from the standard library's per-process hash keys.
pub(crate) fn new_id(now_ms: i64) -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    h.write_i64(now_ms);
    format!(
        "rsv_{:x}_{:x}_{:x}_{:016x}",
        now_ms,
        std::process::id(),
        n,
        h.finish()
    )
}

/// The spend record of a settlement.
pub(crate) fn record(
    id: &str,
    meta: &SpendMeta,
    estimate: u64,
    reserved: u64,
    settlement: &Settlement,
    now_ms: i64,
) -> SpendRecord {
    SpendRecord {
        id: id.to_string(),
        at_ms: now_ms,
        user: meta.user.clone(),
        workspace: meta.workspace.clone(),
        groups: meta.groups.clone(),
        tags: meta.tags.clone(),
        provider: settlement
            .provider
            .clone()
            .unwrap_or_else(|| "unknown".to_string()),
        model: settlement
            .model
            .clone()
            .unwrap_or_else(|| meta.model.clone()),
        outcome: settlement.outcome,
        estimate_micros: estimate,
        reserved_micros: reserved,
        charged_micros: settlement.actual_micros.unwrap_or(reserved),
        actual_known: settlement.actual_micros.is_some(),
        prompt_tokens: settlement.prompt_tokens.unwrap_or(0),
        completion_tokens: settlement.completion_tokens.unwrap_or(0),
    }
}

pub(crate) fn unknown_reservation(id: &str) -> Error {
    Error::new(
        ErrorCode::UnknownReservation,
        format!("no reservation `{id}` in this ledger"),
    )
}

pub(crate) fn already_settled(id: &str) -> Error {
    Error::new(
        ErrorCode::AlreadySettled,
        format!("reservation `{id}` is already settled"),
    )
}

/// One process's ledger, in memory: the fastest, and gone with the process. It keeps every
/// reservation and record for the process's life (reports read them).
#[derive(Default)]
pub struct MemoryLedger {
    state: Mutex<MemoryState>,
}

#[derive(Default)]
struct MemoryState {
    counters: HashMap<(String, String), Counter>,
    reservations: HashMap<String, Held>,
    records: Vec<SpendRecord>,
}

/// A counter's spend and its holds by reservation id: (amount, lease expiry).
#[derive(Default)]
struct Counter {
    spent: u64,
    holds: HashMap<String, (u64, i64)>,
}

struct Held {
    counters: Vec<(String, String)>,
    amount: u64,
    estimate: u64,
    meta: SpendMeta,
    settled: bool,
}

impl MemoryState {
    fn states<'a>(&mut self, caps: &'a [Cap], now_ms: i64) -> Vec<CapState<'a>> {
        caps.iter()
            .map(|cap| {
                let period = period(cap.window, now_ms);
                let (spent, reserved) = match self
                    .counters
                    .get_mut(&(cap.subject.clone(), period.key.clone()))
                {
                    Some(counter) => {
                        // A lapsed lease stops counting for good.
                        counter.holds.retain(|_, (_, expires)| *expires > now_ms);
                        (counter.spent, counter.holds.values().map(|(a, _)| a).sum())
                    }
                    None => (0, 0),
                };
                CapState {
                    cap,
                    period,
                    spent,
                    reserved,
                }
            })
            .collect()
    }
}

impl MemoryLedger {
    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Ledger for MemoryLedger {
    fn reserve(&self, request: &ReserveRequest, now_ms: i64) -> Result<ReserveOutcome> {
        let mut state = self.lock();
        let states = state.states(&request.caps, now_ms);
        let (denials, shadow, caps) = decide(&states, request.amount_micros);
        if !denials.is_empty() {
            return Ok(outcome(request, None, denials, shadow, caps));
        }
        let id = new_id(now_ms);
        let expires_at_ms = now_ms.saturating_add(request.lease_ms as i64);
        let keys = counters(&request.caps, now_ms);
        for key in &keys {
            state
                .counters
                .entry(key.clone())
                .or_default()
                .holds
                .insert(id.clone(), (request.amount_micros, expires_at_ms));
        }
        state.reservations.insert(
            id.clone(),
            Held {
                counters: keys,
                amount: request.amount_micros,
                estimate: request.estimate_micros,
                meta: request.meta.clone(),
                settled: false,
            },
        );
        Ok(outcome(
            request,
            Some((id, expires_at_ms)),
            Vec::new(),
            shadow,
            caps,
        ))
    }

    fn settle(&self, id: &str, settlement: &Settlement, now_ms: i64) -> Result<SpendRecord> {
        let mut state = self.lock();
        let state = &mut *state;
        let held = state
            .reservations
            .get_mut(id)
            .ok_or_else(|| unknown_reservation(id))?;
        if held.settled {
            return Err(already_settled(id));
        }
        held.settled = true;
        let record = record(
            id,
            &held.meta,
            held.estimate,
            held.amount,
            settlement,
            now_ms,
        );
        for key in &held.counters {
            let counter = state.counters.entry(key.clone()).or_default();
            counter.holds.remove(id);
            counter.spent = counter.spent.saturating_add(record.charged_micros);
        }
        state.records.push(record.clone());
        Ok(record)
    }

    fn renew(&self, id: &str, lease_ms: u64, now_ms: i64) -> Result<()> {
        let mut state = self.lock();
        let state = &mut *state;
        let held = state
            .reservations
            .get(id)
            .ok_or_else(|| unknown_reservation(id))?;
        if held.settled {
            return Err(already_settled(id));
        }
        let expires = now_ms.saturating_add(lease_ms as i64);
        for key in &held.counters {
            if let Some(hold) = state
                .counters
                .get_mut(key)
                .and_then(|c| c.holds.get_mut(id))
            {
                hold.1 = expires;
            }
        }
        Ok(())
    }

    fn records(&self, since_ms: Option<i64>, until_ms: Option<i64>) -> Result<Vec<SpendRecord>> {
        Ok(self
            .lock()
            .records
            .iter()
            .filter(|r| in_range(r.at_ms, since_ms, until_ms))
            .cloned()
            .collect())
    }

    fn status(&self, caps: &[Cap], now_ms: i64) -> Result<Vec<CapStatus>> {
        let mut state = self.lock();
        Ok(state
            .states(caps, now_ms)
            .iter()
            .map(CapState::status)
            .collect())
    }

    fn backend(&self) -> &'static str {
        "memory"
    }
}

pub(crate) fn in_range(at_ms: i64, since_ms: Option<i64>, until_ms: Option<i64>) -> bool {
    since_ms.is_none_or(|s| at_ms >= s) && until_ms.is_none_or(|u| at_ms < u)
}

/// The answer to a reservation request: held (`Some((id, lease expiry))`) or refused by
/// `denials`.
pub(crate) fn outcome(
    request: &ReserveRequest,
    held: Option<(String, i64)>,
    denials: Vec<BudgetDenial>,
    shadow: Vec<BudgetDenial>,
    caps: Vec<CapStatus>,
) -> ReserveOutcome {
    let (id, expires_at_ms) = held.unzip();
    ReserveOutcome {
        reserved: id.is_some(),
        id,
        amount_micros: request.amount_micros,
        expires_at_ms,
        denials,
        shadow,
        caps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn cap(limit: u64) -> Cap {
        Cap {
            rule: "defaults.budgets[0]".to_string(),
            subject: "workspace:eu".to_string(),
            window: Window::Total,
            limit_micros: limit,
            shadow: false,
        }
    }

    fn ask(ledger: &dyn Ledger, amount: u64, now: i64) -> ReserveOutcome {
        ledger
            .reserve(
                &ReserveRequest {
                    caps: vec![cap(1_000_000)],
                    amount_micros: amount,
                    estimate_micros: amount,
                    lease_ms: 60_000,
                    meta: SpendMeta::default(),
                },
                now,
            )
            .unwrap()
    }

    #[test]
    fn sixteen_threads_never_pass_a_memory_cap() {
        let ledger: Arc<dyn Ledger> = Arc::new(MemoryLedger::default());
        let admitted: Vec<u64> = (0..16)
            .map(|_| {
                let ledger = ledger.clone();
                std::thread::spawn(move || {
                    let mut n = 0;
                    for _ in 0..20 {
                        if let Some(id) = ask(&*ledger, 70_000, 0).id {
                            n += 1;
                            let done = Settlement {
                                outcome: Outcome::Completed,
                                actual_micros: Some(70_000),
                                provider: None,
                                model: None,
                                prompt_tokens: None,
                                completion_tokens: None,
                            };
                            ledger.settle(&id, &done, 0).unwrap();
                        }
                    }
                    n
                })
            })
            .map(|t| t.join().unwrap())
            .collect();
        assert_eq!(admitted.iter().sum::<u64>(), 14);
        assert_eq!(
            ledger.status(&[cap(1_000_000)], 0).unwrap()[0].spent_micros,
            980_000
        );
    }

    #[test]
    fn a_denial_names_the_cap_its_numbers_and_the_reset() {
        let ledger = MemoryLedger::default();
        let capped = Cap {
            window: Window::Monthly,
            ..cap(1_000_000)
        };
        let out = ledger
            .reserve(
                &ReserveRequest {
                    caps: vec![capped],
                    amount_micros: 1_500_000,
                    estimate_micros: 1_500_000,
                    lease_ms: 1,
                    meta: SpendMeta::default(),
                },
                1_795_521_600_000,
            )
            .unwrap();
        assert!(!out.reserved);
        assert_eq!(
            out.denials[0].message,
            "budget cap `defaults.budgets[0]` on workspace:eu (monthly 2026-11): limit $1.000000, spent $0.000000, reserved $0.000000, this request needs up to $1.500000; resets at 2026-12-01T00:00:00.000Z"
        );
    }

    #[test]
    fn urls_are_checked_and_passwords_never_echoed() {
        let err = open("mysql://u:hunter2@db/x").err().unwrap();
        assert_eq!(err.code(), ErrorCode::InvalidLedgerUrl);
        assert!(!err.message().contains("hunter2"), "{}", err.message());
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/rg"),
            "postgres://app:***@db:5432/rg"
        );
        assert_eq!(open("memory:").unwrap().backend(), "memory");
    }
}
