# uvicorn on h1x: `h1x.uvicorn:H1xProtocol` (bindings-python/python/h1x/uvicorn.py, src/asgi.rs).
#   make test-uvicorn   build the extension (make python), install uvicorn 0.54.0 and its test
#                       tools into .venv, download uvicorn's sdist at that version, add h1x to the
#                       `http_protocol_cls` fixture (tests_uvicorn/patch_uvicorn_tests.py) and run
#                       its tests/protocols for every protocol; then our own tests (interim
#                       responses from apps, heartbeats, the gunicorn worker, the example app
#                       against curl, httpx and Node's http)
#   make bench-uvicorn  wrk against one uvicorn worker: h1x, h11, httptools, zttp on uvloop and
#                       asyncio, interleaved rounds; ratios printed and written to both READMEs
#   make demo-uvicorn   the example app (bindings-python/examples/panorama_app.py) on port 8000

UVICORN_VERSION := 0.54.0
UVICORN_TESTS := target/uvicorn-tests
UVICORN_SRC := $(UVICORN_TESTS)/uvicorn-$(UVICORN_VERSION)
UVICORN_STAMP := $(PY_VENV)/.h1x-uvicorn-deps
UVICORN_BENCH_STAMP := $(PY_VENV)/.h1x-uvicorn-bench-deps

TEST_TARGETS += test-uvicorn
BENCH_TARGETS += bench-uvicorn

.PHONY: test-uvicorn test-uvicorn-own test-uvicorn-suite bench-uvicorn uvicorn-tools demo-uvicorn

$(UVICORN_STAMP): $(PY_DIR)/tests_uvicorn/requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r $(PY_DIR)/tests_uvicorn/requirements.txt
	touch $@

# uvicorn's own tests, from its sdist at the pinned version, with h1x added to the fixture
$(UVICORN_SRC)/.h1x-patched: $(PY_DIR)/tests_uvicorn/patch_uvicorn_tests.py | $(PY)
	rm -rf $(UVICORN_SRC) $(UVICORN_TESTS)/sdist && mkdir -p $(UVICORN_TESTS)/sdist
	$(PY) -m pip download --quiet --no-deps --no-binary :all: uvicorn==$(UVICORN_VERSION) \
		-d $(UVICORN_TESTS)/sdist
	tar xzf $(UVICORN_TESTS)/sdist/uvicorn-$(UVICORN_VERSION).tar.gz -C $(UVICORN_TESTS)
	$(PY) $(PY_DIR)/tests_uvicorn/patch_uvicorn_tests.py $(UVICORN_SRC)
	touch $@

# Node and curl for the example app's client tests
uvicorn-tools:
	@command -v curl >/dev/null && command -v node >/dev/null || { apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y curl nodejs; }

test-uvicorn: test-uvicorn-suite test-uvicorn-own

# addopts="" drops the sdist's `-n 8` (pytest-xdist); its other pytest settings stay
test-uvicorn-suite: python $(UVICORN_STAMP) $(UVICORN_SRC)/.h1x-patched
	cd $(UVICORN_SRC) && $(abspath $(PY)) -m pytest -o addopts="" -q -rs tests/protocols

test-uvicorn-own: python $(UVICORN_STAMP) uvicorn-tools
	cd $(PY_DIR) && $(abspath $(PY)) -m pytest -q tests_uvicorn

$(UVICORN_BENCH_STAMP): | $(PY)
	$(PY) -m pip install --quiet uvloop httptools
	$(PY) -m pip install --quiet zttp || echo "zttp did not install: the benchmark runs without it"
	touch $@

bench-uvicorn: python $(UVICORN_STAMP) $(UVICORN_BENCH_STAMP)
	@command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	cd $(PY_DIR) && $(abspath $(PY)) tests_uvicorn/bench.py --readme README.md --readme ../README.md

# the example app (POST /api/generate-panorama, PUT /files/large-video.mp4) on 127.0.0.1:8000
demo-uvicorn: python
	cd $(PY_DIR) && $(abspath $(PY)) -m uvicorn examples.panorama_app:app \
		--http h1x.uvicorn:H1xProtocol --port 8000
