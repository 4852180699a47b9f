# Peers' own suites with h1x in h11's place (issue 15), from their sdists on PyPI at pinned versions:
#   make test-python-peers   uvicorn 0.54.0 tests/protocols/test_http.py, every test with the
#                            `h11` parameter (91), and httpcore 1.0.9 tests/{_async,_sync}/
#                            test_http11.py, test_connection.py and test_connection_pool.py (117).
# The substitution is a pytest plugin loaded before the suites' conftest files
# (bindings-python/tools/h1x_as_h11.py); the tests where h1x differs on purpose are listed there
# and in bindings-python/README.md, and run as strict xfails. Credit: the suites are uvicorn's
# (encode/uvicorn, BSD-3-Clause) and httpcore's (encode/httpcore, BSD-3-Clause), unmodified.

PEERS_DL := target/peers
PEERS_DIR := target/peers/h1x-as-h11
PEERS_STAMP := $(PY_VENV)/.h1x-peers-deps
UVICORN_PEER := uvicorn-0.54.0
HTTPCORE_PEER := httpcore-1.0.9
PEERS_PYTEST = PYTHONPATH=$(abspath $(PY_DIR)/tools) $(abspath $(PY)) -m pytest -p h1x_as_h11 \
	-p no:cacheprovider -q

TEST_TARGETS += test-python-peers

.PHONY: test-python-peers peers-sdists

$(PEERS_STAMP): $(PY_DIR)/requirements-peers.txt | $(PY_STAMP)
	$(PY) -m pip install --quiet -r $(PY_DIR)/requirements-peers.txt
	touch $@

# the sdists (shared download cache), each unpacked into our own directory
$(PEERS_DIR)/%/.unpacked: | $(PY)
	@mkdir -p $(PEERS_DL) $(PEERS_DIR)
	@name=$*; test -f $(PEERS_DL)/$$name.tar.gz || \
		$(PY) -m pip download --quiet --no-binary :all: --no-deps -d $(PEERS_DL) \
			"$${name%-*}==$${name##*-}"
	rm -rf $(PEERS_DIR)/$*
	tar xzf $(PEERS_DL)/$*.tar.gz -C $(PEERS_DIR)
	touch $@

peers-sdists: $(PEERS_DIR)/$(UVICORN_PEER)/.unpacked $(PEERS_DIR)/$(HTTPCORE_PEER)/.unpacked

test-python-peers: python $(PEERS_STAMP) peers-sdists
	cd $(PEERS_DIR)/$(UVICORN_PEER) && $(PEERS_PYTEST) -o addopts="-rxXs" \
		tests/protocols/test_http.py -k h11
	cd $(PEERS_DIR)/$(HTTPCORE_PEER) && $(PEERS_PYTEST) \
		tests/_async/test_http11.py tests/_sync/test_http11.py \
		tests/_async/test_connection.py tests/_sync/test_connection.py \
		tests/_async/test_connection_pool.py tests/_sync/test_connection_pool.py
