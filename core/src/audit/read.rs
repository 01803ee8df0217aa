//! Reading logs back: a JSON Lines file, a directory of them (each writer's files in order), or a
//! PostgreSQL table (`postgres://...`, feature `postgres`), as lines for `verify` and records for
//! `export`, `tail` and `search`.

use std::io::{BufRead, BufReader};
use std::path::Path;

use super::record::AuditRecord;
use super::verify::Line;
use crate::error::{Error, ErrorCode, Result};

fn unreadable(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::AuditUnreadable, format!("{what}: {e}"))
}

/// Every line of the log at `location`: a file, a directory (its `*.jsonl` files sorted by name,
/// which keeps each writer's rotated files in order) or a PostgreSQL URL.
pub fn read_lines(location: &str) -> Result<Vec<Line>> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        return read_postgres(location);
    }
    let path = Path::new(location);
    let meta = std::fs::metadata(path).map_err(|e| unreadable(location, e))?;
    if !meta.is_dir() {
        return read_file(path);
    }
    let mut files: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| unreadable(location, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut lines = Vec::new();
    for file in files {
        lines.extend(read_file(&file)?);
    }
    Ok(lines)
}

fn read_file(path: &Path) -> Result<Vec<Line>> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| unreadable(&shown, e))?;
    let mut reader = BufReader::new(file);
    let mut lines = Vec::new();
    let mut number = 0;
    loop {
        let mut bytes = Vec::new();
        let n = reader
            .read_until(b'\n', &mut bytes)
            .map_err(|e| unreadable(&shown, e))?;
        if n == 0 {
            break;
        }
        number += 1;
        let terminated = bytes.last() == Some(&b'\n');
        if terminated {
            bytes.pop();
        }
        lines.push(Line {
            source: shown.clone(),
            number,
            bytes,
            terminated,
        });
    }
    Ok(lines)
}

#[cfg(feature = "postgres")]
fn read_postgres(url: &str) -> Result<Vec<Line>> {
    super::sink_pg::read_lines(url)
}

#[cfg(not(feature = "postgres"))]
fn read_postgres(_url: &str) -> Result<Vec<Line>> {
    Err(Error::new(
        ErrorCode::AuditUnreadable,
        "this build has no PostgreSQL support (cargo feature `postgres`)",
    ))
}

/// The records of a log, skipping lines that are not records (verify reports those).
pub fn read_records(location: &str) -> Result<Vec<AuditRecord>> {
    Ok(read_lines(location)?
        .iter()
        .filter(|l| l.terminated)
        .filter_map(|l| serde_json::from_slice(&l.bytes).ok())
        .collect())
}
