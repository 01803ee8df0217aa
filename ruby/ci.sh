#!/usr/bin/env bash
# The Ruby suite: installs Debian's ruby and ruby-ffi when missing, builds librouteguard_uniffi.so
# (release, the same build as jvm/ci.sh), checks that the committed generated sources (Kotlin,
# Swift, Ruby) match it (bindings/uniffi/generate.sh --check), then runs the minitest suite
# ruby/test/*.rb against bindings/uniffi/ruby/routeguard.rb with LD_LIBRARY_PATH set.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
start=$SECONDS
if ! command -v ruby >/dev/null || ! ruby -e 'require "ffi"' 2>/dev/null; then
    sudo_=""; [[ $(id -u) -ne 0 ]] && sudo_="sudo"
    $sudo_ apt-get install -y ruby ruby-ffi >/dev/null || { $sudo_ apt-get update >/dev/null && $sudo_ apt-get install -y ruby ruby-ffi >/dev/null; }
fi
cargo build -q -p routeguard-uniffi --release
bindings/uniffi/generate.sh --check
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
lib_dir="$target_dir/${CARGO_BUILD_TARGET:+$CARGO_BUILD_TARGET/}release"
cd "$here"
LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    ruby -e 'Dir["test/*.rb"].sort.each { |f| require File.expand_path(f) }'
echo "ruby/ci.sh: $((SECONDS - start)) s"
