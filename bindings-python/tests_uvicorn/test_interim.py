"""Interim responses from ASGI apps through uvicorn + h1x.uvicorn, checked on the wire."""

import asyncio

import pytest

from h1x.asgi import EARLY_HINT, INFORMATIONAL, Heartbeat, heartbeat, supports
from conftest import body_of, exchange, heads

GET = b"GET /x HTTP/1.1\r\nHost: t\r\n\r\n"
GET_10 = b"GET /x HTTP/1.0\r\n\r\n"


def ok(body=b"done"):
    return [
        {"type": "http.response.start", "status": 200,
         "headers": [(b"content-length", str(len(body)).encode())]},
        {"type": "http.response.body", "body": body},
    ]


def test_early_hint_is_a_103_with_one_link_field_per_item(server_for):
    seen = {}

    async def app(scope, receive, send):
        seen["extensions"] = dict(scope["extensions"])
        await send({"type": EARLY_HINT, "links": [b"</a.css>; rel=preload; as=style",
                                                   b"</b.js>; rel=preload; as=script"]})
        for m in ok():
            await send(m)

    srv = server_for(app)
    events, _ = exchange(srv.port, GET)
    assert heads(events)[0] == (103, [("link", "</a.css>; rel=preload; as=style"),
                                      ("link", "</b.js>; rel=preload; as=script")])
    assert [s for s, _ in heads(events)] == [103, 200]
    assert events[0].reason == b"Early Hints"
    assert body_of(events) == b"done"
    assert seen["extensions"] == {EARLY_HINT: {}, INFORMATIONAL: {}}


def test_any_1xx_with_headers_in_order(server_for):
    async def app(scope, receive, send):
        await send({"type": INFORMATIONAL, "status": 102, "headers": [(b"progress", b"1/3")]})
        await send({"type": INFORMATIONAL, "status": 102, "headers": [[b"Progress", b"2/3"]]})
        await send({"type": INFORMATIONAL, "status": 199, "headers": []})
        await send({"type": EARLY_HINT, "links": [b"</c.css>; rel=preload"]})
        for m in ok():
            await send(m)

    srv = server_for(app)
    events, closed = exchange(srv.port, GET)
    assert heads(events)[:4] == [
        (102, [("progress", "1/3")]),
        (102, [("progress", "2/3")]),
        (199, []),
        (103, [("link", "</c.css>; rel=preload")]),
    ]
    assert [s for s, _ in heads(events)][4:] == [200] and not closed


def test_http10_clients_get_no_interim_response_and_no_extension(server_for):
    seen = {}

    async def app(scope, receive, send):
        seen["extensions"] = scope.get("extensions")
        seen["supports"] = supports(scope, EARLY_HINT), supports(scope)
        await send({"type": EARLY_HINT, "links": [b"</a.css>; rel=preload"]})
        await send({"type": INFORMATIONAL, "status": 102, "headers": []})
        for m in ok():
            await send(m)

    srv = server_for(app)
    events, _ = exchange(srv.port, GET_10)
    assert [s for s, _ in heads(events)] == [200]
    assert seen["extensions"] is None and seen["supports"] == (False, False)


def test_no_interim_response_after_the_response_started(server_for):
    errors = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", b"2")]})
        try:
            await send({"type": INFORMATIONAL, "status": 102, "headers": []})
        except RuntimeError as e:
            errors.append(str(e))
        await send({"type": "http.response.body", "body": b"ok"})

    srv = server_for(app)
    events, _ = exchange(srv.port, GET)
    assert [s for s, _ in heads(events)] == [200] and body_of(events) == b"ok"
    assert errors and "after 'http.response.start'" in errors[0]


@pytest.mark.parametrize("status", [101, 200, 99])
def test_non_interim_statuses_are_refused(server_for, status):
    errors = []

    async def app(scope, receive, send):
        try:
            await send({"type": INFORMATIONAL, "status": status, "headers": []})
        except Exception as e:  # RuntimeError (101) or the core's LocalProtocolError
            errors.append(type(e).__name__)
        for m in ok():
            await send(m)

    srv = server_for(app)
    events, _ = exchange(srv.port, GET)
    assert errors
    assert [s for s, _ in heads(events)] == [200]


def test_heartbeat_sends_102_with_progress_until_the_response(server_for):
    async def app(scope, receive, send):
        async with heartbeat(scope, send, 0.05, progress="0/4") as beat:
            for step in range(1, 5):
                await asyncio.sleep(0.1)
                beat.progress = f"{step}/4"
            for m in ok():
                await beat.send(m)
        await asyncio.sleep(0.2)  # no heartbeat after the response

    srv = server_for(app)
    events, _ = exchange(srv.port, GET)
    hs = heads(events)
    assert hs[-1][0] == 200 and len(hs) >= 4, hs
    assert {s for s, _ in hs[:-1]} == {102}
    progress = [dict(h)["progress"] for _, h in hs[:-1]]
    done = [int(p.split("/")[0]) for p in progress]
    assert done == sorted(done) and all(p.endswith("/4") for p in progress), progress
    assert events[0].reason == b"Processing"


def test_no_heartbeat_unless_asked(server_for):
    async def app(scope, receive, send):
        await asyncio.sleep(0.3)
        for m in ok():
            await send(m)

    srv = server_for(app)
    events, _ = exchange(srv.port, GET)
    assert [s for s, _ in heads(events)] == [200]


def test_heartbeat_middleware_and_http10(server_for):
    seen = []

    async def slow(scope, receive, send):
        beat = scope.get("h1x.heartbeat")
        seen.append(beat is not None)
        await asyncio.sleep(0.25)
        if beat is not None:
            beat.progress = b"almost"
            await asyncio.sleep(0.12)
        for m in ok():
            await send(m)

    srv = server_for(Heartbeat(slow, interval=0.05, paths=("/x",)))
    events, _ = exchange(srv.port, GET)
    hs = heads(events)
    assert hs[-1][0] == 200 and {s for s, _ in hs[:-1]} == {102} and len(hs) >= 4, hs
    assert ("progress", "almost") in hs[-2][1]
    # HTTP/1.0: the extension is not advertised, the middleware stays out of the way
    events, _ = exchange(srv.port, GET_10)
    assert [s for s, _ in heads(events)] == [200]
    # a path outside `paths`
    events, _ = exchange(srv.port, b"GET /y HTTP/1.1\r\nHost: t\r\n\r\n")
    assert [s for s, _ in heads(events)] == [200]
    assert seen == [True, False, False]


def test_expect_continue_is_answered_when_the_body_is_first_read(server_for):
    async def app(scope, receive, send):
        await send({"type": INFORMATIONAL, "status": 102, "headers": []})
        await asyncio.sleep(0.05)
        body = b""
        more = True
        while more:
            m = await receive()
            body += m.get("body", b"")
            more = m.get("more_body", False)
        for m in ok(body):
            await send(m)

    srv = server_for(app)
    request = (b"PUT /f HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
               b"Content-Length: 5\r\n\r\n")
    events, closed = exchange(srv.port, request, body_after_100=b"hello")
    # a 102 does not end the client's wait; the 100 comes when the app reads
    assert [s for s, _ in heads(events)] == [102, 100, 200]
    assert body_of(events) == b"hello" and not closed


def test_malformed_requests_get_the_core_status_and_the_server_keeps_serving(server_for):
    async def app(scope, receive, send):
        for m in ok():
            await send(m)

    srv = server_for(app)
    cases = {
        b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n": 400,
        b"GET / HTTP/1.1\r\nHost: t\r\nX: " + b"a" * 20000 + b"\r\n\r\n": 431,
        b"GET / HTTP/1.1\nHost: t\n\n": 400,
        b"GET / HTTP/2.0\r\nHost: t\r\n\r\n": 505,
    }
    for request, status in cases.items():
        events, closed = exchange(srv.port, request)
        assert heads(events)[0][0] == status, (request[:40], heads(events))
        assert ("connection", "close") in heads(events)[0][1]
        assert body_of(events) == b"Invalid HTTP request received."
        assert closed or type(events[-1]).__name__ == "EndOfMessage"
    events, _ = exchange(srv.port, GET)
    assert [s for s, _ in heads(events)] == [200]


def test_unknown_expectation_gets_417_and_transfer_coded_body_501(server_for):
    called = []

    async def app(scope, receive, send):
        called.append(scope["path"])
        for m in ok():
            await send(m)

    srv = server_for(app)
    events, _ = exchange(srv.port, b"GET /e HTTP/1.1\r\nHost: t\r\nExpect: teapot\r\n\r\n")
    assert heads(events)[0][0] == 417
    events, _ = exchange(srv.port, b"POST /g HTTP/1.1\r\nHost: t\r\n"
                                   b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
    assert heads(events)[0][0] == 501
    events, _ = exchange(srv.port, GET)
    assert heads(events)[0][0] == 200 and called == ["/x"]


def test_a_100_sent_by_the_app_ends_the_wait_once(server_for):
    async def app(scope, receive, send):
        await send({"type": INFORMATIONAL, "status": 100, "headers": []})
        body = b""
        more = True
        while more:
            m = await receive()
            body += m.get("body", b"")
            more = m.get("more_body", False)
        for m in ok(body):
            await send(m)

    srv = server_for(app)
    request = (b"PUT /f HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
               b"Content-Length: 3\r\n\r\n")
    events, _ = exchange(srv.port, request, body_after_100=b"abc")
    assert [s for s, _ in heads(events)] == [100, 200] and body_of(events) == b"abc"
