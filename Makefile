# The two commands the README promises (demo, test), plus the libraries, bench and fuzz.
# Everything installs itself: a fresh machine with Rust (rustup), Python 3, Node.js, Go and a C
# compiler is enough (valgrind and pkg-config are installed by tests/c/ci.sh when missing).

export CARGO_BUILD_TARGET ?= x86_64-unknown-linux-gnu
CARGO ?= cargo
RELEASE := $(or $(CARGO_TARGET_DIR),target)/$(CARGO_BUILD_TARGET)/release
BIN := $(RELEASE)/routeguard
FUZZ_SECONDS ?= 20

.PHONY: all lib demo test lint unit cli-smoke python node c jvm ruby readme fuzz-smoke fuzz bench eval clean

## make (all): the C library (librouteguard.a / .so, header in c-include/) and the CLI, release.
all: lib
	$(CARGO) build --release -q -p routeguard-cli
	@echo "built: $(RELEASE)/librouteguard.a $(RELEASE)/librouteguard.so $(BIN)"

lib:
	$(CARGO) build --release -q -p routeguard-c

## make demo: scan the sample prompt, show what was found and what would leave, where a request
## may be served, a budget reservation settled and reported, an audit trail written, verified
## and read back; then governed calls end to end (OpenRouter when OPENROUTER_API_KEY is set, else
## the local stand-in): a masked prompt, a blocked secret, EU-only routing, a fallback that stays
## in the EU, a budget denial and a streamed answer, the trail verified and the spend reported.
# A demo key only: real keys come from `routeguard audit keygen` or a secret store.
DEMO_AUDIT_KEY := 64656d6f206b6579206f6e6c793a206e6576657220757365206d6520666f7221
DEMO_AUDIT := $(or $(CARGO_TARGET_DIR),target)/demo-audit
demo:
	$(CARGO) build --release -q -p routeguard-cli
	@echo "== Default profile (secrets block, personal data is masked) =="
	-$(BIN) scan examples/prompt.txt
	@echo
	@echo "== Same prompt with every finding masked: what would leave =="
	$(BIN) scan --action mask examples/prompt.txt
	@echo
	@echo "== With examples/scanner.yaml (custom detectors, per-category actions) =="
	-$(BIN) scan --config examples/scanner.yaml examples/prompt.txt
	@echo
	@echo "== examples/policy.yaml: where alice's request in the EU workspace may be served =="
	$(BIN) policy explain examples/policy.yaml --user alice --workspace eu-health --model anthropic/claude-sonnet-4
	@echo
	@echo "== Budgets: alice's request reserved on every cap, settled at OpenRouter's cost, reported =="
	$(CARGO) run --release -q -p routeguard --example budget
	@echo
	@echo "== Audit: two interactions recorded (allowed, denied), chained, signed and verified =="
	@rm -rf $(DEMO_AUDIT) $(DEMO_AUDIT).pub
	ROUTEGUARD_AUDIT_KEY=$(DEMO_AUDIT_KEY) $(CARGO) run --release -q -p routeguard --example audit -- $(DEMO_AUDIT)
	ROUTEGUARD_AUDIT_KEY=$(DEMO_AUDIT_KEY) $(BIN) audit verify $(DEMO_AUDIT) --public-key $(DEMO_AUDIT).pub
	$(BIN) audit tail $(DEMO_AUDIT)
	@echo
	@echo "== Governed calls (routeguard chat): examples/policy.yaml end to end =="
	BIN=$(BIN) DEMO=$(or $(CARGO_TARGET_DIR),target)/demo-governed bash examples/demo-governed.sh

## make test: formatting, lints, every test suite (Rust, Python, Node, C, Go; each runs the
## conformance corpus), drift checks of generated files and README snippets, a short fuzz run.
test: lint mock unit cli-smoke python node c jvm ruby readme fuzz-smoke

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -q -- -D warnings

# The ledger suites run against a real PostgreSQL: an existing one named by
# ROUTEGUARD_TEST_POSTGRES, else a loopback server tests/postgres/server.sh installs and starts.
PG_ENV = ROUTEGUARD_TEST_POSTGRES="$${ROUTEGUARD_TEST_POSTGRES:-$$(bash tests/postgres/server.sh start)}" ROUTEGUARD_REQUIRE_POSTGRES=1 PGOPTIONS=--client-min-messages=warning

unit:
	$(PG_ENV) $(CARGO) test --workspace -q

## The local OpenRouter stand-in's own tests (standard-library Python).
mock:
	python3 -m unittest discover -s tests/mock-openrouter

cli-smoke:
	$(CARGO) build --release -q -p routeguard-cli
	$(BIN) detectors | tail -n 1
	$(BIN) scan --jsonl tests/conformance/dlp/sample.jsonl > /dev/null

## Each package script installs its tools (venv, npm install), builds in release, checks its
## generated files (.pyi, index.d.ts, routeguard.h) and runs its suite.
python:
	$(PG_ENV) bash python/ci.sh

node:
	$(PG_ENV) bash node/ci.sh

c:
	bash tests/c/ci.sh

## Kotlin/Java through uniffi: the generated sources checked for drift, the JUnit suite (the whole
## conformance corpus, governed calls against the stand-in) and the Java example, with Maven.
jvm:
	$(PG_ENV) bash jvm/ci.sh

## Ruby through uniffi, with Debian's ruby and ruby-ffi (installed when missing): scan offsets,
## guard decisions, the error table and a governed call against the stand-in.
ruby:
	bash ruby/ci.sh

## The quick starts in README.md are the files the suites run.
readme:
	python3 tests/readme/check_snippets.py
	$(CARGO) run -q -p routeguard --example quickstart > $(or $(CARGO_TARGET_DIR),target)/quickstart.out
	grep -qx 'Email \[EMAIL_ADDRESS\] about card \[CREDIT_CARD\]' $(or $(CARGO_TARGET_DIR),target)/quickstart.out
	grep -qx 'credit_card 38..57' $(or $(CARGO_TARGET_DIR),target)/quickstart.out
	$(CARGO) run -q -p routeguard --example guard > $(or $(CARGO_TARGET_DIR),target)/guard.out
	grep -qx 'send to \["google-vertex/europe-west1"\]' $(or $(CARGO_TARGET_DIR),target)/guard.out
	$(CARGO) run -q -p routeguard --example budget > $(or $(CARGO_TARGET_DIR),target)/budget.out
	grep -qx 'charged 636 micro-USD to google-vertex' $(or $(CARGO_TARGET_DIR),target)/budget.out
	$(CARGO) run -q -p routeguard --example audit > $(or $(CARGO_TARGET_DIR),target)/audit.out
	grep -qx 'verify: intact (2 records, 1 checkpoints)' $(or $(CARGO_TARGET_DIR),target)/audit.out

## Runs each fuzz target briefly when a nightly toolchain is present (cargo-fuzz needs it).
fuzz-smoke:
	@if rustup toolchain list 2>/dev/null | grep -q nightly; then \
		$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS); \
	else \
		echo "fuzz-smoke: no nightly toolchain here; see README 'Fuzzing' to run the fuzz targets"; \
	fi

fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked -q
	cd fuzz && for t in scan_text compile_config scan_request stream_chunks compile_policy prepare_request audit_log sse_stream response_filter; do \
		env -u CARGO_BUILD_TARGET $(CARGO) +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=8192 || exit 1; \
	done

## make bench: criterion throughput, the MB/s + latency table with Presidio, and accuracy.
bench:
	bash benches/run.sh

eval:
	$(CARGO) run --release -q -p routeguard-benches --bin dlp-eval -- --seed 42 --prompts 2000

clean:
	$(CARGO) clean
