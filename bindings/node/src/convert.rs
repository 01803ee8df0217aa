//! Argument conversions shared by the classes: strings, JSON text or objects, and the JSON
//! results that become objects. A value of the wrong type is `invalid_argument`, named by its type
//! only: napi-rs's own conversion errors would print the value, which may hold scanned text.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use routeguard::{ErrorCode, Result as CoreResult};

pub(crate) fn invalid_argument(message: String) -> routeguard::Error {
    routeguard::Error::new(ErrorCode::InvalidArgument, message)
}

/// A string argument.
pub(crate) fn string_arg(value: Unknown<'_>, name: &str) -> CoreResult<String> {
    match value.get_type() {
        Ok(ValueType::String) => String::from_unknown(value)
            .map_err(|_| invalid_argument(format!("`{name}` could not be read as a string"))),
        Ok(other) => Err(invalid_argument(format!(
            "`{name}` must be a string, not {other:?}"
        ))),
        Err(_) => Err(invalid_argument(format!("`{name}` could not be read"))),
    }
}

/// A document (configuration, policy, catalogue, request, principal, response) given as JSON text
/// or as an object; an object crosses as the text of JavaScript's own `JSON.stringify`.
pub(crate) fn json_arg(env: &Env, value: Unknown<'_>, name: &str) -> CoreResult<String> {
    match value.get_type() {
        Ok(ValueType::String) => string_arg(value, name),
        Ok(ValueType::Object) => Object::from_unknown(value)
            .and_then(|object| stringify(env, object))
            .map_err(|_| {
                invalid_argument(format!(
                    "`{name}` cannot be written as JSON (a cycle or a BigInt)"
                ))
            }),
        Ok(other) => Err(invalid_argument(format!(
            "`{name}` must be JSON text or an object, not {other:?}"
        ))),
        Err(_) => Err(invalid_argument(format!("`{name}` could not be read"))),
    }
}

/// An optional argument or option field: `undefined` and `null` are both "not given".
pub(crate) fn given(value: Option<Unknown<'_>>) -> Option<Unknown<'_>> {
    value.filter(|v| !matches!(v.get_type(), Ok(ValueType::Undefined | ValueType::Null)))
}

fn stringify(env: &Env, object: Object<'_>) -> Result<String> {
    let json: Object<'_> = env.get_global()?.get_named_property("JSON")?;
    let stringify: Function<'_, Object<'_>, Option<String>> =
        json.get_named_property("stringify")?;
    stringify
        .call(object)?
        .ok_or_else(|| napi::Error::from_reason("JSON.stringify gave undefined"))
}

/// JSON text from the core as an object, through JavaScript's own `JSON.parse`, which keeps the
/// core's key order.
pub(crate) fn parse_json<'env>(env: &'env Env, text: String) -> Result<Object<'env>> {
    let json: Object<'_> = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<'_, String, Object<'env>> = json.get_named_property("parse")?;
    parse.call(text)
}

/// The key of the `hash` action: a string (its UTF-8 bytes) or bytes.
pub(crate) fn hash_key(key: Either<String, Uint8Array>) -> Arc<[u8]> {
    match key {
        Either::A(text) => Arc::from(text.into_bytes()),
        Either::B(bytes) => Arc::from(&bytes[..]),
    }
}
