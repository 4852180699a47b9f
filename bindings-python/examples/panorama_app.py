"""The seed's two stories as a plain ASGI app on uvicorn + h1x (interim responses over HTTP/1.1).

    cd bindings-python && ../.venv/bin/python -m uvicorn examples.panorama_app:app \\
        --http h1x.uvicorn:H1xProtocol --port 8000
    curl -v -X POST -H 'Content-Type: application/json' -d '{"images": []}' \\
        http://127.0.0.1:8000/api/generate-panorama
    curl -v -T video.mp4 -H 'Expect: 100-continue' http://127.0.0.1:8000/files/large-video.mp4

``POST /api/generate-panorama``: ``103 Early Hints`` (``Link`` to the viewer's script and style),
then ``102 Processing`` with ``Progress: n/m`` while the panorama renders, then ``200`` with
``{"status": "success", "url": "/images/panorama-123.jpg"}``.

``PUT /files/large-video.mp4`` with ``Expect: 100-continue``: the server sends ``100 Continue``
when the app first reads the body, the client sends it, ``102 Processing`` with ``Progress``
while the file is "stored", then ``201 Created``.

The pace is set by ``H1X_DEMO_STEPS`` (default 5) and ``H1X_DEMO_STEP_SECONDS`` (default 1.0);
a heartbeat goes out every ``H1X_DEMO_HEARTBEAT_SECONDS`` (default 1.0).
"""

import asyncio
import json
import os

from h1x.asgi import EARLY_HINT, heartbeat

STEPS = int(os.environ.get("H1X_DEMO_STEPS", "5"))
STEP_SECONDS = float(os.environ.get("H1X_DEMO_STEP_SECONDS", "1.0"))
HEARTBEAT_SECONDS = float(os.environ.get("H1X_DEMO_HEARTBEAT_SECONDS", "1.0"))

LINKS = [
    b"</static/panorama-viewer.js>; rel=preload; as=script",
    b"</static/panorama.css>; rel=preload; as=style",
]
DONE = {"status": "success", "url": "/images/panorama-123.jpg"}


async def read_body(receive):
    """The whole request body (the first call is when the server sends ``100 Continue``)."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("client went away")
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def json_response(status, payload, extra=()):
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    return (
        {"type": "http.response.start", "status": status, "headers": headers + list(extra)},
        {"type": "http.response.body", "body": body},
    )


async def work(beat):
    """The slow part: STEPS steps, the heartbeat's progress field updated after each."""
    for step in range(1, STEPS + 1):
        await asyncio.sleep(STEP_SECONDS)
        beat.progress = f"{step}/{STEPS}"


async def generate_panorama(scope, receive, send):
    # the browser may fetch the viewer while we render
    await send({"type": EARLY_HINT, "links": LINKS})
    await read_body(receive)
    async with heartbeat(scope, send, HEARTBEAT_SECONDS, progress=f"0/{STEPS}") as beat:
        await work(beat)
        for message in json_response(200, DONE):
            await beat.send(message)


async def upload(scope, receive, send):
    body = await read_body(receive)  # 100 Continue goes out here
    async with heartbeat(scope, send, HEARTBEAT_SECONDS, progress=f"0/{STEPS}") as beat:
        await work(beat)
        start, end = json_response(
            201, {"stored": scope["path"], "bytes": len(body)}, [(b"location", scope["path"].encode())]
        )
        await beat.send(start)
        await beat.send(end)


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    route = (scope["method"], scope["path"])
    if route == ("POST", "/api/generate-panorama"):
        await generate_panorama(scope, receive, send)
    elif scope["method"] == "PUT" and scope["path"].startswith("/files/"):
        await upload(scope, receive, send)
    else:
        for message in json_response(404, {"error": "not found"}):
            await send(message)
