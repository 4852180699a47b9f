"""Prints what make release-check built: each artifact's path, size and what it is (wheel tags
read from the wheel's own WHEEL file, the .wasm size from the npm tarball).

    summary.py OUT_DIR VERSION SECONDS
"""

import gzip
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path


def describe(path, version):
    if path.suffix == ".crate":
        return f"crate {path.name[: -len(f'-{version}.crate')]}: cargo publish --dry-run, docs.rs build"
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            wheel = HeaderParser().parsestr(z.read(f"h1x-{version}.dist-info/WHEEL").decode())
        return "wheel, tags " + ", ".join(wheel.get_all("Tag"))
    if path.name.endswith(".tar.gz"):
        return "sdist (builds with a Rust toolchain; tests included)"
    if path.suffix == ".tgz":
        with tarfile.open(path) as t:
            wasm = t.extractfile("package/dist/web/h1x_wasm_bg.wasm").read()
        return f"npm package; h1x_wasm_bg.wasm {len(wasm):,} bytes raw, {len(gzip.compress(wasm, 9)):,} gzipped"
    return ""


def main():
    out, version, seconds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    files = sorted(p for p in out.rglob("*") if p.is_file())
    width = max(len(str(p.relative_to(out))) for p in files)
    print(f"release-check: h1x {version}: {len(files)} artifacts in {out}/, built and checked in "
          f"{seconds // 60} min {seconds % 60} s")
    for p in files:
        print(f"  {str(p.relative_to(out)):<{width}}  {p.stat().st_size:>9,} B  {describe(p, version)}")


if __name__ == "__main__":
    main()
