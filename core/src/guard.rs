//! The governed call's decisions, without I/O: `prepare` turns a principal and an OpenRouter chat
//! request into a denial with reasons or the request to send (models checked, DLP applied,
//! `provider` constraints that keep OpenRouter's own fallbacks inside the policy), and `verify`
//! checks that what served the response was allowed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::budget::{Cap, Estimate};
use crate::dlp::{scan_request, RequestScan, Rewriter, Scanner, ScannerConfig, Vault};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{Policy, Principal, Reason, Resolved};
use crate::routing::catalog::Catalog;
use crate::routing::constraints::{compliant_endpoints, slug_covers, Exclusion};

/// Largest request `prepare` accepts, in bytes (as for DLP request scanning).
pub const MAX_REQUEST_BYTES: usize = crate::dlp::request::MAX_REQUEST_BYTES;

/// A policy and a catalogue, with the scanners compiled for the DLP settings seen so far.
pub struct Guard {
    policy: Policy,
    catalog: CatalogRef,
    /// Compiled scanners by DLP configuration (JSON), shared by every principal with the same one.
    scanners: Mutex<HashMap<String, Arc<Scanner>>>,
    /// Effective policies with their scanners by (workspace, user, groups): resolving merges the
    /// DLP sections of every level, which costs more than a whole routing decision.
    resolutions: Mutex<HashMap<ResolutionKey, Arc<Effective>>>,
}

type ResolutionKey = (String, String, Vec<String>);

/// At most this many resolutions are kept; the cache starts over when full (principals are
/// bounded by the policy's users and workspaces, groups are not).
const MAX_RESOLUTIONS: usize = 4096;

/// One principal's effective policy and the scanners its DLP settings compile to.
struct Effective {
    resolved: Resolved,
    enforced: Option<Arc<Scanner>>,
    shadow: Option<Arc<Scanner>>,
    /// Where each requested model may go under these rules; see `Effective::route`.
    routes: Mutex<Routes>,
}

/// A model's endpoints under one principal's provider rules: the tags admitted, and why the
/// others are not.
struct Route {
    admitted: Vec<String>,
    excluded: Vec<Exclusion>,
}

/// Routes by model id, under the enforced rules and under the shadow ones.
#[derive(Default)]
struct Routes {
    enforced: HashMap<String, Arc<Route>>,
    shadow: HashMap<String, Arc<Route>>,
}

/// Routes kept per principal: model ids come from requests, so the map is bounded.
const MAX_ROUTES: usize = 256;

impl Effective {
    /// The route of `model` under the enforced rules (or the shadow ones), worked out once per
    /// principal and model: the rules and the guard's catalogue do not change, and checking
    /// every endpoint of every requested model again would cost a good part of `prepare`.
    fn route(&self, catalog: &Catalog, model: &str, shadow: bool) -> Arc<Route> {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let routes = if shadow {
            &mut routes.shadow
        } else {
            &mut routes.enforced
        };
        if let Some(route) = routes.get(model) {
            return route.clone();
        }
        let rules = match (&self.resolved.providers_shadow, shadow) {
            (Some(shadow_rules), true) => shadow_rules,
            _ => &self.resolved.providers,
        };
        let (admitted, excluded) = compliant_endpoints(catalog, model, rules);
        let route = Arc::new(Route {
            admitted: admitted.iter().map(|e| e.tag.clone()).collect(),
            excluded,
        });
        if routes.len() >= MAX_ROUTES {
            routes.clear();
        }
        routes.insert(model.to_string(), route.clone());
        route
    }
}

/// The built-in snapshot or a catalogue loaded from files.
#[derive(Clone)]
pub enum CatalogRef {
    Builtin,
    Loaded(Arc<Catalog>),
}

impl CatalogRef {
    /// The catalogue this refers to.
    pub fn get(&self) -> &Catalog {
        match self {
            CatalogRef::Builtin => Catalog::builtin(),
            CatalogRef::Loaded(catalog) => catalog,
        }
    }
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("policy", &self.policy.hash())
            .field("catalog", &self.catalog.get().snapshot_date())
            .finish()
    }
}

/// What `prepare` needs besides the request: the key for `hash` and the vault for `pseudonymize`.
#[derive(Default)]
pub struct PrepareOptions<'v> {
    pub hash_key: Option<Vec<u8>>,
    pub vault: Option<&'v mut Vault>,
}

/// The outcome of `prepare`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Nothing may be sent. `reasons` name the rules; shadow reasons are reported beside them.
    Deny {
        reasons: Vec<Reason>,
        shadow: Vec<Reason>,
        policy_hash: String,
    },
    /// Send `prepared.request`.
    Allow(Prepared),
}

/// A request that may be sent, and what `verify` needs to check the response.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prepared {
    /// The request to send, as compact JSON: DLP applied, `provider` constrained.
    pub request: String,
    /// The primary model and the fallbacks kept, in order.
    pub models: Vec<String>,
    /// The provider tags put in `provider.only` (empty: the policy does not constrain providers).
    pub providers: Vec<String>,
    /// Reasons that did not deny: shadow rules and removed fallbacks, plugins or tools.
    pub notices: Vec<Reason>,
    /// DLP findings as `(path, detector, category, action)`: never the values.
    pub findings: Vec<PreparedFinding>,
    pub policy_hash: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreparedFinding {
    pub path: String,
    pub detector: String,
    pub category: String,
    pub action: crate::dlp::Action,
    /// Byte offsets into the string at `path`, for the audit record's spans.
    pub start: usize,
    pub end: usize,
}

/// A chat request as JSON; the error names the position only, never the text.
pub(crate) fn parse_request(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            format!(
                "the request is not JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// An OpenRouter response (or stream chunk) as JSON; the error names the position only.
pub(crate) fn parse_response(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            format!(
                "the response is not JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Holds the completion to the policy's `max_tokens`: a larger (or malformed) request value is
/// lowered to the cap with a notice, and a request without one gets the cap, so that every
/// request the policy caps has a bounded cost.
fn cap_max_tokens(
    object: &mut Map<String, Value>,
    cap: u64,
    rule: &str,
    notices: &mut Vec<Reason>,
) {
    let mut present = false;
    for key in ["max_tokens", "max_completion_tokens"] {
        let Some(asked) = object.get(key) else {
            continue;
        };
        present = true;
        if asked.as_u64().is_some_and(|n| n <= cap) {
            continue;
        }
        notices.push(reason(
            "max_tokens_capped",
            rule,
            format!("`{key}` lowered to the policy's cap of {cap} tokens"),
        ));
        object.insert(key.to_string(), Value::from(cap));
    }
    if !present {
        object.insert("max_tokens".to_string(), Value::from(cap));
    }
}

/// The outcome of `verify`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verification {
    /// The served provider and model were inside the allowed sets (or nothing was served).
    pub allowed: bool,
    /// The served provider's slug, when the catalogue knows its display name.
    pub provider: Option<String>,
    /// The served model as the response reports it.
    pub model: Option<String>,
    pub reasons: Vec<Reason>,
    /// The response to hand to the caller: the original when allowed, else with the content
    /// withheld (choices emptied), so that a violation never reaches the application.
    pub response: String,
}

/// Who served a response and whether the policy allowed it (see [`Guard::check_served`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ServedCheck {
    pub allowed: bool,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub reasons: Vec<Reason>,
}

fn reason(code: &'static str, rule: impl Into<String>, message: impl Into<String>) -> Reason {
    Reason {
        code,
        rule: rule.into(),
        message: message.into(),
        shadow: false,
    }
}

impl Guard {
    /// A guard over `policy` and the built-in catalogue snapshot. Every provider slug the policy
    /// names must be in the catalogue (`unknown_provider` otherwise): a misspelt slug would
    /// silently allow or deny nothing.
    pub fn new(policy: Policy) -> Result<Guard> {
        Guard::with_catalog(policy, CatalogRef::Builtin)
    }

    pub fn with_catalog(policy: Policy, catalog: CatalogRef) -> Result<Guard> {
        for (path, slug) in policy.provider_slugs() {
            let base = slug.split('/').next().unwrap_or(slug);
            if catalog.get().provider(base).is_none() {
                return Err(Error::new(
                    ErrorCode::UnknownProvider,
                    format!(
                        "at `{path}`: `{slug}` is not a provider of the catalogue ({})",
                        catalog.get().snapshot_date()
                    ),
                ));
            }
        }
        Ok(Guard {
            policy,
            catalog,
            scanners: Mutex::new(HashMap::new()),
            resolutions: Mutex::new(HashMap::new()),
        })
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn catalog(&self) -> &Catalog {
        self.catalog.get()
    }

    /// Decides about one chat request (JSON text). Errors are for input that is not a request
    /// and for a DLP configuration that does not compile; a policy "no" is a `Decision::Deny`.
    pub fn prepare(
        &self,
        principal: &Principal,
        request_json: &str,
        options: PrepareOptions<'_>,
    ) -> Result<Decision> {
        if request_json.len() > MAX_REQUEST_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("the request is larger than {MAX_REQUEST_BYTES} bytes"),
            ));
        }
        let request = parse_request(request_json)?;
        let policy_hash = self.policy.hash().to_string();
        let deny = |reasons: Vec<Reason>, shadow: Vec<Reason>| Decision::Deny {
            reasons,
            shadow,
            policy_hash: policy_hash.clone(),
        };
        let effective = match self.effective(principal)? {
            Ok(effective) => effective,
            Err(reasons) => return Ok(deny(reasons, Vec::new())),
        };
        let resolved = &effective.resolved;
        let mut notices = Vec::new();
        let mut request = request;
        let object = request.as_object_mut().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidRequest,
                "at `/`: the request must be a JSON object",
            )
        })?;

        // Models: the primary must be allowed; fallbacks that are not are removed.
        let (mut models, primary_missing) = requested_models(object)?;
        let mut denials = Vec::new();
        let mut kept = Vec::new();
        for (i, model) in models.iter().enumerate() {
            let (hard, soft) = split_shadow(resolved.models.check(model));
            notices.extend(soft);
            let online = model.ends_with(":online") && resolved.providers.plugins_deny;
            if hard.is_empty() && !online {
                kept.push(model.clone());
                continue;
            }
            let mut hard = hard;
            if online {
                hard.push(reason(
                    "plugin_denied",
                    resolved.providers.rule_path("plugins"),
                    format!("`{model}` searches the web, and the policy denies plugins"),
                ));
            }
            if i == 0 && !primary_missing {
                denials.extend(hard);
            } else {
                notices.extend(hard.into_iter().map(|r| removed_fallback(model, r)));
            }
        }
        if !denials.is_empty() {
            return Ok(deny(denials, notices));
        }
        models = kept;

        // Routing: each model needs a compliant endpoint; fallbacks without one are removed.
        let rules = &resolved.providers;
        let constrained = rules.constrains();
        let catalog = self.catalog.get();
        let routes: Vec<Arc<Route>> = models
            .iter()
            .map(|model| effective.route(catalog, model, false))
            .collect();
        if resolved.providers_shadow.is_some() {
            for (model, route) in models.iter().zip(&routes) {
                let shadow_route = effective.route(catalog, model, true);
                let newly: Vec<&Exclusion> = shadow_route
                    .excluded
                    .iter()
                    .filter(|e| route.admitted.contains(&e.tag))
                    .collect();
                if let Some(first) = newly.first() {
                    let tags: Vec<&str> = newly.iter().map(|e| e.tag.as_str()).collect();
                    notices.push(Reason {
                        shadow: true,
                        message: format!(
                            "in enforce mode `{model}` would not be sent to {}",
                            tags.join(", ")
                        ),
                        ..first.reason.clone()
                    });
                }
            }
        }
        let mut tags: BTreeSet<String> = BTreeSet::new();
        let mut routed = Vec::new();
        for (i, (model, route)) in models.iter().zip(&routes).enumerate() {
            let refusal = if !constrained {
                None
            } else if catalog.model(model).is_none() {
                Some(reason(
                    "model_unknown",
                    "catalog",
                    format!(
                        "`{model}` is not in the provider catalogue ({}), so where it would run cannot be checked",
                        catalog.snapshot_date()
                    ),
                ))
            } else if route.admitted.is_empty() {
                Some(no_endpoint(model, &route.excluded))
            } else {
                None
            };
            match refusal {
                None => {
                    if constrained {
                        tags.extend(route.admitted.iter().cloned());
                    }
                    routed.push(model.clone());
                }
                Some(r) if i == 0 && !primary_missing => return Ok(deny(vec![r], notices)),
                Some(r) => notices.push(removed_fallback(model, r)),
            }
        }
        if routed.is_empty() {
            let mut reasons: Vec<Reason> = notices.iter().filter(|r| !r.shadow).cloned().collect();
            if reasons.is_empty() {
                reasons.push(reason("no_model", "models", "no model is left to send"));
            }
            return Ok(deny(reasons, Vec::new()));
        }
        set_models(object, &routed, primary_missing);
        if let Some((cap, rule)) = &resolved.max_tokens {
            cap_max_tokens(object, *cap, rule, &mut notices);
        }

        // Plugins and server tools leave ZDR and residency guarantees.
        if rules.plugins_deny {
            strip_plugins_and_server_tools(object, resolved, &mut notices);
        }
        if rules.context_compression_deny {
            keep_prompt_intact(object);
        }
        if constrained {
            constrain_provider(object, &tags, resolved);
        }

        // DLP on the whole request, last, so that it sees exactly what is sent. Without a DLP
        // section anywhere on the principal's path the default profile applies; a shadow-only
        // section reports without changing anything.
        let mut findings = Vec::new();
        if let Some(scanner) = &effective.shadow {
            let shadow_scan = scan(scanner, request.clone(), None, &mut Vault::new())?;
            if let Some(r) = dlp_reason(&shadow_scan, resolved) {
                notices.push(Reason { shadow: true, ..r });
            }
        }
        if let Some(scanner) = &effective.enforced {
            let mut own_vault = Vault::new();
            let vault = match options.vault {
                Some(vault) => vault,
                None => &mut own_vault,
            };
            // The scan rewrites the request it is given; a blocked one is dropped whole.
            let scan = scan(
                scanner,
                std::mem::take(&mut request),
                options.hash_key,
                vault,
            )?;
            findings = prepared_findings(&scan);
            if scan.blocked {
                let r = dlp_reason(&scan, resolved).expect("a blocked scan has findings");
                return Ok(deny(vec![r], notices));
            }
            request = scan.request;
        }
        let providers = tags.into_iter().collect();
        Ok(Decision::Allow(Prepared {
            request: crate::json::to_string(&request),
            models: routed,
            providers,
            notices,
            findings,
            policy_hash,
        }))
    }

    /// Checks a response (JSON text of a non-streaming body, or of the final stream chunk) against
    /// what `prepare` allowed. A response that carries an error served nothing and is allowed.
    pub fn verify(&self, prepared: &Prepared, response_json: &str) -> Result<Verification> {
        self.verify_served(&prepared.models, &prepared.providers, response_json)
    }

    /// The filter for the answer to `principal`'s request: the enforced detectors when the
    /// policy scans answers, and `vault` (the one `prepare` filled) when it restores pseudonyms.
    pub fn response_filter(
        &self,
        principal: &Principal,
        vault: Vault,
        hash_key: Option<Vec<u8>>,
    ) -> Result<crate::dlp::ResponseFilter> {
        let effective = match self.effective(principal)? {
            Ok(effective) => effective,
            Err(_) => return Ok(crate::dlp::ResponseFilter::new(None, None, None)),
        };
        let resolved = &effective.resolved;
        let scanner = if resolved.response_scan {
            effective.enforced.clone()
        } else {
            None
        };
        let restore = resolved.restore_pseudonyms.then_some(vault);
        Ok(crate::dlp::ResponseFilter::new(scanner, restore, hash_key))
    }

    /// The caps that apply to `principal` (every level's budgets on its path), or the reasons
    /// the policy does not know the principal.
    pub fn caps(
        &self,
        principal: &Principal,
    ) -> Result<std::result::Result<Vec<Cap>, Vec<Reason>>> {
        Ok(self
            .effective(principal)?
            .map(|e| e.resolved.budgets.iter().map(Cap::from).collect()))
    }

    /// The reservation bound of a prepared request: its worst cost over every model and
    /// endpoint it may be sent to (the `provider.only` tags, or every endpoint when unconstrained).
    pub fn estimate(
        &self,
        request_json: &str,
        models: &[String],
        tags: &[String],
    ) -> Result<Estimate> {
        let request: Value = serde_json::from_str(request_json)
            .map_err(|_| Error::new(ErrorCode::InvalidJson, "the prepared request is not JSON"))?;
        crate::budget::estimate(self.catalog.get(), &request, models, tags)
    }

    /// The served provider's slug for a display name (`Google Vertex`) or a slug.
    pub fn provider_slug(&self, name: &str) -> Option<String> {
        let catalog = self.catalog.get();
        catalog
            .provider_by_name(name)
            .or_else(|| catalog.provider(name))
            .map(|p| p.slug.clone())
    }

    /// `verify` from the parts of a prepared request it checks against: the models and the
    /// provider tags that were sent.
    pub fn verify_served(
        &self,
        models: &[String],
        providers: &[String],
        response_json: &str,
    ) -> Result<Verification> {
        let response = parse_response(response_json)?;
        let check = self.check_served(models, providers, &response);
        let response = if check.allowed {
            response_json.to_string()
        } else {
            withheld(response).to_string()
        };
        Ok(Verification {
            allowed: check.allowed,
            provider: check.provider,
            model: check.model,
            reasons: check.reasons,
            response,
        })
    }

    /// The check of `verify_served` on a response already parsed, without copying it (the
    /// governed call has the value, and needs the response only when it is withheld).
    pub fn check_served(
        &self,
        models: &[String],
        providers: &[String],
        response: &Value,
    ) -> ServedCheck {
        let served_model = response
            .get("model")
            .and_then(Value::as_str)
            .map(String::from);
        let served_name = response.get("provider").and_then(Value::as_str);
        let catalog = self.catalog.get();
        let slug = served_name
            .and_then(|name| {
                catalog
                    .provider_by_name(name)
                    .or_else(|| catalog.provider(name))
            })
            .map(|p| p.slug.clone());
        let mut reasons = Vec::new();
        let has_content = response.get("choices").is_some();
        if has_content {
            if !providers.is_empty() {
                match (&slug, served_name) {
                    (Some(slug), _)
                        if providers.iter().any(|t| slug_covers(slug, t) || t == slug) => {}
                    (Some(slug), _) => reasons.push(reason(
                        "provider_violation",
                        "providers",
                        format!("served by `{slug}`, outside {}", providers.join(", ")),
                    )),
                    (None, Some(name)) => reasons.push(reason(
                        "provider_unknown",
                        "providers",
                        format!("served by `{name}`, which the catalogue does not know"),
                    )),
                    (None, None) => reasons.push(reason(
                        "provider_unknown",
                        "providers",
                        "the response does not say which provider served it",
                    )),
                }
            }
            if let Some(model) = &served_model {
                let served = catalog.model(model).map(|m| m.id.clone());
                let expected = models.iter().any(|m| {
                    m == model
                        || catalog.model(m).map(|x| &x.id) == served.as_ref() && served.is_some()
                });
                if !expected {
                    reasons.push(reason(
                        "model_violation",
                        "models",
                        format!(
                            "served by model `{model}`, not one of {}",
                            models.join(", ")
                        ),
                    ));
                }
            }
        }
        ServedCheck {
            allowed: reasons.is_empty(),
            provider: slug,
            model: served_model,
            reasons,
        }
    }

    /// The principal's effective policy and scanners, resolved once per (workspace, user,
    /// groups); `Ok(Err(reasons))` when the policy does not know the principal.
    fn effective(
        &self,
        principal: &Principal,
    ) -> Result<std::result::Result<Arc<Effective>, Vec<Reason>>> {
        let mut groups = principal.groups.clone();
        groups.sort();
        let key = (principal.workspace.clone(), principal.user.clone(), groups);
        if let Some(found) = self.lock_resolutions().get(&key) {
            return Ok(Ok(found.clone()));
        }
        let resolved = match self.policy.resolve(principal) {
            Ok(resolved) => resolved,
            Err(reasons) => return Ok(Err(reasons)),
        };
        // Without a DLP section on the principal's path the default profile applies; a
        // shadow-only section reports without enforcing anything.
        let enforced = match (&resolved.dlp, &resolved.dlp_shadow) {
            (Some(config), _) => Some(self.scanner_for(config)?),
            (None, Some(_)) => None,
            (None, None) => Some(self.scanner_for(&ScannerConfig::default())?),
        };
        let shadow = match &resolved.dlp_shadow {
            Some(config) => Some(self.scanner_for(config)?),
            None => None,
        };
        let effective = Arc::new(Effective {
            resolved,
            enforced,
            shadow,
            routes: Mutex::default(),
        });
        let mut cache = self.lock_resolutions();
        if cache.len() >= MAX_RESOLUTIONS {
            cache.clear();
        }
        cache.insert(key, effective.clone());
        Ok(Ok(effective))
    }

    fn lock_resolutions(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<ResolutionKey, Arc<Effective>>> {
        // The map is consistent after any panic: entries are inserted whole.
        self.resolutions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The scanner compiled for `config`, compiled once per distinct configuration.
    fn scanner_for(&self, config: &ScannerConfig) -> Result<Arc<Scanner>> {
        let key = serde_json::to_string(config)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("DLP settings: {e}")))?;
        let mut cache = self.scanners.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(scanner) = cache.get(&key) {
            return Ok(scanner.clone());
        }
        let scanner = Arc::new(Scanner::from_config(config)?);
        cache.insert(key, scanner.clone());
        Ok(scanner)
    }
}

/// Scans (and rewrites) a request: every role, part, tool-call argument and name.
fn scan(
    scanner: &Scanner,
    request: Value,
    hash_key: Option<Vec<u8>>,
    vault: &mut Vault,
) -> Result<RequestScan> {
    let mut rewriter = Rewriter::new(scanner.mask_config().clone()).with_vault(vault);
    if let Some(key) = hash_key {
        rewriter = rewriter.with_hash_key(key);
    }
    scan_request(scanner, request, &mut rewriter)
}

fn split_shadow(reasons: Vec<Reason>) -> (Vec<Reason>, Vec<Reason>) {
    reasons.into_iter().partition(|r| !r.shadow)
}

fn removed_fallback(model: &str, why: Reason) -> Reason {
    Reason {
        code: "fallback_removed",
        message: format!("fallback `{model}` removed: {}", why.message),
        ..why
    }
}

fn no_endpoint(model: &str, excluded: &[Exclusion]) -> Reason {
    let mut by_rule: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in excluded {
        by_rule
            .entry(e.reason.rule.as_str())
            .or_default()
            .push(e.tag.as_str());
    }
    let rule = by_rule
        .iter()
        .max_by_key(|(_, tags)| tags.len())
        .map(|(rule, _)| rule.to_string())
        .unwrap_or_else(|| "catalog".to_string());
    let detail: Vec<String> = by_rule
        .iter()
        .map(|(rule, tags)| format!("{rule} excludes {}", tags.join(", ")))
        .collect();
    reason(
        "no_compliant_endpoint",
        rule,
        if detail.is_empty() {
            format!("`{model}` has no endpoint in the catalogue")
        } else {
            format!(
                "`{model}` has no endpoint the policy allows: {}",
                detail.join("; ")
            )
        },
    )
}

fn prepared_findings(scan: &RequestScan) -> Vec<PreparedFinding> {
    scan.findings
        .iter()
        .map(|f| PreparedFinding {
            path: f.path.clone(),
            detector: f.finding.detector.to_string(),
            category: f.finding.category.to_string(),
            action: f.finding.action,
            start: f.finding.start,
            end: f.finding.end,
        })
        .collect()
}

/// `dlp_blocked` when a finding's action is block, `dlp_rewrote` for other findings, nothing
/// for a clean request.
fn dlp_reason(scan: &RequestScan, resolved: &Resolved) -> Option<Reason> {
    if scan.findings.is_empty() {
        return None;
    }
    let code = if scan.blocked {
        "dlp_blocked"
    } else {
        "dlp_rewrote"
    };
    Some(reason(
        code,
        resolved.dlp_rule_path(),
        dlp_summary(&prepared_findings(scan)),
    ))
}

fn dlp_summary(findings: &[PreparedFinding]) -> String {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in findings {
        *counts
            .entry((f.category.as_str(), f.action.as_str()))
            .or_default() += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|((category, action), n)| format!("{n} {category} ({action})"))
        .collect();
    format!("DLP found {}", parts.join(", "))
}

/// The model ids of a request: `model` then `models` (deduplicated), and whether `model` was
/// absent (then the first of `models` is the primary, and every entry is a fallback candidate).
pub fn requested_models(object: &Map<String, Value>) -> Result<(Vec<String>, bool)> {
    let invalid = |path: &str, what: &str| {
        Error::new(ErrorCode::InvalidRequest, format!("at `{path}`: {what}"))
    };
    let mut models = Vec::new();
    let primary = match object.get("model") {
        None | Some(Value::Null) => None,
        Some(Value::String(m)) if !m.is_empty() => Some(m.clone()),
        Some(_) => return Err(invalid("/model", "must be a non-empty string")),
    };
    if let Some(m) = &primary {
        models.push(m.clone());
    }
    match object.get("models") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for (i, m) in list.iter().enumerate() {
                let m = m.as_str().filter(|m| !m.is_empty()).ok_or_else(|| {
                    invalid(&format!("/models/{i}"), "must be a non-empty string")
                })?;
                if !models.iter().any(|x| x == m) {
                    models.push(m.to_string());
                }
            }
        }
        Some(_) => return Err(invalid("/models", "must be an array of model ids")),
    }
    if models.is_empty() {
        return Err(invalid(
            "/",
            "the request names no model (`model` or `models`)",
        ));
    }
    Ok((models, primary.is_none()))
}

fn set_models(object: &mut Map<String, Value>, models: &[String], primary_missing: bool) {
    if primary_missing {
        object.insert("models".into(), json!(models));
        return;
    }
    object.insert("model".into(), json!(models[0]));
    if object.contains_key("models") {
        object.insert("models".into(), json!(models));
    }
}

fn strip_plugins_and_server_tools(
    object: &mut Map<String, Value>,
    resolved: &Resolved,
    notices: &mut Vec<Reason>,
) {
    let rule = resolved.providers.rule_path("plugins");
    if let Some(Value::Array(plugins)) = object.get_mut("plugins") {
        let before = plugins.len();
        // Turning a feature off is not a plugin running.
        plugins.retain(|p| p.get("enabled") == Some(&Value::Bool(false)));
        if plugins.len() < before {
            notices.push(reason(
                "plugins_removed",
                rule.clone(),
                format!("{} plugin(s) removed", before - plugins.len()),
            ));
        }
    }
    if let Some(Value::Array(tools)) = object.get_mut("tools") {
        let before = tools.len();
        tools.retain(|t| {
            let kind = t.get("type").and_then(Value::as_str).unwrap_or("");
            !kind.starts_with("openrouter:") && kind != "web_search" && kind != "web_search_preview"
        });
        if tools.len() < before {
            notices.push(reason(
                "server_tools_removed",
                rule,
                format!("{} server tool(s) removed", before - tools.len()),
            ));
        }
    }
}

fn keep_prompt_intact(object: &mut Map<String, Value>) {
    let plugins = object.entry("plugins").or_insert_with(|| json!([]));
    if !plugins.is_array() {
        *plugins = json!([]);
    }
    let list = plugins.as_array_mut().expect("made an array above");
    list.retain(|p| p.get("id").and_then(Value::as_str) != Some("context-compression"));
    list.push(json!({"id": "context-compression", "enabled": false}));
}

/// Writes the policy's constraints into the request's `provider` object, keeping whatever the
/// caller set that is stricter: `only` is intersected, `ignore` merged, `data_collection` and
/// `zdr` can only tighten.
fn constrain_provider(
    object: &mut Map<String, Value>,
    tags: &BTreeSet<String>,
    resolved: &Resolved,
) {
    let rules = &resolved.providers;
    let provider = object.entry("provider").or_insert_with(|| json!({}));
    if !provider.is_object() {
        *provider = json!({});
    }
    let provider = provider.as_object_mut().expect("made an object above");
    let caller_only: Option<Vec<String>> =
        provider.get("only").and_then(Value::as_array).map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        });
    let only: Vec<String> = tags
        .iter()
        .filter(|tag| {
            caller_only
                .as_ref()
                .is_none_or(|list| list.iter().any(|named| slug_covers(named, tag)))
        })
        .cloned()
        .collect();
    provider.insert("only".into(), json!(only));
    if let Some(Value::Array(order)) = provider.get_mut("order") {
        order.retain(|o| {
            o.as_str()
                .is_some_and(|o| only.iter().any(|t| slug_covers(o, t) || o == t))
        });
    }
    if !rules.deny.is_empty() {
        let mut ignore: Vec<String> = provider
            .get("ignore")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        for slug in &rules.deny {
            if !ignore.contains(slug) {
                ignore.push(slug.clone());
            }
        }
        provider.insert("ignore".into(), json!(ignore));
    }
    if rules.data_collection_deny {
        provider.insert("data_collection".into(), json!("deny"));
    }
    if rules.zdr {
        provider.insert("zdr".into(), json!(true));
    }
}

/// The response with every choice's content removed, keeping ids, usage and routing facts so the
/// spend can still be settled and audited.
/// The response with its content withheld (choices emptied, the reason said), for a violation.
pub fn withheld(mut response: Value) -> Value {
    if let Some(Value::Array(choices)) = response.get_mut("choices") {
        choices.clear();
    }
    if let Some(object) = response.as_object_mut() {
        object.insert(
            "routeguard".into(),
            json!({"withheld": true, "reason": "served outside the allowed providers or models"}),
        );
    }
    response
}
