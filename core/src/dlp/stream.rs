//! Streaming scan: text arrives in chunks and is released as soon as no finding can still change it.
//!
//! The scanner is local (see `scanner.rs`), so a finding is final once the text after it covers
//! the longest extent a hit can have plus the context window. Findings that overlap form clusters;
//! a cluster is settled when all of it lies before that point, and the text before the first
//! unsettled cluster is released. Findings are therefore exactly those of a whole-text scan,
//! whatever the chunking, and the text held back is bounded by the longest possible match.

use super::actions::{Rewriter, Rewritten};
use std::borrow::Borrow;

use super::detector::Action;
use super::scanner::{ceil_char_boundary, floor_char_boundary, Candidate, Finding, Scanner};
use crate::error::{Error, ErrorCode, Result};

/// Text released by a stream step, with the findings inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Released {
    /// Offset of `text` in the whole stream, in bytes.
    pub offset: usize,
    /// The original text released (apply actions with [`Released::rewrite`] before passing it on).
    pub text: String,
    /// Findings inside `text`, with offsets in the whole stream.
    pub findings: Vec<Finding>,
}

impl Released {
    /// True when a finding whose action is `block` was released.
    pub fn blocked(&self) -> bool {
        self.findings.iter().any(|f| f.action == Action::Block)
    }

    /// Applies the findings' actions to this piece of text.
    pub fn rewrite(&self, rewriter: &mut Rewriter<'_>) -> Result<Rewritten> {
        let local: Vec<Finding> = self
            .findings
            .iter()
            .map(|f| Finding {
                start: f.start - self.offset,
                end: f.end - self.offset,
                ..f.clone()
            })
            .collect();
        rewriter.rewrite(&self.text, &local)
    }
}

/// Scans a text that arrives in pieces.
#[derive(Debug)]
pub struct StreamScanner<S: Borrow<Scanner> = &'static Scanner> {
    scanner: S,
    /// Text from `base` on: already released look-back followed by pending text.
    buffer: String,
    base: usize,
    released: usize,
    finished: bool,
}

impl<S: Borrow<Scanner>> StreamScanner<S> {
    /// A stream over `scanner`: a reference, or an `Arc` when the stream must own its scanner.
    pub fn new(scanner: S) -> StreamScanner<S> {
        StreamScanner {
            scanner,
            buffer: String::new(),
            base: 0,
            released: 0,
            finished: false,
        }
    }

    /// The scanner this stream runs.
    pub fn scanner(&self) -> &Scanner {
        self.scanner.borrow()
    }

    /// Bytes received and not yet released.
    pub fn pending(&self) -> usize {
        self.base + self.buffer.len() - self.released
    }

    /// Feeds a chunk; returns what can be released now (possibly nothing).
    pub fn push(&mut self, chunk: &str) -> Result<Released> {
        if self.finished {
            return Err(Error::new(ErrorCode::InvalidArgument, "push after finish"));
        }
        self.buffer.push_str(chunk);
        if self.pending() <= self.scanner.borrow().undetermined_tail() {
            return Ok(self.empty());
        }
        Ok(self.release(false))
    }

    /// Ends the stream and releases everything still held.
    pub fn finish(&mut self) -> Result<Released> {
        if self.finished {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "finish called twice",
            ));
        }
        self.finished = true;
        Ok(self.release(true))
    }

    fn empty(&self) -> Released {
        Released {
            offset: self.released,
            text: String::new(),
            findings: Vec::new(),
        }
    }

    fn release(&mut self, at_end: bool) -> Released {
        let released_rel = self.released - self.base;
        let (mut candidates, open_window) =
            self.scanner.borrow().candidates_and_horizon(&self.buffer);
        candidates.retain(|c| c.start >= released_rel);
        candidates.sort_unstable_by_key(|c| (c.start, c.end));

        let settled_before = if at_end {
            self.buffer.len()
        } else {
            self.buffer
                .len()
                .saturating_sub(self.scanner.borrow().undetermined_tail())
                .min(open_window)
        };

        // Walk clusters of overlapping candidates in order; stop at the first unsettled one.
        let mut release_to = settled_before;
        let mut settled: Vec<Candidate> = Vec::new();
        let mut i = 0;
        while i < candidates.len() {
            let cluster_start = candidates[i].start;
            let mut cluster_end = candidates[i].end;
            let mut j = i + 1;
            while j < candidates.len() && candidates[j].start < cluster_end {
                cluster_end = cluster_end.max(candidates[j].end);
                j += 1;
            }
            if cluster_end > settled_before {
                release_to = release_to.min(cluster_start);
                break;
            }
            settled.extend_from_slice(&candidates[i..j]);
            i = j;
        }
        let release_to = floor_char_boundary(&self.buffer, release_to.max(released_rel));
        let findings = self
            .scanner
            .borrow()
            .resolve(&self.buffer, settled, self.base);
        let out = Released {
            offset: self.released,
            text: self.buffer[released_rel..release_to].to_string(),
            findings,
        };
        self.released = self.base + release_to;

        // Keep only the look-back the next scan needs before the release point.
        let keep_from = floor_char_boundary(
            &self.buffer,
            release_to.saturating_sub(self.scanner.borrow().lookback()),
        );
        let keep_from = ceil_char_boundary(&self.buffer, keep_from);
        if keep_from > 0 {
            self.buffer.drain(..keep_from);
            self.base += keep_from;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::config::MaskConfig;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "Hello, ",
        "card 4111 1111 1111 1111 ",
        "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ",
        "and 中文 text 🙂 ",
        "Mr. John Smith ",
        "4111",
        " 1111",
        "Aadhaar 2363 4567 8901 ",
        "order 12345 ",
        "\n",
    ];

    fn stream_findings(scanner: &Scanner, text: &str, cuts: &[usize]) -> (String, Vec<Finding>) {
        let mut stream = StreamScanner::new(scanner);
        let mut text_out = String::new();
        let mut findings = Vec::new();
        let mut last = 0;
        for &cut in cuts {
            let r = stream.push(&text[last..cut]).unwrap();
            assert_eq!(r.offset, text_out.len());
            text_out.push_str(&r.text);
            findings.extend(r.findings);
            last = cut;
        }
        let r = stream.push(&text[last..]).unwrap();
        text_out.push_str(&r.text);
        findings.extend(r.findings);
        let r = stream.finish().unwrap();
        text_out.push_str(&r.text);
        findings.extend(r.findings);
        (text_out, findings)
    }

    fn char_cuts(text: &str, raw: &[usize]) -> Vec<usize> {
        let mut cuts: Vec<usize> = raw
            .iter()
            .map(|&c| floor_char_boundary(text, c % (text.len() + 1)))
            .collect();
        cuts.sort_unstable();
        cuts
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_split_gives_the_whole_text_findings(
            picks in proptest::collection::vec(0..PIECES.len(), 1..60),
            raw_cuts in proptest::collection::vec(0usize..10_000, 0..40),
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let scanner = Scanner::builtin();
            let whole = scanner.scan(&text);
            let (released, streamed) = stream_findings(scanner, &text, &char_cuts(&text, &raw_cuts));
            prop_assert_eq!(released, text);
            prop_assert_eq!(streamed, whole);
        }
    }

    #[test]
    fn text_is_released_before_the_end_and_held_back_boundedly() {
        let scanner = Scanner::builtin();
        let mut stream = StreamScanner::new(scanner);
        let mut released = 0;
        for _ in 0..200 {
            released += stream
                .push("plain words without anything ")
                .unwrap()
                .text
                .len();
            assert!(stream.pending() <= scanner.undetermined_tail() + 32);
        }
        assert!(released > 0);
    }

    #[test]
    fn released_pieces_rewrite_with_local_offsets() {
        let scanner = Scanner::builtin();
        let text = "pay 4111 1111 1111 1111 now";
        let (_, findings) = stream_findings(scanner, text, &[7, 15]);
        let r = Released {
            offset: 0,
            text: text.into(),
            findings,
        };
        let out = r
            .rewrite(&mut Rewriter::new(MaskConfig::default()))
            .unwrap();
        assert_eq!(out.text, "pay **** **** **** **** now");
        assert!(!r.blocked());
    }

    #[test]
    fn push_after_finish_is_an_error() {
        let mut stream = StreamScanner::new(Scanner::builtin());
        stream.finish().unwrap();
        assert_eq!(
            stream.push("x").unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
    }
}
