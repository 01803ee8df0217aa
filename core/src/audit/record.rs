//! The audit record, version 1: one schema for every outcome, what the JSON Schema in
//! `schemas/audit-record.schema.json` is generated from.
//!
//! Records carry types, counts, spans, ids, costs and decisions, never scanned values: prompt and
//! response appear only as the storage mode allows (`none`, `hash`, `redacted`, `full`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The record schema version written in `v`.
pub const RECORD_VERSION: u32 = 1;

/// What a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One AI interaction (allowed, denied, violation, error or fallback).
    Interaction,
    /// A signed seal over the chain so far; `reason: close` ends a writer's chain.
    Checkpoint,
    /// Something the trail itself records, such as a sink outage that failed open.
    Notice,
}

/// How an interaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// Sent and served inside the policy.
    Allowed,
    /// Refused before anything was sent.
    Denied,
    /// Served outside the policy: content withheld, spend still recorded.
    Violation,
    /// Failed: invalid input, upstream error, cancelled or timed out.
    Error,
    /// Served inside the policy by a fallback model or provider.
    Fallback,
}

impl AuditOutcome {
    pub fn name(self) -> &'static str {
        match self {
            AuditOutcome::Allowed => "allowed",
            AuditOutcome::Denied => "denied",
            AuditOutcome::Violation => "violation",
            AuditOutcome::Error => "error",
            AuditOutcome::Fallback => "fallback",
        }
    }
}

/// One record. Written by the trail: callers give the interaction fields (an event) and the
/// trail adds `v`, `kind`, `writer`, `seq`, `prev`, `mac` and turns `prompt`/`response` into
/// their stored form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    /// Schema version (1).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub v: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// The event id: the caller's, else `writer:seq`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// RFC 3339 UTC with milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The chain this record belongs to: one per process run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
    /// Position in the writer's chain, from 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The predecessor's `mac` (for seq 0, the writer's genesis value), hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// HMAC-SHA-256 of the canonical record without `mac`, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// Checkpoints: Ed25519 signature of the canonical record without `mac` and `sig`, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<AuditOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<AuditPrincipal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<Routing>,
    /// DLP actions taken: detector, action, count and spans, never values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dlp: Vec<DlpEntry>,
    /// In an event: the prompt content (text or messages). In a record: its stored form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Content>")]
    pub prompt: Option<Value>,
    /// As `prompt`, for the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Content>")]
    pub response: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Tokens>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorRef>,
    /// Wall time of the whole interaction, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// OpenRouter's generation id, for reconciling cost later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk: Option<Sdk>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<CheckpointInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeInfo>,
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditPrincipal {
    pub user: String,
    pub workspace: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    pub version: u32,
    /// `sha256:` and the hex digest of the policy document.
    pub hash: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<String>,
    /// Fallback models sent after the primary, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallbacks: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// The OpenRouter `provider` object sent (the constraints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Value>,
    /// The slug of the provider that served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_provider: Option<String>,
    /// Attempts before the one that served (OpenRouter's routing metadata), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<Attempt>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attempt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DlpEntry {
    pub detector: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub action: String,
    pub count: u64,
    /// Where, as JSON path and byte offsets into that string: never the value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub path: String,
    pub start: u64,
    pub end: u64,
}

/// Prompt or response as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Content {
    /// `none`, `hash`, `redacted` or `full`.
    pub mode: String,
    /// `hash`: HMAC-SHA-256 of the canonical content under the trail's content key, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_sha256: Option<String>,
    /// `redacted` or `full`: the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tokens {
    #[serde(default)]
    pub prompt: u64,
    #[serde(default)]
    pub completion: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached: Option<u64>,
}

/// Money in integer micro-dollars.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_micros: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_micros: Option<u64>,
    /// What OpenRouter billed (`usage.cost`) or tokens times price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billed_micros: Option<u64>,
    /// False when the billed amount is not known yet (cancelled, failed before usage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billed_known: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRef {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<ReasonRef>,
    /// Reasons that did not deny: shadow rules, removed fallbacks, capped `max_tokens`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<ReasonRef>,
    /// The governance path failed and the policy's `on_error: allow` let the request through.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fail_open: bool,
}

fn is_false(v: &bool) -> bool {
    !*v
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRef {
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub shadow: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorRef {
    /// routeguard's error name, or OpenRouter's error code as text.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The HTTP status (OpenRouter's `error.code`), when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// OpenRouter's `error.metadata`; `flagged_input` and `raw` echo the prompt and are stored
    /// as the prompt's mode says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sdk {
    /// `rust`, `python`, `node`, `c`.
    pub language: String,
    pub version: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckpointInfo {
    /// `periodic`, `rotate` (last record of a file), `continue` (first of the next), `close`.
    pub reason: String,
    /// Interaction and notice records in this writer's chain so far.
    pub records: u64,
    /// The Ed25519 public key that signed, hex (absent when the trail has no signing key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeInfo {
    /// `sink_failed_open`: the sink failed and the policy allowed requests through meanwhile.
    pub code: String,
    pub message: String,
    /// Records written late, once the sink was back.
    #[serde(default)]
    pub delayed: u64,
    /// Interactions not recorded at all (the outage outlasted the in-memory backlog).
    #[serde(default)]
    pub unrecorded: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The error code of the sink failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl AuditRecord {
    /// The JSON Schema of a record (version 1), pretty-printed: `schemas/audit-record.schema.json`.
    pub fn json_schema() -> String {
        let mut schema =
            serde_json::to_value(schemars::schema_for!(AuditRecord)).expect("a schema serialises");
        schema["$id"] = "https://routeguard.dev/schemas/audit-record.v1.json".into();
        let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schema_matches_the_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../schemas/audit-record.schema.json");
        let generated = AuditRecord::json_schema();
        if std::env::var_os("ROUTEGUARD_UPDATE_SCHEMAS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} differs from the record types; regenerate it with\n  ROUTEGUARD_UPDATE_SCHEMAS=1 cargo test -p routeguard --lib audit",
            path.display()
        );
        let schema: Value = serde_json::from_str(&generated).unwrap();
        assert_eq!(schema["additionalProperties"], false);
        assert!(schema["$defs"]["Content"].is_object());
        assert!(schema["$defs"]["AuditOutcome"].is_object());
    }

    #[test]
    fn records_are_strict() {
        let err = serde_json::from_str::<AuditRecord>(r#"{"outcome": "allowed", "promtp": 1}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `promtp`"), "{err}");
    }
}
