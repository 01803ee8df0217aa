"""The policy guard: constructors and catalogues, prepare, verify, the EU scenario end to end,
DLP through the policy, records (reprs, equality, to_dict) and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

import routeguard
from conftest import CARD, CONFORMANCE, EMAIL, OPENROUTER_KEY, REPO, assert_no_canary

CATALOG_FILE = CONFORMANCE / "policy" / "catalog.json"
CATALOG: Dict[str, Any] = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))

EU_POLICY: Dict[str, Any] = {
    "version": 1,
    "defaults": {
        "models": {"allow": ["anthropic/*", "deepseek/*", "mistralai/*"]},
        "dlp": {
            "scanner": {
                "builtin": {"enable": ["email_address", "credit_card", "openrouter_api_key"]},
                "actions": {"EMAIL_ADDRESS": "pseudonymize", "credit_card": "hash"},
            }
        },
    },
    "workspaces": {
        "eu": {"providers": {"processing": ["EU"]}},
        "lab": {"providers": {"processing": ["EU"], "mode": "shadow"}},
    },
    "users": {"alice": {}, "bob": {"models": {"deny": ["deepseek/*"]}}},
}
EU_YAML = """
version: 1
defaults:
  models:
    allow: ["anthropic/*", "deepseek/*", "mistralai/*"]
  dlp:
    scanner:
      builtin:
        enable: [email_address, credit_card, openrouter_api_key]
      actions:
        EMAIL_ADDRESS: pseudonymize
        credit_card: hash
workspaces:
  eu:
    providers: {processing: [EU]}
  lab:
    providers: {processing: [EU], mode: shadow}
users:
  alice: {}
  bob:
    models: {deny: ["deepseek/*"]}
"""
ALICE = {"user": "alice", "workspace": "eu"}
# The EU endpoints of anthropic/claude-sonnet-4 in the corpus catalogue.
EU_ENDPOINTS = ["amazon-bedrock/eu-central-1", "google-vertex/europe-west1"]


def chat(model: str, content: str = "hello", **extra: Any) -> Dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


def response(provider: str, content: str = "hello", model: str = "anthropic/claude-sonnet-4") -> Dict[str, Any]:
    return {
        "id": "gen-1",
        "model": model,
        "provider": provider,
        "choices": [{"message": {"role": "assistant", "content": content}}],
    }


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def catalog_dir(root: Path) -> Path:
    """The corpus catalogue written as the raw API bodies `catalog_dir` reads."""
    for key in ("providers", "models", "zdr", "data_policies", "endpoint_regions"):
        write(root / f"{key}.json", json.dumps(CATALOG[key]))
    for model, body in CATALOG["endpoints"].items():
        path = root / "endpoints" / f"{model}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, json.dumps(body))
    write(root / "meta.json", json.dumps({"snapshot_date": CATALOG["snapshot_date"], "notes": "test"}))
    return root


@pytest.fixture(scope="module")
def guard() -> routeguard.Guard:
    return routeguard.Guard(EU_POLICY, catalog=CATALOG)


# --- construction ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda tmp: routeguard.Guard(EU_POLICY, CATALOG),
        lambda tmp: routeguard.Guard(json.dumps(EU_POLICY), catalog=json.dumps(CATALOG)),
        lambda tmp: routeguard.Guard(EU_POLICY, catalog=CATALOG_FILE.read_text(encoding="utf-8")),
        lambda tmp: routeguard.Guard.from_yaml(EU_YAML, CATALOG),
        lambda tmp: routeguard.Guard.from_file(write(tmp / "p.yaml", EU_YAML), catalog=CATALOG),
        lambda tmp: routeguard.Guard.from_file(str(write(tmp / "p.json", json.dumps(EU_POLICY))), CATALOG),
        lambda tmp: routeguard.Guard(EU_POLICY, catalog_dir=catalog_dir(tmp)),
        lambda tmp: routeguard.Guard.from_yaml(EU_YAML, catalog_dir=str(catalog_dir(tmp))),
    ],
    ids=["dict", "json-text", "catalog-text", "yaml", "yaml-file", "json-file-str", "catalog-dir", "yaml-catalog-dir"],
)
def test_every_source_decides_the_same(build, tmp_path):
    guard = build(tmp_path)
    assert isinstance(guard, routeguard.Guard)
    decision = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4"))
    assert decision.allowed
    assert decision.prepared.providers == EU_ENDPOINTS
    assert guard.prepare(ALICE, chat("deepseek/deepseek-chat")).reasons[0].code == "no_compliant_endpoint"
    assert decision.policy_hash == guard.policy_hash


def test_policy_hash_names_the_document():
    a = routeguard.Guard(EU_POLICY, CATALOG)
    b = routeguard.Guard(json.dumps(EU_POLICY), CATALOG)
    other = routeguard.Guard({**EU_POLICY, "users": {"alice": {}}}, CATALOG)
    assert a.policy_hash == b.policy_hash != other.policy_hash
    assert a.policy_hash.startswith("sha256:")


def test_builtin_catalogue_is_the_default():
    guard = routeguard.Guard(EU_POLICY)
    assert "catalog='builtin'" in repr(guard)
    decision = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4"))
    assert decision.allowed and decision.prepared.providers
    assert all(("eu" in p or "europe" in p) for p in decision.prepared.providers), decision.prepared.providers


def test_guard_repr_and_wrapper():
    guard = routeguard.Guard.from_yaml(EU_YAML, CATALOG)
    assert repr(guard) == f"Guard(source='yaml', catalog='snapshot', policy_hash='{guard.policy_hash}')"
    with pytest.raises(AttributeError):
        guard.colour = "blue"  # type: ignore[attr-defined]


# --- the EU scenario -------------------------------------------------------------------------


def test_eu_request_is_sent_to_eu_endpoints_only(guard):
    decision = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4"))
    assert decision.allowed and decision.reasons == [] and decision.notices == []
    prepared = decision.prepared
    assert prepared.models == ["anthropic/claude-sonnet-4"]
    assert prepared.providers == EU_ENDPOINTS
    assert prepared.request["provider"] == {"only": EU_ENDPOINTS}
    assert prepared.request["messages"] == [{"role": "user", "content": "hello"}]
    assert json.loads(prepared.request_json) == prepared.request


def test_model_without_eu_endpoint_is_denied_before_sending(guard):
    decision = guard.prepare(ALICE, chat("deepseek/deepseek-chat"))
    assert not decision.allowed and decision.prepared is None
    (reason,) = decision.reasons
    assert (reason.code, reason.rule, reason.shadow) == ("no_compliant_endpoint", "workspaces.eu.providers.processing", False)
    assert "deepseek" in reason.message  # names the providers it excluded


def test_fallback_without_eu_endpoint_is_removed(guard):
    request = chat("anthropic/claude-sonnet-4", models=["anthropic/claude-sonnet-4", "deepseek/deepseek-chat"])
    decision = guard.prepare(ALICE, request)
    assert decision.allowed
    assert decision.prepared.models == ["anthropic/claude-sonnet-4"]
    assert decision.prepared.request["models"] == ["anthropic/claude-sonnet-4"]
    assert [n.code for n in decision.notices] == ["fallback_removed"]


def test_response_from_an_eu_endpoint_passes(guard):
    prepared = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4")).prepared
    served = response("Google Vertex")
    check = guard.verify(prepared, served)
    assert check.allowed and not check.withheld and check.reasons == []
    assert (check.provider, check.model) == ("google-vertex", "anthropic/claude-sonnet-4")
    assert check.response == served
    assert guard.verify(prepared, json.dumps(served)) == check  # JSON text works too


def test_us_served_response_is_withheld(guard):
    prepared = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4")).prepared
    check = guard.verify(prepared, response("Anthropic", content="the answer"))
    assert not check.allowed and check.withheld
    assert check.provider == "anthropic"
    assert [r.code for r in check.reasons] == ["provider_violation"]
    assert check.response["choices"] == []
    assert "the answer" not in check.response_json


def test_shadow_residency_reports_and_does_not_constrain(guard):
    decision = guard.prepare({"user": "alice", "workspace": "lab"}, chat("deepseek/deepseek-chat"))
    assert decision.allowed
    assert decision.notices and all(n.shadow for n in decision.notices)


def test_principal_levels_and_unknowns(guard):
    assert not guard.prepare({"user": "bob", "workspace": "eu"}, chat("deepseek/deepseek-chat")).allowed
    unknown = guard.prepare({"user": "mallory", "workspace": "eu"}, chat("anthropic/claude-sonnet-4"))
    assert not unknown.allowed and unknown.reasons
    # groups and tags are accepted; a principal may also be JSON text
    with_groups = {"user": "alice", "workspace": "eu", "groups": ["staff"], "tags": {"team": "x"}}
    assert guard.prepare(with_groups, chat("anthropic/claude-sonnet-4")).allowed
    assert guard.prepare(json.dumps(ALICE), json.dumps(chat("anthropic/claude-sonnet-4"))).allowed


# --- DLP through the policy ------------------------------------------------------------------


def test_dlp_pseudonymises_with_a_vault_and_hashes_with_a_key(guard):
    vault = routeguard.Vault()
    text = f"Mail {EMAIL} about card {CARD}"
    decision = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4", text), hash_key=b"k", vault=vault)
    assert decision.allowed
    sent = decision.prepared.request["messages"][0]["content"]
    assert EMAIL not in sent and CARD not in sent
    assert len(vault) == 1 and EMAIL in vault.restore(sent)
    findings = decision.prepared.findings
    assert [(f.path, f.detector, f.action) for f in findings] == [
        ("/messages/0/content", "email_address", "pseudonymize"),
        ("/messages/0/content", "credit_card", "hash"),
    ]
    assert findings[0].category == "EMAIL_ADDRESS"
    # A str key is taken as its UTF-8 bytes.
    again = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4", text), hash_key="k", vault=vault)
    assert again == decision


def test_hash_action_needs_a_key(guard):
    with pytest.raises(routeguard.MissingKeyError):
        guard.prepare(ALICE, chat("anthropic/claude-sonnet-4", f"card {CARD}"))
    # no finding to hash: no key needed
    assert guard.prepare(ALICE, chat("anthropic/claude-sonnet-4", "no card")).allowed


def test_dlp_block_denies(guard):
    decision = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4", f"key {OPENROUTER_KEY}"))
    assert not decision.allowed
    assert [r.code for r in decision.reasons] == ["dlp_blocked"]
    assert_no_canary(repr(decision))


# --- records ---------------------------------------------------------------------------------


def test_reprs_show_decisions_not_content(guard):
    vault = routeguard.Vault()
    log_policy = json.loads(json.dumps(EU_POLICY))
    log_policy["defaults"]["dlp"]["scanner"]["actions"] = {"pii": "log", "secret": "log"}
    logging_guard = routeguard.Guard(log_policy, CATALOG)
    text = f"Mail {EMAIL}, card {CARD}, key {OPENROUTER_KEY}"
    decision = logging_guard.prepare(ALICE, chat("anthropic/claude-sonnet-4", text), vault=vault)
    assert decision.allowed
    assert EMAIL in decision.prepared.request["messages"][0]["content"]  # log: sent unchanged
    prepared = decision.prepared
    assert repr(prepared) == (
        "Prepared(models=['anthropic/claude-sonnet-4'], "
        "providers=['amazon-bedrock/eu-central-1', 'google-vertex/europe-west1'], findings=3, request=<dict>)"
    )
    check = logging_guard.verify(prepared, response("Anthropic", content=text))
    served = guard.verify(guard.prepare(ALICE, chat("anthropic/claude-sonnet-4")).prepared, response("Amazon Bedrock", text))
    reprs = [repr(decision), repr(prepared), repr(check), repr(served), repr(logging_guard)]
    reprs += [repr(f) for f in prepared.findings] + [repr(r) for r in check.reasons]
    for r in reprs:
        assert_no_canary(r)
    assert repr(decision).startswith(f"Decision(allowed=True, reasons=[], notices=[], policy_hash='{logging_guard.policy_hash}', prepared=Prepared(")
    assert repr(check).startswith("Verification(allowed=False, provider='anthropic', model='anthropic/claude-sonnet-4', withheld=True")
    assert repr(served).endswith("reasons=[], response=<dict>)")
    assert repr(prepared.findings[0]) == (
        "PreparedFinding(path='/messages/0/content', detector='email_address', category='EMAIL_ADDRESS', action='log')"
    )


def test_denied_decision_repr(guard):
    decision = guard.prepare(ALICE, chat("deepseek/deepseek-chat"))
    text = repr(decision)
    assert text.startswith("Decision(allowed=False, reasons=[Reason(code='no_compliant_endpoint', rule='workspaces.eu.providers.processing', message='")
    assert text.endswith(f"shadow=False)], notices=[], policy_hash='{guard.policy_hash}', prepared=None)")


def test_records_are_frozen_comparable_and_convert_to_dicts(guard):
    request = chat("anthropic/claude-sonnet-4", f"Mail {EMAIL}")
    a = guard.prepare(ALICE, request, vault=routeguard.Vault())
    b = guard.prepare(ALICE, request, vault=routeguard.Vault())
    assert a == b and a.prepared == b.prepared and a != guard.prepare(ALICE, chat("mistralai/mistral-large"))
    assert a != "Decision" and a.prepared != a
    with pytest.raises(AttributeError):
        a.allowed = False  # type: ignore[misc]
    d = a.to_dict()
    assert json.loads(json.dumps(d)) == d  # plain JSON data
    assert d["allowed"] is True and d["policy_hash"] == guard.policy_hash
    assert d["prepared"]["request"] == a.prepared.request
    assert d["prepared"]["providers"] == EU_ENDPOINTS
    assert d["prepared"]["findings"] == [
        {"path": "/messages/0/content", "detector": "email_address", "category": "EMAIL_ADDRESS", "action": "pseudonymize"}
    ]
    assert d["prepared"]["request"] is not a.prepared.request  # a copy
    denied = guard.prepare(ALICE, chat("deepseek/deepseek-chat")).to_dict()
    assert denied["prepared"] is None
    assert set(denied["reasons"][0]) == {"code", "rule", "message", "shadow"}
    check = guard.verify(a.prepared, response("Anthropic"))
    v = check.to_dict()
    assert json.loads(json.dumps(v)) == v
    assert v["withheld"] is True and v["provider"] == "anthropic" and v["reasons"][0]["code"] == "provider_violation"
    assert check == guard.verify(a.prepared, response("Anthropic")) != guard.verify(a.prepared, response("Google Vertex"))


def test_package_exports():
    for name in ("Guard", "Decision", "Prepared", "PreparedFinding", "Reason", "Verification"):
        assert name in routeguard.__all__ and getattr(routeguard, name)
    for name in ("Decision", "Prepared", "PreparedFinding", "Reason", "Verification"):
        with pytest.raises(TypeError):
            getattr(routeguard, name)()  # results are made by the guard only


# --- errors ----------------------------------------------------------------------------------


def test_policy_errors_name_the_place():
    with pytest.raises(routeguard.InvalidPolicyError) as info:
        routeguard.Guard.from_yaml("version: 1\ndefaults:\n  modelz: {}\n", CATALOG)
    assert isinstance(info.value, ValueError) and info.value.code == "invalid_policy"
    assert "defaults.modelz" in str(info.value) and "line 3" in str(info.value)
    with pytest.raises(routeguard.UnsupportedPolicyVersionError):
        routeguard.Guard({"version": 2})
    with pytest.raises(routeguard.InvalidGlobError):
        routeguard.Guard({"version": 1, "defaults": {"models": {"allow": ["a/[b"]}}})
    with pytest.raises(routeguard.UnknownProviderError):
        routeguard.Guard({"version": 1, "defaults": {"providers": {"allow": ["no-such-provider"]}}}, CATALOG)


def test_catalogue_errors(tmp_path):
    with pytest.raises(routeguard.InvalidCatalogError):
        routeguard.Guard(EU_POLICY, catalog="[]")
    with pytest.raises(routeguard.ConfigFileUnreadableError) as info:
        routeguard.Guard(EU_POLICY, catalog_dir=tmp_path / "missing")
    assert isinstance(info.value, OSError)
    with pytest.raises(routeguard.InvalidArgumentError, match="at most one"):
        routeguard.Guard(EU_POLICY, catalog=CATALOG, catalog_dir=tmp_path)
    with pytest.raises(routeguard.ConfigFileUnreadableError):
        routeguard.Guard.from_file(tmp_path / "absent.yaml")


def test_input_errors_never_quote_content(guard):
    with pytest.raises(routeguard.InvalidArgumentError) as info:
        guard.prepare({"workspace": "eu"}, chat("anthropic/claude-sonnet-4"))
    assert "principal" in str(info.value)
    with pytest.raises(routeguard.InvalidJsonError) as info:
        guard.prepare(ALICE, '{"messages": [{"content": "' + CARD + '"')
    assert_no_canary(str(info.value))
    with pytest.raises(routeguard.InvalidRequestError):
        guard.prepare(ALICE, {"messages": [{"role": "user", "content": CARD}]})  # no model
    with pytest.raises(routeguard.InvalidArgumentError):
        guard.prepare(ALICE, {"model": object()})
    prepared = guard.prepare(ALICE, chat("anthropic/claude-sonnet-4")).prepared
    with pytest.raises(routeguard.InvalidJsonError) as info:
        guard.verify(prepared, '{"choices": "' + EMAIL)
    assert_no_canary(str(info.value))


def test_verify_needs_a_prepared_request(guard):
    denied = guard.prepare(ALICE, chat("deepseek/deepseek-chat"))
    with pytest.raises(TypeError, match="decision.prepared of an allowed decision"):
        guard.verify(denied.prepared, response("Anthropic"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        guard.verify(denied, response("Anthropic"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        guard.prepare(ALICE, chat("anthropic/claude-sonnet-4"), hash_key=1)  # type: ignore[arg-type]


def test_example_policy_loads():
    guard = routeguard.Guard.from_file(REPO / "examples" / "policy.yaml")
    decision = guard.prepare({"user": "alice", "workspace": "eu-health"}, chat("anthropic/claude-sonnet-4"))
    assert decision.policy_hash == guard.policy_hash
    assert isinstance(decision.allowed, bool)
