//! The audit trail: tamper-evident records of every interaction (a chain of HMACs, signed
//! checkpoints), written to a JSON Lines directory, PostgreSQL, memory or a C callback, and the
//! functions that verify, search and export a log. Each export converts its arguments, calls
//! `routeguard::host` (`HostAuditTrail`, `audit_verify`, ...) and hands the core's answer back as
//! JSON (or CSV) text in an `rg_text`.

use std::ffi::{c_char, c_int, c_void};

use routeguard::audit::sink::LineCallback;
use routeguard::host::{self, HostAuditTrail};
use routeguard::Error;

use crate::budget::{json_out, time};
use crate::error::{rg_error, rg_result};
use crate::ffi::{
    bytes_arg, check_out, free_boxed, invalid_argument, rg_str, text_arg, to_boxed_ptr, try_ref,
    write_out, Boxed, CText,
};
use crate::guard::{guard_arg, rg_decision, Decision};
use crate::panic::{catch, report};
use crate::results::{rg_text, with_owned};

/// The `sdk.language` of the records this library writes when the configuration names none.
const LANGUAGE: &str = "c";

/// The function a `callback` sink calls with each sealed record: `line` is the record's canonical
/// JSON, `len` bytes of UTF-8 without the newline, followed by a NUL byte not counted in `len`
/// (a line never holds a NUL itself, so it is also a C string). `line` is valid only during the
/// call. Return 0 when the line is stored; anything else is a sink failure: the write fails with
/// `RG_AUDIT_UNAVAILABLE` (the error message says `callback returned N`), or, when the
/// configuration's `on_sink_error` is `open`, the line is held back and retried.
///
/// The callback runs on the thread that writes (`rg_audit_trail_write`, `_checkpoint`, `_close`,
/// `_flush`, `rg_guard_audit`, or `rg_audit_trail_free`), one call at a time, while the trail is
/// locked: it must not call functions of the same trail, and it must not unwind or `longjmp`.
pub type rg_audit_line_callback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, line: *const c_char, len: usize) -> c_int>;

/// How `rg_audit_export` writes the log: one of the `RG_AUDIT_EXPORT_*` values.
pub type rg_audit_export_format = u32;
/// CSV: a header line, then a line per interaction record.
pub const RG_AUDIT_EXPORT_CSV: rg_audit_export_format = 1;
/// JSON Lines of OCSF API Activity events, one per interaction record.
pub const RG_AUDIT_EXPORT_OCSF: rg_audit_export_format = 2;

/// An open audit trail. Internally locked: one trail may be used from many threads at once (its
/// records then form one chain, in the order the writes took the lock). Free it with
/// `rg_audit_trail_free`, which closes it first when `rg_audit_trail_close` was not called.
pub struct rg_audit_trail {
    _private: [u8; 0],
}

/// What an `rg_audit_trail` handle owns: the host trail, its writer id and public key as C
/// strings.
pub(crate) struct Trail {
    host: HostAuditTrail,
    writer: CText,
    public_key: Option<CText>,
}

impl Boxed for rg_audit_trail {
    type Rust = Trail;
}

impl From<HostAuditTrail> for Trail {
    fn from(host: HostAuditTrail) -> Trail {
        Trail {
            writer: CText::new(host.writer()),
            public_key: host.public_key().map(CText::from_string),
            host,
        }
    }
}

/// # Safety
/// `trail` is NULL or a live `rg_audit_trail`.
unsafe fn trail_arg<'a>(trail: *const rg_audit_trail) -> Result<&'a HostAuditTrail, Error> {
    // SAFETY: the caller promises `trail` is NULL or live.
    unsafe { try_ref(trail) }
        .map(|t| &t.host)
        .ok_or_else(|| invalid_argument("the audit trail is NULL"))
}

/// An optional trail: NULL is none.
///
/// # Safety
/// `trail` is NULL or a live `rg_audit_trail`.
pub(crate) unsafe fn optional_trail<'a>(
    trail: *const rg_audit_trail,
) -> Option<&'a HostAuditTrail> {
    // SAFETY: the caller promises `trail` is NULL or live.
    unsafe { try_ref(trail) }.map(|t| &t.host)
}

/// A C function and its user data, called from whichever thread writes the trail.
struct CallbackTarget {
    function: unsafe extern "C" fn(*mut c_void, *const c_char, usize) -> c_int,
    user_data: *mut c_void,
    /// The line and its NUL, reused from call to call.
    buffer: Vec<u8>,
}

// SAFETY: the header documents that the callback and its user data are used from whichever
// thread writes the trail (one call at a time, under the trail's lock); keeping that safe is
// the C caller's side of the contract, as with any C callback.
unsafe impl Send for CallbackTarget {}

impl CallbackTarget {
    fn call(&mut self, line: &str) -> Result<(), String> {
        self.buffer.clear();
        self.buffer.extend_from_slice(line.as_bytes());
        self.buffer.push(0);
        // SAFETY: the caller gave this function for this user data; the buffer holds `line.len()`
        // bytes and a NUL, and lives for the call.
        let code =
            unsafe { (self.function)(self.user_data, self.buffer.as_ptr().cast(), line.len()) };
        match code {
            0 => Ok(()),
            code => Err(format!("callback returned {code}")),
        }
    }
}

fn line_callback(callback: rg_audit_line_callback, user_data: *mut c_void) -> Option<LineCallback> {
    callback.map(|function| {
        let mut target = CallbackTarget {
            function,
            user_data,
            buffer: Vec::new(),
        };
        Box::new(move |line: &str| target.call(line)) as LineCallback
    })
}

/// Optional key bytes: NULL or empty is "none".
///
/// # Safety
/// As `bytes_arg`.
unsafe fn optional_key<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<Option<&'a [u8]>, Error> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { bytes_arg(ptr, len, what) }?;
    Ok((!bytes.is_empty()).then_some(bytes))
}

/// Writes a new trail handle into `*out`.
///
/// # Safety
/// `out` passed `check_out`.
unsafe fn trail_out(out: *mut *mut rg_audit_trail, host: HostAuditTrail) {
    // SAFETY: the caller promises `out` passed `check_out`.
    unsafe { write_out(out, to_boxed_ptr(Trail::from(host))) }
}

/// Opens an audit trail from `config` (JSON: `{sink: {type: jsonl|postgres|memory|callback, ...},
/// writer?, prompt?, response?, on_sink_error?, checkpoint_every?, checkpoint_interval_ms?,
/// sdk?}`) and stores it in `*out`. `chain_key` (hex text or raw bytes; at least 16 bytes) keys
/// the records' HMAC chain; `signing_key` (an Ed25519 seed as hex text or 32 raw bytes; NULL or
/// length 0: none) signs the checkpoints. A `callback` sink calls `callback` (which must then not
/// be NULL) with `user_data` for each line; `user_data` must stay valid until the trail is freed.
/// A configuration that is not valid (or a callback sink without a callback, or a callback for
/// another sink) is `RG_INVALID_ARGUMENT`, a key that is too short or of the wrong size
/// `RG_AUDIT_KEY_INVALID`, a sink that cannot be opened `RG_AUDIT_UNAVAILABLE`.
///
/// # Safety
/// `config`, `chain_key` and `signing_key` are NULL (only with a length of 0) or readable for
/// their lengths; `callback` is NULL or a function of the documented type; `out` is writable;
/// `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_open(
    config: *const u8,
    config_len: usize,
    chain_key: *const u8,
    chain_key_len: usize,
    signing_key: *const u8,
    signing_key_len: usize,
    callback: rg_audit_line_callback,
    user_data: *mut c_void,
    out: *mut *mut rg_audit_trail,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_trail_open", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (config, chain_key, signing_key) = unsafe {
            (
                text_arg(config, config_len, "config")?,
                bytes_arg(chain_key, chain_key_len, "chain_key")?,
                optional_key(signing_key, signing_key_len, "signing_key")?,
            )
        };
        let host = HostAuditTrail::open(
            config,
            chain_key,
            signing_key,
            line_callback(callback, user_data),
            LANGUAGE,
            None,
        )?;
        // SAFETY: `out` passed `check_out`.
        unsafe { trail_out(out, host) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees a trail. A trail not closed yet is closed first, as at shutdown: the closing checkpoint
/// is written at the system clock's time (through the callback, for a callback sink), and a
/// failure to write it is ignored; call `rg_audit_trail_close` to choose the time and see errors.
/// NULL is a no-op.
///
/// # Safety
/// `trail` is NULL or an `rg_audit_trail` not freed before, that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_free(trail: *mut rg_audit_trail) {
    // SAFETY: the caller hands over ownership.
    crate::panic::guard(|| unsafe { free_boxed(trail) })
}

/// The trail's writer id (the configuration's `writer`, else made at open). Valid until the trail
/// is freed; empty for NULL.
///
/// # Safety
/// `trail` is NULL or a live `rg_audit_trail`.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_writer(trail: *const rg_audit_trail) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(trail, rg_str::empty(), |t| t.writer.as_rg_str()) }
}

/// The checkpoints' Ed25519 public key (64 hex digits), which `rg_audit_verify` checks
/// signatures with; empty when the trail does not sign, or for NULL. Valid until the trail is
/// freed.
///
/// # Safety
/// `trail` is NULL or a live `rg_audit_trail`.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_public_key(trail: *const rg_audit_trail) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe {
        with_owned(trail, rg_str::empty(), |t| {
            t.public_key
                .as_ref()
                .map_or(rg_str::empty(), CText::as_rg_str)
        })
    }
}

/// Seals an interaction event (JSON: the record's interaction fields) into the chain at `now_ms`
/// (`RG_TIME_NONE`: the system clock) and stores the receipt in `*out` as JSON: `{writer, status
/// ("written", "delayed": held back by a failing sink that fails open, "unrecorded"), seq, mac,
/// line}`. A malformed event is `RG_INVALID_AUDIT_RECORD`, a sink failure that fails closed
/// `RG_AUDIT_UNAVAILABLE`, a closed trail `RG_AUDIT_TRAIL_CLOSED`.
///
/// # Safety
/// `trail` is NULL or live; `event` is NULL (only with `event_len == 0`) or readable for
/// `event_len` bytes; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_write(
    trail: *const rg_audit_trail,
    event: *const u8,
    event_len: usize,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_trail_write", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (trail, event) = unsafe { (trail_arg(trail)?, text_arg(event, event_len, "event")?) };
        let receipt = trail.write(event, time(now_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &receipt) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Writes a checkpoint (signed when the trail has a signing key) at `now_ms` (`RG_TIME_NONE`: the
/// system clock) and stores its receipt in `*out` as JSON, as for `rg_audit_trail_write`.
///
/// # Safety
/// `trail` is NULL or live; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_checkpoint(
    trail: *const rg_audit_trail,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_trail_checkpoint", || {
        check_out(out)?;
        // SAFETY: forwarded contract.
        let trail = unsafe { trail_arg(trail) }?;
        let receipt = trail.checkpoint(time(now_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &receipt) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Writes the closing checkpoint at `now_ms` (`RG_TIME_NONE`: the system clock), flushes, and
/// stores its receipt in `*out` as JSON. Later writes fail with `RG_AUDIT_TRAIL_CLOSED`; the
/// trail must still be freed.
///
/// # Safety
/// `trail` is NULL or live; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_close(
    trail: *const rg_audit_trail,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_trail_close", || {
        check_out(out)?;
        // SAFETY: forwarded contract.
        let trail = unsafe { trail_arg(trail) }?;
        let receipt = trail.close(time(now_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &receipt) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Writes what a failing sink held back (when it takes lines again) and syncs the sink to disk,
/// at `now_ms` (`RG_TIME_NONE`: the system clock).
///
/// # Safety
/// `trail` is NULL or live; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_flush(
    trail: *const rg_audit_trail,
    now_ms: i64,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_trail_flush", || {
        // SAFETY: forwarded contract.
        let trail = unsafe { trail_arg(trail) }?;
        trail.flush(time(now_ms))
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Stores the lines a `memory` trail holds in `*out` as a JSON array of strings, oldest first. A
/// trail with another sink is `RG_INVALID_ARGUMENT`.
///
/// # Safety
/// `trail` is NULL or live; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_trail_lines(
    trail: *const rg_audit_trail,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_trail_lines", || {
        check_out(out)?;
        // SAFETY: forwarded contract.
        let trail = unsafe { trail_arg(trail) }?;
        let lines = trail.lines()?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &lines) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Verifies the log at `location` (a JSON Lines file, a directory of them, or a `postgres://`
/// URL) with `chain_key` (hex text or raw bytes) and, when `public_key` is given (hex text or 32
/// raw bytes; NULL or length 0: signatures unchecked), the checkpoints' signatures. Stores the
/// report in `*out` as JSON: `{status ("intact", "incomplete", "tampered"), records,
/// checkpoints, signatures_checked, writers, problems: [{kind, tamper, source, line, writer?,
/// seq?, message}], first_bad, exit_code}`. A tampered log is not an error; a log that cannot be
/// read is `RG_AUDIT_UNREADABLE`.
///
/// # Safety
/// `location`, `chain_key` and `public_key` are NULL (only with a length of 0) or readable for
/// their lengths; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_verify(
    location: *const u8,
    location_len: usize,
    chain_key: *const u8,
    chain_key_len: usize,
    public_key: *const u8,
    public_key_len: usize,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_verify", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (location, chain_key, public_key) = unsafe {
            (
                text_arg(location, location_len, "location")?,
                bytes_arg(chain_key, chain_key_len, "chain_key")?,
                optional_key(public_key, public_key_len, "public_key")?,
            )
        };
        let verified = host::audit_verify(location, chain_key, public_key)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &verified) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Verifies a log given as its bytes (JSON Lines; any bytes: a line that is not UTF-8 is a
/// problem in the report, not an error), as `rg_audit_verify` does, and stores the report in
/// `*out` as JSON. Problems name the source `input`.
///
/// # Safety
/// `log`, `chain_key` and `public_key` are NULL (only with a length of 0) or readable for their
/// lengths; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_verify_text(
    log: *const u8,
    log_len: usize,
    chain_key: *const u8,
    chain_key_len: usize,
    public_key: *const u8,
    public_key_len: usize,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_verify_text", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (log, chain_key, public_key) = unsafe {
            (
                bytes_arg(log, log_len, "log")?,
                bytes_arg(chain_key, chain_key_len, "chain_key")?,
                optional_key(public_key, public_key_len, "public_key")?,
            )
        };
        let verified = host::audit_verify_text(log, chain_key, public_key)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &verified) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Stores the records of the log at `location` (as for `rg_audit_verify`) that `filter` keeps
/// (JSON: `{user?, workspace?, provider?, model?, outcome?, since_ms?, until_ms?, all_kinds?}`;
/// NULL or empty: every interaction record) in `*out` as a JSON array, oldest first. Records are
/// not verified: run `rg_audit_verify` to trust them.
///
/// # Safety
/// `location` and `filter` are NULL (`location` only with a length of 0) or readable for their
/// lengths; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_search(
    location: *const u8,
    location_len: usize,
    filter: *const u8,
    filter_len: usize,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_search", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (location, filter) = unsafe {
            (
                text_arg(location, location_len, "location")?,
                match filter.is_null() {
                    true => "",
                    false => text_arg(filter, filter_len, "filter")?,
                },
            )
        };
        let records = host::audit_search(location, filter)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &records) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Stores the interaction records of the log at `location` (as for `rg_audit_verify`) in `*out`
/// as `format`: `RG_AUDIT_EXPORT_CSV` (a header line, a line per record) or
/// `RG_AUDIT_EXPORT_OCSF` (JSON Lines of OCSF API Activity events).
///
/// # Safety
/// `location` is NULL (only with `location_len == 0`) or readable for `location_len` bytes; `out`
/// is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_audit_export(
    location: *const u8,
    location_len: usize,
    format: rg_audit_export_format,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_audit_export", || {
        check_out(out)?;
        let format = match format {
            RG_AUDIT_EXPORT_CSV => "csv",
            RG_AUDIT_EXPORT_OCSF => "ocsf",
            other => return Err(invalid_argument(format!("unknown export format {other}"))),
        };
        // SAFETY: forwarded contract.
        let location = unsafe { text_arg(location, location_len, "location") }?;
        let exported = host::audit_export(location, format)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(CText::from_string(exported))) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Stores the RFC 8785 canonical form of `json` (the bytes records are chained and signed over:
/// keys sorted by UTF-16 code units, numbers as ECMAScript writes them, no whitespace) in `*out`.
/// Text that is not JSON is `RG_INVALID_JSON`.
///
/// # Safety
/// `json` is NULL (only with `json_len == 0`) or readable for `json_len` bytes; `out` is
/// writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_canonical_json(
    json: *const u8,
    json_len: usize,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_canonical_json", || {
        check_out(out)?;
        // SAFETY: forwarded contract.
        let json = unsafe { text_arg(json, json_len, "json") }?;
        let canonical = host::canonical_json(json)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(CText::from_string(canonical))) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Opens the audit trail the guard's policy describes in `defaults.audit` (keys read from the
/// environment variables or files it names) and stores it in `*out`; a `callback` sink calls
/// `callback` with `user_data`, as for `rg_audit_trail_open`. A policy without `defaults.audit`
/// is `RG_INVALID_ARGUMENT`.
///
/// # Safety
/// `guard` is NULL or live; `callback` is NULL or a function of the documented type; `out` is
/// writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_open_audit_trail(
    guard: *const crate::guard::rg_guard,
    callback: rg_audit_line_callback,
    user_data: *mut c_void,
    out: *mut *mut rg_audit_trail,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_guard_open_audit_trail", || {
        check_out(out)?;
        // SAFETY: forwarded contract.
        let guard = unsafe { guard_arg(guard) }?;
        let host =
            guard
                .host
                .open_audit_trail(line_callback(callback, user_data), LANGUAGE, None)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { trail_out(out, host) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Writes the record of one interaction to `trail` at `now_ms` (`RG_TIME_NONE`: the system clock):
/// the `principal` and `request` (JSON, as given to `rg_guard_prepare`), the `decision` it made,
/// and what followed (`details`, JSON: `{response?, estimate_micros?, reserved_micros?,
/// billed_micros?, error?, latency_ms?, id?, time?, stream?, attempts?, fail_open?, sdk?}`; NULL
/// or empty: none). Stores the receipt in `*out` as JSON, as for `rg_audit_trail_write`.
///
/// # Safety
/// `guard`, `trail` and `decision` are NULL or live; `principal`, `request` and `details` are
/// NULL (only with a length of 0) or readable for their lengths; `out` is writable; `err` is NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_audit(
    guard: *const crate::guard::rg_guard,
    trail: *const rg_audit_trail,
    principal: *const u8,
    principal_len: usize,
    request: *const u8,
    request_len: usize,
    decision: *const rg_decision,
    details: *const u8,
    details_len: usize,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_guard_audit", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (guard, trail, principal, request, decision, details) = unsafe {
            let decision: Option<&Decision> = try_ref(decision);
            (
                guard_arg(guard)?,
                trail_arg(trail)?,
                text_arg(principal, principal_len, "principal")?,
                text_arg(request, request_len, "request")?,
                decision.ok_or_else(|| invalid_argument("the decision is NULL"))?,
                text_arg(details, details_len, "details")?,
            )
        };
        let receipt = guard.host.audit(
            trail,
            principal,
            request,
            &decision.host(),
            details,
            time(now_ms),
        )?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &receipt) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    fn text(t: *mut rg_text) -> String {
        // SAFETY: `t` is a live text made by a call below; freed here.
        unsafe {
            let s = crate::results::rg_text_str(t);
            let bytes = std::slice::from_raw_parts(s.data.cast::<u8>(), s.len);
            let owned = String::from_utf8(bytes.to_vec()).unwrap();
            crate::results::rg_text_free(t);
            owned
        }
    }

    unsafe extern "C" fn fails_second(
        user_data: *mut c_void,
        line: *const c_char,
        len: usize,
    ) -> c_int {
        // SAFETY: the test passes a `Vec<String>` as user data and lines are NUL-terminated.
        unsafe {
            let seen = &mut *user_data.cast::<Vec<String>>();
            assert_eq!(*line.add(len), 0);
            let bytes = std::slice::from_raw_parts(line.cast::<u8>(), len);
            seen.push(String::from_utf8(bytes.to_vec()).unwrap());
            if seen.len() == 2 {
                7
            } else {
                0
            }
        }
    }

    #[test]
    fn a_callback_sink_fails_closed_with_its_return_code() {
        let config = r#"{"sink":{"type":"callback"},"writer":"w","checkpoint_every":0,"checkpoint_interval_ms":0}"#;
        let key = "6b6579206f6620746865207472616e732d6c616e67756167652074657374732121";
        let event = r#"{"outcome":"allowed"}"#;
        // Reached only through this pointer while the trail may call back.
        let seen: *mut Vec<String> = Box::into_raw(Box::default());
        let mut trail: *mut rg_audit_trail = ptr::null_mut();
        let mut receipt: *mut rg_text = ptr::null_mut();
        let mut err: *mut rg_error = ptr::null_mut();
        // SAFETY: every pointer is a live local or a handle made here and freed below.
        unsafe {
            let r = rg_audit_trail_open(
                config.as_ptr(),
                config.len(),
                key.as_ptr(),
                key.len(),
                ptr::null(),
                0,
                Some(fails_second),
                seen.cast(),
                &mut trail,
                ptr::null_mut(),
            );
            assert_eq!(r, rg_result::RG_OK);
            assert_eq!(rg_audit_trail_public_key(trail).len, 0);
            let r = rg_audit_trail_write(
                trail,
                event.as_ptr(),
                event.len(),
                1,
                &mut receipt,
                &mut err,
            );
            assert_eq!(r, rg_result::RG_OK, "{}", text_err(err));
            let json: serde_json::Value = serde_json::from_str(&text(receipt)).unwrap();
            assert_eq!(json["status"], "written");
            assert_eq!(json["line"], (&*seen)[0].as_str());
            let r = rg_audit_trail_write(
                trail,
                event.as_ptr(),
                event.len(),
                2,
                &mut receipt,
                &mut err,
            );
            assert_eq!(r, rg_result::RG_AUDIT_UNAVAILABLE);
            let message = crate::error::rg_error_message(err);
            let message = std::slice::from_raw_parts(message.data.cast::<u8>(), message.len);
            let message = std::str::from_utf8(message).unwrap();
            assert!(message.contains("callback returned 7"), "{message}");
            crate::error::rg_error_free(err);
            rg_audit_trail_free(trail);
        }
        // SAFETY: the trail is freed, so nothing else uses `seen`; made by `Box::into_raw` above.
        let seen = unsafe { Box::from_raw(seen) };
        // The second line was refused; the closing checkpoint went through the callback on free.
        assert_eq!(seen.len(), 3);
    }

    fn text_err(err: *mut rg_error) -> String {
        if err.is_null() {
            return String::new();
        }
        // SAFETY: `err` is a live error made by a failing call.
        unsafe {
            let m = crate::error::rg_error_message(err);
            String::from_utf8_lossy(std::slice::from_raw_parts(m.data.cast::<u8>(), m.len)).into()
        }
    }
}
