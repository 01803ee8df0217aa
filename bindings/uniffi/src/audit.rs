//! The audit trail: `AuditTrail` (open, write, checkpoint, close, flush, lines) and verify.
//! Receipts and reports as JSON text.

use std::sync::Arc;

use routeguard::audit::sink::LineCallback;
use routeguard::host::{self, HostAuditTrail};

use crate::{json, Result, LANGUAGE};

/// The application's function behind a `callback` sink: called with each sealed line (without
/// its newline). Throwing is a sink failure (its message is not passed on: it may quote anything).
#[uniffi::export(with_foreign)]
pub trait LineSink: Send + Sync {
    fn write_line(&self, line: String) -> Result<()>;
}

/// A sink of the application's as the host's line callback.
pub(crate) fn line_callback(sink: Option<Arc<dyn LineSink>>) -> Option<LineCallback> {
    sink.map(|sink| -> LineCallback {
        Box::new(move |line: &str| {
            sink.write_line(line.to_string())
                .map_err(|e| e.error_code())
        })
    })
}

/// A tamper-evident audit trail. Shareable between threads.
#[derive(Debug, uniffi::Object)]
pub struct AuditTrail {
    pub(crate) inner: HostAuditTrail,
}

#[uniffi::export]
impl AuditTrail {
    /// Opens a trail from a JSON configuration (`{sink: {type: jsonl|postgres|memory, ...},
    /// writer?, prompt?, response?, ...}`); keys as hex text or raw bytes; `callback` serves a
    /// `callback` sink.
    #[uniffi::constructor(default(signing_key = None, callback = None, now_ms = None))]
    pub fn open(
        config_json: String,
        chain_key: Vec<u8>,
        signing_key: Option<Vec<u8>>,
        callback: Option<Arc<dyn LineSink>>,
        now_ms: Option<i64>,
    ) -> Result<Arc<Self>> {
        let inner = HostAuditTrail::open(
            &config_json,
            &chain_key,
            signing_key.as_deref(),
            line_callback(callback),
            LANGUAGE,
            now_ms,
        )?;
        Ok(Arc::new(AuditTrail { inner }))
    }

    pub fn writer(&self) -> String {
        self.inner.writer().to_string()
    }

    /// The checkpoints' public key (hex), when the trail signs.
    pub fn public_key(&self) -> Option<String> {
        self.inner.public_key()
    }

    /// Writes an interaction event (JSON); the receipt as JSON.
    #[uniffi::method(default(now_ms = None))]
    pub fn write(&self, event_json: String, now_ms: Option<i64>) -> Result<String> {
        json(&self.inner.write(&event_json, now_ms)?)
    }

    #[uniffi::method(default(now_ms = None))]
    pub fn checkpoint(&self, now_ms: Option<i64>) -> Result<String> {
        json(&self.inner.checkpoint(now_ms)?)
    }

    /// Writes the closing checkpoint; later writes fail with `audit_trail_closed`.
    #[uniffi::method(default(now_ms = None))]
    pub fn close(&self, now_ms: Option<i64>) -> Result<String> {
        json(&self.inner.close(now_ms)?)
    }

    #[uniffi::method(default(now_ms = None))]
    pub fn flush(&self, now_ms: Option<i64>) -> Result<()> {
        Ok(self.inner.flush(now_ms)?)
    }

    /// The lines of a `memory` trail.
    pub fn lines(&self) -> Result<Vec<String>> {
        Ok(self.inner.lines()?)
    }
}

/// Checks the log at `location` (file, directory or PostgreSQL URL); the report as JSON.
#[uniffi::export(default(public_key = None))]
pub fn audit_verify(
    location: String,
    chain_key: Vec<u8>,
    public_key: Option<Vec<u8>>,
) -> Result<String> {
    json(&host::audit_verify(
        &location,
        &chain_key,
        public_key.as_deref(),
    )?)
}

/// Checks a log given as its JSON Lines; the report as JSON.
#[uniffi::export(default(public_key = None))]
pub fn audit_verify_text(
    text: Vec<u8>,
    chain_key: Vec<u8>,
    public_key: Option<Vec<u8>>,
) -> Result<String> {
    json(&host::audit_verify_text(
        &text,
        &chain_key,
        public_key.as_deref(),
    )?)
}

/// RFC 8785 canonical JSON: the bytes records are hashed and signed over.
#[uniffi::export]
pub fn canonical_json(json_text: String) -> Result<String> {
    Ok(host::canonical_json(&json_text)?)
}
