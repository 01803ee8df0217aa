//! Scanning: `Scanner` (scan, redact, scanRequest, stream, detectors), `ScanStream`, `Vault`.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use routeguard::host::{
    ApplyOptions, ConfigSource, HostApplied, HostDetector, HostFinding, HostReleased, HostScanner,
    HostStream, SharedVault, Unit,
};

use crate::{int, Result};

/// The unit of every `start`/`end` this binding reports.
pub(crate) const UNIT: Unit = Unit::Utf16;

/// A finding: where (UTF-16 units and UTF-8 bytes) and what, never the matched text.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Finding {
    pub detector: String,
    pub category: String,
    pub kind: String,
    pub action: String,
    pub confidence: f64,
    pub start: i64,
    pub end: i64,
    pub byte_start: i64,
    pub byte_end: i64,
}

impl From<&HostFinding> for Finding {
    fn from(f: &HostFinding) -> Self {
        Finding {
            detector: f.detector.clone(),
            category: f.category.clone(),
            kind: f.kind.as_str().to_string(),
            action: f.action.as_str().to_string(),
            confidence: f.confidence,
            start: int(f.start),
            end: int(f.end),
            byte_start: int(f.byte_start),
            byte_end: int(f.byte_end),
        }
    }
}

fn findings(list: &[HostFinding]) -> Vec<Finding> {
    list.iter().map(Finding::from).collect()
}

/// An action applied: its span in the input and in the output (UTF-16 units).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Applied {
    pub detector: String,
    pub category: String,
    pub action: String,
    pub start: i64,
    pub end: i64,
    pub output_start: i64,
    pub output_end: i64,
}

impl From<&HostApplied> for Applied {
    fn from(a: &HostApplied) -> Self {
        Applied {
            detector: a.detector.clone(),
            category: a.category.clone(),
            action: a.action.as_str().to_string(),
            start: int(a.start),
            end: int(a.end),
            output_start: int(a.output_start),
            output_end: int(a.output_end),
        }
    }
}

/// A text with the actions applied. When `blocked`, it must not be sent.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Redaction {
    pub text: String,
    pub blocked: bool,
    pub findings: Vec<Finding>,
    pub applied: Vec<Applied>,
}

/// A finding in a request: `path` is the JSON pointer of the string.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RequestFinding {
    pub path: String,
    pub finding: Finding,
}

/// Inline binary data in a request (reported, never scanned as text).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InlineData {
    pub path: String,
    pub media_type: String,
    pub bytes: i64,
}

/// An OpenRouter chat request scanned and rewritten (`request` is compact JSON).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RequestScan {
    pub blocked: bool,
    pub request: String,
    pub findings: Vec<RequestFinding>,
    pub inline_data: Vec<InlineData>,
}

/// What one step of a stream lets through; offsets count from the start of the stream.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Released {
    pub text: String,
    pub blocked: bool,
    pub findings: Vec<Finding>,
}

impl From<HostReleased> for Released {
    fn from(r: HostReleased) -> Self {
        Released {
            findings: findings(&r.findings),
            text: r.text,
            blocked: r.blocked,
        }
    }
}

/// A detector of the catalogue or the configuration.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Detector {
    pub id: String,
    pub category: String,
    pub kind: String,
    pub country: Option<String>,
    pub validation: String,
    pub default_action: String,
    pub action: String,
    pub confidence: f64,
    pub context_required: bool,
    pub builtin: bool,
}

impl From<HostDetector> for Detector {
    fn from(d: HostDetector) -> Self {
        Detector {
            id: d.id,
            category: d.category,
            kind: d.kind.as_str().to_string(),
            country: d.country,
            validation: d.validation,
            default_action: d.default_action.as_str().to_string(),
            action: d.action.as_str().to_string(),
            confidence: d.confidence,
            context_required: d.context_required,
            builtin: d.builtin,
        }
    }
}

/// A pseudonym vault shared between calls: one value gets one token, answers can be restored.
#[derive(Debug, Default, uniffi::Object)]
pub struct Vault {
    pub(crate) inner: Arc<SharedVault>,
}

#[uniffi::export]
impl Vault {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Vault::default())
    }

    /// How many distinct values the vault holds.
    pub fn size(&self) -> i64 {
        int(self.inner.len())
    }

    /// Puts the original values back in place of this vault's pseudonyms.
    pub fn restore(&self, text: String) -> String {
        self.inner.restore(&text)
    }
}

/// The apply options of `redact`, `scanRequest` and `stream`.
fn apply_options(
    action: Option<String>,
    hash_key: Option<Vec<u8>>,
    vault: Option<Arc<Vault>>,
) -> Result<ApplyOptions> {
    Ok(ApplyOptions {
        action: action
            .as_deref()
            .map(ApplyOptions::parse_action)
            .transpose()?,
        hash_key: hash_key.map(Arc::from),
        vault: vault.map(|v| v.inner.clone()),
    })
}

/// Finds personal data and secrets. Shareable between threads.
#[derive(Debug, uniffi::Object)]
pub struct Scanner {
    inner: HostScanner,
}

impl Scanner {
    fn build(source: ConfigSource<'_>) -> Result<Arc<Self>> {
        Ok(Arc::new(Scanner {
            inner: HostScanner::new(source)?,
        }))
    }
}

#[uniffi::export]
impl Scanner {
    /// From a configuration document in JSON; null: the built-in default profile.
    #[uniffi::constructor(default(config_json = None))]
    pub fn new(config_json: Option<String>) -> Result<Arc<Self>> {
        match config_json {
            Some(text) => Self::build(ConfigSource::Json(&text)),
            None => Self::build(ConfigSource::Default),
        }
    }

    /// From a configuration document in YAML.
    #[uniffi::constructor]
    pub fn from_yaml(text: String) -> Result<Arc<Self>> {
        Self::build(ConfigSource::Yaml(&text))
    }

    /// From a `.json`, `.yaml` or `.yml` file.
    #[uniffi::constructor]
    pub fn from_file(path: String) -> Result<Arc<Self>> {
        Self::build(ConfigSource::File(Path::new(&path)))
    }

    /// The findings in `text`, offsets in UTF-16 units (and bytes).
    pub fn scan(&self, text: String) -> Vec<Finding> {
        findings(&self.inner.scan(&text, UNIT))
    }

    /// Scans `text` and applies every finding's action (or `action` for all).
    #[uniffi::method(default(action = None, hash_key = None, vault = None))]
    pub fn redact(
        &self,
        text: String,
        action: Option<String>,
        hash_key: Option<Vec<u8>>,
        vault: Option<Arc<Vault>>,
    ) -> Result<Redaction> {
        let options = apply_options(action, hash_key, vault)?;
        let r = self.inner.redact(&text, UNIT, &options)?;
        Ok(Redaction {
            findings: findings(&r.findings),
            applied: r.applied.iter().map(Applied::from).collect(),
            text: r.text,
            blocked: r.blocked,
        })
    }

    /// Scans an OpenRouter chat request (JSON) and rewrites it.
    #[uniffi::method(default(action = None, hash_key = None, vault = None))]
    pub fn scan_request(
        &self,
        request_json: String,
        action: Option<String>,
        hash_key: Option<Vec<u8>>,
        vault: Option<Arc<Vault>>,
    ) -> Result<RequestScan> {
        let options = apply_options(action, hash_key, vault)?;
        let scan = self.inner.scan_request(&request_json, UNIT, &options)?;
        Ok(RequestScan {
            blocked: scan.blocked,
            request: scan.request,
            findings: scan
                .findings
                .iter()
                .map(|f| RequestFinding {
                    path: f.path.clone(),
                    finding: Finding::from(&f.finding),
                })
                .collect(),
            inline_data: scan
                .inline_data
                .into_iter()
                .map(|d| InlineData {
                    path: d.path,
                    media_type: d.media_type,
                    bytes: int(d.bytes),
                })
                .collect(),
        })
    }

    /// A stream scanner over this scanner's detectors.
    #[uniffi::method(default(action = None, hash_key = None, vault = None))]
    pub fn stream(
        &self,
        action: Option<String>,
        hash_key: Option<Vec<u8>>,
        vault: Option<Arc<Vault>>,
    ) -> Result<Arc<ScanStream>> {
        let options = apply_options(action, hash_key, vault)?;
        Ok(Arc::new(ScanStream {
            inner: Mutex::new(self.inner.stream(UNIT, options)),
        }))
    }

    /// The detectors this scanner runs.
    pub fn detectors(&self) -> Vec<Detector> {
        self.inner
            .detectors()
            .into_iter()
            .map(Detector::from)
            .collect()
    }

    /// The longest text a stream may hold back before releasing, in bytes.
    pub fn stream_holdback(&self) -> i64 {
        int(self.inner.stream_holdback())
    }
}

/// A text arriving in chunks: `push` releases what no match can still cover, `finish` the rest.
#[derive(Debug, uniffi::Object)]
pub struct ScanStream {
    inner: Mutex<HostStream>,
}

impl ScanStream {
    fn lock(&self) -> MutexGuard<'_, HostStream> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl ScanStream {
    pub fn push(&self, chunk: String) -> Result<Released> {
        Ok(self.lock().push(&chunk)?.into())
    }

    pub fn finish(&self) -> Result<Released> {
        Ok(self.lock().finish()?.into())
    }

    /// Bytes received and not yet released.
    pub fn pending(&self) -> i64 {
        int(self.lock().pending())
    }
}
