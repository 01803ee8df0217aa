#!/usr/bin/env bash
# `make bench`: the speed table (routeguard and Presidio in the same run), criterion throughput,
# and the accuracy table. Sets up Presidio's venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}"
if [ ! -x benches/.venv/bin/python ]; then
  echo "== setting up Presidio (benches/.venv, once)"
  bash benches/presidio/setup.sh
fi
echo "== speed: routeguard vs Presidio (single thread, same prompts)"
cargo run -q -p routeguard-benches --release --bin dlp-bench -- --presidio 300 --latency 3000 --prompts 2000
echo
echo "== criterion: scan throughput over 2 KB prompts"
cargo bench -q -p routeguard-benches --bench scan -- --warm-up-time 1 --measurement-time 5
echo
echo "== accuracy (seed 42, 2000 prompts; then the held-out style)"
cargo run -q -p routeguard-benches --release --bin dlp-eval -- --seed 42 --prompts 2000
cargo run -q -p routeguard-benches --release --bin dlp-eval -- --seed 42 --prompts 2000 --holdout
echo
echo "== Guard::prepare for a typical request (policy + DLP on 4 KB + routing)"
cargo run -q -p routeguard-benches --release --bin prepare-bench
echo
echo "== binding overhead: the same 2 KB scan from Rust, Python, Node and C"
bash benches/bindings.sh
