#!/usr/bin/env bash
# The Python artifacts of a release, built and checked (run by `make release-check-python`):
#   1. abi3 wheels with maturin --zig: manylinux2014 x86_64 and aarch64, musllinux_1_2 x86_64
#      (one cargo target dir for the three, so the host build scripts and proc macros are shared),
#      and the sdist (maturin sdist);
#   2. each wheel's tags, metadata and ELF checked (check_wheels.py), and `auditwheel show` must
#      report the manylinux_2_17 tag of each manylinux wheel;
#   3. the x86_64 manylinux2014 wheel installed into fresh CPython 3.9 and 3.13 venvs runs the
#      pytest suite (bindings-python/tools/abi3_versions.sh; a version this machine lacks is
#      skipped with a message);
#   4. the sdist installed by pip into a fresh venv (built from source there, maturin fetched by
#      pip's build isolation) runs the suite that the sdist itself carries.
#
#   tools/release/python.sh OUT_DIR VENV VERSION
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "$1")/python
venv=$(realpath "$2")
version=$3
export PATH="$venv/bin:$PATH"
pip_q=(--quiet --disable-pip-version-check --no-input --no-warn-script-location)

rm -rf "$out" && mkdir -p "$out"
cd "$root/bindings-python"
# debug info off for the shipped builds: smaller wheels, a faster build
export CARGO_PROFILE_RELEASE_DEBUG=false
for spec in x86_64-unknown-linux-gnu:manylinux2014 aarch64-unknown-linux-gnu:manylinux2014 \
    x86_64-unknown-linux-musl:musllinux_1_2; do
    echo "release-check: wheel for ${spec%%:*} (${spec#*:})"
    maturin build --release --strip --zig --quiet --target "${spec%%:*}" --compatibility "${spec#*:}" \
        --out "$out" 2>&1 | grep -v '^\s*$' | tail -n 3
done
maturin sdist --out "$out" 2>&1 | tail -n 1

echo "release-check: checking the wheels' tags, metadata and ELF"
python "$root/tools/release/check_wheels.py" "$out" "$version"
for w in "$out"/*manylinux*.whl; do
    plat=$(basename "$w" .whl | sed 's/.*\.//')
    report=$(auditwheel show "$w")
    if ! tr '\n' ' ' <<<"$report" | grep -q "consistent with the following platform tag: \"$plat\""; then
        echo "$report"
        echo "release-check: FAILED: auditwheel does not find $(basename "$w") consistent with $plat"
        exit 1
    fi
    echo "  auditwheel show: $(basename "$w") is consistent with $plat"
done

tmp=$(mktemp -d /tmp/h1x-release-python.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo "release-check: the x86_64 manylinux2014 wheel in fresh CPython 3.9 and 3.13 venvs"
ABI3_WHEEL=$(ls "$out"/h1x-"$version"-cp39-abi3-manylinux2014_x86_64.*.whl) ABI3_VENVS="$tmp" \
    tools/abi3_versions.sh "$out" 3.9 3.13

echo "release-check: the sdist, built from source in a fresh venv, runs its own test suite"
python3 -m venv "$tmp/sdist-venv"
"$tmp/sdist-venv/bin/python" -m pip install "${pip_q[@]}" --upgrade pip
# a fresh cargo target dir too: the sdist's files carry fixed timestamps, so cargo would take the
# crates of an earlier sdist build, at the same relative paths, for up to date
CARGO_TARGET_DIR="$tmp/sdist-target" "$tmp/sdist-venv/bin/python" -m pip install "${pip_q[@]}" \
    "$out/h1x-$version.tar.gz[test]"
tar -xzf "$out/h1x-$version.tar.gz" -C "$tmp"
(cd "$tmp/h1x-$version/bindings-python/tests" &&
    "$tmp/sdist-venv/bin/python" -c 'import h1x, sys; assert "site-packages" in h1x.__file__; print(f"sdist: {sys.version.split()[0]}: h1x {h1x.__version__} from {h1x.__file__}")' &&
    "$tmp/sdist-venv/bin/python" -m pytest -q -p no:cacheprovider .)
