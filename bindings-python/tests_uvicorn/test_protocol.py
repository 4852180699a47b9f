"""H1xProtocol over a real uvicorn server: pipelining, request bodies in pieces, large bodies
with flow control, a head held until the app yields, streaming responses."""

import asyncio
import socket
import time

import h1x
from conftest import heads


async def echo(scope, receive, send):
    pieces = []
    more = True
    while more:
        m = await receive()
        assert m["type"] == "http.request"
        pieces.append(m["body"])
        more = m["more_body"]
    body = b"".join(pieces)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"x-path", scope["path"].encode()),
                            (b"x-pieces", str(len(pieces)).encode()),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def read_responses(sock, count, methods=None):
    """`count` complete responses read with h1x's client side."""
    conn = h1x.Connection(h1x.CLIENT)
    out = []
    for i in range(count):
        method = (methods or [b"GET"] * count)[i]
        conn.send(h1x.Request(method=method, target=b"/", headers=[(b"host", b"t")]))
        conn.send(h1x.EndOfMessage())
        events = []
        while True:
            ev = conn.next_event()
            if ev is h1x.NEED_DATA:
                conn.receive_data(sock.recv(65536))
                continue
            events.append(ev)
            if type(ev) is h1x.EndOfMessage:
                break
        out.append(events)
        conn.start_next_cycle()
    return out


def test_pipelined_requests_answered_in_order(server_for):
    srv = server_for(echo)
    reqs = b"".join(
        b"POST /%d HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n%s" % (i, i, b"z" * i)
        for i in range(1, 9)
    ) + b"GET /last HTTP/1.1\r\nHost: t\r\n\r\n"
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(reqs)
        responses = read_responses(sock, 9)
    for i, events in enumerate(responses[:8], 1):
        assert dict(heads(events)[0][1])["x-path"] == f"/{i}"
        assert b"".join(e.data for e in events if type(e) is h1x.Data) == b"z" * i
    assert dict(heads(responses[8])[0][1])["x-path"] == "/last"


def test_chunked_request_body_in_pieces(server_for):
    srv = server_for(echo)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(b"PUT /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
        for piece in (b"5\r\nhello\r\n", b"1;ext=1\r\n \r\n", b"5\r\nworld\r\n", b"0\r\n\r\n"):
            time.sleep(0.05)
            sock.sendall(piece)
        (events,) = read_responses(sock, 1)
    assert b"".join(e.data for e in events if type(e) is h1x.Data) == b"hello world"
    assert int(dict(heads(events)[0][1])["x-pieces"]) >= 2


def test_large_body_with_flow_control(server_for):
    srv = server_for(echo)
    body = bytes(range(256)) * (4 * 1024 * 1024 // 256)  # 4 MiB: reads pause and resume
    with socket.create_connection(("127.0.0.1", srv.port), timeout=20) as sock:
        sock.sendall(b"POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(body))
        sent = 0
        sock.setblocking(False)
        got = bytearray()
        while sent < len(body):  # write and read at once: the echo comes back as we send
            try:
                sent += sock.send(body[sent:sent + 65536])
            except BlockingIOError:
                pass
            try:
                got += sock.recv(1 << 20)
            except BlockingIOError:
                time.sleep(0.001)
        sock.setblocking(True)
        conn = h1x.Connection(h1x.CLIENT)
        conn.send(h1x.Request(method=b"POST", target=b"/", headers=[(b"host", b"t"),
                                                                      (b"content-length", b"0")]))
        conn.send(h1x.EndOfMessage())
        if got:  # (b"" would mean EOF)
            conn.receive_data(bytes(got))
        data = bytearray()
        while True:
            ev = conn.next_event()
            if ev is h1x.NEED_DATA:
                conn.receive_data(sock.recv(1 << 20))
            elif type(ev) is h1x.Data:
                data += ev.data
            elif type(ev) is h1x.EndOfMessage:
                break
    assert bytes(data) == body


def test_head_goes_out_when_the_app_waits_and_streaming(server_for):
    started = {}

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        started["at"] = time.monotonic()
        await asyncio.sleep(0.5)  # the head must not wait for this
        for i in range(3):
            await send({"type": "http.response.body", "body": b"part%d;" % i, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    srv = server_for(app)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        first = sock.recv(4096)
        seen = time.monotonic()
        assert first.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"transfer-encoding: chunked" in first.lower() and b"part" not in first
        assert seen - started["at"] < 0.4
        rest = first
        while not rest.endswith(b"0\r\n\r\n"):
            rest += sock.recv(4096)
    assert b"part0;" in rest and b"part2;" in rest


def test_head_request_and_http10_request(server_for):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", b"5")]})
        await send({"type": "http.response.body", "body": b"hello"})

    srv = server_for(app)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(b"HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
        head, get = read_responses(sock, 2, [b"HEAD", b"GET"])
    assert not [e for e in head if type(e) is h1x.Data]
    assert [e.data for e in get if type(e) is h1x.Data] == [b"hello"]
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
        got = b""
        while chunk := sock.recv(4096):
            got += chunk
    assert got.startswith(b"HTTP/1.1 200 OK\r\n") and got.endswith(b"\r\n\r\nhello")


def test_absolute_form_target_gives_the_path_component(server_for):
    # RFC 9112 3.2.2: a server accepts the absolute-form; the core takes the target apart
    # (h1x::TargetParts), so scope["path"] is the path, as with uvicorn's httptools protocol
    async def app(scope, receive, send):
        await receive()
        body = f"{scope['path']}|{scope['raw_path'].decode()}|{scope['query_string'].decode()}"
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body.encode()})

    srv = server_for(app)
    wire = (b"GET http://t:8/a%20b?x=1 HTTP/1.1\r\nHost: t:8\r\n\r\n"
            b"GET http://t HTTP/1.1\r\nHost: t\r\n\r\n"
            b"GET /c?d HTTP/1.1\r\nHost: t\r\n\r\n")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(wire)
        responses = read_responses(sock, 3)
    bodies = [b"".join(e.data for e in events if type(e) is h1x.Data) for events in responses]
    assert bodies == [b"/a b|/a%20b|x=1", b"/|/|", b"/c|/c|d"]
