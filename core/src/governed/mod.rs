//! The governed call: one interaction from request to record. `Governor::begin` decides
//! (`prepare`) and holds the budget; the [`Call`] it returns is completed with OpenRouter's
//! answer, whole or chunk by chunk, and then checks who served, filters the answer, settles the
//! budget and writes the one audit record, on every path, exactly once (a call dropped
//! unfinished settles and records itself as cancelled). The HTTP exchange is the caller's, or
//! [`client::GovernedClient`]'s with the `transport` feature.

#[cfg(feature = "transport")]
pub mod client;

use std::time::Instant;

use serde::Serialize;
use serde_json::{json, Value};

use crate::audit::record::ErrorRef;
use crate::audit::Receipt;
use crate::budget::SpendRecord;
use crate::dlp::ResponseFilter;
use crate::error::{Error, ErrorCode, Result};
use crate::guard::PreparedFinding;
use crate::host::{
    now_ms, Details, HostAuditTrail, HostDecision, HostGuard, HostLedger, HostPrepared, HostReason,
    SharedVault,
};
use crate::openrouter::stream::{StreamAssembler, StreamEnd};

/// What the application gets back from a governed call.
#[derive(Clone, Debug, Serialize)]
pub struct GovernedAnswer {
    /// Sent, served inside the policy and answered without error.
    pub allowed: bool,
    /// Why not: the policy's reasons, a budget denial, a violation, an upstream error.
    pub reasons: Vec<HostReason>,
    /// What did not deny: shadow rules, removed fallbacks, a lowered `max_tokens`, failing open.
    pub notices: Vec<HostReason>,
    /// The answer as the application may see it (response DLP applied, pseudonyms restored,
    /// content withheld on a violation); for a stream, the chunks put back together. `None`
    /// when nothing was sent.
    pub response: Option<Value>,
    /// The HTTP status OpenRouter answered with, when it was called.
    pub status: Option<u16>,
    pub stream: bool,
    /// DLP findings in the request and in the answer (paths under `/messages` and `/choices`).
    pub findings: Vec<PreparedFinding>,
    pub spend: Option<SpendRecord>,
    /// The audit record written for this call.
    pub audit: Option<Receipt>,
    /// The governance path failed and the policy's `on_error: allow` let the call through.
    pub fail_open: bool,
}

impl GovernedAnswer {
    fn refused(decision: &HostDecision, reasons: Vec<HostReason>) -> GovernedAnswer {
        GovernedAnswer {
            allowed: false,
            reasons,
            notices: decision.notices.clone(),
            response: None,
            status: None,
            stream: false,
            findings: Vec::new(),
            spend: None,
            audit: None,
            fail_open: false,
        }
    }
}

/// The guard with the stores a governed call writes to. Cheap to clone (shared handles).
#[derive(Clone, Debug)]
pub struct Governor {
    pub guard: HostGuard,
    pub ledger: Option<HostLedger>,
    pub trail: Option<HostAuditTrail>,
    /// The key of the policy's `hash` action, when it uses one.
    pub hash_key: Option<Vec<u8>>,
}

/// What `begin` decided.
#[derive(Debug)]
pub enum Begun {
    /// Nothing may be sent (policy or budget); the record is written.
    Refused(Box<GovernedAnswer>),
    /// Send [`Call::request`] to OpenRouter, then complete the call with what came back.
    Send(Box<Call>),
}

fn reason(code: &str, rule: &str, message: impl Into<String>) -> HostReason {
    HostReason {
        code: code.into(),
        rule: rule.into(),
        message: message.into(),
        shadow: false,
    }
}

impl Governor {
    /// Decides about a request for a principal (both JSON) and, when it may go, reserves its
    /// worst-case cost. Errors are bad input, or a failing store when the policy fails closed.
    pub fn begin(&self, principal_json: &str, request_json: &str) -> Result<Begun> {
        let started = Instant::now();
        let vault = SharedVault::new();
        let decision = self.guard.prepare(
            principal_json,
            request_json,
            self.hash_key.as_deref(),
            Some(&vault),
        )?;
        let mut details = Details::default();
        let Some(prepared) = decision.prepared.clone() else {
            details.latency_ms = Some(elapsed_ms(started));
            let mut answer = GovernedAnswer::refused(&decision, decision.reasons.clone());
            answer.audit = self.record(principal_json, request_json, &decision, details)?;
            return Ok(Begun::Refused(Box::new(answer)));
        };
        let mut notices = decision.notices.clone();
        let mut held = None;
        if let Some(ledger) = &self.ledger {
            match self
                .guard
                .reserve(ledger, principal_json, &prepared, None, None)
            {
                Ok(reservation) if !reservation.outcome.reserved => {
                    let reasons: Vec<HostReason> = reservation
                        .outcome
                        .denials
                        .iter()
                        .map(|d| reason("budget_exceeded", &d.cap.rule, d.message.clone()))
                        .collect();
                    let denied = HostDecision {
                        allowed: false,
                        reasons: reasons.clone(),
                        prepared: None,
                        ..decision.clone()
                    };
                    details.estimate_micros =
                        reservation.estimate.as_ref().map(|e| e.reserve_micros);
                    details.latency_ms = Some(elapsed_ms(started));
                    let mut answer = GovernedAnswer::refused(&decision, reasons);
                    answer.audit = self.record(principal_json, request_json, &denied, details)?;
                    return Ok(Begun::Refused(Box::new(answer)));
                }
                Ok(reservation) => {
                    details.estimate_micros =
                        reservation.estimate.as_ref().map(|e| e.reserve_micros);
                    details.reserved_micros = Some(reservation.outcome.amount_micros);
                    held = reservation.outcome.id;
                }
                // A store that cannot answer denies, unless the policy fails open; the record
                // says which.
                Err(e) if e.code() == ErrorCode::LedgerUnavailable && self.guard.fails_open() => {
                    details.fail_open = true;
                    notices.push(reason(
                        "fail_open",
                        "on_error",
                        format!("sent without a budget reservation: {}", e.message()),
                    ));
                }
                Err(e) => {
                    details.error = Some(error_ref(&e));
                    details.latency_ms = Some(elapsed_ms(started));
                    self.record(principal_json, request_json, &decision, details)?;
                    return Err(e);
                }
            }
        }
        let filter =
            self.guard
                .response_filter(principal_json, &vault, self.hash_key.as_deref())?;
        Ok(Begun::Send(Box::new(Call {
            governor: self.clone(),
            principal: principal_json.to_string(),
            request: request_json.to_string(),
            decision,
            prepared,
            notices,
            details,
            held,
            filter,
            started,
            stream: None,
            finished: false,
        })))
    }

    /// Writes the call's one record; a failing sink fails the call (the trail decides whether
    /// the policy lets it fail open).
    fn record(
        &self,
        principal_json: &str,
        request_json: &str,
        decision: &HostDecision,
        details: Details,
    ) -> Result<Option<Receipt>> {
        let Some(trail) = &self.trail else {
            return Ok(None);
        };
        self.guard
            .audit_with(
                trail,
                principal_json,
                request_json,
                decision,
                details,
                Some(now_ms()),
            )
            .map(Some)
            .map_err(|e| match e.code() {
                ErrorCode::AuditUnavailable => e,
                _ => Error::new(
                    e.code(),
                    format!("writing the audit record: {}", e.message()),
                ),
            })
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    started.elapsed().as_millis() as u64
}

fn error_ref(e: &Error) -> ErrorRef {
    ErrorRef {
        code: e.code().name().into(),
        message: Some(e.message().into()),
        ..ErrorRef::default()
    }
}

/// OpenRouter's error object (top level, or inside a choice) as the record keeps it.
fn upstream_error_ref(error: &Value, status: Option<u16>) -> ErrorRef {
    let code = match &error["code"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => format!("upstream_{n}"),
        _ => "upstream_error".into(),
    };
    ErrorRef {
        code,
        status: status.or_else(|| error["code"].as_u64().map(|n| n as u16)),
        message: error["message"].as_str().map(String::from),
        metadata: error.get("metadata").filter(|m| m.is_object()).cloned(),
    }
}

/// What a stream chunk became.
#[derive(Debug, PartialEq)]
pub enum ChunkStep {
    /// Pass this chunk on (filtered).
    Pass(Value),
    /// The served provider or model is outside the policy: stop reading and end the call.
    Stop,
}

/// How a stream stopped, from the caller's side.
#[derive(Debug)]
pub enum StreamStop {
    /// The body ended (`[DONE]`, an in-band error, or the connection closed).
    Ended,
    /// The caller stopped reading.
    Cancelled,
    /// Reading failed.
    Failed(Error),
}

/// Both sides of a stream: what OpenRouter sent and what the caller was shown.
#[derive(Debug, Default)]
struct StreamState {
    sent: StreamAssembler,
    shown: StreamAssembler,
    checked: bool,
    violation: Vec<HostReason>,
}

/// A request that may be sent, with its reservation held. Complete it once.
pub struct Call {
    governor: Governor,
    principal: String,
    request: String,
    decision: HostDecision,
    prepared: HostPrepared,
    notices: Vec<HostReason>,
    details: Details,
    held: Option<String>,
    filter: ResponseFilter,
    started: Instant,
    stream: Option<StreamState>,
    finished: bool,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("models", &self.prepared.models)
            .field("reservation", &self.held)
            .field("finished", &self.finished)
            .finish()
    }
}

impl Call {
    /// The request to send, as compact JSON (DLP applied, `provider` constrained).
    pub fn request(&self) -> &str {
        &self.prepared.request
    }

    pub fn prepared(&self) -> &HostPrepared {
        &self.prepared
    }

    /// Notes the number of attempts the transport made (for the record).
    pub fn set_attempts(&mut self, attempts: u32) {
        if attempts > 1 {
            self.notices.push(reason(
                "retried",
                "transport",
                format!("sent {attempts} times (retries before any token)"),
            ));
        }
    }

    /// Completes a non-streaming call with OpenRouter's HTTP status and body.
    pub fn complete(mut self, status: u16, body: Value) -> Result<GovernedAnswer> {
        self.finished = true;
        let success = (200..300).contains(&status);
        let error = body.get("error").filter(|e| e.is_object()).cloned();
        let choice_error = body["choices"]
            .as_array()
            .and_then(|c| {
                c.iter()
                    .find_map(|c| c.get("error").filter(|e| e.is_object()))
            })
            .cloned();
        let upstream_error = !success || error.is_some() || choice_error.is_some();
        let outcome = if upstream_error {
            "failed"
        } else {
            "completed"
        };
        let spend = if upstream_error && body.get("usage").is_none() {
            self.settle(None, outcome)?
        } else {
            self.settle(Some(&body), outcome)?
        };
        let mut reasons = Vec::new();
        let mut shown = body.clone();
        if body.get("choices").is_some() {
            let violations = self.governor.guard.violations(&self.prepared, &body);
            if violations.is_empty() {
                self.filter.filter_response(&mut shown)?;
            } else {
                reasons.extend(violations);
                shown = crate::guard::withheld(shown);
            }
        }
        let shown = Some(shown);
        if let Some(e) = error.as_ref().or(choice_error.as_ref()) {
            reasons.push(reason(
                "upstream_error",
                "openrouter",
                format!("OpenRouter answered {status} with error code {}", e["code"]),
            ));
        } else if !success {
            reasons.push(reason(
                "upstream_error",
                "openrouter",
                format!("OpenRouter answered {status}"),
            ));
        }
        if !success {
            self.details.error = Some(upstream_error_ref(
                error.as_ref().unwrap_or(&Value::Null),
                Some(status),
            ));
        }
        self.details.response = Some(body);
        self.answer(reasons, shown, Some(status), spend)
    }

    /// Ends a call whose request never got an answer (the transport failed): the reservation is
    /// charged until reconciled and the record says why. Returns the error to pass on.
    pub fn fail(mut self, error: Error) -> Result<Error> {
        self.finished = true;
        self.settle(None, "failed")?;
        self.details.error = Some(error_ref(&error));
        self.answer(Vec::new(), None, None, None)?;
        Ok(error)
    }

    /// Takes one stream chunk; returns it filtered, or `Stop` when the first chunk with content
    /// shows a provider or model outside the policy (nothing of it reaches the caller).
    pub fn on_chunk(&mut self, chunk: Value) -> Result<ChunkStep> {
        let state = self.stream.get_or_insert_with(StreamState::default);
        state.sent.push_chunk(&chunk)?;
        if !state.checked
            && chunk
                .get("choices")
                .is_some_and(|c| c.as_array().is_some_and(|c| !c.is_empty()))
        {
            state.checked = true;
            let violations = self.governor.guard.violations(&self.prepared, &chunk);
            if !violations.is_empty() {
                state.violation = violations;
                return Ok(ChunkStep::Stop);
            }
        }
        if !state.violation.is_empty() {
            return Ok(ChunkStep::Stop);
        }
        let mut chunk = chunk;
        self.filter.filter_chunk(&mut chunk)?;
        let state = self.stream.as_mut().expect("set above");
        state.shown.push_chunk(&chunk)?;
        Ok(ChunkStep::Pass(chunk))
    }

    /// Takes one stream event's data (a chunk's JSON text); see [`on_chunk`](Self::on_chunk).
    pub fn on_data(&mut self, text: &str) -> Result<ChunkStep> {
        let state = self.stream.get_or_insert_with(StreamState::default);
        let chunk = state.sent.parse(text)?;
        self.on_chunk(chunk)
    }

    /// The usage chunk arrived (the stream can be settled from it).
    pub fn usage_known(&self) -> bool {
        self.stream
            .as_ref()
            .is_some_and(|s| s.sent.usage().is_some())
    }

    /// The generation id the chunks carry, for the generation-record lookup.
    pub fn generation_id(&self) -> Option<String> {
        self.stream
            .as_ref()
            .and_then(|s| s.sent.field("id"))
            .and_then(Value::as_str)
            .map(String::from)
    }

    /// Notes the stream's `[DONE]`: without it a stream is truncated.
    pub fn on_done(&mut self) -> Result<()> {
        let state = self.stream.get_or_insert_with(StreamState::default);
        state.sent.push(&crate::openrouter::sse::SseEvent::Done)?;
        Ok(())
    }

    /// The last chunk to pass on when a stream ends without a finish chunk: text the filter
    /// still holds. `None` when nothing is held.
    pub fn drain(&mut self) -> Result<Option<Value>> {
        let held = self.filter.finish()?;
        if held.is_empty() {
            return Ok(None);
        }
        let state = self.stream.get_or_insert_with(StreamState::default);
        let choices: Vec<Value> = held
            .into_iter()
            .map(|(index, delta)| json!({"index": index, "delta": delta, "finish_reason": null}))
            .collect();
        let top = |key| state.sent.field(key).cloned();
        let chunk = json!({"id": top("id"), "object": "chat.completion.chunk",
            "provider": top("provider"), "model": top("model"), "choices": choices});
        state.shown.push_chunk(&chunk)?;
        Ok(Some(chunk))
    }

    /// Ends a stream: settles from the usage chunk, else from the generation record when the
    /// caller could fetch it (`generation`: OpenRouter's `/generation` data), else charges the
    /// reservation; then writes the record.
    pub fn end_stream(
        mut self,
        stop: StreamStop,
        generation: Option<&Value>,
    ) -> Result<GovernedAnswer> {
        self.finished = true;
        let state = self.stream.take().unwrap_or_default();
        let end = state.sent.end();
        let sent = state.sent.response();
        let violation = !state.violation.is_empty();
        let outcome = match (&stop, end) {
            (StreamStop::Ended, StreamEnd::Completed) if !violation => "streamed",
            (StreamStop::Cancelled, _) => "cancelled",
            _ if violation => "cancelled",
            _ => "failed",
        };
        let from_generation = match state.sent.usage() {
            Some(_) => None,
            None => generation.map(|g| settlement_from_generation(g, &sent)),
        };
        let settled_from = match state.sent.usage() {
            Some(_) => Some(&sent),
            None => from_generation.as_ref(),
        };
        let spend = self.settle(settled_from, outcome)?;
        if let Some(spend) = spend.as_ref().filter(|s| s.actual_known) {
            self.details.billed_micros = Some(spend.charged_micros);
        }
        let mut reasons = state.violation;
        if let Some(error) = sent.get("error").filter(|e| e.is_object()) {
            reasons.push(reason(
                "upstream_error",
                "openrouter",
                format!("the stream ended with error code {}", error["code"]),
            ));
            self.details.error = Some(upstream_error_ref(error, None));
        } else if violation {
            // The violation is the record's outcome; the body is dropped.
        } else {
            let why = match (&stop, end) {
                (StreamStop::Failed(e), _) => Some(error_ref(e)),
                (StreamStop::Cancelled, _) => Some(ErrorRef {
                    code: "cancelled".into(),
                    message: Some("the caller stopped reading the stream".into()),
                    ..ErrorRef::default()
                }),
                (StreamStop::Ended, StreamEnd::Truncated) => Some(ErrorRef {
                    code: "stream_truncated".into(),
                    message: Some("the stream ended before its finish and [DONE]".into()),
                    ..ErrorRef::default()
                }),
                _ => None,
            };
            if let Some(why) = why {
                reasons.push(reason(
                    &why.code,
                    "openrouter",
                    why.message.clone().unwrap_or_default(),
                ));
                self.details.error = Some(why);
            }
        }
        self.details.stream = Some(true);
        self.details.response = Some(sent);
        let shown = if violation {
            None
        } else {
            Some(state.shown.response())
        };
        let mut answer = self.answer(reasons, shown, Some(200), spend)?;
        answer.stream = true;
        Ok(answer)
    }

    fn settle(&self, response: Option<&Value>, outcome: &str) -> Result<Option<SpendRecord>> {
        match (&self.governor.ledger, &self.held) {
            (Some(ledger), Some(id)) => self
                .governor
                .guard
                .settle_value(ledger, id, response, outcome, None)
                .map(Some),
            _ => Ok(None),
        }
    }

    /// Writes the record and builds the answer.
    fn answer(
        &mut self,
        reasons: Vec<HostReason>,
        shown: Option<Value>,
        status: Option<u16>,
        spend: Option<SpendRecord>,
    ) -> Result<GovernedAnswer> {
        let mut details = std::mem::take(&mut self.details);
        details.latency_ms = Some(elapsed_ms(self.started));
        details.response_findings = self.filter.findings().to_vec();
        let fail_open = details.fail_open;
        let decision = HostDecision {
            notices: self.notices.clone(),
            ..self.decision.clone()
        };
        let audit = self
            .governor
            .record(&self.principal, &self.request, &decision, details)?;
        let mut findings = self.prepared.findings.clone();
        findings.extend_from_slice(self.filter.findings());
        Ok(GovernedAnswer {
            allowed: reasons.is_empty(),
            reasons,
            notices: self.notices.clone(),
            response: shown,
            status,
            stream: false,
            findings,
            spend,
            audit,
            fail_open,
        })
    }
}

/// A stream that ended without usage is settled from its generation record, in the shape
/// `settle` reads (`usage.cost`, tokens, the provider's display name and the model).
fn settlement_from_generation(generation: &Value, sent: &Value) -> Value {
    json!({
        "provider": generation.get("provider_name").or_else(|| sent.get("provider")),
        "model": generation.get("model").or_else(|| sent.get("model")),
        "usage": {
            "cost": generation.get("total_cost"),
            "prompt_tokens": generation.get("tokens_prompt"),
            "completion_tokens": generation.get("tokens_completion"),
        },
    })
}

impl Drop for Call {
    /// A call nobody completed (the caller dropped it, or a panic unwound through it) still
    /// settles and is recorded, as cancelled: no reservation is left to its lease alone.
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        let state = self.stream.take();
        let _ = self.settle(None, "cancelled");
        self.details.stream = Some(state.is_some());
        self.details.response = state.map(|s| s.sent.response());
        self.details.error = Some(ErrorRef {
            code: "cancelled".into(),
            message: Some("the call was dropped before it completed".into()),
            ..ErrorRef::default()
        });
        let _ = self.answer(Vec::new(), None, None, None);
    }
}
