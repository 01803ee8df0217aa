//! The PostgreSQL ledger: budgets shared by machines.
//!
//! A reservation locks its counters' rows (`SELECT ... FOR UPDATE`, in key order so that two
//! writers never wait on each other in a cycle) and sums the unexpired holds under that lock.

use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls};

use super::ledger::{redact_url, Ledger};
use super::sql::{unavailable, Arg, Cell, Conn, SqlLedger};
use crate::error::Result;

pub(crate) struct PostgresConn(Client);

fn fail(e: impl std::fmt::Display) -> crate::error::Error {
    unavailable("postgres", e)
}

impl Conn for PostgresConn {
    const FOR_UPDATE: &'static str = " FOR UPDATE";

    fn exec(&mut self, sql: &str, a: &[Arg<'_>]) -> Result<u64> {
        let boxed = params(a);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        if a.is_empty() {
            // DDL goes through the simple protocol (no parameters to bind).
            return self.0.batch_execute(sql).map(|()| 0).map_err(fail);
        }
        self.0.execute(sql, &refs).map_err(fail)
    }

    fn rows(&mut self, sql: &str, a: &[Arg<'_>]) -> Result<Vec<Vec<Cell>>> {
        let boxed = params(a);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        let rows = self.0.query(sql, &refs).map_err(fail)?;
        Ok(rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| match *row.columns()[i].type_() {
                        Type::INT8 => row.get::<_, Option<i64>>(i).map_or(Cell::Null, Cell::Int),
                        Type::INT4 => row
                            .get::<_, Option<i32>>(i)
                            .map_or(Cell::Null, |v| Cell::Int(v.into())),
                        _ => row
                            .get::<_, Option<String>>(i)
                            .map_or(Cell::Null, Cell::Text),
                    })
                    .collect()
            })
            .collect())
    }

    fn begin(&mut self) -> Result<()> {
        self.0.batch_execute("BEGIN").map_err(fail)
    }

    fn commit(&mut self) -> Result<()> {
        self.0.batch_execute("COMMIT").map_err(fail)
    }

    fn rollback(&mut self) {
        let _ = self.0.batch_execute("ROLLBACK");
    }

    fn lock_schema(&mut self) -> Result<()> {
        // One fixed advisory lock key for routeguard's schema, released at commit.
        self.0
            .batch_execute("SELECT pg_advisory_xact_lock(7265716)")
            .map_err(fail)
    }
}

fn params<'a>(a: &'a [Arg<'a>]) -> Vec<Box<dyn ToSql + Sync + 'a>> {
    a.iter()
        .map(|arg| -> Box<dyn ToSql + Sync + 'a> {
            match arg {
                Arg::Text(t) => Box::new(*t),
                Arg::Int(i) => Box::new(*i),
            }
        })
        .collect()
}

/// A ledger in a PostgreSQL database; the tables are created when missing.
pub struct PostgresLedger;

impl PostgresLedger {
    pub fn open(url: &str) -> Result<Box<dyn Ledger>> {
        let url = url.to_string();
        Ok(Box::new(SqlLedger::new(
            "postgres",
            Box::new(move || {
                Client::connect(&url, NoTls)
                    .map(PostgresConn)
                    .map_err(|e| fail(format!("cannot connect to `{}`: {e}", redact_url(&url))))
            }),
        )?))
    }
}
