# h1x-tokio (crate in h1x-tokio/): serve axum/tower apps with interim responses.
#   make test-tokio     the crate's unit, integration (real TCP, an axum Router) and doc tests and
#                       clippy -D warnings on every target (test-rust's workspace run has them too),
#                       rustdoc -D warnings, and a check that the package is self-contained
#   make bench-server   the same axum app on hyper and on h1x-tokio: wrk GET 1 KiB and POST echo
#                       1 KiB, current- and multi-thread runtimes, interleaved rounds, ratios; and
#                       RSS per idle keep-alive connection over 10,000 connections. Writes
#                       h1x-tokio/bench/RESULTS.md (about 3 minutes). Installs wrk if missing.
# The interop tests against h1x-tokio's axum_demo run in test-interop (mk/demo.mk).

TEST_TARGETS += test-tokio
BENCH_TARGETS += bench-server

BENCH_SERVER_ARGS ?=
TOKIO_TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)

.PHONY: test-tokio bench-server wrk-tool

test-tokio: rust-setup
	cargo clippy -p h1x-tokio --all-targets -- -D warnings
	cargo test -p h1x-tokio
	RUSTDOCFLAGS="-D warnings" cargo doc -p h1x-tokio --no-deps --quiet
	@files=$$(cargo package --list -p h1x-tokio --allow-dirty 2>/dev/null); \
	  echo "$$files" | grep -q '^src/lib.rs$$' || { echo "test-tokio: cargo package --list failed"; exit 1; }; \
	  if grep -rn '#\[path' h1x-tokio/src; then echo "test-tokio: the library reaches outside its package"; exit 1; fi; \
	  echo "test-tokio: the package lists $$(echo "$$files" | wc -l) files, all inside h1x-tokio/"

wrk-tool:
	@command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }

bench-server: wrk-tool
	cargo build --release -p h1x-tokio --example bench_server
	ulimit -n 65536 2>/dev/null || ulimit -n $$(ulimit -Hn); \
	  python3 h1x-tokio/bench/run.py $(TOKIO_TARGET_DIR)/release/examples/bench_server $(BENCH_SERVER_ARGS)
