"""The routeguard exception hierarchy, one class per code of the error table.

Every class derives from :class:`RouteguardError` and, where one fits, a builtin, so existing
handlers keep working (``except ValueError`` catches :class:`InvalidConfigError`). Each carries
``.code`` (the stable snake_case name) and ``.number`` (the stable number); branch on those,
never on the message. Messages never contain scanned text or secrets.

============================== ============================= ================
code                           class                         also a
============================== ============================= ================
``invalid_utf8``               InvalidUtf8Error              UnicodeError
``invalid_json``               InvalidJsonError              ValueError
``invalid_request``            InvalidRequestError           ValueError
``input_too_large``            InputTooLargeError            ValueError
``invalid_argument``           InvalidArgumentError          ValueError
``unknown_pseudonym``          UnknownPseudonymError         LookupError
``invalid_config``             InvalidConfigError            ValueError
``invalid_pattern``            InvalidPatternError           ValueError
``pattern_too_large``          PatternTooLargeError          ValueError
``unknown_detector``           UnknownDetectorError          ValueError
``unknown_validator``          UnknownValidatorError         ValueError
``duplicate_detector``         DuplicateDetectorError        ValueError
``config_file_unreadable``     ConfigFileUnreadableError     OSError
``missing_key``                MissingKeyError               ValueError
``invalid_policy``             InvalidPolicyError            ValueError
``invalid_glob``               InvalidGlobError              ValueError
``unsupported_policy_version`` UnsupportedPolicyVersionError ValueError
``invalid_catalog``            InvalidCatalogError           ValueError
``unknown_provider``           UnknownProviderError          ValueError
``blocked``                    BlockedError                  (Exception only)
``price_unknown``              PriceUnknownError             ValueError
``unknown_reservation``        UnknownReservationError       LookupError
``already_settled``            AlreadySettledError           ValueError
``ledger_unavailable``         LedgerUnavailableError        OSError
``invalid_ledger_url``         InvalidLedgerUrlError         ValueError
``audit_unavailable``          AuditUnavailableError         OSError
``invalid_audit_record``       InvalidAuditRecordError       ValueError
``audit_key_invalid``          AuditKeyInvalidError          ValueError
``audit_trail_closed``         AuditTrailClosedError         RuntimeError
``audit_unreadable``           AuditUnreadableError          OSError
``missing_api_key``            MissingApiKeyError            ValueError
``transport_failed``           TransportFailedError          OSError
``upstream_error``             UpstreamError                 OSError
``internal``                   InternalError                 RuntimeError
============================== ============================= ================

The classes are created by the native module from the core's error table; this module
re-exports them.
"""

from __future__ import annotations

from typing import Dict, Type

from ._native import (
    AlreadySettledError,
    AuditKeyInvalidError,
    AuditTrailClosedError,
    AuditUnavailableError,
    AuditUnreadableError,
    BlockedError,
    ConfigFileUnreadableError,
    DuplicateDetectorError,
    InputTooLargeError,
    InternalError,
    InvalidArgumentError,
    InvalidAuditRecordError,
    InvalidCatalogError,
    InvalidConfigError,
    InvalidGlobError,
    InvalidJsonError,
    InvalidLedgerUrlError,
    InvalidPatternError,
    InvalidPolicyError,
    InvalidRequestError,
    InvalidUtf8Error,
    LedgerUnavailableError,
    MissingApiKeyError,
    MissingKeyError,
    PatternTooLargeError,
    PriceUnknownError,
    RouteguardError,
    TransportFailedError,
    UnknownDetectorError,
    UnknownProviderError,
    UnknownPseudonymError,
    UnknownReservationError,
    UnknownValidatorError,
    UnsupportedPolicyVersionError,
    UpstreamError,
)

#: Every error class by its code name (one per code of the native table) (``"invalid_config"`` -> :class:`InvalidConfigError`).
BY_CODE: Dict[str, Type[RouteguardError]] = {
    cls.code: cls for cls in RouteguardError.__subclasses__()
}

__all__ = [
    "BY_CODE",
    "AlreadySettledError",
    "AuditKeyInvalidError",
    "AuditTrailClosedError",
    "AuditUnavailableError",
    "AuditUnreadableError",
    "BlockedError",
    "ConfigFileUnreadableError",
    "DuplicateDetectorError",
    "InputTooLargeError",
    "InternalError",
    "InvalidArgumentError",
    "InvalidAuditRecordError",
    "InvalidCatalogError",
    "InvalidConfigError",
    "InvalidGlobError",
    "InvalidJsonError",
    "InvalidLedgerUrlError",
    "InvalidPatternError",
    "InvalidPolicyError",
    "InvalidRequestError",
    "InvalidUtf8Error",
    "LedgerUnavailableError",
    "MissingApiKeyError",
    "MissingKeyError",
    "PatternTooLargeError",
    "PriceUnknownError",
    "RouteguardError",
    "TransportFailedError",
    "UnknownDetectorError",
    "UnknownProviderError",
    "UnknownPseudonymError",
    "UnknownReservationError",
    "UnknownValidatorError",
    "UnsupportedPolicyVersionError",
    "UpstreamError",
]
