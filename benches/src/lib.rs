//! Corpus generation and accuracy evaluation for routeguard DLP.

pub mod benign;
pub mod corpus;
pub mod eval;
pub mod lang;
pub mod locales;
pub mod values;
