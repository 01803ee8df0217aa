#!/usr/bin/env bash
# The JVM suite: builds librouteguard_uniffi.so (release), checks that the committed Kotlin and
# Swift sources match it (bindings/uniffi/generate.sh --check), then compiles the generated
# Kotlin with the Java example and runs the JUnit tests (conformance corpus, governed calls
# against the local OpenRouter stand-in). The first run downloads the Maven plugins and
# dependencies from Maven Central into ~/.m2.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
start=$SECONDS
# Java 17+ and Maven come with our machines; install them when a machine lacks them.
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    echo "jvm/ci.sh: installing a JDK and Maven (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jdk-headless maven >/dev/null
fi
cargo build -q -p routeguard-uniffi --release
bindings/uniffi/generate.sh --check
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
lib_dir="$target_dir/${CARGO_BUILD_TARGET:+$CARGO_BUILD_TARGET/}release"
cd "$here"
mvn -q -B test -Drouteguard.lib.dir="$lib_dir"
# Surefire's summary is quiet under -q: print the plain count from its reports.
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
t = f = s = 0
for path in glob.glob("target/surefire-reports/TEST-*.xml"):
    r = ET.parse(path).getroot()
    n, fails, errs, skips = (int(r.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    t += n; f += fails + errs; s += skips
print(f"jvm: {t - f - s} passed, {f} failed, {s} skipped")
PY
echo "jvm/ci.sh: $((SECONDS - start)) s"
