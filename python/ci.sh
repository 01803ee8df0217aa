#!/usr/bin/env bash
# Builds the Python package (release) into python/.venv through its PEP 517 backend (maturin) and
# runs the whole suite: API, errors, stubs, threads/asyncio, the conformance corpus and the README
# quick start. Works on a fresh machine with Rust and Python >= 3.9; re-runs skip what is done.
#   python/ci.sh            build + test
#   python/ci.sh --bench    also run bench_overhead.py
#   python/ci.sh --build    build and install only (what `make bench` measures)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$here"

export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
python="${PYTHON:-python3}"
venv="$here/.venv"
# The maturin build backend runs the `maturin` executable it finds on PATH.
export PATH="$venv/bin:$PATH"

if [[ ! -x "$venv/bin/python" ]]; then
    echo "== python: creating $venv"
    "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import maturin, pytest' 2>/dev/null; then
    echo "== python: installing maturin and pytest"
    "$venv/bin/pip" install -q --disable-pip-version-check "maturin>=1.16,<2" "pytest>=8"
fi
# The SDKs the httpx drop-in is tested under (tests/test_dropin.py), at the versions tested.
dropin=("httpx==0.28.1" "openai==3.57.0" "openrouter==1.3.84")
if ! "$venv/bin/python" - "${dropin[@]}" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(any(version(n) != v for n, v in (p.split("==") for p in sys.argv[1:])))
PY
then
    echo "== python: installing ${dropin[*]}"
    "$venv/bin/pip" install -q --disable-pip-version-check "${dropin[@]}"
fi

# The same build `pip install ./python` runs (PEP 517, backend maturin, release profile); without
# build isolation it reuses the venv's maturin instead of fetching it on every run.
echo "== python: building and installing routeguard (release)"
"$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation --no-deps \
    --force-reinstall "$here"

[[ "${1:-}" == "--build" ]] && exit 0

echo "== python: tests"
# Run from tests/ so that the source tree's routeguard/ (no compiled module) never shadows the
# installed package.
(cd "$here/tests" && "$venv/bin/python" -m pytest -q -p no:cacheprovider -c "$here/pyproject.toml" --rootdir "$here" "$here/tests")

if [[ "${1:-}" == "--bench" ]]; then
    "$venv/bin/python" "$here/bench_overhead.py"
fi
