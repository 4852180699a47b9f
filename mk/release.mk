# Release dry run: every artifact built into target/release-artifacts/ and checked in a clean
# place, as users install it. `make ci` runs it; `make test` does not.
#   make release-check          all of the below, then a summary (file names, sizes, wheel tags)
#   make release-check-rust     cargo publish --dry-run of each crate without `publish = false`,
#                               the .crate files, docs built as docs.rs does (nightly, --cfg docsrs,
#                               all features, warnings are errors)          tools/release/rust.sh
#   make release-check-npm      npm pack; the tarball installed into a fresh project, imported by
#                               name from Node ESM and CommonJS, type-checked, bundled by Vite and
#                               by esbuild and run in headless Chromium     tools/release/npm.mjs
#   make release-check-python   abi3 wheels (manylinux2014 x86_64 and aarch64, musllinux_1_2
#                               x86_64) with maturin --zig and the sdist; tags checked; the x86_64
#                               wheel under CPython 3.9 and 3.13 and the sdist built in a fresh
#                               venv each run the test suite              tools/release/python.sh
# One version for all: the workspace version in Cargo.toml (maturin reads it for the wheels,
# bindings-wasm/scripts/build.mjs writes it into package.json); each step checks its artifacts
# against it. Installs what it needs, idempotently: rustup targets aarch64-unknown-linux-gnu and
# x86_64-unknown-linux-musl, the nightly toolchain, a venv with tools/release/requirements.txt
# (maturin, ziglang, auditwheel), Debian's chromium and musl, the npm packages of
# tools/release/npm-app.
# The working tree must be clean for cargo publish --dry-run; ALLOW_DIRTY=1 lifts that.
# About 2 minutes on an idle 2-core machine once the toolchains are installed (the three wheel
# builds share one cargo target dir; the sdist is built from nothing in a temporary one).

CI_TARGETS += release-check

REL_OUT := target/release-artifacts
REL_VENV := target/release-venv
REL_STAMP := $(REL_VENV)/.requirements-installed
# the workspace version, [workspace.package] in Cargo.toml
REL_VERSION = $(shell sed -n '/^\[workspace.package\]/,/^\[/{s/^version *= *"\(.*\)"/\1/p}' Cargo.toml)

.PHONY: release-check release-check-rust release-check-npm release-check-python release-rust-setup \
	release-musl

release-rust-setup:
	@for t in aarch64-unknown-linux-gnu x86_64-unknown-linux-musl; do \
		rustup target list --installed | grep -qx $$t || rustup target add $$t; done
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

$(REL_VENV)/bin/python:
	python3 -m venv $(REL_VENV) || { rm -rf $(REL_VENV); \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv && \
		python3 -m venv $(REL_VENV); }

$(REL_STAMP): tools/release/requirements.txt | $(REL_VENV)/bin/python
	$(REL_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-input \
		-r tools/release/requirements.txt
	touch $@

release-check-rust: release-rust-setup
	tools/release/rust.sh $(REL_OUT) $(REL_VERSION)

release-check-npm: wasm wasm-chromium
	node tools/release/npm.mjs $(REL_OUT) $(REL_VERSION)

# musl's dynamic loader, to load the musllinux wheel's extension under it (check_wheels.py)
release-musl:
	@test -x /lib/ld-musl-x86_64.so.1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y musl; }

release-check-python: release-rust-setup release-musl $(REL_STAMP)
	tools/release/python.sh $(REL_OUT) $(REL_VENV) $(REL_VERSION)

release-check:
	@start=$$(date +%s); rm -rf $(REL_OUT) && \
	$(MAKE) --no-print-directory release-check-rust && \
	$(MAKE) --no-print-directory release-check-npm && \
	$(MAKE) --no-print-directory release-check-python && \
	python3 tools/release/summary.py $(REL_OUT) $(REL_VERSION) $$(( $$(date +%s) - start ))
