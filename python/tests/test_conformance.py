"""Runs every case of every file in tests/conformance/ (README.md there describes the formats;
the policy files describe themselves in their `description`).

The directory is walked, not listed here, so files the lead adds are picked up; a file or an `op`
this runner does not know fails the suite instead of being skipped. Python compares `start`/`end`
(code points) and `byte_start`/`byte_end`; the `utf16_*` offsets belong to JavaScript.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

import routeguard
from conftest import CONFORMANCE

Case = Dict[str, Any]
Document = Dict[str, Any]

# Files in the corpus that hold no cases: inputs of other tools (the CLI's --jsonl form, the
# benchmark prompt), the policy cases' catalogue, and the corpus' own documentation.
NOT_CASES = {"README.md", "dlp/sample.jsonl", "dlp/bench-prompt.txt", "policy/catalog.json"}
# Directories whose JSON files hold cases.
CASE_DIRS = {"dlp", "policy", "budget"}
UNIT_KEYS = ("utf16_start", "utf16_end")


@lru_cache(maxsize=None)
def _scanner(config_json: Optional[str]) -> routeguard.Scanner:
    return routeguard.Scanner(config_json)


def scanner_for(case: Case) -> routeguard.Scanner:
    config = case.get("config")
    return _scanner(None if config is None else json.dumps(config, sort_keys=True))


def project(actual: Any, expected: Dict[str, Any]) -> Dict[str, Any]:
    """The fields of `actual` that `expected` names (other languages' offsets left out)."""
    return {k: getattr(actual, k) for k in expected if k not in UNIT_KEYS}


def expected_fields(expected: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in expected.items() if k not in UNIT_KEYS}


def compare_findings(actual: List[Any], expected: List[Dict[str, Any]], what: str = "findings") -> None:
    assert [project(a, e) for a, e in zip(actual, expected)] == [expected_fields(e) for e in expected], what
    assert len(actual) == len(expected), f"{what}: {len(actual)} found, {len(expected)} expected"


def apply_options(options: Dict[str, Any]) -> Dict[str, Any]:
    known = {"action", "hash_key"}
    unknown = set(options) - known
    assert not unknown, f"unknown options {sorted(unknown)}"
    out = dict(options)
    if "hash_key" in out:
        out["hash_key"] = out["hash_key"].encode("utf-8")
    return out


def expect_error(code: str, make: Callable[[], Any]) -> None:
    assert code in routeguard.errors.BY_CODE, f"unknown error code {code!r} in the corpus"
    with pytest.raises(routeguard.RouteguardError) as info:
        make()
    assert info.value.code == code
    assert isinstance(info.value, routeguard.errors.BY_CODE[code])


# --- one function per op (a case and its whole document) ------------------------------------


def op_cases(case: Case, doc: Document) -> None:
    scanner = scanner_for(case)
    text = case["text"]
    found = scanner.scan(text)
    compare_findings(found, case["findings"])
    for f in found:
        assert text.encode()[f.byte_start : f.byte_end].decode() == text[f.start : f.end]
    assert scanner.redact(text, action="redact").text == case["redacted"]


def op_actions(case: Case, doc: Document) -> None:
    scanner = scanner_for(case)
    result = scanner.redact(case["text"], **apply_options(case.get("options", {})))
    expect = case["expect"]
    assert result.text == expect["text"]
    assert result.blocked == expect["blocked"]
    compare_findings(result.applied, expect["applied"], "applied")


def op_pseudonymize(case: Case, doc: Document) -> None:
    scanner = scanner_for(case)
    vault = routeguard.Vault()
    texts = [scanner.redact(t, action="pseudonymize", vault=vault).text for t in case["texts"]]
    assert texts == case["expect"]["texts"]
    assert vault.restore(case["restore"]["input"]) == case["restore"]["output"]
    assert len(vault) == case["expect"]["vault_len"]


def op_requests(case: Case, doc: Document) -> None:
    scanner = scanner_for(case)
    assert ("request" in case) != ("request_text" in case), "give exactly one of request, request_text"
    request = case["request"] if "request" in case else case["request_text"]
    options = apply_options(case.get("options", {}))
    expect = case["expect"]
    if "error" in expect:
        expect_error(expect["error"], lambda: scanner.scan_request(request, **options))
        return
    result = scanner.scan_request(request, **options)
    assert result.blocked == expect["blocked"]
    assert result.request == expect["request"]
    compare_findings(result.findings, expect["findings"])
    compare_findings(result.inline_data, expect["inline_data"], "inline_data")


def op_streams(case: Case, doc: Document) -> None:
    scanner = scanner_for(case)
    stream = scanner.stream(**apply_options(case.get("options", {})))
    released = list(stream.feed(case["chunks"]))
    expect = case["expect"]
    assert "".join(r.text for r in released) == expect["text"]
    assert any(r.blocked for r in released) == expect["blocked"]
    compare_findings([f for r in released for f in r.findings], expect["findings"])


def op_config_errors(case: Case, doc: Document) -> None:
    sources = [k for k in ("json", "yaml") if k in case]
    assert len(sources) == 1, "give exactly one of json, yaml"
    if sources[0] == "json":
        make: Callable[[], Any] = lambda: routeguard.Scanner(case["json"])
    else:
        make = lambda: routeguard.Scanner.from_yaml(case["yaml"])
    expect_error(case["expect"]["error"], make)


# --- policy: prepare, verify, policy errors over policy/catalog.json ------------------------

POLICY_DIR = CONFORMANCE / "policy"


@lru_cache(maxsize=None)
def policy_catalog() -> str:
    return (POLICY_DIR / "catalog.json").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _guard(policy_json: str) -> routeguard.Guard:
    return routeguard.Guard(policy_json, catalog=policy_catalog())


def guard_for(case: Case, doc: Document) -> routeguard.Guard:
    return _guard(json.dumps(doc["policies"][case["policy"]], sort_keys=True))


def policy_request(case: Case) -> Any:
    assert ("request" in case) != ("request_text" in case), "give exactly one of request, request_text"
    return case["request"] if "request" in case else case["request_text"]


def check_subset(actual: List[Any], expected: List[Dict[str, Any]], what: str) -> None:
    """Each expected entry compared on the keys it names only, in order."""
    got = [a.to_dict() for a in actual]
    assert len(got) == len(expected), f"{what}: {got}"
    for g, e in zip(got, expected):
        assert {k: g[k] for k in e} == e, f"{what}: {g}"


def op_prepare(case: Case, doc: Document) -> None:
    guard = guard_for(case, doc)
    expect = case["expect"]
    run = lambda: guard.prepare(case["principal"], policy_request(case))
    if "error" in expect:
        expect_error(expect["error"], run)
        return
    decision = run()
    assert decision.allowed == expect["allowed"], repr(decision)
    assert (decision.prepared is not None) == decision.allowed
    assert decision.policy_hash == guard.policy_hash
    check_subset(decision.reasons, expect.get("reasons", []), "reasons")
    if "notices" in expect:
        check_subset(decision.notices, expect["notices"], "notices")
    prepared = decision.prepared
    if prepared is None:
        return
    if "models" in expect:
        assert prepared.models == expect["models"]
    if "providers" in expect:
        assert prepared.providers == expect["providers"]
    if "findings" in expect:
        check_subset(prepared.findings, expect["findings"], "findings")
    sent = prepared.request
    assert sent == json.loads(prepared.request_json)
    for key, value in expect.get("sent", {}).items():
        assert sent.get(key) == value, f"sent.{key}"
    for key in expect.get("sent_has_no", []):
        assert key not in sent, f"sent has {key}"


def op_verify(case: Case, doc: Document) -> None:
    guard = guard_for(case, doc)
    decision = guard.prepare(case["principal"], policy_request(case))
    assert decision.prepared is not None, f"the request must be allowed: {decision!r}"
    v = guard.verify(decision.prepared, case["response"])
    expect = case["expect"]
    assert v.allowed == expect["allowed"], repr(v)
    assert v.provider == expect["provider"]
    check_subset(v.reasons, expect["reasons"], "reasons")
    assert v.withheld == expect["withheld"]
    assert v.response == json.loads(v.response_json)
    if v.withheld:
        assert not v.response.get("choices"), "withheld content"
    else:
        assert v.response == case["response"], "the response passes through"


def op_policy_errors(case: Case, doc: Document) -> None:
    sources = [k for k in ("json", "yaml") if k in case]
    assert len(sources) == 1, "give exactly one of json, yaml"
    if sources[0] == "json":
        make: Callable[[], Any] = lambda: routeguard.Guard(case["json"], catalog=policy_catalog())
    else:
        make = lambda: routeguard.Guard.from_yaml(case["yaml"], catalog=policy_catalog())
    expect_error(case["expect"]["error"], make)


# --- budget: ledger steps on every backend; reservation and settlement through the guard -----


def check_budget(got: Any, expected: Any, path: str) -> None:
    """`got` has every key of `expected` with the same value; lists match in length and order,
    each entry on the keys it gives."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), f"{path}: {got!r}"
        for key, value in expected.items():
            check_budget(got.get(key), value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), f"{path}: {got!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            check_budget(g, e, f"{path}[{i}]")
    else:
        assert got == expected, f"{path}: {got!r} != {expected!r}"


def lift_denials(outcome: Dict[str, Any]) -> Dict[str, Any]:
    """Denials are checked on their cap's fields plus the request's."""
    for key in ("denials", "shadow"):
        outcome[key] = [{**{k: v for k, v in d.items() if k != "cap"}, **d["cap"]} for d in outcome[key]]
    return outcome


def fresh_postgres(url: str, case: str) -> str:
    """A schema of its own per case (`search_path`), dropped first, created with psql."""
    schema = "conf_py_" + re.sub(r"[^A-Za-z0-9]", "_", case)
    psql = shutil.which("psql")
    assert psql, "ROUTEGUARD_TEST_POSTGRES is set but psql is not installed"
    subprocess.run(
        [psql, "-q", "-v", "ON_ERROR_STOP=1", url, "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"],
        check=True,
    )
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def ledger_urls(case: str, tmp: str) -> List[Tuple[str, str]]:
    """A fresh store per backend: memory, a new SQLite file, and PostgreSQL when
    ROUTEGUARD_TEST_POSTGRES names a database."""
    urls = [("memory", "memory:"), ("sqlite", f"sqlite:{os.path.join(tmp, case + '.db')}")]
    postgres = os.environ.get("ROUTEGUARD_TEST_POSTGRES")
    if postgres:
        urls.append(("postgres", fresh_postgres(postgres, case)))
    return urls


def ledger_step(ledger: routeguard.Ledger, ids: Dict[str, str], step: Dict[str, Any]) -> Any:
    now = step.get("now_ms")
    op = step["op"]
    if op == "reserve":
        out = ledger.reserve(step["caps"], step["amount_micros"], step["meta"], step.get("lease_ms"), now)
        if "as" in step and out["id"] is not None:
            ids[step["as"]] = out["id"]
        return lift_denials(out)
    if op == "settle":
        return ledger.settle(ids.get(step["id"], step["id"]), step["settlement"], now)
    if op == "renew":
        return ledger.renew(ids[step["id"]], step["lease_ms"], now)
    if op == "status":
        return ledger.status(step["caps"], now)
    if op == "report":
        return ledger.report(step["by"], step["window"], now).to_dict()
    raise AssertionError(f"unknown ledger op {op!r}; teach test_conformance.py")


def op_ledger(case: Case, doc: Document) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for backend, url in ledger_urls(case["name"], tmp):
            ledger = routeguard.Ledger(url)
            assert ledger.backend == backend
            ids: Dict[str, str] = {}
            for i, step in enumerate(case["steps"]):
                label = f"{backend} step {i}"
                expect = step.get("expect")
                if isinstance(expect, dict) and "error" in expect:
                    with pytest.raises(routeguard.RouteguardError) as info:
                        ledger_step(ledger, ids, step)
                    assert info.value.code == expect["error"], label
                    continue
                got = ledger_step(ledger, ids, step)
                if expect is not None:
                    check_budget(got, expect, label)


def op_budget_guard(case: Case, doc: Document) -> None:
    guard = routeguard.Guard(doc["policy"], catalog=policy_catalog())
    ledger = routeguard.Ledger("memory:")
    decision = guard.prepare(case["principal"], case["request"])
    assert decision.prepared is not None, f"the case's request must be allowed: {decision!r}"
    got = guard.reserve(ledger, case["principal"], decision.prepared, now_ms=case.get("now_ms"))
    lifted = lift_denials({**{k: v for k, v in got.items() if k != "estimate"}, **got["estimate"]})
    check_budget(lifted, case["expect_reserve"], "reserve")
    if "outcome" in case:
        record = guard.settle(ledger, got["id"], case.get("response"), case["outcome"], case.get("now_ms"))
        check_budget(record, case["expect_settle"], "settle")


OPS: Dict[str, Callable[[Case, Document], None]] = {
    "cases": op_cases,
    "actions": op_actions,
    "pseudonymize": op_pseudonymize,
    "requests": op_requests,
    "streams": op_streams,
    "config_errors": op_config_errors,
    "prepare": op_prepare,
    "verify": op_verify,
    "policy_errors": op_policy_errors,
    "ledger": op_ledger,
    "guard": op_budget_guard,
}


def check_error_table(document: Dict[str, Any]) -> None:
    table = [c.to_dict() for c in routeguard.error_codes()]
    assert table == document["codes"]
    for row in document["codes"]:
        assert routeguard.errors.BY_CODE[row["name"]].number == row["number"]


# --- collection ----------------------------------------------------------------------------


def collect() -> List[Any]:
    params: List[Any] = []
    assert CONFORMANCE.is_dir(), f"no conformance corpus at {CONFORMANCE}"
    for path in sorted(p for p in CONFORMANCE.rglob("*") if p.is_file()):
        rel = path.relative_to(CONFORMANCE).as_posix()
        if rel in NOT_CASES:
            continue
        if rel == "errors.json":
            params.append(pytest.param("table", path, None, id="errors.json"))
            continue
        if path.parent.parent != CONFORMANCE or path.parent.name not in CASE_DIRS or path.suffix != ".json":
            params.append(pytest.param("unknown-file", path, None, id=rel))
            continue
        document = json.loads(path.read_text(encoding="utf-8"))
        cases = document.get("cases")
        if not isinstance(cases, list) or not cases:
            params.append(pytest.param("unknown-file", path, None, id=rel))
            continue
        names = set()
        for index, case in enumerate(cases):
            name = case.get("name", f"#{index}")
            assert name not in names, f"{rel}: two cases named {name}"
            names.add(name)
            params.append(pytest.param(case.get("op", path.stem), path, case, id=f"{rel}::{name}"))
    return params


PARAMS = collect()


@lru_cache(maxsize=None)
def document(path: Path) -> Document:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("op, path, case", PARAMS)
def test_conformance(op: str, path: Path, case: Optional[Case]) -> None:
    if op == "unknown-file":
        pytest.fail(f"{path}: not a conformance file this runner knows; teach test_conformance.py")
    if op == "table":
        check_error_table(json.loads(path.read_text(encoding="utf-8")))
        return
    assert op in OPS, f"{path}: unknown op {op!r}; teach test_conformance.py"
    assert case is not None
    OPS[op](case, document(path))


def test_corpus_is_not_empty() -> None:
    ops: Tuple[str, ...] = tuple(p.values[0] for p in PARAMS)
    assert "cases" in ops, "the DLP cases file is missing from the corpus"
    for op in ("prepare", "verify", "policy_errors", "ledger", "guard"):
        assert op in ops, f"the policy {op} file is missing from the corpus"
