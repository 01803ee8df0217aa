"""What a governed call adds from Python: ``Governor.begin`` + ``Call.complete`` over a canned
answer (no network), and ``Client.chat`` against the local stand-in beside a direct ``httpx``
call of the same request. ``make bench`` prints these beside the Rust and Node figures
(benches/governed.sh).

Prints ``python-<row> <p50 µs> <p99 µs>`` lines. Bounded: a fixed number of calls, then exits.
Usage: python bench_governed.py [CALLS]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, sys.path[0] is python/, whose routeguard/ is the source tree without the
# compiled module: use the installed package instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import httpx  # noqa: E402

import routeguard  # noqa: E402

CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
HTTP_CALLS = max(50, CALLS // 10)
POLICY = {
    "version": 1,
    "defaults": {
        "models": {"allow": ["anthropic/*"]},
        "providers": {"processing": ["EU"], "jurisdictions": ["EEA", "US"]},
        "dlp": {
            "scanner": {"actions": {"EMAIL_ADDRESS": "pseudonymize"}},
            "response": {"scan": True, "restore_pseudonyms": True},
        },
        "budgets": [{"scope": "user", "window": "daily", "limit_usd": 1000000}],
    },
    "users": {"alice": {}},
    "workspaces": {"eu": {}},
}
ALICE = {"user": "alice", "workspace": "eu"}
REQUEST = {
    "model": "anthropic/claude-sonnet-4",
    "max_tokens": 200,
    "messages": [
        {"role": "system", "content": "You are a helpful assistant for the support desk."},
        {"role": "user", "content": "My e-mail is ada@example.org; please summarise my last three orders and tell me when the next delivery arrives."},
    ],
}
RESPONSE = json.dumps({
    "id": "gen-1", "provider": "Google", "model": "anthropic/claude-sonnet-4", "object": "chat.completion",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Your last three orders were shipped; <EMAIL_ADDRESS_1> will get the tracking link. The next delivery arrives on Thursday."}}],
    "usage": {"prompt_tokens": 48, "completion_tokens": 30, "total_tokens": 78, "cost": 0.000594},
})


def parts():
    guard = routeguard.Guard(POLICY)
    ledger = routeguard.Ledger("memory:")
    trail = routeguard.AuditTrail.open(
        {"sink": {"type": "memory"}, "writer": "bench.python", "prompt": "redacted", "response": "hash"}, "ab" * 32
    )
    return guard, ledger, trail


def percentiles(samples: list) -> str:
    samples.sort()
    at = lambda q: samples[round((len(samples) - 1) * q)]  # noqa: E731
    return f"{at(0.5):.1f} {at(0.99):.1f}"


def micros(fn) -> float:
    started = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - started) / 1000


def main() -> None:
    guard, ledger, trail = parts()
    governor = routeguard.Governor(guard, ledger=ledger, trail=trail)

    def one() -> None:
        answer = governor.begin(ALICE, REQUEST).complete(200, RESPONSE)
        assert answer["allowed"], answer["reasons"]

    for _ in range(200):
        one()
    print("python-inprocess", percentiles([micros(one) for _ in range(CALLS)]))

    server = Path(__file__).resolve().parent.parent / "tests" / "mock-openrouter" / "server.py"
    mock = subprocess.Popen(
        [sys.executable, str(server), "--port", "0", "--idle-exit", "120"], stdout=subprocess.PIPE, text=True
    )
    try:
        root = mock.stdout.readline().strip().removeprefix("listening ")
        base = f"{root}/api/v1"
        with tempfile.TemporaryDirectory() as tmp:
            key_file = Path(tmp) / "key"
            key_file.write_text("sk-or-v1-bench\n")
            guard, ledger, trail = parts()
            client = routeguard.Client(guard, ledger=ledger, trail=trail, base_url=base, api_key_file=str(key_file))
            # The direct call sends what the governed call sends (constrained, DLP applied).
            call = routeguard.Governor(guard).begin(ALICE, REQUEST)
            body = call.request_json
            call.fail("bench: only the prepared request was needed")
            http = httpx.Client(headers={"authorization": "Bearer sk-or-v1-bench", "content-type": "application/json"})

            def direct() -> None:
                http.post(f"{base}/chat/completions", content=body).json()

            def governed() -> None:
                answer = client.chat(ALICE, REQUEST)
                assert answer["allowed"], answer["reasons"]

            for _ in range(20):
                direct()
                governed()
            d, g = [], []
            for _ in range(HTTP_CALLS):
                d.append(micros(direct))
                g.append(micros(governed))
            print("python-direct", percentiles(d))
            print("python-governed", percentiles(g))
    finally:
        mock.terminate()
        mock.wait(timeout=10)


if __name__ == "__main__":
    main()
