"""Budgets from Python: `Ledger` (reserve, settle, renew, status, records, report) on memory and
SQLite, `Guard.reserve`/`Guard.settle`, the spend report's rows, CSV and DataFrame, and the
ledger's errors as `RouteguardError` subclasses."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
from typing import Any, Dict, List

import pytest

import routeguard
from conftest import CONFORMANCE

T0 = 1795521600000  # 2026-11-24T12:00:00Z
DAY = 86_400_000
ALICE = {"user": "alice", "workspace": "eu"}


def cap(limit: int, rule: str = "users.alice.budgets[0]", window: str = "monthly", **extra: Any) -> Dict[str, Any]:
    return {"rule": rule, "subject": "user:alice", "window": window, "limit_micros": limit, **extra}


@pytest.fixture(params=["memory", "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Any) -> routeguard.Ledger:
    url = "memory:" if request.param == "memory" else f"sqlite:{tmp_path / 'ledger.db'}"
    return routeguard.Ledger(url)


def test_open_names_the_backend(tmp_path: Any) -> None:
    assert routeguard.Ledger("memory:").backend == "memory"
    on_disk = routeguard.Ledger.open(f"sqlite:{tmp_path / 'a.db'}")
    assert on_disk.backend == "sqlite"
    assert repr(on_disk) == "Ledger(backend='sqlite')"


def test_a_denial_names_its_cap_and_holds_nothing(ledger: routeguard.Ledger) -> None:
    caps = [cap(1_000_000), cap(500_000, rule="workspaces.eu.budgets[0]")]
    first = ledger.reserve(caps, 400_000, ALICE, now_ms=T0)
    assert first["reserved"] is True and first["id"]
    assert first["amount_micros"] == 400_000
    denied = ledger.reserve(caps, 200_000, ALICE, now_ms=T0)
    assert denied["reserved"] is False and denied["id"] is None
    assert [d["cap"]["rule"] for d in denied["denials"]] == ["workspaces.eu.budgets[0]"]
    denial = denied["denials"][0]
    assert denial["requested_micros"] == 200_000
    assert denial["cap"]["reserved_micros"] == 400_000
    assert denial["cap"]["resets_at"] == "2026-12-01T00:00:00.000Z"
    assert "workspaces.eu.budgets[0]" in denial["message"]
    # All caps or none: the user's cap holds only the first reservation.
    status = ledger.status(caps, now_ms=T0)
    assert [(s["rule"], s["reserved_micros"]) for s in status] == [
        ("users.alice.budgets[0]", 400_000),
        ("workspaces.eu.budgets[0]", 400_000),
    ]


def test_caps_meta_and_settlement_accept_json_text(ledger: routeguard.Ledger) -> None:
    out = ledger.reserve(json.dumps([cap(1_000)]), 100, json.dumps(ALICE), now_ms=T0)
    assert out["reserved"]
    record = ledger.settle(out["id"], json.dumps({"outcome": "completed", "actual_micros": 60}), now_ms=T0)
    assert record["charged_micros"] == 60


def test_settle_charges_the_actual_cost_and_releases_the_hold(ledger: routeguard.Ledger) -> None:
    caps = [cap(1_000_000)]
    r = ledger.reserve(caps, 300_000, {**ALICE, "model": "anthropic/claude-sonnet-4"}, now_ms=T0)
    record = ledger.settle(
        r["id"],
        {"outcome": "completed", "actual_micros": 120_000, "provider": "anthropic", "prompt_tokens": 10},
        now_ms=T0 + 1000,
    )
    assert record["id"] == r["id"]
    assert (record["charged_micros"], record["reserved_micros"], record["actual_known"]) == (120_000, 300_000, True)
    assert (record["user"], record["workspace"], record["provider"]) == ("alice", "eu", "anthropic")
    (status,) = ledger.status(caps, now_ms=T0 + 1000)
    assert (status["spent_micros"], status["reserved_micros"]) == (120_000, 0)
    assert ledger.records() == [record]
    assert ledger.records(since_ms=T0 + 1001) == []
    assert ledger.records(until_ms=T0 + 1000) == []


def test_renew_keeps_a_hold_past_its_lease(ledger: routeguard.Ledger) -> None:
    caps = [cap(1_000)]
    r = ledger.reserve(caps, 800, ALICE, lease_ms=1_000, now_ms=T0)
    ledger.renew(r["id"], 60_000, now_ms=T0 + 500)
    assert not ledger.reserve(caps, 800, ALICE, now_ms=T0 + 5_000)["reserved"]
    # An unrenewed lease lapses and frees the budget.
    other = routeguard.Ledger("memory:")
    other.reserve(caps, 800, ALICE, lease_ms=1_000, now_ms=T0)
    assert other.reserve(caps, 800, ALICE, now_ms=T0 + 5_000)["reserved"]


def test_racing_threads_never_both_reserve_the_last_of_a_cap(tmp_path: Any) -> None:
    for url in ("memory:", f"sqlite:{tmp_path / 'race.db'}"):
        ledger = routeguard.Ledger(url)
        caps = [cap(1_000)]
        threads = 8
        barrier = threading.Barrier(threads)
        results: List[bool] = []
        lock = threading.Lock()

        def race() -> None:
            barrier.wait()
            out = ledger.reserve(caps, 600, ALICE, now_ms=T0)
            with lock:
                results.append(out["reserved"])

        workers = [threading.Thread(target=race) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert sorted(results) == [False] * (threads - 1) + [True], url
        (status,) = ledger.status(caps, now_ms=T0)
        assert status["reserved_micros"] == 600, url


def spend(ledger: routeguard.Ledger) -> None:
    caps = [cap(10_000_000)]
    for provider, model, actual in [
        ("anthropic", "anthropic/claude-sonnet-4", 600_000),
        ("google-vertex", "anthropic/claude-sonnet-4", 300_000),
        ("anthropic", "anthropic/claude-haiku", 100_000),
    ]:
        r = ledger.reserve(caps, actual * 2, {**ALICE, "model": model}, now_ms=T0)
        ledger.settle(r["id"], {"outcome": "completed", "actual_micros": actual, "provider": provider, "model": model}, now_ms=T0)


def test_report_rows_csv_and_json(ledger: routeguard.Ledger) -> None:
    spend(ledger)
    report = ledger.report("provider", "month", now_ms=T0)
    assert isinstance(report, routeguard.SpendReport)
    assert (report.by, report.window, report.period, len(report)) == (["provider"], "monthly", "2026-11", 2)
    assert [(r["key"], r["requests"], r["charged_micros"], r["share_bp"]) for r in report.rows] == [
        (["anthropic"], 2, 700_000, 7000),
        (["google-vertex"], 1, 300_000, 3000),
    ]
    assert report.total["charged_micros"] == 1_000_000
    assert [p["provider"] for p in report.providers] == ["anthropic", "google-vertex"]
    assert report.hhi == 70 * 70 + 30 * 30
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert [(r["provider"], r["requests"], r["charged_usd"]) for r in rows] == [
        ("anthropic", "2", "0.700000"),
        ("google-vertex", "1", "0.300000"),
        ("total", "3", "1.000000"),
    ]
    assert json.loads(report.to_json()) == report.to_dict()
    assert "anthropic" in report.to_table()
    assert repr(report).startswith("SpendReport(by=['provider'], window='monthly', period='2026-11', rows=2")
    by_model = ledger.report(by="provider,model", window="total", now_ms=T0)
    assert [r["key"] for r in by_model.rows][0] == ["anthropic", "anthropic/claude-sonnet-4"]
    assert [r["key"] for r in ledger.report(by="", now_ms=T0).rows] == [[]]
    # Next month's report starts over.
    assert ledger.report(now_ms=T0 + 10 * DAY).total["requests"] == 0


def test_report_as_dataframe_or_a_clear_import_error(ledger: routeguard.Ledger) -> None:
    spend(ledger)
    report = ledger.report("provider,model", "month", now_ms=T0)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pandas"):
            report.to_dataframe()
        return
    frame = report.to_dataframe()
    assert list(frame.columns[:3]) == ["provider", "model", "requests"]
    assert frame["charged_micros"].sum() == 1_000_000
    assert len(frame) == 3


def test_errors_are_routeguard_errors_with_codes(ledger: routeguard.Ledger) -> None:
    E = routeguard
    cases = [
        (lambda: ledger.settle("no-such-id", {"outcome": "completed"}), E.UnknownReservationError, LookupError),
        (lambda: ledger.renew("no-such-id", 1000), E.UnknownReservationError, LookupError),
        (lambda: routeguard.Ledger("redis://x"), E.InvalidLedgerUrlError, ValueError),
        (lambda: ledger.reserve([{"rule": "r"}], 1, ALICE), E.InvalidArgumentError, ValueError),
        (lambda: ledger.reserve([cap(1)], 1, {"user": "a"}), E.InvalidArgumentError, ValueError),
        (lambda: ledger.report("colour"), E.InvalidArgumentError, ValueError),
        (lambda: ledger.report("provider", "fortnight"), E.InvalidArgumentError, ValueError),
        (lambda: ledger.reserve([cap(1)], 1, object()), E.InvalidArgumentError, ValueError),
    ]
    for make, cls, builtin in cases:
        with pytest.raises(cls) as info:
            make()
        assert isinstance(info.value, routeguard.RouteguardError) and isinstance(info.value, builtin)
        assert info.value.code == cls.code and routeguard.errors.BY_CODE[cls.code] is cls
    r = ledger.reserve([cap(1_000)], 10, ALICE)
    ledger.settle(r["id"], {"outcome": "completed", "actual_micros": 5})
    with pytest.raises(routeguard.AlreadySettledError) as info:
        ledger.settle(r["id"], {"outcome": "completed", "actual_micros": 5})
    assert (info.value.code, info.value.number) == ("already_settled", 4002)
    with pytest.raises(OverflowError):
        ledger.reserve([cap(1)], -1, ALICE)


def test_an_unreachable_database_is_ledger_unavailable(tmp_path: Any) -> None:
    with pytest.raises(routeguard.LedgerUnavailableError) as info:
        routeguard.Ledger(f"sqlite:{tmp_path / 'missing-dir' / 'x.db'}")
    assert isinstance(info.value, OSError) and info.value.number == 4003


# --- through the guard ----------------------------------------------------------------------

GUARD_DOC = json.loads((CONFORMANCE / "budget" / "guard.json").read_text(encoding="utf-8"))
CATALOG = (CONFORMANCE / "policy" / "catalog.json").read_text(encoding="utf-8")
REQUEST = {"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 100}
RESPONSE = {
    "id": "gen-1",
    "provider": "Google Vertex",
    "model": "anthropic/claude-sonnet-4",
    "choices": [],
    "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30, "cost": 0.00014},
}


@pytest.fixture(scope="module")
def guard() -> routeguard.Guard:
    return routeguard.Guard(GUARD_DOC["policy"], catalog=CATALOG)


def test_guard_reserves_the_estimate_and_settles_the_billed_cost(guard: routeguard.Guard) -> None:
    ledger = routeguard.Ledger("memory:")
    prepared = guard.prepare(ALICE, REQUEST).prepared
    assert prepared is not None
    r = guard.reserve(ledger, ALICE, prepared, now_ms=T0)
    assert r["reserved"] and r["estimate"]["reserve_micros"] == r["amount_micros"] > 0
    assert [c["rule"] for c in r["caps"]] == ["defaults.budgets[0]", "workspaces.eu.budgets[0]"]
    record = guard.settle(ledger, r["id"], RESPONSE, "completed", now_ms=T0)
    assert (record["charged_micros"], record["provider"], record["actual_known"]) == (140, "google-vertex", True)
    # No response: the reservation is charged, the actual cost unknown.
    r2 = guard.reserve(ledger, ALICE, prepared, lease_ms=5_000, now_ms=T0)
    record2 = guard.settle(ledger, r2["id"], outcome="cancelled", now_ms=T0)
    assert (record2["charged_micros"], record2["actual_known"]) == (r2["amount_micros"], False)
    assert [r["id"] for r in ledger.records()] == [r["id"], r2["id"]]


def test_guard_denies_once_the_daily_cap_is_spent(guard: routeguard.Guard) -> None:
    ledger = routeguard.Ledger("memory:")
    prepared = guard.prepare(ALICE, REQUEST).prepared
    assert prepared is not None
    outcomes = [guard.reserve(ledger, ALICE, prepared, now_ms=T0) for _ in range(5)]
    denied = [o for o in outcomes if not o["reserved"]]
    assert denied, "a $0.01 daily cap cannot hold five ~$0.0023 reservations"
    assert denied[0]["denials"][0]["cap"]["rule"] == "workspaces.eu.budgets[0]"
    # The next day starts over.
    assert guard.reserve(ledger, ALICE, prepared, now_ms=T0 + DAY)["reserved"]


def test_guard_settle_errors(guard: routeguard.Guard) -> None:
    ledger = routeguard.Ledger("memory:")
    with pytest.raises(routeguard.UnknownReservationError):
        guard.settle(ledger, "nope", RESPONSE)
    prepared = guard.prepare(ALICE, REQUEST).prepared
    assert prepared is not None
    r = guard.reserve(ledger, ALICE, prepared)
    with pytest.raises(routeguard.InvalidArgumentError):
        guard.settle(ledger, r["id"], RESPONSE, outcome="exploded")
    with pytest.raises(routeguard.InvalidJsonError):
        guard.settle(ledger, r["id"], "{not json")
    with pytest.raises(TypeError):
        guard.reserve(ledger, ALICE, {"request": REQUEST})  # type: ignore[arg-type]
    with pytest.raises(routeguard.InvalidArgumentError):
        guard.reserve(ledger, {"user": "mallory", "workspace": "nowhere"}, prepared)


def test_async_variants(guard: routeguard.Guard) -> None:
    ledger = routeguard.Ledger("memory:")
    prepared = guard.prepare(ALICE, REQUEST).prepared
    assert prepared is not None

    async def main() -> Dict[str, Any]:
        r = await guard.reserve_async(ledger, ALICE, prepared, now_ms=T0)
        return await guard.settle_async(ledger, r["id"], RESPONSE, now_ms=T0)

    assert asyncio.run(main())["charged_micros"] == 140
