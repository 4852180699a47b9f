# The crate's minimum supported Rust version (`rust-version` in core/Cargo.toml): that toolchain
# is installed (once) and builds the library with every feature and with none. Only the library,
# and as a user gets it: the packaged crate is unpacked outside the workspace (whose other members
# and dev-dependencies may need a newer Rust), its dependencies resolved by today's cargo with
# MSRV-aware resolution (the lock file written in the version-3 format that old cargo reads).
#   make test-msrv

H1X_MSRV := $(shell sed -n 's/^rust-version = "\(.*\)"/\1/p' core/Cargo.toml)
MSRV_DIR := target/msrv

TEST_TARGETS += test-msrv

.PHONY: test-msrv

test-msrv:
	@rustup toolchain list | grep -q '^$(H1X_MSRV)-' || rustup toolchain install $(H1X_MSRV) --profile minimal
	rm -rf $(MSRV_DIR)/src && mkdir -p $(MSRV_DIR)/src
	cargo package -p h1x --no-verify --allow-dirty --quiet
	tar -xzf target/package/h1x-$$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1).crate -C $(MSRV_DIR)/src --strip-components=1
	printf '\n[workspace]\n' >> $(MSRV_DIR)/src/Cargo.toml
	cd $(MSRV_DIR)/src && CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo generate-lockfile --quiet \
		&& sed -i 's/^version = 4$$/version = 3/' Cargo.lock
	cd $(MSRV_DIR)/src && CARGO_TARGET_DIR=../build cargo +$(H1X_MSRV) build --all-features
	cd $(MSRV_DIR)/src && CARGO_TARGET_DIR=../build cargo +$(H1X_MSRV) build --no-default-features
