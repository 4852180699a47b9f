# Benchmarks (benches/, crate h1x-benches): criterion, h1x against httparse on the same inputs in
# the same run, h1x-only workloads, and the side measurements RESULTS.md reports.
#   make bench   (~5 minutes on 2 cores) writes benches/RESULTS.md from:
#                1. criterion, default build (SSE2 on x86_64): head/*, cycle/*, body/*, encode/*, floor/*
#                2. criterion, SWAR build (--features swar -> h1x/force-swar): head-swar/*
#                3. paired rounds (h1x and httparse alternating: the load-robust ratio) and callgrind
#                   instruction counts per parse (skipped without valgrind), both builds
#                4. wasm32 under Node, simd128 and SWAR builds (skipped without Node)
#                5. h11's memory per idle connection, tracemalloc, in benches/.venv
# Criterion's settings are in benches/benches/h1x.rs; extra flags: make bench BENCH_ARGS='...'

BENCH_TARGETS += bench-rust

BENCH_TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
BENCH_OUT := $(BENCH_TARGET_DIR)/bench-out
BENCH_CRITERION := $(BENCH_TARGET_DIR)/criterion-h1x
BENCH_VENV := benches/.venv
BENCH_ARGS ?=
WASM_FILE := wasm32-unknown-unknown/release/h1x_benches_wasm.wasm

.PHONY: bench-rust bench-rust-criterion bench-rust-icount bench-rust-wasm32 bench-rust-h11 bench-rust-report

bench-rust: bench-rust-criterion bench-rust-icount bench-rust-wasm32 bench-rust-h11 bench-rust-report

bench-rust-criterion:
	rm -rf $(BENCH_CRITERION) && mkdir -p $(BENCH_OUT)
	CRITERION_HOME=$(BENCH_CRITERION) cargo bench -p h1x-benches --bench h1x -- $(BENCH_ARGS)
	CRITERION_HOME=$(BENCH_CRITERION) cargo bench -p h1x-benches --bench h1x --features swar -- head-swar/ $(BENCH_ARGS)

# instruction counts (callgrind) and paired h1x/httparse rounds, for both builds
bench-rust-icount:
	@mkdir -p $(BENCH_OUT)
	cargo build --release -q -p h1x-benches --bin iterate --bin paired
	cp $(BENCH_TARGET_DIR)/release/iterate $(BENCH_OUT)/iterate-simd
	cp $(BENCH_TARGET_DIR)/release/paired $(BENCH_OUT)/paired-simd
	cargo build --release -q -p h1x-benches --bin iterate --bin paired --features swar
	cp $(BENCH_TARGET_DIR)/release/iterate $(BENCH_OUT)/iterate-swar
	cp $(BENCH_TARGET_DIR)/release/paired $(BENCH_OUT)/paired-swar
	$(BENCH_OUT)/paired-simd 200 > $(BENCH_OUT)/paired.txt
	$(BENCH_OUT)/paired-swar 200 > $(BENCH_OUT)/paired-swar.txt
	@if command -v valgrind >/dev/null; then \
	  benches/icount.sh $(BENCH_OUT)/iterate-simd h1x httparse > $(BENCH_OUT)/icount.txt && \
	  benches/icount.sh $(BENCH_OUT)/iterate-swar h1x > $(BENCH_OUT)/icount-swar.txt; \
	else echo "bench: valgrind not installed, no instruction counts"; rm -f $(BENCH_OUT)/icount*.txt; fi

bench-rust-wasm32:
	@mkdir -p $(BENCH_OUT); rm -f $(BENCH_OUT)/wasm.md
	@if command -v node >/dev/null && rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then \
	  cd benches/wasm && \
	  CARGO_TARGET_DIR=$(BENCH_TARGET_DIR)/bench-rust-wasm32-simd128 \
	    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
	    cargo build --release -q --target wasm32-unknown-unknown && \
	  CARGO_TARGET_DIR=$(BENCH_TARGET_DIR)/bench-rust-wasm32-swar \
	    cargo build --release -q --target wasm32-unknown-unknown && \
	  node --no-liftoff run.mjs $(BENCH_TARGET_DIR)/bench-rust-wasm32-simd128/$(WASM_FILE) \
	    $(BENCH_TARGET_DIR)/bench-rust-wasm32-swar/$(WASM_FILE) > $(BENCH_OUT)/wasm.md; \
	else echo "bench: no Node or no wasm32 target, wasm skipped"; fi

$(BENCH_VENV)/bin/python:
	python3 -m venv $(BENCH_VENV) || { rm -rf $(BENCH_VENV); \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv && \
		python3 -m venv $(BENCH_VENV); }

$(BENCH_VENV)/.h11-installed: | $(BENCH_VENV)/bin/python
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-input 'h11==0.16.*'
	touch $@

bench-rust-h11: $(BENCH_VENV)/.h11-installed
	@mkdir -p $(BENCH_OUT)
	$(BENCH_VENV)/bin/python benches/h11_memory.py > $(BENCH_OUT)/h11.json

bench-rust-report:
	cargo run --release -q -p h1x-benches --bin report -- --criterion $(BENCH_CRITERION) \
	  --icount $(BENCH_OUT)/icount.txt --icount-swar $(BENCH_OUT)/icount-swar.txt \
	  --paired $(BENCH_OUT)/paired.txt --paired-swar $(BENCH_OUT)/paired-swar.txt \
	  --wasm $(BENCH_OUT)/wasm.md --h11 $(BENCH_OUT)/h11.json --out benches/RESULTS.md
	@echo "bench: wrote benches/RESULTS.md"
