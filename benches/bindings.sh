#!/usr/bin/env bash
# The binding-overhead table of `make bench`: the same call (scan the 2 KB conformance prompt with
# the default scanner) from Rust, Python, Node and C in one run; the difference from the Rust call
# in the binding's own offset unit is what crossing the binding costs (target: under 5 µs).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}"
# Rebuild the packages from this tree (incremental), so that the table never measures a stale
# build; tests/c/bench.sh builds the C side itself.
echo "(building the Python and Node packages)" >&2
bash python/ci.sh --build >/dev/null
bash node/ci.sh --build >/dev/null
rust=$(cargo run -q --release -p routeguard-benches --bin call-overhead)
python=$(python/.venv/bin/python python/bench_overhead.py 2>/dev/null)
node=$(node node/bench/overhead.mjs)
c=$(bash tests/c/bench.sh)
of() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }
core=$(of rust-core "$rust")
printf '%-8s %-14s %12s %12s %10s\n' binding "offset unit" "µs/call" "Rust µs/call" overhead
row() { # name unit binding-µs rust-µs
  awk -v n="$1" -v u="$2" -v b="$3" -v r="$4" \
    'BEGIN { printf "%-8s %-14s %12.2f %12.2f %+9.2f\n", n, u, b, r, b - r }'
}
row rust "bytes (core)" "$core" "$core"
row python "code points" "$(of python "$python")" "$(of rust-code-points "$rust")"
row node "UTF-16 units" "$(of node "$node")" "$(of rust-utf16 "$rust")"
row c "bytes" "$(of c "$c")" "$(of rust-bytes "$rust")"
