"""Real clients against our example servers (std and tokio): who surfaces the interim
responses, and does everyone get the final response intact?"""

import asyncio
import http.client
import json
import re
import subprocess

import aiohttp
import httpx
import pytest
import urllib3

from conftest import HERE, PANORAMA_BODY, PANORAMA_DONE

UPLOAD_BYTES = 3 * 1024 * 1024 + 17


@pytest.fixture(scope="module")
def upload_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("upload") / "clip.mp4"
    path.write_bytes(b"\x5a" * UPLOAD_BYTES)
    return path


@pytest.fixture(scope="module")
def json_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("json") / "panorama.json"
    path.write_bytes(PANORAMA_BODY)
    return path


def check_progress(values):
    """Our Progress header: n/10, never going backwards."""
    assert values, "no Progress header"
    done = [int(v.split("/")[0]) for v in values]
    assert all(v.endswith("/10") for v in values), values
    assert done == sorted(done), values


# -- curl ---------------------------------------------------------------------------------------

def curl(*args):
    r = subprocess.run(["curl", "-sv", "--max-time", "20", *args], capture_output=True,
                       timeout=30, text=True)
    assert r.returncode == 0, r.stderr
    heads, current = [], None
    for line in r.stderr.splitlines():
        if m := re.match(r"^< HTTP/1\.1 (\d{3}) ?(.*)$", line):
            current = (int(m.group(1)), m.group(2).strip(), [])
            heads.append(current)
        elif current and (m := re.match(r"^< ([^:]+): (.*)$", line)):
            current[2].append((m.group(1), m.group(2).strip()))
    return heads, r.stdout


def test_curl_shows_103_then_102s_then_200(server):
    heads, body = curl("-H", "Content-Type: application/json", "--data-binary", PANORAMA_BODY,
                       server.url + "/api/generate-panorama")
    statuses = [s for s, _, _ in heads]
    assert statuses[0] == 103 and statuses[-1] == 200, statuses
    assert set(statuses[1:-1]) == {102} and len(statuses) >= 4, statuses
    assert [v for n, v in heads[0][2] if n == "Link"] == [
        "</static/panorama-viewer.js>; rel=preload; as=script",
        "</static/panorama.css>; rel=preload; as=style",
    ]
    check_progress([v for _, _, h in heads[1:-1] for n, v in h if n == "Progress"])
    assert json.loads(body) == PANORAMA_DONE


def test_curl_upload_sees_100_continue_then_102s_then_201(server, upload_file):
    heads, body = curl("-X", "PUT", "-H", "Expect: 100-continue", "-H", "Content-Type: video/mp4",
                       "--data-binary", f"@{upload_file}", server.url + "/files/clip.mp4")
    statuses = [s for s, _, _ in heads]
    assert statuses[0] == 100 and statuses[-1] == 201, statuses
    assert set(statuses[1:-1]) == {102} and len(statuses) >= 3, statuses
    assert ("Location", "/files/clip.mp4") in heads[-1][2]
    assert json.loads(body)["bytes"] == UPLOAD_BYTES


# -- Node -----------------------------------------------------------------------------------------

def node(script, *args):
    r = subprocess.run(["node", HERE / "node" / script, *map(str, args)], capture_output=True,
                       timeout=30, text=True)
    assert r.stdout, r.stderr
    return json.loads(r.stdout)


def test_node_http_information_events(server, json_file):
    out = node("client.mjs", server.url + "/api/generate-panorama", "POST", json_file,
               "--content-type", "application/json")
    info = out["information"]
    assert [i["status"] for i in info][:1] == [103]
    assert {i["status"] for i in info[1:]} == {102} and len(info) >= 3, info
    assert [v for n, v in info[0]["headers"] if n == "Link"] == [
        "</static/panorama-viewer.js>; rel=preload; as=script",
        "</static/panorama.css>; rel=preload; as=style",
    ]
    check_progress([v for i in info[1:] for n, v in i["headers"] if n == "Progress"])
    assert out["status"] == 200 and json.loads(out["body"]) == PANORAMA_DONE


def test_node_http_upload_with_100_continue(server, upload_file):
    out = node("client.mjs", server.url + "/files/clip.mp4", "PUT", upload_file,
               "--expect-continue")
    statuses = [i["status"] for i in out["information"]]
    assert statuses[0] == 100 and set(statuses[1:]) == {102}, statuses
    assert out["continueEvents"] == 1
    assert out["status"] == 201 and out["headers"]["location"] == "/files/clip.mp4"
    assert json.loads(out["body"])["bytes"] == UPLOAD_BYTES


def test_node_fetch_hides_interim_responses_but_gets_the_final_one(server, json_file):
    out = node("fetch.mjs", server.url + "/api/generate-panorama", "POST", json_file,
               "--content-type", "application/json")
    assert out == {"status": 200, "body": json.dumps(PANORAMA_DONE)}


# -- Python ---------------------------------------------------------------------------------------

def test_httpx_skips_interim_responses_and_gets_the_final_one(server):
    with httpx.Client(timeout=20) as client:
        r = client.post(server.url + "/api/generate-panorama", content=PANORAMA_BODY,
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 200 and r.json() == PANORAMA_DONE
        assert r.http_version == "HTTP/1.1"
        first = r.extensions["network_stream"].get_extra_info("client_addr")
        # same connection again (keep-alive after a response preceded by 1xx)
        r = client.put(server.url + "/files/clip.mp4", content=b"x" * 1000,
                       headers={"Expect": "100-continue"})
        assert r.status_code == 201 and r.json()["bytes"] == 1000
        assert r.extensions["network_stream"].get_extra_info("client_addr") == first


def test_aiohttp_skips_interim_responses_and_gets_the_final_one(server):
    async def run():
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as s:
            async with s.post(server.url + "/api/generate-panorama", data=PANORAMA_BODY,
                              headers={"Content-Type": "application/json"}) as r:
                assert r.status == 200
                assert json.loads(await r.text()) == PANORAMA_DONE
            async with s.put(server.url + "/files/clip.mp4", data=b"y" * 5000,
                             expect100=True) as r:
                assert r.status == 201
                assert (await r.json())["bytes"] == 5000

    asyncio.run(run())


def test_http_client_takes_the_first_interim_response_for_the_final_one(server):
    """Python's http.client skips only 100: a 103 (or 102) comes back as the response, with
    an empty body, and the real response is lost."""
    c = http.client.HTTPConnection(server.host, server.port, timeout=20)
    c.request("POST", "/api/generate-panorama", body=PANORAMA_BODY,
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    assert (r.status, r.reason, r.read()) == (103, "Early Hints", b"")
    c.close()

    c = http.client.HTTPConnection(server.host, server.port, timeout=20)
    c.request("PUT", "/files/clip.mp4", body=b"z" * 100, headers={"Expect": "100-continue"})
    r = c.getresponse()  # the 100 is skipped, the first 102 is taken as final
    assert (r.status, r.reason, r.read()) == (102, "Processing", b"")
    c.close()


def test_urllib3_takes_the_first_interim_response_for_the_final_one(server):
    pool = urllib3.PoolManager()
    r = pool.request("POST", server.url + "/api/generate-panorama", body=PANORAMA_BODY,
                     headers={"Content-Type": "application/json"}, timeout=20, retries=False)
    assert (r.status, r.data) == (103, b"")
    pool.clear()


def test_http10_client_gets_no_interim_response(server):
    """RFC 9110 15.2: no 1xx to an HTTP/1.0 client, only the final response."""
    import socket
    with socket.create_connection((server.host, server.port), timeout=20) as s:
        s.sendall(b"POST /api/generate-panorama HTTP/1.0\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(PANORAMA_BODY) + PANORAMA_BODY)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK\r\n"), data
    assert data.count(b"HTTP/1.1") == 1
    assert json.loads(data.split(b"\r\n\r\n", 1)[1]) == PANORAMA_DONE
