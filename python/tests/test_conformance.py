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
from conftest import CONFORMANCE, STAND_IN_KEY, StandIn

Case = Dict[str, Any]
Document = Dict[str, Any]

# Files in the corpus that hold no cases: inputs of other tools (the CLI's --jsonl form, the
# benchmark prompt), the policy cases' catalogue, the generator of the canonical-JSON cases and
# the corpus' own documentation.
NOT_CASES = {
    "README.md",
    "dlp/sample.jsonl",
    "dlp/bench-prompt.txt",
    "policy/catalog.json",
    "audit/gen-canonical.mjs",
}
# Directories whose JSON files hold cases.
CASE_DIRS = {"dlp", "policy", "budget", "audit", "governed"}
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


# --- audit: golden records, verify over mutated logs, records through the guard, RFC 8785 -----

AUDIT_DIR = CONFORMANCE / "audit"


class ConformanceSinkDown(Exception):
    """What the callback sink of a records.json case raises on the calls it lists."""


def audit_records() -> Document:
    return document(AUDIT_DIR / "records.json")


def verify_public_key() -> str:
    """The public key of records.json's signing seed (verify.json names it)."""
    return document(AUDIT_DIR / "verify.json")["public_key"]


def open_case_trail(doc: Document, case: Case) -> Tuple[routeguard.AuditTrail, List[str]]:
    """The case's trail: a callback sink failing on the listed 1-based calls (the lines it
    accepts collected) when `callback_fails` is set, else the case's own config (memory)."""
    accepted: List[str] = []
    callback = None
    if "callback_fails" in case:
        fails = set(case["callback_fails"])
        calls = [0]

        def callback(line: str) -> None:
            calls[0] += 1
            if calls[0] in fails:
                raise ConformanceSinkDown("the conformance sink is down")
            accepted.append(line)

    trail = routeguard.AuditTrail.open(case["config"], doc["chain_key"], doc["signing_key"], callback)
    return trail, accepted


def op_audit_records(case: Case, doc: Document) -> None:
    trail, accepted = open_case_trail(doc, case)
    assert trail.public_key == verify_public_key()
    for i, step in enumerate(case["steps"]):
        label = f"step {i}"
        now = step.get("now_ms")
        if "write" in step:
            run: Callable[[], Any] = lambda: trail.write(step["write"], now)
        elif "checkpoint" in step:
            run = lambda: trail.checkpoint(now)
        else:
            assert "close" in step, f"{label}: unknown step {sorted(step)}"
            run = lambda: trail.close(now)
        if "expect_error" in step:
            expect_error(step["expect_error"], run)
            continue
        receipt = run()
        assert receipt["status"] == step.get("expect_status", "written"), label
        assert receipt["writer"] == trail.writer, label
    lines = accepted if "callback_fails" in case else trail.lines()
    text = "".join(line + "\n" for line in lines)
    for absent in case.get("expect_absent", []):
        assert absent not in text, f"the log holds {absent!r}"
    report = routeguard.audit_verify_text(text, doc["chain_key"], verify_public_key())
    assert report["status"] == case.get("expect_verify", "intact"), report["problems"]
    assert "expect_lines" in case, "no expect_lines (bless them with the Rust runner)"
    assert lines == case["expect_lines"]


def mutated_log(records: Document, case: Case) -> bytes:
    """The log of a records.json case (its expect_lines, each with a newline) after the case's
    `mutate`, applied in the reference runner's order."""
    (source,) = [c for c in records["cases"] if c["name"] == case["log"]]
    lines: List[str] = list(source["expect_lines"])
    m = case.get("mutate", {})
    known = {"delete", "duplicate", "swap", "keep_lines", "replace", "cut_bytes"}
    assert not set(m) - known, f"unknown mutations {sorted(set(m) - known)}"
    if "delete" in m:
        del lines[m["delete"]]
    if "duplicate" in m:
        lines.insert(m["duplicate"] + 1, lines[m["duplicate"]])
    if "swap" in m:
        i, j = m["swap"]
        lines[i], lines[j] = lines[j], lines[i]
    if "keep_lines" in m:
        lines = lines[: m["keep_lines"]]
    if "replace" in m:
        r = m["replace"]
        lines[r["line"]] = lines[r["line"]].replace(r["from"], r["to"], 1)
    text = "".join(line + "\n" for line in lines).encode("utf-8")
    return text[: len(text) - m.get("cut_bytes", 0)]


def op_audit_verify(case: Case, doc: Document) -> None:
    records = audit_records()
    key = case.get("chain_key", records["chain_key"])
    public = case.get("public_key", doc["public_key"])
    log = mutated_log(records, case)
    if case.get("flip_every_byte"):
        last_line_start = log.rfind(b"\n", 0, len(log) - 1) + 1
        for i in range(len(log)):
            copy = bytearray(log)
            copy[i] ^= 1
            status = routeguard.audit_verify_text(bytes(copy), key, public)["status"]
            assert status != "intact", f"byte {i} flipped went unnoticed"
            if i < last_line_start:
                assert status == "tampered", f"byte {i}"
        return
    report = routeguard.audit_verify_text(log, key, public)
    expect = case["expect"]
    problems = report["problems"]
    assert report["status"] == expect["status"], problems
    first = report["first_bad"]
    if "first_kind" in expect:
        assert first is not None and first["kind"] == expect["first_kind"], problems
    if "first_line" in expect:
        assert first is not None and first["line"] == expect["first_line"], problems
    for key_name in ("records", "checkpoints"):
        if key_name in expect:
            assert report[key_name] == expect[key_name], key_name
    assert report["exit_code"] == {"intact": 0, "tampered": 1, "incomplete": 4}[report["status"]]


GUARD_TRAIL = {
    "sink": {"type": "memory"},
    "writer": "guard.1",
    "prompt": "full",
    "response": "full",
    "checkpoint_every": 0,
    "checkpoint_interval_ms": 0,
}


def op_audit_guard(case: Case, doc: Document) -> None:
    guard = _guard(json.dumps(doc["policy"], sort_keys=True))
    decision = guard.prepare(case["principal"], case["request"])
    trail = routeguard.AuditTrail.open(GUARD_TRAIL, audit_records()["chain_key"])
    receipt = guard.audit(
        trail, case["principal"], case["request"], decision, case.get("details", {}), case.get("now_ms")
    )
    assert receipt["status"] == "written"
    line = receipt["line"]
    assert trail.lines() == [line]
    check_budget(json.loads(line), case["expect"], "record")
    for absent in case.get("expect_absent", []):
        assert absent not in line, f"the record holds {absent!r}"


def op_audit_canonical(case: Case, doc: Document) -> None:
    if "canonical" in case:
        assert routeguard.canonical_json(case["input"]) == case["canonical"]
    else:
        expect_error(case["error"], lambda: routeguard.canonical_json(case["input"]))

# --- governed: whole governed calls against the local OpenRouter stand-in ---------------------


@lru_cache(maxsize=None)
def stand_in() -> StandIn:
    """One stand-in for the run (its threads are daemons; it ends with the process)."""
    return StandIn()


@lru_cache(maxsize=None)
def stand_in_key_file() -> str:
    fd, path = tempfile.mkstemp(prefix="rg-conformance-key-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(STAND_IN_KEY + "\n")
    return path


def check(actual: Any, expected: Any, path: str) -> None:
    """The corpus' comparison: objects on the keys given, lists in length and order."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not an object"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: missing"
            check(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: {actual!r} is not a list"
        assert len(actual) == len(expected), f"{path}: {len(actual)} items, expected {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            check(a, e, f"{path}[{i}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def content_of(response: Any) -> str:
    try:
        return response["choices"][0]["message"]["content"] or ""
    except (TypeError, KeyError, IndexError):
        return ""


def op_governed_calls(case: Case, doc: Document) -> None:
    import urllib.error
    import urllib.request

    mock = stand_in()
    mock.reset(case.get("script"))
    guard = routeguard.Guard(doc["policies"][case["policy"]])
    ledger = routeguard.Ledger("memory:")
    trail = routeguard.AuditTrail.open(
        {"sink": {"type": "memory"}, "writer": "governed.1", "prompt": "full", "response": "hash"},
        audit_records()["chain_key"],
    )
    principal, request = case["principal"], case["request"]
    chunks = 0
    mode = case["mode"]
    if mode in ("chat", "stream"):
        client = routeguard.Client(
            guard, ledger=ledger, trail=trail, base_url=mock.base_url, backoff_ms=5,
            api_key_file=stand_in_key_file(),
        )
        if mode == "chat":
            answer = client.chat(principal, request)
            text = content_of(answer["response"])
        else:
            stream = client.stream(principal, request)
            text = ""
            for chunk in stream:
                chunks += 1
                choices = chunk.get("choices") or [{}]
                text += (choices[0].get("delta") or {}).get("content") or ""
            answer = stream.answer
    else:
        assert mode == "complete", f"unknown mode {mode!r}"
        governor = routeguard.Governor(guard, ledger=ledger, trail=trail)
        begun = governor.begin(principal, request)
        if isinstance(begun, routeguard.Refused):
            answer, text = begun.answer, ""
        else:
            post = urllib.request.Request(
                mock.base_url + "/chat/completions",
                data=begun.request_json.encode("utf-8"),
                method="POST",
                headers={"authorization": "Bearer " + STAND_IN_KEY, "content-type": "application/json"},
            )
            try:
                with urllib.request.urlopen(post, timeout=30) as reply:
                    status, body = reply.status, reply.read()
            except urllib.error.HTTPError as e:
                status, body = e.code, e.read()
            answer = begun.complete(status, body)
            text = content_of(answer["response"])
    assert answer is not None, "no answer"
    check(answer, case["expect"], "answer")
    if "expect_text" in case:
        assert text == case["expect_text"]
    if "expect_chunks_min" in case:
        assert chunks >= case["expect_chunks_min"], f"{chunks} chunks"
    if "expect_sent" in case:
        bodies = mock.chat_bodies()
        if case["expect_sent"] is None:
            assert bodies == [], "a request was sent"
        else:
            assert bodies, "no request was sent"
            check(bodies[-1], case["expect_sent"], "sent")
    lines = [line for line in trail.lines() if json.loads(line).get("kind") == "interaction"]
    assert len(lines) == 1, f"{len(lines)} interaction records; one per call"
    check(json.loads(lines[0]), case["expect_record"], "record")
    answer_text = json.dumps(answer, ensure_ascii=False)
    for absent in case.get("expect_absent", []):
        assert absent not in lines[0], f"the record holds {absent!r}"
        assert absent not in answer_text, f"the answer holds {absent!r}"
    if "expect_spend_records" in case:
        assert len(ledger.records()) == case["expect_spend_records"]


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
    # Stems that other directories use too are keyed by their directory.
    "audit/records": op_audit_records,
    "audit/verify": op_audit_verify,
    "audit/guard": op_audit_guard,
    "audit/canonical": op_audit_canonical,
    "governed/calls": op_governed_calls,
}


def default_op(path: Path) -> str:
    """A file's op: `dir/stem` when the runner has one (audit/verify), else the stem."""
    qualified = f"{path.parent.name}/{path.stem}"
    return qualified if qualified in OPS else path.stem


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
            params.append(pytest.param(case.get("op", default_op(path)), path, case, id=f"{rel}::{name}"))
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
    for op in ("audit/records", "audit/verify", "audit/guard", "audit/canonical", "governed/calls"):
        assert op in ops, f"the {op} file is missing from the corpus"
