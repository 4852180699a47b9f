"""Fixtures: the example binaries, and servers started on ephemeral loopback ports.

The binaries are built by `make test` (`cargo build --workspace --examples --all-features`); set
H1X_EXAMPLES_DIR to use others. A missing binary fails the run: nothing is skipped.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# short jobs keep the suite fast: 1 s of work, a 102 every 200 ms
JOB = ["--job-secs", "1", "--heartbeat-ms", "200", "--idle-secs", "2"]


def examples_dir() -> Path:
    if os.environ.get("H1X_EXAMPLES_DIR"):
        return Path(os.environ["H1X_EXAMPLES_DIR"])
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return Path(json.loads(meta.stdout)["target_directory"]) / "debug" / "examples"


def binary(name: str) -> Path:
    path = examples_dir() / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `cargo build --workspace --examples --all-features` first")
    return path


class Server:
    """A child process that prints `listening on http://HOST:PORT` on its first line."""

    def __init__(self, argv, name):
        self.name = name
        # the server's log goes to a file: a pipe nobody reads would fill and block it
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log,
                                     stdin=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://([\d.]+):(\d+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"{name} did not start: {line!r} {self.stderr()}")
        self.host, self.port = m.group(1), int(m.group(2))
        self.url = f"http://{self.host}:{self.port}"

    def alive(self):
        return self.proc.poll() is None

    def stderr(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="session", params=["std", "axum"])
def server(request):
    """Our example servers: the std::net demo server, then the same routes as an axum Router
    on h1x-tokio (h1x-tokio/examples/axum_demo)."""
    if request.param == "std":
        argv = [binary("demo"), "--serve", "127.0.0.1:0", *JOB]
    else:
        argv = [binary("axum_demo"), "--serve", "127.0.0.1:0", *JOB]
    srv = Server(argv, request.param)
    yield srv
    assert srv.alive(), f"the {srv.name} server died: {srv.stderr()[-3000:]}"
    srv.stop()
    # a panic in a connection thread or task would not kill the server: look for one
    assert "panicked" not in srv.stderr(), srv.stderr()[-3000:]


@pytest.fixture(scope="session")
def demo_bin():
    return binary("demo")


@pytest.fixture(scope="session")
def node_server():
    srv = Server(["node", HERE / "node" / "server.mjs", "3", "100"], "node")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def h11_server():
    srv = Server([sys.executable, HERE / "h11_server.py", "3", "100"], "h11")
    yield srv
    srv.stop()


PANORAMA_BODY = b'{"images": ["north.jpg", "south.jpg"], "projection": "cylindrical"}'
PANORAMA_DONE = {"status": "success", "url": "/images/panorama-123.jpg"}

STATUS_LINE = re.compile(r"^\[\s*[\d.]+ ms\] <- (\d{3})(?: (.*))?$")
BODY_LINE = re.compile(r"^\[\s*[\d.]+ ms\] <- body: (\d+) bytes ?(.*)$")
HEADER_LINE = re.compile(r"^ {14}([!#$%&'*+.^_`|~0-9A-Za-z-]+): (.*)$")


def parse_timeline(text: str):
    """Our client's timeline -> [(status, reason, [(name, value)])], body text."""
    heads, body, current = [], None, None
    for line in text.splitlines():
        if m := BODY_LINE.match(line):
            body = m.group(2)
            current = None
        elif m := STATUS_LINE.match(line):
            current = (int(m.group(1)), (m.group(2) or "").split("  [")[0], [])
            heads.append(current)
        elif current is not None and (m := HEADER_LINE.match(line)):
            current[2].append((m.group(1), m.group(2)))
        elif not line.startswith(" " * 14):
            current = None
    return heads, body
