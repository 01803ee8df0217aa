//! Budgets: the ledger (reservations held against caps, settled into spend records), reports,
//! and reservations through the guard. Each export converts its arguments, calls
//! `routeguard::host::HostLedger` / `HostGuard` and hands the core's answer back as JSON text in
//! an `rg_text` (the same documents the other languages return as objects).

use routeguard::host::HostLedger;
use routeguard::{Error, ErrorCode};
use serde::Serialize;

use crate::error::{rg_error, rg_result};
use crate::ffi::{
    check_out, free_boxed, invalid_argument, rg_str, text_arg, to_boxed_ptr, try_borrowed, try_ref,
    write_out, Boxed, CText,
};
use crate::guard::{guard_arg, rg_guard, rg_prepared, Prepared};
use crate::panic::{catch, report};
use crate::results::{rg_text, with_owned};

/// A time argument meaning "not given": for `now_ms`, the system clock; for the bounds of
/// `rg_ledger_records`, no bound. Any other value is Unix milliseconds.
pub const RG_TIME_NONE: i64 = i64::MIN;

/// A `lease_ms` of 0 takes the default lease: ten minutes, long enough for a slow streamed answer,
/// short enough that a crashed process frees its budget within minutes.
pub const RG_DEFAULT_LEASE_MS: u64 = 600_000;

/// How `rg_ledger_report` writes the report: one of the `RG_REPORT_*` values.
pub type rg_report_format = u32;
/// JSON: `{by, window, period, rows, total, providers, hhi}`, amounts in micro-dollars.
pub const RG_REPORT_JSON: rg_report_format = 1;
/// CSV: a header line, a line per row and a `total` line; dollars with six decimals.
pub const RG_REPORT_CSV: rg_report_format = 2;
/// An aligned text table for terminals.
pub const RG_REPORT_TABLE: rg_report_format = 3;

/// A spend ledger opened from `memory:`, `sqlite:PATH` or `postgres://...`. Internally locked
/// (one SQL connection behind a mutex): one ledger may be used from many threads at once. Free it
/// with `rg_ledger_free`.
pub struct rg_ledger {
    _private: [u8; 0],
}

/// What an `rg_ledger` handle owns: the host ledger and its backend's name as a C string.
pub(crate) struct Ledger {
    host: HostLedger,
    backend: CText,
}

impl Boxed for rg_ledger {
    type Rust = Ledger;
}

/// # Safety
/// `ledger` is NULL or a live `rg_ledger`.
unsafe fn ledger_arg<'a>(ledger: *const rg_ledger) -> Result<&'a HostLedger, Error> {
    // SAFETY: the caller promises `ledger` is NULL or live.
    unsafe { try_ref(ledger) }
        .map(|l| &l.host)
        .ok_or_else(|| invalid_argument("the ledger is NULL"))
}

/// An optional ledger: NULL is none.
///
/// # Safety
/// `ledger` is NULL or a live `rg_ledger`.
pub(crate) unsafe fn optional_ledger<'a>(ledger: *const rg_ledger) -> Option<&'a HostLedger> {
    // SAFETY: the caller promises `ledger` is NULL or live.
    unsafe { try_ref(ledger) }.map(|l| &l.host)
}

pub(crate) fn time(ms: i64) -> Option<i64> {
    (ms != RG_TIME_NONE).then_some(ms)
}

fn lease(ms: u64) -> Option<u64> {
    (ms != 0).then_some(ms)
}

/// Writes `value` as JSON text into `*out`.
///
/// # Safety
/// `out` passed `check_out`.
pub(crate) unsafe fn json_out<T: Serialize>(
    out: *mut *mut rg_text,
    value: &T,
) -> Result<(), Error> {
    let json = serde_json::to_string(value)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("encoding the result: {e}")))?;
    // SAFETY: the caller promises `out` passed `check_out`.
    unsafe { write_out(out, to_boxed_ptr(CText::from_string(json))) };
    Ok(())
}

/// Opens the ledger `url` names (`memory:`, `sqlite:PATH`, `postgres://user@host/db`) and stores
/// it in `*out`. An unknown scheme is `RG_INVALID_LEDGER_URL`; a store that cannot be opened
/// `RG_LEDGER_UNAVAILABLE`.
///
/// # Safety
/// `url` is NULL (only with `url_len == 0`) or readable for `url_len` bytes; `out` is writable;
/// `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_open(
    url: *const u8,
    url_len: usize,
    out: *mut *mut rg_ledger,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_ledger_open", || {
        check_out(out)?;
        // SAFETY: the caller promises (url, url_len) describes readable bytes.
        let url = unsafe { text_arg(url, url_len, "url") }?;
        let host = HostLedger::open(url)?;
        let ledger = Ledger {
            backend: CText::new(host.backend()),
            host,
        };
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(ledger)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees a ledger (closing its store). NULL is a no-op.
///
/// # Safety
/// `ledger` is NULL or an `rg_ledger` not freed before, that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_free(ledger: *mut rg_ledger) {
    // SAFETY: the caller hands over ownership.
    crate::panic::guard(|| unsafe { free_boxed(ledger) })
}

/// The ledger's backend: `memory`, `sqlite` or `postgres`. Valid until the ledger is freed; empty
/// for NULL.
///
/// # Safety
/// `ledger` is NULL or a live `rg_ledger`.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_backend(ledger: *const rg_ledger) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(ledger, rg_str::empty(), |l| l.backend.as_rg_str()) }
}

/// Holds `amount_micros` on every cap of `caps` (JSON: a list of `{rule, subject, window,
/// limit_micros, shadow?}`) for `meta` (JSON: `{user, workspace, groups?, tags?, model?}`), on all
/// caps or none, for `lease_ms` (0: the default) from `now_ms` (`RG_TIME_NONE`: the system clock).
/// Stores the outcome in `*out` as JSON: `{reserved, id, amount_micros, expires_at_ms, denials,
/// shadow, caps}`. A denial is not an error: `reserved` is false and `denials` names the caps.
///
/// # Safety
/// `ledger` is NULL or live; `caps` and `meta` are NULL (only with a length of 0) or readable for
/// their lengths; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_reserve(
    ledger: *const rg_ledger,
    caps: *const u8,
    caps_len: usize,
    amount_micros: u64,
    meta: *const u8,
    meta_len: usize,
    lease_ms: u64,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_ledger_reserve", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (ledger, caps, meta) = unsafe {
            (
                ledger_arg(ledger)?,
                text_arg(caps, caps_len, "caps")?,
                text_arg(meta, meta_len, "meta")?,
            )
        };
        let reserved = ledger.reserve(caps, amount_micros, meta, lease(lease_ms), time(now_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &reserved) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Settles reservation `id` with `settlement` (JSON: `{outcome, actual_micros?, provider?, model?,
/// prompt_tokens?, completion_tokens?}`) at `now_ms` (`RG_TIME_NONE`: the system clock) and
/// stores the spend record in `*out` as JSON. An unknown id is `RG_UNKNOWN_RESERVATION`, a second
/// settlement `RG_ALREADY_SETTLED`.
///
/// # Safety
/// `ledger` is NULL or live; `id` and `settlement` are NULL (only with a length of 0) or readable
/// for their lengths; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_settle(
    ledger: *const rg_ledger,
    id: *const u8,
    id_len: usize,
    settlement: *const u8,
    settlement_len: usize,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_ledger_settle", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (ledger, id, settlement) = unsafe {
            (
                ledger_arg(ledger)?,
                text_arg(id, id_len, "id")?,
                text_arg(settlement, settlement_len, "settlement")?,
            )
        };
        let record = ledger.settle(id, settlement, time(now_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &record) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Extends reservation `id`'s lease to `lease_ms` (0: the default) from `now_ms` (`RG_TIME_NONE`:
/// the system clock), for long streams.
///
/// # Safety
/// `ledger` is NULL or live; `id` is NULL (only with `id_len == 0`) or readable for `id_len`
/// bytes; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_renew(
    ledger: *const rg_ledger,
    id: *const u8,
    id_len: usize,
    lease_ms: u64,
    now_ms: i64,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_ledger_renew", || {
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (ledger, id) = unsafe { (ledger_arg(ledger)?, text_arg(id, id_len, "id")?) };
        ledger.renew(
            id,
            lease(lease_ms).unwrap_or(RG_DEFAULT_LEASE_MS),
            time(now_ms),
        )
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Stores the state of every cap of `caps` (JSON, as for `rg_ledger_reserve`) at `now_ms` in
/// `*out` as a JSON list of `{rule, subject, window, period, limit_micros, spent_micros,
/// reserved_micros, resets_at, shadow}`.
///
/// # Safety
/// `ledger` is NULL or live; `caps` is NULL (only with `caps_len == 0`) or readable for
/// `caps_len` bytes; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_status(
    ledger: *const rg_ledger,
    caps: *const u8,
    caps_len: usize,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_ledger_status", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (ledger, caps) = unsafe { (ledger_arg(ledger)?, text_arg(caps, caps_len, "caps")?) };
        let status = ledger.status(caps, time(now_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &status) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Stores the spend records settled in `[since_ms, until_ms)` (`RG_TIME_NONE`: no bound) in
/// `*out` as a JSON list.
///
/// # Safety
/// `ledger` is NULL or live; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_records(
    ledger: *const rg_ledger,
    since_ms: i64,
    until_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_ledger_records", || {
        check_out(out)?;
        // SAFETY: forwarded contract.
        let ledger = unsafe { ledger_arg(ledger) }?;
        let records = ledger.records(time(since_ms), time(until_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &records) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Groups spend by `by` (comma-separated: provider, model, user, workspace, group, tag, period;
/// empty for the total only) over the current period of `window` (day, week, month, total) at
/// `now_ms`, and stores the report in `*out` as `format` (`RG_REPORT_JSON`, `_CSV` or `_TABLE`).
///
/// # Safety
/// `ledger` is NULL or live; `by` and `window` are NULL (only with a length of 0) or readable for
/// their lengths; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_ledger_report(
    ledger: *const rg_ledger,
    by: *const u8,
    by_len: usize,
    window: *const u8,
    window_len: usize,
    format: rg_report_format,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_ledger_report", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (ledger, by, window) = unsafe {
            (
                ledger_arg(ledger)?,
                text_arg(by, by_len, "by")?,
                text_arg(window, window_len, "window")?,
            )
        };
        let render: fn(&routeguard::budget::report::Report) -> String = match format {
            RG_REPORT_JSON => |r| r.to_json(),
            RG_REPORT_CSV => |r| r.to_csv(),
            RG_REPORT_TABLE => |r| r.to_table(),
            other => return Err(invalid_argument(format!("unknown report format {other}"))),
        };
        let report = ledger.report(by, window, time(now_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(CText::from_string(render(&report)))) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Reserves the worst-case cost of a prepared request on `ledger` against every budget cap of the
/// guard's policy that applies to `principal` (JSON, as for `rg_guard_prepare`), for `lease_ms`
/// (0: the default) from `now_ms` (`RG_TIME_NONE`: the system clock). Stores the reservation in
/// `*out` as JSON: `{estimate, reserved, id, amount_micros, expires_at_ms, denials, shadow,
/// caps}`. A denial is not an error; a cost that cannot be bounded is `RG_PRICE_UNKNOWN`.
///
/// # Safety
/// `guard` and `ledger` are NULL or live; `principal` is NULL (only with `principal_len == 0`) or
/// readable for `principal_len` bytes; `prepared` is NULL or a live `rg_prepared` (its decision
/// not freed); `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_reserve(
    guard: *const rg_guard,
    ledger: *const rg_ledger,
    principal: *const u8,
    principal_len: usize,
    prepared: *const rg_prepared,
    lease_ms: u64,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_guard_reserve", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (guard, ledger, principal, prepared) = unsafe {
            let prepared: Option<&Prepared> = try_borrowed(prepared);
            (
                guard_arg(guard)?,
                ledger_arg(ledger)?,
                text_arg(principal, principal_len, "principal")?,
                prepared.ok_or_else(|| {
                    invalid_argument("the prepared request is NULL (a denied decision has none)")
                })?,
            )
        };
        let reservation = guard.host.reserve(
            ledger,
            principal,
            &prepared.host,
            lease(lease_ms),
            time(now_ms),
        )?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &reservation) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Settles reservation `id` from OpenRouter's response (JSON, or the final stream chunk carrying
/// `usage`; NULL when none arrived: the reservation is charged) with `outcome` (`completed`,
/// `streamed`, `cancelled`, `timed_out`, `failed`; empty: `completed`) at `now_ms`
/// (`RG_TIME_NONE`: the system clock). Stores the spend record in `*out` as JSON.
///
/// # Safety
/// `guard` and `ledger` are NULL or live; `id`, `response` and `outcome` are NULL (`id` and
/// `outcome` only with a length of 0) or readable for their lengths; `out` is writable; `err` is
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_guard_settle(
    guard: *const rg_guard,
    ledger: *const rg_ledger,
    id: *const u8,
    id_len: usize,
    response: *const u8,
    response_len: usize,
    outcome: *const u8,
    outcome_len: usize,
    now_ms: i64,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let result = catch("rg_guard_settle", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (guard, ledger, id, response, outcome) = unsafe {
            (
                guard_arg(guard)?,
                ledger_arg(ledger)?,
                text_arg(id, id_len, "id")?,
                match response.is_null() {
                    true => None,
                    false => Some(text_arg(response, response_len, "response")?),
                },
                text_arg(outcome, outcome_len, "outcome")?,
            )
        };
        let outcome = if outcome.is_empty() {
            "completed"
        } else {
            outcome
        };
        let record = guard
            .host
            .settle(ledger, id, response, outcome, time(now_ms))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { json_out(out, &record) }
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(result, err) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_lease_is_the_core_one() {
        assert_eq!(RG_DEFAULT_LEASE_MS, routeguard::host::DEFAULT_LEASE_MS);
    }
}
