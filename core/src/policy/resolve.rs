//! The effective policy for one principal: the levels on its path (defaults -> workspace ->
//! org-wide user -> user in workspace) narrowed into one set of rules, and the reasons a model
//! or an endpoint fails them.
//!
//! Narrowing: a model must pass every level that has model rules; provider allow lists
//! intersect, deny lists unite, country sets intersect, and the strict value of each switch
//! wins. `shadow` rule sets are kept apart: they are evaluated and reported, never enforced.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::document::{AuditSettings, BudgetScope, DlpRules, Document, Permission};
use super::document::{ProviderRules, Usd, Window};
use super::glob::{base_id, ROUTER_PREFIX};
use super::validate::{builtin_infos, level, selects, LevelKey};
use crate::dlp::config::Selector;
use crate::dlp::{Action, ScannerConfig};
use crate::routing::regions;

/// Who is calling. The SDK never invents one; the policy must know the workspace and the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    pub user: String,
    pub workspace: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

impl Principal {
    pub fn new(user: impl Into<String>, workspace: impl Into<String>) -> Principal {
        Principal {
            user: user.into(),
            workspace: workspace.into(),
            groups: Vec::new(),
            tags: BTreeMap::new(),
        }
    }
}

/// Why something is denied (or, with `shadow`, would be): a stable code, the policy path of
/// the rule, and a message that names ids, never request content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// `unknown_workspace`, `unknown_user`, `model_not_allowed`, `model_denied`,
    /// `router_not_allowed`, `variant_not_allowed`, `provider_not_allowed`, `provider_denied`,
    /// `jurisdiction_not_allowed`, `processing_not_allowed`, `data_collection_not_allowed`,
    /// `zdr_required`.
    pub code: &'static str,
    /// The rule's policy path, e.g. `workspaces.eu-health.models.allow`.
    pub rule: String,
    pub message: String,
    /// A shadow rule's reason: reported, not enforced.
    pub shadow: bool,
}

impl Reason {
    fn new(code: &'static str, rule: String, message: String, shadow: bool) -> Reason {
        Reason {
            code,
            rule,
            message,
            shadow,
        }
    }
}

/// The effective policy of one principal.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The paths of the levels on the principal's path, top first.
    pub levels: Vec<String>,
    pub models: ResolvedModels,
    /// The enforced provider constraints (shadow rule sets left out).
    pub providers: ResolvedProviders,
    /// The constraints with the shadow rule sets included (`shadow: true`), when the path has
    /// any: what enforcing them would exclude is reported, not enforced.
    pub providers_shadow: Option<ResolvedProviders>,
    /// The enforced DLP configuration; `None` when no level on the path has a `dlp` section.
    pub dlp: Option<Arc<ScannerConfig>>,
    /// The DLP configuration with the shadow sections included, when the path has any: its
    /// findings are reported, nothing is rewritten or blocked because of them.
    pub dlp_shadow: Option<Arc<ScannerConfig>>,
    /// The paths of the `dlp` sections on the path, top first (shadow ones included).
    pub dlp_rules: Vec<String>,
    /// Every cap that applies to this principal.
    pub budgets: Vec<ResolvedBudget>,
    /// The smallest enforced `models.max_tokens` on the path, with the rule that sets it.
    pub max_tokens: Option<(u64, String)>,
    /// The organisation's audit settings (audit is configured at `defaults` only).
    pub audit: Option<AuditSettings>,
    /// Scan the answer with the enforced detectors (some enforced level says `response.scan`).
    pub response_scan: bool,
    /// Restore pseudonyms in the answer (some enforced level asks, none refuses).
    pub restore_pseudonyms: bool,
}

impl Resolved {
    /// The path of the lowest `dlp` section on the principal's path (`dlp` when there is none),
    /// to name in a DLP denial.
    pub fn dlp_rule_path(&self) -> String {
        self.dlp_rules
            .last()
            .cloned()
            .unwrap_or_else(|| "dlp".into())
    }
}

/// The model rules on a principal's path.
#[derive(Clone, Debug)]
pub struct ResolvedModels {
    doc: Arc<Document>,
    /// Levels on the path that have model rules (defaults always counts: no rules there means
    /// nothing is allowed).
    levels: Vec<LevelKey>,
}

impl ResolvedModels {
    /// The reasons `model_id` fails; empty when it is allowed. Shadow rules give reasons with
    /// `shadow: true`, which do not deny. The id is compared in ASCII lower case.
    pub fn check(&self, model_id: &str) -> Vec<Reason> {
        let id = model_id.to_ascii_lowercase();
        let base = base_id(&id);
        let router = id.starts_with(ROUTER_PREFIX);
        let variant = id.contains(':');
        let mut reasons = Vec::new();
        for key in &self.levels {
            let rules = level(&self.doc, key).and_then(|l| l.models);
            let defaults = *key == LevelKey::Defaults;
            let Some(rules) = rules else {
                reasons.push(Reason::new(
                    "model_not_allowed",
                    "defaults.models".into(),
                    format!("`{id}`: the policy has no `defaults.models`, so no model is allowed"),
                    false,
                ));
                continue;
            };
            let shadow = rules.mode.is_shadow();
            if let Some(g) = rules
                .deny
                .iter()
                .find(|g| g.matches(&id) || g.matches(base))
            {
                reasons.push(Reason::new(
                    "model_denied",
                    format!("{}.models.deny", key.path()),
                    format!("`{id}` matches the denied glob `{g}`"),
                    shadow,
                ));
            }
            let allow: &[super::Glob] = match &rules.allow {
                Some(a) => a,
                None if defaults => &[],
                None => continue,
            };
            if id.is_empty() {
                reasons.push(Reason::new(
                    "model_not_allowed",
                    format!("{}.models.allow", key.path()),
                    "an empty model id is never allowed".into(),
                    shadow,
                ));
                continue;
            }
            if allow
                .iter()
                .any(|g| g.matches(&id) && (!router || g.names_router()))
            {
                continue;
            }
            let (code, message) = if router && allow.iter().any(|g| g.matches(&id)) {
                (
                    "router_not_allowed",
                    format!(
                        "`{id}` is a router (it picks the model at run time): allow it by name, e.g. `{id}` or `openrouter/*`"
                    ),
                )
            } else if variant && allow.iter().any(|g| g.matches(base)) {
                (
                    "variant_not_allowed",
                    format!(
                        "`{base}` is allowed but its variant `{}` is not: allow it explicitly, e.g. `{id}`",
                        &id[base.len()..]
                    ),
                )
            } else if allow.is_empty() {
                (
                    "model_not_allowed",
                    format!("`{id}`: the allow list is missing or empty, so no model is allowed"),
                )
            } else {
                (
                    "model_not_allowed",
                    format!("`{id}` matches no allowed glob"),
                )
            };
            reasons.push(Reason::new(
                code,
                format!("{}.models.allow", key.path()),
                message,
                shadow,
            ));
        }
        reasons
    }

    /// Whether `model_id` passes every enforced rule.
    pub fn allows(&self, model_id: &str) -> bool {
        self.check(model_id).iter().all(|r| r.shadow)
    }
}

/// The policy paths that set each provider constraint (every level that contributed, top
/// first; for a switch, the highest level that set the strict value).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RuleSources {
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    pub jurisdictions: Vec<String>,
    pub processing: Vec<String>,
    pub data_collection: Option<String>,
    pub zdr: Option<String>,
    pub plugins: Option<String>,
    pub context_compression: Option<String>,
}

/// Provider constraints narrowed across the levels.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ResolvedProviders {
    /// The slugs that may serve: the intersection of every level's allow list (a base slug and
    /// one of its endpoints intersect to the endpoint); `None` = any provider.
    pub allow: Option<Vec<String>>,
    /// The union of every level's deny list.
    pub deny: Vec<String>,
    /// Headquarters countries allowed (expanded and intersected); `None` = any.
    pub jurisdictions: Option<BTreeSet<&'static str>>,
    /// Datacenter countries allowed (expanded and intersected); `None` = any.
    pub processing: Option<BTreeSet<&'static str>>,
    pub data_collection_deny: bool,
    pub zdr: bool,
    pub plugins_deny: bool,
    pub context_compression_deny: bool,
    /// These constraints include shadow rule sets: their reasons are reported, not enforced.
    pub shadow: bool,
    pub rules: RuleSources,
    /// Each level's own lists, to name the exact rule an endpoint fails.
    #[serde(skip)]
    allow_by_level: Vec<(String, Vec<String>)>,
    #[serde(skip)]
    deny_by_level: Vec<(String, Vec<String>)>,
    #[serde(skip)]
    jurisdictions_by_level: Vec<(String, BTreeSet<&'static str>)>,
    #[serde(skip)]
    processing_by_level: Vec<(String, BTreeSet<&'static str>)>,
}

/// What the catalogue knows about one endpoint; `None` is unknown, and unknown fails a rule
/// that asks about it.
#[derive(Clone, Copy, Debug, Default)]
pub struct EndpointFacts<'a> {
    /// The endpoint tag (`google-vertex/europe-west1`) or provider slug.
    pub tag: &'a str,
    pub headquarters: Option<&'a str>,
    pub datacenters: Option<&'a [String]>,
    /// Whether the endpoint is zero-data-retention.
    pub zdr: Option<bool>,
    /// Whether the provider neither stores prompts nor trains on them.
    pub no_data_collection: Option<bool>,
}

/// Whether a slug (base or full tag) covers an endpoint tag: equal, or the tag's provider.
pub fn slug_covers(slug: &str, tag: &str) -> bool {
    slug == tag || tag.split_once('/').is_some_and(|(base, _)| base == slug)
}

impl ResolvedProviders {
    /// The policy path of the rule behind a constraint (`allow`, `deny`, `jurisdictions`,
    /// `processing`, `data_collection`, `zdr`, `plugins`, `context_compression`): for a list,
    /// the lowest level that narrowed it; `providers` when no level set it.
    pub fn rule_path(&self, constraint: &str) -> String {
        let r = &self.rules;
        let found = match constraint {
            "allow" => r.allow.last(),
            "deny" => r.deny.last(),
            "jurisdictions" => r.jurisdictions.last(),
            "processing" => r.processing.last(),
            "data_collection" => r.data_collection.as_ref(),
            "zdr" => r.zdr.as_ref(),
            "plugins" => r.plugins.as_ref(),
            "context_compression" => r.context_compression.as_ref(),
            _ => None,
        };
        found.cloned().unwrap_or_else(|| "providers".into())
    }

    /// Whether any constraint limits which endpoints may serve (plugins and context
    /// compression concern the request and do not count).
    pub fn constrains(&self) -> bool {
        self.allow.is_some()
            || !self.deny.is_empty()
            || self.jurisdictions.is_some()
            || self.processing.is_some()
            || self.data_collection_deny
            || self.zdr
    }

    /// Whether a slug list entry lets `tag` through at every level with an allow list and no
    /// deny entry names it.
    pub fn permits_slug(&self, tag: &str) -> bool {
        self.allow_by_level
            .iter()
            .all(|(_, list)| list.iter().any(|s| slug_covers(s, tag)))
            && !self.deny.iter().any(|s| slug_covers(s, tag))
    }

    /// The reasons an endpoint fails these constraints (empty = compliant). Unknown facts fail
    /// the rules that need them. Plugins and context compression concern the request, not the
    /// endpoint, and are not checked here.
    pub fn check_endpoint(&self, facts: &EndpointFacts) -> Vec<Reason> {
        self.endpoint_violations(facts, usize::MAX)
    }

    /// The first reason of `check_endpoint`, without composing the others: routing asks this of
    /// every endpoint of every requested model.
    pub fn first_endpoint_violation(&self, facts: &EndpointFacts) -> Option<Reason> {
        self.endpoint_violations(facts, 1).pop()
    }

    fn endpoint_violations(&self, facts: &EndpointFacts, limit: usize) -> Vec<Reason> {
        let tag = facts.tag;
        let mut out = Vec::new();
        // Returns early once `limit` reasons are in.
        macro_rules! push {
            ($code:expr, $rule:expr, $message:expr $(,)?) => {{
                out.push(Reason::new($code, $rule.to_string(), $message, self.shadow));
                if out.len() >= limit {
                    return out;
                }
            }};
        }
        for (rule, list) in &self.allow_by_level {
            if !list.iter().any(|s| slug_covers(s, tag)) {
                push!(
                    "provider_not_allowed",
                    rule,
                    format!("`{tag}` is not in the allow list"),
                );
            }
        }
        for (rule, list) in &self.deny_by_level {
            if let Some(s) = list.iter().find(|s| slug_covers(s, tag)) {
                push!(
                    "provider_denied",
                    rule,
                    format!("`{tag}` is denied by `{s}`"),
                );
            }
        }
        for (rule, set) in &self.jurisdictions_by_level {
            match facts.headquarters {
                Some(hq) if set.contains(hq) => {}
                Some(hq) => push!(
                    "jurisdiction_not_allowed",
                    rule,
                    format!("`{tag}` is headquartered in {hq}"),
                ),
                None => push!(
                    "jurisdiction_not_allowed",
                    rule,
                    format!("`{tag}` has no known headquarters"),
                ),
            }
        }
        for (rule, set) in &self.processing_by_level {
            match facts.datacenters {
                Some(dcs) if !dcs.is_empty() => {
                    let outside: Vec<&str> = dcs
                        .iter()
                        .map(String::as_str)
                        .filter(|c| !set.contains(c))
                        .collect();
                    if !outside.is_empty() {
                        push!(
                            "processing_not_allowed",
                            rule,
                            format!("`{tag}` has datacenters in {}", outside.join(", ")),
                        );
                    }
                }
                _ => push!(
                    "processing_not_allowed",
                    rule,
                    format!("`{tag}` has no known datacenters"),
                ),
            }
        }
        if let Some(rule) = &self.rules.data_collection {
            if facts.no_data_collection != Some(true) {
                push!(
                    "data_collection_not_allowed",
                    rule,
                    format!("`{tag}` may store prompts or train on them (or it is not known)"),
                );
            }
        }
        if let Some(rule) = &self.rules.zdr {
            if facts.zdr != Some(true) {
                push!(
                    "zdr_required",
                    rule,
                    format!("`{tag}` is not a zero-data-retention endpoint"),
                );
            }
        }
        out
    }

    fn merge(levels: &[(String, &ProviderRules)], shadow: bool) -> ResolvedProviders {
        let mut out = ResolvedProviders {
            shadow,
            ..Default::default()
        };
        for (path, rules) in levels {
            let rule = |name: &str| format!("{path}.providers.{name}");
            if let Some(list) = &rules.allow {
                let list: Vec<String> = list.iter().map(|s| s.as_str().to_string()).collect();
                out.allow = Some(match out.allow.take() {
                    None => list.clone(),
                    Some(current) => intersect_slugs(&current, &list),
                });
                out.rules.allow.push(rule("allow"));
                out.allow_by_level.push((rule("allow"), list));
            }
            if !rules.deny.is_empty() {
                let list: Vec<String> = rules.deny.iter().map(|s| s.as_str().to_string()).collect();
                for s in &list {
                    if !out.deny.contains(s) {
                        out.deny.push(s.clone());
                    }
                }
                out.rules.deny.push(rule("deny"));
                out.deny_by_level.push((rule("deny"), list));
            }
            for (name, entries, combined, sources, by_level) in [
                (
                    "jurisdictions",
                    &rules.jurisdictions,
                    &mut out.jurisdictions,
                    &mut out.rules.jurisdictions,
                    &mut out.jurisdictions_by_level,
                ),
                (
                    "processing",
                    &rules.processing,
                    &mut out.processing,
                    &mut out.rules.processing,
                    &mut out.processing_by_level,
                ),
            ] {
                let Some(entries) = entries else { continue };
                let set: BTreeSet<&'static str> = entries
                    .iter()
                    .flat_map(|e| regions::expand(e.as_str()).unwrap_or_default())
                    .collect();
                *combined = Some(match combined.take() {
                    None => set.clone(),
                    Some(current) => current.intersection(&set).copied().collect(),
                });
                sources.push(rule(name));
                by_level.push((rule(name), set));
            }
            let strict = |on: bool, flag: &mut bool, source: &mut Option<String>, name: &str| {
                if on && !*flag {
                    *flag = true;
                    *source = Some(rule(name));
                }
            };
            strict(
                rules.data_collection == Some(Permission::Deny),
                &mut out.data_collection_deny,
                &mut out.rules.data_collection,
                "data_collection",
            );
            strict(
                rules.zdr == Some(true),
                &mut out.zdr,
                &mut out.rules.zdr,
                "zdr",
            );
            strict(
                rules.plugins == Some(Permission::Deny),
                &mut out.plugins_deny,
                &mut out.rules.plugins,
                "plugins",
            );
            strict(
                rules.context_compression == Some(Permission::Deny),
                &mut out.context_compression_deny,
                &mut out.rules.context_compression,
                "context_compression",
            );
        }
        out
    }
}

/// The slugs both lists let through: equal slugs, and an endpoint tag under a base slug.
fn intersect_slugs(a: &[String], b: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in a {
        for y in b {
            let keep = if slug_covers(x, y) {
                Some(y)
            } else if slug_covers(y, x) {
                Some(x)
            } else {
                None
            };
            if let Some(k) = keep {
                if !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
    }
    out
}

/// A spending cap that applies to a principal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResolvedBudget {
    /// The policy path of the cap, e.g. `workspaces.eu-health.budgets[0]`.
    pub rule: String,
    pub scope: BudgetScope,
    /// Whose spend the cap counts: `user:alice`, `workspace:eu-health`,
    /// `user_in_workspace:eu-health/alice` or `group:finance`.
    pub subject: String,
    pub window: Window,
    pub limit_micros: u64,
    pub shadow: bool,
}

impl ResolvedBudget {
    pub fn limit(&self) -> Usd {
        Usd::from_micros(self.limit_micros)
    }
}

/// Each level's DLP configuration, shared by every principal whose path has only that one.
#[derive(Clone, Debug, Default)]
pub(crate) struct DlpIndex {
    by_path: BTreeMap<String, Arc<ScannerConfig>>,
}

impl DlpIndex {
    pub(crate) fn new(doc: &Document) -> DlpIndex {
        let by_path = super::validate::levels(doc)
            .into_iter()
            .filter_map(|l| l.dlp.map(|d| (l.path.clone(), Arc::new(d.scanner.clone()))))
            .collect();
        DlpIndex { by_path }
    }
}

pub(crate) fn resolve(
    doc: &Arc<Document>,
    dlp_index: &DlpIndex,
    principal: &Principal,
) -> Result<Resolved, Vec<Reason>> {
    let w = &principal.workspace;
    let u = &principal.user;
    let workspace = doc.workspaces.get(w);
    let mut denied = Vec::new();
    if workspace.is_none() {
        denied.push(Reason::new(
            "unknown_workspace",
            "workspaces".into(),
            format!("workspace `{}` is not in the policy", w.escape_debug()),
            false,
        ));
    }
    let org_user = doc.users.contains_key(u);
    let ws_user = workspace.is_some_and(|ws| ws.users.contains_key(u));
    if !org_user && !ws_user {
        denied.push(Reason::new(
            "unknown_user",
            "users".into(),
            match workspace {
                Some(_) => format!(
                    "user `{}` is in neither `users` nor `workspaces.{w}.users`",
                    u.escape_debug()
                ),
                None => format!("user `{}` is not in `users`", u.escape_debug()),
            },
            false,
        ));
    }
    if !denied.is_empty() {
        return Err(denied);
    }

    let mut keys = vec![LevelKey::Defaults, LevelKey::Workspace(w.clone())];
    if org_user {
        keys.push(LevelKey::User(u.clone()));
    }
    if ws_user {
        keys.push(LevelKey::WorkspaceUser(w.clone(), u.clone()));
    }
    let views: Vec<_> = keys.iter().filter_map(|k| level(doc, k)).collect();

    let max_tokens = views
        .iter()
        .filter_map(|v| {
            let rules = v.models.filter(|m| !m.mode.is_shadow())?;
            Some((rules.max_tokens?, format!("{}.models.max_tokens", v.path)))
        })
        .min_by_key(|(cap, _)| *cap);

    let model_levels = views
        .iter()
        .filter(|v| v.models.is_some() || v.key == LevelKey::Defaults)
        .map(|v| v.key.clone())
        .collect();

    let provider_levels: Vec<(String, &ProviderRules)> = views
        .iter()
        .filter_map(|v| v.providers.map(|p| (v.path.clone(), p)))
        .collect();
    let enforced: Vec<_> = provider_levels
        .iter()
        .filter(|(_, p)| !p.mode.is_shadow())
        .cloned()
        .collect();
    let providers = ResolvedProviders::merge(&enforced, false);
    let providers_shadow = (enforced.len() < provider_levels.len())
        .then(|| ResolvedProviders::merge(&provider_levels, true));

    let dlp_levels: Vec<(&str, &DlpRules)> = views
        .iter()
        .filter_map(|v| v.dlp.map(|d| (v.path.as_str(), d)))
        .collect();
    let dlp_enforced: Vec<_> = dlp_levels
        .iter()
        .filter(|(_, d)| !d.mode.is_shadow())
        .copied()
        .collect();
    let dlp = merge_dlp(&dlp_enforced, dlp_index);
    let response_rules = dlp_enforced.iter().filter_map(|(_, d)| d.response.as_ref());
    let response_scan = response_rules.clone().any(|r| r.scan == Some(true));
    let restore_pseudonyms = response_rules
        .clone()
        .any(|r| r.restore_pseudonyms == Some(true))
        && !response_rules
            .clone()
            .any(|r| r.restore_pseudonyms == Some(false));
    let dlp_shadow = if dlp_enforced.len() < dlp_levels.len() {
        merge_dlp(&dlp_levels, dlp_index)
    } else {
        None
    };

    let mut budgets = Vec::new();
    for v in &views {
        for (i, b) in v.budgets.iter().enumerate() {
            let subject = match b.scope {
                BudgetScope::User => format!("user:{u}"),
                BudgetScope::Workspace => format!("workspace:{w}"),
                BudgetScope::UserInWorkspace => format!("user_in_workspace:{w}/{u}"),
                BudgetScope::Group => {
                    let g = b.group.as_deref().unwrap_or_default();
                    if !principal.groups.iter().any(|pg| pg == g) {
                        continue;
                    }
                    format!("group:{g}")
                }
            };
            budgets.push(ResolvedBudget {
                rule: format!("{}.budgets[{i}]", v.path),
                scope: b.scope,
                subject,
                window: b.window,
                limit_micros: b.limit_usd.micros(),
                shadow: b.mode.is_shadow(),
            });
        }
    }

    Ok(Resolved {
        levels: views.iter().map(|v| v.path.clone()).collect(),
        models: ResolvedModels {
            doc: Arc::clone(doc),
            levels: model_levels,
        },
        providers,
        providers_shadow,
        dlp,
        dlp_shadow,
        dlp_rules: dlp_levels.iter().map(|(p, _)| format!("{p}.dlp")).collect(),
        budgets,
        max_tokens,
        audit: doc.defaults.audit.clone(),
        response_scan,
        restore_pseudonyms,
    })
}

/// How strict an action is: block > redact = hash = pseudonymize > mask > log.
fn rank(action: Action) -> u8 {
    match action {
        Action::Block => 4,
        Action::Redact | Action::Hash | Action::Pseudonymize => 3,
        Action::Mask => 2,
        Action::Log => 1,
    }
}

/// Merges DLP sections, top first, into one scanner configuration where the stricter setting
/// wins:
/// - built-ins: a detector runs if any level selects it (a lower level cannot switch off what
///   a level above runs; a lower level that leaves `builtin` out selects nothing extra);
/// - actions: per detector, the strictest of the top level's action (its selector or the
///   detector's default) and the actions lower levels set for it (equal rank: the upper stays);
/// - `min_confidence`: the lowest set; custom detectors: all of them (ids are unique);
/// - allow-lists: only entries every level that writes `allow` lists (the top always counts),
///   so a lower level can remove exemptions but not add them;
/// - mask: the top's character, the smallest `keep_last` of the levels that write `mask`.
fn merge_dlp(levels: &[(&str, &DlpRules)], index: &DlpIndex) -> Option<Arc<ScannerConfig>> {
    let (&(top_path, top), rest) = levels.split_first()?;
    if rest.is_empty() {
        if let Some(shared) = index.by_path.get(top_path) {
            return Some(Arc::clone(shared));
        }
        return Some(Arc::new(top.scanner.clone()));
    }
    let all: Vec<&DlpRules> = levels.iter().map(|(_, d)| *d).collect();
    let selects_at = |i: usize, info: &crate::dlp::DetectorInfo| {
        (i == 0 || all[i].given.contains("builtin")) && selects(&all[i].scanner, info)
    };
    let parsed: Vec<Vec<(Selector, Action)>> = all
        .iter()
        .map(|d| {
            d.scanner
                .actions
                .iter()
                .filter_map(|(s, a)| Selector::parse(s).ok().map(|s| (s, *a)))
                .collect()
        })
        .collect();
    // The scanner's rule: the most specific selector wins, the last of equals.
    let chosen = |i: usize, info: &crate::dlp::DetectorInfo| {
        parsed[i]
            .iter()
            .filter(|(s, _)| s.matches_info(info))
            .max_by_key(|(s, _)| s.specificity())
            .map(|(_, a)| *a)
    };
    let strictest = |info: &crate::dlp::DetectorInfo| {
        let mut best = chosen(0, info).unwrap_or(info.default_action);
        for i in 1..all.len() {
            if let Some(a) = chosen(i, info) {
                if rank(a) > rank(best) {
                    best = a;
                }
            }
        }
        best
    };

    let mut merged = ScannerConfig {
        base_dir: top.scanner.base_dir.clone(),
        ..ScannerConfig::default()
    };
    let infos = builtin_infos();
    let enabled: Vec<_> = infos
        .iter()
        .filter(|info| (0..all.len()).any(|i| selects_at(i, info)))
        .collect();
    merged.builtin.enable = if enabled.len() == infos.len() {
        vec!["*".into()]
    } else {
        enabled.iter().map(|i| i.id.to_string()).collect()
    };
    for info in &enabled {
        let action = strictest(info);
        if action != info.default_action {
            merged.actions.insert(info.id.to_string(), action);
        }
    }
    for d in &all {
        for custom in &d.scanner.custom {
            let mut custom = custom.clone();
            // Set on the detector itself: an upper-case id would read as a category selector.
            custom.action = Some(strictest(&custom.info()));
            merged.custom.push(custom);
        }
    }
    merged.min_confidence = all
        .iter()
        .filter_map(|d| d.scanner.min_confidence)
        .reduce(f32::min);

    let writes = |i: usize, key: &str| i == 0 || all[i].given.contains(key);
    merged.mask = top.scanner.mask.clone();
    merged.allow = top.scanner.allow.clone();
    for (i, d) in all.iter().enumerate().skip(1) {
        if writes(i, "mask") {
            merged.mask.keep_last = merged.mask.keep_last.min(d.scanner.mask.keep_last);
        }
        if writes(i, "allow") {
            merged
                .allow
                .values
                .retain(|v| d.scanner.allow.values.contains(v));
            merged
                .allow
                .patterns
                .retain(|p| d.scanner.allow.patterns.contains(p));
        }
    }
    Some(Arc::new(merged))
}
