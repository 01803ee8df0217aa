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

/// Lines read one at a time, so that verifying or searching a large log takes constant memory.
pub type Lines = Box<dyn Iterator<Item = Result<Line>>>;

/// Every line of the log at `location`: a file, a directory (its `*.jsonl` files sorted by name,
/// which keeps each writer's rotated files in order) or a PostgreSQL URL.
pub fn read_lines(location: &str) -> Result<Lines> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        return Ok(Box::new(read_postgres(location)?.into_iter().map(Ok)));
    }
    let path = Path::new(location);
    let meta = std::fs::metadata(path).map_err(|e| unreadable(location, e))?;
    if !meta.is_dir() {
        return file_lines(path.to_path_buf());
    }
    let mut files: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| unreadable(location, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    Ok(Box::new(files.into_iter().flat_map(
        |file| match file_lines(file) {
            Ok(lines) => lines,
            Err(e) => Box::new(std::iter::once(Err(e))),
        },
    )))
}

fn file_lines(path: std::path::PathBuf) -> Result<Lines> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(&path).map_err(|e| unreadable(&shown, e))?;
    let mut reader = BufReader::new(file);
    let mut number = 0;
    Ok(Box::new(std::iter::from_fn(move || {
        let mut bytes = Vec::new();
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) => None,
            Ok(_) => {
                number += 1;
                let terminated = bytes.last() == Some(&b'\n');
                if terminated {
                    bytes.pop();
                }
                Some(Ok(Line {
                    source: shown.clone(),
                    number,
                    bytes,
                    terminated,
                }))
            }
            Err(e) => Some(Err(unreadable(&shown, e))),
        }
    })))
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
pub fn read_records(
    location: &str,
    mut keep: impl FnMut(&AuditRecord) -> bool,
) -> Result<Vec<AuditRecord>> {
    let mut records = Vec::new();
    for line in read_lines(location)? {
        let line = line?;
        if !line.terminated {
            continue;
        }
        if let Ok(record) = serde_json::from_slice::<AuditRecord>(&line.bytes) {
            if keep(&record) {
                records.push(record);
            }
        }
    }
    Ok(records)
}
