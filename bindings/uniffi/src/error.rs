//! The error table as one exception type with a case per code, mapped exhaustively: a new
//! `ErrorCode` fails to compile here until it has a case (Kotlin `RouteguardException.X`, Swift
//! `RouteguardError.x`).

use routeguard::{Error, ErrorCode};

/// An error raised by routeguard: `code` is the stable snake_case name, `number` the stable
/// number, `detail` the message (never scanned text or secrets).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum RouteguardError {
    InvalidUtf8 {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidJson {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidRequest {
        code: String,
        number: i32,
        detail: String,
    },
    InputTooLarge {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidArgument {
        code: String,
        number: i32,
        detail: String,
    },
    UnknownPseudonym {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidConfig {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidPattern {
        code: String,
        number: i32,
        detail: String,
    },
    PatternTooLarge {
        code: String,
        number: i32,
        detail: String,
    },
    UnknownDetector {
        code: String,
        number: i32,
        detail: String,
    },
    UnknownValidator {
        code: String,
        number: i32,
        detail: String,
    },
    DuplicateDetector {
        code: String,
        number: i32,
        detail: String,
    },
    ConfigFileUnreadable {
        code: String,
        number: i32,
        detail: String,
    },
    MissingKey {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidPolicy {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidGlob {
        code: String,
        number: i32,
        detail: String,
    },
    UnsupportedPolicyVersion {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidCatalog {
        code: String,
        number: i32,
        detail: String,
    },
    UnknownProvider {
        code: String,
        number: i32,
        detail: String,
    },
    Blocked {
        code: String,
        number: i32,
        detail: String,
    },
    PriceUnknown {
        code: String,
        number: i32,
        detail: String,
    },
    UnknownReservation {
        code: String,
        number: i32,
        detail: String,
    },
    AlreadySettled {
        code: String,
        number: i32,
        detail: String,
    },
    LedgerUnavailable {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidLedgerUrl {
        code: String,
        number: i32,
        detail: String,
    },
    AuditUnavailable {
        code: String,
        number: i32,
        detail: String,
    },
    InvalidAuditRecord {
        code: String,
        number: i32,
        detail: String,
    },
    AuditKeyInvalid {
        code: String,
        number: i32,
        detail: String,
    },
    AuditTrailClosed {
        code: String,
        number: i32,
        detail: String,
    },
    AuditUnreadable {
        code: String,
        number: i32,
        detail: String,
    },
    MissingApiKey {
        code: String,
        number: i32,
        detail: String,
    },
    TransportFailed {
        code: String,
        number: i32,
        detail: String,
    },
    UpstreamError {
        code: String,
        number: i32,
        detail: String,
    },
    Internal {
        code: String,
        number: i32,
        detail: String,
    },
}

impl std::fmt::Display for RouteguardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (code, number, detail) = self.parts();
        write!(f, "{code} ({number}): {detail}")
    }
}

impl std::error::Error for RouteguardError {}

impl RouteguardError {
    /// The code's name, number and the message.
    pub fn parts(&self) -> (&str, i32, &str) {
        use RouteguardError as E;
        match self {
            E::InvalidUtf8 {
                code,
                number,
                detail,
            }
            | E::InvalidJson {
                code,
                number,
                detail,
            }
            | E::InvalidRequest {
                code,
                number,
                detail,
            }
            | E::InputTooLarge {
                code,
                number,
                detail,
            }
            | E::InvalidArgument {
                code,
                number,
                detail,
            }
            | E::UnknownPseudonym {
                code,
                number,
                detail,
            }
            | E::InvalidConfig {
                code,
                number,
                detail,
            }
            | E::InvalidPattern {
                code,
                number,
                detail,
            }
            | E::PatternTooLarge {
                code,
                number,
                detail,
            }
            | E::UnknownDetector {
                code,
                number,
                detail,
            }
            | E::UnknownValidator {
                code,
                number,
                detail,
            }
            | E::DuplicateDetector {
                code,
                number,
                detail,
            }
            | E::ConfigFileUnreadable {
                code,
                number,
                detail,
            }
            | E::MissingKey {
                code,
                number,
                detail,
            }
            | E::InvalidPolicy {
                code,
                number,
                detail,
            }
            | E::InvalidGlob {
                code,
                number,
                detail,
            }
            | E::UnsupportedPolicyVersion {
                code,
                number,
                detail,
            }
            | E::InvalidCatalog {
                code,
                number,
                detail,
            }
            | E::UnknownProvider {
                code,
                number,
                detail,
            }
            | E::Blocked {
                code,
                number,
                detail,
            }
            | E::PriceUnknown {
                code,
                number,
                detail,
            }
            | E::UnknownReservation {
                code,
                number,
                detail,
            }
            | E::AlreadySettled {
                code,
                number,
                detail,
            }
            | E::LedgerUnavailable {
                code,
                number,
                detail,
            }
            | E::InvalidLedgerUrl {
                code,
                number,
                detail,
            }
            | E::AuditUnavailable {
                code,
                number,
                detail,
            }
            | E::InvalidAuditRecord {
                code,
                number,
                detail,
            }
            | E::AuditKeyInvalid {
                code,
                number,
                detail,
            }
            | E::AuditTrailClosed {
                code,
                number,
                detail,
            }
            | E::AuditUnreadable {
                code,
                number,
                detail,
            }
            | E::MissingApiKey {
                code,
                number,
                detail,
            }
            | E::TransportFailed {
                code,
                number,
                detail,
            }
            | E::UpstreamError {
                code,
                number,
                detail,
            }
            | E::Internal {
                code,
                number,
                detail,
            } => (code, *number, detail),
        }
    }
}

#[uniffi::export]
impl RouteguardError {
    /// The code's stable snake_case name, e.g. `invalid_config` (any case of the error).
    pub fn error_code(&self) -> String {
        self.parts().0.to_string()
    }

    /// The code's stable number, e.g. 2000.
    pub fn error_number(&self) -> i32 {
        self.parts().1
    }

    /// The message: positions, paths and identifiers, never scanned text.
    pub fn error_detail(&self) -> String {
        self.parts().2.to_string()
    }
}

impl From<Error> for RouteguardError {
    fn from(error: Error) -> Self {
        let code = error.code().name().to_string();
        let number = i32::try_from(error.code().number()).unwrap_or(i32::MAX);
        let detail = error.message().to_string();
        use RouteguardError as E;
        // No wildcard: a new code in the table fails to compile until it has a case.
        match error.code() {
            ErrorCode::InvalidUtf8 => E::InvalidUtf8 {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidJson => E::InvalidJson {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidRequest => E::InvalidRequest {
                code,
                number,
                detail,
            },
            ErrorCode::InputTooLarge => E::InputTooLarge {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidArgument => E::InvalidArgument {
                code,
                number,
                detail,
            },
            ErrorCode::UnknownPseudonym => E::UnknownPseudonym {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidConfig => E::InvalidConfig {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidPattern => E::InvalidPattern {
                code,
                number,
                detail,
            },
            ErrorCode::PatternTooLarge => E::PatternTooLarge {
                code,
                number,
                detail,
            },
            ErrorCode::UnknownDetector => E::UnknownDetector {
                code,
                number,
                detail,
            },
            ErrorCode::UnknownValidator => E::UnknownValidator {
                code,
                number,
                detail,
            },
            ErrorCode::DuplicateDetector => E::DuplicateDetector {
                code,
                number,
                detail,
            },
            ErrorCode::ConfigFileUnreadable => E::ConfigFileUnreadable {
                code,
                number,
                detail,
            },
            ErrorCode::MissingKey => E::MissingKey {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidPolicy => E::InvalidPolicy {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidGlob => E::InvalidGlob {
                code,
                number,
                detail,
            },
            ErrorCode::UnsupportedPolicyVersion => E::UnsupportedPolicyVersion {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidCatalog => E::InvalidCatalog {
                code,
                number,
                detail,
            },
            ErrorCode::UnknownProvider => E::UnknownProvider {
                code,
                number,
                detail,
            },
            ErrorCode::Blocked => E::Blocked {
                code,
                number,
                detail,
            },
            ErrorCode::PriceUnknown => E::PriceUnknown {
                code,
                number,
                detail,
            },
            ErrorCode::UnknownReservation => E::UnknownReservation {
                code,
                number,
                detail,
            },
            ErrorCode::AlreadySettled => E::AlreadySettled {
                code,
                number,
                detail,
            },
            ErrorCode::LedgerUnavailable => E::LedgerUnavailable {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidLedgerUrl => E::InvalidLedgerUrl {
                code,
                number,
                detail,
            },
            ErrorCode::AuditUnavailable => E::AuditUnavailable {
                code,
                number,
                detail,
            },
            ErrorCode::InvalidAuditRecord => E::InvalidAuditRecord {
                code,
                number,
                detail,
            },
            ErrorCode::AuditKeyInvalid => E::AuditKeyInvalid {
                code,
                number,
                detail,
            },
            ErrorCode::AuditTrailClosed => E::AuditTrailClosed {
                code,
                number,
                detail,
            },
            ErrorCode::AuditUnreadable => E::AuditUnreadable {
                code,
                number,
                detail,
            },
            ErrorCode::MissingApiKey => E::MissingApiKey {
                code,
                number,
                detail,
            },
            ErrorCode::TransportFailed => E::TransportFailed {
                code,
                number,
                detail,
            },
            ErrorCode::UpstreamError => E::UpstreamError {
                code,
                number,
                detail,
            },
            ErrorCode::Internal => E::Internal {
                code,
                number,
                detail,
            },
        }
    }
}

/// A foreign callback (a `LineSink`) failed in a way uniffi reports itself.
impl From<uniffi::UnexpectedUniFFICallbackError> for RouteguardError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Error::new(ErrorCode::Internal, format!("callback: {}", e.reason)).into()
    }
}

/// One row of the error table.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorCodeInfo {
    pub name: String,
    pub number: i32,
    pub meaning: String,
}

/// The error table, in numeric order.
#[uniffi::export]
pub fn error_codes() -> Vec<ErrorCodeInfo> {
    routeguard::host::error_codes()
        .into_iter()
        .map(|c| ErrorCodeInfo {
            name: c.name.to_string(),
            number: i32::try_from(c.number).unwrap_or(i32::MAX),
            meaning: c.meaning.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_maps_to_its_case() {
        for &code in ErrorCode::ALL {
            let e = RouteguardError::from(Error::new(code, "m"));
            let (name, number, detail) = e.parts();
            assert_eq!(name, code.name());
            assert_eq!(number as u32, code.number());
            assert_eq!(detail, "m");
            let debug = format!("{e:?}");
            let variant = debug.split(' ').next().unwrap_or_default();
            assert_eq!(variant.to_lowercase(), code.name().replace('_', ""));
        }
    }
}
