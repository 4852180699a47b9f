// Random and mutated input: decoding must only ever throw RemoteProtocolError, never a WASM trap
// (WebAssembly.RuntimeError), a TypeError or anything else, and never loop: after each read the
// events until NEED_DATA are bounded by the bytes received. Seeded, so a failure can be replayed
// (H1X_SEED=<n>).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Connection, NEED_DATA, PAUSED, RemoteProtocolError, LocalProtocolError } from "../dist/esm/h1x.mjs";
import { loadCases, latin1Bytes } from "./runner.mjs";

const SEED = Number(process.env.H1X_SEED ?? 0x5eed1);

function rng(seed) {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

const bytes = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const INTERESTING = bytes("\r\n \t:;,=\"\x00\x0b\x7f\x80\xff0123456789abcdefABCDEF-+xX");
const TOKENS = [
  "HTTP/1.1 ", "HTTP/1.0 ", "100 Continue", "101 ", "102 Processing", "103 Early Hints", "200 OK",
  "GET / HTTP/1.1", "CONNECT a:443 HTTP/1.1", "\r\n", "\r\n\r\n", "\n", "\r", "Host: a",
  "Content-Length: ", "Transfer-Encoding: chunked", "Connection: close", "Upgrade: h2c",
  "Expect: 100-continue", "0\r\n\r\n", "ffffffffffffffffff", "; ext=\"v\"", " ", "\t",
].map(bytes);

function mutate(input, r) {
  let b = Array.from(input);
  const rounds = 1 + r(4);
  for (let k = 0; k < rounds; k++) {
    const at = b.length ? r(b.length + 1) : 0;
    switch (r(7)) {
      case 0: // flip a bit
        if (b.length) b[r(b.length)] ^= 1 << r(8);
        break;
      case 1: // replace with an interesting byte
        if (b.length) b[r(b.length)] = INTERESTING[r(INTERESTING.length)];
        break;
      case 2: // insert an interesting byte
        b.splice(at, 0, INTERESTING[r(INTERESTING.length)]);
        break;
      case 3: // delete a run
        b.splice(at, 1 + r(8));
        break;
      case 4: // insert a protocol token
        b.splice(at, 0, ...TOKENS[r(TOKENS.length)]);
        break;
      case 5: { // duplicate a slice
        const from = r(b.length + 1);
        b.splice(at, 0, ...b.slice(from, from + 1 + r(32)));
        break;
      }
      default: // truncate
        b = b.slice(0, at);
    }
  }
  return Uint8Array.from(b);
}

/** Feeds `input` in random pieces; returns how the run ended. */
function feed(role, input, r, request) {
  const conn = new Connection({ role, maxHeaders: 1 + r(64), maxIncompleteEventSize: 64 + r(16384) });
  let ended = "ok";
  const respond = () => {
    // the runner's keep-alive step; our own sends may only fail as LocalProtocolError
    try {
      if (role === "server" && conn.ourState === "SEND_RESPONSE" && conn.theirState === "DONE") {
        conn.send({ type: "response", statusCode: 200, headers: [["Content-Length", "0"]] });
        conn.send({ type: "endOfMessage" });
      }
      if (conn.ourState === "DONE" && conn.theirState === "DONE") {
        conn.startNextCycle();
        if (role === "client") sendRequest();
      }
    } catch (e) {
      if (!(e instanceof LocalProtocolError)) throw e;
    }
  };
  const sendRequest = () => {
    conn.send(request);
    if (conn.ourState === "SEND_BODY") conn.send({ type: "endOfMessage" });
  };
  try {
    if (role === "client") sendRequest();
    let at = 0;
    let received = 0;
    while (at <= input.length) {
      const n = Math.min(input.length - at, r(4) === 0 ? 1 : 1 + r(96));
      if (n === 0) conn.receiveData(new Uint8Array(0)); // EOF at the end
      else conn.receiveData(input.subarray(at, at + n));
      at += n === 0 ? 1 : n;
      received += n;
      let events = 0;
      for (let ev = conn.nextEvent(); ev !== NEED_DATA; ev = conn.nextEvent()) {
        assert.ok(++events <= received + 8, "more events than bytes: a loop");
        if (ev === PAUSED || ev.type === "connectionClosed") return "stopped";
        if (ev.type === "endOfMessage") respond();
      }
    }
  } catch (e) {
    if (e instanceof RemoteProtocolError) {
      assert.equal(typeof e.kind, "string");
      assert.ok(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= input.length + 1, `offset ${e.offset}`);
      assert.ok([400, 413, 414, 431, 501, 505].includes(e.errorStatusHint), `status ${e.errorStatusHint}`);
      assert.equal(conn.theirState, "ERROR");
      ended = "error";
    } else {
      throw e;
    }
  } finally {
    conn.free();
  }
  return ended;
}

const GET = { type: "request", method: "GET", target: "/", headers: [["Host", "example.com"]] };

test(`random bytes only ever throw RemoteProtocolError (seed ${SEED})`, () => {
  const r = rng(SEED);
  const ends = { ok: 0, error: 0, stopped: 0 };
  for (let i = 0; i < 3000; i++) {
    const len = r(300);
    const input = new Uint8Array(len);
    // half pure noise, half noise over an HTTP-ish alphabet
    for (let j = 0; j < len; j++) input[j] = i & 1 ? r(256) : INTERESTING[r(INTERESTING.length)];
    if (i % 3 === 0) input.set(TOKENS[r(9)].subarray(0, len));
    ends[feed(i % 2 ? "server" : "client", input, r, GET)]++;
  }
  assert.ok(ends.error > 0);
});

test(`mutated vectors only ever throw RemoteProtocolError (seed ${SEED})`, () => {
  const r = rng(SEED + 1);
  const cases = loadCases().map(({ c }) => c);
  const ends = { ok: 0, error: 0, stopped: 0 };
  for (let i = 0; i < 6000; i++) {
    const c = cases[r(cases.length)];
    const input = mutate(latin1Bytes(c.input), r);
    const request = c.request ? { type: "request", ...c.request } : GET;
    ends[feed(c.role, input, r, request)]++;
  }
  // the mutations must reach past the first error now and then
  assert.ok(ends.ok + ends.stopped > 100, JSON.stringify(ends));
  assert.ok(ends.error > 100, JSON.stringify(ends));
});

test(`random events to send only ever throw LocalProtocolError or TypeError (seed ${SEED})`, () => {
  const r = rng(SEED + 2);
  const pick = (a) => a[r(a.length)];
  const strs = ["", "GET", "/", "Host", "a", "x y", "\r\n", "\u00e9", "\u20ac", "Content-Length", "5", "chunked",
    "Transfer-Encoding", "Connection", "close", "Upgrade", "h2c", "Expect", "100-continue", "\x00", ":"];
  const types = ["request", "informationalResponse", "response", "data", "endOfMessage", "connectionClosed", "bogus"];
  let sent = 0;
  for (let i = 0; i < 3000; i++) {
    const conn = new Connection({ role: i & 1 ? "client" : "server" });
    if (i & 2) {
      conn.receiveData(bytes("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx"));
      try {
        while (conn.nextEvent() !== NEED_DATA);
      } catch (e) {
        if (!(e instanceof RemoteProtocolError)) throw e;
      }
    }
    for (let k = 0; k < 6; k++) {
      const ev = { type: pick(types) };
      if (r(2)) ev.method = pick(strs);
      if (r(2)) ev.target = pick(strs);
      if (r(3)) ev.statusCode = pick([100, 101, 102, 103, 199, 200, 204, 304, 999, 1000, 65536 + 200, -1, 0, 1.5]);
      if (r(2)) ev.reason = pick(strs);
      if (r(2)) ev.headers = Array.from({ length: r(4) }, () => [pick(strs), pick(strs)]);
      if (r(2)) ev.data = r(2) ? new Uint8Array(r(40)) : pick(strs);
      if (r(4) === 0) ev.httpVersion = "1.0";
      try {
        conn.send(ev);
        sent++;
      } catch (e) {
        if (!(e instanceof LocalProtocolError) && !(e instanceof TypeError)) throw e;
      }
    }
    conn.free();
  }
  assert.ok(sent > 100, `only ${sent} events were accepted`);
});
