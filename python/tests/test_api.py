"""The public API: constructors, scan, redact, requests, streams, vaults, detectors, records."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import routeguard
from conftest import CARD, EMAIL, OPENROUTER_KEY, REPO, assert_no_canary

CUSTOM = {
    "builtin": {"enable": ["email_address"]},
    "custom": [{"id": "employee_id", "category": "EMPLOYEE_ID", "pattern": "EMP-[0-9]{6}"}],
}
CUSTOM_YAML = """
builtin:
  enable: [email_address]
custom:
  - id: employee_id
    category: EMPLOYEE_ID
    pattern: "EMP-[0-9]{6}"
"""


def detectors_found(scanner: routeguard.Scanner, text: str) -> list[str]:
    return [f.detector for f in scanner.scan(text)]


def test_offsets_are_code_points(scanner, prompt):
    findings = scanner.scan(prompt)
    assert [f.detector for f in findings] == ["email_address", "credit_card", "openrouter_api_key"]
    assert [prompt[f.start : f.end] for f in findings] == [EMAIL, CARD, OPENROUTER_KEY]
    data = prompt.encode()
    assert [data[f.byte_start : f.byte_end].decode() for f in findings] == [EMAIL, CARD, OPENROUTER_KEY]
    # The emoji and the CJK characters make the two units differ.
    assert findings[0].byte_start == findings[0].start + 3
    email = findings[0]
    assert (email.category, email.kind, email.action) == ("EMAIL_ADDRESS", "pii", "mask")
    assert findings[2].kind == "secret" and findings[2].action == "block"
    assert 0.0 < findings[2].confidence <= 1.0


def test_no_findings_in_clean_text(scanner):
    assert scanner.scan("") == []
    assert scanner.scan("nothing to see here") == []


@pytest.mark.parametrize(
    "build",
    [
        lambda tmp: routeguard.Scanner(CUSTOM),
        lambda tmp: routeguard.Scanner(config=json.dumps(CUSTOM)),
        lambda tmp: routeguard.Scanner.from_yaml(CUSTOM_YAML),
        lambda tmp: routeguard.Scanner.from_file(write(tmp / "c.json", json.dumps(CUSTOM))),
        lambda tmp: routeguard.Scanner.from_file(str(write(tmp / "c.yaml", CUSTOM_YAML))),
    ],
    ids=["dict", "json-text", "yaml-text", "json-file-path", "yaml-file-str"],
)
def test_every_config_source_builds_the_same_scanner(build, tmp_path):
    scanner = build(tmp_path)
    text = f"{EMAIL} is EMP-123456, card {CARD}"
    assert detectors_found(scanner, text) == ["email_address", "employee_id"]
    ids = {d.id for d in scanner.detectors()}
    assert "employee_id" in ids and "email_address" in ids and "credit_card" not in ids
    assert repr(scanner).startswith("Scanner(source=")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_redact_applies_each_detectors_action(scanner, prompt):
    result = scanner.redact(prompt)
    assert result.blocked  # the API key's action is block
    assert OPENROUTER_KEY not in result.text and CARD not in result.text
    assert [a.detector for a in result.applied] == [f.detector for f in result.findings]
    for applied in result.applied:
        assert prompt[applied.start : applied.end] in (EMAIL, CARD, OPENROUTER_KEY)
        assert result.text[applied.output_start : applied.output_end] not in (EMAIL, CARD, OPENROUTER_KEY)


def test_redact_with_one_action(scanner):
    text = f"card {CARD}"
    assert scanner.redact(text, action="redact").text == "card [CREDIT_CARD]"
    assert scanner.redact(text, action="mask").text == "card **** **** **** ****"
    logged = scanner.redact(text, action="log")
    assert logged.text == text and not logged.blocked
    blocked = scanner.redact(text, action="block")
    assert blocked.blocked and CARD not in blocked.text


def test_hash_key_as_bytes_or_str(scanner):
    text = f"card {CARD}"
    as_bytes = scanner.redact(text, action="hash", hash_key=b"k1").text
    assert as_bytes == scanner.redact(text, action="hash", hash_key="k1").text
    assert as_bytes != scanner.redact(text, action="hash", hash_key=b"k2").text
    assert CARD not in as_bytes
    with pytest.raises(TypeError):
        scanner.redact(text, action="hash", hash_key=42)  # type: ignore[arg-type]


def test_vault_pseudonymizes_and_restores(scanner):
    vault = routeguard.Vault()
    assert len(vault) == 0
    first = scanner.redact(f"mail {EMAIL}", action="pseudonymize", vault=vault)
    second = scanner.redact(f"again {EMAIL} and {CARD}", action="pseudonymise", vault=vault)
    assert EMAIL not in first.text and EMAIL not in second.text
    token = first.text[len("mail ") :]
    assert token in second.text  # one value, one token across calls
    assert len(vault) == 2
    assert vault.restore(second.text) == f"again {EMAIL} and {CARD}"
    assert repr(vault) == "Vault(len=2)"


def test_scan_request_dict_and_text(scanner):
    request = {
        "model": "openai/gpt-4o",
        "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": f"my card is {CARD}"},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": f"mail {EMAIL}"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                ],
            },
        ],
    }
    result = scanner.scan_request(request, action="redact")
    assert not result.blocked
    assert [(f.path, f.detector) for f in result.findings] == [
        ("/messages/1/content", "credit_card"),
        ("/messages/2/content/0/text", "email_address"),
    ]
    assert result.request["messages"][1]["content"] == "my card is [CREDIT_CARD]"
    assert result.request["messages"][2]["content"][0]["text"] == "mail [EMAIL_ADDRESS]"
    assert result.request["model"] == "openai/gpt-4o"
    assert [(d.path, d.media_type) for d in result.inline_data] == [
        ("/messages/2/content/1/image_url/url", "image/png")
    ]
    assert scanner.scan_request(json.dumps(request), action="redact") == result
    assert_no_canary(repr(result))


def test_scan_request_errors(scanner):
    with pytest.raises(routeguard.InvalidJsonError):
        scanner.scan_request("{not json")
    with pytest.raises(routeguard.InvalidRequestError):
        scanner.scan_request({"messages": "not a list"})
    with pytest.raises(routeguard.InvalidArgumentError):
        scanner.scan_request({"messages": {1, 2}})  # type: ignore[dict-item]


def test_stream_releases_everything_once(scanner):
    text = f"Mail {EMAIL} now; card {CARD}. " * 20
    chunks = [text[i : i + 7] for i in range(0, len(text), 7)]
    stream = scanner.stream(action="redact")
    released = list(stream.feed(chunks))
    assert len(released) == len(chunks) + 1
    assert "".join(r.text for r in released) == scanner.redact(text, action="redact").text
    findings = [f for r in released for f in r.findings]
    assert [(f.start, f.end) for f in findings] == [(f.start, f.end) for f in scanner.scan(text)]
    assert stream.pending == 0
    with pytest.raises(routeguard.RouteguardError):
        stream.push("more")


def test_stream_holds_back_a_possible_match(scanner):
    stream = scanner.stream(action="redact")
    first = stream.push("card 4111 1111")
    assert "4111" not in first.text and stream.pending > 0
    rest = stream.push(" 1111 1111 done")
    last = stream.finish()
    assert first.text + rest.text + last.text == "card [CREDIT_CARD] done"
    assert 0 < scanner.stream_holdback


def test_stream_cannot_be_built_directly():
    with pytest.raises(TypeError):
        routeguard.Stream()


def test_detectors_and_error_codes():
    detectors = routeguard.detectors()
    assert len(detectors) > 100
    assert len({d.id for d in detectors}) == len(detectors)
    card = next(d for d in detectors if d.id == "credit_card")
    assert card.kind == "pii" and card.builtin and card.validation
    assert card.to_dict()["id"] == "credit_card"
    codes = routeguard.error_codes()
    assert [c.number for c in codes] == sorted(c.number for c in codes)
    assert codes[0].to_dict() == {"name": codes[0].name, "number": codes[0].number, "meaning": codes[0].meaning}


def test_records_are_frozen_values(scanner, prompt):
    a, b = scanner.scan(prompt), scanner.scan(prompt)
    assert a == b and a[0] != a[1]
    assert a[0].to_dict() == {
        "detector": "email_address",
        "category": "EMAIL_ADDRESS",
        "kind": "pii",
        "action": "mask",
        "confidence": a[0].confidence,
        "start": a[0].start,
        "end": a[0].end,
        "byte_start": a[0].byte_start,
        "byte_end": a[0].byte_end,
    }
    with pytest.raises(AttributeError):
        a[0].start = 0  # type: ignore[misc]
    assert scanner.redact(prompt) == scanner.redact(prompt)
    assert type(a[0]).__module__ == "routeguard"


def test_reprs_are_readable_and_never_show_text(scanner, prompt):
    finding = scanner.scan(prompt)[0]
    assert repr(finding) == (
        "Finding(detector='email_address', category='EMAIL_ADDRESS', kind='pii', action='mask', "
        f"confidence={finding.confidence!r}, start={finding.start}, end={finding.end}, "
        f"byte_start={finding.byte_start}, byte_end={finding.byte_end})"
    )
    logged = scanner.redact(prompt, action="log")  # the text keeps every value
    stream = scanner.stream(action="log")
    reprs = [
        repr(logged),
        repr(scanner.scan_request({"messages": [{"role": "user", "content": prompt}]}, action="log")),
        repr(stream.push(prompt)),
        repr(stream.finish()),
        repr(stream),
        repr(scanner),
    ]
    for text in reprs:
        assert_no_canary(text)
    assert f"text=<{len(prompt)} chars>" in reprs[0]


def test_wrong_types_are_type_errors(scanner):
    with pytest.raises(TypeError):
        scanner.scan(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scanner.scan(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scanner.redact("x", vault="not a vault")  # type: ignore[arg-type]


def test_lone_surrogate_is_invalid_utf8(scanner):
    with pytest.raises(routeguard.InvalidUtf8Error) as info:
        scanner.scan("card \ud800 " + CARD)
    assert isinstance(info.value, UnicodeError)
    assert_no_canary(str(info.value))


def test_native_objects_do_not_pickle(scanner):
    # Scanners hold compiled detectors; rebuilding from the configuration is the way to copy one.
    with pytest.raises(TypeError):
        pickle.dumps(scanner._inner)


def test_version_is_the_workspace_version():
    cargo = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    workspace_package = cargo.split("[workspace.package]", 1)[1]
    assert f'version = "{routeguard.__version__}"' in workspace_package
