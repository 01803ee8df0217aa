//! Checks that relate several fields of a parsed policy (they name the path; serde already
//! located everything a single value can get wrong), and the warnings of `policy check`:
//! entries that are valid but cannot have an effect because a level above already excludes
//! what they name.

use std::collections::BTreeSet;
use std::path::Path;

use super::document::{check_id, Budget, Region};
use super::document::{
    BudgetScope, DlpRules, Document, Level, ModelRules, Permission, ProviderRules, SinkKind,
};
use crate::dlp::config::Selector;
use crate::dlp::{DetectorInfo, Scanner, ScannerConfig};
use crate::error::{Error, ErrorCode, Result};
use crate::routing::regions;

/// A valid entry that has no effect, or a policy under which nothing can pass.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// The policy path of the entry, e.g. `workspaces.eu-health.providers.processing`.
    pub rule: String,
    pub message: String,
}

/// Where a level sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LevelKey {
    Defaults,
    Workspace(String),
    User(String),
    WorkspaceUser(String, String),
}

impl LevelKey {
    pub(crate) fn path(&self) -> String {
        match self {
            LevelKey::Defaults => "defaults".into(),
            LevelKey::Workspace(w) => format!("workspaces.{w}"),
            LevelKey::User(u) => format!("users.{u}"),
            LevelKey::WorkspaceUser(w, u) => format!("workspaces.{w}.users.{u}"),
        }
    }

    /// The levels above this one, top first. A workspace user's org-wide user level is above
    /// it only when the policy has one.
    pub(crate) fn ancestors(&self, doc: &Document) -> Vec<LevelKey> {
        match self {
            LevelKey::Defaults => vec![],
            LevelKey::Workspace(_) | LevelKey::User(_) => vec![LevelKey::Defaults],
            LevelKey::WorkspaceUser(w, u) => {
                let mut up = vec![LevelKey::Defaults, LevelKey::Workspace(w.clone())];
                if doc.users.contains_key(u) {
                    up.push(LevelKey::User(u.clone()));
                }
                up
            }
        }
    }
}

/// One level's rules, whichever struct holds them.
pub(crate) struct LevelView<'a> {
    pub key: LevelKey,
    pub path: String,
    pub models: Option<&'a ModelRules>,
    pub providers: Option<&'a ProviderRules>,
    pub dlp: Option<&'a DlpRules>,
    pub budgets: &'a [Budget],
}

impl LevelView<'_> {
    pub(crate) fn is_defaults(&self) -> bool {
        self.key == LevelKey::Defaults
    }
}

/// The level at `key`, if the policy has it.
pub(crate) fn level<'a>(doc: &'a Document, key: &LevelKey) -> Option<LevelView<'a>> {
    let view = |models, providers, dlp, budgets| LevelView {
        key: key.clone(),
        path: key.path(),
        models,
        providers,
        dlp,
        budgets,
    };
    let of_level = |l: &'a Level| {
        view(
            l.models.as_ref(),
            l.providers.as_ref(),
            l.dlp.as_ref(),
            &l.budgets,
        )
    };
    match key {
        LevelKey::Defaults => {
            let d = &doc.defaults;
            Some(view(
                d.models.as_ref(),
                d.providers.as_ref(),
                d.dlp.as_ref(),
                &d.budgets,
            ))
        }
        LevelKey::Workspace(w) => doc.workspaces.get(w).map(|ws| {
            view(
                ws.models.as_ref(),
                ws.providers.as_ref(),
                ws.dlp.as_ref(),
                &ws.budgets,
            )
        }),
        LevelKey::User(u) => doc.users.get(u).map(of_level),
        LevelKey::WorkspaceUser(w, u) => doc
            .workspaces
            .get(w)
            .and_then(|ws| ws.users.get(u))
            .map(of_level),
    }
}

/// Every level of the policy: defaults, each workspace followed by its users, then org users.
pub(crate) fn levels(doc: &Document) -> Vec<LevelView<'_>> {
    let mut keys = vec![LevelKey::Defaults];
    for (w, ws) in &doc.workspaces {
        keys.push(LevelKey::Workspace(w.clone()));
        for u in ws.users.keys() {
            keys.push(LevelKey::WorkspaceUser(w.clone(), u.clone()));
        }
    }
    keys.extend(doc.users.keys().map(|u| LevelKey::User(u.clone())));
    keys.iter().filter_map(|k| level(doc, k)).collect()
}

/// Every DLP section with the keys that lead to it in the raw document.
fn dlp_sections_mut(doc: &mut Document) -> Vec<(Vec<String>, &mut DlpRules)> {
    let mut out = Vec::new();
    let s = |parts: &[&str]| parts.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    if let Some(d) = doc.defaults.dlp.as_mut() {
        out.push((s(&["defaults"]), d));
    }
    for (w, ws) in doc.workspaces.iter_mut() {
        if let Some(d) = ws.dlp.as_mut() {
            out.push((s(&["workspaces", w]), d));
        }
        for (u, l) in ws.users.iter_mut() {
            if let Some(d) = l.dlp.as_mut() {
                out.push((s(&["workspaces", w, "users", u]), d));
            }
        }
    }
    for (u, l) in doc.users.iter_mut() {
        if let Some(d) = l.dlp.as_mut() {
            out.push((s(&["users", u]), d));
        }
    }
    out
}

/// Records which keys each DLP section's `scanner` wrote: a lower level that leaves `builtin`
/// (or `mask`, `allow`) out keeps its parent's value rather than the scanner's default.
pub(crate) fn record_given_keys(doc: &mut Document, raw: &serde_json::Value) {
    for (keys, dlp) in dlp_sections_mut(doc) {
        let mut at = raw;
        for k in keys.iter().map(String::as_str).chain(["dlp", "scanner"]) {
            at = at.get(k).unwrap_or(&serde_json::Value::Null);
        }
        dlp.given = at
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
    }
}

/// Makes relative paths absolute against the policy file's directory.
pub(crate) fn resolve_paths(doc: &mut Document, dir: &Path) {
    for (_, dlp) in dlp_sections_mut(doc) {
        dlp.scanner.base_dir = Some(dir.to_path_buf());
        for custom in &mut dlp.scanner.custom {
            custom.base_dir = Some(dir.to_path_buf());
        }
    }
    if let Some(audit) = doc.defaults.audit.as_mut() {
        let join = |p: &mut std::path::PathBuf| {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        };
        if let Some(p) = audit.sink.path.as_mut() {
            join(p);
        }
        for key in [audit.chain_key.as_mut(), audit.signing_key.as_mut()]
            .into_iter()
            .flatten()
        {
            if let Some(p) = key.file.as_mut() {
                join(p);
            }
        }
    }
}

fn invalid(path: &str, message: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::InvalidPolicy, format!("at `{path}`: {message}"))
}

/// The cross-field rules. The first violation is the error.
pub(crate) fn validate(doc: &Document) -> Result<()> {
    for level in levels(doc) {
        for (i, budget) in level.budgets.iter().enumerate() {
            let path = format!("{}.budgets[{i}]", level.path);
            match (budget.scope, &budget.group) {
                (BudgetScope::Group, None) => {
                    return Err(invalid(&path, "`scope: group` needs `group: <name>`"))
                }
                (BudgetScope::Group, Some(g)) => {
                    check_id(g).map_err(|m| invalid(&format!("{path}.group"), m))?
                }
                (scope, Some(_)) => {
                    return Err(invalid(
                        &format!("{path}.group"),
                        format!(
                            "`group` goes only with `scope: group`, not `{}`",
                            scope.as_str()
                        ),
                    ))
                }
                (_, None) => {}
            }
        }
    }

    if let Some(audit) = &doc.defaults.audit {
        let sink = &audit.sink;
        let path = "defaults.audit.sink";
        let given = [
            ("path", sink.path.is_some()),
            ("rotate", sink.rotate.is_some()),
            ("fsync", sink.fsync.is_some()),
            ("url_env", sink.url_env.is_some()),
        ];
        let (kind, takes, needs): (&str, &[&str], &[&str]) = match sink.kind {
            SinkKind::Jsonl => ("jsonl", &["path", "rotate", "fsync"], &["path"]),
            SinkKind::Postgres => ("postgres", &["url_env"], &["url_env"]),
            SinkKind::Callback => ("callback", &[], &[]),
        };
        for (key, present) in given {
            if present && !takes.contains(&key) {
                return Err(invalid(
                    &format!("{path}.{key}"),
                    format!("a `{kind}` sink does not take `{key}`"),
                ));
            }
            if !present && needs.contains(&key) {
                return Err(invalid(path, format!("a `{kind}` sink needs `{key}`")));
            }
        }
        if let Some(rotate) = &sink.rotate {
            if rotate.max_mb == Some(0) {
                return Err(invalid(
                    &format!("{path}.rotate.max_mb"),
                    "must be greater than zero",
                ));
            }
        }
    }

    validate_dlp(doc)
}

/// The built-in detectors, for selection and action checks.
pub(crate) fn builtin_infos() -> &'static [DetectorInfo] {
    static INFOS: std::sync::OnceLock<Vec<DetectorInfo>> = std::sync::OnceLock::new();
    INFOS.get_or_init(|| Scanner::builtin().detectors().cloned().collect())
}

fn validate_dlp(doc: &Document) -> Result<()> {
    // Custom detector ids are unique across the whole policy: levels on one principal's path
    // are merged into one scanner, and redefining a parent's detector could weaken it.
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut customs: Vec<DetectorInfo> = Vec::new();
    for level in levels(doc) {
        let Some(dlp) = level.dlp else { continue };
        for (i, custom) in dlp.scanner.custom.iter().enumerate() {
            let path = format!("{}.dlp.scanner.custom[{i}]", level.path);
            if let Some((_, first)) = seen.iter().find(|(id, _)| *id == custom.id) {
                return Err(Error::new(
                    ErrorCode::DuplicateDetector,
                    format!(
                        "at `{path}`: custom detector `{}` is already defined at `{first}`",
                        custom.id
                    ),
                ));
            }
            if builtin_infos().iter().any(|d| *d.id == *custom.id) {
                return Err(Error::new(
                    ErrorCode::DuplicateDetector,
                    format!(
                        "at `{path}`: `{}` is the id of a built-in detector",
                        custom.id
                    ),
                ));
            }
            seen.push((custom.id.clone(), path));
            customs.push(crate::dlp::CustomDetector::info(custom));
        }
    }
    for level in levels(doc) {
        let Some(dlp) = level.dlp else { continue };
        let path = format!("{}.dlp.scanner", level.path);
        let at = |e: Error| Error::new(e.code(), format!("at `{path}`: {}", e.message()));
        let scanner = &dlp.scanner;
        scanner.builtin_selection().map_err(at)?;
        for selector in scanner.actions.keys() {
            let s = Selector::parse(selector).map_err(at)?;
            if !builtin_infos()
                .iter()
                .chain(&customs)
                .any(|d| s.matches_info(d))
            {
                return Err(Error::new(
                    ErrorCode::UnknownDetector,
                    format!(
                        "at `{path}.actions`: `{}` names no detector, category or kind",
                        s.text()
                    ),
                ));
            }
        }
        // Compile what this level adds (custom detectors, allow-list patterns, the threshold)
        // without the built-ins, which are known to compile.
        let own = ScannerConfig {
            builtin: crate::dlp::config::BuiltinSelection {
                enable: vec![],
                disable: vec![],
            },
            min_confidence: scanner.min_confidence,
            actions: Default::default(),
            mask: scanner.mask.clone(),
            custom: scanner.custom.clone(),
            allow: scanner.allow.clone(),
            base_dir: scanner.base_dir.clone(),
        };
        Scanner::from_config(&own).map_err(at)?;
    }
    Ok(())
}

/// Whether a scanner configuration's built-in selection includes a detector.
pub(crate) fn selects(config: &ScannerConfig, info: &DetectorInfo) -> bool {
    let any = |list: &[String]| {
        list.iter()
            .filter_map(|s| Selector::parse(s).ok())
            .any(|s| s.matches_info(info))
    };
    any(&config.builtin.enable) && !any(&config.builtin.disable)
}

/// Entries that cannot have an effect, and levels under which nothing passes.
pub(crate) fn warnings(doc: &Document) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut warn = |rule: String, message: String| out.push(Warning { rule, message });

    if doc.workspaces.is_empty() {
        warn(
            "workspaces".into(),
            "no workspace is listed: every principal is denied".into(),
        );
    }
    let has_users = !doc.users.is_empty() || doc.workspaces.values().any(|w| !w.users.is_empty());
    if !has_users {
        warn(
            "users".into(),
            "no user is listed: every principal is denied".into(),
        );
    }
    match doc.defaults.models.as_ref().and_then(|m| m.allow.as_ref()) {
        None => warn(
            "defaults.models.allow".into(),
            "missing: no model is allowed (write `*` to allow every non-router model)".into(),
        ),
        Some(list) if list.is_empty() => warn(
            "defaults.models.allow".into(),
            "empty: no model is allowed".into(),
        ),
        Some(_) => {}
    }

    for level in levels(doc) {
        let ancestors: Vec<LevelView> = level
            .key
            .ancestors(doc)
            .iter()
            .filter_map(|k| self::level(doc, k))
            .collect();

        if let Some(models) = level.models {
            let path = format!("{}.models.allow", level.path);
            match &models.allow {
                Some(list) if list.is_empty() && !level.is_defaults() => {
                    warn(path.clone(), "empty: no model is allowed here".into())
                }
                _ => {}
            }
            for glob in models.allow.iter().flatten() {
                for up in &ancestors {
                    let up_allow: &[super::Glob] = match up.models {
                        Some(m) => match &m.allow {
                            Some(a) => a,
                            None if up.is_defaults() => &[],
                            None => continue,
                        },
                        None if up.is_defaults() => &[],
                        None => continue,
                    };
                    let reachable = up_allow
                        .iter()
                        .any(|a| a.intersects(glob) && (!glob.names_router() || a.names_router()));
                    if !reachable {
                        warn(
                            path.clone(),
                            format!(
                                "`{glob}` matches no model `{}.models.allow` allows: it has no effect",
                                up.path
                            ),
                        );
                        break;
                    }
                }
            }
        }

        if let Some(p) = level.providers {
            provider_warnings(&level, p, &ancestors, &mut warn);
        }

        if let Some(dlp) = level.dlp {
            dlp_warnings(&level, dlp, &ancestors, &mut warn);
        }
    }
    out
}

fn provider_warnings(
    level: &LevelView,
    p: &ProviderRules,
    ancestors: &[LevelView],
    warn: &mut impl FnMut(String, String),
) {
    let base = &level.path;
    for slug in p.allow.iter().flatten() {
        for up in ancestors {
            let Some(up_allow) = up.providers.and_then(|u| u.allow.as_ref()) else {
                continue;
            };
            let covered = up_allow
                .iter()
                .any(|a| a == slug || a.as_str() == slug.base() || a.base() == slug.as_str());
            if !covered {
                warn(
                    format!("{base}.providers.allow"),
                    format!(
                        "`{}` is not in `{}.providers.allow`: it has no effect",
                        slug.as_str(),
                        up.path
                    ),
                );
                break;
            }
        }
    }
    if p.allow.as_ref().is_some_and(Vec::is_empty) {
        warn(
            format!("{base}.providers.allow"),
            "empty: no provider may serve, so every request is denied".into(),
        );
    }

    for (name, own, pick) in [
        (
            "jurisdictions",
            &p.jurisdictions,
            (|r: &ProviderRules| r.jurisdictions.as_ref())
                as fn(&ProviderRules) -> Option<&Vec<Region>>,
        ),
        ("processing", &p.processing, |r: &ProviderRules| {
            r.processing.as_ref()
        }),
    ] {
        let Some(entries) = own else { continue };
        let rule = format!("{base}.providers.{name}");
        let mut combined = expand(entries);
        for up in ancestors {
            let Some(up_entries) = up.providers.and_then(pick) else {
                continue;
            };
            let up_set = expand(up_entries);
            for entry in entries {
                let mine = regions::expand(entry.as_str()).unwrap_or_default();
                if mine.is_disjoint(&up_set) {
                    warn(
                        rule.clone(),
                        format!(
                            "`{}` is outside `{}.providers.{name}`: it has no effect",
                            entry.as_str(),
                            up.path
                        ),
                    );
                }
            }
            combined = combined.intersection(&up_set).copied().collect();
        }
        if combined.is_empty() {
            warn(
                rule,
                "no country is left after narrowing: no provider can serve".into(),
            );
        }
    }

    /// A switch: its name, whether this level set the lax value, whether a level sets the strict one.
    type Switch<'a> = (&'a str, bool, fn(&ProviderRules) -> bool);
    let lax: [Switch; 4] = [
        (
            "data_collection",
            p.data_collection == Some(Permission::Allow),
            |u| u.data_collection == Some(Permission::Deny),
        ),
        ("zdr", p.zdr == Some(false), |u| u.zdr == Some(true)),
        ("plugins", p.plugins == Some(Permission::Allow), |u| {
            u.plugins == Some(Permission::Deny)
        }),
        (
            "context_compression",
            p.context_compression == Some(Permission::Allow),
            |u| u.context_compression == Some(Permission::Deny),
        ),
    ];
    for (name, is_lax, strict_above) in lax {
        if !is_lax {
            continue;
        }
        if let Some(up) = ancestors
            .iter()
            .find(|u| u.providers.is_some_and(strict_above))
        {
            warn(
                format!("{base}.providers.{name}"),
                format!(
                    "`{}.providers.{name}` is stricter: this value has no effect",
                    up.path
                ),
            );
        }
    }
}

fn dlp_warnings(
    level: &LevelView,
    dlp: &DlpRules,
    ancestors: &[LevelView],
    warn: &mut impl FnMut(String, String),
) {
    let base = format!("{}.dlp.scanner", level.path);
    let ups: Vec<(&str, &DlpRules)> = ancestors
        .iter()
        .filter_map(|u| u.dlp.map(|d| (u.path.as_str(), d)))
        .collect();
    if ups.is_empty() {
        return;
    }
    if let Some(mine) = dlp.scanner.min_confidence {
        if let Some((path, _)) = ups
            .iter()
            .find(|(_, d)| d.scanner.min_confidence.is_some_and(|c| c < mine))
        {
            warn(
                format!("{base}.min_confidence"),
                format!("`{path}` sets a lower threshold: a higher one has no effect"),
            );
        }
    }
    for selector in &dlp.scanner.builtin.disable {
        let Ok(s) = Selector::parse(selector) else {
            continue;
        };
        let enabled_above = ups.iter().find(|(_, d)| {
            builtin_infos()
                .iter()
                .any(|info| s.matches_info(info) && selects(&d.scanner, info))
        });
        if let Some((path, _)) = enabled_above {
            warn(
                format!("{base}.builtin.disable"),
                format!(
                    "`{}` names detectors `{path}` enables: a lower level cannot disable them",
                    s.text()
                ),
            );
        }
    }
    if dlp.given.contains("allow") {
        let values: Vec<&String> = dlp.scanner.allow.values.iter().collect();
        let patterns: Vec<&String> = dlp.scanner.allow.patterns.iter().collect();
        for (path, up) in &ups {
            if !up.given.contains("allow") && !std::ptr::eq(*up, ups[0].1) {
                continue;
            }
            let extra = values
                .iter()
                .filter(|v| !up.scanner.allow.values.contains(v))
                .count()
                + patterns
                    .iter()
                    .filter(|p| !up.scanner.allow.patterns.contains(p))
                    .count();
            if extra > 0 {
                warn(
                    format!("{base}.allow"),
                    format!(
                        "{extra} allow-list entr{} not in `{path}`'s allow-list: a lower level can only remove entries",
                        if extra == 1 { "y is" } else { "ies are" }
                    ),
                );
                break;
            }
        }
    }
}

fn expand(entries: &[Region]) -> BTreeSet<&'static str> {
    entries
        .iter()
        .flat_map(|e| regions::expand(e.as_str()).unwrap_or_default())
        .collect()
}
