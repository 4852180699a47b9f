"""Random and mutated input: decoding may only ever raise RemoteProtocolError (never another
exception, a crash or a hang). Bounded, deterministic (fixed seeds)."""

import random

import pytest

import h1x

SEEDS = [
    b"GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n",
    b"POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
    b"POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nT: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    b"HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    b"HTTP/1.0 200 OK\r\n\r\nbody until close",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
]
ALPHABET = b"\r\n :;,\t\x00\x7f\xff0123456789abcdefABCDEF-/HTTP/1.1 chunked Content-Length Transfer-Encoding"


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        i = rng.randrange(len(data) + 1)
        if op == 0 and data:
            del data[min(i, len(data) - 1)]
        elif op == 1:
            data[i:i] = bytes([rng.choice(ALPHABET)])
        elif op == 2 and data:
            data[min(i, len(data) - 1)] = rng.randrange(256)
        elif op == 3:
            j = rng.randrange(len(data) + 1)
            data[i:i] = data[min(i, j):max(i, j)][:64]
        else:
            data[i:i] = rng.choice(SEEDS)[: rng.randrange(40)]
    return bytes(data)


def drive(role, data, rng, eof):
    conn = h1x.Connection(role, max_headers=rng.choice([4, 64, 200]))
    if role is h1x.CLIENT:
        method = rng.choice(["GET", "HEAD", "CONNECT"])
        target = "a:443" if method == "CONNECT" else "/"  # CONNECT takes host:port (RFC 9110 9.3.6)
        conn.send(h1x.Request(method=method, target=target, headers=[("Host", "a")]))
        if conn.our_state is h1x.SEND_BODY:
            conn.send(h1x.EndOfMessage())
    pos = 0
    steps = 0
    while pos < len(data):
        n = rng.randint(1, 64)
        conn.receive_data(data[pos : pos + n])
        pos += n
        while True:
            steps += 1
            assert steps < 10_000, "no progress"
            ev = conn.next_event()
            if ev is h1x.NEED_DATA:
                break
            if ev is h1x.PAUSED or type(ev) is h1x.ConnectionClosed:
                return
            if type(ev) is h1x.EndOfMessage and role is h1x.SERVER and conn.our_state is h1x.SEND_RESPONSE:
                conn.send(h1x.Response(status_code=200, headers=[("Content-Length", "0")]))
                conn.send(h1x.EndOfMessage())
                if conn.states == {h1x.CLIENT: h1x.DONE, h1x.SERVER: h1x.DONE}:
                    conn.start_next_cycle()
    if eof:
        conn.receive_data(b"")
        for _ in range(1000):
            ev = conn.next_event()
            if ev is h1x.NEED_DATA or ev is h1x.PAUSED or type(ev) is h1x.ConnectionClosed:
                return


@pytest.mark.parametrize("seed", range(4))
def test_random_and_mutated_input_only_raises_remote_protocol_error(seed):
    rng = random.Random(seed)
    errors = 0
    for i in range(1500):
        if i % 5 == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        elif i % 5 == 1:
            data = bytes(rng.choice(ALPHABET) for _ in range(rng.randrange(1, 200)))
        else:
            data = mutate(rng, rng.choice(SEEDS))
        role = h1x.SERVER if data[:4] != b"HTTP" or rng.random() < 0.2 else h1x.CLIENT
        try:
            drive(role, data, rng, eof=rng.random() < 0.5)
        except h1x.RemoteProtocolError as e:
            errors += 1
            assert isinstance(e.kind, str) and e.kind
            assert isinstance(e.offset, int) and 0 <= e.offset <= len(data)
            assert e.error_status_hint in (400, 413, 414, 431, 501, 505)
    # the loop exercised both outcomes
    assert 0 < errors < 1500
