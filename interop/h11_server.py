"""A small HTTP/1.1 server written with h11 (python-hyper/h11), sending interim responses with
h11's own InformationalResponse events: 100 Continue when the client expects it, 103 Early Hints
with two Link fields, 104 (a code no client knows, with a header), then 102 Processing
heartbeats with our Progress header, then the final response.

usage: python h11_server.py [HEARTBEATS] [INTERVAL_MS]; prints "listening on http://HOST:PORT".
"""

import json
import socket
import sys
import threading
import time

import h11

BEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
INTERVAL = (int(sys.argv[2]) if len(sys.argv) > 2 else 100) / 1000


def send(sock, conn, event):
    data = conn.send(event)
    if data:
        sock.sendall(data)


def next_event(sock, conn):
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(sock.recv(65536))
            continue
        return event


def serve_one(sock):
    conn = h11.Connection(h11.SERVER)
    sock.settimeout(10)
    try:
        while True:
            req = next_event(sock, conn)
            if not isinstance(req, h11.Request):
                return
            headers = dict((k.lower(), v) for k, v in req.headers)
            if headers.get(b"expect", b"").lower() == b"100-continue":
                send(sock, conn, h11.InformationalResponse(status_code=100, headers=[]))
            size = 0
            while True:
                event = next_event(sock, conn)
                if isinstance(event, h11.Data):
                    size += len(event.data)
                elif isinstance(event, h11.EndOfMessage):
                    break
                else:
                    return
            send(sock, conn, h11.InformationalResponse(status_code=103, headers=[
                ("Link", "</static/viewer.js>; rel=preload; as=script"),
                ("Link", "</static/app.css>; rel=preload; as=style"),
            ]))
            send(sock, conn, h11.InformationalResponse(
                status_code=104, reason=b"Upload Resumption Supported",
                headers=[("Upload-Draft-Interop-Version", "6")]))
            for i in range(1, BEATS + 1):
                time.sleep(INTERVAL)
                send(sock, conn, h11.InformationalResponse(
                    status_code=102, headers=[("Progress", f"{i}/{BEATS}")]))
            upload = req.target.startswith(b"/files/")
            body = json.dumps({"status": "created" if upload else "success", "bytes": size,
                               "server": "h11"}).encode()
            extra = [("Location", req.target.decode())] if upload else []
            send(sock, conn, h11.Response(status_code=201 if upload else 200, headers=[
                ("Content-Type", "application/json"), ("Content-Length", str(len(body)))] + extra))
            send(sock, conn, h11.Data(data=body))
            send(sock, conn, h11.EndOfMessage())
            if conn.our_state is h11.MUST_CLOSE:
                return
            conn.start_next_cycle()
    except (h11.RemoteProtocolError, OSError):
        return
    finally:
        sock.close()


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(f"listening on http://127.0.0.1:{listener.getsockname()[1]}", flush=True)
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=serve_one, args=(sock,), daemon=True).start()


if __name__ == "__main__":
    main()
