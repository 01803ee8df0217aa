"""routeguard: find personal data and secrets in prompts before they reach OpenRouter, and
enforce model and provider policies (EU-only routing that holds through fallback).

>>> import routeguard
>>> scanner = routeguard.Scanner()
>>> [f.detector for f in scanner.scan("card 4111 1111 1111 1111")]
['credit_card']

:class:`Guard` applies a policy: ``prepare`` decides about a request before it is sent,
``verify`` checks which provider served the response. :class:`Ledger` holds budget
reservations and spend records (``Guard.reserve``/``Guard.settle``, ``Ledger.report``).
:class:`AuditTrail` writes a tamper-evident record of every interaction (``Guard.audit``);
:func:`audit_verify`, :func:`audit_search` and :func:`audit_export` read such a log back.

The engine is the Rust core (``routeguard._native``); this package adds asyncio variants and
stream iterators. Results are immutable records whose ``repr`` never shows text, and errors are
:class:`RouteguardError` subclasses with ``.code`` and ``.number`` (see :mod:`routeguard.errors`).
"""

from __future__ import annotations

from ._native import (
    Applied,
    AuditTrail,
    Decision,
    Detector,
    ErrorCode,
    Finding,
    InlineData,
    Ledger,
    Prepared,
    PreparedFinding,
    Reason,
    Redaction,
    Released,
    RequestFinding,
    RequestScan,
    SpendReport,
    Vault,
    Verification,
    audit_export,
    audit_search,
    audit_verify,
    audit_verify_text,
    canonical_json,
    detectors,
    error_codes,
)
from ._guard import Guard
from ._scanner import Action, HashKey, Json, Scanner, Stream
from . import errors
from .errors import *  # noqa: F401,F403  (every exception class; see errors.__all__)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("routeguard")
    except PackageNotFoundError:  # imported from a source tree without installing
        return "0+unknown"


__version__ = _version()

__all__ = [
    "Action",
    "Applied",
    "AuditTrail",
    "Decision",
    "Detector",
    "ErrorCode",
    "Finding",
    "Guard",
    "HashKey",
    "InlineData",
    "Json",
    "Ledger",
    "Prepared",
    "PreparedFinding",
    "Reason",
    "Redaction",
    "Released",
    "RequestFinding",
    "RequestScan",
    "Scanner",
    "SpendReport",
    "Stream",
    "Vault",
    "Verification",
    "__version__",
    "audit_export",
    "audit_search",
    "audit_verify",
    "audit_verify_text",
    "canonical_json",
    "detectors",
    "error_codes",
] + [name for name in errors.__all__ if name != "BY_CODE"]
