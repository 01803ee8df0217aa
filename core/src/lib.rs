//! routeguard: the governance core for applications that call OpenRouter.
//!
//! This crate decides and records; it does no network I/O. It holds the DLP engine ([`dlp`]),
//! the policy document ([`policy`]), the provider catalogue and routing rules ([`routing`]), the
//! API every language binding wraps ([`host`]) and the error table ([`error`]); budgets and audit
//! follow.

pub mod dlp;
pub mod error;
pub mod guard;
pub mod host;
pub mod json;
pub mod policy;
pub mod routing;

pub use error::{Error, ErrorCode, Result};
