//! The engine's handles: scanners, apply options, pseudonym vaults and streams. Each export
//! converts its arguments, calls `routeguard::host` and wraps the outcome in a result object.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Arc;

use routeguard::dlp::text::Unit;
use routeguard::host::{ApplyOptions, ConfigSource, HostScanner, HostStream, SharedVault};
use routeguard::Error;

use crate::error::{rg_error, rg_result};
use crate::ffi::{
    bytes_arg, check_out, free_boxed, invalid_argument, not_utf8, text_arg, to_boxed_ptr, try_mut,
    try_ref, write_out, Boxed, CText,
};
use crate::panic::{catch, guard, report};
use crate::results::{
    rg_findings, rg_redaction, rg_released, rg_request_scan, rg_text, Findings, Redaction,
    Released, RequestScan,
};

/// How `rg_scanner_new` reads its `config` bytes: one of the `RG_CONFIG_*` values.
pub type rg_config_format = u32;
/// The built-in default profile (every detector, default actions); `config` must be empty.
pub const RG_CONFIG_DEFAULT: rg_config_format = 0;
/// `config` is a configuration document in JSON.
pub const RG_CONFIG_JSON: rg_config_format = 1;
/// `config` is a configuration document in YAML.
pub const RG_CONFIG_YAML: rg_config_format = 2;
/// `config` is the path of a `.json`, `.yaml` or `.yml` file (any bytes the OS accepts).
pub const RG_CONFIG_FILE: rg_config_format = 3;

/// A compiled scanner. Immutable: one scanner may be used from many threads at once. Free it
/// with `rg_scanner_free` once no call and no stream uses it any more (streams keep their own
/// share, so a stream may outlive the scanner it came from).
pub struct rg_scanner {
    _private: [u8; 0],
}

impl Boxed for rg_scanner {
    type Rust = HostScanner;
}

/// How redaction, request scans and streams apply actions. Build it with `rg_options_new` and the
/// setters, then pass it (or NULL for the defaults) to any number of calls, from any number of
/// threads, as long as no setter runs at the same time. Calls copy what they need, so the options
/// may be freed or changed right after a call returns.
pub struct rg_options {
    _private: [u8; 0],
}

impl Boxed for rg_options {
    type Rust = ApplyOptions;
}

/// A pseudonym vault: `pseudonymize` stores each value here under a token, and `rg_vault_restore`
/// puts the values back. Internally locked, so one vault may be shared by many threads. Options
/// that name it keep their own share, so it may be freed before them.
pub struct rg_vault {
    _private: [u8; 0],
}

impl Boxed for rg_vault {
    type Rust = Arc<SharedVault>;
}

/// A text arriving in pieces (a streamed prompt or response). Use it from one thread at a time.
pub struct rg_stream {
    _private: [u8; 0],
}

/// What an `rg_stream` handle owns: the host stream plus the bytes of a UTF-8 character that a
/// chunk boundary cut in two, held until the next chunk completes it.
pub(crate) struct Stream {
    host: HostStream,
    partial: Vec<u8>,
}

impl Boxed for rg_stream {
    type Rust = Stream;
}

/// # Safety
/// `scanner` is NULL or a live `rg_scanner`.
unsafe fn scanner_arg<'a>(scanner: *const rg_scanner) -> Result<&'a HostScanner, Error> {
    // SAFETY: the caller promises `scanner` is NULL or live.
    unsafe { try_ref(scanner) }.ok_or_else(|| invalid_argument("the scanner is NULL"))
}

/// NULL options are the defaults.
///
/// # Safety
/// `options` is NULL or a live `rg_options`.
unsafe fn options_arg(options: *const rg_options) -> ApplyOptions {
    // SAFETY: the caller promises `options` is NULL or live.
    unsafe { try_ref(options) }.cloned().unwrap_or_default()
}

/// Builds a scanner from the default profile or a configuration, and stores it in `*out`.
/// Configuration errors (`RG_INVALID_CONFIG`, `RG_INVALID_PATTERN`, ...) name the path (and for
/// YAML the line) of the mistake.
///
/// # Safety
/// `config` is NULL (only with `config_len == 0`) or readable for `config_len` bytes; `out` is
/// writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_scanner_new(
    config: *const u8,
    config_len: usize,
    format: rg_config_format,
    out: *mut *mut rg_scanner,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_scanner_new", || {
        check_out(out)?;
        // SAFETY: the caller promises `config`/`config_len` describe readable bytes.
        let bytes = unsafe { bytes_arg(config, config_len, "config") }?;
        let utf8 = || std::str::from_utf8(bytes).map_err(|e| not_utf8("config", e.valid_up_to()));
        let scanner = match format {
            RG_CONFIG_DEFAULT if bytes.is_empty() => HostScanner::new(ConfigSource::Default),
            RG_CONFIG_DEFAULT => {
                return Err(invalid_argument("RG_CONFIG_DEFAULT takes no config bytes"))
            }
            RG_CONFIG_JSON => HostScanner::new(ConfigSource::Json(utf8()?)),
            RG_CONFIG_YAML => HostScanner::new(ConfigSource::Yaml(utf8()?)),
            RG_CONFIG_FILE => {
                HostScanner::new(ConfigSource::File(Path::new(OsStr::from_bytes(bytes))))
            }
            other => return Err(invalid_argument(format!("unknown config format {other}"))),
        }?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(scanner)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees a scanner. NULL is a no-op.
///
/// # Safety
/// `scanner` is NULL or an `rg_scanner` not freed before, that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rg_scanner_free(scanner: *mut rg_scanner) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(scanner) })
}

/// Finds personal data and secrets in `text` (UTF-8) and stores the list in `*out`; offsets are in
/// bytes of `text`.
///
/// # Safety
/// `scanner` is NULL or live; `text` is NULL (only with `text_len == 0`) or readable for
/// `text_len` bytes; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_scanner_scan(
    scanner: *const rg_scanner,
    text: *const u8,
    text_len: usize,
    out: *mut *mut rg_findings,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_scanner_scan", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (scanner, text) = unsafe { (scanner_arg(scanner)?, text_arg(text, text_len, "text")?) };
        let findings = Findings::new(scanner.scan(text, Unit::Byte));
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(findings)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Scans `text` and applies every finding's action (or the one set in `options`; NULL options are
/// the defaults), storing the outcome in `*out`. A blocked text is not an error: check
/// `rg_redaction_blocked`.
///
/// # Safety
/// As `rg_scanner_scan`; `options` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn rg_scanner_redact(
    scanner: *const rg_scanner,
    text: *const u8,
    text_len: usize,
    options: *const rg_options,
    out: *mut *mut rg_redaction,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_scanner_redact", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (scanner, text, options) = unsafe {
            (
                scanner_arg(scanner)?,
                text_arg(text, text_len, "text")?,
                options_arg(options),
            )
        };
        let redaction = Redaction::from(scanner.redact(text, Unit::Byte, &options)?);
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(redaction)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Scans an OpenRouter chat request given as JSON text, rewrites it with the actions applied and
/// stores the outcome in `*out`. Malformed JSON is `RG_INVALID_JSON`; JSON of the wrong shape is
/// `RG_INVALID_REQUEST`.
///
/// # Safety
/// As `rg_scanner_redact`, with `request`/`request_len` for the text.
#[no_mangle]
pub unsafe extern "C" fn rg_scanner_scan_request(
    scanner: *const rg_scanner,
    request: *const u8,
    request_len: usize,
    options: *const rg_options,
    out: *mut *mut rg_request_scan,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_scanner_scan_request", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (scanner, request, options) = unsafe {
            (
                scanner_arg(scanner)?,
                text_arg(request, request_len, "request")?,
                options_arg(options),
            )
        };
        let scan = RequestScan::from(scanner.scan_request(request, Unit::Byte, &options)?);
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(scan)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Starts a stream over this scanner with these options (NULL: the defaults) and stores it in
/// `*out`. The stream keeps its own share of the scanner and a copy of the options.
///
/// # Safety
/// `scanner` is NULL or live; `options` is NULL or live; `out` is writable; `err` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn rg_scanner_stream(
    scanner: *const rg_scanner,
    options: *const rg_options,
    out: *mut *mut rg_stream,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_scanner_stream", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (scanner, options) = unsafe { (scanner_arg(scanner)?, options_arg(options)) };
        let stream = Stream {
            host: scanner.stream(Unit::Byte, options),
            partial: Vec::new(),
        };
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(stream)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// The detectors this scanner runs, as a JSON array of `{id, category, kind, country, validation,
/// default_action, action, confidence, context_required, builtin}`, stored in `*out`.
///
/// # Safety
/// `scanner` is NULL or live; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_scanner_detectors_json(
    scanner: *const rg_scanner,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_scanner_detectors_json", || {
        check_out(out)?;
        // SAFETY: forwarded contract.
        let scanner = unsafe { scanner_arg(scanner) }?;
        let json = serde_json::to_string(&scanner.detectors()).map_err(|e| {
            Error::new(
                routeguard::ErrorCode::Internal,
                format!("encoding detectors: {e}"),
            )
        })?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(CText::from_string(json))) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// The most bytes a stream over this scanner holds back before releasing; 0 for NULL.
///
/// # Safety
/// `scanner` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn rg_scanner_stream_holdback(scanner: *const rg_scanner) -> usize {
    // SAFETY: the caller promises `scanner` is NULL or live.
    guard(|| unsafe { try_ref(scanner) }.map_or(0, HostScanner::stream_holdback))
}

/// Makes options with the defaults (each finding's own action, no hash key, no vault) and stores
/// them in `*out`.
///
/// # Safety
/// `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_options_new(
    out: *mut *mut rg_options,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_options_new", || {
        check_out(out)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(ApplyOptions::default())) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Applies this action to every finding instead of each detector's own: `block`, `mask`,
/// `redact`, `hash`, `pseudonymize` (or `pseudonymise`) or `log`. An empty name (or NULL, 0)
/// clears the override. Any other name is `RG_INVALID_ARGUMENT` and leaves the options unchanged.
///
/// # Safety
/// `options` is NULL or live and not used by another thread during the call; `action` is NULL
/// (only with `action_len == 0`) or readable for `action_len` bytes; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_options_set_action(
    options: *mut rg_options,
    action: *const u8,
    action_len: usize,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_options_set_action", || {
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (options, name) = unsafe {
            (
                options_mut(options)?,
                text_arg(action, action_len, "action")?,
            )
        };
        options.action = match name {
            "" => None,
            name => Some(ApplyOptions::parse_action(name)?),
        };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Sets the key of the `hash` action (any bytes; copied). An empty key (or NULL, 0) removes it.
///
/// # Safety
/// `options` is NULL or live and not used by another thread during the call; `key` is NULL (only
/// with `key_len == 0`) or readable for `key_len` bytes; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_options_set_hash_key(
    options: *mut rg_options,
    key: *const u8,
    key_len: usize,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_options_set_hash_key", || {
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (options, key) = unsafe { (options_mut(options)?, bytes_arg(key, key_len, "key")?) };
        options.hash_key = (!key.is_empty()).then(|| Arc::from(key));
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Sets the vault that `pseudonymize` stores its tokens in (the options keep a share of it); NULL
/// removes it.
///
/// # Safety
/// `options` is NULL or live and not used by another thread during the call; `vault` is NULL or
/// live; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_options_set_vault(
    options: *mut rg_options,
    vault: *const rg_vault,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_options_set_vault", || {
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (options, vault) = unsafe { (options_mut(options)?, try_ref(vault)) };
        options.vault = vault.cloned();
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees options. NULL is a no-op.
///
/// # Safety
/// `options` is NULL or an `rg_options` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_options_free(options: *mut rg_options) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(options) })
}

/// # Safety
/// `options` is NULL or live and unaliased for `'a`.
unsafe fn options_mut<'a>(options: *mut rg_options) -> Result<&'a mut ApplyOptions, Error> {
    // SAFETY: forwarded contract.
    unsafe { try_mut(options) }.ok_or_else(|| invalid_argument("the options are NULL"))
}

/// Makes an empty vault and stores it in `*out`.
///
/// # Safety
/// `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_vault_new(
    out: *mut *mut rg_vault,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_vault_new", || {
        check_out(out)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr::<rg_vault>(Arc::new(SharedVault::new()))) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// How many distinct values the vault holds; 0 for NULL.
///
/// # Safety
/// `vault` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn rg_vault_len(vault: *const rg_vault) -> usize {
    // SAFETY: the caller promises `vault` is NULL or live.
    guard(|| unsafe { try_ref(vault) }.map_or(0, |v: &Arc<SharedVault>| v.len()))
}

/// Puts the original values back in place of this vault's pseudonyms in `text` and stores the
/// result in `*out`.
///
/// # Safety
/// `vault` is NULL or live; `text` is NULL (only with `text_len == 0`) or readable for `text_len`
/// bytes; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_vault_restore(
    vault: *const rg_vault,
    text: *const u8,
    text_len: usize,
    out: *mut *mut rg_text,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_vault_restore", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (vault, text) = unsafe {
            let vault: Option<&Arc<SharedVault>> = try_ref(vault);
            (
                vault.ok_or_else(|| invalid_argument("the vault is NULL"))?,
                text_arg(text, text_len, "text")?,
            )
        };
        let restored = CText::from_string(vault.restore(text));
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(restored)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Frees (this handle's share of) a vault. NULL is a no-op.
///
/// # Safety
/// `vault` is NULL or an `rg_vault` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_vault_free(vault: *mut rg_vault) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(vault) })
}

impl Stream {
    /// Pushes a chunk of bytes. A UTF-8 character cut by the chunk boundary is held until the next
    /// chunk; bytes that can never be UTF-8 are `invalid_utf8` and leave the stream unchanged.
    fn push(&mut self, chunk: &[u8]) -> Result<Released, Error> {
        let joined;
        let bytes = if self.partial.is_empty() {
            chunk
        } else {
            joined = [self.partial.as_slice(), chunk].concat();
            joined.as_slice()
        };
        let (text, rest) = match std::str::from_utf8(bytes) {
            Ok(text) => (text, &[][..]),
            Err(e) if e.error_len().is_none() => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                // `valid_up_to` ends on a character boundary, so this cannot fail.
                let text =
                    std::str::from_utf8(valid).map_err(|e| not_utf8("chunk", e.valid_up_to()))?;
                (text, rest)
            }
            Err(e) => {
                let offset = e.valid_up_to().saturating_sub(self.partial.len());
                return Err(not_utf8("chunk", offset));
            }
        };
        let released = self.host.push(text)?;
        self.partial = rest.to_vec();
        Ok(Released::from(released))
    }

    fn finish(&mut self) -> Result<Released, Error> {
        if !self.partial.is_empty() {
            return Err(Error::new(
                routeguard::ErrorCode::InvalidUtf8,
                format!(
                    "the stream ended inside a UTF-8 character ({} bytes held)",
                    self.partial.len()
                ),
            ));
        }
        Ok(Released::from(self.host.finish()?))
    }
}

/// Feeds a chunk (bytes of UTF-8 text; a character may be split across chunks) and stores what
/// may be passed on now in `*out` (possibly nothing: check `rg_released_text`). Bytes that are not
/// UTF-8 are `RG_INVALID_UTF8` and leave the stream as it was. Pushing after `rg_stream_finish` is
/// `RG_INVALID_ARGUMENT`.
///
/// # Safety
/// `stream` is NULL or live and not used by another thread during the call; `chunk` is NULL (only
/// with `chunk_len == 0`) or readable for `chunk_len` bytes; `out` is writable; `err` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn rg_stream_push(
    stream: *mut rg_stream,
    chunk: *const u8,
    chunk_len: usize,
    out: *mut *mut rg_released,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_stream_push", || {
        check_out(out)?;
        // SAFETY: pointer arguments are forwarded under the caller's contract.
        let (stream, chunk) =
            unsafe { (stream_mut(stream)?, bytes_arg(chunk, chunk_len, "chunk")?) };
        let released = stream.push(chunk)?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(released)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Ends the stream and stores everything still held in `*out`. A stream that ends inside a UTF-8
/// character is `RG_INVALID_UTF8`.
///
/// # Safety
/// `stream` is NULL or live and not used by another thread during the call; `out` is writable;
/// `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rg_stream_finish(
    stream: *mut rg_stream,
    out: *mut *mut rg_released,
    err: *mut *mut rg_error,
) -> rg_result {
    let outcome = catch("rg_stream_finish", || {
        check_out(out)?;
        // SAFETY: forwarded contract.
        let stream = unsafe { stream_mut(stream) }?;
        let released = stream.finish()?;
        // SAFETY: `out` passed `check_out`.
        unsafe { write_out(out, to_boxed_ptr(released)) };
        Ok(())
    });
    // SAFETY: the caller promises `err` is NULL or writable.
    unsafe { report(outcome, err) }
}

/// Bytes received and not yet released (including a split character); 0 for NULL.
///
/// # Safety
/// `stream` is NULL or live and not used by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn rg_stream_pending(stream: *const rg_stream) -> usize {
    // SAFETY: the caller promises `stream` is NULL or live.
    guard(|| unsafe { try_ref(stream) }.map_or(0, |s: &Stream| s.host.pending() + s.partial.len()))
}

/// Frees a stream (what it still holds is dropped). NULL is a no-op.
///
/// # Safety
/// `stream` is NULL or an `rg_stream` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_stream_free(stream: *mut rg_stream) {
    // SAFETY: the caller hands over ownership.
    guard(|| unsafe { free_boxed(stream) })
}

/// # Safety
/// `stream` is NULL or live and unaliased for `'a`.
unsafe fn stream_mut<'a>(stream: *mut rg_stream) -> Result<&'a mut Stream, Error> {
    // SAFETY: forwarded contract.
    unsafe { try_mut(stream) }.ok_or_else(|| invalid_argument("the stream is NULL"))
}
