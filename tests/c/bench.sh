#!/usr/bin/env bash
# The C row of `make bench`: builds librouteguard (release) and tests/c/bench_overhead.c (-O2,
# static), then prints `c  <median> µs/call` for scanning the 2 KB conformance prompt.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_BUILD_TARGET=${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
rel="$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/release"
cargo build --release -q -p routeguard-c
mkdir -p "$CARGO_TARGET_DIR/c-tests"
gcc -std=c99 -O2 -Wall -Wextra -Werror -Ic-include tests/c/bench_overhead.c \
  "$rel/librouteguard.a" -lpthread -ldl -lm -o "$CARGO_TARGET_DIR/c-tests/bench_overhead"
"$CARGO_TARGET_DIR/c-tests/bench_overhead" tests/conformance/dlp/bench-prompt.txt 2>/dev/null
