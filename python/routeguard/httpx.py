"""The httpx drop-in: ``GovernedTransport`` / ``AsyncGovernedTransport`` put routeguard under any
SDK that takes an ``httpx.Client`` (``openai``, the ``openrouter`` SDK...)::

    http = httpx.Client(transport=GovernedTransport(client, {"user": "alice", "workspace": "eu"}))
    openai.OpenAI(base_url="http://routeguard.invalid/api/v1", api_key="unused", http_client=http)

``POST .../chat/completions`` runs as a governed call (streamed when the body says
``"stream": true``); the request's ``Authorization`` header is ignored, since the routeguard
:class:`~routeguard.Client` holds the OpenRouter key. Answers become OpenRouter-shaped replies:

- allowed: 200 and the response (as the application may see it), or ``text/event-stream`` with
  ``data: {chunk}`` lines passed on as they come and ``data: [DONE]``;
- denied, or a provider outside the policy: 403 ``{"error": {"code": 403, "message",
  "metadata": {"routeguard": <the answer without its response>}}}`` (``openai`` raises
  ``PermissionDeniedError``); a stream that ends in a violation or error after content was
  passed on ends with such an ``error`` event instead of ``[DONE]``;
- an upstream error: OpenRouter's status and body;
- a routeguard error (invalid request 400, anything else 502) as an error envelope.

Every reply routeguard makes itself carries ``x-should-retry: false``: the call was governed
(and recorded) once, an SDK must not send it again. Other paths get 404.
"""

from __future__ import annotations

import json
from typing import Any, AsyncIterator, Dict, Iterator, Optional, Tuple

import httpx

from ._client import AsyncChatStream, ChatStream, Client
from ._guard import Json
from .errors import RouteguardError

__all__ = ["AsyncGovernedTransport", "GovernedTransport"]

_NO_RETRY = {"x-should-retry": "false"}
#: Errors about the request itself (400); any other error (no key, OpenRouter unreachable, a store
#: or the audit sink down) is 502.
_BAD_INPUT = frozenset(
    {"invalid_utf8", "invalid_json", "invalid_request", "input_too_large", "invalid_argument"}
)


def _error(request: httpx.Request, status: int, message: str, metadata: Optional[Dict[str, Any]] = None) -> httpx.Response:
    error: Dict[str, Any] = {"code": status, "message": message}
    if metadata is not None:
        error["metadata"] = metadata
    return httpx.Response(status, json={"error": error}, headers=_NO_RETRY, request=request)


def _summary(answer: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "response"}


def _message(answer: Dict[str, Any]) -> str:
    reasons = answer.get("reasons") or []
    text = "; ".join(str(r.get("message") or r.get("code")) for r in reasons)
    return f"routeguard: {text}" if text else "routeguard: request refused"


def _is_upstream(answer: Dict[str, Any]) -> bool:
    return any(r.get("code") == "upstream_error" for r in answer.get("reasons") or [])


def _refusal_event(answer: Dict[str, Any]) -> Dict[str, Any]:
    if _is_upstream(answer) and isinstance(answer.get("response"), dict) and "error" in answer["response"]:
        return answer["response"]
    return {"error": {"code": 403, "message": _message(answer), "metadata": {"routeguard": _summary(answer)}}}


def _answer_response(request: httpx.Request, answer: Dict[str, Any]) -> httpx.Response:
    """The HTTP reply for a whole (non-streamed, or ended before any chunk) answer."""
    if answer.get("allowed"):
        return httpx.Response(200, json=answer.get("response"), request=request)
    status = answer.get("status")
    if _is_upstream(answer) and isinstance(status, int) and answer.get("response") is not None:
        return httpx.Response(status, json=answer["response"], headers=_NO_RETRY, request=request)
    return _error(request, 403, _message(answer), {"routeguard": _summary(answer)})


def _routeguard_error(request: httpx.Request, e: RouteguardError) -> httpx.Response:
    status = 400 if e.code in _BAD_INPUT else 502
    return _error(request, status, f"routeguard: {e}", {"routeguard": {"error": e.code}})


def _parse(request: httpx.Request, body: bytes) -> Tuple[Optional[Dict[str, Any]], Optional[httpx.Response]]:
    if request.method != "POST" or not request.url.path.rstrip("/").endswith("/chat/completions"):
        return None, _error(
            request,
            404,
            f"routeguard governs only chat completions (POST .../chat/completions), not {request.method} {request.url.path}",
        )
    try:
        parsed = json.loads(body)
    except ValueError:
        return None, _error(request, 400, "routeguard: the request body is not JSON")
    if not isinstance(parsed, dict):
        return None, _error(request, 400, "routeguard: the request body is not a JSON object")
    return parsed, None


def _sse(chunk: Dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(chunk, separators=(",", ":")).encode("utf-8") + b"\n\n"


_DONE = b"data: [DONE]\n\n"
_SSE_HEADERS = {"content-type": "text/event-stream", "cache-control": "no-cache"}


class _SyncEvents(httpx.SyncByteStream):
    def __init__(self, stream: ChatStream, first: Dict[str, Any]) -> None:
        self._stream = stream
        self._first = first

    def __iter__(self) -> Iterator[bytes]:
        yield _sse(self._first)
        for chunk in self._stream:
            yield _sse(chunk)
        answer = self._stream.answer or {}
        yield _DONE if answer.get("allowed") else _sse(_refusal_event(answer))

    def close(self) -> None:
        self._stream.cancel()


class _AsyncEvents(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncChatStream, first: Dict[str, Any]) -> None:
        self._stream = stream
        self._first = first

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield _sse(self._first)
        async for chunk in self._stream:
            yield _sse(chunk)
        answer = self._stream.answer or {}
        yield _DONE if answer.get("allowed") else _sse(_refusal_event(answer))

    async def aclose(self) -> None:
        await self._stream.cancel()


class GovernedTransport(httpx.BaseTransport):
    """An ``httpx`` transport that sends chat completions as governed calls of ``client`` for
    ``principal`` (a dict or JSON text: ``{"user", "workspace", "groups"?, "tags"?}``)."""

    def __init__(self, client: Client, principal: Json) -> None:
        self.client = client
        self.principal = principal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body, reply = _parse(request, request.read())
        if reply is not None:
            return reply
        assert body is not None
        try:
            if body.get("stream") is not True:
                return _answer_response(request, self.client.chat(self.principal, body))
            stream = self.client.stream(self.principal, body)
            # The first chunk decides the status: a refusal, or a violation or error before
            # any content, is a whole answer.
            first = next(stream, None)
        except RouteguardError as e:
            return _routeguard_error(request, e)
        if first is None:
            return _answer_response(request, stream.answer or {})
        return httpx.Response(200, headers=_SSE_HEADERS, stream=_SyncEvents(stream, first), request=request)


class AsyncGovernedTransport(httpx.AsyncBaseTransport):
    """:class:`GovernedTransport` for ``httpx.AsyncClient``: the blocking calls run in worker
    threads."""

    def __init__(self, client: Client, principal: Json) -> None:
        self.client = client
        self.principal = principal

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body, reply = _parse(request, await request.aread())
        if reply is not None:
            return reply
        assert body is not None
        try:
            if body.get("stream") is not True:
                return _answer_response(request, await self.client.chat_async(self.principal, body))
            stream = await self.client.astream(self.principal, body).open()
            try:
                first = await stream.__anext__()
            except StopAsyncIteration:
                return _answer_response(request, stream.answer or {})
        except RouteguardError as e:
            return _routeguard_error(request, e)
        return httpx.Response(200, headers=_SSE_HEADERS, stream=_AsyncEvents(stream, first), request=request)

