# The two commands the README promises (demo, test), plus bench and fuzz.
# Everything installs itself: a fresh machine with Rust (rustup), Python 3 and a C compiler is enough.

export CARGO_BUILD_TARGET ?= x86_64-unknown-linux-gnu
CARGO ?= cargo
BIN := $(or $(CARGO_TARGET_DIR),target)/$(CARGO_BUILD_TARGET)/release/routeguard
FUZZ_SECONDS ?= 20

.PHONY: demo test lint unit cli-smoke fuzz-smoke fuzz bench eval clean

## make demo: scan the sample prompt, show what was found and what would leave.
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

## make test: formatting, lints, every test suite, a short fuzz run.
test: lint unit cli-smoke fuzz-smoke

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -q -- -D warnings

unit:
	$(CARGO) test --workspace -q

cli-smoke:
	$(CARGO) build --release -q -p routeguard-cli
	$(BIN) detectors | tail -n 1
	$(BIN) scan --jsonl tests/conformance/dlp/sample.jsonl > /dev/null

## Runs each fuzz target briefly when a nightly toolchain is present (cargo-fuzz needs it).
fuzz-smoke:
	@if rustup toolchain list 2>/dev/null | grep -q nightly; then \
		$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS); \
	else \
		echo "fuzz-smoke: no nightly toolchain here; see README 'Fuzzing' to run the fuzz targets"; \
	fi

fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked -q
	cd fuzz && for t in scan_text compile_config scan_request stream_chunks; do \
		env -u CARGO_BUILD_TARGET $(CARGO) +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=8192 || exit 1; \
	done

## make bench: criterion throughput, the MB/s + latency table with Presidio, and accuracy.
bench:
	bash benches/run.sh

eval:
	$(CARGO) run --release -q -p routeguard-benches --bin dlp-eval -- --seed 42 --prompts 2000

clean:
	$(CARGO) clean
