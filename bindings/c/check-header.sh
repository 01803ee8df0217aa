#!/usr/bin/env bash
# Drift check of the committed C header: builds routeguard-c (its build.rs runs cbindgen 0.29.4,
# pinned in Cargo.lock, into OUT_DIR), copies the fresh header to a temp file and diffs it with
# c-include/routeguard.h. Exit 1 on a difference. `--update` writes the fresh header instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_BUILD_TARGET=${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}

# cargo prints one JSON message per line; the build script's message names its OUT_DIR.
out_dir=$(cargo build --release -q -p routeguard-c --message-format=json \
  | grep '"reason":"build-script-executed"' | grep '#routeguard-c@' \
  | sed -n 's/.*"out_dir":"\([^"]*\)".*/\1/p' | tail -n 1)
if [[ -z "$out_dir" || ! -f "$out_dir/routeguard.h" ]]; then
  echo "check-header: could not find the generated header" >&2
  exit 2
fi
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
cp "$out_dir/routeguard.h" "$fresh"

if [[ "${1:-}" == "--update" ]]; then
  cp "$fresh" c-include/routeguard.h
  echo "check-header: c-include/routeguard.h updated"
elif diff -u c-include/routeguard.h "$fresh"; then
  echo "check-header: c-include/routeguard.h is up to date"
else
  echo "check-header: c-include/routeguard.h differs from the sources; run bindings/c/check-header.sh --update" >&2
  exit 1
fi
