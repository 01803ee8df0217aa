#!/usr/bin/env bash
# Regenerates the committed Kotlin, Swift and Ruby sources of the uniffi binding from the release
# cdylib (library mode), with the uniffi-bindgen of this crate (same uniffi version).
#   bindings/uniffi/generate.sh          rewrite kotlin/, swift/ and ruby/
#   bindings/uniffi/generate.sh --check  fail when the committed files differ (drift)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
check=0
[[ "${1:-}" == "--check" ]] && check=1

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
lib="$target_dir/${CARGO_BUILD_TARGET:+$CARGO_BUILD_TARGET/}release/librouteguard_uniffi.so"
cargo build -q -p routeguard-uniffi --release
cargo build -q -p routeguard-uniffi --release --features bindgen --bin uniffi-bindgen
bindgen="$target_dir/${CARGO_BUILD_TARGET:+$CARGO_BUILD_TARGET/}release/uniffi-bindgen"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$bindgen" generate --library "$lib" --language kotlin --no-format --out-dir "$out/kotlin" >/dev/null
"$bindgen" generate --library "$lib" --language swift --no-format --out-dir "$out/swift" >/dev/null
"$bindgen" generate --library "$lib" --language ruby --no-format --out-dir "$out/ruby" >/dev/null

if (( check )); then
    status=0
    for lang in kotlin swift ruby; do
        if ! diff -r "$out/$lang" "$here/$lang" >/dev/null; then
            echo "generate.sh: bindings/uniffi/$lang differs from the generated sources; run bindings/uniffi/generate.sh" >&2
            diff -r "$out/$lang" "$here/$lang" | head -20 >&2 || true
            status=1
        fi
    done
    exit $status
fi
for lang in kotlin swift ruby; do
    # each directory holds only generated files (the Ruby suite lives in the top-level ruby/)
    rm -rf "${here:?}/$lang"
    cp -r "$out/$lang" "$here/$lang"
done
echo "generate.sh: wrote bindings/uniffi/kotlin, bindings/uniffi/swift and bindings/uniffi/ruby"
