"""Interim (1xx) responses both ways: an h1x server sends them, an h1x client reads them."""

import pytest

import h1x


def pair():
    return h1x.Connection(h1x.CLIENT), h1x.Connection(h1x.SERVER)


def transfer(src, dst, event):
    data = src.send(event)
    if data:
        dst.receive_data(data)
    return data


def events(conn):
    out = []
    while True:
        ev = conn.next_event()
        if ev is h1x.NEED_DATA or ev is h1x.PAUSED:
            return out
        out.append(ev)


def test_many_interim_responses_in_order_both_ways():
    client, server = pair()
    transfer(client, server, h1x.Request(method="POST", target="/render", headers=[("Host", "a"), ("Content-Length", "2")]))
    transfer(client, server, h1x.Data(b"{}"))
    transfer(client, server, h1x.EndOfMessage())
    got = events(server)
    assert [type(e) for e in got] == [h1x.Request, h1x.Data, h1x.EndOfMessage]
    sent = [
        h1x.InformationalResponse(status_code=102, headers=[("Progress", "1/3")], reason=b"Processing"),
        h1x.InformationalResponse(status_code=102, headers=[("Progress", "2/3")], reason=b"Processing"),
        h1x.InformationalResponse(
            status_code=103,
            headers=[("Link", "</a.css>; rel=preload"), ("Link", "</b.js>; rel=preload")],
            reason=b"Early Hints",
        ),
        h1x.InformationalResponse(status_code=150, headers=[("X-Unknown", "yes")], reason=b""),
    ]
    wire = b"".join(transfer(server, client, ev) for ev in sent)
    assert wire.startswith(b"HTTP/1.1 102 Processing\r\nProgress: 1/3\r\n\r\n")
    assert server.our_state is h1x.SEND_RESPONSE
    transfer(server, client, h1x.Response(status_code=200, headers=[("Content-Length", "2")], reason="OK"))
    transfer(server, client, h1x.Data(b"ok"))
    transfer(server, client, h1x.EndOfMessage())
    got = events(client)
    assert got[:4] == sent
    assert got[2].headers == [(b"link", b"</a.css>; rel=preload"), (b"link", b"</b.js>; rel=preload")]
    assert got[2].headers.raw_items()[0] == (b"Link", b"</a.css>; rel=preload")
    assert got[4] == h1x.Response(status_code=200, headers=[(b"content-length", b"2")], reason=b"OK")
    assert got[5:] == [h1x.Data(b"ok"), h1x.EndOfMessage()]
    assert client.states == {h1x.CLIENT: h1x.DONE, h1x.SERVER: h1x.DONE}
    client.start_next_cycle()
    server.start_next_cycle()
    assert server.states == {h1x.CLIENT: h1x.IDLE, h1x.SERVER: h1x.IDLE}


def test_interim_with_content_length_has_no_body():
    client, _ = pair()
    client.send(h1x.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(h1x.EndOfMessage())
    client.receive_data(b"HTTP/1.1 104 Whatever\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
    got = events(client)
    assert [type(e) for e in got] == [h1x.InformationalResponse, h1x.Response, h1x.EndOfMessage]
    assert (got[0].status_code, got[1].status_code) == (104, 204)


def test_100_continue_wait_not_ended_by_102_or_103():
    client, server = pair()
    req = h1x.Request(
        method="PUT", target="/upload", headers=[("Host", "a"), ("Content-Length", "3"), ("Expect", "100-continue")]
    )
    transfer(client, server, req)
    assert events(server)[0] == req
    assert client.client_is_waiting_for_100_continue
    assert server.they_are_waiting_for_100_continue
    for code in (102, 103):
        transfer(server, client, h1x.InformationalResponse(status_code=code, headers=[]))
        assert events(client)[0].status_code == code
        assert client.client_is_waiting_for_100_continue  # RFC 9110 10.1.1
        assert server.they_are_waiting_for_100_continue
    transfer(server, client, h1x.InformationalResponse(status_code=100, headers=[]))
    assert events(client)[0].status_code == 100
    assert not client.client_is_waiting_for_100_continue
    assert not server.they_are_waiting_for_100_continue


def test_no_interim_to_http10_client():
    server = h1x.Connection(h1x.SERVER)
    server.receive_data(b"GET / HTTP/1.0\r\n\r\n")
    assert type(server.next_event()) is h1x.Request
    assert server.their_http_version == b"1.0"
    with pytest.raises(h1x.LocalProtocolError) as err:
        server.send(h1x.InformationalResponse(status_code=102, headers=[]))
    assert err.value.kind == "InterimToHttp10"
    assert server.our_state is h1x.ERROR


def test_no_interim_after_final_response():
    client, server = pair()
    transfer(client, server, h1x.Request(method="GET", target="/", headers=[("Host", "a")]))
    transfer(client, server, h1x.EndOfMessage())
    events(server)
    server.send(h1x.Response(status_code=200, headers=[("Content-Length", "0")]))
    with pytest.raises(h1x.LocalProtocolError):
        server.send(h1x.InformationalResponse(status_code=103, headers=[]))


def test_unsolicited_101_is_a_remote_error():
    client, _ = pair()
    client.send(h1x.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(h1x.EndOfMessage())
    client.receive_data(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n")
    with pytest.raises(h1x.RemoteProtocolError) as err:
        client.next_event()
    assert err.value.kind == "UnexpectedSwitch"
    assert client.their_state is h1x.ERROR


def test_upgrade_101_then_trailing_data():
    client, server = pair()
    transfer(client, server, h1x.Request(method="GET", target="/ws", headers=[("Host", "a"), ("Upgrade", "x"), ("Connection", "upgrade")]))
    transfer(client, server, h1x.EndOfMessage())
    events(server)
    transfer(server, client, h1x.InformationalResponse(status_code=101, headers=[("Upgrade", "x"), ("Connection", "upgrade")]))
    client.receive_data(b"new protocol bytes")
    got = events(client)
    assert got[0].status_code == 101
    assert client.states == {h1x.CLIENT: h1x.SWITCHED_PROTOCOL, h1x.SERVER: h1x.SWITCHED_PROTOCOL}
    assert client.next_event() is h1x.PAUSED
    assert client.trailing_data == (b"new protocol bytes", False)


def test_interim_responses_sent_in_pieces_are_read_one_byte_at_a_time():
    client, server = pair()
    transfer(client, server, h1x.Request(method="GET", target="/", headers=[("Host", "a")]))
    transfer(client, server, h1x.EndOfMessage())
    events(server)
    wire = b""
    for i in range(20):
        wire += server.send(h1x.InformationalResponse(status_code=102, headers=[("Progress", str(i))]))
    wire += server.send(h1x.Response(status_code=200, headers=[("Content-Length", "0")]))
    wire += server.send(h1x.EndOfMessage())
    got = []
    for i in range(len(wire)):
        client.receive_data(wire[i : i + 1])
        got += events(client)
    assert [e.headers[0][1] for e in got[:20]] == [str(i).encode() for i in range(20)]
    assert type(got[20]) is h1x.Response and type(got[21]) is h1x.EndOfMessage
