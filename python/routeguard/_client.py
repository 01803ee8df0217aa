"""The governed OpenRouter call: `Client` (sends the request itself) and `Governor` (for callers
that send it with their own HTTP).

Every call applies the policy, reserves the budget, sends, checks which provider served, filters
the answer (response DLP), settles and writes one audit record. The blocking work runs in Rust
with the GIL released; the ``*_async`` variants and :meth:`Client.astream` run it in a worker
thread. Denials, violations and upstream errors are answers (``allowed: False``), not
exceptions; exceptions are for invalid input, an unreachable OpenRouter, a missing key and store
or audit-sink failures.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable, Dict, Optional, Union

from . import _native
from ._guard import Guard, HashKey, Json
from ._native import AuditTrail, Ledger

Answer = Dict[str, Any]
Chunk = Dict[str, Any]


def _native_guard(guard: Union[Guard, _native.Guard]) -> _native.Guard:
    return guard._inner if isinstance(guard, Guard) else guard


def _hash_key_hex(key: Optional[HashKey]) -> Optional[str]:
    if key is None:
        return None
    return (key.encode("utf-8") if isinstance(key, str) else bytes(key)).hex()


def _options(**values: Any) -> Dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class ChatStream:
    """A governed stream: iterate for the chunks (dicts, OpenRouter's chunk shape, filtered);
    :attr:`answer` once it is over (at once for a refusal). ``with client.stream(...) as s:``
    cancels the call when the block is left before the end."""

    __slots__ = ("_native", "_over")

    def __init__(self, native: _native.ChatStream) -> None:
        self._native = native
        self._over = False

    def __iter__(self) -> ChatStream:
        return self

    def __next__(self) -> Chunk:
        if self._over:
            raise StopIteration
        text = self._native.next()
        if text is None:
            self._over = True
            raise StopIteration
        return json.loads(text)

    @property
    def answer(self) -> Optional[Answer]:
        """The answer once the stream is over; None before."""
        text = self._native.answer()
        return None if text is None else json.loads(text)

    @property
    def over(self) -> bool:
        """Whether the stream ended (read to the end, refused or cancelled)."""
        return self._over or self._native.answer() is not None

    def cancel(self) -> None:
        """Stops reading; the call is settled and recorded as cancelled."""
        if not self.over:
            self._native.cancel()
        self._over = True

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()

    def __repr__(self) -> str:
        return f"ChatStream(over={self.over})"


class AsyncChatStream:
    """:class:`ChatStream` for asyncio: ``async for chunk in client.astream(...)``, or
    ``async with client.astream(...) as s:`` (cancels on early exit). The stream opens on the
    first ``__anext__`` or on ``__aenter__``; each read runs in a worker thread."""

    __slots__ = ("_open", "_stream")

    def __init__(self, open_stream: Callable[[], _native.ChatStream]) -> None:
        self._open = open_stream
        self._stream: Optional[ChatStream] = None

    async def _get(self) -> ChatStream:
        if self._stream is None:
            self._stream = ChatStream(await asyncio.to_thread(self._open))
        return self._stream

    def __aiter__(self) -> AsyncChatStream:
        return self

    async def __anext__(self) -> Chunk:
        stream = await self._get()
        # A StopIteration cannot travel through a future: the worker returns None at the end.
        chunk = await asyncio.to_thread(next, stream, None)
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    async def open(self) -> AsyncChatStream:
        """Sends the request (waits for the first byte, or the refusal)."""
        await self._get()
        return self

    @property
    def answer(self) -> Optional[Answer]:
        """The answer once the stream is over; None before."""
        return None if self._stream is None else self._stream.answer

    async def cancel(self) -> None:
        """Stops reading; the call is settled and recorded as cancelled."""
        if self._stream is not None:
            await asyncio.to_thread(self._stream.cancel)

    async def __aenter__(self) -> AsyncChatStream:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.cancel()

    def __repr__(self) -> str:
        return f"AsyncChatStream(open={self._stream is not None})"


class Client:
    """Sends governed chat requests to OpenRouter for a :class:`Guard` (with an optional
    :class:`Ledger` for budgets and :class:`AuditTrail` for records).

    The OpenRouter key is read from ``api_key_file``, else from the environment variable
    ``api_key_env`` (default ``OPENROUTER_API_KEY``); ``base_url`` defaults to
    ``$OPENROUTER_BASE_URL`` or ``https://openrouter.ai/api/v1``. ``hash_key`` serves the
    policy's ``hash`` action. Safe to share between threads.
    """

    __slots__ = ("_inner",)

    def __init__(
        self,
        guard: Guard,
        *,
        ledger: Optional[Ledger] = None,
        trail: Optional[AuditTrail] = None,
        base_url: Optional[str] = None,
        api_key_env: Optional[str] = None,
        api_key_file: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        connect_timeout_ms: Optional[int] = None,
        max_retries: Optional[int] = None,
        backoff_ms: Optional[int] = None,
        referer: Optional[str] = None,
        title: Optional[str] = None,
        hash_key: Optional[HashKey] = None,
    ) -> None:
        options = _options(
            base_url=base_url,
            api_key_env=api_key_env,
            api_key_file=None if api_key_file is None else str(api_key_file),
            timeout_ms=timeout_ms,
            connect_timeout_ms=connect_timeout_ms,
            max_retries=max_retries,
            backoff_ms=backoff_ms,
            referer=referer,
            title=title,
            hash_key_hex=_hash_key_hex(hash_key),
        )
        self._inner = _native.Client(_native_guard(guard), ledger, trail, options)

    @property
    def base_url(self) -> str:
        """The OpenRouter API base URL this client sends to."""
        return self._inner.base_url

    def chat(self, principal: Json, request: Json) -> Answer:
        """One governed, non-streaming call. Returns the answer: ``allowed``, ``reasons``,
        ``response`` (what the application may see, or None), ``status``, ``findings``,
        ``spend``, ``audit``..."""
        return json.loads(self._inner.chat(principal, request))

    async def chat_async(self, principal: Json, request: Json) -> Answer:
        """:meth:`chat` in a worker thread."""
        return json.loads(await asyncio.to_thread(self._inner.chat, principal, request))

    def stream(self, principal: Json, request: Json) -> ChatStream:
        """One governed, streaming call; returns once the first byte arrived (at once for a
        refusal, whose :attr:`ChatStream.answer` is ready and which yields no chunk)."""
        return ChatStream(self._inner.stream(principal, request))

    def astream(self, principal: Json, request: Json) -> AsyncChatStream:
        """:meth:`stream` for asyncio (opens on first use)."""
        inner = self._inner
        return AsyncChatStream(lambda: inner.stream(principal, request))

    def __repr__(self) -> str:
        return repr(self._inner)


class Refused:
    """What :meth:`Governor.begin` returns when the request must not be sent: the answer
    (``allowed: False``; already recorded)."""

    __slots__ = ("answer",)

    def __init__(self, answer: Answer) -> None:
        self.answer = answer

    def __repr__(self) -> str:
        codes = [r.get("code") for r in self.answer.get("reasons", [])]
        return f"Refused(reasons={codes!r})"


class Call:
    """A begun call: POST :attr:`request` to OpenRouter's ``/chat/completions`` yourself, then
    :meth:`complete` it with the HTTP status and body (or :meth:`fail` it). Left without either,
    it is settled and recorded as cancelled."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.Call) -> None:
        self._native = native

    @property
    def request(self) -> Dict[str, Any]:
        """The request to send (policy and DLP applied)."""
        return json.loads(self._native.request)

    @property
    def request_json(self) -> str:
        """:attr:`request` as the JSON text to send."""
        return self._native.request

    def complete(self, status: int, body: Union[bytes, str]) -> Answer:
        """Verifies, filters, settles and records; returns the answer. A second completion
        raises :class:`InvalidArgumentError`."""
        return json.loads(self._native.complete(status, body))

    async def complete_async(self, status: int, body: Union[bytes, str]) -> Answer:
        """:meth:`complete` in a worker thread."""
        return json.loads(await asyncio.to_thread(self._native.complete, status, body))

    def fail(self, message: str) -> None:
        """Ends the call without an answer (your HTTP request failed); ``message`` is
        recorded, so it must not hold prompt text."""
        self._native.fail(message)

    def __repr__(self) -> str:
        return repr(self._native)


class Governor:
    """The guard with its stores, for applications that send requests with their own HTTP
    client: :meth:`begin` decides and reserves, the :class:`Call` it returns is completed with
    OpenRouter's reply."""

    __slots__ = ("_inner",)

    def __init__(
        self,
        guard: Guard,
        *,
        ledger: Optional[Ledger] = None,
        trail: Optional[AuditTrail] = None,
        hash_key: Optional[HashKey] = None,
    ) -> None:
        options = _options(hash_key_hex=_hash_key_hex(hash_key))
        self._inner = _native.Governor(_native_guard(guard), ledger, trail, options)

    def begin(self, principal: Json, request: Json) -> Union[Refused, Call]:
        """Applies the policy and reserves the budget: :class:`Refused` (not to be sent) or a
        :class:`Call` to send."""
        begun = self._inner.begin(principal, request)
        if isinstance(begun, str):
            return Refused(json.loads(begun))
        return Call(begun)

    async def begin_async(self, principal: Json, request: Json) -> Union[Refused, Call]:
        """:meth:`begin` in a worker thread."""
        return await asyncio.to_thread(self.begin, principal, request)

    def __repr__(self) -> str:
        return "Governor()"


__all__ = ["AsyncChatStream", "Call", "ChatStream", "Client", "Governor", "Refused"]
