//! Where sealed records go: JSON Lines files (rotation, fsync policy), a callback into the host
//! language, memory (tests, bindings) and PostgreSQL (`sink_pg.rs`). Sinks only store lines: the
//! trail decides what they hold and when a file is sealed and rotated.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Fsync;

/// A store of record lines. `append` is all or nothing: a failed append leaves no partial line.
pub trait AuditSink: Send {
    fn append(&mut self, line: &str, now_ms: i64) -> Result<()>;
    /// Whether the next record should open a new file; the trail seals the old one first.
    fn should_rotate(&self, _next_len: usize, _now_ms: i64) -> bool {
        false
    }
    fn rotate(&mut self) -> Result<()> {
        Ok(())
    }
    /// Makes what was appended durable (fsync).
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
    /// For messages: `jsonl:DIR`, `postgres`, `callback`, `memory`.
    fn describe(&self) -> String;
}

pub(crate) fn unavailable(sink: &str, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::AuditUnavailable,
        format!("audit sink {sink}: {e}"),
    )
}

/// When a JSON Lines sink starts a new file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rotation {
    pub max_bytes: Option<u64>,
    pub daily: bool,
}

const DAY_MS: i64 = 86_400_000;

/// JSON Lines files in a directory, one series per writer: `WRITER.00000.jsonl`, `.00001`, ...
/// A writer owns its files, so processes sharing a directory never interleave or race on rotation.
pub struct JsonlSink {
    dir: PathBuf,
    writer: String,
    rotation: Rotation,
    fsync: Fsync,
    file: Option<File>,
    index: u32,
    bytes: u64,
    day: i64,
    last_sync_ms: i64,
    unsynced: bool,
}

impl JsonlSink {
    pub fn new(dir: &Path, writer: &str, rotation: Rotation, fsync: Fsync) -> JsonlSink {
        JsonlSink {
            dir: dir.to_path_buf(),
            writer: writer.to_string(),
            rotation,
            fsync,
            file: None,
            index: 0,
            bytes: 0,
            day: 0,
            last_sync_ms: 0,
            unsynced: false,
        }
    }

    /// The file being written, once one is open.
    pub fn current_path(&self) -> Option<PathBuf> {
        self.file.as_ref().map(|_| self.path_of(self.index))
    }

    fn path_of(&self, index: u32) -> PathBuf {
        self.dir.join(format!("{}.{index:05}.jsonl", self.writer))
    }

    fn fail(&self, e: impl std::fmt::Display) -> Error {
        unavailable(&format!("jsonl:{}", self.dir.display()), e)
    }

    /// Opens the next file that does not exist yet: never appends to another run's file.
    fn open_next(&mut self, now_ms: i64) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| self.fail(e))?;
        loop {
            let path = self.path_of(self.index);
            match OpenOptions::new().append(true).create_new(true).open(&path) {
                Ok(file) => {
                    self.file = Some(file);
                    self.bytes = 0;
                    self.day = now_ms.div_euclid(DAY_MS);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => self.index += 1,
                Err(e) => return Err(self.fail(e)),
            }
        }
    }
}

impl AuditSink for JsonlSink {
    fn append(&mut self, line: &str, now_ms: i64) -> Result<()> {
        if self.file.is_none() {
            self.open_next(now_ms)?;
        }
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        let start = self.bytes;
        let file = self.file.as_mut().expect("opened above");
        if let Err(e) = file.write_all(&buf) {
            // A torn line in the middle of a file would read as tampering: cut it off.
            let _ = file.set_len(start);
            return Err(self.fail(e));
        }
        self.bytes += buf.len() as u64;
        self.unsynced = true;
        let due = match self.fsync {
            Fsync::Every => true,
            Fsync::Never => false,
            Fsync::IntervalMs(ms) => now_ms.saturating_sub(self.last_sync_ms) >= ms as i64,
        };
        if due {
            self.flush()?;
            self.last_sync_ms = now_ms;
        }
        Ok(())
    }

    fn should_rotate(&self, next_len: usize, now_ms: i64) -> bool {
        self.file.is_some()
            && ((self.rotation.daily && now_ms.div_euclid(DAY_MS) != self.day)
                || self
                    .rotation
                    .max_bytes
                    .is_some_and(|max| self.bytes > 0 && self.bytes + next_len as u64 + 1 > max))
    }

    fn rotate(&mut self) -> Result<()> {
        self.flush()?;
        self.file = None;
        self.index += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if let (true, Some(file)) = (self.unsynced, self.file.as_ref()) {
            if self.fsync != Fsync::Never {
                file.sync_data().map_err(|e| self.fail(e))?;
            }
            self.unsynced = false;
        }
        Ok(())
    }

    fn describe(&self) -> String {
        format!("jsonl:{}", self.dir.display())
    }
}

/// Lines kept in memory, shared with whoever holds the handle (tests, bindings' `lines()`).
#[derive(Clone, Default)]
pub struct MemorySink {
    lines: Arc<Mutex<Vec<String>>>,
}

impl MemorySink {
    pub fn new() -> MemorySink {
        MemorySink::default()
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl AuditSink for MemorySink {
    fn append(&mut self, line: &str, _now_ms: i64) -> Result<()> {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(line.to_string());
        Ok(())
    }

    fn describe(&self) -> String {
        "memory".into()
    }
}

/// The host's function, called with each line. An error from it is a sink failure; its text is
/// not passed on, since a host exception may quote anything.
pub type LineCallback = Box<dyn FnMut(&str) -> std::result::Result<(), String> + Send>;

pub struct CallbackSink(pub LineCallback);

impl AuditSink for CallbackSink {
    fn append(&mut self, line: &str, _now_ms: i64) -> Result<()> {
        (self.0)(line)
            .map_err(|kind| unavailable("callback", format!("the callback failed ({kind})")))
    }

    fn describe(&self) -> String {
        "callback".into()
    }
}
