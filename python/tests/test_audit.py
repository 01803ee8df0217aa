"""The audit trail through the Python API: JSON Lines trails written, verified and tampered
with, callback sinks failing closed (and open), search and export, the guard's records, keys as
bytes or hex, threads, and no secret in any error message. The byte-for-byte cases are in the
conformance corpus (test_conformance.py, tests/conformance/audit)."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any, Dict, List

import pytest

import routeguard
from conftest import CARD, CONFORMANCE, EMAIL, assert_no_canary

CHAIN_KEY = "5f" * 32
SEED = bytes(range(32))
NOW = 1_795_608_900_000


def event(user: str, provider: str, i: int, outcome: str = "allowed") -> Dict[str, Any]:
    return {
        "id": f"evt-{i}",
        "outcome": outcome,
        "principal": {"user": user, "workspace": "eu"},
        "model": {"requested": "mistralai/mistral-large", "served": "mistralai/mistral-large"},
        "routing": {"served_provider": provider},
        "tokens": {"prompt": 10 + i, "completion": 5},
    }


def jsonl_trail(directory: Path, writer: str = "app.1", **config: Any) -> routeguard.AuditTrail:
    return routeguard.AuditTrail.open(
        {"sink": {"type": "jsonl", "path": str(directory)}, "writer": writer, **config},
        CHAIN_KEY,
        SEED,
    )


def write_three(directory: Path) -> routeguard.AuditTrail:
    trail = jsonl_trail(directory)
    for i, (user, provider) in enumerate([("alice", "mistral"), ("bob", "google-vertex"), ("alice", "google-vertex")]):
        receipt = trail.write(event(user, provider, i), now_ms=NOW + i)
        assert receipt["status"] == "written"
        assert receipt["writer"] == "app.1"
        assert receipt["seq"] == i
        assert json.loads(receipt["line"])["mac"] == receipt["mac"]
    trail.close(now_ms=NOW + 10)
    return trail


def test_jsonl_trail_verifies_intact_then_tampered_at_the_changed_line(tmp_path: Path):
    trail = write_three(tmp_path)
    assert trail.writer == "app.1"
    assert trail.public_key is not None and len(trail.public_key) == 64
    (log,) = sorted(tmp_path.iterdir())
    assert log.name == "app.1.00000.jsonl"
    report = routeguard.audit_verify(tmp_path, CHAIN_KEY, trail.public_key)
    assert report["status"] == "intact", report["problems"]
    assert report["records"] == 3
    assert report["signatures_checked"] is True
    assert report["problems"] == [] and report["first_bad"] is None
    assert report["exit_code"] == 0
    assert [w["writer"] for w in report["writers"]] == ["app.1"]
    assert report["writers"][0]["closed"] is True
    # The file and the directory verify alike (str or os.PathLike).
    assert routeguard.audit_verify(str(log), CHAIN_KEY)["status"] == "intact"

    data = bytearray(log.read_bytes())
    second = data.index(b"\n") + 1
    at = data.index(b'"bob"', second) + 2
    data[at] = ord("B")  # bob -> bOb on line 2
    log.write_bytes(bytes(data))
    report = routeguard.audit_verify(tmp_path, CHAIN_KEY, trail.public_key)
    assert report["status"] == "tampered"
    assert report["first_bad"]["line"] == 2
    assert report["first_bad"]["kind"] == "bad_mac"
    assert report["first_bad"]["tamper"] is True
    assert report["exit_code"] == 1


def test_verify_text_takes_str_and_bytes_and_a_wrong_key_fails_every_mac(tmp_path: Path):
    write_three(tmp_path)
    (log,) = tmp_path.iterdir()
    text = log.read_text(encoding="utf-8")
    assert routeguard.audit_verify_text(text, CHAIN_KEY)["status"] == "intact"
    assert routeguard.audit_verify_text(text.encode(), bytes.fromhex(CHAIN_KEY))["status"] == "intact"
    report = routeguard.audit_verify_text(text, "6e" * 32)
    assert report["status"] == "tampered"
    assert report["first_bad"]["kind"] == "bad_mac" and report["first_bad"]["line"] == 1
    # A cut tail is a crash, not tampering.
    report = routeguard.audit_verify_text(text[:-20], CHAIN_KEY)
    assert report["status"] == "incomplete" and report["exit_code"] == 4


def test_search_by_user_and_provider(tmp_path: Path):
    write_three(tmp_path)
    everything = routeguard.audit_search(tmp_path)
    assert [r["id"] for r in everything] == ["evt-0", "evt-1", "evt-2"]
    assert all(r["kind"] == "interaction" for r in everything)
    alice = routeguard.audit_search(tmp_path, {"user": "alice"})
    assert [r["id"] for r in alice] == ["evt-0", "evt-2"]
    assert all(r["principal"]["user"] == "alice" for r in alice)
    vertex = routeguard.audit_search(str(tmp_path), json.dumps({"provider": "google-vertex"}))
    assert [r["id"] for r in vertex] == ["evt-1", "evt-2"]
    assert routeguard.audit_search(tmp_path, {"user": "alice", "provider": "mistral"})[0]["id"] == "evt-0"
    assert routeguard.audit_search(tmp_path, {"user": "carol"}) == []
    with_checkpoints = routeguard.audit_search(tmp_path, {"all_kinds": True})
    assert len(with_checkpoints) > 3
    with pytest.raises(routeguard.InvalidArgumentError):
        routeguard.audit_search(tmp_path, "{")


def test_export_csv_has_a_header_and_a_row_per_interaction(tmp_path: Path):
    write_three(tmp_path)
    csv = routeguard.audit_export(tmp_path, "csv")
    lines = csv.strip("\n").split("\n")
    header = lines[0].split(",")
    assert header[:4] == ["time", "id", "kind", "outcome"]
    assert "user" in header and "provider" in " ".join(header)
    assert len(lines) == 1 + 3
    assert lines[2].split(",")[header.index("user")] == "bob"
    ocsf = routeguard.audit_export(tmp_path, "ocsf")
    events = [json.loads(line) for line in ocsf.splitlines() if line]
    assert len(events) == 3
    with pytest.raises(routeguard.InvalidArgumentError):
        routeguard.audit_export(tmp_path, "xml")


def test_reading_a_missing_log_is_audit_unreadable(tmp_path: Path):
    with pytest.raises(routeguard.AuditUnreadableError) as info:
        routeguard.audit_verify(tmp_path / "nope", CHAIN_KEY)
    assert isinstance(info.value, OSError)
    assert info.value.code == "audit_unreadable"
    with pytest.raises(routeguard.AuditUnreadableError):
        routeguard.audit_search(tmp_path / "nope")


def test_a_raising_callback_fails_closed_and_names_only_the_exception_type():
    calls: List[str] = []

    class SinkDown(Exception):
        pass

    def sink(line: str) -> None:
        if len(calls) == 1 and not getattr(sink, "failed", False):
            sink.failed = True  # type: ignore[attr-defined]
            raise SinkDown(f"disk full while writing {CARD} for {EMAIL}")
        calls.append(line)

    trail = routeguard.AuditTrail.open(
        {"sink": {"type": "callback"}, "writer": "cb.1", "checkpoint_every": 0}, CHAIN_KEY, callback=sink
    )
    assert trail.public_key is None
    assert trail.write(event("alice", "mistral", 0), NOW)["status"] == "written"
    with pytest.raises(routeguard.AuditUnavailableError) as info:
        trail.write(event("alice", "mistral", 1), NOW + 1)
    assert isinstance(info.value, OSError)
    assert info.value.code == "audit_unavailable"
    assert "SinkDown" in str(info.value)
    assert_no_canary(str(info.value))
    # The failed record left no gap: the next one continues the chain.
    assert trail.write(event("alice", "mistral", 2), NOW + 2)["seq"] == 1
    trail.close(NOW + 3)
    assert all(isinstance(line, str) and not line.endswith("\n") for line in calls)
    text = "".join(line + "\n" for line in calls)
    assert routeguard.audit_verify_text(text, CHAIN_KEY)["status"] == "intact"
    with pytest.raises(routeguard.InvalidArgumentError):
        trail.lines()  # only a memory sink keeps its lines


def test_a_raising_callback_with_on_sink_error_allow_delays():
    down = [True]
    accepted: List[str] = []

    def sink(line: str) -> None:
        if down[0]:
            raise ConnectionError("collector unreachable")
        accepted.append(line)

    trail = routeguard.AuditTrail.open(
        {"sink": {"type": "callback"}, "writer": "cb.2", "on_sink_error": "allow"}, CHAIN_KEY, callback=sink
    )
    assert trail.write(event("alice", "mistral", 0), NOW)["status"] == "delayed"
    down[0] = False
    trail.flush(NOW + 1)
    trail.close(NOW + 2)
    report = routeguard.audit_verify_text("".join(line + "\n" for line in accepted), CHAIN_KEY)
    assert report["status"] == "intact", report["problems"]
    assert report["records"] >= 1


def test_callback_and_sink_type_must_agree():
    with pytest.raises(routeguard.InvalidArgumentError):
        routeguard.AuditTrail.open({"sink": {"type": "callback"}}, CHAIN_KEY)
    with pytest.raises(routeguard.InvalidArgumentError):
        routeguard.AuditTrail.open({"sink": {"type": "memory"}}, CHAIN_KEY, callback=print)


def test_keys_as_bytes_or_hex_give_the_same_chain():
    config = {"sink": {"type": "memory"}, "writer": "k.1", "checkpoint_every": 0, "checkpoint_interval_ms": 0}
    lines = []
    for chain, seed in [(CHAIN_KEY, SEED.hex()), (bytes.fromhex(CHAIN_KEY), SEED), (CHAIN_KEY.encode(), SEED)]:
        trail = routeguard.AuditTrail.open(json.dumps(config), chain, seed)
        trail.write(event("alice", "mistral", 0), NOW)
        trail.close(NOW + 1)
        lines.append(trail.lines())
    assert lines[0] == lines[1] == lines[2]
    assert len(lines[0]) == 2


def test_memory_trail_checkpoints_closes_and_refuses_later_writes():
    trail = routeguard.AuditTrail.open({"sink": {"type": "memory"}, "writer": "m.1"}, CHAIN_KEY, SEED)
    trail.write(event("alice", "mistral", 0), NOW)
    checkpoint = trail.checkpoint(NOW + 1)
    assert json.loads(checkpoint["line"])["kind"] == "checkpoint"
    closing = trail.close(NOW + 2)
    assert closing["status"] == "written"
    with pytest.raises(routeguard.AuditTrailClosedError) as info:
        trail.write(event("alice", "mistral", 1), NOW + 3)
    assert isinstance(info.value, RuntimeError)
    lines = trail.lines()
    assert [json.loads(line)["seq"] for line in lines] == [0, 1, 2]
    report = routeguard.audit_verify_text("\n".join(lines) + "\n", CHAIN_KEY, trail.public_key)
    assert report["status"] == "intact" and report["signatures_checked"] is True
    assert "m.1" in repr(trail)


def test_invalid_events_and_configs():
    trail = routeguard.AuditTrail.open({"sink": {"type": "memory"}}, CHAIN_KEY)
    with pytest.raises(routeguard.InvalidAuditRecordError) as info:
        trail.write({"outcome": "allowed", "colour": CARD})
    assert isinstance(info.value, ValueError)
    assert_no_canary(str(info.value))
    with pytest.raises(routeguard.InvalidAuditRecordError):
        trail.write({"outcome": "maybe"})
    with pytest.raises(routeguard.InvalidArgumentError):
        routeguard.AuditTrail.open({"sink": {"type": "tape"}}, CHAIN_KEY)
    with pytest.raises(routeguard.InvalidArgumentError):
        routeguard.AuditTrail.open("{", CHAIN_KEY)
    with pytest.raises(routeguard.InvalidArgumentError):
        trail.write(object())  # not JSON-serialisable, like every other JSON argument


def test_secrets_never_appear_in_key_errors():
    secret = "0123456789abcdef"  # a canary: too short for a chain key
    with pytest.raises(routeguard.AuditKeyInvalidError) as info:
        routeguard.AuditTrail.open({"sink": {"type": "memory"}}, secret)
    assert_no_canary(str(info.value))
    assert_no_canary(repr(info.value))
    with pytest.raises(routeguard.AuditKeyInvalidError) as info:
        routeguard.AuditTrail.open({"sink": {"type": "memory"}}, CHAIN_KEY, secret)
    assert_no_canary(str(info.value))
    with pytest.raises(routeguard.AuditKeyInvalidError) as info:
        routeguard.audit_verify_text("", CHAIN_KEY, secret)
    assert_no_canary(str(info.value))
    with pytest.raises(TypeError) as type_info:
        routeguard.AuditTrail.open({"sink": {"type": "memory"}}, 12345)
    assert "12345" not in str(type_info.value)
    trail = routeguard.AuditTrail.open({"sink": {"type": "memory"}}, CHAIN_KEY, SEED)
    assert SEED.hex() not in repr(trail) and CHAIN_KEY not in repr(trail)


def test_canonical_json_of_objects_and_text():
    assert routeguard.canonical_json({"b": 1, "a": [1.0, "é", None, True]}) == '{"a":[1,"é",null,true],"b":1}'
    assert routeguard.canonical_json('{ "z": 1e3, "a": "\\u00e9" }') == '{"a":"é","z":1000}'
    with pytest.raises(routeguard.InvalidJsonError):
        routeguard.canonical_json("{")


# --- the guard -------------------------------------------------------------------------------


def guard_suite() -> Dict[str, Any]:
    return json.loads((CONFORMANCE / "audit" / "guard.json").read_text(encoding="utf-8"))


def catalog() -> str:
    return (CONFORMANCE / "policy" / "catalog.json").read_text(encoding="utf-8")


def test_guard_writes_a_record_per_interaction_to_the_policy_trail(tmp_path: Path):
    suite = guard_suite()
    case = suite["cases"][0]
    key_file = tmp_path / "chain.key"
    key_file.write_text(CHAIN_KEY)
    logs = tmp_path / "audit"
    policy = json.loads(json.dumps(suite["policy"]))
    policy["defaults"]["audit"] = {
        "prompt": "redacted",
        "sink": {"type": "jsonl", "path": str(logs)},
        "chain_key": {"file": str(key_file)},
    }
    guard = routeguard.Guard(policy, catalog=catalog())
    trail = guard.open_audit_trail()
    decision = guard.prepare(case["principal"], case["request"])
    receipt = guard.audit(trail, case["principal"], case["request"], decision, case["details"], case["now_ms"])
    assert receipt["status"] == "written"
    record = json.loads(receipt["line"])
    assert record["outcome"] == "allowed"
    assert record["sdk"]["language"] == "python"
    assert record["principal"]["user"] == case["principal"]["user"]
    assert EMAIL not in receipt["line"]
    # A denial is recorded too; details may be left out.
    denied_request = dict(case["request"], model="openai/gpt-4o", models=["openai/gpt-4o"])
    denied = guard.prepare(case["principal"], denied_request)
    assert not denied.allowed
    receipt = guard.audit(trail, case["principal"], denied_request, denied)
    assert json.loads(receipt["line"])["outcome"] != "allowed"
    receipt = asyncio.run(guard.audit_async(trail, case["principal"], case["request"], decision, json.dumps(case["details"])))
    assert receipt["status"] == "written"
    trail.close()
    report = routeguard.audit_verify(logs, key_file.read_text())
    assert report["status"] == "intact", report["problems"]
    assert report["records"] == 3
    assert [r["principal"]["user"] for r in routeguard.audit_search(logs, {"user": case["principal"]["user"]})] == [
        case["principal"]["user"]
    ] * 3


def test_guard_audit_takes_a_decision_and_a_policy_audit_section():
    suite = guard_suite()
    case = suite["cases"][0]
    guard = routeguard.Guard(suite["policy"], catalog=catalog())
    with pytest.raises(routeguard.InvalidArgumentError):
        guard.open_audit_trail()  # the policy has no defaults.audit
    trail = routeguard.AuditTrail.open({"sink": {"type": "memory"}}, CHAIN_KEY)
    with pytest.raises(TypeError):
        guard.audit(trail, case["principal"], case["request"], {"allowed": True})


def test_guard_callback_trail_from_the_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    suite = guard_suite()
    case = suite["cases"][0]
    monkeypatch.setenv("RG_TEST_AUDIT_CHAIN_KEY", CHAIN_KEY)
    policy = json.loads(json.dumps(suite["policy"]))
    policy["defaults"]["audit"] = {"sink": {"type": "callback"}, "chain_key": {"env": "RG_TEST_AUDIT_CHAIN_KEY"}}
    guard = routeguard.Guard(policy, catalog=catalog())
    got: List[str] = []
    trail = guard.open_audit_trail(got.append)
    decision = guard.prepare(case["principal"], case["request"])
    receipt = guard.audit(trail, case["principal"], case["request"], decision, case["details"])
    assert got == [receipt["line"]]


# --- threads ---------------------------------------------------------------------------------


def test_threads_share_a_callback_trail():
    """Writes release the GIL; the sink re-acquires it to call Python: no deadlock, no gap."""
    lines: List[str] = []
    lock = threading.Lock()

    def sink(line: str) -> None:
        with lock:
            lines.append(line)

    trail = routeguard.AuditTrail.open(
        {"sink": {"type": "callback"}, "writer": "t.1", "checkpoint_every": 7}, CHAIN_KEY, SEED, sink
    )
    errors: List[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(40):
                trail.write(event(f"user{n}", "mistral", i))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    assert errors == []
    trail.close()
    report = routeguard.audit_verify_text("".join(line + "\n" for line in lines), CHAIN_KEY, trail.public_key)
    assert report["status"] == "intact", report["problems"][:3]
    assert report["records"] == 160
