"""Helpers for the h1x.uvicorn tests: a uvicorn server on loopback in a thread, and a raw client
that records every response head (interim ones included) with h1x's client side."""

from __future__ import annotations

import contextlib
import pathlib
import socket
import sys
import threading
import time

import pytest
import uvicorn

import h1x

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # examples.panorama_app


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    def __init__(self, server: uvicorn.Server, port: int) -> None:
        self.server = server
        self.port = port
        self.url = f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def serve(app, **kwargs):
    """uvicorn with H1xProtocol serving `app` on loopback, in a thread."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        http="h1x.uvicorn:H1xProtocol",
        lifespan="off",
        log_level="warning",
        **kwargs,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield Running(server, port)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def server_for():
    """`server_for(app, **config)`: a running server, stopped after the test."""
    stack = contextlib.ExitStack()
    with stack:
        yield lambda app, **kw: stack.enter_context(serve(app, **kw))


def exchange(port: int, request: bytes, *, body_after_100: bytes | None = None, timeout=10.0):
    """Sends `request`, reads until the final response is complete (or the server closes) and
    returns `(events, closed)`: every h1x event the client side decoded, in order. With
    `body_after_100`, the body is sent when the `100 Continue` arrives."""
    conn = h1x.Connection(h1x.CLIENT)
    events = []
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        # the client side of the h1x connection must see the request too
        conn.send(_request_event(request))
        if body_after_100 is None:
            _finish_request(conn, request)
        closed = False
        while True:
            ev = conn.next_event()
            if ev is h1x.NEED_DATA:
                data = sock.recv(65536)
                if not data:
                    closed = True
                conn.receive_data(data)
                continue
            events.append(ev)
            if type(ev) is h1x.InformationalResponse and ev.status_code == 100 and body_after_100 is not None:
                sock.sendall(body_after_100)
                conn.send(h1x.Data(data=body_after_100))
                conn.send(h1x.EndOfMessage())
            if type(ev) in (h1x.EndOfMessage, h1x.ConnectionClosed):
                break
        return events, closed


def _request_event(raw: bytes) -> h1x.Request:
    server = h1x.Connection(h1x.SERVER)
    server.receive_data(raw)
    try:
        req = server.next_event()
    except h1x.RemoteProtocolError:
        # a malformed request (the server will refuse it): read the answer as to a GET
        return h1x.Request(method=b"GET", target=b"/", headers=[(b"host", b"t")])
    assert type(req) is h1x.Request, req
    # the client side sends HTTP/1.1 only (as h11); reading the response needs the method
    headers = list(req.headers.raw_items())
    if not any(n.lower() == b"host" for n, _ in headers):
        headers.append((b"host", b"t"))
    return h1x.Request(method=req.method, target=req.target, headers=headers)


def _finish_request(conn: h1x.Connection, raw: bytes) -> None:
    server = h1x.Connection(h1x.SERVER)
    server.receive_data(raw)
    try:
        server.next_event()
    except h1x.RemoteProtocolError:
        conn.send(h1x.EndOfMessage())
        return
    while True:
        ev = server.next_event()
        if type(ev) is h1x.Data:
            conn.send(ev)
        elif type(ev) is h1x.EndOfMessage:
            conn.send(h1x.EndOfMessage())
            return
        else:
            return


def heads(events):
    """`(status, [(name, value), ...])` for every response head, interim ones included."""
    return [
        (ev.status_code, [(n.decode(), v.decode()) for n, v in ev.headers])
        for ev in events
        if type(ev) in (h1x.InformationalResponse, h1x.Response)
    ]


def body_of(events) -> bytes:
    return b"".join(ev.data for ev in events if type(ev) is h1x.Data)
