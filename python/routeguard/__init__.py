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
:class:`Client` makes the whole governed OpenRouter call (policy, budget, send, verify, response
DLP, settle, one audit record); :class:`Governor` does the same around your own HTTP; and
:mod:`routeguard.httpx` (``GovernedTransport``) puts it under the ``openai`` and ``openrouter``
SDKs.

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
from ._client import AsyncChatStream, Call, ChatStream, Client, Governor, Refused
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

def __getattr__(name: str) -> object:
    # The httpx drop-in imports httpx, an optional dependency: load it on first use.
    if name in ("GovernedTransport", "AsyncGovernedTransport"):
        from . import httpx as _httpx

        return getattr(_httpx, name)
    raise AttributeError(f"module 'routeguard' has no attribute {name!r}")


__all__ = [
    "Action",
    "AsyncChatStream",
    "Applied",
    "AuditTrail",
    "Call",
    "ChatStream",
    "Client",
    "Decision",
    "Detector",
    "ErrorCode",
    "Finding",
    "Governor",
    "Guard",
    "HashKey",
    "InlineData",
    "Json",
    "Ledger",
    "Prepared",
    "PreparedFinding",
    "Reason",
    "Refused",
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
