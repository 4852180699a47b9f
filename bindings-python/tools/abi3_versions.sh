#!/usr/bin/env bash
# The one abi3 wheel, installed (not editable) into a fresh venv of each other CPython given,
# then the whole pytest suite against it. 3.9 runs pyo3's methods; 3.10 and later replace
# `send` and `receive_data` with vectorcall ones (src/fastcall.rs): both paths are tested.
#
#   tools/abi3_versions.sh WHEEL_DIR VERSION...     e.g. tools/abi3_versions.sh ../target/wheels 3.9 3.13
#
# An interpreter is looked for as pythonX.Y on PATH, then in pyenv's and uv's version folders.
# A version not on this machine is reported and skipped (the suite still ran on the build's own
# interpreter); CI's machine has 3.9 and 3.13, and the run says which ones it used.
set -euo pipefail
cd "$(dirname "$0")/.."
wheels=$1
shift
# ABI3_WHEEL picks one wheel (make release-check: the manylinux2014 x86_64 one); ABI3_VENVS puts
# the venvs elsewhere (make release-check: fresh ones in a temporary folder)
wheel=${ABI3_WHEEL:-$(ls -t "$wheels"/h1x-*-cp39-abi3-*.whl | head -1)}

find_python() {
    local v=$1 p
    for p in "$(command -v "python$v" 2>/dev/null || true)" \
        "$HOME"/.pyenv/versions/"$v".*/bin/python"$v" \
        "$HOME"/.local/share/uv/python/cpython-"$v".*/bin/python"$v"; do
        # pyenv's shims exist for every version but fail for those not selected: run it to know
        if [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import sys, venv' >/dev/null 2>&1; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

for v in "$@"; do
    if ! py=$(find_python "$v"); then
        echo "abi3: no CPython $v on this machine: skipped"
        continue
    fi
    venv=$(realpath -m "${ABI3_VENVS:-../target}/abi3-venv-$v")
    [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-warn-script-location --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-warn-script-location -r requirements-test.txt
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
    # run from a folder where `h1x` can only come from the installed wheel
    (cd tests && "$venv/bin/python" -c 'import h1x, sys; assert "site-packages" in h1x.__file__, h1x.__file__; print(f"abi3: {sys.version.split()[0]}: {h1x.__file__}")')
    "$venv/bin/python" -m pytest -q -p no:cacheprovider tests
done
