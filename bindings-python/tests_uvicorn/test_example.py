"""The example app (examples/panorama_app.py) on uvicorn + h1x, against curl, httpx and Node's
http client: every interim response seen, in order, then the final one."""

import json
import os
import re
import shutil
import subprocess

import httpcore
import httpx
import pytest

from conftest import ROOT, heads, serve

import h1x

NODE_CLIENT = ROOT.parent / "interop" / "node" / "client.mjs"
LINKS = [
    "</static/panorama-viewer.js>; rel=preload; as=script",
    "</static/panorama.css>; rel=preload; as=style",
]
DONE = {"status": "success", "url": "/images/panorama-123.jpg"}
STEPS = 3
UPLOAD = 512 * 1024 + 7


@pytest.fixture(scope="module")
def server():
    os.environ.update(
        H1X_DEMO_STEPS=str(STEPS), H1X_DEMO_STEP_SECONDS="0.12", H1X_DEMO_HEARTBEAT_SECONDS="0.05"
    )
    import importlib

    import examples.panorama_app as panorama

    importlib.reload(panorama)  # the pace from the environment above
    with serve(panorama.app) as running:
        yield running


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = tmp_path_factory.mktemp("upload") / "large-video.mp4"
    path.write_bytes(b"\x5a" * UPLOAD)
    return path


def check_panorama(statuses, fields):
    """103 with the two links, then 102s with Progress n/STEPS never going back, then 200."""
    assert statuses[0] == 103 and statuses[-1] == 200, statuses
    assert set(statuses[1:-1]) == {102} and len(statuses) >= 4, statuses
    assert [v for n, v in fields[0] if n.lower() == "link"] == LINKS
    progress = [v for f in fields[1:-1] for n, v in f if n.lower() == "progress"]
    assert len(progress) == len(statuses) - 2
    done = [int(p.split("/")[0]) for p in progress]
    assert done == sorted(done) and all(p.endswith(f"/{STEPS}") for p in progress), progress


def check_upload(statuses, fields):
    assert statuses[0] == 100 and statuses[-1] == 201, statuses
    assert set(statuses[1:-1]) == {102} and len(statuses) >= 3, statuses
    assert ("location", "/files/large-video.mp4") in [(n.lower(), v) for n, v in fields[-1]]


# -- curl ----------------------------------------------------------------------------------------

def curl(*args):
    r = subprocess.run(["curl", "-sv", "--max-time", "20", *args], capture_output=True,
                       timeout=30, text=True)
    assert r.returncode == 0, r.stderr
    found = []
    for line in r.stderr.splitlines():
        if m := re.match(r"^< HTTP/1\.1 (\d{3})", line):
            found.append((int(m.group(1)), []))
        elif found and (m := re.match(r"^< ([^:]+): (.*)$", line)):
            found[-1][1].append((m.group(1), m.group(2).strip()))
    return [s for s, _ in found], [f for _, f in found], r.stdout


@pytest.mark.skipif(not shutil.which("curl"), reason="curl is installed by make test-uvicorn")
def test_curl_panorama(server):
    statuses, fields, body = curl("-X", "POST", "-H", "Content-Type: application/json",
                                  "--data-binary", '{"images": []}',
                                  server.url + "/api/generate-panorama")
    check_panorama(statuses, fields)
    assert json.loads(body) == DONE


@pytest.mark.skipif(not shutil.which("curl"), reason="curl is installed by make test-uvicorn")
def test_curl_upload(server, video):
    statuses, fields, body = curl("-X", "PUT", "-H", "Expect: 100-continue",
                                  "--data-binary", f"@{video}",
                                  server.url + "/files/large-video.mp4")
    check_upload(statuses, fields)
    assert json.loads(body) == {"stored": "/files/large-video.mp4", "bytes": UPLOAD}


# -- Node's http ---------------------------------------------------------------------------------

def node(*args):
    r = subprocess.run(["node", str(NODE_CLIENT), *map(str, args)], capture_output=True,
                       timeout=30, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


@pytest.mark.skipif(not shutil.which("node"), reason="node is installed by make test-uvicorn")
def test_node_panorama(server, tmp_path):
    body = tmp_path / "req.json"
    body.write_text('{"images": []}')
    out = node(server.url + "/api/generate-panorama", "POST", body,
               "--content-type", "application/json")
    info = out["information"]
    check_panorama([i["status"] for i in info] + [out["status"]],
                   [i["headers"] for i in info] + [list(out["headers"].items())])
    assert json.loads(out["body"]) == DONE


@pytest.mark.skipif(not shutil.which("node"), reason="node is installed by make test-uvicorn")
def test_node_upload(server, video):
    out = node(server.url + "/files/large-video.mp4", "PUT", video, "--expect-continue")
    info = out["information"]
    check_upload([i["status"] for i in info] + [out["status"]],
                 [i["headers"] for i in info] + [list(out["headers"].items())])
    assert out["continueEvents"] == 1
    assert json.loads(out["body"])["bytes"] == UPLOAD


# -- httpx ---------------------------------------------------------------------------------------

class Recording(httpcore.NetworkBackend):
    """httpcore's sync backend, keeping a copy of every byte httpx reads."""

    def __init__(self):
        self.inner = httpcore.SyncBackend()
        self.received = bytearray()

    def connect_tcp(self, *args, **kwargs):
        stream = self.inner.connect_tcp(*args, **kwargs)
        received = self.received

        class Stream(httpcore.NetworkStream):
            def read(self, max_bytes, timeout=None):
                data = stream.read(max_bytes, timeout)
                received.extend(data)
                return data

            def write(self, buffer, timeout=None):
                stream.write(buffer, timeout)

            def close(self):
                stream.close()

            def start_tls(self, *a, **kw):  # pragma: no cover - plain HTTP here
                return stream.start_tls(*a, **kw)

            def get_extra_info(self, info):
                return stream.get_extra_info(info)

        return Stream()


def response_heads(wire: bytes, methods):
    """Every response head in what httpx read, interim ones included (h1x's client side)."""
    conn = h1x.Connection(h1x.CLIENT)
    conn.receive_data(bytes(wire))
    events = []
    for method in methods:
        conn.send(h1x.Request(method=method, target=b"/", headers=[(b"host", b"t")]))
        conn.send(h1x.EndOfMessage())
        while True:
            ev = conn.next_event()
            assert ev is not h1x.NEED_DATA
            events.append(ev)
            if type(ev) is h1x.EndOfMessage:
                break
        conn.start_next_cycle()
    return heads(events)


def test_httpx_gets_both_stories_on_one_connection(server):
    backend = Recording()
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(network_backend=backend)
    with httpx.Client(transport=transport, timeout=20) as client:
        r = client.post(server.url + "/api/generate-panorama", content=b'{"images": []}',
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 200 and r.json() == DONE
        first = r.extensions["network_stream"].get_extra_info("client_addr")
        r = client.put(server.url + "/files/large-video.mp4", content=b"x" * 1000,
                       headers={"Expect": "100-continue"})
        assert r.status_code == 201 and r.json()["bytes"] == 1000
        # keep-alive after responses preceded by 1xx
        assert r.extensions["network_stream"].get_extra_info("client_addr") == first
    hs = response_heads(backend.received, [b"POST", b"PUT"])
    statuses = [s for s, _ in hs]
    split = statuses.index(200) + 1
    check_panorama(statuses[:split], [f for _, f in hs[:split]])
    # httpx sends the body without waiting for 100 Continue; the app's first read still
    # answers it (the client said it would wait)
    check_upload(statuses[split:], [f for _, f in hs[split:]])
