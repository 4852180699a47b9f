#!/usr/bin/env python3
"""`make bench-server`: the same axum app on hyper (axum::serve) and on h1x-tokio, wrk against
each, current-thread and multi-thread runtimes, rounds interleaved in one run; then the memory
each idle keep-alive connection costs (RSS over 10,000 idle connections). Prints a table with the
ratios and writes it to h1x-tokio/bench/RESULTS.md.

usage: run.py BENCH_SERVER_BINARY [--rounds N] [--seconds S] [--idle N]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVERS = ["hyper", "h1x"]
RUNTIMES = ["current", "multi"]
WORKLOADS = {
    "GET 1 KiB": ("/1k", []),
    "POST echo 1 KiB": ("/echo", ["-s", str(HERE / "post.lua")]),
}


class Server:
    def __init__(self, binary, server, rt):
        self.proc = subprocess.Popen(
            [binary, "serve", "--server", server, "--rt", rt, "--addr", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://([\d.]+:\d+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"{server} did not start: {line!r}")
        self.addr = m.group(1)

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wrk(addr, path, extra, seconds, connections):
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", *extra, f"http://{addr}{path}"],
        capture_output=True, text=True, timeout=seconds + 30).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def throughput(binary, rounds, seconds, connections):
    """results[(rt, workload, server)] = [req/s per round]; the servers alternate within each
    round (order flipped every round) so that load on the machine hits both alike."""
    results = {}
    for r in range(rounds):
        for rt in RUNTIMES:
            order = SERVERS if r % 2 == 0 else SERVERS[::-1]
            for server in order:
                srv = Server(binary, server, rt)
                try:
                    wrk(srv.addr, "/1k", [], 1, connections)  # warm-up
                    for name, (path, extra) in WORKLOADS.items():
                        rps = wrk(srv.addr, path, extra, seconds, connections)
                        results.setdefault((rt, name, server), []).append(rps)
                        print(f"round {r + 1} {rt:7} {server:5} {name:16} {rps:10.0f} req/s",
                              flush=True)
                finally:
                    srv.stop()
    return results


def idle_memory(binary, count):
    """RSS growth per idle keep-alive connection (multi-thread runtime), KiB."""
    out = {}
    for server in SERVERS:
        srv = Server(binary, server, "multi")
        try:
            # one request first, so that lazily built state (runtime, app) is already counted
            wrk(srv.addr, "/1k", [], 1, 4)
            time.sleep(0.5)
            before = srv.rss_kib()
            client = subprocess.Popen([binary, "idle", "--connect", srv.addr, "--count", str(count)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            line = client.stdout.readline()
            if not line.startswith("ready"):
                raise RuntimeError(f"idle client: {line!r}")
            time.sleep(2.0)  # h1x-tokio gives an idle connection's buffers back after 0.5 s
            after = srv.rss_kib()
            client.stdin.close()
            client.wait(30)
            out[server] = (after - before) / count
            print(f"idle {server:5}: RSS {before} KiB -> {after} KiB over {count} connections: "
                  f"{out[server]:.2f} KiB each", flush=True)
        finally:
            srv.stop()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=4)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--idle", type=int, default=10_000)
    args = ap.parse_args()

    res = throughput(args.binary, args.rounds, args.seconds, args.connections)
    mem = idle_memory(args.binary, args.idle)

    lines = [
        "# h1x-tokio against hyper: the same axum app",
        "",
        f"`make bench-server`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} CPUs (shared: compare the ratios, measured in the same run). wrk -t1 "
        f"-c{args.connections}, {args.seconds} s per measurement, {args.rounds} interleaved rounds; "
        "median req/s per cell; 'paired' is the median of the per-round ratios.",
        "hyper is `axum::serve` (hyper-util, TCP_NODELAY); h1x-tokio is `h1x_tokio::serve`.",
        "",
        "| runtime | workload | hyper req/s | h1x-tokio req/s | h1x-tokio / hyper | paired |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for rt in RUNTIMES:
        for name in WORKLOADS:
            hy, hx = res[(rt, name, "hyper")], res[(rt, name, "h1x")]
            ratio = statistics.median(hx) / statistics.median(hy)
            paired = statistics.median(b / a for a, b in zip(hy, hx))
            lines.append(f"| {rt}-thread | {name} | {statistics.median(hy):,.0f} | "
                         f"{statistics.median(hx):,.0f} | {ratio:.2f}x | {paired:.2f}x |")
    lines += [
        "",
        f"Memory per idle keep-alive connection ({args.idle:,} connections, one GET each, "
        "multi-thread runtime, server RSS growth):",
        "",
        "| server | KiB per idle connection |",
        "| --- | ---: |",
    ]
    for server in SERVERS:
        label = "hyper" if server == "hyper" else "h1x-tokio"
        lines.append(f"| {label} | {mem[server]:.1f} |")
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    (HERE / "RESULTS.md").write_text(text)
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    sys.exit(main())
