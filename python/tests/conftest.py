"""Shared fixtures. The suite runs against the installed package (ci.sh installs it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import routeguard

PYTHON_DIR = Path(__file__).resolve().parent.parent
REPO = PYTHON_DIR.parent
CONFORMANCE = Path(os.environ.get("ROUTEGUARD_CONFORMANCE_DIR", REPO / "tests" / "conformance"))

# Planted values: tests assert that none of them ever shows up in a repr or an error message.
CARD = "4111 1111 1111 1111"
EMAIL = "jane.doe@example.com"
OPENROUTER_KEY = "sk-or-v1-" + "0123456789abcdef" * 4
CANARIES = (CARD, EMAIL, OPENROUTER_KEY, "4111", "jane.doe", "0123456789abcdef")


def assert_no_canary(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"a planted value leaked into: {text[:200]!r}"


@pytest.fixture(scope="session")
def scanner() -> routeguard.Scanner:
    return routeguard.Scanner()


@pytest.fixture(scope="session")
def prompt() -> str:
    return f"🙂 Mail {EMAIL} (信用卡 {CARD}) and use key {OPENROUTER_KEY} today."


def pytest_report_header(config: pytest.Config) -> str:
    return f"routeguard {routeguard.__version__} from {routeguard._native.__file__}"


# --- the local OpenRouter stand-in (tests/mock-openrouter/server.py), for the governed call ----

STAND_IN_KEY = "sk-or-v1-conformance"


class StandIn:
    """The stand-in running in this process, with its control API (`/_mock/...`)."""

    def __init__(self) -> None:
        import sys

        sys.path.insert(0, str(REPO / "tests" / "mock-openrouter"))
        from server import MockOpenRouter  # type: ignore[import-not-found]

        self._mock = MockOpenRouter()
        self.base_url: str = self._mock.start()
        self.root_url: str = self._mock.root_url

    def _call(self, method: str, path: str, body: object = None) -> object:
        import json
        import urllib.request

        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(
            self.root_url + path, data=data, method=method, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as reply:
            text = reply.read()
        return json.loads(text) if text else None

    def reset(self, script: object = None) -> None:
        self._call("POST", "/_mock/reset", {})
        if script is not None:
            self._call("POST", "/_mock/script", script)

    def requests(self) -> list:
        got = self._call("GET", "/_mock/requests")
        return got["requests"] if isinstance(got, dict) else got  # type: ignore[return-value]

    def chat_bodies(self) -> list:
        return [r["body"] for r in self.requests() if str(r.get("path", "")).endswith("/chat/completions")]

    def stop(self) -> None:
        self._mock.stop()


@pytest.fixture(scope="session")
def stand_in():
    server = StandIn()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "openrouter-key"
    path.write_text(STAND_IN_KEY + "\n", encoding="utf-8")
    return path
