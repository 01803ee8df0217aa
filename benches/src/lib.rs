//! Corpus generation and accuracy evaluation for routeguard DLP.
