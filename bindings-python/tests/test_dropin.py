"""httpx (httpcore's HTTP/1.1 is built on h11) and uvicorn's h11 protocol, with h1x put in h11's
place, doing real requests over loopback. Each scenario runs in a fresh interpreter so that the
substitution cannot leak into other tests."""

import json
import pathlib
import subprocess
import sys

SCRIPT = pathlib.Path(__file__).with_name("dropin_scenarios.py")


def run(name):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), name], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_httpx_through_102_102_103_to_the_final_response():
    out = run("httpx_interim")
    assert out["results"][:3] == [
        [200, f"echo:GET /render/{i} ", "h1x", "HTTP/1.1"] for i in range(3)
    ]
    assert out["results"][3] == [200, len("echo:POST /upload ") + 100_000, "h1x", "HTTP/1.1"]
    assert out["results"][4] == [200, "echo:POST /chunked " + "a" * 10 + "b" * 20, "h1x", "HTTP/1.1"]
    assert out["requests"] == 5
    assert out["sent_interim"] == 15  # 102, 102, 103 before each final response
    assert out["host"].startswith("127.0.0.1:")


def test_uvicorn_h11_protocol_served_by_h1x():
    out = run("uvicorn_h11")
    r = out["results"]
    for i in range(3):
        assert r[i] == [200, {"method": "GET", "path": f"/item/{i}", "query": f"q={i}", "body_len": 0, "http_version": "1.1"}]
    assert r[3] == [200, {"method": "POST", "path": "/upload", "query": "", "body_len": 50_000, "http_version": "1.1"}]
    assert r[4] == [200, {"method": "POST", "path": "/expect", "query": "", "body_len": 10, "http_version": "1.1"}]
    assert r[5] == ["HTTP/1.1 400 Bad Request"]
