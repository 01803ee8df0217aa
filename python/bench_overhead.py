"""Per-call cost of scanning the ~2 KB benchmark prompt from Python with the default scanner.

Prints one line, `python  <µs>/call` (the median of several runs), which `make bench` sets beside
the same call made from Rust: the difference is the cost of crossing the binding (argument
conversion, releasing the GIL, building the Finding objects). Details go to stderr.
Usage: python bench_overhead.py [--calls N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as a script, sys.path[0] is python/, whose routeguard/ is the source tree without the
# compiled module: use the installed package instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import routeguard  # noqa: E402

PROMPT = Path(__file__).resolve().parent.parent / "tests" / "conformance" / "dlp" / "bench-prompt.txt"


def per_call_us(fn, arg, calls: int, runs: int) -> float:
    fn(arg)  # warm up: builds the default scanner's lazy parts
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        for _ in range(calls):
            fn(arg)
        samples.append((time.perf_counter_ns() - start) / calls / 1000.0)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    prompt = PROMPT.read_text(encoding="utf-8")
    scanner = routeguard.Scanner()
    findings = len(scanner.scan(prompt))
    public = per_call_us(scanner.scan, prompt, args.calls, args.runs)
    native = per_call_us(scanner._inner.scan, prompt, args.calls, args.runs)
    empty = per_call_us(scanner.scan, "", args.calls * 10, args.runs)
    print(
        f"# {len(prompt.encode())} bytes, {findings} findings; {args.runs} runs x {args.calls} calls; "
        f"native module directly {native:.2f} µs/call; empty text {empty:.2f} µs/call",
        file=sys.stderr,
    )
    print(f"python  {public:.2f} µs/call")


if __name__ == "__main__":
    main()
