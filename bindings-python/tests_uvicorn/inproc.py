"""Where the time goes: each uvicorn protocol driven in-process, without sockets.

A protocol object is connected to a transport that only counts writes; each request is one
`data_received(request bytes)` followed by one turn of the asyncio loop (the app's task runs:
bench_app.py, GET returning 1 KiB or POST echoing 1 KiB). CPU time per request, best of
interleaved rounds; then the part of h1x's figure spent in `AsgiConnection` (Rust: decoding
into a scope, encoding head and body) measured alone on the same requests. What remains is the
same kind of work for every protocol: the asyncio task, the app's and `send`'s coroutines,
uvicorn's middleware, the keep-alive timer.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

from uvicorn.config import Config
from uvicorn.server import ServerState

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_app import app  # noqa: E402

GET = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
POST = (
    b"POST / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 1024\r\n"
    b"Content-Type: application/octet-stream\r\n\r\n" + b"y" * 1024
)
REQUESTS = {"GET 1 KiB": GET, "POST echo 1 KiB": POST}


class CountingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.closed = False

    def get_extra_info(self, name, default=None):
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(
            name, default
        )

    def write(self, data) -> None:
        self.writes += 1

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def per_request(http: str, request: bytes, n: int) -> tuple[float, float]:
    """(CPU µs per request, writes per request)."""
    config = Config(app=app, http=http, access_log=False, log_level="warning", lifespan="off")
    config.load()
    protocol = config.http_protocol_class(config=config, server_state=ServerState(), app_state={})
    transport = CountingTransport()
    protocol.connection_made(transport)
    for _ in range(100):
        protocol.data_received(request)
        await asyncio.sleep(0)
    transport.writes = 0
    t = time.process_time()
    for _ in range(n):
        protocol.data_received(request)
        await asyncio.sleep(0)
    cpu = time.process_time() - t
    assert not transport.closed
    return cpu / n * 1e6, transport.writes / n


def rust_part(request: bytes, n: int) -> float:
    """CPU µs per request in AsgiConnection alone: the calls H1xProtocol makes."""
    from h1x._h1x import AsgiConnection

    template = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
                "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
                "scheme": "http", "root_path": "", "extensions": {"a": {}, "b": {}}}
    conn = AsgiConnection(template, dict(template), "", {})
    defaults = [(b"date", b"Mon, 30 Nov 2026 09:00:00 GMT"), (b"server", b"uvicorn")]
    headers = [(b"content-type", b"application/octet-stream"), (b"content-length", b"1024")]
    body = b"x" * 1024
    t = time.process_time()
    for _ in range(n):
        conn.feed(request)
        conn.next_event()
        conn.start(200, headers, defaults)
        conn.body(body, False)
        conn.keep_alive
        conn.next_cycle()
    return (time.process_time() - t) / n * 1e6


def measure(protocols: dict[str, str], rounds: int = 5, n: int = 5000) -> dict:
    results: dict = {}
    for _ in range(rounds):
        for name, http in protocols.items():
            for workload, request in REQUESTS.items():
                us, writes = asyncio.run(per_request(http, request, n))
                best = results.get((name, workload), (float("inf"), 0))[0]
                results[name, workload] = (min(best, us), writes)
        for workload, request in REQUESTS.items():
            us = rust_part(request, n)
            results["rust", workload] = (min(results.get(("rust", workload), (us,))[0], us), 0)
    return results


def table(results: dict, protocols: list[str]) -> str:
    lines = [
        "In-process, asyncio loop, no sockets (`tests_uvicorn/inproc.py`): CPU µs per request, "
        "best of the rounds (socket writes per response in brackets).",
        "",
        "| workload | " + " | ".join(protocols) + " | of h1x's: `AsgiConnection` (Rust) |",
        "| --- | " + " | ".join("---:" for _ in protocols) + " | ---: |",
    ]
    for workload in REQUESTS:
        row = [workload]
        for p in protocols:
            us, writes = results[p, workload]
            row.append(f"{us:.1f} ({writes:g})")
        row.append(f"{results['rust', workload][0]:.1f}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import importlib.util

    from bench import PROTOCOLS

    protos = {k: v for k, v in PROTOCOLS.items() if k != "zttp" or importlib.util.find_spec("zttp")}
    print(table(measure(protos), list(protos)))
