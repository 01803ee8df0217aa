//! The Node binding: converts JavaScript values, calls `routeguard::host`, maps the error table to
//! `Error.code`.
//!
//! Offsets are JavaScript string offsets (UTF-16 code units), so `text.slice(start, end)` is the
//! match; byte offsets ride along. Every heavy call has a synchronous form and a Promise-returning
//! `…Async` form that runs on the libuv thread pool; both share one inner call into the core.
//! `Guard` makes the policy decisions (`prepare`, `verify`); a denial is a value, not an error.
//! `Ledger` holds budget reservations and spend records (`Guard.reserve`, `Guard.settle`).
//! `AuditTrail` writes the tamper-evident audit log (`Guard.audit`); `auditVerify`,
//! `auditSearch` and `auditExport` read it. `NativeClient` (the governed call to OpenRouter,
//! whole or streamed) and `NativeGovernor` (the same for callers that do their own HTTP) are
//! wrapped by `Client` and `Governor` in `node/index.js`.

mod audit;
mod budget;
mod client;
mod convert;
mod error;
mod guard;
mod scanner;
mod types;

pub use audit::{
    audit_export, audit_export_async, audit_search, audit_search_async, audit_verify,
    audit_verify_async, audit_verify_text, audit_verify_text_async, canonical_json, AuditTask,
    AuditTrail,
};
pub use budget::{Ledger, SpendReport};
pub use client::{Blocking, NativeCall, NativeChatStream, NativeClient, NativeGovernor, Refused};
pub use error::{error_codes, is_routeguard_error, RouteguardErrorCode};
pub use guard::{
    Decision, Guard, GuardOptions, PrepareOptions, Prepared, PreparedFinding, PreparedJson,
    Principal, Reason, Verification,
};
pub use scanner::{Scanner, Stream, Vault};
pub use types::*;
