//! Test helpers for detector authors: run the built-in scanner and compare what it found.

use super::config::{BuiltinSelection, ScannerConfig};
use super::scanner::Scanner;

/// Every finding of the built-in scanner as `(detector id, matched text)`.
pub fn found(text: &str) -> Vec<(String, String)> {
    Scanner::builtin()
        .scan(text)
        .into_iter()
        .map(|f| (f.detector.to_string(), text[f.start..f.end].to_string()))
        .collect()
}

/// Asserts that `detector` reports exactly `expected` somewhere in `text`.
#[track_caller]
pub fn assert_finds(text: &str, detector: &str, expected: &str) {
    let all = found(text);
    assert!(
        all.iter().any(|(d, m)| d == detector && m == expected),
        "expected {detector} to find {expected:?} in {text:?}; found {all:?}"
    );
}

/// Asserts that `detector` reports nothing in `text`.
#[track_caller]
pub fn assert_not_finds(text: &str, detector: &str) {
    let all = found(text);
    assert!(
        !all.iter().any(|(d, _)| d == detector),
        "expected no {detector} in {text:?}; found {all:?}"
    );
}

/// A scanner of just the built-in detectors `ids`, keeping every confidence.
fn scanner_of(ids: &[&str]) -> Scanner {
    let config = ScannerConfig {
        builtin: BuiltinSelection {
            enable: ids.iter().map(|id| id.to_string()).collect(),
            disable: Vec::new(),
        },
        min_confidence: Some(0.0),
        ..ScannerConfig::default()
    };
    Scanner::from_config(&config).expect("built-in detectors compile")
}

/// The hits of the built-in detectors `ids` exactly as the scanner gathers them (every matcher
/// kind, at the word starts its shape admits), before context scoring and overlap resolution:
/// `(start, end, confidence)` in byte offsets, in the scanner's order.
pub fn raw_hits(ids: &[&str], text: &str) -> Vec<(usize, usize, f32)> {
    let (hits, _) = scanner_of(ids).unscored_candidates(text);
    hits.into_iter()
        .map(|c| (c.start, c.end, c.confidence))
        .collect()
}

/// Each match of the detectors `ids` with its confidence after context scoring, before overlaps
/// between detectors are resolved.
pub fn scored_hits(ids: &[&str], text: &str) -> Vec<(String, f32)> {
    scanner_of(ids)
        .candidates(text)
        .into_iter()
        .map(|c| (text[c.start..c.end].to_string(), c.confidence))
        .collect()
}
