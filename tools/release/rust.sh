#!/usr/bin/env bash
# The Rust artifacts of a release, built and checked (run by `make release-check-rust`):
#   1. every workspace crate whose Cargo.toml lacks `publish = false` (today h1x, and h1x-tokio
#      once it is in the tree) goes through `cargo publish --dry-run`, all in one command, so a
#      crate that depends on another is verified against that one's packaged form, as crates.io
#      will see it; the .crate files are copied to OUT_DIR/crates/;
#   2. each crate's docs are built the way docs.rs builds them: nightly, `--cfg docsrs`, all
#      features, and every rustdoc warning (a broken intra-doc link, a bad code block) an error;
#   3. each crate's version is the workspace version.
#
#   tools/release/rust.sh OUT_DIR VERSION
# ALLOW_DIRTY=1 packages uncommitted changes too (a release is packaged from a clean tree).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "$1")/crates
version=$2
cd "$root"

crates=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
members = set(d["workspace_members"])
for p in d["packages"]:
    if p["id"] in members and p["publish"] != []:
        print(p["name"], p["version"])
')
[ -n "$crates" ] || { echo "release-check: FAILED: no publishable crate in the workspace"; exit 1; }
pkgs=()
while read -r name v; do
    [ "$v" = "$version" ] || { echo "release-check: FAILED: $name is $v, the workspace version is $version"; exit 1; }
    pkgs+=(-p "$name")
done <<<"$crates"
echo "release-check: publishable crates: $(awk '{print $1}' <<<"$crates" | xargs)"

dirty=()
[ "${ALLOW_DIRTY:-0}" = 1 ] && dirty=(--allow-dirty)
# warnings that crates.io would show (missing metadata) are printed, not fatal
cargo publish --dry-run "${dirty[@]}" "${pkgs[@]}" 2>&1 | grep -Ev '^\s+(Compiling|Checking|Downloaded|Downloading) ' || {
    echo "release-check: FAILED: cargo publish --dry-run ${pkgs[*]} (uncommitted changes? ALLOW_DIRTY=1 for a trial run)"
    exit 1
}
# the .crate files (already verified above), where cargo writes them: its target dir's package/
log=$(cargo package --no-verify "${dirty[@]}" "${pkgs[@]}" 2>&1) || {
    echo "$log"
    echo "release-check: FAILED: cargo package ${pkgs[*]}"
    exit 1
}
target_dir=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
rm -rf "$out" && mkdir -p "$out"
while read -r name v; do
    crate=$target_dir/package/$name-$v.crate
    [ -f "$crate" ] || { echo "release-check: FAILED: no $crate after cargo package"; exit 1; }
    cp "$crate" "$out/"
    echo "  $name-$v.crate: $(tar -tzf "$crate" | wc -l) files"
done <<<"$crates"

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
while read -r name v; do
    echo "release-check: docs for $name as docs.rs builds them (nightly, --cfg docsrs, -D warnings)"
    rm -rf "$target_dir/release-doc/doc/${name//-/_}"
    log=$(RUSTDOCFLAGS="--cfg docsrs -D warnings" CARGO_TARGET_DIR="$target_dir/release-doc" \
        cargo +nightly doc --no-deps --all-features -p "$name" 2>&1) || {
        echo "$log"
        echo "release-check: FAILED: the docs of $name (a rustdoc warning is an error, as on docs.rs with -D warnings)"
        exit 1
    }
    grep -E '^\s+(Finished|Generated) ' <<<"$log"
    [ -f "$target_dir/release-doc/doc/${name//-/_}/index.html" ] || { echo "release-check: FAILED: no docs for $name"; exit 1; }
done <<<"$crates"
