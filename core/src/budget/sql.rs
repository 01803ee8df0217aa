//! The ledger over SQL, written once for SQLite and PostgreSQL: the schema, the statements and
//! the transactions. A backend supplies connections (`Conn`): how to run a statement, how to
//! begin a transaction that serialises writers of the same counters, and its row-lock clause.
//!
//! Statements are written with `$1` placeholders (SQLite reads them as `?1`) and portable types.

use std::sync::Mutex;

use super::ledger::{
    already_settled, counters, decide, in_range, new_id, outcome, record, unknown_reservation,
    CapState, CapStatus, Ledger, Outcome, ReserveOutcome, ReserveRequest, Settlement, SpendMeta,
    SpendRecord,
};
use super::window::period;
use crate::error::{Error, ErrorCode, Result};

/// A statement argument.
pub(crate) enum Arg<'a> {
    Text(&'a str),
    Int(i64),
}

/// A result cell.
#[derive(Clone, Debug)]
pub(crate) enum Cell {
    Text(String),
    Int(i64),
    Null,
}

impl Cell {
    fn int(&self) -> i64 {
        match self {
            Cell::Int(v) => *v,
            _ => 0,
        }
    }

    fn text(&self) -> String {
        match self {
            Cell::Text(v) => v.clone(),
            Cell::Int(v) => v.to_string(),
            Cell::Null => String::new(),
        }
    }
}

/// One connection to a SQL store.
pub(crate) trait Conn: Send {
    fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64>;
    fn rows(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Vec<Cell>>>;
    /// Begins a transaction in which reading a counter with [`Conn::FOR_UPDATE`] keeps every
    /// other writer of it waiting until commit.
    fn begin(&mut self) -> Result<()>;
    fn commit(&mut self) -> Result<()>;
    fn rollback(&mut self);
    /// Inside a transaction, waits until no other process is creating the schema: concurrent
    /// `CREATE TABLE IF NOT EXISTS` can fail on PostgreSQL when many workers start at once.
    fn lock_schema(&mut self) -> Result<()>;
    /// The clause that locks the rows a `SELECT` reads (empty where `begin` already locks).
    const FOR_UPDATE: &'static str;
}

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS rg_spent (
    subject TEXT NOT NULL,
    period TEXT NOT NULL,
    spent BIGINT NOT NULL,
    PRIMARY KEY (subject, period)
);
CREATE TABLE IF NOT EXISTS rg_reservations (
    id TEXT PRIMARY KEY,
    amount BIGINT NOT NULL,
    estimate BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    counters TEXT NOT NULL,
    meta TEXT NOT NULL,
    settled BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rg_holds (
    subject TEXT NOT NULL,
    period TEXT NOT NULL,
    reservation_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (subject, period, reservation_id)
);
CREATE INDEX IF NOT EXISTS rg_holds_by_reservation ON rg_holds (reservation_id);
CREATE TABLE IF NOT EXISTS rg_records (
    id TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    workspace TEXT NOT NULL,
    groups_json TEXT NOT NULL,
    tags_json TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    outcome TEXT NOT NULL,
    estimate BIGINT NOT NULL,
    reserved BIGINT NOT NULL,
    charged BIGINT NOT NULL,
    actual_known BIGINT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS rg_records_at ON rg_records (at_ms);
";

/// Stored amounts are BIGINT; micro-dollars past `i64::MAX` ($9.2 trillion) are clamped.
fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn uint(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A ledger over a pool of connections to one SQL store.
pub(crate) struct SqlLedger<C: Conn> {
    pool: Mutex<Vec<C>>,
    connect: Box<dyn Fn() -> Result<C> + Send + Sync>,
    name: &'static str,
}

/// Connections kept open for reuse; more are opened while callers wait on none.
const POOL_KEEP: usize = 16;

impl<C: Conn> SqlLedger<C> {
    /// Connects once (so a bad URL or path fails here) and creates the schema.
    pub(crate) fn new(
        name: &'static str,
        connect: Box<dyn Fn() -> Result<C> + Send + Sync>,
    ) -> Result<SqlLedger<C>> {
        let mut conn = connect()?;
        conn.begin()?;
        let created = conn.lock_schema().and_then(|()| {
            for statement in SCHEMA.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                conn.exec(statement, &[])?;
            }
            conn.commit()
        });
        if created.is_err() {
            conn.rollback();
        }
        created?;
        Ok(SqlLedger {
            pool: Mutex::new(vec![conn]),
            connect,
            name,
        })
    }

    /// Runs `f` in one transaction on a pooled connection; rolls back when it fails.
    fn transaction<T>(&self, f: impl FnOnce(&mut C) -> Result<T>) -> Result<T> {
        let taken = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut conn = match taken {
            Some(conn) => conn,
            None => (self.connect)()?,
        };
        conn.begin()?;
        let result = f(&mut conn).and_then(|value| conn.commit().map(|()| value));
        if result.is_err() {
            conn.rollback();
        }
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < POOL_KEEP {
            pool.push(conn);
        }
        result
    }
}

/// Spend and unexpired holds of one counter; locks the counter's row where the store can.
fn counter_state<C: Conn>(
    conn: &mut C,
    subject: &str,
    period: &str,
    now_ms: i64,
) -> Result<(u64, u64)> {
    let spent = conn
        .rows(
            &format!(
                "SELECT spent FROM rg_spent WHERE subject = $1 AND period = $2{}",
                C::FOR_UPDATE
            ),
            &[Arg::Text(subject), Arg::Text(period)],
        )?
        .first()
        .map_or(0, |row| uint(row[0].int()));
    // Lapsed holds never count again; deleting them keeps the sum short.
    conn.exec(
        "DELETE FROM rg_holds WHERE subject = $1 AND period = $2 AND expires_at <= $3",
        &[Arg::Text(subject), Arg::Text(period), Arg::Int(now_ms)],
    )?;
    let reserved = conn
        .rows(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM rg_holds WHERE subject = $1 AND period = $2",
            &[Arg::Text(subject), Arg::Text(period)],
        )?
        .first()
        .map_or(0, |row| uint(row[0].int()));
    Ok((spent, reserved))
}

/// Makes sure every counter has a row to lock, in key order (no deadlocks between writers).
fn lock_counters<C: Conn>(conn: &mut C, keys: &[(String, String)]) -> Result<()> {
    for (subject, period) in keys {
        conn.exec(
            "INSERT INTO rg_spent (subject, period, spent) VALUES ($1, $2, 0) ON CONFLICT (subject, period) DO NOTHING",
            &[Arg::Text(subject), Arg::Text(period)],
        )?;
        conn.rows(
            &format!(
                "SELECT spent FROM rg_spent WHERE subject = $1 AND period = $2{}",
                C::FOR_UPDATE
            ),
            &[Arg::Text(subject), Arg::Text(period)],
        )?;
    }
    Ok(())
}

fn states<'a, C: Conn>(
    conn: &mut C,
    caps: &'a [super::ledger::Cap],
    now_ms: i64,
) -> Result<Vec<CapState<'a>>> {
    caps.iter()
        .map(|cap| {
            let period = period(cap.window, now_ms);
            let (spent, reserved) = counter_state(conn, &cap.subject, &period.key, now_ms)?;
            Ok(CapState {
                cap,
                period,
                spent,
                reserved,
            })
        })
        .collect()
}

fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("ledger values serialise")
}

fn corrupt(what: &str) -> Error {
    Error::new(
        ErrorCode::LedgerUnavailable,
        format!("the ledger's {what} is not readable (written by another program?)"),
    )
}

impl<C: Conn + 'static> Ledger for SqlLedger<C> {
    fn reserve(&self, request: &ReserveRequest, now_ms: i64) -> Result<ReserveOutcome> {
        let keys = counters(&request.caps, now_ms);
        self.transaction(|conn| {
            lock_counters(conn, &keys)?;
            let states = states(conn, &request.caps, now_ms)?;
            let (denials, shadow, caps) = decide(&states, request.amount_micros);
            if !denials.is_empty() {
                return Ok(outcome(request, None, denials, shadow, caps));
            }
            let id = new_id(now_ms);
            let expires_at_ms = now_ms.saturating_add(int(request.lease_ms));
            conn.exec(
                "INSERT INTO rg_reservations (id, amount, estimate, created_at, counters, meta, settled) VALUES ($1, $2, $3, $4, $5, $6, 0)",
                &[
                    Arg::Text(&id),
                    Arg::Int(int(request.amount_micros)),
                    Arg::Int(int(request.estimate_micros)),
                    Arg::Int(now_ms),
                    Arg::Text(&json_text(&keys)),
                    Arg::Text(&json_text(&request.meta)),
                ],
            )?;
            for (subject, period) in &keys {
                conn.exec(
                    "INSERT INTO rg_holds (subject, period, reservation_id, amount, expires_at) VALUES ($1, $2, $3, $4, $5)",
                    &[
                        Arg::Text(subject),
                        Arg::Text(period),
                        Arg::Text(&id),
                        Arg::Int(int(request.amount_micros)),
                        Arg::Int(expires_at_ms),
                    ],
                )?;
            }
            Ok(outcome(
                request,
                Some((id, expires_at_ms)),
                Vec::new(),
                shadow,
                caps,
            ))
        })
    }

    fn settle(&self, id: &str, settlement: &Settlement, now_ms: i64) -> Result<SpendRecord> {
        self.transaction(|conn| {
            let row = conn
                .rows(
                    &format!(
                        "SELECT amount, estimate, counters, meta, settled FROM rg_reservations WHERE id = $1{}",
                        C::FOR_UPDATE
                    ),
                    &[Arg::Text(id)],
                )?
                .into_iter()
                .next()
                .ok_or_else(|| unknown_reservation(id))?;
            if row[4].int() != 0 {
                return Err(already_settled(id));
            }
            let keys: Vec<(String, String)> =
                serde_json::from_str(&row[2].text()).map_err(|_| corrupt("reservation"))?;
            let meta: SpendMeta =
                serde_json::from_str(&row[3].text()).map_err(|_| corrupt("reservation"))?;
            let record = record(
                id,
                &meta,
                uint(row[1].int()),
                uint(row[0].int()),
                settlement,
                now_ms,
            );
            lock_counters(conn, &keys)?;
            conn.exec(
                "UPDATE rg_reservations SET settled = 1 WHERE id = $1",
                &[Arg::Text(id)],
            )?;
            conn.exec(
                "DELETE FROM rg_holds WHERE reservation_id = $1",
                &[Arg::Text(id)],
            )?;
            for (subject, period) in &keys {
                conn.exec(
                    "UPDATE rg_spent SET spent = spent + $3 WHERE subject = $1 AND period = $2",
                    &[
                        Arg::Text(subject),
                        Arg::Text(period),
                        Arg::Int(int(record.charged_micros)),
                    ],
                )?;
            }
            conn.exec(
                "INSERT INTO rg_records (id, at_ms, user_id, workspace, groups_json, tags_json, provider, model, outcome, estimate, reserved, charged, actual_known, prompt_tokens, completion_tokens) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                &[
                    Arg::Text(&record.id),
                    Arg::Int(record.at_ms),
                    Arg::Text(&record.user),
                    Arg::Text(&record.workspace),
                    Arg::Text(&json_text(&record.groups)),
                    Arg::Text(&json_text(&record.tags)),
                    Arg::Text(&record.provider),
                    Arg::Text(&record.model),
                    Arg::Text(record.outcome.as_str()),
                    Arg::Int(int(record.estimate_micros)),
                    Arg::Int(int(record.reserved_micros)),
                    Arg::Int(int(record.charged_micros)),
                    Arg::Int(i64::from(record.actual_known)),
                    Arg::Int(int(record.prompt_tokens)),
                    Arg::Int(int(record.completion_tokens)),
                ],
            )?;
            Ok(record)
        })
    }

    fn renew(&self, id: &str, lease_ms: u64, now_ms: i64) -> Result<()> {
        self.transaction(|conn| {
            let row = conn
                .rows(
                    "SELECT settled FROM rg_reservations WHERE id = $1",
                    &[Arg::Text(id)],
                )?
                .into_iter()
                .next()
                .ok_or_else(|| unknown_reservation(id))?;
            if row[0].int() != 0 {
                return Err(already_settled(id));
            }
            conn.exec(
                "UPDATE rg_holds SET expires_at = $2 WHERE reservation_id = $1",
                &[
                    Arg::Text(id),
                    Arg::Int(now_ms.saturating_add(int(lease_ms))),
                ],
            )?;
            Ok(())
        })
    }

    fn records(&self, since_ms: Option<i64>, until_ms: Option<i64>) -> Result<Vec<SpendRecord>> {
        let rows = self.transaction(|conn| {
            conn.rows(
                "SELECT id, at_ms, user_id, workspace, groups_json, tags_json, provider, model, outcome, estimate, reserved, charged, actual_known, prompt_tokens, completion_tokens FROM rg_records WHERE at_ms >= $1 AND at_ms < $2 ORDER BY at_ms, id",
                &[
                    Arg::Int(since_ms.unwrap_or(i64::MIN)),
                    Arg::Int(until_ms.unwrap_or(i64::MAX)),
                ],
            )
        })?;
        rows.into_iter()
            .map(|r| {
                Ok(SpendRecord {
                    id: r[0].text(),
                    at_ms: r[1].int(),
                    user: r[2].text(),
                    workspace: r[3].text(),
                    groups: serde_json::from_str(&r[4].text()).map_err(|_| corrupt("record"))?,
                    tags: serde_json::from_str(&r[5].text()).map_err(|_| corrupt("record"))?,
                    provider: r[6].text(),
                    model: r[7].text(),
                    outcome: Outcome::parse(&r[8].text()).ok_or_else(|| corrupt("record"))?,
                    estimate_micros: uint(r[9].int()),
                    reserved_micros: uint(r[10].int()),
                    charged_micros: uint(r[11].int()),
                    actual_known: r[12].int() != 0,
                    prompt_tokens: uint(r[13].int()),
                    completion_tokens: uint(r[14].int()),
                })
            })
            .filter(|r| {
                r.as_ref()
                    .map_or(true, |r| in_range(r.at_ms, since_ms, until_ms))
            })
            .collect()
    }

    fn status(&self, caps: &[super::ledger::Cap], now_ms: i64) -> Result<Vec<CapStatus>> {
        self.transaction(|conn| {
            let states = states(conn, caps, now_ms)?;
            Ok(decide(&states, 0).2)
        })
    }

    fn backend(&self) -> &'static str {
        self.name
    }
}

/// The error for a store that failed: the backend's message names the operation, never data.
pub(crate) fn unavailable(backend: &str, what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::LedgerUnavailable,
        format!("{backend} ledger: {what}"),
    )
}
