//! The provider catalogue: providers, models, endpoints and ZDR endpoints in OpenRouter's JSON shapes.
//!
//! The catalogue is read from the bodies of OpenRouter's `/providers`, `/models`,
//! `/models/{author}/{slug}/endpoints` and `/endpoints/zdr` responses, plus two sections routeguard
//! curates itself because no public API field carries them: provider data policies and the
//! countries of region-suffixed endpoint tags. A dated snapshot is embedded
//! (`core/data/catalog/snapshot.json`); the same parser reads files written from the live API.
//!
//! Upstream bodies grow, so unknown fields are ignored; a field routeguard relies on that is
//! missing or of the wrong type is `InvalidCatalog`, naming the part and path
//! (`models.data[3].pricing.prompt`). Routeguard's own sections (the snapshot wrapper, data
//! policies, endpoint regions) are strict. Parsing is the only I/O here, and only `from_dir` does it.
//!
//! Prices are integer nano-dollars (1e-9 USD) per token, per request or per image, parsed exactly
//! from OpenRouter's decimal strings: see [`parse_price`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::regions;
// Catalogue files are read with the configuration's size bound (64 MiB: the live `/models`
// body is a few MB).
use crate::dlp::config::read_bounded;
use crate::error::{Error, ErrorCode, Result};

/// The embedded snapshot, curated from public facts (see `core/data/catalog/README.md`).
const BUILTIN_SNAPSHOT: &str = include_str!("../../data/catalog/snapshot.json");

/// The sections of the built-in snapshot that OpenRouter's API does not serve (provider data
/// policies, the countries of region-pinned endpoints), as JSON, for a refreshed catalogue.
pub fn curated_sections() -> (serde_json::Value, serde_json::Value) {
    let snapshot: serde_json::Value =
        serde_json::from_str(BUILTIN_SNAPSHOT).expect("the built-in snapshot is JSON");
    (
        snapshot["data_policies"].clone(),
        snapshot["endpoint_regions"].clone(),
    )
}

/// A provider as `/providers` lists it, with routeguard's curated data policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// The routing slug (`amazon-bedrock`), as `provider.only` takes it.
    pub slug: String,
    /// The display name (`Amazon Bedrock`), as the chat response's `provider` field reports it.
    pub name: String,
    /// ISO 3166-1 alpha-2 country where the provider is established; `None` = unknown.
    pub headquarters: Option<String>,
    /// ISO codes of the countries it says it runs in (provider level, not per request); `None` = unknown.
    pub datacenters: Option<Vec<String>>,
    /// Empty when upstream sent `null`.
    pub privacy_policy_url: String,
    pub terms_of_service_url: Option<String>,
    pub status_page_url: Option<String>,
    /// `None` when the catalogue has no curated entry: unknown, so non-compliant for data rules.
    pub data_policy: Option<DataPolicy>,
}

/// Whether a provider trains on prompts or keeps them; `None` = unknown (non-compliant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataPolicy {
    pub training: Option<bool>,
    pub retains_prompts: Option<bool>,
    /// Where the fact was taken from (a URL), when the curator named it.
    pub source: Option<String>,
}

/// A model as `/models` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// The id requests name (`anthropic/claude-sonnet-4`).
    pub id: String,
    /// The permanent slug (`anthropic/claude-4-sonnet-20250522`); endpoints and ZDR entries use it.
    pub canonical_slug: Option<String>,
    pub name: String,
    pub context_length: Option<u64>,
    /// From `top_provider.max_completion_tokens`.
    pub max_completion_tokens: Option<u64>,
    pub pricing: Pricing,
}

impl Model {
    /// Routers (`openrouter/auto`) pick a model per request and have no endpoints of their own.
    pub fn is_router(&self) -> bool {
        self.id.starts_with("openrouter/")
    }
}

/// Prices in nano-dollars (1e-9 USD): per token for `prompt` and `completion`, per request for
/// `request`, per image for `image`. `None` = unknown or "varies" (OpenRouter's `-1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pricing {
    pub prompt: Option<u64>,
    pub completion: Option<u64>,
    pub request: Option<u64>,
    pub image: Option<u64>,
}

/// One provider endpoint of a model, as `/models/{author}/{slug}/endpoints` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The model id this endpoint serves (the catalogue's id, not the permaslug).
    pub model_id: String,
    /// Display name, as responses report it (`Google`).
    pub provider_name: String,
    /// The endpoint slug for `provider.only` (`google-vertex/europe-west1`, `deepinfra/turbo`).
    pub tag: String,
    /// The tag before its first `/`: the provider's slug (`google-vertex`).
    pub provider_slug: String,
    pub context_length: Option<u64>,
    pub max_prompt_tokens: Option<u64>,
    pub max_completion_tokens: Option<u64>,
    pub quantization: Option<String>,
    pub pricing: Pricing,
    /// Listed in `/endpoints/zdr`.
    pub zdr: bool,
    /// Countries this tag processes in, when the catalogue's `endpoint_regions` names the tag
    /// (region endpoints such as `google-vertex/europe-west1`); `None` = only the provider-level
    /// `datacenters` are known. See [`Catalog::processing_countries`].
    pub region: Option<Vec<String>>,
}

/// The provider catalogue: immutable once built, cheap to share.
pub struct Catalog {
    snapshot_date: String,
    notes: String,
    providers: Vec<Provider>,
    models: Vec<Model>,
    /// Parallel to `models`.
    endpoints: Vec<Vec<Endpoint>>,
    provider_by_slug: HashMap<String, usize>,
    /// Keyed by the lower-cased, trimmed display name.
    provider_by_name: HashMap<String, usize>,
    model_by_id: HashMap<String, usize>,
    model_by_canonical: HashMap<String, usize>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Counts, not contents: the full catalogue is hundreds of kilobytes.
        let endpoints: usize = self.endpoints.iter().map(Vec::len).sum();
        let zdr = self.endpoints.iter().flatten().filter(|e| e.zdr).count();
        f.debug_struct("Catalog")
            .field("snapshot_date", &self.snapshot_date)
            .field("providers", &self.providers.len())
            .field("models", &self.models.len())
            .field("endpoints", &endpoints)
            .field("zdr_endpoints", &zdr)
            .finish()
    }
}

impl Catalog {
    /// The embedded snapshot, parsed once.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Catalog::from_snapshot_json(BUILTIN_SNAPSHOT)
                .expect("the embedded catalogue snapshot parses (a unit test checks it)")
        })
    }

    /// Parses a snapshot: one object holding the API bodies (see `core/data/catalog/README.md`).
    pub fn from_snapshot_json(text: &str) -> Result<Catalog> {
        let raw: RawSnapshot = parse_json(text, None, "")?;
        build(Parts {
            snapshot_date: raw.snapshot_date,
            notes: raw.notes.unwrap_or_default(),
            providers: raw.providers.data,
            models: raw.models.data,
            endpoints: raw
                .endpoints
                .into_iter()
                .map(|(id, body)| (id, body.data.endpoints))
                .collect(),
            zdr: raw.zdr.data,
            data_policies: raw.data_policies,
            endpoint_regions: raw.endpoint_regions,
        })
    }

    /// Reads a catalogue written as the raw API bodies: `providers.json`, `models.json`,
    /// `zdr.json`, `endpoints/<author>/<slug>.json`, and optionally `data_policies.json`,
    /// `endpoint_regions.json` and `meta.json` (`{"snapshot_date", "notes"}`; without it the date
    /// is `unknown`). Unreadable or missing required files are `ConfigFileUnreadable`.
    pub fn from_dir(dir: &Path) -> Result<Catalog> {
        let meta: RawMeta = match read_optional(&dir.join("meta.json"))? {
            Some((path, text)) => parse_json(&text, Some(&path), "meta")?,
            None => RawMeta {
                snapshot_date: "unknown".to_string(),
                notes: None,
            },
        };
        let required = |name: &str| -> Result<(PathBuf, String)> {
            let path = dir.join(name);
            Ok((path.clone(), read_bounded(&path)?))
        };
        let (path, text) = required("providers.json")?;
        let providers: RawList<RawProvider> = parse_json(&text, Some(&path), "providers")?;
        let (path, text) = required("models.json")?;
        let models: RawList<RawModel> = parse_json(&text, Some(&path), "models")?;
        let (path, text) = required("zdr.json")?;
        let zdr: RawList<RawZdrEntry> = parse_json(&text, Some(&path), "zdr")?;
        let data_policies = match read_optional(&dir.join("data_policies.json"))? {
            Some((path, text)) => parse_json(&text, Some(&path), "data_policies")?,
            None => BTreeMap::new(),
        };
        let endpoint_regions = match read_optional(&dir.join("endpoint_regions.json"))? {
            Some((path, text)) => parse_json(&text, Some(&path), "endpoint_regions")?,
            None => BTreeMap::new(),
        };
        let mut endpoints = BTreeMap::new();
        for (id, path) in endpoint_files(&dir.join("endpoints"))? {
            let text = read_bounded(&path)?;
            let body: RawEndpointsBody =
                parse_json(&text, Some(&path), &format!("endpoints.{id}"))?;
            endpoints.insert(id, body.data.endpoints);
        }
        build(Parts {
            snapshot_date: meta.snapshot_date,
            notes: meta.notes.unwrap_or_default(),
            providers: providers.data,
            models: models.data,
            endpoints,
            zdr: zdr.data,
            data_policies,
            endpoint_regions,
        })
    }

    /// The date the snapshot describes (`2026-11-01`), or `unknown`.
    pub fn snapshot_date(&self) -> &str {
        &self.snapshot_date
    }

    /// How the catalogue was made, as its author wrote it.
    pub fn notes(&self) -> &str {
        &self.notes
    }

    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// By exact slug; an endpoint tag (`google-vertex/europe-west1`) resolves to its provider.
    pub fn provider(&self, slug: &str) -> Option<&Provider> {
        let base = slug.split('/').next().unwrap_or(slug);
        self.provider_by_slug
            .get(base)
            .map(|&index| &self.providers[index])
    }

    /// Like [`Catalog::provider`], but an unknown slug is `UnknownProvider`, named.
    pub fn require_provider(&self, slug: &str) -> Result<&Provider> {
        self.provider(slug).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownProvider,
                format!(
                    "`{slug}` is not a provider slug of the catalogue (snapshot {})",
                    self.snapshot_date
                ),
            )
        })
    }

    /// By display name as a chat response's `provider` field reports it (`Amazon Bedrock`);
    /// case-insensitive, surrounding whitespace ignored.
    pub fn provider_by_name(&self, display_name: &str) -> Option<&Provider> {
        self.provider_by_name
            .get(&name_key(display_name))
            .map(|&index| &self.providers[index])
    }

    pub fn models(&self) -> &[Model] {
        &self.models
    }

    /// By id; else by canonical slug; else, for a variant id (`x/y:online`), the base model `x/y`.
    /// A variant that is a model of its own (`x/y:free`) is found by the first, exact, lookup.
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.model_index(id).map(|index| &self.models[index])
    }

    /// The endpoints of a model (resolved like [`Catalog::model`]); empty for unknown models and routers.
    pub fn endpoints(&self, model_id: &str) -> &[Endpoint] {
        match self.model_index(model_id) {
            Some(index) => &self.endpoints[index],
            None => &[],
        }
    }

    /// Where an endpoint processes: its tag's curated region when known, else the provider-level
    /// datacenters; `None` when neither is known (non-compliant for a `processing` rule).
    pub fn processing_countries<'a>(&'a self, endpoint: &'a Endpoint) -> Option<&'a [String]> {
        match &endpoint.region {
            Some(countries) => Some(countries),
            None => self
                .provider(&endpoint.provider_slug)
                .and_then(|p| p.datacenters.as_deref()),
        }
    }

    fn model_index(&self, id: &str) -> Option<usize> {
        let exact = |id: &str| {
            self.model_by_id
                .get(id)
                .or_else(|| self.model_by_canonical.get(id))
                .copied()
        };
        exact(id).or_else(|| {
            let (base, _variant) = id.rsplit_once(':')?;
            exact(base)
        })
    }
}

/// Parses an OpenRouter price string into nano-dollars: `"0.000003"` (USD per token) is `3000`.
///
/// Decimal notation with an optional exponent (`1e-6`, `1.5E-7`) is read exactly, with integer
/// arithmetic. `-1` (OpenRouter's "varies", e.g. `openrouter/auto`) is `None`. Digits finer than a
/// nano-dollar are rounded **up** to the next nano-dollar, so that a cost estimate is never below
/// the published price (`"0.0000000375"` is 38). Other negatives, signs, spaces, empty strings,
/// `NaN` and values above `u64::MAX` nano-dollars are errors.
pub fn parse_price(text: &str) -> std::result::Result<Option<u64>, String> {
    let bad = || format!("`{text}` is not a decimal price");
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => {
            let exponent = &unsigned[at + 1..];
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(bad());
            }
            (&unsigned[..at], exponent.parse::<i64>().map_err(|_| bad())?)
        }
        None => (unsigned, 0),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((int, frac)) if !frac.is_empty() => (int, frac),
        Some(_) => return Err(bad()),
        None => (mantissa, ""),
    };
    if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes())
        .map(|b| b - b'0')
        .skip_while(|&d| d == 0)
        .collect();
    if negative {
        // Only exactly -1 carries a meaning; any other negative price is corrupt data.
        return if is_exactly_one(&digits, frac.len() as i64 - exponent) {
            Ok(None)
        } else {
            Err(format!(
                "`{text}` is a negative price (only -1, \"varies\", is allowed)"
            ))
        };
    }
    // value = digits * 10^-(frac.len - exponent) USD = digits * 10^shift nano-dollars.
    let shift = 9 - (frac.len() as i64 - exponent);
    let too_large = || format!("`{text}` is larger than the largest price routeguard stores");
    let keep = (digits.len() as i64 + shift.min(0)).max(0) as usize;
    let mut nano: u64 = 0;
    for &d in &digits[..keep] {
        nano = nano
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or_else(too_large)?;
    }
    if shift > 0 && nano > 0 {
        let scale = 10u64.checked_pow(shift as u32).ok_or_else(too_large)?;
        nano = nano.checked_mul(scale).ok_or_else(too_large)?;
    }
    if digits[keep..].iter().any(|&d| d != 0) {
        nano = nano.checked_add(1).ok_or_else(too_large)?;
    }
    Ok(Some(nano))
}

/// Whether `digits * 10^-scale` (leading zeros stripped) equals 1.
fn is_exactly_one(digits: &[u8], scale: i64) -> bool {
    let significant = digits.len() - digits.iter().rev().take_while(|&&d| d == 0).count();
    significant == 1 && digits[0] == 1 && digits.len() as i64 - 1 == scale
}

// ---- raw shapes (serde) ----------------------------------------------------------------------

/// The snapshot wrapper is routeguard's own format: strict.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSnapshot {
    snapshot_date: String,
    #[serde(default)]
    notes: Option<String>,
    providers: RawList<RawProvider>,
    models: RawList<RawModel>,
    endpoints: BTreeMap<String, RawEndpointsBody>,
    zdr: RawList<RawZdrEntry>,
    #[serde(default)]
    data_policies: BTreeMap<String, RawDataPolicy>,
    #[serde(default)]
    endpoint_regions: BTreeMap<String, RawRegion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    snapshot_date: String,
    #[serde(default)]
    notes: Option<String>,
}

#[derive(Deserialize)]
struct RawList<T> {
    data: Vec<T>,
}

#[derive(Deserialize)]
struct RawProvider {
    name: String,
    slug: String,
    /// Required by the API schema; `null` is tolerated (stored as empty).
    #[serde(deserialize_with = "nullable")]
    privacy_policy_url: Option<String>,
    #[serde(default)]
    terms_of_service_url: Option<String>,
    #[serde(default)]
    status_page_url: Option<String>,
    #[serde(default, deserialize_with = "country")]
    headquarters: Option<String>,
    #[serde(default, deserialize_with = "countries")]
    datacenters: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RawModel {
    id: String,
    name: String,
    #[serde(default)]
    canonical_slug: Option<String>,
    #[serde(default)]
    context_length: Option<u64>,
    pricing: RawPricing,
    #[serde(default)]
    top_provider: Option<RawTopProvider>,
}

#[derive(Deserialize)]
struct RawTopProvider {
    #[serde(default)]
    max_completion_tokens: Option<u64>,
}

#[derive(Deserialize)]
struct RawPricing {
    #[serde(deserialize_with = "price")]
    prompt: Option<u64>,
    #[serde(deserialize_with = "price")]
    completion: Option<u64>,
    #[serde(default, deserialize_with = "price")]
    request: Option<u64>,
    #[serde(default, deserialize_with = "price")]
    image: Option<u64>,
}

impl From<RawPricing> for Pricing {
    fn from(raw: RawPricing) -> Pricing {
        Pricing {
            prompt: raw.prompt,
            completion: raw.completion,
            request: raw.request,
            image: raw.image,
        }
    }
}

#[derive(Deserialize)]
struct RawEndpointsBody {
    data: RawEndpointsData,
}

#[derive(Deserialize)]
struct RawEndpointsData {
    endpoints: Vec<RawEndpoint>,
}

#[derive(Deserialize)]
struct RawEndpoint {
    provider_name: String,
    tag: String,
    pricing: RawPricing,
    /// The model's permaslug, used to match ZDR entries.
    #[serde(default)]
    model_id: Option<String>,
    #[serde(default)]
    context_length: Option<u64>,
    #[serde(default)]
    max_prompt_tokens: Option<u64>,
    #[serde(default)]
    max_completion_tokens: Option<u64>,
    #[serde(default)]
    quantization: Option<String>,
}

/// Only what ZDR matching needs: the rest of a ZDR entry is a full endpoint, read elsewhere.
#[derive(Deserialize)]
struct RawZdrEntry {
    model_id: String,
    tag: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataPolicy {
    #[serde(default)]
    training: Option<bool>,
    #[serde(default)]
    retains_prompts: Option<bool>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    #[serde(deserialize_with = "required_countries")]
    countries: Vec<String>,
    /// Accepted for the curator's reference; not kept.
    #[serde(default, rename = "source")]
    _source: Option<String>,
}

fn nullable<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)
}

/// ISO codes are upper case; upstream lower case is accepted and normalised.
fn check_country<E: de::Error>(code: &str) -> std::result::Result<String, E> {
    let upper = code.to_ascii_uppercase();
    if regions::is_country(&upper) {
        Ok(upper)
    } else {
        Err(E::custom(format!(
            "`{code}` is not an ISO 3166-1 alpha-2 country code"
        )))
    }
}

fn country<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|c| check_country(&c))
        .transpose()
}

fn countries<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<String>>, D::Error> {
    Option::<Vec<String>>::deserialize(d)?
        .map(|list| list.iter().map(|c| check_country(c)).collect())
        .transpose()
}

fn required_countries<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let list = Vec::<String>::deserialize(d)?;
    if list.is_empty() {
        return Err(de::Error::custom("an endpoint region names no country"));
    }
    list.iter().map(|c| check_country(c)).collect()
}

/// A price: a decimal string (the API's type), a JSON number (tolerated), or `null` (unknown).
fn price<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<u64>, D::Error> {
    struct PriceVisitor;
    impl<'de> Visitor<'de> for PriceVisitor {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a price as a decimal string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
            parse_price(v).map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
            parse_price(&v.to_string()).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
            parse_price(&v.to_string()).map_err(E::custom)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
            // Rust prints the shortest decimal that reads back as `v`, never in exponent form:
            // that is the number the JSON text most likely held.
            if !v.is_finite() {
                return Err(E::custom("a price is not a finite number"));
            }
            parse_price(&v.to_string()).map_err(E::custom)
        }
        fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(PriceVisitor)
}

// ---- reading -----------------------------------------------------------------------------------

/// Parses one JSON document; errors name the file (if any), the catalogue path prefixed with
/// `part` (`models.data[3].pricing.prompt`), the line and the column.
fn parse_json<T: serde::de::DeserializeOwned>(
    text: &str,
    file: Option<&Path>,
    part: &str,
) -> Result<T> {
    let file = file
        .map(|f| format!("{}: ", f.display()))
        .unwrap_or_default();
    let at = |path: &str| match (part.is_empty(), path == ".") {
        (true, _) => path.to_string(),
        (false, true) => part.to_string(),
        (false, false) => format!("{part}.{path}"),
    };
    // Derived structs would also accept an array of fields by position.
    if !text.trim_start().starts_with('{') {
        return Err(Error::new(
            ErrorCode::InvalidCatalog,
            format!("{file}at `{}`: expected a JSON object", at(".")),
        ));
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let message = match message.find(" at line ") {
            Some(i) => &message[..i],
            None => &message,
        };
        Error::new(
            ErrorCode::InvalidCatalog,
            format!(
                "{file}at `{}` (line {}, column {}): {message}",
                at(&path),
                inner.line(),
                inner.column()
            ),
        )
    })
}

fn read_optional(path: &Path) -> Result<Option<(PathBuf, String)>> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => Ok(Some((path.to_path_buf(), read_bounded(path)?))),
    }
}

/// `endpoints/<author>/<slug>.json` files as (`author/slug`, path), sorted; other files are skipped.
fn endpoint_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let list = |dir: &Path| -> Result<Vec<PathBuf>> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Error::new(
                ErrorCode::ConfigFileUnreadable,
                format!("{}: {}", dir.display(), e.kind()),
            )
        })?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| {
                Error::new(
                    ErrorCode::ConfigFileUnreadable,
                    format!("{}: {}", dir.display(), e.kind()),
                )
            })?;
            paths.push(entry.path());
        }
        paths.sort();
        Ok(paths)
    };
    let mut files = Vec::new();
    for author in list(dir)? {
        if !author.is_dir() {
            continue;
        }
        for file in list(&author)? {
            let (Some(author_name), Some(slug)) = (
                author.file_name().and_then(|n| n.to_str()),
                file.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_suffix(".json")),
            ) else {
                continue;
            };
            if file.is_file() {
                files.push((format!("{author_name}/{slug}"), file));
            }
        }
    }
    Ok(files)
}

// ---- building and checking -----------------------------------------------------------------------

struct Parts {
    snapshot_date: String,
    notes: String,
    providers: Vec<RawProvider>,
    models: Vec<RawModel>,
    endpoints: BTreeMap<String, Vec<RawEndpoint>>,
    zdr: Vec<RawZdrEntry>,
    data_policies: BTreeMap<String, RawDataPolicy>,
    endpoint_regions: BTreeMap<String, RawRegion>,
}

fn invalid(message: String) -> Error {
    Error::new(ErrorCode::InvalidCatalog, message)
}

fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Slugs are lower case and carry no `/` (that separates a tag's variant or region).
fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

fn build(parts: Parts) -> Result<Catalog> {
    let mut providers = Vec::with_capacity(parts.providers.len());
    let mut provider_by_slug = HashMap::new();
    let mut provider_by_name = HashMap::new();
    for (i, raw) in parts.providers.into_iter().enumerate() {
        if !valid_slug(&raw.slug) {
            return Err(invalid(format!(
                "providers.data[{i}].slug: `{}` is not a provider slug (lower case, digits, `-`, `_`, `.`)",
                raw.slug
            )));
        }
        if raw.name.trim().is_empty() {
            return Err(invalid(format!("providers.data[{i}].name: empty")));
        }
        if provider_by_slug.insert(raw.slug.clone(), i).is_some() {
            return Err(invalid(format!(
                "providers.data[{i}].slug: `{}` is listed twice",
                raw.slug
            )));
        }
        // Verification maps a response's display name back to one slug: it must be unambiguous.
        if provider_by_name.insert(name_key(&raw.name), i).is_some() {
            return Err(invalid(format!(
                "providers.data[{i}].name: `{}` is the display name of two providers",
                raw.name
            )));
        }
        providers.push(Provider {
            slug: raw.slug,
            name: raw.name,
            headquarters: raw.headquarters,
            datacenters: raw.datacenters,
            privacy_policy_url: raw.privacy_policy_url.unwrap_or_default(),
            terms_of_service_url: raw.terms_of_service_url,
            status_page_url: raw.status_page_url,
            data_policy: None,
        });
    }

    for (slug, raw) in parts.data_policies {
        let index = *provider_by_slug.get(&slug).ok_or_else(|| {
            invalid(format!(
                "data_policies.{slug}: `{slug}` is not a provider of providers.data"
            ))
        })?;
        providers[index].data_policy = Some(DataPolicy {
            training: raw.training,
            retains_prompts: raw.retains_prompts,
            source: raw.source,
        });
    }

    let mut tag_regions = HashMap::new();
    for (tag, raw) in parts.endpoint_regions {
        let base = tag.split('/').next().unwrap_or(&tag);
        if !provider_by_slug.contains_key(base) {
            return Err(invalid(format!(
                "endpoint_regions.{tag}: `{base}` is not a provider of providers.data"
            )));
        }
        tag_regions.insert(tag, raw.countries);
    }

    let mut models = Vec::with_capacity(parts.models.len());
    let mut model_by_id = HashMap::new();
    let mut model_by_canonical: HashMap<String, usize> = HashMap::new();
    for (i, raw) in parts.models.into_iter().enumerate() {
        if raw.id.trim().is_empty() {
            return Err(invalid(format!("models.data[{i}].id: empty")));
        }
        if model_by_id.insert(raw.id.clone(), i).is_some() {
            return Err(invalid(format!(
                "models.data[{i}].id: `{}` is listed twice",
                raw.id
            )));
        }
        models.push(Model {
            id: raw.id,
            canonical_slug: raw.canonical_slug,
            name: raw.name,
            context_length: raw.context_length,
            max_completion_tokens: raw.top_provider.and_then(|t| t.max_completion_tokens),
            pricing: raw.pricing.into(),
        });
    }
    // A `:free` variant shares its base model's canonical slug: the base (no `:`) wins.
    for (i, model) in models.iter().enumerate() {
        let Some(canonical) = &model.canonical_slug else {
            continue;
        };
        match model_by_canonical.get(canonical) {
            Some(&other) if !models[other].id.contains(':') => {}
            _ => {
                model_by_canonical.insert(canonical.clone(), i);
            }
        }
    }

    let zdr: HashSet<(String, String)> = parts
        .zdr
        .into_iter()
        .map(|entry| (entry.model_id, entry.tag))
        .collect();

    let mut endpoints = vec![Vec::new(); models.len()];
    for (model_id, raw_endpoints) in parts.endpoints {
        let index = *model_by_id.get(&model_id).ok_or_else(|| {
            invalid(format!(
                "endpoints.{model_id}: `{model_id}` is not a model of models.data"
            ))
        })?;
        let model = &models[index];
        let mut list = Vec::with_capacity(raw_endpoints.len());
        for (j, raw) in raw_endpoints.into_iter().enumerate() {
            let at = format!("endpoints.{model_id}.data.endpoints[{j}]");
            let provider = provider_by_name
                .get(&name_key(&raw.provider_name))
                .map(|&p| &providers[p])
                .ok_or_else(|| {
                    invalid(format!(
                        "{at}.provider_name: `{}` is not the display name of a provider of providers.data",
                        raw.provider_name
                    ))
                })?;
            let provider_slug = raw.tag.split('/').next().unwrap_or_default().to_string();
            if provider_slug != provider.slug || raw.tag.ends_with('/') {
                return Err(invalid(format!(
                    "{at}.tag: `{}` does not start with `{}`, the slug of provider `{}`",
                    raw.tag, provider.slug, provider.name
                )));
            }
            let listed = |id: &str| zdr.contains(&(id.to_string(), raw.tag.clone()));
            let is_zdr = listed(&model.id)
                || model.canonical_slug.as_deref().is_some_and(listed)
                || raw.model_id.as_deref().is_some_and(listed);
            list.push(Endpoint {
                model_id: model.id.clone(),
                provider_name: raw.provider_name,
                region: tag_regions.get(&raw.tag).cloned(),
                tag: raw.tag,
                provider_slug,
                context_length: raw.context_length,
                max_prompt_tokens: raw.max_prompt_tokens,
                max_completion_tokens: raw.max_completion_tokens,
                quantization: raw.quantization,
                pricing: raw.pricing.into(),
                zdr: is_zdr,
            });
        }
        endpoints[index] = list;
    }

    Ok(Catalog {
        snapshot_date: parts.snapshot_date,
        notes: parts.notes,
        providers,
        models,
        endpoints,
        provider_by_slug,
        provider_by_name,
        model_by_id,
        model_by_canonical,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> &'static Catalog {
        Catalog::builtin()
    }

    #[test]
    fn the_builtin_snapshot_parses_and_meets_the_coverage() {
        let c = builtin();
        assert_eq!(c.snapshot_date(), "2026-11-01");
        assert!(c.notes().contains("public"));
        assert!(
            c.providers().len() >= 30,
            "{} providers",
            c.providers().len()
        );
        assert!(c.models().len() >= 50, "{} models", c.models().len());
        for model in c.models() {
            let n = c.endpoints(&model.id).len();
            if model.is_router() {
                assert_eq!(n, 0, "{}", model.id);
            } else {
                assert!((1..=8).contains(&n), "{} has {n} endpoints", model.id);
            }
        }
        // Every provider of the snapshot serves something.
        let used: HashSet<&str> = c
            .models()
            .iter()
            .flat_map(|m| c.endpoints(&m.id))
            .map(|e| e.provider_slug.as_str())
            .collect();
        for p in c.providers() {
            assert!(used.contains(p.slug.as_str()), "{} serves nothing", p.slug);
        }
        let debug = format!("{c:?}");
        assert!(debug.starts_with("Catalog { snapshot_date: \"2026-11-01\", providers: "));
    }

    #[test]
    fn the_builtin_snapshot_has_the_cases_the_routing_tests_need() {
        let c = builtin();
        // EU and US endpoints for one model.
        let tags: Vec<&str> = c
            .endpoints("anthropic/claude-sonnet-4")
            .iter()
            .map(|e| e.tag.as_str())
            .collect();
        assert_eq!(
            tags,
            [
                "anthropic",
                "amazon-bedrock",
                "google-vertex",
                "google-vertex/europe-west1",
                "google-vertex/us-east5"
            ]
        );
        let eu = &c.endpoints("anthropic/claude-sonnet-4")[3];
        assert_eq!(eu.provider_slug, "google-vertex");
        assert_eq!(eu.provider_name, "Google");
        assert_eq!(c.processing_countries(eu), Some(&["BE".to_string()][..]));
        assert!(eu.zdr);
        let base = &c.endpoints("anthropic/claude-sonnet-4")[2];
        assert_eq!(base.region, None);
        assert_eq!(
            c.processing_countries(base).unwrap(),
            ["US", "BE", "NL", "DE", "FI"]
        );
        let mistral: Vec<(&str, Option<&str>)> = c
            .endpoints("mistralai/mistral-large")
            .iter()
            .map(|e| {
                let hq = c.provider(&e.tag).unwrap().headquarters.as_deref();
                (e.tag.as_str(), hq)
            })
            .collect();
        assert_eq!(mistral, [("mistral", Some("FR")), ("azure", Some("US"))]);
        // No EU endpoint at all: headquarters and datacenters outside the EU everywhere.
        let eu_countries = regions::expand("EU").unwrap();
        for e in c.endpoints("deepseek/deepseek-chat") {
            let p = c.provider(&e.provider_slug).unwrap();
            assert!(!eu_countries.contains(p.headquarters.as_deref().unwrap()));
            for dc in c.processing_countries(e).unwrap() {
                assert!(!eu_countries.contains(dc.as_str()), "{} in {dc}", e.tag);
            }
        }
        assert_eq!(c.endpoints("deepseek/deepseek-chat")[0].tag, "deepseek");
        assert_eq!(
            c.provider("deepseek").unwrap().headquarters.as_deref(),
            Some("CN")
        );
        // Unknown facts exist on purpose.
        let chutes = c.provider("chutes").unwrap();
        assert_eq!(
            (chutes.headquarters.as_ref(), chutes.datacenters.as_ref()),
            (None, None)
        );
        assert!(c.provider("phala").unwrap().data_policy.is_none());
        assert_eq!(
            c.provider("anthropic").unwrap().data_policy,
            Some(DataPolicy {
                training: Some(false),
                retains_prompts: Some(true),
                source: Some(
                    "https://openrouter.ai/docs/guides/privacy/provider-logging".to_string()
                ),
            })
        );
        // ZDR: a subset.
        let all: Vec<&Endpoint> = c.models().iter().flat_map(|m| c.endpoints(&m.id)).collect();
        let zdr = all.iter().filter(|e| e.zdr).count();
        assert!(zdr > 10 && zdr < all.len() / 2, "{zdr} of {}", all.len());
        let zdr_tags: Vec<&str> = c
            .endpoints("deepseek/deepseek-chat")
            .iter()
            .filter(|e| e.zdr)
            .map(|e| e.tag.as_str())
            .collect();
        assert_eq!(zdr_tags, ["fireworks"]);
        // The router: prices vary.
        let auto = c.model("openrouter/auto").unwrap();
        assert!(auto.is_router());
        assert_eq!(auto.pricing.prompt, None);
        assert_eq!(auto.pricing.completion, None);
    }

    #[test]
    fn prices_and_limits_are_read_in_nano_dollars() {
        let c = builtin();
        let sonnet = c.model("anthropic/claude-sonnet-4").unwrap();
        assert_eq!(
            sonnet.pricing,
            Pricing {
                prompt: Some(3_000),
                completion: Some(15_000),
                request: Some(0),
                image: Some(4_800_000),
            }
        );
        assert_eq!(sonnet.context_length, Some(200_000));
        assert_eq!(sonnet.max_completion_tokens, Some(64_000));
        let sonar = &c.endpoints("perplexity/sonar")[0];
        assert_eq!(sonar.pricing.request, Some(5_000_000));
        assert_eq!(sonar.pricing.prompt, Some(1_000));
        let turbo = c
            .endpoints("meta-llama/llama-3.3-70b-instruct")
            .iter()
            .find(|e| e.tag == "deepinfra/turbo")
            .unwrap();
        assert_eq!(turbo.provider_slug, "deepinfra");
        assert_eq!(turbo.quantization.as_deref(), Some("fp8"));
        assert_eq!(turbo.pricing.prompt, Some(130));
        assert_eq!(turbo.pricing.completion, Some(390));
        assert_eq!(turbo.context_length, Some(131_072));
        assert_eq!(turbo.max_completion_tokens, Some(16_384));
        assert_eq!(turbo.max_prompt_tokens, None);
    }

    #[test]
    fn display_names_and_slugs_round_trip_for_every_provider() {
        let c = builtin();
        for p in c.providers() {
            assert_eq!(c.provider_by_name(&p.name).unwrap().slug, p.slug);
            assert_eq!(c.provider(&p.slug).unwrap().name, p.name);
            let shouted = format!("  {}\t", p.name.to_uppercase());
            assert_eq!(c.provider_by_name(&shouted).unwrap().slug, p.slug);
            if let Some(hq) = &p.headquarters {
                assert!(regions::is_country(hq), "{}: {hq}", p.slug);
            }
        }
        assert_eq!(c.provider_by_name("Google").unwrap().slug, "google-vertex");
        assert_eq!(
            c.provider_by_name("amazon bedrock").unwrap().slug,
            "amazon-bedrock"
        );
        assert!(c.provider_by_name("Bedrock").is_none());
        assert!(c.provider_by_name("amazon-bedrock").is_none());
        // Every endpoint's display name maps to the provider its tag names.
        for m in c.models() {
            for e in c.endpoints(&m.id) {
                assert_eq!(
                    c.provider_by_name(&e.provider_name).unwrap().slug,
                    e.provider_slug
                );
            }
        }
    }

    #[test]
    fn tags_resolve_to_their_base_provider() {
        let c = builtin();
        assert_eq!(
            c.provider("google-vertex/europe-west1").unwrap().slug,
            "google-vertex"
        );
        assert_eq!(c.provider("deepinfra/turbo").unwrap().name, "DeepInfra");
        assert!(c.provider("Google").is_none());
        assert!(c.provider("nowhere").is_none());
        assert!(c.provider("").is_none());
        let err = c.require_provider("nowhere/eu").unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnknownProvider);
        assert!(err.message().contains("`nowhere/eu`"), "{}", err.message());
        assert_eq!(
            c.require_provider("mistral")
                .unwrap()
                .headquarters
                .as_deref(),
            Some("FR")
        );
    }

    #[test]
    fn variants_and_canonical_slugs_resolve_to_models() {
        let c = builtin();
        assert_eq!(c.model("openai/gpt-4o:online").unwrap().id, "openai/gpt-4o");
        assert_eq!(c.model("openai/gpt-4o:nitro").unwrap().id, "openai/gpt-4o");
        assert_eq!(
            c.model("anthropic/claude-4-sonnet-20250522").unwrap().id,
            "anthropic/claude-sonnet-4"
        );
        assert_eq!(
            c.endpoints("openai/gpt-4o:floor").len(),
            c.endpoints("openai/gpt-4o").len()
        );
        // A variant that is a model of its own keeps its own endpoints.
        let free = c.endpoints("meta-llama/llama-3.3-70b-instruct:free");
        assert_eq!(free.len(), 1);
        assert_eq!(free[0].tag, "chutes");
        assert_eq!(free[0].model_id, "meta-llama/llama-3.3-70b-instruct:free");
        assert_eq!(
            c.model("meta-llama/llama-3.3-70b-instruct").unwrap().id,
            "meta-llama/llama-3.3-70b-instruct"
        );
        assert_eq!(c.endpoints("meta-llama/llama-3.3-70b-instruct").len(), 8);
        assert!(c.model("nobody/nothing").is_none());
        assert!(c.model("nobody/nothing:online").is_none());
        assert!(c.endpoints("nobody/nothing").is_empty());
        assert!(c.endpoints("openrouter/auto").is_empty());
    }

    #[test]
    fn price_parsing_edge_cases() {
        assert_eq!(parse_price("0"), Ok(Some(0)));
        assert_eq!(parse_price("0.0"), Ok(Some(0)));
        assert_eq!(parse_price("0.000003"), Ok(Some(3_000)));
        assert_eq!(parse_price("0.0000025"), Ok(Some(2_500)));
        assert_eq!(parse_price("0.000000001"), Ok(Some(1)));
        assert_eq!(parse_price("0.005"), Ok(Some(5_000_000)));
        assert_eq!(parse_price("15"), Ok(Some(15_000_000_000)));
        assert_eq!(parse_price("007.5"), Ok(Some(7_500_000_000)));
        // Exponent notation is read exactly.
        assert_eq!(parse_price("1e-6"), Ok(Some(1_000)));
        assert_eq!(parse_price("1.5E-7"), Ok(Some(150)));
        assert_eq!(parse_price("3e+0"), Ok(Some(3_000_000_000)));
        assert_eq!(parse_price("0e999"), Ok(Some(0)));
        // Finer than a nano-dollar: rounded up.
        assert_eq!(parse_price("0.0000000375"), Ok(Some(38)));
        assert_eq!(parse_price("0.00000000000000001"), Ok(Some(1)));
        assert_eq!(parse_price("0.0000000010000"), Ok(Some(1)));
        assert_eq!(parse_price("1e-30"), Ok(Some(1)));
        // "Varies".
        assert_eq!(parse_price("-1"), Ok(None));
        assert_eq!(parse_price("-1.000"), Ok(None));
        assert_eq!(parse_price("-10e-1"), Ok(None));
        // Errors.
        for bad in [
            "", "-", "abc", "1.", ".5", "+1", " 1", "1 ", "0x10", "NaN", "inf", "1e", "1e+",
            "1e99999", "1,5", "--1", "1.2.3",
        ] {
            let err = parse_price(bad).unwrap_err();
            assert!(err.contains(&format!("`{bad}`")), "{bad}: {err}");
        }
        for negative in ["-2", "-0.5", "-0.000003", "-0", "-1.0001"] {
            assert!(
                parse_price(negative).unwrap_err().contains("negative"),
                "{negative}"
            );
        }
        assert!(parse_price("18446744073.709551615").is_ok());
        assert_eq!(parse_price("18446744073.709551615"), Ok(Some(u64::MAX)));
        assert!(parse_price("18446744073.709551616").is_err());
        assert!(parse_price("99999999999").unwrap_err().contains("larger"));
        assert!(parse_price("1e20").unwrap_err().contains("larger"));
    }

    /// A minimal valid snapshot, as JSON text with `{PRICE}` to fill in.
    fn tiny(prompt_price: &str) -> String {
        format!(
            r#"{{"snapshot_date": "2026-01-02",
  "providers": {{"data": [
    {{"name": "Acme Cloud", "slug": "acme", "privacy_policy_url": null, "headquarters": "de", "datacenters": ["DE", "FR"], "logo": "x"}},
    {{"name": "Far Away", "slug": "far", "privacy_policy_url": "https://far.example/privacy"}}
  ]}},
  "models": {{"data": [
    {{"id": "lab/model", "name": "Lab: Model", "canonical_slug": "lab/model-2026", "context_length": 8192,
      "pricing": {{"prompt": {prompt_price}, "completion": 0.000002, "web_search": "0.01"}},
      "top_provider": {{"context_length": 8192, "max_completion_tokens": 1024, "is_moderated": false}}}}
  ]}},
  "endpoints": {{"lab/model": {{"data": {{"id": "lab/model", "endpoints": [
    {{"provider_name": "acme cloud", "tag": "acme/eu", "model_id": "lab/model-2026",
      "pricing": {{"prompt": "0.000001", "completion": "0.000002"}}, "status": 0}},
    {{"provider_name": "Far Away", "tag": "far", "pricing": {{"prompt": "0", "completion": "0"}}}}
  ]}}}}}},
  "zdr": {{"data": [{{"model_id": "lab/model-2026", "tag": "acme/eu"}}, {{"model_id": "other/x", "tag": "far"}}]}},
  "data_policies": {{"acme": {{"training": false, "retains_prompts": null}}}},
  "endpoint_regions": {{"acme/eu": {{"countries": ["DE"]}}}}
}}"#
        )
    }

    #[test]
    fn a_small_snapshot_is_read_field_by_field() {
        let c = Catalog::from_snapshot_json(&tiny("\"0.000001\"")).unwrap();
        assert_eq!(c.snapshot_date(), "2026-01-02");
        assert_eq!(c.notes(), "");
        let acme = c.provider("acme").unwrap();
        assert_eq!(acme.headquarters.as_deref(), Some("DE"));
        assert_eq!(acme.privacy_policy_url, "");
        assert_eq!(
            acme.data_policy,
            Some(DataPolicy {
                training: Some(false),
                retains_prompts: None,
                source: None
            })
        );
        assert_eq!(c.provider("far").unwrap().datacenters, None);
        let model = c.model("lab/model").unwrap();
        assert_eq!(model.pricing.prompt, Some(1_000));
        assert_eq!(model.pricing.completion, Some(2_000));
        assert_eq!(model.pricing.request, None);
        assert_eq!(model.max_completion_tokens, Some(1024));
        let eps = c.endpoints("lab/model-2026");
        assert_eq!(eps.len(), 2);
        assert_eq!(eps[0].provider_slug, "acme");
        assert!(eps[0].zdr);
        assert_eq!(eps[0].region, Some(vec!["DE".to_string()]));
        assert!(!eps[1].zdr);
        assert_eq!(c.processing_countries(&eps[1]), None);
        // A JSON number price is tolerated; null is unknown.
        let c = Catalog::from_snapshot_json(&tiny("null")).unwrap();
        assert_eq!(c.model("lab/model").unwrap().pricing.prompt, None);
    }

    fn error_of(text: &str) -> String {
        let err = Catalog::from_snapshot_json(text).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidCatalog, "{err}");
        err.message().to_string()
    }

    #[test]
    fn malformed_snapshots_name_the_path() {
        let m = error_of(&tiny("\"cheap\""));
        assert!(
            m.starts_with("at `models.data[0].pricing.prompt` (line 8, column"),
            "{m}"
        );
        assert!(m.contains("`cheap` is not a decimal price"), "{m}");
        let m = error_of(&tiny("\"-3\""));
        assert!(
            m.contains("models.data[0].pricing.prompt") && m.contains("negative"),
            "{m}"
        );
        let m = error_of(&tiny("true"));
        assert!(m.contains("models.data[0].pricing.prompt"), "{m}");
        let m = error_of(&tiny("\"1\"").replace(
            r#""prompt": "0", "completion": "0""#,
            r#""completion": "0""#,
        ));
        assert!(
            m.contains("endpoints.lab/model.data.endpoints[1].pricing")
                && m.contains("missing field `prompt`"),
            "{m}"
        );
        let m = error_of(&tiny("\"1\"").replace("\"DE\", \"FR\"", "\"DE\", \"XX\""));
        assert!(
            m.contains("providers.data[0].datacenters") && m.contains("`XX`"),
            "{m}"
        );
        let m = error_of(&tiny("\"1\"").replace("\"slug\": \"far\", ", ""));
        assert!(
            m.contains("providers.data[1]") && m.contains("missing field `slug`"),
            "{m}"
        );
        let m = error_of(&tiny("\"1\"").replace("\"snapshot_date\"", "\"date\""));
        assert!(m.contains("unknown field `date`"), "{m}");
        let m = error_of("[1, 2]");
        assert_eq!(m, "at `.`: expected a JSON object");
        let m = error_of("{\"snapshot_date\": ");
        assert!(m.contains("EOF"), "{m}");
    }

    #[test]
    fn inconsistent_snapshots_are_rejected_with_the_culprit_named() {
        let ok = tiny("\"1\"");
        let m = error_of(&ok.replace("\"Far Away\", \"tag\"", "\"Nobody\", \"tag\""));
        assert_eq!(
            m,
            "endpoints.lab/model.data.endpoints[1].provider_name: `Nobody` is not the display name of a provider of providers.data"
        );
        let m = error_of(&ok.replace("\"tag\": \"far\"", "\"tag\": \"acme\""));
        assert!(
            m.starts_with(
                "endpoints.lab/model.data.endpoints[1].tag: `acme` does not start with `far`"
            ),
            "{m}"
        );
        let m = error_of(&ok.replace("\"Far Away\", \"slug\"", "\"ACME CLOUD\", \"slug\""));
        assert!(
            m.contains("providers.data[1].name: `ACME CLOUD` is the display name of two providers"),
            "{m}"
        );
        let m = error_of(&ok.replace("\"slug\": \"far\"", "\"slug\": \"acme\""));
        assert!(
            m.contains("providers.data[1].slug: `acme` is listed twice"),
            "{m}"
        );
        let m = error_of(&ok.replace("\"slug\": \"far\"", "\"slug\": \"Far/x\""));
        assert!(
            m.contains("providers.data[1].slug: `Far/x` is not a provider slug"),
            "{m}"
        );
        let m = error_of(&ok.replace(
            "\"data_policies\": {\"acme\"",
            "\"data_policies\": {\"zeta\"",
        ));
        assert_eq!(
            m,
            "data_policies.zeta: `zeta` is not a provider of providers.data"
        );
        let m = error_of(&ok.replace(
            "\"endpoints\": {\"lab/model\"",
            "\"endpoints\": {\"lab/other\"",
        ));
        assert_eq!(
            m,
            "endpoints.lab/other: `lab/other` is not a model of models.data"
        );
        let m = error_of(&ok.replace("\"countries\": [\"DE\"]", "\"countries\": []"));
        assert!(
            m.contains("endpoint_regions.acme/eu.countries") && m.contains("no country"),
            "{m}"
        );
        let m = error_of(&ok.replace("\"retains_prompts\": null", "\"retains\": null"));
        assert!(
            m.contains("data_policies.acme") && m.contains("unknown field `retains`"),
            "{m}"
        );
    }

    /// A directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir = std::env::temp_dir()
                .join(format!("routeguard-catalog-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn write(&self, rel: &str, text: &str) {
            let path = self.0.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn write_tiny_dir(dir: &TempDir) {
        let v: serde_json::Value = serde_json::from_str(&tiny("\"0.000001\"")).unwrap();
        dir.write("providers.json", &v["providers"].to_string());
        dir.write("models.json", &v["models"].to_string());
        dir.write("zdr.json", &v["zdr"].to_string());
        dir.write(
            "endpoints/lab/model.json",
            &v["endpoints"]["lab/model"].to_string(),
        );
        dir.write("endpoints/README.txt", "not an endpoints file");
        dir.write("endpoints/lab/notes.md", "skipped too");
        dir.write("data_policies.json", &v["data_policies"].to_string());
        dir.write("endpoint_regions.json", &v["endpoint_regions"].to_string());
    }

    #[test]
    fn a_directory_of_api_bodies_is_read() {
        let dir = TempDir::new("ok");
        write_tiny_dir(&dir);
        let c = Catalog::from_dir(&dir.0).unwrap();
        assert_eq!(c.snapshot_date(), "unknown");
        assert_eq!(c.providers().len(), 2);
        let eps = c.endpoints("lab/model");
        assert_eq!(eps.len(), 2);
        assert!(eps[0].zdr);
        assert_eq!(eps[0].region, Some(vec!["DE".to_string()]));
        assert_eq!(c.provider_by_name("Far Away").unwrap().slug, "far");
        assert!(c.provider("acme").unwrap().data_policy.is_some());

        dir.write(
            "meta.json",
            r#"{"snapshot_date": "2026-03-04", "notes": "test"}"#,
        );
        std::fs::remove_file(dir.0.join("data_policies.json")).unwrap();
        let c = Catalog::from_dir(&dir.0).unwrap();
        assert_eq!(c.snapshot_date(), "2026-03-04");
        assert_eq!(c.notes(), "test");
        assert!(c.provider("acme").unwrap().data_policy.is_none());
    }

    #[test]
    fn directory_errors_name_the_file_and_path() {
        let dir = TempDir::new("bad");
        write_tiny_dir(&dir);
        dir.write(
            "models.json",
            r#"{"data": [{"id": "lab/model", "name": "M", "pricing": {"prompt": "x", "completion": "0"}}]}"#,
        );
        let err = Catalog::from_dir(&dir.0).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidCatalog);
        let file = dir.0.join("models.json");
        assert!(
            err.message().starts_with(&format!(
                "{}: at `models.data[0].pricing.prompt` (line 1, column",
                file.display()
            )),
            "{}",
            err.message()
        );
        write_tiny_dir(&dir);
        dir.write(
            "endpoints/lab/model.json",
            r#"{"data": {"endpoints": [{"tag": "far"}]}}"#,
        );
        let err = Catalog::from_dir(&dir.0).unwrap_err();
        assert!(
            err.message()
                .contains("at `endpoints.lab/model.data.endpoints[0]`")
                && err.message().contains("missing field `provider_name`"),
            "{}",
            err.message()
        );
        write_tiny_dir(&dir);
        std::fs::remove_file(dir.0.join("zdr.json")).unwrap();
        let err = Catalog::from_dir(&dir.0).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConfigFileUnreadable);
        assert!(err.message().contains("zdr.json"), "{}", err.message());
        write_tiny_dir(&dir);
        std::fs::remove_dir_all(dir.0.join("endpoints")).unwrap();
        let err = Catalog::from_dir(&dir.0).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConfigFileUnreadable);
        assert!(err.message().contains("endpoints"), "{}", err.message());
        let err = Catalog::from_dir(&dir.0.join("missing")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConfigFileUnreadable);
    }
}
