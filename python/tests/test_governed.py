"""The governed call against the local OpenRouter stand-in: `Client` (chat, chat_async, stream,
astream, cancel), `Governor` (begin, complete, fail), errors and reprs."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Tuple

import pytest

import routeguard
from conftest import OPENROUTER_KEY, STAND_IN_KEY, assert_no_canary

POLICY = {
    "version": 1,
    "defaults": {"models": {"allow": ["anthropic/*", "mistralai/*"]}},
    "workspaces": {
        "eu": {
            "providers": {"processing": ["EU"], "jurisdictions": ["EEA", "US"]},
            "budgets": [{"scope": "user", "window": "daily", "limit_usd": "0.05"}],
        }
    },
    "users": {"alice": {}},
}
ALICE = {"user": "alice", "workspace": "eu"}
REQUEST = {"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 100}
DENIED = {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}

Setup = Tuple[routeguard.Client, routeguard.Ledger, routeguard.AuditTrail]


@pytest.fixture
def setup(stand_in: Any, key_file: Any) -> Setup:
    stand_in.reset()
    ledger = routeguard.Ledger("memory:")
    trail = routeguard.AuditTrail.open({"sink": {"type": "memory"}, "writer": "py.governed"}, "00" * 32)
    client = routeguard.Client(
        routeguard.Guard(POLICY),
        ledger=ledger,
        trail=trail,
        base_url=stand_in.base_url,
        api_key_file=key_file,
        backoff_ms=5,
    )
    return client, ledger, trail


def interactions(trail: routeguard.AuditTrail) -> List[Dict[str, Any]]:
    return [r for r in map(json.loads, trail.lines()) if r["kind"] == "interaction"]


def text_of(chunks: List[Dict[str, Any]]) -> str:
    return "".join(((c.get("choices") or [{}])[0].get("delta") or {}).get("content") or "" for c in chunks)


def test_chat_sends_eu_only_and_records_once(setup: Setup, stand_in: Any) -> None:
    client, ledger, trail = setup
    stand_in.reset([{"content": "Bonjour from Frankfurt"}])
    answer = client.chat(ALICE, REQUEST)
    assert answer["allowed"] is True and answer["status"] == 200
    assert answer["response"]["choices"][0]["message"]["content"] == "Bonjour from Frankfurt"
    assert answer["spend"]["outcome"] == "completed"
    assert answer["audit"]["status"] == "written"
    (sent,) = stand_in.chat_bodies()
    assert sent["provider"]["only"] == ["google-vertex/europe-west1"]
    assert [r["outcome"] for r in interactions(trail)] == ["allowed"]
    assert len(ledger.records()) == 1


def test_chat_accepts_json_text(setup: Setup, stand_in: Any) -> None:
    client, _, _ = setup
    answer = client.chat(json.dumps(ALICE), json.dumps(REQUEST))
    assert answer["allowed"] is True


def test_chat_denied_never_leaves(setup: Setup, stand_in: Any) -> None:
    client, ledger, trail = setup
    answer = client.chat(ALICE, DENIED)
    assert answer["allowed"] is False and answer["response"] is None
    assert [r["code"] for r in answer["reasons"]] == ["model_not_allowed"]
    assert stand_in.chat_bodies() == []
    assert [r["outcome"] for r in interactions(trail)] == ["denied"]
    assert ledger.records() == []


def test_chat_async(setup: Setup, stand_in: Any) -> None:
    client, _, trail = setup
    stand_in.reset([{"content": "one"}, {"content": "two"}])

    async def main() -> List[Dict[str, Any]]:
        return list(await asyncio.gather(client.chat_async(ALICE, REQUEST), client.chat_async(ALICE, REQUEST)))

    answers = asyncio.run(main())
    assert sorted(a["response"]["choices"][0]["message"]["content"] for a in answers) == ["one", "two"]
    assert len(interactions(trail)) == 2


def test_chat_releases_the_gil(setup: Setup, stand_in: Any) -> None:
    client, _, _ = setup
    stand_in.reset([{"content": "slow", "delay_ms": 400}])
    ticks = [0]
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    try:
        assert client.chat(ALICE, REQUEST)["allowed"] is True
    finally:
        done.set()
        t.join()
    assert ticks[0] >= 10, "another thread could not run while the call waited"


def test_stream_passes_chunks_then_answers(setup: Setup, stand_in: Any) -> None:
    client, ledger, trail = setup
    stand_in.reset([{"content": "streamed from the EU", "chunk_size": 4}])
    stream = client.stream(ALICE, REQUEST)
    first = next(stream)
    assert stream.answer is None, "no answer before the end"
    chunks = [first] + list(stream)
    assert text_of(chunks) == "streamed from the EU"
    assert len(chunks) >= 6
    answer = stream.answer
    assert answer is not None and answer["allowed"] is True and answer["stream"] is True
    assert answer["spend"]["outcome"] == "streamed"
    assert list(stream) == []
    assert [r["outcome"] for r in interactions(trail)] == ["allowed"]
    assert len(ledger.records()) == 1


def test_stream_refusal_answers_at_once(setup: Setup, stand_in: Any) -> None:
    client, _, _ = setup
    stream = client.stream(ALICE, DENIED)
    assert stream.answer is not None and stream.answer["allowed"] is False
    assert list(stream) == []
    assert stand_in.chat_bodies() == []


def test_stream_context_manager_cancels_on_early_exit(setup: Setup, stand_in: Any) -> None:
    client, ledger, trail = setup
    stand_in.reset([{"content": "a long answer that is never read to its end", "chunk_size": 2}])
    with client.stream(ALICE, REQUEST) as stream:
        for _chunk in stream:
            break
    assert stream.over
    (record,) = interactions(trail)
    (spend,) = ledger.records()
    assert spend["outcome"] == "cancelled"
    assert record["outcome"] == "error" and record["error"]["code"] == "cancelled"
    assert stream.answer is not None and stream.answer["reasons"][0]["code"] == "cancelled"
    stream.cancel()  # a second cancel is harmless


def test_stream_cancel_explicitly(setup: Setup, stand_in: Any) -> None:
    client, ledger, trail = setup
    stand_in.reset([{"content": "x" * 64, "chunk_size": 2}])
    stream = client.stream(ALICE, REQUEST)
    next(stream)
    stream.cancel()
    assert list(stream) == []
    assert len(interactions(trail)) == 1
    assert [r["outcome"] for r in ledger.records()] == ["cancelled"]


def test_astream(setup: Setup, stand_in: Any) -> None:
    client, _, trail = setup
    stand_in.reset([{"content": "async stream", "chunk_size": 3}])

    async def main() -> Tuple[str, Any]:
        stream = client.astream(ALICE, REQUEST)
        chunks = [c async for c in stream]
        return text_of(chunks), stream.answer

    text, answer = asyncio.run(main())
    assert text == "async stream"
    assert answer["allowed"] is True
    assert len(interactions(trail)) == 1


def test_astream_context_manager_cancels(setup: Setup, stand_in: Any) -> None:
    client, ledger, _ = setup
    stand_in.reset([{"content": "y" * 64, "chunk_size": 2}])

    async def main() -> None:
        async with client.astream(ALICE, REQUEST) as stream:
            async for _chunk in stream:
                break

    asyncio.run(main())
    assert [r["outcome"] for r in ledger.records()] == ["cancelled"]


def test_astream_refusal(setup: Setup) -> None:
    client, _, _ = setup

    async def main() -> Any:
        async with client.astream(ALICE, DENIED) as stream:
            assert [c async for c in stream] == []
            return stream.answer

    assert asyncio.run(main())["allowed"] is False


def post(url: str, body: str) -> Tuple[int, bytes]:
    req = urllib.request.Request(
        url + "/chat/completions",
        data=body.encode("utf-8"),
        method="POST",
        headers={"authorization": "Bearer " + STAND_IN_KEY, "content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_governor_begin_complete(stand_in: Any) -> None:
    stand_in.reset([{"content": "sent by my own HTTP"}])
    ledger = routeguard.Ledger("memory:")
    trail = routeguard.AuditTrail.open({"sink": {"type": "memory"}}, "00" * 32)
    governor = routeguard.Governor(routeguard.Guard(POLICY), ledger=ledger, trail=trail)
    call = governor.begin(ALICE, REQUEST)
    assert isinstance(call, routeguard.Call)
    assert call.request["provider"]["only"] == ["google-vertex/europe-west1"]
    status, body = post(stand_in.base_url, call.request_json)
    answer = call.complete(status, body)
    assert answer["allowed"] is True
    assert answer["response"]["choices"][0]["message"]["content"] == "sent by my own HTTP"
    with pytest.raises(routeguard.InvalidArgumentError):
        call.complete(status, body)
    assert len(interactions(trail)) == 1 and len(ledger.records()) == 1


def test_governor_complete_takes_str_and_upstream_errors(stand_in: Any) -> None:
    stand_in.reset([{"status": 402}])
    governor = routeguard.Governor(routeguard.Guard(POLICY), ledger=routeguard.Ledger("memory:"))
    call = governor.begin(ALICE, REQUEST)
    assert isinstance(call, routeguard.Call)
    status, body = post(stand_in.base_url, call.request_json)
    answer = call.complete(status, body.decode("utf-8"))
    assert answer["allowed"] is False and answer["status"] == 402
    assert [r["code"] for r in answer["reasons"]] == ["upstream_error"]


def test_governor_refused_and_fail(stand_in: Any) -> None:
    trail = routeguard.AuditTrail.open({"sink": {"type": "memory"}}, "00" * 32)
    governor = routeguard.Governor(routeguard.Guard(POLICY), trail=trail)
    refused = governor.begin(ALICE, DENIED)
    assert isinstance(refused, routeguard.Refused)
    assert refused.answer["allowed"] is False
    assert "model_not_allowed" in repr(refused)
    call = governor.begin(ALICE, REQUEST)
    assert isinstance(call, routeguard.Call)
    call.fail("connection reset")
    with pytest.raises(routeguard.InvalidArgumentError):
        call.fail("again")
    assert len(interactions(trail)) == 2


def test_governor_begin_async(stand_in: Any) -> None:
    governor = routeguard.Governor(routeguard.Guard(POLICY))
    begun = asyncio.run(governor.begin_async(ALICE, DENIED))
    assert isinstance(begun, routeguard.Refused)


def test_missing_key_raises(stand_in: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROUTEGUARD_TEST_NO_SUCH_KEY", raising=False)
    with pytest.raises(routeguard.MissingApiKeyError):
        client = routeguard.Client(
            routeguard.Guard(POLICY), base_url=stand_in.base_url, api_key_env="ROUTEGUARD_TEST_NO_SUCH_KEY"
        )
        client.chat(ALICE, REQUEST)


def test_key_from_environment_and_unreachable_openrouter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTEGUARD_TEST_KEY", OPENROUTER_KEY)
    client = routeguard.Client(
        routeguard.Guard(POLICY),
        base_url="http://127.0.0.1:9/api/v1",
        api_key_env="ROUTEGUARD_TEST_KEY",
        max_retries=0,
        connect_timeout_ms=500,
    )
    assert client.base_url == "http://127.0.0.1:9/api/v1"
    assert_no_canary(repr(client))
    with pytest.raises(routeguard.TransportFailedError) as e:
        client.chat(ALICE, {**REQUEST, "messages": [{"role": "user", "content": "card 4111 1111 1111 1111"}]})
    assert_no_canary(str(e.value))
    assert_no_canary(repr(e.value))


def test_invalid_request_raises(setup: Setup) -> None:
    client, _, _ = setup
    with pytest.raises(routeguard.RouteguardError):
        client.chat(ALICE, "{not json")


def test_reprs_hold_no_prompt_or_key(setup: Setup, stand_in: Any, prompt: str) -> None:
    client, _, _ = setup
    request = {**REQUEST, "messages": [{"role": "user", "content": prompt}]}
    stream = client.stream(ALICE, request)
    assert_no_canary(repr(stream))
    stream.cancel()
    call = routeguard.Governor(routeguard.Guard(POLICY)).begin(ALICE, request)
    assert_no_canary(repr(call))
    assert_no_canary(repr(client))
    assert "Governor" in repr(routeguard.Governor(routeguard.Guard(POLICY)))
