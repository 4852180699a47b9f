"""The core's shared wire vectors (core/tests/vectors/*.json) through the Python binding, at
every split point of each input, following the runner rules in core/tests/vectors/README.md
exactly as core/tests/vectors.rs does."""

import json

import pytest

import h1x
from conftest import VECTORS

FILES = sorted(VECTORS.glob("*.json"))


def load():
    cases = []
    for f in FILES:
        doc = json.loads(f.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            cases.append(pytest.param(case, id=f"{f.stem}:{case['name']}"))
    return cases


CASES = load()


def latin1(s):
    return s.encode("latin-1")


def text(b):
    return bytes(b).decode("latin-1")


def headers_json(headers):
    return [[text(n).lower(), text(v)] for n, v in headers]


def event_json(ev):
    t = type(ev)
    if t is h1x.Request:
        return {
            "type": "request",
            "method": text(ev.method),
            "target": text(ev.target),
            "version": text(ev.http_version),
            "headers": headers_json(ev.headers),
        }
    if t is h1x.InformationalResponse or t is h1x.Response:
        return {
            "type": "informational_response" if t is h1x.InformationalResponse else "response",
            "status": ev.status_code,
            "reason": text(ev.reason),
            "version": text(ev.http_version),
            "headers": headers_json(ev.headers),
        }
    if t is h1x.Data:
        return {"type": "data", "data": text(ev.data)}
    if t is h1x.EndOfMessage:
        return {"type": "end_of_message", "headers": headers_json(ev.headers)}
    if t is h1x.ConnectionClosed:
        return {"type": "connection_closed"}
    if ev is h1x.PAUSED:
        return {"type": "paused"}
    raise AssertionError(f"unexpected event {ev!r}")


def normalise(expected):
    out = []
    for e in expected:
        e = dict(e)
        if "headers" in e:
            e["headers"] = [[n.lower(), v] for n, v in e["headers"]]
        elif e["type"] in ("request", "response", "informational_response", "end_of_message"):
            e["headers"] = []
        if e["type"] != "data" and "version" not in e and "status" in e:
            e["version"] = "1.1"
        out.append(e)
    return out


def connection(case):
    c = case.get("config", {})
    kwargs = {"max_headers": c.get("max_headers", 64), "leniency": c.get("leniency", [])}
    for key in ("max_head_bytes", "max_line_bytes", "max_trailer_bytes", "max_chunk_ext_bytes"):
        if key in c:
            kwargs[key] = c[key]
    role = h1x.SERVER if case["role"] == "server" else h1x.CLIENT
    return h1x.Connection(role, **kwargs)


class Runner:
    def __init__(self, case):
        self.conn = connection(case)
        self.request = case.get(
            "request", {"method": "GET", "target": "/", "headers": [["Host", "example.com"]]}
        )
        self.events = []
        # the data of each chunk, cut where chunk_start / chunk_end say
        self.chunks = []
        self.chunk_open = False

    def send_request(self):
        r = self.request
        self.conn.send(
            h1x.Request(
                method=latin1(r["method"]),
                target=latin1(r["target"]),
                headers=[(latin1(n), latin1(v)) for n, v in r["headers"]],
            )
        )
        if self.conn.our_state is h1x.SEND_BODY:
            self.conn.send(h1x.EndOfMessage())

    def cycle(self):
        conn = self.conn
        server = conn.our_role is h1x.SERVER
        if server and conn.our_state is h1x.SEND_RESPONSE and conn.their_state is h1x.DONE:
            conn.send(h1x.Response(status_code=200, headers=[(b"Content-Length", b"0")]))
            conn.send(h1x.EndOfMessage())
        if conn.our_state is h1x.DONE and conn.their_state is h1x.DONE:
            conn.start_next_cycle()
            if not server:
                self.send_request()

    def pump(self):
        """Takes events until NEED_DATA; False once decoding stopped for good."""
        while True:
            ev = self.conn.next_event()
            if ev is h1x.NEED_DATA:
                return True
            j = event_json(ev)
            if type(ev) is h1x.Data:
                if ev.chunk_start:
                    self.chunks.append("")
                    self.chunk_open = True
                if self.chunk_open:
                    self.chunks[-1] += j["data"]
                self.chunk_open &= not ev.chunk_end
            if j["type"] == "data" and self.events and self.events[-1]["type"] == "data":
                self.events[-1]["data"] += j["data"]
            else:
                self.events.append(j)
            if ev is h1x.PAUSED or type(ev) is h1x.ConnectionClosed:
                return False
            if type(ev) is h1x.EndOfMessage:
                self.cycle()


def run(case, cuts):
    data = latin1(case["input"])
    r = Runner(case)
    if r.conn.our_role is h1x.CLIENT and not case.get("no_request", False):
        r.send_request()
    error = None
    try:
        prev = 0
        stopped = False
        for cut in list(cuts) + [len(data)]:
            piece = data[prev:cut]
            prev = cut
            if piece:  # an empty piece appends nothing (b"" would mean EOF to receive_data)
                r.conn.receive_data(piece)
            if not r.pump():
                stopped = True
                break
        if not stopped and case.get("eof", False):
            r.conn.receive_data(b"")
            r.pump()
    except h1x.RemoteProtocolError as e:
        error = {"kind": e.kind, "offset": e.offset, "status": e.error_status_hint}
    return r.events, error, r.chunks


def check(case, cuts):
    events, error, chunks = run(case, cuts)
    if "chunks" in case:
        assert chunks == case["chunks"], f"cuts {cuts}"
    want_events = normalise(case["events"])
    want_error = case.get("error")
    if want_error is not None and error is not None:
        error = {k: error[k] for k in ("kind", "offset", "status") if k in want_error}
    assert (events, error) == (want_events, want_error), f"cuts {cuts}"


def splits(n):
    yield []
    yield list(range(1, n))
    for cut in range(n + 1):
        yield [cut]


def test_vector_files_present():
    assert len(FILES) >= 4
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES)
def test_vector(case):
    n = len(latin1(case["input"]))
    runs = 0
    for cuts in splits(n):
        check(case, cuts)
        runs += 1
    assert runs == n + 3
