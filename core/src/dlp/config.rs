//! The scanner configuration document: which built-ins run, actions, custom detectors, allow-lists.
//!
//! Strict like every routeguard document: unknown keys and wrong types are errors that name the
//! path (and, for YAML, the line and column).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::detector::{Action, Kind, Spec};
use super::scanner::DetectorInfo;
use crate::error::{Error, ErrorCode, Result};

/// Largest configuration document or terms file read, to keep hostile input bounded.
const MAX_CONFIG_BYTES: u64 = 64 << 20;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScannerConfig {
    /// Which built-in detectors run.
    #[serde(default)]
    pub builtin: BuiltinSelection,
    /// Findings below this confidence are dropped (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_confidence: Option<f32>,
    /// Action per selector: a detector id, a CATEGORY, `pii`, `secret`, `country:XX` or `*`.
    /// The most specific selector wins (id > category > country > kind > `*`).
    #[serde(default)]
    pub actions: BTreeMap<String, Action>,
    #[serde(default)]
    pub mask: MaskConfig,
    /// Detectors defined by the user: a regex or a keyword dictionary.
    #[serde(default)]
    pub custom: Vec<CustomDetector>,
    /// Values and patterns that are never reported.
    #[serde(default)]
    pub allow: AllowConfig,
    /// Directory that relative `terms_file` paths are resolved against (set when loading a file).
    #[serde(skip)]
    pub base_dir: Option<PathBuf>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuiltinSelection {
    /// Selectors of detectors to run (default `["*"]`).
    #[serde(default = "all")]
    pub enable: Vec<String>,
    /// Selectors of detectors to leave out, applied after `enable`.
    #[serde(default)]
    pub disable: Vec<String>,
}

fn all() -> Vec<String> {
    vec!["*".to_string()]
}

impl Default for BuiltinSelection {
    fn default() -> Self {
        BuiltinSelection {
            enable: all(),
            disable: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaskConfig {
    /// The character written over masked text.
    #[serde(default = "star")]
    pub char: char,
    /// How many trailing characters stay readable (e.g. 4 for the last digits of a card).
    #[serde(default)]
    pub keep_last: usize,
}

fn star() -> char {
    '*'
}

impl Default for MaskConfig {
    fn default() -> Self {
        MaskConfig {
            char: '*',
            keep_last: 0,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowConfig {
    /// Exact values never reported (e.g. a company's public support e-mail).
    #[serde(default)]
    pub values: Vec<String>,
    /// Regexes; a finding whose whole value matches one is not reported.
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// A user-defined detector: either `pattern` (a regex) or `terms`/`terms_file` (a dictionary).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomDetector {
    pub id: String,
    /// Defaults to the id in upper case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default = "pii")]
    pub kind: Kind,
    /// A regex (linear-time engine, compiled size limited to 1 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// A named check run on each match: `luhn`, `mod97`, `verhoeff`, `mod11_10`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validator: Option<String>,
    /// Keywords matched case-insensitively as whole words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<Vec<String>>,
    /// A file with one keyword per line (`#` starts a comment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_file: Option<PathBuf>,
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(default)]
    pub context_required: bool,
    #[serde(default = "custom_confidence")]
    pub confidence: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// Longest match kept, in bytes (default 256, at most 4096).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<usize>,
    #[serde(skip)]
    pub(crate) base_dir: Option<PathBuf>,
}

fn pii() -> Kind {
    Kind::Pii
}

fn custom_confidence() -> f32 {
    0.8
}

impl CustomDetector {
    /// The detector as scanners list it (and as selectors and actions match it).
    pub fn info(&self) -> DetectorInfo {
        let action = self.action.unwrap_or(Action::Mask);
        DetectorInfo {
            id: self.id.as_str().into(),
            category: self
                .category
                .clone()
                .unwrap_or_else(|| self.id.to_ascii_uppercase())
                .into(),
            kind: self.kind,
            country: None,
            validation: self.validator.as_deref().unwrap_or("pattern").into(),
            default_action: action,
            action,
            confidence: self.confidence,
            context_required: self.context_required,
            builtin: false,
        }
    }

    /// A regex detector with the defaults of the configuration document.
    pub fn from_pattern(id: impl Into<String>, pattern: impl Into<String>) -> CustomDetector {
        CustomDetector {
            pattern: Some(pattern.into()),
            ..CustomDetector::empty(id.into())
        }
    }

    /// A keyword-dictionary detector with the defaults of the configuration document.
    pub fn from_terms(id: impl Into<String>, terms: Vec<String>) -> CustomDetector {
        CustomDetector {
            terms: Some(terms),
            ..CustomDetector::empty(id.into())
        }
    }

    fn empty(id: String) -> CustomDetector {
        CustomDetector {
            id,
            category: None,
            kind: Kind::Pii,
            pattern: None,
            validator: None,
            terms: None,
            terms_file: None,
            context: Vec::new(),
            context_required: false,
            confidence: custom_confidence(),
            action: None,
            max_len: None,
            base_dir: None,
        }
    }

    /// The dictionary terms, read from `terms_file` when given.
    pub(crate) fn terms(&self) -> Result<Option<Vec<String>>> {
        match (&self.terms, &self.terms_file) {
            (Some(_), Some(_)) => Err(Error::new(
                ErrorCode::InvalidConfig,
                format!(
                    "custom detector `{}`: give `terms` or `terms_file`, not both",
                    self.id
                ),
            )),
            (Some(terms), None) => Ok(Some(terms.clone())),
            (None, Some(file)) => {
                let path = match &self.base_dir {
                    Some(dir) if file.is_relative() => dir.join(file),
                    _ => file.clone(),
                };
                let text = read_bounded(&path)?;
                Ok(Some(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(str::to_string)
                        .collect(),
                ))
            }
            (None, None) => Ok(None),
        }
    }
}

pub(crate) fn read_bounded(path: &Path) -> Result<String> {
    let unreadable = |why: String| {
        Error::new(
            ErrorCode::ConfigFileUnreadable,
            format!("{}: {why}", path.display()),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.kind().to_string()))?;
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{}: larger than {} bytes", path.display(), MAX_CONFIG_BYTES),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.kind().to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorCode::InvalidUtf8,
            format!(
                "{}: invalid UTF-8 at byte {}",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

impl ScannerConfig {
    /// Parses a JSON document. Errors name the path of the offending value.
    pub fn from_json(text: &str) -> Result<ScannerConfig> {
        // serde's derived structs also accept arrays (fields by position): `[]` would silently
        // mean the default profile.
        if !text.trim_start().starts_with('{') {
            return Err(not_an_object());
        }
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            Error::new(
                ErrorCode::InvalidConfig,
                format!(
                    "at `{path}` (line {}, column {}): {}",
                    inner.line(),
                    inner.column(),
                    strip_location(&inner.to_string())
                ),
            )
        })
    }

    /// Parses a YAML document (JSON is accepted too). Errors name the path, line and column.
    pub fn from_yaml(text: &str) -> Result<ScannerConfig> {
        if matches!(
            serde_yaml::from_str::<serde_yaml::Value>(text),
            Ok(serde_yaml::Value::Sequence(_))
        ) {
            return Err(not_an_object());
        }
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let location = inner
                .location()
                .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
                .unwrap_or_default();
            Error::new(
                ErrorCode::InvalidConfig,
                format!(
                    "at `{path}`{location}: {}",
                    strip_location(&inner.to_string())
                ),
            )
        })
    }

    /// Reads a `.json`, `.yaml` or `.yml` file; relative `terms_file` paths resolve against its directory.
    pub fn from_file(path: &Path) -> Result<ScannerConfig> {
        let text = read_bounded(path)?;
        let mut config = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => ScannerConfig::from_json(&text)?,
            _ => ScannerConfig::from_yaml(&text)?,
        };
        config.base_dir = path.parent().map(Path::to_path_buf);
        for custom in &mut config.custom {
            custom.base_dir = config.base_dir.clone();
        }
        Ok(config)
    }

    pub(crate) fn builtin_selection(&self) -> Result<Selection> {
        let parse = |list: &[String]| {
            list.iter()
                .map(|s| Selector::parse(s))
                .collect::<Result<Vec<_>>>()
        };
        let selection = Selection {
            enable: parse(&self.builtin.enable)?,
            disable: parse(&self.builtin.disable)?,
        };
        for selector in selection.enable.iter().chain(&selection.disable) {
            if !super::catalog::builtin().any(|s| selector.matches_spec(s)) {
                return Err(Error::new(
                    ErrorCode::UnknownDetector,
                    format!(
                        "builtin: `{}` names no built-in detector, category or kind",
                        selector.text()
                    ),
                ));
            }
        }
        Ok(selection)
    }
}

fn not_an_object() -> Error {
    Error::new(
        ErrorCode::InvalidConfig,
        "at `.`: the configuration must be an object (a mapping of keys to values)",
    )
}

/// serde's messages repeat the location we already print, and quote the offending string, which
/// may be a dictionary term or a pattern someone considers sensitive: both go.
pub(crate) fn strip_location(message: &str) -> String {
    static QUOTED: OnceLock<Regex> = OnceLock::new();
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    QUOTED
        .get_or_init(|| Regex::new(r#"(string|char) "(?:[^"\\]|\\.)*""#).expect("valid"))
        .replace_all(message, "a $1")
        .into_owned()
}

pub(crate) struct Selection {
    enable: Vec<Selector>,
    disable: Vec<Selector>,
}

impl Selection {
    pub(crate) fn includes(&self, spec: &Spec) -> bool {
        self.enable.iter().any(|s| s.matches_spec(spec))
            && !self.disable.iter().any(|s| s.matches_spec(spec))
    }
}

/// Names a set of detectors: `*`, `pii`, `secret`, `country:DE`, a CATEGORY or a detector id.
#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    All,
    Kind(Kind),
    Country(String),
    Category(String),
    Id(String),
}

impl Selector {
    pub fn parse(text: &str) -> Result<Selector> {
        let text = text.trim();
        Ok(match text {
            "" => {
                return Err(Error::new(
                    ErrorCode::InvalidConfig,
                    "an empty detector selector",
                ));
            }
            "*" => Selector::All,
            "pii" => Selector::Kind(Kind::Pii),
            "secret" | "secrets" => Selector::Kind(Kind::Secret),
            _ if text.starts_with("country:") => {
                Selector::Country(text["country:".len()..].to_ascii_uppercase())
            }
            _ if text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') =>
            {
                Selector::Category(text.to_string())
            }
            _ => Selector::Id(text.to_string()),
        })
    }

    pub fn text(&self) -> String {
        match self {
            Selector::All => "*".into(),
            Selector::Kind(k) => k.as_str().into(),
            Selector::Country(c) => format!("country:{c}"),
            Selector::Category(c) | Selector::Id(c) => c.clone(),
        }
    }

    pub(crate) fn specificity(&self) -> u8 {
        match self {
            Selector::All => 0,
            Selector::Kind(_) => 1,
            Selector::Country(_) => 2,
            Selector::Category(_) => 3,
            Selector::Id(_) => 4,
        }
    }

    fn matches(&self, id: &str, category: &str, kind: Kind, country: Option<&str>) -> bool {
        match self {
            Selector::All => true,
            Selector::Kind(k) => *k == kind,
            Selector::Country(c) => country == Some(c.as_str()),
            Selector::Category(c) => c == category,
            Selector::Id(i) => i == id,
        }
    }

    pub(crate) fn matches_spec(&self, spec: &Spec) -> bool {
        self.matches(spec.id, spec.category, spec.kind, spec.country)
    }

    pub(crate) fn matches_info(&self, info: &DetectorInfo) -> bool {
        self.matches(&info.id, &info.category, info.kind, info.country.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_do_not_repeat_the_offending_string() {
        let secret_term = "4111 1111 1111 1111";
        let json =
            format!(r#"{{"custom": [{{"id": "x", "category": "X", "terms": "{secret_term}"}}]}}"#);
        let yaml = format!("custom:\n  - id: x\n    category: X\n    terms: \"{secret_term}\"\n");
        for err in [
            ScannerConfig::from_json(&json).unwrap_err(),
            ScannerConfig::from_yaml(&yaml).unwrap_err(),
        ] {
            assert_eq!(err.code(), ErrorCode::InvalidConfig);
            assert!(!err.message().contains("4111"), "{}", err.message());
            assert!(
                err.message().contains("custom[0].terms"),
                "{}",
                err.message()
            );
        }
    }

    #[test]
    fn only_an_object_is_a_configuration() {
        for err in [
            ScannerConfig::from_json(" []").unwrap_err(),
            ScannerConfig::from_yaml("- credit_card").unwrap_err(),
        ] {
            assert_eq!(err.code(), ErrorCode::InvalidConfig);
            assert!(err.message().contains("must be an object"));
        }
        assert!(ScannerConfig::from_json("{}").is_ok());
    }
}
