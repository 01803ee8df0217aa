//! The audit trail: turns events into sealed records, hands them to a sink, writes checkpoints
//! (periodic, at rotation and at close) and applies the policy's `on_sink_error`.
//!
//! A failed write leaves the chain where it was (fail closed: the caller gets
//! `audit_unavailable`), or with `on_sink_error: allow` keeps the sealed record in a bounded
//! backlog, lets the request through and, once the sink is back, writes the backlog and a notice
//! that says what happened.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, OnceLock};

use serde_json::{Map, Value};

use super::chain::{ChainKey, ChainState, Sealed, SigningKey};
use super::record::{AuditRecord, CheckpointInfo, Kind, NoticeInfo, Sdk, RECORD_VERSION};
use super::sink::AuditSink;
use crate::budget::window::rfc3339;
use crate::dlp::{Action, Scanner};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{Permission, Storage};

/// Records held in memory while a fail-open sink is down; past this, interactions go unrecorded
/// (and the notice counts them) rather than growing without bound.
pub const MAX_BACKLOG: usize = 10_000;

/// The largest event accepted as JSON text: a record is one line, read back whole by `verify`.
pub const MAX_EVENT_BYTES: usize = 32 * 1024 * 1024;

/// How a trail behaves. `writer` must be unique per process run (see [`default_writer`]).
#[derive(Clone, Debug)]
pub struct TrailOptions {
    pub writer: String,
    pub prompt: Storage,
    pub response: Storage,
    pub on_sink_error: Permission,
    /// A periodic checkpoint after this many records (0: never by count).
    pub checkpoint_every: u64,
    /// A periodic checkpoint when this long has passed since the last one (0: never by time).
    pub checkpoint_interval_ms: i64,
    /// Filled into records whose event names no SDK.
    pub sdk: Option<Sdk>,
}

impl TrailOptions {
    pub fn new(writer: impl Into<String>) -> TrailOptions {
        TrailOptions {
            writer: writer.into(),
            prompt: Storage::Hash,
            response: Storage::Hash,
            on_sink_error: Permission::Deny,
            checkpoint_every: 1000,
            checkpoint_interval_ms: 60_000,
            sdk: None,
        }
    }
}

/// A writer id unique to this process run: `host.pid.start`, in the characters file names allow.
pub fn default_writer(now_ms: i64) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "host".into());
    let host: String = host
        .trim()
        .chars()
        .map(|c| if valid_writer_char(c) { c } else { '-' })
        .take(64)
        .collect();
    format!("{host}.{}.{now_ms}", std::process::id())
}

fn valid_writer_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Writer ids name files: 1 to 128 of `[A-Za-z0-9._-]`, not starting with a dot.
pub fn check_writer(writer: &str) -> Result<()> {
    if writer.is_empty()
        || writer.len() > 128
        || writer.starts_with('.')
        || !writer.chars().all(valid_writer_char)
    {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "a writer id is 1 to 128 of A-Z a-z 0-9 . _ - and does not start with a dot",
        ));
    }
    Ok(())
}

/// What became of a written event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Receipt {
    pub writer: String,
    /// `written`, `delayed` (sink down, policy fails open: in the backlog) or `unrecorded`.
    pub status: &'static str,
    pub seq: Option<u64>,
    pub mac: Option<String>,
    /// The record's canonical JSON line (without the newline).
    pub line: Option<String>,
}

struct Outage {
    since_ms: i64,
    error: ErrorCode,
    delayed: u64,
    unrecorded: u64,
}

struct State {
    chain: ChainState,
    sink: Box<dyn AuditSink>,
    backlog: VecDeque<String>,
    outage: Option<Outage>,
    since_checkpoint: u64,
    last_checkpoint_ms: Option<i64>,
    closed: bool,
}

/// One writer's chain over one sink, shared between threads.
pub struct AuditTrail {
    state: Mutex<State>,
    key: ChainKey,
    signer: Option<SigningKey>,
    options: TrailOptions,
    redactor: OnceLock<&'static Scanner>,
}

impl std::fmt::Debug for AuditTrail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditTrail")
            .field("writer", &self.options.writer)
            .field("signed", &self.signer.is_some())
            .finish()
    }
}

impl AuditTrail {
    pub fn new(
        sink: Box<dyn AuditSink>,
        key: ChainKey,
        signer: Option<SigningKey>,
        options: TrailOptions,
    ) -> Result<AuditTrail> {
        check_writer(&options.writer)?;
        Ok(AuditTrail {
            state: Mutex::new(State {
                chain: ChainState::new(&options.writer, &key),
                sink,
                backlog: VecDeque::new(),
                outage: None,
                since_checkpoint: 0,
                last_checkpoint_ms: None,
                closed: false,
            }),
            key,
            signer,
            options,
            redactor: OnceLock::new(),
        })
    }

    pub fn writer(&self) -> &str {
        &self.options.writer
    }

    /// The checkpoints' public key (hex), when the trail signs.
    pub fn public_key(&self) -> Option<String> {
        self.signer.as_ref().map(|s| s.public_key().hex())
    }

    pub fn options(&self) -> &TrailOptions {
        &self.options
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Parses an event (the interaction fields of a record) and writes it.
    pub fn write_json(&self, event_json: &str, now_ms: i64) -> Result<Receipt> {
        if event_json.len() > MAX_EVENT_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!(
                    "audit event: {} bytes, more than the limit of {MAX_EVENT_BYTES}",
                    event_json.len()
                ),
            ));
        }
        let event: AuditRecord = serde_json::from_str(event_json)
            .map_err(|e| Error::new(ErrorCode::InvalidAuditRecord, format!("audit event: {e}")))?;
        self.write(event, now_ms)
    }

    /// Seals an interaction event into the chain and stores it.
    pub fn write(&self, event: AuditRecord, now_ms: i64) -> Result<Receipt> {
        let mut state = self.lock();
        if state.closed {
            return Err(Error::new(
                ErrorCode::AuditTrailClosed,
                "this audit trail is closed",
            ));
        }
        let seq = state.chain.next_seq;
        let body = self.interaction_body(event, seq, now_ms)?;
        let receipt = self.append(&mut state, body, now_ms)?;
        if receipt.status == "written" {
            state.since_checkpoint += 1;
            let every = self.options.checkpoint_every;
            let interval = self.options.checkpoint_interval_ms;
            let started = *state.last_checkpoint_ms.get_or_insert(now_ms);
            let due = (every > 0 && state.since_checkpoint >= every)
                || (interval > 0 && now_ms - started >= interval);
            if due {
                // A checkpoint that cannot be written now is tried again after the next record.
                let _ = self.checkpoint_locked(&mut state, "periodic", now_ms);
            }
        }
        Ok(receipt)
    }

    /// Writes a signed checkpoint now.
    pub fn checkpoint(&self, now_ms: i64) -> Result<Receipt> {
        let mut state = self.lock();
        if state.closed {
            return Err(Error::new(
                ErrorCode::AuditTrailClosed,
                "this audit trail is closed",
            ));
        }
        self.checkpoint_locked(&mut state, "periodic", now_ms)
    }

    /// Writes the backlog, the closing checkpoint, and flushes. Later writes fail.
    pub fn close(&self, now_ms: i64) -> Result<Receipt> {
        let mut state = self.lock();
        if state.closed {
            return Err(Error::new(
                ErrorCode::AuditTrailClosed,
                "this audit trail is closed",
            ));
        }
        self.recover(&mut state, now_ms)?;
        let receipt = self.checkpoint_locked(&mut state, "close", now_ms)?;
        state.sink.flush()?;
        state.closed = true;
        Ok(receipt)
    }

    /// Writes the backlog held during a fail-open outage, if the sink takes it now.
    pub fn flush(&self, now_ms: i64) -> Result<()> {
        let mut state = self.lock();
        self.recover(&mut state, now_ms)?;
        state.sink.flush()
    }

    /// Records held in memory because the sink is down.
    pub fn backlog(&self) -> usize {
        self.lock().backlog.len()
    }

    fn checkpoint_locked(&self, state: &mut State, reason: &str, now_ms: i64) -> Result<Receipt> {
        let info = CheckpointInfo {
            reason: reason.to_string(),
            records: state.chain.records,
            public_key: self.signer.as_ref().map(|s| s.public_key().hex()),
        };
        let mut body = self.trail_body(Kind::Checkpoint, state, now_ms);
        body.insert("checkpoint".into(), to_value(&info));
        let sealed = state.chain.seal(body, &self.key, self.signer.as_ref())?;
        state.sink.append(&sealed.line, now_ms)?;
        state.chain.commit(&sealed);
        state.since_checkpoint = 0;
        state.last_checkpoint_ms = Some(now_ms);
        Ok(self.receipt("written", &sealed))
    }

    /// The fields of a record the trail writes itself (checkpoint, notice); its id is `writer:seq`
    /// like an interaction's default.
    fn trail_body(&self, kind: Kind, state: &State, now_ms: i64) -> Map<String, Value> {
        let mut body = Map::new();
        body.insert("v".into(), RECORD_VERSION.into());
        body.insert("kind".into(), to_value(&kind));
        body.insert("time".into(), rfc3339(now_ms).into());
        body.insert("id".into(), self.default_id(state.chain.next_seq).into());
        body
    }

    fn default_id(&self, seq: u64) -> String {
        format!("{}:{seq}", self.options.writer)
    }

    fn receipt(&self, status: &'static str, sealed: &Sealed) -> Receipt {
        Receipt {
            writer: self.options.writer.clone(),
            status,
            seq: Some(sealed.seq),
            mac: Some(sealed.mac.clone()),
            line: Some(sealed.line.clone()),
        }
    }

    /// Stores one record body, through an outage if there is one.
    fn append(&self, state: &mut State, body: Map<String, Value>, now_ms: i64) -> Result<Receipt> {
        let _ = self.recover(state, now_ms);
        if let Some(outage) = state.outage.as_mut() {
            if state.backlog.len() >= MAX_BACKLOG {
                outage.unrecorded += 1;
                return Ok(Receipt {
                    writer: self.options.writer.clone(),
                    status: "unrecorded",
                    seq: None,
                    mac: None,
                    line: None,
                });
            }
            let sealed = state.chain.seal(body, &self.key, self.signer.as_ref())?;
            state.chain.commit(&sealed);
            state.backlog.push_back(sealed.line.clone());
            outage.delayed += 1;
            return Ok(self.receipt("delayed", &sealed));
        }
        let estimated = body.len() * 48;
        if state.sink.should_rotate(estimated, now_ms) {
            self.checkpoint_locked(state, "rotate", now_ms)?;
            state.sink.rotate()?;
            self.checkpoint_locked(state, "continue", now_ms)?;
        }
        let sealed = state.chain.seal(body, &self.key, self.signer.as_ref())?;
        match state.sink.append(&sealed.line, now_ms) {
            Ok(()) => {
                state.chain.commit(&sealed);
                Ok(self.receipt("written", &sealed))
            }
            Err(e) if self.options.on_sink_error == Permission::Allow => {
                state.chain.commit(&sealed);
                state.backlog.push_back(sealed.line.clone());
                state.outage = Some(Outage {
                    since_ms: now_ms,
                    error: e.code(),
                    delayed: 1,
                    unrecorded: 0,
                });
                Ok(self.receipt("delayed", &sealed))
            }
            Err(e) => Err(e),
        }
    }

    /// Writes the backlog in order and then the notice of the outage; stops at the first failure.
    fn recover(&self, state: &mut State, now_ms: i64) -> Result<()> {
        if state.outage.is_none() {
            return Ok(());
        }
        while let Some(line) = state.backlog.front() {
            state.sink.append(line, now_ms)?;
            state.backlog.pop_front();
        }
        let outage = state.outage.take().expect("checked above");
        let notice = NoticeInfo {
            code: "sink_failed_open".into(),
            message: format!(
                "the audit sink failed ({}); the policy's on_sink_error: allow let requests through; \
                 {} records were written late and {} interactions went unrecorded",
                outage.error.name(),
                outage.delayed,
                outage.unrecorded
            ),
            delayed: outage.delayed,
            unrecorded: outage.unrecorded,
            since: Some(rfc3339(outage.since_ms)),
            until: Some(rfc3339(now_ms)),
            error: Some(outage.error.name().into()),
        };
        let mut body = self.trail_body(Kind::Notice, state, now_ms);
        body.insert("notice".into(), to_value(&notice));
        let sealed = state.chain.seal(body, &self.key, self.signer.as_ref())?;
        if let Err(e) = state.sink.append(&sealed.line, now_ms) {
            state.outage = Some(outage);
            return Err(e);
        }
        state.chain.commit(&sealed);
        Ok(())
    }

    /// The record body of an event: checked, defaults filled, content stored per mode.
    fn interaction_body(
        &self,
        mut event: AuditRecord,
        seq: u64,
        now_ms: i64,
    ) -> Result<Map<String, Value>> {
        let trail_fields = [
            ("v", event.v != 0),
            ("kind", event.kind.is_some()),
            ("writer", event.writer.is_some()),
            ("seq", event.seq.is_some()),
            ("prev", event.prev.is_some()),
            ("mac", event.mac.is_some()),
            ("sig", event.sig.is_some()),
            ("checkpoint", event.checkpoint.is_some()),
            ("notice", event.notice.is_some()),
        ];
        if let Some((name, _)) = trail_fields.iter().find(|(_, set)| *set) {
            return Err(Error::new(
                ErrorCode::InvalidAuditRecord,
                format!("audit event: `{name}` is written by the trail, not the caller"),
            ));
        }
        if event.outcome.is_none() {
            return Err(Error::new(
                ErrorCode::InvalidAuditRecord,
                "audit event: `outcome` is required (allowed, denied, violation, error, fallback)",
            ));
        }
        event.v = RECORD_VERSION;
        event.kind = Some(Kind::Interaction);
        event.time.get_or_insert_with(|| rfc3339(now_ms));
        event.id.get_or_insert_with(|| self.default_id(seq));
        if event.sdk.is_none() {
            event.sdk = self.options.sdk.clone();
        }
        if let Some(prompt) = event.prompt.take() {
            event.prompt = Some(self.store(self.options.prompt, prompt)?);
        }
        if let Some(response) = event.response.take() {
            event.response = Some(self.store(self.options.response, response)?);
        }
        // Upstream error metadata that echoes the prompt is prompt content.
        if let Some(Value::Object(meta)) = event.error.as_mut().and_then(|e| e.metadata.as_mut()) {
            for field in ["flagged_input", "raw"] {
                if let Some(value) = meta.remove(field) {
                    if self.options.prompt != Storage::None {
                        meta.insert(field.into(), self.store(self.options.prompt, value)?);
                    }
                }
            }
        }
        match serde_json::to_value(&event) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(Error::new(
                ErrorCode::Internal,
                "an audit record did not serialise to an object",
            )),
        }
    }

    /// Prompt or response content as the storage mode keeps it.
    pub fn store(&self, mode: Storage, content: Value) -> Result<Value> {
        let mut stored = Map::new();
        let name = match mode {
            Storage::None => "none",
            Storage::Hash => "hash",
            Storage::Redacted => "redacted",
            Storage::Full => "full",
        };
        stored.insert("mode".into(), name.into());
        match mode {
            Storage::None => {}
            Storage::Hash => {
                stored.insert(
                    "hmac_sha256".into(),
                    self.key.content_hash(&content)?.into(),
                );
            }
            Storage::Redacted => {
                let scanner = *self.redactor.get_or_init(Scanner::builtin);
                stored.insert("content".into(), redact_value(scanner, content)?);
            }
            Storage::Full => {
                stored.insert("content".into(), content);
            }
        }
        Ok(Value::Object(stored))
    }
}

impl Drop for AuditTrail {
    /// A trail dropped without `close` still seals its chain, as at shutdown.
    fn drop(&mut self) {
        let closed = self.lock().closed;
        if !closed {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            let _ = self.close(now);
        }
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Every string in `content` with the built-in detectors' findings replaced by `[CATEGORY]`.
fn redact_value(scanner: &Scanner, content: Value) -> Result<Value> {
    Ok(match content {
        Value::String(text) => {
            let findings = scanner.scan(&text);
            if findings.is_empty() {
                Value::String(text)
            } else {
                let mut rewriter = crate::dlp::Rewriter::new(scanner.mask_config().clone())
                    .with_action(Action::Redact);
                Value::String(rewriter.rewrite(&text, &findings)?.text)
            }
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| redact_value(scanner, v))
                .collect::<Result<_>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| Ok((k, redact_value(scanner, v)?)))
                .collect::<Result<_>>()?,
        ),
        other => other,
    })
}
