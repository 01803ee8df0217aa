//! A streamed chat completion put back together: content, reasoning and tool-call arguments
//! joined per choice, the finish reason, the usage that arrives in the chunk *after* the finish
//! chunk, and in-band errors. The result has the shape of a non-streaming response, so budget
//! settlement and the audit record read streamed and whole answers alike. Pure.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::sse::SseEvent;
use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Default)]
struct ToolCall {
    id: Option<String>,
    kind: Option<String>,
    name: String,
    arguments: String,
}

#[derive(Debug, Default)]
struct Choice {
    role: Option<String>,
    content: String,
    reasoning: String,
    refusal: String,
    tool_calls: BTreeMap<u64, ToolCall>,
    finish_reason: Option<String>,
    native_finish_reason: Option<String>,
}

/// What one chunk brought for choice 0: the text to pass on as it streams.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delta {
    pub content: String,
    pub reasoning: String,
    /// Set on the chunk that finishes choice 0.
    pub finish_reason: Option<String>,
    /// The chunk carried `usage`.
    pub usage: bool,
    /// The chunk carried an in-band error (top level or `finish_reason: "error"`).
    pub error: bool,
}

/// How the stream ended, as far as the chunks tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// `[DONE]` after a finish reason.
    Completed,
    /// An error arrived in band; the stream is over.
    Errored,
    /// The connection ended before `[DONE]` (or `[DONE]` came without any finish).
    Truncated,
}

/// Collects the chunks of one streamed response.
#[derive(Debug, Default)]
pub struct StreamAssembler {
    top: Map<String, Value>,
    choices: BTreeMap<u64, Choice>,
    usage: Option<Value>,
    error: Option<Value>,
    metadata: Option<Value>,
    done: bool,
    chunks: u64,
}

impl StreamAssembler {
    pub fn new() -> StreamAssembler {
        StreamAssembler::default()
    }

    /// Takes one SSE event (`Data` must hold one chunk's JSON).
    pub fn push(&mut self, event: &SseEvent) -> Result<Delta> {
        match event {
            SseEvent::Done => {
                self.done = true;
                Ok(Delta::default())
            }
            SseEvent::Data(text) => {
                let chunk = self.parse(text)?;
                self.push_chunk(&chunk)
            }
        }
    }

    /// The next chunk's JSON; the error names the chunk by number, never its content.
    pub fn parse(&self, text: &str) -> Result<Value> {
        serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::InvalidJson,
                format!(
                    "stream chunk {} is not JSON (line {}, column {})",
                    self.chunks + 1,
                    e.line(),
                    e.column()
                ),
            )
        })
    }

    /// Takes one parsed chunk.
    pub fn push_chunk(&mut self, chunk: &Value) -> Result<Delta> {
        let Some(object) = chunk.as_object() else {
            return Err(Error::new(
                ErrorCode::InvalidJson,
                format!("stream chunk {} is not a JSON object", self.chunks + 1),
            ));
        };
        self.chunks += 1;
        let mut delta = Delta::default();
        for key in ["id", "provider", "model", "created", "system_fingerprint"] {
            if let Some(v) = object.get(key).filter(|v| !v.is_null()) {
                self.top.entry(key.to_string()).or_insert_with(|| v.clone());
            }
        }
        if let Some(usage) = object.get("usage").filter(|u| u.is_object()) {
            self.usage = Some(usage.clone());
            delta.usage = true;
        }
        if let Some(meta) = object.get("openrouter_metadata").filter(|m| !m.is_null()) {
            self.metadata = Some(meta.clone());
        }
        if let Some(error) = object.get("error").filter(|e| e.is_object()) {
            self.error = Some(error.clone());
            delta.error = true;
        }
        for choice in object
            .get("choices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let index = choice.get("index").and_then(Value::as_u64).unwrap_or(0);
            let state = self.choices.entry(index).or_default();
            let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
            if let Some(d) = choice.get("delta").filter(|d| d.is_object()) {
                if let Some(role) = d.get("role").and_then(Value::as_str) {
                    state.role.get_or_insert_with(|| role.to_string());
                }
                let content = text(d.get("content"));
                let reasoning = text(d.get("reasoning"));
                state.content.push_str(&content);
                state.reasoning.push_str(&reasoning);
                state.refusal.push_str(&text(d.get("refusal")));
                for call in d
                    .get("tool_calls")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let slot = call.get("index").and_then(Value::as_u64).unwrap_or(0);
                    let entry = state.tool_calls.entry(slot).or_default();
                    if let Some(id) = call.get("id").and_then(Value::as_str) {
                        entry.id.get_or_insert_with(|| id.to_string());
                    }
                    if let Some(kind) = call.get("type").and_then(Value::as_str) {
                        entry.kind.get_or_insert_with(|| kind.to_string());
                    }
                    let function = call.get("function");
                    entry
                        .name
                        .push_str(&text(function.and_then(|f| f.get("name"))));
                    entry
                        .arguments
                        .push_str(&text(function.and_then(|f| f.get("arguments"))));
                }
                if index == 0 {
                    delta.content = content;
                    delta.reasoning = reasoning;
                }
            }
            if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
                state.finish_reason = Some(reason.to_string());
                if reason == "error" {
                    delta.error = true;
                }
                if index == 0 {
                    delta.finish_reason = Some(reason.to_string());
                }
            }
            if let Some(native) = choice.get("native_finish_reason").and_then(Value::as_str) {
                state.native_finish_reason = Some(native.to_string());
            }
            if let Some(error) = choice.get("error").filter(|e| e.is_object()) {
                self.error.get_or_insert_with(|| error.clone());
                delta.error = true;
            }
        }
        Ok(delta)
    }

    /// Chunks taken so far.
    pub fn chunks(&self) -> u64 {
        self.chunks
    }

    /// A top-level field the chunks carried (`id`, `provider`, `model`, `created`), first seen.
    pub fn field(&self, key: &str) -> Option<&Value> {
        self.top.get(key)
    }

    pub fn usage(&self) -> Option<&Value> {
        self.usage.as_ref()
    }

    pub fn end(&self) -> StreamEnd {
        let finished = self.choices.values().any(|c| c.finish_reason.is_some());
        if self.error.is_some() {
            StreamEnd::Errored
        } else if self.done && finished {
            StreamEnd::Completed
        } else {
            StreamEnd::Truncated
        }
    }

    /// The response as a non-streaming call would have returned it.
    pub fn response(&self) -> Value {
        let mut out = self.top.clone();
        out.insert("object".into(), "chat.completion".into());
        let choices: Vec<Value> = self
            .choices
            .iter()
            .map(|(index, c)| {
                let mut message = Map::new();
                message.insert("role".into(), c.role.clone().unwrap_or_else(|| "assistant".into()).into());
                message.insert("content".into(), c.content.clone().into());
                if !c.reasoning.is_empty() {
                    message.insert("reasoning".into(), c.reasoning.clone().into());
                }
                if !c.refusal.is_empty() {
                    message.insert("refusal".into(), c.refusal.clone().into());
                }
                if !c.tool_calls.is_empty() {
                    let calls: Vec<Value> = c
                        .tool_calls
                        .values()
                        .map(|t| {
                            json!({"id": t.id, "type": t.kind.clone().unwrap_or_else(|| "function".into()),
                                   "function": {"name": t.name, "arguments": t.arguments}})
                        })
                        .collect();
                    message.insert("tool_calls".into(), calls.into());
                }
                json!({"index": index, "message": message, "finish_reason": c.finish_reason,
                       "native_finish_reason": c.native_finish_reason})
            })
            .collect();
        out.insert("choices".into(), choices.into());
        if let Some(usage) = &self.usage {
            out.insert("usage".into(), usage.clone());
        }
        if let Some(error) = &self.error {
            out.insert("error".into(), error.clone());
        }
        if let Some(meta) = &self.metadata {
            out.insert("openrouter_metadata".into(), meta.clone());
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::sse::SseParser;
    use super::*;

    fn assemble(stream: &str) -> (StreamAssembler, Vec<Delta>) {
        let mut parser = SseParser::new();
        let mut assembler = StreamAssembler::new();
        let mut deltas = Vec::new();
        let mut events = parser.push(stream.as_bytes()).unwrap();
        events.extend(parser.finish().unwrap());
        for e in &events {
            deltas.push(assembler.push(e).unwrap());
        }
        (assembler, deltas)
    }

    const OK: &str = ": OPENROUTER PROCESSING\n\n\
data: {\"id\":\"gen-1\",\"provider\":\"Google\",\"model\":\"anthropic/claude-sonnet-4\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n\
data: {\"id\":\"gen-1\",\"provider\":\"Google\",\"model\":\"anthropic/claude-sonnet-4\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get\",\"arguments\":\"{\\\"a\\\"\"}}]},\"finish_reason\":null}]}\n\n\
data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]},\"finish_reason\":\"stop\",\"native_finish_reason\":\"end_turn\"}]}\n\n\
data: {\"id\":\"gen-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12,\"cost\":0.00004}}\n\n\
data: [DONE]\n\n";

    #[test]
    fn usage_after_the_finish_chunk_is_kept_and_the_response_is_whole() {
        let (assembler, deltas) = assemble(OK);
        assert_eq!(assembler.end(), StreamEnd::Completed);
        assert_eq!(deltas[0].content, "Hel");
        assert_eq!(deltas[2].finish_reason.as_deref(), Some("stop"));
        assert!(deltas[3].usage && deltas[3].finish_reason.is_none());
        let r = assembler.response();
        assert_eq!(r["provider"], "Google");
        assert_eq!(r["choices"][0]["message"]["content"], "Hello");
        assert_eq!(
            r["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
            "{\"a\":1}"
        );
        assert_eq!(r["choices"][0]["native_finish_reason"], "end_turn");
        assert_eq!(r["usage"]["cost"], 0.00004);
    }

    #[test]
    fn an_in_band_error_ends_the_stream_as_errored() {
        let stream = "data: {\"id\":\"gen-2\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n\
data: {\"id\":\"gen-2\",\"provider\":\"OpenAI\",\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n";
        let (assembler, deltas) = assemble(stream);
        assert!(deltas[1].error);
        assert_eq!(assembler.end(), StreamEnd::Errored);
        assert_eq!(assembler.response()["error"]["code"], 429);
        assert_eq!(
            assembler.response()["choices"][0]["message"]["content"],
            "par"
        );
    }

    #[test]
    fn a_cut_connection_is_truncated_and_a_non_json_chunk_is_an_error() {
        let cut = &OK[..OK.find("data: {\"id\":\"gen-1\",\"choices\":[],").unwrap()];
        let (assembler, _) = assemble(cut);
        assert_eq!(assembler.end(), StreamEnd::Truncated);
        assert!(assembler.usage().is_none());
        let mut a = StreamAssembler::new();
        let err = a
            .push(&SseEvent::Data("OPENROUTER PROCESSING".into()))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidJson);
        assert!(!err.message().contains("PROCESSING"));
    }
}
