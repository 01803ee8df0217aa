//! The governed call to OpenRouter: one call that applies the policy, reserves the budget, sends,
//! checks who served, filters the answer, settles and writes exactly one audit record, on every
//! path. `rg_client` sends with routeguard's own HTTP (whole answers and streams through a
//! callback); `rg_governor` and `rg_call` are for callers that send the request themselves. Each
//! export converts its arguments, calls `routeguard::host` (`HostClient`, `HostGovernor`,
//! `HostCall`) and hands the answer back as JSON text in an `rg_text`.

use std::ffi::{c_char, c_int, c_void};

use routeguard::host::{HostBegun, HostCall, HostClient, HostGovernor};
use routeguard::{Error, ErrorCode};

use crate::audit::{optional_trail, rg_audit_trail};
use crate::budget::{optional_ledger, rg_ledger};
use crate::error::{rg_error, rg_result};
use crate::ffi::{
    check_out, free_boxed, invalid_argument, rg_str, text_arg, to_boxed_ptr, try_ref, write_out,
    Boxed, CText,
};
use crate::guard::{guard_arg, rg_guard};
use crate::panic::{catch, report};
use crate::results::{rg_text, with_owned};

/// The function `rg_client_stream` calls with each chunk as it arrives: `chunk` is the chunk's
/// JSON (OpenRouter's `chat.completion.chunk` shape, after the policy's response filtering), `len`
/// bytes of UTF-8 followed by a NUL byte not counted in `len`; it is valid only during the call.
/// Return 0 to go on; anything else cancels the stream: routeguard stops reading, settles the
/// budget and records the call as cancelled, and `rg_client_stream` still returns the answer.
/// The callback runs on the thread that called `rg_client_stream`; it must not unwind or
/// `longjmp`, and must not free the client.
pub type rg_chunk_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, chunk: *const c_char, len: usize) -> c_int>;

/// A governed client: a guard with its ledger and audit trail, and routeguard's own connection to
/// OpenRouter. Internally synchronised: one client may be used from many threads at once. Free
/// it with `rg_client_free` once no call uses it.
pub struct rg_client {
    _private: [u8; 0],
}

/// What an `rg_client` handle owns: the host client and its base URL as a C string.
pub(crate) struct Client {
    host: HostClient,
    base_url: CText,
}

impl Boxed for rg_client {
    type Rust = Client;
}

/// A governor: a guard with its ledger and audit trail, for callers that send requests with
/// their own HTTP (`rg_governor_begin`, then `rg_call_complete` or `rg_call_fail`). Immutable:
/// one governor may be used from many threads at once. Free it with `rg_governor_free`; calls
/// begun by it stay valid after.
pub struct rg_governor {
    _private: [u8; 0],
}

impl Boxed for rg_governor {
    type Rust = HostGovernor;
}

/// A governed call begun by `rg_governor_begin`: the budget is reserved and the request to send
/// is ready (`rg_call_request`). End it once with `rg_call_complete` (OpenRouter's answer) or
/// `rg_call_fail` (the caller's HTTP failed), then free it with `rg_call_free`; a call freed
/// unfinished is settled and recorded as cancelled. Internally locked.
pub struct rg_call {
    _private: [u8; 0],
}

/// What an `rg_call` handle owns: the host call and its request as a C string.
pub(crate) struct Call {
    host: HostCall,
    request: CText,
}

impl Boxed for rg_call {
    type Rust = Call;
}

/// Writes an answer (JSON) into `*out`.
///
/// # Safety
/// `out` passed `check_out`.
unsafe fn answer_out(out: *mut *mut rg_text, answer: String) {
    // SAFETY: the caller promises `out` passed `check_out`.
    unsafe { write_out(out, to_boxed_ptr(CText::from_string(answer))) }
}

/// The client options (JSON); NULL or empty is `{}`.
///
/// # Safety
/// As `text_arg`.
unsafe fn options_arg<'a>(options: *const u8, options_len: usize) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    unsafe { text_arg(options, options_len, "options") }
}

/// Makes a governed client over `guard` and, when not NULL, `ledger` (budgets are reserved and
/// settled on it) and `trail` (each call writes one record to it), and stores it in `*out`. The
/// client holds its own references: the guard, ledger and trail may be freed before it.
/// `options` (JSON; NULL or empty: all defaults) is `{base_url?, api_key_env?, api_key_file?,
/// referer?, title?, timeout_ms?, connect_timeout_ms?, max_retries?, backoff_ms?,
/// hash_key_hex?}`. The API key is read from `api_key_file`, else from the environment variable
/// `api_key_env` (default `OPENROUTER_API_KEY`), never from the application; the base URL
/// defaults to `$OPENROUTER_BASE_URL`, else `https://openrouter.ai/api/v1`. Options that are not
/// valid are `RG_INVALID_ARGUMENT`, no key `RG_MISSING_API_KEY`.
///
/// # Safety
/// `guard` is NULL or live; `ledger` and `trail` are NULL or live; `options` is NULL (only with
/// `options_len == 0`) or readable for `options_len` bytes; `out` is writable; `err` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn rg_client_new(
    guard: *const rg_guard,
    ledger: *const rg_ledger,
    trail: *const rg_audit_trail,
    options: *const u8,
    options_len: usize,
    out: *mut *mut rg_client,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_client_new", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (guard, ledger, trail, options) = unsafe {
            (
                guard_arg(guard)?,
                optional_ledger(ledger),
                optional_trail(trail),
                options_arg(options, options_len)?,
            )
        };
        let host = HostClient::new(&guard.host, ledger, trail, options)?;
        let client = Client {
            base_url: CText::new(host.base_url()),
            host,
        };
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(client)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees a client. NULL is a no-op.
///
/// # Safety
/// `client` is NULL or an `rg_client` not freed before, that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rg_client_free(client: *mut rg_client) {
    // SAFETY: the caller hands over ownership.
    crate::panic::guard(|| unsafe { free_boxed(client) })
}

/// The base URL the client sends to (e.g. `https://openrouter.ai/api/v1`). Valid until the
/// client is freed; empty for NULL.
///
/// # Safety
/// `client` is NULL or a live `rg_client`.
#[no_mangle]
pub unsafe extern "C" fn rg_client_base_url(client: *const rg_client) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(client, rg_str::empty(), |c| c.base_url.as_rg_str()) }
}

/// # Safety
/// `client` is NULL or a live `rg_client`.
unsafe fn client_arg<'a>(client: *const rg_client) -> Result<&'a HostClient, Error> {
    // SAFETY: the caller promises `client` is NULL or live.
    unsafe { try_ref(client) }
        .map(|c| &c.host)
        .ok_or_else(|| invalid_argument("the client is NULL"))
}

/// Makes one governed chat completion for `principal` (JSON: `{user, workspace, groups?, tags?}`)
/// with `request` (JSON: an OpenRouter chat request, not streamed), blocking until it is over,
/// and stores the answer in `*out` as JSON: `{allowed, reasons: [{code, rule, message, shadow}],
/// notices, response (OpenRouter's response as the application may see it, or null), status,
/// stream, findings: [{path, detector, category, action, start, end}], spend (or null), audit
/// (the record's receipt, or null), fail_open}`. A denial, a provider outside the policy
/// (content withheld), or an upstream error is an answer with `allowed: false`, not an error.
/// Errors: bad input (`RG_INVALID_JSON`, `RG_INVALID_REQUEST`, ...), OpenRouter unreachable
/// (`RG_TRANSPORT_FAILED`), a ledger or audit sink that fails (`RG_LEDGER_UNAVAILABLE`,
/// `RG_AUDIT_UNAVAILABLE`).
///
/// # Safety
/// `client` is NULL or live; `principal` and `request` are NULL (only with a length of 0) or
/// readable for their lengths; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_client_chat(
    client: *const rg_client,
    principal: *const u8,
    principal_len: usize,
    request: *const u8,
    request_len: usize,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_client_chat", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (client, principal, request) = unsafe {
            (
                client_arg(client)?,
                text_arg(principal, principal_len, "principal")?,
                text_arg(request, request_len, "request")?,
            )
        };
        let answer = client.chat(principal, request)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { answer_out(out, answer) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// A C chunk callback and its user data, with the buffer that NUL-terminates each chunk.
struct ChunkTarget {
    function: unsafe extern "C" fn(*mut c_void, *const c_char, usize) -> c_int,
    user_data: *mut c_void,
    buffer: Vec<u8>,
}

impl ChunkTarget {
    /// Calls the callback with one chunk; true when it asks to go on.
    fn call(&mut self, chunk: &str) -> bool {
        self.buffer.clear();
        self.buffer.extend_from_slice(chunk.as_bytes());
        self.buffer.push(0);
        // SAFETY: the caller gave this function for this user data; the buffer holds
        // `chunk.len()` bytes and a NUL, and lives for the call.
        let code =
            unsafe { (self.function)(self.user_data, self.buffer.as_ptr().cast(), chunk.len()) };
        code == 0
    }
}

/// Makes one governed, streamed chat completion (as `rg_client_chat`; the request is sent with
/// `stream: true`), calling `callback` (when not NULL) with `user_data` for each chunk as it
/// arrives, and stores the answer in `*out` once the stream is over (for a refusal, at once,
/// without a chunk). The answer's `response` holds the whole message assembled from the chunks.
/// A non-zero return from `callback` cancels the stream: no further chunk is read, the call is
/// settled and recorded as cancelled, and the answer is still stored. Errors as for
/// `rg_client_chat`; an error while reading settles and records the call before it is returned.
///
/// # Safety
/// `client` is NULL or live; `principal` and `request` are NULL (only with a length of 0) or
/// readable for their lengths; `callback` is NULL or a function of the documented type;
/// `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_client_stream(
    client: *const rg_client,
    principal: *const u8,
    principal_len: usize,
    request: *const u8,
    request_len: usize,
    callback: rg_chunk_fn,
    user_data: *mut c_void,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_client_stream", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (client, principal, request) = unsafe {
            (
                client_arg(client)?,
                text_arg(principal, principal_len, "principal")?,
                text_arg(request, request_len, "request")?,
            )
        };
        let mut target = callback.map(|function| ChunkTarget {
            function,
            user_data,
            buffer: Vec::new(),
        });
        // Dropped on every early return (an error, a panic): an unfinished stream then settles
        // and records itself as cancelled.
        let stream = client.stream(principal, request)?;
        while let Some(chunk) = stream.next()? {
            if let Some(target) = target.as_mut() {
                if !target.call(&chunk) {
                    stream.cancel()?;
                    break;
                }
            }
        }
        let answer = stream
            .answer()
            .ok_or_else(|| Error::new(ErrorCode::Internal, "the stream ended without an answer"))?;
        // SAFETY: `out` passed `check_out`.
        unsafe { answer_out(out, answer) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Makes a governor over `guard` and, when not NULL, `ledger` and `trail` (as `rg_client_new`)
/// and stores it in `*out`. Of `options` (JSON; NULL or empty: none) only `hash_key_hex` is read
/// (other client options are accepted and ignored); options that are not valid are
/// `RG_INVALID_ARGUMENT`. No API key is needed: the caller sends the requests.
///
/// # Safety
/// `guard` is NULL or live; `ledger` and `trail` are NULL or live; `options` is NULL (only with
/// `options_len == 0`) or readable for `options_len` bytes; `out` is writable; `err` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn rg_governor_new(
    guard: *const rg_guard,
    ledger: *const rg_ledger,
    trail: *const rg_audit_trail,
    options: *const u8,
    options_len: usize,
    out: *mut *mut rg_governor,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_governor_new", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (guard, ledger, trail, options) = unsafe {
            (
                guard_arg(guard)?,
                optional_ledger(ledger),
                optional_trail(trail),
                options_arg(options, options_len)?,
            )
        };
        let governor = HostGovernor::new(&guard.host, ledger, trail, options)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr::<rg_governor>(governor)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees a governor. NULL is a no-op. Calls it began stay valid.
///
/// # Safety
/// `governor` is NULL or an `rg_governor` not freed before, that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rg_governor_free(governor: *mut rg_governor) {
    // SAFETY: the caller hands over ownership.
    crate::panic::guard(|| unsafe { free_boxed(governor) })
}

/// Begins a governed call for `principal` with `request` (JSON, as for `rg_client_chat`):
/// applies the policy and reserves the budget. On success exactly one of the two out parameters
/// is set to an object and the other to NULL:
/// - the request may be sent: `*call_out` receives the call (send `rg_call_request` to
///   OpenRouter's `/chat/completions`, then `rg_call_complete` or `rg_call_fail`, then
///   `rg_call_free`) and `*refused_out` is set to NULL;
/// - the request is refused (a denial or a budget denial; it must not be sent, and the record
///   is already written): `*call_out` is set to NULL and `*refused_out` receives the answer
///   (JSON, as for `rg_client_chat`, with `allowed: false`).
///
/// Errors (bad input, a ledger or audit sink that fails) write neither.
///
/// # Safety
/// `governor` is NULL or live; `principal` and `request` are NULL (only with a length of 0) or
/// readable for their lengths; `call_out` and `refused_out` are writable; `err` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn rg_governor_begin(
    governor: *const rg_governor,
    principal: *const u8,
    principal_len: usize,
    request: *const u8,
    request_len: usize,
    call_out: *mut *mut rg_call,
    refused_out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_governor_begin", || {
        check_out(call_out)?;
        check_out(refused_out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (governor, principal, request) = unsafe {
            (
                try_ref::<rg_governor>(governor)
                    .ok_or_else(|| invalid_argument("the governor is NULL"))?,
                text_arg(principal, principal_len, "principal")?,
                text_arg(request, request_len, "request")?,
            )
        };
        match governor.begin(principal, request)? {
            HostBegun::Refused(answer) => {
                // SAFETY: both out parameters passed `check_out`.
                unsafe {
                    write_out(call_out, std::ptr::null_mut());
                    answer_out(refused_out, answer);
                }
            }
            HostBegun::Send(host) => {
                let call = Call {
                    request: CText::new(host.request()),
                    host,
                };
                // SAFETY: both out parameters passed `check_out`.
                unsafe {
                    write_out(refused_out, std::ptr::null_mut());
                    write_out(call_out, to_boxed_ptr::<rg_call>(call));
                }
            }
        }
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// The request to send (compact JSON), as the policy prepared it: POST it to
/// `<base URL>/chat/completions` with `Authorization: Bearer <key>` and `Content-Type:
/// application/json`. Valid until the call is freed; empty for NULL.
///
/// # Safety
/// `call` is NULL or a live `rg_call`.
#[no_mangle]
pub unsafe extern "C" fn rg_call_request(call: *const rg_call) -> rg_str {
    // SAFETY: forwarded contract.
    unsafe { with_owned(call, rg_str::empty(), |c| c.request.as_rg_str()) }
}

/// # Safety
/// `call` is NULL or a live `rg_call`.
unsafe fn call_arg<'a>(call: *const rg_call) -> Result<&'a HostCall, Error> {
    // SAFETY: the caller promises `call` is NULL or live.
    unsafe { try_ref(call) }
        .map(|c| &c.host)
        .ok_or_else(|| invalid_argument("the call is NULL"))
}

/// Completes the call with OpenRouter's HTTP `status` and response `body` (any bytes of UTF-8;
/// a body that is not JSON is read as an upstream error): checks who served, filters the
/// answer, settles the budget and writes the record. Stores the answer in `*out` (JSON, as for
/// `rg_client_chat`). A call already completed or failed is `RG_INVALID_ARGUMENT`.
///
/// # Safety
/// `call` is NULL or live; `body` is NULL (only with `body_len == 0`) or readable for
/// `body_len` bytes; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_call_complete(
    call: *mut rg_call,
    status: u16,
    body: *const u8,
    body_len: usize,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_call_complete", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (call, body) = unsafe { (call_arg(call)?, text_arg(body, body_len, "body")?) };
        let answer = call.complete(status, body)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { answer_out(out, answer) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Ends the call without an answer because the caller's HTTP failed: settles the budget and
/// records the failure with `message` (say what failed; do not put prompt text or keys in it).
/// A call already completed or failed is `RG_INVALID_ARGUMENT`.
///
/// # Safety
/// `call` is NULL or live; `message` is NULL (only with `message_len == 0`) or readable for
/// `message_len` bytes; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_call_fail(
    call: *mut rg_call,
    message: *const u8,
    message_len: usize,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_call_fail", || {
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (call, message) =
            unsafe { (call_arg(call)?, text_arg(message, message_len, "message")?) };
        call.fail(message)
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees a call. A call neither completed nor failed is settled and recorded as cancelled
/// first. NULL is a no-op.
///
/// # Safety
/// `call` is NULL or an `rg_call` not freed before, that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rg_call_free(call: *mut rg_call) {
    // SAFETY: the caller hands over ownership.
    crate::panic::guard(|| unsafe { free_boxed(call) })
}
