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
