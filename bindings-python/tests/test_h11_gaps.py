"""The h11 drop-in gaps of issue 15, each run side by side with h11: the same calls on both
libraries, the same outcome (events, bytes on the wire, exception class, message text)."""

import h11
import pytest

import h1x

LIBS = pytest.mark.parametrize("lib", [h11, h1x], ids=["h11", "h1x"])


def both(fn):
    """`fn(lib)` for h11 and h1x: the results, or the exceptions' (class name, text, status)."""
    out = []
    for lib in (h11, h1x):
        try:
            out.append(("ok", fn(lib)))
        except Exception as e:  # noqa: BLE001 - the comparison is the point
            out.append((type(e).__name__, str(e), getattr(e, "error_status_hint", None)))
    return out


def plain(ev):
    """An event as a comparable tuple, whichever library made it."""
    name = type(ev).__name__
    fields = []
    for f in ("method", "target", "status_code", "reason", "http_version", "data",
              "chunk_start", "chunk_end"):
        if hasattr(ev, f):
            fields.append((f, getattr(ev, f)))
    if hasattr(ev, "headers"):
        fields.append(("headers", list(ev.headers)))
    return (name, tuple(fields))


def events(conn):
    out = []
    while True:
        ev = conn.next_event()
        if ev in (conn_mod(conn).NEED_DATA, conn_mod(conn).PAUSED):
            return out
        out.append(plain(ev))
        if type(ev).__name__ == "ConnectionClosed":
            return out


def conn_mod(conn):
    return h1x if isinstance(conn, h1x.Connection) else h11


def server_with(lib, wire, **kw):
    s = lib.Connection(lib.SERVER, **kw)
    s.receive_data(wire)
    return s


GET = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"


# 1. send_with_data_passthrough with an object that is not bytes ------------------------------

class Placeholder:
    """What a server hands to its I/O layer instead of the bytes (e.g. a file region)."""

    def __len__(self):
        return 1000


@pytest.mark.parametrize("framing", [[(b"Content-Length", b"1000")], []], ids=["length", "chunked"])
def test_passthrough_of_a_placeholder(framing):
    def run(lib):
        s = server_with(lib, GET)
        events(s)
        s.send(lib.Response(status_code=200, headers=framing))
        obj = Placeholder()
        pieces = s.send_with_data_passthrough(lib.Data(data=obj))
        assert any(p is obj for p in pieces)
        end = s.send(lib.EndOfMessage())
        return [b"<obj>" if p is obj else p for p in pieces], end, s.our_state.__name__
    theirs, ours = both(run)
    assert ours == theirs
    assert ours[1][0] == ([b"<obj>"] if framing else [b"3e8\r\n", b"<obj>", b"\r\n"])


def test_passthrough_too_long_for_content_length():
    def run(lib):
        s = server_with(lib, GET)
        events(s)
        s.send(lib.Response(status_code=200, headers=[(b"Content-Length", b"10")]))
        return s.send_with_data_passthrough(lib.Data(data=Placeholder()))
    theirs, ours = both(run)
    assert ours == theirs
    assert ours[:2] == ("LocalProtocolError", "Too much data for declared Content-Length")


# 2. early rejection ----------------------------------------------------------------------------

@pytest.mark.parametrize("first", [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", b"\x00GET", b" GET /"],
                         ids=["tls", "nul", "space"])
def test_request_line_refused_before_its_line_ending(first):
    def run(lib):
        return server_with(lib, first).next_event()
    theirs, ours = both(run)
    assert (ours[0], ours[2]) == (theirs[0], theirs[2]) == ("RemoteProtocolError", 400)
    s = server_with(h1x, first)
    with pytest.raises(h1x.RemoteProtocolError) as e:
        s.next_event()
    assert (e.value.kind, e.value.offset) == ("InvalidMethod", 0)
    assert str(e.value).startswith("illegal request line: " + repr(first)[:-1])


def test_status_line_refused_before_its_line_ending():
    def run(lib):
        c = lib.Connection(lib.CLIENT)
        c.send(lib.Request(method="GET", target="/", headers=[("Host", "a")]))
        c.send(lib.EndOfMessage())
        c.receive_data(b"\x15\x03\x03\x00\x02\x02\x46")  # a TLS alert
        return c.next_event()
    theirs, ours = both(run)
    assert (ours[0], theirs[0]) == ("RemoteProtocolError", "RemoteProtocolError")


# 3. a response before any request, both sides ------------------------------------------------

def test_408_on_an_idle_connection_both_ways():
    def run(lib):
        s = lib.Connection(lib.SERVER)
        wire = s.send(lib.Response(status_code=408, reason=b"Request Timeout",
                                   headers=[(b"Connection", b"close"), (b"Content-Length", b"0")]))
        wire += s.send(lib.EndOfMessage())
        c = lib.Connection(lib.CLIENT)
        c.receive_data(wire)
        got = events(c)
        c.receive_data(b"")
        got += events(c)
        return wire, got, repr(s.states), repr(c.states)
    theirs, ours = both(run)
    assert ours == theirs
    assert ours[0] == "ok"


# 4. chunk boundaries -----------------------------------------------------------------------

@pytest.mark.parametrize("role", ["server", "client"])
def test_chunk_boundaries(role):
    body = b"5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Sum: 1\r\n\r\n"

    def run(lib):
        if role == "server":
            conn = server_with(lib, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
        else:
            conn = lib.Connection(lib.CLIENT)
            conn.send(lib.Request(method="GET", target="/", headers=[("Host", "a")]))
            conn.send(lib.EndOfMessage())
            conn.receive_data(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
        return events(conn)
    theirs, ours = both(run)
    assert ours == theirs
    datas = [e for e in ours[1] if e[0] == "Data"]
    assert [dict(d[1])["chunk_start"] for d in datas] == [True, True]
    assert [dict(d[1])["chunk_end"] for d in datas] == [True, True]


def test_chunk_split_across_reads_keeps_its_boundaries():
    s = server_with(h1x, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhe")
    assert type(s.next_event()) is h1x.Request
    first = s.next_event()
    s.receive_data(b"llo\r\n0\r\n\r\n")
    second = s.next_event()
    assert (first.data, first.chunk_start, first.chunk_end) == (b"he", True, False)
    assert (second.data, second.chunk_start, second.chunk_end) == (b"llo", False, True)
    # not chunked: no boundaries
    s = server_with(h1x, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
    s.next_event()
    d = s.next_event()
    assert (d.chunk_start, d.chunk_end) == (False, False)


# 5. messages carry h11's text and the facts ------------------------------------------------

def _incomplete_length(lib):
    s = server_with(lib, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nhello")
    events(s)
    s.receive_data(b"")
    return s.next_event()


def _incomplete_chunked(lib):
    s = server_with(lib, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
    events(s)
    s.receive_data(b"")
    return s.next_event()


def _incomplete_head(lib):
    s = server_with(lib, b"GET / HTTP/1.1\r\nHost: a\r\n")
    events(s)
    s.receive_data(b"")
    return s.next_event()


def _bad_header_value(lib):
    return lib.Request(method="GET", target="/", headers=[("Host", "\0")])


def _bad_header_name(lib):
    return lib.Request(method="GET", target="/", headers=[("Host", "a"), ("Bad Name", "1")])


def _too_much(lib):
    s = server_with(lib, GET)
    events(s)
    s.send(lib.Response(status_code=200, headers=[("Content-Length", "2")]))
    return s.send(lib.Data(data=b"abc"))


def _too_little(lib):
    s = server_with(lib, GET)
    events(s)
    s.send(lib.Response(status_code=200, headers=[("Content-Length", "2")]))
    return s.send(lib.EndOfMessage())


def _trailers_with_content_length(lib):
    s = server_with(lib, GET)
    events(s)
    s.send(lib.Response(status_code=200, headers=[("Content-Length", "0")]))
    return s.send(lib.EndOfMessage(headers=[("X-Sum", "1")]))


def _client_sends_response(lib):
    return lib.Connection(lib.CLIENT).send(lib.Response(status_code=200, headers=[]))


def _bad_method(lib):
    return lib.Request(method="G T", target="/", headers=[("Host", "a")])


def _wrong_state(lib):
    s = server_with(lib, GET)
    events(s)
    s.send(lib.Response(status_code=200, headers=[("Content-Length", "0")]))
    return s.send(lib.Response(status_code=200, headers=[]))


def _after_error(lib):
    s = server_with(lib, GET)
    events(s)
    s.send_failed()
    return s.send(lib.Response(status_code=200, headers=[]))


def _receive_after_error(lib):
    s = server_with(lib, b"\x00")
    with pytest.raises(lib.RemoteProtocolError):
        s.next_event()
    return s.next_event()


def _not_reusable(lib):
    s = server_with(lib, GET)
    events(s)
    return s.start_next_cycle()


def _too_large(lib):
    s = server_with(lib, b"GET / HTTP/1.1\r\nHost: a\r\nCookie: " + b"x" * 20000)
    return s.next_event()


MESSAGES = [_incomplete_length, _incomplete_chunked, _incomplete_head, _bad_header_value,
            _bad_header_name, _too_much, _too_little, _trailers_with_content_length,
            _client_sends_response, _bad_method, _wrong_state, _after_error,
            _receive_after_error, _not_reusable, _too_large]


@pytest.mark.parametrize("case", MESSAGES, ids=[f.__name__[1:] for f in MESSAGES])
def test_messages_start_with_h11s_text(case):
    theirs, ours = both(case)
    assert ours[0] == theirs[0] != "ok"
    assert ours[1].startswith(theirs[1]), (ours[1], theirs[1])
    assert ours[2] == theirs[2]


def test_messages_keep_kind_and_offset_and_give_the_facts():
    with pytest.raises(h1x.RemoteProtocolError) as e:
        _incomplete_length(h1x)
    assert "(received 5 bytes, expected 100)" in str(e.value)
    assert (e.value.kind, e.value.offset) == ("IncompleteMessage", 54)
    with pytest.raises(h1x.RemoteProtocolError) as e:
        _too_large(h1x)
    assert "max_incomplete_event_size=16384 bytes" in str(e.value)
    assert e.value.error_status_hint == 431
    assert e.value.kind == "HeadTooLarge"
    s = server_with(h1x, b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n")
    with pytest.raises(h1x.RemoteProtocolError) as e:
        s.next_event()
    assert "illegal header line: b'X: a\\x00b'" in str(e.value)
    assert (e.value.kind, e.value.offset) == ("InvalidHeaderValue", 29)
    s = server_with(h1x, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", max_headers=1)
    s = server_with(h1x, b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n", max_headers=1)
    with pytest.raises(h1x.RemoteProtocolError) as e:
        s.next_event()
    assert "more than max_headers=1" in str(e.value) and e.value.kind == "TooManyHeaders"


# 6. refused at once, as h11 refuses -------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    dict(method="GET", target="/", headers=[]),
    dict(method="GET", target="/", headers=[("Host", "a"), ("Host", "b")]),
    dict(method="GET", target="/", headers=[("Host", "a"), ("Content-Length", "x")]),
], ids=["no-host", "two-hosts", "bad-content-length"])
def test_request_refused_at_construction(kwargs):
    theirs, ours = both(lambda lib: lib.Request(**kwargs))
    assert ours == theirs
    assert ours[0] == "LocalProtocolError"


def test_http10_request_without_host_is_fine():
    theirs, ours = both(lambda lib: repr(lib.Request(method="GET", target="/", headers=[],
                                                     http_version="1.0")))
    assert ours == theirs and ours[0] == "ok"


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_only_http11_is_sent(version):
    def run(lib):
        s = server_with(lib, GET)
        events(s)
        return s.send(lib.Response(status_code=200, headers=[], http_version=version))
    theirs, ours = both(run)
    assert ours == theirs
    assert ours[:2] == ("LocalProtocolError", "I only send HTTP/1.1")


# 7. header pairs of any two-item shape ---------------------------------------------------------

@pytest.mark.parametrize("headers", [
    lambda: [[b"content-type", b"text/plain"], [b"content-length", b"2"]],
    lambda: [["content-type", "text/plain"], ("content-length", "2")],
    lambda: ([b"content-type", b"text/plain"], [b"content-length", b"2"]),
    lambda: (iter(p) for p in [[b"content-type", b"text/plain"], [b"content-length", b"2"]]),
    lambda: {"content-type": "text/plain", "content-length": "2"}.items(),
], ids=["lists", "mixed", "tuple-of-lists", "iterators", "dict-items"])
def test_header_pairs_of_any_shape(headers):
    def run(lib):
        s = server_with(lib, GET)
        events(s)
        return s.send(lib.Response(status_code=200, headers=headers())) + s.send(lib.Data(data=b"ok"))
    theirs, ours = both(run)
    assert ours == theirs and ours[0] == "ok"


@pytest.mark.parametrize("pair", [[b"a"], [b"a", b"b", b"c"]])
def test_header_pairs_of_the_wrong_length(pair):
    theirs, ours = both(lambda lib: lib.Response(status_code=200, headers=[pair]))
    assert ours[0] == theirs[0] == "ValueError"


# 8. one size limit -----------------------------------------------------------------------------

@pytest.mark.parametrize("size", [100_000, 8_000])
def test_one_size_limit_bounds_the_head(size):
    head = b"GET / HTTP/1.1\r\nHost: a\r\nCookie: " + b"x" * size + b"\r\n\r\n"

    def run(lib):
        s = server_with(lib, head, max_incomplete_event_size=100 * 1024 + 100)
        return [e[0] for e in events(s)]
    theirs, ours = both(run)
    assert ours == theirs == ("ok", ["Request", "EndOfMessage"])


def test_many_fields_within_the_head_limit():
    head = b"GET / HTTP/1.1\r\nHost: a\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(500)) + b"\r\n"
    theirs, ours = both(lambda lib: len(server_with(lib, head).next_event().headers))
    assert ours == theirs == ("ok", 501)


def test_default_limit_refuses_a_large_head_as_h11():
    head = b"GET / HTTP/1.1\r\nHost: a\r\nCookie: " + b"x" * 20000 + b"\r\n\r\n"
    theirs, ours = both(lambda lib: server_with(lib, head[:17000]).next_event())
    assert (ours[0], ours[2]) == (theirs[0], theirs[2]) == ("RemoteProtocolError", 431)


# 9. Connection-closing headers written once ------------------------------------------------

@pytest.mark.parametrize("request_conn,response_conn", [
    (b"close", b"keep-alive"),
    (b"close", b"close"),
    (b"close", b"Close"),
    (None, b"close"),
], ids=["keep-alive-replaced", "close-merged", "Close-merged", "response-close-as-given"])
def test_connection_close_written_once(request_conn, response_conn):
    req = b"GET / HTTP/1.1\r\nHost: a\r\n" + (b"Connection: " + request_conn + b"\r\n" if request_conn else b"") + b"\r\n"

    def run(lib):
        s = server_with(lib, req)
        events(s)
        return s.send(lib.Response(status_code=200, headers=[("Content-Length", "0"),
                                                             ("connection", response_conn)]))
    theirs, ours = both(run)
    assert ours == theirs
    assert ours[1].lower().count(b"connection:") == 1


def test_close_for_an_unframed_response_to_an_unknown_version():
    def run(lib):
        s = server_with(lib, b"\x00")
        with pytest.raises(lib.RemoteProtocolError):
            s.next_event()
        return s.send(lib.Response(status_code=400, headers=[("connection", "close")]))
    theirs, ours = both(run)
    assert ours == theirs and b"Connection: close" in ours[1]


# 10. the server answers from IDLE after a malformed or oversized head --------------------------

@pytest.mark.parametrize("wire", [b"GET / HTTP/1.1\r\nHost: a\r\nBad Name: 1\r\n\r\n",
                                  b"GET / HTTP/1.1\r\nHost: a\r\nCookie: " + b"x" * 20000],
                         ids=["malformed", "oversized"])
def test_server_answers_after_a_bad_head(wire):
    def run(lib):
        s = server_with(lib, wire)
        with pytest.raises(lib.RemoteProtocolError) as e:
            s.next_event()
        out = s.send(lib.Response(status_code=e.value.error_status_hint,
                                  headers=[("content-type", "text/plain")]))
        out += s.send(lib.Data(data=b"bad")) + s.send(lib.EndOfMessage())
        return out, repr(s.states)
    theirs, ours = both(run)
    assert ours == theirs and ours[0] == "ok"


RECEIVED = {
    "no-host": ("server", b"GET / HTTP/1.1\r\n\r\n"),
    "two-hosts": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
    "nul-in-value": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX: \x00\r\n\r\n"),
    "space-before-colon": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX : 1\r\n\r\n"),
    "bad-content-length": ("server", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n"),
    "bad-chunk-size": ("server", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
    "chunk-footer": ("server", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY"),
    "bad-version": ("server", b"GET / HTTP/1.x\r\nHost: a\r\n\r\n"),
    "bad-status": ("client", b"HTTP/1.1 2000 OK\r\n\r\n"),
    "status-without-space": ("client", b"HTTP/1.1200 OK\r\n\r\n"),
    "data-after-close": ("server", b"GET / HTTP/1.0\r\n\r\nGET"),
}


@pytest.mark.parametrize("name", list(RECEIVED))
def test_received_messages_start_with_h11s_text(name):
    role, wire = RECEIVED[name]

    def run(lib):
        c = lib.Connection(getattr(lib, role.upper()))
        if role == "client":
            c.send(lib.Request(method="GET", target="/", headers=[("Host", "a")]))
            c.send(lib.EndOfMessage())
        c.receive_data(wire)
        while c.next_event() not in (lib.NEED_DATA, lib.PAUSED):
            pass
    theirs, ours = both(run)
    assert (ours[0], ours[2]) == (theirs[0], theirs[2]) == ("RemoteProtocolError", 400)
    # h11 quotes its receive buffer as bytearray(b'...'), h1x as b'...': the text before is the same
    assert ours[1].startswith(theirs[1].split("bytearray(")[0])
    if "bytearray(" in theirs[1]:
        quoted = theirs[1].split("bytearray(")[1].split(")")[0].replace("\\r\\n'", "'")
        assert quoted in ours[1]
