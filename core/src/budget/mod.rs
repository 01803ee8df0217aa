//! Budgets and spend: what a request may cost, holding it against every cap that applies, settling
//! the actual cost, and the reports finance reads.
//!
//! - `window.rs`: UTC calendar windows and their keys (pure).
//! - `estimate.rs`: the reservation bound and the actual cost from catalogue prices (pure).
//! - `ledger.rs`: the `Ledger` trait, the shared decision and the in-memory backend.
//! - `sqlite.rs`, `postgres.rs`: the stores shared by processes and machines (features).
//! - `report.rs`: spend grouped by any dimension, forecast, concentration, CSV/JSON (pure).
//!
//! Money is integer micro-dollars throughout.

pub mod estimate;
pub mod ledger;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod report;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
pub mod sqlite;
pub mod window;

pub use estimate::{actual_cost, estimate, CostSource, Estimate, Served};
pub use ledger::{
    open, usd, BudgetDenial, Cap, CapStatus, Ledger, MemoryLedger, Outcome, ReserveOutcome,
    ReserveRequest, Settlement, SpendMeta, SpendRecord,
};
pub use window::{parse_window, period, Period};
