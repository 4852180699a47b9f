# WebAssembly binding: npm package `h1x` in bindings-wasm/ (crate h1x-wasm).
#   make wasm         build dist/ (Node CommonJS + ESM, browser ESM, TypeScript types)
#   make test-wasm    build, then node:test (vectors at every split, 1xx both ways, random input,
#                     examples) and the headless Chromium test
#   make bench-wasm   h1x against Node's HTTPParser, undici's llhttp WASM and Milo (not a test)
# Everything it needs is installed on first use, idempotently: the wasm32 target, wasm-bindgen-cli
# at the exact version in Cargo.lock, the npm dev dependencies (npm ci: undici, playwright-core,
# typescript), Debian's chromium.

WASM_DIR := bindings-wasm
WASM_DIST := $(WASM_DIR)/dist
WASM_TARGET_DIR = $(or $(CARGO_TARGET_DIR),target)
WASM_OUT = $(WASM_TARGET_DIR)/wasm32-unknown-unknown/release/h1x_wasm.wasm
# a release build tuned for size and speed (only the wasm32 artifacts see these settings). An
# inlining threshold of 40 instead of LLVM's -O3 default (225) takes about 6 KB off the .wasm with
# no slowdown measurable in interleaved A/B runs (opt-level "s" takes 9 KB off but costs 5-10%);
# the README's "Size" paragraph has the figures.
WASM_CARGO_ENV := CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
	CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_PANIC=abort \
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128 -C llvm-args=-inline-threshold=40"
# no name section (7.8 KB of function names) in the published .wasm; scripts/build.mjs then runs
# wasm-opt -O3 (npm package binaryen, a dev dependency)
WASM_BINDGEN_FLAGS := --no-typescript --remove-name-section --remove-producers-section

TEST_TARGETS += test-wasm
BENCH_TARGETS += bench-wasm

.PHONY: wasm wasm-setup wasm-rust-setup wasm-bindgen-cli wasm-npm wasm-chromium test-wasm bench-wasm \
	bench-wasm-npm bench-wasm-simd

wasm-rust-setup:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# The CLI must match the `wasm-bindgen` crate in Cargo.lock exactly (`cargo metadata` brings the
# lock up to date first if it lacks the crate).
WASM_BINDGEN_LOCKED = sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;q;}' Cargo.lock
wasm-bindgen-cli:
	@test -n "$$($(WASM_BINDGEN_LOCKED))" || cargo metadata --format-version 1 >/dev/null
	@want="$$($(WASM_BINDGEN_LOCKED))"; \
	have="$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')"; \
	if [ "$$have" != "$$want" ]; then \
		echo "installing wasm-bindgen-cli $$want (found: $${have:-none})"; \
		cargo install wasm-bindgen-cli --version "$$want" --locked || \
		{ echo "--locked failed (a locked dependency is missing from the registry): resolving afresh"; \
		  cargo install wasm-bindgen-cli --version "$$want"; }; \
	fi

wasm-npm:
	@cd $(WASM_DIR) && if [ ! -d node_modules/undici ] || [ ! -d node_modules/playwright-core ] || \
		[ ! -d node_modules/typescript ] || [ ! -d node_modules/binaryen ] || \
		[ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; fi

wasm-chromium:
	@command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }

wasm-setup: wasm-rust-setup wasm-bindgen-cli wasm-npm

wasm: wasm-rust-setup wasm-bindgen-cli wasm-npm
	$(WASM_CARGO_ENV) cargo build -p h1x-wasm --release --target wasm32-unknown-unknown
	rm -rf $(WASM_DIST)
	wasm-bindgen --target nodejs --out-dir $(WASM_DIST)/cjs $(WASM_BINDGEN_FLAGS) $(WASM_OUT)
	wasm-bindgen --target web --out-dir $(WASM_DIST)/web $(WASM_BINDGEN_FLAGS) $(WASM_OUT)
	node $(WASM_DIR)/scripts/build.mjs

test-wasm: wasm wasm-npm wasm-chromium
	cd $(WASM_DIR) && node --test test/*.test.mjs

# mk/bench.mk gives `bench-wasm` a recipe too (the core's wasm32 scan benchmark); make allows one
# recipe per target, so the npm benchmark joins as a prerequisite and `make bench-wasm` runs both.
bench-wasm: bench-wasm-npm

bench-wasm-npm: wasm wasm-npm
	cd $(WASM_DIR) && node --expose-gc bench/bench.mjs

# simd128 or not: the same package without it (dist/nosimd/, own target dir), timed against dist/
bench-wasm-simd: wasm
	$(subst -C target-feature=+simd128,,$(WASM_CARGO_ENV)) CARGO_TARGET_DIR=$(WASM_TARGET_DIR)/wasm-nosimd \
		cargo build -p h1x-wasm --release --target wasm32-unknown-unknown
	rm -rf $(WASM_DIST)/nosimd && mkdir -p $(WASM_DIST)/nosimd && cp -r $(WASM_DIST)/esm $(WASM_DIST)/nosimd/
	wasm-bindgen --target web --out-dir $(WASM_DIST)/nosimd/web $(WASM_BINDGEN_FLAGS) \
		$(WASM_TARGET_DIR)/wasm-nosimd/wasm32-unknown-unknown/release/h1x_wasm.wasm
	node $(WASM_DIR)/scripts/build.mjs --optimize-only $(WASM_DIST)/nosimd/web/h1x_wasm_bg.wasm
	cd $(WASM_DIR) && node bench/simd-ab.mjs
