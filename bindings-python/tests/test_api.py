"""h11's public API, side by side with h11 itself: names, events, reprs, errors, options."""

import h11
import pytest

import h1x

H11_NAMES = [n for n in h11.__all__]


def test_every_h11_public_name_exists():
    missing = [n for n in H11_NAMES if not hasattr(h1x, n)]
    assert missing == []
    from h1x._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE

    assert DEFAULT_MAX_INCOMPLETE_EVENT_SIZE == h11._connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE


def test_sentinels_behave_like_h11():
    for name in ("CLIENT", "SERVER", "IDLE", "SEND_RESPONSE", "SEND_BODY", "DONE", "MUST_CLOSE",
                 "CLOSED", "MIGHT_SWITCH_PROTOCOL", "SWITCHED_PROTOCOL", "ERROR", "NEED_DATA", "PAUSED"):
        s = getattr(h1x, name)
        assert repr(s) == repr(getattr(h11, name)) == name
        assert type(s) is s


EVENT_ARGS = [
    ("Request", dict(method="GET", target="/a?b", headers=[("Host", "example.com"), ("X-Y", "z")])),
    ("Request", dict(method=b"POST", target=b"/", headers=[(b"Host", b"a")], http_version="1.0")),
    ("InformationalResponse", dict(status_code=102, headers=[("Progress", "1")], reason="Processing")),
    ("InformationalResponse", dict(status_code=103, headers=[("Link", "</a>; rel=preload")])),
    ("Response", dict(status_code=200, headers=[("Content-Length", "0")], reason=b"OK")),
    ("Response", dict(status_code=404, headers=[])),
    ("EndOfMessage", dict()),
    ("EndOfMessage", dict(headers=[("Expires", "0")])),
    ("ConnectionClosed", dict()),
]


@pytest.mark.parametrize("name,kwargs", EVENT_ARGS)
def test_events_match_h11(name, kwargs):
    ours = getattr(h1x, name)(**kwargs)
    theirs = getattr(h11, name)(**kwargs)
    assert repr(ours) == repr(theirs)
    assert ours == getattr(h1x, name)(**kwargs)
    assert not (ours != getattr(h1x, name)(**kwargs))
    assert isinstance(ours, h1x.Event)
    for field in ("method", "target", "http_version", "status_code", "reason"):
        if hasattr(theirs, field):
            assert getattr(ours, field) == getattr(theirs, field)
    if hasattr(theirs, "headers"):
        assert list(ours.headers) == list(theirs.headers)
        assert ours.headers.raw_items() == theirs.headers.raw_items()
        assert ours.headers == list(theirs.headers)
        assert len(ours.headers) == len(theirs.headers)
    with pytest.raises(AttributeError):
        ours.headers = []
    with pytest.raises(TypeError):
        hash(ours)


def test_data_event():
    d = h1x.Data(data=b"abc")
    assert repr(d) == repr(h11.Data(data=b"abc")) == "Data(data=b'abc', chunk_start=False, chunk_end=False)"
    assert d == h1x.Data(b"abc") and d != h1x.Data(b"abd")
    assert h1x.Data(bytearray(b"x"), True, True).chunk_end is True
    assert d != h1x.EndOfMessage()


def test_constructor_errors_like_h11():
    with pytest.raises(h1x.LocalProtocolError):
        h1x.InformationalResponse(status_code=200, headers=[])
    with pytest.raises(h1x.LocalProtocolError):
        h1x.Response(status_code=199, headers=[])
    with pytest.raises(h1x.LocalProtocolError):
        h1x.Response(status_code="200", headers=[])
    with pytest.raises(h1x.LocalProtocolError):
        h1x.Request(method="GET", target="/", headers=[("Host", "a\r\nX: y")])
    with pytest.raises(h1x.LocalProtocolError):
        h1x.Request(method="G T", target="/", headers=[("Host", "a")])
    with pytest.raises(TypeError):
        h1x.Request(method=1, target="/", headers=[("Host", "a")])
    with pytest.raises(UnicodeEncodeError):
        h1x.Request(method="GET", target="/é", headers=[("Host", "a")])
    with pytest.raises(TypeError):
        h1x.ProtocolError("x")


def _runtime(name):
    """A keyword name built at run time: not interned, so the constructors' identity fast path
    does not apply and pyo3's general one does."""
    return "".join(list(name))


def test_constructor_paths_agree():
    # the same event whether the keywords are interned (fast path) or not (general path)
    kw = {"status_code": 102, "headers": [(b"Progress", b"1")], "reason": b"Processing"}
    slow = {_runtime(k): v for k, v in kw.items()}
    assert all(a is not b for a, b in zip(kw, slow))
    assert h1x.InformationalResponse(**kw) == h1x.InformationalResponse(**slow)
    kw = {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a")], "http_version": b"1.0"}
    slow = {_runtime(k): v for k, v in kw.items()}
    assert h1x.Request(**kw) == h1x.Request(**slow)
    assert h1x.EndOfMessage(**{_runtime("headers"): [("X", "1")]}) == h1x.EndOfMessage(headers=[("X", "1")])
    # None counts as absent on both paths, as in pyo3's optional arguments
    assert h1x.Response(status_code=200, headers=[], reason=None) == h1x.Response(status_code=200, headers=[])
    assert h1x.EndOfMessage(headers=None) == h1x.EndOfMessage()
    # errors come from the general path, with its messages
    with pytest.raises(TypeError, match="missing 1 required keyword argument: 'headers'"):
        h1x.Request(method="GET", target="/")
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        h1x.Response(status_code=200, headers=[], bogus=1)
    with pytest.raises(TypeError):
        h1x.Response(200, [])
    with pytest.raises(TypeError):
        h1x.EndOfMessage([])
    with pytest.raises(TypeError):
        h1x.ConnectionClosed(1)
    # the private `_parsed` keyword h11 accepts
    assert h1x.Response(status_code=200, headers=[], _parsed=True).status_code == 200
    # Data: positional, keyword and flags
    assert h1x.Data(b"x") == h1x.Data(data=b"x") == h1x.Data(b"x", False, False)
    assert h1x.Data(b"x", chunk_start=True).chunk_start is True


def test_event_classes_are_final_and_shared_by_sent_and_received():
    c = h1x.Connection(h1x.SERVER)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    req, end = c.next_event(), c.next_event()
    assert type(req) is h1x.Request and type(end) is h1x.EndOfMessage
    assert type(h1x.Request(method="GET", target="/", headers=[("Host", "a")])) is h1x.Request
    assert h1x.Request.__module__ == "h1x" and h1x.Request.__name__ == "Request"
    assert h1x.Request.__doc__ and h1x.Response.__doc__
    # as h11's Connection.send dispatches on type(event), subclasses are refused at definition
    for cls in (h1x.Request, h1x.InformationalResponse, h1x.Response, h1x.Data, h1x.EndOfMessage,
                h1x.ConnectionClosed):
        with pytest.raises(TypeError):
            type("Sub", (cls,), {})
    # an EndOfMessage without trailers is one shared immutable value
    assert h1x.EndOfMessage() is end
    assert c.send(h1x.Response(status_code=200, headers=[("Content-Length", "0")])).startswith(b"HTTP/1.1 200")
    assert c.send(h1x.EndOfMessage()) == b""


MESSAGES = [
    (h1x.SERVER, b"GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n"),
    (h1x.SERVER, b"POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"),
    (h1x.SERVER, b"POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"),
    (h1x.SERVER, b"GET / HTTP/1.0\r\n\r\n"),
    (h1x.CLIENT, b"HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
    (h1x.CLIENT, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
    (h1x.CLIENT, b"HTTP/1.0 200 OK\r\n\r\nuntil close"),
]


def drain(conn):
    out = []
    while True:
        ev = conn.next_event()
        if ev is type(ev) and repr(ev) in ("NEED_DATA", "PAUSED"):
            return out
        out.append(ev)
        if type(ev).__name__ == "ConnectionClosed":
            return out


@pytest.mark.parametrize("role,wire", MESSAGES)
def test_same_events_as_h11(role, wire):
    convs = []
    for mod in (h1x, h11):
        conn = mod.Connection(getattr(mod, repr(role)))
        if role is h1x.CLIENT:
            conn.send(mod.Request(method="GET", target="/", headers=[("Host", "a")]))
            conn.send(mod.EndOfMessage())
        conn.receive_data(wire)
        conn.receive_data(b"")
        evs = drain(conn)
        merged = []
        for e in evs:  # h11 and h1x may cut body data differently
            if type(e).__name__ == "Data" and merged and merged[-1][0] == "Data":
                merged[-1] = ("Data", merged[-1][1] + bytes(e.data))
            elif type(e).__name__ == "Data":
                merged.append(("Data", bytes(e.data)))
            else:
                merged.append((type(e).__name__, repr(e)))
        convs.append((merged, repr(conn.our_state), repr(conn.their_state), conn.their_http_version))
    assert convs[0] == convs[1]


def test_connection_properties_and_errors():
    c = h1x.Connection(our_role=h1x.SERVER, max_incomplete_event_size=100)
    assert c.our_role is h1x.SERVER and c.their_role is h1x.CLIENT
    assert c.their_http_version is None
    assert c.trailing_data == (b"", False)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"y" * 200)
    with pytest.raises(h1x.RemoteProtocolError) as err:
        c.next_event()
    assert err.value.error_status_hint == 431 and err.value.kind == "HeadTooLarge"
    assert c.their_state is h1x.ERROR
    with pytest.raises(h1x.RemoteProtocolError):
        c.next_event()
    with pytest.raises(ValueError):
        h1x.Connection("server")
    with pytest.raises(ValueError):
        h1x.Connection(h1x.SERVER, leniency=["NOPE"])


def test_receive_data_forms_and_eof():
    c = h1x.Connection(h1x.SERVER)
    c.receive_data(bytearray(b"GET / HTTP/1.1\r\n"))
    c.receive_data(memoryview(b"Host: a\r\n\r\n"))
    assert type(c.next_event()) is h1x.Request
    assert type(c.next_event()) is h1x.EndOfMessage
    c.receive_data(b"")
    with pytest.raises(RuntimeError):
        c.receive_data(b"more")


def test_send_and_receive_data_arguments():
    # positional or by keyword, as h11's methods take them; anything else is a TypeError
    c = h1x.Connection(h1x.SERVER)
    c.receive_data(data=b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    assert type(c.next_event()) is h1x.Request
    assert c.next_event() == h1x.EndOfMessage()
    assert c.send(event=h1x.InformationalResponse(status_code=102, headers=[])) == b"HTTP/1.1 102 \r\n\r\n"
    for call in (lambda: c.send(), lambda: c.send(h1x.Data(b"x"), h1x.Data(b"y")),
                 lambda: c.send(evt=h1x.Data(b"x")), lambda: c.receive_data(),
                 lambda: c.receive_data(b"x", data=b"y"), lambda: h1x.Connection.send(object(), None)):
        with pytest.raises(TypeError):
            call()
    assert c.our_state is h1x.SEND_RESPONSE  # refused calls changed nothing
    import inspect

    assert list(inspect.signature(h1x.Connection.send).parameters)[-1] == "event"
    assert "bytes to write" in h1x.Connection.send.__doc__


def test_leniency_and_limit_options():
    strict = h1x.Connection(h1x.SERVER)
    strict.receive_data(b"GET / HTTP/1.1\nHost: a\n\n")
    with pytest.raises(h1x.RemoteProtocolError) as err:
        strict.next_event()
    assert (err.value.kind, err.value.offset) == ("BareLf", 14)
    lenient = h1x.Connection(h1x.SERVER, leniency=["BARE_LF", "MISSING_HOST"])
    lenient.receive_data(b"GET / HTTP/1.1\nX: a\n\n")
    assert type(lenient.next_event()) is h1x.Request
    few = h1x.Connection(h1x.SERVER, max_headers=2)
    few.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n")
    with pytest.raises(h1x.RemoteProtocolError) as err:
        few.next_event()
    assert err.value.kind == "TooManyHeaders" and err.value.error_status_hint == 431
    many = h1x.Connection(h1x.SERVER, max_headers=500)
    many.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(300)) + b"\r\n")
    assert len(many.next_event().headers) == 301
    short = h1x.Connection(h1x.SERVER, max_line_bytes=20)
    short.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + b"z" * 40 + b"\r\n\r\n")
    with pytest.raises(h1x.RemoteProtocolError) as err:
        short.next_event()
    assert err.value.kind == "LineTooLong"


def test_send_errors_are_local_and_set_error_state():
    c = h1x.Connection(h1x.CLIENT)
    with pytest.raises(h1x.LocalProtocolError):
        c.send(h1x.Response(status_code=200, headers=[]))
    assert c.our_state is h1x.ERROR
    c = h1x.Connection(h1x.CLIENT)
    c.send(h1x.Request(method="POST", target="/", headers=[("Host", "a"), ("Content-Length", "1")]))
    with pytest.raises(h1x.LocalProtocolError) as err:
        c.send(h1x.Data(b"too long"))
    assert err.value.kind == "BodyLengthMismatch"
    c = h1x.Connection(h1x.CLIENT)
    with pytest.raises(h1x.LocalProtocolError):
        c.start_next_cycle()
    c.send_failed()
    assert c.our_state is h1x.ERROR


def test_send_with_data_passthrough_and_framing():
    c = h1x.Connection(h1x.SERVER)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    c.next_event(), c.next_event()
    head = b"".join(c.send_with_data_passthrough(h1x.Response(status_code=200, headers=[])))
    assert head == b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n"
    assert b"".join(c.send_with_data_passthrough(h1x.Data(b"abc"))) == b"3\r\nabc\r\n"
    assert c.send(h1x.EndOfMessage()) == b"0\r\n\r\n"
    assert c.send(h1x.ConnectionClosed()) is None
    assert c.our_state is h1x.CLOSED


def test_headers_objects_made_on_first_access_are_stable():
    c = h1x.Connection(h1x.SERVER)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + b"v" * 100 + b"\r\n\r\n")
    req = c.next_event()
    c.next_event()
    # the received bytes are gone from the connection's buffer; the event kept its own copy
    c.receive_data(b"GET /next HTTP/1.1\r\nHost: b\r\n\r\n")
    assert req.headers is req.headers
    assert list(req.headers) == [(b"host", b"a"), (b"x-long", b"v" * 100)]
    r = h1x.Response(status_code=200, headers=[(b"Content-Length", b"0")])
    assert r.headers is r.headers and r.headers.raw_items() == [(b"Content-Length", b"0")]
    # a Headers object given to a constructor is used as it is
    echo = h1x.Request(method="GET", target="/", headers=req.headers)
    assert echo.headers is req.headers
    assert h1x.InformationalResponse(status_code=102, headers=[]).headers == []
    assert h1x.EndOfMessage(headers=[("X", "1")]).headers == [(b"x", b"1")]


def test_event_instances_release_their_class():
    # every instance holds a reference to its (heap) class and must give it back when freed
    import gc
    import sys

    c = h1x.Connection(h1x.SERVER)

    def received():
        c.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx")
        events = [c.next_event() for _ in range(3)]
        c.send(h1x.Response(status_code=200, headers=[("Content-Length", "0")]))
        c.send(h1x.EndOfMessage())
        c.start_next_cycle()
        return events

    makers = [
        (h1x.Request, received),  # received Request, Data and EndOfMessage
        (h1x.Data, received),
        (h1x.Request, lambda: h1x.Request(method="GET", target="/", headers=[("Host", "a")])),
        (h1x.InformationalResponse, lambda: h1x.InformationalResponse(status_code=102, headers=[])),
        (h1x.Response, lambda: h1x.Response(status_code=200, headers=[], reason=b"OK")),
        (h1x.Response, lambda: h1x.Response(**{_runtime("status_code"): 200, "headers": []})),
        (h1x.Data, lambda: h1x.Data(b"x")),
        (h1x.Data, lambda: h1x.Data(data=b"x", chunk_end=True)),
        (h1x.EndOfMessage, lambda: h1x.EndOfMessage(headers=[("X", "1")])),
        (h1x.ConnectionClosed, h1x.ConnectionClosed),
    ]
    for cls, make in makers:
        make()
        gc.collect()
        before = sys.getrefcount(cls)
        for _ in range(500):
            make()
        gc.collect()
        assert sys.getrefcount(cls) == before, cls


def test_tables_come_from_the_core():
    # one source of truth: the package's names are the core's (h1x::State::ALL, Leniency::ALL,
    # ErrorKind::ALL), read from the native module
    from h1x import _h1x

    assert h1x.LENIENCIES == ("BARE_LF", "OBS_FOLD", "MISSING_HOST", "DUPLICATE_CONTENT_LENGTH")
    assert [s.__name__ for s in h1x._STATES] == list(_h1x.STATE_NAMES)
    kinds = {name: (text, status) for name, text, status in h1x.ERROR_KINDS}
    assert kinds["BareLf"][1] == 400 and kinds["TooManyHeaders"][1] == 431
    assert kinds["TargetFormMismatch"][1] == 400
    conn = h1x.Connection(h1x.SERVER)
    conn.receive_data(b"GET / HTTP/1.1\nHost: a\r\n\r\n")
    with pytest.raises(h1x.RemoteProtocolError) as info:
        conn.next_event()
    assert info.value.kind in kinds
    assert info.value.error_status_hint == kinds[info.value.kind][1]
