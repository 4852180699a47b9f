# Python binding: package `h1x` in bindings-python/ (crate h1x-python, pyo3 abi3-py39, maturin).
#   make python        create .venv (idempotent), install the build and test requirements, build
#                      the extension into it (maturin develop --release)
#   make test-python   build, then the pytest suite (vectors at every split, 1xx both ways, h11
#                      API, httpx and uvicorn with h1x in h11's place, random and mutated input)
#   make test-python-abi3  the abi3 wheel, installed into CPython 3.9 and 3.13 venvs (where this
#                      machine has them), passes the same suite
#   make bench-python  h1x against h11, httptools and zttp in one run (not a test)

PY_DIR := bindings-python
PY_VENV := .venv
PY := $(PY_VENV)/bin/python
PY_STAMP := $(PY_VENV)/.h1x-test-deps
PY_BENCH_STAMP := $(PY_VENV)/.h1x-bench-deps

TEST_TARGETS += test-python test-python-abi3
# the oldest CPython the wheel supports, and the newest here
PY_ABI3_VERSIONS ?= 3.9 3.13
BENCH_TARGETS += bench-python

.PHONY: python python-venv test-python test-python-abi3 bench-python

# A venv from the system Python 3; where the venv module is missing (Debian without
# python3-venv) it is installed first, or virtualenv is used.
$(PY):
	python3 -m venv $(PY_VENV) || { rm -rf $(PY_VENV); \
		{ command -v apt-get >/dev/null && apt-get update && apt-get install -y python3-venv && python3 -m venv $(PY_VENV); } || \
		{ rm -rf $(PY_VENV); python3 -m pip install --quiet virtualenv && python3 -m virtualenv $(PY_VENV); }; }
	$(PY) -m pip install --quiet --upgrade pip

$(PY_STAMP): $(PY_DIR)/requirements-test.txt | $(PY)
	$(PY) -m pip install --quiet -r $(PY_DIR)/requirements-test.txt
	touch $@

$(PY_BENCH_STAMP): $(PY_DIR)/requirements-bench.txt | $(PY)
	$(PY) -m pip install --quiet -r $(PY_DIR)/requirements-bench.txt
	$(PY) -m pip install --quiet zttp || echo "zttp did not install: the benchmark runs without it"
	touch $@

python-venv: $(PY_STAMP)

# cargo rebuilds only what changed; maturin installs the result into .venv (editable)
python: python-venv
	cd $(PY_DIR) && VIRTUAL_ENV=$(abspath $(PY_VENV)) PATH=$(abspath $(PY_VENV))/bin:$$PATH \
		maturin develop --release --quiet

test-python: python
	cd $(PY_DIR) && $(abspath $(PY)) -m pytest -q tests

test-python-abi3: python-venv
	cd $(PY_DIR) && VIRTUAL_ENV=$(abspath $(PY_VENV)) PATH=$(abspath $(PY_VENV))/bin:$$PATH \
		maturin build --release --quiet --out ../target/wheels-abi3
	$(PY_DIR)/tools/abi3_versions.sh ../target/wheels-abi3 $(PY_ABI3_VERSIONS)

bench-python: python $(PY_BENCH_STAMP)
	cd $(PY_DIR) && $(abspath $(PY)) bench/bench.py
