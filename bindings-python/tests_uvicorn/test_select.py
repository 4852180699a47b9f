"""The ways to select h1x's protocol (CLI, uvicorn.run, Config, gunicorn worker), and that
`import h1x` never imports uvicorn."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import uvicorn

from conftest import HERE, ROOT, exchange, free_port, heads, serve

GET = b"GET / HTTP/1.1\r\nHost: t\r\n\r\n"


def wait_for(port, proc, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[0]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("server did not start")


def run_and_get(cmd, port):
    proc = subprocess.Popen(cmd, cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        wait_for(port, proc)
        events, _ = exchange(port, GET)
        return events
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out = proc.communicate(timeout=20)[0]
        assert "Traceback" not in out, out


def test_cli_flag():
    port = free_port()
    events = run_and_get([sys.executable, "-m", "uvicorn", "bench_app:app", "--http",
                          "h1x.uvicorn:H1xProtocol", "--port", str(port), "--log-level",
                          "warning"], port)
    assert heads(events)[0][0] == 200 and events[-2].data == b"x" * 1024


def test_gunicorn_worker():
    port = free_port()
    events = run_and_get([sys.executable, "-m", "gunicorn", "-k", "h1x.uvicorn.H1xWorker",
                          "-w", "1", "-b", f"127.0.0.1:{port}", "bench_app:app"], port)
    assert heads(events)[0][0] == 200


def test_worker_class_uses_h1x():
    from h1x.uvicorn import H1xProtocol, H1xWorker

    assert H1xWorker.CONFIG_KWARGS["http"] is H1xProtocol
    try:
        import uvicorn_worker
    except ImportError:  # pragma: no cover
        return
    assert issubclass(H1xWorker, uvicorn_worker.UvicornWorker)


@pytest.mark.parametrize("http", ["h1x.uvicorn:H1xProtocol", "class"])
def test_config_http(http):
    from h1x.uvicorn import H1xProtocol

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 204})
        await send({"type": "http.response.body"})

    config = uvicorn.Config(app, http=H1xProtocol if http == "class" else http)
    config.load()
    assert config.http_protocol_class is H1xProtocol
    with serve(app) as srv:
        events, _ = exchange(srv.port, GET)
    assert heads(events)[0][0] == 204


def test_import_h1x_does_not_import_uvicorn():
    code = "import sys, h1x, h1x.asgi; print('uvicorn' in sys.modules, 'gunicorn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    assert out.split() == ["False", "False"]
    code = "import sys, h1x.uvicorn; print('gunicorn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    assert out.split() == ["False"]


def test_keep_alive_timeout_counts_from_the_last_response():
    """One timer per idle period at most; a request in between pushes the close back."""
    import socket as s
    import time as t

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})

    with serve(app, timeout_keep_alive=0.6) as srv:
        sock = s.create_connection(("127.0.0.1", srv.port), timeout=5)
        with sock:
            started = t.monotonic()
            for _ in range(3):  # a request every 0.3 s: past the first timer, still open
                sock.sendall(GET)
                assert sock.recv(4096).endswith(b"ok")
                t.sleep(0.3)
            last = t.monotonic()
            assert last - started > 0.8
            sock.sendall(GET)
            assert sock.recv(4096).endswith(b"ok")
            last = t.monotonic()
            assert sock.recv(4096) == b""  # closed by the server...
            idle = t.monotonic() - last
            assert 0.5 < idle < 3, idle  # ...about timeout_keep_alive after the last response


# uvicorn's tests that are written for one protocol class (huge headers, HTTP/1.0 keep-alive,
# a request split across reads), here for h1x
def _hello(body=b"Hello, world"):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
    return app


HUGE = b"GET / HTTP/1.1\r\nHost: example.org\r\nCookie: " + b"x" * 64 * 1024 + b"\r\n\r\n"


def test_huge_headers_are_refused_with_431_by_default():
    with serve(_hello()) as srv:
        events, closed = exchange(srv.port, HUGE)
    assert heads(events)[0][0] == 431 and ("connection", "close") in heads(events)[0][1]


def test_huge_headers_pass_with_h11_max_incomplete_event_size():
    with serve(_hello(), h11_max_incomplete_event_size=80 * 1024) as srv:
        events, _ = exchange(srv.port, HUGE)
    assert heads(events)[0][0] == 200 and events[-2].data == b"Hello, world"


def test_http10_keep_alive_request_is_closed():
    with serve(_hello()) as srv:
        events, closed = exchange(srv.port, b"GET / HTTP/1.0\r\nHost: e\r\nConnection: keep-alive\r\n\r\n")
    assert heads(events)[0][0] == 200 and ("connection", "close") in heads(events)[0][1]


def test_fragmented_request():
    import socket as s
    import time as t

    with serve(_hello()) as srv, s.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
        request = b"GET /?param=" + b"q" * 10 + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        for i in range(0, len(request), 7):
            sock.sendall(request[i:i + 7])
            t.sleep(0.005)
        got = b""
        while chunk := sock.recv(4096):
            got += chunk
    assert got.startswith(b"HTTP/1.1 200 OK\r\n") and got.endswith(b"Hello, world")


def test_server_and_date_headers_and_limit_max_requests():
    with serve(_hello(), limit_max_requests=2, headers=[("X-Extra", "1")]) as srv:
        events, _ = exchange(srv.port, GET)
        fields = dict(heads(events)[0][1])
        assert fields["server"] == "uvicorn" and fields["x-extra"] == "1"
        assert fields["date"].endswith(" GMT")
        exchange(srv.port, GET)
        # counted when the response is complete on the server's side, which the client may see
        # a moment before the server's loop gets there
        deadline = time.monotonic() + 5
        while srv.server.server_state.total_requests < 2:
            assert time.monotonic() < deadline, srv.server.server_state.total_requests
            time.sleep(0.01)
        assert srv.server.server_state.total_requests == 2
        while True:  # uvicorn stops listening after limit_max_requests
            try:
                socket.create_connection(("127.0.0.1", srv.port), timeout=1).close()
            except OSError:
                break
            assert time.monotonic() < deadline, "the server did not stop"
            time.sleep(0.05)
