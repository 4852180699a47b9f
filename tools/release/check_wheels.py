"""Checks the Python artifacts in a folder against what they claim to be.

    check_wheels.py DIR VERSION

For every wheel: the file name, the WHEEL file's tags and METADATA agree (name h1x, the workspace
version, cp39-abi3, the extra `uvicorn`); the extension inside is an ELF shared object for the
architecture of its platform tag; and its libc demands fit the tag, read from the ELF itself (the
independent check next to `auditwheel show`, which mk/release.mk runs as well):
  manylinux2014 / manylinux_2_17: no GLIBC_ symbol version newer than 2.17, only libraries the
      manylinux policy allows (libc, libpthread, libdl, libm, librt, libgcc_s);
  musllinux_1_2: no GLIBC_ symbol versions at all, and musl's libc as the only library. (A
      library linked by zig names musl's libc `libc.so`, which musl's loader treats as itself;
      auditwheel on a glibc machine cannot resolve that name, so this check stands for it.) Then
      musl's own dynamic loader (Debian's package musl) lists the extension: `libc.so` must
      resolve to musl, and the only symbols left unresolved must be the Python C API's, which
      the interpreter provides.
For the sdist: its name and version, and a PKG-INFO with the same metadata.
Prints one line per artifact; exits non-zero on the first mismatch.

Uses pyelftools (a dependency of auditwheel, in the release venv).
"""

import io
import re
import subprocess
import sys
import tempfile
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection

MACHINES = {"x86_64": "EM_X86_64", "aarch64": "EM_AARCH64"}
MANYLINUX_LIBS = {
    "libc.so.6", "libpthread.so.0", "libdl.so.2", "libm.so.6", "librt.so.1", "libgcc_s.so.1",
    "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
}
MUSL_LIBS = {"libc.so", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"}
WHEEL_RE = re.compile(r"^h1x-(?P<version>[^-]+)-cp39-abi3-(?P<plat>[A-Za-z0-9_.]+)\.whl$")


def fail(msg):
    print(f"release-check: FAILED: {msg}")
    sys.exit(1)


def metadata(text, where, version):
    meta = HeaderParser().parsestr(text)
    if meta["Name"] != "h1x" or meta["Version"] != version:
        fail(f"{where}: metadata says {meta['Name']} {meta['Version']}, expected h1x {version}")
    if "uvicorn" not in (meta.get_all("Provides-Extra") or []):
        fail(f"{where}: no extra 'uvicorn' in the metadata")
    extra = re.compile(r"^uvicorn\s*>=\s*0\.54\s*;\s*extra\s*==\s*['\"]uvicorn['\"]$")
    if not any(extra.match(r) for r in meta.get_all("Requires-Dist") or []):
        fail(f"{where}: the extra 'uvicorn' does not require uvicorn>=0.54")
    if meta["Requires-Python"] != ">=3.9":
        fail(f"{where}: Requires-Python is {meta['Requires-Python']}")


def elf_facts(data):
    elf = ELFFile(io.BytesIO(data))
    needed, glibc = [], []
    for sec in elf.iter_sections():
        if isinstance(sec, DynamicSection):
            needed += [t.needed for t in sec.iter_tags() if t.entry.d_tag == "DT_NEEDED"]
        if isinstance(sec, GNUVerNeedSection):
            for _, auxes in sec.iter_versions():
                glibc += [a.name for a in auxes if a.name.startswith("GLIBC_")]
    return elf["e_machine"], elf["e_type"], needed, glibc


MUSL_LOADER = "/lib/ld-musl-x86_64.so.1"


def musl_loader(path, so_bytes):
    with tempfile.NamedTemporaryFile(suffix=".so") as f:
        f.write(so_bytes)
        f.flush()
        out = subprocess.run([MUSL_LOADER, "--list", f.name], capture_output=True, text=True)
    text = out.stdout + out.stderr
    if not re.search(r"^\s*libc\.so => /lib/ld-musl-x86_64\.so\.1", text, re.M):
        fail(f"{path.name}: musl's loader does not map libc.so to itself:\n{text}")
    missing = re.findall(r"Error relocating [^:]+: (\S+): symbol not found", text)
    other = [m for m in missing if not m.startswith(("Py", "_Py"))]
    if other or "Error" in re.sub(r"Error relocating [^:]+: \S+: symbol not found", "", text):
        fail(f"{path.name}: under musl's loader, unresolved beyond the Python C API: {other or text}")
    return f"musl's loader resolves everything but {len(missing)} Python C API symbols"


def glibc_key(v):
    return tuple(int(x) for x in v[len("GLIBC_"):].split(".") if x.isdigit())


def check_wheel(path, version):
    m = WHEEL_RE.match(path.name)
    if not m:
        fail(f"{path.name}: not an h1x cp39-abi3 wheel name")
    if m["version"] != version:
        fail(f"{path.name}: version {m['version']}, the workspace version is {version}")
    plats = m["plat"].split(".")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        info = f"h1x-{version}.dist-info"
        wheel = HeaderParser().parsestr(z.read(f"{info}/WHEEL").decode())
        tags = sorted(wheel.get_all("Tag"))
        want = sorted(f"cp39-abi3-{p}" for p in plats)
        if tags != want:
            fail(f"{path.name}: WHEEL tags {tags}, the file name says {want}")
        metadata(z.read(f"{info}/METADATA").decode(), path.name, version)
        sos = [n for n in names if n.endswith(".so")]
        if sos != ["h1x/_h1x.abi3.so"]:
            fail(f"{path.name}: extension modules {sos}, expected h1x/_h1x.abi3.so")
        for n in ("h1x/__init__.py", "h1x/py.typed", "h1x/_h1x.pyi"):
            if n not in names:
                fail(f"{path.name}: {n} missing")
        so_bytes = z.read(sos[0])
        machine, etype, needed, glibc = elf_facts(so_bytes)
    arch = next((a for a in MACHINES if plats[0].endswith(a)), None)
    if arch is None or machine != MACHINES[arch]:
        fail(f"{path.name}: the extension is {machine}, the tag says {plats[0]}")
    if etype != "ET_DYN":
        fail(f"{path.name}: the extension is {etype}, not a shared object")
    if plats[0].startswith(("manylinux2014", "manylinux_2_17")):
        newest = max(glibc, key=glibc_key, default="none")
        if glibc and glibc_key(newest) > (2, 17):
            fail(f"{path.name}: needs {newest}, newer than manylinux2014's glibc 2.17")
        extra = set(needed) - MANYLINUX_LIBS
        if extra:
            fail(f"{path.name}: links {sorted(extra)}, outside the manylinux policy")
        libc = f"glibc symbols up to {newest}"
    elif plats[0].startswith("musllinux_1_2"):
        if glibc:
            fail(f"{path.name}: a musllinux wheel that needs {sorted(set(glibc))}")
        if not set(needed) <= MUSL_LIBS or not needed:
            fail(f"{path.name}: links {needed}; a musllinux extension links musl's libc only")
        libc = f"links {', '.join(needed)} (musl) only; {musl_loader(path, so_bytes)}"
    else:
        fail(f"{path.name}: unexpected platform tag {plats[0]}")
    print(f"  {path.name}: tags {', '.join(tags)}; {machine}; {libc}; needs {', '.join(needed)}")


def check_sdist(path, version):
    if path.name != f"h1x-{version}.tar.gz":
        fail(f"{path.name}: expected h1x-{version}.tar.gz")
    with tarfile.open(path) as t:
        pkg = t.extractfile(f"h1x-{version}/PKG-INFO").read().decode()
        names = t.getnames()
    metadata(pkg, path.name, version)
    for n in ("pyproject.toml", "Cargo.toml", "Cargo.lock", "core/Cargo.toml", "bindings-python/tests/conftest.py"):
        if f"h1x-{version}/{n}" not in names:
            fail(f"{path.name}: {n} missing")
    print(f"  {path.name}: sdist, {len(names)} files, metadata h1x {version} with the extra uvicorn")


def main():
    folder, version = Path(sys.argv[1]), sys.argv[2]
    wheels = sorted(folder.glob("*.whl"))
    sdists = sorted(folder.glob("*.tar.gz"))
    if len(wheels) != 3 or len(sdists) != 1:
        fail(f"{folder}: expected 3 wheels and 1 sdist, found {[p.name for p in wheels + sdists]}")
    for w in wheels:
        check_wheel(w, version)
    check_sdist(sdists[0], version)


if __name__ == "__main__":
    main()
