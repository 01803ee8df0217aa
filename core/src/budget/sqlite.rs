//! The SQLite ledger: one file shared by the processes of one machine (the embedded default).
//!
//! Writers serialise on `BEGIN IMMEDIATE` (the database's write lock), so a reservation reads
//! and writes its counters with no other writer in between; WAL mode lets readers go on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::Connection;

use super::ledger::Ledger;
use super::sql::{unavailable, Arg, Cell, Conn, SqlLedger};
use crate::error::Result;

/// How long a writer waits for the file's write lock before the ledger reports it unavailable.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) struct SqliteConn(Connection);

fn fail(e: impl std::fmt::Display) -> crate::error::Error {
    unavailable("sqlite", e)
}

/// Rewrites `$1` placeholders to SQLite's `?1`.
fn placeholders(sql: &str) -> String {
    sql.replace('$', "?")
}

fn args<'a>(args: &'a [Arg<'a>]) -> Vec<ToSqlOutput<'a>> {
    args.iter()
        .map(|a| match a {
            Arg::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Arg::Int(i) => ToSqlOutput::Owned(SqlValue::Integer(*i)),
        })
        .collect()
}

impl Conn for SqliteConn {
    const FOR_UPDATE: &'static str = "";

    fn exec(&mut self, sql: &str, a: &[Arg<'_>]) -> Result<u64> {
        let params = args(a);
        self.0
            .prepare_cached(&placeholders(sql))
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(params.iter())))
            .map(|n| n as u64)
            .map_err(fail)
    }

    fn rows(&mut self, sql: &str, a: &[Arg<'_>]) -> Result<Vec<Vec<Cell>>> {
        let params = args(a);
        let mut statement = self.0.prepare_cached(&placeholders(sql)).map_err(fail)?;
        let columns = statement.column_count();
        let rows = statement
            .query_map(rusqlite::params_from_iter(params.iter()), |row| {
                (0..columns)
                    .map(|i| {
                        Ok(match row.get_ref(i)? {
                            ValueRef::Integer(v) => Cell::Int(v),
                            ValueRef::Text(t) => {
                                Cell::Text(String::from_utf8_lossy(t).into_owned())
                            }
                            _ => Cell::Null,
                        })
                    })
                    .collect::<rusqlite::Result<Vec<Cell>>>()
            })
            .map_err(fail)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(fail)
    }

    fn begin(&mut self) -> Result<()> {
        self.0.execute_batch("BEGIN IMMEDIATE").map_err(fail)
    }

    fn commit(&mut self) -> Result<()> {
        self.0.execute_batch("COMMIT").map_err(fail)
    }

    fn rollback(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }

    fn lock_schema(&mut self) -> Result<()> {
        Ok(()) // `BEGIN IMMEDIATE` already holds the database's write lock.
    }
}

fn connect(path: &Path) -> Result<SqliteConn> {
    let conn = Connection::open(path)
        .map_err(|e| fail(format!("cannot open `{}`: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
    // WAL lets reports read while writers reserve; NORMAL sync is durable across process
    // crashes (the case the leases are for), fsyncing at checkpoints.
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        .map_err(fail)?;
    Ok(SqliteConn(conn))
}

/// A ledger in an SQLite file, created when missing.
pub struct SqliteLedger;

impl SqliteLedger {
    pub fn open(path: &Path) -> Result<Box<dyn Ledger>> {
        let owned: PathBuf = path.to_path_buf();
        Ok(Box::new(SqlLedger::new(
            "sqlite",
            Box::new(move || connect(&owned)),
        )?))
    }
}
