//! Data loss prevention: finds personal data and secrets in text and requests, and rewrites them.

pub mod checksum;
pub mod detector;
mod catalog;

pub use detector::{Action, Kind, Matcher, Spec, Start};
