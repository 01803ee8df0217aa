"""The httpx drop-in (`routeguard.httpx.GovernedTransport` / `AsyncGovernedTransport`) under the
`openai` SDK and the OpenRouter Python SDK (`openrouter`), against the local stand-in."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Dict, List, Tuple

import httpx
import openai
import pytest

import routeguard
from routeguard.httpx import AsyncGovernedTransport, GovernedTransport
from test_governed import ALICE, POLICY, interactions

BASE = "http://routeguard.invalid/api/v1"
MODEL = "anthropic/claude-sonnet-4"
HI = [{"role": "user", "content": "Hi"}]

Setup = Tuple[routeguard.Client, routeguard.Ledger, routeguard.AuditTrail]


@pytest.fixture
def setup(stand_in: Any, key_file: Any) -> Setup:
    stand_in.reset()
    ledger = routeguard.Ledger("memory:")
    trail = routeguard.AuditTrail.open({"sink": {"type": "memory"}, "writer": "py.dropin"}, "00" * 32)
    client = routeguard.Client(
        routeguard.Guard(POLICY), ledger=ledger, trail=trail, base_url=stand_in.base_url,
        api_key_file=key_file, backoff_ms=5,
    )
    return client, ledger, trail


def openai_client(client: routeguard.Client) -> openai.OpenAI:
    http = httpx.Client(transport=GovernedTransport(client, ALICE))
    return openai.OpenAI(base_url=BASE, api_key="unused", http_client=http)


def test_exports() -> None:
    assert routeguard.GovernedTransport is GovernedTransport
    assert routeguard.AsyncGovernedTransport is AsyncGovernedTransport


def test_openai_chat(setup: Setup, stand_in: Any) -> None:
    client, ledger, trail = setup
    stand_in.reset([{"content": "Bonjour from Frankfurt"}])
    completion = openai_client(client).chat.completions.create(model=MODEL, messages=HI, max_tokens=100)
    assert completion.choices[0].message.content == "Bonjour from Frankfurt"
    (sent,) = stand_in.requests()
    assert sent["body"]["provider"]["only"] == ["google-vertex/europe-west1"]
    # The application's "unused" key never reaches OpenRouter: routeguard's client holds the key.
    assert sent["headers"]["authorization"] == "Bearer ***"
    assert [r["outcome"] for r in interactions(trail)] == ["allowed"]
    assert len(ledger.records()) == 1


def test_openai_stream(setup: Setup, stand_in: Any) -> None:
    client, _, trail = setup
    stand_in.reset([{"content": "streamed from the EU", "chunk_size": 4}])
    stream = openai_client(client).chat.completions.create(model=MODEL, messages=HI, max_tokens=100, stream=True)
    chunks = list(stream)
    assert len(chunks) >= 6
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "streamed from the EU"
    (record,) = interactions(trail)
    assert record["outcome"] == "allowed" and record["stream"] is True


def test_openai_denied_model_raises_permission_denied(setup: Setup, stand_in: Any) -> None:
    client, ledger, _ = setup
    with pytest.raises(openai.PermissionDeniedError) as e:
        openai_client(client).chat.completions.create(model="openai/gpt-4o", messages=HI)
    assert e.value.status_code == 403
    body: Dict[str, Any] = e.value.body  # type: ignore[assignment]
    rg = body["metadata"]["routeguard"]
    assert rg["allowed"] is False and rg["reasons"][0]["code"] == "model_not_allowed"
    assert "response" not in rg
    assert stand_in.chat_bodies() == []
    assert ledger.records() == []


def test_openai_denied_stream_raises_before_any_chunk(setup: Setup, stand_in: Any) -> None:
    client, _, _ = setup
    with pytest.raises(openai.PermissionDeniedError):
        openai_client(client).chat.completions.create(model="openai/gpt-4o", messages=HI, stream=True)


def test_openai_violation_is_403_and_withheld(setup: Setup, stand_in: Any) -> None:
    client, _, _ = setup
    stand_in.reset([{"serve": {"provider": "anthropic", "model": MODEL}, "content": "served in the US"}])
    with pytest.raises(openai.PermissionDeniedError) as e:
        openai_client(client).chat.completions.create(model=MODEL, messages=HI, max_tokens=100)
    assert "served in the US" not in json.dumps(e.value.body)
    assert e.value.body["metadata"]["routeguard"]["reasons"][0]["code"] == "provider_violation"  # type: ignore[index]


def test_openai_upstream_error_keeps_status(setup: Setup, stand_in: Any) -> None:
    client, _, trail = setup
    stand_in.reset([{"status": 402}])
    with pytest.raises(openai.APIStatusError) as e:
        openai_client(client).chat.completions.create(model=MODEL, messages=HI, max_tokens=100)
    assert e.value.status_code == 402
    # Not retried by the SDK: one governed call, one record.
    assert len(interactions(trail)) == 1


def test_other_paths_are_404(setup: Setup) -> None:
    client, _, _ = setup
    with pytest.raises(openai.NotFoundError) as e:
        openai_client(client).models.list()
    assert "chat completions" in str(e.value)


def test_httpx_stream_is_lazy(setup: Setup, stand_in: Any) -> None:
    """The SSE body is produced as chunks come: the first line arrives before the slow tail."""
    client, _, _ = setup
    stand_in.reset([{"content": "first" + "." * 40, "chunk_size": 5, "delay_ms": 0}])
    http = httpx.Client(transport=GovernedTransport(client, ALICE))
    body = {"model": MODEL, "messages": HI, "max_tokens": 100, "stream": True}
    with http.stream("POST", BASE + "/chat/completions", json=body) as reply:
        assert reply.status_code == 200
        assert reply.headers["content-type"] == "text/event-stream"
        assert not reply.is_stream_consumed
        lines = [line for line in reply.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    assert all(line.startswith("data: ") for line in lines)
    text = "".join(
        (json.loads(line[6:]).get("choices") or [{}])[0].get("delta", {}).get("content") or ""
        for line in lines[:-1]
    )
    assert text == "first" + "." * 40


def test_httpx_closing_early_cancels(setup: Setup, stand_in: Any) -> None:
    client, ledger, _ = setup
    stand_in.reset([{"content": "z" * 80, "chunk_size": 2}])
    http = httpx.Client(transport=GovernedTransport(client, ALICE))
    body = {"model": MODEL, "messages": HI, "max_tokens": 100, "stream": True}
    with http.stream("POST", BASE + "/chat/completions", json=body) as reply:
        next(reply.iter_lines())
    assert [r["outcome"] for r in ledger.records()] == ["cancelled"]


def test_httpx_bad_body_is_400(setup: Setup) -> None:
    client, _, _ = setup
    http = httpx.Client(transport=GovernedTransport(client, ALICE))
    reply = http.post(BASE + "/chat/completions", content=b"{not json")
    assert reply.status_code == 400
    assert reply.headers["x-should-retry"] == "false"
    reply = http.post(BASE + "/chat/completions", json={"model": MODEL})
    assert reply.status_code == 400
    assert reply.json()["error"]["metadata"]["routeguard"]["error"].startswith("invalid_")


def test_stream_mid_stream_error_ends_with_error_event(setup: Setup, stand_in: Any) -> None:
    client, _, _ = setup
    stand_in.reset([{"content": "partial answer here", "chunk_size": 4, "stream_error_after": 2,
                     "error": {"code": 502, "message": "Provider returned error"}}])
    stream = openai_client(client).chat.completions.create(model=MODEL, messages=HI, max_tokens=100, stream=True)
    got: List[str] = []
    with pytest.raises(openai.APIError):
        for chunk in stream:
            got.append(chunk.choices[0].delta.content or "" if chunk.choices else "")
    assert "".join(got) == "partial "


def test_async_openai(setup: Setup, stand_in: Any) -> None:
    client, _, trail = setup
    stand_in.reset([{"content": "async whole"}, {"content": "async streamed", "chunk_size": 3}])

    async def main() -> Tuple[str, str]:
        http = httpx.AsyncClient(transport=AsyncGovernedTransport(client, ALICE))
        sdk = openai.AsyncOpenAI(base_url=BASE, api_key="unused", http_client=http)
        whole = await sdk.chat.completions.create(model=MODEL, messages=HI, max_tokens=100)
        stream = await sdk.chat.completions.create(model=MODEL, messages=HI, max_tokens=100, stream=True)
        parts = [c.choices[0].delta.content or "" async for c in stream if c.choices]
        with pytest.raises(openai.PermissionDeniedError):
            await sdk.chat.completions.create(model="openai/gpt-4o", messages=HI)
        with pytest.raises(openai.PermissionDeniedError):
            await sdk.chat.completions.create(model="openai/gpt-4o", messages=HI, stream=True)
        await http.aclose()
        return whole.choices[0].message.content or "", "".join(parts)

    whole, streamed = asyncio.run(main())
    assert (whole, streamed) == ("async whole", "async streamed")
    assert [r["outcome"] for r in interactions(trail)] == ["allowed", "allowed", "denied", "denied"]


def test_async_streams_run_concurrently(setup: Setup, stand_in: Any) -> None:
    client, _, _ = setup
    stand_in.reset([{"content": "a", "delay_ms": 300}, {"content": "b", "delay_ms": 300}])

    async def main() -> float:
        http = httpx.AsyncClient(transport=AsyncGovernedTransport(client, ALICE))
        sdk = openai.AsyncOpenAI(base_url=BASE, api_key="unused", http_client=http)
        start = time.monotonic()
        await asyncio.gather(
            sdk.chat.completions.create(model=MODEL, messages=HI, max_tokens=10),
            sdk.chat.completions.create(model=MODEL, messages=HI, max_tokens=10),
        )
        return time.monotonic() - start

    assert asyncio.run(main()) < 0.55, "the event loop was blocked"


def test_openrouter_sdk(setup: Setup, stand_in: Any) -> None:
    from openrouter import OpenRouter

    client, _, trail = setup
    stand_in.reset([{"content": "hello from the OpenRouter SDK"}])
    http = httpx.Client(transport=GovernedTransport(client, ALICE))
    sdk = OpenRouter(api_key="unused", server_url=BASE, client=http)
    result = sdk.chat.send(model=MODEL, messages=HI, max_tokens=100)
    assert result.choices[0].message.content == "hello from the OpenRouter SDK"
    (sent,) = stand_in.chat_bodies()
    assert sent["provider"]["only"] == ["google-vertex/europe-west1"]
    assert [r["outcome"] for r in interactions(trail)] == ["allowed"]


def test_openrouter_sdk_async_denied(setup: Setup, stand_in: Any) -> None:
    from openrouter import OpenRouter, errors

    client, _, _ = setup

    async def main() -> None:
        http = httpx.AsyncClient(transport=AsyncGovernedTransport(client, ALICE))
        sdk = OpenRouter(api_key="unused", server_url=BASE, async_client=http)
        with pytest.raises(errors.OpenRouterError) as e:
            await sdk.chat.send_async(model="openai/gpt-4o", messages=HI)
        assert e.value.status_code == 403

    asyncio.run(main())
    assert stand_in.chat_bodies() == []
