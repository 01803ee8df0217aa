"""The error table as exceptions: one class per code, each a RouteguardError and a fitting builtin."""

from __future__ import annotations

import pytest

import routeguard
from routeguard import _native, errors
from conftest import CARD, assert_no_canary

# The builtin each code's class must also be (None: RouteguardError only). A code missing here
# fails test_every_code_has_its_class, so a new code in the core cannot slip through.
BUILTIN = {
    "invalid_utf8": UnicodeError,
    "invalid_json": ValueError,
    "invalid_request": ValueError,
    "input_too_large": ValueError,
    "invalid_argument": ValueError,
    "unknown_pseudonym": LookupError,
    "invalid_config": ValueError,
    "invalid_pattern": ValueError,
    "pattern_too_large": ValueError,
    "unknown_detector": ValueError,
    "unknown_validator": ValueError,
    "duplicate_detector": ValueError,
    "config_file_unreadable": OSError,
    "missing_key": ValueError,
    "invalid_policy": ValueError,
    "invalid_glob": ValueError,
    "unsupported_policy_version": ValueError,
    "invalid_catalog": ValueError,
    "unknown_provider": ValueError,
    "blocked": None,
    "price_unknown": ValueError,
    "unknown_reservation": LookupError,
    "already_settled": ValueError,
    "ledger_unavailable": OSError,
    "invalid_ledger_url": ValueError,
    "audit_unavailable": OSError,
    "invalid_audit_record": ValueError,
    "audit_key_invalid": ValueError,
    "audit_trail_closed": RuntimeError,
    "audit_unreadable": OSError,
    "missing_api_key": ValueError,
    "transport_failed": OSError,
    "upstream_error": OSError,
    "internal": RuntimeError,
}


def test_every_code_has_its_class():
    codes = routeguard.error_codes()
    assert {c.name for c in codes} == set(BUILTIN), "error table and BUILTIN differ"
    assert set(errors.BY_CODE) == set(BUILTIN)
    for code in codes:
        cls = errors.BY_CODE[code.name]
        assert issubclass(cls, routeguard.RouteguardError) and cls is not routeguard.RouteguardError
        assert (cls.code, cls.number) == (code.name, code.number)
        assert code.meaning in cls.__doc__
        assert cls.__module__ == "routeguard"
        assert getattr(routeguard, cls.__name__) is cls
        builtin = BUILTIN[code.name]
        if builtin is None:
            assert cls.__mro__[1:] == (routeguard.RouteguardError, Exception, BaseException, object)
        else:
            assert issubclass(cls, builtin)


def test_native_module_exports_exactly_these_classes():
    native = {
        name
        for name, value in vars(_native).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }
    assert native == {"RouteguardError"} | {cls.__name__ for cls in errors.BY_CODE.values()}
    assert issubclass(routeguard.RouteguardError, Exception)


@pytest.mark.parametrize(
    "make, cls",
    [
        (lambda: routeguard.Scanner({"nope": 1}), routeguard.InvalidConfigError),
        (lambda: routeguard.Scanner("{"), routeguard.InvalidConfigError),
        (lambda: routeguard.Scanner.from_yaml("builtin: [unclosed"), routeguard.InvalidConfigError),
        (
            lambda: routeguard.Scanner({"custom": [{"id": "x", "category": "X", "pattern": "("}]}),
            routeguard.InvalidPatternError,
        ),
        (
            lambda: routeguard.Scanner({"builtin": {"enable": ["no_such_detector"]}}),
            routeguard.UnknownDetectorError,
        ),
        (lambda: routeguard.Scanner.from_file("/nonexistent/routeguard.yaml"), routeguard.ConfigFileUnreadableError),
        (lambda: routeguard.Scanner().redact("x", action="shout"), routeguard.InvalidArgumentError),
        (lambda: routeguard.Scanner().scan_request("[1,"), routeguard.InvalidJsonError),
    ],
)
def test_raised_errors_carry_code_and_number(make, cls):
    with pytest.raises(cls) as info:
        make()
    error = info.value
    assert isinstance(error, routeguard.RouteguardError)
    assert error.code == cls.code and error.number == cls.number
    assert str(error)  # a message that says what is wrong


def test_builtin_handlers_keep_working():
    with pytest.raises(ValueError):
        routeguard.Scanner({"nope": 1})
    with pytest.raises(OSError):
        routeguard.Scanner.from_file("/nonexistent/routeguard.json")


def test_messages_never_hold_scanned_text():
    scanner = routeguard.Scanner()
    cases = [
        lambda: scanner.scan_request('{"messages": [{"role": "user", "content": "' + CARD + '"'),
        lambda: scanner.scan_request({"messages": [{"role": "user", "content": CARD, "x": {CARD}}]}),
        lambda: scanner.scan("\ud800" + CARD),
        lambda: scanner.stream().push("\udfff" + CARD),
        lambda: routeguard.Vault().restore(CARD + "\ud800"),
    ]
    for make in cases:
        with pytest.raises(routeguard.RouteguardError) as info:
            make()
        assert_no_canary(str(info.value))
        assert_no_canary(repr(info.value))


def test_errors_can_be_raised_and_caught_from_python():
    with pytest.raises(LookupError) as info:
        raise routeguard.UnknownPseudonymError("token not in this vault")
    assert info.value.code == "unknown_pseudonym" and info.value.number == 1005
