# h1x — every entry point. `make test` installs what it needs (idempotently) and runs every test.
# Each component adds its targets in mk/<component>.mk and registers them in TEST_TARGETS,
# BENCH_TARGETS and CI_TARGETS.

SHELL := /bin/bash
.DEFAULT_GOAL := help
export CARGO_TERM_COLOR ?= never

TEST_TARGETS := test-rust
BENCH_TARGETS :=
CI_TARGETS := test

include $(sort $(wildcard mk/*.mk))

.PHONY: help demo test ci bench test-rust rust-setup no-std

help:
	@echo "make demo        run the 102 Processing demo (server + client on loopback)"
	@echo "make test        install what is missing, then run every test"
	@echo "make bench       run the benchmarks and write benches/RESULTS.md"
	@echo "make fuzz-smoke  build and briefly run every fuzz target"
	@echo "make release-check  build every release artifact into target/release-artifacts/ and check each"

demo:
	cargo run --release -p h1x-examples --example demo

test: $(TEST_TARGETS)
	@echo "make test: all suites passed ($(TEST_TARGETS))"

ci: $(CI_TARGETS)

bench: $(BENCH_TARGETS)

rust-setup:
	@rustup target list --installed | grep -qx thumbv7em-none-eabihf || rustup target add thumbv7em-none-eabihf
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

# fmt, clippy, unit + integration tests + doctests (all features), and the no_std build.
test-rust: rust-setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	cargo test --workspace --all-features
	$(MAKE) no-std

no-std: rust-setup
	cargo build -p h1x --no-default-features --target thumbv7em-none-eabihf
	cargo build -p h1x --no-default-features --features bytes --target thumbv7em-none-eabihf
