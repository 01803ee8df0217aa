//! Error codes and the error object: `rg_result` mirrors `routeguard::ErrorCode` number for number,
//! and `rg_error` carries the code and a message free of scanned content.

use routeguard::{Error, ErrorCode};

use crate::ffi::{free_boxed, rg_str, try_ref, Boxed, CText};
use crate::panic::guard;

/// What every fallible function returns: `RG_OK` (0) or the stable number of the error, the same
/// number in every routeguard language. Numbers are grouped by area (1000s input, 2000s
/// configuration, 3000s DLP outcomes, 4000s budgets, 5000s the audit trail, 6000s the transport
/// to OpenRouter, 9000s bugs) and never reused.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum rg_result {
    /// Success.
    RG_OK = 0,
    /// Text or a byte string is not valid UTF-8.
    RG_INVALID_UTF8 = 1000,
    /// JSON input could not be parsed.
    RG_INVALID_JSON = 1001,
    /// A chat request is JSON but not the shape OpenRouter accepts.
    RG_INVALID_REQUEST = 1002,
    /// Input is larger than the configured limit.
    RG_INPUT_TOO_LARGE = 1003,
    /// An argument is NULL where it may not be, out of range, or not one of the allowed values.
    RG_INVALID_ARGUMENT = 1004,
    /// A pseudonym token could not be restored because the vault does not hold it.
    RG_UNKNOWN_PSEUDONYM = 1005,
    /// The configuration document is malformed or has unknown keys or wrong types.
    RG_INVALID_CONFIG = 2000,
    /// A custom pattern does not compile.
    RG_INVALID_PATTERN = 2001,
    /// A custom pattern compiles to more than the size limit.
    RG_PATTERN_TOO_LARGE = 2002,
    /// A configuration names a detector, category or kind that does not exist.
    RG_UNKNOWN_DETECTOR = 2003,
    /// A custom detector names a validator that does not exist.
    RG_UNKNOWN_VALIDATOR = 2004,
    /// Two detectors share an id.
    RG_DUPLICATE_DETECTOR = 2005,
    /// A file named by the configuration could not be read.
    RG_CONFIG_FILE_UNREADABLE = 2006,
    /// A keyed action (hash, pseudonymize) has no key configured.
    RG_MISSING_KEY = 2007,
    /// The policy is malformed, has an unknown key, a wrong type or an invalid value.
    RG_INVALID_POLICY = 2100,
    /// A glob in the policy is not valid.
    RG_INVALID_GLOB = 2101,
    /// The policy version is not supported by this release.
    RG_UNSUPPORTED_POLICY_VERSION = 2102,
    /// The provider catalogue is malformed.
    RG_INVALID_CATALOG = 2103,
    /// The policy names a provider, country or group that is not known.
    RG_UNKNOWN_PROVIDER = 2104,
    /// Scanning found content whose action is `block`.
    RG_BLOCKED = 3000,
    /// A price or token limit needed to bound or compute a cost is unknown.
    RG_PRICE_UNKNOWN = 4000,
    /// A settlement or renewal names a reservation the ledger does not hold.
    RG_UNKNOWN_RESERVATION = 4001,
    /// A reservation is settled a second time.
    RG_ALREADY_SETTLED = 4002,
    /// The ledger's store could not be opened, read or written.
    RG_LEDGER_UNAVAILABLE = 4003,
    /// A ledger URL is not `memory:`, `sqlite:PATH` or `postgres://...`.
    RG_INVALID_LEDGER_URL = 4004,
    /// The audit sink could not be written (the request fails closed).
    RG_AUDIT_UNAVAILABLE = 5000,
    /// An audit event or record is malformed or has an unknown field.
    RG_INVALID_AUDIT_RECORD = 5001,
    /// An audit key is missing, unreadable or of the wrong size.
    RG_AUDIT_KEY_INVALID = 5002,
    /// The audit trail is closed: a write, checkpoint or flush after `rg_audit_trail_close`.
    RG_AUDIT_TRAIL_CLOSED = 5003,
    /// An audit log could not be read.
    RG_AUDIT_UNREADABLE = 5004,
    /// No OpenRouter API key is configured (environment variable or file).
    RG_MISSING_API_KEY = 6000,
    /// OpenRouter could not be reached, or the connection failed or timed out.
    RG_TRANSPORT_FAILED = 6001,
    /// OpenRouter answered with an error status.
    RG_UPSTREAM_ERROR = 6002,
    /// An internal invariant failed or a panic was caught: a bug in routeguard.
    RG_INTERNAL = 9000,
}

impl rg_result {
    /// The C code of a core error code.
    pub(crate) fn from_code(code: ErrorCode) -> rg_result {
        match code {
            ErrorCode::InvalidUtf8 => rg_result::RG_INVALID_UTF8,
            ErrorCode::InvalidJson => rg_result::RG_INVALID_JSON,
            ErrorCode::InvalidRequest => rg_result::RG_INVALID_REQUEST,
            ErrorCode::InputTooLarge => rg_result::RG_INPUT_TOO_LARGE,
            ErrorCode::InvalidArgument => rg_result::RG_INVALID_ARGUMENT,
            ErrorCode::UnknownPseudonym => rg_result::RG_UNKNOWN_PSEUDONYM,
            ErrorCode::InvalidConfig => rg_result::RG_INVALID_CONFIG,
            ErrorCode::InvalidPattern => rg_result::RG_INVALID_PATTERN,
            ErrorCode::PatternTooLarge => rg_result::RG_PATTERN_TOO_LARGE,
            ErrorCode::UnknownDetector => rg_result::RG_UNKNOWN_DETECTOR,
            ErrorCode::UnknownValidator => rg_result::RG_UNKNOWN_VALIDATOR,
            ErrorCode::DuplicateDetector => rg_result::RG_DUPLICATE_DETECTOR,
            ErrorCode::ConfigFileUnreadable => rg_result::RG_CONFIG_FILE_UNREADABLE,
            ErrorCode::MissingKey => rg_result::RG_MISSING_KEY,
            ErrorCode::InvalidPolicy => rg_result::RG_INVALID_POLICY,
            ErrorCode::InvalidGlob => rg_result::RG_INVALID_GLOB,
            ErrorCode::UnsupportedPolicyVersion => rg_result::RG_UNSUPPORTED_POLICY_VERSION,
            ErrorCode::InvalidCatalog => rg_result::RG_INVALID_CATALOG,
            ErrorCode::UnknownProvider => rg_result::RG_UNKNOWN_PROVIDER,
            ErrorCode::Blocked => rg_result::RG_BLOCKED,
            ErrorCode::PriceUnknown => rg_result::RG_PRICE_UNKNOWN,
            ErrorCode::UnknownReservation => rg_result::RG_UNKNOWN_RESERVATION,
            ErrorCode::AlreadySettled => rg_result::RG_ALREADY_SETTLED,
            ErrorCode::LedgerUnavailable => rg_result::RG_LEDGER_UNAVAILABLE,
            ErrorCode::InvalidLedgerUrl => rg_result::RG_INVALID_LEDGER_URL,
            ErrorCode::AuditUnavailable => rg_result::RG_AUDIT_UNAVAILABLE,
            ErrorCode::InvalidAuditRecord => rg_result::RG_INVALID_AUDIT_RECORD,
            ErrorCode::AuditKeyInvalid => rg_result::RG_AUDIT_KEY_INVALID,
            ErrorCode::AuditTrailClosed => rg_result::RG_AUDIT_TRAIL_CLOSED,
            ErrorCode::AuditUnreadable => rg_result::RG_AUDIT_UNREADABLE,
            ErrorCode::MissingApiKey => rg_result::RG_MISSING_API_KEY,
            ErrorCode::TransportFailed => rg_result::RG_TRANSPORT_FAILED,
            ErrorCode::UpstreamError => rg_result::RG_UPSTREAM_ERROR,
            ErrorCode::Internal => rg_result::RG_INTERNAL,
        }
    }
}

/// An error: its code and a message. Made by a failing call into `*err`; free it with
/// `rg_error_free`. Immutable, so it may be read from any thread.
pub struct rg_error {
    _private: [u8; 0],
}

/// What an `rg_error` handle owns.
pub(crate) struct ErrorRecord {
    code: ErrorCode,
    name: CText,
    message: CText,
}

impl ErrorRecord {
    pub(crate) fn new(error: &Error) -> ErrorRecord {
        ErrorRecord {
            code: error.code(),
            name: CText::new(error.code().name()),
            message: CText::new(error.message()),
        }
    }
}

impl Boxed for rg_error {
    type Rust = ErrorRecord;
}

/// The error's number (`rg_result`), e.g. `RG_INVALID_UTF8` (1000). `RG_OK` for NULL.
///
/// # Safety
/// `err` is NULL or a live `rg_error`.
#[no_mangle]
pub unsafe extern "C" fn rg_error_number(err: *const rg_error) -> rg_result {
    guard(|| {
        // SAFETY: the caller promises `err` is NULL or live.
        match unsafe { try_ref(err) } {
            Some(e) => rg_result::from_code(e.code),
            None => rg_result::RG_OK,
        }
    })
}

/// The error's stable snake_case name, e.g. `invalid_utf8` (the `.code` of the other languages).
/// Valid until the error is freed; empty for NULL.
///
/// # Safety
/// `err` is NULL or a live `rg_error`.
#[no_mangle]
pub unsafe extern "C" fn rg_error_code(err: *const rg_error) -> rg_str {
    guard(|| {
        // SAFETY: the caller promises `err` is NULL or live.
        match unsafe { try_ref(err) } {
            Some(e) => e.name.as_rg_str(),
            None => rg_str::empty(),
        }
    })
}

/// A one-line message naming what went wrong and where (a configuration path, a byte offset, a
/// limit). It never contains scanned text or secrets. Valid until the error is freed; empty for NULL.
///
/// # Safety
/// `err` is NULL or a live `rg_error`.
#[no_mangle]
pub unsafe extern "C" fn rg_error_message(err: *const rg_error) -> rg_str {
    guard(|| {
        // SAFETY: the caller promises `err` is NULL or live.
        match unsafe { try_ref(err) } {
            Some(e) => e.message.as_rg_str(),
            None => rg_str::empty(),
        }
    })
}

/// Frees an error. NULL is a no-op.
///
/// # Safety
/// `err` is NULL or an `rg_error` not freed before; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_error_free(err: *mut rg_error) {
    // SAFETY: the caller hands over ownership of a live error or NULL.
    guard(|| unsafe { free_boxed(err) })
}

/// The error table, for the `rg_result_*` functions: NUL-terminated names and meanings.
struct TableRow {
    code: ErrorCode,
    name: CText,
    meaning: CText,
}

fn table() -> &'static [TableRow] {
    static TABLE: std::sync::OnceLock<Vec<TableRow>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        ErrorCode::ALL
            .iter()
            .map(|&code| TableRow {
                code,
                name: CText::new(code.name()),
                meaning: CText::new(code.meaning()),
            })
            .collect()
    })
}

fn row(number: u32) -> Option<&'static TableRow> {
    table().iter().find(|r| r.code.number() == number)
}

/// How many error codes exist (`RG_OK` not counted).
#[no_mangle]
pub extern "C" fn rg_result_count() -> usize {
    guard(|| table().len())
}

/// The number of the `index`-th error code, in numeric order; 0 when `index` is out of range.
#[no_mangle]
pub extern "C" fn rg_result_at(index: usize) -> u32 {
    guard(|| table().get(index).map_or(0, |r| r.code.number()))
}

/// The stable snake_case name of an error number (`"invalid_utf8"` for 1000); empty for `RG_OK`
/// and for numbers that are not codes. The string is static.
#[no_mangle]
pub extern "C" fn rg_result_name(number: u32) -> rg_str {
    guard(|| row(number).map_or(rg_str::empty(), |r| r.name.as_rg_str()))
}

/// The one-line meaning of an error number; empty for `RG_OK` and unknown numbers. Static.
#[no_mangle]
pub extern "C" fn rg_result_meaning(number: u32) -> rg_str {
    guard(|| row(number).map_or(rg_str::empty(), |r| r.meaning.as_rg_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust_str(s: rg_str) -> &'static str {
        // SAFETY: the rg_str views static table rows.
        let bytes = unsafe { std::slice::from_raw_parts(s.data.cast::<u8>(), s.len) };
        std::str::from_utf8(bytes).unwrap()
    }

    #[test]
    fn every_core_code_maps_to_the_same_number_and_name() {
        assert_eq!(rg_result_count(), ErrorCode::ALL.len());
        for (i, &code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(rg_result::from_code(code) as u32, code.number(), "{code}");
            assert_eq!(rg_result_at(i), code.number());
            assert_eq!(rust_str(rg_result_name(code.number())), code.name());
            assert_eq!(rust_str(rg_result_meaning(code.number())), code.meaning());
        }
        assert_eq!(rg_result_at(ErrorCode::ALL.len()), 0);
        assert_eq!(rust_str(rg_result_name(0)), "");
        assert_eq!(rust_str(rg_result_name(4242)), "");
    }
}
