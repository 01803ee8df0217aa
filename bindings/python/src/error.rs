//! The error table as Python exceptions: `RouteguardError(Exception)` and one subclass per code,
//! each also a fitting builtin (`InvalidConfigError` is a `ValueError`, `UnknownPseudonymError` a
//! `LookupError`...). The classes are created once, at module import, from [`exception_spec`].

use pyo3::exceptions::{
    PyException, PyLookupError, PyOSError, PyRuntimeError, PyUnicodeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use routeguard::{Error, ErrorCode};

/// The builtin exception a code's class also derives from, so `except ValueError` keeps working.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    /// Only `RouteguardError` (hence `Exception`): no builtin says the same thing.
    None,
    Value,
    Unicode,
    Lookup,
    OS,
    Runtime,
}

/// The Python class name and builtin base of every code.
/// The match has no wildcard arm: a new code in the core breaks this build until it gets a class.
pub(crate) fn exception_spec(code: ErrorCode) -> (&'static str, Builtin) {
    use ErrorCode as C;
    match code {
        C::InvalidUtf8 => ("InvalidUtf8Error", Builtin::Unicode),
        C::InvalidJson => ("InvalidJsonError", Builtin::Value),
        C::InvalidRequest => ("InvalidRequestError", Builtin::Value),
        C::InputTooLarge => ("InputTooLargeError", Builtin::Value),
        C::InvalidArgument => ("InvalidArgumentError", Builtin::Value),
        C::UnknownPseudonym => ("UnknownPseudonymError", Builtin::Lookup),
        C::InvalidConfig => ("InvalidConfigError", Builtin::Value),
        C::InvalidPattern => ("InvalidPatternError", Builtin::Value),
        C::PatternTooLarge => ("PatternTooLargeError", Builtin::Value),
        C::UnknownDetector => ("UnknownDetectorError", Builtin::Value),
        C::UnknownValidator => ("UnknownValidatorError", Builtin::Value),
        C::DuplicateDetector => ("DuplicateDetectorError", Builtin::Value),
        C::ConfigFileUnreadable => ("ConfigFileUnreadableError", Builtin::OS),
        C::MissingKey => ("MissingKeyError", Builtin::Value),
        C::InvalidPolicy => ("InvalidPolicyError", Builtin::Value),
        C::InvalidGlob => ("InvalidGlobError", Builtin::Value),
        C::UnsupportedPolicyVersion => ("UnsupportedPolicyVersionError", Builtin::Value),
        C::InvalidCatalog => ("InvalidCatalogError", Builtin::Value),
        C::UnknownProvider => ("UnknownProviderError", Builtin::Value),
        C::PriceUnknown => ("PriceUnknownError", Builtin::Value),
        C::UnknownReservation => ("UnknownReservationError", Builtin::Lookup),
        C::AlreadySettled => ("AlreadySettledError", Builtin::Value),
        C::LedgerUnavailable => ("LedgerUnavailableError", Builtin::OS),
        C::InvalidLedgerUrl => ("InvalidLedgerUrlError", Builtin::Value),
        C::AuditUnavailable => ("AuditUnavailableError", Builtin::OS),
        C::InvalidAuditRecord => ("InvalidAuditRecordError", Builtin::Value),
        C::AuditKeyInvalid => ("AuditKeyInvalidError", Builtin::Value),
        C::AuditTrailClosed => ("AuditTrailClosedError", Builtin::Runtime),
        C::AuditUnreadable => ("AuditUnreadableError", Builtin::OS),
        C::MissingApiKey => ("MissingApiKeyError", Builtin::Value),
        C::TransportFailed => ("TransportFailedError", Builtin::OS),
        C::UpstreamError => ("UpstreamError", Builtin::OS),
        C::Blocked => ("BlockedError", Builtin::None),
        C::Internal => ("InternalError", Builtin::Runtime),
    }
}

/// The created classes: the root, then one per code of `ErrorCode::ALL` (in that order).
struct Classes {
    root: Py<PyType>,
    by_code: Vec<(ErrorCode, Py<PyType>)>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || create_classes(py))
}

fn create_classes(py: Python<'_>) -> PyResult<Classes> {
    let type_type = py.get_type::<PyType>();
    let make = |name: &str, bases: Bound<'_, PyTuple>, doc: &str, code: Option<(&str, u32)>| {
        let attrs = PyDict::new(py);
        attrs.set_item("__module__", "routeguard")?;
        attrs.set_item("__doc__", doc)?;
        match code {
            Some((code, number)) => {
                attrs.set_item("code", code)?;
                attrs.set_item("number", number)?;
            }
            None => {
                attrs.set_item("code", "")?;
                attrs.set_item("number", 0)?;
            }
        }
        type_type
            .call1((name, bases, attrs))?
            .cast_into::<PyType>()
            .map(Bound::unbind)
            .map_err(PyErr::from)
    };
    let root = make(
        "RouteguardError",
        PyTuple::new(py, [py.get_type::<PyException>()])?,
        "Base class of every routeguard error. `.code` is the stable snake_case name, \
         `.number` the stable number (see `routeguard.error_codes()`).",
        None,
    )?;
    let mut by_code = Vec::with_capacity(ErrorCode::ALL.len());
    for &code in ErrorCode::ALL {
        let (name, builtin) = exception_spec(code);
        let mut bases = vec![root.bind(py).clone()];
        match builtin {
            Builtin::None => {}
            Builtin::Value => bases.push(py.get_type::<PyValueError>()),
            Builtin::Unicode => bases.push(py.get_type::<PyUnicodeError>()),
            Builtin::Lookup => bases.push(py.get_type::<PyLookupError>()),
            Builtin::OS => bases.push(py.get_type::<PyOSError>()),
            Builtin::Runtime => bases.push(py.get_type::<PyRuntimeError>()),
        }
        let doc = format!("`{}` ({}): {}.", code.name(), code.number(), code.meaning());
        let class = make(
            name,
            PyTuple::new(py, bases)?,
            &doc,
            Some((code.name(), code.number())),
        )?;
        by_code.push((code, class));
    }
    Ok(Classes { root, by_code })
}

/// Adds `RouteguardError` and every subclass to the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    let classes = classes(py)?;
    module.add("RouteguardError", classes.root.bind(py))?;
    for (_, class) in &classes.by_code {
        let class = class.bind(py);
        module.add(class.name()?, class)?;
    }
    Ok(())
}

/// Converts a core error into an instance of its class. The message never holds scanned text.
pub(crate) fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    let code = error.code();
    let build = || -> PyResult<PyErr> {
        let classes = classes(py)?;
        let class = classes
            .by_code
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(&classes.root, |(_, class)| class);
        let value = class.bind(py).call1((error.message(),))?;
        // The class attributes already say this; instance attributes also cover the root class.
        value.setattr("code", code.name())?;
        value.setattr("number", code.number())?;
        Ok(PyErr::from_value(value))
    };
    build().unwrap_or_else(|e| e)
}

/// Extension for `Result<T, routeguard::Error>`.
pub(crate) trait IntoPyResult<T> {
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_has_a_class() {
        let mut names = HashSet::new();
        for &code in ErrorCode::ALL {
            let (name, _) = exception_spec(code);
            assert!(names.insert(name), "two codes share the class {name}");
            assert!(name.ends_with("Error"));
        }
    }
}
