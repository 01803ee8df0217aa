//! The PostgreSQL audit sink: one row per record in `rg_audit`, in insertion order, shared by
//! every writer; `verify` reads the rows back in that order.

use postgres::{Client, NoTls};

use super::sink::{unavailable, AuditSink};
use super::verify::Line;
use crate::budget::ledger::redact_url;
use crate::error::Result;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS rg_audit (\
    id BIGSERIAL PRIMARY KEY, \
    writer TEXT NOT NULL, \
    seq BIGINT NOT NULL, \
    at_ms BIGINT NOT NULL, \
    line TEXT NOT NULL, \
    UNIQUE (writer, seq))";

/// A lock id for creating the table, so that writers starting together do not collide.
const SCHEMA_LOCK: i64 = 0x0072_6761_7564_6974;

pub struct PostgresSink {
    client: Client,
    url: String,
}

fn connect(url: &str) -> Result<Client> {
    let shown = redact_url(url);
    let mut client = Client::connect(url, NoTls).map_err(|e| unavailable(&shown, e))?;
    let mut tx = client.transaction().map_err(|e| unavailable(&shown, e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
        .map_err(|e| unavailable(&shown, e))?;
    tx.batch_execute(SCHEMA)
        .map_err(|e| unavailable(&shown, e))?;
    tx.commit().map_err(|e| unavailable(&shown, e))?;
    Ok(client)
}

impl PostgresSink {
    pub fn connect(url: &str) -> Result<PostgresSink> {
        Ok(PostgresSink {
            client: connect(url)?,
            url: redact_url(url),
        })
    }
}

impl AuditSink for PostgresSink {
    fn append(&mut self, line: &str, now_ms: i64) -> Result<()> {
        let (writer, seq) = chain_position(line);
        self.client
            .execute(
                "INSERT INTO rg_audit (writer, seq, at_ms, line) VALUES ($1, $2, $3, $4)",
                &[&writer, &seq, &now_ms, &line],
            )
            .map(|_| ())
            .map_err(|e| unavailable(&self.url, e))
    }

    fn describe(&self) -> String {
        format!("postgres:{}", self.url)
    }
}

/// The writer and seq of a sealed line, for the table's own columns.
fn chain_position(line: &str) -> (String, i64) {
    let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
    (
        value["writer"].as_str().unwrap_or_default().to_string(),
        value["seq"].as_i64().unwrap_or(-1),
    )
}

/// Every row's line, in insertion order.
pub fn read_lines(url: &str) -> Result<Vec<Line>> {
    let shown = redact_url(url);
    let unreadable = |e: postgres::Error| {
        crate::error::Error::new(
            crate::error::ErrorCode::AuditUnreadable,
            format!("{shown}: {e}"),
        )
    };
    let mut client = Client::connect(url, NoTls).map_err(unreadable)?;
    let rows = client
        .query("SELECT line FROM rg_audit ORDER BY id", &[])
        .map_err(unreadable)?;
    Ok(rows
        .iter()
        .enumerate()
        .map(|(i, row)| Line {
            source: shown.clone(),
            number: i as u64 + 1,
            bytes: row.get::<_, String>(0).into_bytes(),
            terminated: true,
        })
        .collect())
}
