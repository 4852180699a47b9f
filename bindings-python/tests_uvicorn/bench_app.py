"""The ASGI app `make bench-uvicorn` serves with every protocol: GET returns 1 KiB, POST echoes
the request body. Plain ASGI (no framework), so the protocol's cost is what differs."""

BODY = b"x" * 1024
GET_HEADERS = [(b"content-type", b"application/octet-stream"), (b"content-length", b"1024")]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["method"] == "POST":
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = [
            (b"content-type", b"application/octet-stream"),
            (b"content-length", str(len(body)).encode()),
        ]
    else:
        body = BODY
        headers = GET_HEADERS
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
