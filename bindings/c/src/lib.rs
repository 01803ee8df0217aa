//! The C ABI of routeguard (`librouteguard.so` / `librouteguard.a`, header `c-include/routeguard.h`):
//! opaque handles with `_new`/`_free` pairs, `(ptr, len)` strings, numeric error codes with an
//! error object, and a panic boundary on every export, over `routeguard::host`.
//!
//! This crate only converts values and maps errors; what the engine does is decided in
//! `routeguard::host`. The conventions every function follows are written once, at the top of
//! the generated header (`cbindgen.toml`).
//!
//! Layout: `ffi` (handles and strings), `panic` (the boundary), `error` (codes and the error
//! object), `scanner` (scanners, options, vaults, streams), `results` (result objects), `guard`
//! (policy decisions: guards, decisions, prepared requests, verifications), `budget` (ledgers,
//! reservations through the guard, spend reports), `audit` (audit trails, records through the
//! guard, verification, search and export of logs), `governed` (the governed call to OpenRouter:
//! clients, streams through a callback, governors and calls for callers with their own HTTP).

// The C names (`rg_scanner`, `RG_OK`) are the API; Rust naming rules do not apply to them.
#![allow(non_camel_case_types)]

mod ffi;
mod panic;

// The exports, in the order the header lists them (hence not alphabetical):
// codes and the error object,
mod error;
// scanners, options, vaults and streams,
mod scanner;
// result objects,
mod results;
// policy decisions: guards, decisions, prepared requests and verifications,
mod guard;
// budgets: ledgers, reservations, settlements and reports,
mod budget;
// the audit trail: trails, records through the guard, verify, search and export,
mod audit;
// the governed call: clients (routeguard's own HTTP) and governors with calls (the caller's).
mod governed;

use ffi::rg_str;

/// The library version, e.g. `0.1.0`; static.
#[no_mangle]
pub extern "C" fn rg_version() -> rg_str {
    const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(version) => version,
        Err(_) => panic!("the version holds a NUL"),
    };
    panic::guard(|| rg_str::from_static(VERSION))
}
