//! Data loss prevention: finds personal data and secrets in text and requests, and rewrites them.

mod catalog;
pub mod checksum;
pub mod config;
pub mod detector;
pub mod scanner;
#[cfg(test)]
pub(crate) mod testing;

pub use config::{CustomDetector, MaskConfig, ScannerConfig};
pub use detector::{Action, Kind, Matcher, Spec, Start};
pub use scanner::{DetectorInfo, Finding, Scanner};
