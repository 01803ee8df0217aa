"""The README snippets (examples/quickstart.py and examples/guard.py, copied verbatim into the
README) run and print what their comments promise; the benchmark script runs too."""

from __future__ import annotations

import subprocess
import sys

from conftest import PYTHON_DIR

QUICKSTART = PYTHON_DIR / "examples" / "quickstart.py"
GUARD = PYTHON_DIR / "examples" / "guard.py"


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, cwd=PYTHON_DIR / "tests"
    )
    return done.stdout


def test_quickstart_is_short_and_runs():
    code = [
        line
        for line in QUICKSTART.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert len(code) <= 10
    assert run(str(QUICKSTART)).splitlines() == [
        "email_address 6 26",
        "credit_card 38 57",
        "Email [EMAIL_ADDRESS] about card [CREDIT_CARD]",
    ]


def test_guard_snippet_is_short_and_runs():
    code = [
        line
        for line in GUARD.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert len(code) <= 12
    assert run(str(GUARD)).splitlines() == [
        "True {'only': ['google-vertex/europe-west1']}",
        "no_compliant_endpoint",
        "False anthropic True",
    ]


def test_bench_overhead_prints_one_line():
    out = run(str(PYTHON_DIR / "bench_overhead.py"), "--calls", "20", "--runs", "3")
    (line,) = out.splitlines()
    language, figure, unit = line.split()
    assert language == "python" and unit == "µs/call" and float(figure) > 0
