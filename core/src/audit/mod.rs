//! The audit trail: one record per interaction, the same bytes from every language, chained and
//! signed so that edits, deletions and a cut tail are detectable.
//!
//! - `record.rs`: the versioned record schema (pure).
//! - `canonical.rs`: RFC 8785 canonical JSON (pure).
//! - `chain.rs`: keys, HMAC chaining, Ed25519 checkpoint signatures (pure).
//! - `verify.rs`: checking a log's chains (pure over lines).
//! - `compose.rs`: the guard's record of an interaction (pure).
//! - `export.rs`: search filters, CSV and OCSF (pure).
//! - `trail.rs`: the writer: sealing, checkpoints, rotation, fail-closed or fail-open sinks.
//! - `sink.rs`, `sink_pg.rs`, `read.rs`, `config.rs`: the I/O edge (files, PostgreSQL, callbacks).

pub mod canonical;
pub mod chain;
pub mod compose;
pub mod config;
pub mod export;
pub mod read;
pub mod record;
pub mod sink;
#[cfg(feature = "postgres")]
pub mod sink_pg;
pub mod trail;
pub mod verify;

pub use canonical::to_canonical;
pub use chain::{ChainKey, PublicKey, SigningKey};
pub use config::{SinkConfig, TrailConfig};
pub use record::{AuditOutcome, AuditRecord, Kind, RECORD_VERSION};
pub use sink::{AuditSink, JsonlSink, MemorySink};
pub use trail::{AuditTrail, Receipt, TrailOptions};
pub use verify::{verify_lines, Line, Problem, VerifyReport};
