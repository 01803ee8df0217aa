"""The README snippets (examples/quickstart.py, examples/guard.py and examples/governed.py, copied verbatim into the
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


def test_governed_snippet_runs_against_the_stand_in(stand_in):
    """examples/governed.py (in the README) with the stand-in as OpenRouter: the key and base URL
    come from the environment, as the example says."""
    import os

    stand_in.reset()
    env = {**os.environ, "OPENROUTER_BASE_URL": stand_in.base_url, "OPENROUTER_API_KEY": "sk-or-v1-example"}
    done = subprocess.run(
        [sys.executable, str(PYTHON_DIR / "examples" / "governed.py")],
        capture_output=True, text=True, check=True, cwd=PYTHON_DIR / "tests", env=env,
    )
    assert done.stdout.splitlines() == ["True written", "403 model_not_allowed"]
    (sent,) = stand_in.chat_bodies()
    assert sent["provider"]["only"] == ["google-vertex/europe-west1"]


def test_readme_governed_snippet_is_the_example():
    readme = (PYTHON_DIR / "README.md").read_text(encoding="utf-8")
    example = (PYTHON_DIR / "examples" / "governed.py").read_text(encoding="utf-8")
    assert "<!-- snippet: python/examples/governed.py -->\n```python\n" + example + "```" in readme
