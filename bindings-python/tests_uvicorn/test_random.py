"""Random and mutated input into H1xProtocol, in random pieces: the protocol never raises, the
app never fails, and every byte written is a well-formed response (or responses), the last one
an error with the core's status and `Connection: close` when the input was refused."""

import asyncio
import logging
import random

import h1x
from uvicorn.config import Config
from uvicorn.server import ServerState

from h1x.uvicorn import H1xProtocol
from inproc import CountingTransport

VALID = [
    b"GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    b"PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
]
ERROR_STATUSES = {400, 413, 414, 417, 431, 501, 505}


async def echo(scope, receive, send):
    body = b""
    more = True
    while more:
        m = await receive()
        if m["type"] == "http.disconnect":
            return
        body += m.get("body", b"")
        more = m.get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class Recording(CountingTransport):
    def __init__(self):
        super().__init__()
        self.data = bytearray()

    def write(self, data):
        assert not self.closed, "write after close"
        self.data += data


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        i = rng.randrange(len(data) + 1)
        if op < 0.3 and data:
            data[min(i, len(data) - 1)] = rng.randrange(256)
        elif op < 0.5:
            data[i:i] = bytes([rng.choice(b"\r\n :\t\x00aZ0,;")])
        elif op < 0.7 and data:
            del data[i:i + rng.randint(1, 5)]
        else:
            data[i:i] = rng.choice(VALID)
    return bytes(data)


def check_output(wire: bytes, closed: bool):
    statuses = []
    if not wire:
        return statuses
    conn = h1x.Connection(h1x.CLIENT)
    conn.receive_data(wire)
    while True:
        conn.send(h1x.Request(method=b"GET", target=b"/", headers=[(b"host", b"x")]))
        conn.send(h1x.EndOfMessage())
        final = None
        while True:
            ev = conn.next_event()
            if ev is h1x.NEED_DATA or ev is h1x.PAUSED:
                return statuses
            if type(ev) is h1x.Response:
                final = ev
            if type(ev) is h1x.InformationalResponse:
                assert ev.status_code == 100
            if type(ev) is h1x.EndOfMessage:
                break
        statuses.append(final.status_code)
        if final.status_code in ERROR_STATUSES and final.status_code != 417:
            assert closed and (b"connection", b"close") in list(final.headers)
        if conn.our_state is h1x.MUST_CLOSE or conn.their_state is h1x.MUST_CLOSE:
            return statuses
        conn.start_next_cycle()


async def run_one(rng, data):
    config = Config(app=echo, access_log=False, log_level="warning", lifespan="off")
    config.load()
    protocol = H1xProtocol(config=config, server_state=ServerState(), app_state={})
    transport = Recording()
    protocol.connection_made(transport)
    at = 0
    while at < len(data) and not transport.closed:
        n = rng.randint(1, 64)
        protocol.data_received(data[at:at + n])
        at += n
        for _ in range(3):
            await asyncio.sleep(0)
    for _ in range(5):
        await asyncio.sleep(0)
    protocol.connection_lost(None)
    await asyncio.sleep(0)
    return bytes(transport.data), transport.closed


def test_random_and_mutated_input(caplog):
    caplog.set_level(logging.ERROR, logger="uvicorn.error")
    rng = random.Random(1300)
    seen = set()

    async def main():
        for i in range(4000):
            base = b"".join(rng.choice(VALID) for _ in range(rng.randint(1, 3)))
            data = mutate(rng, base) if i % 4 else base
            wire, closed = await run_one(rng, data)
            statuses = check_output(wire, closed)
            seen.update(statuses)
            if i % 4 == 0:  # unmutated: every request answered
                assert statuses and all(s == 200 for s in statuses), (data, wire)

    asyncio.run(main())
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[0].getMessage()
    assert 200 in seen and seen & ERROR_STATUSES
