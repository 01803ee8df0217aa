//! The guard's audit record of one interaction: built from what the governed call already has
//! (principal, the request as given, the decision, OpenRouter's response, costs, errors), so that
//! every path writes the same fields. Pure: time and ids come in.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::record::{
    Attempt, AuditOutcome, AuditPrincipal, AuditRecord, Cost, DecisionRef, DlpEntry, ErrorRef,
    ModelRef, PolicyRef, ReasonRef, Routing, Sdk, Span, Tokens,
};
use crate::budget::{actual_cost, Served};
use crate::error::{Error, ErrorCode, Result};
use crate::guard::{Guard, PreparedFinding};
use crate::policy::{Principal, Reason};

/// What happened after `prepare`, as the caller knows it. Every field is optional: a denial has
/// none of them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Details {
    /// OpenRouter's response (JSON object or text), or the final stream chunk with `usage`.
    #[serde(default)]
    pub response: Option<Value>,
    #[serde(default)]
    pub estimate_micros: Option<u64>,
    #[serde(default)]
    pub reserved_micros: Option<u64>,
    /// Overrides the billed amount worked out from the response's usage.
    #[serde(default)]
    pub billed_micros: Option<u64>,
    #[serde(default)]
    pub error: Option<ErrorRef>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub stream: Option<bool>,
    #[serde(default)]
    pub attempts: Vec<Attempt>,
    /// The governance path failed and the policy's `on_error: allow` let the request through.
    #[serde(default)]
    pub fail_open: bool,
    #[serde(default)]
    pub sdk: Option<Sdk>,
    /// What response DLP found in the answer (paths under `/choices/`); the governed call
    /// fills it, callers writing their own records do not.
    #[serde(skip)]
    pub response_findings: Vec<PreparedFinding>,
}

impl Details {
    pub fn parse(json: &str) -> Result<Details> {
        if json.trim().is_empty() {
            return Ok(Details::default());
        }
        serde_json::from_str(json).map_err(|e| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("audit details: {e} (expected {{response?, estimate_micros?, reserved_micros?, billed_micros?, error?, latency_ms?, id?, time?, stream?, attempts?, fail_open?, sdk?}})"),
            )
        })
    }
}

/// The decision of `prepare`, as the record needs it.
pub struct DecisionView<'a> {
    pub allowed: bool,
    pub reasons: Vec<ReasonRef>,
    pub notices: Vec<ReasonRef>,
    pub policy_hash: &'a str,
    /// The request sent (allowed only), compact JSON.
    pub sent: Option<&'a str>,
    pub models: &'a [String],
    pub providers: &'a [String],
    pub findings: &'a [PreparedFinding],
}

pub fn reason_refs<'r>(
    reasons: impl IntoIterator<Item = (&'r str, &'r str, &'r str, bool)>,
) -> Vec<ReasonRef> {
    reasons
        .into_iter()
        .map(|(code, rule, message, shadow)| ReasonRef {
            code: code.into(),
            rule: rule.into(),
            message: message.into(),
            shadow,
        })
        .collect()
}

fn core_reasons(reasons: &[Reason]) -> Vec<ReasonRef> {
    reason_refs(
        reasons
            .iter()
            .map(|r| (r.code, r.rule.as_str(), r.message.as_str(), r.shadow)),
    )
}

/// The interaction's event (the trail adds the chain fields and stores the content per mode).
pub fn interaction(
    guard: &Guard,
    principal: &Principal,
    request: &Value,
    decision: &DecisionView<'_>,
    details: Details,
) -> Result<AuditRecord> {
    let response = match details.response {
        Some(Value::String(text)) => Some(crate::guard::parse_response(&text)?),
        other => other,
    };
    let requested = request
        .get("model")
        .and_then(Value::as_str)
        .map(String::from)
        .or_else(|| {
            request
                .get("models")
                .and_then(|m| m.get(0))
                .and_then(Value::as_str)
                .map(String::from)
        });
    let sent: Option<Value> = decision.sent.and_then(|s| serde_json::from_str(s).ok());
    let fallbacks = if decision.allowed {
        decision.models.iter().skip(1).cloned().collect()
    } else {
        Vec::new()
    };

    let field = |k: &str| {
        response
            .as_ref()
            .and_then(|r| r.get(k))
            .and_then(Value::as_str)
    };
    let served_model = field("model").map(String::from);
    let served_provider = field("provider").and_then(|name| guard.provider_slug(name));
    let mut reasons = decision.reasons.clone();
    let mut violation = false;
    if let (true, Some(r)) = (decision.allowed, response.as_ref()) {
        if r.get("choices").is_some() {
            let verification =
                guard.verify_served(decision.models, decision.providers, &r.to_string())?;
            if !verification.allowed {
                violation = true;
                reasons.extend(core_reasons(&verification.reasons));
            }
        }
    }
    let mut error = details.error;
    // An error inside HTTP 200 (top level, or in a choice after partial output) is an upstream
    // error.
    if error.is_none() {
        let in_choice = || {
            response
                .as_ref()?
                .get("choices")?
                .as_array()?
                .iter()
                .find_map(|c| c.get("error").filter(|e| e.is_object()))
        };
        if let Some(e) = response
            .as_ref()
            .and_then(|r| r.get("error"))
            .filter(|e| e.is_object())
            .or_else(in_choice)
        {
            error = Some(upstream_error(e));
        }
    }

    let usage = response
        .as_ref()
        .and_then(|r| r.get("usage"))
        .filter(|u| u.is_object());
    let count = |v: Option<&Value>| v.and_then(Value::as_u64);
    let tokens = usage.map(|u| Tokens {
        prompt: count(u.get("prompt_tokens")).unwrap_or(0),
        completion: count(u.get("completion_tokens")).unwrap_or(0),
        reasoning: count(u.pointer("/completion_tokens_details/reasoning_tokens")),
        cached: count(u.pointer("/prompt_tokens_details/cached_tokens")),
    });
    let billed = match details.billed_micros {
        Some(b) => Some(b),
        None => actual_cost(
            guard.catalog(),
            &Served {
                model: served_model.as_deref(),
                provider: served_provider.as_deref(),
                usage,
            },
        )
        .ok()
        .flatten()
        .map(|(micros, _)| micros),
    };
    let cost = Cost {
        estimated_micros: details.estimate_micros,
        reserved_micros: details.reserved_micros,
        billed_micros: billed,
        billed_known: (decision.allowed).then_some(billed.is_some()),
    };

    let outcome = if error.is_some() {
        AuditOutcome::Error
    } else if !decision.allowed {
        AuditOutcome::Denied
    } else if violation {
        AuditOutcome::Violation
    } else if !details.attempts.is_empty()
        || matches!((&served_model, &requested), (Some(s), Some(r)) if !same_model(s, r))
    {
        AuditOutcome::Fallback
    } else {
        AuditOutcome::Allowed
    };

    let prompt = request
        .get("messages")
        .or_else(|| request.get("prompt"))
        .cloned();
    let response_content = response
        .as_ref()
        .and_then(|r| r.get("choices"))
        .map(|choices| {
            Value::Array(
                choices
                    .as_array()
                    .map(|c| {
                        c.iter()
                            .filter_map(|choice| {
                                choice
                                    .get("message")
                                    .or_else(|| choice.get("delta"))
                                    .cloned()
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        });

    Ok(AuditRecord {
        id: details.id,
        time: details.time,
        outcome: Some(outcome),
        principal: Some(AuditPrincipal {
            user: principal.user.clone(),
            workspace: principal.workspace.clone(),
            groups: principal.groups.clone(),
            tags: principal.tags.clone(),
        }),
        policy: Some(PolicyRef {
            version: guard.policy().version(),
            hash: decision.policy_hash.to_string(),
        }),
        model: Some(ModelRef {
            requested,
            fallbacks,
            served: served_model,
        }),
        routing: Some(Routing {
            constraints: sent.as_ref().and_then(|s| s.get("provider")).cloned(),
            served_provider,
            attempts: details.attempts,
        })
        .filter(|r| {
            r.constraints.is_some() || r.served_provider.is_some() || !r.attempts.is_empty()
        }),
        dlp: dlp_entries(decision.findings.iter().chain(&details.response_findings)),
        prompt,
        response: response_content,
        tokens,
        cost: Some(cost).filter(|c| *c != Cost::default()),
        decision: Some(DecisionRef {
            reasons,
            notices: decision.notices.clone(),
            fail_open: details.fail_open,
        })
        .filter(|d| *d != DecisionRef::default()),
        error,
        latency_ms: details.latency_ms,
        generation_id: field("id").map(String::from),
        stream: details.stream,
        sdk: details.sdk,
        ..AuditRecord::default()
    })
}

/// `openai/gpt-4o` served as `openai/gpt-4o-2024-08-06` is the same model, not a fallback.
fn same_model(served: &str, requested: &str) -> bool {
    let base = |m: &str| m.split(':').next().unwrap_or(m).to_string();
    let (s, r) = (base(served), base(requested));
    s == r
        || s.strip_prefix(r.as_str())
            .is_some_and(|rest| rest.starts_with('-'))
}

fn upstream_error(error: &Value) -> ErrorRef {
    let code = error.get("code");
    ErrorRef {
        code: match code {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => format!("upstream_{n}"),
            _ => "upstream_error".into(),
        },
        message: error
            .get("message")
            .and_then(Value::as_str)
            .map(String::from),
        status: code
            .and_then(Value::as_u64)
            .and_then(|n| u16::try_from(n).ok()),
        metadata: error.get("metadata").filter(|m| m.is_object()).cloned(),
    }
}

/// Findings grouped by detector and action, in first-seen order: counts and spans, no values.
fn dlp_entries<'f>(findings: impl Iterator<Item = &'f PreparedFinding>) -> Vec<DlpEntry> {
    let mut order: Vec<(String, String)> = Vec::new();
    let mut groups: BTreeMap<(String, String), DlpEntry> = BTreeMap::new();
    for f in findings {
        let key = (f.detector.clone(), f.action.as_str().to_string());
        let entry = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            DlpEntry {
                detector: f.detector.clone(),
                category: Some(f.category.clone()),
                action: f.action.as_str().into(),
                count: 0,
                spans: Vec::new(),
            }
        });
        entry.count += 1;
        if f.end > f.start {
            entry.spans.push(Span {
                path: f.path.clone(),
                start: f.start as u64,
                end: f.end as u64,
            });
        }
    }
    order.iter().filter_map(|k| groups.remove(k)).collect()
}
