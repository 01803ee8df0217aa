//! routeguard: the governance core for applications that call OpenRouter.
//!
//! This crate decides and records; it does no network I/O. Today it holds the DLP engine
//! ([`dlp`]) and the error table ([`error`]); policies, routing, budgets and audit follow.

pub mod dlp;
pub mod error;
pub mod host;

pub use error::{Error, ErrorCode, Result};
