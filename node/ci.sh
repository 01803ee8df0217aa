#!/usr/bin/env bash
# Node package: install the build tool, check the committed generated files, build the addon
# (release) and run the whole suite (API, ESM/CJS, conformance corpus, README quick start).
# Honours CARGO_TARGET_DIR (default: the repo's target/). Re-runs skip `npm install`.
# `node/ci.sh --build` builds only (what `make bench` measures).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}"

step() { printf '\n== node: %s\n' "$*"; }

# `npm install`, not `npm ci`: the lockfile npm writes lacks the CLI's optional platform packages,
# which `npm ci` rejects. Skipped when node_modules matches package.json already.
if [ ! -x node_modules/.bin/napi ] || [ package.json -nt node_modules/.package-lock.json ]; then
  step "npm install"
  npm install --no-audit --no-fund
fi

step "generated files (index.d.ts, binding.js) match the Rust source"
bash scripts/check-generated.sh

step "build (release)"
npm run --silent build

[ "${1:-}" = "--build" ] && exit 0

step "tests"
node --test test/
