"""h1x-tokio's axum_demo (h1x-tokio/examples/axum_demo): the demo's routes as an axum Router.
The shared suites (test_clients.py, test_bad_input.py, test_our_client.py) already run against it
as the `axum` server; here: every interim response on the wire in order, and the same Router on
hyper (`--hyper`, axum::serve), which cannot send 103 or 102."""

import json
import re
import socket
import subprocess

import pytest

from conftest import JOB, PANORAMA_BODY, PANORAMA_DONE, Server, binary


@pytest.fixture(scope="module")
def hyper_server():
    srv = Server([binary("axum_demo"), "--serve", "127.0.0.1:0", "--hyper", *JOB], "hyper")
    yield srv
    assert srv.alive(), srv.stderr()[-3000:]
    srv.stop()
    assert "panicked" not in srv.stderr(), srv.stderr()[-3000:]


@pytest.fixture(scope="module")
def axum_server():
    srv = Server([binary("axum_demo"), "--serve", "127.0.0.1:0", *JOB], "axum")
    yield srv
    assert srv.alive(), srv.stderr()[-3000:]
    srv.stop()
    assert "panicked" not in srv.stderr(), srv.stderr()[-3000:]


def raw_heads(host, port, request):
    """Send `request`, read until the server closes; every head as (status, [(name, value)]),
    and the final body."""
    with socket.create_connection((host, port), timeout=20) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    heads, rest = [], data
    while rest.startswith(b"HTTP/1.1 "):
        head, rest = rest.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        heads.append((int(lines[0][9:12]), [tuple(line.split(": ", 1)) for line in lines[1:]]))
    return heads, rest


def test_every_interim_response_in_order(axum_server):
    heads, body = raw_heads(
        axum_server.host, axum_server.port,
        b"POST /api/generate-panorama HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(PANORAMA_BODY) + PANORAMA_BODY)
    statuses = [s for s, _ in heads]
    assert statuses[0] == 103 and statuses[-1] == 200, statuses
    assert set(statuses[1:-1]) == {102} and len(statuses) >= 5, statuses
    assert heads[0][1] == [("Link", "</static/panorama-viewer.js>; rel=preload; as=script"),
                           ("Link", "</static/panorama.css>; rel=preload; as=style")]
    done = []
    for _, fields in heads[1:-1]:
        assert [n for n, _ in fields] == ["Progress"], fields
        m = re.fullmatch(r"(\d+)/10", fields[0][1])
        assert m, fields
        done.append(int(m.group(1)))
    assert done == sorted(done) and done[-1] >= 5, done
    final = dict(heads[-1][1])
    assert final["Content-Type"] == "application/json" and "Date" in final, final
    assert json.loads(body) == PANORAMA_DONE


def curl_statuses(*args):
    r = subprocess.run(["curl", "-sv", "--max-time", "20", *args], capture_output=True,
                       timeout=30, text=True)
    assert r.returncode == 0, r.stderr
    return [int(s) for s in re.findall(r"^< HTTP/1\.1 (\d{3})", r.stderr, re.M)], r.stdout


def test_the_same_router_on_hyper_sends_no_103_or_102(hyper_server, axum_server):
    url = "/api/generate-panorama"
    args = ["-H", "Content-Type: application/json", "--data-binary", PANORAMA_BODY]
    on_hyper, body = curl_statuses(*args, hyper_server.url + url)
    assert on_hyper == [200] and json.loads(body) == PANORAMA_DONE
    on_h1x, body = curl_statuses(*args, axum_server.url + url)
    assert on_h1x[0] == 103 and on_h1x[-1] == 200 and 102 in on_h1x, on_h1x
    assert json.loads(body) == PANORAMA_DONE
    # hyper answers Expect: 100-continue itself; the 102s during the job only h1x sends
    upload = ["-X", "PUT", "-H", "Expect: 100-continue", "--data-binary", "x" * 5000]
    on_hyper, _ = curl_statuses(*upload, hyper_server.url + "/files/a.bin")
    assert on_hyper == [100, 201], on_hyper
    on_h1x, _ = curl_statuses(*upload, axum_server.url + "/files/a.bin")
    assert on_h1x[0] == 100 and on_h1x[-1] == 201 and 102 in on_h1x, on_h1x
