# The crate's minimum supported Rust version (`rust-version` in core/Cargo.toml): that toolchain
# is installed (once) and builds the library with every feature and with none. Only the library:
# test and dev dependencies may need a newer Rust.
#   make test-msrv

H1X_MSRV := $(shell sed -n 's/^rust-version = "\(.*\)"/\1/p' core/Cargo.toml)

TEST_TARGETS += test-msrv

.PHONY: test-msrv

test-msrv:
	@rustup toolchain list | grep -q '^$(H1X_MSRV)-' || rustup toolchain install $(H1X_MSRV) --profile minimal
	CARGO_TARGET_DIR=target/msrv cargo +$(H1X_MSRV) build -p h1x --all-features
	CARGO_TARGET_DIR=target/msrv cargo +$(H1X_MSRV) build -p h1x --no-default-features
