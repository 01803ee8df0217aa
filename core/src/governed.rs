//! The governed call (feature `transport`), non-streaming: decide (`prepare`), hold the budget,
//! send to OpenRouter, check who served, settle, and write exactly one audit record on every
//! path. Streaming, response DLP and the language bindings build on this in the next steps.

use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use crate::audit::record::ErrorRef;
use crate::audit::Receipt;
use crate::budget::SpendRecord;
use crate::error::{Error, ErrorCode, Result};
use crate::host::{
    now_ms, Details, HostAuditTrail, HostDecision, HostGuard, HostLedger, HostReason,
};
use crate::openrouter::transport::Transport;

/// What the application gets back.
#[derive(Clone, Debug, Serialize)]
pub struct GovernedAnswer {
    /// Sent, served inside the policy and answered without error.
    pub allowed: bool,
    /// Why not: the policy's reasons, a budget denial, a violation or an upstream error code.
    pub reasons: Vec<HostReason>,
    /// OpenRouter's response as the application may see it (content withheld on a violation);
    /// `None` when nothing was sent.
    pub response: Option<Value>,
    /// The HTTP status OpenRouter answered with, when it was called.
    pub status: Option<u16>,
    pub spend: Option<SpendRecord>,
    /// The audit record written for this call.
    pub audit: Option<Receipt>,
}

/// A guard, a transport and optionally a ledger and an audit trail: one governed call each.
#[derive(Clone, Debug)]
pub struct GovernedClient {
    pub guard: HostGuard,
    pub transport: Transport,
    pub ledger: Option<HostLedger>,
    pub trail: Option<HostAuditTrail>,
}

fn reason(code: &str, rule: &str, message: impl Into<String>) -> HostReason {
    HostReason {
        code: code.into(),
        rule: rule.into(),
        message: message.into(),
        shadow: false,
    }
}

impl GovernedClient {
    /// One non-streaming chat completion under the policy. Denials and violations are answers
    /// (`allowed: false`); errors are for bad input, an unreachable OpenRouter, an unavailable
    /// ledger, and an audit sink that fails (the answer is then withheld: fail closed).
    pub async fn chat(&self, principal_json: &str, request_json: &str) -> Result<GovernedAnswer> {
        let started = Instant::now();
        let decision = self
            .guard
            .prepare(principal_json, request_json, None, None)?;
        let elapsed = |started: Instant| started.elapsed().as_millis() as u64;
        let Some(prepared) = decision.prepared.clone() else {
            let details = Details {
                latency_ms: Some(elapsed(started)),
                ..Details::default()
            };
            let audit = self.audit(principal_json, request_json, &decision, details)?;
            return Ok(GovernedAnswer {
                allowed: false,
                reasons: decision.reasons,
                response: None,
                status: None,
                spend: None,
                audit,
            });
        };
        let mut details = Details::default();
        let mut held = None;
        if let Some(ledger) = &self.ledger {
            let reservation = self
                .guard
                .reserve(ledger, principal_json, &prepared, None, None)?;
            details.estimate_micros = reservation.estimate.as_ref().map(|e| e.reserve_micros);
            if !reservation.outcome.reserved {
                let reasons: Vec<HostReason> = reservation
                    .outcome
                    .denials
                    .iter()
                    .map(|d| reason("budget_exceeded", &d.cap.rule, d.message.clone()))
                    .collect();
                let denied = HostDecision {
                    allowed: false,
                    reasons: reasons.clone(),
                    notices: decision.notices.clone(),
                    policy_hash: decision.policy_hash.clone(),
                    prepared: None,
                };
                details.latency_ms = Some(elapsed(started));
                let audit = self.audit(principal_json, request_json, &denied, details)?;
                return Ok(GovernedAnswer {
                    allowed: false,
                    reasons,
                    response: None,
                    status: None,
                    spend: None,
                    audit,
                });
            }
            details.reserved_micros = Some(reservation.outcome.amount_micros);
            held = reservation.outcome.id;
        }

        let sent = self.transport.chat(&prepared.request).await;
        let settle = |response: Option<&str>, outcome: &str| -> Result<Option<SpendRecord>> {
            match (&self.ledger, &held) {
                (Some(ledger), Some(id)) => self
                    .guard
                    .settle(ledger, id, response, outcome, None)
                    .map(Some),
                _ => Ok(None),
            }
        };
        let answer = match sent {
            Ok(answer) => answer,
            Err(e) => {
                // Nothing came back: the reservation is charged until reconciled, and the record says why.
                settle(None, "failed")?;
                details.error = Some(ErrorRef {
                    code: e.code().name().into(),
                    message: Some(e.message().into()),
                    ..ErrorRef::default()
                });
                details.latency_ms = Some(elapsed(started));
                self.audit(principal_json, request_json, &decision, details)?;
                return Err(e);
            }
        };
        let body_text = answer.body.to_string();
        let has_choices = answer.body.get("choices").is_some();
        let upstream_error = !answer.is_success() || answer.body.get("error").is_some();
        let spend = if upstream_error && answer.body.get("usage").is_none() {
            settle(None, "failed")?
        } else {
            settle(Some(&body_text), "completed")?
        };
        let mut reasons = Vec::new();
        let mut response = Some(answer.body.clone());
        if has_choices {
            let verification = self.guard.verify(&prepared, &body_text)?;
            if verification.withheld {
                reasons.extend(verification.reasons);
                response = serde_json::from_str(&verification.response).ok();
            }
        }
        if upstream_error {
            let code = answer.body["error"]["code"].clone();
            reasons.push(reason(
                "upstream_error",
                "openrouter",
                format!(
                    "OpenRouter answered {} with error code {code}",
                    answer.status
                ),
            ));
            if !answer.is_success() {
                details.error = Some(ErrorRef {
                    code: format!("upstream_{}", answer.status),
                    status: Some(answer.status),
                    message: answer.body["error"]["message"].as_str().map(String::from),
                    metadata: answer.body["error"]
                        .get("metadata")
                        .filter(|m| m.is_object())
                        .cloned(),
                });
            }
        }
        details.response = Some(answer.body);
        details.latency_ms = Some(elapsed(started));
        let audit = self.audit(principal_json, request_json, &decision, details)?;
        Ok(GovernedAnswer {
            allowed: reasons.is_empty(),
            reasons,
            response,
            status: Some(answer.status),
            spend,
            audit,
        })
    }

    /// Writes the call's one record; a failing sink fails the call (the trail decides whether
    /// the policy lets it fail open).
    fn audit(
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
