//! What a request may cost before it is sent (the reservation) and what it did cost (settlement),
//! from the catalogue's per-endpoint prices. Pure arithmetic: no I/O, no clock.
//!
//! Prices are nano-dollars; amounts leave here as micro-dollars rounded up, so a reservation is
//! never below the cost it bounds. An endpoint with an unknown price is an error, never $0.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode, Result};
use crate::routing::catalog::{parse_price, Catalog, Endpoint};

/// Tokens a chat template may add per message (role markers, separators), on top of the text.
const TEMPLATE_TOKENS_PER_MESSAGE: u64 = 16;
/// Tokens a chat template may add per request (system preamble, generation prompt).
const TEMPLATE_TOKENS_PER_REQUEST: u64 = 64;

/// The upper bound of one request's cost over every endpoint it may be routed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Estimate {
    /// The reservation: the largest cost over the endpoints, in micro-dollars.
    pub reserve_micros: u64,
    /// The endpoint (`model@tag`) that gives that bound.
    pub worst_endpoint: String,
    /// The prompt-token bound used: every token takes at least one byte of the request, plus the
    /// chat template's tokens.
    pub prompt_tokens: u64,
    /// The completion-token bound used at the worst endpoint: `max_tokens`, else the endpoint's
    /// completion limit, else its context length.
    pub completion_tokens: u64,
    /// Endpoints considered.
    pub endpoints: usize,
}

/// Bounds the cost of `request` (the JSON that will be sent) over `models` (primary and
/// fallbacks) on the endpoints whose tag is in `tags` (every endpoint when `tags` is empty).
pub fn estimate(
    catalog: &Catalog,
    request: &Value,
    models: &[String],
    tags: &[String],
) -> Result<Estimate> {
    let messages = request
        .get("messages")
        .and_then(Value::as_array)
        .map_or(0, |m| m.len() as u64);
    let request_bytes = crate::json::to_string(request).len() as u64;
    let prompt_bound =
        request_bytes + messages * TEMPLATE_TOKENS_PER_MESSAGE + TEMPLATE_TOKENS_PER_REQUEST;
    let max_tokens = ["max_completion_tokens", "max_tokens"]
        .iter()
        .filter_map(|k| request.get(*k).and_then(Value::as_u64))
        .min();
    let images = count_images(request);

    let mut worst: Option<(u64, String, u64, u64)> = None;
    let mut considered = 0;
    for model in models {
        let known = catalog.model(model).ok_or_else(|| {
            Error::new(
                ErrorCode::PriceUnknown,
                format!(
                    "`{model}` is not in the provider catalogue ({}), so its price is unknown",
                    catalog.snapshot_date()
                ),
            )
        })?;
        let endpoints: Vec<&Endpoint> = catalog
            .endpoints(&known.id)
            .iter()
            .filter(|e| tags.is_empty() || tags.iter().any(|t| t == &e.tag))
            .collect();
        if endpoints.is_empty() {
            return Err(Error::new(
                ErrorCode::PriceUnknown,
                format!("`{model}` has no priced endpoint among the ones it may be sent to"),
            ));
        }
        for endpoint in endpoints {
            considered += 1;
            let prompt_tokens = endpoint
                .context_length
                .map_or(prompt_bound, |c| prompt_bound.min(c));
            let limit = endpoint
                .max_completion_tokens
                .or(known.max_completion_tokens)
                .or(endpoint.context_length)
                .or(known.context_length);
            let completion_tokens = match (max_tokens, limit) {
                (Some(asked), Some(limit)) => asked.min(limit),
                (Some(asked), None) => asked,
                (None, Some(limit)) => limit,
                (None, None) => {
                    return Err(Error::new(
                        ErrorCode::PriceUnknown,
                        format!(
                            "`{model}` at `{}` has no completion limit and the request sets no `max_tokens`, so its cost has no bound",
                            endpoint.tag
                        ),
                    ))
                }
            };
            let nanos =
                endpoint_cost_nanos(model, endpoint, prompt_tokens, completion_tokens, images)?;
            let micros = nanos_to_micros_up(nanos);
            if worst.as_ref().is_none_or(|w| micros > w.0) {
                worst = Some((
                    micros,
                    format!("{model}@{}", endpoint.tag),
                    prompt_tokens,
                    completion_tokens,
                ));
            }
        }
    }
    let (reserve_micros, worst_endpoint, prompt_tokens, completion_tokens) =
        worst.ok_or_else(|| Error::new(ErrorCode::PriceUnknown, "no model to price"))?;
    Ok(Estimate {
        reserve_micros,
        worst_endpoint,
        prompt_tokens,
        completion_tokens,
        endpoints: considered,
    })
}

/// What OpenRouter reported for a finished request: `usage` as the response carries it, and the
/// served model and provider slug.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Served<'a> {
    pub model: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub usage: Option<&'a Value>,
}

/// How an actual cost was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostSource {
    /// OpenRouter's `usage.cost`: what it bills.
    UsageCost,
    /// Tokens times the served endpoint's price.
    Tokens,
}

/// The actual cost in micro-dollars (rounded up): `usage.cost` when present, else the reported
/// tokens times the served endpoint's prices. `Ok(None)` when there is no usage at all (a
/// cancelled or failed request): the caller settles at the reservation and reconciles later.
pub fn actual_cost(catalog: &Catalog, served: &Served<'_>) -> Result<Option<(u64, CostSource)>> {
    let Some(usage) = served.usage.filter(|u| u.is_object()) else {
        return Ok(None);
    };
    if let Some(cost) = usage.get("cost").filter(|c| c.is_number()) {
        let nanos = parse_price(&cost.to_string())
            .ok()
            .flatten()
            .ok_or_else(|| Error::new(ErrorCode::PriceUnknown, "`usage.cost` is not a cost"))?;
        return Ok(Some((
            nanos_to_micros_up(nanos as u128),
            CostSource::UsageCost,
        )));
    }
    let tokens = |k: &str| usage.get(k).and_then(Value::as_u64).unwrap_or(0);
    let (model, provider) = match (served.model, served.provider) {
        (Some(m), Some(p)) => (m, p),
        _ => {
            return Err(Error::new(
                ErrorCode::PriceUnknown,
                "the usage has no `cost` and the served model or provider is unknown",
            ))
        }
    };
    let endpoint = catalog
        .model(model)
        .and_then(|m| {
            catalog
                .endpoints(&m.id)
                .iter()
                .find(|e| e.tag == provider || e.provider_slug == provider)
        })
        .ok_or_else(|| {
            Error::new(
                ErrorCode::PriceUnknown,
                format!("the catalogue has no price for `{model}` served by `{provider}`"),
            )
        })?;
    let nanos = endpoint_cost_nanos(
        model,
        endpoint,
        tokens("prompt_tokens"),
        tokens("completion_tokens"),
        0,
    )?;
    Ok(Some((nanos_to_micros_up(nanos), CostSource::Tokens)))
}

fn endpoint_cost_nanos(
    model: &str,
    endpoint: &Endpoint,
    prompt_tokens: u64,
    completion_tokens: u64,
    images: u64,
) -> Result<u128> {
    let unknown = |what: &str| {
        Error::new(
            ErrorCode::PriceUnknown,
            format!(
                "the {what} price of `{model}` at `{}` is unknown",
                endpoint.tag
            ),
        )
    };
    let p = &endpoint.pricing;
    let prompt = p.prompt.ok_or_else(|| unknown("prompt"))?;
    let completion = p.completion.ok_or_else(|| unknown("completion"))?;
    let image = if images > 0 {
        p.image.ok_or_else(|| unknown("image"))?
    } else {
        0
    };
    Ok(prompt as u128 * prompt_tokens as u128
        + completion as u128 * completion_tokens as u128
        + p.request.unwrap_or(0) as u128
        + image as u128 * images as u128)
}

fn nanos_to_micros_up(nanos: u128) -> u64 {
    u64::try_from(nanos.div_ceil(1000)).unwrap_or(u64::MAX)
}

fn count_images(request: &Value) -> u64 {
    let Some(messages) = request.get("messages").and_then(Value::as_array) else {
        return 0;
    };
    messages
        .iter()
        .filter_map(|m| m.get("content").and_then(Value::as_array))
        .flatten()
        .filter(|part| part.get("type").and_then(Value::as_str) == Some("image_url"))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The conformance catalogue with deepinfra's mistral completion price doubled and, when
    /// `unknown`, mistral's own completion price set to "varies" (-1).
    fn catalog(unknown: bool) -> Catalog {
        let mut doc: Value = serde_json::from_str(include_str!(
            "../../../tests/conformance/policy/catalog.json"
        ))
        .unwrap();
        let endpoints = &mut doc["endpoints"]["mistralai/mistral-large"]["data"]["endpoints"];
        for e in endpoints.as_array_mut().unwrap() {
            match e["tag"].as_str().unwrap() {
                "deepinfra" => e["pricing"]["completion"] = json!("0.00003"),
                "mistral" if unknown => e["pricing"]["completion"] = json!("-1"),
                _ => {}
            }
        }
        Catalog::from_snapshot_json(&doc.to_string()).unwrap()
    }

    fn request(max_tokens: u64) -> Value {
        json!({"model": "mistralai/mistral-large", "max_tokens": max_tokens,
               "messages": [{"role": "user", "content": "hi"}]})
    }

    #[test]
    fn the_bound_is_the_dearest_endpoint_the_request_may_reach() {
        let models = ["mistralai/mistral-large".to_string()];
        let r = request(1000);
        let prompt = crate::json::to_string(&r).len() as u64 + 16 + 64;
        let all = estimate(&catalog(false), &r, &models, &[]).unwrap();
        assert_eq!(all.worst_endpoint, "mistralai/mistral-large@deepinfra");
        assert_eq!(
            all.reserve_micros,
            (3000 * prompt + 30_000 * 1000).div_ceil(1000)
        );
        assert_eq!(all.endpoints, 2);
        // Constrained to `mistral`, the cheaper endpoint bounds it.
        let only = estimate(&catalog(false), &r, &models, &["mistral".to_string()]).unwrap();
        assert_eq!(
            only.reserve_micros,
            (3000 * prompt + 15_000 * 1000).div_ceil(1000)
        );
        // max_tokens above the endpoint's completion limit is capped by it.
        assert_eq!(
            estimate(&catalog(false), &request(50_000), &models, &[])
                .unwrap()
                .completion_tokens,
            8192
        );
    }

    #[test]
    fn an_unknown_price_is_an_error_never_zero() {
        let models = ["mistralai/mistral-large".to_string()];
        let err = estimate(&catalog(true), &request(10), &models, &[]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::PriceUnknown);
        assert!(err.message().contains("`mistral`"), "{}", err.message());
        let err = estimate(
            &catalog(false),
            &request(10),
            &["acme/none".to_string()],
            &[],
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::PriceUnknown);
    }

    #[test]
    fn actual_cost_prefers_usage_cost_then_tokens() {
        let c = catalog(false);
        let usage = json!({"prompt_tokens": 1000, "completion_tokens": 100, "cost": 0.0000011});
        let served = Served {
            model: Some("mistralai/mistral-large"),
            provider: Some("deepinfra"),
            usage: Some(&usage),
        };
        // $0.0000011 is 1.1 micro-dollars: rounded up, never down.
        assert_eq!(
            actual_cost(&c, &served).unwrap(),
            Some((2, CostSource::UsageCost))
        );
        let usage = json!({"prompt_tokens": 1000, "completion_tokens": 100});
        let served = Served {
            usage: Some(&usage),
            ..served
        };
        assert_eq!(
            actual_cost(&c, &served).unwrap(),
            Some((6000, CostSource::Tokens))
        );
        let nothing = Served {
            usage: None,
            ..served
        };
        assert_eq!(actual_cost(&c, &nothing).unwrap(), None);
        let nowhere = Served {
            provider: Some("acme"),
            ..served
        };
        assert_eq!(
            actual_cost(&c, &nowhere).unwrap_err().code(),
            ErrorCode::PriceUnknown
        );
    }
}
