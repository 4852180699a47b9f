"""`make bench-uvicorn`: wrk against one uvicorn worker serving the same ASGI app (bench_app.py:
GET returning 1 KiB, POST echoing 1 KiB), 32 connections, with each HTTP protocol (h1x, h11,
httptools, zttp) on uvloop and on asyncio.

Every server runs for the whole benchmark (each on its own port, one worker, no access log);
the rounds are interleaved: each round measures every (loop, protocol, workload) once, in an
order rotated from round to round. Printed per loop and workload: the median req/s over the
rounds, and h1x's ratio to each peer as the median over rounds of the ratio within the round
(a slow spell of the shared machine hits both sides of a pair). With --readme, the table is
written between the `uvicorn-bench` markers of that file.

Where taskset exists the servers run on CPU 1 and wrk on CPU 0 (the machine has 2 cores). The
same run measures wrk against `ceiling_server.py` (a canned response, no HTTP): what the client
and the kernel allow.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = {
    "h1x": "h1x.uvicorn:H1xProtocol",
    "httptools": "httptools",
    "zttp": "zttp",
    "h11": "h11",
}
LOOPS = ["uvloop", "asyncio"]
WORKLOADS = ["GET 1 KiB", "POST echo 1 KiB"]
POST_LUA = """wrk.method = "POST"
wrk.body = string.rep("y", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
"""


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(cpu: int, cmd: list[str]) -> list[str]:
    if shutil.which("taskset") and os.cpu_count() and os.cpu_count() >= 2:
        return ["taskset", "-c", str(cpu), *cmd]
    return cmd


def start(http: str, loop: str, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "uvicorn", "bench_app:app", "--http", http, "--loop", loop,
           "--port", str(port), "--no-access-log", "--log-level", "warning", "--lifespan", "off"]
    return subprocess.Popen(pinned(1, cmd), cwd=HERE, start_new_session=True)


def wait_ready(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server on port {port} did not start")


def wrk(port: int, workload: str, seconds: float, lua: str) -> float:
    cmd = ["wrk", "-t1", "-c32", f"-d{int(seconds)}s"]
    if workload.startswith("POST"):
        cmd += ["-s", lua]
    out = subprocess.run(pinned(0, cmd + [f"http://127.0.0.1:{port}/"]), capture_output=True,
                         text=True, timeout=seconds + 30).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw errors on port {port}:\n{out}")
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m:
        raise SystemExit(f"no figure from wrk:\n{out}")
    return float(m.group(1))


def table(results, protocols, rounds, seconds) -> str:
    peers = [p for p in protocols if p != "h1x"]
    lines = [
        f"Measured by `make bench-uvicorn`: wrk (1 thread, 32 connections, {seconds:g} s per "
        f"measurement) against one uvicorn {version('uvicorn')} worker, {rounds} interleaved "
        f"rounds, Python {platform.python_version()}, "
        + ", ".join(f"{p} {version(p)}" for p in ["httptools", "zttp", "h11", "uvloop"]
                    if importlib.util.find_spec(p))
        + ". Median req/s over the rounds; h1x's ratio is the median of the per-round ratios.",
        "",
        "| loop | workload | " + " | ".join(protocols) + " | "
        + " | ".join(f"h1x / {p}" for p in peers) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in protocols) + " | "
        + " | ".join("---:" for _ in peers) + " |",
    ]
    for loop in LOOPS:
        for workload in WORKLOADS:
            row = [loop, workload]
            for p in protocols:
                row.append(f"{statistics.median(results[loop, p, workload]):,.0f}")
            for p in peers:
                ratios = [a / b for a, b in zip(results[loop, "h1x", workload],
                                                results[loop, p, workload])]
                row.append(f"**{statistics.median(ratios):.2f}x**")
            lines.append("| " + " | ".join(row) + " |")
    ceiling = ", ".join(
        f"{w} {statistics.median(results['ceiling', None, w]):,.0f}" for w in WORKLOADS
    )
    lines += [
        "",
        f"The client's ceiling in the same run: wrk against a bare uvloop protocol that answers "
        f"each request with a canned response (`ceiling_server.py`: no HTTP parsing, no ASGI, no "
        f"app): {ceiling} req/s.",
    ]
    return "\n".join(lines)


def write_readme(path: str, text: str) -> None:
    with open(path) as f:
        readme = f.read()
    start, end = "<!-- uvicorn-bench:start -->", "<!-- uvicorn-bench:end -->"
    if start not in readme or end not in readme:
        raise SystemExit(f"{path}: no {start} ... {end} markers")
    head, rest = readme.split(start, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(head + start + "\n" + text + "\n" + end + tail)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--readme", action="append", default=[],
                    help="write the table into this file's uvicorn-bench markers (repeatable)")
    args = ap.parse_args()

    protocols = [p for p in PROTOCOLS if p != "zttp" or importlib.util.find_spec("zttp")]
    if "zttp" not in protocols:
        print("zttp is not installed: measuring without it")
    lua = os.path.join(tempfile.mkdtemp(), "post.lua")
    with open(lua, "w") as f:
        f.write(POST_LUA)

    servers = {}
    try:
        for loop in LOOPS:
            for p in protocols:
                port = free_port()
                servers[loop, p] = (port, start(PROTOCOLS[p], loop, port))
        port = free_port()
        ceiling = subprocess.Popen(pinned(1, [sys.executable, "ceiling_server.py", str(port)]),
                                   cwd=HERE, start_new_session=True)
        servers["ceiling"] = (port, ceiling)
        for port, proc in servers.values():
            wait_ready(port, proc)
        for port, _ in servers.values():  # warm up
            for workload in WORKLOADS:
                wrk(port, workload, 1, lua)
        results: dict = {}
        keys = [(loop, p, w) for loop in LOOPS for w in WORKLOADS for p in protocols]
        keys += [("ceiling", None, w) for w in WORKLOADS]
        for r in range(args.rounds):
            order = keys[r % len(keys):] + keys[:r % len(keys)]
            for loop, p, workload in order:
                port = servers["ceiling"][0] if loop == "ceiling" else servers[loop, p][0]
                rps = wrk(port, workload, args.seconds, lua)
                results.setdefault((loop, p, workload), []).append(rps)
            print(f"round {r + 1}/{args.rounds} done", flush=True)
    finally:
        for _, proc in servers.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for _, proc in servers.values():
            proc.wait(timeout=20)

    text = table(results, protocols, args.rounds, args.seconds)
    import inproc

    print("in-process measurement (inproc.py)...", flush=True)
    text += "\n\n" + inproc.table(
        inproc.measure({p: PROTOCOLS[p] for p in protocols}, rounds=args.rounds), protocols
    )
    print(text)
    for path in args.readme:
        write_readme(path, text)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
