//! Data loss prevention: finds personal data and secrets in text and requests, and rewrites them.

pub mod actions;
mod catalog;
pub mod checksum;
pub mod config;
pub mod detector;
pub mod request;
pub mod response;
pub mod scanner;
pub mod stream;
#[cfg(test)]
pub(crate) mod testing;
pub mod text;
mod walk;

pub use actions::{Applied, Rewriter, Rewritten, Vault};
pub use config::{CustomDetector, MaskConfig, ScannerConfig};
pub use detector::{Action, Kind, Matcher, Spec, Start};
pub use request::{scan_request, scan_request_json, InlineData, RequestFinding, RequestScan};
pub use response::ResponseFilter;
pub use scanner::{DetectorInfo, Finding, Scanner};
pub use stream::{Released, StreamScanner};
