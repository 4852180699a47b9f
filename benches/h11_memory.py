"""Memory of idle keep-alive connections in h11 (python-hyper/h11), measured with tracemalloc.

Each connection is an h11.Connection(h11.SERVER) that has been through one complete keep-alive
cycle (request in, response out, start_next_cycle) and now waits for the next request: the state a
server holds for an idle keep-alive client. Fresh, never-used connections are measured too.
Prints JSON for benches/src/bin/report.rs.
"""

import json
import platform
import sys
import tracemalloc

import h11

N = 10_000
REQUEST = b"GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: bench\r\n\r\n"


def one_cycle(conn):
    conn.receive_data(REQUEST)
    while True:
        ev = conn.next_event()
        if isinstance(ev, h11.EndOfMessage):
            break
        assert ev is not h11.NEED_DATA, ev
    conn.send(h11.Response(status_code=200, headers=[("Content-Length", "2")]))
    conn.send(h11.Data(data=b"ok"))
    conn.send(h11.EndOfMessage())
    conn.start_next_cycle()
    assert conn.our_state is h11.IDLE and conn.their_state is h11.IDLE


def per_connection(cycle):
    keep = [None] * N  # the list's own slots are allocated before the measurement
    # warm up h11's caches (regex compilation, interned strings) outside the measurement
    warm = h11.Connection(h11.SERVER)
    one_cycle(warm)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for i in range(N):
        conn = h11.Connection(h11.SERVER)
        if cycle:
            one_cycle(conn)
        keep[i] = conn
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    total = sum(s.size_diff for s in after.compare_to(before, "filename"))
    del keep
    return total / N


def main():
    fresh = per_connection(cycle=False)
    idle = per_connection(cycle=True)
    json.dump(
        {
            "python": platform.python_version(),
            "h11": h11.__version__,
            "connections": N,
            "fresh_bytes": round(fresh),
            "idle_after_cycle_bytes": round(idle),
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
