#!/usr/bin/env bash
# The governed-call table of `make bench`: what a governed call adds, from Rust, Python and Node in
# one run. In process (begin + complete over a canned answer: policy, request DLP, routing,
# reservation, verify, response DLP, settlement, audit record) and end to end against the local
# stand-in beside a direct HTTP call made in the same language. Rust's stream rows (time to first
# token with and without response DLP) come from governed-bench itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}"
calls=${1:-2000}
rust=$(cargo run -q --release -p routeguard-benches --bin governed-bench -- "$calls")
echo "$rust"
python=$(python/.venv/bin/python python/bench_governed.py "$calls" 2>/dev/null)
node=$(cd node && node bench/governed.mjs "$calls")
row_of() { awk -v k="$1" '$1 == k { print $2, $3 }' <<<"$2"; }
rust_row() { grep -m1 -F "$1" <<<"$rust" | awk '{ print $(NF-1), $NF }'; }
echo
echo "the same from each language ($calls calls in process; end to end: one direct and one governed call in turn)"
printf '  %-8s %-28s %9s %9s\n' language row "p50 µs" "p99 µs"
line() { printf '  %-8s %-28s %9s %9s\n' "$1" "$2" $3; }
line rust "in process" "$(rust_row 'begin + complete')"
line rust "direct HTTP" "$(rust_row 'direct HTTP (reqwest)')"
line rust "governed" "$(rust_row 'governed (HostClient::chat)')"
line python "in process" "$(row_of python-inprocess "$python")"
line python "direct HTTP (httpx)" "$(row_of python-direct "$python")"
line python "governed" "$(row_of python-governed "$python")"
line node "in process" "$(row_of node-inprocess "$node")"
line node "direct HTTP (fetch)" "$(row_of node-direct "$node")"
line node "governed" "$(row_of node-governed "$node")"
