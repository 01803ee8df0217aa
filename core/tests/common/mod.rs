//! What every conformance runner needs: the corpus directory, loading a case file, and the
//! comparison the corpus README describes (objects on the keys given, lists in length and order).

use std::path::{Path, PathBuf};

use serde_json::Value;

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance")
}

pub fn load(file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join(file)).unwrap()).unwrap()
}

/// `got` has every key of `expected` with the same value; lists match in length and order,
/// each entry on the keys it gives.
pub fn check(name: &str, path: &str, got: &Value, expected: &Value) {
    match expected {
        Value::Object(keys) => {
            for (key, value) in keys {
                check(name, &format!("{path}.{key}"), &got[key], value);
            }
        }
        Value::Array(items) => {
            let list = got
                .as_array()
                .unwrap_or_else(|| panic!("case {name}: {path}: {got}"));
            assert_eq!(list.len(), items.len(), "case {name}: {path}: {got}");
            for (i, (g, e)) in list.iter().zip(items).enumerate() {
                check(name, &format!("{path}[{i}]"), g, e);
            }
        }
        _ => assert_eq!(got, expected, "case {name}: {path}"),
    }
}
