"""h1x against h11, httptools and zttp, in one run on one machine (not a test: no assertions on
time). Prints microseconds per operation and each peer's time divided by h1x's.

(a) parse: a 424-byte GET with 8 header fields, from bytes to EndOfMessage, on a fresh
    connection/parser each time (httptools: a parser with the usual callbacks collecting URL and
    headers, as uvicorn uses it).
(b) cycle: a server keep-alive cycle on one connection: receive that request, send 102, 102,
    then 200 with a 1 KiB body and EndOfMessage, start the next cycle.
"""

import gc
import platform
import statistics
import sys
import time

import h11

import h1x

REQUEST = (
    b"GET /api/v1/panorama/render?id=8472&quality=high&format=jpeg HTTP/1.1\r\n"
    b"Host: renders.example.com\r\n"
    b"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
    b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    b"Accept-Language: en-US,en;q=0.5\r\n"
    b"Accept-Encoding: gzip, deflate, br\r\n"
    b"Connection: keep-alive\r\n"
    b"Cookie: session=4f2a9c1e7b3d5a8f0; theme=dark1\r\n"
    b"Cache-Control: max-age=0\r\n"
    b"\r\n"
)
assert len(REQUEST) == 424, len(REQUEST)
assert REQUEST.count(b"\r\n") == 10  # request line, 8 fields, blank line
BODY = b"x" * 1024
ROUNDS = 15
BODY_LEN = str(len(BODY)).encode()


def measure(fn, n, repeat=5):
    """Best of `repeat` runs of `n` calls, in microseconds of this thread's CPU time per call
    (CPU time, not wall time: the machine is shared, and waiting for a core is not work)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        t0 = time.thread_time_ns()
        fn(n)
        dt = time.thread_time_ns() - t0
        gc.enable()
        best = min(best, dt / n / 1000)
    return best


# ----------------------------------------------------------------------------------- (a) parse

def parse_with(m):
    """(a) for a module with h11's API (h1x or h11)."""

    def parse(n):
        Connection, SERVER, req = m.Connection, m.SERVER, REQUEST
        for _ in range(n):
            c = Connection(SERVER)
            c.receive_data(req)
            c.next_event()
            c.next_event()

    return parse


parse_h1x, parse_h11 = parse_with(h1x), parse_with(h11)


class _Callbacks:
    __slots__ = ("url", "headers", "done")

    def __init__(self):
        self.url = None
        self.headers = []
        self.done = False

    def on_url(self, url):
        self.url = url

    def on_header(self, name, value):
        self.headers.append((name, value))

    def on_headers_complete(self):
        pass

    def on_message_complete(self):
        self.done = True


def parse_httptools(n):
    import httptools

    Parser, req = httptools.HttpRequestParser, REQUEST
    for _ in range(n):
        cb = _Callbacks()
        p = Parser(cb)
        p.feed_data(req)
        p.get_method()
        p.get_http_version()


def parse_zttp(n):
    import zttp

    Connection, SERVER, req, EndOfMessage = zttp.Connection, zttp.SERVER, REQUEST, zttp.EndOfMessage
    for _ in range(n):
        c = Connection(SERVER)
        c.receive_data(req)
        ev = c.next_event()
        if not ev.end_stream:  # a GET without body ends with its head
            while type(ev) is not EndOfMessage:
                ev = c.next_event()


# ----------------------------------------------------------------------------------- (b) cycle

def cycle_with(m):
    """(b) for a module with h11's API (h1x or h11)."""

    def cycle(n):
        c = m.Connection(m.SERVER)
        req, body, body_len = REQUEST, BODY, BODY_LEN
        IR, R, D, E = m.InformationalResponse, m.Response, m.Data, m.EndOfMessage
        for _ in range(n):
            c.receive_data(req)
            c.next_event()
            c.next_event()
            c.send(IR(status_code=102, headers=[], reason=b"Processing"))
            c.send(IR(status_code=102, headers=[], reason=b"Processing"))
            c.send(R(status_code=200, headers=[(b"Content-Length", body_len)], reason=b"OK"))
            c.send(D(body))
            c.send(E())
            c.start_next_cycle()

    return cycle


cycle_h1x, cycle_h11 = cycle_with(h1x), cycle_with(h11)


def cycle_httptools(n):
    """httptools only parses: the response bytes are formatted by hand, with no state checks."""
    import httptools

    cb = _Callbacks()
    p = httptools.HttpRequestParser(cb)
    req, body, body_len = REQUEST, BODY, BODY_LEN
    for _ in range(n):
        cb.headers = []
        p.feed_data(req)
        out = [b"HTTP/1.1 102 Processing\r\n\r\n", b"HTTP/1.1 102 Processing\r\n\r\n"]
        out.append(b"".join([b"HTTP/1.1 200 OK\r\n", b"Content-Length: ", body_len, b"\r\n\r\n"]))
        out.append(body)


def cycle_zttp(n):
    import zttp

    c = zttp.Connection(zttp.SERVER)
    req, body, body_len = REQUEST, BODY, BODY_LEN
    for _ in range(n):
        c.receive_data(req)
        ev = c.next_event()
        if not ev.end_stream:
            c.next_event()
        c.send_informational(102)
        c.send_informational(102)
        c.send_response(200, [(b"Content-Length", body_len)])
        c.send_data(body)
        c.end_message()
        c.data_to_send()
        c.start_next_cycle()


def cycle_floor(n):
    """The same calls as cycle_h1x with no work behind them (C no-ops, SimpleNamespace events):
    what any implementation of this API pays in the interpreter."""
    import types

    NS, out = types.SimpleNamespace, []
    receive, nxt, send, cycle = out.append, out.__len__, out.append, out.clear
    req, body, body_len = REQUEST, BODY, BODY_LEN
    for _ in range(n):
        receive(req)
        nxt()
        nxt()
        send(NS(status_code=102, headers=[], reason=b"Processing"))
        send(NS(status_code=102, headers=[], reason=b"Processing"))
        send(NS(status_code=200, headers=[(b"Content-Length", body_len)], reason=b"OK"))
        send(NS(data=body))
        send(NS())
        cycle()


def check_same_wire():
    """Sanity: the h1x and h11 cycles put the same bytes on the wire."""
    wires = []
    for m in (h1x, h11):
        c = m.Connection(m.SERVER)
        c.receive_data(REQUEST)
        assert type(c.next_event()) is m.Request
        assert type(c.next_event()) is m.EndOfMessage
        out = b""
        for ev in (
            m.InformationalResponse(status_code=102, headers=[], reason=b"Processing"),
            m.InformationalResponse(status_code=102, headers=[], reason=b"Processing"),
            m.Response(status_code=200, headers=[(b"Content-Length", BODY_LEN)], reason=b"OK"),
            m.Data(BODY),
            m.EndOfMessage(),
        ):
            out += c.send(ev)
        c.start_next_cycle()
        wires.append(out)
    assert wires[0] == wires[1], wires


def main():
    check_same_wire()
    peers = {"h11": (parse_h11, cycle_h11, 300)}
    versions = {"h1x": h1x.__version__, "h11": h11.__version__}
    try:
        import httptools

        peers["httptools"] = (parse_httptools, cycle_httptools, 20000)
        versions["httptools"] = httptools.__version__
    except ImportError:
        print("httptools is not installed: skipped")
    try:
        import zttp  # noqa: F401
        from importlib.metadata import version

        peers["zttp"] = (parse_zttp, cycle_zttp, 20000)
        versions["zttp"] = version("zttp")
    except ImportError:
        print("zttp is not installed: skipped")
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"(a) parse a {len(REQUEST)}-byte GET with 8 fields to EndOfMessage; "
          f"(b) server keep-alive cycle: that request in, 102, 102, 200 + {len(BODY)} B body out")
    # rounds interleave the implementations, so a slow spell of the shared machine hits them all;
    # each keeps its best round
    jobs = {"h1x": (parse_h1x, cycle_h1x, 20000)}
    jobs.update(peers)
    best = {name: [float("inf"), float("inf")] for name in jobs}
    # per round, each peer's time over h1x's measured next to it: a slow spell of the machine
    # hits both sides of a pair, so the median of these ratios resists noise that bests do not
    paired = {name: ([], []) for name in peers}
    floor = float("inf")
    for _ in range(ROUNDS):
        this = {}
        for name, (pa, cy, n) in jobs.items():
            this[name] = (measure(pa, n, repeat=1), measure(cy, max(n // 2, 100), repeat=1))
            best[name][0] = min(best[name][0], this[name][0])
            best[name][1] = min(best[name][1], this[name][1])
        for name in peers:
            for k in (0, 1):
                paired[name][k].append(this[name][k] / this["h1x"][k])
        floor = min(floor, measure(cycle_floor, 10000, repeat=1))
    rows = [(name, tuple(v)) for name, v in best.items()]
    ours = best["h1x"]
    print(f"{'':12}{'(a) parse µs':>14}{'ratio':>9}{'paired':>9}{'(b) cycle µs':>15}{'ratio':>9}{'paired':>9}")
    for name, (a, b) in rows:
        if name == "h1x":
            print(f"{name:12}{a:14.2f}{'1.0x':>9}{'':9}{b:15.2f}{'1.0x':>9}")
            continue
        pa, pb = (statistics.median(paired[name][k]) for k in (0, 1))
        print(f"{name:12}{a:14.2f}{a / ours[0]:8.1f}x{pa:8.1f}x{b:15.2f}{b / ours[1]:8.1f}x{pb:8.1f}x")
    print(f"(b) floor: the same 13 calls with no work behind them cost {floor:.2f} µs here; "
          f"h1x adds {ours[1] - floor:.2f} µs")
    print(f"ratio = peer's best time / h1x's best time over {ROUNDS} interleaved rounds; paired = "
          "median over the rounds of peer time / h1x time in the same round (above 1: h1x is "
          "faster). httptools (b) is its parser plus hand-formatted response bytes (it has no "
          "sender).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
