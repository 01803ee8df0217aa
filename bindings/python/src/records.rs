//! Result records: frozen classes with readable `repr`, equality and `to_dict()`. Built in Rust so
//! that a scan returning many findings costs no Python-level object construction. A `repr` never
//! shows text (a redacted text may still hold values whose action is `log`), only its length.

use pyo3::prelude::*;
use routeguard::dlp::InlineData as CoreInlineData;
use routeguard::host::{
    HostApplied, HostDetector, HostErrorCode, HostFinding, HostReleased, HostRequestFinding,
};

/// A Python-style quoted string for `repr` (identifiers and categories, never scanned text).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A float as Python's `repr` prints it (`1.0`, not Rust's `1`).
fn py_float(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

pub(crate) fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

pub(crate) fn list_repr<T>(items: &[T], repr: impl Fn(&T) -> String) -> String {
    let parts: Vec<String> = items.iter().map(repr).collect();
    format!("[{}]", parts.join(", "))
}

/// How a field prints in a record's `repr`: as Python would print the value.
pub(crate) trait PyRepr {
    fn py_repr(&self) -> String;
}

impl PyRepr for String {
    fn py_repr(&self) -> String {
        quote(self)
    }
}

impl PyRepr for &'static str {
    fn py_repr(&self) -> String {
        quote(self)
    }
}

impl PyRepr for f64 {
    fn py_repr(&self) -> String {
        py_float(*self)
    }
}

impl PyRepr for bool {
    fn py_repr(&self) -> String {
        py_bool(*self).to_owned()
    }
}

impl PyRepr for usize {
    fn py_repr(&self) -> String {
        self.to_string()
    }
}

impl PyRepr for u32 {
    fn py_repr(&self) -> String {
        self.to_string()
    }
}

impl<T: PyRepr> PyRepr for Option<T> {
    fn py_repr(&self) -> String {
        self.as_ref()
            .map_or_else(|| "None".to_owned(), PyRepr::py_repr)
    }
}

/// `__repr__` (`Name(field=value, ...)`) and `to_dict()` of a flat record, from one list of its
/// fields, so that the two never disagree.
macro_rules! flat_record {
    ($name:ident { $($field:ident),+ $(,)? }) => {
        #[pymethods]
        impl $name {
            fn __repr__(&self) -> String {
                let fields: Vec<String> = vec![
                    $(format!("{}={}", stringify!($field), $crate::records::PyRepr::py_repr(&self.$field))),+
                ];
                format!("{}({})", stringify!($name), fields.join(", "))
            }

            /// The fields as a plain dict (e.g. for `pandas.DataFrame` or JSON logs).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
                let d = pyo3::types::PyDict::new(py);
                $(d.set_item(stringify!($field), &self.$field)?;)+
                Ok(d)
            }
        }
    };
}
pub(crate) use flat_record;

/// A text shown by length only.
fn withheld(text: &str) -> String {
    format!("<{} chars>", text.chars().count())
}

/// A finding in a text: where (in code points and UTF-8 bytes) and what, never the matched text.
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Finding {
    pub detector: String,
    pub category: String,
    /// `"pii"` or `"secret"`.
    pub kind: &'static str,
    pub action: &'static str,
    pub confidence: f64,
    /// Code-point offsets: `text[start:end]` is the match.
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

impl From<HostFinding> for Finding {
    fn from(f: HostFinding) -> Self {
        Finding {
            detector: f.detector,
            category: f.category,
            kind: f.kind.as_str(),
            action: f.action.as_str(),
            confidence: f.confidence,
            start: f.start,
            end: f.end,
            byte_start: f.byte_start,
            byte_end: f.byte_end,
        }
    }
}

flat_record!(Finding {
    detector,
    category,
    kind,
    action,
    confidence,
    start,
    end,
    byte_start,
    byte_end
});

/// A finding in a chat request: `path` is the JSON pointer of the string it was found in (plus
/// `#` and an inner pointer inside tool-call arguments); offsets are relative to that string.
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RequestFinding {
    pub path: String,
    pub detector: String,
    pub category: String,
    pub kind: &'static str,
    pub action: &'static str,
    pub confidence: f64,
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

impl From<HostRequestFinding> for RequestFinding {
    fn from(f: HostRequestFinding) -> Self {
        let inner = Finding::from(f.finding);
        RequestFinding {
            path: f.path,
            detector: inner.detector,
            category: inner.category,
            kind: inner.kind,
            action: inner.action,
            confidence: inner.confidence,
            start: inner.start,
            end: inner.end,
            byte_start: inner.byte_start,
            byte_end: inner.byte_end,
        }
    }
}

flat_record!(RequestFinding {
    path,
    detector,
    category,
    kind,
    action,
    confidence,
    start,
    end,
    byte_start,
    byte_end
});

/// One action applied to a text: the span in the input and in the output (code points).
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Applied {
    pub detector: String,
    pub category: String,
    pub action: &'static str,
    pub start: usize,
    pub end: usize,
    pub output_start: usize,
    pub output_end: usize,
}

impl From<HostApplied> for Applied {
    fn from(a: HostApplied) -> Self {
        Applied {
            detector: a.detector,
            category: a.category,
            action: a.action.as_str(),
            start: a.start,
            end: a.end,
            output_start: a.output_start,
            output_end: a.output_end,
        }
    }
}

flat_record!(Applied {
    detector,
    category,
    action,
    start,
    end,
    output_start,
    output_end
});

/// A text after scanning with every finding's action applied. When `blocked`, it must not be
/// sent (blocked spans are redacted in it anyway).
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Redaction {
    pub text: String,
    pub blocked: bool,
    pub findings: Vec<Finding>,
    pub applied: Vec<Applied>,
}

#[pymethods]
impl Redaction {
    fn __repr__(&self) -> String {
        format!(
            "Redaction(text={}, blocked={}, findings={}, applied={})",
            withheld(&self.text),
            py_bool(self.blocked),
            list_repr(&self.findings, Finding::__repr__),
            list_repr(&self.applied, Applied::__repr__)
        )
    }
}

/// Inline binary data in a request (a data URL, base64 audio): reported, never scanned as text.
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct InlineData {
    pub path: String,
    pub media_type: String,
    /// Length of the encoded payload.
    pub bytes: usize,
}

impl From<CoreInlineData> for InlineData {
    fn from(d: CoreInlineData) -> Self {
        InlineData {
            path: d.path,
            media_type: d.media_type,
            bytes: d.bytes,
        }
    }
}

flat_record!(InlineData {
    path,
    media_type,
    bytes
});

/// The outcome of scanning an OpenRouter chat request: the rewritten request as a dict.
#[pyclass(frozen, get_all, module = "routeguard")]
pub(crate) struct RequestScan {
    pub blocked: bool,
    pub request: Py<PyAny>,
    pub findings: Vec<RequestFinding>,
    pub inline_data: Vec<InlineData>,
}

#[pymethods]
impl RequestScan {
    fn __repr__(&self) -> String {
        format!(
            "RequestScan(blocked={}, request=<dict>, findings={}, inline_data={})",
            py_bool(self.blocked),
            list_repr(&self.findings, RequestFinding::__repr__),
            list_repr(&self.inline_data, InlineData::__repr__)
        )
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<RequestScan>() else {
            return Ok(false);
        };
        let other = other.get();
        Ok(self.blocked == other.blocked
            && self.findings == other.findings
            && self.inline_data == other.inline_data
            && self.request.bind(py).eq(other.request.bind(py))?)
    }
}

/// What one step of a stream lets through; finding offsets count from the start of the stream.
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Released {
    pub text: String,
    pub blocked: bool,
    pub findings: Vec<Finding>,
}

impl From<HostReleased> for Released {
    fn from(r: HostReleased) -> Self {
        Released {
            text: r.text,
            blocked: r.blocked,
            findings: r.findings.into_iter().map(Finding::from).collect(),
        }
    }
}

#[pymethods]
impl Released {
    fn __repr__(&self) -> String {
        format!(
            "Released(text={}, blocked={}, findings={})",
            withheld(&self.text),
            py_bool(self.blocked),
            list_repr(&self.findings, Finding::__repr__)
        )
    }
}

/// A detector the scanner runs: its id, what it finds, how it validates and its action.
#[pyclass(frozen, eq, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Detector {
    pub id: String,
    pub category: String,
    pub kind: &'static str,
    pub country: Option<String>,
    pub validation: String,
    pub default_action: &'static str,
    pub action: &'static str,
    pub confidence: f64,
    pub context_required: bool,
    pub builtin: bool,
}

impl From<HostDetector> for Detector {
    fn from(d: HostDetector) -> Self {
        Detector {
            id: d.id,
            category: d.category,
            kind: d.kind.as_str(),
            country: d.country,
            validation: d.validation,
            default_action: d.default_action.as_str(),
            action: d.action.as_str(),
            confidence: d.confidence,
            context_required: d.context_required,
            builtin: d.builtin,
        }
    }
}

flat_record!(Detector {
    id,
    category,
    kind,
    country,
    validation,
    default_action,
    action,
    confidence,
    context_required,
    builtin
});

/// One row of the error table.
#[pyclass(frozen, eq, hash, get_all, module = "routeguard")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ErrorCode {
    pub name: &'static str,
    pub number: u32,
    pub meaning: &'static str,
}

impl From<HostErrorCode> for ErrorCode {
    fn from(e: HostErrorCode) -> Self {
        ErrorCode {
            name: e.name,
            number: e.number,
            meaning: e.meaning,
        }
    }
}

flat_record!(ErrorCode {
    name,
    number,
    meaning
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_like_python() {
        assert_eq!(quote("credit_card"), "'credit_card'");
        assert_eq!(quote("a'b\\c"), "'a\\'b\\\\c'");
        assert_eq!(quote("x\ny"), "'x\\ny'");
    }

    #[test]
    fn reprs_withhold_text() {
        let r = Released {
            text: "4111 1111 1111 1111".into(),
            blocked: false,
            findings: vec![],
        };
        let repr = r.__repr__();
        assert!(!repr.contains("4111"), "{repr}");
        assert!(repr.contains("<19 chars>"), "{repr}");
    }
}
