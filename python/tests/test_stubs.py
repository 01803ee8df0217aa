"""`routeguard/_native.pyi` against the built module: every public name, class member and
signature appears in both, with the same parameter names, kinds and defaults."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import routeguard
from routeguard import _native

STUB = Path(routeguard.__file__).with_name("_native.pyi")

# (name, kind, has_default) per parameter, `self`/`cls` left out.
Params = List[Tuple[str, str, bool]]


def stub_params(fn: ast.FunctionDef, drop_first: bool) -> Params:
    a = fn.args
    out: Params = []
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        if i == 0 and drop_first:
            continue
        kind = "POSITIONAL_ONLY" if arg in a.posonlyargs else "POSITIONAL_OR_KEYWORD"
        out.append((arg.arg, kind, default is not None))
    if a.vararg:
        out.append((a.vararg.arg, "VAR_POSITIONAL", False))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out.append((arg.arg, "KEYWORD_ONLY", default is not None))
    if a.kwarg:
        out.append((a.kwarg.arg, "VAR_KEYWORD", False))
    return out


def runtime_params(obj: object, drop_first: bool) -> Params:
    sig = inspect.signature(obj)  # type: ignore[arg-type]
    params = list(sig.parameters.values())
    if drop_first and params and params[0].name in ("self", "cls", "$self", "$cls"):
        params = params[1:]
    return [(p.name, p.kind.name, p.default is not inspect.Parameter.empty) for p in params]


def decorators(fn: ast.FunctionDef) -> set:
    return {d.id for d in fn.decorator_list if isinstance(d, ast.Name)}


class StubClass:
    def __init__(self, node: ast.ClassDef):
        self.node = node
        self.methods: Dict[str, ast.FunctionDef] = {}
        self.attributes: set = set()
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                if "property" in decorators(item):
                    self.attributes.add(item.name)
                else:
                    self.methods[item.name] = item
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                self.attributes.add(item.target.id)


def parse_stub() -> Tuple[Dict[str, ast.FunctionDef], Dict[str, StubClass]]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    classes = {n.name: StubClass(n) for n in tree.body if isinstance(n, ast.ClassDef)}
    return functions, classes


def public_runtime_names() -> set:
    return {n for n in dir(_native) if not n.startswith("_")}


def own_members(cls: type) -> Dict[str, object]:
    """Members the class defines itself (not inherited from object/Exception), public or dunder
    methods a user calls (`__new__`, `__len__`)."""
    members = {}
    for name, value in vars(cls).items():
        if name in ("__new__", "__len__") or not name.startswith("_"):
            members[name] = value
    return members


def test_stub_and_module_name_the_same_things():
    functions, classes = parse_stub()
    stub_names = set(functions) | set(classes)
    assert public_runtime_names() == stub_names
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    (stub_all,) = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]
    ]
    assert stub_all == list(_native.__all__)
    assert set(stub_all) == stub_names


def test_functions_have_the_same_signatures():
    functions, _ = parse_stub()
    for name, fn in functions.items():
        assert stub_params(fn, drop_first=False) == runtime_params(getattr(_native, name), False), name


def test_classes_have_the_same_members_and_signatures():
    _, classes = parse_stub()
    checked = 0
    for name, stub in classes.items():
        cls = getattr(_native, name)
        assert isinstance(cls, type), name
        if issubclass(cls, BaseException):
            continue  # checked by test_exception_bases
        runtime = own_members(cls)
        if "__new__" not in stub.methods:
            # No constructor in the stub: Python code cannot build one either.
            runtime.pop("__new__", None)
        stub_members = set(stub.methods) | stub.attributes
        assert set(runtime) == stub_members, name
        for attr in stub.attributes:
            assert not callable(runtime[attr]) or isinstance(runtime[attr], property), f"{name}.{attr}"
        for meth_name, fn in stub.methods.items():
            if meth_name == "__new__":
                got = runtime_params(cls, drop_first=False)
            else:
                raw = vars(cls)[meth_name]
                is_static = isinstance(raw, staticmethod) or "staticmethod" in decorators(fn)
                got = runtime_params(getattr(cls, meth_name), drop_first=not is_static)
                assert ("staticmethod" in decorators(fn)) == is_static, f"{name}.{meth_name}"
            assert stub_params(fn, drop_first=meth_name == "__new__" or "staticmethod" not in decorators(fn)) == got, (
                f"{name}.{meth_name}"
            )
            checked += 1
    assert checked > 10


def test_exception_bases():
    _, classes = parse_stub()
    for name, stub in classes.items():
        cls = getattr(_native, name)
        if not issubclass(cls, BaseException):
            continue
        stub_bases = [b.id for b in stub.node.bases if isinstance(b, ast.Name)]
        runtime_bases = [b.__name__ for b in cls.__bases__]
        assert stub_bases == runtime_bases, name


def test_constructible_classes():
    _, classes = parse_stub()
    for name, stub in classes.items():
        cls = getattr(_native, name)
        if issubclass(cls, BaseException):
            continue
        if "__new__" in stub.methods:
            continue
        try:
            cls()
        except TypeError:
            pass
        else:
            raise AssertionError(f"{name}() works at runtime but the stub declares no __new__")


def test_the_installed_package_is_typed():
    package = Path(routeguard.__file__).parent
    assert (package / "py.typed").is_file()
    assert STUB.is_file()
