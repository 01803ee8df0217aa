//! The error table as JavaScript sees it: `Error` objects with `.code` (the snake_case name) and
//! `.number`, and the `RouteguardErrorCode` union in `index.d.ts`.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use routeguard::ErrorCode;

/// Declares the JavaScript error-code enum from one list, with the exhaustive mapping to the core
/// code, the string JavaScript sees, and the list of every variant.
macro_rules! js_error_codes {
    ($($variant:ident = $name:literal,)*) => {
        /// The stable name of a routeguard error (`error.code`); see `errorCodes()` for numbers and
        /// meanings.
        #[napi(string_enum)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum RouteguardErrorCode {
            $(#[napi(value = $name)] $variant,)*
        }

        impl RouteguardErrorCode {
            /// Every code, in the order of the core table.
            pub const ALL: &'static [RouteguardErrorCode] = &[$(RouteguardErrorCode::$variant,)*];

            /// The core code this name stands for.
            pub fn core(self) -> ErrorCode {
                match self {
                    $(RouteguardErrorCode::$variant => ErrorCode::$variant,)*
                }
            }

            /// The JavaScript code of a core code. No wildcard arm: a new code in the core
            /// breaks this build until the list below names it.
            pub fn from_core(code: ErrorCode) -> RouteguardErrorCode {
                match code {
                    $(ErrorCode::$variant => RouteguardErrorCode::$variant,)*
                }
            }

            /// The string JavaScript sees.
            pub fn name(self) -> &'static str {
                match self {
                    $(RouteguardErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

js_error_codes! {
    InvalidUtf8 = "invalid_utf8",
    InvalidJson = "invalid_json",
    InvalidRequest = "invalid_request",
    InputTooLarge = "input_too_large",
    InvalidArgument = "invalid_argument",
    UnknownPseudonym = "unknown_pseudonym",
    InvalidConfig = "invalid_config",
    InvalidPattern = "invalid_pattern",
    PatternTooLarge = "pattern_too_large",
    UnknownDetector = "unknown_detector",
    UnknownValidator = "unknown_validator",
    DuplicateDetector = "duplicate_detector",
    ConfigFileUnreadable = "config_file_unreadable",
    MissingKey = "missing_key",
    InvalidPolicy = "invalid_policy",
    InvalidGlob = "invalid_glob",
    UnsupportedPolicyVersion = "unsupported_policy_version",
    InvalidCatalog = "invalid_catalog",
    UnknownProvider = "unknown_provider",
    Blocked = "blocked",
    PriceUnknown = "price_unknown",
    UnknownReservation = "unknown_reservation",
    AlreadySettled = "already_settled",
    LedgerUnavailable = "ledger_unavailable",
    InvalidLedgerUrl = "invalid_ledger_url",
    AuditUnavailable = "audit_unavailable",
    InvalidAuditRecord = "invalid_audit_record",
    AuditKeyInvalid = "audit_key_invalid",
    AuditTrailClosed = "audit_trail_closed",
    AuditUnreadable = "audit_unreadable",
    MissingApiKey = "missing_api_key",
    TransportFailed = "transport_failed",
    UpstreamError = "upstream_error",
    Internal = "internal",
}

/// One row of the error table.
#[napi(object, object_from_js = false)]
pub struct ErrorCodeInfo {
    pub name: RouteguardErrorCode,
    pub number: u32,
    pub meaning: String,
}

/// Every routeguard error code with its number and meaning, in numeric order.
#[napi]
pub fn error_codes() -> Vec<ErrorCodeInfo> {
    RouteguardErrorCode::ALL
        .iter()
        .map(|&name| ErrorCodeInfo {
            name,
            number: name.core().number(),
            meaning: name.core().meaning().to_string(),
        })
        .collect()
}

/// Whether `error` was thrown by routeguard: an object whose `code` is a name of the error table
/// and whose `number` is that code's number. Narrows `error` to `RouteguardError` in TypeScript.
#[napi(
    ts_args_type = "error: unknown",
    ts_return_type = "error is RouteguardError"
)]
pub fn is_routeguard_error(error: Unknown<'_>) -> Result<bool> {
    if error.get_type()? != ValueType::Object {
        return Ok(false);
    }
    let object = Object::from_unknown(error)?;
    let code: Option<String> = object.get("code").ok().flatten();
    let number: Option<u32> = object.get("number").ok().flatten();
    let expected = code
        .as_deref()
        .and_then(ErrorCode::from_name)
        .map(ErrorCode::number);
    Ok(expected.is_some() && expected == number)
}

/// A JavaScript `Error` for a core error: message from the core (never scanned content), `.code`
/// the snake_case name and `.number` the stable number.
pub(crate) fn js_error(env: &Env, error: &routeguard::Error) -> napi::Error {
    build_js_error(env, error).unwrap_or_else(|failed| failed)
}

fn build_js_error(env: &Env, error: &routeguard::Error) -> Result<napi::Error> {
    let code = error.code();
    let mut object = env.create_error(napi::Error::from_reason(error.to_string()))?;
    object.set_named_property("code", RouteguardErrorCode::from_core(code).name())?;
    object.set_named_property("number", code.number())?;
    Ok(napi::Error::from(object.to_unknown()))
}

/// Converts a core result, turning its error into a JavaScript `Error`.
pub(crate) fn js_result<T>(env: &Env, result: routeguard::Result<T>) -> Result<T> {
    result.map_err(|e| js_error(env, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_one_javascript_name_in_table_order() {
        let mapped: Vec<ErrorCode> = RouteguardErrorCode::ALL.iter().map(|c| c.core()).collect();
        assert_eq!(mapped, ErrorCode::ALL);
        for code in RouteguardErrorCode::ALL {
            assert_eq!(code.name(), code.core().name());
        }
    }
}
