//! Records for people and SIEMs: filters for `tail`/`search`, CSV for spreadsheets and OCSF API
//! Activity events (class 6003). Pure.

use serde::Deserialize;
use serde_json::{json, Value};

use super::record::{AuditRecord, Kind};
pub use crate::budget::window::parse_rfc3339;
use crate::error::{Error, ErrorCode, Result};

/// Which records `search` keeps. Times are RFC 3339 strings compared as UTC instants.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub workspace: Option<String>,
    /// The provider that served.
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    /// Unix ms, inclusive.
    #[serde(default)]
    pub since_ms: Option<i64>,
    /// Unix ms, exclusive.
    #[serde(default)]
    pub until_ms: Option<i64>,
    /// Keep checkpoints and notices too (default: interactions only).
    #[serde(default)]
    pub all_kinds: bool,
}

impl Filter {
    pub fn matches(&self, record: &AuditRecord) -> bool {
        if !self.all_kinds && record.kind != Some(Kind::Interaction) {
            return false;
        }
        let principal = record.principal.as_ref();
        let eq = |want: &Option<String>, got: Option<&str>| {
            want.as_deref().is_none_or(|w| Some(w) == got)
        };
        let time_ms = record.time.as_deref().and_then(parse_rfc3339);
        eq(&self.user, principal.map(|p| p.user.as_str()))
            && eq(&self.workspace, principal.map(|p| p.workspace.as_str()))
            && eq(
                &self.provider,
                record
                    .routing
                    .as_ref()
                    .and_then(|r| r.served_provider.as_deref()),
            )
            && (eq(
                &self.model,
                record.model.as_ref().and_then(|m| m.served.as_deref()),
            ) || eq(
                &self.model,
                record.model.as_ref().and_then(|m| m.requested.as_deref()),
            ))
            && eq(&self.outcome, record.outcome.map(|o| o.name()))
            && self
                .since_ms
                .is_none_or(|s| time_ms.is_some_and(|t| t >= s))
            && self.until_ms.is_none_or(|u| time_ms.is_some_and(|t| t < u))
    }
}

const CSV_COLUMNS: [&str; 19] = [
    "time",
    "id",
    "kind",
    "outcome",
    "user",
    "workspace",
    "model_requested",
    "model_served",
    "provider",
    "dlp_findings",
    "prompt_tokens",
    "completion_tokens",
    "estimated_micros",
    "reserved_micros",
    "billed_micros",
    "latency_ms",
    "reasons",
    "writer",
    "seq",
];

/// One row per record, the columns finance and compliance ask for first. Cells that a
/// spreadsheet would run as formulas are defused with a leading `'`.
pub fn to_csv(records: &[AuditRecord]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push('\n');
    for r in records {
        let principal = r.principal.as_ref();
        let model = r.model.as_ref();
        let cost = r.cost.as_ref();
        let tokens = r.tokens.as_ref();
        let opt = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
        let reasons: Vec<&str> = r
            .decision
            .iter()
            .flat_map(|d| d.reasons.iter().map(|x| x.code.as_str()))
            .chain(r.error.iter().map(|e| e.code.as_str()))
            .collect();
        let cells = [
            r.time.clone().unwrap_or_default(),
            r.id.clone().unwrap_or_default(),
            r.kind.map_or("", kind_name).to_string(),
            r.outcome.map_or("", |o| o.name()).to_string(),
            principal.map_or(String::new(), |p| p.user.clone()),
            principal.map_or(String::new(), |p| p.workspace.clone()),
            model.and_then(|m| m.requested.clone()).unwrap_or_default(),
            model.and_then(|m| m.served.clone()).unwrap_or_default(),
            r.routing
                .as_ref()
                .and_then(|x| x.served_provider.clone())
                .unwrap_or_default(),
            r.dlp.iter().map(|d| d.count).sum::<u64>().to_string(),
            opt(tokens.map(|t| t.prompt)),
            opt(tokens.map(|t| t.completion)),
            opt(cost.and_then(|c| c.estimated_micros)),
            opt(cost.and_then(|c| c.reserved_micros)),
            opt(cost.and_then(|c| c.billed_micros)),
            opt(r.latency_ms),
            reasons.join(" "),
            r.writer.clone().unwrap_or_default(),
            opt(r.seq),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Interaction => "interaction",
        Kind::Checkpoint => "checkpoint",
        Kind::Notice => "notice",
    }
}

fn csv_cell(cell: &str) -> String {
    let defused = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// The OCSF schema version the events follow.
pub const OCSF_VERSION: &str = "1.3.0";

/// An interaction as an OCSF API Activity event (class 6003, category 6 Application Activity):
/// the call is activity `Other` (99) on operation `chat.completions`; denials and violations are
/// failures. Fields OCSF has no place for go under `unmapped`.
pub fn to_ocsf(record: &AuditRecord) -> Result<Value> {
    if record.kind != Some(Kind::Interaction) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "only interaction records map to OCSF API Activity events",
        ));
    }
    let outcome = record.outcome.map_or("allowed", |o| o.name());
    let success = matches!(outcome, "allowed" | "fallback");
    let time_ms = record.time.as_deref().and_then(parse_rfc3339).unwrap_or(0);
    let principal = record.principal.as_ref();
    let reasons: Vec<&str> = record
        .decision
        .iter()
        .flat_map(|d| d.reasons.iter().map(|r| r.code.as_str()))
        .collect();
    let message = match (outcome, reasons.is_empty()) {
        ("denied", false) => format!("denied: {}", reasons.join(", ")),
        (_, _) => outcome.to_string(),
    };
    let provider = record
        .routing
        .as_ref()
        .and_then(|r| r.served_provider.clone());
    let severity_id = match outcome {
        "violation" => 4,
        "denied" | "error" => 2,
        _ => 1,
    };
    Ok(json!({
        "activity_id": 99,
        "activity_name": "Other",
        "category_uid": 6,
        "category_name": "Application Activity",
        "class_uid": 6003,
        "class_name": "API Activity",
        "type_uid": 600399,
        "type_name": "API Activity: Other",
        "severity_id": severity_id,
        "time": time_ms,
        "status_id": if success { 1 } else { 2 },
        "status": if success { "Success" } else { "Failure" },
        "status_detail": outcome,
        "message": message,
        "metadata": {
            "version": OCSF_VERSION,
            "uid": record.id,
            "original_time": record.time,
            "logged_time": time_ms,
            "product": {"name": "routeguard", "vendor_name": "routeguard", "version": env!("CARGO_PKG_VERSION")},
            "sequence": record.seq,
            "log_name": record.writer,
        },
        "actor": {
            "user": {"uid": principal.map(|p| p.user.clone()), "groups": principal.map(|p| p.groups.iter().map(|g| json!({"name": g})).collect::<Vec<_>>())},
            "app_name": record.sdk.as_ref().map(|s| format!("routeguard-{}", s.language)),
        },
        "api": {
            "operation": "chat.completions",
            "service": {"name": "OpenRouter"},
            "request": {"uid": record.generation_id},
        },
        "cloud": {"provider": provider.clone().unwrap_or_else(|| "OpenRouter".into())},
        "src_endpoint": {"name": record.sdk.as_ref().map(|s| s.language.clone())},
        "dst_endpoint": {"svc_name": provider},
        "unmapped": {
            "workspace": principal.map(|p| p.workspace.clone()),
            "outcome": outcome,
            "model": record.model,
            "dlp": record.dlp,
            "cost": record.cost,
            "tokens": record.tokens,
            "reasons": reasons,
            "policy": record.policy,
            "latency_ms": record.latency_ms,
        },
    }))
}

/// OCSF events as JSON Lines (interactions only).
pub fn to_ocsf_lines(records: &[AuditRecord]) -> Result<String> {
    let mut out = String::new();
    for r in records.iter().filter(|r| r.kind == Some(Kind::Interaction)) {
        out.push_str(&serde_json::to_string(&strip_nulls(to_ocsf(r)?)).unwrap_or_default());
        out.push('\n');
    }
    Ok(out)
}

/// OCSF omits absent attributes rather than writing null.
fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .filter(|(_, v)| !matches!(v, Value::Object(m) if m.is_empty()))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}
