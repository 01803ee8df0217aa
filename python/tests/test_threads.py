"""Scanning releases the GIL, objects are shared safely between threads, and the asyncio variants
keep the event loop running. Assertions are about behaviour, never about durations."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List

import pytest

import routeguard
from conftest import CARD, EMAIL

BIG = (f"Contact {EMAIL} or pay with {CARD}; nothing else to report here, just filler words. " * 2000)


class Ticker:
    """A Python thread that counts while it can get the GIL. It yields the GIL after every step
    (time.sleep(0)), so it runs exactly when no other thread holds the GIL."""

    def __init__(self) -> None:
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.count += 1
            time.sleep(0)

    def __enter__(self) -> "Ticker":
        self._thread.start()
        while self.count == 0:  # wait until it runs, yielding the GIL to it
            time.sleep(0)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def ticks_during(work: Callable[[], object], attempts: int) -> List[int]:
    """How far the ticker got during each call of `work`, run in a second thread.

    The switch interval is raised far above anything the test does, so the interpreter never
    takes the GIL away from a thread: the ticker can only advance during `work` if `work`
    releases the GIL itself.
    """
    progress: List[int] = []

    def worker() -> None:
        for _ in range(attempts):
            before = ticker.count
            work()
            progress.append(ticker.count - before)

    old = sys.getswitchinterval()
    sys.setswitchinterval(30.0)
    try:
        with Ticker() as ticker:
            thread = threading.Thread(target=worker)
            thread.start()
            thread.join()
    finally:
        sys.setswitchinterval(old)
    return progress


def busy_python() -> int:
    total = 0
    for i in range(200_000):
        total += i
    return total


def test_control_python_code_holding_the_gil_stops_the_ticker():
    # Validates the method: pure-Python work never lets the ticker move.
    assert ticks_during(busy_python, attempts=3) == [0, 0, 0]


def test_scan_lets_other_threads_run(scanner):
    progress = ticks_during(lambda: scanner.scan(BIG), attempts=20)
    assert any(p > 0 for p in progress), progress


def test_redact_and_stream_let_other_threads_run(scanner):
    assert any(p > 0 for p in ticks_during(lambda: scanner.redact(BIG, action="redact"), attempts=20))

    def stream() -> None:
        s = scanner.stream(action="redact")
        s.push(BIG)
        s.finish()

    assert any(p > 0 for p in ticks_during(stream, attempts=20))


def test_threads_share_scanner_and_vault(scanner):
    texts = [f"user {i}: {EMAIL} pays with {CARD} (#{i})" for i in range(64)]
    expected = [scanner.scan(t) for t in texts]
    vault = routeguard.Vault()
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(scanner.scan, texts))
        pseudonymised = list(pool.map(lambda t: scanner.redact(t, action="pseudonymize", vault=vault), texts))
    assert found == expected
    assert len(vault) == 2  # one token per distinct value, whatever the interleaving
    assert [vault.restore(r.text) for r in pseudonymised] == texts


def test_one_stream_from_many_threads_stays_consistent(scanner):
    stream = scanner.stream(action="redact")
    with ThreadPoolExecutor(max_workers=4) as pool:
        released = list(pool.map(stream.push, ["abc "] * 200))
    released.append(stream.finish())
    assert "".join(r.text for r in released) == "abc " * 200


def test_async_variants_match_the_sync_ones(scanner, prompt):
    vault = routeguard.Vault()

    async def main() -> None:
        found, redacted, request = await asyncio.gather(
            scanner.scan_async(prompt),
            scanner.redact_async(prompt, action="hash", hash_key=b"k"),
            scanner.scan_request_async({"messages": [{"role": "user", "content": prompt}]}, action="pseudonymize", vault=vault),
        )
        assert found == scanner.scan(prompt)
        assert redacted == scanner.redact(prompt, action="hash", hash_key=b"k")
        assert request.findings and vault.restore(request.request["messages"][0]["content"]) == prompt

        stream = scanner.stream(action="redact")

        async def chunks():
            for i in range(0, len(prompt), 5):
                yield prompt[i : i + 5]

        released = [r async for r in stream.feed_async(chunks())]
        assert "".join(r.text for r in released) == scanner.redact(prompt, action="redact").text
        other = scanner.stream(action="redact")
        text = (await other.push_async(prompt)).text + (await other.finish_async()).text
        assert text == scanner.redact(prompt, action="redact").text

    asyncio.run(main())


def test_async_scan_does_not_block_the_event_loop(scanner):
    # The scan runs in a worker thread: the loop keeps taking steps while it is pending (that
    # the worker runs in parallel with Python code is test_scan_lets_other_threads_run's job).
    async def main() -> List[int]:
        ticks_while_pending = []
        for _ in range(5):
            task = asyncio.ensure_future(scanner.scan_async(BIG))
            ticks = 0
            while not task.done():
                ticks += 1
                await asyncio.sleep(0)
            assert await task == scanner.scan(BIG)
            ticks_while_pending.append(ticks)
        return ticks_while_pending

    assert all(t >= 1 for t in asyncio.run(main()))


def test_async_errors_are_the_same_classes(scanner):
    async def main() -> None:
        with pytest.raises(routeguard.InvalidArgumentError):
            await scanner.redact_async("x", action="shout")  # type: ignore[arg-type]
        with pytest.raises(routeguard.InvalidJsonError):
            await scanner.scan_request_async("{")

    asyncio.run(main())


# --- the guard -------------------------------------------------------------------------------

EU_GUARD_POLICY = {
    "version": 1,
    "defaults": {
        "models": {"allow": ["anthropic/*"]},
        "providers": {"processing": ["EU"]},
        "dlp": {"scanner": {"actions": {"pii": "redact", "EMAIL_ADDRESS": "pseudonymize"}}},
    },
    "workspaces": {"eu": {}},
    "users": {"alice": {}},
}
ALICE = {"user": "alice", "workspace": "eu"}


def eu_chat(content: str) -> dict:
    return {"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": content}]}


@pytest.fixture(scope="module")
def guard() -> routeguard.Guard:
    return routeguard.Guard(EU_GUARD_POLICY)


def test_prepare_lets_other_threads_run(guard):
    request = eu_chat(BIG)
    progress = ticks_during(lambda: guard.prepare(ALICE, request), attempts=20)
    assert any(p > 0 for p in progress), progress


def test_threads_share_a_guard_and_a_vault(guard):
    texts = [f"user {i}: {EMAIL} pays with {CARD} (#{i})" for i in range(32)]
    expected = [guard.prepare(ALICE, eu_chat(t)) for t in texts]
    vault = routeguard.Vault()
    with ThreadPoolExecutor(max_workers=8) as pool:
        decisions = list(pool.map(lambda t: guard.prepare(ALICE, eu_chat(t)), texts))
        pseudonymised = list(pool.map(lambda t: guard.prepare(ALICE, eu_chat(t), vault=vault), texts))
    assert decisions == expected
    assert len(vault) == 1  # one token per distinct value, whatever the interleaving
    sent = [d.prepared.request["messages"][0]["content"] for d in pseudonymised]
    assert all(EMAIL not in s and EMAIL in vault.restore(s) for s in sent)


def test_guard_async_variants_match_the_sync_ones(guard):
    served = {"provider": "Anthropic", "choices": [{"message": {"role": "assistant", "content": "x"}}]}

    async def main() -> None:
        decision, denied = await asyncio.gather(
            guard.prepare_async(ALICE, eu_chat(f"mail {EMAIL}")),
            guard.prepare_async(ALICE, {"model": "openai/gpt-4o", "messages": []}),
        )
        assert decision == guard.prepare(ALICE, eu_chat(f"mail {EMAIL}"))
        assert decision.allowed and not denied.allowed
        check = await guard.verify_async(decision.prepared, served)
        assert check == guard.verify(decision.prepared, served)
        assert check.withheld
        with pytest.raises(routeguard.InvalidJsonError):
            await guard.prepare_async(ALICE, "{")
        task = asyncio.ensure_future(guard.prepare_async(ALICE, eu_chat(BIG)))
        ticks = 0
        while not task.done():
            ticks += 1
            await asyncio.sleep(0)
        assert (await task).allowed and ticks >= 1

    asyncio.run(main())
