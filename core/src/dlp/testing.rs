//! Test helpers for detector authors: run the built-in scanner and compare what it found.

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
