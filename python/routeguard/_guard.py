"""`Guard`: the native policy guard plus asyncio variants.

``prepare`` and ``verify`` run in Rust with the GIL released; the ``*_async`` variants run the
same call in a worker thread (``asyncio.to_thread``), like the scanner's.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any, Callable, Dict, Mapping, Optional, Union

from . import _native
from ._native import AuditTrail, Decision, Ledger, Prepared, Verification, Vault

#: A policy, catalogue snapshot, principal, request or response: JSON text, or a dict (any
#: JSON-serialisable mapping).
Json = Union[str, Mapping[str, Any]]
#: The key of the ``hash`` action: bytes, or a str taken as its UTF-8 bytes.
HashKey = Union[bytes, str]
StrPath = Union[str, "os.PathLike[str]"]


class Guard:
    """A policy over a provider catalogue: the decisions of a governed OpenRouter call.

    ``Guard(policy)`` takes the policy as a dict or JSON text; see also :meth:`from_yaml` and
    :meth:`from_file`. The catalogue is the snapshot shipped with this release unless
    ``catalog`` (a snapshot document, dict or JSON text) or ``catalog_dir`` (a directory of saved
    OpenRouter API responses) is given. A guard is immutable and safe to share between threads.

    :meth:`prepare` decides about a request before it is sent; :meth:`verify` checks which
    provider and model served the response. Denials and violations are results
    (``allowed=False``), not exceptions; exceptions are for invalid input.
    """

    __slots__ = ("_inner",)
    _inner: _native.Guard

    def __init__(
        self,
        policy: Json,
        catalog: Optional[Json] = None,
        *,
        catalog_dir: Optional[StrPath] = None,
    ) -> None:
        self._inner = _native.Guard(policy, catalog, catalog_dir=catalog_dir)

    @classmethod
    def from_yaml(
        cls,
        text: str,
        catalog: Optional[Json] = None,
        *,
        catalog_dir: Optional[StrPath] = None,
    ) -> Guard:
        """Builds a guard from a YAML policy text."""
        return cls._wrap(_native.Guard.from_yaml(text, catalog, catalog_dir=catalog_dir))

    @classmethod
    def from_file(
        cls,
        path: StrPath,
        catalog: Optional[Json] = None,
        *,
        catalog_dir: Optional[StrPath] = None,
    ) -> Guard:
        """Builds a guard from a ``.json``, ``.yaml`` or ``.yml`` policy file (paths inside it
        resolve against its directory)."""
        return cls._wrap(_native.Guard.from_file(path, catalog, catalog_dir=catalog_dir))

    @classmethod
    def _wrap(cls, native: _native.Guard) -> Guard:
        guard = cls.__new__(cls)
        guard._inner = native
        return guard

    @property
    def policy_hash(self) -> str:
        """The hash of the policy document (``sha256:...``), recorded with every decision."""
        return self._inner.policy_hash

    def prepare(
        self,
        principal: Json,
        request: Json,
        hash_key: Optional[HashKey] = None,
        vault: Optional[Vault] = None,
    ) -> Decision:
        """Decides about an OpenRouter chat request for a principal.

        ``principal`` is ``{"user": ..., "workspace": ..., "groups": [...], "tags": {...}}``
        (groups, a list of names, and tags, a str -> str mapping, are optional). When the decision is ``allowed``, ``decision.prepared.request``
        is the request to send: DLP applied, ``provider.only`` set to the compliant endpoints,
        fallbacks without one removed. ``hash_key`` and ``vault`` serve the policy's ``hash``
        and ``pseudonymize`` actions.
        """
        return self._inner.prepare(principal, request, hash_key, vault)

    def verify(self, prepared: Prepared, response: Json) -> Verification:
        """Checks the response to a prepared request: the served provider (mapped from its
        display name to its slug) and model must be among the allowed ones. On a violation the
        returned ``response`` has its content withheld."""
        return self._inner.verify(prepared, response)

    def reserve(
        self,
        ledger: Ledger,
        principal: Json,
        prepared: Prepared,
        lease_ms: Optional[int] = None,
        now_ms: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Reserves the worst-case cost of a prepared request on ``ledger`` against every budget
        cap of the policy that applies to ``principal``.

        Returns a dict: ``estimate`` (``reserve_micros``, token bounds, ``endpoints``...) and the
        ledger's answer: ``reserved``, ``id`` (settle with it), ``denials`` (the caps that would
        be exceeded, each naming its ``cap`` and a ``message``), ``shadow`` and ``caps``. A
        denial is ``reserved: False``, not an exception; a cost that cannot be bounded raises
        :class:`PriceUnknownError`. ``lease_ms`` defaults to ten minutes; ``now_ms`` (Unix ms)
        to the system clock.
        """
        return self._inner.reserve(ledger, principal, prepared, lease_ms, now_ms)

    def settle(
        self,
        ledger: Ledger,
        reservation_id: str,
        response: Optional[Json] = None,
        outcome: str = "completed",
        now_ms: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Settles a reservation from OpenRouter's response (or its final stream chunk carrying
        ``usage``): ``usage.cost`` when present, else tokens times the served endpoint's price.
        Without a response the reservation is charged and the record says ``actual_known:
        False``. ``outcome``: completed, streamed, cancelled, timed_out or failed. Returns the
        spend record."""
        return self._inner.settle(ledger, reservation_id, response, outcome, now_ms)

    def open_audit_trail(self, callback: Optional[Callable[[str], object]] = None) -> AuditTrail:
        """Opens the audit trail the policy's ``defaults.audit`` section describes (its keys
        come from the environment variables or files it names). ``callback`` is the function a
        ``callback`` sink calls with each record line; an exception in it is a sink failure
        (the write raises :class:`AuditUnavailableError` unless the policy fails open)."""
        return self._inner.open_audit_trail(callback)

    def audit(
        self,
        trail: AuditTrail,
        principal: Json,
        request: Json,
        decision: Decision,
        details: Optional[Json] = None,
        now_ms: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Writes the record of one interaction to ``trail``: the principal, the request as the
        caller gave it, ``decision`` (what :meth:`prepare` returned) and what followed:
        ``details`` (a dict or JSON text: ``response``, ``estimate_micros``,
        ``reserved_micros``, ``billed_micros``, ``error``, ``latency_ms``, ``id``, ``time``,
        ``stream``, ``attempts``, ``fail_open``, ``sdk``; all optional).

        Returns the receipt: ``{"writer", "status", "seq", "mac", "line"}``, ``status`` being
        ``written``, ``delayed`` (the sink is down and the policy fails open) or ``unrecorded``.
        A sink that cannot be written raises :class:`AuditUnavailableError` (fail closed).
        """
        return self._inner.audit(trail, principal, request, decision, details, now_ms)

    async def audit_async(
        self,
        trail: AuditTrail,
        principal: Json,
        request: Json,
        decision: Decision,
        details: Optional[Json] = None,
        now_ms: Optional[int] = None,
    ) -> Dict[str, Any]:
        """:meth:`audit` in a worker thread."""
        return await asyncio.to_thread(
            self._inner.audit, trail, principal, request, decision, details, now_ms
        )

    async def reserve_async(
        self,
        ledger: Ledger,
        principal: Json,
        prepared: Prepared,
        lease_ms: Optional[int] = None,
        now_ms: Optional[int] = None,
    ) -> Dict[str, Any]:
        """:meth:`reserve` in a worker thread."""
        return await asyncio.to_thread(self._inner.reserve, ledger, principal, prepared, lease_ms, now_ms)

    async def settle_async(
        self,
        ledger: Ledger,
        reservation_id: str,
        response: Optional[Json] = None,
        outcome: str = "completed",
        now_ms: Optional[int] = None,
    ) -> Dict[str, Any]:
        """:meth:`settle` in a worker thread."""
        return await asyncio.to_thread(
            self._inner.settle, ledger, reservation_id, response, outcome, now_ms
        )

    async def prepare_async(
        self,
        principal: Json,
        request: Json,
        hash_key: Optional[HashKey] = None,
        vault: Optional[Vault] = None,
    ) -> Decision:
        """:meth:`prepare` in a worker thread."""
        return await asyncio.to_thread(self._inner.prepare, principal, request, hash_key, vault)

    async def verify_async(self, prepared: Prepared, response: Json) -> Verification:
        """:meth:`verify` in a worker thread."""
        return await asyncio.to_thread(self._inner.verify, prepared, response)

    def __repr__(self) -> str:
        return repr(self._inner)
