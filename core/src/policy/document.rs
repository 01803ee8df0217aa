//! The policy document's model: the serde types a YAML or JSON policy parses into, and the JSON
//! Schema generated from them.
//!
//! Every struct denies unknown fields. Values with a syntax of their own (globs, provider slugs,
//! countries, amounts, environment variable names, ids) are checked while they are read, inside
//! a serde visitor, so that a YAML error carries the line and column of the offending scalar;
//! rules that relate several fields are checked afterwards by `validate.rs`, naming the path.
//! No enum here is internally tagged, untagged or flattened: serde buffers those, which loses
//! YAML positions and (for unit variants) silently accepts unknown fields.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::glob::Glob;
use crate::dlp::ScannerConfig;
use crate::routing::regions;

/// Markers the parser looks for in serde's message to pick the error code (see `mod.rs`).
pub(crate) const GLOB_MARK: &str = "invalid glob: ";
pub(crate) const REGION_MARK: &str = "unknown country or group";

/// A routeguard policy, version 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "routeguard policy")]
pub struct Document {
    /// The document version; this release reads version 1.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// What happens when the governance path itself fails (a store, a sink, a bug): `deny`
    /// (fail closed, the default) or `allow` (fail open; the audit record says so).
    #[serde(default = "deny")]
    pub on_error: Permission,
    /// The organisation level: every principal goes through it.
    #[serde(default)]
    pub defaults: Defaults,
    /// Workspace levels by workspace id. A principal's workspace must be listed.
    #[serde(default, deserialize_with = "unique_map")]
    pub workspaces: BTreeMap<String, Workspace>,
    /// Organisation-wide user levels by user id. A principal's user must be listed here or in
    /// its workspace's `users`.
    #[serde(default, deserialize_with = "unique_map")]
    pub users: BTreeMap<String, Level>,
}

/// The organisation level: rules for everyone, plus the audit settings (organisation-wide only,
/// because one audit trail and one chain key serve every workspace).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Model rules. Without them (or without `allow`) no model is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<ModelRules>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<ProviderRules>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlp: Option<DlpRules>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<Budget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditSettings>,
}

/// A workspace level: rules that narrow the defaults, and its own user levels.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<ModelRules>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<ProviderRules>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlp: Option<DlpRules>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<Budget>,
    /// User levels that apply only inside this workspace (after the organisation-wide one).
    #[serde(
        default,
        deserialize_with = "unique_map",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub users: BTreeMap<String, Level>,
}

/// A user level (organisation-wide or inside a workspace): rules that narrow the levels above.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<ModelRules>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<ProviderRules>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlp: Option<DlpRules>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<Budget>,
}

/// `enforce` (the default) blocks; `shadow` evaluates and reports, never blocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Enforce,
    Shadow,
}

impl Mode {
    pub fn is_shadow(self) -> bool {
        self == Mode::Shadow
    }
}

fn is_enforce(mode: &Mode) -> bool {
    *mode == Mode::Enforce
}

/// `allow` or `deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    Allow,
    Deny,
}

fn deny() -> Permission {
    Permission::Deny
}

/// Which models may be requested. A model must match an `allow` glob and no `deny` glob at
/// every level that has model rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelRules {
    /// Globs of allowed model ids. At `defaults`, missing or empty allows nothing (write `*` to
    /// allow every non-router model). At lower levels, missing keeps the parent's list and
    /// empty allows nothing. Router ids (`openrouter/...`) are allowed only by a glob that
    /// starts with `openrouter/`; variants (`:online`...) only by a glob that writes the colon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<Vec<Glob>>,
    /// Globs of denied model ids; a variant is also denied when its base id matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<Glob>,
    /// The largest completion a request may ask for, in tokens: a request that asks for more, or
    /// sets no `max_tokens`, is sent with this cap (which also bounds its budget reservation).
    /// The smallest on the principal's path applies; shadow rule sets do not cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "is_enforce")]
    pub mode: Mode,
}

/// Which providers may serve a request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderRules {
    /// Provider slugs that may serve (a base slug covers its endpoint variants and regions;
    /// `google-vertex/europe-west1` names one). Missing: any provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<Vec<Slug>>,
    /// Provider slugs that must not serve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<Slug>,
    /// Where the provider is established: its headquarters country must be in this set
    /// (ISO 3166-1 alpha-2 codes or the groups EU, EEA, ADEQUATE, UK, US, CH, CA). Missing: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdictions: Option<Vec<Region>>,
    /// Where the provider runs: every datacenter country must be in this set. Missing: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing: Option<Vec<Region>>,
    /// `deny`: only providers that neither store prompts nor train on them (default `allow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_collection: Option<Permission>,
    /// `true`: only zero-data-retention endpoints (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zdr: Option<bool>,
    /// `deny`: no plugins, server tools or `:online` (they leave ZDR and region guarantees).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugins: Option<Permission>,
    /// `deny`: the prompt must reach the model intact (OpenRouter's middle-out compression off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_compression: Option<Permission>,
    #[serde(default, skip_serializing_if = "is_enforce")]
    pub mode: Mode,
}

/// DLP at one level: a scanner configuration and its mode. The mode sits beside the scanner
/// configuration, not inside it, because that document is shared with `routeguard scan` and
/// stays strict on its own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DlpRules {
    /// `shadow`: findings are reported, nothing is blocked or rewritten.
    #[serde(default, skip_serializing_if = "is_enforce")]
    pub mode: Mode,
    /// The scanner configuration (the same document as `routeguard scan --config`).
    #[serde(default)]
    pub scanner: ScannerConfig,
    /// Which keys the document wrote under `scanner` (a lower level that leaves `builtin` out
    /// keeps its parent's selection instead of the default "everything").
    #[serde(skip)]
    pub(crate) given: BTreeSet<String>,
    /// What happens to the model's answer in a governed call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseDlp>,
}

/// DLP on the answer. A lower level can only narrow: any level that turns `scan` on scans, and
/// pseudonyms are restored only when some level asks for it and none refuses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseDlp {
    /// Scan the answer's text, reasoning and tool-call arguments with this level's detectors
    /// and apply their actions (`block` redacts in an answer: what streamed cannot be recalled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan: Option<bool>,
    /// Put the values behind the prompt's `pseudonymize` tokens back into the answer the caller
    /// receives (the vault lives for one call, in memory only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_pseudonyms: Option<bool>,
}

/// A spending cap. Parsed and validated here; enforced by the budget engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Whose spend is counted: each `user`, each `workspace`, each user within a workspace, or a
    /// `group` (named by `group`).
    pub scope: BudgetScope,
    /// The group whose spend is counted; required with `scope: group`, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// UTC calendar window, or `total` for a lifetime cap.
    pub window: Window,
    /// The cap in US dollars (up to 6 decimals), greater than zero.
    pub limit_usd: Usd,
    #[serde(default, skip_serializing_if = "is_enforce")]
    pub mode: Mode,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum BudgetScope {
    User,
    Workspace,
    UserInWorkspace,
    Group,
}

impl BudgetScope {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetScope::User => "user",
            BudgetScope::Workspace => "workspace",
            BudgetScope::UserInWorkspace => "user_in_workspace",
            BudgetScope::Group => "group",
        }
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    Daily,
    Weekly,
    Monthly,
    Total,
}

/// Where audit records go and what they keep; `audit::config::TrailConfig::from_policy` opens it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    /// What of the prompt a record keeps (default `hash`).
    #[serde(default = "hash")]
    pub prompt: Storage,
    /// What of the response a record keeps (default `hash`).
    #[serde(default = "hash")]
    pub response: Storage,
    pub sink: Sink,
    /// The key of the record chain (HMAC), by reference only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_key: Option<KeyRef>,
    /// The checkpoint signing key (Ed25519), by reference only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<KeyRef>,
    /// When the sink fails: `deny` the request (default) or `allow` it: records wait in memory and
    /// a notice says so once the sink is back.
    #[serde(default = "deny")]
    pub on_sink_error: Permission,
}

fn hash() -> Storage {
    Storage::Hash
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    None,
    Hash,
    Redacted,
    Full,
}

/// An audit sink. One flat object whose `type` says which other keys it takes (`jsonl`: path,
/// rotate, fsync; `postgres`: url_env; `callback`: none); `validate.rs` checks the pairing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sink {
    #[serde(rename = "type")]
    pub kind: SinkKind,
    /// `jsonl`: the directory of the record files (relative to the policy file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// `jsonl`: when to start a new file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate: Option<Rotate>,
    /// `jsonl`: `every` record (default), `never`, or `{interval_ms: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fsync: Option<Fsync>,
    /// `postgres`: the environment variable holding the connection URL (never the URL itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_env: Option<EnvName>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SinkKind {
    Jsonl,
    Postgres,
    Callback,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rotate {
    /// Start a new file past this size in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_mb: Option<u64>,
    /// Start a new file at each UTC midnight.
    #[serde(default)]
    pub daily: bool,
}

/// When record files are flushed to disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fsync {
    Every,
    Never,
    IntervalMs(u64),
}

/// A key given by reference: `{env: VAR}` or `{file: path}`. Keys are never written inline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<EnvName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
}

// ---------------------------------------------------------------------------------------------
// Values checked while they are read.

/// A provider slug: `anthropic`, `google-vertex/europe-west1` (lower case, `[a-z0-9-]`, an
/// optional `/suffix`). Whether the catalogue knows it is checked by the caller that holds one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

/// A country code or group, as written (`EU`, `IE`); checked against `routing::regions`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region(String);

/// An amount of US dollars, held as integer micro-dollars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usd(u64);

/// The name of an environment variable: `[A-Z_][A-Z0-9_]*`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnvName(String);

impl Slug {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The provider part of the slug (`google-vertex` for `google-vertex/europe-west1`).
    pub fn base(&self) -> &str {
        self.0.split_once('/').map_or(&self.0, |(b, _)| b)
    }

    pub fn parse(text: &str) -> Result<Slug, String> {
        let ok_part = |part: &str, extra: &[u8]| {
            !part.is_empty()
                && part.as_bytes()[0].is_ascii_alphanumeric()
                && part.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || extra.contains(&b)
                })
        };
        let (base, suffix) = match text.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (text, None),
        };
        if text.len() <= 128 && ok_part(base, b"") && suffix.is_none_or(|s| ok_part(s, b"._")) {
            Ok(Slug(text.to_string()))
        } else {
            Err(
                "not a provider slug: write the lower case slug (`amazon-bedrock`, \
                 `google-vertex/europe-west1`), not the display name"
                    .into(),
            )
        }
    }
}

impl Region {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Usd {
    /// Micro-dollars (millionths of a dollar).
    pub fn micros(self) -> u64 {
        self.0
    }

    pub fn from_micros(micros: u64) -> Usd {
        Usd(micros)
    }

    /// Parses a plain decimal (`50`, `0.25`) with at most 6 decimals, greater than zero.
    pub fn parse(text: &str) -> Result<Usd, String> {
        let bad = || {
            "limit_usd must be a positive amount with at most 6 decimals (e.g. 50 or 12.5)"
                .to_string()
        };
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty()
            || frac.len() > 6
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (text.contains('.') && frac.is_empty())
        {
            return Err(bad());
        }
        let whole: u64 = whole.parse().map_err(|_| bad())?;
        let frac: u64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
        let micros = whole
            .checked_mul(1_000_000)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        if micros == 0 {
            return Err(bad());
        }
        Ok(Usd(micros))
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 1_000_000, self.0 % 1_000_000);
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let frac = format!("{frac:06}");
            write!(f, "{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

impl EnvName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn parse(text: &str) -> Result<EnvName, String> {
        let ok = !text.is_empty()
            && text.len() <= 128
            && !text.as_bytes()[0].is_ascii_digit()
            && text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(EnvName(text.to_string()))
        } else {
            Err("not an environment variable name (`[A-Z_][A-Z0-9_]*`)".into())
        }
    }
}

/// Whether a workspace or user id is acceptable: 1 to 256 bytes, no whitespace or control
/// characters (ids come from the caller's identity system, so little else is assumed).
pub(crate) fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > 256 {
        return Err("an id must have 1 to 256 bytes".into());
    }
    if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("an id must not contain whitespace or control characters".into());
    }
    Ok(())
}

/// A string visitor that validates with `parse`, so errors carry the scalar's position.
struct Checked<F>(&'static str, F);

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for Checked<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.1)(v).map_err(E::custom)
    }
}

macro_rules! string_value {
    ($ty:ty, $expecting:literal, $parse:expr, $schema:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(Checked($expecting, $parse))
            }
        }

        impl JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

string_value!(
    Glob,
    "a model glob",
    |s: &str| Glob::parse(s).map_err(|why| format!("{GLOB_MARK}{why}")),
    json_schema!({
        "description": "A model-id glob: `*` any run and `?` one character, neither matching `:`.",
        "type": "string",
        "pattern": "^[a-z0-9._/:~+@*?-]+$",
        "maxLength": 256
    })
);

string_value!(
    Slug,
    "a provider slug",
    Slug::parse,
    json_schema!({
        "description": "A provider slug, optionally with an endpoint suffix.",
        "type": "string",
        "pattern": "^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9._-]*)?$"
    })
);

string_value!(
    Region,
    "a country code or group",
    |s: &str| match regions::expand(s) {
        Some(_) => Ok(Region(s.to_string())),
        None => Err(format!(
            "{REGION_MARK} `{}`: write an ISO 3166-1 alpha-2 code (`IE`) or a group ({})",
            s.escape_default(),
            regions::GROUPS.join(", ")
        )),
    },
    json_schema!({
        "description": "An ISO 3166-1 alpha-2 country code or a group: EU, EEA, ADEQUATE, UK, US, CH, CA.",
        "type": "string",
        "pattern": "^[A-Z]{2,8}$"
    })
);

string_value!(
    EnvName,
    "an environment variable name",
    EnvName::parse,
    json_schema!({
        "type": "string",
        "pattern": "^[A-Z_][A-Z0-9_]*$"
    })
);

impl Serialize for Glob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Serialize for Slug {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl Serialize for Region {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl Serialize for EnvName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Written as a decimal string, so the canonical form (and the policy hash) is exact.
impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Usd;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount in US dollars")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Usd, E> {
                Usd::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Usd, E> {
                Usd::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Usd, E> {
                // Display prints the shortest decimal that reads back as `v`, never an exponent:
                // 0.1 is "0.1", so the decimal the author wrote is what gets parsed.
                if !v.is_finite() {
                    return Err(E::custom("limit_usd must be a finite amount"));
                }
                Usd::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Usd, E> {
                Usd::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Usd {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Usd".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "US dollars, at most 6 decimals, greater than zero.",
            "anyOf": [
                { "type": "number", "exclusiveMinimum": 0 },
                { "type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,6})?$" }
            ]
        })
    }
}

impl Serialize for Fsync {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Fsync::Every => s.serialize_str("every"),
            Fsync::Never => s.serialize_str("never"),
            Fsync::IntervalMs(ms) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("interval_ms", ms)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Fsync {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Interval {
            interval_ms: u64,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fsync;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`every`, `never` or `{interval_ms: N}`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Fsync, E> {
                match v {
                    "every" => Ok(Fsync::Every),
                    "never" => Ok(Fsync::Never),
                    _ => Err(E::custom(
                        "fsync must be `every`, `never` or `{interval_ms: N}`",
                    )),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Fsync, A::Error> {
                let i = Interval::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if i.interval_ms == 0 {
                    return Err(de::Error::custom("interval_ms must be greater than zero"));
                }
                Ok(Fsync::IntervalMs(i.interval_ms))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Fsync {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Fsync".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                { "type": "string", "enum": ["every", "never"] },
                {
                    "type": "object",
                    "properties": { "interval_ms": { "type": "integer", "minimum": 1 } },
                    "required": ["interval_ms"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl<'de> Deserialize<'de> for KeyRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            #[serde(default)]
            env: Option<EnvName>,
            #[serde(default)]
            file: Option<PathBuf>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`{env: VARIABLE}` or `{file: path}`")
            }
            // The value is not echoed: it may be the key itself.
            fn visit_str<E: de::Error>(self, _: &str) -> Result<KeyRef, E> {
                Err(E::custom(
                    "a key must not be written in the policy: give `{env: VARIABLE}` or `{file: path}`",
                ))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<KeyRef, A::Error> {
                let f = Fields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if f.env.is_some() == f.file.is_some() {
                    return Err(de::Error::custom(
                        "give exactly one of `env` or `file` for a key",
                    ));
                }
                Ok(KeyRef {
                    env: f.env,
                    file: f.file,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for KeyRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "KeyRef".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A key by reference; inline keys are refused.",
            "oneOf": [
                {
                    "type": "object",
                    "properties": { "env": { "type": "string", "pattern": "^[A-Z_][A-Z0-9_]*$" } },
                    "required": ["env"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": { "file": { "type": "string" } },
                    "required": ["file"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// A map of ids whose keys are checked and must be unique: serde_json keeps the last of two
/// equal keys, which would let a second `alice:` silently replace the first.
fn unique_map<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct M<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for M<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping of ids")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                check_id(&key).map_err(de::Error::custom)?;
                if out.contains_key(&key) {
                    return Err(de::Error::custom(format!(
                        "`{}` is listed twice",
                        key.escape_default()
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(M(std::marker::PhantomData))
}
