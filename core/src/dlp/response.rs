//! DLP on OpenRouter's answer, whole or streamed: the text, reasoning and tool-call arguments of
//! every choice are scanned with the request's detectors and rewritten by their actions, and the
//! prompt's pseudonyms are put back for the caller. Streamed text is released as soon as no
//! finding and no pseudonym token can still cover it, so a stream is never buffered whole.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::actions::{Rewriter, Vault};
use super::detector::Action;
use super::scanner::Scanner;
use super::stream::StreamScanner;
use crate::error::Result;
use crate::guard::PreparedFinding;

/// Longest pseudonym token (`<CATEGORY_n>`) held back while its `>` has not arrived; a `<` that
/// opens anything longer is plain text.
const MAX_TOKEN_LEN: usize = 64;

/// Which text of a choice a stream carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Content,
    Reasoning,
    ToolArguments(u64),
}

impl Field {
    fn path(self, choice: u64) -> String {
        match self {
            Field::Content => format!("/choices/{choice}/message/content"),
            Field::Reasoning => format!("/choices/{choice}/message/reasoning"),
            Field::ToolArguments(call) => {
                format!("/choices/{choice}/message/tool_calls/{call}/function/arguments")
            }
        }
    }
}

/// One field's stream: the scan that holds back undetermined text, then the token hold-back of
/// the restore step.
struct FieldStream {
    scan: Option<StreamScanner<Arc<Scanner>>>,
    /// Rewritten text not yet passed through restore because it may end inside a token.
    unrestored: String,
}

/// Filters one answer. Built per call by the guard from the principal's effective policy.
pub struct ResponseFilter {
    scanner: Option<Arc<Scanner>>,
    restore: Option<Vault>,
    hash_key: Option<Vec<u8>>,
    streams: BTreeMap<(u64, Field), FieldStream>,
    findings: Vec<PreparedFinding>,
}

impl std::fmt::Debug for ResponseFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFilter")
            .field("scan", &self.scanner.is_some())
            .field("restore", &self.restore.as_ref().map(Vault::len))
            .field("findings", &self.findings.len())
            .finish()
    }
}

impl ResponseFilter {
    /// `scanner`: scan with these detectors (None: no response DLP); `restore`: the call's vault
    /// when pseudonyms go back to the caller.
    pub fn new(
        scanner: Option<Arc<Scanner>>,
        restore: Option<Vault>,
        hash_key: Option<Vec<u8>>,
    ) -> ResponseFilter {
        ResponseFilter {
            scanner,
            restore: restore.filter(|v| !v.is_empty()),
            hash_key,
            streams: BTreeMap::new(),
            findings: Vec::new(),
        }
    }

    /// True when the filter changes nothing (no scan, nothing to restore): callers skip it.
    pub fn is_passthrough(&self) -> bool {
        self.scanner.is_none() && self.restore.is_none()
    }

    /// What the scan found so far, with paths into the assembled answer; never values.
    pub fn findings(&self) -> &[PreparedFinding] {
        &self.findings
    }

    /// Rewrites a whole (non-streaming) response in place.
    pub fn filter_response(&mut self, response: &mut Value) -> Result<()> {
        if self.is_passthrough() {
            return Ok(());
        }
        for_each_choice(response, "message", |index, _, message| {
            for_each_text(message, |field, text| {
                let mut out = self.push(index, field, text)?;
                out.push_str(&self.flush(index, field)?);
                Ok(out)
            })
        })
    }

    /// Rewrites one stream chunk in place: each delta carries what can be released now. A
    /// choice's finish chunk also carries everything still held for that choice, so nothing
    /// is released after its `finish_reason`.
    pub fn filter_chunk(&mut self, chunk: &mut Value) -> Result<()> {
        if self.is_passthrough() {
            return Ok(());
        }
        for_each_choice(chunk, "delta", |index, finished, delta| {
            for_each_text(delta, |field, text| self.push(index, field, text))?;
            if finished {
                let held = self.flush_choice(index)?;
                put_back(delta, held);
            }
            Ok(())
        })
    }

    /// Everything still held, by choice, for a stream that ended without a finish chunk (cut
    /// or errored): `(choice, delta)` objects to send as one last chunk.
    pub fn finish(&mut self) -> Result<Vec<(u64, Map<String, Value>)>> {
        let choices: std::collections::BTreeSet<u64> =
            self.streams.keys().map(|(c, _)| *c).collect();
        let mut out = Vec::new();
        for choice in choices {
            let held = self.flush_choice(choice)?;
            if !held.is_empty() {
                let mut delta = Map::new();
                put_back(&mut delta, held);
                out.push((choice, delta));
            }
        }
        Ok(out)
    }

    fn flush_choice(&mut self, choice: u64) -> Result<Vec<(Field, String)>> {
        let fields: Vec<Field> = self
            .streams
            .keys()
            .filter(|(c, _)| *c == choice)
            .map(|(_, f)| *f)
            .collect();
        let mut held = Vec::new();
        for field in fields {
            let text = self.flush(choice, field)?;
            if !text.is_empty() {
                held.push((field, text));
            }
        }
        Ok(held)
    }

    fn stream(&mut self, choice: u64, field: Field) -> &mut FieldStream {
        let scanner = &self.scanner;
        self.streams
            .entry((choice, field))
            .or_insert_with(|| FieldStream {
                scan: scanner.clone().map(StreamScanner::new),
                unrestored: String::new(),
            })
    }

    /// Feeds text of one field; returns what may be released.
    fn push(&mut self, choice: u64, field: Field, text: &str) -> Result<String> {
        let released = match &mut self.stream(choice, field).scan {
            Some(scan) => Some(scan.push(text)?),
            None => None,
        };
        let rewritten = match released {
            Some(released) => self.rewrite(choice, field, released)?,
            None => text.to_string(),
        };
        Ok(self.restore_step(choice, field, rewritten, false))
    }

    /// Ends one field: releases what it still holds. A field already flushed starts over.
    fn flush(&mut self, choice: u64, field: Field) -> Result<String> {
        let released = match self.streams.get_mut(&(choice, field)) {
            Some(FieldStream {
                scan: Some(scan), ..
            }) => Some(scan.finish()?),
            Some(_) => None,
            None => return Ok(String::new()),
        };
        let rewritten = match released {
            Some(released) => self.rewrite(choice, field, released)?,
            None => String::new(),
        };
        let out = self.restore_step(choice, field, rewritten, true);
        self.streams.remove(&(choice, field));
        Ok(out)
    }

    fn rewrite(
        &mut self,
        choice: u64,
        field: Field,
        released: super::stream::Released,
    ) -> Result<String> {
        if released.findings.is_empty() {
            return Ok(released.text);
        }
        let mask = match &self.scanner {
            Some(scanner) => scanner.mask_config().clone(),
            None => return Ok(released.text),
        };
        // Pseudonyms made in the answer go into a vault of their own: they are not the
        // caller's values and must not be "restored" into it.
        let mut answer_vault = Vault::new();
        let mut rewriter = Rewriter::new(mask).with_vault(&mut answer_vault);
        if let Some(key) = &self.hash_key {
            rewriter = rewriter.with_hash_key(key.clone());
        }
        // `block` cannot recall what already streamed; in an answer it redacts.
        let findings: Vec<_> = released
            .findings
            .iter()
            .map(|f| super::scanner::Finding {
                action: if f.action == Action::Block {
                    Action::Redact
                } else {
                    f.action
                },
                ..f.clone()
            })
            .collect();
        let path = field.path(choice);
        for f in &released.findings {
            self.findings.push(PreparedFinding {
                path: path.clone(),
                detector: f.detector.to_string(),
                category: f.category.to_string(),
                action: f.action,
                start: f.start,
                end: f.end,
            });
        }
        let released = super::stream::Released {
            findings,
            ..released
        };
        Ok(released.rewrite(&mut rewriter)?.text)
    }

    /// Passes rewritten text through the pseudonym restore, holding back a possible token
    /// that has not closed yet.
    fn restore_step(&mut self, choice: u64, field: Field, text: String, at_end: bool) -> String {
        let Some(vault) = &self.restore else {
            return text;
        };
        let stream = self
            .streams
            .get_mut(&(choice, field))
            .expect("the field's stream exists while text flows through it");
        stream.unrestored.push_str(&text);
        let held = &stream.unrestored;
        let cut = if at_end {
            held.len()
        } else {
            match held.rfind('<') {
                Some(open) if !held[open..].contains('>') && held.len() - open < MAX_TOKEN_LEN => {
                    open
                }
                _ => held.len(),
            }
        };
        let ready: String = stream.unrestored.drain(..cut).collect();
        vault.restore(&ready)
    }
}

/// Calls `f(index, finished, part)` with each choice's `part` (`message` or `delta`) object.
fn for_each_choice(
    value: &mut Value,
    part: &str,
    mut f: impl FnMut(u64, bool, &mut Map<String, Value>) -> Result<()>,
) -> Result<()> {
    let Some(choices) = value.get_mut("choices").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for (position, choice) in choices.iter_mut().enumerate() {
        let index = choice
            .get("index")
            .and_then(Value::as_u64)
            .unwrap_or(position as u64);
        let finished = choice.get("finish_reason").is_some_and(|r| !r.is_null());
        if let Some(object) = choice.get_mut(part).and_then(Value::as_object_mut) {
            f(index, finished, object)?;
        }
    }
    Ok(())
}

/// Calls `rewrite` on each text field of a message or delta and stores what it returns.
fn for_each_text(
    object: &mut Map<String, Value>,
    mut rewrite: impl FnMut(Field, &str) -> Result<String>,
) -> Result<()> {
    for (key, field) in [("content", Field::Content), ("reasoning", Field::Reasoning)] {
        if let Some(Value::String(text)) = object.get_mut(key) {
            *text = rewrite(field, text)?;
        }
    }
    if let Some(Value::Array(calls)) = object.get_mut("tool_calls") {
        for (position, call) in calls.iter_mut().enumerate() {
            let index = call
                .get("index")
                .and_then(Value::as_u64)
                .unwrap_or(position as u64);
            if let Some(Value::String(arguments)) = call
                .get_mut("function")
                .and_then(|f| f.get_mut("arguments"))
            {
                *arguments = rewrite(Field::ToolArguments(index), arguments)?;
            }
        }
    }
    Ok(())
}

/// Appends held text to a delta's fields (creating them, and tool-call entries, as needed).
fn put_back(delta: &mut Map<String, Value>, held: Vec<(Field, String)>) {
    for (field, text) in held {
        match field {
            Field::Content | Field::Reasoning => {
                let key = if field == Field::Content {
                    "content"
                } else {
                    "reasoning"
                };
                match delta.get_mut(key) {
                    Some(Value::String(existing)) => existing.push_str(&text),
                    _ => {
                        delta.insert(key.into(), Value::String(text));
                    }
                }
            }
            Field::ToolArguments(index) => {
                let calls = delta
                    .entry("tool_calls")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !calls.is_array() {
                    *calls = Value::Array(Vec::new());
                }
                let calls = calls.as_array_mut().expect("made an array above");
                let position = calls
                    .iter()
                    .position(|c| c.get("index").and_then(Value::as_u64) == Some(index));
                let call = match position {
                    Some(p) => &mut calls[p],
                    None => {
                        calls.push(serde_json::json!({"index": index, "function": {}}));
                        calls.last_mut().expect("just pushed")
                    }
                };
                let function = call
                    .as_object_mut()
                    .expect("tool calls are objects")
                    .entry("function")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(function) = function.as_object_mut() {
                    match function.get_mut("arguments") {
                        Some(Value::String(existing)) => existing.push_str(&text),
                        _ => {
                            function.insert("arguments".into(), Value::String(text));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::ScannerConfig;
    use serde_json::json;

    fn scanner() -> Arc<Scanner> {
        Arc::new(Scanner::from_config(&ScannerConfig::default()).unwrap())
    }

    fn vault_with(email: &str) -> (Vault, String) {
        let mut vault = Vault::new();
        let token = vault.pseudonym("EMAIL_ADDRESS", email);
        (vault, token)
    }

    #[test]
    fn a_whole_answer_is_scanned_and_restored_in_every_field() {
        let (vault, token) = vault_with("ada@example.org");
        let mut filter = ResponseFilter::new(Some(scanner()), Some(vault), None);
        let mut response = json!({"choices": [{"index": 0, "message": {
            "content": format!("Write to {token}; the key is AKIAIOSFODNN7EXAMPLF."),
            "tool_calls": [{"index": 0, "function": {"name": "send",
                "arguments": "{\"card\": \"4111 1111 1111 1111\"}"}}]}}]});
        filter.filter_response(&mut response).unwrap();
        let message = &response["choices"][0]["message"];
        let content = message["content"].as_str().unwrap();
        assert!(
            content.starts_with("Write to ada@example.org;"),
            "{content}"
        );
        assert!(!content.contains("AKIAIOSFODNN7EXAMPLF"), "{content}");
        let args = message["tool_calls"][0]["function"]["arguments"]
            .as_str()
            .unwrap();
        assert!(!args.contains("4111 1111 1111 1111"), "{args}");
        let paths: Vec<&str> = filter.findings().iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"/choices/0/message/content"), "{paths:?}");
        assert!(
            paths.contains(&"/choices/0/message/tool_calls/0/function/arguments"),
            "{paths:?}"
        );
    }

    /// Every split of a streamed answer releases the same text as the whole answer.
    #[test]
    fn streamed_chunks_give_the_whole_answer_whatever_the_split() {
        let (vault, token) = vault_with("ada@example.org");
        let text = format!("Mail {token} or call: card 4111 1111 1111 1111 ok");
        let mut whole_filter = ResponseFilter::new(Some(scanner()), Some(vault.clone()), None);
        let mut whole = json!({"choices": [{"index": 0, "message": {"content": text}}]});
        whole_filter.filter_response(&mut whole).unwrap();
        let expected = whole["choices"][0]["message"]["content"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(expected.contains("ada@example.org") && !expected.contains("4111 1111"));
        for size in [1, 2, 3, 5, 8, 13, 64] {
            let mut filter = ResponseFilter::new(Some(scanner()), Some(vault.clone()), None);
            let chars: Vec<char> = text.chars().collect();
            let mut got = String::new();
            let pieces: Vec<String> = chars.chunks(size).map(|c| c.iter().collect()).collect();
            for (i, piece) in pieces.iter().enumerate() {
                let last = i + 1 == pieces.len();
                let mut chunk = json!({"choices": [{"index": 0, "delta": {"content": piece},
                    "finish_reason": if last { json!("stop") } else { Value::Null }}]});
                filter.filter_chunk(&mut chunk).unwrap();
                got.push_str(chunk["choices"][0]["delta"]["content"].as_str().unwrap());
            }
            assert_eq!(got, expected, "chunks of {size}");
        }
    }

    #[test]
    fn held_text_is_released_by_finish_when_the_stream_ends_without_a_finish_chunk() {
        let mut filter = ResponseFilter::new(Some(scanner()), None, None);
        let mut chunk = json!({"choices": [{"index": 0, "delta": {"content": "call 4111 1111"}}]});
        filter.filter_chunk(&mut chunk).unwrap();
        let first = chunk["choices"][0]["delta"]["content"]
            .as_str()
            .unwrap()
            .to_string();
        let rest = filter.finish().unwrap();
        let tail = rest[0].1["content"].as_str().unwrap();
        assert_eq!(format!("{first}{tail}"), "call 4111 1111");
    }

    #[test]
    fn a_restore_only_filter_holds_back_an_unclosed_token_and_nothing_else() {
        let (vault, token) = vault_with("ada@example.org");
        let mut filter = ResponseFilter::new(None, Some(vault), None);
        let (head, tail) = token.split_at(5);
        let mut first =
            json!({"choices": [{"index": 0, "delta": {"content": format!("to {head}")}}]});
        filter.filter_chunk(&mut first).unwrap();
        assert_eq!(first["choices"][0]["delta"]["content"], "to ");
        let mut second = json!({"choices": [{"index": 0, "delta": {"content": format!("{tail} a<b")},
            "finish_reason": "stop"}]});
        filter.filter_chunk(&mut second).unwrap();
        assert_eq!(
            second["choices"][0]["delta"]["content"],
            "ada@example.org a<b"
        );
    }

    #[test]
    fn without_scan_or_pseudonyms_the_filter_passes_everything_through() {
        let mut filter = ResponseFilter::new(None, Some(Vault::new()), None);
        assert!(filter.is_passthrough());
        let mut chunk =
            json!({"choices": [{"index": 0, "delta": {"content": "4111 1111 1111 1111"}}]});
        let before = chunk.clone();
        filter.filter_chunk(&mut chunk).unwrap();
        assert_eq!(chunk, before);
    }
}
