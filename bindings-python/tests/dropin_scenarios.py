"""Real users of h11 with h1x in its place. Run by test_dropin.py in a fresh interpreter:
`python dropin_scenarios.py SCENARIO` prints one JSON line with what happened.

h1x is installed as `h11` before httpx/httpcore/uvicorn are imported, so every h11 call they make
goes to h1x. Traffic stays on 127.0.0.1; every loop is bounded and every socket has a timeout."""

import sys

import h1x
import h1x._connection

sys.modules["h11"] = h1x
sys.modules["h11._connection"] = h1x._connection

import asyncio  # noqa: E402
import json  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import httpcore._sync.http11  # noqa: E402
import httpx  # noqa: E402

assert httpcore._sync.http11.h11 is h1x


class InterimServer:
    """A keep-alive HTTP/1.1 server on h1x that answers every request with 102, 102, 103 (two
    Link fields), then 200 with a body that echoes what it received."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(10)
        self.port = self.sock.getsockname()[1]
        self.sent_interim = 0
        self.requests = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            while True:
                conn, _ = self.sock.accept()
                conn.settimeout(10)
                threading.Thread(target=self.handle, args=(conn,), daemon=True).start()
        except OSError:
            return

    def handle(self, sock):
        h = h1x.Connection(h1x.SERVER)
        with sock:
            for _ in range(100):  # bounded number of cycles per connection
                body = b""
                req = None
                while True:
                    ev = h.next_event()
                    if ev is h1x.NEED_DATA:
                        data = sock.recv(65536)
                        h.receive_data(data)
                        continue
                    if type(ev) is h1x.ConnectionClosed or ev is h1x.PAUSED:
                        return
                    if type(ev) is h1x.Request:
                        req = ev
                    elif type(ev) is h1x.Data:
                        body += ev.data
                    elif type(ev) is h1x.EndOfMessage:
                        break
                self.requests.append((req.method, req.target, dict(req.headers)))
                out = b""
                for i in (1, 2):
                    out += h.send(h1x.InformationalResponse(status_code=102, headers=[("Progress", f"{i}/2")], reason="Processing"))
                    self.sent_interim += 1
                out += h.send(h1x.InformationalResponse(
                    status_code=103,
                    headers=[("Link", "</style.css>; rel=preload"), ("Link", "</app.js>; rel=preload")],
                    reason="Early Hints"))
                self.sent_interim += 1
                payload = b"echo:" + req.method + b" " + req.target + b" " + body
                out += h.send(h1x.Response(status_code=200, headers=[("Content-Length", str(len(payload))), ("X-Server", "h1x")], reason="OK"))
                out += h.send(h1x.Data(payload))
                out += h.send(h1x.EndOfMessage())
                sock.sendall(out)
                if h.our_state is h1x.MUST_CLOSE:
                    return
                h.start_next_cycle()

    def close(self):
        self.sock.close()


def httpx_interim():
    server = InterimServer()
    base = f"http://127.0.0.1:{server.port}"
    results = []
    with httpx.Client(timeout=10) as client:
        for i in range(3):  # keep-alive: one connection, three cycles
            r = client.get(f"{base}/render/{i}", headers={"X-Test": "1"})
            results.append([r.status_code, r.text, r.headers["x-server"], r.http_version])
        r = client.post(f"{base}/upload", content=b"x" * 100_000)
        results.append([r.status_code, len(r.content), r.headers["x-server"], r.http_version])
        r = client.post(f"{base}/chunked", content=iter([b"a" * 10, b"b" * 20]))
        results.append([r.status_code, r.text, r.headers["x-server"], r.http_version])
    server.close()
    return {
        "results": results,
        "sent_interim": server.sent_interim,
        "requests": len(server.requests),
        "host": server.requests[0][2].get(b"host", b"").decode(),
    }


async def asgi_app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        msg = await receive()
        body += msg.get("body", b"")
        if not msg.get("more_body"):
            break
    payload = json.dumps({
        "method": scope["method"],
        "path": scope["path"],
        "query": scope["query_string"].decode(),
        "body_len": len(body),
        "http_version": scope["http_version"],
    }).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def uvicorn_h11():
    import uvicorn
    import uvicorn.protocols.http.h11_impl as impl

    assert impl.h11 is h1x
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(asgi_app, http="h11", log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "uvicorn did not start"
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        with httpx.Client(timeout=10) as client:
            for i in range(3):
                r = client.get(f"{base}/item/{i}?q={i}")
                results.append([r.status_code, r.json()])
            r = client.post(f"{base}/upload", content=b"y" * 50_000)
            results.append([r.status_code, r.json()])
            # uvicorn answers Expect: 100-continue with h1x's InformationalResponse(100)
            r = client.post(f"{base}/expect", content=b"z" * 10, headers={"Expect": "100-continue"})
            results.append([r.status_code, r.json()])
        # a malformed request: uvicorn catches h1x's RemoteProtocolError and answers 400
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            reply = b""
            while b"\r\n\r\n" not in reply:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        results.append([reply.split(b"\r\n", 1)[0].decode()])
    finally:
        server.should_exit = True
        thread.join(10)
    return {"results": results}


if __name__ == "__main__":
    scenario = {"httpx_interim": httpx_interim, "uvicorn_h11": uvicorn_h11}[sys.argv[1]]
    print(json.dumps(scenario()))
