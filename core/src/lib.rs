//! routeguard: the governance core for applications that call OpenRouter.
//!
//! This crate decides and records. It holds the DLP engine ([`dlp`]), the policy document
//! ([`policy`]), the provider catalogue and routing rules ([`routing`]), budgets and the ledger
//! ([`budget`]), the API every language binding wraps ([`host`]) and the error table ([`error`]);
//! the audit trail
//! ([`audit`]). The only I/O is at the edges: ledger backends (cargo features `sqlite`, `postgres`)
//! and audit sinks.

pub mod audit;
pub mod budget;
pub mod dlp;
pub mod error;
pub mod governed;
pub mod guard;
pub mod host;
pub mod json;
pub mod openrouter;
pub mod policy;
pub mod routing;

pub use error::{Error, ErrorCode, Result};
