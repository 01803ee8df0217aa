#!/usr/bin/env bash
# Drift check for the files napi-rs generates and we commit (index.d.ts, binding.js): regenerate
# them into a temporary directory with the same command as `npm run build` and diff. Exits 1 and
# prints the diff when a committed file is stale (fix: `npm run build` in node/, commit the result).
# Needs `npm install` done in node/; builds the addon (release) as a side effect.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The same flags as the `build` script of package.json, with another output directory.
build_script="$(node -p 'require("./package.json").scripts.build')"
case "$build_script" in
  *"--output-dir . "*) ;;
  *) echo "check-generated: the build script no longer has '--output-dir . ': update this check" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086 # the script's words are the command line
npx ${build_script/--output-dir . /--output-dir $tmp } >"$tmp/build.log" 2>&1 || {
  cat "$tmp/build.log" >&2
  exit 1
}

status=0
for file in index.d.ts binding.js; do
  if ! diff -u "$file" "$tmp/$file"; then
    echo "check-generated: node/$file is stale; run 'npm run build' in node/ and commit it" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "check-generated: index.d.ts and binding.js are up to date"
exit "$status"
