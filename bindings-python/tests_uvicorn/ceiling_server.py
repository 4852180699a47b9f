"""`make bench-uvicorn`'s ceiling: not an HTTP server. A bare asyncio protocol on uvloop that
answers every `\\r\\n\\r\\n` it sees with a canned 1 KiB response, so wrk's req/s against it is
about what the client, the kernel and the loop allow on this machine, with no parsing, no ASGI
and no app. usage: python ceiling_server.py PORT"""

import asyncio
import sys

import uvloop

RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1024\r\n\r\n"
    + b"x" * 1024
)


class Canned(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        # wrk's requests (GET, or POST with a 1 KiB body that has no blank line) end in one
        # blank line each
        n = data.count(b"\r\n\r\n")
        if n:
            self.transport.write(RESPONSE * n)


async def main(port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Canned, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    uvloop.install()
    asyncio.run(main(int(sys.argv[1])))
