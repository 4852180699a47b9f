# The demo examples (examples/demo, crate h1x-examples: `demo` over std::net; h1x-tokio/examples:
# `axum_demo`, the same routes as an axum Router) and their interop tests
# against real peers (interop/: curl, Node's http client, server and fetch, httpx, aiohttp,
# http.client, urllib3, an h11 server).
#   make demo            (root Makefile) cargo run --release -p h1x-examples --example demo
#   make test-interop    install what is missing (curl, node, interop/.venv), build the examples,
#                        run interop/ with pytest (about a minute: jobs of 1 s, a 102 every 200 ms)

INTEROP_DIR := interop
INTEROP_VENV := $(INTEROP_DIR)/.venv
INTEROP_PY := $(INTEROP_VENV)/bin/python
INTEROP_STAMP := $(INTEROP_VENV)/.requirements-installed

TEST_TARGETS += test-interop

.PHONY: test-interop interop-tools interop-venv demo-examples

# the interop harness's own venv; where the venv module is missing (Debian without
# python3-venv) it is installed first
$(INTEROP_PY):
	python3 -m venv $(INTEROP_VENV) || { rm -rf $(INTEROP_VENV); \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv && \
		python3 -m venv $(INTEROP_VENV); }

$(INTEROP_STAMP): $(INTEROP_DIR)/requirements.txt | $(INTEROP_PY)
	$(INTEROP_PY) -m pip install --quiet --disable-pip-version-check --no-input \
		-r $(INTEROP_DIR)/requirements.txt
	touch $@

interop-venv: $(INTEROP_STAMP)

interop-tools:
	@command -v curl >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl; }
	@command -v node >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs; }

# debug builds, with the features `cargo test --workspace --all-features` uses (mostly cached)
demo-examples:
	cargo build --workspace --examples --all-features

test-interop: interop-tools interop-venv demo-examples
	cd $(INTEROP_DIR) && .venv/bin/python -m pytest -q
