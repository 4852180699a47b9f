"""Adds h1x's protocol to uvicorn's own test suite, at test time.

uvicorn's tests (https://github.com/Kludex/uvicorn, BSD-3-Clause, copyright Encode OSS Ltd. and
the uvicorn contributors) come from its sdist on PyPI, downloaded by `make test-uvicorn` at the
pinned version. Its fixture `http_protocol_cls` in `tests/conftest.py` is parametrized over the
HTTP protocol classes (httptools, h11, zttp); this script adds
`pytest.param("h1x.uvicorn:H1xProtocol", id="h1x")` after the h11 one, so every test that runs
for h11 and httptools also runs for h1x. Nothing else in the suite is changed.

Usage: python patch_uvicorn_tests.py <extracted sdist directory>
"""

import pathlib
import sys

ANCHOR = 'pytest.param("uvicorn.protocols.http.h11_impl:H11Protocol", id="h11"),'
ADDED = 'pytest.param("h1x.uvicorn:H1xProtocol", id="h1x"),  # added by h1x (patch_uvicorn_tests.py)'


def main(root: str) -> None:
    conftest = pathlib.Path(root) / "tests" / "conftest.py"
    text = conftest.read_text()
    if ADDED in text:
        return
    if text.count(ANCHOR) != 1:
        sys.exit(f"{conftest}: the h11 parameter of http_protocol_cls was not found once")
    indent = text.split(ANCHOR)[0].rsplit("\n", 1)[1]
    conftest.write_text(text.replace(ANCHOR, ANCHOR + "\n" + indent + ADDED))


if __name__ == "__main__":
    main(sys.argv[1])
