//! The uniffi binding of routeguard: one library from which uniffi-bindgen generates Kotlin (JVM)
//! and Swift. Thin like the other bindings: convert, call `routeguard::host`, map the error.
//!
//! Offsets are UTF-16 units (`start`/`end`), what Java, Kotlin and Swift's `utf16` view index
//! strings by, with UTF-8 byte offsets beside them. Rich host results that other languages get
//! as dictionaries (ledger outcomes, spend records, receipts, verify reports, governed answers)
//! cross as JSON text.

uniffi::setup_scaffolding!("routeguard");

mod audit;
mod budget;
mod error;
mod governed;
mod guard;
mod scan;

pub use audit::{audit_verify, audit_verify_text, canonical_json, AuditTrail, LineSink};
pub use budget::Ledger;
pub use error::{error_codes, ErrorCodeInfo, RouteguardError};
pub use governed::{Begun, Call, ChatStream, Client, Governor};
pub use guard::{Decision, Guard, Prepared, PreparedFinding, Reason, Verification};
pub use scan::{
    Applied, Detector, Finding, InlineData, Redaction, Released, RequestFinding, RequestScan,
    ScanStream, Scanner, Vault,
};

/// The SDK name in audit records written through this binding: one library serves Kotlin, Java
/// and Swift, so it names the binding (a trail configuration's `sdk` overrides it).
pub(crate) const LANGUAGE: &str = "uniffi";

/// A result that crosses to the foreign language.
pub(crate) type Result<T> = std::result::Result<T, RouteguardError>;

/// Host values that other bindings hand over as dictionaries, as JSON text.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| {
        routeguard::Error::new(
            routeguard::ErrorCode::Internal,
            format!("encoding a result: {e}"),
        )
        .into()
    })
}

/// A count or offset as the foreign language's signed 64-bit integer (Java has no unsigned).
pub(crate) fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A non-negative 64-bit argument; a negative one is `invalid_argument`.
pub(crate) fn unsigned(n: i64, what: &str) -> Result<u64> {
    u64::try_from(n).map_err(|_| {
        routeguard::Error::new(
            routeguard::ErrorCode::InvalidArgument,
            format!("{what} must not be negative"),
        )
        .into()
    })
}
