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
echo
echo "== budget ledger: reserve+settle operations per second (each caller has its own user cap and"
echo "   shares one workspace cap; SQLite is a file on this disk, PostgreSQL a loopback server)"
pg_url="${ROUTEGUARD_TEST_POSTGRES:-$(bash tests/postgres/server.sh start)}"
cargo build -q -p routeguard-benches --release --bin ledger-load
load="${CARGO_TARGET_DIR:-target}/$CARGO_BUILD_TARGET/release/ledger-load"
bench_db="$(mktemp -d)/bench.db"
printf '%-10s %14s %14s\n' backend "1 caller" "16 callers"
for backend in memory sqlite postgres; do
  case $backend in
    memory) url="memory:" ;;
    sqlite) url="sqlite:$bench_db" ;;
    postgres) url="$pg_url" ;;
  esac
  one=$("$load" bench "$url" 1 3 | sed 's/ops_per_sec=//')
  many=$("$load" bench "$url" 16 3 | sed 's/ops_per_sec=//')
  printf '%-10s %14s %14s\n' "$backend" "$one/s" "$many/s"
done
echo
echo "== audit trail: records per second with the chain on (HMAC per record, a signed checkpoint"
echo "   every 1,000), per sink and fsync policy; the same ~1 KB interaction record throughout"
cargo run -q -p routeguard-benches --release --bin audit-bench -- 20000 "$pg_url"
echo
echo "== governed call: what routeguard adds to an OpenRouter call (in process, end to end against"
echo "   the local stand-in, and time to first token with and without response DLP)"
bash benches/governed.sh 2000
