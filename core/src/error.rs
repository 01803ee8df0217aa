//! The one error table: every error routeguard can raise, with a stable name, number and meaning.
//!
//! Numbers are grouped by area and never reused; a retired code stays here as a comment.
//! Bindings map this table exhaustively, so adding a code breaks their build until they handle it.
//! Messages are written by the code that raises the error and must never contain scanned content
//! or secrets: they name paths, positions, limits and identifiers only.

use std::fmt;

macro_rules! error_table {
    ($( $(#[$doc:meta])* $variant:ident = $number:literal, $name:literal, $meaning:literal; )*) => {
        /// A stable error code. The numeric value and the snake_case name never change.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant = $number, )*
        }

        impl ErrorCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// The stable snake_case name, e.g. `invalid_config`.
            pub fn name(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )* }
            }

            /// The one-line meaning shown by `routeguard errors` and the bindings.
            pub fn meaning(self) -> &'static str {
                match self { $( ErrorCode::$variant => $meaning, )* }
            }

            /// The stable number.
            pub fn number(self) -> u32 {
                self as u32
            }

            /// Looks a code up by its number.
            pub fn from_number(number: u32) -> Option<ErrorCode> {
                match number { $( $number => Some(ErrorCode::$variant), )* _ => None }
            }

            /// Looks a code up by its snake_case name.
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                match name { $( $name => Some(ErrorCode::$variant), )* _ => None }
            }
        }
    };
}

error_table! {
    // 1000-1099: input handed to the engine
    /// Text or a byte string is not valid UTF-8.
    InvalidUtf8 = 1000, "invalid_utf8", "input is not valid UTF-8";
    /// JSON input could not be parsed.
    InvalidJson = 1001, "invalid_json", "input is not well-formed JSON";
    /// A chat request is JSON but not the shape OpenRouter accepts.
    InvalidRequest = 1002, "invalid_request", "the chat request does not have the OpenRouter shape";
    /// Input is larger than the configured limit.
    InputTooLarge = 1003, "input_too_large", "input exceeds the configured size limit";
    /// An argument is outside its allowed range or set.
    InvalidArgument = 1004, "invalid_argument", "an argument is missing, out of range or not one of the allowed values";
    /// A pseudonym token could not be restored because the vault does not hold it.
    UnknownPseudonym = 1005, "unknown_pseudonym", "a pseudonym is not in this vault";

    // 2000-2099: configuration and custom detectors
    /// The configuration document is malformed or has unknown keys or wrong types.
    InvalidConfig = 2000, "invalid_config", "the configuration is malformed, has an unknown key or a wrong type";
    /// A custom pattern does not compile.
    InvalidPattern = 2001, "invalid_pattern", "a custom pattern is not a valid regular expression";
    /// A custom pattern compiles to more than the size limit.
    PatternTooLarge = 2002, "pattern_too_large", "a custom pattern exceeds the compiled size limit";
    /// A configuration names a detector, category or kind that does not exist.
    UnknownDetector = 2003, "unknown_detector", "a detector, category or kind named in the configuration does not exist";
    /// A custom detector names a validator that does not exist.
    UnknownValidator = 2004, "unknown_validator", "a custom detector names a validator that does not exist";
    /// Two detectors share an id.
    DuplicateDetector = 2005, "duplicate_detector", "two detectors have the same id";
    /// A file named by the configuration could not be read.
    ConfigFileUnreadable = 2006, "config_file_unreadable", "a file named by the configuration could not be read";
    /// A keyed action needs a key and none was given.
    MissingKey = 2007, "missing_key", "a keyed action (hash, pseudonymize) has no key configured";

    // 2100-2199: the policy document and the provider catalogue
    /// The policy document is malformed, has an unknown key, a wrong type or a value out of range.
    InvalidPolicy = 2100, "invalid_policy", "the policy is malformed, has an unknown key, a wrong type or an invalid value";
    /// A model or provider glob in the policy is not valid.
    InvalidGlob = 2101, "invalid_glob", "a glob in the policy is not valid";
    /// The policy's `version` is not one this release reads.
    UnsupportedPolicyVersion = 2102, "unsupported_policy_version", "the policy version is not supported by this release";
    /// The provider catalogue (snapshot or files) is malformed.
    InvalidCatalog = 2103, "invalid_catalog", "the provider catalogue is malformed";
    /// The policy names a provider slug or country group the catalogue does not know.
    UnknownProvider = 2104, "unknown_provider", "the policy names a provider, country or group that is not known";

    // 3000-3099: DLP outcomes that callers may treat as errors
    /// Scanning found content whose action is `block`.
    Blocked = 3000, "blocked", "the content holds data whose action is block";

    // 4000-4099: budgets and the ledger
    /// A request's cost cannot be bounded or computed: a price or limit the catalogue lacks.
    PriceUnknown = 4000, "price_unknown", "a price or token limit needed to bound or compute a cost is unknown";
    /// A settlement or renewal names a reservation the ledger does not hold.
    UnknownReservation = 4001, "unknown_reservation", "the ledger holds no reservation with this id";
    /// A reservation is settled a second time.
    AlreadySettled = 4002, "already_settled", "the reservation is already settled";
    /// The ledger's store could not be opened, read or written.
    LedgerUnavailable = 4003, "ledger_unavailable", "the ledger's store could not be opened, read or written";
    /// A ledger URL names no backend this build has.
    InvalidLedgerUrl = 4004, "invalid_ledger_url", "the ledger URL is not memory:, sqlite:PATH or postgres://";

    // 5000-5099: the audit trail
    /// The audit sink could not be written; the request fails closed unless the policy allows.
    AuditUnavailable = 5000, "audit_unavailable", "the audit sink could not be written (the request fails closed)";
    /// An audit event or record is malformed, has an unknown field or sets a field the trail owns.
    InvalidAuditRecord = 5001, "invalid_audit_record", "an audit event or record is malformed or has an unknown field";
    /// An audit key (chain or signing) is missing, unreadable or of the wrong size.
    AuditKeyInvalid = 5002, "audit_key_invalid", "an audit key is missing, unreadable or of the wrong size";
    /// A write to a trail that was closed.
    AuditTrailClosed = 5003, "audit_trail_closed", "the audit trail is closed";
    /// An audit log could not be read (missing file, permissions, database).
    AuditUnreadable = 5004, "audit_unreadable", "an audit log could not be read";

    // 6000-6099: the transport to OpenRouter
    /// No OpenRouter API key: the environment variable or file named for it is missing or empty.
    MissingApiKey = 6000, "missing_api_key", "no OpenRouter API key is configured (environment variable or file)";
    /// OpenRouter could not be reached, or the connection failed or timed out.
    TransportFailed = 6001, "transport_failed", "OpenRouter could not be reached, or the connection failed or timed out";
    /// OpenRouter answered with an error status (after the retries the policy allows).
    UpstreamError = 6002, "upstream_error", "OpenRouter answered with an error status";

    // 9000-9099: bugs and the unexpected
    /// An internal invariant failed; this is a bug in routeguard.
    Internal = 9000, "internal", "an internal invariant failed (a bug in routeguard)";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error raised by routeguard: a code from the table and a message free of scanned content.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// Creates an error. The message must not contain scanned text or secrets.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code.name(),
            self.code.number(),
            self.message
        )
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.code.name())
            .field("number", &self.code.number())
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_numbers_are_unique_and_round_trip() {
        let mut names = HashSet::new();
        let mut numbers = HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(names.insert(code.name()), "duplicate name {}", code.name());
            assert!(
                numbers.insert(code.number()),
                "duplicate number {}",
                code.number()
            );
            assert_eq!(ErrorCode::from_name(code.name()), Some(code));
            assert_eq!(ErrorCode::from_number(code.number()), Some(code));
            assert!(code
                .name()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
            assert!(!code.meaning().is_empty());
        }
    }

    #[test]
    fn numbers_sit_in_their_area() {
        for &code in ErrorCode::ALL {
            let area = code.number() / 1000;
            assert!(
                matches!(area, 1 | 2 | 3 | 4 | 5 | 6 | 9),
                "{} outside the known areas",
                code.name()
            );
        }
        assert_eq!(ErrorCode::InvalidConfig.number(), 2000);
        assert_eq!(ErrorCode::from_number(4242), None);
    }

    #[test]
    fn display_names_the_code_and_message() {
        let e = Error::new(
            ErrorCode::PatternTooLarge,
            "custom detector `x`: limit 1 MiB",
        );
        assert_eq!(
            e.to_string(),
            "pattern_too_large (2002): custom detector `x`: limit 1 MiB"
        );
    }
}
