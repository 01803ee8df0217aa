//! The policy document: its model, strict parsing, validation, and the effective policy for a
//! principal.
//!
//! - `document.rs`: the serde types (one model for YAML and JSON) and their JSON Schema.
//! - `glob.rs`: model-id globs.
//! - `validate.rs`: rules that relate several fields, and the warnings of `policy check`.
//! - `resolve.rs`: principals, denial reasons, and narrowing across the four levels.
//!
//! Parsing reads files only in [`Policy::from_file`] (and the dictionaries a DLP section names,
//! as the scanner configuration does); resolving and checking do no I/O and read no clock.

mod document;
mod glob;
mod resolve;
mod validate;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

pub use document::{
    AuditSettings, Budget, BudgetScope, Defaults, DlpRules, Document, EnvName, Fsync, KeyRef,
    Level, Mode, ModelRules, Permission, ProviderRules, Region, Rotate, Sink, SinkKind, Slug,
    Storage, Usd, Window, Workspace,
};
pub use glob::{base_id, Glob, ROUTER_PREFIX};
pub use resolve::{
    slug_covers, EndpointFacts, Principal, Reason, Resolved, ResolvedBudget, ResolvedModels,
    ResolvedProviders, RuleSources,
};
pub use validate::Warning;

use crate::dlp::config::{read_bounded, strip_location};
use crate::error::{Error, ErrorCode, Result};

/// The policy versions this release reads.
pub const SUPPORTED_VERSION: u32 = 1;

/// A parsed, validated policy and its canonical hash.
#[derive(Clone, Debug)]
pub struct Policy {
    doc: Arc<Document>,
    hash: String,
    base_dir: Option<PathBuf>,
    warnings: Vec<Warning>,
    /// Each level's DLP configuration, shared with every [`Resolved`] that uses it alone.
    dlp: resolve::DlpIndex,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    Yaml,
}

impl Policy {
    /// Parses a YAML policy (JSON is YAML too). Errors name the path, line and column.
    pub fn from_yaml(text: &str) -> Result<Policy> {
        Policy::parse(text, Format::Yaml, None)
    }

    /// Parses a JSON policy. Errors name the path, line and column.
    pub fn from_json(text: &str) -> Result<Policy> {
        Policy::parse(text, Format::Json, None)
    }

    /// Reads a policy file: `.json` as JSON, anything else as YAML. Relative paths inside it
    /// (DLP `terms_file`, the audit sink directory and key files) resolve against its directory.
    pub fn from_file(path: &Path) -> Result<Policy> {
        let text = read_bounded(path)?;
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Format::Json,
            _ => Format::Yaml,
        };
        let dir = path.parent().map(|d| {
            if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d.to_path_buf()
            }
        });
        Policy::parse(&text, format, dir)
            .map_err(|e| Error::new(e.code(), format!("{}: {}", path.display(), e.message())))
    }

    fn parse(text: &str, format: Format, base_dir: Option<PathBuf>) -> Result<Policy> {
        // A loose first read finds the version before the strict one: a version 2 document
        // should say "unsupported version", not "unknown field" about its new keys.
        let raw: serde_json::Value = match format {
            Format::Json => serde_json::from_str(text).map_err(|e| {
                invalid(
                    ".",
                    Some((e.line(), e.column())),
                    &strip_location(&e.to_string()),
                )
            })?,
            Format::Yaml => serde_yaml::from_str(text).map_err(|e| {
                let at = e.location().map(|l| (l.line(), l.column()));
                invalid(".", at, &strip_location(&e.to_string()))
            })?,
        };
        let Some(top) = raw.as_object() else {
            return Err(invalid(
                ".",
                None,
                "the policy must be an object (a mapping of keys to values)",
            ));
        };
        if let Some(version) = top.get("version") {
            let integer = version.is_u64() || version.is_i64();
            if integer && version.as_u64() != Some(u64::from(SUPPORTED_VERSION)) {
                return Err(Error::new(
                    ErrorCode::UnsupportedPolicyVersion,
                    format!(
                        "at `version`: policy version {version} is not supported; this release reads version {SUPPORTED_VERSION}"
                    ),
                ));
            }
        }

        let mut doc: Document = match format {
            Format::Json => {
                let de = &mut serde_json::Deserializer::from_str(text);
                serde_path_to_error::deserialize(de).map_err(|e| {
                    let path = e.path().to_string();
                    let inner = e.into_inner();
                    located(
                        &path,
                        Some((inner.line(), inner.column())),
                        &inner.to_string(),
                    )
                })?
            }
            Format::Yaml => {
                let de = serde_yaml::Deserializer::from_str(text);
                serde_path_to_error::deserialize(de).map_err(|e| {
                    let path = e.path().to_string();
                    let inner = e.into_inner();
                    let at = inner.location().map(|l| (l.line(), l.column()));
                    located(&path, at, &inner.to_string())
                })?
            }
        };
        validate::record_given_keys(&mut doc, &raw);

        // The hash covers the document as parsed, before paths are made absolute, so the same
        // policy hashes the same wherever it is stored.
        let hash = canonical_hash(&doc);
        if let Some(dir) = &base_dir {
            validate::resolve_paths(&mut doc, dir);
        }
        validate::validate(&doc)?;
        let warnings = validate::warnings(&doc);
        let dlp = resolve::DlpIndex::new(&doc);
        Ok(Policy {
            doc: Arc::new(doc),
            hash,
            base_dir,
            warnings,
            dlp,
        })
    }

    /// `sha256:<hex>` of the canonical JSON (sorted keys, no whitespace) of the parsed document:
    /// the same for the YAML and JSON forms of one policy, for audit records.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    pub fn version(&self) -> u32 {
        self.doc.version
    }

    /// Whether the policy fails open (`on_error: allow`) when the governance path fails.
    pub fn on_error_allows(&self) -> bool {
        self.doc.on_error == Permission::Allow
    }

    /// The parsed document.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The organisation's audit settings (audit is configured at `defaults` only).
    pub fn audit(&self) -> Option<&AuditSettings> {
        self.doc.defaults.audit.as_ref()
    }

    /// The directory relative paths were resolved against (set by [`Policy::from_file`]).
    pub fn base_dir(&self) -> Option<&Path> {
        self.base_dir.as_deref()
    }

    /// Every provider slug the policy names in an allow or deny list, with its path
    /// (`workspaces.eu.providers.allow[0]`), for checking them against a catalogue.
    pub fn provider_slugs(&self) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        for level in validate::levels(&self.doc) {
            let Some(rules) = level.providers else {
                continue;
            };
            for (name, list) in [
                ("allow", rules.allow.as_deref().unwrap_or_default()),
                ("deny", &rules.deny[..]),
            ] {
                for (i, slug) in list.iter().enumerate() {
                    out.push((
                        format!("{}.providers.{name}[{i}]", level.path),
                        slug.as_str(),
                    ));
                }
            }
        }
        out
    }

    /// Entries that are valid but have no effect or make everything fail (for `policy check`).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The effective policy for a principal, or the reasons it is denied outright (unknown
    /// workspace or user).
    pub fn resolve(&self, principal: &Principal) -> std::result::Result<Resolved, Vec<Reason>> {
        resolve::resolve(&self.doc, &self.dlp, principal)
    }

    /// A human-readable summary for `routeguard policy check`: version, hash, levels, rule
    /// counts and warnings.
    pub fn summary(&self) -> String {
        use std::fmt::Write;
        let d = &*self.doc;
        let mut out = String::new();
        let _ = writeln!(out, "policy version {} ({})", d.version, self.hash);
        let _ = writeln!(
            out,
            "on_error: {}",
            if self.on_error_allows() {
                "allow (fail open)"
            } else {
                "deny (fail closed)"
            }
        );
        let ws_users: usize = d.workspaces.values().map(|w| w.users.len()).sum();
        let mut known: BTreeSet<&str> = d.users.keys().map(String::as_str).collect();
        for w in d.workspaces.values() {
            known.extend(w.users.keys().map(String::as_str));
        }
        let _ = writeln!(
            out,
            "levels: defaults, {} workspace(s), {} org-wide user(s), {} user-in-workspace level(s); {} distinct user id(s)",
            d.workspaces.len(),
            d.users.len(),
            ws_users,
            known.len()
        );
        for level in validate::levels(d) {
            let mut parts = Vec::new();
            if let Some(m) = level.models {
                let allow = match &m.allow {
                    Some(a) => format!("{} allow", a.len()),
                    None if level.is_defaults() => "no allow (nothing allowed)".into(),
                    None => "allow inherited".into(),
                };
                parts.push(format!(
                    "models: {allow}, {} deny{}",
                    m.deny.len(),
                    shadow_tag(m.mode)
                ));
            }
            if let Some(p) = level.providers {
                let mut bits = Vec::new();
                if let Some(a) = &p.allow {
                    bits.push(format!("{} allow", a.len()));
                }
                if !p.deny.is_empty() {
                    bits.push(format!("{} deny", p.deny.len()));
                }
                let regions = |list: &Option<Vec<Region>>| {
                    list.as_ref()
                        .map(|l| l.iter().map(Region::as_str).collect::<Vec<_>>().join(","))
                };
                if let Some(j) = regions(&p.jurisdictions) {
                    bits.push(format!("jurisdictions [{j}]"));
                }
                if let Some(r) = regions(&p.processing) {
                    bits.push(format!("processing [{r}]"));
                }
                if p.data_collection == Some(Permission::Deny) {
                    bits.push("data_collection deny".into());
                }
                if p.zdr == Some(true) {
                    bits.push("zdr".into());
                }
                if p.plugins == Some(Permission::Deny) {
                    bits.push("plugins deny".into());
                }
                if p.context_compression == Some(Permission::Deny) {
                    bits.push("context_compression deny".into());
                }
                if bits.is_empty() {
                    bits.push("no constraint".into());
                }
                parts.push(format!(
                    "providers: {}{}",
                    bits.join(", "),
                    shadow_tag(p.mode)
                ));
            }
            if let Some(dlp) = level.dlp {
                let mut answers = String::new();
                if let Some(response) = &dlp.response {
                    for (set, what) in [
                        (response.scan, "answers scanned"),
                        (response.restore_pseudonyms, "pseudonyms restored"),
                    ] {
                        if let Some(on) = set {
                            answers.push_str(&format!(", {}{what}", if on { "" } else { "no " }));
                        }
                    }
                }
                parts.push(format!(
                    "dlp: {} action(s), {} custom detector(s){answers}{}",
                    dlp.scanner.actions.len(),
                    dlp.scanner.custom.len(),
                    shadow_tag(dlp.mode)
                ));
            }
            if !level.budgets.is_empty() {
                parts.push(format!("{} budget(s)", level.budgets.len()));
            }
            if level.is_defaults() && d.defaults.audit.is_some() {
                parts.push("audit".into());
            }
            if parts.is_empty() {
                parts.push("inherits everything".into());
            }
            let _ = writeln!(out, "  {}: {}", level.path, parts.join("; "));
        }
        if self.warnings.is_empty() {
            let _ = writeln!(out, "warnings: none");
        } else {
            let _ = writeln!(out, "warnings: {}", self.warnings.len());
            for w in &self.warnings {
                let _ = writeln!(out, "  {}: {}", w.rule, w.message);
            }
        }
        out
    }

    /// The JSON Schema of the policy document, pretty-printed.
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(Document);
        let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
        text.push('\n');
        text
    }
}

fn shadow_tag(mode: Mode) -> &'static str {
    if mode.is_shadow() {
        " (shadow)"
    } else {
        ""
    }
}

fn invalid(path: &str, at: Option<(usize, usize)>, message: &str) -> Error {
    let at = at
        .map(|(l, c)| format!(" (line {l}, column {c})"))
        .unwrap_or_default();
    Error::new(
        ErrorCode::InvalidPolicy,
        format!("at `{path}`{at}: {message}"),
    )
}

/// A strict-parse error: the code follows the markers our value checks put in the message.
fn located(path: &str, at: Option<(usize, usize)>, message: &str) -> Error {
    let mut message = strip_location(message);
    // serde_yaml starts its message with the path (or the parent's) we already print.
    if let Some((prefix, rest)) = message.split_once(": ") {
        if path.starts_with(prefix) && !prefix.contains(' ') {
            message = rest.to_string();
        }
    }
    if path.ends_with(".audit") && message.starts_with("unknown field `audit`") {
        message.push_str(" (audit is configured at `defaults` only)");
    }
    let (code, message) = if let Some(i) = message.find(document::GLOB_MARK) {
        (
            ErrorCode::InvalidGlob,
            message[i + document::GLOB_MARK.len()..].to_string(),
        )
    } else if message.contains(document::REGION_MARK) {
        (ErrorCode::UnknownProvider, message)
    } else {
        (ErrorCode::InvalidPolicy, message)
    };
    let at = at
        .map(|(l, c)| format!(" (line {l}, column {c})"))
        .unwrap_or_default();
    Error::new(code, format!("at `{path}`{at}: {message}"))
}

/// The document as compact JSON with sorted keys.
fn canonical_json(doc: &Document) -> String {
    let value = serde_json::to_value(doc).expect("a parsed policy serialises");
    serde_json::to_string(&sorted(value)).expect("a JSON value serialises")
}

/// `sha256:<hex>` of the document's canonical JSON.
fn canonical_hash(doc: &Document) -> String {
    let digest = Sha256::digest(canonical_json(doc).as_bytes());
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// The value with every object's keys in byte order (serde_json here keeps insertion order).
fn sorted(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted).collect())
        }
        other => other,
    }
}
