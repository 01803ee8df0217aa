//! Scanning and rewriting a whole OpenRouter chat request: every place a message can carry text.
//!
//! Covered: every role's string or part content, `name` fields, assistant `reasoning`/`refusal`,
//! `tool_calls[].function.arguments` (a JSON string: its string values are scanned and the
//! arguments re-encoded), tool results, file names, URLs of images, video and files, and a
//! top-level `prompt`. Inline data (`data:` URLs, base64 audio) is not scanned as text but is
//! reported, so a policy can decide about it. A part type this module does not know fails closed.

use serde::Serialize;
use serde_json::{Map, Value};

use super::actions::{Applied, Rewriter};
use super::detector::Action;
use super::scanner::{Finding, Scanner};
use super::text::{byte_to_char_offsets, byte_to_utf16_offsets, Unit};
use crate::error::{Error, ErrorCode, Result};

/// Largest request accepted, in bytes.
pub const MAX_REQUEST_BYTES: usize = 32 << 20;

const ROLES: &[&str] = &["system", "developer", "user", "assistant", "tool"];

/// A finding inside a request, located by a JSON pointer (plus `#` and an inner pointer for
/// values inside tool-call arguments). Offsets are bytes into that string.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestFinding {
    pub path: String,
    pub finding: Finding,
    /// The finding's start and end in code points of that string (for Python).
    pub code_points: (usize, usize),
    /// The finding's start and end in UTF-16 units of that string (for JavaScript).
    pub utf16: (usize, usize),
}

impl RequestFinding {
    /// Start and end in `unit`, relative to the string at `path`.
    pub fn span_in(&self, unit: Unit) -> (usize, usize) {
        match unit {
            Unit::Byte => (self.finding.start, self.finding.end),
            Unit::CodePoint => self.code_points,
            Unit::Utf16 => self.utf16,
        }
    }
}

/// Inline binary data found in a request: reported, never scanned as text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InlineData {
    pub path: String,
    pub media_type: String,
    /// Length of the encoded payload.
    pub bytes: usize,
}

/// The outcome of scanning a request.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestScan {
    pub findings: Vec<RequestFinding>,
    pub applied: Vec<(String, Applied)>,
    pub inline_data: Vec<InlineData>,
    /// A finding's action is `block`: the request must not be sent.
    pub blocked: bool,
    /// The request with every action applied; still a valid OpenRouter request.
    pub request: Value,
}

/// Scans and rewrites a request given as JSON text.
pub fn scan_request_json(
    scanner: &Scanner,
    json: &str,
    rewriter: &mut Rewriter<'_>,
) -> Result<RequestScan> {
    if json.len() > MAX_REQUEST_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "request is {} bytes; the limit is {MAX_REQUEST_BYTES}",
                json.len()
            ),
        ));
    }
    let value: Value = serde_json::from_str(json).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            format!(
                "request: {} at line {}, column {}",
                e.classify_kind(),
                e.line(),
                e.column()
            ),
        )
    })?;
    scan_request(scanner, value, rewriter)
}

trait ClassifyKind {
    fn classify_kind(&self) -> &'static str;
}

impl ClassifyKind for serde_json::Error {
    // serde_json's own messages may quote input, so only the category is reported.
    fn classify_kind(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "unexpected end of input",
        }
    }
}

/// Scans and rewrites a parsed request.
pub fn scan_request(
    scanner: &Scanner,
    mut request: Value,
    rewriter: &mut Rewriter<'_>,
) -> Result<RequestScan> {
    let mut walk = Walk {
        scanner,
        rewriter,
        findings: Vec::new(),
        applied: Vec::new(),
        inline_data: Vec::new(),
    };
    let root = request
        .as_object_mut()
        .ok_or_else(|| invalid("", "the request must be a JSON object"))?;
    let mut has_input = false;
    if let Some(prompt) = root.get_mut("prompt") {
        has_input = true;
        walk.text_field(prompt, "/prompt")?;
    }
    if let Some(messages) = root.get_mut("messages") {
        has_input = true;
        let messages = messages
            .as_array_mut()
            .ok_or_else(|| invalid("/messages", "must be an array"))?;
        for (i, message) in messages.iter_mut().enumerate() {
            walk.message(message, &format!("/messages/{i}"))?;
        }
    }
    if !has_input {
        return Err(invalid(
            "",
            "the request has neither `messages` nor `prompt`",
        ));
    }
    let blocked = walk
        .findings
        .iter()
        .any(|f| f.finding.action == Action::Block);
    Ok(RequestScan {
        findings: walk.findings,
        applied: walk.applied,
        inline_data: walk.inline_data,
        blocked,
        request,
    })
}

fn invalid(path: &str, what: &str) -> Error {
    let path = if path.is_empty() { "/" } else { path };
    Error::new(ErrorCode::InvalidRequest, format!("at `{path}`: {what}"))
}

struct Walk<'a, 'r, 'v> {
    scanner: &'a Scanner,
    rewriter: &'r mut Rewriter<'v>,
    findings: Vec<RequestFinding>,
    applied: Vec<(String, Applied)>,
    inline_data: Vec<InlineData>,
}

impl Walk<'_, '_, '_> {
    fn message(&mut self, message: &mut Value, path: &str) -> Result<()> {
        let object = message
            .as_object_mut()
            .ok_or_else(|| invalid(path, "a message must be an object"))?;
        let role = object
            .get("role")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(path, "a message needs a string `role`"))?;
        if !ROLES.contains(&role) {
            return Err(invalid(&format!("{path}/role"), "unknown role"));
        }
        for field in ["name", "reasoning", "refusal"] {
            if let Some(value) = object.get_mut(field) {
                self.text_field(value, &format!("{path}/{field}"))?;
            }
        }
        if let Some(content) = object.get_mut("content") {
            self.content(content, &format!("{path}/content"))?;
        }
        if let Some(calls) = object.get_mut("tool_calls") {
            let calls = calls
                .as_array_mut()
                .ok_or_else(|| invalid(&format!("{path}/tool_calls"), "must be an array"))?;
            for (i, call) in calls.iter_mut().enumerate() {
                let call_path = format!("{path}/tool_calls/{i}/function");
                let Some(function) = call.get_mut("function").and_then(Value::as_object_mut) else {
                    return Err(invalid(&call_path, "a tool call needs a `function` object"));
                };
                if let Some(arguments) = function.get_mut("arguments") {
                    self.arguments(arguments, &format!("{call_path}/arguments"))?;
                }
            }
        }
        Ok(())
    }

    fn content(&mut self, content: &mut Value, path: &str) -> Result<()> {
        match content {
            Value::Null => Ok(()),
            Value::String(_) => self.text_field(content, path),
            Value::Array(parts) => {
                for (i, part) in parts.iter_mut().enumerate() {
                    self.part(part, &format!("{path}/{i}"))?;
                }
                Ok(())
            }
            _ => Err(invalid(
                path,
                "content must be a string, an array of parts or null",
            )),
        }
    }

    fn part(&mut self, part: &mut Value, path: &str) -> Result<()> {
        let object = part
            .as_object_mut()
            .ok_or_else(|| invalid(path, "a content part must be an object"))?;
        let kind = object
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(path, "a content part needs a string `type`"))?
            .to_string();
        match kind.as_str() {
            "text" => match object.get_mut("text") {
                Some(text) => self.text_field(text, &format!("{path}/text")),
                None => Err(invalid(path, "a text part needs `text`")),
            },
            "image_url" | "video_url" | "input_video" => {
                let inner = nested(object, &kind, path)?;
                match inner.get_mut("url") {
                    Some(url) => self.url_or_data(url, &format!("{path}/{kind}/url")),
                    None => Err(invalid(&format!("{path}/{kind}"), "needs `url`")),
                }
            }
            "input_audio" => {
                let inner = nested(object, &kind, path)?;
                let format = inner
                    .get("format")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown");
                let bytes = inner
                    .get("data")
                    .and_then(Value::as_str)
                    .map_or(0, str::len);
                self.inline_data.push(InlineData {
                    path: format!("{path}/input_audio/data"),
                    media_type: format!("audio/{format}"),
                    bytes,
                });
                Ok(())
            }
            "file" => {
                let inner = nested(object, "file", path)?;
                if let Some(name) = inner.get_mut("filename") {
                    self.text_field(name, &format!("{path}/file/filename"))?;
                }
                if let Some(data) = inner.get_mut("file_data") {
                    self.url_or_data(data, &format!("{path}/file/file_data"))?;
                }
                Ok(())
            }
            _ => Err(invalid(
                &format!("{path}/type"),
                "unknown content part type; not sent unscanned",
            )),
        }
    }

    fn url_or_data(&mut self, value: &mut Value, path: &str) -> Result<()> {
        let Some(text) = value.as_str() else {
            return Err(invalid(path, "must be a string"));
        };
        if let Some(rest) = text.strip_prefix("data:") {
            let (header, payload) = rest.split_once(',').unwrap_or((rest, ""));
            let media_type = header.split(';').next().unwrap_or("").to_string();
            self.inline_data.push(InlineData {
                path: path.to_string(),
                media_type,
                bytes: payload.len(),
            });
            return Ok(());
        }
        self.text_field(value, path)
    }

    /// Tool-call arguments are a JSON string: scan the decoded string values, re-encode.
    fn arguments(&mut self, arguments: &mut Value, path: &str) -> Result<()> {
        let Some(text) = arguments.as_str() else {
            return Err(invalid(path, "tool-call arguments must be a JSON string"));
        };
        match serde_json::from_str::<Value>(text) {
            Ok(mut decoded) => {
                self.json_strings(&mut decoded, path, &mut String::new())?;
                *arguments = Value::String(serde_json::to_string(&decoded).map_err(|_| {
                    Error::new(
                        ErrorCode::Internal,
                        "re-encoding tool-call arguments failed",
                    )
                })?);
                Ok(())
            }
            // Models sometimes emit arguments that are not JSON; they are still text that leaves.
            Err(_) => self.text_field(arguments, path),
        }
    }

    fn json_strings(&mut self, value: &mut Value, path: &str, pointer: &mut String) -> Result<()> {
        match value {
            Value::String(_) => self.text_field(value, &format!("{path}#{pointer}")),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    self.json_strings(item, path, pointer)?;
                    pointer.truncate(len);
                }
                Ok(())
            }
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    self.json_strings(item, path, pointer)?;
                    pointer.truncate(len);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn text_field(&mut self, value: &mut Value, path: &str) -> Result<()> {
        let text = match value {
            Value::String(text) => text,
            Value::Null => return Ok(()),
            _ => return Err(invalid(path, "must be a string")),
        };
        let found = self.scanner.scan(text);
        if found.is_empty() {
            return Ok(());
        }
        let bytes: Vec<usize> = found.iter().flat_map(|f| [f.start, f.end]).collect();
        let code_points = byte_to_char_offsets(text, &bytes);
        let utf16 = byte_to_utf16_offsets(text, &bytes);
        let rewritten = self.rewriter.rewrite(text, &found)?;
        *text = rewritten.text;
        for applied in rewritten.applied {
            self.applied.push((path.to_string(), applied));
        }
        for (i, finding) in found.into_iter().enumerate() {
            self.findings.push(RequestFinding {
                path: path.to_string(),
                finding,
                code_points: (code_points[2 * i], code_points[2 * i + 1]),
                utf16: (utf16[2 * i], utf16[2 * i + 1]),
            });
        }
        Ok(())
    }
}

fn nested<'o>(
    object: &'o mut Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<&'o mut Map<String, Value>> {
    object
        .get_mut(key)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| invalid(path, &format!("a `{key}` part needs a `{key}` object")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::config::MaskConfig;
    use serde_json::json;

    const CARD: &str = "4111 1111 1111 1111";

    /// A request with the card planted at one position, and the JSON pointer of that position.
    fn planted(position: usize) -> (Value, &'static str) {
        let t = format!("my card is {CARD} thanks");
        let args = serde_json::to_string(&json!({"note": t, "n": 3, "list": ["x", t]})).unwrap();
        match position {
            0 => (
                json!({"messages": [{"role": "system", "content": t}]}),
                "/messages/0/content",
            ),
            1 => (
                json!({"messages": [{"role": "developer", "content": [{"type": "text", "text": t}]}]}),
                "/messages/0/content/0/text",
            ),
            2 => (
                json!({"messages": [{"role": "user", "content": t}]}),
                "/messages/0/content",
            ),
            3 => (
                json!({"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}, {"type": "text", "text": t}]}]}),
                "/messages/0/content/1/text",
            ),
            4 => (
                json!({"messages": [{"role": "assistant", "content": t}]}),
                "/messages/0/content",
            ),
            5 => (
                json!({"messages": [{"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "pay", "arguments": args}}]}]}),
                "/messages/0/tool_calls/0/function/arguments#/note",
            ),
            6 => (
                json!({"messages": [{"role": "tool", "tool_call_id": "c1", "content": t}]}),
                "/messages/0/content",
            ),
            7 => (
                json!({"messages": [{"role": "user", "name": t, "content": "hello"}]}),
                "/messages/0/name",
            ),
            8 => (
                json!({"messages": [{"role": "user", "content": [{"type": "file", "file": {"filename": format!("{CARD}.pdf"), "file_data": "data:application/pdf;base64,JVBERi0x"}}]}]}),
                "/messages/0/content/0/file/filename",
            ),
            9 => (
                json!({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": format!("https://example.com/x.png?card={}", CARD.replace(' ', "-"))}}]}]}),
                "/messages/0/content/0/image_url/url",
            ),
            10 => (
                json!({"messages": [{"role": "assistant", "content": "ok", "reasoning": t}]}),
                "/messages/0/reasoning",
            ),
            11 => (json!({"model": "x", "prompt": t}), "/prompt"),
            12 => (
                json!({"messages": [{"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "pay", "arguments": format!("not json {t}")}}]}]}),
                "/messages/0/tool_calls/0/function/arguments",
            ),
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_card_in_every_position_is_found_masked_and_blocked() {
        let scanner = crate::dlp::Scanner::builtin();
        for position in 0..13 {
            let (request, path) = planted(position);
            let json = request.to_string();

            let mut mask = Rewriter::new(MaskConfig::default()).with_action(Action::Mask);
            let out = scan_request_json(scanner, &json, &mut mask).unwrap();
            let paths: Vec<&str> = out
                .findings
                .iter()
                .filter(|f| &*f.finding.detector == "credit_card")
                .map(|f| f.path.as_str())
                .collect();
            assert!(
                paths.contains(&path),
                "position {position}: card not found at {path}; found {paths:?}"
            );
            let sent = out.request.to_string();
            assert!(
                !sent.contains("1111"),
                "position {position}: card digits leave in {sent}"
            );
            assert!(serde_json::from_str::<Value>(&sent).is_ok());
            assert!(!out.blocked);
            if position == 5 {
                let args = out.request["messages"][0]["tool_calls"][0]["function"]["arguments"]
                    .as_str()
                    .unwrap();
                let decoded: Value =
                    serde_json::from_str(args).expect("arguments stay a JSON string");
                assert_eq!(decoded["n"], 3);
                assert!(decoded["list"][1].as_str().unwrap().contains("****"));
            }

            let mut block = Rewriter::new(MaskConfig::default()).with_action(Action::Block);
            let scanner_blocking = crate::dlp::Scanner::from_config(
                &crate::dlp::ScannerConfig::from_yaml("actions: {CREDIT_CARD: block}").unwrap(),
            )
            .unwrap();
            let out = scan_request_json(&scanner_blocking, &json, &mut block).unwrap();
            assert!(out.blocked, "position {position}: not blocked");
        }
    }

    #[test]
    fn data_urls_and_audio_are_reported_not_scanned() {
        let request = json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,QUFBQQ=="}},
            {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}
        ]}]});
        let out = scan_request(
            crate::dlp::Scanner::builtin(),
            request.clone(),
            &mut Rewriter::new(MaskConfig::default()),
        )
        .unwrap();
        assert_eq!(out.inline_data.len(), 2);
        assert_eq!(out.inline_data[0].media_type, "image/png");
        assert_eq!(
            out.inline_data[1].path,
            "/messages/0/content/1/input_audio/data"
        );
        assert_eq!(out.request, request);
    }

    #[test]
    fn malformed_requests_fail_closed_with_codes_and_no_content() {
        let scanner = crate::dlp::Scanner::builtin();
        let mut r = Rewriter::new(MaskConfig::default());
        let err = scan_request_json(scanner, "{\"messages\": [4111 1111", &mut r).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidJson);
        assert!(!err.message().contains("4111"));
        for (bad, code) in [
            (json!([1]), ErrorCode::InvalidRequest),
            (json!({"model": "x"}), ErrorCode::InvalidRequest),
            (
                json!({"messages": [{"role": "wizard", "content": "x"}]}),
                ErrorCode::InvalidRequest,
            ),
            (
                json!({"messages": [{"role": "user", "content": [{"type": "hologram", "data": "x"}]}]}),
                ErrorCode::InvalidRequest,
            ),
            (
                json!({"messages": [{"role": "user", "content": 5}]}),
                ErrorCode::InvalidRequest,
            ),
        ] {
            assert_eq!(scan_request(scanner, bad, &mut r).unwrap_err().code(), code);
        }
    }
}
