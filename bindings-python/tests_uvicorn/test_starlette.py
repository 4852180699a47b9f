"""h1x.asgi's framework helper with Starlette: an endpoint sends 103 and 102 heartbeats with
progress through `request.scope["h1x.interim"]`, then returns its response."""

import asyncio

import pytest

starlette = pytest.importorskip("starlette")

from starlette.applications import Starlette  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from h1x.asgi import Interim  # noqa: E402
from conftest import exchange, heads  # noqa: E402


async def generate(request):
    interim = request.scope["h1x.interim"]
    await interim.early_hint(["</viewer.js>; rel=preload; as=script"])
    async with interim.heartbeat(0.05, progress="0/3") as beat:
        for step in range(1, 4):
            await asyncio.sleep(0.1)
            beat.progress = f"{step}/3"
    await interim.informational(102, [("progress", "3/3")])
    return JSONResponse({"status": "success", "url": "/images/panorama-123.jpg"})


LEFT = []


async def streaming_started(request):
    interim = request.scope["h1x.interim"]
    beat = interim.heartbeat(0.05)
    await beat.__aenter__()  # left running: the response's start must stop it
    LEFT.append(beat)
    await asyncio.sleep(0.3)
    return JSONResponse({"ok": True})


app = Starlette(
    routes=[Route("/api/generate-panorama", generate, methods=["POST"]),
            Route("/left-running", streaming_started)],
    middleware=[Middleware(Interim)],
)


def test_starlette_endpoint_sends_interim_responses(server_for):
    srv = server_for(app)
    events, closed = exchange(
        srv.port, b"POST /api/generate-panorama HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
    )
    hs = heads(events)
    statuses = [s for s, _ in hs]
    assert statuses[0] == 103 and statuses[-1] == 200 and set(statuses[1:-1]) == {102}, statuses
    assert hs[0][1] == [("link", "</viewer.js>; rel=preload; as=script")]
    progress = [dict(f)["progress"] for _, f in hs[1:-1]]
    assert len(progress) >= 4 and progress[-1] == "3/3", progress
    assert [int(p[0]) for p in progress] == sorted(int(p[0]) for p in progress)
    assert not closed


def test_a_heartbeat_left_running_stops_at_the_response(server_for):
    srv = server_for(app)
    events, _ = exchange(srv.port, b"GET /left-running HTTP/1.1\r\nHost: t\r\n\r\n")
    statuses = [s for s, _ in heads(events)]
    assert statuses[-1] == 200 and set(statuses[:-1]) == {102} and len(statuses) >= 3, statuses
    assert LEFT and LEFT[0]._task is None and LEFT[0]._stopped
    # and on HTTP/1.0 nothing interim, the helper silent
    events, _ = exchange(
        srv.port, b"POST /api/generate-panorama HTTP/1.0\r\nContent-Length: 0\r\n\r\n"
    )
    assert [s for s, _ in heads(events)] == [200]
