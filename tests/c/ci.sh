#!/usr/bin/env bash
# The C package's whole suite: builds librouteguard (release), checks the committed header for
# drift, writes the pkg-config file, then compiles and runs every C test linked statically and
# dynamically, under AddressSanitizer (with LeakSanitizer) and valgrind, plus the README quick
# start, the governed-call example (own HTTP with libcurl, rg_client against the local OpenRouter
# stand-in) and the Go (cgo) program. Honours CARGO_TARGET_DIR (default: the repo's target/).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_BUILD_TARGET=${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
rel="$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/release"
out="$CARGO_TARGET_DIR/c-tests"
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }
timed() { local t0=$SECONDS; "$@"; echo "   ($((SECONDS - t0)) s)"; }

# Tools: gcc, valgrind, pkg-config, go, python3 (the OpenRouter stand-in) and libcurl's headers
# (the conformance runner and the governed-call example do their own HTTP) are expected; install
# only what is missing (Debian).
missing=()
for tool in gcc valgrind pkg-config python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
command -v go >/dev/null || missing+=(golang-go)
[[ -f /usr/include/curl/curl.h || -f /usr/include/x86_64-linux-gnu/curl/curl.h ]] || missing+=(libcurl4-openssl-dev)
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
    apt-get install -y -q "${missing[@]}"
  else
    echo "tests/c/ci.sh: please install: ${missing[*]}" >&2
    exit 1
  fi
fi

step "build librouteguard (release)"
timed cargo build --release -q -p routeguard-c
step "Rust unit tests of the C ABI (panic boundary, error table)"
timed cargo test --release -q -p routeguard-c --lib
step "header drift"
bindings/c/check-header.sh

step "pkg-config file"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
mkdir -p "$rel/pkgconfig"
sed -e "s|@LIBDIR@|$rel|" -e "s|@INCLUDEDIR@|$root/c-include|" -e "s|@VERSION@|$version|" \
  bindings/c/routeguard.pc.in >"$rel/pkgconfig/routeguard.pc"
export PKG_CONFIG_PATH="$rel/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pkg-config --modversion routeguard

cflags=(-std=c99 -g -O1 -Wall -Wextra -Wpedantic -Werror -I"$root/c-include")
shared=(-L"$rel" -lrouteguard -lpthread -Wl,-rpath,"$rel")
static=("$rel/librouteguard.a" -lpthread -ldl -lm)
asan=(-fsanitize=address -fno-omit-frame-pointer)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
# Possibly-lost blocks are hashbrown tables owned by process-wide statics (the built-in scanner,
# the names lexicon), which valgrind sees only through interior pointers; definite and indirect
# leaks are errors.
valgrind=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect
  --errors-for-leak-kinds=definite,indirect --error-exitcode=1)

step "compile"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for prog in api_test conformance; do
  srcs=("tests/c/$prog.c" tests/c/json.c)
  extra=()
  [[ $prog == conformance ]] && extra=(-lcurl)
  gcc "${cflags[@]}" "${asan[@]}" "${srcs[@]}" "${shared[@]}" "${extra[@]}" -o "$out/$prog-asan-shared"
  gcc "${cflags[@]}" "${asan[@]}" "${srcs[@]}" "${static[@]}" "${extra[@]}" -o "$out/$prog-asan-static"
  gcc "${cflags[@]}" "${srcs[@]}" "${shared[@]}" "${extra[@]}" -o "$out/$prog-shared"
  gcc "${cflags[@]}" "${srcs[@]}" "${static[@]}" "${extra[@]}" -o "$out/$prog-static"
done
# The governed-call example, built as its header comment says (pkg-config and -lcurl).
gcc "${cflags[@]}" tests/c/governed_curl.c $(pkg-config --cflags --libs routeguard) -lcurl \
  -Wl,-rpath,"$(pkg-config --variable=libdir routeguard)" -o "$out/governed_curl-shared"
gcc "${cflags[@]}" "${asan[@]}" tests/c/governed_curl.c $(pkg-config --cflags --libs routeguard) -lcurl \
  -Wl,-rpath,"$(pkg-config --variable=libdir routeguard)" -o "$out/governed_curl-asan-shared"
gcc "${cflags[@]}" tests/c/governed_curl.c "${static[@]}" -lcurl -o "$out/governed_curl-static"
# The quick starts (scanner, guard) are built the way the README says: through pkg-config.
for snippet in quickstart guard_quickstart; do
  gcc "${cflags[@]}" "tests/c/$snippet.c" $(pkg-config --cflags --libs routeguard) \
    -Wl,-rpath,"$(pkg-config --variable=libdir routeguard)" -o "$out/$snippet-shared"
  gcc "${cflags[@]}" "${asan[@]}" "tests/c/$snippet.c" $(pkg-config --cflags --libs routeguard) \
    -Wl,-rpath,"$(pkg-config --variable=libdir routeguard)" -o "$out/$snippet-asan-shared"
  gcc "${cflags[@]}" "tests/c/$snippet.c" "${static[@]}" -o "$out/$snippet-static"
done

step "AddressSanitizer + LeakSanitizer (shared and static)"
for link in shared static; do
  "$out/api_test-asan-$link" "$scratch" tests/conformance
  "$out/conformance-asan-$link" tests/conformance
done

step "valgrind (static and shared)"
timed "${valgrind[@]}" "$out/api_test-static" "$scratch" tests/conformance
timed "${valgrind[@]}" "$out/conformance-static" tests/conformance
timed "${valgrind[@]}" "$out/api_test-shared" "$scratch" tests/conformance
"${valgrind[@]}" "$out/quickstart-static" >/dev/null
"${valgrind[@]}" "$out/guard_quickstart-static" >/dev/null

step "plain builds (shared and static)"
"$out/api_test-shared" "$scratch" tests/conformance
"$out/conformance-static" tests/conformance

step "README quick start"
expected="Card **** **** **** ****, mail ****@*******.*** (blocked: 0)"
for variant in shared asan-shared static; do
  got=$("$out/quickstart-$variant")
  if [[ "$got" != "$expected" ]]; then
    printf 'quickstart-%s printed\n  %s\nexpected\n  %s\n' "$variant" "$got" "$expected" >&2
    exit 1
  fi
done
echo "$expected"

step "README guard quick start (examples/policy.yaml, built-in catalogue)"
expected='allowed: 1, send: {"model":"anthropic/claude-sonnet-4","messages":[{"role":"user","content":"Mail <EMAIL_ADDRESS_1>"}],"plugins":[{"id":"context-compression","enabled":false}],"provider":{"only":["google-vertex/europe-west1"],"ignore":["deepseek"],"data_collection":"deny","zdr":true}}'
for variant in shared asan-shared static; do
  got=$("$out/guard_quickstart-$variant")
  if [[ "$got" != "$expected" ]]; then
    printf 'guard_quickstart-%s printed\n  %s\nexpected\n  %s\n' "$variant" "$got" "$expected" >&2
    exit 1
  fi
done
echo "$expected"

step "the governed call: own HTTP (libcurl), blocking and streamed through rg_client, against the stand-in"
mock_log="$scratch/mock-openrouter.out"
python3 tests/mock-openrouter/server.py --port 0 --idle-exit 120 >"$mock_log" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; rm -rf "$scratch"' EXIT
for _ in $(seq 100); do grep -q '^listening ' "$mock_log" && break; sleep 0.1; done
mock_url=$(sed -n 's/^listening //p' "$mock_log")
[[ -n "$mock_url" ]] || { echo "the OpenRouter stand-in did not start" >&2; exit 1; }
expected='own HTTP: allowed=true content="mock reply to 1 message"
chat: allowed=true content="mock reply to 1 message"
stream: several chunks, answer: allowed=true content="mock reply to 1 message"
stopped stream: 1 chunk, answer cancelled'
for variant in shared asan-shared static; do
  run=("$out/governed_curl-$variant")
  [[ $variant == static ]] && run=("${valgrind[@]}" "${run[@]}")
  got=$(OPENROUTER_API_KEY=sk-or-v1-c-example "${run[@]}" "$mock_url/api/v1")
  if [[ "$got" != "$expected" ]]; then
    printf 'governed_curl-%s printed\n%s\nexpected\n%s\n' "$variant" "$got" "$expected" >&2
    exit 1
  fi
done
echo "$expected"
kill "$mock_pid" 2>/dev/null || true

step "Go through cgo"
(cd tests/go && CGO_ENABLED=1 CGO_CFLAGS="-I$root/c-include" CGO_LDFLAGS="${static[*]}" \
  GOFLAGS=-mod=mod go run .)

step "C suite passed"
